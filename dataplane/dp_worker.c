/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The burst loop (l3fwd shape). One worker polls its (port, queue) list in turn; the
 * packets of a burst are decided one by one (classification and inspection are both
 * per message, so there is nothing to gain from sorting a burst into classes yet), drops
 * are freed in bulk at the end of the burst and tx buffers are flushed after each burst
 * and on a ~100 us timer, so a released packet never waits behind an idle queue. Each burst's
 * rx-to-tx time goes into the worker's latency histograms (dp_latency.h).
 */
#include <stdatomic.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_debug.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "dp_audit.h"
#include "dp_clock.h"
#include "dp_egress.h"
#include "dp_gen.h"
#include "dp_latency.h"
#include "dp_lcore.h"
#include "dp_release.h"
#include "dp_reload.h"
#include "dp_slowpath.h"
#include "dp_tx.h"
#include "dp_worker.h"
#include "insp_inspect.h"
#include "insp_net.h"

/* What the NIC already verified, in the library's terms (0 = verify in software). */
static inline unsigned int
dp_cksum_flags(const struct rte_mbuf *m)
{
	unsigned int f = 0;

	if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		f |= INSP_NET_L3_CKSUM_GOOD;
	if ((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		f |= INSP_NET_L4_CKSUM_GOOD;
	return f;
}

/* Count one decision; reasons come from the library's enum, rows from dp_row(). */
static inline void
dp_count(struct dp_lcore_stats *st, uint16_t row, enum insp_reason r)
{
	RTE_ASSERT(row < DP_CNT_ROWS && (unsigned int)r < INSP_R_COUNT);
	dp_cnt_add(&st->cnt[row][r], 1);
}

/* Counter row of the flow's channel in generation @p g (rows follow channel names). */
static inline uint16_t
dp_row(const struct dp_gen *g, const struct insp_flow *flow)
{
	if (flow->channel >= 0 && (uint32_t)flow->channel < g->policy->n_channels)
		return g->row[flow->channel];
	return DP_NO_CHANNEL;
}

/*
 * Count a drop or review and hand its record to guard-control. Packets of no channel (ARP,
 * TCP, strangers) are not messages: they are counted only. A record that cannot be handed
 * over leaves the decision as it is (the packet is not forwarded either way) and is counted
 * in audit_lost.
 */
static inline void
dp_drop(struct dp_lcore_conf *lc, uint16_t row, enum insp_reason r, const struct insp_result *res,
	const uint8_t *data, uint32_t len, int64_t now_ms)
{
	dp_count(lc->stats, row, r);
	if (row != DP_NO_CHANNEL && dp_audit_emit(lc, row, r, res, data, len, now_ms) != 0)
		dp_cnt_add(&lc->stats->audit_lost, 1);
}

/*
 * Protocol break: keep only the validated payload and put fresh headers from the
 * channel's egress settings in front of it. Nothing of the ingress frame before or after
 * the payload survives: adj drops the old headers, trim drops any Ethernet trailer, and
 * the new headers overwrite the old bytes in the headroom.
 * Returns 0, or -1 if the mbuf cannot take the new headers (then the caller drops it).
 */
static inline int
dp_reoriginate(struct dp_lcore_conf *lc, const struct insp_policy *p, const struct insp_channel *ch,
	       const struct insp_flow *flow, struct rte_mbuf *m, uint8_t tclass,
	       uint32_t payload_sum)
{
	uint32_t hlen = insp_egress_hdr_len(&ch->egress);
	uint8_t *hdr;

	if (unlikely(rte_pktmbuf_adj(m, (uint16_t)flow->payload_offset) == NULL))
		return -1;
	if (unlikely(rte_pktmbuf_trim(m, (uint16_t)(m->data_len - flow->payload_len)) != 0))
		return -1;
	hdr = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)hlen);
	if (unlikely(hdr == NULL))
		return -1;
	insp_egress_build(&ch->egress, lc->port_mac[ch->egress.port].addr_bytes, lc->ip_id++,
			  insp_egress_dscp(p, ch, tclass), hdr, flow->payload_len, payload_sum);
	/* Nothing the rx side learnt about the old frame applies to the new one. */
	m->ol_flags = 0;
	m->packet_type = 0;
	m->vlan_tci = 0;
	m->vlan_tci_outer = 0;
	m->port = ch->egress.port;
	return 0;
}

