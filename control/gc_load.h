/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Loading the operator's policy file for a guardctl command, and finding things in it by
 * the names an operator types. Loading goes through policy_file_load() (tools/common),
 * the same reader the daemons use, so guardctl accepts exactly the files they accept.
 */
#ifndef GC_LOAD_H
#define GC_LOAD_H

#include <stddef.h>

#include "insp_err.h"
#include "insp_policy.h"

/**
 * Load @p path. On failure print the loader's "file:line:column: message" on stderr
 * (or a guardctl message naming @p cmd if the loader gave none), copy the report into
 * @p err when it is not NULL, and return NULL.
 */
struct insp_policy *gc_policy_load(const char *cmd, const char *path, struct insp_err *err);

/** Index of the channel called @p name, or -1. */
int gc_channel_find(const struct insp_policy *p, const char *name);

/** "cot-mn, cot-fvey" (or "none") into @p buf, for error messages. */
const char *gc_channel_names(const struct insp_policy *p, char *buf, size_t cap);

#endif
