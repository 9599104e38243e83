/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Decision reasons: the one list (VPP's foreach_error idea) from which the enum, the names
 * used in counters, audit records and docs/reasons.md are all generated. Order of the
 * list is the order of the decision procedure (GUARD-SPEC 4.3); names are stable: they are
 * an operator interface (counters, logs, scripts): never rename one. Numbers follow the
 * decision order and are not an interface (counters and logs carry names).
 */
#ifndef INSP_REASON_H
#define INSP_REASON_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(ENUM_SUFFIX, "name", "what it means") */
#define INSP_REASONS(X)                                                                            \
	X(RELEASE, "release", "message released")                                                  \
	X(L2L4_NOT_UDP, "l2l4_not_udp", "not an IPv4/IPv6 UDP datagram (ARP, TCP, ICMP, ...)")     \
	X(L2L4_NO_CHANNEL, "l2l4_no_channel", "no channel for this port/address/UDP port")         \
	X(L2L4_FRAGMENT, "l2l4_fragment", "IP fragment")                                           \
	X(L2L4_IP_OPTIONS, "l2l4_ip_options", "IPv4 options or IPv6 extension headers")            \
	X(L2L4_BAD_CHECKSUM, "l2l4_bad_checksum", "IPv4 header or UDP checksum wrong")             \
	X(L2L4_TRUNCATED, "l2l4_truncated", "headers or lengths past the end of the frame")        \
	X(L2L4_OVERSIZE, "l2l4_oversize", "payload above the channel's max_size")                  \
	X(NO_POLICY, "no_policy", "no policy loaded: fail closed")                                 \
	X(MALFORMED_MESSAGE, "malformed_message", "the format's strict parse failed")              \
	X(UNLABELLED, "unlabelled", "no security label")                                           \
	X(BAD_LABEL, "bad_label", "a label that does not follow its grammar or names unknowns")    \
	X(LABEL_CONFLICT, "label_conflict", "two label carriers disagree")                         \
	X(OVER_CLASSIFIED, "over_classified", "classification above the destination's maximum")    \
	X(NOT_RELEASABLE, "not_releasable", "a destination nation is not in Releasable-To")        \
	X(NO_SHARING_AGREEMENT, "no_sharing_agreement", "a data category not shared (ISA)")        \
	X(MARKING_INCONSISTENT, "marking_inconsistent", "content marking above label or caveat")   \
	X(PROHIBITED_CONTENT, "prohibited_content", "a prohibited term matched")                   \
	X(REVIEW, "review", "a review term matched: held for a human, not forwarded")              \
	X(STALE, "stale", "message validity expired")                                              \
	X(AUDIT_UNAVAILABLE, "audit_unavailable",                                                  \
	  "a release that needs an audit record when none can be made: dropped (fail closed)")     \
	X(TX_FAILED, "tx_failed", "released but the egress queue refused it")                      \
	X(TO_SLOWPATH, "to_slowpath",                                                              \
	  "an object chunk handed to the slow path: its decision is made there")                   \
	X(SLOWPATH_BUSY, "slowpath_busy",                                                          \
	  "object chunk dropped: slow-path ring full or record pool empty")                        \
	X(SLOWPATH_DOWN, "slowpath_down", "object chunk dropped: no slow-path process attached")   \
	X(OBJ_DUPLICATE, "obj_duplicate", "a chunk of an object arrived twice")                    \
	X(OBJ_OVERLAP, "obj_overlap", "a chunk's data overlaps another chunk's of the object")     \
	X(OBJ_MISMATCH, "obj_mismatch", "a chunk header differs from the object's first chunk")    \
	X(OBJ_OVERSIZE, "obj_oversize", "object above the channel's max_object")                   \
	X(OBJ_INCOMPLETE, "obj_incomplete", "object timed out with chunks missing")                \
	X(OBJ_BUSY, "obj_busy", "memory bound for objects in flight reached")                      \
	X(TYPE_NOT_ALLOWED, "type_not_allowed",                                                    \
	  "the object's real type is not in the channel's allowlist")                              \
	X(TYPE_MISMATCH, "type_mismatch", "declared type and the real (libmagic) type differ")     \
	X(ACTIVE_CONTENT, "active_content",                                                        \
	  "active content in the object (PDF JavaScript, launch or open actions, embedded files, " \
	  "XFA, ...)")                                                                             \
	X(BAD_OBJECT, "bad_object", "the object does not parse or decode")                         \
	X(REVIEW_QUEUE_FULL, "review_queue_full",                                                  \
	  "the review queue is at its bound: refused, not queued")                                 \
	X(RELEASED_REVIEWED, "released_reviewed",                                                  \
	  "a reviewed item left through the dataplane after approval")                             \
	X(QUEUE_FULL, "queue_full",                                                                \
	  "released, but its traffic class's egress queue was full (the link is saturated)")

enum insp_reason {
#define INSP_REASON_ENUM(e, name, text) INSP_R_##e,
	INSP_REASONS(INSP_REASON_ENUM)
#undef INSP_REASON_ENUM
		INSP_R_COUNT
};

/** Stable lower_snake name of a reason ("l2l4_fragment"); "invalid" for out-of-range. */
const char *insp_reason_name(enum insp_reason r);

/** One-line human description of a reason. */
const char *insp_reason_text(enum insp_reason r);

/** Reason for a stable name, or -1 if the name is unknown. */
int insp_reason_from_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif
