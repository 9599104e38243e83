/* SPDX-License-Identifier: BSD-3-Clause */
#include <math.h>
#include <string.h>

#include "insp_cot.h"
#include "insp_cotgrammar.h"
#include "insp_time.h"
#include "insp_xmlwalk.h"

#define MALFORMED INSP_R_MALFORMED_MESSAGE

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

/* A name with its length, so that a lookup compares lengths before any byte. */
struct attr_name {
	const char *s;
	uint32_t len;
};
#define ATTR_NAME(lit)               \
	{                            \
		lit, sizeof(lit) - 1 \
	}

static int
is_attr(const struct insp_xml_attr *a, const struct attr_name *n)
{
	return a->prefix.len == 0 && a->local.len == n->len &&
	       memcmp(a->local.p, n->s, n->len) == 0;
}

static const struct attr_name event_attrs[A_COUNT] = {
	ATTR_NAME("version"), ATTR_NAME("uid"),	  ATTR_NAME("type"), ATTR_NAME("time"),
	ATTR_NAME("start"),   ATTR_NAME("stale"), ATTR_NAME("how"),  ATTR_NAME("access"),
	ATTR_NAME("qos"),     ATTR_NAME("opex"),
};

static enum insp_reason
parse_event_attrs(const struct insp_xml_event *ev, struct insp_msg *m)
{
	const struct insp_xml_attr *seen[A_COUNT] = {0};

	if (insp_xmlwalk_tag_units(m, ev, INSP_UNIT_NAME, INSP_UNIT_NAME, 0) < 0)
		return insp_msg_unit_fail(m, "cot", ev->offset);

	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];
		int k;

		if (a->is_ns_decl) {
			if (insp_msg_add_unit(m, a->value, a->offset) < 0)
				return insp_msg_unit_fail(m, "cot", a->offset);
			continue;
		}
		for (k = 0; k < A_COUNT; k++)
			if (is_attr(a, &event_attrs[k]))
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
					     "cot: attribute '%s' missing", event_attrs[k].s);
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
			ok = insp_cot_valid_type(a->value);
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
			ok = insp_cot_valid_how(a->value);
			break;
		case A_ACCESS:
			/* the label carrier; empty counts as absent */
			m->marking = a->value;
			m->has_marking = a->value.len > 0;
			break; /* a label carrier, and scanned like everything that crosses */
		case A_QOS:
			ok = insp_cot_valid_qos(a->value);
			m->qos_priority = ok ? (int8_t)(a->value.p[0] - '0') : -1;
			break;
		default:
			break;
		}
		if (!ok)
			return insp_msg_fail(m, MALFORMED, a->offset,
					     "cot: attribute '%s' has an invalid value",
					     event_attrs[k].s);
		if (insp_msg_add_unit_kind(m, a->value,
					   k == A_ACCESS ? INSP_UNIT_CARRIER : INSP_UNIT_CONTENT,
					   a->offset) < 0)
			return insp_msg_unit_fail(m, "cot", a->offset);
	}
	return INSP_R_RELEASE;
}

static enum insp_reason
parse_point(const struct insp_xml_event *ev, struct insp_msg *m)
{
	static const struct attr_name names[] = {ATTR_NAME("lat"), ATTR_NAME("lon"),
						 ATTR_NAME("hae"), ATTR_NAME("ce"),
						 ATTR_NAME("le")};
	static const double lo[] = {-90, -180, -INFINITY, 0, 0};
	static const double hi[] = {90, 180, INFINITY, INFINITY, INFINITY};
	unsigned seen = 0;

	if (insp_xmlwalk_tag_units(m, ev, INSP_UNIT_NAME, INSP_UNIT_NAME, 0) < 0)
		return insp_msg_unit_fail(m, "cot", ev->offset);
	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];
		unsigned k;
		double v;

		if (a->is_ns_decl)
			return insp_msg_fail(m, MALFORMED, a->offset,
					     "cot: namespace declaration on <point>");
		for (k = 0; k < 5; k++)
			if (is_attr(a, &names[k]))
				break;
		if (k == 5)
			return insp_msg_fail(m, MALFORMED, a->offset,
					     "cot: unknown attribute '%.*s' on <point>",
					     (int)a->local.len, (const char *)a->local.p);
		if (parse_number(a->value, &v) < 0 || v < lo[k] || v > hi[k])
			return insp_msg_fail(m, MALFORMED, a->offset,
					     "cot: point attribute '%s' invalid or out of range",
					     names[k].s);
		seen |= 1u << k;
		if (insp_msg_add_unit(m, a->value, a->offset) < 0)
			return insp_msg_unit_fail(m, "cot", a->offset);
	}
	for (unsigned k = 0; k < 5; k++)
		if (!(seen & (1u << k)))
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "cot: point attribute '%s' missing", names[k].s);
	return INSP_R_RELEASE;
}

enum insp_reason
insp_cot_parse(const struct insp_policy *p, const uint8_t *buf, size_t len, struct insp_msg *m)
{
	struct insp_xml *x = m->xml;
	struct insp_xml_event *ev = &m->ev;
	unsigned n_point = 0, n_detail = 0;
	struct insp_xmlwalk w = {
		.fmt = "cot",
		.container = "<detail>",
		.root_depth = 2,
		.label_depth = 3,
		.max_depth = p->cot_max_depth,
		.max_elems = p->cot_max_elems,
		.misplaced = "4774 label not a direct child of <detail>",
	};
	enum insp_reason r;

	r = insp_xmlwalk_begin(&w, m, buf, len, 0);
	if (r != INSP_R_RELEASE)
		return r;
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
			r = insp_xmlwalk_tag_units(m, ev, INSP_UNIT_NAME, INSP_UNIT_CONTENT, 0) < 0
				    ? insp_msg_unit_fail(m, "cot", ev->offset)
				    : insp_xmlwalk_children(p, &w, ev, m);
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
	return insp_xmlwalk_label_result(&w, m);
}
