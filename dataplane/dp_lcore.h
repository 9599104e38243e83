/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Per-worker-lcore context and counters.
 *
 * Sharing contract (examples/pipeline/thread.c habit):
 * - struct dp_lcore_conf is written by the main lcore before rte_eal_remote_launch() and
 *   is afterwards owned by its worker alone (tx buffers, ip_id); the main lcore only reads
 *   it again after rte_eal_mp_wait_lcore(). The ruleset generation it runs is immutable and
 *   replaced only by dp_reload.c, under RCU (rte_rcu_qsbr; see dp_reload.h).
 * - struct dp_lcore_stats has exactly one writer, its worker. The main lcore reads it at
 *   any time for interval prints and idle detection. Every field is a C11 atomic accessed
 *   relaxed: race-free by the language's rules, and on x86-64 the same plain loads and
 *   stores as non-atomic code (the writer never uses a read-modify-write instruction).
 *   Counters live in their own cache lines, apart from the hot read-only conf, so the
 *   reader never bounces the worker's working set.
 * - The quit flag is written by the signal handler or the main lcore and polled by the
 *   worker once per loop iteration.
 */
#ifndef DP_LCORE_H
#define DP_LCORE_H

#include <assert.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "dp_clock.h"
#include "dp_latency.h"
#include "dp_peerio.h"
#include "insp_inspect.h"
#include "insp_policy.h"
#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dp_egress_sched;

#define DP_MAX_PKT_BURST   32  /**< rx burst and tx buffer size (l3fwd's MAX_PKT_BURST) */
#define DP_PREFETCH_OFFSET 3   /**< packets prefetched ahead of the one being handled */
#define DP_DRAIN_US	   100 /**< tx buffers are flushed at least this often */
/** Largest chained (multi-segment) frame still classified for its counter cell. */
#define DP_BOUNCE_MAX 16384

/**
 * Counter rows are channel names, not channel indexes: a reload may add, remove or reorder
 * channels, and a channel's counts must follow its name. guardd gives each name it has seen
 * a row (dp_shared.row_name) for as long as it runs; a ruleset that would need more rows is
 * refused (restart guardd to start the rows afresh).
 */
#define DP_MAX_ROWS 128
/** Counter row for packets that matched no channel ("-" in tables and files). */
#define DP_NO_CHANNEL DP_MAX_ROWS
#define DP_CNT_ROWS   (DP_MAX_ROWS + 1)

/** Counters of one worker lcore; see the sharing contract above. */
/** Egress ports with a priority scheduler (dp_egress.h): port ids 0..DP_EGRESS_PORTS-1. */
#define DP_EGRESS_PORTS 8

/** Counters of one (egress port, traffic class) in one worker (dp_egress.h says who writes). */
struct dp_egress_cnt {
	_Atomic uint64_t enqueued;   /**< queued (producers) */
	_Atomic uint64_t dropped;    /**< queue_full: the class queue was at its bound */
	_Atomic uint64_t depth_hwm;  /**< most packets seen in the queue after an enqueue */
	_Atomic uint64_t sent;	     /**< taken by the driver (worker 0) */
	_Atomic uint64_t sent_bytes; /**< their frame bytes, without the link's overhead */
	_Atomic uint64_t tx_failed;  /**< freed unsent: link down, peer fault, guardd stopping */
	struct dp_latency delay;     /**< queued to taken by the driver (worker 0) */
};

struct dp_lcore_stats {
	/** [channel index or DP_NO_CHANNEL][reason]: packets decided so. */
	_Atomic uint64_t cnt[DP_CNT_ROWS][INSP_R_COUNT];
	_Atomic uint64_t rx_packets;	/**< every mbuf returned by rx_burst */
	_Atomic uint64_t first_rx_tsc;	/**< TSC of the first non-empty burst, 0 before */
	_Atomic uint64_t last_rx_tsc;	/**< TSC of the latest non-empty burst */
	_Atomic uint64_t audit_records; /**< records handed to guard-control */
	/** drops and reviews whose record could not be handed over (audit path down or full) */
	_Atomic uint64_t audit_lost;
	_Atomic uint64_t generation;	 /**< ruleset generation this worker last ran (0: none) */
	_Atomic uint64_t generation_tsc; /**< TSC when it took that generation */
	_Atomic uint64_t peer_faults;	 /**< faults contained in a shared-memory port */
	/** rx burst to tx of released packets the driver accepted (dp_latency.h) */
	struct dp_latency lat_release __rte_cache_aligned;
	/** rx burst to the end of its handling, for the burst's dropped packets */
	struct dp_latency lat_drop;
	/** priority egress per port and class (dp_egress.h) */
	struct dp_egress_cnt egress[DP_EGRESS_PORTS][INSP_TCLASS_COUNT] __rte_cache_aligned;
} __rte_cache_aligned;

