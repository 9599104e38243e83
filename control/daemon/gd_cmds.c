/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The commands guard-control serves (gd_cmds.h): status, stats, policy load, policy show and
 * audit head, each as a table for people or --json for scripts. Everything shown is read from
 * guardd's shared state (relaxed counters, the ruleset info through its seqlock).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_ethdev.h>

#include "dp_slowpath.h"
#include "dp_stats.h"
#include "gc_json.h"
#include "gd_cmds.h"
#include "gd_load.h"
#include "gd_log.h"
#include "insp_reason.h"
#include "rq_store.h"
#include "sd_stats.h"
#include "rs_ruleset.h"
#include "gd_time.h"

struct ruleset_info {
	uint64_t generation;
	int64_t loaded_ms;
	char path[DP_RULESET_PATH_MAX];
	char sha[65];
	uint32_t n_channels, n_patterns, swap_us;
	uint8_t audit_releases;
};

static void
read_info(const struct dp_shared *sh, struct ruleset_info *ri)
{
	uint8_t sha[32];
	uint32_t seq;

	do {
		dp_shared_info_begin(sh, &seq);
		ri->generation = sh->generation;
		ri->loaded_ms = sh->loaded_ms;
		memcpy(ri->path, sh->ruleset_path, sizeof(ri->path));
		memcpy(sha, sh->ruleset_sha256, sizeof(sha));
		ri->n_channels = sh->n_channels;
		ri->n_patterns = sh->n_patterns;
		ri->swap_us = sh->last_swap_us;
		ri->audit_releases = sh->audit_releases;
	} while (dp_shared_info_retry(sh, seq));
	ri->path[sizeof(ri->path) - 1] = '\0';
	rs_hex(sha, ri->sha);
}

void
gd_cmds_tick(struct gd_ctx *c)
{
	struct dp_stats_sum *sum = malloc(sizeof(*sum));
	int64_t t = gd_now_ms();

	if (sum == NULL)
		return;
	dp_stats_collect(c->sh->stats, c->sh->n_workers, sum);
	if (c->rate_ms != 0 && t > c->rate_ms) {
		double s = (double)(t - c->rate_ms) / 1000.0;

		c->rx_rate = (double)(sum->rx - c->last_rx) / s;
		c->rel_rate = (double)(sum->released - c->last_rel) / s;
		c->drop_rate = (double)(sum->dropped + sum->held - c->last_drop) / s;
	}
	c->last_rx = sum->rx;
	c->last_rel = sum->released;
	c->last_drop = sum->dropped + sum->held;
	c->rate_ms = t;
	free(sum);
}

