/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Literal phrases: the literal database plus confirmation around the anchor word
 * (insp_match_confirm_literal) must find a phrase exactly where its reference regex
 * (pc_literal_to_regex, GUARD-SPEC 4.5) matches. No arguments.
 *
 * Every phrase is compiled by the policy compiler as a 'literal' term (pc_policy_load), so
 * the phrase is folded, its words joined by one space and its anchor chosen as in
 * production; every pattern the compiler made of it (the folded form and, when it differs,
 * the skeleton form) is compared with the regex pc_literal_to_regex() writes for that
 * pattern's stored phrase, compiled with hs_compile() and the flags every term gets
 * (UTF-8, Unicode properties, multi-line, single match, caseless if the term is).
 *
 * Each text is compared in the forms the scan sees (folded, skeleton: insp_norm.h) and as
 * written. Caselessness is ASCII only in the literal path, Unicode in the regex; the scan
 * text never holds a Unicode case variant (folding removes them), so a caseless pattern is
 * compared on an unfolded text only when that text is ASCII. Then a randomized part: a
 * fixed seed, phrases and texts over a small alphabet.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "insp_match.h"
#include "insp_norm.h"
#include "insp_policy.h"
#include "pc_hs.h"
#include "pc_policy.h"
#include "test.h"

#define MAX_PATS   64 /* patterns per policy: bits of a uint64_t */
#define TEXT_MAX   512
#define SHOW_FAILS 8 /* mismatches printed per group */

/* ---- a policy of literal terms and its reference regexes ---- */

struct ref {
	struct insp_policy *p;
	struct insp_match_scratch *ms;
	hs_database_t *db;
	hs_scratch_t *hs;
	char regex[MAX_PATS][512];
};

/* @p s as a YAML double-quoted scalar's contents. */
static size_t
yaml_dq(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	for (; *s != '\0' && n + 3 < cap; s++) {
		if (*s == '"' || *s == '\\') {
			out[n++] = '\\';
			out[n++] = *s;
		} else if (*s == '\t' || *s == '\n' || *s == '\r') {
			out[n++] = '\\';
			out[n++] = *s == '\t' ? 't' : *s == '\n' ? 'n' : 'r';
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
	return n;
}

/* A printable, one-line copy of @p s for TAP diagnostics. */
static const char *
shown(const char *s, size_t len, char *buf, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '\\')
			n += (size_t)snprintf(buf + n, cap - n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return buf;
}

static void
ref_close(struct ref *r)
{
	insp_match_scratch_free(r->ms);
	hs_free_scratch(r->hs);
	hs_free_database(r->db);
	pc_policy_free(r->p);
	memset(r, 0, sizeof(*r));
}

/*
 * Compile @p n phrases as literal terms (ids 1..n) and the reference regex of every pattern
 * the compiler made. Returns 0, or -1 with a diagnostic printed.
 */
static int
ref_open(struct ref *r, const char *const *phrases, const int *caseless, uint32_t n)
{
	static char y[65536];
	const char *re[MAX_PATS];
	unsigned flags[MAX_PATS], ids[MAX_PATS];
	hs_compile_error_t *cerr = NULL;
	struct insp_err err;
	size_t len;

	memset(r, 0, sizeof(*r));
	len = (size_t)snprintf(y, sizeof(y),
			       "version: 1\n"
			       "nations: [USA]\n"
			       "classifications: {NATO: {SECRET: SECRET}}\n"
			       "prohibited_terms:\n");
	for (uint32_t i = 0; i < n && len < sizeof(y); i++) {
		char q[4096];

		yaml_dq(q, sizeof(q), phrases[i]);
		len += (size_t)snprintf(y + len, sizeof(y) - len,
					"  - {id: %u, caseless: %s, literal: \"%s\"}\n", i + 1,
					caseless[i] ? "true" : "false", q);
	}
	r->p = pc_policy_load(y, strlen(y), "literal.yaml", &err);
	if (r->p == NULL) {
		printf("#   policy refused: %s\n", err.msg);
		return -1;
	}
	if (r->p->n_patterns == 0 || r->p->n_patterns > MAX_PATS) {
		printf("#   %u patterns\n", r->p->n_patterns);
		ref_close(r);
		return -1;
	}
	for (uint32_t k = 0; k < r->p->n_patterns; k++) {
		const struct insp_pattern *pt = &r->p->patterns[k];

		if (!pt->literal || pc_literal_to_regex(insp_pattern_expr(r->p, pt), r->regex[k],
							sizeof(r->regex[k])) < 0) {
			printf("#   pattern %u: literal %u, no reference regex\n", k, pt->literal);
			ref_close(r);
			return -1;
		}
		re[k] = r->regex[k];
		ids[k] = k;
		flags[k] = HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_MULTILINE | HS_FLAG_SINGLEMATCH |
			   (pt->caseless ? HS_FLAG_CASELESS : 0);
	}
	if (hs_compile_multi(re, flags, ids, r->p->n_patterns, HS_MODE_BLOCK, NULL, &r->db,
			     &cerr) != HS_SUCCESS ||
	    hs_alloc_scratch(r->db, &r->hs) != HS_SUCCESS ||
	    (r->ms = insp_match_scratch_create(&r->p->matcher)) == NULL) {
		printf("#   reference compile failed: %s\n",
		       cerr != NULL ? cerr->message : "scratch");
		hs_free_compile_error(cerr);
		ref_close(r);
		return -1;
	}
	return 0;
}

static int
on_regex(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
	 void *ctx)
{
	(void)from;
	(void)to;
	(void)flags;
	*(uint64_t *)ctx |= UINT64_C(1) << id;
	return 0;
}

static int
on_literal(uint32_t id, void *ctx)
{
	if (id < MAX_PATS)
		*(uint64_t *)ctx |= UINT64_C(1) << id;
	return 0;
}

/* ---- comparing ---- */

struct tally {
	unsigned compared, found, missed, fails;
	const char *group;
};

static int
is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	}
	return 1;
}

