/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * THE entry point of the inspection library: one message payload in, one decision out.
 *
 *   parse (format module, strict) -> label decode -> classification and releasability
 *   -> data-category sharing (ISA) -> content markings -> prohibited/review terms
 *   -> validity                                                      (GUARD-SPEC 4.3)
 *
 * The first failing step decides. Pure: no I/O, no globals, no allocation per message.
 * The caller owns a struct insp_scratch per thread (created at set-up, sized for the
 * largest message it will pass), and supplies the current time, so decisions are
 * reproducible in tests and offline checks.
 */
#ifndef INSP_INSPECT_H
#define INSP_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "insp_policy.h"
#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

#define INSP_DETAIL_MAX 160
#define INSP_UID_MAX	64

/** A decision: what, where and why (for counters, audit records and guardctl). */
struct insp_result {
	enum insp_reason reason; /**< INSP_R_RELEASE or why not */
	/**
	 * Byte offset in the payload the reason points at: where the parser refused it, or,
	 * for marking_inconsistent, prohibited_content and review, where the attribute value,
	 * text, name, comment, string field or ADatP-3 field holding the match starts.
	 */
	uint32_t offset;
	uint32_t rule_id;	      /**< matched rule id (marking/term reasons), else 0 */
	uint8_t level;		      /**< label's NATO level, INSP_LEVEL_NONE if unknown */
	uint8_t tclass;		      /**< traffic class of a release (0 flash .. 3 routine) */
	uint8_t label_normalised;     /**< lenient mode accepted an off-standard label */
	char uid[INSP_UID_MAX];	      /**< message uid if parsed (truncated), else "" */
	char detail[INSP_DETAIL_MAX]; /**< e.g. "cot: attribute 'stale' missing" */
};

struct insp_scratch;

/**
 * Per-thread working memory for messages up to @p max_msg bytes, usable with @p p.
 * Up to 256 KiB every format's worst case fits (about 24 bytes per message byte); the
 * bytes above that are sized for object envelopes (insp_obj.h: a text of up to 64 MiB and
 * more is one unit), about 3.3 bytes per byte: a 64 MiB scratch takes some 210 MiB.
 * @return NULL on allocation failure.
 */
struct insp_scratch *insp_scratch_create(const struct insp_policy *p, uint32_t max_msg);

void insp_scratch_free(struct insp_scratch *s);

/**
 * Decide one message that arrived on channel @p channel of @p p.
 * @param now_ms  current time, ms since the Unix epoch (for 'stale')
 * @return res->reason
 */
enum insp_reason insp_inspect(const struct insp_policy *p, struct insp_scratch *s, uint32_t channel,
			      const uint8_t *msg, size_t len, int64_t now_ms,
			      struct insp_result *res);

/**
 * Only the first step of insp_inspect(): the channel's format module parses @p msg (no
 * label decision, no scan). For benchmarks (parse cost per format) and diagnostics.
 * @return INSP_R_RELEASE if the message is well formed, else why not (res filled).
 */
enum insp_reason insp_parse(const struct insp_policy *p, struct insp_scratch *s, uint32_t channel,
			    const uint8_t *msg, size_t len, struct insp_result *res);

/**
 * The scan text the last insp_parse() or insp_inspect() with @p s built: every scan unit
 * joined by '\n', exactly what the content step gives Hyperscan. For benchmarks (the
 * scan's share of a decision) and diagnostics; valid until @p s is used again.
 */
const uint8_t *insp_scratch_scan_text(const struct insp_scratch *s, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