static int
cmd_status(struct gd_ctx *c, bool json, FILE *out)
{
	struct dp_shared *sh = c->sh;
	struct dp_stats_sum *sum = malloc(sizeof(*sum));
	struct ruleset_info ri;
	char started[32], loaded[32], head[AU_HEX_LEN + 1];
	uint64_t head_seq, up_s;
	uint16_t port;
	unsigned int w;
	struct rq_counts rc;
	char rq_err[RQ_ERR_MAX];
	bool slow_up, have_counts;

	if (sum == NULL) {
		fprintf(out, "guard-control: out of memory\n");
		return 1;
	}
	dp_stats_collect(sh->stats, sh->n_workers, sum);
	read_info(sh, &ri);
	gd_audit_head(&c->audit, head, &head_seq);
	gd_iso_s((int64_t)sh->start_ms, started);
	gd_iso_s((int64_t)ri.loaded_ms, loaded);
	up_s = (uint64_t)(gd_now_ms() - sh->start_ms) / 1000;
	slow_up = dp_slowpath_up(sh, gd_now_ms());
	have_counts = c->review.store != NULL &&
		      rq_count(c->review.store, &rc, rq_err, sizeof(rq_err)) == 0;
	if (json) {
		struct gc_json j;

		gc_json_init(&j, out);
		gc_json_begin_object(&j, NULL);
		gc_json_begin_object(&j, "guardd");
		gc_json_int(&j, "pid", sh->guardd_pid);
		gc_json_str(&j, "started", started);
		gc_json_uint(&j, "uptime_s", up_s);
		gc_json_uint(&j, "max_msg", sh->max_msg);
		gc_json_end_object(&j);
		gc_json_begin_object(&j, "ruleset");
		gc_json_uint(&j, "generation", ri.generation);
		gc_json_str_or_null(&j, "path", ri.generation != 0 ? ri.path : NULL);
		gc_json_str_or_null(&j, "sha256", ri.generation != 0 ? ri.sha : NULL);
		gc_json_str_or_null(&j, "loaded", ri.generation != 0 ? loaded : NULL);
		gc_json_uint(&j, "channels", ri.n_channels);
		gc_json_uint(&j, "patterns", ri.n_patterns);
		gc_json_str(&j, "audit_releases",
			    ri.audit_releases == INSP_AUDIT_SUMMARY ? "summary" : "record");
		gc_json_uint(&j, "reloads", atomic_load(&sh->reloads));
		gc_json_uint(&j, "reloads_refused", atomic_load(&sh->reloads_refused));
		gc_json_uint(&j, "last_swap_us", ri.swap_us);
		gc_json_end_object(&j);
		gc_json_begin_object(&j, "audit");
		gc_json_str(&j, "log", c->audit.path);
		gc_json_uint(&j, "head_seq", head_seq);
		gc_json_str(&j, "head", head);
		gc_json_uint(&j, "flushed", atomic_load(&sh->audit_flushed));
		gc_json_uint(&j, "records_from_workers", sum->audit_records);
		gc_json_uint(&j, "lost", sum->audit_lost);
		gc_json_uint(&j, "write_errors", atomic_load(&c->audit.write_errors));
		gc_json_end_object(&j);
		gc_json_begin_object(&j, "control");
		gc_json_int(&j, "pid", atomic_load(&sh->control_pid));
		gc_json_uint(&j, "attaches", atomic_load(&sh->control_attaches));
		gc_json_end_object(&j);
		gc_json_begin_object(&j, "slowpath");
		gc_json_int(&j, "pid", slow_up ? atomic_load(&sh->slowpath_pid) : 0);
		gc_json_bool(&j, "attached", slow_up);
		gc_json_end_object(&j);
		gc_json_begin_object(&j, "review");
		gc_json_str(&j, "queue", c->review.db_path);
		if (have_counts) {
			gc_json_uint(&j, "pending", rc.items[RQ_PENDING]);
			gc_json_uint(&j, "approved", rc.items[RQ_APPROVED]);
			gc_json_uint(&j, "sending", rc.items[RQ_SENDING]);
			gc_json_uint(&j, "queued_bytes", rc.queued_bytes);
		}
		gc_json_uint(&j, "released_since_start", atomic_load(&c->pump.released));
		gc_json_uint(&j, "interrupted_since_start", atomic_load(&c->pump.interrupted));
		gc_json_uint(&j, "datagrams_sent", atomic_load(&sh->release_sent));
		gc_json_uint(&j, "datagrams_skipped", atomic_load(&sh->release_skipped));
		gc_json_uint(&j, "datagrams_failed", atomic_load(&sh->release_failed));
		gc_json_end_object(&j);
		gc_json_begin_array(&j, "workers");
		for (w = 0; w < sh->n_workers; w++) {
			gc_json_begin_object(&j, NULL);
			gc_json_uint(&j, "lcore", sh->worker_lcore[w]);
			gc_json_uint(&j, "generation", atomic_load(&sh->stats[w]->generation));
			gc_json_uint(&j, "rx", atomic_load(&sh->stats[w]->rx_packets));
			gc_json_end_object(&j);
		}
		gc_json_end_array(&j);
		gc_json_begin_array(&j, "ports");
		RTE_ETH_FOREACH_DEV (port) {
			struct rte_eth_stats es;
			int have = rte_eth_stats_get(port, &es) == 0;

			gc_json_begin_object(&j, NULL);
			gc_json_uint(&j, "port", port);
			gc_json_str(&j, "name", sh->port_name[port]);
			gc_json_str(&j, "link", atomic_load(&sh->link[port].up) ? "up" : "down");
			gc_json_uint(&j, "link_changes", atomic_load(&sh->link[port].changes));
			if (have) {
				gc_json_uint(&j, "rx", es.ipackets);
				gc_json_uint(&j, "tx", es.opackets);
				gc_json_uint(&j, "rx_missed", es.imissed);
			}
			gc_json_end_object(&j);
		}
		gc_json_end_array(&j);
		gc_json_begin_object(&j, "rates");
		gc_json_double(&j, "rx_pps", c->rx_rate);
		gc_json_double(&j, "released_pps", c->rel_rate);
		gc_json_double(&j, "dropped_pps", c->drop_rate);
		gc_json_end_object(&j);
		gc_json_end_object(&j);
		gc_json_finish(&j);
	} else {
		fprintf(out,
			"guardd     pid %d, up %" PRIu64 ":%02" PRIu64 ":%02" PRIu64
			" (since %s), max-msg %u\n",
			sh->guardd_pid, up_s / 3600, up_s / 60 % 60, up_s % 60, started,
			sh->max_msg);
		if (ri.generation == 0)
			fprintf(out, "ruleset    none: every packet is dropped (no_policy)\n");
		else
			fprintf(out,
				"ruleset    generation %" PRIu64
				", %u channels, %u patterns, releases "
				"%s, loaded %s\n           %s\n           sha256 %s\n",
				ri.generation, ri.n_channels, ri.n_patterns,
				ri.audit_releases == INSP_AUDIT_SUMMARY ? "summarised" : "recorded",
				loaded, ri.path, ri.sha);
		fprintf(out,
			"reloads    %" PRIu64 " published, %" PRIu64 " refused, last swap %u us\n",
			atomic_load(&sh->reloads), atomic_load(&sh->reloads_refused), ri.swap_us);
		fprintf(out,
			"audit      %s: head seq %" PRIu64 " %s\n           %" PRIu64
			" records flushed, %" PRIu64 " lost (path down or full), %" PRIu64
			" write errors\n",
			c->audit.path, head_seq, head, atomic_load(&sh->audit_flushed),
			sum->audit_lost, atomic_load(&c->audit.write_errors));
		fprintf(out, "control    pid %d, attached %" PRIu64 " times\n",
			atomic_load(&sh->control_pid), atomic_load(&sh->control_attaches));
		if (slow_up)
			fprintf(out, "slowpath   pid %d, attached\n",
				atomic_load(&sh->slowpath_pid));
		else
			fprintf(out, "slowpath   not attached: object chunks are dropped "
				     "(slowpath_down)\n");
		if (have_counts)
			fprintf(out,
				"review     %s: %" PRIu64 " pending, %" PRIu64 " approved, %" PRIu64
				" sending; since start %" PRIu64 " released, %" PRIu64
				" interrupted\n",
				c->review.db_path, rc.items[RQ_PENDING], rc.items[RQ_APPROVED],
				rc.items[RQ_SENDING], atomic_load(&c->pump.released),
				atomic_load(&c->pump.interrupted));
		else
			fprintf(out, "review     %s: cannot be read now\n", c->review.db_path);
		fprintf(out,
			"release    %" PRIu64
			" datagrams of approved items sent by guardd, %" PRIu64
			" duplicates skipped, %" PRIu64 " given up\n",
			atomic_load(&sh->release_sent), atomic_load(&sh->release_skipped),
			atomic_load(&sh->release_failed));
		for (w = 0; w < sh->n_workers; w++)
			fprintf(out, "lcore %-4u generation %" PRIu64 ", rx %" PRIu64 "\n",
				sh->worker_lcore[w], atomic_load(&sh->stats[w]->generation),
				atomic_load(&sh->stats[w]->rx_packets));
		RTE_ETH_FOREACH_DEV (port) {
			struct rte_eth_stats es;

			fprintf(out, "port %-5u %-16s link %-4s (%" PRIu64 " changes)", port,
				sh->port_name[port],
				atomic_load(&sh->link[port].up) ? "up" : "down",
				atomic_load(&sh->link[port].changes));
			if (rte_eth_stats_get(port, &es) == 0)
				fprintf(out, "  rx %" PRIu64 " tx %" PRIu64 " missed %" PRIu64,
					es.ipackets, es.opackets, es.imissed);
			fputc('\n', out);
		}
		fprintf(out, "rates      rx %.0f/s, released %.0f/s, dropped or held %.0f/s\n",
			c->rx_rate, c->rel_rate, c->drop_rate);
	}
	free(sum);
	return ferror(out) ? 1 : 0;
}