/* Compare both paths on @p text (one form, @p form names it) for every pattern. */
static void
compare_form(struct ref *r, const char *text, size_t len, const char *form, struct tally *t)
{
	static const char empty[1];
	uint64_t lit = 0, re = 0;
	int lrc, rrc;

	lrc = insp_matcher_scan_cb(&r->p->matcher, r->ms, (const uint8_t *)text, len, on_literal,
				   &lit);
	rrc = hs_scan(r->db, len != 0 ? text : empty, (unsigned)len, 0, r->hs, on_regex, &re);
	for (uint32_t k = 0; k < r->p->n_patterns; k++) {
		const struct insp_pattern *pt = &r->p->patterns[k];
		int l = (int)(lit >> k & 1), x = (int)(re >> k & 1);
		char a[256], b[2 * TEXT_MAX];

		if (!strcmp(form, "raw") && pt->caseless && !is_ascii(text, len))
			continue; /* Unicode case variants never reach the scan (see the top) */
		t->compared++;
		if (lrc == 0 && rrc == HS_SUCCESS && l == x) {
			t->found += (unsigned)l;
			t->missed += (unsigned)!l;
			continue;
		}
		if (t->fails++ < SHOW_FAILS)
			printf("#   %s: phrase '%s'%s in %s text '%s': literal %d, regex %d (%s) "
			       "[scan %d/%d]\n",
			       t->group,
			       shown(insp_pattern_expr(r->p, pt), pt->expr_len, a, sizeof(a)),
			       pt->caseless ? " (caseless)" : "", form,
			       shown(text, len, b, sizeof(b)), l, x, r->regex[k], lrc, (int)rrc);
	}
}

