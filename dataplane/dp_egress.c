/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Priority egress (dp_egress.h): the class queues' life cycle and worker 0's sending.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>

#include "dp_egress.h"
#include "dp_log.h"
#include "dp_tx.h"
#include "insp_chunk.h"
#include "insp_net.h"

#define DP_EGRESS_META_NAME "guard_egress_meta"
/* Largest Ethernet frame guardd re-originates without a VLAN tag, for the default bucket. */
#define DP_EGRESS_FRAME_MAX 1514u

void
dp_egress_link_of(const struct insp_policy *p, uint16_t port, struct insp_egress_link *out)
{
	const struct insp_egress_link *l = p != NULL ? insp_policy_egress_link(p, port) : NULL;

	if (l != NULL) {
		*out = *l;
		return;
	}
	memset(out, 0, sizeof(*out));
	out->port = port;
	out->rate_bps = INSP_EGRESS_RATE_LINE;
	out->frame_overhead = INSP_EGRESS_OVERHEAD_DEFAULT;
	out->burst_bytes = 2u * (DP_EGRESS_FRAME_MAX + INSP_EGRESS_OVERHEAD_DEFAULT);
	for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++)
		out->queue_max[c] = INSP_EGRESS_QUEUE_DEFAULT;
}

int
dp_egress_create(uint16_t n_ports, bool single_producer,
		 struct rte_ring *rings[][INSP_TCLASS_COUNT], int *meta_offset, char *err,
		 size_t errlen)
{
	/* one worker enqueues alone (its release path too): no compare-and-swap needed */
	unsigned int flags = RING_F_SC_DEQ | (single_producer ? RING_F_SP_ENQ : 0u);
	static const struct rte_mbuf_dynfield desc = {
		.name = DP_EGRESS_META_NAME,
		.size = sizeof(struct dp_egress_meta),
		.align = __alignof__(struct dp_egress_meta),
	};
	int off = rte_mbuf_dynfield_register(&desc);

	if (off < 0) {
		snprintf(err, errlen, "cannot register the mbuf field %s: %s", DP_EGRESS_META_NAME,
			 rte_strerror(rte_errno));
		return -1;
	}
	*meta_offset = off;
	for (uint16_t port = 0; port < n_ports && port < DP_EGRESS_PORTS; port++) {
		int socket = rte_eth_dev_socket_id(port);

		for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++) {
			char name[RTE_RING_NAMESIZE];

			snprintf(name, sizeof(name), "guard_eg_%u_%u", port, c);
			rings[port][c] =
				rte_ring_create(name, DP_EGRESS_RING_SIZE,
						socket >= 0 ? socket : SOCKET_ID_ANY, flags);
			if (rings[port][c] == NULL)
				rings[port][c] = rte_ring_create(name, DP_EGRESS_RING_SIZE,
								 SOCKET_ID_ANY, flags);
			if (rings[port][c] == NULL) {
				snprintf(err, errlen,
					 "cannot create egress queue %s (%u entries): %s; give EAL "
					 "more memory (-m)",
					 name, DP_EGRESS_RING_SIZE, rte_strerror(rte_errno));
				return -1;
			}
		}
	}
	return 0;
}

/*
 * The largest frame a channel of @p p may send on @p port plus the link's overhead: a bucket
 * shallower than that would never hold enough tokens for it, and the frame would block its
 * class and every lower one for good.
 */
static uint32_t
largest_frame(const struct insp_policy *p, uint16_t port, uint32_t overhead)
{
	uint32_t largest = 0;

	for (uint32_t i = 0; i < p->n_channels; i++) {
		const struct insp_channel *ch = &p->channels[i];
		uint32_t payload = ch->max_size;

		if (ch->egress.port != port)
			continue;
		/* objects leave re-chunked by the release pump */
		if (ch->format == INSP_FORMAT_OBJECT)
			payload = RTE_MIN(payload, INSP_CHUNK_RELEASE_DATAGRAM);
		largest = RTE_MAX(largest, payload + INSP_EGRESS_HDR_MAX);
	}
	return largest + overhead;
}