#define SP_LOAD(x) atomic_load_explicit(&(x), memory_order_relaxed)

/* guard-slowpath's counters (sd_stats.h), if it ever ran with this guardd: objects by outcome. */
static void
slowpath_json(struct gc_json *j, const struct dp_shared *sh)
{
	const struct sd_stats *s = sd_stats_find();

	if (s == NULL) {
		gc_json_null(j, "slowpath");
		return;
	}
	gc_json_begin_object(j, "slowpath");
	gc_json_uint(j, "chunks", SP_LOAD(s->chunks));
	gc_json_uint(j, "chunks_bad", SP_LOAD(s->chunks_bad));
	gc_json_uint(j, "chunks_dropped", SP_LOAD(s->chunks_dropped));
	gc_json_uint(j, "objects", SP_LOAD(s->objects));
	gc_json_uint(j, "bytes", SP_LOAD(s->bytes));
	gc_json_uint(j, "audit_lost", SP_LOAD(s->audit_lost));
	gc_json_begin_array(j, "counters");
	for (unsigned int row = 0; row < DP_CNT_ROWS; row++)
		for (unsigned int r = 0; r < INSP_R_COUNT; r++) {
			if (SP_LOAD(s->obj[row][r]) == 0)
				continue;
			gc_json_begin_object(j, NULL);
			gc_json_str(j, "channel", dp_stats_row_name(sh, row));
			gc_json_str(j, "reason", insp_reason_name((enum insp_reason)r));
			gc_json_uint(j, "objects", SP_LOAD(s->obj[row][r]));
			gc_json_end_object(j);
		}
	gc_json_end_array(j);
	gc_json_end_object(j);
}

