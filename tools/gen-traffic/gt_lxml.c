/* SPDX-License-Identifier: BSD-3-Clause */
#include "gt_lxml.h"

#define NS_4778 "urn:nato:stanag:4778:bindinginformation:1:0"

const char *
gt_lxml_payload_name(enum gt_lxml_kind k)
{
	switch (k) {
	case GT_LXML_CASUALTY:
		return "CasualtyReport";
	case GT_LXML_INTSUM:
		return "IntelligenceSummary";
	default:
		return "FriendlyForceReport";
	}
}

static void
nl(struct gt_buf *b, const struct gt_lxml *x, unsigned depth)
{
	if (!x->indent)
		return;
	gt_buf_puts(b, "\n");
	for (unsigned i = 0; i < depth; i++)
		gt_buf_puts(b, "  ");
}

/* A 4778 binding element's start or end tag, with the prefix if there is one. */
static void
bind_tag(struct gt_buf *b, const struct gt_lxml *x, const char *name, bool end)
{
	const char *pfx = x->malform == GT_LXML_MAL_NO_NS ? NULL : x->prefix;

	gt_buf_printf(b, "<%s%s%s", end ? "/" : "", pfx != NULL ? pfx : "", pfx != NULL ? ":" : "");
	gt_buf_puts(b, name);
}

static void
elem(struct gt_buf *b, const struct gt_lxml *x, unsigned depth, const char *name, const char *text)
{
	nl(b, x, depth);
	gt_buf_printf(b, "<%s>", name);
	gt_buf_put_xml(b, text);
	gt_buf_printf(b, "</%s>", name);
}

static void
elemf(struct gt_buf *b, const struct gt_lxml *x, unsigned depth, const char *name, int prec,
      double v)
{
	nl(b, x, depth);
	gt_buf_printf(b, "<%s>%.*f</%s>", name, prec, v, name);
}

static void
elemu(struct gt_buf *b, const struct gt_lxml *x, unsigned depth, const char *name, unsigned v)
{
	nl(b, x, depth);
	gt_buf_printf(b, "<%s>%u</%s>", name, v, name);
}

static void
position(struct gt_buf *b, const struct gt_lxml *x, unsigned d)
{
	nl(b, x, d);
	gt_buf_puts(b, "<Position>");
	elemf(b, x, d + 1, "Latitude", 6, x->lat);
	elemf(b, x, d + 1, "Longitude", 6, x->lon);
	if (x->kind == GT_LXML_FRIENDLY_FORCE)
		elemf(b, x, d + 1, "Altitude", 1, x->alt);
	nl(b, x, d);
	gt_buf_puts(b, "</Position>");
}

static void
remarks(struct gt_buf *b, const struct gt_lxml *x, unsigned d, const char *name)
{
	if (x->remarks_xml == NULL || x->remarks_xml[0] == '\0')
		return;
	nl(b, x, d);
	gt_buf_printf(b, "<%s>%s</%s>", name, x->remarks_xml, name);
}

