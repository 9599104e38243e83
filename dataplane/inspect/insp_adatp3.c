/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "insp_adatp3.h"
#include "insp_utf8.h"

#define MALFORMED    INSP_R_MALFORMED_MESSAGE
#define MAX_SETID    10
#define MSGID_FIELDS 10 /* at least: up to the classification */
#define F_TYPE	     1
#define F_ORIGINATOR 4
#define F_SERIAL     5
#define F_POLICY     9
#define F_CLASS	     10

struct a3_state {
	uint32_t lineno;
	unsigned n_msgid;
};

static inline int
is_setid_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* 1-based number of the line holding byte @p off. */
static uint32_t
line_of(const uint8_t *buf, size_t off)
{
	uint32_t n = 1;

	for (size_t i = 0; i < off; i++)
		n += buf[i] == '\n';
	return n;
}

/* Broadcast byte b to 8 lanes. */
#define LANES(b) (0x0101010101010101ull * (uint8_t)(b))

/* Does any byte of v equal zero? (the classic bit trick, no false negatives or positives) */
static inline uint64_t
has_zero(uint64_t v)
{
	return (v - LANES(1)) & ~v & LANES(0x80);
}

/* 8 bytes with no byte below 0x20, no DEL and no 0xC2 (the lead byte of a C1 control)? */
static inline int
block_plain(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return !((((v & ~LANES(0x80)) - LANES(0x20)) & ~v & LANES(0x80)) |
		 has_zero(v ^ LANES(0x7F)) | has_zero(v ^ LANES(0xC2)));
}

/*
 * The character set: valid UTF-8 (no overlong forms, surrogates or non-characters), and
 * no control character but the line ends LF and CR LF. TAB, a bare CR, DEL and the C1
 * controls are refused too: formatted text has no use for them, and each renders
 * differently in different consumers (a bare CR can overprint a line).
 */
static enum insp_reason
check_chars(const uint8_t *buf, size_t len, struct insp_msg *m)
{
	size_t bad;

	if (insp_utf8_validate_xml(buf, len, &bad) == 0) {
		for (bad = 0; bad < len; bad++) {
			uint8_t c;

			/* 8 bytes without a control byte, DEL or a C1 lead (0xC2) at once */
			while (bad + 8 <= len && block_plain(buf + bad))
				bad += 8;
			if (bad == len)
				break;
			c = buf[bad];
			if (c == '\t' || c == 0x7F ||
			    (c == '\r' && (bad + 1 == len || buf[bad + 1] != '\n')))
				break;
			if (c == 0xC2 && bad + 1 < len && buf[bad + 1] >= 0x80 &&
			    buf[bad + 1] <= 0x9F)
				return insp_msg_fail(m, MALFORMED, (uint32_t)bad,
						     "adatp3: line %u: control character U+%04X",
						     line_of(buf, bad), buf[bad + 1]);
		}
		if (bad == len)
			return INSP_R_RELEASE;
	}
	if (buf[bad] < 0x20 || buf[bad] == 0x7F)
		return insp_msg_fail(m, MALFORMED, (uint32_t)bad,
				     "adatp3: line %u: control character U+%04X", line_of(buf, bad),
				     buf[bad]);
	return insp_msg_fail(m, MALFORMED, (uint32_t)bad,
			     "adatp3: line %u: invalid UTF-8 or non-character", line_of(buf, bad));
}

/* Does the line begin like a set (SETID-shaped, then '/')? Then it is not an envelope. */
static int
starts_like_set(const uint8_t *p, uint32_t n)
{
	uint32_t i = 0;

	while (i < n && i <= MAX_SETID && is_setid_char(p[i]))
		i++;
	return i > 0 && i <= MAX_SETID && i < n && p[i] == '/';
}

/*
 * MSGID field 1, the key of category hints and priorities: upper-case words and digits
 * joined by single spaces or hyphens ("SITREP", "OPREP-3 PINNACLE"). Anything looser
 * ("intrep", " INTREP", "INT\u200bREP") would slip past a hint a policy wrote for the
 * type, and with it past the ISA check of its data category.
 */
static int
valid_type(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (is_setid_char(p[i]))
			continue;
		if ((p[i] != ' ' && p[i] != '-') || i == 0 || i + 1 == n ||
		    !is_setid_char(p[i + 1]))
			return 0;
	}
	return n > 0;
}