/* Compare @p text as written, folded and in the skeleton form. */
static void
compare_text(struct ref *r, const char *text, struct tally *t)
{
	static const uint32_t forms[2] = {0, INSP_NORM_SKELETON};
	size_t len = strlen(text);

	compare_form(r, text, len, "raw", t);
	for (int f = 0; f < 2; f++) {
		char out[4 * TEXT_MAX];
		struct insp_str s = {(const uint8_t *)text, (uint32_t)len};
		struct insp_norm_info info;
		long n = insp_norm_text(&s, 1, forms[f], (uint8_t *)out, sizeof(out), &info);

		if (n < 0) {
			char b[2 * TEXT_MAX];

			t->fails++;
			printf("#   %s: cannot normalise '%s'\n", t->group,
			       shown(text, len, b, sizeof(b)));
			continue;
		}
		compare_form(r, out, (size_t)n, f == 0 ? "folded" : "skeleton", t);
	}
}

/* ---- hand-written phrases and texts ---- */

static const char *const phrases[] = {
	"x",
	"blue",
	"NOFORN",
	"sentinel",
	"blue sentinel",
	"UK EYES ONLY",
	"  blue \t sentinel  ",
	"blue\nsentinel",
	"c++",
	"c++ code review",
	"-",
	"(secret)",
	"$100",
	"100%",
	"OFFICIAL-SENSITIVE",
	"a.b",
	"e-mail address",
	"op. x",
	"x_y",
	"_x_",
	"_",
	"__init__",
	"a1",
	"42",
	"1 2 3",
	"TK-1234",
	"a a",
	"a a a",
	"aa",
	"ab ab",
	"aab aab",
	"ab cd ab",
	"ab abab",
	"abab ab",
	"caf\xc3\xa9",
	"\xc3\xa9",
	"\xc3\xa9 x",
	"x \xc3\xa9",
	"\xc3\xa4rger",
	"Gr\xc3\xb6\xc3\x9f"
	"e",
	"na\xc3\xafve user",
	"\xc3\x91"
	"and\xc3\xba",
	"\xce\xb1\xce\xb2\xce\xb3",
	"x\xce\xb1",
	"\xce\xb1x",
	"\xe6\x97\xa5\xe6\x9c\xac",
	"\xe6\x97\xa5\xe6\x9c\xac \xe8\xaa\x9e",
	"\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
	"k s",
	"!x!",
	"x!",
	"!x",
	"SECRET//NOFORN",
	"//",
	"a'b",
	"\"q\"",
	"back\\slash",
};

static const char *const glue[] = {
	"a", "Z", "5", "_",	   "\xc3\xa9", "\xc3\x89", "\xce\xb1", "\xe6\x97\xa5",
	"-", ".", " ", "\n",	   "\t",       "\v",	   "\f",       "\r",
	"/", "+", "$", "\xc2\xa0",
};

static const char *const seps[] = {
	" ", "\t", "\n", "   ",	     "\v", "\f",	   "\r\n",   " \t\v\f\r\n ",
	"",  "-",  "_",	 "\xc2\xa0", ".",  "\xe2\x80\x83", "  \n  ",
};

static const char *const fixed_texts[] = {
	"",
	" ",
	"\n",
	"a",
	"\xc3\xa9",
	"Patrol saw BLUE SENTINEL at grid 4, then blue  sentinels.",
	"ref TK-1234-AB, c++11 and C++ code\treview; 100% of $100",
	"SECRET//NOFORN//REL TO USA, GBR",
	"x_y _x_ __init__ a1 42 1 2 3",
	"caf\xc3\xa9 CAF\xc3\x89 na\xc3\xafve USER gro\xc3\x9f\x65 \xc3\x84RGER",
	"\xce\xb1\xce\xb2\xce\xb3 \xce\x91\xce\x92\xce\x93 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	"\xc5\xbf \xe2\x84\xaa s k S K",
	"ab abab ab ab abab aab aab aab",
	"a a a a",
};

/* Words of @p phrase (split on ASCII whitespace). */
static uint32_t
split_words(const char *phrase, char words[][64], uint32_t max)
{
	uint32_t n = 0;
	const char *q = phrase;

	while (*q != '\0' && n < max) {
		size_t k = 0;

		while (*q == ' ' || (*q >= '\t' && *q <= '\r'))
			q++;
		if (*q == '\0')
			break;
		while (*q != '\0' && *q != ' ' && !(*q >= '\t' && *q <= '\r') && k < 62)
			words[n][k++] = *q++;
		words[n++][k] = '\0';
	}
	return n;
}

