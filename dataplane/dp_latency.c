/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Latency histogram: bucket edges, percentiles, reports. Off the fast path (main lcore,
 * telemetry thread, exit) and free of DPDK, so tests/unit/test_latency.c builds it alone.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dp_latency.h"

uint64_t
dp_lat_bucket_low(unsigned int i)
{
	unsigned int shift;

	if (i < 2u * DP_LAT_SUB)
		return i;
	if (i >= DP_LAT_BUCKETS)
		i = DP_LAT_BUCKETS - 1u;
	/* bucket i = (shift << SUB_BITS) + mantissa, mantissa in [SUB, 2 * SUB) */
	shift = (i >> DP_LAT_SUB_BITS) - 1u;
	return (uint64_t)((i & (DP_LAT_SUB - 1u)) + DP_LAT_SUB) << shift;
}

uint64_t
dp_lat_bucket_high(unsigned int i)
{
	unsigned int shift;

	if (i < 2u * DP_LAT_SUB)
		return (uint64_t)i + 1u;
	if (i >= DP_LAT_BUCKETS)
		i = DP_LAT_BUCKETS - 1u;
	shift = (i >> DP_LAT_SUB_BITS) - 1u;
	return (uint64_t)((i & (DP_LAT_SUB - 1u)) + DP_LAT_SUB + 1u) << shift;
}

uint64_t
dp_lat_count(const uint64_t *bucket)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < DP_LAT_BUCKETS; i++)
		n += bucket[i];
	return n;
}

uint64_t
dp_lat_quantile(const uint64_t *bucket, uint64_t max, uint32_t ppm)
{
	uint64_t count = dp_lat_count(bucket), rank, cum = 0, v;
	unsigned int i, last = 0;

	if (count == 0)
		return 0;
	if (ppm > 1000000u)
		ppm = 1000000u;
	/* rank = ceil(count * ppm / 10^6) without overflowing 64 bits, at least 1 */
	rank = count / 1000000u * ppm + ((count % 1000000u) * ppm + 999999u) / 1000000u;
	if (rank == 0)
		rank = 1;
	for (i = 0; i < DP_LAT_BUCKETS; i++)
		if (bucket[i] != 0)
			last = i;
	/* a max read before the bucket it belongs to (live reader): no lower than that bucket */
	if (max < dp_lat_bucket_low(last))
		max = dp_lat_bucket_low(last);
	for (i = 0; i < DP_LAT_BUCKETS; i++) {
		cum += bucket[i];
		if (cum >= rank)
			break;
	}
	v = dp_lat_bucket_high(i) - 1u;
	return v < max ? v : max;
}

double
dp_lat_ns(uint64_t cycles, uint64_t tsc_hz)
{
	if (tsc_hz == 0)
		return 0.0;
	return (double)cycles * 1e9 / (double)tsc_hz;
}

static uint64_t
lat_ns_round(uint64_t cycles, uint64_t tsc_hz)
{
	return (uint64_t)(dp_lat_ns(cycles, tsc_hz) + 0.5);
}

void
dp_lat_summarize(const struct dp_lat_hist *h, uint64_t tsc_hz, struct dp_lat_summary *out)
{
	uint64_t p999;

	memset(out, 0, sizeof(*out));
	out->count = dp_lat_count(h->bucket);
	if (out->count == 0)
		return;
	out->p50_ns = lat_ns_round(dp_lat_quantile(h->bucket, h->max, DP_LAT_P50), tsc_hz);
	out->p99_ns = lat_ns_round(dp_lat_quantile(h->bucket, h->max, DP_LAT_P99), tsc_hz);
	p999 = dp_lat_quantile(h->bucket, h->max, DP_LAT_P999);
	out->p999_ns = lat_ns_round(p999, tsc_hz);
	/* the max of a live read may lag its bucket: never below p99.9 */
	out->max_ns = lat_ns_round(h->max > p999 ? h->max : p999, tsc_hz);
}

void
dp_lat_report(const struct dp_lat_hist *release, const struct dp_lat_hist *drop, uint64_t tsc_hz,
	      struct dp_lat_report *out)
{
	unsigned int i;

	dp_lat_summarize(release, tsc_hz, &out->release);
	dp_lat_summarize(drop, tsc_hz, &out->drop);
	out->n_buckets = 0;
	for (i = 0; i < DP_LAT_BUCKETS; i++) {
		struct dp_lat_bucket *b;

		if (release->bucket[i] == 0)
			continue;
		b = &out->bucket[out->n_buckets++];
		b->low_ns = dp_lat_ns(dp_lat_bucket_low(i), tsc_hz);
		b->high_ns = dp_lat_ns(dp_lat_bucket_high(i), tsc_hz);
		b->count = release->bucket[i];
	}
}

void
dp_lat_print(FILE *f, const struct dp_lat_report *r)
{
	const struct dp_lat_summary *s = &r->release;

	if (s->count == 0) {
		fprintf(f, "latency rx to tx: no packet sent\n");
		return;
	}
	fprintf(f,
		"latency rx to tx, us: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (%" PRIu64
		" packets sent)\n",
		(double)s->p50_ns / 1e3, (double)s->p99_ns / 1e3, (double)s->p999_ns / 1e3,
		(double)s->max_ns / 1e3, s->count);
}
