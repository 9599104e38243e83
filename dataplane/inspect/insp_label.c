/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "insp_label.h"
#include "insp_time.h"

static inline int
is_upper_alnum(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void
label_clear(struct insp_label *l)
{
	l->policy.len = 0;
	l->classification.len = 0;
	l->n_rel = 0;
	l->n_restrictive = 0;
	l->n_informative = 0;
	l->normalised = 0;
	l->tagbuf_len = 0;
}

char *
insp_label_norm_text(uint16_t mask, char *buf, size_t cap)
{
	static const char *const text[] = {
#define INSP_LABEL_NORM_TEXT(id, t) t,
		INSP_LABEL_NORMS(INSP_LABEL_NORM_TEXT)
#undef INSP_LABEL_NORM_TEXT
	};
	size_t n = 0;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		int w;

		if (!(mask & (1u << i)))
			continue;
		w = snprintf(buf + n, cap - n, "%s%s", n ? "; " : "", text[i]);
		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
	}
	return buf;
}

/* GUARD-SPEC 4.5: policy SP classification [ "//REL TO" SP code *( "," SP code ) ] */
int
insp_label_parse_marking(const uint8_t *s, uint32_t len, struct insp_label *out, const char **why)
{
	uint32_t i = 0, start;

	label_clear(out);
	for (; i < len && is_upper_alnum(s[i]); i++)
		;
	if (i == 0 || i == len || s[i] != ' ')
		return *why = "expected 'POLICY CLASSIFICATION'", -1;
	out->policy.p = s;
	out->policy.len = i;
	start = ++i;
	for (; i < len && s[i] != '/'; i++) {
		if (s[i] == ' ' && (i == start || s[i - 1] == ' '))
			return *why = "double or leading space", -1;
		if (s[i] < 0x20 || s[i] == 0x7f)
			return *why = "control character", -1;
	}
	if (i == start)
		return *why = "missing classification", -1;
	if (s[i - 1] == ' ')
		return *why = "trailing space after classification", -1;
	out->classification.p = s + start;
	out->classification.len = i - start;
	if (i == len)
		return 0;
	if (len - i < 9 || memcmp(s + i, "//REL TO ", 9) != 0)
		return *why = "expected '//REL TO ' after the classification", -1;
	i += 9;
	for (;;) {
		start = i;
		for (; i < len && is_upper_alnum(s[i]); i++)
			;
		if (i == start)
			return *why = "expected an upper-case code in REL TO", -1;
		if (out->n_rel == INSP_LABEL_MAX_VALUES)
			return *why = "too many REL TO codes", -1;
		out->rel[out->n_rel].p = s + start;
		out->rel[out->n_rel].len = i - start;
		out->n_rel++;
		if (i == len)
			return 0;
		if (len - i < 3 || s[i] != ',' || s[i + 1] != ' ')
			return *why = "REL TO codes must be separated by ', '", -1;
		i += 2;
	}
}

/* The global elements of the 4774 schema that are labels. */
enum label_root { ROOT_NONE = 0, ROOT_ORIGINATOR, ROOT_LEGACY, ROOT_OTHER };

static enum label_root
root_kind(struct insp_str local)
{
	static const struct {
		const char *name;
		enum label_root kind;
	} roots[] = {
		{"originatorConfidentialityLabel", ROOT_ORIGINATOR},
		{"ConfidentialityLabel", ROOT_LEGACY},
		{"alternativeConfidentialityLabel", ROOT_OTHER},
		{"metadataConfidentialityLabel", ROOT_OTHER},
	};

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		size_t n = strlen(roots[i].name);

		if (local.len == n && strncasecmp((const char *)local.p, roots[i].name, n) == 0)
			return roots[i].kind;
	}
	return ROOT_NONE;
}

int
insp_label_4774_is_root(const struct insp_xml_event *ev)
{
	return root_kind(ev->local) != ROOT_NONE;
}

enum {
	ST_ROOT = 0, /* children of the label root */
	ST_CI,	     /* children of ConfidentialityInformation */
	ST_CAT,	     /* children of Category */
	ST_POLICY,   /* leaves (text only) */
	ST_CLASS,
	ST_PRIVACY,
	ST_CREATED,
	ST_ORIGINATOR,
	ST_VALUE,
};

