/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Writing a ruleset image (rs_image.h) from what the compiler built.
 */
#ifndef PC_IMAGE_H
#define PC_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include <hs/hs.h>

#include "insp_policy.h"
#include "rs_image.h"

/** Everything an image holds besides the policy's own arrays. */
struct pc_image_parts {
	const struct insp_policy *p;		/**< arrays on the heap, strings = the pool */
	const hs_database_t *regex_db, *lit_db; /**< either may be NULL */
	const struct rs_input *inputs;
	uint32_t n_inputs;
	int64_t created;
	uint32_t options;		/**< RS_OPT_* */
	const hs_platform_info_t *plat; /**< what the databases were built for */
};

/**
 * Lay the image out. On success *bytes (aligned to RS_IMAGE_ALIGN, free()) and *len are set
 * and @p sha256 holds the SHA-256 of the whole file (what sha256sum prints). Returns 0, or -1 with
 * @p why set.
 */
int pc_image_write(const struct pc_image_parts *parts, uint8_t **bytes, size_t *len,
		   uint8_t sha256[32], char *why, size_t why_len);

#endif
