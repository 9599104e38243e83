/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Build-time generator of the confusable-skeleton table (insp_skel.h) from ICU's UTS #39
 * data (uspoof_getSkeleton) and the guard's own folding (insp_fold.c). Run by meson; the
 * inspect library then needs neither ICU nor any allocation at run time.
 *
 * The skeleton form (insp_skel.h) maps each non-ASCII letter to the Latin letter a reader
 * takes it for, lower case; ASCII is only lower-cased. For a code point c that matching
 * keeps (insp_fold_class() == INSP_CP_FOLD):
 *   glyph first:  fold(skeleton(nfkd(c)))          Greek capital BETA is "B"
 *   folded first: fold(skeleton(lower(fold(c))))   for what has no Latin look-alike
 * the first that is all ASCII wins, else the second, lower-cased; and only an all-ASCII
 * result is kept (the table is for Latin look-alikes). ICU's prototypes are
 * case-sensitive and meant for comparing two identifiers; two fix-ups make them fit a
 * caseless phrase match: the prototype of every I-like capital is "l" (ICU folds I, l, 1
 * and | together), which becomes "i" when c is an upper-case letter or number (Cyrillic
 * capital I, Roman numeral two); and the prototype of m-like letters, "rn", becomes "m".
 * An entry is written only where the result differs from lower(fold(c)), which is what
 * insp_skel_cp() gives every other code point, and never for a code point that folds to
 * ASCII (ASCII is only lower-cased, so "①" stays "1").
 *
 * Usage: insp_skel_gen OUTPUT.h
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uspoof.h>
#include <unicode/utf8.h>
#include <utf8proc.h>

#include "insp_fold.h"

#define SEQ_MAX 64

struct seq {
	int n;
	uint32_t cp[SEQ_MAX];
};

static void
push(struct seq *s, uint32_t cp)
{
	if (s->n == SEQ_MAX) {
		fprintf(stderr, "insp_skel_gen: sequence longer than %d\n", SEQ_MAX);
		exit(1);
	}
	s->cp[s->n++] = cp;
}

/* lower(fold(x)) for every code point of x, as the runtime folds text. */
static void
refold(const struct seq *in, struct seq *out)
{
	out->n = 0;
	for (int i = 0; i < in->n; i++) {
		uint32_t cp = in->cp[i], f[INSP_FOLD_MAX];
		int n;

		if (cp < 0x80) {
			push(out, cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
			continue;
		}
		switch (insp_fold_class(cp)) {
		case INSP_CP_SPACE:
			push(out, ' ');
			continue;
		case INSP_CP_DELETE:
		case INSP_CP_BIDI:
			continue;
		case INSP_CP_FOLD:
			break;
		}
		n = insp_fold_cp(cp, f);
		for (int k = 0; k < n; k++)
			push(out, f[k] >= 'A' && f[k] <= 'Z' ? f[k] + 32 : f[k]);
	}
}

static USpoofChecker *spoof;

static void
skeleton(const struct seq *in, struct seq *out)
{
	char u8[SEQ_MAX * 4 + 1], sk[SEQ_MAX * 4 * 4];
	int32_t len = 0, n, i = 0;
	UErrorCode st = U_ZERO_ERROR;

	for (int k = 0; k < in->n; k++) {
		UBool err = 0;

		U8_APPEND((uint8_t *)u8, len, (int32_t)sizeof(u8) - 1, (UChar32)in->cp[k], err);
		if (err) {
			fprintf(stderr, "insp_skel_gen: cannot encode U+%04X\n", in->cp[k]);
			exit(1);
		}
	}
	u8[len] = '\0';
	n = uspoof_getSkeletonUTF8(spoof, 0, u8, len, sk, (int32_t)sizeof(sk), &st);
	if (U_FAILURE(st)) {
		fprintf(stderr, "insp_skel_gen: uspoof_getSkeletonUTF8: %s\n", u_errorName(st));
		exit(1);
	}
	out->n = 0;
	while (i < n) {
		UChar32 c;

		U8_NEXT((const uint8_t *)sk, i, n, c);
		if (c < 0) {
			fprintf(stderr, "insp_skel_gen: ICU returned invalid UTF-8\n");
			exit(1);
		}
		push(out, (uint32_t)c);
	}
}

static int
all_ascii(const struct seq *s)
{
	for (int i = 0; i < s->n; i++)
		if (s->cp[i] >= 0x80)
			return 0;
	return 1;
}

static int
same(const struct seq *a, const struct seq *b)
{
	return a->n == b->n && memcmp(a->cp, b->cp, sizeof(a->cp[0]) * (size_t)a->n) == 0;
}

/* Upper-case letters and letter numbers (Roman numerals): their "l" prototype is an I. */
static int
is_upper(uint32_t cp)
{
	int cat = utf8proc_get_property((utf8proc_int32_t)cp)->category;

	return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ||
	       cat == UTF8PROC_CATEGORY_NL;
}

/* ICU prototypes to the letter a caseless reader sees: see the top of this file. */
static void
fix_up(struct seq *s, int upper)
{
	int o = 0;

	for (int i = 0; i < s->n; i++) {
		if (s->cp[i] == 'r' && i + 1 < s->n && s->cp[i + 1] == 'n') {
			s->cp[o++] = 'm';
			i++;
		} else if (s->cp[i] == 'l' && upper) {
			s->cp[o++] = 'i';
		} else {
			s->cp[o++] = s->cp[i];
		}
	}
	s->n = o;
}

static int
kept(uint32_t cp)
{
	const utf8proc_property_t *p;

	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x80)
		return 0; /* ASCII is only lower-cased, at run time */
	p = utf8proc_get_property((utf8proc_int32_t)cp);
	/* unassigned and private-use code points have no look-alike data */
	return p->category != UTF8PROC_CATEGORY_CN && p->category != UTF8PROC_CATEGORY_CO &&
	       insp_fold_class(cp) == INSP_CP_FOLD;
}

