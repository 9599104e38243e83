/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * In-guard latency: a log-linear histogram of TSC cycles per worker lcore, and the
 * percentiles computed from it off the fast path. The whole contract of the module; nothing
 * here needs DPDK (the caller reads the TSC and passes its frequency), so the bucket and
 * percentile arithmetic is unit-tested without it (tests/unit/test_latency.c).
 *
 * What a worker records (dp_worker.c): one rte_rdtsc() right after an rx burst that returned
 * packets, one after the tx flush that follows the handling of that burst, and the difference
 * once per packet of the burst that the driver accepted (dp_lat_record() with n = packets
 * sent). All packets of a burst are received by the same rx_burst call and leave by the
 * same tx_burst call (per egress port; the tx buffers are flushed after every burst), so
 * the one difference is every such packet's time inside guardd: decision of the whole burst
 * (the packets before and after it in the burst included), re-origination and the tx burst
 * (for memif, the copy into the shared ring). Not included: the time a packet waited in the
 * device's rx ring before the rx burst that took it, and the rx burst itself. Drops of the
 * burst (freed, not sent) are recorded with the same difference in a second histogram.
 * That is the --egress-direct path. With priority egress (the default, dp_egress.h) a
 * released packet waits in its class queue: worker 0 records each packet's own difference
 * (its rx burst's TSC travels with it) when the driver takes it, queueing included.
 *
 * Buckets (HDR style): values below 2 * DP_LAT_SUB cycles have a bucket each; above, every
 * power of two [2^k, 2^(k+1)) is cut into DP_LAT_SUB equal buckets, so a bucket is at most
 * 1/DP_LAT_SUB (3.1 %) of its lower edge wide. The last bucket also takes every value above
 * the range (2^36 cycles: 23 s at 3 GHz); the exact largest value is kept apart (max).
 *
 * Sharing: struct dp_latency lives in the worker's struct dp_lcore_stats (dp_lcore.h) and
 * follows its contract: one writer (the worker; relaxed load + store, no locked
 * instruction), readers anywhere with relaxed loads. A reader summing while the worker
 * records may see a burst in the buckets but not yet in max (or the reverse): the summary
 * functions tolerate it; the report at exit, after the workers stopped, is exact.
 */
#ifndef DP_LATENCY_H
#define DP_LATENCY_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DP_LAT_SUB_BITS 5u
#define DP_LAT_SUB	(1u << DP_LAT_SUB_BITS) /**< linear buckets per power of two */
/** Highest power of two with buckets of its own: 2^35 <= v < 2^36 cycles. */
#define DP_LAT_TOP_BIT 35u
#define DP_LAT_BUCKETS ((DP_LAT_TOP_BIT - DP_LAT_SUB_BITS + 2u) << DP_LAT_SUB_BITS) /* 1024 */

/** Percentiles the reports give, in parts per million. */
#define DP_LAT_P50  500000u
#define DP_LAT_P99  990000u
#define DP_LAT_P999 999000u

/** One worker's histogram (in its struct dp_lcore_stats; one writer). */
struct dp_latency {
	_Atomic uint64_t bucket[DP_LAT_BUCKETS]; /**< packets per bucket of cycles */
	_Atomic uint64_t max;			 /**< largest value recorded, cycles */
};

/** Histograms summed over workers (plain numbers, off the fast path). */
struct dp_lat_hist {
	uint64_t bucket[DP_LAT_BUCKETS];
	uint64_t max; /**< cycles */
};

/** Bucket of @p cycles (values past the range go into the last bucket). */
static inline unsigned int
dp_lat_index(uint64_t cycles)
{
	unsigned int shift, i;

	if (cycles < 2u * DP_LAT_SUB)
		return (unsigned int)cycles;
	/* cycles >> shift is in [DP_LAT_SUB, 2 * DP_LAT_SUB) */
	shift = 63u - (unsigned int)__builtin_clzll(cycles) - DP_LAT_SUB_BITS;
	if (shift > DP_LAT_TOP_BIT - DP_LAT_SUB_BITS)
		return DP_LAT_BUCKETS - 1u;
	i = (shift << DP_LAT_SUB_BITS) + (unsigned int)(cycles >> shift);
	return i;
}

/**
 * Fast path: @p n packets took @p cycles each. A load and a store of one bucket and a
 * compare with max: no lock, no system call, no allocation.
 */
static inline void
dp_lat_record(struct dp_latency *h, uint64_t cycles, uint64_t n)
{
	_Atomic uint64_t *b = &h->bucket[dp_lat_index(cycles)];

	atomic_store_explicit(b, atomic_load_explicit(b, memory_order_relaxed) + n,
			      memory_order_relaxed);
	if (cycles > atomic_load_explicit(&h->max, memory_order_relaxed))
		atomic_store_explicit(&h->max, cycles, memory_order_relaxed);
}

/** Add one worker's histogram to @p sum (relaxed reads; any thread). */
static inline void
dp_lat_hist_add(struct dp_lat_hist *sum, const struct dp_latency *h)
{
	uint64_t m = atomic_load_explicit(&h->max, memory_order_relaxed);
	unsigned int i;

	for (i = 0; i < DP_LAT_BUCKETS; i++)
		sum->bucket[i] += atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
	if (m > sum->max)
		sum->max = m;
}

/** Lower edge of bucket @p i, cycles (inclusive). */
uint64_t dp_lat_bucket_low(unsigned int i);

/** Upper edge of bucket @p i, cycles (exclusive; the last bucket also holds what is above). */
uint64_t dp_lat_bucket_high(unsigned int i);

/** Sum of the DP_LAT_BUCKETS counts of @p bucket. */
uint64_t dp_lat_count(const uint64_t *bucket);

/**
 * The @p ppm-th per-million quantile of the histogram @p bucket (DP_LAT_BUCKETS counts) whose
 * largest value is @p max, in cycles: the highest value of the first bucket at which the
 * running count reaches ceil(count * ppm / 10^6), but never more than @p max (so it is at most
 * one bucket width, 1/32, above the true quantile and p50 <= p99 <= p99.9 <= max). 0 for an
 * empty histogram; @p ppm 0 is taken as the smallest value, above 10^6 as 10^6.
 */
uint64_t dp_lat_quantile(const uint64_t *bucket, uint64_t max, uint32_t ppm);

/** @p cycles in nanoseconds at @p tsc_hz (0 if tsc_hz is 0). */
double dp_lat_ns(uint64_t cycles, uint64_t tsc_hz);

/** Count and percentiles of one histogram, nanoseconds rounded to the nearest. */
struct dp_lat_summary {
	uint64_t count;
	uint64_t p50_ns;
	uint64_t p99_ns;
	uint64_t p999_ns;
	uint64_t max_ns;
};

/** One non-empty bucket, its edges in nanoseconds. */
struct dp_lat_bucket {
	double low_ns;
	double high_ns;
	uint64_t count;
};

/**
 * What the --stats-file (dp_stats_write(), format in dp_stats.h) and the /guard/latency
 * telemetry command show; computed by dp_lat_report(), off the fast path.
 */
struct dp_lat_report {
	struct dp_lat_summary release; /**< rx to tx of released packets the driver accepted */
	struct dp_lat_summary drop;    /**< rx to the end of their burst, dropped packets */
	uint32_t n_buckets;	       /**< non-empty buckets of release, in bucket[] */
	struct dp_lat_bucket bucket[DP_LAT_BUCKETS];
};

#define DP_LAT_FIELDS 10 /**< figures of a report: five for releases, five for drops */

/** One figure of a report, under the name the stats file and /guard/latency give it. */
struct dp_lat_field {
	const char *name; /**< "count", "p50_ns", ..., "drop_max_ns" */
	uint64_t value;
};

/**
 * The ten figures of @p r in report order (count, p50_ns, p99_ns, p999_ns, max_ns, then the
 * same with "drop_"): one list for every place that shows them. Inline, so that readers
 * that do not link dp_latency.c (guard-control builds dp_stats.c) can use it.
 */
static inline void
dp_lat_fields(const struct dp_lat_report *r, struct dp_lat_field f[DP_LAT_FIELDS])
{
	static const char *const names[DP_LAT_FIELDS] = {
		"count",      "p50_ns",	     "p99_ns",	    "p999_ns",	    "max_ns",
		"drop_count", "drop_p50_ns", "drop_p99_ns", "drop_p999_ns", "drop_max_ns",
	};
	const struct dp_lat_summary *s[2] = {&r->release, &r->drop};
	unsigned int i, k;

	for (i = 0; i < 2; i++) {
		const uint64_t v[5] = {s[i]->count, s[i]->p50_ns, s[i]->p99_ns, s[i]->p999_ns,
				       s[i]->max_ns};

		for (k = 0; k < 5; k++) {
			f[5 * i + k].name = names[5 * i + k];
			f[5 * i + k].value = v[k];
		}
	}
}

/** Summarise @p h (cycles at @p tsc_hz) into @p out. */
void dp_lat_summarize(const struct dp_lat_hist *h, uint64_t tsc_hz, struct dp_lat_summary *out);

/** Fill @p out from the release and drop histograms. */
void dp_lat_report(const struct dp_lat_hist *release, const struct dp_lat_hist *drop,
		   uint64_t tsc_hz, struct dp_lat_report *out);

/** One line for guardd's own report: count and percentiles in microseconds. */
void dp_lat_print(FILE *f, const struct dp_lat_report *r);

#ifdef __cplusplus
}
#endif
#endif