enum { CAT_PERMISSIVE = 1, CAT_RESTRICTIVE, CAT_INFORMATIVE };

static int
set_error(struct insp_label_4774 *b, uint32_t offset, const char *why)
{
	if (!b->failed) {
		b->failed = 1;
		b->why = why;
		b->offset = offset;
	}
	return 0;
}

/* Lenient mode accepts an off-standard form: record it. Strict: the error @p why. */
static void
off_standard(struct insp_label_4774 *b, uint32_t offset, uint16_t norm, const char *why)
{
	if (b->strict)
		set_error(b, offset, why);
	else
		b->out->normalised |= norm;
}

static int
ns_ok(const struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	if (insp_str_eq(ev->ns, INSP_4774_NS))
		return 1;
	return !b->strict && ev->ns.len == 0;
}

static inline int
is_ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Leading and trailing whitespace off (xs:token, xs:dateTime, xs:anyURI collapse it). */
static struct insp_str
trim(struct insp_str s)
{
	while (s.len && is_ws(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && is_ws(s.p[s.len - 1]))
		s.len--;
	return s;
}

static int
str_caseeq(struct insp_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && strncasecmp((const char *)s.p, lit, n) == 0;
}

/*
 * xs:anyURI as RFC 3986 writes it: unreserved, reserved and %HH only (no space, no
 * control, no non-ASCII: an IRI must be %-encoded here), not empty.
 */
static inline int
is_hex(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
uri_ok(struct insp_str u)
{
	static const char allowed[] = "-._~:/?#[]@!$&'()*+,;=";

	if (u.len == 0)
		return 0;
	for (uint32_t i = 0; i < u.len; i++) {
		uint8_t c = u.p[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    (c != '\0' && strchr(allowed, c) != NULL))
			continue;
		if (c != '%' || i + 2 >= u.len || !is_hex(u.p[i + 1]) || !is_hex(u.p[i + 2]))
			return 0;
		i += 2;
	}
	return 1;
}

/* "urn:oid:" and a dotted OID (arcs 0 or without leading zeros, at least two): ADatP-4774. */
static int
urn_oid_ok(struct insp_str u)
{
	uint32_t i = 8, arcs = 0;

	if (u.len <= 8 || strncasecmp((const char *)u.p, "urn:oid:", 8) != 0)
		return 0;
	while (i < u.len) {
		uint32_t start = i;

		while (i < u.len && u.p[i] >= '0' && u.p[i] <= '9')
			i++;
		if (i == start || (u.p[start] == '0' && i - start > 1))
			return 0;
		arcs++;
		if (i == u.len)
			break;
		if (u.p[i] != '.' || i + 1 == u.len)
			return 0;
		i++;
	}
	return arcs >= 2;
}

/* A URI attribute (PolicyIdentifier, Classification, Category): xs:anyURI, urn:oid form. */
static void
check_uri(struct insp_label_4774 *b, const struct insp_xml_attr *a)
{
	struct insp_str u = trim(a->value);

	if (!uri_ok(u))
		set_error(b, a->offset, "URI attribute is not an xs:anyURI");
	else if (!urn_oid_ok(u))
		off_standard(b, a->offset, INSP_LABEL_NORM(URI_NOT_OID),
			     "URI attribute must be urn:oid:<OID> (ADatP-4774)");
}

/* A dateTime attribute: xs:dateTime with a time zone (docs/decisions.md). */
static void
check_datetime(struct insp_label_4774 *b, const struct insp_xml_attr *a, const char *why)
{
	struct insp_str t = trim(a->value);
	int64_t ms;

	if (insp_time_parse(t.p, t.len, &ms) < 0)
		set_error(b, a->offset, why);
}

static int
plain_attr(const struct insp_xml_attr *a, const char *name)
{
	return a->prefix.len == 0 && insp_str_eq(a->local, name);
}

/*
 * A URI attribute, or (lenient) its misspelling URL that labelling code writes and reads.
 * @return 1 if @p a was one of them.
 */
static int
uri_attr(struct insp_label_4774 *b, const struct insp_xml_attr *a)
{
	if (plain_attr(a, "URI")) {
		check_uri(b, a);
		return 1;
	}
	if (plain_attr(a, "URL") && !b->strict) {
		b->out->normalised |= INSP_LABEL_NORM(URL_ATTR);
		check_uri(b, a);
		return 1;
	}
	return 0;
}

/* The root's attributes: Id (xs:ID) and ReviewDateTime; lenient also a version. */
static void
root_attrs(struct insp_label_4774 *b, const struct insp_xml_event *root)
{
	for (uint32_t i = 0; i < root->n_attrs; i++) {
		const struct insp_xml_attr *a = &root->attrs[i];

		if (a->is_ns_decl)
			continue;
		if (plain_attr(a, "Id")) {
			if (!insp_xml_is_ncname(trim(a->value)))
				set_error(b, a->offset, "label Id is not an xs:ID (an XML NCName)");
		} else if (plain_attr(a, "ReviewDateTime")) {
			check_datetime(b, a, "ReviewDateTime is not an xs:dateTime with zone");
		} else if (plain_attr(a, "version") && !b->strict) {
			b->out->normalised |= INSP_LABEL_NORM(VERSION_ATTR);
		} else {
			set_error(
				b, a->offset,
				"unexpected attribute on the 4774 label (the schema allows Id and "
				"ReviewDateTime)");
		}
	}
}

void
insp_label_4774_begin(struct insp_label_4774 *b, struct insp_label *out, int strict,
		      const struct insp_xml_event *root)
{
	enum label_root kind = root_kind(root->local);

	memset(b, 0, offsetof(struct insp_label_4774, why));
	b->why = NULL;
	b->out = out;
	b->strict = (uint8_t)strict;
	b->root_depth = root->depth;
	b->offset = root->offset;
	b->state = ST_ROOT;
	label_clear(out);
	if (kind == ROOT_OTHER)
		set_error(b, root->offset,
			  "an alternative or metadata label is not the originator's label");
	else if (!ns_ok(b, root))
		set_error(b, root->offset,
			  "4774 label root must be originatorConfidentialityLabel in the "
			  "4774 namespace");
	else if (!insp_str_eq(root->local, "originatorConfidentialityLabel"))
		off_standard(b, root->offset, INSP_LABEL_NORM(ROOT_NAME),
			     "4774 label root must be originatorConfidentialityLabel in the "
			     "4774 namespace");
	if (root->ns.len == 0)
		out->normalised |= INSP_LABEL_NORM(NAMESPACE); /* strict failed in ns_ok */
	root_attrs(b, root);
}

/* A trimmed TagName, its inner whitespace runs collapsed into out->tagbuf if it has any. */
static struct insp_str
tag_token(struct insp_label_4774 *b, const struct insp_xml_attr *a)
{
	struct insp_str t = trim(a->value);
	struct insp_label *l = b->out;
	int runs = 0;

	for (uint32_t i = 1; i < t.len; i++)
		runs |= is_ws(t.p[i]) && (is_ws(t.p[i - 1]) || t.p[i] != ' ');
	if (!runs)
		return t;
	if (INSP_LABEL_TAGBUF - l->tagbuf_len < t.len) {
		set_error(b, a->offset, "too many long TagNames");
		return t;
	}
	uint8_t *o = l->tagbuf + l->tagbuf_len;
	uint32_t n = 0;

	for (uint32_t i = 0; i < t.len; i++) {
		if (is_ws(t.p[i])) {
			if (n && o[n - 1] != ' ')
				o[n++] = ' ';
			continue;
		}
		o[n++] = t.p[i];
	}
	l->tagbuf_len += n;
	return (struct insp_str){o, n};
}

static void
category_type(struct insp_label_4774 *b, const struct insp_xml_attr *a)
{
	static const char *const types[] = {"PERMISSIVE", "RESTRICTIVE", "INFORMATIVE"};
	struct insp_str t = trim(a->value); /* xs:token */

	for (int k = 0; k < 3; k++) {
		if (insp_str_eq(t, types[k])) {
			b->cat_type = (uint8_t)(CAT_PERMISSIVE + k);
			return;
		}
		if (str_caseeq(t, types[k])) {
			off_standard(
				b, a->offset, INSP_LABEL_NORM(TYPE_CASE),
				"Category Type must be PERMISSIVE, RESTRICTIVE or INFORMATIVE");
			b->cat_type = (uint8_t)(CAT_PERMISSIVE + k);
			return;
		}
	}
	set_error(b, a->offset, "Category Type must be PERMISSIVE, RESTRICTIVE or INFORMATIVE");
}

static void
start_category(struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	b->cat_type = 0;
	b->cat_tag.len = 0;
	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];

		if (a->is_ns_decl || uri_attr(b, a))
			continue;
		if (plain_attr(a, "Type"))
			category_type(b, a);
		else if (plain_attr(a, "TagName"))
			b->cat_tag = tag_token(b, a);
		else
			set_error(b, a->offset,
				  "unexpected attribute on Category (the schema allows Type, "
				  "TagName and URI)");
	}
	if (b->cat_type == 0)
		set_error(b, ev->offset, "Category without Type");
	else if (b->cat_tag.len == 0)
		set_error(b, ev->offset, "Category without TagName");
	else if (b->cat_type == CAT_PERMISSIVE && !str_caseeq(b->cat_tag, "Releasable To"))
		set_error(b, ev->offset,
			  "PERMISSIVE category other than 'Releasable To' not supported");
}

