/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whole decision on an object channel (objects_out of the sample policy): the inspection
 * envelope of insp_obj.h (header lines, label, type, id, the text as one unit), then the
 * label, sharing and content steps.
 */
#include "fuzz_common.h"
#include "insp_chunk.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insp_result res;
	uint32_t ch = fuzz_channel("objects_out");

	if (size > 65536)
		return 0;
	insp_inspect(fuzz_policy, fuzz_scratch, ch, data, size, 1795342800000LL, &res);
	fuzz_check_result(&res);
	/* past the parse, the envelope named its object: 16 lowercase hex digits, not zero */
	if (res.reason != INSP_R_MALFORMED_MESSAGE) {
		if (strlen(res.uid) != 16 || strspn(res.uid, "0123456789abcdef") != 16 ||
		    strcmp(res.uid, "0000000000000000") == 0)
			abort();
	}
	return 0;
}
