/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Pattern matching with Hyperscan: scanning only (compiling is the policy compiler's job, in
 * control/policy). Regexes in one block-mode database, literal phrases in a second one built
 * with Hyperscan's literal API and confirmed around their anchor word; one scratch per worker
 * thread.
 *
 * Contract: a matcher is immutable once built and may be shared by any number of threads;
 * a scratch belongs to exactly one thread at a time. Scanning never allocates.
 * Expressions use Hyperscan's PCRE syntax, compiled UTF-8 + multi-line (so ^ and $ also
 * match at unit separators, see insp_inspect.c) + Unicode properties, except expressions
 * using \b or \B, which Hyperscan refuses under Unicode properties: those are compiled
 * with ASCII classes (the scan text has Unicode spaces made ASCII, see insp_utf8.h).
 */
#ifndef INSP_MATCH_H
#define INSP_MATCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INSP_MATCH_CASELESS 1u /**< compile the expression caseless */
#define INSP_MAX_HITS	    32 /**< distinct expression ids remembered per scan */

struct insp_pattern; /* insp_policy.h */

/**
 * The compiled patterns of one ruleset: up to two Hyperscan block databases, built by the
 * policy compiler (control/policy) and deserialized by the ruleset loader
 * (dataplane/ruleset). Ids in both are indexes into @p patterns.
 */
struct insp_matcher {
	const struct hs_database *regex_db; /**< regexes; NULL if none */
	const struct hs_database *lit_db;   /**< literal anchors (hs_compile_lit_multi); or NULL */
	const struct insp_pattern *patterns;
	uint32_t n_patterns;
	const char *strings; /**< insp_policy.strings: literal phrases are confirmed from here */
};

/** Does the matcher hold any pattern? */
static inline int
insp_matcher_empty(const struct insp_matcher *m)
{
	return m == NULL || (m->regex_db == NULL && m->lit_db == NULL);
}

struct insp_match_scratch;

/** Distinct expression ids that matched in one scan, in first-match order. */
struct insp_hits {
	uint32_t n;
	uint8_t overflow; /**< more than INSP_MAX_HITS distinct ids matched */
	uint32_t id[INSP_MAX_HITS];
};

/**
 * Scratch for one thread, usable with @p m: Hyperscan's own allocator (see
 * hs_set_scratch_allocator(), which guardd points at hugepage memory), grown for both
 * databases. NULL if @p m is empty or memory ran out.
 */
struct insp_match_scratch *insp_match_scratch_create(const struct insp_matcher *m);

/** A second scratch like @p proto (hs_clone_scratch()), for another thread. */
struct insp_match_scratch *insp_match_scratch_clone(const struct insp_match_scratch *proto);

void insp_match_scratch_free(struct insp_match_scratch *s);

/**
 * Scan one block; hits are appended to @p hits (which the caller clears).
 * @return 0, or -1 if Hyperscan failed (treat as a drop: fail closed).
 */
int insp_matcher_scan(const struct insp_matcher *m, struct insp_match_scratch *s,
		      const uint8_t *text, size_t len, struct insp_hits *hits);

/** Called for every match of expression @p id; return non-zero to stop the scan. */
typedef int (*insp_match_fn)(uint32_t id, void *ctx);

/**
 * Scan one block, calling @p fn for each match (a literal only once its whole phrase is
 * confirmed; a match may be reported more than once). No bound on the number of matches:
 * the caller folds them.
 * @return 0 (also when @p fn stopped the scan), or -1 if Hyperscan failed or reported an id
 *   that is not a pattern (fail closed).
 */
int insp_matcher_scan_cb(const struct insp_matcher *m, struct insp_match_scratch *s,
			 const uint8_t *text, size_t len, insp_match_fn fn, void *ctx);

/** Would a match of expression @p id matter to the caller? Asked before a literal is confirmed. */
typedef int (*insp_match_want_fn)(uint32_t id, void *ctx);

/**
 * insp_matcher_scan_cb() for callers that ignore most ids: @p want (NULL: every id) is asked
 * first, and an id it does not want is neither confirmed nor reported. Most anchor hits in
 * real traffic are words of harmless phrases (the message's own "NATO SECRET" below its
 * label): skipping their confirmation is most of what a clean message's scan costs beyond
 * Hyperscan itself.
 */
int insp_matcher_scan_want(const struct insp_matcher *m, struct insp_match_scratch *s,
			   const uint8_t *text, size_t len, insp_match_want_fn want,
			   insp_match_fn fn, void *ctx);

/**
 * Is literal pattern @p pt's phrase in @p text around an anchor occurrence that ends at
 * @p anchor_end? The same language as the regex insp_match_literal_to_regex() writes (the
 * policy compiler's reference form): words joined by one or more of [\t-\r ], ASCII letters
 * caseless if the pattern is, a word boundary before (after) the phrase when its first (last)
 * byte is a word byte: the byte beyond must be outside [0-9A-Za-z_] or the text must end.
 */
int insp_match_confirm_literal(const struct insp_pattern *pt, const char *strings,
			       const uint8_t *text, size_t len, size_t anchor_end);

#ifdef __cplusplus
}
#endif
#endif
