/* SPDX-License-Identifier: BSD-3-Clause */
#include <math.h>
#include <string.h>

#include "insp_cot.h"
#include "insp_time.h"
#include "insp_utf8.h"

#define MALFORMED INSP_R_MALFORMED_MESSAGE

static inline int
is_word(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* type: \w+(-\w+)*(;[^;]*)? */
static int
valid_type(struct insp_str s)
{
	uint32_t i = 0;

	for (;;) {
		uint32_t start = i;

		while (i < s.len && is_word(s.p[i]))
			i++;
		if (i == start)
			return 0;
		if (i == s.len)
			return 1;
		if (s.p[i] == ';')
			return memchr(s.p + i + 1, ';', s.len - i - 1) == NULL;
		if (s.p[i] != '-')
			return 0;
		i++;
	}
}

/* how: \w(-\w)* */
static int
valid_how(struct insp_str s)
{
	if (s.len == 0 || s.len % 2 == 0)
		return 0;
	for (uint32_t i = 0; i < s.len; i++)
		if (i % 2 == 0 ? !is_word(s.p[i]) : s.p[i] != '-')
			return 0;
	return 1;
}

/* qos: \d-\w-\w */
static int
valid_qos(struct insp_str s)
{
	return s.len == 5 && s.p[0] >= '0' && s.p[0] <= '9' && s.p[1] == '-' && is_word(s.p[2]) &&
	       s.p[3] == '-' && is_word(s.p[4]);
}

/* version: xs:decimal without sign, e.g. "2.0" */
static int
valid_version(struct insp_str s)
{
	uint32_t i = 0, d = 0;

	while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
		i++, d++;
	if (d == 0)
		return 0;
	if (i == s.len)
		return 1;
	if (s.p[i++] != '.' || i == s.len)
		return 0;
	while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
		i++;
	return i == s.len;
}

/*
 * [+-]?digits[.digits][(e|E)[+-]?digits] -> a finite double. The value is only range
 * checked (the text crosses unchanged), so a simple decimal conversion is enough; strtod
 * would also take hex, "inf", "nan" and leading space, none of which CoT producers write,
 * and costs more than the rest of <point> together.
 */
static int
parse_number(struct insp_str s, double *out)
{
	const uint8_t *p = s.p, *end = s.p + s.len;
	double v = 0, scale = 1;
	int neg = 0, d = 0, exp = 0, eneg = 0, e = 0;

	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	for (; p < end && *p >= '0' && *p <= '9'; p++, d++)
		v = v * 10 + (*p - '0');
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, d++)
			v += (*p - '0') * (scale /= 10);
	if (d == 0)
		return -1;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (; p < end && *p >= '0' && *p <= '9'; p++, e++)
			if (exp < 1000)
				exp = exp * 10 + (*p - '0');
		if (e == 0)
			return -1;
		for (int i = 0; i < exp && isfinite(v) && v != 0; i++)
			v = eneg ? v / 10 : v * 10;
	}
	if (p != end)
		return -1;
	*out = neg ? -v : v;
	return isfinite(*out) ? 0 : -1;
}

/*
 * Everything that crosses is scanned, not only what a consumer reads as content
 * (docs/decisions.md): comment text, element and attribute names, and the label carriers
 * are scan units too.
 */
static int
comment_unit(void *ctx, struct insp_str text)
{
	return insp_msg_add_unit_kind(ctx, text, INSP_UNIT_COMMENT);
}

static struct insp_str
qname(struct insp_str prefix, struct insp_str local)
{
	struct insp_str q = local;

	if (prefix.len != 0) {
		q.p = prefix.p;
		q.len = prefix.len + 1 + local.len;
	}
	return q;
}

/*
 * The element's name and every attribute's name as units; the values too if
 * @p value_kind is not INSP_UNIT_NAME (then they are units of that kind).
 */
static int
add_tag_units(struct insp_msg *m, const struct insp_xml_event *ev, uint32_t name_kind,
	      uint32_t value_kind)
{
	if (insp_msg_add_unit_kind(m, qname(ev->prefix, ev->local), name_kind) < 0)
		return -1;
	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];

		if (insp_msg_add_unit_kind(m, qname(a->prefix, a->local), name_kind) < 0 ||
		    (value_kind != INSP_UNIT_NAME &&
		     insp_msg_add_unit_kind(m, a->value, value_kind) < 0))
			return -1;
	}
	return 0;
}