/** Single-writer increment: the owner is the only writer, so no locked instruction. */
static inline void
dp_cnt_add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

/** One rx queue a worker polls. */
struct dp_rxq {
	uint16_t port;
	uint16_t queue;
	uint8_t shared_mem; /**< its packet memory is another process's (dp_peerio.h) */
};

/**
 * Released packets waiting for tx_burst on one port, with the counter row of each so that
 * RELEASE is counted only once the driver accepted the packet (else TX_FAILED).
 */
struct dp_tx_buf {
	uint16_t n;
	uint16_t row[DP_MAX_PKT_BURST];
	struct rte_mbuf *m[DP_MAX_PKT_BURST];
};

struct dp_gen;
struct dp_release_rec;
struct dp_shared;
struct rte_rcu_qsbr;

/** Everything one worker needs; built by the main lcore before launch. */
struct dp_lcore_conf {
	/* read-only after launch */
	unsigned int lcore_id;
	uint16_t worker; /**< index: its scratch in a dp_gen, its RCU thread id */
	uint16_t n_rxq;
	uint16_t txq;	    /**< this worker's tx queue id, the same on every port */
	uint32_t max_msg;   /**< largest payload inspected (the scratch's size) */
	uint64_t drain_tsc; /**< DP_DRAIN_US in TSC cycles */
	/** the running generation, swapped by dp_reload.c; NULL: fail closed (no_policy) */
	struct dp_gen *_Atomic const *active;
	struct rte_rcu_qsbr *qsbr; /**< quiescence is reported after every loop iteration */
	struct dp_shared *shared;  /**< link state, audit ring and pool, control heartbeat */
	struct dp_lcore_stats *stats;
	const atomic_bool *quit;
	const struct dp_clock *clock;
	struct dp_rxq rxq[RTE_MAX_ETHPORTS]; /**< at most one queue per port per worker */
	struct rte_ether_addr port_mac[RTE_MAX_ETHPORTS]; /**< source MAC of egress frames */
	uint8_t port_shared_mem[RTE_MAX_ETHPORTS];	  /**< tx through dp_peerio.h */
	struct rte_mempool *pool; /**< mbufs of this worker's socket (released items) */
	/** priority egress (dp_egress.h); egress_direct: none, tx at once (--egress-direct) */
	bool egress_direct;
	int eg_meta_off; /**< offset of struct dp_egress_meta in an mbuf */
	uint16_t n_ports;
	struct rte_ring *eg_ring[DP_EGRESS_PORTS][INSP_TCLASS_COUNT];
	struct dp_egress_sched *eg_sched; /**< worker 0 only: it sends */

	/* owned and written by the worker */
	const struct dp_gen *gen;     /**< generation of the current loop iteration */
	struct insp_scratch *scratch; /**< gen's scratch for this worker */
	int audit_up;		      /**< guard-control's heartbeat is fresh (per burst) */
	uint16_t ip_id;		      /**< IPv4 identification of the next egress packet */
	uint32_t tx_pending;	      /**< bit p: tx[p] holds packets */
	uint32_t tx_sent;	      /**< sent since the last latency record */
	struct dp_tx_buf tx[RTE_MAX_ETHPORTS];
	struct dp_peerio peerio; /**< recovery point for shared-memory ports */
	/* worker 0 only: the approved-item record being sent (dp_release.h) */
	struct dp_release_rec *rel_rec; /**< taken off the ring, not yet sent */
	struct rte_mbuf *rel_pending;	/**< its frame, refused by the driver so far */
	uint64_t rel_seq;		/**< its sequence number */
	uint16_t rel_row;		/**< its channel's counter row */
	/** Cold: linear copy of a chained frame, only to learn its reason and channel. */
	uint8_t bounce[DP_BOUNCE_MAX];
} __rte_cache_aligned;

/* tx_pending is a 32-bit mask of ports. */
static_assert(RTE_MAX_ETHPORTS <= 32, "tx_pending needs a wider mask");
static_assert(INSP_MAX_CHANNELS < UINT16_MAX, "dp_tx_buf.row is 16 bits");

#ifdef __cplusplus
}
#endif
#endif
