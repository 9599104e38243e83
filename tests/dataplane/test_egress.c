/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The priority egress scheduler (dataplane/dp_egress.c) on its own, in a DPDK process
 * without hugepages: its port is a net_ring device (rte_eth_from_rings), so what it "sent"
 * is read back from the device's tx ring in order, and a small tx ring stands for a device
 * that refuses packets. Checks:
 *   - strict priority at line rate: flash, then immediate, then priority, then routine,
 *     each class in arrival order; counters (sent, bytes, release cells) match;
 *   - the bound: dp_egress_full() at queue_max, not before; the depth high-water mark;
 *   - a device that refuses: nothing lost, nothing reordered, the refused ones first;
 *   - shaping: at 2 Mbit/s for 0.6 s the bytes sent (frame + overhead) are the rate's plus
 *     at most the bucket, within 2 %; a flash queued behind a routine backlog is the next
 *     packet to leave;
 *   - a port whose link is down, and dp_egress_destroy(): what was due or queued is freed
 *     and counted tx_failed in its row and class.
 * TAP output like the unit tests. Exit 0 pass, 1 fail.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dp_egress.h"
#include "dp_gen.h"
#include "dp_lcore.h"
#include "dp_shared.h"
#include "test.h"

RTE_LOG_REGISTER(dp_logtype_main, guard.main, WARNING);
RTE_LOG_REGISTER(dp_logtype_port, guard.port, WARNING);

#define ROW 3

static struct rte_mempool *pool;
static struct rte_ring *dev_tx; /* what the device "sent" */
static uint16_t port;
static struct dp_lcore_conf *lc;
static struct dp_gen *gen;
static struct insp_policy policy;
static struct insp_egress_link link_cfg;
static struct rte_ring *rings[DP_EGRESS_PORTS][INSP_TCLASS_COUNT];

/* A frame of @p len bytes whose first bytes say its class and sequence number. */
static struct rte_mbuf *
frame(uint8_t tc, uint16_t seq, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0, len);
	p[0] = tc;
	p[1] = (uint8_t)(seq >> 8);
	p[2] = (uint8_t)seq;
	return m;
}

static int
put(uint8_t tc, uint16_t seq, uint16_t len)
{
	struct rte_mbuf *m = frame(tc, seq, len);

	if (m == NULL)
		return -1;
	if (dp_egress_enqueue(lc, port, tc, m, ROW, INSP_R_RELEASE, rte_rdtsc()) != 0) {
		rte_pktmbuf_free(m);
		return -1;
	}
	return 0;
}

/* Take what the device sent: (class, seq) pairs into @p out, at most @p cap; frees them. */
static unsigned int
take_sent(uint8_t (*out)[2], uint16_t *seq, unsigned int cap, uint64_t *bytes)
{
	struct rte_mbuf *m;
	unsigned int n = 0;

	while (rte_ring_dequeue(dev_tx, (void **)&m) == 0) {
		const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

		if (n < cap) {
			out[n][0] = p[0];
			seq[n] = (uint16_t)(p[1] << 8 | p[2]);
		}
		if (bytes != NULL)
			*bytes += m->pkt_len;
		n++;
		rte_pktmbuf_free(m);
	}
	return n;
}

/* A new generation with the current link settings (the scheduler applies it on its run). */
static void
apply(void)
{
	policy.n_egress_links = 1;
	policy.egress_links = &link_cfg;
	gen->id++;
	for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++)
		gen->eg_queue_max[port][c] = link_cfg.queue_max[c];
}

static uint64_t
cnt(unsigned int tc, size_t off)
{
	return atomic_load((_Atomic uint64_t *)((char *)&lc->stats->egress[port][tc] + off));
}
#define CNT(tc, field) cnt(tc, offsetof(struct dp_egress_cnt, field))

static void
test_strict_priority(void)
{
	static const uint8_t order[] = {3, 3, 2, 3, 0, 1, 3, 0, 2, 1};
	uint8_t got[32][2];
	uint16_t seq[32], next[INSP_TCLASS_COUNT] = {0}, want_seq[INSP_TCLASS_COUNT] = {0};
	uint64_t bytes = 0;
	unsigned int n, i, c, last = 0;
	int ok = 1;

	dp_egress_link_of(NULL, port, &link_cfg);
	apply();
	for (i = 0; i < RTE_DIM(order); i++)
		CHECK(put(order[i], next[order[i]]++, 100) == 0, "enqueue %u", i);
	/* the device takes 7 a run: the rest is held and offered first the next run */
	for (n = 0, i = 0; n < RTE_DIM(order) && i < 5; i++) {
		dp_egress_run(lc);
		n += take_sent(&got[n], &seq[n], 32 - n, &bytes);
	}
	CHECK(n == RTE_DIM(order), "line rate: all %u left (%u runs)", n, i);
	for (i = 0; i < n && i < 32; i++) {
		c = got[i][0];
		if (c < last || seq[i] != want_seq[c]++)
			ok = 0;
		last = c;
	}
	CHECK(ok, "strict priority, and arrival order within a class");
	CHECK(bytes == 100u * RTE_DIM(order), "bytes %" PRIu64, bytes);
	CHECK(CNT(0, sent) == 2 && CNT(1, sent) == 2 && CNT(2, sent) == 2 && CNT(3, sent) == 4,
	      "sent per class 2 2 2 4");
	CHECK(CNT(3, sent_bytes) == 400, "routine bytes 400");
	CHECK(atomic_load(&lc->stats->cnt[ROW][INSP_R_RELEASE]) == RTE_DIM(order),
	      "the row's release cell counts what left");
	CHECK(atomic_load(&lc->stats->lat_release.max) > 0, "rx-to-tx latency recorded");
}