/* Attributes of PolicyIdentifier and Classification: URI only. */
static void
uri_only_attrs(struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];

		if (!a->is_ns_decl && !uri_attr(b, a))
			set_error(b, a->offset,
				  "unexpected attribute (the schema allows only URI)");
	}
}

static void
originator_attrs(struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	static const char *const idtypes[] = {
		"rfc822Name", "dNSName",     "directoryName",	  "uniformResourceIdentifier",
		"iPAddress",  "x400Address", "userPrincipalName", "jID",
	};
	int have = 0;

	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];
		size_t k;

		if (a->is_ns_decl)
			continue;
		if (!plain_attr(a, "IDType")) {
			set_error(b, a->offset,
				  "unexpected attribute on OriginatorID (IDType only)");
			continue;
		}
		have = 1;
		for (k = 0; k < sizeof(idtypes) / sizeof(idtypes[0]); k++) {
			if (insp_str_eq(a->value, idtypes[k]))
				break;
			if (str_caseeq(trim(a->value), idtypes[k])) {
				off_standard(b, a->offset, INSP_LABEL_NORM(IDTYPE_CASE),
					     "OriginatorID IDType is not one the schema lists");
				break;
			}
		}
		if (k == sizeof(idtypes) / sizeof(idtypes[0]))
			set_error(b, a->offset, "OriginatorID IDType is not one the schema lists");
	}
	if (!have)
		set_error(b, ev->offset, "OriginatorID without IDType");
}

