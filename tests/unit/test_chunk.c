/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The object chunk datagram (insp_chunk.h): every header rule with a good value, each
 * field bad with its exact detail, the boundary values on both sides, the MIME names, and
 * the writer: a round trip through insp_chunk_parse(), and it refuses to write what the
 * parse refuses. No arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "insp_chunk.h"
#include "test.h"

static char det[160];
static struct insp_chunk c;

/* A chunk datagram from its fields; data_len = len - header - label - originator. */
struct spec {
	const char *magic;
	uint8_t version, type, label_len, originator_len;
	uint64_t id;
	uint32_t index, count, total, offset;
	const char *label, *originator;
	size_t data_len;
};

static const struct spec good = {
	.magic = "GOBJ",
	.version = 1,
	.type = INSP_OBJ_PDF,
	.label_len = 25,
	.originator_len = 12,
	.id = 0x0123456789abcdefull,
	.index = 1,
	.count = 3,
	.total = 2500,
	.offset = 1000,
	.label = "NATO SECRET//REL TO USA, GBR",
	.originator = "ops.cell@hq1",
	.data_len = 1000,
};

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint8_t dgram[70000];

/* Lay out @p s into dgram (label and originator copied as long as their lengths say). */
static size_t
build(const struct spec *s)
{
	size_t n = INSP_CHUNK_FIXED;

	memcpy(dgram, s->magic, 4);
	dgram[4] = s->version;
	dgram[5] = s->type;
	dgram[6] = s->label_len;
	dgram[7] = s->originator_len;
	put32(dgram + 8, (uint32_t)(s->id >> 32));
	put32(dgram + 12, (uint32_t)s->id);
	put32(dgram + 16, s->index);
	put32(dgram + 20, s->count);
	put32(dgram + 24, s->total);
	put32(dgram + 28, s->offset);
	for (unsigned i = 0; i < s->label_len; i++)
		dgram[n++] = (uint8_t)(i < strlen(s->label) ? s->label[i] : 'X');
	for (unsigned i = 0; i < s->originator_len; i++)
		dgram[n++] = (uint8_t)(i < strlen(s->originator) ? s->originator[i] : 'o');
	for (size_t i = 0; i < s->data_len; i++)
		dgram[n++] = (uint8_t)(i * 7);
	return n;
}

static enum insp_reason
parse_spec(const struct spec *s)
{
	return insp_chunk_parse(dgram, build(s), &c, det, sizeof(det));
}

/* @p s must be refused with exactly @p want, and the writer must refuse its fields too. */
static void
bad(const struct spec *s, const char *want, const char *what)
{
	size_t len = build(s);
	enum insp_reason r = insp_chunk_parse(dgram, len, &c, det, sizeof(det));
	struct insp_chunk w = {
		.object_id = s->id,
		.index = s->index,
		.count = s->count,
		.total_len = s->total,
		.offset = s->offset,
		.type = s->type,
		.label_len = s->label_len,
		.originator_len = s->originator_len,
	};
	static uint8_t out[70000];

	CHECK(r == INSP_R_MALFORMED_MESSAGE, "%s: malformed_message (got %s)", what,
	      insp_reason_name(r));
	CHECK_STR(det, want, "%s: detail", what);
	/* fields the header can carry: the writer refuses them (magic/version are its own) */
	if (len >= INSP_CHUNK_FIXED + (size_t)s->label_len + s->originator_len &&
	    memcmp(s->magic, "GOBJ", 4) == 0 && s->version == 1) {
		w.label = dgram + INSP_CHUNK_FIXED;
		w.originator = w.label + s->label_len;
		w.data = w.originator + s->originator_len;
		w.data_len = (uint32_t)s->data_len;
		CHECK(insp_chunk_write(out, sizeof(out), &w) == 0, "%s: the writer refuses it too",
		      what);
	}
}

static void
ok_spec(const struct spec *s, const char *what)
{
	enum insp_reason r = parse_spec(s);

	CHECK(r == INSP_R_RELEASE && det[0] == '\0', "%s: accepted (got %s: %s)", what,
	      insp_reason_name(r), det);
}

