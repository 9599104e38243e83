/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guard-control's review queue (docs/review.md): the reviewers' commands on the socket, and
 * the fast-path messages decided `review`, which the audit writer hands over here.
 *
 *   review list --state S [--json]     items in a state (a table, or JSON)
 *   review show ID [--json]            one item: label, types, findings, actions, and the
 *                                      extracted text with the matches marked [[...]]
 *   review approve|reject ID [--comment TEXT]
 *   review export ID                   JSON sidecar, file extension and base64 bytes, for
 *                                      guardctl to write as the user who asked
 *
 * Who is asking is the socket peer's uid (SO_PEERCRED), mapped to a reviewer name by the
 * running policy's review.reviewers; a uid that is not there may read the queue but not act
 * on it. The two-person rule and the other rules are the store's (rq_store.h); every action,
 * done or refused, is a command record in the audit log (gd_cmds.c) and a done one also a
 * "review" control record.
 *
 * Messages: the audit thread calls gd_review_take_message() for each fast-path review
 * decision; they are queued in memory (bounded) and submitted by the review intake thread in
 * batches, so a burst of reviews never stalls the audit writer behind fsync.
 */
#ifndef GD_REVIEW_H
#define GD_REVIEW_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dp_shared.h"
#include "gd_audit.h"
#include "gd_follow.h"
#include "gd_server.h"

struct rq_store;

/** Fast-path review messages waiting for the intake thread. */
#define GD_REVIEW_BACKLOG 4096

struct gd_review_msg;

struct gd_review {
	struct dp_shared *sh;
	struct gd_audit *audit;
	char db_path[256];
	struct rq_store *store;	 /**< the main thread's connection (commands) */
	struct gd_follow follow; /**< the running ruleset (reviewers, two-person level) */
	/* fast-path messages: the audit thread produces, the intake thread consumes */
	pthread_t intake;
	bool intake_started;
	atomic_bool stop;
	atomic_bool detached; /**< guardd's memory is off limits (gd_review_detach) */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct gd_review_msg *backlog[GD_REVIEW_BACKLOG];
	unsigned int head, n;
	_Atomic uint64_t msgs_queued, msgs_refused;
};

/**
 * Open (create) the queue at @p db_path and start the intake thread.
 * @return 0 or -1 with @p err set.
 */
int gd_review_open(struct gd_review *r, struct dp_shared *sh, struct gd_audit *audit,
		   const char *db_path, char *err, size_t errlen);

/**
 * From now on nothing of @p r touches guardd's shared state: the intake thread keeps the
 * ruleset it has. Called once the audit writer, which hands messages over, has let go.
 */
void gd_review_detach(struct gd_review *r);

/** Submit the messages still waiting (gd_review_detach() first), stop the thread, close. */
void gd_review_close(struct gd_review *r);

/**
 * Serve one `review ...` request (argv[0] is "review"). @p detail gets what the audit's
 * command record should say. @return the exit status (0, 1 refused, 2 usage).
 */
int gd_review_cmd(struct gd_review *r, const struct gd_peer *peer, int argc, char **argv, bool json,
		  FILE *out, char *detail, size_t detail_len);

/** From the audit thread: a fast-path decision of reason review (copied; never blocks). */
void gd_review_take_message(struct gd_review *r, const struct dp_audit_rec *rec);

#endif
