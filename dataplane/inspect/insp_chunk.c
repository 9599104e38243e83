/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "insp_chunk.h"
#include "insp_utf8.h"

static const char *const obj_mime[INSP_OBJ_TYPE_COUNT] = {
	[INSP_OBJ_TEXT] = "text/plain",
	[INSP_OBJ_PDF] = "application/pdf",
	[INSP_OBJ_JPEG] = "image/jpeg",
	[INSP_OBJ_PNG] = "image/png",
};

const char *
insp_obj_type_mime(unsigned t)
{
	return t > INSP_OBJ_NONE && t < INSP_OBJ_TYPE_COUNT ? obj_mime[t] : NULL;
}

int
insp_obj_type_from_mime(const char *s, size_t n)
{
	if (s == NULL)
		return -1;
	for (unsigned t = INSP_OBJ_TEXT; t < INSP_OBJ_TYPE_COUNT; t++)
		if (strlen(obj_mime[t]) == n && memcmp(obj_mime[t], s, n) == 0)
			return (int)t;
	return -1;
}

static enum insp_reason __attribute__((format(printf, 3, 4)))
fail(char *detail, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (detail != NULL && cap > 0) {
		va_start(ap, fmt);
		vsnprintf(detail, cap, fmt, ap);
		va_end(ap);
	}
	return INSP_R_MALFORMED_MESSAGE;
}

static int
originator_char(uint8_t b)
{
	return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
	       b == '.' || b == '_' || b == '@' || b == '-';
}

int
insp_chunk_label_check(const uint8_t *label, size_t len, int is_4774, size_t *bad)
{
	size_t at = 0;

	if (is_4774 && insp_utf8_validate_xml(label, len, &at) < 0)
		goto fail;
	for (at = 0; at < len; at++) {
		uint8_t b = label[at];

		if (b < 0x20 || b == 0x7f || (!is_4774 && b > 0x7e))
			goto fail;
		/* U+0080..U+009F (C1 controls) are 0xC2 0x80..0x9F in UTF-8 */
		if (b == 0xc2 && at + 1 < len && label[at + 1] < 0xa0)
			goto fail;
	}
	return 0;
fail:
	if (bad != NULL)
		*bad = at;
	return -1;
}

static unsigned
write_version(const struct insp_chunk *c)
{
	if (c->version != 0)
		return c->version;
	return c->label_4774 || c->label_len > INSP_CHUNK_LABEL_MAX_V1 ? INSP_CHUNK_VERSION2
								       : INSP_CHUNK_VERSION;
}

size_t
insp_chunk_fixed_len(const struct insp_chunk *c)
{
	return write_version(c) == INSP_CHUNK_VERSION2 ? INSP_CHUNK_FIXED2 : INSP_CHUNK_FIXED;
}