static void
test_mime(void)
{
	CHECK_STR(insp_obj_type_mime(INSP_OBJ_TEXT), "text/plain", "type 1 text/plain");
	CHECK_STR(insp_obj_type_mime(INSP_OBJ_PDF), "application/pdf", "type 2 application/pdf");
	CHECK_STR(insp_obj_type_mime(INSP_OBJ_JPEG), "image/jpeg", "type 3 image/jpeg");
	CHECK_STR(insp_obj_type_mime(INSP_OBJ_PNG), "image/png", "type 4 image/png");
	CHECK(insp_obj_type_mime(0) == NULL && insp_obj_type_mime(5) == NULL &&
		      insp_obj_type_mime(~0u) == NULL,
	      "no MIME type for 0, 5, ~0");
	CHECK(INSP_OBJ_TYPE_COUNT == 5, "four types");
	for (unsigned t = 1; t < INSP_OBJ_TYPE_COUNT; t++)
		CHECK(insp_obj_type_from_mime(insp_obj_type_mime(t),
					      strlen(insp_obj_type_mime(t))) == (int)t,
		      "from_mime(mime(%u)) == %u", t, t);
	CHECK(insp_obj_type_from_mime("image/pngx", 9) == INSP_OBJ_PNG, "length is honoured");
	CHECK(insp_obj_type_from_mime("image/png", 8) == -1, "a prefix is not a type");
	CHECK(insp_obj_type_from_mime("IMAGE/PNG", 9) == -1, "case matters");
	CHECK(insp_obj_type_from_mime("image/gif", 9) == -1 &&
		      insp_obj_type_from_mime("", 0) == -1 &&
		      insp_obj_type_from_mime(NULL, 0) == -1,
	      "unknown, empty, NULL: -1");
}

static void
test_good(void)
{
	size_t len = build(&good);
	enum insp_reason r;

	memset(det, 'x', sizeof(det));
	r = insp_chunk_parse(dgram, len, &c, det, sizeof(det));
	CHECK(r == INSP_R_RELEASE, "good chunk parses (got %s: %s)", insp_reason_name(r), det);
	CHECK(det[0] == '\0', "no detail on success");
	CHECK(c.object_id == 0x0123456789abcdefull && c.index == 1 && c.count == 3 &&
		      c.total_len == 2500 && c.offset == 1000 && c.type == INSP_OBJ_PDF &&
		      c.label_len == 25 && c.originator_len == 12 && c.data_len == 1000,
	      "fields big-endian");
	CHECK(c.label == dgram + 32 && memcmp(c.label, "NATO SECRET//REL TO USA, ", 25) == 0,
	      "label points into the datagram at 32");
	CHECK(c.originator == dgram + 57 && memcmp(c.originator, "ops.cell@hq1", 12) == 0,
	      "originator after the label");
	CHECK(c.data == dgram + 69 && c.data[1] == 7, "data after the originator");
	CHECK(insp_chunk_parse(dgram, len, &c, NULL, 0) == INSP_R_RELEASE,
	      "no detail buffer: fine");
	r = insp_chunk_parse(dgram, 10, &c, NULL, 0);
	CHECK(r == INSP_R_MALFORMED_MESSAGE, "no detail buffer on a refusal: still refused");
}

