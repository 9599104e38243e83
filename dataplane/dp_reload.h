/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Hot reload (GUARD-SPEC 8): replace the running ruleset generation without stopping a
 * worker and without any packet judged by a mix of two.
 *
 *   open the new image (dp_gen_open: read, check, deserialise, one scratch per worker)
 *   -> publish: one atomic store of the generation pointer the workers read
 *   -> grace period: rte_rcu_qsbr; a worker reports quiescence after each loop iteration
 *      (after its tx buffers are flushed), so once every worker has reported, none holds
 *      the old generation: each burst is decided wholly by one generation
 *   -> free the old generation.
 *
 * Requests come from guard-control over rte_mp (DP_MP_RELOAD, struct dp_reload_req) and are
 * answered once the grace period is over, so `guardctl policy load` returns only when every
 * worker runs the new generation. One reload at a time (a lock, off the fast path); a refused
 * image changes nothing. The workers never wait: they keep deciding with whichever
 * generation they loaded at the top of their loop.
 */
#ifndef DP_RELOAD_H
#define DP_RELOAD_H

#include <pthread.h>
#include <stdint.h>

#include <rte_rcu_qsbr.h>

#include "dp_gen.h"
#include "dp_shared.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest a reload waits for the workers to move on before it reports an error. */
#define DP_GRACE_TIMEOUT_MS 5000

struct dp_reloader {
	pthread_mutex_t lock;
	struct dp_gen *_Atomic active; /**< what the workers load; NULL: no ruleset */
	struct rte_rcu_qsbr *qsbr;
	struct dp_shared *shared;
	unsigned int workers[DP_MAX_WORKERS];
	uint16_t n_workers;
	uint32_t max_msg;
	uint64_t last_id;
	/** generations whose grace period timed out: freed at the next successful one */
	struct dp_gen *retired[8];
	unsigned int n_retired;
};

/**
 * Set up the reloader (the RCU variable with one thread id per worker) and, once
 * @p listen is set, register the DP_MP_RELOAD action. Main lcore, before launch.
 * @return 0 or -errno (message in @p err).
 */
int dp_reload_init(struct dp_reloader *r, struct dp_shared *sh, const unsigned int *workers,
		   uint16_t n_workers, uint32_t max_msg, char *err, size_t errlen);

/** Answer reload requests from guard-control from now on. @return 0 or -errno. */
int dp_reload_listen(struct dp_reloader *r);

/**
 * Load the image at @p path as the next generation and publish it (see the file comment).
 * Used for the start-up ruleset too (then no worker runs yet and the grace period is nil).
 * @return 0, or -errno with an operator's message in @p out->msg; @p out gets the figures.
 */
int dp_reload_load(struct dp_reloader *r, const char *path, struct dp_reload_reply *out);

/** The worker loop's part: call once per iteration when it holds no generation pointer. */
static inline void
dp_reload_quiescent(struct rte_rcu_qsbr *v, unsigned int worker)
{
	rte_rcu_qsbr_quiescent(v, worker);
}

/** Stop answering, free every generation. Main lcore, after the workers stopped. */
void dp_reload_fini(struct dp_reloader *r);

#ifdef __cplusplus
}
#endif
#endif