enum {
	A_VERSION,
	A_UID,
	A_TYPE,
	A_TIME,
	A_START,
	A_STALE,
	A_HOW,
	A_ACCESS,
	A_QOS,
	A_OPEX,
	A_COUNT,
	A_REQUIRED = A_ACCESS, /* attributes before this one are required */
};

static const char *const event_attr_names[A_COUNT] = {
	"version", "uid", "type", "time", "start", "stale", "how", "access", "qos", "opex",
};

static enum insp_reason
parse_event_attrs(const struct insp_xml_event *ev, struct insp_msg *m)
{
	const struct insp_xml_attr *seen[A_COUNT] = {0};

	if (add_tag_units(m, ev, INSP_UNIT_NAME, INSP_UNIT_NAME) < 0)
		return insp_msg_fail(m, MALFORMED, ev->offset, "cot: too much text");

	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];
		int k;

		if (a->is_ns_decl) {
			if (insp_msg_add_unit(m, a->value) < 0)
				return insp_msg_fail(m, MALFORMED, a->offset, "cot: too much text");
			continue;
		}
		for (k = 0; k < A_COUNT; k++)
			if (a->prefix.len == 0 && insp_str_eq(a->local, event_attr_names[k]))
				break;
		if (k == A_COUNT)
			return insp_msg_fail(m, MALFORMED, a->offset,
					     "cot: unknown attribute '%.*s' on <event>",
					     (int)a->local.len, (const char *)a->local.p);
		seen[k] = a;
	}
	for (int k = 0; k < A_REQUIRED; k++)
		if (seen[k] == NULL)
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "cot: attribute '%s' missing", event_attr_names[k]);
	for (int k = 0; k < A_COUNT; k++) {
		const struct insp_xml_attr *a = seen[k];
		int64_t t;
		int ok = 1;

		if (a == NULL)
			continue;
		switch (k) {
		case A_VERSION:
			ok = valid_version(a->value);
			break;
		case A_UID:
			ok = a->value.len > 0;
			m->uid = a->value;
			break;
		case A_TYPE:
			ok = valid_type(a->value);
			m->type = a->value;
			break;
		case A_TIME:
		case A_START:
		case A_STALE:
			ok = insp_time_parse(a->value.p, a->value.len, &t) == 0;
			if (ok && k == A_STALE) {
				m->stale_ms = t;
				m->has_stale = 1;
			}
			break;
		case A_HOW:
			ok = valid_how(a->value);
			break;
		case A_ACCESS:
			/* the label carrier; empty counts as absent */
			m->marking = a->value;
			m->has_marking = a->value.len > 0;
			break; /* a label carrier, and scanned like everything that crosses */
		case A_QOS:
			ok = valid_qos(a->value);
			m->qos_priority = ok ? (int8_t)(a->value.p[0] - '0') : -1;
			break;
		default:
			break;
		}
		if (!ok)
			return insp_msg_fail(m, MALFORMED, a->offset,
					     "cot: attribute '%s' has an invalid value",
					     event_attr_names[k]);
		if (insp_msg_add_unit_kind(
			    m, a->value, k == A_ACCESS ? INSP_UNIT_CARRIER : INSP_UNIT_CONTENT) < 0)
			return insp_msg_fail(m, MALFORMED, a->offset, "cot: too much text");
	}
	return INSP_R_RELEASE;
}

