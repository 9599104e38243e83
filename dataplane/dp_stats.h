/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Counter reports on the main lcore: sum the workers' struct dp_lcore_stats (relaxed
 * reads, so an interval print may be a few packets behind; the final report is taken
 * after the workers stopped and is exact), print a table, write the --stats-file.
 *
 * --stats-file format (parsed by tests and the demo; keep it stable):
 *   # guardd counters
 *   <channel name or -> <reason name> <count>      one line per non-zero counter
 *   total rx <packets received>
 *   total tx <packets released and accepted by the driver>
 *   total seconds <first to last received burst, seconds>
 *   total audit_records <records handed to guard-control>
 *   total audit_lost <drop/review records that could not be handed over>
 *   total peer_faults <faults contained in shared-memory ports (dp_peerio.h)>
 *   total latency_count <released packets sent, each with its rx-to-tx time (dp_latency.h)>
 *   total latency_p50_ns <median rx-to-tx time, ns>           (0 when count is 0)
 *   total latency_p99_ns <99th percentile, ns>
 *   total latency_p999_ns <99.9th percentile, ns>
 *   total latency_max_ns <largest, ns>
 *   total latency_drop_count <dropped packets>, then latency_drop_p50_ns, _p99_ns,
 *     _p999_ns, _max_ns: rx burst to the end of its handling, for drops
 *   total latency_bucket <low ns> <high ns> <packets>   per non-empty bucket of the
 *     released packets' histogram, lowest first: <packets> took from <low> up to (not
 *     including) <high> ns; the counts add up to latency_count
 *   total egress <port> <class> <field> <value>   per egress port and traffic class that saw
 *     a packet (dp_egress.h), fields: enqueued, sent, queue_full (dropped), tx_failed,
 *     depth_hwm (packets), sent_bytes (frames, without the link's overhead),
 *     delay_p50_ns, delay_p99_ns, delay_max_ns (queued to taken by the driver)
 *   total egress_delay_bucket <port> <class> <low ns> <high ns> <packets>  per non-empty
 *     bucket of that class's queueing delay, lowest first
 * Lines of the first word "total" are not counter cells (readers that sum the cells skip
 * them, so new totals never change a sum).
 */
#ifndef DP_STATS_H
#define DP_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "dp_latency.h"
#include "dp_lcore.h"
#include "dp_shared.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One (egress port, traffic class) summed over workers (dp_egress.h). */
struct dp_egress_sum {
	uint64_t enqueued;
	uint64_t dropped; /**< queue_full */
	uint64_t depth_hwm;
	uint64_t sent;
	uint64_t sent_bytes;
	uint64_t tx_failed;
	struct dp_lat_hist delay; /**< queued to taken by the driver */
};

/** Figures of one (port, class), in the order and under the names every report uses. */
enum dp_egress_field_id {
	DP_EG_ENQUEUED,
	DP_EG_SENT,
	DP_EG_QUEUE_FULL,
	DP_EG_TX_FAILED,
	DP_EG_DEPTH_HWM,
	DP_EG_SENT_BYTES,
	DP_EG_DELAY_P50_NS,
	DP_EG_DELAY_P99_NS,
	DP_EG_DELAY_MAX_NS,
	DP_EGRESS_FIELDS
};

struct dp_egress_field {
	const char *name; /**< "enqueued", ..., "delay_max_ns" */
	uint64_t value;
};

struct dp_stats_sum {
	uint64_t cnt[DP_CNT_ROWS][INSP_R_COUNT];
	uint64_t rx;		/**< packets received */
	uint64_t released;	/**< RELEASE counts (sent) */
	uint64_t held;		/**< REVIEW and TO_SLOWPATH counts: not forwarded (yet) */
	uint64_t reviewed_sent; /**< RELEASED_REVIEWED: datagrams of approved items sent */
	uint64_t dropped;	/**< every other reason */
	uint64_t audit_records; /**< records handed to guard-control */
	uint64_t audit_lost;	/**< drop/review records that could not be handed over */
	uint64_t peer_faults;	/**< faults contained in shared-memory ports */
	uint64_t first_tsc;	/**< earliest first_rx_tsc, 0 if nothing received */
	uint64_t last_tsc;	/**< latest last_rx_tsc */
	/** latency of the released packets sent, all workers (dp_latency.h) */
	struct dp_lat_hist lat_release;
	/** latency of the dropped packets, all workers */
	struct dp_lat_hist lat_drop;
	/** priority egress per port and class, all workers */
	struct dp_egress_sum egress[DP_EGRESS_PORTS][INSP_TCLASS_COUNT];
};

/** Name of traffic class @p tc ("flash" ... "routine"). */
const char *dp_stats_tclass_name(unsigned int tc);

/** Did (port, class) see any packet? (Reports show only those.) */
int dp_stats_egress_used(const struct dp_egress_sum *e);

/**
 * The figures of @p e (delay percentiles in ns at @p tsc_hz): one list for the stats file,
 * the print, /guard/egress and guard-control's `stats --json`.
 */
void dp_stats_egress_fields(const struct dp_egress_sum *e, uint64_t tsc_hz,
			    struct dp_egress_field f[DP_EGRESS_FIELDS]);

/** Print the egress table (ports and classes that saw packets) to @p f. */
void dp_stats_print_egress(FILE *f, const struct dp_stats_sum *s, uint64_t tsc_hz);

/** Sum @p n workers' counters into @p out. */
void dp_stats_collect(struct dp_lcore_stats *const *st, unsigned int n, struct dp_stats_sum *out);

/** Seconds between the first and the last received burst (0 if fewer than two). */
double dp_stats_seconds(const struct dp_stats_sum *s, uint64_t tsc_hz);

/** Name of counter row @p row ("-" for no channel); @p sh holds the names. */
const char *dp_stats_row_name(const struct dp_shared *sh, unsigned int row);

/** Print the counters table, totals and rate to @p f; @p sh names the channel rows. */
void dp_stats_print(FILE *f, const struct dp_stats_sum *s, const struct dp_shared *sh,
		    uint64_t tsc_hz);

/** Print every port's ethdev statistics (what the devices themselves dropped). */
void dp_stats_print_ports(FILE *f);

/**
 * Write the --stats-file (to PATH.tmp, then renamed, so a reader never sees half a file).
 * @p lat: the latency lines (dp_lat_report() of @p s's histograms); NULL writes none.
 * @return 0 or -errno.
 */
int dp_stats_write(const char *path, const struct dp_stats_sum *s, const struct dp_shared *sh,
		   uint64_t tsc_hz, const struct dp_lat_report *lat);

#ifdef __cplusplus
}
#endif
#endif
