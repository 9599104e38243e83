/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guardd's own command line (what follows EAL's arguments and "--"), parsed with
 * getopt_long into one struct dp_config. Parsing only: no policy is read and no DPDK object
 * is touched here, so the rules are testable and the caller decides how to fail.
 */
#ifndef DP_ARGS_H
#define DP_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest --max-msg: a 9000-byte jumbo frame less Ethernet, 802.1Q, IPv6 and UDP. */
#define DP_MAX_MSG_LIMIT (9000 - 14 - 4 - 40 - 8)
/** Smallest --max-msg accepted (anything smaller cannot hold a labelled message). */
#define DP_MAX_MSG_MIN 64
/** Largest --stats-interval / --idle-exit, seconds (one day). */
#define DP_SECONDS_LIMIT 86400

struct dp_config {
	const char *ruleset_path; /**< --ruleset, NULL: start without one (no_policy) */
	const char *stats_file;	  /**< --stats-file, NULL: none */
	uint32_t stats_interval;  /**< --stats-interval seconds, 0: never */
	uint32_t idle_exit;	  /**< --idle-exit seconds, 0: run until signalled */
	uint32_t max_msg;	  /**< --max-msg bytes, 0: largest channel max_size */
	bool egress_direct;	  /**< --egress-direct: no class queues, no shaping */
};

/**
 * Parse guardd's options (argv[0] is the program name, as getopt expects).
 * @return 0, 1 if --help was asked (usage already printed to stdout), or -EINVAL with
 *   a one-line reason in @p why (then print dp_args_usage()).
 */
int dp_args_parse(int argc, char **argv, struct dp_config *cfg, char *why, size_t why_len);

/** Print the usage text to @p f. */
void dp_args_usage(FILE *f, const char *prog);

#ifdef __cplusplus
}
#endif
#endif
