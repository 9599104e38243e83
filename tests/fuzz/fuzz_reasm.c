/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reassembly table (control/reasm/sp_reasm.h) under a sequence of chunk datagrams on
 * three channels with a clock that moves on. The input is a list of records, each
 *
 *   control byte: bits 0-1 channel (3 is channel 0 again), bits 2-4 clock step (0, 1, 10,
 *                 100, 300, 1000, 3000, 10000 ms), bit 5 run sp_reasm_expire() first,
 *                 bit 6 clear: a raw datagram follows, as 2 bytes big-endian length + bytes;
 *                 bit 6 set: a compact chunk follows, 11 bytes: id - 1 (1 byte), index,
 *                 count, total, offset (2 bytes each), data length (1), variant (1: type,
 *                 label, originator), written with insp_chunk_write() so that the fuzzer
 *                 reaches the table's logic quickly
 *
 * and every datagram goes through insp_chunk_parse() before the table sees it. Invariants
 * (abort() makes libFuzzer report the input): bytes and objects in flight within their
 * bounds; a complete object has exactly total_len bytes (and a NUL after them) and its
 * header as fed; refusals and drops carry a reason and a NUL-terminated detail; expired
 * objects are obj_incomplete; after expiring everything nothing is in flight.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_chunk.h"
#include "sp_reasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OBJECTS 4u
#define MAX_BYTES   100000u
#define TIMEOUT_MS  2000u
#define MAX_TOMBS   8u

static const uint32_t channel_max[3] = {1000, 20000, 65535};
static const int64_t steps[8] = {0, 1, 10, 100, 300, 1000, 3000, 10000};
static const char *const labels[4] = {"NATO UNCLASSIFIED", "NATO RESTRICTED",
				      "NATO UNCLASSIFIED REL TO USA, GBR", "DEU OFFEN"};
static const char *const origs[2] = {"", "alice@high"};

static void
check_result(const struct sp_reasm_result *res)
{
	if (memchr(res->detail, '\0', sizeof(res->detail)) == NULL)
		abort();
	switch (res->status) {
	case SP_REASM_PROGRESS:
		if (res->reason != INSP_R_RELEASE || res->obj.data != NULL)
			abort();
		break;
	case SP_REASM_COMPLETE:
		if (res->reason != INSP_R_RELEASE || res->obj.data == NULL ||
		    res->obj.len != res->obj.total_len || res->obj.len == 0 ||
		    res->obj.data[res->obj.len] != 0)
			abort();
		break;
	case SP_REASM_REFUSED:
	case SP_REASM_DROPPED:
		if (res->reason == INSP_R_RELEASE || (unsigned)res->reason >= INSP_R_COUNT ||
		    res->detail[0] == '\0' || res->obj.data != NULL)
			abort();
		break;
	default:
		abort();
	}
	if (memchr(res->obj.label, '\0', sizeof(res->obj.label)) == NULL ||
	    memchr(res->obj.originator, '\0', sizeof(res->obj.originator)) == NULL)
		abort();
}

static void
check_bounds(const struct sp_reasm *r)
{
	struct sp_reasm_stats s;

	sp_reasm_stats(r, &s);
	if (s.bytes_in_flight > MAX_BYTES || s.objects_in_flight > MAX_OBJECTS ||
	    s.tombstones > MAX_TOMBS || s.bytes_hwm > MAX_BYTES || s.objects_hwm > MAX_OBJECTS)
		abort();
	if ((s.objects_in_flight == 0) != (s.bytes_in_flight == 0))
		abort();
}

static void
on_expire(void *ctx, const struct sp_reasm_result *res)
{
	(void)ctx;
	check_result(res);
	if (res->status != SP_REASM_REFUSED || res->reason != INSP_R_OBJ_INCOMPLETE)
		abort();
}

