/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The workers' half of the slow path (GUARD-SPEC 6, docs/slowpath.md): a datagram of an
 * object channel is not parsed here at all. Its payload is copied into a struct
 * dp_slow_rec from the shared pool and put on the ring guard-slowpath drains; reassembly,
 * type checks and inspection happen there, on another core, and whatever they cost never
 * reaches this loop: when guard-slowpath is not attached (stale heartbeat) the chunk is
 * dropped as slowpath_down, when its ring is full or the pool empty as slowpath_busy. The
 * worker never waits.
 */
#ifndef DP_SLOWPATH_H
#define DP_SLOWPATH_H

#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "dp_gen.h"
#include "dp_lcore.h"
#include "dp_shared.h"
#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

/** guard-slowpath counts as gone when its heartbeat is older than this. */
#define DP_SLOWPATH_TIMEOUT_MS 500

/** Is guard-slowpath attached (heartbeat fresh at @p now_ms)? */
static inline int
dp_slowpath_up(const struct dp_shared *sh, int64_t now_ms)
{
	uint64_t hb = atomic_load_explicit(&sh->slowpath_heartbeat_ms, memory_order_relaxed);

	return hb != 0 && now_ms - (int64_t)hb < DP_SLOWPATH_TIMEOUT_MS;
}

/**
 * Hand the payload of one object-channel datagram (counter row @p row) to guard-slowpath.
 * @return INSP_R_TO_SLOWPATH (handed over), INSP_R_SLOWPATH_DOWN or INSP_R_SLOWPATH_BUSY.
 */
static inline enum insp_reason
dp_slowpath_hand(struct dp_lcore_conf *lc, uint16_t row, const uint8_t *payload, uint32_t len,
		 int64_t now_ms)
{
	struct dp_shared *sh = lc->shared;
	struct dp_slow_rec *rec;

	if (unlikely(!dp_slowpath_up(sh, now_ms)))
		return INSP_R_SLOWPATH_DOWN;
	if (unlikely(rte_mempool_get(sh->slow_pool, (void **)&rec) != 0))
		return INSP_R_SLOWPATH_BUSY;
	rec->time_ms = now_ms;
	rec->generation = lc->gen != NULL ? lc->gen->id : 0;
	rec->row = row;
	rec->lcore = (uint16_t)lc->lcore_id;
	rec->len = len;
	memcpy(rec->data, payload, len);
	if (unlikely(rte_ring_mp_enqueue(sh->slow_ring, rec) != 0)) {
		rte_mempool_put(sh->slow_pool, rec);
		return INSP_R_SLOWPATH_BUSY;
	}
	return INSP_R_TO_SLOWPATH;
}

#ifdef __cplusplus
}
#endif
#endif
