/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guard-control's state and the commands it serves on its socket (gd_server.h):
 *
 *   status [--json]          guardd, ruleset generation, audit chain, workers, ports, rates
 *   stats [--json]           counters per channel and reason, per lcore
 *   policy load FILE         compile (as the asking operator) and publish (gd_load.h)
 *   policy show [--json]     the running generation
 *   audit head               seq and hash of the last flushed line, and the log's path
 *   review ...               the review queue (gd_review.h)
 *
 * Every request, accepted or refused, becomes a command record in the audit log.
 */
#ifndef GD_CMDS_H
#define GD_CMDS_H

#include <stdio.h>

#include "dp_shared.h"
#include "gd_audit.h"
#include "gd_pump.h"
#include "gd_review.h"
#include "gd_server.h"

struct gd_ctx {
	struct dp_shared *sh;
	struct gd_audit audit;
	struct gd_server server;
	struct gd_review review; /**< the review queue: commands and fast-path messages */
	struct gd_pump pump;	 /**< approved items -> the dataplane */
	const char *state_dir;
	unsigned int compile_seconds;
	/* rates over the last second (gd_cmds_tick) */
	int64_t rate_ms;
	uint64_t last_rx, last_rel, last_drop;
	double rx_rate, rel_rate, drop_rate;
};

/** gd_handler for gd_server_serve(). */
int gd_cmds_handle(void *ctx, const struct gd_peer *peer, int argc, char **argv, FILE *out);

/** gd_refused for gd_server_serve(). */
void gd_cmds_refused(void *ctx, const struct gd_peer *peer, const char *why);

/** Once a second: update the rates shown by status. */
void gd_cmds_tick(struct gd_ctx *c);

#endif