static void
test_rules(void)
{
	struct spec s;

	/* length, magic, version */
	memcpy(dgram, "GOBJ", 4);
	CHECK(insp_chunk_parse(dgram, 0, &c, det, sizeof(det)) == INSP_R_MALFORMED_MESSAGE,
	      "empty datagram refused");
	CHECK_STR(det, "object chunk: 0 bytes, shorter than the 32-byte header", "empty: detail");
	build(&good);
	CHECK(insp_chunk_parse(dgram, 31, &c, det, sizeof(det)) == INSP_R_MALFORMED_MESSAGE,
	      "31 bytes refused");
	CHECK_STR(det, "object chunk: 31 bytes, shorter than the 32-byte header", "31: detail");
	s = good;
	s.magic = "GOBX";
	bad(&s, "object chunk: magic is not \"GOBJ\"", "magic GOBX");
	s.magic = "gobj";
	bad(&s, "object chunk: magic is not \"GOBJ\"", "magic in lower case");
	s = good;
	s.version = 0;
	bad(&s, "object chunk: version 0 (only 1 and 2 are known)", "version 0");
	s.version = 3;
	bad(&s, "object chunk: version 3 (only 1 and 2 are known)", "version 3");

	/* type */
	s = good;
	s.type = 0;
	bad(&s, "object chunk: declared type 0 not in 1..4", "type 0");
	s.type = 5;
	bad(&s, "object chunk: declared type 5 not in 1..4", "type 5");
	s.type = 255;
	bad(&s, "object chunk: type byte 0xff: bit 7 (4774 label) needs version 2", "type 255");
	s.type = 0x80 | INSP_OBJ_PDF;
	bad(&s, "object chunk: type byte 0x82: bit 7 (4774 label) needs version 2",
	    "version 1 with the 4774 bit");
	for (uint8_t t = 1; t <= 4; t++) {
		s.type = t;
		ok_spec(&s, t == 1 ? "type 1" : t == 4 ? "type 4" : "types 2 and 3");
	}

	/* label length, originator length */
	s = good;
	s.label_len = 0;
	bad(&s, "object chunk: label length 0 (a label is required)", "label length 0");
	s.label_len = 1;
	ok_spec(&s, "label length 1");
	s.label_len = 255;
	ok_spec(&s, "label length 255");
	s = good;
	s.originator_len = 65;
	bad(&s, "object chunk: originator length 65 above 64", "originator length 65");
	s.originator_len = 255;
	bad(&s, "object chunk: originator length 255 above 64", "originator length 255");
	s.originator_len = 64;
	ok_spec(&s, "originator length 64");
	s.originator_len = 0;
	ok_spec(&s, "originator length 0 (no originator)");
	CHECK(c.originator_len == 0 && c.data == c.originator, "no originator: data at once");

	/* object id */
	s = good;
	s.id = 0;
	bad(&s, "object chunk: object id 0", "object id 0");
	s.id = 1;
	ok_spec(&s, "object id 1");
	s.id = UINT64_MAX;
	ok_spec(&s, "object id 2^64-1");
	CHECK(c.object_id == UINT64_MAX, "all 64 bits read");

	/* count, index */
	s = good;
	s.count = 0;
	s.index = 0;
	bad(&s, "object chunk: chunk count 0 not in 1..1048576", "count 0");
	s.count = (1u << 20) + 1;
	s.total = 1u << 30;
	bad(&s, "object chunk: chunk count 1048577 not in 1..1048576", "count 2^20+1");
	s.count = 1u << 20;
	s.index = (1u << 20) - 1;
	s.offset = 0;
	ok_spec(&s, "count 2^20, index 2^20-1");
	s = good;
	s.index = 3;
	bad(&s, "object chunk: chunk index 3 not below the count 3", "index == count");
	s.index = UINT32_MAX;
	bad(&s, "object chunk: chunk index 4294967295 not below the count 3", "index 2^32-1");
	s.index = 2;
	ok_spec(&s, "index count-1");
	s.index = 0;
	ok_spec(&s, "index 0");
	s.count = 1;
	ok_spec(&s, "a single chunk");

	/* total length */
	s = good;
	s.total = 0;
	bad(&s, "object chunk: total length 0 not in 1..2147483648", "total 0");
	s.total = (1u << 31) + 1;
	bad(&s, "object chunk: total length 2147483649 not in 1..2147483648", "total 2^31+1");
	s.total = UINT32_MAX;
	bad(&s, "object chunk: total length 4294967295 not in 1..2147483648", "total 2^32-1");
	s.total = 1u << 31;
	s.offset = (1u << 31) - 1000;
	ok_spec(&s, "total 2^31, the last 1000 bytes");
	s = good;
	s.count = 1001;
	s.total = 1000;
	s.offset = 0;
	s.index = 0;
	s.data_len = 10;
	bad(&s, "object chunk: chunk count 1001 above the total length 1000", "count > total");
	s.count = 1000;
	ok_spec(&s, "count == total");

	/* label and originator bytes */
	s = good;
	s.label = "NATO\x1fSECRET";
	s.label_len = 11;
	bad(&s, "object chunk: label byte 4 is 0x1f, not printable ASCII", "label with 0x1f");
	s.label = "NATO SECRET\x7f";
	s.label_len = 12;
	bad(&s, "object chunk: label byte 11 is 0x7f, not printable ASCII", "label with DEL");
	s.label = "\xc3\xa9t\xc3\xa9";
	s.label_len = 4;
	bad(&s, "object chunk: label byte 0 is 0xc3, not printable ASCII", "label in UTF-8");
	s.label = " ~";
	s.label_len = 2;
	ok_spec(&s, "label of 0x20 and 0x7e");
	s = good;
	s.originator = "ops cell";
	s.originator_len = 8;
	bad(&s, "object chunk: originator byte 3 is 0x20, not in [A-Za-z0-9._@-]",
	    "originator with a space");
	s.originator = "a/b";
	s.originator_len = 3;
	bad(&s, "object chunk: originator byte 1 is 0x2f, not in [A-Za-z0-9._@-]",
	    "originator with '/'");
	s.originator = "AZaz09._@-";
	s.originator_len = 10;
	ok_spec(&s, "originator of every allowed class");

	/* lengths against the datagram */
	s = good;
	s.data_len = 0;
	s.label_len = 25;
	s.originator_len = 12;
	{
		size_t len = build(&s);

		CHECK(insp_chunk_parse(dgram, len - 1, &c, det, sizeof(det)) ==
			      INSP_R_MALFORMED_MESSAGE,
		      "originator cut short refused");
		CHECK_STR(det,
			  "object chunk: label and originator (25 + 12 bytes) past the end of the "
			  "68-byte datagram",
			  "cut short: detail");
		CHECK(insp_chunk_parse(dgram, 40, &c, det, sizeof(det)) == INSP_R_MALFORMED_MESSAGE,
		      "label cut short refused");
		CHECK_STR(det,
			  "object chunk: label and originator (25 + 12 bytes) past the end of the "
			  "40-byte datagram",
			  "label cut short: detail");
	}
	bad(&s, "object chunk: no data after the header", "no data");
	s.data_len = 1;
	ok_spec(&s, "1 byte of data");

	/* data against the total */
	s = good;
	s.offset = 1501;
	bad(&s, "object chunk: data at offset 1501, 1000 bytes, past the total length 2500",
	    "data one byte past the end");
	s.offset = 1500;
	ok_spec(&s, "data up to the last byte");
	s.offset = UINT32_MAX;
	s.data_len = 2;
	bad(&s, "object chunk: data at offset 4294967295, 2 bytes, past the total length 2500",
	    "offset + length wraps in 32 bits");
	s = good;
	s.count = 1;
	s.index = 0;
	s.offset = 0;
	s.total = 999;
	bad(&s, "object chunk: data at offset 0, 1000 bytes, past the total length 999",
	    "more data than the whole object");

	/* a detail is cut to its buffer, never overrun */
	s = good;
	s.type = 9;
	build(&s);
	memset(det, '#', sizeof(det));
	CHECK(insp_chunk_parse(dgram, build(&s), &c, det, 10) == INSP_R_MALFORMED_MESSAGE &&
		      strcmp(det, "object ch") == 0 && det[10] == '#',
	      "detail cut to a 10-byte buffer");
}

static void
test_writer(void)
{
	static uint8_t out[70000], data[5000];
	struct insp_chunk w = {
		.object_id = 42,
		.index = 4,
		.count = 5,
		.total_len = 5000,
		.offset = 4000,
		.data_len = 1000,
		.type = INSP_OBJ_PNG,
		.label_len = 17,
		.originator_len = 5,
		.label = (const uint8_t *)"NATO UNCLASSIFIED",
		.originator = (const uint8_t *)"alice",
	};
	struct insp_chunk back;
	size_t n;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i ^ 0x5a);
	w.data = data + 4000;
	n = insp_chunk_write(out, sizeof(out), &w);
	CHECK(n == 32 + 17 + 5 + 1000, "writer: header + label + originator + data (%zu)", n);
	CHECK(memcmp(out,
		     "GOBJ\x01\x04\x11\x05\0\0\0\0\0\0\0\x2a\0\0\0\x04\0\0\0\x05\0\0\x13\x88"
		     "\0\0\x0f\xa0",
		     32) == 0,
	      "writer: the header's bytes");
	CHECK(insp_chunk_parse(out, n, &back, det, sizeof(det)) == INSP_R_RELEASE,
	      "round trip: the parse accepts what the writer wrote (%s)", det);
	CHECK(back.object_id == 42 && back.index == 4 && back.count == 5 &&
		      back.total_len == 5000 && back.offset == 4000 && back.data_len == 1000 &&
		      back.type == INSP_OBJ_PNG && back.label_len == 17 &&
		      back.originator_len == 5 &&
		      memcmp(back.label, "NATO UNCLASSIFIED", 17) == 0 &&
		      memcmp(back.originator, "alice", 5) == 0 &&
		      memcmp(back.data, data + 4000, 1000) == 0,
	      "round trip: every field and byte");
	CHECK(insp_chunk_write(out, n, &w) == n, "writer: exactly enough room");
	CHECK(insp_chunk_write(out, n - 1, &w) == 0, "writer: one byte short: 0");
	CHECK(insp_chunk_write(NULL, 0, &w) == 0, "writer: no buffer: 0");

	/* a chunk of every type and a whole object chunk by chunk */
	for (uint32_t i = 0; i < 5; i++) {
		struct insp_chunk k = w;

		k.index = i;
		k.offset = i * 1000;
		k.data = data + k.offset;
		k.type = (uint8_t)(1 + i % 4);
		k.originator_len = 0;
		k.originator = NULL;
		n = insp_chunk_write(out, sizeof(out), &k);
		CHECK(n == 32 + 17 + 1000 &&
			      insp_chunk_parse(out, n, &back, det, sizeof(det)) == INSP_R_RELEASE &&
			      back.index == i && back.offset == i * 1000 && back.type == k.type &&
			      memcmp(back.data, data + i * 1000, 1000) == 0,
		      "round trip of chunk %u (type %u, no originator)", i, k.type);
	}

	/* the writer refuses what the parse refuses (each field; bad() covers more) */
	struct insp_chunk k;

	k = w;
	k.label = NULL;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: label length without a label");
	k = w;
	k.data = NULL;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: data length without data");
	k = w;
	k.originator = NULL;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0,
	      "writer: originator length without an originator");
	k = w;
	k.data_len = 0;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: no data");
	k = w;
	k.type = 0;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: type 0");
	k = w;
	k.object_id = 0;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: object id 0");
	k = w;
	k.index = 5;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: index == count");
	k = w;
	k.offset = 4001;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: data past the total");
	k = w;
	k.label = (const uint8_t *)"NATO\nUNCLASSIFIED";
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: a LF in the label");
	k = w;
	k.originator = (const uint8_t *)"al ce";
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: a space in the originator");
}