/*
 * A chained mbuf is a frame larger than the data room sized from --max-msg. It is never
 * inspected (no partial parse, no copy on the release path), only dropped. To put it in
 * the same counter cell a single-segment frame would get (a bad checksum, a fragment or
 * no channel still win over its size, as in insp_net_classify()), its bytes are copied
 * once into the lcore's bounce buffer and classified; whatever classification would let
 * pass is l2l4_oversize. Frames beyond the bounce buffer count as "-" l2l4_oversize.
 * Cold path: real NICs drop such frames themselves (no scatter rx is configured).
 */
static __rte_noinline void
dp_chained(struct dp_lcore_conf *lc, const struct dp_gen *g, uint16_t port, struct rte_mbuf *m,
	   int64_t now_ms)
{
	struct dp_lcore_stats *st = lc->stats;
	const uint8_t *frame;
	struct insp_flow flow;
	enum insp_reason r;

	if (m->pkt_len > sizeof(lc->bounce)) {
		dp_count(st, DP_NO_CHANNEL, INSP_R_L2L4_OVERSIZE);
		return;
	}
	frame = rte_pktmbuf_read(m, 0, m->pkt_len, lc->bounce);
	if (frame == NULL) {
		dp_count(st, DP_NO_CHANNEL, INSP_R_L2L4_OVERSIZE);
		return;
	}
	flow.channel = -1;
	r = insp_net_classify(g->policy, port, frame, m->pkt_len, dp_cksum_flags(m), &flow);
	dp_drop(lc, dp_row(g, &flow), r == INSP_R_RELEASE ? INSP_R_L2L4_OVERSIZE : r, NULL, frame,
		m->pkt_len, now_ms);
}

/*
 * Decide one packet with generation @p g. Returns 1 if it was buffered for tx (counted
 * when sent), 0 if the caller must free it (already counted).
 */
