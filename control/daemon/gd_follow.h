/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A secondary process's own copy of the ruleset guardd runs: guard-slowpath decides objects
 * with it, guard-control reads the reviewers and the two-person level from it. guardd
 * publishes the running image's path and SHA-256 in its shared state (a seqlock); the
 * follower opens that file when the generation changes and uses it only if its SHA-256 is
 * the one guardd published, so a file replaced on disk since is never mistaken for the
 * running policy (the follower keeps its previous one and says why).
 *
 * Not thread-safe: one thread calls gd_follow_update(); whoever shares the policy with
 * other threads holds a reference (gd_follow_ref/gd_follow_unref): a replaced ruleset is
 * freed when its last reference goes.
 */
#ifndef GD_FOLLOW_H
#define GD_FOLLOW_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "dp_shared.h"
#include "insp_policy.h"

/** One opened ruleset (immutable; reference-counted). */
struct gd_rules {
	_Atomic uint32_t refs;
	uint64_t generation;
	char sha256[65];
	uint8_t *image;
	size_t image_len;
	const struct insp_policy *policy; /**< valid while a reference is held */
	void *rs;			  /**< struct rs_ruleset */
};

struct gd_follow {
	struct gd_rules *cur; /**< NULL: none yet (guardd runs no ruleset, or not readable) */
	uint64_t tried;	      /**< generation last tried (not retried every call) */
	int64_t tried_ms;
};

/**
 * Check guardd's generation; open the new one when it changed (retried at most once a second
 * while it fails). @return 1 changed (f->cur is the new one or NULL), 0 unchanged, -1 the
 * new one could not be opened (@p err says why; f->cur is still the old one).
 */
int gd_follow_update(struct gd_follow *f, const struct dp_shared *sh, int64_t now_ms, char *err,
		     size_t errlen);

/** A reference to the current ruleset (NULL if none). */
struct gd_rules *gd_follow_ref(struct gd_follow *f);

void gd_rules_unref(struct gd_rules *r);

/** Drop the follower's own reference. */
void gd_follow_close(struct gd_follow *f);

/** Index of the channel named @p name in @p p, or -1. */
int gd_channel_index(const struct insp_policy *p, const char *name);

#endif
