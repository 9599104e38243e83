/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * `policy load`: compile off the dataplane, publish, wait for every worker.
 *
 *   1. a child process, running with the requesting operator's uid, gid and groups (so it
 *      reads only what that operator may read), compiles the policy with the compiler
 *      library (or reads an image as it is) and sends the image bytes back on a pipe;
 *   2. guard-control keeps the image in its state directory (gen-<time>-<sha>.rules, written
 *      atomically) and points `current.rules` at it, for guardd's next start; the
 *      GD_KEEP_IMAGES newest images are kept (to go back to one), older ones removed;
 *   3. it asks guardd (rte_mp DP_MP_RELOAD) to load it; guardd answers once every worker
 *      runs the new generation (dp_reload.h), or with the loader's refusal.
 * A policy that does not compile changes nothing; the compiler's file:line:column message
 * goes back to the operator.
 */
#ifndef GD_LOAD_H
#define GD_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "gd_server.h"

#define GD_KEEP_IMAGES 8

struct gd_load_result {
	uint64_t generation;
	double compile_s;  /**< child: read, parse and compile (0 for an image) */
	uint32_t load_us;  /**< guardd: read, check and deserialise the image, scratch */
	uint32_t swap_us;  /**< guardd: publish until the last worker took it (their stamps) */
	uint32_t grace_us; /**< guardd: publish until the old one could be freed */
	char image[4096];  /**< the image kept in the state directory */
	char sha256[65];   /**< of the image */
	char msg[1024];	   /**< refusal or warning */
};

/**
 * Load @p path (a policy or an image) for @p peer.
 * @return 0 loaded, 1 refused (compile error or guardd refused), -1 failure (msg says).
 */
int gd_load(const char *state_dir, const char *path, const struct gd_peer *peer,
	    unsigned int compile_seconds, struct gd_load_result *res);

#endif
