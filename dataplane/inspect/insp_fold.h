/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * One code point as a reader perceives it, for matching (GUARD-SPEC 4.4, 4.5; issue 8).
 *
 * Every scan unit is matched in a folded form that both the message text and the policy's
 * literals pass through, so that what renders as a term matches the term:
 *
 *  - a Unicode space (Zs, Zl, Zp, NEL), the braille blank and the Hangul fillers that
 *    render as a blank (U+115F, U+1160, U+3164, U+FFA0) become one ASCII space;
 *  - every other default-ignorable code point and every format character (Cf: zero-width
 *    characters, soft hyphen, tag characters, interlinear annotation anchors, Egyptian
 *    hieroglyph format controls, ...) is deleted;
 *  - bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069) are a
 *    class of their own: the caller refuses them or, where a channel allows them, deletes
 *    them and also scans the text in display order (insp_norm.h);
 *  - everything else non-ASCII goes through libutf8proc: the compatibility decomposition
 *    of NFKC (fullwidth letters, ligatures, the Kelvin sign, ...), combining marks removed
 *    (Mn, Mc, Me), and full Unicode case folding (U+1E9E is "ss"). ASCII letters keep their
 *    case (Hyperscan's caseless flag covers them, and an expression compiled case-sensitive
 *    still sees "TK" from fullwidth "ＴＫ" as upper case); every other letter is folded.
 *
 * The result is left decomposed (NFKD order): nothing that composes survives mark removal
 * except Hangul jamo, and both sides of a match go through the same function, so
 * recomposing would change no match.
 *
 * The classification and folding come from libutf8proc's tables (Unicode 15.0, utf8proc 2.8
 * in Debian 12), never from hand-made lists, except the four fillers and the bidi controls,
 * which the Unicode tables do not single out. They are generated from libutf8proc at build
 * time (tablegen/insp_fold_gen.c, insp_fold_table.h), so the library does not link utf8proc
 * and folds with a few array reads per code point, no allocation; tests/unit/test_fold_table.c
 * checks the table against utf8proc for every code point.
 */
#ifndef INSP_FOLD_H
#define INSP_FOLD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What matching does with a code point. */
enum insp_cp_class {
	INSP_CP_FOLD = 0, /**< kept, through insp_fold_cp() */
	INSP_CP_SPACE,	  /**< becomes one ASCII space */
	INSP_CP_DELETE,	  /**< deleted */
	INSP_CP_BIDI,	  /**< bidi embedding, override or isolate: refused or deleted */
};

/** Longest folding of one code point (U+FDFA gives 18). */
#define INSP_FOLD_MAX 32

/** The class of a non-ASCII code point (ASCII is always INSP_CP_FOLD, unchanged). */
enum insp_cp_class insp_fold_class(uint32_t cp);

/**
 * Fold one non-ASCII code point of class INSP_CP_FOLD into @p out (at least INSP_FOLD_MAX
 * entries). @return the number of code points written (0 for a lone combining mark).
 */
int insp_fold_cp(uint32_t cp, uint32_t *out);

/** Is @p cp a right-to-left override (U+202E), whose span displays reversed? */
static inline int
insp_fold_is_rlo(uint32_t cp)
{
	return cp == 0x202E;
}

/** Does @p cp end a bidi embedding or override (PDF, U+202C) or an isolate (PDI, U+2069)? */
static inline int
insp_fold_is_pop(uint32_t cp)
{
	return cp == 0x202C || cp == 0x2069;
}

#ifdef __cplusplus
}
#endif
#endif
