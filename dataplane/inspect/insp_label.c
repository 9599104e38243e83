/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>
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

int
insp_label_4774_is_root(const struct insp_xml_event *ev)
{
	return ev->local.len == 30 &&
	       strncasecmp((const char *)ev->local.p, "originatorConfidentialityLabel", 30) == 0;
}

enum {
	ST_ROOT = 0, /* children of originatorConfidentialityLabel */
	ST_CI,	     /* children of ConfidentialityInformation */
	ST_CAT,	     /* children of Category */
	ST_POLICY,   /* leaves (text only) */
	ST_CLASS,
	ST_PRIVACY,
	ST_CREATED,
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

static int
ns_ok(const struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	if (insp_str_eq(ev->ns, INSP_4774_NS))
		return 1;
	return !b->strict && ev->ns.len == 0;
}

/* Only namespace declarations may appear as attributes on label elements. */
static int
no_plain_attrs(const struct insp_xml_event *ev)
{
	for (uint32_t i = 0; i < ev->n_attrs; i++)
		if (!ev->attrs[i].is_ns_decl)
			return 0;
	return 1;
}

void
insp_label_4774_begin(struct insp_label_4774 *b, struct insp_label *out, int strict,
		      const struct insp_xml_event *root)
{
	memset(b, 0, offsetof(struct insp_label_4774, why));
	b->why = NULL;
	b->out = out;
	b->strict = (uint8_t)strict;
	b->root_depth = root->depth;
	b->offset = root->offset;
	b->state = ST_ROOT;
	label_clear(out);
	if (!insp_str_eq(root->local, "originatorConfidentialityLabel") ||
	    !insp_str_eq(root->ns, INSP_4774_NS)) {
		if (strict || !ns_ok(b, root))
			set_error(b, root->offset,
				  "4774 label root must be originatorConfidentialityLabel in the "
				  "4774 namespace");
		else
			out->normalised = 1;
	}
	if (!no_plain_attrs(root))
		set_error(b, root->offset, "unexpected attribute on the 4774 label");
}

static void
start_category(struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	b->cat_type = 0;
	b->cat_tag.len = 0;
	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];

		if (a->is_ns_decl)
			continue;
		if (a->prefix.len == 0 && insp_str_eq(a->local, "Type")) {
			if (insp_str_eq(a->value, "PERMISSIVE"))
				b->cat_type = CAT_PERMISSIVE;
			else if (insp_str_eq(a->value, "RESTRICTIVE"))
				b->cat_type = CAT_RESTRICTIVE;
			else if (insp_str_eq(a->value, "INFORMATIVE"))
				b->cat_type = CAT_INFORMATIVE;
			else
				set_error(b, a->offset,
					  "Category Type must be PERMISSIVE, RESTRICTIVE or "
					  "INFORMATIVE");
		} else if (a->prefix.len == 0 && insp_str_eq(a->local, "TagName")) {
			b->cat_tag = a->value;
		} else {
			set_error(b, a->offset, "unexpected attribute on Category");
		}
	}
	if (b->cat_type == 0)
		set_error(b, ev->offset, "Category without Type");
	else if (b->cat_tag.len == 0)
		set_error(b, ev->offset, "Category without TagName");
	else if (b->cat_type == CAT_PERMISSIVE && !insp_str_eq(b->cat_tag, "Releasable To"))
		set_error(b, ev->offset,
			  "PERMISSIVE category other than 'Releasable To' not supported");
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
		if (insp_str_eq(ev->local, "ConfidentialityInformation")) {
			b->n_ci++;
			b->state = ST_CI;
		} else if (insp_str_eq(ev->local, "CreationDateTime")) {
			b->n_created++;
			b->state = ST_CREATED;
		} else {
			set_error(b, ev->offset, "unexpected element in the 4774 label");
		}
	} else if (rel == 2 && b->state == ST_CI) {
		if (insp_str_eq(ev->local, "PolicyIdentifier")) {
			b->n_policy++;
			b->state = ST_POLICY;
		} else if (insp_str_eq(ev->local, "Classification")) {
			b->n_class++;
			b->state = ST_CLASS;
		} else if (insp_str_eq(ev->local, "PrivacyMark")) {
			b->n_privacy++;
			b->state = ST_PRIVACY;
		} else if (insp_str_eq(ev->local, "Category")) {
			b->state = ST_CAT;
			start_category(b, ev);
			return;
		} else {
			set_error(b, ev->offset,
				  "unexpected element in ConfidentialityInformation");
		}
	} else if (rel == 3 && b->state == ST_CAT && insp_str_eq(ev->local, "GenericValue")) {
		b->state = ST_VALUE;
	} else {
		set_error(b, ev->offset, "unexpected element in the 4774 label");
	}
	if (!no_plain_attrs(ev))
		set_error(b, ev->offset, "unexpected attribute in the 4774 label");
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

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
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
on_text(struct insp_label_4774 *b, const struct insp_xml_event *ev)
{
	struct insp_str v = collapse_token(ev->text);
	struct insp_label *l = b->out;

	switch (b->state) {
	case ST_POLICY:
		l->policy = v;
		break;
	case ST_CLASS:
		l->classification = v;
		break;
	case ST_PRIVACY:
		break; /* free text for people; carries no access control */
	case ST_CREATED: {
		int64_t t;

		if (insp_time_parse(v.p, v.len, &t) < 0)
			set_error(b, ev->offset,
				  "CreationDateTime is not an xs:dateTime with zone");
		break;
	}
	case ST_VALUE:
		if (b->cat_type == CAT_PERMISSIVE) {
			if (l->n_rel == INSP_LABEL_MAX_VALUES)
				set_error(b, ev->offset, "too many Releasable To values");
			else
				l->rel[l->n_rel++] = v;
		} else {
			uint32_t *n = b->cat_type == CAT_RESTRICTIVE ? &l->n_restrictive
								     : &l->n_informative;
			struct insp_label_tag_value *tv =
				b->cat_type == CAT_RESTRICTIVE ? l->restrictive : l->informative;

			if (*n == INSP_LABEL_MAX_VALUES) {
				set_error(b, ev->offset, "too many category values");
			} else {
				tv[*n].tag = b->cat_tag;
				tv[*n].value = v;
				(*n)++;
			}
		}
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

int
insp_label_4774_end(struct insp_label_4774 *b)
{
	if (b->failed)
		return -1;
	if (b->n_ci != 1)
		return set_error(b, b->offset,
				 "4774 label needs exactly one ConfidentialityInformation"),
		       -1;
	if (b->n_policy != 1 || b->n_class != 1)
		return set_error(b, b->offset,
				 "4774 label needs exactly one PolicyIdentifier and one "
				 "Classification"),
		       -1;
	if (b->out->policy.len == 0 || b->out->classification.len == 0)
		return set_error(b, b->offset, "empty PolicyIdentifier or Classification"), -1;
	if (b->n_privacy > 1)
		return set_error(b, b->offset, "more than one PrivacyMark"), -1;
	if (b->n_created > 1 || (b->n_created == 0 && b->strict))
		return set_error(b, b->offset, "4774 label needs exactly one CreationDateTime"), -1;
	if (b->n_created == 0)
		b->out->normalised = 1;
	return 0;
}
