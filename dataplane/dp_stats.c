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

#define LOAD(x) atomic_load_explicit(&(x), memory_order_relaxed)

static void
egress_add(struct dp_egress_sum *sum, const struct dp_egress_cnt *c)
{
	uint64_t hwm = LOAD(c->depth_hwm);

	sum->enqueued += LOAD(c->enqueued);
	sum->dropped += LOAD(c->dropped);
	sum->sent += LOAD(c->sent);
	sum->sent_bytes += LOAD(c->sent_bytes);
	sum->tx_failed += LOAD(c->tx_failed);
	/* each worker saw the shared queue's depth after its own enqueues */
	if (hwm > sum->depth_hwm)
		sum->depth_hwm = hwm;
	if (LOAD(c->sent) != 0)
		dp_lat_hist_add(&sum->delay, &c->delay);
}

const char *
dp_stats_tclass_name(unsigned int tc)
{
	static const char *const names[INSP_TCLASS_COUNT] = {"flash", "immediate", "priority",
							     "routine"};

	return tc < INSP_TCLASS_COUNT ? names[tc] : "?";
}

int
dp_stats_egress_used(const struct dp_egress_sum *e)
{
	return e->enqueued != 0 || e->dropped != 0 || e->sent != 0 || e->tx_failed != 0;
}

static uint64_t
ns_of(uint64_t cycles, uint64_t tsc_hz)
{
	return (uint64_t)(dp_lat_ns(cycles, tsc_hz) + 0.5);
}

void
dp_stats_egress_fields(const struct dp_egress_sum *e, uint64_t tsc_hz,
		       struct dp_egress_field f[DP_EGRESS_FIELDS])
{
	static const char *const names[DP_EGRESS_FIELDS] = {
		[DP_EG_ENQUEUED] = "enqueued",	       [DP_EG_SENT] = "sent",
		[DP_EG_QUEUE_FULL] = "queue_full",     [DP_EG_TX_FAILED] = "tx_failed",
		[DP_EG_DEPTH_HWM] = "depth_hwm",       [DP_EG_SENT_BYTES] = "sent_bytes",
		[DP_EG_DELAY_P50_NS] = "delay_p50_ns", [DP_EG_DELAY_P99_NS] = "delay_p99_ns",
		[DP_EG_DELAY_MAX_NS] = "delay_max_ns",
	};

	for (unsigned int i = 0; i < DP_EGRESS_FIELDS; i++)
		f[i].name = names[i];
	f[DP_EG_ENQUEUED].value = e->enqueued;
	f[DP_EG_SENT].value = e->sent;
	f[DP_EG_QUEUE_FULL].value = e->dropped;
	f[DP_EG_TX_FAILED].value = e->tx_failed;
	f[DP_EG_DEPTH_HWM].value = e->depth_hwm;
	f[DP_EG_SENT_BYTES].value = e->sent_bytes;
	f[DP_EG_DELAY_P50_NS].value =
		ns_of(dp_lat_quantile(e->delay.bucket, e->delay.max, DP_LAT_P50), tsc_hz);
	f[DP_EG_DELAY_P99_NS].value =
		ns_of(dp_lat_quantile(e->delay.bucket, e->delay.max, DP_LAT_P99), tsc_hz);
	f[DP_EG_DELAY_MAX_NS].value = ns_of(e->delay.max, tsc_hz);
}

void
dp_stats_print_egress(FILE *f, const struct dp_stats_sum *s, uint64_t tsc_hz)
{
	int header = 0;

	for (unsigned int port = 0; port < DP_EGRESS_PORTS; port++)
		for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++) {
			struct dp_egress_field v[DP_EGRESS_FIELDS];

			if (!dp_stats_egress_used(&s->egress[port][c]))
				continue;
			if (!header) {
				fprintf(f, "%-5s %-10s %10s %10s %10s %9s %6s %12s %12s %12s\n",
					"port", "class", "enqueued", "sent", "queue_full",
					"tx_failed", "hwm", "delay_p50_us", "delay_p99_us",
					"delay_max_us");
				header = 1;
			}
			dp_stats_egress_fields(&s->egress[port][c], tsc_hz, v);
			fprintf(f,
				"%-5u %-10s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %9" PRIu64
				" %6" PRIu64 " %12.1f %12.1f %12.1f\n",
				port, dp_stats_tclass_name(c), v[DP_EG_ENQUEUED].value,
				v[DP_EG_SENT].value, v[DP_EG_QUEUE_FULL].value,
				v[DP_EG_TX_FAILED].value, v[DP_EG_DEPTH_HWM].value,
				(double)v[DP_EG_DELAY_P50_NS].value / 1e3,
				(double)v[DP_EG_DELAY_P99_NS].value / 1e3,
				(double)v[DP_EG_DELAY_MAX_NS].value / 1e3);
		}
}

/* The egress lines of the --stats-file (dp_stats.h). */
static void
stats_write_egress(FILE *f, const struct dp_stats_sum *s, uint64_t tsc_hz)
{
	for (unsigned int port = 0; port < DP_EGRESS_PORTS; port++)
		for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++) {
			const struct dp_egress_sum *e = &s->egress[port][c];
			const char *cn = dp_stats_tclass_name(c);
			struct dp_egress_field v[DP_EGRESS_FIELDS];

			if (!dp_stats_egress_used(e))
				continue;
			dp_stats_egress_fields(e, tsc_hz, v);
			for (unsigned int i = 0; i < DP_EGRESS_FIELDS; i++)
				fprintf(f, "total egress %u %s %s %" PRIu64 "\n", port, cn,
					v[i].name, v[i].value);
			for (unsigned int b = 0; b < DP_LAT_BUCKETS; b++)
				if (e->delay.bucket[b] != 0)
					fprintf(f,
						"total egress_delay_bucket %u %s %.1f %.1f %" PRIu64
						"\n",
						port, cn, dp_lat_ns(dp_lat_bucket_low(b), tsc_hz),
						dp_lat_ns(dp_lat_bucket_high(b), tsc_hz),
						e->delay.bucket[b]);
		}
}

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
		for (unsigned int port = 0; port < DP_EGRESS_PORTS; port++)
			for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++)
				egress_add(&out->egress[port][c], &st[i]->egress[port][c]);
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
	stats_write_egress(f, s, tsc_hz);
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
