/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A scan unit's text in the forms the patterns are matched against (GUARD-SPEC 4.5,
 * docs/decisions.md "What a reader sees"):
 *
 *  - the folded form (insp_fold.h): Unicode spaces and blank fillers one ASCII space,
 *    invisible characters deleted, compatibility forms decomposed, marks removed, non-ASCII
 *    letters case-folded. Every pattern is matched against it. All-ASCII text is copied as
 *    it is (only DEL is deleted), so most traffic costs a memcpy;
 *  - the skeleton form (insp_skel.h): each letter as the Latin letter it looks like, lower
 *    case. Only literal phrases are matched against it, and only units whose folded form
 *    still has non-ASCII letters get one (otherwise it would be the folded form in lower
 *    case, which caseless literals already see);
 *  - the display order (INSP_NORM_VISUAL): the folded form with every right-to-left
 *    override span reversed, as a reader sees it. Only where a channel allows bidi
 *    controls (they are refused everywhere else) and the text has an override.
 *
 * A unit may be several pieces of text read as one (an element's string value), so the
 * input is an array of strings. The input must be valid UTF-8 (every format validates its
 * text first); output never exceeds @p cap, and a unit that does not fit is an error the
 * format reports as malformed (fail closed).
 */
#ifndef INSP_NORM_H
#define INSP_NORM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "insp_simd.h"
#include "insp_xml.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Forms a unit is in and a pattern is matched against (bits). */
#define INSP_FORM_FOLDED   1u
#define INSP_FORM_SKELETON 2u

/** Flags of insp_norm_text(). */
#define INSP_NORM_SKELETON   1u /**< write the skeleton form instead of the folded form */
#define INSP_NORM_ALLOW_BIDI 2u /**< bidi controls are deleted instead of refused */
#define INSP_NORM_VISUAL     4u /**< reverse right-to-left override spans (display order) */

#define INSP_NORM_FULL (-1) /**< the output does not fit in cap */
#define INSP_NORM_BIDI (-2) /**< a bidi control without INSP_NORM_ALLOW_BIDI */

/**
 * Length of the longest prefix of @p s that every form leaves as it is but for case: ASCII
 * below DEL. Eight bytes at a time (a byte >= 0x7F has its top bit set itself or after
 * adding 1, and no lane carries below 0x80).
 */
static inline size_t
insp_norm_ascii_prefix(const uint8_t *s, size_t len)
{
	return (size_t)(insp_simd_ascii_end(s, s + len) - s);
}

/** What insp_norm_text() saw in the input. */
struct insp_norm_info {
	uint32_t bidi_cp;     /**< the refused bidi control (INSP_NORM_BIDI) */
	uint8_t non_ascii;    /**< visible non-ASCII text: worth a skeleton form */
	uint8_t rtl_override; /**< a right-to-left override: worth a display-order form */
};

/**
 * Write the concatenation of @p n pieces in one form (@p flags) to @p out.
 * @return bytes written, INSP_NORM_FULL or INSP_NORM_BIDI.
 */
long insp_norm_text(const struct insp_str *pieces, uint32_t n, uint32_t flags, uint8_t *out,
		    size_t cap, struct insp_norm_info *info);

/**
 * A policy literal in one form, NUL-terminated, for compiling (the same functions as the
 * text it must match). @return length, or -1 if it does not fit or has a bidi control.
 */
long insp_norm_literal(const char *literal, uint32_t flags, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
