/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hyperscan compilation for the policy compiler (pc_hs.h): every expression compiled with
 * the same flags (GUARD-SPEC 4.5 defines terms as UTF-8 + Unicode properties, and the
 * inspector relies on multi-line anchors and on one report per expression per scan), and
 * literal phrases through the literal API (see insp_match.c for why and how they are
 * confirmed).
 *
 * Word boundaries: Hyperscan 5.4 rejects \b and \B under HS_FLAG_UCP ("\b unsupported in
 * UCP mode"), and ASCII mode is no answer: its \s misses U+00A0 between words (an evasion)
 * and its \b never fires next to a non-ASCII letter. So:
 * - pc_literal_to_regex() writes a boundary as (?:^|[^0-9A-Z_a-z]) before and
 *   (?:[^0-9A-Z_a-z]|$) after the phrase, compiled with UCP (Unicode \s between words).
 *   Only ASCII letters, digits and '_' count as word characters next to the phrase: a
 *   term is never missed where Unicode \b would find it, and a term glued to a non-ASCII
 *   letter ("sentinelé") is still reported (the safe side). The exact Unicode class \W
 *   would cost about 100 KB of database and 50 ms of compile per phrase.
 * - An operator regex that itself uses \b or \B is compiled without HS_FLAG_UCP (its \w,
 *   \s, \d and \b are then ASCII), since the alternative is refusing it outright.
 *   docs/policy.md tells operators which form to prefer.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "pc_hs.h"

/* Flags every expression gets; only caselessness is the policy's choice. */
#define MATCH_BASE_FLAGS (HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_MULTILINE | HS_FLAG_SINGLEMATCH)

static void
set_why(char *why, size_t why_len, const char *text)
{
	if (why != NULL && why_len > 0)
		snprintf(why, why_len, "%s", text != NULL ? text : "unknown error");
}

/*
 * Does @p re use \b or \B as an assertion? Outside character classes and \Q...\E only
 * ([\b] is a backspace). A false positive merely costs Unicode classes in that one
 * expression; a false negative makes Hyperscan refuse it with its own clear message.
 */
static int
uses_word_boundary(const char *re)
{
	int in_class = 0, quoted = 0;
	const char *p;

	for (p = re; *p != '\0'; p++) {
		if (quoted) {
			if (p[0] == '\\' && p[1] == 'E') {
				quoted = 0;
				p++;
			}
			continue;
		}
		if (*p == '\\') {
			if (p[1] == '\0')
				break;
			if (p[1] == 'Q')
				quoted = 1;
			else if (!in_class && (p[1] == 'b' || p[1] == 'B'))
				return 1;
			p++;
			continue;
		}
		if (in_class) {
			if (p[0] == '[' && p[1] == ':') {
				/* POSIX class such as [:alpha:] inside a bracket expression */
				const char *end = strstr(p + 2, ":]");

				if (end != NULL)
					p = end + 1;
			} else if (*p == ']') {
				in_class = 0;
			}
			continue;
		}
		if (*p == '[') {
			in_class = 1;
			/* A ']' right after '[' or '[^' is a literal member. */
			if (p[1] == '^')
				p++;
			if (p[1] == ']')
				p++;
		}
	}
	return 0;
}

/*
 * Does Hyperscan refuse this one expression on its own? Used to check a blame: the compiler
 * names a pattern only if compiling that pattern alone fails too. Errors that belong to the
 * whole set (memory, resource limits) are then reported without a culprit.
 */
static int
fails_alone(const char *expr, size_t len, unsigned flags, int literal,
	    const hs_platform_info_t *plat)
{
	hs_database_t *db = NULL;
	hs_compile_error_t *cerr = NULL;
	unsigned id = 0;
	hs_error_t rc;

	if (literal)
		rc = hs_compile_lit_multi(&expr, &flags, &id, &len, 1, HS_MODE_BLOCK, plat, &db,
					  &cerr);
	else
		rc = hs_compile(expr, flags, HS_MODE_BLOCK, plat, &db, &cerr);
	hs_free_database(db);
	if (cerr == NULL)
		return rc != HS_SUCCESS;
	/* an allocation failure alone proves nothing about the expression */
	rc = strstr(cerr->message, "allocate") == NULL && strstr(cerr->message, "memory") == NULL;
	hs_free_compile_error(cerr);
	return rc;
}

static void
compile_error(hs_compile_error_t *cerr, char *why, size_t why_len)
{
	if (cerr == NULL) {
		set_why(why, why_len, "Hyperscan compile failed");
		return;
	}
	/*
	 * Hyperscan suggests a compile flag no policy key sets; say what it means for a
	 * pattern instead.
	 */
	if (strstr(cerr->message, "matches empty buffer") != NULL)
		set_why(why, why_len,
			"the pattern can match the empty string (like 'a*' or 'x?'); a term must "
			"match at least one character");
	else
		set_why(why, why_len, cerr->message);
}

/* The flags a regex is compiled with (pc_hs_build() and pc_regex_zero_width() agree). */
static unsigned
regex_flags(const char *re, int caseless)
{
	unsigned f = MATCH_BASE_FLAGS;

	if (uses_word_boundary(re))
		f &= ~(unsigned)HS_FLAG_UCP;
	if (caseless)
		f |= HS_FLAG_CASELESS;
	return f;
}

int
pc_regex_zero_width(const char *re, int caseless)
{
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *cerr = NULL;
	int zero;

	if (hs_expression_info(re, regex_flags(re, caseless), &info, &cerr) != HS_SUCCESS) {
		hs_free_compile_error(cerr);
		return 0; /* the compile reports what is wrong with it */
	}
	zero = info->min_width == 0;
	free(info); /* hs_expression_info() allocates with the misc allocator: malloc */
	return zero;
}

int
pc_hs_build(const struct insp_pattern *pats, uint32_t n, const char *strings,
	    const hs_platform_info_t *plat, hs_database_t **regex_db, hs_database_t **lit_db,
	    int *bad_index, char *why, size_t why_len)
{
	const char **rex = NULL, **lit = NULL;
	unsigned *rflags = NULL, *lflags = NULL, *rids = NULL, *lids = NULL;
	size_t *llens = NULL;
	uint32_t nr = 0, nl = 0;
	hs_compile_error_t *cerr = NULL;
	int rc = -1;

	*regex_db = *lit_db = NULL;
	*bad_index = -1;
	set_why(why, why_len, "");
	/* Hyperscan counts expressions in unsigned int and reports the bad one as int. */
	if (n > INT_MAX) {
		set_why(why, why_len, "too many expressions");
		return -1;
	}
	rex = calloc(n + 1, sizeof(*rex));
	lit = calloc(n + 1, sizeof(*lit));
	rflags = calloc(n + 1, sizeof(*rflags));
	lflags = calloc(n + 1, sizeof(*lflags));
	rids = calloc(n + 1, sizeof(*rids));
	lids = calloc(n + 1, sizeof(*lids));
	llens = calloc(n + 1, sizeof(*llens));
	if (rex == NULL || lit == NULL || rflags == NULL || lflags == NULL || rids == NULL ||
	    lids == NULL || llens == NULL) {
		set_why(why, why_len, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct insp_pattern *pt = &pats[i];
		const char *e = strings + pt->expr_off;

		if (pt->literal) {
			lit[nl] = e + pt->anchor_off;
			llens[nl] = pt->anchor_len;
			lflags[nl] = pt->caseless ? HS_FLAG_CASELESS : 0;
			lids[nl++] = i;
			continue;
		}
		rflags[nr] = regex_flags(e, pt->caseless);
		rex[nr] = e;
		rids[nr++] = i;
	}
	if (nr != 0 && hs_compile_multi(rex, rflags, rids, nr, HS_MODE_BLOCK, plat, regex_db,
					&cerr) != HS_SUCCESS) {
		compile_error(cerr, why, why_len);
		if (cerr != NULL && cerr->expression >= 0 && (uint32_t)cerr->expression < nr &&
		    fails_alone(rex[cerr->expression], 0, rflags[cerr->expression], 0, plat))
			*bad_index = (int)rids[cerr->expression];
		goto out;
	}
	if (nl != 0 && hs_compile_lit_multi(lit, lflags, lids, llens, nl, HS_MODE_BLOCK, plat,
					    lit_db, &cerr) != HS_SUCCESS) {
		compile_error(cerr, why, why_len);
		if (cerr != NULL && cerr->expression >= 0 && (uint32_t)cerr->expression < nl &&
		    fails_alone(lit[cerr->expression], llens[cerr->expression],
				lflags[cerr->expression], 1, plat))
			*bad_index = (int)lids[cerr->expression];
		goto out;
	}
	rc = 0;
out:
	if (cerr != NULL)
		hs_free_compile_error(cerr);
	if (rc != 0) {
		hs_free_database(*regex_db);
		hs_free_database(*lit_db);
		*regex_db = *lit_db = NULL;
	}
	free(rex);
	free(lit);
	free(rflags);
	free(lflags);
	free(rids);
	free(lids);
	free(llens);
	return rc;
}

/* \b as Hyperscan can compile it under UCP, cheaply (see the top of this file). */
#define BOUNDARY_BEFORE "(?:^|[^0-9A-Z_a-z])"
#define BOUNDARY_AFTER	"(?:[^0-9A-Z_a-z]|$)"

/*
 * Word character for choosing whether a side gets a boundary. Any byte of a multi-byte
 * UTF-8 sequence counts: most non-ASCII phrase edges are letters, and telling letters from
 * punctuation would need Unicode tables. A phrase that starts or ends with non-ASCII
 * punctuation is better written as a regex.
 */
int
pc_is_word_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c >= 0x80;
}

int
pc_is_space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Append @p len bytes; false if they (plus the final NUL) do not fit. */
static int
put(char *out, size_t cap, size_t *pos, const char *s, size_t len)
{
	if (cap - *pos <= len)
		return 0;
	memcpy(out + *pos, s, len);
	*pos += len;
	return 1;
}

/* \t \n \v \f \r and space: ASCII \s */
#define LITERAL_SPACE "[\\t-\\r ]+"

int
pc_literal_to_regex(const char *phrase, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)phrase;
	const unsigned char *first = NULL, *last = NULL;
	size_t pos = 0;
	int in_word = 0;

	if (phrase == NULL || out == NULL || cap == 0)
		return -1;
	for (; *p != '\0'; p++) {
		if (!pc_is_space_byte(*p)) {
			if (first == NULL)
				first = p;
			last = p;
		}
	}
	if (first == NULL)
		return -1;

	if (pc_is_word_byte(*first) &&
	    !put(out, cap, &pos, BOUNDARY_BEFORE, strlen(BOUNDARY_BEFORE)))
		return -1;
	for (p = first; p <= last; p++) {
		if (pc_is_space_byte(*p)) {
			/*
			 * A run of whitespace between words becomes one ASCII whitespace run: the
			 * scan text has Unicode spaces made ASCII (insp_norm.h), and
			 * Unicode \s costs Hyperscan 2x compile time and 6x database size.
			 */
			if (in_word && !put(out, cap, &pos, LITERAL_SPACE, strlen(LITERAL_SPACE)))
				return -1;
			in_word = 0;
			continue;
		}
		in_word = 1;
		if (*p < 0x80 && !pc_is_word_byte(*p) && !put(out, cap, &pos, "\\", 1))
			return -1;
		if (!put(out, cap, &pos, (const char *)p, 1))
			return -1;
	}
	if (pc_is_word_byte(*last) && !put(out, cap, &pos, BOUNDARY_AFTER, strlen(BOUNDARY_AFTER)))
		return -1;
	out[pos] = '\0';
	return pos > INT_MAX ? -1 : (int)pos;
}
