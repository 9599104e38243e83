/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Self-check for --policy-check: walks a generated CoT message the way GUARD-SPEC 4.5 says
 * the guard scans it (every attribute value and text node except the label carriers: the
 * root's access attribute and the 4774 label element; references decoded; zero-width and
 * soft-hyphen characters deleted) and counts prohibited terms, review terms and content
 * markings of rules/sample-policy.yaml (literal phrases as whole words joined by whitespace,
 * caseless; the two regexes re-implemented by hand). The long term lists come from the term
 * files themselves (rules/terms/codewords.txt: drop; rules/terms/review.txt: review), read
 * by gt_check_load(); the rest is in gt_deploy.c. The walker only understands the XML this
 * tool writes; it is a guard against generator mistakes, not an XML parser.
 */
#ifndef GT_CHECK_H
#define GT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gt_check_result {
	bool wellformed;    /**< the walker accepted the document */
	char error[96];	    /**< why not, when !wellformed */
	unsigned terms;	    /**< prohibited-term (action drop) matches */
	unsigned reviews;   /**< review-term matches in scope for the channel */
	unsigned markings;  /**< marking matches */
	char first_hit[48]; /**< the first term or marking matched, for messages */
};

/**
 * Read the term files under @p rules_dir (terms/codewords.txt, terms/review.txt: one phrase
 * a line, '#' comments and blank lines ignored) and check that the samples gt_deploy.c uses
 * are in them; check that gt_deploy.c's channels (ingress address and UDP port, format,
 * max_size, destination) are those of @p rules_dir/sample-policy.yaml. Must be called once
 * before gt_check_cot().
 * @return 0, or -1 with a message in @p err.
 */
int gt_check_load(const char *rules_dir, char *err, size_t errlen);

/** Walk and scan @p len bytes of @p msg, sent on channel @p channel (enum gt_channel_id). */
void gt_check_cot(const uint8_t *msg, size_t len, int channel, struct gt_check_result *r);

/**
 * gt_check_cot() for a message of any format (enum gt_format): CoT and labelled XML are
 * walked as XML documents (the 4774 label skipped); TAK is decoded (every string field but
 * CotEvent.access, xmlDetail as XML elements); ADatP-3 is split into sets and fields (the
 * envelope line and MSGID fields 9 and 10, the label, skipped; no references).
 */
void gt_check_msg(int format, const uint8_t *msg, size_t len, int channel,
		  struct gt_check_result *r);

#endif