int
main(int argc, char **argv)
{
	UErrorCode st = U_ZERO_ERROR;
	FILE *out;
	uint32_t n_entries = 0, pool = 0;
	static struct {
		uint32_t cp;
		struct seq s;
	} entries[40000];

	if (argc != 2) {
		fprintf(stderr, "usage: insp_skel_gen OUTPUT.h\n");
		return 2;
	}
	spoof = uspoof_open(&st);
	if (U_FAILURE(st)) {
		fprintf(stderr, "insp_skel_gen: uspoof_open: %s\n", u_errorName(st));
		return 1;
	}
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		struct seq c = {0}, base, sk, s1, s2, nfkd = {0};
		utf8proc_int32_t d[INSP_FOLD_MAX];
		int bc = 0;
		utf8proc_ssize_t nd;

		if (!kept(cp))
			continue;
		push(&c, cp);
		refold(&c, &base);
		/*
		 * What folds to ASCII is only lower-cased, as ASCII is: "①" is "1", not ICU's
		 * "l", so a unit whose folded form is ASCII needs no skeleton form at all.
		 */
		if (all_ascii(&base))
			continue;
		/* glyph first, on the compatibility decomposition without marks */
		nd = utf8proc_decompose_char(
			(utf8proc_int32_t)cp, d, INSP_FOLD_MAX,
			UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK, &bc);
		if (nd < 0 || nd > INSP_FOLD_MAX) {
			fprintf(stderr, "insp_skel_gen: utf8proc failed on U+%04X\n", cp);
			return 1;
		}
		for (utf8proc_ssize_t k = 0; k < nd; k++)
			push(&nfkd, (uint32_t)d[k]);
		skeleton(&nfkd, &sk);
		fix_up(&sk, is_upper(cp));
		refold(&sk, &s1);
		/* folded first */
		skeleton(&base, &sk);
		fix_up(&sk, 0);
		refold(&sk, &s2);
		const struct seq *k = all_ascii(&s1) ? &s1 : &s2;

		/* only Latin look-alikes: other prototypes (Hangul jamo, CJK) are not our case */
		if (!all_ascii(k) || same(k, &base))
			continue;
		if (n_entries == sizeof(entries) / sizeof(entries[0])) {
			fprintf(stderr, "insp_skel_gen: too many entries\n");
			return 1;
		}
		entries[n_entries].cp = cp;
		entries[n_entries].s = *k;
		n_entries++;
	}
	uspoof_close(spoof);

	out = fopen(argv[1], "w");
	if (out == NULL) {
		perror(argv[1]);
		return 1;
	}
	fprintf(out, "/* Generated by insp_skel_gen from ICU %s (UTS #39) and utf8proc %s. */\n",
		U_ICU_VERSION, utf8proc_version());
	fprintf(out, "#define INSP_SKEL_N %u\n", n_entries);
	fprintf(out, "static const struct insp_skel_entry insp_skel_entries[INSP_SKEL_N] = {\n");
	for (uint32_t i = 0; i < n_entries; i++) {
		fprintf(out, "\t{0x%04X, %u, %d},\n", entries[i].cp, pool, entries[i].s.n);
		pool += (uint32_t)entries[i].s.n;
	}
	fprintf(out, "};\nstatic const uint32_t insp_skel_pool[%u] = {\n", pool ? pool : 1);
	for (uint32_t i = 0; i < n_entries; i++) {
		fprintf(out, "\t");
		for (int k = 0; k < entries[i].s.n; k++)
			fprintf(out, "0x%04X,%s", entries[i].s.cp[k],
				k + 1 < entries[i].s.n ? " " : "");
		fprintf(out, "\n");
	}
	if (pool == 0)
		fprintf(out, "\t0\n");
	fprintf(out, "};\n");
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
