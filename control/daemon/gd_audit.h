/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guard-control's audit writer (GUARD-SPEC 8): one thread that drains the workers' records
 * from the shared ring, formats each as one JSON line chained to the previous one
 * (control/audit/au_chain.h), appends it to the log at once (a kill -9 loses nothing that was
 * dequeued and written) and makes it durable with fdatasync at least every
 * GD_AUDIT_SYNC_MS. Only then is it counted in dp_shared.audit_flushed: what is reported
 * flushed is on disk.
 *
 * The same thread keeps guard-control's heartbeat (dp_shared.control_heartbeat_ms): the
 * workers hand over records only while it is fresh, so a writer that is stuck (a full disk,
 * a failing write) stops the heartbeat and guardd fails closed (dp_audit.h). Once a second it
 * writes a summary record: releases per channel (the only release records in `summary`
 * mode), packets of no channel, and records the workers could not hand over.
 *
 * Other threads add command and control records with gd_audit_note_*(); the lock keeps the
 * chain in one order. Rotation: when the file passes rotate_bytes it is renamed to
 * FILE.<UTC time> and a new FILE starts whose first line chains to the old file's last.
 */
#ifndef GD_AUDIT_H
#define GD_AUDIT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "au_chain.h"
#include "dp_shared.h"

#define GD_AUDIT_SYNC_MS    20		   /**< fdatasync at least this often when writing */
#define GD_AUDIT_SUMMARY_MS 1000	   /**< summary records */
#define GD_AUDIT_ROTATE_DEF (256ull << 20) /**< default rotation size */

struct gd_audit {
	pthread_mutex_t lock;
	pthread_t thread;
	atomic_bool stop;
	bool started;
	struct dp_shared *sh;
	int fd;
	char path[4096];
	uint64_t rotate_bytes;
	off_t size;	       /**< bytes in the current file */
	struct au_chain chain; /**< where the chain stands (last line formatted) */
	FILE *ms;	       /**< batch buffer (open_memstream) */
	char *ms_buf;
	size_t ms_len;
	uint64_t unsynced; /**< records written but not yet fdatasync'ed */
	int64_t last_sync_ms;
	int64_t last_summary_ms;
	bool failing; /**< the last write or sync failed (heartbeat withheld) */
	/* figures for status */
	_Atomic uint64_t records; /**< lines written since this guard-control started */
	_Atomic uint64_t syncs;
	_Atomic uint64_t write_errors;
	char head_hex[AU_HEX_LEN + 1]; /**< head of the chain after the last sync */
	uint64_t head_seq;
	/**
	 * Called by the writer thread (holding the lock: it must not write records itself)
	 * for each fast-path decision of reason review after its record: the review queue's
	 * intake (gd_review.h). Records of guard-slowpath (lcore GD_AUDIT_SLOWPATH_LCORE) are
	 * not passed: the slow path queues its objects itself.
	 */
	void (*on_review)(void *ctx, const struct dp_audit_rec *rec);
	void *on_review_ctx;
};

/** The lcore field of the records guard-slowpath puts on the audit ring. */
#define GD_AUDIT_SLOWPATH_LCORE 0xffffu

/**
 * Open (or create, mode 0640) the log at @p path, resume its chain (an incomplete last line
 * left by a killed writer is cut off and said so), and write a "start" control record.
 * @return 0, or -1 with a message in @p err.
 */
int gd_audit_open(struct gd_audit *a, struct dp_shared *sh, const char *path, uint64_t rotate_bytes,
		  char *err, size_t errlen);

/** Start the writer thread. @return 0 or -errno. */
int gd_audit_start(struct gd_audit *a);

/** A command record: who (uid, pid), what, and how it ended ("ok", "refused", "error"). */
void gd_audit_note_command(struct gd_audit *a, uint32_t uid, int32_t pid, const char *command,
			   const char *result, const char *detail);

/** A control record (event "start", "stop", "rotate", "reload", ...). */
void gd_audit_note_control(struct gd_audit *a, const char *event, const char *detail);

/**
 * Let go of guardd's memory: stop the thread, stop the heartbeat, drain the ring into the
 * log and sync it. After it nothing of @p a touches guardd's shared state, so guardd may
 * free it; notes can still be written until gd_audit_close().
 */
void gd_audit_detach(struct gd_audit *a);

/** gd_audit_detach() if not done, then write a "stop" record, sync, close. */
void gd_audit_close(struct gd_audit *a);

/** The head of the chain as of the last sync (for status), and its seq. */
void gd_audit_head(struct gd_audit *a, char hex[AU_HEX_LEN + 1], uint64_t *seq);

#endif
