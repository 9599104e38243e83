/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Wall-clock helpers of the control processes (guard-control, guard-slowpath): the time
 * records, items and outputs carry. Not for the dataplane, which reads the TSC (dp_clock.h).
 */
#ifndef GD_TIME_H
#define GD_TIME_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/** Milliseconds since the Unix epoch (CLOCK_REALTIME). */
static inline int64_t
gd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/** @p ms as "2026-12-03T07:40:00Z" (UTC, whole seconds), or "-" for none (0 or less). */
static inline void
gd_iso_s(int64_t ms, char out[32])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(out, 32, "-");
		return;
	}
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

#endif
