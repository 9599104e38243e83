/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The workers' half of the audit path (GUARD-SPEC 8): a decision that needs a record is
 * copied into a struct dp_audit_rec from the shared pool and enqueued on the shared ring;
 * guard-control hashes, formats, chains and flushes it (control/daemon). The worker never
 * waits: when guard-control is gone (stale heartbeat), the pool is empty or the ring is
 * full, the emit fails and the caller fails closed: a release that needs a record is dropped
 * as audit_unavailable; a drop or review is still dropped and counted in audit_lost.
 *
 * The payload is copied (up to the shared audit_payload_max) rather than hashed here: a
 * SHA-256 costs more than the whole decision, and guard-control has a core of its own.
 */
#ifndef DP_AUDIT_H
#define DP_AUDIT_H

#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "dp_gen.h"
#include "dp_lcore.h"
#include "dp_shared.h"
#include "insp_inspect.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Per burst: may records be handed over at all? (guard-control's heartbeat is fresh) */
static inline int
dp_audit_path_up(const struct dp_shared *sh, int64_t now_ms)
{
	uint64_t hb = atomic_load_explicit(&sh->control_heartbeat_ms, memory_order_relaxed);

	return hb != 0 && now_ms - (int64_t)hb < DP_CONTROL_TIMEOUT_MS;
}

/**
 * Hand one decision to guard-control. @p res may be NULL (a layer 2-4 drop: no message
 * fields); @p data/@p len are the payload (or the frame, for a layer 2-4 drop).
 * @return 0 handed over, -1 not (the caller fails closed, see the file comment).
 */
static inline int
dp_audit_emit(struct dp_lcore_conf *lc, uint16_t row, enum insp_reason reason,
	      const struct insp_result *res, const uint8_t *data, uint32_t len, int64_t now_ms)
{
	struct dp_shared *sh = lc->shared;
	struct dp_audit_rec *rec;
	uint32_t n;

	if (unlikely(!lc->audit_up))
		return -1;
	if (unlikely(rte_mempool_get(sh->audit_pool, (void **)&rec) != 0))
		return -1;
	n = RTE_MIN(len, sh->audit_payload_max);
	rec->generation = lc->gen != NULL ? lc->gen->id : 0;
	rec->time_ms = now_ms;
	rec->row = row;
	rec->lcore = (uint16_t)lc->lcore_id;
	rec->reason = (uint8_t)reason;
	rec->len = n;
	rec->full_len = len;
	if (res != NULL) {
		rec->rule_id = res->rule_id;
		rec->offset = res->offset;
		rec->level = res->level;
		rec->tclass = res->tclass;
		memcpy(rec->uid, res->uid, sizeof(rec->uid));
		memcpy(rec->detail, res->detail, sizeof(rec->detail));
	} else {
		rec->rule_id = 0;
		rec->offset = 0;
		rec->level = INSP_LEVEL_NONE;
		rec->tclass = 0;
		rec->uid[0] = '\0';
		rec->detail[0] = '\0';
	}
	memcpy(rec->payload, data, n);
	if (unlikely(rte_ring_mp_enqueue(sh->audit_ring, rec) != 0)) {
		rte_mempool_put(sh->audit_pool, rec);
		return -1;
	}
	dp_cnt_add(&lc->stats->audit_records, 1);
	return 0;
}

#ifdef __cplusplus
}
#endif
#endif
