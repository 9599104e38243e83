/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Policy loader: YAML text (already read by the caller) to a compiled struct insp_policy.
 *
 * All or nothing: on any error nothing is returned and @p err holds exactly one message
 * "file:line:column: what is wrong" (unknown key, wrong type, unknown nation, group cycle,
 * duplicate channel, expression Hyperscan rejects with its reason, ...). Does no I/O:
 * term files are read through the caller's struct insp_policy_io (insp_policy_load_ex()).
 * The file format is documented in docs/policy.md.
 */
#ifndef INSP_POLICY_LOAD_H
#define INSP_POLICY_LOAD_H

#include <stddef.h>

#include "insp_err.h"
#include "insp_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Parse, validate and compile a policy.
 * @param text       YAML bytes (need not be NUL-terminated)
 * @param len        length of @p text
 * @param file_name  used only in error messages
 * @param err        filled on failure
 * @return the policy (free with insp_policy_free()) or NULL.
 */
struct insp_policy *insp_policy_load(const char *text, size_t len, const char *file_name,
				     struct insp_err *err);

/**
 * How the loader gets the term files a policy names (prohibited_term_files). The library
 * does no I/O itself: guardctl and guardd pass a stdio reader (tools/common/policy_file.h),
 * tests pass their own.
 */
struct insp_policy_io {
	/**
	 * Read the whole file at @p path (already joined to the policy file's directory when
	 * it was relative). On success return 0 with *text a malloc()ed buffer of *len bytes
	 * (need not be NUL-terminated; the loader free()s it). On failure return non-zero,
	 * leave *text NULL and put a short reason in @p why (e.g. strerror(errno)).
	 */
	int (*read_file)(const char *path, char **text, size_t *len, char *why, size_t why_len,
			 void *ctx);
	void *ctx; /**< passed to read_file unchanged */
};

/**
 * insp_policy_load() for policies that use term files.
 *
 * A relative term-file path is joined to the directory part of @p file_name (a string
 * operation: pass the policy's real path), then read through @p io. An error inside a term
 * file is reported as "TERMFILE:LINE:1: message" with TERMFILE that joined path.
 * insp_policy_load() is this with @p io NULL, which refuses policies naming term files.
 */
struct insp_policy *insp_policy_load_ex(const char *text, size_t len, const char *file_name,
					const struct insp_policy_io *io, struct insp_err *err);

#ifdef __cplusplus
}
#endif
#endif