static enum insp_reason
parse_point(const struct insp_xml_event *ev, struct insp_msg *m)
{
	static const char *const names[] = {"lat", "lon", "hae", "ce", "le"};
	static const double lo[] = {-90, -180, -INFINITY, 0, 0};
	static const double hi[] = {90, 180, INFINITY, INFINITY, INFINITY};
	unsigned seen = 0;

	if (add_tag_units(m, ev, INSP_UNIT_NAME, INSP_UNIT_NAME) < 0)
		return insp_msg_fail(m, MALFORMED, ev->offset, "cot: too much text");
	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];
		unsigned k;
		double v;

		if (a->is_ns_decl)
			return insp_msg_fail(m, MALFORMED, a->offset,
					     "cot: namespace declaration on <point>");
		for (k = 0; k < 5; k++)
			if (a->prefix.len == 0 && insp_str_eq(a->local, names[k]))
				break;
		if (k == 5)
			return insp_msg_fail(m, MALFORMED, a->offset,
					     "cot: unknown attribute '%.*s' on <point>",
					     (int)a->local.len, (const char *)a->local.p);
		if (parse_number(a->value, &v) < 0 || v < lo[k] || v > hi[k])
			return insp_msg_fail(m, MALFORMED, a->offset,
					     "cot: point attribute '%s' invalid or out of range",
					     names[k]);
		seen |= 1u << k;
		if (insp_msg_add_unit(m, a->value) < 0)
			return insp_msg_fail(m, MALFORMED, a->offset, "cot: too much text");
	}
	for (unsigned k = 0; k < 5; k++)
		if (!(seen & (1u << k)))
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "cot: point attribute '%s' missing", names[k]);
	return INSP_R_RELEASE;
}

static enum insp_reason
check_detail_bounds(const struct insp_policy *p, const struct insp_xml_event *ev,
		    uint32_t detail_depth, uint32_t elems, struct insp_msg *m)
{
	if (elems > p->cot_max_elems)
		return insp_msg_fail(m, MALFORMED, ev->offset,
				     "cot: <detail> has more than %u elements", p->cot_max_elems);
	if (ev->depth - detail_depth > p->cot_max_depth)
		return insp_msg_fail(m, MALFORMED, ev->offset,
				     "cot: <detail> nested deeper than %u", p->cot_max_depth);
	return INSP_R_RELEASE;
}

/* Walk <detail>: every attribute value and text node is a scan unit, except the label. */
static enum insp_reason
parse_detail(const struct insp_policy *p, struct insp_xml_event *ev, struct insp_msg *m,
	     uint32_t *label_err_off, const char **label_err)
{
	struct insp_xml *x = m->xml;
	uint32_t elems = 0, detail_depth = ev->depth;
	struct insp_label_4774 lb;
	enum insp_reason r;

	if (add_tag_units(m, ev, INSP_UNIT_NAME, INSP_UNIT_CONTENT) < 0)
		return insp_msg_fail(m, MALFORMED, ev->offset, "cot: too much text");
	for (;;) {
		switch (insp_xml_next(x, ev)) {
		case INSP_XML_ERROR:
			return insp_msg_fail(m, MALFORMED, x->err_offset, "cot: %s", x->err);
		case INSP_XML_END:
			if (ev->depth == detail_depth)
				return INSP_R_RELEASE;
			continue;
		case INSP_XML_TEXT:
			if (insp_msg_add_unit(m, ev->text) < 0)
				return insp_msg_fail(m, MALFORMED, ev->offset,
						     "cot: too much text");
			continue;
		case INSP_XML_START:
			break;
		default:
			return insp_msg_fail(m, MALFORMED, x->err_offset, "cot: unexpected end");
		}
		r = check_detail_bounds(p, ev, detail_depth, ++elems, m);
		if (r != INSP_R_RELEASE)
			return r;
		if (insp_label_4774_is_root(ev)) {
			const char *why = NULL;

			if (ev->depth != detail_depth + 1)
				why = "4774 label not a direct child of <detail>";
			else if (m->has_4774)
				why = "more than one 4774 label";
			if (add_tag_units(m, ev, INSP_UNIT_CARRIER, INSP_UNIT_CARRIER) < 0)
				return insp_msg_fail(m, MALFORMED, ev->offset,
						     "cot: too much text");
			insp_label_4774_begin(&lb, &m->label, p->strict_labels, ev);
			for (;;) {
				enum insp_xml_ev t = insp_xml_next(x, ev);

				if (t == INSP_XML_ERROR || t == INSP_XML_EOF)
					return insp_msg_fail(m, MALFORMED, x->err_offset, "cot: %s",
							     x->err);
				/* the label is part of <detail>: its elements count and cross too
				 */
				if (t == INSP_XML_START) {
					r = check_detail_bounds(p, ev, detail_depth, ++elems, m);
					if (r != INSP_R_RELEASE)
						return r;
				}
				if ((t == INSP_XML_START && add_tag_units(m, ev, INSP_UNIT_CARRIER,
									  INSP_UNIT_CARRIER) < 0) ||
				    (t == INSP_XML_TEXT &&
				     insp_msg_add_unit_kind(m, ev->text, INSP_UNIT_CARRIER) < 0))
					return insp_msg_fail(m, MALFORMED, ev->offset,
							     "cot: too much text");
				if (insp_label_4774_feed(&lb, ev))
					break;
			}
			if (why == NULL && insp_label_4774_end(&lb) < 0)
				why = lb.why;
			if (why != NULL && *label_err == NULL) {
				*label_err = why;
				*label_err_off = lb.offset;
			}
			m->has_4774 = 1;
			continue;
		}
		if (add_tag_units(m, ev, INSP_UNIT_NAME, INSP_UNIT_CONTENT) < 0)
			return insp_msg_fail(m, MALFORMED, ev->offset, "cot: too much text");
	}
}

