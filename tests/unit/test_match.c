/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hyperscan matcher: literal-to-regex conversion (pc_literal_to_regex, the reference form),
 * compile errors (pc_hs_build), scanning semantics of literal phrases as the policy compiler
 * builds them (whole words, whitespace, case, Unicode) and of regexes, literal confirmation
 * around the anchor word, hit bookkeeping over both databases. No arguments.
 * tests/unit/test_literal.c holds the literal path and the reference regex side by side.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "insp_match.h"
#include "insp_norm.h"
#include "insp_policy.h"
#include "insp_utf8.h"
#include "pc_hs.h"
#include "pc_policy.h"
#include "test.h"

#define SP "[\\t-\\r ]+"	 /* ASCII whitespace run between words */
#define B0 "(?:^|[^0-9A-Z_a-z])" /* boundary before a phrase */
#define B1 "(?:[^0-9A-Z_a-z]|$)" /* boundary after a phrase */

static void
check_l2r(const char *phrase, const char *want)
{
	char out[256], shown[64];
	int n = pc_literal_to_regex(phrase, out, sizeof(out));
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

	CHECK(pc_literal_to_regex("", out, sizeof(out)) == -1, "empty phrase");
	CHECK(pc_literal_to_regex(" \t\n", out, sizeof(out)) == -1, "blank phrase");
	CHECK(pc_literal_to_regex(NULL, out, sizeof(out)) == -1, "NULL phrase");
	CHECK(pc_literal_to_regex("ab", NULL, 10) == -1, "NULL out");

	/* Exactly enough room (result + NUL) works; one byte less fails. */
	n = (int)strlen(B0 "ab" B1);
	CHECK(pc_literal_to_regex("ab", out, (size_t)n + 1) == n, "cap = len + 1");
	CHECK(pc_literal_to_regex("ab", out, (size_t)n) == -1, "cap = len");
	CHECK(pc_literal_to_regex("ab", out, 0) == -1, "cap = 0");
	CHECK(pc_literal_to_regex("-", out, 2) == -1 && pc_literal_to_regex("-", out, 3) == 2,
	      "escape needs room");
}

/*
 * A matcher built by hand, the way the ruleset loader presents one: patterns and their
 * strings, databases from pc_hs_build(). Literal phrases are given as the compiler stores
 * them (words joined by one space); their anchor is the longest word (the first of equals).
 */
struct hand {
	struct insp_pattern pats[48];
	char strings[2048];
	uint32_t n, slen;
	hs_database_t *regex_db, *lit_db;
	struct insp_matcher m;
};

static uint32_t
hand_add(struct hand *h, const char *expr, int literal, int caseless)
{
	struct insp_pattern *pt = &h->pats[h->n];
	size_t len = strlen(expr);

	memset(pt, 0, sizeof(*pt));
	pt->rule_id = h->n + 1;
	pt->expr_off = h->slen;
	pt->expr_len = (uint32_t)len;
	memcpy(h->strings + h->slen, expr, len + 1);
	h->slen += (uint32_t)len + 1;
	pt->forms = INSP_FORM_FOLDED;
	pt->literal = (uint8_t)literal;
	pt->caseless = (uint8_t)caseless;
	if (literal && len > 0) {
		size_t i = 0, best = 0, best_len = 0;

		while (i < len) {
			size_t j = i;

			while (j < len && expr[j] != ' ')
				j++;
			if (j - i > best_len) {
				best = i;
				best_len = j - i;
			}
			i = j + 1;
		}
		pt->anchor_off = (uint32_t)best;
		pt->anchor_len = (uint32_t)best_len;
		pt->bound_before = (uint8_t)pc_is_word_byte((unsigned char)expr[0]);
		pt->bound_after = (uint8_t)pc_is_word_byte((unsigned char)expr[len - 1]);
	}
	return h->n++;
}

