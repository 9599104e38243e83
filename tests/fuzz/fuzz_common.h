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
#include <string.h>

#include "insp_inspect.h"
#include "pc_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct insp_policy *fuzz_policy;
static struct insp_scratch *fuzz_scratch;

static void
fuzz_setup(void)
{
	struct insp_err err;

	if (fuzz_policy != NULL)
		return;
	fuzz_policy = pc_policy_load_file(GUARD_POLICY_PATH, &err);
	if (fuzz_policy == NULL) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	fuzz_scratch = insp_scratch_create(fuzz_policy, 65536);
	if (fuzz_scratch == NULL)
		abort();
}

/* Index of the sample policy's channel @p name (aborts if there is none). */
static inline uint32_t
fuzz_channel(const char *name)
{
	fuzz_setup();
	for (uint32_t i = 0; i < fuzz_policy->n_channels; i++)
		if (strcmp(fuzz_policy->channels[i].name, name) == 0)
			return i;
	fprintf(stderr, "fuzz: no channel '%s' in the sample policy\n", name);
	abort();
}

/*
 * The invariants every decision keeps, whatever the input: a known reason, and a drop
 * always says why in a NUL-terminated detail. abort() makes libFuzzer report the input.
 */
static inline void
fuzz_check_result(const struct insp_result *res)
{
	if ((unsigned)res->reason >= INSP_R_COUNT)
		abort();
	if (res->reason != INSP_R_RELEASE && res->detail[0] == '\0')
		abort();
	if (memchr(res->detail, '\0', sizeof(res->detail)) == NULL)
		abort();
}

#endif
