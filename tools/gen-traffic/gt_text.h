/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Free text for remarks and chat: realistic sentences drawn from a vocabulary chosen to stay
 * clear of every prohibited term and marking of rules/sample-policy.yaml, and the encodings
 * used to hide a term or marking on purpose (case and whitespace, character references,
 * invisible characters). Everything appended is already XML-encoded.
 */
#ifndef GT_TEXT_H
#define GT_TEXT_H

#include "gt_buf.h"
#include "gt_rng.h"

/** Append one remarks sentence, with a separating blank if @p b is not empty. */
void gt_text_sentence(struct gt_rng *r, struct gt_buf *b);

/** Append one short GeoChat line, with a separating blank if @p b is not empty. */
void gt_text_chat(struct gt_rng *r, struct gt_buf *b);

/** How gt_text_phrase() writes a phrase. */
enum gt_obf {
	GT_OBF_PLAIN,	    /**< as given */
	GT_OBF_CASE_SPACE,  /**< words in mixed case, runs of blanks/tabs/newlines between */
	GT_OBF_DEC_REF,	    /**< one letter as a decimal character reference (&#97;) */
	GT_OBF_HEX_REF,	    /**< one letter as a hexadecimal character reference (&#x61;) */
	GT_OBF_SOFT_HYPHEN, /**< U+00AD inside a word */
	GT_OBF_ZWSP,	    /**< U+200B inside a word */
};

/** Append @p phrase (ASCII, words separated by single blanks) written as @p how says. */
void gt_text_phrase(struct gt_rng *r, const char *phrase, enum gt_obf how, struct gt_buf *b);

/** Append a sentence that carries @p phrase_xml (already encoded) in its middle. */
void gt_text_wrap(struct gt_rng *r, const char *phrase_xml, struct gt_buf *b);

#endif
