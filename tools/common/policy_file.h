/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A policy from disk, for the programs (guardctl, guardd): the file I/O that
 * libguard-inspect leaves to its callers. Reads the policy file with stdio and hands
 * insp_policy_load_ex() a reader for the term files it names (prohibited_term_files),
 * whose relative paths are thereby taken from the policy file's directory.
 */
#ifndef GUARD_POLICY_FILE_H
#define GUARD_POLICY_FILE_H

#include <stddef.h>

#include "insp_err.h"
#include "insp_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest policy or term file read, bytes. */
#define POLICY_FILE_MAX_BYTES (64u << 20)

/**
 * struct insp_policy_io reader over stdio: the whole file at @p path into a malloc()ed
 * buffer (NUL-terminated for convenience, *len excludes the NUL). @p ctx is unused.
 * @return 0, or -1 with a reason in @p why (strerror text, or "larger than ... bytes").
 */
int policy_file_read(const char *path, char **text, size_t *len, char *why, size_t why_len,
		     void *ctx);

/**
 * Read, validate and compile the policy at @p path, term files included. Errors are
 * "PATH:LINE:COLUMN: message" (or "TERMFILE:LINE:1: message" inside a term file);
 * a policy file that cannot be read gives "PATH: cannot read the policy: reason".
 * @return the policy (free with insp_policy_free()) or NULL with @p err filled.
 */
struct insp_policy *policy_file_load(const char *path, struct insp_err *err);

#ifdef __cplusplus
}
#endif
#endif
