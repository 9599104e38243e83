/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guard-slowpath's inspection threads: each takes reassembled objects off the queue
 * (sd_job.h), decides them (sp_object.h: type, active content, CDR, label, terms; the fast
 * path's own library decides label and content) and files the outcome:
 *   refuse   counted and audited; nothing is kept
 *   review   into the review queue (rq_store.h) with its findings, text and content;
 *            a full queue refuses it (review_queue_full), nothing is evicted
 *   release  (a clean object on a `release: direct` channel) into the review queue already
 *            approved by the policy, so it leaves through guard-control's release pump like
 *            a reviewed one: exactly once, with its audit record
 * Each thread has its own libmagic handle, inspection scratch and SQLite connection.
 */
#ifndef SD_INSPECT_H
#define SD_INSPECT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "dp_shared.h"
#include "sd_job.h"
#include "sd_stats.h"

#define SD_MAX_THREADS 8

struct sd_inspect {
	struct dp_shared *sh;
	struct sd_stats *stats;
	struct sd_queue *queue;
	char db_path[256];
	unsigned int n;
	pthread_t thread[SD_MAX_THREADS];
	/**
	 * guardd is stopping: its memory (the audit ring) goes within seconds, so objects still
	 * waiting are dropped undecided (counted in abandoned) instead of inspected.
	 */
	atomic_bool abandon;
	_Atomic uint64_t abandoned;
	/** Held while a decision's audit record is handed to guardd; detached: no more. */
	pthread_mutex_t emit_lock;
	bool detached;
};

/** Start @p n threads. @return 0 or -1 with @p err set (none left running). */
int sd_inspect_start(struct sd_inspect *ins, struct dp_shared *sh, struct sd_stats *stats,
		     struct sd_queue *q, const char *db_path, unsigned int n, char *err,
		     size_t errlen);

/**
 * Let go of guardd's memory: from now on the threads hand no audit record over (a decision
 * still finishing counts in audit_lost). Returns once no thread is handing one over.
 */
void sd_inspect_detach(struct sd_inspect *ins);

/**
 * Close the queue and join the threads: they finish what is queued, or with
 * @p abandon (guardd is stopping) only the object each is deciding.
 */
void sd_inspect_stop(struct sd_inspect *ins, bool abandon);

#endif