static void
slowpath_print(FILE *out, const struct dp_shared *sh)
{
	const struct sd_stats *s = sd_stats_find();

	if (s == NULL)
		return;
	fprintf(out, "\nslow path (guard-slowpath): objects by outcome since guardd started\n");
	fprintf(out, "%-24s %-24s %16s\n", "channel", "reason", "objects");
	for (unsigned int row = 0; row < DP_CNT_ROWS; row++)
		for (unsigned int r = 0; r < INSP_R_COUNT; r++)
			if (SP_LOAD(s->obj[row][r]) != 0)
				fprintf(out, "%-24s %-24s %16" PRIu64 "\n",
					dp_stats_row_name(sh, row),
					insp_reason_name((enum insp_reason)r),
					SP_LOAD(s->obj[row][r]));
	fprintf(out,
		"chunks %" PRIu64 " (bad %" PRIu64 ", of finished objects %" PRIu64
		"), objects %" PRIu64 ", bytes %" PRIu64 ", audit records lost %" PRIu64 "\n",
		SP_LOAD(s->chunks), SP_LOAD(s->chunks_bad), SP_LOAD(s->chunks_dropped),
		SP_LOAD(s->objects), SP_LOAD(s->bytes), SP_LOAD(s->audit_lost));
}

/* Priority egress per port and class that saw a packet (dp_egress.h). */
static void
egress_json(struct gc_json *j, const struct dp_stats_sum *sum, uint64_t tsc_hz)
{
	gc_json_begin_array(j, "egress");
	for (unsigned int port = 0; port < DP_EGRESS_PORTS; port++)
		for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++) {
			struct dp_egress_field v[DP_EGRESS_FIELDS];

			if (!dp_stats_egress_used(&sum->egress[port][c]))
				continue;
			dp_stats_egress_fields(&sum->egress[port][c], tsc_hz, v);
			gc_json_begin_object(j, NULL);
			gc_json_uint(j, "port", port);
			gc_json_str(j, "class", dp_stats_tclass_name(c));
			for (unsigned int i = 0; i < DP_EGRESS_FIELDS; i++)
				gc_json_uint(j, v[i].name, v[i].value);
			gc_json_end_object(j);
		}
	gc_json_end_array(j);
}