/* Elements other than these carry no attributes (namespace declarations aside). */
static void
no_attrs(struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];

		if (a->is_ns_decl)
			continue;
		if (b->state == ST_CI && plain_attr(a, "ReviewDateTime") && !b->strict) {
			/* seen in the NCIA 4778 schema's own example */
			b->out->normalised |= INSP_LABEL_NORM(REVIEW_ON_CI);
			check_datetime(b, a, "ReviewDateTime is not an xs:dateTime with zone");
			continue;
		}
		set_error(b, a->offset, "unexpected attribute in the 4774 label");
	}
}

/*
 * Enter a child element of @p state. Schema order: strict refuses a child before one the
 * sequence puts ahead of it (@p rank its place, @p stage the highest seen); lenient accepts
 * it and says so. A second one of a kind (@p count, NULL when any number may come) is left
 * to the count checks, whose message says more.
 */
static void
enter(struct insp_label_4774 *b, const struct insp_xml_event *ev, uint8_t *stage, uint8_t rank,
      uint8_t *count, uint8_t state)
{
	if (count == NULL || *count == 0) {
		if (rank < *stage)
			off_standard(b, ev->offset, INSP_LABEL_NORM(ORDER),
				     "4774 label elements out of the schema's order");
		else
			*stage = rank;
	}
	if (count != NULL)
		(*count)++;
	b->state = state;
}

