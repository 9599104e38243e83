/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The dataplane's half of releasing reviewed items (docs/review.md, "Release"): worker 0
 * drains the ring guard-control fills with the datagrams of approved items (struct
 * dp_release_rec) and sends each out of its channel's egress with fresh headers, as it
 * does a released message.
 *
 * Exactly once: records carry a sequence number that only grows. Worker 0 sends them in
 * ring order, one at a time, and publishes the last one the driver accepted in
 * dp_shared.release_done_seq; a record at or below that number is a duplicate (guard-control
 * restarted between enqueuing it and noting so) and is skipped. A record the driver refuses
 * (a full tx ring, a link down) is kept and tried again on the next loop iteration: nothing
 * is lost and nothing overtakes it. A record whose channel the running ruleset does not
 * have is given up (release_failed_seq) so guard-control can mark its item interrupted.
 *
 * Cost to the fast path: one ring-count load per loop iteration on worker 0.
 */
#ifndef DP_RELEASE_H
#define DP_RELEASE_H

#include <rte_branch_prediction.h>
#include <rte_ring.h>

#include "dp_lcore.h"
#include "dp_shared.h"

/**
 * Traffic class of what a reviewer released: routine. A released object can be megabytes;
 * behind tactical traffic it delays nobody, in front of it it would (docs/egress.md).
 */
#define DP_RELEASE_TCLASS (INSP_TCLASS_COUNT - 1)

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The worker is leaving: let go of a record not sent yet (it stays unsent: guard-control's
 * pump sees its item unfinished and, the next guardd being another instance, interrupted).
 */
void dp_release_stop(struct dp_lcore_conf *lc);

/** Send what is waiting (cold path of dp_release_poll()). */
void dp_release_drain(struct dp_lcore_conf *lc);

/** Once per loop iteration of worker 0: anything to release? */
static inline void
dp_release_poll(struct dp_lcore_conf *lc)
{
	if (unlikely(lc->rel_rec != NULL || rte_ring_count(lc->shared->release_ring) != 0))
		dp_release_drain(lc);
}

#ifdef __cplusplus
}
#endif
#endif
