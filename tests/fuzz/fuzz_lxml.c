/* SPDX-License-Identifier: BSD-3-Clause */
/* Whole decision on a labelled-XML channel: XML parser, 4778 binding, 4774 label, scan. */
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insp_result res;
	uint32_t ch = fuzz_channel("lxml-mn");

	if (size > 65536)
		return 0;
	insp_inspect(fuzz_policy, fuzz_scratch, ch, data, size, 1795342800000LL, &res);
	fuzz_check_result(&res);
	return 0;
}
