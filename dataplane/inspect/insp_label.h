/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Security labels (GUARD-SPEC 4.1, 4.5): the two carriers, decoded into one structure.
 *
 *  - a marking string: `POLICY CLASSIFICATION[//REL TO X, Y, Z]` (insp_label_parse_marking);
 *  - a STANAG 4774 originatorConfidentialityLabel, fed element by element from the XML
 *    parser while a format walks its document (insp_label_4774_*).
 *
 * This module checks syntax and structure only; whether a policy identifier or a
 * classification name exists is decided against the policy in insp_inspect.c.
 * Strings point into the message or the parser's arena; nothing is copied or allocated.
 */
#ifndef INSP_LABEL_H
#define INSP_LABEL_H

#include <stdint.h>

#include "insp_xml.h"

#ifdef __cplusplus
extern "C" {
#endif

#define INSP_LABEL_MAX_VALUES 32 /**< Releasable-To values, restrictive, informative each */
#define INSP_4774_NS	      "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"

/** A category value with its tag (RESTRICTIVE or INFORMATIVE). */
struct insp_label_tag_value {
	struct insp_str tag;
	struct insp_str value;
};

struct insp_label {
	struct insp_str policy;
	struct insp_str classification;
	uint32_t n_rel; /**< Releasable-To codes as written (groups not expanded) */
	struct insp_str rel[INSP_LABEL_MAX_VALUES];
	uint32_t n_restrictive;
	struct insp_label_tag_value restrictive[INSP_LABEL_MAX_VALUES];
	uint32_t n_informative;
	struct insp_label_tag_value informative[INSP_LABEL_MAX_VALUES];
	uint8_t normalised; /**< lenient mode accepted an off-standard 4774 label */
};

/**
 * Parse a marking string (the whole attribute/field value).
 * @return 0, or -1 with a short reason in @p why (e.g. "double space").
 */
int insp_label_parse_marking(const uint8_t *s, uint32_t len, struct insp_label *out,
			     const char **why);

/** Builder state for one 4774 label subtree. */
struct insp_label_4774 {
	struct insp_label *out;
	uint8_t strict;
	uint8_t failed; /**< first error recorded in why/offset */
	uint8_t state;	/**< where in the label structure we are */
	uint8_t n_ci;	/**< ConfidentialityInformation seen */
	uint8_t n_policy, n_class, n_privacy, n_created;
	uint8_t cat_type; /**< current Category's Type */
	struct insp_str cat_tag;
	uint32_t root_depth; /**< XML depth of the label's root element */
	uint32_t offset;
	const char *why;
};

/**
 * Is this START event the root of a 4774 label? True for the exact element in the 4774
 * namespace, and also (so that it is never mistaken for ordinary content) for any element
 * whose local name is originatorConfidentialityLabel in any case or namespace.
 */
int insp_label_4774_is_root(const struct insp_xml_event *ev);

/**
 * Begin a label at its root START event. In strict mode an off-standard root (other
 * namespace or case) is an error; lenient mode accepts it and sets out->normalised.
 */
void insp_label_4774_begin(struct insp_label_4774 *b, struct insp_label *out, int strict,
			   const struct insp_xml_event *root);

/**
 * Feed every event inside the label (after the root START, up to and including the root's
 * END). TEXT events may be modified in place (xs:token whitespace collapse).
 * @return 1 when the root END was consumed, else 0.
 */
int insp_label_4774_feed(struct insp_label_4774 *b, struct insp_xml_event *ev);

/**
 * After the root END: 0 if the label is complete and valid, else -1 with b->why/offset.
 */
int insp_label_4774_end(struct insp_label_4774 *b);

#ifdef __cplusplus
}
#endif
#endif
