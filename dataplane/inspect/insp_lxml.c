/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "insp_lxml.h"
#include "insp_xmlwalk.h"

#define MALFORMED INSP_R_MALFORMED_MESSAGE

/* Depth of each binding element; the label and the payload sit one below D_METADATA/D_DATA. */
enum {
	D_ROOT = 1,	 /* BindingInformation */
	D_CONTAINER = 2, /* MetadataBindingContainer */
	D_BINDING = 3,	 /* MetadataBinding */
	D_CHILD = 4,	 /* Metadata, Data */
};

static const char *const binding_names[] = {
	[D_ROOT] = "BindingInformation",
	[D_CONTAINER] = "MetadataBindingContainer",
	[D_BINDING] = "MetadataBinding",
};

static enum insp_reason
too_much_text(struct insp_msg *m, uint32_t off)
{
	return insp_msg_unit_fail(m, "labelled-xml", off);
}

static int
in_4778(const struct insp_xml_event *ev)
{
	return insp_str_eq(ev->ns, INSP_4778_NS);
}

/*
 * A binding element: names cross like every name, and the values of its namespace
 * declarations are read by consumers (they are URIs a receiver resolves), so they are
 * content as in CoT. Any other attribute has no place in the binding.
 */
static enum insp_reason
binding_tag(const struct insp_xml_event *ev, const char *name, struct insp_msg *m)
{
	if (insp_xmlwalk_tag_units(m, ev, INSP_UNIT_NAME, INSP_UNIT_NAME, 0) < 0)
		return too_much_text(m, ev->offset);
	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];

		if (!a->is_ns_decl)
			return insp_msg_fail(m, MALFORMED, a->offset,
					     "labelled-xml: attribute '%.*s' on <%s>",
					     (int)a->local.len, (const char *)a->local.p, name);
		if (insp_msg_add_unit(m, a->value, a->offset) < 0)
			return too_much_text(m, a->offset);
	}
	return INSP_R_RELEASE;
}

/*
 * <Metadata>: the shared walk decodes a label that is its direct child and counts every
 * element and text run outside labels (comments are not counted): any such means
 * <Metadata> held something besides labels.
 */
static enum insp_reason
walk_metadata(const struct insp_policy *p, struct insp_xmlwalk *w, struct insp_xml_event *ev,
	      struct insp_msg *m)
{
	uint32_t other = w->n_other, off = ev->offset;
	enum insp_reason r;

	w->container = "<Metadata>";
	w->root_depth = D_CHILD;
	w->label_depth = D_CHILD + 1;
	w->max_depth = p->cot_max_depth;
	w->misplaced = "4774 label not a direct child of <Metadata>";
	r = insp_xmlwalk_children(p, w, ev, m);
	if (r != INSP_R_RELEASE)
		return r;
	if (w->n_other != other)
		return insp_msg_fail(m, MALFORMED, off,
				     "labelled-xml: <Metadata> holds something other than the 4774 "
				     "label");
	return INSP_R_RELEASE;
}

/*
 * <Data>: exactly one payload element, walked by the shared walk. Nothing in it may be a
 * label (label_depth 0): a label there would be read as the message's own by some
 * consumers and not by others, so it is a bad label rather than content.
 */
static enum insp_reason
walk_data(const struct insp_policy *p, struct insp_xmlwalk *w, struct insp_xml_event *ev,
	  struct insp_msg *m)
{
	struct insp_xml *x = m->xml;
	uint32_t data_off = ev->offset, n_payload = 0;
	enum insp_reason r;

	w->container = "the payload element";
	w->root_depth = D_CHILD + 1;
	w->label_depth = 0;
	/* the payload element is one level of the depth the policy allows below <Data> */
	w->max_depth = p->cot_max_depth > 0 ? p->cot_max_depth - 1 : 0;
	w->misplaced = "4774 label inside <Data>";
	for (;;) {
		switch (insp_xml_next(x, ev)) {
		case INSP_XML_ERROR:
			return insp_msg_fail(m, MALFORMED, x->err_offset, "labelled-xml: %s",
					     x->err);
		case INSP_XML_EOF: /* not before the root's END: the parser checks nesting */
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "labelled-xml: unexpected end");
		case INSP_XML_TEXT:
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "labelled-xml: text in <Data>");
		case INSP_XML_END:
			if (n_payload == 0)
				return insp_msg_fail(
					m, MALFORMED, data_off,
					"labelled-xml: <Data> holds no payload element");
			return INSP_R_RELEASE;
		case INSP_XML_START:
			break;
		}
		if (++n_payload > 1)
			return insp_msg_fail(
				m, MALFORMED, ev->offset,
				"labelled-xml: more than one payload element in <Data>");
		if (++w->elems > w->max_elems)
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "labelled-xml: %s has more than %u elements",
					     w->container, w->max_elems);
		if (insp_label_4774_is_root(ev) && w->label_err == NULL) {
			w->label_err = w->misplaced;
			w->label_err_off = ev->offset;
		}
		m->type = ev->local;
		if (insp_xmlwalk_tag_units(m, ev, INSP_UNIT_NAME, INSP_UNIT_CONTENT, 0) < 0)
			return too_much_text(m, ev->offset);
		r = insp_xmlwalk_children(p, w, ev, m);
		if (r != INSP_R_RELEASE)
			return r;
	}
}