/* words[from..to) joined by @p sep, with @p pre before and @p post after. */
static void
join(char *out, size_t cap, char words[][64], uint32_t from, uint32_t to, const char *sep,
     const char *pre, const char *post)
{
	size_t n = (size_t)snprintf(out, cap, "%s", pre);

	for (uint32_t i = from; i < to && n < cap; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s%s", i > from ? sep : "", words[i]);
	if (n < cap)
		snprintf(out + n, cap - n, "%s", post);
}

/* ASCII case: 0 upper, 1 lower, 2 alternating, 3 alternating the other way. */
static void
recase(char *s, int how)
{
	int i = 0;

	for (; *s != '\0'; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			continue;
		int up = how == 0 || (how >= 2 && (i++ + how) % 2 == 0);

		*s = up ? (char)(c & ~0x20) : (char)(c | 0x20);
	}
}

/* The texts for one phrase: where, between what, in which case, partial, repeated. */
static void
phrase_texts(struct ref *r, const char *phrase, struct tally *t)
{
	char w[16][64], tx[TEXT_MAX], tmp[160];
	uint32_t n = split_words(phrase, w, 16);
	size_t g, i;

	if (n == 0)
		return;
	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		join(tx, sizeof(tx), w, 0, n, seps[i], "", "");
		compare_text(r, tx, t);
		join(tx, sizeof(tx), w, 0, n, seps[i], "x ", " y");
		compare_text(r, tx, t);
		join(tx, sizeof(tx), w, 0, n, seps[i], "line one\n", "\nline three");
		compare_text(r, tx, t);
	}
	join(tx, sizeof(tx), w, 0, n, " ", "start: ", ".");
	compare_text(r, tx, t);
	join(tx, sizeof(tx), w, 0, n, " ", "", " end");
	compare_text(r, tx, t);
	for (g = 0; g < sizeof(glue) / sizeof(glue[0]); g++) {
		for (size_t h = 0; h < sizeof(glue) / sizeof(glue[0]); h += 3) {
			join(tx, sizeof(tx), w, 0, n, " ", glue[g], glue[h]);
			compare_text(r, tx, t);
			join(tx, sizeof(tx), w, 0, n, " ", glue[h], glue[g]);
			compare_text(r, tx, t);
		}
		join(tx, sizeof(tx), w, 0, n, " ", glue[g], "");
		compare_text(r, tx, t);
		join(tx, sizeof(tx), w, 0, n, " ", "", glue[g]);
		compare_text(r, tx, t);
		join(tx, sizeof(tx), w, 0, n, glue[g], "", "");
		compare_text(r, tx, t);
	}
	for (int how = 0; how < 4; how++) {
		join(tx, sizeof(tx), w, 0, n, " \t", "(", ")");
		recase(tx, how);
		compare_text(r, tx, t);
	}
	/* partial phrases */
	if (n > 1) {
		join(tx, sizeof(tx), w, 0, n - 1, " ", "", "");
		compare_text(r, tx, t);
		join(tx, sizeof(tx), w, 1, n, " ", "", "");
		compare_text(r, tx, t);
	}
	for (uint32_t k = 0; k < n; k++) {
		char saved[64];
		size_t wl = strlen(w[k]);

		memcpy(saved, w[k], sizeof(saved));
		if (wl > 1) {
			w[k][wl - 1] = '\0'; /* a word cut short */
			join(tx, sizeof(tx), w, 0, n, " ", "", "");
			compare_text(r, tx, t);
			memcpy(w[k], saved + 1, sizeof(saved) - 1);
			join(tx, sizeof(tx), w, 0, n, " ", "", "");
			compare_text(r, tx, t);
		}
		memcpy(w[k], saved, sizeof(saved));
		w[k][wl] = 'x'; /* a word made longer (words are at most 62 bytes) */
		w[k][wl + 1] = '\0';
		join(tx, sizeof(tx), w, 0, n, " ", "", "");
		compare_text(r, tx, t);
		memcpy(w[k], saved, sizeof(saved));
		snprintf(tx, sizeof(tx), " %s ", w[k]); /* the anchor candidate alone */
		compare_text(r, tx, t);
	}
	/* repeated words and overlapping occurrences */
	join(tmp, sizeof(tmp), w, 0, n, " ", "", "");
	snprintf(tx, sizeof(tx), "%s %s", tmp, tmp);
	compare_text(r, tx, t);
	snprintf(tx, sizeof(tx), "%s%s", tmp, tmp);
	compare_text(r, tx, t);
	snprintf(tx, sizeof(tx), "%s %s", w[0], tmp);
	compare_text(r, tx, t);
	snprintf(tx, sizeof(tx), "%s %s", tmp, w[n - 1]);
	compare_text(r, tx, t);
	snprintf(tx, sizeof(tx), "%s%s", w[0], tmp);
	compare_text(r, tx, t);
	snprintf(tx, sizeof(tx), "%s%s", tmp, w[n - 1]);
	compare_text(r, tx, t);
	tx[0] = '\0';
	for (uint32_t k = 0; k < n; k++)
		snprintf(tx + strlen(tx), sizeof(tx) - strlen(tx), "%s%s %s", k ? " " : "", w[k],
			 w[k]);
	compare_text(r, tx, t);
	tx[0] = '\0';
	for (uint32_t k = 0; k < 3 * n; k++)
		snprintf(tx + strlen(tx), sizeof(tx) - strlen(tx), "%s%s", k ? " " : "", w[k % n]);
	compare_text(r, tx, t);
	for (size_t f = 0; f < sizeof(fixed_texts) / sizeof(fixed_texts[0]); f++)
		compare_text(r, fixed_texts[f], t);
}