/* Apply a generation's link settings to the ports whose settings changed. */
static void
configure(struct dp_egress_sched *s, const struct insp_policy *p)
{
	for (uint16_t port = 0; port < s->n_ports; port++) {
		struct dp_egress_port *ep = &s->port[port];
		struct insp_egress_link l;
		uint32_t frame;
		bool shaped;

		dp_egress_link_of(p, port, &l);
		frame = largest_frame(p, port, l.frame_overhead);
		shaped = l.rate_bps != INSP_EGRESS_RATE_LINE;
		if (shaped && l.burst_bytes < frame) {
			DP_LOG(WARNING, main,
			       "egress port %u: burst %u bytes is less than its largest frame (%u "
			       "with overhead): the bucket holds %u",
			       port, l.burst_bytes, frame, frame);
			l.burst_bytes = frame;
		}
		if (shaped == ep->shaped && l.rate_bps == ep->rate_bps &&
		    l.burst_bytes == ep->burst && l.frame_overhead == ep->overhead)
			continue;
		ep->rate_bps = l.rate_bps;
		ep->burst = l.burst_bytes;
		ep->overhead = l.frame_overhead;
		ep->shaped = false;
		if (shaped) {
			struct rte_meter_srtcm_params prm = {
				.cir = l.rate_bps / 8u,
				.cbs = l.burst_bytes,
				.ebs = 0,
			};

			/* the loader checked the ranges; a refusal here is a bug: say so, send */
			if (rte_meter_srtcm_profile_config(&ep->profile, &prm) != 0 ||
			    rte_meter_srtcm_config(&ep->meter, &ep->profile) != 0) {
				DP_LOG(ERR, main,
				       "egress port %u: rte_meter refused rate %" PRIu64
				       " bit/s, burst %u bytes: port NOT shaped",
				       port, l.rate_bps, l.burst_bytes);
				continue;
			}
			ep->shaped = true;
		}
		if (ep->shaped)
			DP_LOG(INFO, main,
			       "egress port %u: shaped to %" PRIu64 " bit/s, burst %u bytes, "
			       "frame overhead %u, queues %u/%u/%u/%u packets",
			       port, l.rate_bps, l.burst_bytes, l.frame_overhead, l.queue_max[0],
			       l.queue_max[1], l.queue_max[2], l.queue_max[3]);
		else
			DP_LOG(INFO, main, "egress port %u: line rate, queues %u/%u/%u/%u packets",
			       port, l.queue_max[0], l.queue_max[1], l.queue_max[2],
			       l.queue_max[3]);
	}
}

/* A packet freed unsent: counted tx_failed in its row and its class. */
static void
fail_one(struct dp_lcore_conf *lc, uint16_t port, struct rte_mbuf *m)
{
	const struct dp_egress_meta *mt = dp_egress_meta(lc, m);

	dp_cnt_add(&lc->stats->cnt[mt->row][INSP_R_TX_FAILED], 1);
	dp_cnt_add(&lc->stats->egress[port][mt->tclass].tx_failed, 1);
	rte_pktmbuf_free(m);
}

/* The head of the highest class that has a packet (taken off its ring if needed). */
static inline struct rte_mbuf *
next_head(struct dp_lcore_conf *lc, struct dp_egress_port *ep, uint16_t port, unsigned int *tc)
{
	for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++) {
		if (ep->head[c] == NULL &&
		    rte_ring_sc_dequeue(lc->eg_ring[port][c], (void **)&ep->head[c]) != 0)
			continue;
		*tc = c;
		return ep->head[c];
	}
	return NULL;
}

/* Up to a burst of packets in strict class order: held ones first, then as tokens allow. */
static inline uint16_t
select_burst(struct dp_lcore_conf *lc, struct dp_egress_port *ep, uint16_t port, uint64_t now,
	     struct rte_mbuf **out)
{
	uint16_t n = ep->n_hold;
	unsigned int c;

	if (n != 0) {
		memcpy(out, ep->hold, n * sizeof(*out));
		ep->n_hold = 0;
	}
	if (!ep->shaped) {
		for (c = 0; c < INSP_TCLASS_COUNT && n < DP_MAX_PKT_BURST; c++) {
			if (ep->head[c] != NULL) {
				out[n++] = ep->head[c];
				ep->head[c] = NULL;
			}
			n += (uint16_t)rte_ring_sc_dequeue_burst(
				lc->eg_ring[port][c], (void **)&out[n], DP_MAX_PKT_BURST - n, NULL);
		}
		return n;
	}
	while (n < DP_MAX_PKT_BURST) {
		struct rte_mbuf *m = next_head(lc, ep, port, &c);

		/* a lower class never overtakes the highest waiting one */
		if (m == NULL ||
		    rte_meter_srtcm_color_blind_check(&ep->meter, &ep->profile, now,
						      m->pkt_len + ep->overhead) != RTE_COLOR_GREEN)
			break;
		out[n++] = m;
		ep->head[c] = NULL;
	}
	return n;
}

