/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "insp_fold.h"

/*
 * Generated at build time from libutf8proc by tablegen/insp_fold_gen.c, which says how the
 * table is laid out; tests/unit/test_fold_table.c checks it against utf8proc for every code
 * point.
 */
#include "insp_fold_table.h"

#define CP_END 0x110000u

/* The table's value for @p cp (< CP_END): class in the low 2 bits, entry above. */
static inline uint32_t
fold_value(uint32_t cp)
{
	return insp_fold_stage2[insp_fold_stage1[cp >> INSP_FOLD_SHIFT]]
			       [cp & ((1u << INSP_FOLD_SHIFT) - 1)];
}

enum insp_cp_class
insp_fold_class(uint32_t cp)
{
	if (cp >= CP_END) /* not a code point: utf8proc gives it no property at all */
		return INSP_CP_FOLD;
	return (enum insp_cp_class)(fold_value(cp) & 3);
}

int
insp_fold_cp(uint32_t cp, uint32_t *out)
{
	uint32_t rel, e, n;

	if (cp < 0x80 || cp >= CP_END) /* ASCII folds to itself, as does a non-code point */
		goto self;
	if (cp - INSP_FOLD_HANGUL_SBASE < INSP_FOLD_HANGUL_SCOUNT) {
		/* a Hangul syllable: its jamo, arithmetically (Unicode 3.12) */
		uint32_t s = cp - INSP_FOLD_HANGUL_SBASE;
		uint32_t t = s % INSP_FOLD_HANGUL_TCOUNT;

		out[0] = INSP_FOLD_HANGUL_LBASE + s / INSP_FOLD_HANGUL_NCOUNT;
		out[1] = INSP_FOLD_HANGUL_VBASE +
			 (s % INSP_FOLD_HANGUL_NCOUNT) / INSP_FOLD_HANGUL_TCOUNT;
		if (t == 0)
			return 2;
		out[2] = INSP_FOLD_HANGUL_TBASE + t;
		return 3;
	}
	rel = fold_value(cp) >> 2;
	if (rel == 0)
		goto self;
	e = insp_fold_entries[insp_fold_base[cp >> INSP_FOLD_SHIFT] + rel - 1];
	n = e >> 21;
	if (n == 1) {
		out[0] = e & 0x1FFFFF;
		return 1;
	}
	memcpy(out, &insp_fold_pool[e & 0x1FFFFF], sizeof(out[0]) * n);
	return (int)n;
self:
	out[0] = cp;
	return 1;
}