static void
test_hand(void)
{
	struct tally all = {.group = "all"};

	/* each phrase twice in one policy: caseless (id 1) and case-sensitive (id 2) */
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		const char *pp[2] = {phrases[i], phrases[i]};
		static const int ci[2] = {1, 0};
		struct ref r;
		char grp[160], sh[128];
		struct tally t;

		snprintf(grp, sizeof(grp), "'%s'",
			 shown(phrases[i], strlen(phrases[i]), sh, sizeof(sh)));
		t = (struct tally){.group = grp};
		if (ref_open(&r, pp, ci, 2) != 0) {
			CHECK(0, "%s compiles", grp);
			continue;
		}
		phrase_texts(&r, phrases[i], &t);
		CHECK(t.fails == 0 && t.compared > 0,
		      "%s, caseless and not: literal path = reference regex in %u cases (%u found)",
		      grp, t.compared, t.found);
		ref_close(&r);
		all.compared += t.compared;
		all.found += t.found;
		all.missed += t.missed;
		all.fails += t.fails;
	}
	CHECK(all.found > 2000 && all.missed > 2000,
	      "the hand-written texts both find (%u) and miss (%u) phrases", all.found, all.missed);
}

/*
 * The stored phrase is what its reference regex is written from: for a phrase the folding
 * leaves alone it is the phrase as written, whitespace aside.
 */
