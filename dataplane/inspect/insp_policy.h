/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The compiled policy: an immutable, self-contained description of what may cross.
 *
 * Compiled off the dataplane (control/policy, the policy compiler) into a ruleset image
 * (dataplane/ruleset/rs_image.h), then only read. Every record below is free of pointers so
 * that the image can hold the arrays as they are: opening an image points this struct's
 * arrays into it. Any number of threads may read one policy at the same time without
 * locks; nothing in it changes once built. Nations are bit positions (at most
 * INSP_MAX_NATIONS), so "every member of the destination is releasable" is one AND.
 *
 * Levels are the NATO lattice (GUARD-SPEC 4.1); every national classification name maps
 * onto it through the policy's classification tables.
 */
#ifndef INSP_POLICY_H
#define INSP_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "insp_err.h"
#include "insp_format.h"

#ifdef __cplusplus
extern "C" {
#endif

#define INSP_MAX_NATIONS    64 /**< nations are bits of a uint64_t */
#define INSP_MAX_CHANNELS   64
#define INSP_NAME_MAX	    64 /**< names, codes and classification names, NUL included */
#define INSP_MAX_CATEGORIES 64 /**< data categories (ISA matrix rows) */
#define INSP_TCLASS_COUNT   4  /**< traffic classes: 0 flash .. 3 routine (GUARD-SPEC 7) */
#define INSP_MAX_REVIEWERS  32 /**< reviewers in the policy's review block */

/** NATO classification lattice. */
enum insp_level {
	INSP_LEVEL_UNCLASSIFIED = 0,
	INSP_LEVEL_RESTRICTED,
	INSP_LEVEL_CONFIDENTIAL,
	INSP_LEVEL_SECRET,
	INSP_LEVEL_TOP_SECRET,
	INSP_LEVEL_COUNT,
	INSP_LEVEL_NONE = 0xff, /**< "no level" (e.g. a caveat-only marking) */
};

/** What the audit log holds for releases (GUARD-SPEC 8); drops and reviews always get one. */
enum insp_audit_releases {
	INSP_AUDIT_RECORD = 0, /**< one record per released message (default) */
	INSP_AUDIT_SUMMARY,    /**< a per-second count of releases per channel */
};

enum insp_direction {
	INSP_DIR_HIGH_TO_LOW = 0, /**< release */
	INSP_DIR_LOW_TO_HIGH,	  /**< import */
};

/** NATO level name ("SECRET") or NULL. */
const char *insp_level_name(enum insp_level l);

struct insp_ipaddr {
	uint8_t version; /**< 4 or 6 */
	uint8_t a[16];	 /**< network order; IPv4 uses a[0..3] */
};

struct insp_group {
	char code[INSP_NAME_MAX];
	uint64_t members; /**< nation bits, fully expanded */
};

/** One classification name of one policy identifier, and its NATO level. */
struct insp_class_name {
	char name[INSP_NAME_MAX];
	uint8_t level; /**< enum insp_level */
};

/** Classification equivalence table of one policy identifier ("NATO", "GBR", ...). */
struct insp_class_policy {
	char id[INSP_NAME_MAX];
	uint32_t first_name; /**< its names are class_names[first_name .. first_name+n_names) */
	uint32_t n_names;
};

/** "TagName:Value" of a RESTRICTIVE category value a destination holds (case as given). */
typedef char insp_held_t[2 * INSP_NAME_MAX];

struct insp_destination {
	char name[INSP_NAME_MAX];
	uint64_t members; /**< nation bits */
	uint8_t max_level;
	uint32_t first_held; /**< its values are held[first_held .. first_held+n_held) */
	uint32_t n_held;
};

struct insp_ingress {
	uint16_t port;		/**< DPDK port id */
	struct insp_ipaddr dst; /**< destination address (unicast or multicast) */
	uint16_t udp_port;	/**< destination UDP port, host order */
};

struct insp_egress {
	uint16_t port;	     /**< DPDK port id */
	uint8_t has_src_mac; /**< 0: the dataplane uses the port's own MAC */
	uint8_t src_mac[6];
	uint8_t dst_mac[6];	/**< configured next hop (the guard never ARPs) */
	struct insp_ipaddr src; /**< the guard's own address on that side */
	struct insp_ipaddr dst;
	uint16_t src_udp_port; /**< host order */
	uint16_t dst_udp_port; /**< host order */
	uint8_t ttl;	       /**< TTL / hop limit of re-originated packets */
	uint8_t dscp;	       /**< 6-bit DSCP, when has_dscp */
	uint8_t has_dscp;      /**< 1: dscp replaces the traffic class's DSCP on this channel */
};

struct insp_channel {
	char name[INSP_NAME_MAX];
	uint32_t category;    /**< default data category (index into categories) */
	uint8_t direction;    /**< enum insp_direction */
	uint8_t format;	      /**< enum insp_format */
	uint32_t destination; /**< index into insp_policy.destinations */
	uint32_t max_size;    /**< largest payload accepted, bytes */
	uint8_t allow_bidi;   /**< bidi controls allowed in text (else malformed_message) */
	struct insp_ingress ingress;
	struct insp_egress egress;
	/* format object only (all zero elsewhere): the channel's `object:` block */
	uint8_t object_types;	/**< allowed real types: bit 1 << enum insp_obj_type (1..4) */
	uint8_t object_release; /**< enum insp_obj_release */
	uint32_t object_max;	/**< largest object, bytes (1 .. INSP_OBJECT_MAX) */
};

/** What happens to a clean object of an object channel. */
enum insp_obj_release {
	INSP_OBJ_RELEASE_REVIEW = 0, /**< to the review queue (default) */
	INSP_OBJ_RELEASE_DIRECT,     /**< released at once */
};

#define INSP_OBJECT_MAX_DEFAULT (1u << 20)  /**< max_object when the policy gives none */
#define INSP_OBJECT_MAX		(64u << 20) /**< the largest max_object a policy may give */

/** One reviewer: the Unix uid a review command comes from (SO_PEERCRED) and a name. */
struct insp_reviewer {
	uint32_t uid;
	char name[INSP_NAME_MAX]; /**< [a-z0-9_.-], NUL-terminated */
};

enum insp_pattern_kind {
	INSP_PATTERN_TERM = 0, /**< prohibited content */
	INSP_PATTERN_MARKING,  /**< a classification marking or caveat in the content */
};

enum insp_term_action {
	INSP_ACTION_DROP = 0, /**< prohibited_content */
	INSP_ACTION_REVIEW,   /**< review: held for a human */
};

/**
 * One pattern; its index in insp_policy.patterns is its Hyperscan id in whichever database
 * holds it. A literal whose skeleton form (insp_norm.h) differs from its folded form is two
 * patterns with the same rule id, one per form; n_patterns counts both.
 *
 * A literal phrase is found by the literal database through its anchor (its longest word)
 * and confirmed around it by insp_match_confirm_literal() (insp_match.h): words joined by
 * ASCII whitespace runs, a word boundary on each side whose edge is a word character.
 */
struct insp_pattern {
	uint64_t channels;    /**< term scope: channel bits; 0 = every channel */
	uint64_t restrict_to; /**< marking caveat: nations allowed to see it; 0 = none */
	uint32_t rule_id;     /**< operator's id, reported in decisions and audit */
	uint32_t line;	      /**< where it was defined in the policy file */
	uint32_t expr_off;    /**< in insp_policy.strings: regex, or phrase (words, one space) */
	uint32_t expr_len;    /**< bytes, NUL excluded */
	uint32_t anchor_off;  /**< literal: its anchor word within the phrase */
	uint32_t anchor_len;
	uint8_t kind;	      /**< enum insp_pattern_kind */
	uint8_t action;	      /**< term: enum insp_term_action */
	uint8_t level;	      /**< marking: level it denotes, or INSP_LEVEL_NONE */
	uint8_t forms;	      /**< unit forms it is matched in: INSP_FORM_* (insp_norm.h) */
	uint8_t literal;      /**< 1: a phrase in the literal database, 0: a regex */
	uint8_t caseless;     /**< ASCII letters match either case */
	uint8_t bound_before; /**< literal: needs a non-word byte (or the start) before it */
	uint8_t bound_after;  /**< literal: needs a non-word byte (or the end) after it */
};

/**
 * A format-specific data-category hint: a message whose key (CoT: its type) starts with
 * @p prefix is in @p category instead of its channel's default. Longest prefix wins.
 */
struct insp_category_hint {
	uint8_t format;	     /**< enum insp_format */
	uint32_t prefix_len; /**< strlen(prefix), so the per-message match need not count */
	char prefix[INSP_NAME_MAX];
	uint32_t category;
};

/**
 * One row of the priority table (GUARD-SPEC 7): the first row that matches gives the
 * traffic class; unmatched messages are routine (3).
 */
struct insp_priority_rule {
	int32_t channel; /**< channel index, -1 = any */
	/** bit (1u << enum insp_format) per format the rule applies to; 0 = any format */
	uint32_t formats;
	uint32_t type_prefix_len;	 /**< strlen(type_prefix) */
	char type_prefix[INSP_NAME_MAX]; /**< prefix of the format's key (insp_msg.type), "" = any
					  */
	int8_t qos_priority;		 /**< CoT / TAK qos priority digit, -1 = any */
	uint8_t tclass;			 /**< 0 flash, 1 immediate, 2 priority, 3 routine */
};

/** Egress link settings (GUARD-SPEC 7, docs/egress.md). */
#define INSP_EGRESS_RATE_LINE	     0u	     /**< rate_bps: no shaping, as fast as the port takes */
#define INSP_EGRESS_RATE_MIN	     100000u /**< slowest link rate, bit/s */
#define INSP_EGRESS_QUEUE_MAX	     4096u   /**< largest class queue, packets */
#define INSP_EGRESS_QUEUE_DEFAULT    256u    /**< class queue of a port the policy does not list */
#define INSP_EGRESS_OVERHEAD_DEFAULT 24u     /**< Ethernet preamble, SFD, FCS, inter-frame gap */
#define INSP_EGRESS_BURST_MIN	     1600u   /**< smallest token bucket: one full frame */
/* The policy's upper bounds (docs/policy.md "egress"); the image loader checks them too. */
#define INSP_EGRESS_RATE_MAX	 400000000000ull /**< fastest shaped rate, bit/s (400 Gbit/s) */
#define INSP_EGRESS_BURST_MAX	 (16u << 20)	 /**< largest token bucket, bytes */
#define INSP_EGRESS_OVERHEAD_MAX 64u		 /**< largest frame_overhead, bytes */

/**
 * The link behind one egress port: the scheduler sends at most rate_bps (counting each
 * frame's bytes plus frame_overhead), strict priority between the classes, each class's
 * queue bounded to queue_max packets (a packet that finds its queue full is dropped:
 * queue_full). Ports the policy does not list run at line rate with default queues.
 */
struct insp_egress_link {
	uint16_t port;		 /**< DPDK port id */
	uint16_t frame_overhead; /**< bytes the link adds to each frame, for the rate */
	uint32_t burst_bytes;	 /**< token bucket depth (bytes sent back to back after idle) */
	uint64_t rate_bps;	 /**< link rate, bit/s; INSP_EGRESS_RATE_LINE: not shaped */
	uint32_t queue_max[INSP_TCLASS_COUNT]; /**< packets per class queue, 1..QUEUE_MAX */
};

#include "insp_match.h"

/** A slice of an index array: entries [first, first + n). */
struct insp_range {
	uint32_t first;
	uint32_t n;
};

#define INSP_CHANNEL_KEY_BYTES 24

/**
 * A channel's ingress as one memcmp()-ordered key (insp_channel_key()), so that the
 * per-packet lookup is a binary search over a table sorted at compile time.
 */
struct insp_channel_key {
	uint8_t key[INSP_CHANNEL_KEY_BYTES];
	uint32_t channel;
};

struct insp_policy {
	/* label handling */
	uint8_t strict_labels;	/**< 1 strict (default), 0 lenient (GUARD-SPEC 4.1) */
	uint8_t audit_releases; /**< enum insp_audit_releases: a record per release or a summary */
	int64_t stale_skew_ms;	/**< tolerated clock skew for 'stale' */
	uint32_t cot_max_depth; /**< max element depth below <detail> */
	uint32_t cot_max_elems; /**< max elements below <detail> */

	uint32_t n_nations;
	char nations[INSP_MAX_NATIONS][8];
	/** highest level each nation may receive (SPIF excludedClass); TOP_SECRET = none */
	uint8_t nation_ceiling[INSP_MAX_NATIONS];
	uint32_t n_groups;
	struct insp_group *groups;
	uint32_t n_class_policies;
	struct insp_class_policy *class_policies;
	uint32_t n_class_names;
	struct insp_class_name *class_names;
	uint32_t n_destinations;
	struct insp_destination *destinations;
	uint32_t n_held;
	insp_held_t *held;
	uint32_t n_channels;
	struct insp_channel *channels;
	/* data categories and the ISA matrix */
	uint32_t n_categories;
	char categories[INSP_MAX_CATEGORIES][INSP_NAME_MAX];
	uint64_t isa[INSP_MAX_CATEGORIES]; /**< category -> nations it may be shared with */
	uint32_t n_category_hints;
	struct insp_category_hint *category_hints;
	/*
	 * Lookup tables built at compile time (the per-message queries scan only what can
	 * match): hint indexes grouped by format, longest prefix first; priority rule indexes
	 * per channel (its own rules and the "any channel" ones, in policy order); the channels'
	 * ingress keys sorted.
	 */
	struct insp_range hints_by_format[INSP_FORMAT_COUNT]; /**< into hint_order */
	uint32_t *hint_order;				      /**< n_category_hints indexes */
	struct insp_range prio_by_channel[INSP_MAX_CHANNELS]; /**< into prio_order */
	uint32_t n_prio_order;
	uint32_t *prio_order;
	struct insp_channel_key *channel_keys; /**< n_channels, sorted by key */
	/* priorities */
	uint32_t n_priorities;
	struct insp_priority_rule *priorities;
	uint8_t class_dscp[INSP_TCLASS_COUNT]; /**< DSCP per traffic class */
	uint32_t n_egress_links;
	struct insp_egress_link *egress_links; /**< at most one per port, any order */
	uint32_t n_patterns;
	struct insp_pattern *patterns;
	uint32_t n_terms;    /**< patterns of kind TERM */
	uint32_t n_markings; /**< patterns of kind MARKING */
	uint32_t strings_len;
	const char *strings; /**< NUL-terminated expressions, see insp_pattern.expr_off */

	struct insp_matcher matcher; /**< the Hyperscan databases; empty when no patterns */

	/* the review block (docs/review.md): who reviews, and the queue's bounds */
	uint8_t two_person_level; /**< enum insp_level: at and above, two reviewers approve */
	uint32_t n_reviewers;
	struct insp_reviewer reviewers[INSP_MAX_REVIEWERS];
	uint32_t review_max_items; /**< items the review queue holds at most */
	uint64_t review_max_bytes; /**< bytes of stored content + text it holds at most */
};

/** DSCP of a packet of traffic class @p tclass released on channel @p ch. */
static inline uint8_t
insp_egress_dscp(const struct insp_policy *p, const struct insp_channel *ch, uint8_t tclass)
{
	if (ch->egress.has_dscp)
		return ch->egress.dscp;
	return p->class_dscp[tclass < INSP_TCLASS_COUNT ? tclass : INSP_TCLASS_COUNT - 1];
}

/** The policy's link settings for egress @p port, or NULL (line rate, default queues). */
static inline const struct insp_egress_link *
insp_policy_egress_link(const struct insp_policy *p, uint16_t port)
{
	for (uint32_t i = 0; i < p->n_egress_links; i++)
		if (p->egress_links[i].port == port)
			return &p->egress_links[i];
	return NULL;
}

/** A pattern's expression (regex or phrase), NUL-terminated. */
static inline const char *
insp_pattern_expr(const struct insp_policy *p, const struct insp_pattern *pt)
{
	return p->strings + pt->expr_off;
}

/** Nation bit index of an upper-case code, or -1. */
int insp_policy_nation(const struct insp_policy *p, const char *code, size_t len);

/**
 * Expand a Releasable-To code (nation or group, case-insensitive) to nation bits.
 * Unknown codes grant nothing and return 0.
 */
uint64_t insp_policy_expand_code(const struct insp_policy *p, const char *code, size_t len);

/** Classification table for a policy identifier (case-insensitive), or NULL. */
const struct insp_class_policy *insp_policy_class_policy(const struct insp_policy *p,
							 const char *id, size_t len);

/**
 * NATO level of a classification name in one table. @p exact_case selects exact
 * comparison (marking strings) or case-insensitive (NATO 4774 labels).
 * Returns the level or -1 if the name is not in the table.
 */
int insp_policy_class_level(const struct insp_policy *p, const struct insp_class_policy *cp,
			    const char *name, size_t len, int exact_case);

/** Data category index of a name (case-insensitive), or -1. */
int insp_policy_category(const struct insp_policy *p, const char *name, size_t len);

/** Does the destination hold RESTRICTIVE category value @p value of tag @p tag? */
int insp_policy_dest_holds(const struct insp_policy *p, const struct insp_destination *d,
			   const char *tag, size_t tag_len, const char *value, size_t value_len);

/** The ingress key of (@p port, @p dst, @p udp_port): port, UDP port, IP version, address. */
void insp_channel_key(uint16_t port, const struct insp_ipaddr *dst, uint16_t udp_port,
		      uint8_t key[INSP_CHANNEL_KEY_BYTES]);

/**
 * Channel for a datagram arriving on @p port for @p dst : @p udp_port (host order),
 * or -1. IP version is part of the match. A binary search of channel_keys.
 */
int insp_policy_channel_lookup(const struct insp_policy *p, uint16_t port,
			       const struct insp_ipaddr *dst, uint16_t udp_port);

/** The name of the reviewer with Unix uid @p uid, or NULL if the policy names none. */
const char *insp_policy_reviewer(const struct insp_policy *p, uint32_t uid);

#ifdef __cplusplus
}
#endif
#endif