/* ---- version 2 ---- */

/* The NATO UNCLASSIFIED label of tests/data/labels/nmbs.label.xml, lines joined. */
static const char label_4774[] =
	"<s4774:originatorConfidentialityLabel "
	"xmlns:s4774=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\">"
	"<s4774:ConfidentialityInformation><s4774:PolicyIdentifier>NATO</s4774:PolicyIdentifier>"
	"<s4774:Classification>UNCLASSIFIED</s4774:Classification>"
	"<s4774:Category Type=\"PERMISSIVE\" TagName=\"Releasable To\">"
	"<s4774:GenericValue>NATO</s4774:GenericValue></s4774:Category>"
	"</s4774:ConfidentialityInformation>"
	"<s4774:CreationDateTime>2026-06-26T12:47:51Z</s4774:CreationDateTime>"
	"</s4774:originatorConfidentialityLabel>";

struct spec2 {
	uint8_t type_byte, reserved, originator_len;
	uint16_t label_len;
	uint64_t id;
	uint32_t index, count, total, offset;
	const uint8_t *label; /* label_len bytes */
	const char *originator;
	size_t data_len;
};

/* A version 2 datagram from its fields into dgram. */
static size_t
build2(const struct spec2 *s)
{
	size_t n = INSP_CHUNK_FIXED2;

	memcpy(dgram, "GOBJ", 4);
	dgram[4] = 2;
	dgram[5] = s->type_byte;
	dgram[6] = (uint8_t)(s->label_len >> 8);
	dgram[7] = (uint8_t)s->label_len;
	dgram[8] = s->originator_len;
	dgram[9] = s->reserved;
	put32(dgram + 10, (uint32_t)(s->id >> 32));
	put32(dgram + 14, (uint32_t)s->id);
	put32(dgram + 18, s->index);
	put32(dgram + 22, s->count);
	put32(dgram + 26, s->total);
	put32(dgram + 30, s->offset);
	memcpy(dgram + n, s->label, s->label_len);
	n += s->label_len;
	memcpy(dgram + n, s->originator, s->originator_len);
	n += s->originator_len;
	for (size_t i = 0; i < s->data_len; i++)
		dgram[n++] = (uint8_t)(i * 3);
	return n;
}

static struct spec2
good2(void)
{
	return (struct spec2){
		.type_byte = 0x80 | INSP_OBJ_TEXT,
		.originator_len = 5,
		.label_len = (uint16_t)strlen(label_4774),
		.id = 0x1122334455667788ull,
		.index = 0,
		.count = 2,
		.total = 1500,
		.offset = 0,
		.label = (const uint8_t *)label_4774,
		.originator = "alice",
		.data_len = 1000,
	};
}

