/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hot reload: publish a new generation, wait out the grace period, free the old one.
 * Runs on the main lcore at start-up and on EAL's multi-process thread afterwards (the
 * rte_mp callback); the lock serialises them. The one file-scope pointer exists because an
 * rte_mp action takes no user data.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include <sodium.h>

#include "dp_clock.h"
#include "dp_log.h"
#include "dp_reload.h"

static struct dp_reloader *mp_reloader;

static uint64_t
us_since(uint64_t tsc0)
{
	return (rte_rdtsc() - tsc0) * US_PER_S / rte_get_tsc_hz();
}

int
dp_reload_init(struct dp_reloader *r, struct dp_shared *sh, const unsigned int *workers,
	       uint16_t n_workers, uint32_t max_msg, char *err, size_t errlen)
{
	size_t sz;
	int rc;

	memset(r, 0, sizeof(*r));
	if (n_workers > DP_MAX_WORKERS) {
		snprintf(err, errlen, "%u worker lcores, at most %d", n_workers, DP_MAX_WORKERS);
		return -EINVAL;
	}
	rc = pthread_mutex_init(&r->lock, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot create the reload lock: %s", strerror(rc));
		return -rc;
	}
	sz = rte_rcu_qsbr_get_memsize(n_workers);
	r->qsbr = rte_zmalloc("guard_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (r->qsbr == NULL) {
		snprintf(err, errlen, "out of DPDK memory for the RCU variable");
		return -ENOMEM;
	}
	if (rte_rcu_qsbr_init(r->qsbr, n_workers) != 0) {
		snprintf(err, errlen, "cannot initialise the RCU variable");
		return -EINVAL;
	}
	for (uint16_t w = 0; w < n_workers; w++) {
		if (rte_rcu_qsbr_thread_register(r->qsbr, w) != 0) {
			snprintf(err, errlen, "cannot register worker %u with RCU", w);
			return -EINVAL;
		}
		r->workers[w] = workers[w];
	}
	r->n_workers = n_workers;
	r->max_msg = max_msg;
	r->shared = sh;
	return 0;
}

/* Wait until every worker has passed a quiescent state after the publication. */
static int
grace_period(struct dp_reloader *r)
{
	uint64_t token = rte_rcu_qsbr_start(r->qsbr);
	uint64_t t0 = rte_rdtsc(), spin = rte_get_tsc_hz() / 1000;
	uint64_t limit = rte_get_tsc_hz() / 1000 * DP_GRACE_TIMEOUT_MS;

	while (rte_rcu_qsbr_check(r->qsbr, token, false) != 1) {
		uint64_t spent = rte_rdtsc() - t0;

		if (spent > limit)
			return -ETIMEDOUT;
		/* a worker goes round its loop in microseconds: spin first, then sleep */
		if (spent < spin)
			rte_pause();
		else
			rte_delay_us_sleep(50);
	}
	return 0;
}

/* Publish -> the last worker took generation @p id, from the workers' stamps (us). */
static uint32_t
swap_time(const struct dp_reloader *r, uint64_t id, uint64_t published_tsc)
{
	uint64_t last = published_tsc;
	uint16_t w;

	for (w = 0; w < r->n_workers; w++) {
		const struct dp_lcore_stats *st = r->shared->stats[w];

		/* before the workers exist (the start-up ruleset) there is nothing to swap */
		if (st == NULL || atomic_load_explicit(&st->generation, memory_order_acquire) != id)
			continue;
		last = RTE_MAX(last,
			       atomic_load_explicit(&st->generation_tsc, memory_order_relaxed));
	}
	return (uint32_t)((last - published_tsc) * US_PER_S / rte_get_tsc_hz());
}

