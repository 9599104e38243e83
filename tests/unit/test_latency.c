/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guardd's latency histogram (dataplane/dp_latency.h), built without DPDK:
 *  a) buckets: every value lands in a bucket whose edges hold it; the buckets tile the range
 *     without gaps or overlaps; above 64 cycles a bucket is at most 1/32 of its lower edge
 *     wide; values past the range go into the last bucket;
 *  b) quantiles against the exact ones of known distributions (uniform, two clusters, one
 *     value, a heavy tail): never below the true value, at most one bucket width above it,
 *     ordered p50 <= p99 <= p99.9 <= max; rank rounding at small counts; an empty histogram;
 *  c) summaries in ns at a given TSC frequency and the report's non-empty buckets, which add
 *     up to the count; the per-worker sum (dp_lat_hist_add) and dp_lat_record's max.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp_latency.h"
#include "test.h"

static struct dp_latency lat; /* one worker's, as the fast path records */

static void
hist_from(struct dp_lat_hist *h, const struct dp_latency *w)
{
	memset(h, 0, sizeof(*h));
	dp_lat_hist_add(h, w);
}

static void
lat_reset(void)
{
	memset(&lat, 0, sizeof(lat));
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* exact quantile of the sorted @p v (n values): the value of rank ceil(n * ppm / 10^6) */
static uint64_t
exact_quantile(const uint64_t *v, size_t n, uint32_t ppm)
{
	uint64_t rank = ((uint64_t)n * ppm + 999999u) / 1000000u;

	if (rank == 0)
		rank = 1;
	return v[rank - 1];
}

/* record @p n values and check p50/p99/p99.9 against the exact ones */
static void
check_dist(const char *name, uint64_t *v, size_t n)
{
	static const uint32_t ppm[] = {DP_LAT_P50, DP_LAT_P99, DP_LAT_P999, 1000000u};
	struct dp_lat_hist h;
	uint64_t got[4], want, prev = 0;
	size_t i;
	int ok = 1;

	lat_reset();
	for (i = 0; i < n; i++)
		dp_lat_record(&lat, v[i], 1);
	qsort(v, n, sizeof(*v), cmp_u64);
	hist_from(&h, &lat);
	CHECK(dp_lat_count(h.bucket) == n && h.max == v[n - 1], "%s: count %zu, max %" PRIu64, name,
	      n, v[n - 1]);
	for (i = 0; i < 4; i++) {
		uint64_t width;

		want = exact_quantile(v, n, ppm[i]);
		got[i] = dp_lat_quantile(h.bucket, h.max, ppm[i]);
		width = dp_lat_bucket_high(dp_lat_index(want)) -
			dp_lat_bucket_low(dp_lat_index(want));
		if (got[i] < want || got[i] - want >= width || got[i] < prev) {
			printf("#   %s: ppm %u: got %" PRIu64 ", exact %" PRIu64
			       ", bucket width %" PRIu64 "\n",
			       name, ppm[i], got[i], want, width);
			ok = 0;
		}
		prev = got[i];
	}
	CHECK(ok,
	      "%s: p50 %" PRIu64 " p99 %" PRIu64 " p99.9 %" PRIu64 " max %" PRIu64
	      ": within one bucket above the exact quantiles, ordered",
	      name, got[0], got[1], got[2], got[3]);
	CHECK(got[3] == v[n - 1], "%s: the 100th percentile is the max", name);
}

static void
test_buckets(void)
{
	unsigned int i, bad = 0, wide = 0;
	uint64_t v;

	CHECK(DP_LAT_BUCKETS == 1024, "1024 buckets (%u)", DP_LAT_BUCKETS);
	CHECK(dp_lat_bucket_low(0) == 0 && dp_lat_bucket_high(0) == 1, "bucket 0 is [0, 1)");
	for (i = 0; i + 1 < DP_LAT_BUCKETS; i++)
		if (dp_lat_bucket_high(i) != dp_lat_bucket_low(i + 1) ||
		    dp_lat_bucket_low(i) >= dp_lat_bucket_high(i))
			bad++;
	CHECK(bad == 0, "the buckets tile [0, 2^36) without gap or overlap (%u bad)", bad);
	CHECK(dp_lat_bucket_high(DP_LAT_BUCKETS - 1) == UINT64_C(1) << 36,
	      "the last bucket ends at 2^36 cycles (%" PRIu64 ")",
	      dp_lat_bucket_high(DP_LAT_BUCKETS - 1));
	for (i = 2 * DP_LAT_SUB; i < DP_LAT_BUCKETS; i++)
		if ((dp_lat_bucket_high(i) - dp_lat_bucket_low(i)) * DP_LAT_SUB >
		    dp_lat_bucket_low(i))
			wide++;
	CHECK(wide == 0, "from 64 cycles up a bucket is at most 1/32 of its lower edge wide");

	/* every value in [0, 70000), then a geometric walk up to 2^36, lands within its edges */
	bad = 0;
	for (v = 0; v < 70000; v++) {
		i = dp_lat_index(v);
		if (i >= DP_LAT_BUCKETS || v < dp_lat_bucket_low(i) || v >= dp_lat_bucket_high(i))
			bad++;
	}
	for (v = 70000; v < UINT64_C(1) << 36; v += v / 7 + 1) {
		uint64_t w[3] = {v - 1, v, v + 1};
		unsigned int k;

		for (k = 0; k < 3; k++) {
			i = dp_lat_index(w[k]);
			if (i >= DP_LAT_BUCKETS || w[k] < dp_lat_bucket_low(i) ||
			    w[k] >= dp_lat_bucket_high(i))
				bad++;
		}
	}
	for (i = 0; i < DP_LAT_BUCKETS; i++) {
		if (dp_lat_index(dp_lat_bucket_low(i)) != i ||
		    dp_lat_index(dp_lat_bucket_high(i) - 1) != i)
			bad++;
	}
	CHECK(bad == 0, "each value lands in the bucket whose edges hold it (%u bad)", bad);
	CHECK(dp_lat_index(UINT64_C(1) << 36) == DP_LAT_BUCKETS - 1 &&
		      dp_lat_index(UINT64_MAX) == DP_LAT_BUCKETS - 1,
	      "values past the range go into the last bucket");
	CHECK(dp_lat_index(63) == 63 && dp_lat_index(64) == 64 && dp_lat_index(65) == 64 &&
		      dp_lat_index(66) == 65 && dp_lat_index(128) == 96,
	      "indexes around the first doubling: 63->63 64->64 65->64 66->65 128->96");
}

static void
test_quantiles(void)
{
	enum { N = 100000 };
	uint64_t *v = malloc(N * sizeof(*v));
	uint64_t bucket[DP_LAT_BUCKETS] = {0};
	uint64_t seed = 12345;
	size_t i;

	if (v == NULL) {
		CHECK(0, "malloc");
		return;
	}
	/* uniform 1 .. 100000 cycles (exact quantiles 50000, 99000, 99900) */
	for (i = 0; i < N; i++)
		v[i] = i + 1;
	check_dist("uniform 1..100000", v, N);
	/* two clusters: 90 % near 10 us, 10 % near 200 us (at 2 GHz) */
	for (i = 0; i < N; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		v[i] = (i % 10 == 0 ? 400000 : 20000) + (seed >> 33) % 2000;
	}
	check_dist("two clusters", v, N);
	/* heavy tail: 1 in 1000 is 1000x slower */
	for (i = 0; i < N; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		v[i] = 3000 + (seed >> 33) % 500 + (i % 1000 == 7 ? 3000000 : 0);
	}
	check_dist("heavy tail", v, N);
	/* small counts: the rank rounds up (3 values: p50 is the 2nd, p99 the 3rd) */
	v[0] = 10;
	v[1] = 20;
	v[2] = 30;
	check_dist("three values", v, 3);
	/* one value: every percentile is that value (capped at max) */
	v[0] = 123456;
	check_dist("one value", v, 1);
	free(v);

	CHECK(dp_lat_quantile(bucket, 0, DP_LAT_P50) == 0, "an empty histogram gives 0");
	/* counts that would overflow count * ppm in 64 bits */
	bucket[dp_lat_index(1000)] = UINT64_C(1) << 62;
	bucket[dp_lat_index(5000)] = UINT64_C(1) << 50;
	CHECK(dp_lat_quantile(bucket, 5000, DP_LAT_P999) ==
		      dp_lat_bucket_high(dp_lat_index(1000)) - 1,
	      "2^62 + 2^50 counts: no overflow in the rank");
	CHECK(dp_lat_quantile(bucket, 5000, 1000000u) == 5000 &&
		      dp_lat_quantile(bucket, 5000, 2000000u) == 5000,
	      "ppm 10^6 (and above) is the max");
	/* a live read whose max lags its bucket: never below that bucket */
	memset(bucket, 0, sizeof(bucket));
	bucket[dp_lat_index(9000)] = 5;
	CHECK(dp_lat_quantile(bucket, 100, DP_LAT_P50) >= dp_lat_bucket_low(dp_lat_index(9000)),
	      "a max that lags its bucket is raised to the bucket");
}

static void
test_report(void)
{
	static struct dp_lat_report rep;
	struct dp_lat_hist rel, drop, two;
	uint64_t hz = 2000000000u, sum = 0;
	unsigned int i;
	int ordered = 1;

	/* 2 GHz: 2000 cycles are 1000 ns */
	CHECK(dp_lat_ns(2000, hz) == 1000.0 && dp_lat_ns(5, 0) == 0.0, "cycles to ns at 2 GHz");
	lat_reset();
	dp_lat_record(&lat, 2000, 30);	/* 1 us, a burst of 30 */
	dp_lat_record(&lat, 20000, 9);	/* 10 us */
	dp_lat_record(&lat, 200000, 1); /* 100 us: the max */
	hist_from(&rel, &lat);
	CHECK(rel.max == 200000, "max is the largest value recorded");
	memset(&drop, 0, sizeof(drop));
	dp_lat_report(&rel, &drop, hz, &rep);
	CHECK(rep.release.count == 40, "count 40 (%" PRIu64 ")", rep.release.count);
	CHECK(rep.release.p50_ns >= 1000 && rep.release.p50_ns < 1032,
	      "p50 is the 1 us bucket (%" PRIu64 " ns)", rep.release.p50_ns);
	CHECK(rep.release.p99_ns == 100000 && rep.release.p999_ns == 100000 &&
		      rep.release.max_ns == 100000,
	      "p99, p99.9 and max are the 100 us packet (capped at max): %" PRIu64 " %" PRIu64
	      " %" PRIu64,
	      rep.release.p99_ns, rep.release.p999_ns, rep.release.max_ns);
	CHECK(rep.drop.count == 0 && rep.drop.p50_ns == 0 && rep.drop.max_ns == 0,
	      "an empty drop histogram reports zeros");
	CHECK(rep.n_buckets == 3, "three non-empty buckets (%u)", rep.n_buckets);
	for (i = 0; i < rep.n_buckets; i++) {
		sum += rep.bucket[i].count;
		if (rep.bucket[i].low_ns >= rep.bucket[i].high_ns ||
		    (i > 0 && rep.bucket[i].low_ns < rep.bucket[i - 1].high_ns))
			ordered = 0;
	}
	CHECK(sum == rep.release.count && ordered,
	      "the buckets add up to the count and are in order, lowest first");
	CHECK(rep.bucket[0].low_ns <= 1000.0 && rep.bucket[0].high_ns > 1000.0 &&
		      rep.bucket[0].count == 30,
	      "the first bucket holds 1000 ns: [%.1f, %.1f) x %" PRIu64, rep.bucket[0].low_ns,
	      rep.bucket[0].high_ns, rep.bucket[0].count);

	/* two workers summed: counts add, max is the larger */
	memset(&two, 0, sizeof(two));
	dp_lat_hist_add(&two, &lat);
	lat_reset();
	dp_lat_record(&lat, 2000, 10);
	dp_lat_record(&lat, 300000, 2);
	dp_lat_hist_add(&two, &lat);
	CHECK(dp_lat_count(two.bucket) == 52 && two.max == 300000 &&
		      two.bucket[dp_lat_index(2000)] == 40,
	      "two workers: 52 packets, max 300000 cycles, 40 in the 1 us bucket");
	dp_lat_summarize(&two, hz, &rep.release);
	CHECK(rep.release.p50_ns <= rep.release.p99_ns &&
		      rep.release.p99_ns <= rep.release.p999_ns &&
		      rep.release.p999_ns <= rep.release.max_ns && rep.release.max_ns == 150000,
	      "ordered, max 150 us");
}

int
main(void)
{
	test_buckets();
	test_quantiles();
	test_report();
	return test_done();
}