static void
payload(struct gt_buf *b, const struct gt_lxml *x, unsigned d)
{
	const char *name = gt_lxml_payload_name(x->kind);

	nl(b, x, d);
	switch (x->kind) {
	case GT_LXML_FRIENDLY_FORCE:
		gt_buf_printf(b, "<%s xmlns=\"urn:nato:nffi:1:3\">", name);
		elem(b, x, d + 1, "ReportId", x->report_id);
		elem(b, x, d + 1, "DateTimeGroup", x->dtg);
		nl(b, x, d + 1);
		gt_buf_puts(b, "<Unit>");
		elem(b, x, d + 2, "UnitId", x->unit_id);
		elem(b, x, d + 2, "Name", x->unit);
		elem(b, x, d + 2, "Symbol", x->symbol);
		elemu(b, x, d + 2, "Strength", x->count);
		nl(b, x, d + 1);
		gt_buf_puts(b, "</Unit>");
		position(b, x, d + 1);
		elemf(b, x, d + 1, "Course", 1, x->course);
		elemf(b, x, d + 1, "Speed", 1, x->speed);
		elem(b, x, d + 1, "OperationalStatus", "OPERATIONAL");
		remarks(b, x, d + 1, "Remarks");
		break;
	case GT_LXML_CASUALTY:
		gt_buf_printf(b, "<%s xmlns=\"urn:nato:casrep:2:0\">", name);
		elem(b, x, d + 1, "ReportId", x->report_id);
		elem(b, x, d + 1, "DateTimeGroup", x->dtg);
		elem(b, x, d + 1, "ReportingUnit", x->unit);
		position(b, x, d + 1);
		nl(b, x, d + 1);
		gt_buf_puts(b, "<Casualties>");
		elem(b, x, d + 2, "Category", "WIA");
		elemu(b, x, d + 2, "Count", x->count);
		nl(b, x, d + 1);
		gt_buf_puts(b, "</Casualties>");
		nl(b, x, d + 1);
		gt_buf_puts(b, "<Evacuation>");
		elem(b, x, d + 2, "Priority", x->priority);
		elem(b, x, d + 2, "LandingSiteMarking", "PANELS");
		nl(b, x, d + 1);
		gt_buf_puts(b, "</Evacuation>");
		remarks(b, x, d + 1, "Remarks");
		break;
	case GT_LXML_INTSUM:
		gt_buf_printf(b, "<%s xmlns=\"urn:nato:intsum:1:0\">", name);
		elem(b, x, d + 1, "ReportId", x->report_id);
		elem(b, x, d + 1, "DateTimeGroup", x->dtg);
		elem(b, x, d + 1, "Originator", x->unit);
		position(b, x, d + 1);
		elemu(b, x, d + 1, "Sightings", x->count);
		remarks(b, x, d + 1, "Assessment");
		break;
	}
	nl(b, x, d);
	gt_buf_printf(b, "</%s>", name);
}

int
gt_lxml_build(const struct gt_lxml *x, struct gt_buf *b)
{
	if (x->xml_decl)
		gt_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (x->malform == GT_LXML_MAL_DOCTYPE)
		gt_buf_puts(b, "<!DOCTYPE BindingInformation [<!ENTITY u \"2 PL\">]>\n");
	bind_tag(b, x, "BindingInformation", false);
	if (x->malform != GT_LXML_MAL_NO_NS) {
		if (x->prefix != NULL)
			gt_buf_printf(b, " xmlns:%s=\"%s\"", x->prefix, NS_4778);
		else
			gt_buf_puts(b, " xmlns=\"" NS_4778 "\"");
	}
	gt_buf_puts(b, ">");
	nl(b, x, 1);
	bind_tag(b, x, "MetadataBindingContainer", false);
	gt_buf_puts(b, ">");
	if (x->malform == GT_LXML_MAL_TEXT)
		gt_buf_puts(b, "binding 1");
	nl(b, x, 2);
	bind_tag(b, x, "MetadataBinding", false);
	gt_buf_puts(b, ">");
	nl(b, x, 3);
	bind_tag(b, x, "Metadata", false);
	if (x->n_labels == 0) {
		gt_buf_puts(b, "/>");
	} else {
		gt_buf_puts(b, ">");
		for (unsigned i = 0; i < x->n_labels && i < 2; i++)
			gt_buf_puts(b, x->labels[i]);
		bind_tag(b, x, "Metadata", true);
		gt_buf_puts(b, ">");
	}
	if (x->malform == GT_LXML_MAL_EXTRA) {
		nl(b, x, 3);
		bind_tag(b, x, "Comment", false);
		gt_buf_puts(b, ">checked by the duty officer");
		bind_tag(b, x, "Comment", true);
		gt_buf_puts(b, ">");
	}
	nl(b, x, 3);
	bind_tag(b, x, "Data", false);
	gt_buf_puts(b, ">");
	payload(b, x, 4);
	if (x->malform == GT_LXML_MAL_TWO_PAYLOADS) {
		/* a small second element: Data must hold exactly one */
		nl(b, x, 4);
		gt_buf_puts(
			b,
			"<Acknowledgement xmlns=\"urn:nato:ack:1:0\">REQUESTED</Acknowledgement>");
	}
	nl(b, x, 3);
	bind_tag(b, x, "Data", true);
	gt_buf_puts(b, ">");
	nl(b, x, 2);
	bind_tag(b, x, "MetadataBinding", true);
	gt_buf_puts(b, ">");
	nl(b, x, 1);
	bind_tag(b, x, "MetadataBindingContainer", true);
	gt_buf_puts(b, ">");
	nl(b, x, 0);
	if (x->malform != GT_LXML_MAL_UNCLOSED) {
		bind_tag(b, x, "BindingInformation", true);
		gt_buf_puts(b, ">");
	}
	return b->overflow ? -1 : 0;
}
