/* SPDX-License-Identifier: BSD-3-Clause */
/* Frames: L2-L4 classification, then (if it gets that far) the decision and egress build. */
#include <string.h>

#include "fuzz_common.h"
#include "insp_net.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insp_flow flow;
	struct insp_result res;
	uint8_t hdr[INSP_EGRESS_HDR_MAX];
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};

	fuzz_setup();
	if (insp_net_classify(fuzz_policy, 0, data, size, 0, &flow) != INSP_R_RELEASE)
		return 0;
	if (flow.channel < 0 || flow.payload_offset + flow.payload_len > size)
		abort();
	if (insp_inspect(fuzz_policy, fuzz_scratch, (uint32_t)flow.channel,
			 data + flow.payload_offset, flow.payload_len, 1795342800000LL,
			 &res) == INSP_R_RELEASE) {
		const struct insp_egress *e = &fuzz_policy->channels[flow.channel].egress;

		insp_egress_build(e, mac, 1, e->dscp, hdr, flow.payload_len, flow.payload_sum);
	}
	return 0;
}
