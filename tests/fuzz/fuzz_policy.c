/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The policy compiler on arbitrary YAML (control/policy, pc_compile()): the text is the
 * policy, no term-file reader. Whatever compiles must open with rs_ruleset_open() exactly
 * as guardd opens it (an image the compiler writes and the loader refuses is a bug: abort),
 * and the hashes must be the ones the header and pc_image report. Everything freed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pc_policy.h"
#include "rs_ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pc_options opt = {.portable = 0, .created = 0};
	struct pc_image img;
	struct insp_err err;
	struct rs_ruleset rs;
	uint8_t sha[32];
	int rc;

	if (size > 256 * 1024)
		return 0;
	memset(&err, 0, sizeof(err));
	if (pc_compile((const char *)data, size, "fuzz.yaml", NULL, &opt, &img, &err) != 0) {
		/* refused: one message, terminated, and no image */
		if (img.bytes != NULL || err.msg[0] == '\0' ||
		    memchr(err.msg, '\0', sizeof(err.msg)) == NULL)
			abort();
		return 0;
	}
	/* the header's hash (its own field zeroed), and the file's as sha256sum sees it */
	rs_image_sha256(img.bytes, img.len, sha);
	if (memcmp(sha, ((const struct rs_image_header *)(const void *)img.bytes)->image_sha256,
		   sizeof(sha)) != 0)
		abort();
	rs_sha256(img.bytes, img.len, sha);
	if (memcmp(sha, img.sha256, sizeof(sha)) != 0)
		abort();
	rc = rs_ruleset_open(&rs, img.bytes, img.len, NULL, "fuzz", &err);
	if (rc != RS_OK) {
		fprintf(stderr, "fuzz_policy: a compiled image is refused: %s\n", err.msg);
		abort();
	}
	rs_ruleset_close(&rs);
	pc_image_free(&img);
	return 0;
}
