/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hyperscan matcher: literal-to-regex conversion, compile errors, scanning semantics
 * (whole words, whitespace, case, Unicode), hit bookkeeping. No arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_match.h"
#include "insp_norm.h"
#include "insp_utf8.h"
#include "test.h"

#define SP "[\\t-\\r ]+"	 /* ASCII whitespace run between words */
#define B0 "(?:^|[^0-9A-Z_a-z])" /* boundary before a phrase */
#define B1 "(?:[^0-9A-Z_a-z]|$)" /* boundary after a phrase */

static void
check_l2r(const char *phrase, const char *want)
{
	char out[256], shown[64];
	int n = insp_match_literal_to_regex(phrase, out, sizeof(out));
	size_t i;

	/* TAP descriptions must stay on one line. */
	for (i = 0; phrase[i] != '\0' && i < sizeof(shown) - 1; i++)
		shown[i] = (unsigned char)phrase[i] < 0x20 ? '?' : phrase[i];
	shown[i] = '\0';
	CHECK(n == (int)strlen(want), "literal_to_regex('%s') length %d", shown, n);
	CHECK_STR(n >= 0 ? out : NULL, want, "literal_to_regex('%s')", shown);
}

static void
test_literal_to_regex(void)
{
	char out[64];
	int n;

	check_l2r("blue sentinel", B0 "blue" SP "sentinel" B1);
	check_l2r("  blue \t\r\n sentinel  ", B0 "blue" SP "sentinel" B1);
	check_l2r("UK EYES ONLY", B0 "UK" SP "EYES" SP "ONLY" B1);
	check_l2r("OFFICIAL-SENSITIVE", B0 "OFFICIAL\\-SENSITIVE" B1);
	check_l2r("c++", B0 "c\\+\\+");
	check_l2r("(secret)", "\\(secret\\)");
	check_l2r("$100", "\\$100" B1);
	check_l2r("a.b*c?d|e^f[g]{h}\\i/j", B0 "a\\.b\\*c\\?d\\|e\\^f\\[g\\]\\{h\\}\\\\i\\/j" B1);
	check_l2r("_x_", B0 "_x_" B1);
	check_l2r("x", B0 "x" B1);
	check_l2r("Gr\xc3\xb6\xc3\x9f"
		  "e",
		  B0 "Gr\xc3\xb6\xc3\x9f"
		     "e" B1);
	check_l2r("\xc3\x84rger", B0 "\xc3\x84rger" B1);
	check_l2r("-", "\\-");

	CHECK(insp_match_literal_to_regex("", out, sizeof(out)) == -1, "empty phrase");
	CHECK(insp_match_literal_to_regex(" \t\n", out, sizeof(out)) == -1, "blank phrase");
	CHECK(insp_match_literal_to_regex(NULL, out, sizeof(out)) == -1, "NULL phrase");
	CHECK(insp_match_literal_to_regex("ab", NULL, 10) == -1, "NULL out");

	/* Exactly enough room (result + NUL) works; one byte less fails. */
	n = (int)strlen(B0 "ab" B1);
	CHECK(insp_match_literal_to_regex("ab", out, (size_t)n + 1) == n, "cap = len + 1");
	CHECK(insp_match_literal_to_regex("ab", out, (size_t)n) == -1, "cap = len");
	CHECK(insp_match_literal_to_regex("ab", out, 0) == -1, "cap = 0");
	CHECK(insp_match_literal_to_regex("-", out, 2) == -1 &&
		      insp_match_literal_to_regex("-", out, 3) == 2,
	      "escape needs room");
}

/* Build a matcher, scan @p text once, return the hits (n = -1 on failure). */
static int
scan_one(const char *const *exprs, const unsigned *flags, uint32_t n, const char *text,
	 struct insp_hits *hits)
{
	struct insp_matcher *m;
	struct insp_match_scratch *s;
	char why[256];
	int bad, rc;

