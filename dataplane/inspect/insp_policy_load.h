/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Policy loader: YAML text (already read by the caller) to a compiled struct insp_policy.
 *
 * All or nothing: on any error nothing is returned and @p err holds exactly one message
 * "file:line:column: what is wrong" (unknown key, wrong type, unknown nation, group cycle,
 * duplicate channel, expression Hyperscan rejects with its reason, ...). Does no I/O.
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

#ifdef __cplusplus
}
#endif
#endif