/* A START inside MetadataBinding: <Metadata> once, then <Data> once. */
static enum insp_reason
binding_child(const struct insp_policy *p, struct insp_xmlwalk *w, struct insp_xml_event *ev,
	      struct insp_msg *m, unsigned *n_meta, unsigned *n_data)
{
	int is_meta = insp_str_eq(ev->local, "Metadata");
	const char *name = is_meta ? "Metadata" : "Data";
	enum insp_reason r;

	if (!is_meta && !insp_str_eq(ev->local, "Data"))
		return insp_msg_fail(m, MALFORMED, ev->offset,
				     "labelled-xml: unexpected element <%.*s> in <MetadataBinding>",
				     (int)ev->local.len, (const char *)ev->local.p);
	if (!in_4778(ev))
		return insp_msg_fail(m, MALFORMED, ev->offset,
				     "labelled-xml: <%s> not in the 4778 namespace", name);
	if ((is_meta ? ++*n_meta : ++*n_data) > 1)
		return insp_msg_fail(m, MALFORMED, ev->offset, "labelled-xml: more than one <%s>",
				     name);
	if (!is_meta && *n_meta == 0)
		return insp_msg_fail(m, MALFORMED, ev->offset,
				     "labelled-xml: <Data> before <Metadata>");
	r = binding_tag(ev, name, m);
	if (r != INSP_R_RELEASE)
		return r;
	return is_meta ? walk_metadata(p, w, ev, m) : walk_data(p, w, ev, m);
}

enum insp_reason
insp_lxml_parse(const struct insp_policy *p, const uint8_t *buf, size_t len, struct insp_msg *m)
{
	struct insp_xml *x = m->xml;
	struct insp_xml_event *ev = &m->ev;
	/* elements seen directly in each binding element, by the depth of the child */
	unsigned n_child[D_CHILD] = {0}, n_meta = 0, n_data = 0;
	struct insp_xmlwalk w = {
		.fmt = "labelled-xml",
		.max_elems = p->cot_max_elems,
	};
	enum insp_reason r;

	r = insp_xmlwalk_begin(&w, m, buf, len, 0);
	if (r != INSP_R_RELEASE)
		return r;
	if (insp_xml_next(x, ev) != INSP_XML_START)
		return insp_msg_fail(m, MALFORMED, x->err_offset, "labelled-xml: %s", x->err);
	if (!insp_str_eq(ev->local, binding_names[D_ROOT]) || !in_4778(ev))
		return insp_msg_fail(m, MALFORMED, ev->offset,
				     "labelled-xml: root element must be <BindingInformation> in "
				     "the 4778 namespace");
	r = binding_tag(ev, binding_names[D_ROOT], m);
	if (r != INSP_R_RELEASE)
		return r;
	for (;;) {
		switch (insp_xml_next(x, ev)) {
		case INSP_XML_ERROR:
			return insp_msg_fail(m, MALFORMED, x->err_offset, "labelled-xml: %s",
					     x->err);
		case INSP_XML_EOF:
			return insp_xmlwalk_label_result(&w, m);
		case INSP_XML_TEXT:
			return insp_msg_fail(m, MALFORMED, ev->offset, "labelled-xml: text in <%s>",
					     binding_names[ev->depth]);
		case INSP_XML_END:
			/* the element closing is ev->depth; its one child must have been seen */
			if (ev->depth == D_BINDING && n_meta == 0)
				return insp_msg_fail(m, MALFORMED, ev->offset,
						     "labelled-xml: <Metadata> missing");
			if (ev->depth == D_BINDING && n_data == 0)
				return insp_msg_fail(m, MALFORMED, ev->offset,
						     "labelled-xml: <Data> missing");
			if (ev->depth < D_BINDING && n_child[ev->depth] == 0)
				return insp_msg_fail(m, MALFORMED, ev->offset,
						     "labelled-xml: <%s> missing",
						     binding_names[ev->depth + 1]);
			continue;
		case INSP_XML_START:
			break;
		}
		if (ev->depth == D_CHILD) {
			r = binding_child(p, &w, ev, m, &n_meta, &n_data);
			if (r != INSP_R_RELEASE)
				return r;
			continue;
		}
		/* depth 2 or 3: MetadataBindingContainer in the root, MetadataBinding in it */
		const char *want = binding_names[ev->depth];

		if (!insp_str_eq(ev->local, want))
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "labelled-xml: unexpected element <%.*s> in <%s>",
					     (int)ev->local.len, (const char *)ev->local.p,
					     binding_names[ev->depth - 1]);
		if (!in_4778(ev))
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "labelled-xml: <%s> not in the 4778 namespace", want);
		if (++n_child[ev->depth - 1] > 1)
			return insp_msg_fail(m, MALFORMED, ev->offset,
					     "labelled-xml: more than one <%s>", want);
		r = binding_tag(ev, want, m);
		if (r != INSP_R_RELEASE)
			return r;
	}
}