	memset(hits, 0, sizeof(*hits));
	m = insp_matcher_build(exprs, flags, n, &bad, why, sizeof(why));
	if (m == NULL) {
		printf("#   build failed: %d %s\n", bad, why);
		return -1;
	}
	s = insp_match_scratch_create(m);
	rc = s == NULL ? -1 : insp_matcher_scan(m, s, (const uint8_t *)text, strlen(text), hits);
	insp_match_scratch_free(s);
	insp_matcher_free(m);
	return rc;
}

static int
matches(const char *phrase, unsigned flags, const char *text)
{
	char re[256];
	const char *exprs[1] = {re};
	struct insp_hits h;

	if (insp_match_literal_to_regex(phrase, re, sizeof(re)) < 0)
		return -1;
	if (scan_one(exprs, &flags, 1, text, &h) < 0)
		return -1;
	return h.n == 1 && h.id[0] == 0;
}

/* The text as the scan sees it: its folded form (NUL-terminated copy). */
static const char *
visible(const char *in)
{
	static char out[256];
	struct insp_str s = {(const uint8_t *)in, (uint32_t)strlen(in)};
	struct insp_norm_info info;
	long n = insp_norm_text(&s, 1, 0, (uint8_t *)out, sizeof(out) - 1, &info);

	out[n < 0 ? 0 : n] = '\0';
	return out;
}

static void
test_literal_semantics(void)
{
	const unsigned C = INSP_MATCH_CASELESS;

	CHECK(matches("blue sentinel", C, "Patrol saw BLUE SENTINEL at grid 4") == 1, "caseless");
	CHECK(matches("blue sentinel", C, "blue sentinel") == 1, "whole buffer");
	CHECK(matches("blue sentinel", C, "blue\n\t  sentinel") == 1, "any ASCII whitespace");
	/*
	 * Unicode spaces are the normaliser's job (insp_norm_text makes them ASCII
	 * before the consumer-view scan): the literal's whitespace class is ASCII only.
	 */
	CHECK(matches("blue sentinel", C, "blue\xc2\xa0sentinel") == 0, "raw no-break space: no");
	CHECK(matches("blue sentinel", C, visible("blue\xc2\xa0sentinel")) == 1,
	      "no-break space after normalisation");
	CHECK(matches("blue sentinel", C, visible("blue\xe2\x80\x83sentinel")) == 1,
	      "em space after normalisation");
	CHECK(matches("blue sentinel", C, "op blue sentinel-class.") == 1, "hyphenated suffix");
	CHECK(matches("blue sentinel", C, "(blue sentinel)") == 1, "punctuation around");
	CHECK(matches("blue sentinel", C, "x\nblue sentinel\ny") == 1, "line boundaries");
	CHECK(matches("blue sentinel", C, "the blue sentinels") == 0, "longer word: no");
	CHECK(matches("blue sentinel", C, "ablue sentinel") == 0, "prefix glued: no");
	CHECK(matches("blue sentinel", C, "blue_sentinel") == 0, "underscore is a word char");
	CHECK(matches("blue sentinel", C, "blue-sentinel") == 0, "hyphen is not whitespace");
	CHECK(matches("blue sentinel", C, "bluesentinel") == 0, "words need whitespace");
	CHECK(matches("blue sentinel", C, "blue sentinel2") == 0, "digit is a word char");
	/* Next to a non-ASCII letter the phrase is still reported (the safe side). */
	CHECK(matches("blue sentinel", C, "blue sentinel\xc3\xa9") == 1, "non-ASCII neighbour");
	CHECK(matches("blue sentinel", 0, "Blue Sentinel") == 0, "case-sensitive when asked");
	CHECK(matches("blue sentinel", 0, "blue sentinel") == 1, "case-sensitive exact");
	CHECK(matches("\xc3\xa4rger", C, "gro\xc3\x9f\x65r \xc3\x84RGER!") == 1,
	      "Unicode caseless (UCP)");
	CHECK(matches("\xc3\xa4rger", C, "x\xc3\x84RGER") == 0, "non-ASCII edge gets a boundary");
	CHECK(matches("c++", C, "we use C++11") == 1, "no boundary after a non-word edge");
	CHECK(matches("c++", C, "abc++") == 0, "boundary before a word edge");
	CHECK(matches("NOFORN", C, "SECRET//NOFORN") == 1, "caveat after //");
}

