/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Self-check for --policy-check: walks a generated CoT message the way GUARD-SPEC 4.5 says
 * the guard scans it (every attribute value and text node except the label carriers: the
 * root's access attribute and the 4774 label element; references decoded; zero-width and
 * soft-hyphen characters deleted) and counts prohibited terms and content markings of
 * rules/sample-policy.yaml (literal phrases as whole words joined by whitespace, caseless;
 * the two regexes re-implemented by hand). The walker only understands the XML this tool
 * writes; it is a guard against generator mistakes, not an XML parser.
 */
#ifndef GT_CHECK_H
#define GT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gt_check_result {
	bool wellformed;    /**< the walker accepted the document */
	char error[96];	    /**< why not, when !wellformed */
	unsigned terms;	    /**< prohibited-term matches */
	unsigned markings;  /**< marking matches */
	char first_hit[48]; /**< the first term or marking matched, for messages */
};

/** Walk and scan @p len bytes of @p msg. */
void gt_check_cot(const uint8_t *msg, size_t len, struct gt_check_result *r);

#endif
