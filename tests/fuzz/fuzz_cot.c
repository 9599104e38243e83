/* SPDX-License-Identifier: BSD-3-Clause */
/* Whole decision on a CoT channel: XML parser, CoT rules, labels, policy, scan. */
#include <string.h>

#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insp_result res;

	fuzz_setup();
	if (size > 65536)
		return 0;
	insp_inspect(fuzz_policy, fuzz_scratch, 0, data, size, 1795342800000LL, &res);
	/* invariants: a known reason, a release never carries a parse error offset */
	if ((unsigned)res.reason >= INSP_R_COUNT)
		abort();
	if (res.reason != INSP_R_RELEASE && res.detail[0] == '\0')
		abort();
	if (memchr(res.detail, '\0', sizeof(res.detail)) == NULL)
		abort();
	return 0;
}
