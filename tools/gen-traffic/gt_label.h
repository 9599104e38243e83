/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Security labels as gen-traffic writes them (GUARD-SPEC 4.1, 4.5): a marking string for
 * the CoT `access` attribute, and a STANAG 4774 originatorConfidentialityLabel element for
 * <detail>. The caller describes the label once and renders it in either carrier, so a
 * message with both carries labels that agree by construction (unless a test wants them not
 * to).
 */
#ifndef GT_LABEL_H
#define GT_LABEL_H

#include <stdbool.h>

#include "gt_buf.h"

#define GT_LABEL_MAX_CODES	 12
#define GT_LABEL_MAX_RESTRICTIVE 2
#define GT_LABEL_MAX_DATA_CAT	 2

struct gt_label {
	const char *policy;	    /**< PolicyIdentifier, e.g. "NATO" */
	const char *classification; /**< e.g. "SECRET" */
	/** Releasable-To codes as written; n_rel == 0 means no Releasable To category at all */
	const char *rel[GT_LABEL_MAX_CODES];
	unsigned n_rel;
	/** "Additional Sensitivity" RESTRICTIVE values (4774 carrier only) */
	const char *restrictive[GT_LABEL_MAX_RESTRICTIVE];
	unsigned n_restrictive;
	/** INFORMATIVE "Data Category" values (4774 carrier only; the ISA check reads them) */
	const char *data_category[GT_LABEL_MAX_DATA_CAT];
	unsigned n_data_category;
	const char *privacy_mark; /**< optional PrivacyMark, NULL for none */
};

/** How a 4774 label element is written. */
struct gt_label_style {
	const char *prefix;   /**< namespace prefix, NULL for a default namespace */
	bool token_spaces;    /**< pad PolicyIdentifier/Classification with blanks (xs:token) */
	bool omit_creation;   /**< leave out CreationDateTime (not strict 4774: bad_label) */
	bool single_quotes;   /**< quote attributes with ' (WinTAK style) */
	const char *creation; /**< CreationDateTime text, e.g. "2026-11-22T10:00:00Z" */
};

/** Append the marking string `POLICY CLASS[//REL TO A, B]` (GUARD-SPEC 4.5 grammar). */
void gt_label_marking(const struct gt_label *l, struct gt_buf *b);

/** Append the 4774 originatorConfidentialityLabel element. */
void gt_label_4774(const struct gt_label *l, const struct gt_label_style *st, struct gt_buf *b);

#endif
