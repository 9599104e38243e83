/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guard-slowpath's intake, on its main thread: take chunk records off guardd's ring
 * (dp_slowpath.h), parse each header (insp_chunk.h), reassemble (sp_reasm.h) and queue
 * each complete object for an inspection thread (sd_job.h). A chunk that breaks a header
 * rule, and an object refused while it is reassembled (duplicate, overlap, mismatch,
 * oversize, busy, incomplete after the timeout), is counted and audited here. The intake
 * never blocks on an object: inspection has threads of its own, so the ring keeps draining.
 *
 * Objects are keyed by the channel's counter row (the same across policy reloads) and id.
 * Each is decided with the ruleset running when its last chunk arrived.
 */
#ifndef SD_INTAKE_H
#define SD_INTAKE_H

#include <stdint.h>

#include "dp_shared.h"
#include "gd_follow.h"
#include "sd_job.h"
#include "sd_stats.h"

struct sp_reasm;

struct sd_intake {
	struct dp_shared *sh;
	struct sd_stats *stats;
	struct sd_queue *queue;
	struct gd_follow follow;
	struct sp_reasm *reasm;
	uint64_t max_bytes; /**< the reassembly bound (for the stats' high-water mark) */
};

/**
 * Create the reassembly table: @p max_objects and @p max_bytes in flight, @p timeout_ms
 * from an object's first chunk. @return 0 or -1 with @p err set.
 */
int sd_intake_init(struct sd_intake *in, struct dp_shared *sh, struct sd_stats *stats,
		   struct sd_queue *q, uint32_t max_objects, uint64_t max_bytes,
		   uint32_t timeout_ms, char *err, size_t errlen);

/** One round: expire, follow the ruleset, drain up to a burst. @return chunks taken. */
unsigned int sd_intake_poll(struct sd_intake *in, int64_t now_ms);

void sd_intake_fini(struct sd_intake *in);

#endif