/* Every rule on the fields, in the order of the header; label/originator/data are there. */
static enum insp_reason
check_fields(const struct insp_chunk *c, char *detail, size_t cap)
{
	size_t bad = 0;

	if (c->type <= INSP_OBJ_NONE || c->type >= INSP_OBJ_TYPE_COUNT)
		return fail(detail, cap, "object chunk: declared type %u not in 1..%u", c->type,
			    INSP_OBJ_TYPE_COUNT - 1);
	if (c->label_len == 0)
		return fail(detail, cap, "object chunk: label length 0 (a label is required)");
	if (c->label_len > INSP_CHUNK_LABEL_MAX)
		return fail(detail, cap, "object chunk: label length %u above %u", c->label_len,
			    INSP_CHUNK_LABEL_MAX);
	if (c->originator_len > INSP_CHUNK_ORIGINATOR_MAX)
		return fail(detail, cap, "object chunk: originator length %u above %u",
			    c->originator_len, INSP_CHUNK_ORIGINATOR_MAX);
	if (c->object_id == 0)
		return fail(detail, cap, "object chunk: object id 0");
	if (c->count == 0 || c->count > INSP_CHUNK_COUNT_MAX)
		return fail(detail, cap, "object chunk: chunk count %u not in 1..%u", c->count,
			    INSP_CHUNK_COUNT_MAX);
	if (c->index >= c->count)
		return fail(detail, cap, "object chunk: chunk index %u not below the count %u",
			    c->index, c->count);
	if (c->total_len == 0 || c->total_len > INSP_CHUNK_TOTAL_MAX)
		return fail(detail, cap, "object chunk: total length %u not in 1..%llu",
			    c->total_len, INSP_CHUNK_TOTAL_MAX);
	if (c->count > c->total_len)
		return fail(detail, cap, "object chunk: chunk count %u above the total length %u",
			    c->count, c->total_len);
	if (insp_chunk_label_check(c->label, c->label_len, c->label_4774, &bad) < 0)
		return c->label_4774
			       ? fail(detail, cap,
				      "object chunk: 4774 label byte %zu (0x%02x): not UTF-8 or a "
				      "control character",
				      bad, c->label[bad])
			       : fail(detail, cap,
				      "object chunk: label byte %zu is 0x%02x, not printable ASCII",
				      bad, c->label[bad]);
	for (uint32_t i = 0; i < c->originator_len; i++)
		if (!originator_char(c->originator[i]))
			return fail(detail, cap,
				    "object chunk: originator byte %u is 0x%02x, not in "
				    "[A-Za-z0-9._@-]",
				    i, c->originator[i]);
	if (c->data_len == 0)
		return fail(detail, cap, "object chunk: no data after the header");
	if ((uint64_t)c->offset + c->data_len > c->total_len)
		return fail(detail, cap,
			    "object chunk: data at offset %u, %u bytes, past the total length %u",
			    c->offset, c->data_len, c->total_len);
	return INSP_R_RELEASE;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

enum insp_reason
insp_chunk_parse(const uint8_t *buf, size_t len, struct insp_chunk *c, char *detail, size_t cap)
{
	size_t head, data_len, fixed;
	const uint8_t *p;

	if (detail != NULL && cap > 0)
		detail[0] = '\0';
	memset(c, 0, sizeof(*c));
	if (len < INSP_CHUNK_FIXED)
		return fail(detail, cap, "object chunk: %zu bytes, shorter than the %u-byte header",
			    len, INSP_CHUNK_FIXED);
	if (memcmp(buf, INSP_CHUNK_MAGIC, 4) != 0)
		return fail(detail, cap, "object chunk: magic is not \"GOBJ\"");
	if (buf[4] == INSP_CHUNK_VERSION) {
		if (buf[5] & INSP_CHUNK_TYPE_4774)
			return fail(detail, cap,
				    "object chunk: type byte 0x%02x: bit 7 (4774 label) needs "
				    "version 2",
				    buf[5]);
		fixed = INSP_CHUNK_FIXED;
		c->type = buf[5];
		c->label_len = buf[6];
		c->originator_len = buf[7];
		p = buf + 8;
	} else if (buf[4] == INSP_CHUNK_VERSION2) {
		if (len < INSP_CHUNK_FIXED2)
			return fail(detail, cap,
				    "object chunk: %zu bytes, shorter than the %u-byte version 2 "
				    "header",
				    len, INSP_CHUNK_FIXED2);
		if (buf[9] != 0)
			return fail(detail, cap, "object chunk: reserved byte 9 is 0x%02x, not 0",
				    buf[9]);
		fixed = INSP_CHUNK_FIXED2;
		c->type = buf[5] & (uint8_t)~INSP_CHUNK_TYPE_4774;
		c->label_4774 = (buf[5] & INSP_CHUNK_TYPE_4774) != 0;
		c->label_len = (uint16_t)(buf[6] << 8 | buf[7]);
		c->originator_len = buf[8];
		p = buf + 10;
	} else
		return fail(detail, cap, "object chunk: version %u (only 1 and 2 are known)",
			    buf[4]);
	c->version = buf[4];
	c->object_id = (uint64_t)get32(p) << 32 | get32(p + 4);
	c->index = get32(p + 8);
	c->count = get32(p + 12);
	c->total_len = get32(p + 16);
	c->offset = get32(p + 20);
	head = fixed + (size_t)c->label_len + c->originator_len;
	if (len < head)
		return fail(detail, cap,
			    "object chunk: label and originator (%u + %u bytes) past the end of "
			    "the %zu-byte datagram",
			    c->label_len, c->originator_len, len);
	data_len = len - head;
	/* above the total (at most 2^31) in any case: clamp so that it fits the field */
	c->data_len = data_len > UINT32_MAX ? UINT32_MAX : (uint32_t)data_len;
	c->label = buf + fixed;
	c->originator = c->label + c->label_len;
	c->data = c->originator + c->originator_len;
	return check_fields(c, detail, cap);
}

size_t
insp_chunk_write(uint8_t *out, size_t cap, const struct insp_chunk *c)
{
	unsigned v = write_version(c);
	size_t n, fixed;
	uint8_t *p;

	if ((c->label_len > 0 && c->label == NULL) ||
	    (c->originator_len > 0 && c->originator == NULL) ||
	    (c->data_len > 0 && c->data == NULL))
		return 0;
	if (v != INSP_CHUNK_VERSION && v != INSP_CHUNK_VERSION2)
		return 0;
	if (v == INSP_CHUNK_VERSION && (c->label_4774 || c->label_len > INSP_CHUNK_LABEL_MAX_V1))
		return 0;
	if (c->label_4774 > 1 || check_fields(c, NULL, 0) != INSP_R_RELEASE)
		return 0;
	fixed = v == INSP_CHUNK_VERSION2 ? INSP_CHUNK_FIXED2 : INSP_CHUNK_FIXED;
	n = fixed + (size_t)c->label_len + c->originator_len + c->data_len;
	if (out == NULL || cap < n)
		return 0;
	memcpy(out, INSP_CHUNK_MAGIC, 4);
	out[4] = (uint8_t)v;
	if (v == INSP_CHUNK_VERSION) {
		out[5] = c->type;
		out[6] = (uint8_t)c->label_len;
		out[7] = c->originator_len;
		p = out + 8;
	} else {
		out[5] = (uint8_t)(c->type | (c->label_4774 ? INSP_CHUNK_TYPE_4774 : 0));
		out[6] = (uint8_t)(c->label_len >> 8);
		out[7] = (uint8_t)c->label_len;
		out[8] = c->originator_len;
		out[9] = 0;
		p = out + 10;
	}
	put32(p, (uint32_t)(c->object_id >> 32));
	put32(p + 4, (uint32_t)c->object_id);
	put32(p + 8, c->index);
	put32(p + 12, c->count);
	put32(p + 16, c->total_len);
	put32(p + 20, c->offset);
	memcpy(out + fixed, c->label, c->label_len);
	if (c->originator_len > 0)
		memcpy(out + fixed + c->label_len, c->originator, c->originator_len);
	memcpy(out + fixed + c->label_len + c->originator_len, c->data, c->data_len);
	return n;
}
