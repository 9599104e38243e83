/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Shared set-up for the libFuzzer targets: the sample policy, loaded once (fuzzers are
 * test code, so a process-wide policy is fine here, unlike in the library).
 * GUARD_POLICY_PATH is set by tests/fuzz/meson.build.
 */
#ifndef GUARD_FUZZ_COMMON_H
#define GUARD_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "insp_inspect.h"
#include "policy_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct insp_policy *fuzz_policy;
static struct insp_scratch *fuzz_scratch;

static void
fuzz_setup(void)
{
	struct insp_err err;

	if (fuzz_policy != NULL)
		return;
	fuzz_policy = policy_file_load(GUARD_POLICY_PATH, &err);
	if (fuzz_policy == NULL) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	fuzz_scratch = insp_scratch_create(fuzz_policy, 65536);
	if (fuzz_scratch == NULL)
		abort();
}

#endif
