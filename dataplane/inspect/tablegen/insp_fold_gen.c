/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Build-time generator of the folding table (insp_fold_table.h) from libutf8proc, so that
 * the inspect library needs no utf8proc at run time. The folding itself is described in
 * insp_fold.h; ref_class() and ref_fold() below are that description in utf8proc's terms
 * (tests/unit/test_fold_table.c checks every code point of the table against them).
 *
 * The table is two-level, one value per code point, in blocks of 256 code points:
 *
 *   v = insp_fold_stage2[insp_fold_stage1[cp >> 8]][cp & 0xFF]
 *
 * v & 3 is the class (enum insp_cp_class); v >> 2 is 0 when the code point folds to itself,
 * else one more than its entry's index relative to insp_fold_base[cp >> 8], so that blocks
 * with the same pattern are stored once. An entry is (n << 21) | x: n code points, x the
 * one code point when n is 1, else an offset into insp_fold_pool. Hangul syllables are left
 * out (they fold to themselves in the table): they decompose arithmetically (Unicode 3.12),
 * which insp_fold.c does and this generator checks against utf8proc.
 *
 * Usage: insp_fold_gen OUTPUT.h
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "insp_fold.h"

#define CP_N	 0x110000u
#define SHIFT	 8
#define BLOCK	 (1u << SHIFT)
#define N_BLOCKS (CP_N >> SHIFT)

/* The Hangul syllables (Unicode 3.12, "Conjoining Jamo Behavior"). */
#define H_SBASE 0xAC00u
#define H_LBASE 0x1100u
#define H_VBASE 0x1161u
#define H_TBASE 0x11A7u
#define H_TCNT	28u
#define H_NCNT	588u /* V count * T count */
#define H_SCNT	11172u

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

static void
die(const char *what, uint32_t cp)
{
	fprintf(stderr, "insp_fold_gen: %s (U+%04X)\n", what, cp);
	exit(1);
}

/* Hangul syllables: does utf8proc give the arithmetic decomposition insp_fold.c uses? */
static void
check_hangul(uint32_t cp, const uint32_t *f, int n)
{
	uint32_t s = cp - H_SBASE, t = H_TBASE + s % H_TCNT;
	uint32_t want[3] = {H_LBASE + s / H_NCNT, H_VBASE + (s % H_NCNT) / H_TCNT, t};
	int wn = t == H_TBASE ? 2 : 3;

	if (ref_class(cp) != INSP_CP_FOLD || n != wn ||
	    memcmp(f, want, sizeof(want[0]) * (size_t)wn) != 0)
		die("a Hangul syllable does not decompose arithmetically", cp);
}

static uint16_t value[CP_N];		 /* per code point, base-relative */
static int32_t entry_of[CP_N];		 /* absolute entry index or -1 */
static uint32_t entries[CP_N];		 /* (n << 21) | (cp or pool offset) */
static uint32_t pool[CP_N];		 /* multi-code-point foldings */
static uint16_t stage2[N_BLOCKS][BLOCK]; /* the distinct blocks */
static uint32_t stage1[N_BLOCKS], base[N_BLOCKS];

static void
print_u32s(FILE *out, const char *decl, const uint32_t *a, uint32_t n, int per_line)
{
	fprintf(out, "%s = {", decl);
	for (uint32_t i = 0; i < n; i++)
		fprintf(out, "%s0x%X,", i % (uint32_t)per_line ? " " : "\n\t", a[i]);
	fprintf(out, "\n};\n");
}