static void
publish_info(struct dp_reloader *r, const struct dp_gen *g, uint32_t swap_us, uint32_t grace_us)
{
	struct dp_shared *sh = r->shared;
	uint32_t seq = atomic_load_explicit(&sh->info_seq, memory_order_relaxed);

	atomic_store_explicit(&sh->info_seq, seq + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	sh->generation = g->id;
	sh->loaded_ms = dp_clock_wall_ms();
	crypto_hash_sha256(sh->ruleset_sha256, g->image, g->image_len);
	sh->audit_releases = g->policy->audit_releases;
	sh->n_channels = g->policy->n_channels;
	sh->n_patterns = g->policy->n_patterns;
	sh->last_swap_us = swap_us;
	sh->last_grace_us = grace_us;
	snprintf(sh->ruleset_path, sizeof(sh->ruleset_path), "%s", g->path);
	atomic_store_explicit(&sh->info_seq, seq + 2, memory_order_release);
}

int
dp_reload_load(struct dp_reloader *r, const char *path, struct dp_reload_reply *out)
{
	struct dp_gen *old, *g;
	uint64_t t0;
	unsigned int i;
	int rc;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&r->lock);
	t0 = rte_rdtsc();
	g = dp_gen_open(path, r->last_id + 1, r->shared, r->workers, r->n_workers, r->max_msg,
			out->msg, sizeof(out->msg));
	if (g == NULL) {
		atomic_fetch_add_explicit(&r->shared->reloads_refused, 1, memory_order_relaxed);
		pthread_mutex_unlock(&r->lock);
		return out->status = -EINVAL;
	}
	out->load_us = (uint32_t)us_since(t0);
	r->last_id = g->id;
	old = atomic_load_explicit(&r->active, memory_order_relaxed);
	t0 = rte_rdtsc();
	atomic_store_explicit(&r->active, g, memory_order_release);
	rc = grace_period(r);
	out->grace_us = (uint32_t)us_since(t0);
	out->swap_us = rc == 0 ? swap_time(r, g->id, t0) : out->grace_us;
	out->generation = g->id;
	publish_info(r, g, out->swap_us, out->grace_us);
	atomic_fetch_add_explicit(&r->shared->reloads, 1, memory_order_relaxed);
	if (rc != 0) {
		/* a worker is stuck (or gone): keep the old generation rather than free it under it
		 */
		if (old != NULL && r->n_retired < RTE_DIM(r->retired))
			r->retired[r->n_retired++] = old;
		snprintf(out->msg, sizeof(out->msg),
			 "generation %" PRIu64 " published, but a worker did not report quiescence "
			 "within %d ms: the old generation is kept in memory",
			 g->id, DP_GRACE_TIMEOUT_MS);
		pthread_mutex_unlock(&r->lock);
		return out->status = rc;
	}
	dp_gen_free(old);
	for (i = 0; i < r->n_retired; i++)
		dp_gen_free(r->retired[i]);
	r->n_retired = 0;
	if (g->policy->n_channels != 0) {
		uint32_t largest = 0;

		for (i = 0; i < g->policy->n_channels; i++)
			largest = RTE_MAX(largest, g->policy->channels[i].max_size);
		if (largest > r->max_msg)
			snprintf(out->msg, sizeof(out->msg),
				 "a channel allows %u-byte messages but guardd inspects at most %u "
				 "(--max-msg at start); larger ones are dropped as l2l4_oversize",
				 largest, r->max_msg);
	}
	pthread_mutex_unlock(&r->lock);
	DP_LOG(INFO, main,
	       "ruleset %s is generation %" PRIu64 ": %u channels, %u patterns; load %u us, swap "
	       "%u us, grace period %u us",
	       path, g->id, g->policy->n_channels, g->policy->n_patterns, out->load_us,
	       out->swap_us, out->grace_us);
	return 0;
}

static int
on_reload_request(const struct rte_mp_msg *msg, const void *peer)
{
	struct dp_reloader *r = mp_reloader;
	struct dp_reload_req req;
	struct dp_reload_reply rep;
	struct rte_mp_msg reply;

	memset(&reply, 0, sizeof(reply));
	snprintf(reply.name, sizeof(reply.name), "%s", DP_MP_RELOAD);
	reply.len_param = sizeof(rep);
	if (r == NULL || msg->len_param != sizeof(req)) {
		memset(&rep, 0, sizeof(rep));
		rep.status = -EINVAL;
		snprintf(rep.msg, sizeof(rep.msg),
			 "reload request of %d bytes, this guardd expects %zu: guard-control and "
			 "guardd are from different builds",
			 msg->len_param, sizeof(req));
	} else {
		memcpy(&req, msg->param, sizeof(req));
		req.path[sizeof(req.path) - 1] = '\0';
		DP_LOG(INFO, main, "reload of %s asked by uid %u", req.path, req.uid);
		(void)dp_reload_load(r, req.path, &rep);
		if (rep.status != 0)
			DP_LOG(WARNING, main, "reload of %s refused: %s", req.path, rep.msg);
	}
	memcpy(reply.param, &rep, sizeof(rep));
	if (rte_mp_reply(&reply, peer) != 0)
		DP_LOG(WARNING, main, "cannot answer a reload request (guard-control gone?)");
	return 0;
}

int
dp_reload_listen(struct dp_reloader *r)
{
	mp_reloader = r;
	if (rte_mp_action_register(DP_MP_RELOAD, on_reload_request) != 0) {
		mp_reloader = NULL;
		/* ENOTSUP: EAL runs without multi-process support (--in-memory, --no-shconf) */
		return -rte_errno;
	}
	return 0;
}

void
dp_reload_fini(struct dp_reloader *r)
{
	unsigned int i;

	if (mp_reloader == r) {
		rte_mp_action_unregister(DP_MP_RELOAD);
		mp_reloader = NULL;
	}
	pthread_mutex_lock(&r->lock);
	dp_gen_free(atomic_load_explicit(&r->active, memory_order_relaxed));
	atomic_store_explicit(&r->active, NULL, memory_order_relaxed);
	for (i = 0; i < r->n_retired; i++)
		dp_gen_free(r->retired[i]);
	r->n_retired = 0;
	pthread_mutex_unlock(&r->lock);
	rte_free(r->qsbr);
	r->qsbr = NULL;
}