static int
hand_build(struct hand *h, int *bad, char *why, size_t why_len)
{
	int rc = pc_hs_build(h->pats, h->n, h->strings, NULL, &h->regex_db, &h->lit_db, bad, why,
			     why_len);

	h->m = (struct insp_matcher){h->regex_db, h->lit_db, h->pats, h->n, h->strings};
	return rc;
}

static void
hand_free(struct hand *h)
{
	hs_free_database(h->regex_db);
	hs_free_database(h->lit_db);
	memset(h, 0, sizeof(*h));
}

/* Build a matcher of regexes, scan @p text once, return the hits (-1 on failure). */
static int
scan_one(const char *const *exprs, const unsigned *flags, uint32_t n, const char *text,
	 struct insp_hits *hits)
{
	static struct hand h;
	struct insp_match_scratch *s;
	char why[256];
	int bad, rc;

	memset(hits, 0, sizeof(*hits));
	for (uint32_t i = 0; i < n; i++)
		hand_add(&h, exprs[i], 0, flags != NULL && (flags[i] & INSP_MATCH_CASELESS));
	if (hand_build(&h, &bad, why, sizeof(why)) != 0) {
		printf("#   build failed: %d %s\n", bad, why);
		hand_free(&h);
		return -1;
	}
	s = insp_match_scratch_create(&h.m);
	rc = s == NULL ? -1 : insp_matcher_scan(&h.m, s, (const uint8_t *)text, strlen(text), hits);
	insp_match_scratch_free(s);
	hand_free(&h);
	return rc;
}

static int
on_first(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
	 void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	*(int *)ctx = 1;
	return 1; /* one match is the answer */
}

/* Does the reference regex of @p phrase match @p text? -1 if it does not compile. */
static int
regex_matches(const char *phrase, int caseless, const char *text)
{
	char re[512];
	hs_database_t *db = NULL;
	hs_compile_error_t *cerr = NULL;
	hs_scratch_t *s = NULL;
	unsigned fl = HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_MULTILINE | HS_FLAG_SINGLEMATCH;
	int found = 0;

	if (pc_literal_to_regex(phrase, re, sizeof(re)) < 0)
		return -1;
	if (hs_compile(re, fl | (caseless ? HS_FLAG_CASELESS : 0), HS_MODE_BLOCK, NULL, &db,
		       &cerr) != HS_SUCCESS) {
		hs_free_compile_error(cerr);
		return -1;
	}
	if (hs_alloc_scratch(db, &s) == HS_SUCCESS &&
	    hs_scan(db, text, (unsigned)strlen(text), 0, s, on_first, &found) == HS_SCAN_TERMINATED)
		found = 1;
	hs_free_scratch(s);
	hs_free_database(db);
	return s == NULL ? -1 : found;
}

/* A policy with one prohibited literal term (id 1) as a YAML double-quoted scalar. */
static struct insp_policy *
policy_with_literal(const char *phrase, int caseless, struct insp_err *err)
{
	char y[2048];
	size_t n = (size_t)snprintf(y, sizeof(y),
				    "version: 1\n"
				    "nations: [USA]\n"
				    "classifications: {NATO: {SECRET: SECRET}}\n"
				    "prohibited_terms:\n"
				    "  - {id: 1, caseless: %s, literal: \"",
				    caseless ? "true" : "false");

	for (const char *q = phrase; *q != '\0' && n + 8 < sizeof(y); q++) {
		if (*q == '"' || *q == '\\')
			n += (size_t)snprintf(y + n, sizeof(y) - n, "\\%c", *q);
		else if (*q == '\t' || *q == '\n' || *q == '\r')
			n += (size_t)snprintf(y + n, sizeof(y) - n, "\\%c",
					      *q == '\t'   ? 't'
					      : *q == '\n' ? 'n'
							   : 'r');
		else
			y[n++] = *q;
	}
	snprintf(y + n, sizeof(y) - n, "\"}\n");
	return pc_policy_load(y, strlen(y), "t.yaml", err);
}

/*
 * Is @p phrase, compiled by the policy compiler as a literal term, found in @p text (as
 * given: the caller folds it when the test is about what the scan sees)? The reference
 * regex of the phrase as stored must agree: -2 (and a diagnostic) if it does not, -1 on
 * failure.
 */