static void
port_run(struct dp_lcore_conf *lc, struct dp_egress_port *ep, uint16_t port, uint64_t now)
{
	struct rte_mbuf *out[DP_MAX_PKT_BURST];
	struct dp_egress_meta mt[DP_MAX_PKT_BURST];
	uint32_t len[DP_MAX_PKT_BURST];
	struct dp_lcore_stats *st = lc->stats;
	uint16_t n, sent, i;
	uint64_t t;
	int faulted;

	n = select_burst(lc, ep, port, now, out);
	if (n == 0)
		return;
	/* a port whose link is down is not touched (dp_link.h): what was due is lost */
	if (unlikely(!atomic_load_explicit(&lc->shared->link[port].up, memory_order_acquire))) {
		for (i = 0; i < n; i++)
			fail_one(lc, port, out[i]);
		return;
	}
	/* the driver may free a packet as soon as it takes it: read what is counted first */
	for (i = 0; i < n; i++) {
		mt[i] = *dp_egress_meta(lc, out[i]);
		len[i] = out[i]->pkt_len;
	}
	sent = dp_tx_burst(lc, port, out, n, &faulted);
	if (unlikely(faulted)) {
		/* the driver may have freed some: leave the burst to the dead peer */
		for (i = 0; i < n; i++) {
			dp_cnt_add(&st->cnt[mt[i].row][INSP_R_TX_FAILED], 1);
			dp_cnt_add(&st->egress[port][mt[i].tclass].tx_failed, 1);
		}
		return;
	}
	t = rte_rdtsc();
	for (i = 0; i < sent; i++) {
		struct dp_egress_cnt *c = &st->egress[port][mt[i].tclass];

		dp_cnt_add(&st->cnt[mt[i].row][mt[i].reason], 1);
		dp_cnt_add(&c->sent, 1);
		dp_cnt_add(&c->sent_bytes, len[i]);
		dp_lat_record(&c->delay, t - mt[i].enq_tsc, 1);
		if (mt[i].rx_tsc != 0)
			dp_lat_record(&st->lat_release, t - mt[i].rx_tsc, 1);
	}
	if (sent < n) {
		ep->n_hold = n - sent;
		memcpy(ep->hold, &out[sent], ep->n_hold * sizeof(*out));
	}
}

void
dp_egress_run(struct dp_lcore_conf *lc)
{
	struct dp_egress_sched *s = lc->eg_sched;
	const struct dp_gen *g = lc->gen;
	uint64_t now;

	if (unlikely(g != NULL && g->id != s->gen_id)) {
		configure(s, g->policy);
		s->gen_id = g->id;
	}
	now = rte_rdtsc();
	for (uint16_t port = 0; port < s->n_ports; port++)
		port_run(lc, &s->port[port], port, now);
}

void
dp_egress_destroy(struct dp_lcore_conf *lc0, struct rte_ring *rings[][INSP_TCLASS_COUNT],
		  uint16_t n_ports)
{
	struct dp_egress_sched *s = lc0 != NULL ? lc0->eg_sched : NULL;

	for (uint16_t port = 0; port < n_ports && port < DP_EGRESS_PORTS; port++) {
		struct rte_mbuf *m;

		if (s != NULL) {
			struct dp_egress_port *ep = &s->port[port];

			for (uint16_t i = 0; i < ep->n_hold; i++)
				fail_one(lc0, port, ep->hold[i]);
			ep->n_hold = 0;
			for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++) {
				if (ep->head[c] != NULL)
					fail_one(lc0, port, ep->head[c]);
				ep->head[c] = NULL;
			}
		}
		for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++) {
			if (rings[port][c] == NULL)
				continue;
			while (rte_ring_sc_dequeue(rings[port][c], (void **)&m) == 0) {
				if (lc0 != NULL)
					fail_one(lc0, port, m);
				else
					rte_pktmbuf_free(m);
			}
			rte_ring_free(rings[port][c]);
			rings[port][c] = NULL;
		}
	}
}
