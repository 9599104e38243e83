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

#define INSP_LABEL_MAX_VALUES 32  /**< Releasable-To values, restrictive, informative each */
#define INSP_LABEL_TAGBUF     256 /**< TagNames whose inner whitespace had to be collapsed */
#define INSP_4774_NS	      "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"

/*
 * What lenient mode accepted and normalised in an off-standard 4774 label (bits of
 * insp_label.normalised), each a form public labelling code writes (docs/decisions.md).
 * X(bit name, text for the decision detail)
 */
#define INSP_LABEL_NORMS(X)                                                           \
	X(ROOT_NAME, "root not originatorConfidentialityLabel")                       \
	X(NAMESPACE, "elements in no namespace")                                      \
	X(VERSION_ATTR, "version attribute ignored")                                  \
	X(NO_CREATION, "no CreationDateTime")                                         \
	X(URL_ATTR, "URL read as URI")                                                \
	X(TYPE_CASE, "Category Type not upper case")                                  \
	X(ORDER, "elements out of schema order")                                      \
	X(REVIEW_ON_CI, "ReviewDateTime on ConfidentialityInformation")               \
	X(CLASS_PREFIX, "policy name repeated in Classification")                     \
	X(POLICY_FROM_CLASS, "no PolicyIdentifier, policy taken from Classification") \
	X(URI_NOT_OID, "URI not urn:oid")                                             \
	X(IDTYPE_CASE, "OriginatorID IDType not as the schema spells it")

enum {
#define INSP_LABEL_NORM_BIT(id, text) INSP_LABEL_NORM_BIT_##id,
	INSP_LABEL_NORMS(INSP_LABEL_NORM_BIT)
#undef INSP_LABEL_NORM_BIT
};
#define INSP_LABEL_NORM(id) (1u << INSP_LABEL_NORM_BIT_##id)

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
	uint16_t normalised; /**< INSP_LABEL_NORM() bits: what lenient mode normalised */
	uint32_t tagbuf_len;
	uint8_t tagbuf[INSP_LABEL_TAGBUF]; /**< collapsed TagNames (xs:token) live here */
};

/**
 * The normalisations in @p mask as text ("no CreationDateTime; URL read as URI"), for the
 * decision detail. @return @p buf.
 */
char *insp_label_norm_text(uint16_t mask, char *buf, size_t cap);

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
	uint8_t n_policy, n_class, n_privacy, n_created, n_originator;
	uint8_t root_stage; /**< schema order among the root's children */
	uint8_t ci_stage;   /**< schema order among ConfidentialityInformation's children */
	uint8_t cat_type;   /**< current Category's Type */
	struct insp_str cat_tag;
	uint32_t root_depth; /**< XML depth of the label's root element */
	uint32_t offset;
	const char *why;
};

/**
 * Is this START event the root of a 4774 label? True for every global label element of the
 * 4774 schema (originatorConfidentialityLabel, the legacy ConfidentialityLabel,
 * alternativeConfidentialityLabel, metadataConfidentialityLabel) in any case and any
 * namespace, so that something that looks like a label is never read as ordinary content.
 */
int insp_label_4774_is_root(const struct insp_xml_event *ev);

/**
 * Begin a label at its root START event. Strict mode accepts exactly the ADatP-4774
 * schema (docs/decisions.md lists it); lenient mode also accepts the off-standard forms of
 * INSP_LABEL_NORMS and records them in out->normalised. An alternative or metadata label is
 * never the message's label.
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
