/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Priority egress (GUARD-SPEC 7, docs/egress.md): per egress port, one bounded queue per
 * traffic class (0 flash .. 3 routine), strict priority between them, and a token bucket
 * (rte_meter srTCM with no excess bucket) at the link rate the policy gives that port.
 *
 * Who does what:
 * - Any worker enqueues (dp_egress_enqueue(), inline below): the queues are rte_rings,
 *   multi-producer (single-producer when guardd has one worker), single-consumer. A class queue
 * holds at most the running policy's queue_max packets; a released packet that finds it full is
 * dropped as queue_full (the worker checks with dp_egress_full() before it writes the release's
 * audit record, so a packet that will not leave is recorded as a drop, not a release). Tail drop:
 * what is queued stays, as a link would keep the frames it has.
 * - Worker 0 alone dequeues and sends (dp_egress_run(), once per loop iteration): the
 *   highest class with a packet goes first; with a shaped link it waits until the bucket
 *   holds that packet's bytes plus the link's frame overhead (a lower class never overtakes
 *   a higher one that waits for tokens). A packet the driver refuses is kept and offered
 *   first next time (it already paid its tokens). The time a packet spent queued (enqueue
 *   to the driver taking it) goes into its class's histogram (dp_latency.h).
 * - Unshaped ports (rate "line", or not listed in the policy) are drained as fast as the
 *   driver takes packets, still strictly by class.
 *
 * Per-packet state travels in an mbuf dynamic field (struct dp_egress_meta).
 * Counters per (port, class) are in each worker's struct dp_lcore_stats (one writer each):
 * producers count enqueued, dropped and the depth high-water mark; worker 0 counts sent,
 * bytes and the queueing delay. A packet still queued when guardd stops is freed and
 * counted tx_failed.
 */
#ifndef DP_EGRESS_H
#define DP_EGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_meter.h>
#include <rte_ring.h>

#include "dp_gen.h"
#include "dp_lcore.h"
#include "insp_policy.h"
#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Ring capacity of a class queue: above INSP_EGRESS_QUEUE_MAX, so the bound is the policy's. */
#define DP_EGRESS_RING_SIZE 8192u

/** What a queued packet carries to worker 0 (an mbuf dynamic field). */
struct dp_egress_meta {
	uint64_t enq_tsc; /**< when it was queued */
	uint64_t rx_tsc;  /**< its rx burst, for the rx-to-tx latency (0: not received) */
	uint16_t row;	  /**< counter row of its channel */
	uint8_t tclass;
	uint8_t reason; /**< what it counts as once sent: release or released_reviewed */
};

/** Worker 0's sending state of one port (private to it). */
struct dp_egress_port {
	struct rte_mbuf *head[INSP_TCLASS_COUNT]; /**< off its ring, waiting for tokens */
	struct rte_mbuf *hold[DP_MAX_PKT_BURST];  /**< refused by the driver: sent first */
	uint16_t n_hold;
	bool shaped;
	uint16_t overhead; /**< bytes added to each frame for the rate */
	uint64_t rate_bps;
	uint32_t burst;
	struct rte_meter_srtcm_profile profile;
	struct rte_meter_srtcm meter;
};

/** Worker 0's scheduler (rte_zmalloc'ed next to it). */
struct dp_egress_sched {
	uint16_t n_ports;
	uint64_t gen_id; /**< generation whose link settings are applied (0: none yet) */
	struct dp_egress_port port[DP_EGRESS_PORTS];
};

/**
 * Register the mbuf dynamic field and create the class queues of @p n_ports ports (primary,
 * before the workers start); @p single_producer: one worker only (single-producer rings).
 * @return 0 or -1 with @p err set.
 */
int dp_egress_create(uint16_t n_ports, bool single_producer,
		     struct rte_ring *rings[][INSP_TCLASS_COUNT], int *meta_offset, char *err,
		     size_t errlen);

/** Worker 0's part: apply the running generation's link settings, then send. */
void dp_egress_run(struct dp_lcore_conf *lc);

/**
 * After every worker stopped (main lcore): free whatever is still queued or held, counted
 * tx_failed in worker 0's counters. Then free the rings.
 */
void dp_egress_destroy(struct dp_lcore_conf *lc0, struct rte_ring *rings[][INSP_TCLASS_COUNT],
		       uint16_t n_ports);

/** Link settings of @p port in policy @p p, defaults for a port it does not list. */
void dp_egress_link_of(const struct insp_policy *p, uint16_t port, struct insp_egress_link *out);

static inline struct dp_egress_meta *
dp_egress_meta(const struct dp_lcore_conf *lc, struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, lc->eg_meta_off, struct dp_egress_meta *);
}

/** Is the queue of class @p tc on @p port at its bound under generation @p g? */
static inline bool
dp_egress_full(const struct dp_lcore_conf *lc, const struct dp_gen *g, uint16_t port, uint8_t tc)
{
	return rte_ring_count(lc->eg_ring[port][tc]) >= g->eg_queue_max[port][tc];
}

/**
 * Queue @p m (a re-originated frame) in class @p tc of @p port. @return 0 queued (the
 * scheduler owns it), -1 full (the caller still owns it and counts the drop).
 */
static inline int
dp_egress_enqueue(struct dp_lcore_conf *lc, uint16_t port, uint8_t tc, struct rte_mbuf *m,
		  uint16_t row, enum insp_reason reason, uint64_t rx_tsc)
{
	struct dp_egress_cnt *c = &lc->stats->egress[port][tc];
	struct dp_egress_meta *meta = dp_egress_meta(lc, m);
	unsigned int free_space;
	uint64_t depth;

	meta->enq_tsc = rte_rdtsc();
	meta->rx_tsc = rx_tsc;
	meta->row = row;
	meta->tclass = tc;
	meta->reason = (uint8_t)reason;
	if (unlikely(rte_ring_enqueue_bulk(lc->eg_ring[port][tc], (void **)&m, 1, &free_space) ==
		     0)) {
		dp_cnt_add(&c->dropped, 1);
		return -1;
	}
	dp_cnt_add(&c->enqueued, 1);
	depth = rte_ring_get_capacity(lc->eg_ring[port][tc]) - free_space;
	if (unlikely(depth > atomic_load_explicit(&c->depth_hwm, memory_order_relaxed)))
		atomic_store_explicit(&c->depth_hwm, depth, memory_order_relaxed);
	return 0;
}

#ifdef __cplusplus
}
#endif
#endif