static void
test_stored_form(void)
{
	static const struct {
		const char *written, *stored;
	} cases[] = {
		{"blue sentinel", "blue sentinel"},
		{"  blue \t\n sentinel  ", "blue sentinel"},
		{"UK EYES ONLY", "UK EYES ONLY"},
		{"c++  code\treview", "c++ code review"},
		{"caf\xc3\xa9", "cafe"},
		{"\xce\x91\xce\x92\xce\x93", "\xce\xb1\xce\xb2\xce\xb3"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ref r;
		int ci = 0;
		char a[1024], b[1024], sh[128];

		shown(cases[i].written, strlen(cases[i].written), sh, sizeof(sh));
		if (ref_open(&r, &cases[i].written, &ci, 1) != 0) {
			CHECK(0, "'%s' compiles", sh);
			continue;
		}
		CHECK_STR(insp_pattern_expr(r.p, &r.p->patterns[0]), cases[i].stored,
			  "'%s' stored folded, words joined by one space", sh);
		CHECK(r.p->patterns[0].literal == 1 && r.p->patterns[0].caseless == 0 &&
			      (r.p->patterns[0].forms & INSP_FORM_FOLDED),
		      "'%s' is a case-sensitive literal in the folded form", sh);
		if (is_ascii(cases[i].written, strlen(cases[i].written)))
			CHECK(pc_literal_to_regex(cases[i].written, a, sizeof(a)) > 0 &&
				      pc_literal_to_regex(insp_pattern_expr(r.p, &r.p->patterns[0]),
							  b, sizeof(b)) > 0 &&
				      strcmp(a, b) == 0,
			      "'%s': the regex of the phrase as written is the stored one's", sh);
		ref_close(&r);
	}
}

/*
 * The one difference by design: a caseless literal is ASCII caseless, its regex Unicode
 * caseless. Text in another Unicode case never reaches the scan (the folded form has none),
 * and there both agree again.
 */
static void
test_unicode_case(void)
{
	static const struct {
		const char *phrase, *text;
	} cases[] = {
		{"\xce\xb1\xce\xb2\xce\xb3", "x \xce\x91\xce\x92\xce\x93 y"}, /* Greek capitals */
		{"\xd0\xbc\xd0\xb8\xd1\x80", "\xd0\x9c\xd0\x98\xd0\xa0"},     /* Cyrillic */
		{"k", "\xe2\x84\xaa"},					      /* KELVIN SIGN */
		{"s", "\xc5\xbf"},					      /* LONG S */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *text = cases[i].text;
		struct insp_str in = {(const uint8_t *)text, (uint32_t)strlen(text)};
		struct insp_norm_info info;
		char folded[64], sh[64];
		long n = insp_norm_text(&in, 1, 0, (uint8_t *)folded, sizeof(folded), &info);
		uint64_t lit = 0, re = 0, flit = 0, fre = 0;
		int ci = 1;
		struct ref r;

		shown(cases[i].phrase, strlen(cases[i].phrase), sh, sizeof(sh));
		if (n < 0 || ref_open(&r, &cases[i].phrase, &ci, 1) != 0) {
			CHECK(0, "'%s' compiles, its text folds", sh);
			continue;
		}
		insp_matcher_scan_cb(&r.p->matcher, r.ms, (const uint8_t *)text, strlen(text),
				     on_literal, &lit);
		hs_scan(r.db, text, (unsigned)strlen(text), 0, r.hs, on_regex, &re);
		insp_matcher_scan_cb(&r.p->matcher, r.ms, (const uint8_t *)folded, (size_t)n,
				     on_literal, &flit);
		hs_scan(r.db, n > 0 ? folded : " ", (unsigned)n, 0, r.hs, on_regex, &fre);
		CHECK((lit & 1) == 0 && (re & 1) == 1,
		      "'%s' caseless in unfolded text of another Unicode case: regex only", sh);
		CHECK((flit & 1) == 1 && (fre & 1) == 1, "'%s' caseless in the folded text: both",
		      sh);
		ref_close(&r);
	}
}

/* ---- randomized ---- */

static uint64_t rng_state = 0x4774beefcafe0001ull;

static uint32_t
rnd(uint32_t n)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return (uint32_t)(x % n);
}

static const char *const units[] = {"a", "b", " ", "_", "\t", "\n", "A", "B", "1", "\xc3\xa9"};
#define N_UNITS (sizeof(units) / sizeof(units[0]))

static int
is_space_unit(const char *u)
{
	return u[0] == ' ' || u[0] == '\t' || u[0] == '\n';
}

/* A random phrase with at least one non-whitespace unit. */
static void
random_phrase(char *out, size_t cap)
{
	int has_word;

	do {
		uint32_t n = 1 + rnd(6);

		has_word = 0;
		out[0] = '\0';
		for (uint32_t i = 0; i < n; i++) {
			const char *u = units[rnd(N_UNITS)];

			has_word |= !is_space_unit(u);
			snprintf(out + strlen(out), cap - strlen(out), "%s", u);
		}
	} while (!has_word);
}