static void
bad2(const struct spec2 *s, const char *want, const char *what)
{
	enum insp_reason r = insp_chunk_parse(dgram, build2(s), &c, det, sizeof(det));

	CHECK(r == INSP_R_MALFORMED_MESSAGE, "v2 %s: malformed_message (got %s)", what,
	      insp_reason_name(r));
	CHECK_STR(det, want, "v2 %s: detail", what);
}

static void
ok2(const struct spec2 *s, const char *what)
{
	enum insp_reason r = insp_chunk_parse(dgram, build2(s), &c, det, sizeof(det));

	CHECK(r == INSP_R_RELEASE && det[0] == '\0', "v2 %s: accepted (got %s: %s)", what,
	      insp_reason_name(r), det);
}

static void
test_v2_parse(void)
{
	static uint8_t big[INSP_CHUNK_LABEL_MAX + 2];
	struct spec2 s = good2();
	size_t len = build2(&s), ll = strlen(label_4774);

	CHECK(insp_chunk_parse(dgram, len, &c, det, sizeof(det)) == INSP_R_RELEASE,
	      "v2 4774 chunk parses (%s)", det);
	CHECK(c.version == 2 && c.label_4774 == 1 && c.type == INSP_OBJ_TEXT && c.label_len == ll &&
		      c.label == dgram + 34 && memcmp(c.label, label_4774, ll) == 0 &&
		      c.originator_len == 5 && c.originator == dgram + 34 + ll &&
		      c.data == c.originator + 5 && c.data_len == 1000 &&
		      c.object_id == 0x1122334455667788ull && c.index == 0 && c.count == 2 &&
		      c.total_len == 1500 && c.offset == 0,
	      "v2: every field from its place (label at 34, type without bit 7)");
	CHECK(insp_chunk_parse(dgram, 33, &c, det, sizeof(det)) == INSP_R_MALFORMED_MESSAGE,
	      "v2: 33 bytes refused");
	CHECK_STR(det, "object chunk: 33 bytes, shorter than the 34-byte version 2 header",
		  "v2 33 bytes: detail");
	CHECK(insp_chunk_parse(dgram, 34 + 100, &c, det, sizeof(det)) == INSP_R_MALFORMED_MESSAGE,
	      "v2: label cut short refused");

	/* a marking string in version 2 (bit 7 clear) */
	s.type_byte = INSP_OBJ_PDF;
	s.label = (const uint8_t *)"NATO UNCLASSIFIED//REL TO NATO";
	s.label_len = 30;
	ok2(&s, "marking in version 2");
	CHECK(c.label_4774 == 0 && c.type == INSP_OBJ_PDF && c.version == 2,
	      "v2 marking: flag clear");
	s.label = (const uint8_t *)label_4774;
	s.label_len = (uint16_t)ll;
	ok2(&s, "4774 XML without bit 7: a marking's bytes (the grammar decides later)");
	CHECK(c.label_4774 == 0, "v2 without bit 7: not a 4774 label");
	s.label = (const uint8_t *)"\xc3\xa9t\xc3\xa9";
	s.label_len = 4;
	bad2(&s, "object chunk: label byte 0 is 0xc3, not printable ASCII", "UTF-8 in a marking");

	/* every version 2 rule */
	s = good2();
	s.reserved = 1;
	bad2(&s, "object chunk: reserved byte 9 is 0x01, not 0", "reserved byte 1");
	s = good2();
	s.type_byte = 0x80;
	bad2(&s, "object chunk: declared type 0 not in 1..4", "type 0 with the 4774 bit");
	s.type_byte = 0x85;
	bad2(&s, "object chunk: declared type 5 not in 1..4", "type 5 with the 4774 bit");
	s.type_byte = 0xff;
	bad2(&s, "object chunk: declared type 127 not in 1..4", "type byte 0xff");
	for (uint8_t t = 1; t <= 4; t++) {
		s.type_byte = (uint8_t)(0x80 | t);
		ok2(&s, "types 1..4 with the 4774 bit");
		CHECK(c.type == t && c.label_4774 == 1, "v2 type %u, flag set", t);
	}
	s = good2();
	s.label_len = 0;
	bad2(&s, "object chunk: label length 0 (a label is required)", "label length 0");
	memset(big, 'a', sizeof(big));
	s.label = big;
	s.label_len = INSP_CHUNK_LABEL_MAX;
	ok2(&s, "label length 4096");
	CHECK(c.label_len == 4096 && c.originator == dgram + 34 + 4096, "v2: 4096-byte label");
	s.label_len = INSP_CHUNK_LABEL_MAX + 1;
	bad2(&s, "object chunk: label length 4097 above 4096", "label length 4097");
	{
		s = good2();
		len = build2(&s);
		dgram[6] = dgram[7] = 0x0f; /* 3855: within the bound, past the datagram */
		CHECK(insp_chunk_parse(dgram, len, &c, det, sizeof(det)) ==
			      INSP_R_MALFORMED_MESSAGE,
		      "v2 label length past the end refused");
		CHECK_STR(det,
			  "object chunk: label and originator (3855 + 5 bytes) past the end of "
			  "the 1552-byte datagram",
			  "v2 label past the end: detail");
	}
	s = good2();
	s.originator_len = 65;
	s.originator = "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo";
	bad2(&s, "object chunk: originator length 65 above 64", "originator length 65");
	s = good2();
	s.id = 0;
	bad2(&s, "object chunk: object id 0", "object id 0");
	s = good2();
	s.index = 2;
	bad2(&s, "object chunk: chunk index 2 not below the count 2", "index == count");
	s = good2();
	s.offset = 501;
	bad2(&s, "object chunk: data at offset 501, 1000 bytes, past the total length 1500",
	     "data past the total");
	s = good2();
	s.data_len = 0;
	bad2(&s, "object chunk: no data after the header", "no data");

	/* 4774 label bytes: UTF-8, no control character */
	{
		static uint8_t l[600];
		struct {
			const char *ins, *want, *what;
		} cases[] = {
			{"\r",
			 "object chunk: 4774 label byte 10 (0x0d): not UTF-8 or a control "
			 "character",
			 "CR in a 4774 label"},
			{"\n",
			 "object chunk: 4774 label byte 10 (0x0a): not UTF-8 or a control "
			 "character",
			 "LF in a 4774 label"},
			{"\t",
			 "object chunk: 4774 label byte 10 (0x09): not UTF-8 or a control "
			 "character",
			 "TAB in a 4774 label"},
			{"\x7f",
			 "object chunk: 4774 label byte 10 (0x7f): not UTF-8 or a control "
			 "character",
			 "DEL in a 4774 label"},
			{"\xc2\x85",
			 "object chunk: 4774 label byte 10 (0xc2): not UTF-8 or a "
			 "control character",
			 "U+0085 (C1) in a 4774 label"},
			{"\xff",
			 "object chunk: 4774 label byte 10 (0xff): not UTF-8 or a control "
			 "character",
			 "invalid UTF-8 in a 4774 label"},
			{"\xc3",
			 "object chunk: 4774 label byte 10 (0xc3): not UTF-8 or a control "
			 "character",
			 "truncated UTF-8 in a 4774 label"},
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			size_t k = strlen(cases[i].ins);

			s = good2();
			memcpy(l, label_4774, 10);
			memcpy(l + 10, cases[i].ins, k);
			memcpy(l + 10 + k, label_4774 + 10, ll - 10);
			s.label = l;
			s.label_len = (uint16_t)(ll + k);
			bad2(&s, cases[i].want, cases[i].what);
		}
		/* a NUL */
		s = good2();
		memcpy(l, label_4774, ll);
		l[20] = '\0';
		s.label = l;
		bad2(&s,
		     "object chunk: 4774 label byte 20 (0x00): not UTF-8 or a control character",
		     "NUL in a 4774 label");
		/* UTF-8 text is fine in a 4774 label */
		memcpy(l, "<x>\xc3\xa9t\xc3\xa9 \xe2\x82\xac</x>", 16);
		s.label_len = 16;
		ok2(&s, "UTF-8 (e acute, euro sign) in a 4774 label");
	}
}