static void
feed(struct sp_reasm *r, const uint8_t *dgram, size_t len, uint32_t channel, int64_t now)
{
	struct insp_chunk c;
	struct sp_reasm_result res;
	char detail[128];

	if (insp_chunk_parse(dgram, len, &c, detail, sizeof(detail)) != INSP_R_RELEASE)
		return;
	sp_reasm_feed(r, &c, channel, channel_max[channel], now, &res);
	check_result(&res);
	if (res.status == SP_REASM_COMPLETE) {
		if (res.obj.id != c.object_id || res.obj.channel != channel ||
		    res.obj.total_len != c.total_len || res.obj.count != c.count ||
		    res.obj.type != c.type || res.obj.label_4774 != c.label_4774 ||
		    strlen(res.obj.label) != c.label_len ||
		    memcmp(res.obj.label, c.label, c.label_len) != 0 ||
		    res.obj.total_len > channel_max[channel])
			abort();
		/* the last chunk's bytes are where it said */
		if (memcmp(res.obj.data + c.offset, c.data, c.data_len) != 0)
			abort();
		sp_reasm_object_free(&res.obj);
	}
	check_bounds(r);
}

/* A compact record into a datagram; 0 if the fields break a header rule. */
static size_t
compact(const uint8_t *p, uint8_t *out, size_t cap)
{
	static uint8_t pattern[256];
	struct insp_chunk c;
	uint8_t v = p[10];

	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + 1);
	memset(&c, 0, sizeof(c));
	c.object_id = (uint64_t)p[0] + 1;
	c.index = (uint32_t)p[1] << 8 | p[2];
	c.count = (uint32_t)p[3] << 8 | p[4];
	c.total_len = (uint32_t)p[5] << 8 | p[6];
	c.offset = (uint32_t)p[7] << 8 | p[8];
	c.data_len = p[9];
	c.type = (uint8_t)(v % 4 + 1);
	c.label = (const uint8_t *)labels[(v >> 2) & 3];
	c.label_len = (uint16_t)strlen(labels[(v >> 2) & 3]);
	c.label_4774 = (v >> 5) & 1; /* the same bytes as a 4774 label: version 2 */
	c.originator = (const uint8_t *)origs[(v >> 4) & 1];
	c.originator_len = (uint8_t)strlen(origs[(v >> 4) & 1]);
	c.data = pattern;
	return insp_chunk_write(out, cap, &c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_reasm_limits lim = {MAX_OBJECTS, MAX_BYTES, TIMEOUT_MS, MAX_TOMBS, 0x5eed};
	struct sp_reasm *r = sp_reasm_create(&lim);
	struct sp_reasm_stats s;
	uint8_t dgram[INSP_CHUNK_FIXED2 + 255 + 64 + 256];
	int64_t now = 0;
	size_t i = 0;

	if (r == NULL)
		abort();
	while (i < size) {
		uint8_t ctl = data[i++];
		uint32_t channel = (ctl & 3) % 3;

		now += steps[(ctl >> 2) & 7];
		if (ctl & 0x20) {
			sp_reasm_expire(r, now, on_expire, NULL);
			if (sp_reasm_next_deadline(r) <= now)
				abort();
			check_bounds(r);
		}
		if (ctl & 0x40) {
			size_t n;

			if (size - i < 11)
				break;
			n = compact(data + i, dgram, sizeof(dgram));
			i += 11;
			if (n > 0)
				feed(r, dgram, n, channel, now);
		} else {
			size_t len;

			if (size - i < 2)
				break;
			len = (size_t)data[i] << 8 | data[i + 1];
			i += 2;
			if (len > size - i)
				len = size - i;
			feed(r, data + i, len, channel, now);
			i += len;
		}
	}
	sp_reasm_expire(r, INT64_MAX, on_expire, NULL);
	sp_reasm_stats(r, &s);
	if (s.objects_in_flight != 0 || s.bytes_in_flight != 0 ||
	    sp_reasm_next_deadline(r) != INT64_MAX)
		abort();
	sp_reasm_destroy(r);
	return 0;
}
