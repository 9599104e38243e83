/* SPDX-License-Identifier: BSD-3-Clause */
#include "gt_label.h"

#define NS_4774 "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"

void
gt_label_marking(const struct gt_label *l, struct gt_buf *b)
{
	gt_buf_printf(b, "%s %s", l->policy, l->classification);
	if (l->n_rel == 0)
		return;
	gt_buf_puts(b, "//REL TO ");
	for (unsigned i = 0; i < l->n_rel; i++)
		gt_buf_printf(b, "%s%s", i ? ", " : "", l->rel[i]);
}

/* <prefix:name or <name */
static void
open_tag(struct gt_buf *b, const struct gt_label_style *st, const char *name)
{
	if (st->prefix != NULL)
		gt_buf_printf(b, "<%s:%s", st->prefix, name);
	else
		gt_buf_printf(b, "<%s", name);
}

static void
close_tag(struct gt_buf *b, const struct gt_label_style *st, const char *name)
{
	if (st->prefix != NULL)
		gt_buf_printf(b, "</%s:%s>", st->prefix, name);
	else
		gt_buf_printf(b, "</%s>", name);
}

static void
attr(struct gt_buf *b, const struct gt_label_style *st, const char *name, const char *value)
{
	char q = st->single_quotes ? '\'' : '"';

	gt_buf_printf(b, " %s=%c", name, q);
	gt_buf_put_xml(b, value);
	gt_buf_put(b, &q, 1);
}

static void
simple(struct gt_buf *b, const struct gt_label_style *st, const char *name, const char *text,
       bool pad)
{
	open_tag(b, st, name);
	gt_buf_puts(b, pad ? "> " : ">");
	gt_buf_put_xml(b, text);
	if (pad)
		gt_buf_puts(b, " ");
	close_tag(b, st, name);
}

static void
category(struct gt_buf *b, const struct gt_label_style *st, const char *tag, const char *type,
	 const char *const *values, unsigned n)
{
	open_tag(b, st, "Category");
	attr(b, st, "TagName", tag);
	attr(b, st, "Type", type);
	gt_buf_puts(b, ">");
	for (unsigned i = 0; i < n; i++)
		simple(b, st, "GenericValue", values[i], false);
	close_tag(b, st, "Category");
}

void
gt_label_4774(const struct gt_label *l, const struct gt_label_style *st, struct gt_buf *b)
{
	open_tag(b, st, "originatorConfidentialityLabel");
	if (st->prefix != NULL) {
		char q = st->single_quotes ? '\'' : '"';

		gt_buf_printf(b, " xmlns:%s=%c%s%c", st->prefix, q, NS_4774, q);
	} else {
		attr(b, st, "xmlns", NS_4774);
	}
	gt_buf_puts(b, ">");
	open_tag(b, st, "ConfidentialityInformation");
	gt_buf_puts(b, ">");
	simple(b, st, "PolicyIdentifier", l->policy, st->token_spaces);
	simple(b, st, "Classification", l->classification, st->token_spaces);
	if (l->privacy_mark != NULL)
		simple(b, st, "PrivacyMark", l->privacy_mark, false);
	if (l->n_rel > 0)
		category(b, st, "Releasable To", "PERMISSIVE", l->rel, l->n_rel);
	if (l->n_restrictive > 0)
		category(b, st, "Additional Sensitivity", "RESTRICTIVE", l->restrictive,
			 l->n_restrictive);
	if (l->n_data_category > 0)
		category(b, st, "Data Category", "INFORMATIVE", l->data_category,
			 l->n_data_category);
	close_tag(b, st, "ConfidentialityInformation");
	if (!st->omit_creation)
		simple(b, st, "CreationDateTime", st->creation, false);
	close_tag(b, st, "originatorConfidentialityLabel");
}