static void
test_build_errors(void)
{
	const char *bad_paren[] = {"ok", "a(b", "c"};
	const char *empty[] = {"x", "y*"};
	const char *utf8[] = {"\xff"
			      "abc"};
	const char *nul[] = {"x", NULL};
	unsigned bad_flags[] = {0, 8};
	const char *two[] = {"x", "y"};
	char why[256];
	int bad = 99;

	CHECK(insp_matcher_build(bad_paren, NULL, 3, &bad, why, sizeof(why)) == NULL && bad == 1,
	      "unbalanced parenthesis names expression 1 (got %d)", bad);
	CHECK_STR(why, "Missing close parenthesis for group started at index 1.", "reason");
	CHECK(insp_matcher_build(empty, NULL, 2, &bad, why, sizeof(why)) == NULL && bad == 1,
	      "empty-matching expression refused");
	CHECK(strstr(why, "can match the empty string") != NULL, "reason: %s", why);
	CHECK(insp_matcher_build(utf8, NULL, 1, &bad, why, sizeof(why)) == NULL && bad == 0,
	      "invalid UTF-8 refused: %s", why);
	CHECK(insp_matcher_build(nul, NULL, 2, &bad, why, sizeof(why)) == NULL && bad == 1,
	      "NULL expression");
	CHECK(insp_matcher_build(two, bad_flags, 2, &bad, why, sizeof(why)) == NULL && bad == 1,
	      "unknown flag bit");
	CHECK(insp_matcher_build(two, NULL, 0, &bad, why, sizeof(why)) == NULL && bad == -1,
	      "zero expressions: %s", why);
	CHECK(insp_matcher_build(bad_paren, NULL, 3, NULL, NULL, 0) == NULL,
	      "bad_index and why are optional");
	/* Short reason buffer: truncated, still terminated. */
	CHECK(insp_matcher_build(bad_paren, NULL, 3, &bad, why, 8) == NULL &&
		      strcmp(why, "Missing") == 0,
	      "why truncated to its buffer");
}

static void
test_regex_semantics(void)
{
	/* \b forces ASCII mode for that expression (Hyperscan refuses \b under UCP). */
	const char *exprs[] = {"\\bTK-[0-9]{4}-[A-Z]{2}\\b",
			       "\\bkeymat\\s+[0-9a-f]{8,}\\b",
			       "[\\b]x",
			       "\\Q\\b\\E",
			       "^SECRET$",
			       "\\w+\xc3\xa9"};
	unsigned flags[] = {0, INSP_MATCH_CASELESS, 0, 0, 0, 0};
	struct insp_hits h;

	CHECK(scan_one(exprs, flags, 6, "ref TK-1234-AB.", &h) == 0 && h.n == 1 && h.id[0] == 0,
	      "regex with \\b compiles and hits");
	CHECK(scan_one(exprs, flags, 6, "ref TK-1234-ABC", &h) == 0 && h.n == 0,
	      "\\b at the end refuses a longer code");
	CHECK(scan_one(exprs, flags, 6, "ref tk-1234-ab", &h) == 0 && h.n == 0,
	      "caseless: false regex");
	CHECK(scan_one(exprs, flags, 6, "KEYMAT  deadbeef01", &h) == 0 && h.n == 1 && h.id[0] == 1,
	      "caseless regex with \\s+");
	CHECK(scan_one(exprs, flags, 6, "a\bx and \\b", &h) == 0 && h.n == 2 && h.id[0] == 2 &&
		      h.id[1] == 3,
	      "[\\b] is a backspace and \\Q\\b\\E is literal (both compile)");
	CHECK(scan_one(exprs, flags, 6, "UNCLASSIFIED\nSECRET\nx", &h) == 0 && h.n == 1 &&
		      h.id[0] == 4,
	      "multi-line anchors");
	CHECK(scan_one(exprs, flags, 6, "caf\xc3\xa9", &h) == 0 && h.n == 1 && h.id[0] == 5,
	      "UTF-8 expression");
}