static void
test_bound(void)
{
	unsigned int i;
	uint8_t got[8][2];
	uint16_t seq[8];

	link_cfg.queue_max[3] = 5;
	apply();
	for (i = 0; i < 5; i++) {
		CHECK(!dp_egress_full(lc, gen, port, 3), "not full at %u", i);
		put(3, (uint16_t)i, 64);
	}
	CHECK(dp_egress_full(lc, gen, port, 3), "full at queue_max 5");
	CHECK(!dp_egress_full(lc, gen, port, 0), "flash is not full");
	CHECK(CNT(3, depth_hwm) == 5, "depth high-water mark 5 (%" PRIu64 ")", CNT(3, depth_hwm));
	dp_egress_run(lc);
	CHECK(take_sent(got, seq, 8, NULL) == 5, "the 5 left");
	CHECK(!dp_egress_full(lc, gen, port, 3), "room again");
	dp_egress_link_of(NULL, port, &link_cfg);
	apply();
}

/* The device takes 7 a time (its ring of 8): the rest is held, in order. */
static void
test_refused(void)
{
	uint8_t got[64][2];
	uint16_t seq[64];
	unsigned int total = 0, runs = 0, i, n;
	int ok = 1;

	for (i = 0; i < 20; i++)
		put(3, (uint16_t)(100 + i), 64);
	put(0, 900, 64);
	while (total < 21 && runs++ < 20) {
		dp_egress_run(lc);
		n = take_sent(&got[total], &seq[total], 64 - total, NULL);
		CHECK(n <= 7, "run %u: the device took %u (at most 7)", runs, n);
		total += n;
	}
	CHECK(total == 21, "all 21 left over %u runs", runs);
	CHECK(got[0][0] == 0 && seq[0] == 900, "the flash went first");
	for (i = 1; i < total; i++)
		if (got[i][0] != 3 || seq[i] != 100 + i - 1)
			ok = 0;
	CHECK(ok, "the routine ones in order, none lost or repeated after refusals");
}

static void
test_shaping(void)
{
	const uint16_t len = 1000;
	uint64_t bytes = 0, t0, t1, hz = rte_get_tsc_hz();
	static uint8_t got[1024][2];
	static uint16_t seq[1024];
	unsigned int i, n = 0, sent_before_flash = 0;
	double secs, want, err;
	int flash_next = 0;

	link_cfg.rate_bps = 2000000;
	/* deep enough that a preempted test loses no tokens to the cap */
	link_cfg.burst_bytes = 65536;
	link_cfg.frame_overhead = 24;
	link_cfg.queue_max[3] = 400;
	apply();
	for (i = 0; i < 300; i++)
		put(3, (uint16_t)i, len);
	t0 = rte_rdtsc();
	/* 0.3 s, then a flash behind the backlog, then 0.3 s more */
	while (rte_rdtsc() - t0 < hz * 3 / 10) {
		dp_egress_run(lc);
		n += take_sent(&got[n], &seq[n], 1024 - n, &bytes);
	}
	sent_before_flash = n;
	put(0, 7, len);
	while (rte_rdtsc() - t0 < hz * 6 / 10) {
		dp_egress_run(lc);
		n += take_sent(&got[n], &seq[n], 1024 - n, &bytes);
	}
	flash_next = n > sent_before_flash && got[sent_before_flash][0] == 0 &&
		     seq[sent_before_flash] == 7;
	t1 = rte_rdtsc();
	secs = (double)(t1 - t0) / (double)hz;
	want = 2e6 / 8 * secs + 65536; /* the rate, plus the full bucket at the start */
	err = ((double)(bytes + (uint64_t)n * 24) - want) / want;
	CHECK(err > -0.02 && err < 0.02,
	      "shaped to 2 Mbit/s: %" PRIu64 " bytes + %u x 24 in %.3f s, want %.0f (%+.2f %%)",
	      bytes, n, secs, want, err * 100);
	CHECK(flash_next, "the flash was the next packet to leave behind %u routine ones",
	      sent_before_flash);
	CHECK(CNT(0, sent) >= 3, "flash counted sent");
	/* leave the backlog for the destroy test */
}