static void
test_v2_writer(void)
{
	static uint8_t out[70000], data[3000], big[INSP_CHUNK_LABEL_MAX + 1];
	size_t ll = strlen(label_4774), n;
	struct insp_chunk w =
				  {
					  .object_id = 7,
					  .index = 1,
					  .count = 3,
					  .total_len = 3000,
					  .offset = 1000,
					  .data_len = 1000,
					  .type = INSP_OBJ_JPEG,
					  .label_4774 = 1,
					  .label_len = (uint16_t)ll,
					  .originator_len = 3,
					  .label = (const uint8_t *)label_4774,
					  .originator = (const uint8_t *)"bob",
				  },
			  back, k;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13);
	w.data = data + 1000;
	CHECK(insp_chunk_fixed_len(&w) == 34, "a 4774 label: version 2 (34-byte header)");
	n = insp_chunk_write(out, sizeof(out), &w);
	CHECK(n == 34 + ll + 3 + 1000, "v2 writer: header + label + originator + data (%zu)", n);
	CHECK(memcmp(out, "GOBJ\x02\x83", 6) == 0 && out[6] == (uint8_t)(ll >> 8) &&
		      out[7] == (uint8_t)ll && out[8] == 3 && out[9] == 0 &&
		      memcmp(out + 10,
			     "\0\0\0\0\0\0\0\x07\0\0\0\x01\0\0\0\x03\0\0\x0b\xb8\0\0\x03\xe8",
			     24) == 0,
	      "v2 writer: the header's bytes");
	CHECK(insp_chunk_parse(out, n, &back, det, sizeof(det)) == INSP_R_RELEASE,
	      "v2 round trip: the parse accepts it (%s)", det);
	CHECK(back.version == 2 && back.label_4774 == 1 && back.type == INSP_OBJ_JPEG &&
		      back.label_len == ll && memcmp(back.label, label_4774, ll) == 0 &&
		      back.originator_len == 3 && memcmp(back.originator, "bob", 3) == 0 &&
		      back.object_id == 7 && back.index == 1 && back.count == 3 &&
		      back.total_len == 3000 && back.offset == 1000 && back.data_len == 1000 &&
		      memcmp(back.data, data + 1000, 1000) == 0,
	      "v2 round trip: every field and byte");
	CHECK(insp_chunk_write(out, n - 1, &w) == 0, "v2 writer: one byte short: 0");

	/* the version the writer picks, and the one asked for */
	k = w;
	k.label_4774 = 0;
	k.label = (const uint8_t *)"NATO UNCLASSIFIED";
	k.label_len = 17;
	CHECK(insp_chunk_fixed_len(&k) == 32 &&
		      insp_chunk_write(out, sizeof(out), &k) == 32 + 17 + 3 + 1000 && out[4] == 1,
	      "a short marking: version 1");
	k.version = 2;
	n = insp_chunk_write(out, sizeof(out), &k);
	CHECK(n == 34 + 17 + 3 + 1000 && out[4] == 2 && out[5] == INSP_OBJ_JPEG &&
		      insp_chunk_parse(out, n, &back, det, sizeof(det)) == INSP_R_RELEASE &&
		      back.label_4774 == 0 && back.label_len == 17 && back.version == 2,
	      "a short marking, version 2 asked: version 2, bit 7 clear");
	memset(big, 'A', sizeof(big));
	k.version = 0;
	k.label = big;
	k.label_len = 256;
	n = insp_chunk_write(out, sizeof(out), &k);
	CHECK(n == 34 + 256 + 3 + 1000 && out[4] == 2 &&
		      insp_chunk_parse(out, n, &back, det, sizeof(det)) == INSP_R_RELEASE &&
		      back.label_len == 256,
	      "a 256-byte marking: version 2");
	k.version = 1;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "a 256-byte marking in version 1: 0");
	k.label_len = 255;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 32 + 255 + 3 + 1000,
	      "a 255-byte marking in version 1");
	k = w;
	k.version = 1;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "a 4774 label in version 1: 0");
	k.version = 3;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "version 3: 0");
	k = w;
	k.label_4774 = 2;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "flag 2: 0");
	k = w;
	k.label = big;
	k.label_len = INSP_CHUNK_LABEL_MAX;
	n = insp_chunk_write(out, sizeof(out), &k);
	CHECK(n == 34 + 4096 + 3 + 1000 &&
		      insp_chunk_parse(out, n, &back, det, sizeof(det)) == INSP_R_RELEASE &&
		      back.label_len == 4096,
	      "a 4096-byte label round trip");
	k.label_len = INSP_CHUNK_LABEL_MAX + 1;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "a 4097-byte label: 0");
	k = w;
	k.label = (const uint8_t *)"<a>\r\n</a>";
	k.label_len = 9;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: CR/LF in a 4774 label");
	k.label = (const uint8_t *)"<a>\xc3\xa9</a>";
	k.label_len = 9;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 34 + 9 + 3 + 1000,
	      "writer: UTF-8 in a 4774 label");
	k.label_4774 = 0;
	CHECK(insp_chunk_write(out, sizeof(out), &k) == 0, "writer: UTF-8 in a marking");
}

int
main(void)
{
	test_mime();
	test_good();
	test_rules();
	test_writer();
	test_v2_parse();
	test_v2_writer();
	return test_done();
}