static int
cmd_stats(struct gd_ctx *c, bool json, FILE *out)
{
	struct dp_shared *sh = c->sh;
	struct dp_stats_sum *sum = malloc(sizeof(*sum));
	unsigned int row, r, w;

	if (sum == NULL) {
		fprintf(out, "guard-control: out of memory\n");
		return 1;
	}
	dp_stats_collect(sh->stats, sh->n_workers, sum);
	if (json) {
		struct gc_json j;

		gc_json_init(&j, out);
		gc_json_begin_object(&j, NULL);
		gc_json_uint(&j, "received", sum->rx);
		gc_json_uint(&j, "released", sum->released);
		gc_json_uint(&j, "dropped", sum->dropped);
		gc_json_uint(&j, "held_for_review", sum->held);
		gc_json_uint(&j, "audit_records", sum->audit_records);
		gc_json_uint(&j, "audit_lost", sum->audit_lost);
		gc_json_begin_array(&j, "counters");
		for (row = 0; row < DP_CNT_ROWS; row++)
			for (r = 0; r < INSP_R_COUNT; r++) {
				if (sum->cnt[row][r] == 0)
					continue;
				gc_json_begin_object(&j, NULL);
				gc_json_str(&j, "channel", dp_stats_row_name(sh, row));
				gc_json_str(&j, "reason", insp_reason_name((enum insp_reason)r));
				gc_json_uint(&j, "packets", sum->cnt[row][r]);
				gc_json_end_object(&j);
			}
		gc_json_end_array(&j);
		egress_json(&j, sum, sh->tsc_hz);
		slowpath_json(&j, sh);
		gc_json_begin_array(&j, "lcores");
		for (w = 0; w < sh->n_workers; w++) {
			gc_json_begin_object(&j, NULL);
			gc_json_uint(&j, "lcore", sh->worker_lcore[w]);
			gc_json_uint(&j, "rx", atomic_load(&sh->stats[w]->rx_packets));
			gc_json_uint(&j, "audit_records",
				     atomic_load(&sh->stats[w]->audit_records));
			gc_json_uint(&j, "audit_lost", atomic_load(&sh->stats[w]->audit_lost));
			gc_json_uint(&j, "generation", atomic_load(&sh->stats[w]->generation));
			gc_json_end_object(&j);
		}
		gc_json_end_array(&j);
		gc_json_end_object(&j);
		gc_json_finish(&j);
	} else {
		dp_stats_print(out, sum, sh, sh->tsc_hz);
		dp_stats_print_egress(out, sum, sh->tsc_hz);
		for (w = 0; w < sh->n_workers; w++)
			fprintf(out,
				"lcore %u: rx %" PRIu64 ", audit records %" PRIu64 ", lost %" PRIu64
				", generation %" PRIu64 "\n",
				sh->worker_lcore[w], atomic_load(&sh->stats[w]->rx_packets),
				atomic_load(&sh->stats[w]->audit_records),
				atomic_load(&sh->stats[w]->audit_lost),
				atomic_load(&sh->stats[w]->generation));
		slowpath_print(out, sh);
	}
	free(sum);
	return ferror(out) ? 1 : 0;
}

static int
cmd_policy_show(struct gd_ctx *c, bool json, FILE *out)
{
	struct ruleset_info ri;
	char loaded[32];

	read_info(c->sh, &ri);
	gd_iso_s((int64_t)ri.loaded_ms, loaded);
	if (json) {
		struct gc_json j;

		gc_json_init(&j, out);
		gc_json_begin_object(&j, NULL);
		gc_json_uint(&j, "generation", ri.generation);
		gc_json_str_or_null(&j, "path", ri.generation != 0 ? ri.path : NULL);
		gc_json_str_or_null(&j, "sha256", ri.generation != 0 ? ri.sha : NULL);
		gc_json_str_or_null(&j, "loaded", ri.generation != 0 ? loaded : NULL);
		gc_json_uint(&j, "channels", ri.n_channels);
		gc_json_uint(&j, "patterns", ri.n_patterns);
		gc_json_end_object(&j);
		gc_json_finish(&j);
	} else if (ri.generation == 0) {
		fprintf(out, "no ruleset loaded: guardd drops every packet (no_policy)\n");
	} else {
		fprintf(out,
			"generation %" PRIu64 "\nimage      %s\nsha256     %s\nloaded     %s\n"
			"channels   %u\npatterns   %u\n",
			ri.generation, ri.path, ri.sha, loaded, ri.n_channels, ri.n_patterns);
	}
	return 0;
}