static void
test_link_down_and_destroy(void)
{
	uint64_t failed_before = atomic_load(&lc->stats->cnt[ROW][INSP_R_TX_FAILED]);
	uint64_t queued = rte_ring_count(rings[port][3]);
	uint64_t rfail;

	atomic_store(&lc->shared->link[port].up, 0);
	link_cfg.rate_bps = INSP_EGRESS_RATE_LINE;
	apply();
	dp_egress_run(lc);
	rfail = CNT(3, tx_failed);
	CHECK(rfail > 0 && rte_ring_count(dev_tx) == 0,
	      "link down: %" PRIu64 " due packets freed as tx_failed, none sent", rfail);
	dp_egress_destroy(lc, rings, (uint16_t)(port + 1));
	CHECK(CNT(3, tx_failed) >= queued,
	      "destroy: every queued packet counted tx_failed (%" PRIu64 " of %" PRIu64 ")",
	      CNT(3, tx_failed), queued);
	CHECK(atomic_load(&lc->stats->cnt[ROW][INSP_R_TX_FAILED]) - failed_before ==
		      CNT(3, tx_failed),
	      "the row's tx_failed cell agrees with the class");
	CHECK(rte_mempool_in_use_count(pool) == 0, "no mbuf leaked (%u in use)",
	      rte_mempool_in_use_count(pool));
}

int
main(void)
{
	/* rte_eal_init() may permute argv: writable copies of the words */
	static char a0[] = "test_egress", a1[] = "--no-huge", a2[] = "-m", a3[] = "256",
		    a4[] = "--no-pci", a5[] = "--no-shconf", a6[] = "-l", a7[] = "0",
		    a8[] = "--log-level=lib.eal:error", a9[] = "--file-prefix",
		    a10[] = "guard-test-egress", a11[] = "--no-telemetry";
	char *eal[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, NULL};
	struct rte_ring *rx;
	struct rte_eth_conf conf;
	char err[256];
	int off;

	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("test_eg", 4095, 0, 0, 2048, SOCKET_ID_ANY);
	dev_tx = rte_ring_create("test_eg_tx", 8, SOCKET_ID_ANY, 0); /* takes 7 */
	rx = rte_ring_create("test_eg_rx", 8, SOCKET_ID_ANY, 0);
	if (pool == NULL || dev_tx == NULL || rx == NULL) {
		printf("Bail out! no pool or rings\n");
		return 1;
	}
	{
		int p = rte_eth_from_rings("test_eg", &rx, 1, &dev_tx, 1, SOCKET_ID_ANY);

		if (p < 0) {
			printf("Bail out! rte_eth_from_rings failed\n");
			return 1;
		}
		port = (uint16_t)p;
	}
	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(port, 0, 8, SOCKET_ID_ANY, NULL, pool) != 0 ||
	    rte_eth_tx_queue_setup(port, 0, 8, SOCKET_ID_ANY, NULL) != 0 ||
	    rte_eth_dev_start(port) != 0) {
		printf("Bail out! cannot start the ring port\n");
		return 1;
	}
	if (dp_egress_create((uint16_t)(port + 1), true, rings, &off, err, sizeof(err)) != 0) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	lc = calloc(1, sizeof(*lc));
	gen = calloc(1, sizeof(*gen));
	if (lc == NULL || gen == NULL) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	lc->stats = calloc(1, sizeof(*lc->stats));
	lc->shared = calloc(1, sizeof(*lc->shared));
	lc->eg_sched = calloc(1, sizeof(*lc->eg_sched));
	if (lc->stats == NULL || lc->shared == NULL || lc->eg_sched == NULL) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	lc->eg_meta_off = off;
	lc->n_ports = (uint16_t)(port + 1);
	lc->eg_sched->n_ports = (uint16_t)(port + 1);
	memcpy(lc->eg_ring, rings, sizeof(lc->eg_ring));
	lc->txq = 0;
	atomic_store(&lc->shared->link[port].up, 1);
	gen->policy = &policy;
	lc->gen = gen;

	test_strict_priority();
	test_bound();
	test_refused();
	test_shaping();
	test_link_down_and_destroy();
	{
		/* --no-shconf leaves only the empty runtime directory behind: remove it */
		char dir[PATH_MAX];
		int rc = test_done();

		snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
		rte_eth_dev_stop(port);
		rte_eal_cleanup();
		rmdir(dir);
		return rc;
	}
}