int
main(int argc, char **argv)
{
	uint32_t n_entries = 0, n_pool = 0, n_distinct = 0, max_stage1 = 0;
	FILE *out;

	if (argc != 2) {
		fprintf(stderr, "usage: insp_fold_gen OUTPUT.h\n");
		return 2;
	}
	for (uint32_t cp = 0; cp < CP_N; cp++) {
		uint32_t f[INSP_FOLD_MAX];
		int n = ref_fold(cp, f);

		if (n < 0 || n >= 32)
			die("folding longer than 31 code points", cp);
		entry_of[cp] = -1;
		if (cp - H_SBASE < H_SCNT) {
			check_hangul(cp, f, n);
			continue;
		}
		if (n == 1 && f[0] == cp)
			continue;
		entry_of[cp] = (int32_t)n_entries;
		if (n == 1) {
			entries[n_entries++] = (1u << 21) | f[0];
			continue;
		}
		/* a lone mark (n 0) points at the pool's start, which always exists */
		entries[n_entries++] = ((uint32_t)n << 21) | (n ? n_pool : 0);
		memcpy(pool + n_pool, f, sizeof(f[0]) * (size_t)n);
		n_pool += (uint32_t)n;
	}
	if (n_pool >= (1u << 21))
		die("pool too large", 0);

	for (uint32_t b = 0; b < N_BLOCKS; b++) {
		int32_t first = -1;
		uint32_t d;

		for (uint32_t i = 0; i < BLOCK; i++) {
			uint32_t cp = b * BLOCK + i, rel = 0;

			if (entry_of[cp] >= 0) {
				if (first < 0)
					first = entry_of[cp];
				rel = (uint32_t)(entry_of[cp] - first) + 1;
			}
			value[cp] = (uint16_t)((uint32_t)ref_class(cp) | rel << 2);
		}
		base[b] = first < 0 ? 0 : (uint32_t)first;
		if (base[b] > 0xFFFF)
			die("entry base beyond 16 bits", b * BLOCK);
		for (d = 0; d < n_distinct; d++)
			if (memcmp(stage2[d], value + b * BLOCK, sizeof(stage2[d])) == 0)
				break;
		if (d == n_distinct)
			memcpy(stage2[n_distinct++], value + b * BLOCK, sizeof(stage2[d]));
		stage1[b] = d;
		if (d > max_stage1)
			max_stage1 = d;
	}

	out = fopen(argv[1], "w");
	if (out == NULL) {
		perror(argv[1]);
		return 1;
	}
	fprintf(out,
		"/* Generated by insp_fold_gen from utf8proc %s (Unicode %s): do not edit. */\n",
		utf8proc_version(), utf8proc_unicode_version());
	fprintf(out, "/* %u blocks of %u, %u entries, %u pooled code points */\n", n_distinct,
		BLOCK, n_entries, n_pool);
	fprintf(out, "#define INSP_FOLD_SHIFT %d\n", SHIFT);
	fprintf(out, "#define INSP_FOLD_HANGUL_SBASE 0x%X\n", H_SBASE);
	fprintf(out, "#define INSP_FOLD_HANGUL_LBASE 0x%X\n", H_LBASE);
	fprintf(out, "#define INSP_FOLD_HANGUL_VBASE 0x%X\n", H_VBASE);
	fprintf(out, "#define INSP_FOLD_HANGUL_TBASE 0x%X\n", H_TBASE);
	fprintf(out, "#define INSP_FOLD_HANGUL_TCOUNT %u\n", H_TCNT);
	fprintf(out, "#define INSP_FOLD_HANGUL_NCOUNT %u\n", H_NCNT);
	fprintf(out, "#define INSP_FOLD_HANGUL_SCOUNT %u\n", H_SCNT);
	fprintf(out, "static const %s insp_fold_stage1[%u] = {",
		max_stage1 <= 0xFF ? "uint8_t" : "uint16_t", N_BLOCKS);
	for (uint32_t b = 0; b < N_BLOCKS; b++)
		fprintf(out, "%s%u,", b % 16 ? " " : "\n\t", stage1[b]);
	fprintf(out, "\n};\n");
	fprintf(out, "static const uint16_t insp_fold_base[%u] = {", N_BLOCKS);
	for (uint32_t b = 0; b < N_BLOCKS; b++)
		fprintf(out, "%s%u,", b % 16 ? " " : "\n\t", base[b]);
	fprintf(out, "\n};\n");
	fprintf(out, "static const uint16_t insp_fold_stage2[%u][%u] = {", n_distinct, BLOCK);
	for (uint32_t d = 0; d < n_distinct; d++) {
		fprintf(out, "\n\t{");
		for (uint32_t i = 0; i < BLOCK; i++)
			fprintf(out, "%s%u,", i % 16 ? " " : "\n\t\t", stage2[d][i]);
		fprintf(out, "\n\t},");
	}
	fprintf(out, "\n};\n");
	print_u32s(out, "static const uint32_t insp_fold_entries[]", entries,
		   n_entries ? n_entries : 1, 8);
	print_u32s(out, "static const uint32_t insp_fold_pool[]", pool, n_pool ? n_pool : 1, 8);
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
