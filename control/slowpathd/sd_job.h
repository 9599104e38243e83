/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * One reassembled object on its way from guard-slowpath's intake (sd_intake.h) to an
 * inspection thread (sd_inspect.h), and the bounded queue between them.
 *
 * The queue is bounded in objects and in bytes; when either bound is reached a new object
 * is refused (obj_busy, "inspection backlog full") rather than waited for: the intake must
 * keep draining guardd's ring, and memory must stay bounded whatever senders do.
 */
#ifndef SD_JOB_H
#define SD_JOB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "gd_follow.h"
#include "insp_chunk.h"
#include "insp_policy.h"

struct sd_job {
	struct sd_job *next;
	struct gd_rules *rules; /**< the ruleset it is decided with (a reference) */
	uint8_t *data;		/**< the object's bytes (owned) */
	size_t len;
	uint64_t id;
	uint16_t row; /**< counter row: the channel's name */
	char channel[INSP_NAME_MAX];
	uint8_t declared_type;
	uint8_t label_4774; /**< 1: label is a STANAG 4774 label (XML), 0: a marking */
	char label[INSP_CHUNK_LABEL_MAX + 1];
	char originator[65];
	int64_t first_ms; /**< its first chunk's arrival */
	int64_t done_ms;  /**< reassembled */
};

struct sd_queue {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct sd_job *head, *tail;
	uint32_t n, max_n;
	uint64_t bytes, max_bytes;
	bool closed;
};

void sd_queue_init(struct sd_queue *q, uint32_t max_n, uint64_t max_bytes);

/** Append @p j. @return 0, or -1 if a bound is reached or the queue is closed (j not taken). */
int sd_queue_push(struct sd_queue *q, struct sd_job *j);

/** Wait for a job; NULL once the queue is closed and empty. */
struct sd_job *sd_queue_pop(struct sd_queue *q);

/** No more pushes; poppers drain what is there, then get NULL. */
void sd_queue_close(struct sd_queue *q);

void sd_job_free(struct sd_job *j);

#endif
