/* SPDX-License-Identifier: BSD-3-Clause */
/* The marking-string grammar on its own (short inputs reach every branch quickly). */
#include <stdint.h>
#include <stdlib.h>

#include "insp_label.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insp_label l;
	const char *why = NULL;

	if (size > 4096)
		return 0;
	if (insp_label_parse_marking(data, (uint32_t)size, &l, &why) == 0) {
		/* accepted: every span lies inside the input */
		if (l.policy.p < data || l.classification.p + l.classification.len > data + size)
			abort();
		for (uint32_t i = 0; i < l.n_rel; i++)
			if (l.rel[i].p < data || l.rel[i].p + l.rel[i].len > data + size)
				abort();
	} else if (why == NULL) {
		abort();
	}
	return 0;
}
