/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Hyperscan compilation of a policy's patterns (the compile half of insp_match.h, which only
 * scans). Regexes go into one database compiled with the flags GUARD-SPEC 4.5 asks for;
 * literal phrases contribute their anchor word to a second database built with Hyperscan's
 * literal API, and are confirmed around it at scan time (insp_match_confirm_literal()).
 */
#ifndef PC_HS_H
#define PC_HS_H

#include <stddef.h>
#include <stdint.h>

#include <hs/hs.h>

#include "insp_policy.h"

/**
 * Build the databases for @p n patterns whose expressions are in @p strings, for platform
 * @p plat (NULL: this machine). A database with no pattern stays NULL.
 * @return 0, or -1 with @p why set and *bad_index the pattern at fault: set only when
 *   Hyperscan named it and that pattern fails on its own too (-1 otherwise, e.g. when
 *   Hyperscan ran out of memory).
 */
int pc_hs_build(const struct insp_pattern *pats, uint32_t n, const char *strings,
		const hs_platform_info_t *plat, hs_database_t **regex_db, hs_database_t **lit_db,
		int *bad_index, char *why, size_t why_len);

/** Bounds on one compile; zero seconds means in this process, unbounded. */
struct pc_hs_bounds {
	unsigned seconds; /**< wall time the compile may take */
	size_t max_bytes; /**< address space of the compiling process (0: no cap) */
};

/**
 * pc_hs_build() in a child process that is killed after @p bounds->seconds and whose
 * address space is capped at @p bounds->max_bytes (not under AddressSanitizer), so that no
 * policy can hold the compiler for longer or make the OOM killer act. Same results and
 * errors as pc_hs_build(), plus "did not finish within N s".
 */
int pc_hs_build_bounded(const struct insp_pattern *pats, uint32_t n, const char *strings,
			const hs_platform_info_t *plat, const struct pc_hs_bounds *bounds,
			hs_database_t **regex_db, hs_database_t **lit_db, int *bad_index, char *why,
			size_t why_len);

/**
 * Turn a literal phrase into the regex GUARD-SPEC 4.5 defines: words joined by an ASCII
 * whitespace run [\\t-\\r ]+ (the scan text has Unicode spaces made ASCII), regex
 * metacharacters escaped, and a word boundary on each side whose edge character is a word
 * character, written (?:^|[^0-9A-Z_a-z]) / (?:[^0-9A-Z_a-z]|$) because Hyperscan has no \\b
 * under Unicode properties. This is the reference the literal database is tested against
 * and what 'guardctl policy show' prints for a literal.
 * @return length written (NUL excluded), or -1 if @p cap is too small or the phrase is
 *   empty.
 */
int pc_literal_to_regex(const char *phrase, char *out, size_t cap);

/**
 * Can regex @p re match a zero-width string (min_width 0 by hs_expression_info(), such as
 * '^$' or '(?m)^')? Such a term would match text that holds nothing. 0 also when Hyperscan
 * refuses the expression: compiling it then says why.
 */
int pc_regex_zero_width(const char *re, int caseless);

/** ASCII whitespace [\t-\r ]: what separates a phrase's words. */
int pc_is_space_byte(unsigned char c);

/** Is @p c a byte next to which a phrase needs a word boundary (ASCII word or non-ASCII)? */
int pc_is_word_byte(unsigned char c);

#endif
