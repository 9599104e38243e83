/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>

#include "insp_xmlwalk.h"
#include "insp_utf8.h"

#define MALFORMED INSP_R_MALFORMED_MESSAGE

/*
 * Everything that crosses is scanned, not only what a consumer reads as content
 * (docs/decisions.md): comment text, element and attribute names, and the label carriers
 * are scan units too.
 */
static int
comment_unit(void *ctx, struct insp_str text)
{
	struct insp_msg *m = ctx;

	/* comment text is zero-copy: its place in the XML is its place in the payload */
	uint32_t src = m->xml_base + (uint32_t)(text.p - m->xml->buf);

	if (insp_msg_add_unit_kind(m, text, INSP_UNIT_COMMENT, src) == 0)
		return 0;
	/* the parser reports this reason, as every other refused unit is reported */
	if (m->unit_err == INSP_UNIT_ERR_BIDI)
		snprintf(m->xml->err, sizeof(m->xml->err),
			 "bidirectional control U+%04X not allowed on this channel",
			 m->unit_err_cp);
	else
		snprintf(m->xml->err, sizeof(m->xml->err), "too much text");
	return -1;
}

enum insp_reason
insp_xmlwalk_begin(struct insp_xmlwalk *w, struct insp_msg *m, const uint8_t *buf, size_t len,
		   int fragment)
{
	struct insp_xml *x = m->xml;
	size_t bad;
	int rc;

	if (insp_utf8_validate_xml(buf, len, &bad) < 0)
		return insp_msg_fail(m, MALFORMED, w->base_offset + (uint32_t)bad,
				     "%s: invalid UTF-8 or non-XML character at offset %zu", w->fmt,
				     w->base_offset + bad);
	rc = fragment ? insp_xml_init_fragment(x, buf, len, m->arena, m->arena_cap)
		      : insp_xml_init(x, buf, len, m->arena, m->arena_cap);
	if (rc < 0)
		return insp_msg_fail(m, MALFORMED, w->base_offset + x->err_offset, "%s: %s", w->fmt,
				     x->err);
	x->on_comment = comment_unit;
	x->comment_ctx = m;
	m->xml_base = w->base_offset;
	return INSP_R_RELEASE;
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

int
insp_xmlwalk_tag_units(struct insp_msg *m, const struct insp_xml_event *ev, uint32_t name_kind,
		       uint32_t value_kind, uint32_t base)
{
	if (insp_msg_add_unit_kind(m, qname(ev->prefix, ev->local), name_kind, base + ev->offset) <
	    0)
		return -1;
	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		const struct insp_xml_attr *a = &ev->attrs[i];

		if (insp_msg_add_unit_kind(m, qname(a->prefix, a->local), name_kind,
					   base + a->offset) < 0 ||
		    (value_kind != INSP_UNIT_NAME &&
		     insp_msg_add_unit_kind(m, a->value, value_kind, base + a->offset) < 0))
			return -1;
	}
	return 0;
}

static enum insp_reason
too_much_text(const struct insp_xmlwalk *w, struct insp_msg *m, uint32_t off)
{
	return insp_msg_unit_fail(m, w->fmt, w->base_offset + off);
}

static enum insp_reason
xml_error(const struct insp_xmlwalk *w, struct insp_msg *m)
{
	return insp_msg_fail(m, MALFORMED, w->base_offset + m->xml->err_offset, "%s: %s", w->fmt,
			     m->xml->err);
}

/* One more element at ev: within the walk's bounds? */
static enum insp_reason
count_element(struct insp_xmlwalk *w, const struct insp_xml_event *ev, struct insp_msg *m)
{
	if (++w->elems > w->max_elems)
		return insp_msg_fail(m, MALFORMED, w->base_offset + ev->offset,
				     "%s: %s has more than %u elements", w->fmt, w->container,
				     w->max_elems);
	if (ev->depth - w->root_depth > w->max_depth)
		return insp_msg_fail(m, MALFORMED, w->base_offset + ev->offset,
				     "%s: %s nested deeper than %u", w->fmt, w->container,
				     w->max_depth);
	return INSP_R_RELEASE;
}

