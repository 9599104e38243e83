/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Inline tx buffering (l3fwd's send_burst shape), used only by the worker that owns the
 * struct dp_lcore_conf. A released packet is counted RELEASE when the driver accepts it
 * and TX_FAILED (then freed) when it does not: the counters say what actually left.
 * There is no retry: a full tx ring means the egress link is saturated, and waiting would
 * stall every other queue this lcore polls.
 */
#ifndef DP_TX_H
#define DP_TX_H

#include <rte_branch_prediction.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dp_lcore.h"
#include "dp_shared.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A shared-memory port faulted under this worker (dp_peerio.h): count it and stop using the
 * port until the main lcore has seen it down and restarted it (dp_link.h).
 */
static inline void
dp_peerio_fault(struct dp_lcore_conf *lc, uint16_t port)
{
	dp_cnt_add(&lc->stats->peer_faults, 1);
	atomic_store_explicit(&lc->shared->link[port].up, 0, memory_order_release);
}

/**
 * Hand @p n packets to @p port's tx queue of this worker (ethdev, or dp_peerio.h for a
 * shared-memory port). @return how many the driver took; *@p faulted set (and the port
 * marked down) if the peer's memory faulted: the driver may have freed any of them.
 */
static inline uint16_t
dp_tx_burst(struct dp_lcore_conf *lc, uint16_t port, struct rte_mbuf **m, uint16_t n, int *faulted)
{
	uint16_t sent;

	*faulted = 0;
	if (likely(!lc->port_shared_mem[port]))
		return rte_eth_tx_burst(port, lc->txq, m, n);
	sent = dp_peerio_tx(&lc->peerio, port, lc->txq, m, n, faulted);
	if (unlikely(*faulted))
		dp_peerio_fault(lc, port);
	return sent;
}

/** Send what is buffered for @p port; count each packet as sent or failed. */
static inline void
dp_tx_flush(struct dp_lcore_conf *lc, uint16_t port)
{
	struct dp_tx_buf *b = &lc->tx[port];
	struct dp_lcore_stats *st = lc->stats;
	uint16_t sent = 0, i;

	/* a port whose link is down is not touched at all (dp_link.h): what waits is tx_failed */
	if (likely(atomic_load_explicit(&lc->shared->link[port].up, memory_order_acquire))) {
		int faulted;

		sent = dp_tx_burst(lc, port, b->m, b->n, &faulted);
		if (unlikely(faulted)) {
			/* the driver may have freed some: leave the burst to the dead peer */
			for (i = 0; i < b->n; i++)
				dp_cnt_add(&st->cnt[b->row[i]][INSP_R_TX_FAILED], 1);
			b->n = 0;
			lc->tx_pending &= ~(UINT32_C(1) << port);
			return;
		}
	}
	for (i = 0; i < sent; i++)
		dp_cnt_add(&st->cnt[b->row[i]][INSP_R_RELEASE], 1);
	lc->tx_sent += sent; /* for the latency histogram (dp_worker.c) */
	if (unlikely(sent < b->n)) {
		for (i = sent; i < b->n; i++)
			dp_cnt_add(&st->cnt[b->row[i]][INSP_R_TX_FAILED], 1);
		rte_pktmbuf_free_bulk(&b->m[sent], b->n - sent);
	}
	b->n = 0;
	lc->tx_pending &= ~(UINT32_C(1) << port);
}

/** Flush every port that has buffered packets. */
static inline void
dp_tx_flush_all(struct dp_lcore_conf *lc)
{
	while (lc->tx_pending != 0)
		dp_tx_flush(lc, (uint16_t)rte_bsf32(lc->tx_pending));
}

/** Buffer @p m (counter row @p row) for @p port; sends when the buffer is full. */
static inline void
dp_tx_enqueue(struct dp_lcore_conf *lc, uint16_t port, struct rte_mbuf *m, uint16_t row)
{
	struct dp_tx_buf *b = &lc->tx[port];

	b->m[b->n] = m;
	b->row[b->n] = row;
	b->n++;
	lc->tx_pending |= UINT32_C(1) << port;
	if (unlikely(b->n == DP_MAX_PKT_BURST))
		dp_tx_flush(lc, port);
}

#ifdef __cplusplus
}
#endif
#endif
