/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The release pump (docs/review.md, "Release"): a guard-control thread that takes approved
 * items from the review queue in approval order and hands their datagrams to guardd's worker
 * 0 on the ring "guard_release" (dp_release.h), one item at a time:
 *
 *   approved --rq_release_begin (reserve record numbers)--> sending
 *      --records enqueued, release_enqueued_seq noted in guardd's shared state-->
 *      guardd sends each and publishes release_done_seq
 *      --done >= the item's last record--> released (an audit record)
 *
 * An object leaves re-chunked with fresh headers (docs/slowpath.md): datagrams of at most
 * 1400 bytes (and the channel's max_size), object id = the item's first record number (unique, and
 * the same when a restarted pump rebuilds the records); a message leaves as its one datagram.
 *
 * Exactly once across restarts: the record numbers are reserved durably before the first
 * record is enqueued, guardd skips numbers it has already sent, and a restarted pump resumes
 * after the last record it enqueued. If guardd itself restarted while an item was sending
 * (its shared state is new, so what it sent is unknown), the item becomes interrupted and is
 * not sent again: a possible second copy across a boundary is worse than a missing one the
 * operator can see, export and resubmit.
 */
#ifndef GD_PUMP_H
#define GD_PUMP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp_shared.h"
#include "gd_audit.h"

struct gd_pump {
	struct dp_shared *sh;
	struct gd_audit *audit;
	char db_path[256];
	pthread_t thread;
	bool started;
	atomic_bool stop;
	_Atomic uint64_t released, interrupted; /**< items, since this guard-control started */
};

/** Start the pump on the review queue at @p db_path. @return 0 or -1 with @p err. */
int gd_pump_start(struct gd_pump *p, struct dp_shared *sh, struct gd_audit *audit,
		  const char *db_path, char *err, size_t errlen);

/** Stop it (an item in the middle of sending stays sending; the next pump resumes it). */
void gd_pump_stop(struct gd_pump *p);

#endif
