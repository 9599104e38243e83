/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whole decision on a TAK channel: protobuf wire reader, xmlDetail XML, labels, policy,
 * scan. The first input byte picks the framing (even: mesh on tak-mn, odd: stream on
 * tak-mn-stream) so that one corpus reaches both; the rest is the payload.
 */
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insp_result res;
	uint32_t ch;

	if (size < 1 || size > 65537)
		return 0;
	ch = fuzz_channel(data[0] & 1 ? "tak-mn-stream" : "tak-mn");
	insp_inspect(fuzz_policy, fuzz_scratch, ch, data + 1, size - 1, 1795342800000LL, &res);
	fuzz_check_result(&res);
	return 0;
}
