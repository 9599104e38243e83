/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The sample deployment gen-traffic targets, hard-coded from rules/sample-policy.yaml
 * (GUARD-SPEC 10): channels, destinations and their effective ceilings (release ceilings
 * included), classification names, prohibited and review terms, content markings. gen-traffic
 * does not read the YAML; when that file changes, change gt_deploy.c with it (the file's
 * header says so too). The long term lists (rules/terms/ files) are read only by
 * --policy-check (gt_check.c), which also verifies that the samples below are in them.
 */
#ifndef GT_DEPLOY_H
#define GT_DEPLOY_H

#include <stdint.h>

enum gt_dest {
	GT_DEST_MN,   /**< mission network: USA GBR FRA DEU POL NLD ITA CAN, at most SECRET */
	GT_DEST_FVEY, /**< AUS CAN GBR NZL USA, at most SECRET, holds AUSCANNZUKUS */
	GT_DEST_NATO, /**< NATO-WIDE: the ten NATO nations; NOR's release ceiling CONFIDENTIAL */
	GT_DEST_COUNT,
};

/** Message formats of the policy's channels (GUARD-SPEC 5.1-5.4), as --formats names them. */
enum gt_format {
	GT_FMT_COT,	   /**< "cot": Cursor-on-Target XML */
	GT_FMT_TAK_MESH,   /**< "tak-mesh": TAK protocol v1, mesh framing */
	GT_FMT_TAK_STREAM, /**< "tak-stream": TAK protocol v1, stream framing */
	GT_FMT_LXML,	   /**< "labelled-xml": 4778 binding with a 4774 label */
	GT_FMT_ADATP3,	   /**< "adatp3": ADatP-3 formatted text with an envelope marking */
	GT_FMT_COUNT,
};

/** The policy's name of @p f ("tak-mesh"), "invalid" for anything else. */
const char *gt_format_name(enum gt_format f);

enum gt_channel_id {
	GT_CH_MN,
	GT_CH_FVEY,
	GT_CH_MN_V6,
	GT_CH_NATO,
	GT_CH_TAK_MN,	  /**< tak-mn: TAK mesh to MN */
	GT_CH_TAK_STREAM, /**< tak-mn-stream: TAK stream to MN */
	GT_CH_LXML_MN,	  /**< lxml-mn: labelled XML to MN */
	GT_CH_ADATP3_MN,  /**< adatp3-mn: ADatP-3 to MN */
	GT_CH_COUNT,
};

/** Channel bit of @p ch in a scope mask. */
#define GT_CH_BIT(ch) (1u << (ch))

struct gt_channel {
	const char *name;
	uint8_t ip_version; /**< 4 or 6 */
	uint8_t addr[16];   /**< ingress destination address (IPv4 in the first 4 bytes) */
	uint16_t udp_port;  /**< ingress destination UDP port */
	enum gt_dest dest;
	enum gt_format format;
	uint16_t max_size; /**< largest UDP payload the channel accepts */
};

/** Channels on DPDK port 0 (the high side), indexed by enum gt_channel_id. */
extern const struct gt_channel gt_channels[GT_CH_COUNT];

/**
 * max_size of the CoT channels. The other formats' channels accept more (max_size in
 * gt_channels), but gen-traffic keeps every message frame within 1500 bytes so that the
 * traffic fits an ordinary Ethernet MTU and the default mbuf size of a DPDK replay.
 */
#define GT_MAX_SIZE 1500u

/** Configured stale skew in seconds. */
#define GT_STALE_SKEW_S 60

/** A policy classification name and its rank on the NATO lattice (0 UNCLASSIFIED .. 4 TS). */
struct gt_class {
	const char *policy;
	const char *name;
	int level;
};

#define GT_LEVEL_CONFIDENTIAL 2
#define GT_LEVEL_SECRET	      3

/**
 * Highest NATO level a destination may receive: its max_classification, lowered by the
 * release ceiling of any member (NATO-WIDE: NOR at most CONFIDENTIAL).
 */
extern const int gt_dest_max_level[GT_DEST_COUNT];

/** Every classification of every policy in the policy file. */
extern const struct gt_class gt_classes[];
extern const unsigned gt_n_classes;

/**
 * Data category of a CoT event of type @p cot_type: the longest prefix of category_hints
 * 'cot', else the channel default (every channel's is "tracks").
 */
const char *gt_category_of(const char *cot_type);

/**
 * Data category of a message of format @p f whose type key (CoT type, TAK type, labelled-XML
 * payload element name, ADatP-3 MSGID message type) is @p type: the longest prefix of the
 * format's category_hints, else @p channel_default.
 */
const char *gt_category_of_format(enum gt_format f, const char *type, const char *channel_default);

/** Prohibited literal phrases (ids 1001-1020), lower case as in the policy. */
extern const char *const gt_prohibited_literals[];
extern const unsigned gt_n_prohibited_literals;

/**
 * A few codewords of rules/terms/codewords.txt (drop terms, every channel), used in
 * prohibited_content frames. --policy-check verifies each is in the file.
 */
extern const char *const gt_codeword_samples[];
extern const unsigned gt_n_codeword_samples;

/**
 * Review terms (action review: held for a human): those of rules/terms/review.txt (every
 * channel; --policy-check verifies each is in the file) and the inline ones with a channel
 * scope. @p channels is a mask of GT_CH_BIT()s, 0 for every channel.
 */
struct gt_review_term {
	const char *literal;
	unsigned channels;
};
extern const struct gt_review_term gt_review_terms[];
extern const unsigned gt_n_review_terms;

/** Content markings: literal phrase, and the NATO level it denotes (-1 for a caveat). */
struct gt_marking {
	const char *literal;
	int level;
};
extern const struct gt_marking gt_markings[];
extern const unsigned gt_n_markings;

#endif