static void
on_root_child(struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	if (insp_str_eq(ev->local, "ConfidentialityInformation")) {
		enter(b, ev, &b->root_stage, 1, &b->n_ci, ST_CI);
		no_attrs(b, ev);
	} else if (insp_str_eq(ev->local, "OriginatorID")) {
		enter(b, ev, &b->root_stage, 2, &b->n_originator, ST_ORIGINATOR);
		originator_attrs(b, ev);
	} else if (insp_str_eq(ev->local, "CreationDateTime")) {
		enter(b, ev, &b->root_stage, 3, &b->n_created, ST_CREATED);
		no_attrs(b, ev);
	} else if (insp_str_eq(ev->local, "SuccessionHandling")) {
		set_error(b, ev->offset,
			  "SuccessionHandling not supported (which label governs would depend "
			  "on the time)");
	} else {
		set_error(b, ev->offset, "unexpected element in the 4774 label");
	}
}

static void
on_ci_child(struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	if (insp_str_eq(ev->local, "PolicyIdentifier")) {
		enter(b, ev, &b->ci_stage, 1, &b->n_policy, ST_POLICY);
		uri_only_attrs(b, ev);
	} else if (insp_str_eq(ev->local, "Classification")) {
		enter(b, ev, &b->ci_stage, 2, &b->n_class, ST_CLASS);
		uri_only_attrs(b, ev);
	} else if (insp_str_eq(ev->local, "PrivacyMark")) {
		enter(b, ev, &b->ci_stage, 3, &b->n_privacy, ST_PRIVACY);
		no_attrs(b, ev);
	} else if (insp_str_eq(ev->local, "Category")) {
		enter(b, ev, &b->ci_stage, 4, NULL, ST_CAT);
		start_category(b, ev);
	} else {
		set_error(b, ev->offset, "unexpected element in ConfidentialityInformation");
	}
}

static void
on_start(struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	uint32_t rel = ev->depth - b->root_depth;

	if (!ns_ok(b, ev)) {
		set_error(b, ev->offset, "4774 label element outside the 4774 namespace");
		return;
	}
	if (rel == 1 && b->state == ST_ROOT) {
		on_root_child(b, ev);
	} else if (rel == 2 && b->state == ST_CI) {
		on_ci_child(b, ev);
	} else if (rel == 3 && b->state == ST_CAT && insp_str_eq(ev->local, "GenericValue")) {
		b->state = ST_VALUE;
		no_attrs(b, ev);
	} else {
		set_error(b, ev->offset, "unexpected element in the 4774 label");
	}
}

/* xs:token: leading/trailing whitespace removed, inner runs collapsed to one space. */
static struct insp_str
collapse_token(struct insp_str t)
{
	uint8_t *p = (uint8_t *)(uintptr_t)t.p; /* TEXT lives in the arena: writable */
	uint32_t o = 0;
	int space = 0;

	for (uint32_t i = 0; i < t.len; i++) {
		uint8_t c = p[i];

		if (is_ws(c)) {
			space = o > 0;
			continue;
		}
		if (space)
			p[o++] = ' ';
		space = 0;
		p[o++] = c;
	}
	t.len = o;
	return t;
}

static void
add_value(struct insp_label_4774 *b, const struct insp_xml_event *ev, struct insp_str v)
{
	struct insp_label *l = b->out;

	if (b->cat_type == CAT_PERMISSIVE) {
		if (l->n_rel == INSP_LABEL_MAX_VALUES)
			set_error(b, ev->offset, "too many Releasable To values");
		else
			l->rel[l->n_rel++] = v;
		return;
	}
	uint32_t *n = b->cat_type == CAT_RESTRICTIVE ? &l->n_restrictive : &l->n_informative;
	struct insp_label_tag_value *tv =
		b->cat_type == CAT_RESTRICTIVE ? l->restrictive : l->informative;

	if (*n == INSP_LABEL_MAX_VALUES) {
		set_error(b, ev->offset, "too many category values");
		return;
	}
	tv[*n].tag = b->cat_tag;
	tv[*n].value = v;
	(*n)++;
}

static void
on_text(struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	struct insp_str v = collapse_token(ev->text);
	struct insp_label *l = b->out;
	int64_t t;

	switch (b->state) {
	case ST_POLICY:
		l->policy = v;
		break;
	case ST_CLASS:
		l->classification = v;
		break;
	case ST_PRIVACY:
	case ST_ORIGINATOR:
		break; /* free text for people and the originator's name: no access control */
	case ST_CREATED:
		if (insp_time_parse(v.p, v.len, &t) < 0)
			set_error(b, ev->offset,
				  "CreationDateTime is not an xs:dateTime with zone");
		break;
	case ST_VALUE:
		add_value(b, ev, v);
		break;
	default:
		set_error(b, ev->offset, "text outside a 4774 label leaf element");
	}
}

int
insp_label_4774_feed(struct insp_label_4774 *b, struct insp_xml_event *ev)
{
	uint32_t rel = ev->depth - b->root_depth;

	switch (ev->type) {
	case INSP_XML_START:
		on_start(b, ev);
		return 0;
	case INSP_XML_TEXT:
		on_text(b, ev);
		return 0;
	case INSP_XML_END:
		if (rel == 0)
			return 1;
		/* empty leaves are caught by insp_label_4774_end() or leave a value out */
		b->state = rel == 1 ? ST_ROOT : rel == 2 ? ST_CI : ST_CAT;
		return 0;
	default:
		return 0;
	}
}

/*
 * Lenient: a Classification that repeats the policy name ("NATO UNCLASSIFIED" with
 * PolicyIdentifier NATO), or carries it where there is no PolicyIdentifier at all: the
 * first word is the policy. Whether that policy exists is the decision's business.
 */
static void
split_policy_from_class(struct insp_label_4774 *b)
{
	struct insp_label *l = b->out;
	struct insp_str c = l->classification;
	uint32_t sp = 0;

	while (sp < c.len && c.p[sp] != ' ')
		sp++;
	if (sp == 0 || sp + 1 >= c.len)
		return;
	if (b->n_policy == 0) {
		l->policy = (struct insp_str){c.p, sp};
		b->n_policy = 1;
		l->normalised |= INSP_LABEL_NORM(POLICY_FROM_CLASS);
	} else if (l->policy.len != sp ||
		   strncasecmp((const char *)c.p, (const char *)l->policy.p, sp) != 0) {
		return;
	} else {
		l->normalised |= INSP_LABEL_NORM(CLASS_PREFIX);
	}
	l->classification = (struct insp_str){c.p + sp + 1, c.len - sp - 1};
}

int
insp_label_4774_end(struct insp_label_4774 *b)
{
	if (b->failed)
		return -1;
	if (b->n_ci != 1)
		return set_error(b, b->offset,
				 "4774 label needs exactly one ConfidentialityInformation"),
		       -1;
	if (!b->strict && b->n_class == 1)
		split_policy_from_class(b);
	if (b->n_policy != 1 || b->n_class != 1)
		return set_error(b, b->offset,
				 "4774 label needs exactly one PolicyIdentifier and one "
				 "Classification"),
		       -1;
	if (b->out->policy.len == 0 || b->out->classification.len == 0)
		return set_error(b, b->offset, "empty PolicyIdentifier or Classification"), -1;
	if (b->n_privacy > 1)
		return set_error(b, b->offset, "more than one PrivacyMark"), -1;
	if (b->n_originator > 1)
		return set_error(b, b->offset, "more than one OriginatorID"), -1;
	if (b->n_created > 1 || (b->n_created == 0 && b->strict))
		return set_error(b, b->offset, "4774 label needs exactly one CreationDateTime"), -1;
	if (b->n_created == 0)
		b->out->normalised |= INSP_LABEL_NORM(NO_CREATION);
	return 0;
}
