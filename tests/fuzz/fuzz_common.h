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
#include "insp_policy_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct insp_policy *fuzz_policy;
static struct insp_scratch *fuzz_scratch;

static void
fuzz_setup(void)
{
	struct insp_err err;
	FILE *f;
	long n;
	char *text;

	if (fuzz_policy != NULL)
		return;
	f = fopen(GUARD_POLICY_PATH, "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "fuzz: cannot read %s\n", GUARD_POLICY_PATH);
		abort();
	}
	text = malloc((size_t)n);
	if (text == NULL || fread(text, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	fuzz_policy = insp_policy_load(text, (size_t)n, GUARD_POLICY_PATH, &err);
	free(text);
	if (fuzz_policy == NULL) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	fuzz_scratch = insp_scratch_create(fuzz_policy, 65536);
	if (fuzz_scratch == NULL)
		abort();
}

#endif
