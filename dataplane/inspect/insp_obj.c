/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "insp_chunk.h"
#include "insp_obj.h"
#include "insp_utf8.h"
#include "insp_xmlwalk.h"

#define MALFORMED INSP_R_MALFORMED_MESSAGE
#define ID_DIGITS 16u

/* Bounds of the label-4774 XML (a label nests 4 deep and has a few dozen elements). */
#define LABEL_MAX_DEPTH 8u
#define LABEL_MAX_ELEMS 512u

/*
 * The header line at @p *pos that starts with @p key: its value in @p v and *pos past its
 * LF. -1 if the line does not start with the key or has no LF.
 */
static int
header_line(const uint8_t *buf, size_t len, size_t *pos, const char *key, struct insp_str *v)
{
	size_t k = strlen(key);
	const uint8_t *nl;

	if (len - *pos < k || memcmp(buf + *pos, key, k) != 0)
		return -1;
	nl = memchr(buf + *pos + k, '\n', len - *pos - k);
	if (nl == NULL)
		return -1;
	v->p = buf + *pos + k;
	v->len = (uint32_t)(nl - v->p);
	*pos = (size_t)(nl - buf) + 1;
	return 0;
}

static int
is_hex_lower(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* 1-based line of the text (after the header) that byte @p off of the envelope is in. */
static uint32_t
text_line(const uint8_t *buf, size_t start, size_t off)
{
	uint32_t n = 1;

	for (size_t i = start; i < off; i++)
		n += buf[i] == '\n';
	return n;
}

/*
 * The label-4774 value @p label (one line of XML, checked for control characters): one
 * STANAG 4774 label and nothing else, decoded into m->label / m->has_4774 by the walk every
 * XML format uses (carrier units, the policy's strict or lenient rules). Anything else,
 * broken XML included, is a bad label.
 */
static enum insp_reason
label_4774(const struct insp_policy *p, const uint8_t *buf, struct insp_str label,
	   struct insp_msg *m)
{
	struct insp_xmlwalk w = {
		.fmt = "object: label-4774",
		.container = "the label",
		.base_offset = (uint32_t)(label.p - buf),
		.root_depth = 0,
		.label_depth = 1,
		.max_depth = LABEL_MAX_DEPTH,
		.max_elems = LABEL_MAX_ELEMS,
		.misplaced = "4774 label not the root of label-4774",
	};
	enum insp_reason r;

	r = insp_xmlwalk_begin(&w, m, label.p, label.len, 0);
	if (r == INSP_R_RELEASE)
		r = insp_xmlwalk_children(p, &w, &m->ev, m);
	if (r == MALFORMED)
		return INSP_R_BAD_LABEL; /* the detail says what: "object: label-4774: ..." */
	if (r != INSP_R_RELEASE)
		return r;
	r = insp_xmlwalk_label_result(&w, m);
	if (r != INSP_R_RELEASE)
		return r;
	if (w.n_other > 0 || !m->has_4774)
		return insp_msg_fail(m, INSP_R_BAD_LABEL, w.base_offset,
				     "label: object label-4774 is not one STANAG 4774 label (%s)",
				     m->has_4774 ? "something besides the label"
						 : "no 4774 label root element");
	return INSP_R_RELEASE;
}

enum insp_reason
insp_obj_parse(const struct insp_policy *p, const uint8_t *buf, size_t len, struct insp_msg *m)
{
	static const char magic[] = INSP_OBJ_MAGIC_LINE;
	struct insp_str label, type, id;
	size_t pos = sizeof(magic) - 1, bad;
	uint32_t text_off;
	int zero = 1, is_4774 = 0;
	enum insp_reason r;

	if (len > UINT32_MAX / 2)
		return insp_msg_fail(m, MALFORMED, 0, "object: envelope too large");
	if (len < pos || memcmp(buf, magic, pos) != 0)
		return insp_msg_fail(m, MALFORMED, 0, "object: line 1 is not \"GOBX 1\"");
	if (header_line(buf, len, &pos, "label-4774: ", &label) == 0) {
		is_4774 = 1;
		if (label.len > INSP_CHUNK_LABEL_MAX)
			return insp_msg_fail(m, MALFORMED, (uint32_t)(label.p - buf),
					     "object: label-4774 of %u bytes (at most %u)",
					     label.len, INSP_CHUNK_LABEL_MAX);
		if (insp_chunk_label_check(label.p, label.len, 1, &bad) < 0)
			return insp_msg_fail(m, MALFORMED, (uint32_t)(label.p + bad - buf),
					     "object: label-4774 byte 0x%02x: not UTF-8 or a "
					     "control character",
					     label.p[bad]);
	} else if (header_line(buf, len, &pos, "label: ", &label) == 0) {
		for (uint32_t i = 0; i < label.len; i++)
			if (label.p[i] < 0x20 || label.p[i] > 0x7e)
				return insp_msg_fail(
					m, MALFORMED, (uint32_t)(label.p + i - buf),
					"object: label byte 0x%02x is not printable ASCII",
					label.p[i]);
		if (label.len > INSP_OBJ_LABEL_MAX)
			return insp_msg_fail(m, MALFORMED, (uint32_t)(label.p - buf),
					     "object: label of %u bytes (at most %u)", label.len,
					     INSP_OBJ_LABEL_MAX);
	} else
		return insp_msg_fail(m, MALFORMED, (uint32_t)pos,
				     "object: line 2 is not \"label: <marking>\" or "
				     "\"label-4774: <4774 label XML>\"");
	if (header_line(buf, len, &pos, "type: ", &type) < 0)
		return insp_msg_fail(m, MALFORMED, (uint32_t)pos,
				     "object: line 3 is not \"type: <mime>\"");
	if (insp_obj_type_from_mime((const char *)type.p, type.len) < 0)
		return insp_msg_fail(m, MALFORMED, (uint32_t)(type.p - buf),
				     "object: type '%.*s' is none of text/plain, application/pdf, "
				     "image/jpeg, image/png",
				     (int)(type.len > 40 ? 40 : type.len), (const char *)type.p);
	if (header_line(buf, len, &pos, "id: ", &id) < 0)
		return insp_msg_fail(m, MALFORMED, (uint32_t)pos,
				     "object: line 4 is not \"id: <16 hex digits>\"");
	for (uint32_t i = 0; i < id.len; i++) {
		if (!is_hex_lower(id.p[i]))
			id.len = 0; /* reported below */
		else if (id.p[i] != '0')
			zero = 0;
	}
	if (id.len != ID_DIGITS)
		return insp_msg_fail(m, MALFORMED, (uint32_t)(id.p - buf),
				     "object: id is not 16 lowercase hex digits");
	if (zero)
		return insp_msg_fail(m, MALFORMED, (uint32_t)(id.p - buf),
				     "object: id 0000000000000000 (an object id is non-zero)");
	if (pos == len || buf[pos] != '\n')
		return insp_msg_fail(m, MALFORMED, (uint32_t)pos,
				     "object: line 5 is not empty (the end of the header)");
	text_off = (uint32_t)++pos;
	if (insp_utf8_validate_xml(buf + pos, len - pos, &bad) < 0)
		return insp_msg_fail(m, MALFORMED, (uint32_t)(pos + bad),
				     "object: text line %u: invalid UTF-8 or a control character",
				     text_line(buf, pos, pos + bad));

	m->type = type;
	m->uid = id;
	if (is_4774) {
		r = label_4774(p, buf, label, m);
		if (r != INSP_R_RELEASE)
			return r;
	} else {
		m->marking = label;
		m->has_marking = label.len > 0;
		if (insp_msg_add_unit_kind(m, label, INSP_UNIT_CARRIER, (uint32_t)(label.p - buf)) <
		    0)
			return insp_msg_unit_fail(m, "object", (uint32_t)(label.p - buf));
	}
	if (insp_msg_add_unit(m, (struct insp_str){buf + pos, (uint32_t)(len - pos)}, text_off) < 0)
		return insp_msg_unit_fail(m, "object", text_off);
	return INSP_R_RELEASE;
}
