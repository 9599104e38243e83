/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Loading the operator's policy or ruleset image for a guardctl command, and finding things
 * in it by the names an operator types. A policy goes through the policy compiler
 * (control/policy) and then, like an image file, through rs_ruleset_open(): the path guardd
 * takes, so guardctl decides exactly as guardd would with the same image.
 */
#ifndef GC_LOAD_H
#define GC_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "insp_err.h"
#include "insp_policy.h"

/** What the last gc_policy_load() did, for summaries. */
struct gc_load_info {
	int from_image;	      /**< the file was an image (no compile) */
	int rs_error;	      /**< rs_ruleset_open()'s result */
	double parse_seconds; /**< compile: all but Hyperscan */
	double hs_seconds;    /**< compile: Hyperscan */
	uint32_t n_literals, n_regexes;
	size_t db_bytes;    /**< serialized databases (image) or compiled size */
	size_t image_bytes; /**< the image's size */
	uint8_t sha256[32]; /**< SHA-256 of the whole image file (sha256sum's) */
};

/**
 * Load @p path, a policy (compiled first) or a ruleset image (recognised by its magic).
 * On failure print the loader's "file:line:column: message" on stderr
 * (or a guardctl message naming @p cmd if the loader gave none), copy the report into
 * @p err when it is not NULL, and return NULL.
 */
struct insp_policy *gc_policy_load(const char *cmd, const char *path, struct insp_err *err);

const struct gc_load_info *gc_policy_load_info(void);

/** Does the regular file @p path start with the ruleset image magic? */
int gc_is_image(const char *path);

/** Free a policy from gc_policy_load(). */
void gc_policy_free(struct insp_policy *p);

/** Index of the channel called @p name, or -1. */
int gc_channel_find(const struct insp_policy *p, const char *name);

/** "cot-mn, cot-fvey" (or "none") into @p buf, for error messages. */
const char *gc_channel_names(const struct insp_policy *p, char *buf, size_t cap);

#endif