enum insp_reason
insp_cot_parse(const struct insp_policy *p, const uint8_t *buf, size_t len, struct insp_msg *m)
{
	struct insp_xml *x = m->xml;
	struct insp_xml_event *ev = &m->ev;
	size_t bad;
	unsigned n_point = 0, n_detail = 0;
	const char *label_err = NULL;
	uint32_t label_err_off = 0;
	enum insp_reason r;

	if (insp_utf8_validate_xml(buf, len, &bad) < 0)
		return insp_msg_fail(m, MALFORMED, (uint32_t)bad,
				     "cot: invalid UTF-8 or non-XML character at offset %zu", bad);
	if (insp_xml_init(x, buf, len, m->arena, m->arena_cap) < 0)
		return insp_msg_fail(m, MALFORMED, x->err_offset, "cot: %s", x->err);
	x->on_comment = comment_unit;
	x->comment_ctx = m;
	if (insp_xml_next(x, ev) != INSP_XML_START)
		return insp_msg_fail(m, MALFORMED, x->err_offset, "cot: %s", x->err);
	if (!insp_str_eq(ev->local, "event") || ev->prefix.len != 0 || ev->ns.len != 0)
		return insp_msg_fail(m, MALFORMED, ev->offset,
				     "cot: root element must be <event> in no namespace");
	r = parse_event_attrs(ev, m);
	if (r != INSP_R_RELEASE)
		return r;
	for (;;) {
		switch (insp_xml_next(x, ev)) {
		case INSP_XML_ERROR:
			return insp_msg_fail(m, MALFORMED, x->err_offset, "cot: %s", x->err);
		case INSP_XML_TEXT:
			return insp_msg_fail(m, MALFORMED, ev->offset, "cot: text in <%s>",
					     ev->depth == 1 ? "event" : "point");
		case INSP_XML_EOF:
			goto done;
		case INSP_XML_END:
			continue; /* </event> or </point>; the parser checked the nesting */
		case INSP_XML_START:
			break;
		}
		if (ev->depth != 2 || ev->prefix.len != 0 || ev->ns.len != 0)
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "cot: unexpected element <%.*s>", (int)ev->local.len,
					     (const char *)ev->local.p);
		if (insp_str_eq(ev->local, "point")) {
			if (++n_point > 1)
				return insp_msg_fail(m, MALFORMED, ev->offset,
						     "cot: more than one <point>");
			r = parse_point(ev, m);
		} else if (insp_str_eq(ev->local, "detail")) {
			if (++n_detail > 1)
				return insp_msg_fail(m, MALFORMED, ev->offset,
						     "cot: more than one <detail>");
			r = parse_detail(p, ev, m, &label_err_off, &label_err);
		} else {
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "cot: unexpected element <%.*s> in <event>",
					     (int)ev->local.len, (const char *)ev->local.p);
		}
		if (r != INSP_R_RELEASE)
			return r;
	}
done:
	if (n_point != 1)
		return insp_msg_fail(m, MALFORMED, 0, "cot: <event> needs exactly one <point>");
	if (label_err != NULL)
		return insp_msg_fail(m, INSP_R_BAD_LABEL, label_err_off, "label: %s", label_err);
	return INSP_R_RELEASE;
}
