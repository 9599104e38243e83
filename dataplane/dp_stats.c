/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counter reports. Runs on the main lcore only, never on the fast path, so plain stdio is
 * fine here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "dp_stats.h"
#include "insp_reason.h"

void
dp_stats_collect(struct dp_lcore_stats *const *st, unsigned int n, struct dp_stats_sum *out)
{
	unsigned int i, row, r;
	uint64_t v;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		for (row = 0; row < DP_CNT_ROWS; row++)
			for (r = 0; r < INSP_R_COUNT; r++)
				out->cnt[row][r] += atomic_load_explicit(&st[i]->cnt[row][r],
									 memory_order_relaxed);
		out->rx += atomic_load_explicit(&st[i]->rx_packets, memory_order_relaxed);
		out->audit_records +=
			atomic_load_explicit(&st[i]->audit_records, memory_order_relaxed);
		out->audit_lost += atomic_load_explicit(&st[i]->audit_lost, memory_order_relaxed);
		out->peer_faults += atomic_load_explicit(&st[i]->peer_faults, memory_order_relaxed);
		v = atomic_load_explicit(&st[i]->first_rx_tsc, memory_order_relaxed);
		if (v != 0 && (out->first_tsc == 0 || v < out->first_tsc))
			out->first_tsc = v;
		v = atomic_load_explicit(&st[i]->last_rx_tsc, memory_order_relaxed);
		if (v > out->last_tsc)
			out->last_tsc = v;
		dp_lat_hist_add(&out->lat_release, &st[i]->lat_release);
		dp_lat_hist_add(&out->lat_drop, &st[i]->lat_drop);
	}
	for (row = 0; row < DP_CNT_ROWS; row++)
		for (r = 0; r < INSP_R_COUNT; r++) {
			/*
			 * One outcome for every packet received: released, held (for a reviewer,
			 * or handed to the slow path, which decides the object) or dropped.
			 * Reviewed items sent later are not packets received: counted apart.
			 */
			if (r == INSP_R_RELEASE)
				out->released += out->cnt[row][r];
			else if (r == INSP_R_REVIEW || r == INSP_R_TO_SLOWPATH)
				out->held += out->cnt[row][r];
			else if (r == INSP_R_RELEASED_REVIEWED)
				out->reviewed_sent += out->cnt[row][r];
			else
				out->dropped += out->cnt[row][r];
		}
}

double
dp_stats_seconds(const struct dp_stats_sum *s, uint64_t tsc_hz)
{
	if (s->first_tsc == 0 || s->last_tsc <= s->first_tsc || tsc_hz == 0)
		return 0.0;
	return (double)(s->last_tsc - s->first_tsc) / (double)tsc_hz;
}

const char *
dp_stats_row_name(const struct dp_shared *sh, unsigned int row)
{
	if (row == DP_NO_CHANNEL)
		return "-";
	if (sh != NULL && row < atomic_load_explicit(&sh->n_rows, memory_order_acquire))
		return sh->row_name[row];
	return "?";
}

void
dp_stats_print(FILE *f, const struct dp_stats_sum *s, const struct dp_shared *sh, uint64_t tsc_hz)
{
	double secs = dp_stats_seconds(s, tsc_hz);
	unsigned int row, r;

	fprintf(f, "%-24s %-24s %16s\n", "channel", "reason", "packets");
	for (row = 0; row < DP_CNT_ROWS; row++)
		for (r = 0; r < INSP_R_COUNT; r++)
			if (s->cnt[row][r] != 0)
				fprintf(f, "%-24s %-24s %16" PRIu64 "\n",
					dp_stats_row_name(sh, row),
					insp_reason_name((enum insp_reason)r), s->cnt[row][r]);
	fprintf(f,
		"received %" PRIu64 "  released %" PRIu64 "  dropped %" PRIu64
		"  held for review %" PRIu64,
		s->rx, s->released, s->dropped, s->held);
	/* A rate needs a measurable window: one burst alone has none. */
	if (secs > 0.0)
		fprintf(f, "  rate %.3f Mpps over %.6f s\n", (double)s->rx / secs / 1e6, secs);
	else
		fprintf(f, "  rate n/a\n");
	if (s->reviewed_sent != 0)
		fprintf(f, "sent after review (datagrams of approved items) %" PRIu64 "\n",
			s->reviewed_sent);
	if (s->peer_faults != 0)
		fprintf(f,
			"faults contained in shared-memory ports (a peer went away) %" PRIu64 "\n",
			s->peer_faults);
	if (s->audit_records != 0 || s->audit_lost != 0)
		fprintf(f, "audit records %" PRIu64 "  lost %" PRIu64 "\n", s->audit_records,
			s->audit_lost);
}

void
dp_stats_print_ports(FILE *f)
{
	struct rte_eth_stats es;
	uint16_t port;

	RTE_ETH_FOREACH_DEV (port) {
		if (rte_eth_stats_get(port, &es) != 0) {
			fprintf(f, "port %u: no statistics\n", port);
			continue;
		}
		fprintf(f,
			"port %u: rx %" PRIu64 " tx %" PRIu64 " rx_missed %" PRIu64
			" rx_errors %" PRIu64 " rx_nombuf %" PRIu64 " tx_errors %" PRIu64 "\n",
			port, es.ipackets, es.opackets, es.imissed, es.ierrors, es.rx_nombuf,
			es.oerrors);
	}
}

/* The latency lines of the --stats-file (dp_stats.h); the numbers come from dp_latency.c. */
static void
stats_write_latency(FILE *f, const struct dp_lat_report *lat)
{
	struct dp_lat_field fl[DP_LAT_FIELDS];
	unsigned int i;

	dp_lat_fields(lat, fl);
	for (i = 0; i < DP_LAT_FIELDS; i++)
		fprintf(f, "total latency_%s %" PRIu64 "\n", fl[i].name, fl[i].value);
	for (i = 0; i < lat->n_buckets; i++)
		fprintf(f, "total latency_bucket %.1f %.1f %" PRIu64 "\n", lat->bucket[i].low_ns,
			lat->bucket[i].high_ns, lat->bucket[i].count);
}

int
dp_stats_write(const char *path, const struct dp_stats_sum *s, const struct dp_shared *sh,
	       uint64_t tsc_hz, const struct dp_lat_report *lat)
{
	char tmp[4096];
	unsigned int row, r;
	FILE *f;
	int err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (f == NULL)
		return -errno;
	fprintf(f, "# guardd counters\n");
	for (row = 0; row < DP_CNT_ROWS; row++)
		for (r = 0; r < INSP_R_COUNT; r++)
			if (s->cnt[row][r] != 0)
				fprintf(f, "%s %s %" PRIu64 "\n", dp_stats_row_name(sh, row),
					insp_reason_name((enum insp_reason)r), s->cnt[row][r]);
	fprintf(f, "total rx %" PRIu64 "\n", s->rx);
	fprintf(f, "total tx %" PRIu64 "\n", s->released);
	fprintf(f, "total seconds %.6f\n", dp_stats_seconds(s, tsc_hz));
	fprintf(f, "total audit_records %" PRIu64 "\n", s->audit_records);
	fprintf(f, "total audit_lost %" PRIu64 "\n", s->audit_lost);
	fprintf(f, "total peer_faults %" PRIu64 "\n", s->peer_faults);
	if (lat != NULL)
		stats_write_latency(f, lat);
	if (ferror(f))
		err = -EIO;
	if (fclose(f) != 0 && err == 0)
		err = -errno;
	if (err == 0 && rename(tmp, path) != 0)
		err = -errno;
	if (err != 0)
		(void)remove(tmp);
	return err;
}
