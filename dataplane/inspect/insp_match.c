/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hyperscan wrapper. It exists so that the rest of inspect sees one small contract (build
 * once, scan many, never allocate while scanning) instead of Hyperscan's whole API, and so
 * that every expression is compiled with the same flags: GUARD-SPEC 4.5 defines terms as
 * UTF-8 + Unicode properties, and the inspector relies on multi-line anchors and on one
 * report per expression per scan.
 *
 * Word boundaries: Hyperscan 5.4 rejects \b and \B under HS_FLAG_UCP ("\b unsupported in
 * UCP mode"), and ASCII mode is no answer: its \s misses U+00A0 between words (an evasion)
 * and its \b never fires next to a non-ASCII letter. So:
 * - insp_match_literal_to_regex() writes a boundary as (?:^|[^0-9A-Z_a-z]) before and
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

#include "insp_match.h"

/* Flags every expression gets; only caselessness is the policy's choice. */
#define MATCH_BASE_FLAGS (HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_MULTILINE | HS_FLAG_SINGLEMATCH)

struct insp_matcher {
	hs_database_t *db;
};

struct insp_match_scratch {
	hs_scratch_t *hs;
};

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

struct insp_matcher *
insp_matcher_build(const char *const *exprs, const unsigned *flags, uint32_t n, int *bad_index,
		   char *why, size_t why_len)
{
	struct insp_matcher *m = NULL;
	unsigned *hs_flags = NULL;
	unsigned *ids = NULL;
	hs_compile_error_t *cerr = NULL;
	hs_database_t *db = NULL;
	uint32_t i;

	if (bad_index != NULL)
		*bad_index = -1;
	set_why(why, why_len, "");
	if (exprs == NULL || n == 0) {
		set_why(why, why_len, "no expressions to compile");
		return NULL;
	}
	/* Hyperscan counts expressions in unsigned int and reports the bad one as int. */
	if (n > INT_MAX) {
		set_why(why, why_len, "too many expressions");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (exprs[i] == NULL || (flags != NULL && (flags[i] & ~INSP_MATCH_CASELESS) != 0)) {
			if (bad_index != NULL)
				*bad_index = (int)i;
			set_why(why, why_len,
				exprs[i] == NULL ? "expression is NULL" : "unknown match flags");
			return NULL;
		}
	}

	hs_flags = calloc(n, sizeof(*hs_flags));
	ids = calloc(n, sizeof(*ids));
	m = calloc(1, sizeof(*m));
	if (hs_flags == NULL || ids == NULL || m == NULL) {
		set_why(why, why_len, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		hs_flags[i] = MATCH_BASE_FLAGS;
		if (uses_word_boundary(exprs[i]))
			hs_flags[i] &= ~(unsigned)HS_FLAG_UCP;
		if (flags != NULL && (flags[i] & INSP_MATCH_CASELESS) != 0)
			hs_flags[i] |= HS_FLAG_CASELESS;
		ids[i] = i;
	}

	if (hs_compile_multi(exprs, hs_flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &cerr) !=
	    HS_SUCCESS) {
		if (cerr != NULL) {
			if (bad_index != NULL)
				*bad_index = cerr->expression;
			/*
			 * Hyperscan suggests a compile flag no policy key sets; say what it means
			 * for a pattern instead.
			 */
			if (strstr(cerr->message, "matches empty buffer") != NULL)
				set_why(why, why_len,
					"the pattern can match the empty string (like 'a*' or "
					"'x?'); "
					"a term must match at least one character");
			else
				set_why(why, why_len, cerr->message);
			hs_free_compile_error(cerr);
		} else {
			set_why(why, why_len, "Hyperscan compile failed");
		}
		goto fail;
	}
	m->db = db;
	free(hs_flags);
	free(ids);
	return m;

fail:
	free(m);
	free(ids);
	free(hs_flags);
	return NULL;
}

void
insp_matcher_free(struct insp_matcher *m)
{
	if (m == NULL)
		return;
	hs_free_database(m->db);
	free(m);
}

size_t
insp_matcher_db_size(const struct insp_matcher *m)
{
	size_t size = 0;

	if (m == NULL || hs_database_size(m->db, &size) != HS_SUCCESS)
		return 0;
	return size;
}

struct insp_match_scratch *
insp_match_scratch_create(const struct insp_matcher *m)
{
	struct insp_match_scratch *s;

	if (m == NULL)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	if (hs_alloc_scratch(m->db, &s->hs) != HS_SUCCESS) {
		free(s);
		return NULL;
	}
	return s;
}

void
insp_match_scratch_free(struct insp_match_scratch *s)
{
	if (s == NULL)
		return;
	hs_free_scratch(s->hs);
	free(s);
}

/*
 * Record a distinct id. HS_FLAG_SINGLEMATCH already gives one report per expression per
 * scan, but the caller appends several scan units into one insp_hits, so duplicates across
 * scans are filtered here. Once the array is full there is nothing more to learn: stop.
 */
static int
on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
	 void *ctx)
{
	struct insp_hits *hits = ctx;
	uint32_t i;

	(void)from;
	(void)to;
	(void)flags;
	for (i = 0; i < hits->n && i < INSP_MAX_HITS; i++) {
		if (hits->id[i] == id)
			return 0;
	}
	if (hits->n >= INSP_MAX_HITS) {
		hits->overflow = 1;
		return 1;
	}
	hits->id[hits->n++] = id;
	return 0;
}

int
insp_matcher_scan(const struct insp_matcher *m, struct insp_match_scratch *s, const uint8_t *text,
		  size_t len, struct insp_hits *hits)
{
	/* Hyperscan rejects a NULL buffer even for length 0. */
	static const char empty[1];
	hs_error_t rc;

	if (hits == NULL)
		return -1;
	if (m == NULL)
		return 0; /* a policy without patterns prohibits nothing */
	if (s == NULL || s->hs == NULL || (text == NULL && len != 0) || len > UINT_MAX)
		return -1;
	rc = hs_scan(m->db, len != 0 ? (const char *)text : empty, (unsigned)len, 0, s->hs,
		     on_match, hits);
	if (rc == HS_SUCCESS || rc == HS_SCAN_TERMINATED)
		return 0;
	return -1;
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
static int
is_word_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c >= 0x80;
}

static int
is_space_byte(unsigned char c)
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
insp_match_literal_to_regex(const char *phrase, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)phrase;
	const unsigned char *first = NULL, *last = NULL;
	size_t pos = 0;
	int in_word = 0;

	if (phrase == NULL || out == NULL || cap == 0)
		return -1;
	for (; *p != '\0'; p++) {
		if (!is_space_byte(*p)) {
			if (first == NULL)
				first = p;
			last = p;
		}
	}
	if (first == NULL)
		return -1;

	if (is_word_byte(*first) && !put(out, cap, &pos, BOUNDARY_BEFORE, strlen(BOUNDARY_BEFORE)))
		return -1;
	for (p = first; p <= last; p++) {
		if (is_space_byte(*p)) {
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
		if (*p < 0x80 && !is_word_byte(*p) && !put(out, cap, &pos, "\\", 1))
			return -1;
		if (!put(out, cap, &pos, (const char *)p, 1))
			return -1;
	}
	if (is_word_byte(*last) && !put(out, cap, &pos, BOUNDARY_AFTER, strlen(BOUNDARY_AFTER)))
		return -1;
	out[pos] = '\0';
	return pos > INT_MAX ? -1 : (int)pos;
}

struct cb_ctx {
	insp_match_fn fn;
	void *ctx;
};

static int
on_match_cb(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
	    void *ctx)
{
	const struct cb_ctx *c = ctx;

	(void)from;
	(void)to;
	(void)flags;
	return c->fn(id, c->ctx);
}

int
insp_matcher_scan_cb(const struct insp_matcher *m, struct insp_match_scratch *s,
		     const uint8_t *text, size_t len, insp_match_fn fn, void *ctx)
{
	static const char empty[1];
	struct cb_ctx c = {fn, ctx};
	hs_error_t rc;

	if (fn == NULL)
		return -1;
	if (m == NULL)
		return 0;
	if (s == NULL || s->hs == NULL || (text == NULL && len != 0) || len > UINT_MAX)
		return -1;
	rc = hs_scan(m->db, len != 0 ? (const char *)text : empty, (unsigned)len, 0, s->hs,
		     on_match_cb, &c);
	return rc == HS_SUCCESS || rc == HS_SCAN_TERMINATED ? 0 : -1;
}
