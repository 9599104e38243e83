/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The sample deployment gen-traffic targets, hard-coded from rules/sample-policy.yaml
 * (GUARD-SPEC 10): channels, destinations, groups, classification names, prohibited terms
 * and content markings. gen-traffic does not read the YAML; when that file changes, change
 * gt_deploy.c with it (the file's header says so too).
 */
#ifndef GT_DEPLOY_H
#define GT_DEPLOY_H

#include <stdint.h>

enum gt_dest {
	GT_DEST_MN,
	GT_DEST_FVEY,
};

enum gt_channel_id {
	GT_CH_MN,
	GT_CH_FVEY,
	GT_CH_MN_V6,
	GT_CH_COUNT,
};

struct gt_channel {
	const char *name;
	uint8_t ip_version; /**< 4 or 6 */
	uint8_t addr[16];   /**< ingress destination address (IPv4 in the first 4 bytes) */
	uint16_t udp_port;  /**< ingress destination UDP port */
	enum gt_dest dest;
};

/** Channels on DPDK port 0 (the high side), indexed by enum gt_channel_id. */
extern const struct gt_channel gt_channels[GT_CH_COUNT];

/** Largest UDP payload any channel accepts (max_size). */
#define GT_MAX_SIZE 1500u

/** Configured stale skew in seconds. */
#define GT_STALE_SKEW_S 60

/** A policy classification name and its rank on the NATO lattice (0 UNCLASSIFIED .. 4 TS). */
struct gt_class {
	const char *policy;
	const char *name;
	int level;
};

#define GT_LEVEL_SECRET 3

/** Every classification of every policy in the policy file. */
extern const struct gt_class gt_classes[];
extern const unsigned gt_n_classes;

/** Prohibited literal phrases (ids 1001-1020), lower case as in the policy. */
extern const char *const gt_prohibited_literals[];
extern const unsigned gt_n_prohibited_literals;

/** Content markings: literal phrase, and the NATO level it denotes (-1 for a caveat). */
struct gt_marking {
	const char *literal;
	int level;
};
extern const struct gt_marking gt_markings[];
extern const unsigned gt_n_markings;

#endif
