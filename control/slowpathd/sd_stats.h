/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guard-slowpath's counters: what became of every chunk and every object, per channel (by
 * counter row, the same rows as guardd's) and reason, and the totals the operator needs to
 * see whether the slow path keeps up. Written by the intake and the inspection threads
 * (relaxed atomic adds), read for the --stats-file and the final report.
 *
 * --stats-file format (like guardd's; readers that sum cells skip "total" lines):
 *   # guard-slowpath counters
 *   <channel> <reason> <objects>        one line per non-zero cell: the object's outcome
 *                                       (release: queued to leave at once, `release: direct`;
 *                                       review: in the review queue; any other: refused)
 *   total chunks <chunk records taken off guardd's ring>
 *   total chunks_bad <chunks whose header broke a rule: malformed_message>
 *   total chunks_dropped <chunks of objects already refused, completed or timed out>
 *   total objects <objects decided (every cell above)>
 *   total bytes <bytes of the objects reassembled>
 *   total inspect_ms <time the inspection threads spent deciding them>
 *   total audit_lost <outcome records that could not be handed to guard-control>
 *   total in_flight_hwm_bytes <highest sum of objects being reassembled>
 */
#ifndef SD_STATS_H
#define SD_STATS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "dp_shared.h"

/**
 * The counters live in a memzone of their own that guard-slowpath reserves (or finds again
 * after a restart: they count from guardd's start), so that guard-control shows them in
 * `guardctl stats`. guard-slowpath is their only writer.
 */
#define SD_STATS_MZ    "guard_slowpath_stats"
#define SD_STATS_MAGIC 0x47535031u /* "GSP1" */

struct sd_stats {
	uint32_t magic; /**< SD_STATS_MAGIC once initialised */
	uint32_t size;	/**< sizeof(struct sd_stats) of the writer */
	_Atomic uint64_t obj[DP_CNT_ROWS][INSP_R_COUNT];
	_Atomic uint64_t chunks, chunks_bad, chunks_dropped, objects, bytes, inspect_ms;
	_Atomic uint64_t audit_lost, in_flight_hwm_bytes;
};

static inline void
sd_add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

/**
 * guard-slowpath: its counters in the shared memzone (reserved and zeroed the first time,
 * found again after a restart). NULL with @p err set if the memzone cannot be had.
 */
struct sd_stats *sd_stats_attach(char *err, size_t errlen);

/** guard-control: guard-slowpath's counters, or NULL if it never ran with this guardd. */
const struct sd_stats *sd_stats_find(void);

/** Write @p path (via PATH.tmp and a rename). @return 0 or -errno. */
int sd_stats_write(const char *path, const struct sd_stats *s, const struct dp_shared *sh);

#endif