static int
matches(const char *phrase, unsigned flags, const char *text)
{
	const int caseless = (flags & INSP_MATCH_CASELESS) != 0;
	struct insp_err err;
	struct insp_policy *p = policy_with_literal(phrase, caseless, &err);
	struct insp_match_scratch *s;
	struct insp_hits h = {0};
	int lit = -1, re;

	if (p == NULL) {
		printf("#   policy refused: %s\n", err.msg);
		return -1;
	}
	s = insp_match_scratch_create(&p->matcher);
	/* pattern 0 is the phrase in the folded form, the one every text is matched in */
	if (s != NULL && p->n_patterns >= 1 && p->patterns[0].literal == 1 &&
	    (p->patterns[0].forms & INSP_FORM_FOLDED) &&
	    insp_matcher_scan(&p->matcher, s, (const uint8_t *)text, strlen(text), &h) == 0) {
		lit = 0;
		for (uint32_t i = 0; i < h.n; i++)
			lit |= h.id[i] == 0;
	}
	re = regex_matches(insp_pattern_expr(p, &p->patterns[0]), caseless, text);
	if (lit >= 0 && lit != re) {
		printf("#   literal path %d, reference regex %d (phrase stored as '%s')\n", lit, re,
		       insp_pattern_expr(p, &p->patterns[0]));
		lit = -2;
	}
	insp_match_scratch_free(s);
	pc_policy_free(p);
	return lit;
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
	CHECK(matches("blue sentinel", C, "blue\v\f\rsentinel") == 1, "VT, FF and CR too");
	CHECK(matches("  Blue \t\n sentinel ", C, "blue sentinel") == 1,
	      "whitespace around and inside the phrase is not part of it");
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
	CHECK(matches("blue sentinel", C, "blue blue sentinel sentinel") == 1,
	      "repeated words around the phrase");
	CHECK(matches("blue sentinel", C, "sentinel blue sentinel") == 1,
	      "anchor word seen before the phrase");
	CHECK(matches("blue sentinel", C, "blue sentinel blue") == 1, "phrase then a partial one");
	CHECK(matches("blue sentinel", C, "blue sentine blue sentinelx sentinel") == 0,
	      "only partial phrases");
	/* Next to a non-ASCII letter the phrase is still reported (the safe side). */
	CHECK(matches("blue sentinel", C, "blue sentinel\xc3\xa9") == 1, "non-ASCII neighbour");
	CHECK(matches("blue sentinel", C, visible("blue sentinel\xce\xb1")) == 1,
	      "non-ASCII neighbour that folding keeps (Greek alpha)");
	CHECK(matches("blue sentinel", C, visible("blue sentinel\xc3\xa9")) == 0,
	      "folding makes an accented neighbour a word character");
	CHECK(matches("blue sentinel", 0, "Blue Sentinel") == 0, "case-sensitive when asked");
	CHECK(matches("blue sentinel", 0, "blue sentinel") == 1, "case-sensitive exact");
	CHECK(matches("Blue", 0, "blue BLUE Blue") == 1, "case-sensitive among other cases");
	/*
	 * A non-ASCII phrase is stored folded and the text is scanned folded: case and
	 * accents never reach the matcher, whose caselessness is ASCII only.
	 */
	CHECK(matches("\xc3\xa4rger", C, visible("gro\xc3\x9f\x65r \xc3\x84RGER!")) == 1,
	      "non-ASCII phrase in folded text");
	CHECK(matches("\xc3\xa4rger", C, "gro\xc3\x9f\x65r \xc3\x84RGER!") == 0,
	      "unfolded text is not what the scan sees");
	CHECK(matches("\xc3\xa4rger", C, visible("x\xc3\x84RGER")) == 0,
	      "folded word glued to a letter");
	CHECK(matches("\xe6\x97\xa5\xe6\x9c\xac", C, "x\xe6\x97\xa5\xe6\x9c\xac") == 0,
	      "non-ASCII edge gets a boundary");
	CHECK(matches("\xe6\x97\xa5\xe6\x9c\xac", C, "x \xe6\x97\xa5\xe6\x9c\xac.") == 1,
	      "non-ASCII phrase between non-word bytes");
	CHECK(matches("\xe6\x97\xa5\xe6\x9c\xac", C, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e") == 1,
	      "non-ASCII neighbour of a non-ASCII edge: reported");
	CHECK(matches("c++", C, "we use C++11") == 1, "no boundary after a non-word edge");
	CHECK(matches("c++", C, "abc++") == 0, "boundary before a word edge");
	CHECK(matches("NOFORN", C, "SECRET//NOFORN") == 1, "caveat after //");
	CHECK(matches("a a", 0, "a a a") == 1 && matches("a a", 0, "a  a") == 1 &&
		      matches("a a", 0, "aa a") == 0 && matches("a a", 0, "a aa") == 0,
	      "one-letter repeated words");
	CHECK(matches("ab cd ab", 0, "ab ab cd ab") == 1,
	      "first anchor occurrence fails, second holds");
	CHECK(matches("ab cd ab", 0, "ab cd cd ab") == 0, "anchor occurrences that never hold");
}

static void
test_build_errors(void)
{
	static struct hand h;
	char why[256];
	int bad = 99;
	struct insp_hits hits = {0};

	hand_add(&h, "ok", 0, 0);
	hand_add(&h, "a(b", 0, 0);
	hand_add(&h, "c", 0, 0);
	CHECK(hand_build(&h, &bad, why, sizeof(why)) == -1 && bad == 1,
	      "unbalanced parenthesis names expression 1 (got %d)", bad);
	CHECK_STR(why, "Missing close parenthesis for group started at index 1.", "reason");
	CHECK(h.regex_db == NULL && h.lit_db == NULL, "no database after a failure");
	/* bad_index must be set; the reason is optional. Short buffer: truncated. */
	CHECK(hand_build(&h, &bad, NULL, 0) == -1 && bad == 1, "why is optional");
	CHECK(hand_build(&h, &bad, why, 8) == -1 && strcmp(why, "Missing") == 0,
	      "why truncated to its buffer");
	hand_free(&h);

	hand_add(&h, "x", 0, 0);
	hand_add(&h, "y*", 0, 0);
	CHECK(hand_build(&h, &bad, why, sizeof(why)) == -1 && bad == 1,
	      "empty-matching expression refused");
	CHECK(strstr(why, "can match the empty string") != NULL, "reason: %s", why);
	hand_free(&h);

	hand_add(&h,
		 "\xff"
		 "abc",
		 0, 0);
	CHECK(hand_build(&h, &bad, why, sizeof(why)) == -1 && bad == 0, "invalid UTF-8 refused: %s",
	      why);
	hand_free(&h);

	/* The culprit is named by pattern index, whichever database it belongs to. */
	hand_add(&h, "alpha", 1, 1);
	hand_add(&h, "bravo charlie", 1, 0);
	hand_add(&h, "x(", 0, 0);
	hand_add(&h, "delta", 1, 1);
	CHECK(hand_build(&h, &bad, why, sizeof(why)) == -1 && bad == 2,
	      "bad regex among literals is pattern 2 (got %d)", bad);
	hand_free(&h);

	CHECK(hand_build(&h, &bad, why, sizeof(why)) == 0 && h.regex_db == NULL &&
		      h.lit_db == NULL && insp_matcher_empty(&h.m),
	      "zero expressions: no databases, an empty matcher");
	CHECK(insp_match_scratch_create(&h.m) == NULL, "no scratch for an empty matcher");
	CHECK(insp_matcher_scan(&h.m, NULL, (const uint8_t *)"x", 1, &hits) == 0 && hits.n == 0,
	      "an empty matcher prohibits nothing");
	hand_free(&h);
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

/* Confirmation around one anchor occurrence, without Hyperscan. */
static void
test_confirm(void)
{
	static struct hand h;
	static const char t1[] = "a Blue \t sentinel.";
	uint32_t k = hand_add(&h, "blue sentinel", 1, 1), c = hand_add(&h, "c++", 1, 0);
	const struct insp_pattern *pt = &h.pats[k];
	const uint8_t *t = (const uint8_t *)t1;
	size_t end = strlen("a Blue \t sentinel"), len = strlen(t1);

	CHECK(pt->anchor_off == 5 && pt->anchor_len == 8 && pt->bound_before && pt->bound_after,
	      "anchor 'sentinel', boundaries on both sides");
	CHECK(insp_match_confirm_literal(pt, h.strings, t, len, end) == 1,
	      "confirmed backwards over a whitespace run");
	CHECK(insp_match_confirm_literal(pt, h.strings, t, len, end - 1) == 0, "wrong anchor end");
	CHECK(insp_match_confirm_literal(pt, h.strings, t, len, len + 1) == 0,
	      "anchor past the end");
	CHECK(insp_match_confirm_literal(pt, h.strings, t, len, 3) == 0,
	      "anchor before its length");
	CHECK(insp_match_confirm_literal(pt, h.strings, t, end, end) == 1,
	      "phrase at the very end of the text");
	CHECK(insp_match_confirm_literal(pt, h.strings, t + 2, len - 2, end - 2) == 1,
	      "phrase at the very start of the text");
	CHECK(insp_match_confirm_literal(pt, h.strings, t + 1, len - 1, end - 1) == 1,
	      "whitespace before");
	h.pats[k].caseless = 0;
	CHECK(insp_match_confirm_literal(pt, h.strings, t, len, end) == 0,
	      "case-sensitive: 'Blue'");
	h.pats[k].caseless = 1;
	CHECK(insp_match_confirm_literal(pt, h.strings, (const uint8_t *)"xblue sentinel", 14,
					 14) == 0,
	      "glued before");
	CHECK(insp_match_confirm_literal(pt, h.strings, (const uint8_t *)"blue sentinel_", 14,
					 13) == 0,
	      "glued after");
	CHECK(insp_match_confirm_literal(pt, h.strings, (const uint8_t *)"blue\xc3\xa9sentinel", 15,
					 15) == 0,
	      "a non-ASCII byte is not whitespace");
	CHECK(insp_match_confirm_literal(&h.pats[c], h.strings, (const uint8_t *)"abc++d", 6, 5) ==
		      0,
	      "'c++' glued to a word before");
	CHECK(insp_match_confirm_literal(&h.pats[c], h.strings, (const uint8_t *)"a c++d", 6, 5) ==
		      1,
	      "'c++' needs no boundary after");
	hand_free(&h);
}

static void
test_hits(void)
{
	static struct hand hm;
	char buf[8];
	char text[256];
	const struct insp_matcher *m = &hm.m;
	struct insp_match_scratch *s;
	struct insp_hits h = {0};
	int i, bad;
	char why[128];

	for (i = 0; i < 40; i++) {
		snprintf(buf, sizeof(buf), "w%02d", i);
		hand_add(&hm, buf, 1, 0);
	}
	CHECK(hand_build(&hm, &bad, why, sizeof(why)) == 0, "40 phrases build");
	if (hm.lit_db == NULL) {
		hand_free(&hm);
		return;
	}
	CHECK(hm.lit_db != NULL && hm.regex_db == NULL, "phrases go to the literal database only");
	s = insp_match_scratch_create(m);
	CHECK(s != NULL, "scratch");

	CHECK(insp_matcher_scan(m, s, (const uint8_t *)"w05 w03 w05 w03 w05", 19, &h) == 0 &&
		      h.n == 2 && h.id[0] == 5 && h.id[1] == 3 && !h.overflow,
	      "distinct ids in first-match order");
	CHECK(insp_matcher_scan(m, s, (const uint8_t *)"w07 w03", 7, &h) == 0 && h.n == 3 &&
		      h.id[2] == 7,
	      "second scan appends without duplicates");
	memset(&h, 0, sizeof(h));
	CHECK(insp_matcher_scan(m, s, (const uint8_t *)"w05x w055 aw05", 14, &h) == 0 && h.n == 0,
	      "anchor occurrences that fail confirmation are not hits");
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
	hand_free(&hm);
	insp_match_scratch_free(NULL);
	CHECK(insp_match_scratch_create(NULL) == NULL, "no scratch without a matcher");
}

struct calls {
	int n, stop_at;
	uint32_t ids[8];
};

static int
count_call(uint32_t id, void *ctx)
{
	struct calls *c = ctx;

	if (c->n < 8)
		c->ids[c->n] = id;
	c->n++;
	return c->n == c->stop_at;
}

/* Regexes and phrases together: one set of hits, ids checked against the right database. */
static void
test_two_databases(void)
{
	static struct hand hm;
	static const char text[] = "Blue Sentinel saw TK-1234 and tk-5678 near blue sentinel";
	struct insp_match_scratch *s, *s2;
	struct insp_hits h = {0};
	struct calls c = {0};
	char why[128];
	int bad;

	hand_add(&hm, "TK-[0-9]+", 0, 0);
	hand_add(&hm, "blue sentinel", 1, 1);
	hand_add(&hm, "tk", 1, 0);
	CHECK(hand_build(&hm, &bad, why, sizeof(why)) == 0 && hm.regex_db != NULL &&
		      hm.lit_db != NULL,
	      "one regex database, one literal database");
	s = insp_match_scratch_create(&hm.m);
	s2 = insp_match_scratch_clone(s);
	CHECK(s != NULL && s2 != NULL, "one scratch serves both; it clones");
	CHECK(insp_matcher_scan(&hm.m, s2, (const uint8_t *)text, sizeof(text) - 1, &h) == 0 &&
		      h.n == 3,
	      "hits from both databases (n=%u)", h.n);
	CHECK(insp_matcher_scan(&hm.m, s, (const uint8_t *)text, sizeof(text) - 1, &h) == 0 &&
		      h.n == 3,
	      "no duplicates across databases and scans");
	CHECK(insp_matcher_scan_cb(&hm.m, s, (const uint8_t *)text, sizeof(text) - 1, count_call,
				   &c) == 0 &&
		      c.n >= 4,
	      "the callback sees every confirmed match (%d)", c.n);
	c = (struct calls){.stop_at = 1};
	CHECK(insp_matcher_scan_cb(&hm.m, s, (const uint8_t *)text, sizeof(text) - 1, count_call,
				   &c) == 0 &&
		      c.n == 1,
	      "a callback that stops the scan is called once");
	CHECK(insp_matcher_scan_cb(&hm.m, s, (const uint8_t *)text, 4, NULL, NULL) == -1,
	      "no callback");

	/* An id that is no pattern, or a pattern of the other kind, fails closed. */
	hm.m.n_patterns = 1;
	memset(&h, 0, sizeof(h));
	CHECK(insp_matcher_scan(&hm.m, s, (const uint8_t *)"blue sentinel", 13, &h) == -1,
	      "literal id past n_patterns");
	hm.m.n_patterns = 3;
	hm.pats[1].literal = 0;
	CHECK(insp_matcher_scan(&hm.m, s, (const uint8_t *)"blue sentinel", 13, &h) == -1,
	      "literal database reports a regex pattern");
	hm.pats[1].literal = 1;
	hm.pats[0].literal = 1;
	CHECK(insp_matcher_scan(&hm.m, s, (const uint8_t *)"TK-1", 4, &h) == -1,
	      "regex database reports a literal pattern");
	hm.pats[0].literal = 0;
	insp_match_scratch_free(s);
	insp_match_scratch_free(s2);
	hand_free(&hm);
}

int
main(void)
{
	test_literal_to_regex();
	test_literal_semantics();
	test_build_errors();
	test_regex_semantics();
	test_confirm();
	test_hits();
	test_two_databases();
	return test_done();
}