static int
cmd_policy_load(struct gd_ctx *c, const struct gd_peer *peer, const char *path, FILE *out,
		char *detail, size_t detail_len)
{
	struct gd_load_result res;
	int rc = gd_load(c->state_dir, path, peer, c->compile_seconds, &res);

	if (rc != 0) {
		fprintf(out, "%s\n", res.msg);
		snprintf(detail, detail_len, "%s", res.msg);
		return 1;
	}
	fprintf(out,
		"generation %" PRIu64 " runs on every worker: compiled in %.3f s, loaded in "
		"%.3f ms, swapped in %u us (old one freed after %u us)\nimage %s\nsha256 %s\n",
		res.generation, res.compile_s, res.load_us / 1000.0, res.swap_us, res.grace_us,
		res.image, res.sha256);
	if (res.msg[0] != '\0')
		fprintf(out, "warning: %s\n", res.msg);
	snprintf(detail, detail_len,
		 "generation %" PRIu64
		 " image %.900s sha256 %s compile_s %.3f load_us %u swap_us %u grace_us %u",
		 res.generation, res.image, res.sha256, res.compile_s, res.load_us, res.swap_us,
		 res.grace_us);
	gd_audit_note_control(&c->audit, "reload", detail);
	return 0;
}

static bool
take_json(int *argc, char **argv)
{
	for (int i = 1; i < *argc; i++)
		if (strcmp(argv[i], "--json") == 0) {
			memmove(&argv[i], &argv[i + 1], sizeof(*argv) * (size_t)(*argc - i));
			(*argc)--;
			return true;
		}
	return false;
}

int
gd_cmds_handle(void *ctx, const struct gd_peer *peer, int argc, char **argv, FILE *out)
{
	struct gd_ctx *c = ctx;
	char line[1024] = "", detail[1400] = "";
	size_t off = 0;
	int status = 2;
	bool json;

	for (int i = 0; i < argc && off < sizeof(line) - 1; i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s", i ? " " : "",
					argv[i]);
	json = take_json(&argc, argv);
	if (argc == 1 && strcmp(argv[0], "status") == 0)
		status = cmd_status(c, json, out);
	else if (argc == 1 && strcmp(argv[0], "stats") == 0)
		status = cmd_stats(c, json, out);
	else if (argc == 2 && strcmp(argv[0], "policy") == 0 && strcmp(argv[1], "show") == 0)
		status = cmd_policy_show(c, json, out);
	else if (argc == 3 && strcmp(argv[0], "policy") == 0 && strcmp(argv[1], "load") == 0)
		status = cmd_policy_load(c, peer, argv[2], out, detail, sizeof(detail));
	else if (argc == 2 && strcmp(argv[0], "audit") == 0 && strcmp(argv[1], "head") == 0) {
		char head[AU_HEX_LEN + 1];
		uint64_t seq;

		gd_audit_head(&c->audit, head, &seq);
		fprintf(out, "%" PRIu64 " %s %s\n", seq, head, c->audit.path);
		status = 0;
	} else if (argc >= 2 && strcmp(argv[0], "review") == 0)
		status = gd_review_cmd(&c->review, peer, argc, argv, json, out, detail,
				       sizeof(detail));
	else
		fprintf(out,
			"guard-control: unknown request '%s' (status, stats, policy load "
			"FILE, policy show, audit head, review ...)\n",
			line);
	gd_audit_note_command(&c->audit, peer->uid, peer->pid, line,
			      status == 0   ? "ok"
			      : status == 2 ? "usage"
					    : "error",
			      detail);
	return status;
}

void
gd_cmds_refused(void *ctx, const struct gd_peer *peer, const char *why)
{
	struct gd_ctx *c = ctx;

	GD_LOG("refused uid %u (pid %d): %s", peer->uid, peer->pid, why);
	gd_audit_note_command(&c->audit, peer->uid, peer->pid, "(request not read)", "refused",
			      why);
}
