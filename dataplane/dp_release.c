/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Worker 0 sends the datagrams of approved items (dp_release.h). Cold path: a few records a
 * millisecond at most, each built in a fresh mbuf like a re-originated release.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "dp_gen.h"
#include "dp_log.h"
#include "dp_egress.h"
#include "dp_release.h"
#include "dp_tx.h"
#include "insp_net.h"

/* Records handled per poll, so a long item never holds the rx queues off for long. */
#define DP_RELEASE_BURST 8

static int
channel_by_name(const struct insp_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->n_channels; i++)
		if (strncmp(p->channels[i].name, name, INSP_NAME_MAX) == 0)
			return (int)i;
	return -1;
}

static void
give_up(struct dp_lcore_conf *lc, const struct dp_release_rec *rec, const char *why)
{
	struct dp_shared *sh = lc->shared;

	DP_LOG(ERR, main, "release record %" PRIu64 " of item %" PRIu64 ": %s; not sent", rec->seq,
	       rec->item, why);
	atomic_store_explicit(&sh->release_failed_seq, rec->seq, memory_order_relaxed);
	dp_cnt_add(&sh->release_failed, 1);
	atomic_store_explicit(&sh->release_done_seq, rec->seq, memory_order_release);
}

/* The record as a frame for its channel's egress, or NULL (given up, said why). */
static struct rte_mbuf *
build(struct dp_lcore_conf *lc, const struct dp_release_rec *rec, uint16_t *row)
{
	const struct dp_gen *g = lc->gen;
	const struct insp_channel *ch;
	struct rte_mbuf *m;
	uint32_t hlen;
	uint8_t *p;
	int c;

	if (g == NULL) {
		give_up(lc, rec, "no ruleset is loaded");
		return NULL;
	}
	c = channel_by_name(g->policy, rec->channel);
	if (c < 0) {
		give_up(lc, rec, "the running ruleset has no such channel");
		return NULL;
	}
	ch = &g->policy->channels[c];
	hlen = insp_egress_hdr_len(&ch->egress);
	if (rec->len == 0 || rec->len > lc->max_msg) {
		give_up(lc, rec, "payload length out of range");
		return NULL;
	}
	m = rte_pktmbuf_alloc(lc->pool);
	if (m == NULL)
		return NULL; /* no mbuf now: tried again next time, nothing given up */
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(hlen + rec->len));
	if (p == NULL) {
		rte_pktmbuf_free(m);
		give_up(lc, rec, "frame larger than an mbuf");
		return NULL;
	}
	memcpy(p + hlen, rec->payload, rec->len);
	insp_egress_build(&ch->egress, lc->port_mac[ch->egress.port].addr_bytes, lc->ip_id++,
			  insp_egress_dscp(g->policy, ch, DP_RELEASE_TCLASS), p, rec->len,
			  insp_net_sum(rec->payload, rec->len));
	m->port = ch->egress.port;
	*row = g->row[c];
	return m;
}

/* Try to send the pending frame; 1 sent, 0 not (kept for the next try). */
static int
send_pending(struct dp_lcore_conf *lc)
{
	struct rte_mbuf *m = lc->rel_pending;
	uint16_t port = m->port, sent = 0;

	if (!atomic_load_explicit(&lc->shared->link[port].up, memory_order_acquire))
		return 0;
	if (lc->eg_sched != NULL) {
		/*
		 * Into the routine queue, counted released_reviewed when it leaves; a full
		 * queue is waited for (an approved item is not shed), nothing else is.
		 */
		if (lc->gen == NULL || dp_egress_full(lc, lc->gen, port, DP_RELEASE_TCLASS) ||
		    dp_egress_enqueue(lc, port, DP_RELEASE_TCLASS, m, lc->rel_row,
				      INSP_R_RELEASED_REVIEWED, 0) != 0)
			return 0;
	} else {
		int faulted;

		sent = dp_tx_burst(lc, port, &m, 1, &faulted);
		if (unlikely(faulted)) {
			/* the driver may have freed it: build it again once the port is back */
			lc->rel_pending = NULL;
			return 0;
		}
		if (sent == 0)
			return 0;
		dp_cnt_add(&lc->stats->cnt[lc->rel_row][INSP_R_RELEASED_REVIEWED], 1);
	}
	dp_cnt_add(&lc->shared->release_sent, 1);
	atomic_store_explicit(&lc->shared->release_done_seq, lc->rel_seq, memory_order_release);
	lc->rel_pending = NULL;
	return 1;
}

void
dp_release_drain(struct dp_lcore_conf *lc)
{
	struct dp_shared *sh = lc->shared;

	for (unsigned int n = 0; n < DP_RELEASE_BURST; n++) {
		struct dp_release_rec *rec;
		uint64_t done;

		if (lc->rel_pending == NULL && lc->rel_rec != NULL) {
			/* a record whose frame could not be built or was lost to a fault */
			lc->rel_pending = build(lc, lc->rel_rec, &lc->rel_row);
			if (lc->rel_pending == NULL) {
				if (atomic_load_explicit(&sh->release_done_seq,
							 memory_order_relaxed) < lc->rel_rec->seq)
					return; /* no mbuf yet: keep the record */
				rte_mempool_put(sh->release_pool, lc->rel_rec);
				lc->rel_rec = NULL;
				continue;
			}
		}
		if (lc->rel_pending != NULL) {
			if (!send_pending(lc))
				return;
			rte_mempool_put(sh->release_pool, lc->rel_rec);
			lc->rel_rec = NULL;
			continue;
		}
		if (rte_ring_sc_dequeue(sh->release_ring, (void **)&rec) != 0)
			return;
		done = atomic_load_explicit(&sh->release_done_seq, memory_order_relaxed);
		if (rec->seq <= done) {
			dp_cnt_add(&sh->release_skipped, 1);
			rte_mempool_put(sh->release_pool, rec);
			continue;
		}
		lc->rel_rec = rec;
		lc->rel_seq = rec->seq;
	}
}

void
dp_release_stop(struct dp_lcore_conf *lc)
{
	if (lc->rel_pending != NULL)
		rte_pktmbuf_free(lc->rel_pending);
	if (lc->rel_rec != NULL)
		rte_mempool_put(lc->shared->release_pool, lc->rel_rec);
	lc->rel_pending = NULL;
	lc->rel_rec = NULL;
}