/*
 * A text likely to hold @p phrase or nearly: random units around it, its whitespace runs
 * replaced by others (sometimes none), its letters in random case, sometimes a unit changed.
 */
static void
text_near(char *out, size_t cap, const char *phrase)
{
	static const char *const ws[] = {" ", "\t", "\n", "\v", "\f", "\r", "  "};
	uint32_t pre = rnd(4), post = rnd(4);

	out[0] = '\0';
	for (uint32_t i = 0; i < pre; i++)
		snprintf(out + strlen(out), cap - strlen(out), "%s", units[rnd(N_UNITS)]);
	for (const char *q = phrase; *q != '\0';) {
		size_t len = strlen(out);

		if (*q == ' ' || *q == '\t' || *q == '\n') {
			while (*q == ' ' || *q == '\t' || *q == '\n')
				q++;
			if (rnd(8) == 0)
				continue; /* the words glued */
			for (uint32_t k = 1 + rnd(2); k > 0; k--)
				snprintf(out + strlen(out), cap - strlen(out), "%s", ws[rnd(7)]);
			continue;
		}
		/* one character (a whole UTF-8 sequence) at a time: texts stay valid UTF-8 */
		size_t cl = (unsigned char)*q < 0x80	? 1
			    : (unsigned char)*q >= 0xf0 ? 4
			    : (unsigned char)*q >= 0xe0 ? 3
							: 2;

		if (rnd(24) == 0) {
			snprintf(out + len, cap - len, "%s", units[rnd(N_UNITS)]);
		} else if (len + cl < cap) {
			memcpy(out + len, q, cl);
			if (cl == 1 && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')) &&
			    rnd(2))
				out[len] ^= 0x20;
			out[len + cl] = '\0';
		}
		q += cl;
	}
	for (uint32_t i = 0; i < post; i++)
		snprintf(out + strlen(out), cap - strlen(out), "%s", units[rnd(N_UNITS)]);
}

static void
test_random(void)
{
	enum { BATCHES = 24, PER_BATCH = 16, TEXTS = 300 };
	struct tally all = {.group = "random"};
	unsigned cases = 0;

	for (int b = 0; b < BATCHES; b++) {
		char ph[PER_BATCH][64], grp[32];
		const char *pp[PER_BATCH];
		int ci[PER_BATCH];
		struct tally t;
		struct ref r;

		for (int i = 0; i < PER_BATCH; i++) {
			random_phrase(ph[i], sizeof(ph[i]));
			pp[i] = ph[i];
			ci[i] = (int)rnd(2);
		}
		snprintf(grp, sizeof(grp), "random batch %d", b);
		t = (struct tally){.group = grp};
		if (ref_open(&r, pp, ci, PER_BATCH) != 0) {
			CHECK(0, "%s compiles", grp);
			continue;
		}
		for (int i = 0; i < TEXTS; i++) {
			char tx[128];

			if (i % 2 == 0) {
				uint32_t n = rnd(20);

				tx[0] = '\0';
				for (uint32_t k = 0; k < n; k++)
					snprintf(tx + strlen(tx), sizeof(tx) - strlen(tx), "%s",
						 units[rnd(N_UNITS)]);
			} else {
				text_near(tx, sizeof(tx), ph[rnd(PER_BATCH)]);
			}
			compare_text(&r, tx, &t);
		}
		cases += PER_BATCH * TEXTS;
		CHECK(t.fails == 0,
		      "%s: literal path = reference regex in %u comparisons (%u found)", grp,
		      t.compared, t.found);
		ref_close(&r);
		all.compared += t.compared;
		all.found += t.found;
		all.missed += t.missed;
	}
	CHECK(all.found > 5000 && all.missed > 5000,
	      "%u random phrase/text cases in three forms both find (%u) and miss (%u)", cases,
	      all.found, all.missed);
}

int
main(void)
{
	test_stored_form();
	test_unicode_case();
	test_hand();
	test_random();
	return test_done();
}