static inline int
dp_handle(struct dp_lcore_conf *lc, const struct dp_gen *g, uint16_t port, struct rte_mbuf *m,
	  int64_t now_ms, uint64_t rx_tsc)
{
	const struct insp_policy *p;
	const struct insp_channel *ch;
	const uint8_t *frame, *payload;
	struct insp_result res;
	struct insp_flow flow;
	enum insp_reason r;
	uint16_t row;

	if (unlikely(g == NULL)) {
		dp_count(lc->stats, DP_NO_CHANNEL, INSP_R_NO_POLICY);
		return 0;
	}
	p = g->policy;
	if (unlikely(m->nb_segs > 1)) {
		dp_chained(lc, g, port, m, now_ms);
		return 0;
	}
	frame = rte_pktmbuf_mtod(m, const uint8_t *);
	flow.channel = -1;
	r = insp_net_classify(p, port, frame, m->data_len, dp_cksum_flags(m), &flow);
	row = dp_row(g, &flow);
	if (r != INSP_R_RELEASE) {
		dp_drop(lc, row, r, NULL, frame, m->data_len, now_ms);
		return 0;
	}
	/* A release without a channel would be a library bug: fail closed, never index. */
	if (unlikely(row == DP_NO_CHANNEL)) {
		dp_count(lc->stats, row, INSP_R_L2L4_NO_CHANNEL);
		return 0;
	}
	if (unlikely(flow.payload_len > lc->max_msg)) {
		dp_drop(lc, row, INSP_R_L2L4_OVERSIZE, NULL, frame, m->data_len, now_ms);
		return 0;
	}
	ch = &p->channels[flow.channel];
	payload = frame + flow.payload_offset;
	/* objects are decided by guard-slowpath: hand the chunk over unparsed */
	if (unlikely(ch->format == INSP_FORMAT_OBJECT)) {
		r = dp_slowpath_hand(lc, row, payload, flow.payload_len, now_ms);
		if (r == INSP_R_TO_SLOWPATH)
			dp_count(lc->stats, row, r);
		else
			dp_drop(lc, row, r, NULL, payload, flow.payload_len, now_ms);
		return 0;
	}
	r = insp_inspect(p, lc->scratch, (uint32_t)flow.channel, payload, flow.payload_len, now_ms,
			 &res);
	if (r != INSP_R_RELEASE) {
		dp_drop(lc, row, r, &res, payload, flow.payload_len, now_ms);
		return 0;
	}
	/* A release that will not leave is a drop, recorded as one (tail drop, dp_egress.h). */
	if (likely(!lc->egress_direct) &&
	    unlikely(dp_egress_full(lc, g, ch->egress.port, res.tclass))) {
		dp_cnt_add(&lc->stats->egress[ch->egress.port][res.tclass].dropped, 1);
		dp_drop(lc, row, INSP_R_QUEUE_FULL, &res, payload, flow.payload_len, now_ms);
		return 0;
	}
	/* Fail closed: a release the policy wants recorded leaves only with its record. */
	if (p->audit_releases == INSP_AUDIT_RECORD &&
	    unlikely(dp_audit_emit(lc, row, r, &res, payload, flow.payload_len, now_ms) != 0)) {
		dp_count(lc->stats, row, INSP_R_AUDIT_UNAVAILABLE);
		return 0;
	}
	if (unlikely(dp_reoriginate(lc, p, ch, &flow, m, res.tclass,
				    flow.has_payload_sum
					    ? flow.payload_sum
					    : insp_net_sum(payload, flow.payload_len)) != 0)) {
		dp_count(lc->stats, row, INSP_R_TX_FAILED);
		return 0;
	}
	if (unlikely(lc->egress_direct)) {
		dp_tx_enqueue(lc, ch->egress.port, m, row);
		return 1;
	}
	/* another worker filled the queue since the check: counted, its record says release */
	if (unlikely(dp_egress_enqueue(lc, ch->egress.port, res.tclass, m, row, INSP_R_RELEASE,
				       rx_tsc) != 0)) {
		dp_count(lc->stats, row, INSP_R_QUEUE_FULL);
		return 0;
	}
	return 1;
}

/*
 * Decide the @p nb_rx packets of one rx burst, taken at TSC @p tsc. Returns how many were
 * dropped (freed); the rest are in the tx buffers.
 */
static inline uint16_t
dp_burst(struct dp_lcore_conf *lc, uint16_t port, struct rte_mbuf **pkts, uint16_t nb_rx,
	 uint64_t tsc)
{
	struct dp_lcore_stats *st = lc->stats;
	struct rte_mbuf *drops[DP_MAX_PKT_BURST];
	const struct dp_gen *g = lc->gen;
	int64_t now_ms = dp_clock_ms(lc->clock, tsc);
	uint16_t n_drop = 0, j;

	dp_cnt_add(&st->rx_packets, nb_rx);
	if (unlikely(atomic_load_explicit(&st->first_rx_tsc, memory_order_relaxed) == 0))
		atomic_store_explicit(&st->first_rx_tsc, tsc, memory_order_relaxed);
	atomic_store_explicit(&st->last_rx_tsc, tsc, memory_order_relaxed);
	lc->audit_up = dp_audit_path_up(lc->shared, now_ms);

	for (j = 0; j < DP_PREFETCH_OFFSET && j < nb_rx; j++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[j], void *));
	for (j = 0; j < nb_rx; j++) {
		if (j + DP_PREFETCH_OFFSET < nb_rx)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[j + DP_PREFETCH_OFFSET], void *));
		if (dp_handle(lc, g, port, pkts[j], now_ms, tsc) == 0)
			drops[n_drop++] = pkts[j];
	}
	if (n_drop != 0)
		rte_pktmbuf_free_bulk(drops, n_drop);
	return n_drop;
}

