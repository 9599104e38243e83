/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Wall-clock milliseconds for the fast path without a system call per packet.
 *
 * now_ms = rte_rdtsc() / tsc_per_ms + offset_ms, where offset_ms anchors the TSC to
 * CLOCK_REALTIME. Contract: the main lcore is the only writer; it sets the anchor before
 * the workers start and refreshes it about once a second (dp_clock_anchor()), so TSC drift
 * and NTP steps are followed within a second. Workers read it once per burst. The anchor
 * is one 64-bit atomic, so a reader never sees half an update; relaxed ordering suffices
 * because nothing else is published with it.
 */
#ifndef DP_CLOCK_H
#define DP_CLOCK_H

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include <rte_cycles.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dp_clock {
	uint64_t tsc_per_ms;	   /**< set once before the workers start */
	_Atomic int64_t offset_ms; /**< CLOCK_REALTIME ms minus TSC ms */
};

/** Set tsc_per_ms (first call) and re-anchor to CLOCK_REALTIME. @return 0 or -errno. */
static inline int
dp_clock_anchor(struct dp_clock *c)
{
	struct timespec ts;
	uint64_t tsc;

	if (c->tsc_per_ms == 0) {
		c->tsc_per_ms = rte_get_tsc_hz() / 1000;
		if (c->tsc_per_ms == 0)
			return -EINVAL;
	}
	tsc = rte_rdtsc();
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -errno;
	atomic_store_explicit(&c->offset_ms,
			      (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 -
				      (int64_t)(tsc / c->tsc_per_ms),
			      memory_order_relaxed);
	return 0;
}

/** CLOCK_REALTIME now, ms since the Unix epoch (0 if it cannot be read); off the fast path. */
static inline int64_t
dp_clock_wall_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/** Wall-clock ms since the Unix epoch for TSC value @p tsc. */
static inline int64_t
dp_clock_ms(const struct dp_clock *c, uint64_t tsc)
{
	return (int64_t)(tsc / c->tsc_per_ms) +
	       atomic_load_explicit(&c->offset_ms, memory_order_relaxed);
}

#ifdef __cplusplus
}
#endif
#endif
