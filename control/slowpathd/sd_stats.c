/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_memzone.h>

#include "dp_stats.h"
#include "insp_reason.h"
#include "sd_stats.h"

#define LOAD(x) atomic_load_explicit(&(x), memory_order_relaxed)

struct sd_stats *
sd_stats_attach(char *err, size_t errlen)
{
	const struct rte_memzone *mz = rte_memzone_lookup(SD_STATS_MZ);
	struct sd_stats *s;

	if (mz == NULL) {
		mz = rte_memzone_reserve(SD_STATS_MZ, sizeof(struct sd_stats), SOCKET_ID_ANY, 0);
		if (mz == NULL) {
			snprintf(err, errlen, "cannot reserve the counters' memzone '%s': %s",
				 SD_STATS_MZ, rte_strerror(rte_errno));
			return NULL;
		}
		memset(mz->addr, 0, sizeof(struct sd_stats));
	}
	s = mz->addr;
	if (s->magic != SD_STATS_MAGIC || s->size != sizeof(*s)) {
		if (s->magic != 0 && s->magic != SD_STATS_MAGIC) {
			snprintf(err, errlen, "memzone '%s' is not guard-slowpath's counters",
				 SD_STATS_MZ);
			return NULL;
		}
		memset(s, 0, sizeof(*s)); /* another build's layout: start afresh */
		s->size = sizeof(*s);
		s->magic = SD_STATS_MAGIC;
	}
	return s;
}

const struct sd_stats *
sd_stats_find(void)
{
	const struct rte_memzone *mz = rte_memzone_lookup(SD_STATS_MZ);
	const struct sd_stats *s = mz != NULL ? mz->addr : NULL;

	return s != NULL && s->magic == SD_STATS_MAGIC && s->size == sizeof(*s) ? s : NULL;
}

int
sd_stats_write(const char *path, const struct sd_stats *s, const struct dp_shared *sh)
{
	char tmp[4200];
	FILE *f;
	int err = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return -errno;
	fprintf(f, "# guard-slowpath counters\n");
	for (unsigned int row = 0; row < DP_CNT_ROWS; row++)
		for (unsigned int r = 0; r < INSP_R_COUNT; r++)
			if (LOAD(s->obj[row][r]) != 0)
				fprintf(f, "%s %s %" PRIu64 "\n", dp_stats_row_name(sh, row),
					insp_reason_name((enum insp_reason)r),
					LOAD(s->obj[row][r]));
	fprintf(f,
		"total chunks %" PRIu64 "\ntotal chunks_bad %" PRIu64
		"\ntotal chunks_dropped %" PRIu64 "\ntotal objects %" PRIu64
		"\ntotal bytes %" PRIu64 "\ntotal inspect_ms %" PRIu64 "\ntotal audit_lost %" PRIu64
		"\ntotal in_flight_hwm_bytes %" PRIu64 "\n",
		LOAD(s->chunks), LOAD(s->chunks_bad), LOAD(s->chunks_dropped), LOAD(s->objects),
		LOAD(s->bytes), LOAD(s->inspect_ms), LOAD(s->audit_lost),
		LOAD(s->in_flight_hwm_bytes));
	if (ferror(f))
		err = -EIO;
	if (fclose(f) != 0 && err == 0)
		err = -errno;
	if (err == 0 && rename(tmp, path) != 0)
		err = -errno;
	return err;
}