/*
 * Latency of one burst (dp_latency.h): its tx buffers have just been flushed, so every packet
 * of it that the driver accepted (lc->tx_sent) left now, received at @p rx_tsc; its @p n_drop
 * dropped packets were done with by now. Per burst, not per packet: one rdtsc and at most
 * two bucket updates.
 */
static inline void
dp_latency_burst(struct dp_lcore_conf *lc, uint64_t rx_tsc, uint16_t n_drop)
{
	uint64_t cycles = rte_rdtsc() - rx_tsc;

	if (likely(lc->tx_sent != 0)) {
		dp_lat_record(&lc->stats->lat_release, cycles, lc->tx_sent);
		lc->tx_sent = 0;
	}
	if (n_drop != 0)
		dp_lat_record(&lc->stats->lat_drop, cycles, n_drop);
}

/* Top of the loop: take the generation published last (held until the next quiescence). */
static inline void
dp_take_generation(struct dp_lcore_conf *lc)
{
	const struct dp_gen *g = atomic_load_explicit(lc->active, memory_order_acquire);

	if (unlikely(g != lc->gen)) {
		lc->gen = g;
		lc->scratch = g != NULL ? g->scratch[lc->worker] : NULL;
		atomic_store_explicit(&lc->stats->generation_tsc, rte_rdtsc(),
				      memory_order_relaxed);
		atomic_store_explicit(&lc->stats->generation, g != NULL ? g->id : 0,
				      memory_order_release);
	}
}

int
dp_worker_main(void *arg)
{
	struct dp_lcore_conf *lc = arg;
	struct rte_mbuf *pkts[DP_MAX_PKT_BURST];
	uint64_t prev_tsc = 0, cur_tsc, rx_tsc;
	uint16_t i, nb_rx, n_drop;

	dp_peerio_thread_init(&lc->peerio);
	lc->tx_sent = 0;
	rte_rcu_qsbr_thread_online(lc->qsbr, lc->worker);
	while (!atomic_load_explicit(lc->quit, memory_order_relaxed)) {
		dp_take_generation(lc);
		cur_tsc = rte_rdtsc();
		if (unlikely(cur_tsc - prev_tsc > lc->drain_tsc)) {
			dp_tx_flush_all(lc);
			prev_tsc = cur_tsc;
		}
		for (i = 0; i < lc->n_rxq; i++) {
			uint16_t port = lc->rxq[i].port;

			/* a port whose link is down is not polled (its driver may be tearing down)
			 */
			if (unlikely(!atomic_load_explicit(&lc->shared->link[port].up,
							   memory_order_relaxed)))
				continue;
			if (likely(!lc->rxq[i].shared_mem)) {
				nb_rx = rte_eth_rx_burst(port, lc->rxq[i].queue, pkts,
							 DP_MAX_PKT_BURST);
			} else {
				int faulted = 0;

				nb_rx = dp_peerio_rx(&lc->peerio, port, lc->rxq[i].queue, pkts,
						     DP_MAX_PKT_BURST, &faulted);
				if (unlikely(faulted))
					dp_peerio_fault(lc, port);
			}
			if (nb_rx == 0)
				continue;
			rx_tsc = rte_rdtsc(); /* the burst's arrival, for now_ms and latency */
			n_drop = dp_burst(lc, port, pkts, nb_rx, rx_tsc);
			dp_tx_flush_all(lc);
			if (lc->eg_sched != NULL)
				dp_egress_run(lc);
			dp_latency_burst(lc, rx_tsc, n_drop);
		}
		if (lc->worker == 0)
			dp_release_poll(lc);
		if (lc->eg_sched != NULL)
			dp_egress_run(lc);
		/* nothing of this iteration's generation is held past here (tx is flushed) */
		dp_reload_quiescent(lc->qsbr, lc->worker);
	}
	dp_tx_flush_all(lc);
	if (lc->worker == 0)
		dp_release_stop(lc);
	rte_rcu_qsbr_thread_offline(lc->qsbr, lc->worker);
	return 0;
}
