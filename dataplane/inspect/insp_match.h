/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Pattern matching with Hyperscan: one block-mode database per ruleset, one scratch per
 * worker thread.
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

struct insp_matcher;
struct insp_match_scratch;

/** Distinct expression ids that matched in one scan, in first-match order. */
struct insp_hits {
	uint32_t n;
	uint8_t overflow; /**< more than INSP_MAX_HITS distinct ids matched */
	uint32_t id[INSP_MAX_HITS];
};

/**
 * Compile @p n expressions; expression i reports id i.
 * @return the matcher, or NULL with *bad_index set to the rejected expression (-1 if the
 *   failure is not tied to one) and @p why holding Hyperscan's reason.
 */
struct insp_matcher *insp_matcher_build(const char *const *exprs, const unsigned *flags, uint32_t n,
					int *bad_index, char *why, size_t why_len);

void insp_matcher_free(struct insp_matcher *m);

/** Size of the compiled database, bytes. */
size_t insp_matcher_db_size(const struct insp_matcher *m);

/** Scratch for one thread, usable with @p m (and any matcher it was grown for). */
struct insp_match_scratch *insp_match_scratch_create(const struct insp_matcher *m);

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
 * Scan one block, calling @p fn for each match as Hyperscan reports it (a match may be
 * reported more than once). No bound on the number of matches: the caller folds them.
 * @return 0 (also when @p fn stopped the scan), or -1 if Hyperscan failed.
 */
int insp_matcher_scan_cb(const struct insp_matcher *m, struct insp_match_scratch *s,
			 const uint8_t *text, size_t len, insp_match_fn fn, void *ctx);

/**
 * Turn a literal phrase into the expression GUARD-SPEC 4.5 defines: words joined by an ASCII
 * whitespace run [\t-\r ]+ (the scan text has Unicode spaces made ASCII), regex metacharacters
 * escaped, and a word boundary on each side whose edge character is a word character, written
 * (?:^|[^0-9A-Z_a-z]) / (?:[^0-9A-Z_a-z]|$) because Hyperscan has no \b under Unicode properties
 * (for detection the two are equivalent).
 * @return length written (NUL excluded), or -1 if @p cap is too small or the phrase is
 *   empty.
 */
int insp_match_literal_to_regex(const char *phrase, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
