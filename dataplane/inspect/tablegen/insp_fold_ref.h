/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The folding and classification of one code point as libutf8proc defines them
 * (insp_fold.h): the reference the build-time generator (insp_fold_gen.c) turns into tables
 * and tests/unit/test_fold_table.c checks the tables against. Header-only, static: each of
 * the two is its own program linking utf8proc; the library never includes this.
 */
#ifndef INSP_FOLD_REF_H
#define INSP_FOLD_REF_H

#include <stdint.h>

#include <utf8proc.h>

#include "insp_fold.h"

/*
 * Hangul fillers and the braille blank: letters or symbols to Unicode, but a reader sees a
 * blank, so deleting them would glue two words together ("BLUE<U+3164>SENTINEL").
 */
static int
renders_as_blank(uint32_t cp)
{
	return cp == 0x115F || cp == 0x1160 || cp == 0x2800 || cp == 0x3164 || cp == 0xFFA0;
}

static enum insp_cp_class
ref_class(uint32_t cp)
{
	const utf8proc_property_t *prop;

	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return INSP_CP_BIDI;
	if (renders_as_blank(cp) || cp == 0x85) /* NEL is a line end (XML 1.1, Unicode) */
		return INSP_CP_SPACE;
	prop = utf8proc_get_property((utf8proc_int32_t)cp);
	switch (prop->category) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return INSP_CP_SPACE;
	case UTF8PROC_CATEGORY_CF: /* format characters: invisible by definition */
	case UTF8PROC_CATEGORY_CC: /* C1 controls and DEL: nothing a reader sees */
		return INSP_CP_DELETE;
	default:
		return prop->ignorable ? INSP_CP_DELETE : INSP_CP_FOLD;
	}
}

/* NFKD with the marks removed (one code point; marks go, so no reordering is needed). */
#define STAGE1 (UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK)
/* the same plus full case folding, for what stage 1 left non-ASCII */
#define STAGE2 (STAGE1 | UTF8PROC_CASEFOLD)

static int
ref_fold(uint32_t cp, uint32_t *out)
{
	utf8proc_int32_t first[INSP_FOLD_MAX], second[INSP_FOLD_MAX];
	int boundclass = 0, n = 0;
	utf8proc_ssize_t n1;

	n1 = utf8proc_decompose_char((utf8proc_int32_t)cp, first, INSP_FOLD_MAX, STAGE1,
				     &boundclass);
	if (n1 < 0 || n1 > INSP_FOLD_MAX) { /* cannot happen for a scalar value: keep it */
		out[0] = cp;
		return 1;
	}
	/*
	 * Two stages so that ASCII keeps its case: "K" from the Kelvin sign or a fullwidth
	 * letter stays upper case, as an ASCII "K" would, while every other letter is folded.
	 */
	for (utf8proc_ssize_t i = 0; i < n1; i++) {
		utf8proc_ssize_t n2;

		if (first[i] < 0x80) {
			if (n < INSP_FOLD_MAX)
				out[n++] = (uint32_t)first[i];
			continue;
		}
		n2 = utf8proc_decompose_char(first[i], second, INSP_FOLD_MAX, STAGE2, &boundclass);
		if (n2 < 0 || n2 > INSP_FOLD_MAX) {
			second[0] = first[i];
			n2 = 1;
		}
		for (utf8proc_ssize_t k = 0; k < n2 && n < INSP_FOLD_MAX; k++)
			out[n++] = (uint32_t)second[k];
	}
	return n;
}

#endif
