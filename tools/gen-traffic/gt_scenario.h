/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * What gen-traffic sends: for each expected decision (release, or one drop reason) a few
 * variants of a frame that the guard must decide exactly that way, in the sample deployment
 * of rules/sample-policy.yaml. A dropped frame passes every check that comes before its
 * reason in the decision order of GUARD-SPEC 4.3 (a stale message is otherwise releasable,
 * a prohibited_content message is correctly labelled, ...).
 */
#ifndef GT_SCENARIO_H
#define GT_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "gt_deploy.h"
#include "gt_rng.h"
#include "gt_sender.h"

/*
 * X(ENUM, "name", variants) in decision order. The names are the guard's stable reason
 * names (INSP_REASONS in dataplane/inspect/insp_reason.h): keep them equal.
 */
#define GT_REASONS(X)                                      \
	X(RELEASE, "release", 1)                           \
	X(L2L4_NOT_UDP, "l2l4_not_udp", 5)                 \
	X(L2L4_NO_CHANNEL, "l2l4_no_channel", 4)           \
	X(L2L4_FRAGMENT, "l2l4_fragment", 3)               \
	X(L2L4_IP_OPTIONS, "l2l4_ip_options", 3)           \
	X(L2L4_TRUNCATED, "l2l4_truncated", 4)             \
	X(L2L4_BAD_CHECKSUM, "l2l4_bad_checksum", 4)       \
	X(L2L4_OVERSIZE, "l2l4_oversize", 2)               \
	X(MALFORMED_MESSAGE, "malformed_message", 8)       \
	X(UNLABELLED, "unlabelled", 2)                     \
	X(BAD_LABEL, "bad_label", 9)                       \
	X(LABEL_CONFLICT, "label_conflict", 4)             \
	X(OVER_CLASSIFIED, "over_classified", 6)           \
	X(NOT_RELEASABLE, "not_releasable", 7)             \
	X(NO_SHARING_AGREEMENT, "no_sharing_agreement", 4) \
	X(MARKING_INCONSISTENT, "marking_inconsistent", 6) \
	X(PROHIBITED_CONTENT, "prohibited_content", 13)    \
	X(REVIEW, "review", 4)                             \
	X(STALE, "stale", 3)

enum gt_reason {
#define GT_REASON_ENUM(e, name, nv) GT_R_##e,
	GT_REASONS(GT_REASON_ENUM)
#undef GT_REASON_ENUM
		GT_R_COUNT
};

/** Stable name of @p r ("l2l4_fragment"). */
const char *gt_reason_name(enum gt_reason r);

/** Number of distinct frame variants generated for @p r. */
unsigned gt_reason_variants(enum gt_reason r);

#define GT_FRAME_MAX 9000u /**< largest frame written (oversize frames stay below) */
#define GT_MSG_MAX   8192u /**< largest CoT message built */

/** One generated frame and what the guard must decide for it. */
struct gt_frame_out {
	uint8_t frame[GT_FRAME_MAX];
	size_t frame_len;
	uint8_t msg[GT_MSG_MAX]; /**< the whole CoT message carried (also for fragments) */
	size_t msg_len;		 /**< 0 if the frame carries no CoT message */
	int channel;		 /**< enum gt_channel_id for the sidecar, -1 for "-" */
	int msg_channel;	 /**< channel the message was written for (term scopes) */
	enum gt_format format;	 /**< format of msg (what --policy-check walks) */
	uint32_t payload_len;	 /**< UDP payload bytes in this frame, 0 if none */
	enum gt_reason reason;
	const char *variant; /**< short description of the variant */
};

struct gt_msg; /* the message being assembled (private: gt_scenario_int.h) */

/** Generator state: the random stream, the sender population and a work area. */
struct gt_gen {
	struct gt_rng rng;
	struct gt_sender senders[GT_SENDERS];
	struct gt_msg *msg;
};

/** Seed @p g, create the senders, allocate the work area. @return 0, -1 (out of memory). */
int gt_gen_init(struct gt_gen *g, uint64_t seed);

/** Release what gt_gen_init() allocated. */
void gt_gen_fini(struct gt_gen *g);

/**
 * Generate one frame expected to be decided @p r, variant @p variant (taken modulo the
 * number of variants), sent at @p ts_us microseconds since the epoch.
 * @return 0, or -1 with a message in @p err (an internal error: a bug, not bad input).
 */
int gt_gen_frame(struct gt_gen *g, enum gt_reason r, unsigned variant, int64_t ts_us,
		 struct gt_frame_out *out, char *err, size_t errlen);

/**
 * Number of distinct variants of @p r that format @p f generates; 0 when the format cannot
 * produce that reason (labelled XML has one label carrier, so no label_conflict; only CoT
 * and TAK carry a validity time, so only they can be stale). The l2l4_* reasons are not
 * about a format: they belong to GT_FMT_COT (CoT frames on the CoT channels, as always).
 */
unsigned gt_format_variants(enum gt_format f, enum gt_reason r);

/**
 * gt_gen_frame() for a message of format @p f on that format's channel (GT_FMT_COT is
 * gt_gen_frame() itself). @p r must have gt_format_variants(f, r) > 0.
 */
int gt_gen_frame_fmt(struct gt_gen *g, enum gt_format f, enum gt_reason r, unsigned variant,
		     int64_t ts_us, struct gt_frame_out *out, char *err, size_t errlen);

#endif
