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

#ifdef __cplusplus
extern "C" {
#endif

/** Send what is buffered for @p port; count each packet as sent or failed. */
static inline void
dp_tx_flush(struct dp_lcore_conf *lc, uint16_t port)
{
	struct dp_tx_buf *b = &lc->tx[port];
	struct dp_lcore_stats *st = lc->stats;
	uint16_t sent, i;

	sent = rte_eth_tx_burst(port, lc->txq, b->m, b->n);
	for (i = 0; i < sent; i++)
		dp_cnt_add(&st->cnt[b->row[i]][INSP_R_RELEASE], 1);
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
