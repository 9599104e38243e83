/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Observability for standard DPDK tools (GUARD-SPEC 8): rte_telemetry commands that
 * `dpdk-telemetry.py -f PREFIX` can query, and rte_pdump so that `dpdk-dumpcap` can capture
 * guardd's ports.
 *
 *   /guard/stats     totals (received, released, dropped, held, audit) and counts per reason
 *   /guard/channels  per channel name: counts per reason (non-zero only); telemetry takes
 *                    names of [A-Za-z0-9_/] only, so '-' is written '_' and the row of
 *                    packets of no channel is "no_channel"
 *   /guard/ports     per port (by device name): link up or down, link changes
 *   /guard/ruleset   the running generation: number, image path and SHA-256, channels,
 *                    patterns, reloads, last swap time, guard-control attached or not
 *
 * The callbacks run on EAL's telemetry thread and only read (relaxed counters, the ruleset
 * info through its seqlock); they never touch a worker's state.
 */
#ifndef DP_OBSERVE_H
#define DP_OBSERVE_H

#include "dp_reload.h"
#include "dp_shared.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Register the telemetry commands and initialise pdump; failures are logged, not fatal. */
void dp_observe_init(struct dp_shared *sh, struct dp_reloader *r);

#ifdef __cplusplus
}
#endif
#endif