/* One set: SETID/field/.../field// at @p off, @p n bytes without the line end. */
static enum insp_reason
parse_set(const uint8_t *buf, uint32_t off, uint32_t n, struct a3_state *st, struct insp_msg *m)
{
	const uint8_t *p = buf + off;
	struct insp_str f[MSGID_FIELDS + 1] = {{0}};
	uint32_t i = 0, n_fields = 0, body;
	int is_msgid;

	if (!starts_like_set(p, n))
		return insp_msg_fail(m, MALFORMED, off,
				     "adatp3: line %u: SETID must be 1 to 10 of A-Z 0-9, then '/'",
				     st->lineno);
	while (p[i] != '/')
		i++;
	if (n < 2 || p[n - 2] != '/' || p[n - 1] != '/')
		return insp_msg_fail(m, MALFORMED, off + n,
				     "adatp3: line %u: set does not end in '//'", st->lineno);
	body = n - 2;
	if (i == body)
		return insp_msg_fail(m, MALFORMED, off, "adatp3: line %u: set without fields",
				     st->lineno);
	if (insp_msg_add_unit(m, (struct insp_str){p, i}, off) < 0)
		return insp_msg_unit_fail(m, "adatp3", off);
	is_msgid = i == 5 && memcmp(p, "MSGID", 5) == 0;
	if (is_msgid && ++st->n_msgid > 1)
		return insp_msg_fail(m, MALFORMED, off, "adatp3: line %u: more than one MSGID set",
				     st->lineno);
	/* p[i] is the '/' before a field; an empty field is a "//" before the end */
	while (i < body) {
		uint32_t start = i + 1;
		const uint8_t *slash = memchr(p + start, '/', body - start);
		uint32_t end = slash != NULL ? (uint32_t)(slash - p) : body;
		struct insp_str s;

		if (end == start)
			return insp_msg_fail(m, MALFORMED, off + i,
					     "adatp3: line %u: '//' before the end of the set (an "
					     "empty field is '-')",
					     st->lineno);
		s = (struct insp_str){p + start, end - start};
		if (insp_msg_add_unit(m, s, off + start) < 0)
			return insp_msg_unit_fail(m, "adatp3", off + start);
		if (++n_fields <= MSGID_FIELDS)
			f[n_fields] = s;
		i = end;
	}
	if (!is_msgid)
		return INSP_R_RELEASE;
	if (n_fields < MSGID_FIELDS)
		return insp_msg_fail(m, MALFORMED, off,
				     "adatp3: line %u: MSGID has %u fields, needs at least %u",
				     st->lineno, n_fields, MSGID_FIELDS);
	if (!valid_type(f[F_TYPE].p, f[F_TYPE].len))
		return insp_msg_fail(m, MALFORMED, (uint32_t)(f[F_TYPE].p - buf),
				     "adatp3: line %u: MSGID message type must be A-Z 0-9 words "
				     "joined by single ' ' or '-'",
				     st->lineno);
	m->type = f[F_TYPE];
	/* "ORIGINATOR/SERIAL" as written: the two fields and the '/' between them */
	m->uid.p = f[F_ORIGINATOR].p;
	m->uid.len = (uint32_t)(f[F_SERIAL].p + f[F_SERIAL].len - f[F_ORIGINATOR].p);
	m->field_policy = f[F_POLICY];
	m->field_class = f[F_CLASS];
	m->has_field_label = 1;
	return INSP_R_RELEASE;
}

enum insp_reason
insp_adatp3_parse(const struct insp_policy *p, const uint8_t *buf, size_t len, struct insp_msg *m)
{
	struct a3_state st = {0};
	enum insp_reason r;
	size_t pos = 0;

	(void)p;
	if (len == 0)
		return insp_msg_fail(m, MALFORMED, 0, "adatp3: empty message");
	if (len > UINT32_MAX / 2)
		return insp_msg_fail(m, MALFORMED, 0, "adatp3: message too large");
	r = check_chars(buf, len, m);
	if (r != INSP_R_RELEASE)
		return r;
	while (pos < len) {
		const uint8_t *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - buf) : len;
		/* check_chars() let a CR through only right before a LF */
		size_t stop = end > pos && buf[end - 1] == '\r' ? end - 1 : end;
		uint32_t off = (uint32_t)pos, n = (uint32_t)(stop - pos);

		st.lineno++;
		if (n == 0)
			return insp_msg_fail(m, MALFORMED, off, "adatp3: line %u: empty line",
					     st.lineno);
		if (st.lineno == 1 && !starts_like_set(buf + pos, n)) {
			/* the envelope: the marking string, judged by the decision */
			m->marking = (struct insp_str){buf + pos, n};
			m->has_marking = 1;
			if (insp_msg_add_unit_kind(m, m->marking, INSP_UNIT_CARRIER, off) < 0)
				return insp_msg_unit_fail(m, "adatp3", off);
		} else {
			r = parse_set(buf, off, n, &st, m);
			if (r != INSP_R_RELEASE)
				return r;
		}
		pos = end + 1;
	}
	if (st.n_msgid == 0)
		return insp_msg_fail(m, MALFORMED, 0, "adatp3: no MSGID set");
	return INSP_R_RELEASE;
}
