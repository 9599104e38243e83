/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * xs:dateTime as CoT and STANAG 4774 write it: `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`.
 * A time zone is required (a time without one is ambiguous on a coalition network); fields
 * are range-checked (days per month, leap years), leap seconds and 24:00 are refused.
 */
#ifndef INSP_TIME_H
#define INSP_TIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @return 0 and *ms_since_epoch (UTC, fraction truncated to ms), or -1 if malformed.
 */
int insp_time_parse(const uint8_t *s, uint32_t len, int64_t *ms_since_epoch);

#ifdef __cplusplus
}
#endif
#endif
