/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The folding table generated at build time (tablegen/insp_fold_gen.c) against libutf8proc
 * itself: for every code point, and a few values beyond, insp_fold_class() and
 * insp_fold_cp() give what the folding of insp_fold.h computed with utf8proc gives (the
 * algorithm below is the one insp_fold.c ran at run time before the table).
 */
#include <stdint.h>
#include <utf8proc.h>

#include "insp_fold.h"
#include "insp_fold_ref.h"
#include "test.h"

/* Does the table agree with utf8proc on @p cp? Prints the first few differences. */
static int
same(uint32_t cp, int *shown)
{
	uint32_t got[INSP_FOLD_MAX], want[INSP_FOLD_MAX];
	enum insp_cp_class gc = insp_fold_class(cp), wc = ref_class(cp);
	int gn = insp_fold_cp(cp, got), wn = ref_fold(cp, want);

	if (gc == wc && gn == wn && memcmp(got, want, sizeof(got[0]) * (size_t)wn) == 0)
		return 1;
	if ((*shown)++ < 10)
		printf("#   U+%04X: class %d, %d code points (first U+%04X); utf8proc: class %d, "
		       "%d (first U+%04X)\n",
		       cp, gc, gn, gn > 0 ? got[0] : 0, wc, wn, wn > 0 ? want[0] : 0);
	return 0;
}

int
main(void)
{
	static const uint32_t beyond[] = {0x110000, 0x110001, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
	uint32_t bad = 0, folded = 0, classes[4] = {0};
	int shown = 0;

	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		uint32_t f[INSP_FOLD_MAX];
		int n;

		if (!same(cp, &shown))
			bad++;
		classes[insp_fold_class(cp)]++;
		n = insp_fold_cp(cp, f);
		folded += !(n == 1 && f[0] == cp);
	}
	CHECK(bad == 0,
	      "table = utf8proc for every code point 0..10FFFF, surrogates included "
	      "(%u differ)",
	      bad);
	CHECK(classes[INSP_CP_FOLD] > 0 && classes[INSP_CP_SPACE] > 0 &&
		      classes[INSP_CP_DELETE] > 0 && classes[INSP_CP_BIDI] == 9,
	      "all four classes occur (fold %u, space %u, delete %u, bidi %u)",
	      classes[INSP_CP_FOLD], classes[INSP_CP_SPACE], classes[INSP_CP_DELETE],
	      classes[INSP_CP_BIDI]);
	CHECK(folded > 11172, "%u code points fold to something else", folded);
	bad = 0;
	for (size_t i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++)
		if (!same(beyond[i], &shown))
			bad++;
	CHECK(bad == 0, "table = utf8proc beyond U+10FFFF (%u differ)", bad);

	/* a few known foldings, so that a table and a utf8proc both wrong would show */
	{
		uint32_t f[INSP_FOLD_MAX];
		int n;

		n = insp_fold_cp(0x212A, f); /* KELVIN SIGN */
		CHECK(n == 1 && f[0] == 'K', "U+212A folds to K");
		n = insp_fold_cp(0xFF34, f); /* FULLWIDTH T */
		CHECK(n == 1 && f[0] == 'T', "U+FF34 folds to T");
		n = insp_fold_cp(0x1E9E, f); /* CAPITAL SHARP S */
		CHECK(n == 2 && f[0] == 's' && f[1] == 's', "U+1E9E folds to ss");
		n = insp_fold_cp(0x0301, f); /* COMBINING ACUTE */
		CHECK(n == 0, "a lone combining mark folds to nothing");
		n = insp_fold_cp(0xFDFA, f);
		CHECK(n == 18, "U+FDFA folds to 18 code points");
		n = insp_fold_cp(0xD55C, f); /* HANGUL SYLLABLE HAN */
		CHECK(n == 3 && f[0] == 0x1112 && f[1] == 0x1161 && f[2] == 0x11AB,
		      "U+D55C folds to its jamo");
		CHECK(insp_fold_class(0x3164) == INSP_CP_SPACE, "U+3164 is a space");
		CHECK(insp_fold_class(0x200B) == INSP_CP_DELETE, "U+200B is deleted");
		CHECK(insp_fold_class(0x202E) == INSP_CP_BIDI, "U+202E is bidi");
	}
	return test_done();
}