static void
test_hits(void)
{
	const char *exprs[40];
	char buf[40][8];
	char text[256];
	struct insp_matcher *m;
	struct insp_match_scratch *s;
	struct insp_hits h = {0};
	int i, bad;
	char why[128];

	for (i = 0; i < 40; i++) {
		snprintf(buf[i], sizeof(buf[i]), "w%02d", i);
		exprs[i] = buf[i];
	}
	m = insp_matcher_build(exprs, NULL, 40, &bad, why, sizeof(why));
	CHECK(m != NULL, "40 expressions build");
	if (m == NULL)
		return;
	CHECK(insp_matcher_db_size(m) > 0, "database size %zu", insp_matcher_db_size(m));
	s = insp_match_scratch_create(m);
	CHECK(s != NULL, "scratch");

	CHECK(insp_matcher_scan(m, s, (const uint8_t *)"w05 w03 w05 w03 w05", 19, &h) == 0 &&
		      h.n == 2 && h.id[0] == 5 && h.id[1] == 3 && !h.overflow,
	      "distinct ids in first-match order");
	CHECK(insp_matcher_scan(m, s, (const uint8_t *)"w07 w03", 7, &h) == 0 && h.n == 3 &&
		      h.id[2] == 7,
	      "second scan appends without duplicates");
	memset(&h, 0, sizeof(h));
	CHECK(insp_matcher_scan(m, s, (const uint8_t *)"", 0, &h) == 0 && h.n == 0, "empty text");
	CHECK(insp_matcher_scan(m, s, NULL, 0, &h) == 0 && h.n == 0, "NULL text, length 0");
	CHECK(insp_matcher_scan(m, s, NULL, 1, &h) == -1, "NULL text, length 1");
	CHECK(insp_matcher_scan(m, NULL, (const uint8_t *)"w01", 3, &h) == -1, "no scratch");
	CHECK(insp_matcher_scan(m, s, (const uint8_t *)"w01", 3, NULL) == -1, "no hits");
	CHECK(insp_matcher_scan(NULL, NULL, (const uint8_t *)"w01", 3, &h) == 0 && h.n == 0,
	      "no matcher: nothing prohibited");

	text[0] = '\0';
	for (i = 0; i < 40; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "w%02d ", i);
	memset(&h, 0, sizeof(h));
	CHECK(insp_matcher_scan(m, s, (const uint8_t *)text, strlen(text), &h) == 0 &&
		      h.n == INSP_MAX_HITS && h.overflow == 1,
	      "overflow after %d distinct ids (n=%u)", INSP_MAX_HITS, h.n);
	CHECK(h.id[0] == 0 && h.id[INSP_MAX_HITS - 1] == INSP_MAX_HITS - 1, "kept the first ones");
	memset(&h, 0, sizeof(h));
	CHECK(insp_matcher_scan(m, s, (const uint8_t *)text, 4 * INSP_MAX_HITS, &h) == 0 &&
		      h.n == INSP_MAX_HITS && h.overflow == 0,
	      "exactly %d distinct ids is not an overflow", INSP_MAX_HITS);

	insp_match_scratch_free(s);
	insp_matcher_free(m);
	insp_matcher_free(NULL);
	insp_match_scratch_free(NULL);
	CHECK(insp_match_scratch_create(NULL) == NULL, "no scratch without a matcher");
	CHECK(insp_matcher_db_size(NULL) == 0, "size of nothing");
}

int
main(void)
{
	test_literal_to_regex();
	test_literal_semantics();
	test_build_errors();
	test_regex_semantics();
	test_hits();
	return test_done();
}
