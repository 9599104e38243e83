/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The object chunk header (insp_chunk.h) on its own: a refusal always says why ("object
 * chunk: ..."); an accepted chunk (version 1 or 2, a marking or a 4774 label) points inside
 * the datagram, keeps every rule, and the writer reproduces it byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "insp_chunk.h"

#define MAX_IN 70000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[MAX_IN];
	struct insp_chunk c;
	char det[160];
	enum insp_reason r;

	if (size > MAX_IN)
		return 0;
	r = insp_chunk_parse(data, size, &c, det, sizeof(det));
	if (r != INSP_R_RELEASE) {
		if (r != INSP_R_MALFORMED_MESSAGE || strncmp(det, "object chunk: ", 14) != 0)
			abort();
		return 0;
	}
	if (det[0] != '\0' || c.type < 1 || c.type > 4 || c.label_len == 0 ||
	    (c.version != 1 && c.version != 2) || c.label_4774 > 1 ||
	    (c.version == 1 && (c.label_4774 || c.label_len > INSP_CHUNK_LABEL_MAX_V1)) ||
	    c.label_len > INSP_CHUNK_LABEL_MAX ||
	    insp_chunk_label_check(c.label, c.label_len, c.label_4774, NULL) != 0 ||
	    c.originator_len > INSP_CHUNK_ORIGINATOR_MAX || c.object_id == 0 || c.count == 0 ||
	    c.count > INSP_CHUNK_COUNT_MAX || c.index >= c.count || c.total_len == 0 ||
	    c.total_len > INSP_CHUNK_TOTAL_MAX || c.count > c.total_len || c.data_len == 0 ||
	    (uint64_t)c.offset + c.data_len > c.total_len)
		abort();
	if (c.label != data + (c.version == 2 ? INSP_CHUNK_FIXED2 : INSP_CHUNK_FIXED) ||
	    c.originator != c.label + c.label_len || c.data != c.originator + c.originator_len ||
	    c.data + c.data_len != data + size)
		abort();
	if (insp_chunk_write(out, sizeof(out), &c) != size || memcmp(out, data, size) != 0)
		abort();
	return 0;
}
