/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * `guardctl check`, shared between its two input modes: message files on one channel
 * (gc_check.c) and frames of a pcap (gc_pcap.c).
 */
#ifndef GC_CHECK_H
#define GC_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "gc_json.h"
#include "insp_inspect.h"
#include "insp_policy.h"

#define GC_CHECK_CMD "check"

struct gc_check_opts {
	const char *policy_path;
	const char *channel; /**< message-file mode */
	const char *pcap;    /**< pcap mode */
	const char *expect;  /**< pcap mode: gen-traffic sidecar */
	uint16_t port;	     /**< pcap mode: DPDK port the frames arrive on */
	bool now_pcap;	     /**< pcap mode: each frame's timestamp is "now" */
	int64_t now_ms;	     /**< otherwise: fixed "now", ms since the epoch */
	bool json;
	bool quiet; /**< no per-message lines, only mismatches, totals and the summary */
};

/** Decisions counted for the summary line. */
struct gc_counts {
	uint64_t total;
	uint64_t released;
	uint64_t dropped;
	uint64_t review;
};

void gc_counts_add(struct gc_counts *c, enum insp_reason r);

/** The decision fields of one --json record (decision, reason, rule_id, uid, ...). */
void gc_result_json(struct gc_json *j, const struct insp_result *res);

/** The CLASS cell of a decision: its traffic class's name for a release, else "-". */
const char *gc_check_class(const struct insp_result *res);

/** Text summary line: "N WHATs: a released, b dropped, c held for review". */
void gc_counts_print(const struct gc_counts *c, const char *what);

/** The pcap mode: returns the exit status. */
int gc_check_pcap(const struct gc_check_opts *o, const struct insp_policy *p);

#endif