/* The label whose root START is ev: decode it, every part a carrier unit. */
static enum insp_reason
walk_label(const struct insp_policy *p, struct insp_xmlwalk *w, struct insp_xml_event *ev,
	   struct insp_msg *m)
{
	struct insp_xml *x = m->xml;
	struct insp_label_4774 lb;
	const char *why = NULL;
	enum insp_reason r;

	if (ev->depth != w->label_depth)
		why = w->misplaced != NULL ? w->misplaced
					   : "4774 label in a place this format does not allow";
	else if (m->has_4774)
		why = "more than one 4774 label";
	if (insp_xmlwalk_tag_units(m, ev, INSP_UNIT_CARRIER, INSP_UNIT_CARRIER, w->base_offset) < 0)
		return too_much_text(w, m, ev->offset);
	insp_label_4774_begin(&lb, &m->label, p->strict_labels, ev);
	for (;;) {
		enum insp_xml_ev t = insp_xml_next(x, ev);

		if (t == INSP_XML_ERROR || t == INSP_XML_EOF)
			return xml_error(w, m);
		/* the label is part of the container: its elements count and cross too */
		if (t == INSP_XML_START) {
			r = count_element(w, ev, m);
			if (r != INSP_R_RELEASE)
				return r;
			if (insp_xmlwalk_tag_units(m, ev, INSP_UNIT_CARRIER, INSP_UNIT_CARRIER,
						   w->base_offset) < 0)
				return too_much_text(w, m, ev->offset);
		}
		if (t == INSP_XML_TEXT && ev->blank)
			continue; /* layout between label elements: not a value */
		if (t == INSP_XML_TEXT && insp_msg_add_unit_kind(m, ev->text, INSP_UNIT_CARRIER,
								 w->base_offset + ev->offset) < 0)
			return too_much_text(w, m, ev->offset);
		if (insp_label_4774_feed(&lb, ev))
			break;
	}
	if (why == NULL && insp_label_4774_end(&lb) < 0)
		why = lb.why;
	if (why != NULL && w->label_err == NULL) {
		w->label_err = why;
		w->label_err_off = w->base_offset + lb.offset;
	}
	m->has_4774 = 1;
	return INSP_R_RELEASE;
}

/*
 * String values (XPath): an element's text and its descendants' text joined, as a reader of
 * mixed content reads "blue <b>sentinel</b>". Every text run of the walk, blank ones
 * included, is a piece in m->pieces; an element whose pieces hold two or more non-blank
 * runs is also scanned as one unit of all its pieces. An element with one run would only
 * repeat that run's unit, and an ancestor whose string value adds only blank runs to the
 * last one scanned would only repeat it too. Text inside a 4774 label is metadata, not
 * content: not a piece.
 */
struct string_values {
	uint32_t first[INSP_XML_MAX_DEPTH + 1];	      /* first piece of each open element */
	uint32_t src[INSP_XML_MAX_DEPTH + 1];	      /* payload offset of each open element */
	uint32_t nonblank[INSP_XML_MAX_DEPTH + 1];    /* non-blank pieces before it opened */
	uint32_t n_nonblank;			      /* non-blank pieces of the walk so far */
	uint32_t last_first, last_end, last_nonblank; /* the last string value scanned */
};

static void
sv_open(struct string_values *sv, uint32_t level, const struct insp_msg *m, uint32_t src)
{
	sv->first[level] = m->n_pieces;
	sv->src[level] = src;
	sv->nonblank[level] = sv->n_nonblank;
}

static int
sv_close(struct string_values *sv, uint32_t level, struct insp_msg *m)
{
	uint32_t first = sv->first[level], nonblank = sv->n_nonblank - sv->nonblank[level];

	if (nonblank < 2 || (first <= sv->last_first && m->n_pieces >= sv->last_end &&
			     nonblank == sv->last_nonblank))
		return 0;
	sv->last_first = first;
	sv->last_end = m->n_pieces;
	sv->last_nonblank = nonblank;
	return insp_msg_add_pieces(m, m->pieces + first, m->n_pieces - first, INSP_UNIT_CONTENT,
				   sv->src[level]);
}

static int
sv_text(struct string_values *sv, const struct insp_xml_event *ev, struct insp_msg *m)
{
	if (m->n_pieces == m->pieces_cap) {
		m->unit_err = INSP_UNIT_ERR_FULL;
		return -1;
	}
	m->pieces[m->n_pieces++] = ev->text;
	if (!ev->blank)
		sv->n_nonblank++;
	return 0;
}

static enum insp_reason
walk(const struct insp_policy *p, struct insp_xmlwalk *w, struct insp_xml_event *ev,
     struct insp_msg *m, struct string_values *sv)
{
	struct insp_xml *x = m->xml;
	enum insp_reason r;

	for (;;) {
		switch (insp_xml_next(x, ev)) {
		case INSP_XML_ERROR:
			return xml_error(w, m);
		case INSP_XML_EOF:
			if (w->root_depth != 0)
				return insp_msg_fail(m, MALFORMED, w->base_offset + ev->offset,
						     "%s: unexpected end", w->fmt);
			if (sv_close(sv, 0, m) < 0)
				return too_much_text(w, m, ev->offset);
			return INSP_R_RELEASE;
		case INSP_XML_END:
			if (sv_close(sv, ev->depth - w->root_depth, m) < 0)
				return too_much_text(w, m, ev->offset);
			if (ev->depth == w->root_depth)
				return INSP_R_RELEASE;
			continue;
		case INSP_XML_TEXT:
			if (sv_text(sv, ev, m) < 0)
				return too_much_text(w, m, ev->offset);
			if (ev->blank)
				continue;
			w->n_other++;
			if (insp_msg_add_unit(m, ev->text, w->base_offset + ev->offset) < 0)
				return too_much_text(w, m, ev->offset);
			continue;
		case INSP_XML_START:
			break;
		}
		r = count_element(w, ev, m);
		if (r != INSP_R_RELEASE)
			return r;
		if (insp_label_4774_is_root(ev)) {
			r = walk_label(p, w, ev, m);
			if (r != INSP_R_RELEASE)
				return r;
			continue;
		}
		w->n_other++;
		sv_open(sv, ev->depth - w->root_depth, m, w->base_offset + ev->offset);
		if (insp_xmlwalk_tag_units(m, ev, INSP_UNIT_NAME, INSP_UNIT_CONTENT,
					   w->base_offset) < 0)
			return too_much_text(w, m, ev->offset);
	}
}

enum insp_reason
insp_xmlwalk_children(const struct insp_policy *p, struct insp_xmlwalk *w,
		      struct insp_xml_event *ev, struct insp_msg *m)
{
	struct string_values sv = {.last_first = UINT32_MAX, .last_end = 0};
	uint8_t report_blank = m->xml->report_blank;
	enum insp_reason r;

	/* blank runs count in string values: "<b>blue</b> <i>sentinel</i>" has a space */
	m->xml->report_blank = 1;
	sv_open(&sv, 0, m, w->base_offset + ev->offset);
	r = walk(p, w, ev, m, &sv);
	m->xml->report_blank = report_blank;
	return r;
}

enum insp_reason
insp_xmlwalk_label_result(const struct insp_xmlwalk *w, struct insp_msg *m)
{
	if (w->label_err == NULL)
		return INSP_R_RELEASE;
	return insp_msg_fail(m, INSP_R_BAD_LABEL, w->label_err_off, "label: %s", w->label_err);
}
