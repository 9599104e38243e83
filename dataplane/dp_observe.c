/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry commands and pdump. The telemetry callbacks take no user data: the shared
 * state they read is found through the one file-scope pointer set at start-up.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_pdump.h>
#include <rte_telemetry.h>

#include "dp_audit.h"
#include "dp_latency.h"
#include "dp_log.h"
#include "dp_observe.h"
#include "dp_stats.h"
#include "insp_reason.h"
#include "rs_ruleset.h"

static struct dp_shared *obs_shared;

static struct dp_stats_sum *
obs_collect(void)
{
	struct dp_stats_sum *sum = malloc(sizeof(*sum));

	if (sum != NULL)
		dp_stats_collect(obs_shared->stats, obs_shared->n_workers, sum);
	return sum;
}

static int
obs_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_stats_sum *sum = obs_collect();
	uint64_t by_reason[INSP_R_COUNT] = {0};
	unsigned int row, r;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (sum == NULL)
		return -ENOMEM;
	for (row = 0; row < DP_CNT_ROWS; row++)
		for (r = 0; r < INSP_R_COUNT; r++)
			by_reason[r] += sum->cnt[row][r];
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "received", sum->rx);
	rte_tel_data_add_dict_u64(d, "released", sum->released);
	rte_tel_data_add_dict_u64(d, "dropped", sum->dropped);
	rte_tel_data_add_dict_u64(d, "held_for_review", sum->held);
	rte_tel_data_add_dict_u64(d, "audit_records", sum->audit_records);
	rte_tel_data_add_dict_u64(d, "audit_lost", sum->audit_lost);
	rte_tel_data_add_dict_u64(d, "peer_faults", sum->peer_faults);
	for (r = 0; r < INSP_R_COUNT; r++)
		rte_tel_data_add_dict_u64(d, insp_reason_name((enum insp_reason)r), by_reason[r]);
	free(sum);
	return 0;
}

/*
 * Telemetry names are [A-Za-z0-9_/] only (DPDK 22.11 refuses anything else), channel names
 * may hold '-': '-' and anything else outside the set become '_' ("cot-mn" is "cot_mn";
 * the no-channel row "-" is "no_channel").
 */
static void
obs_key(const char *name, char *key, size_t len)
{
	size_t i;

	if (strcmp(name, "-") == 0) {
		snprintf(key, len, "no_channel");
		return;
	}
	for (i = 0; name[i] != '\0' && i + 1 < len; i++)
		key[i] = (isalnum((unsigned char)name[i]) || name[i] == '_' || name[i] == '/')
				 ? name[i]
				 : '_';
	key[i] = '\0';
}

static int
obs_channels(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_stats_sum *sum = obs_collect();
	unsigned int row, r;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (sum == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(d);
	for (row = 0; row < DP_CNT_ROWS; row++) {
		struct rte_tel_data *c = NULL;

		for (r = 0; r < INSP_R_COUNT; r++) {
			if (sum->cnt[row][r] == 0)
				continue;
			if (c == NULL) {
				c = rte_tel_data_alloc();
				if (c == NULL)
					break;
				rte_tel_data_start_dict(c);
			}
			rte_tel_data_add_dict_u64(c, insp_reason_name((enum insp_reason)r),
						  sum->cnt[row][r]);
		}
		if (c != NULL) {
			char key[INSP_NAME_MAX];

			obs_key(dp_stats_row_name(obs_shared, row), key, sizeof(key));
			if (rte_tel_data_add_dict_container(d, key, c, 0) != 0)
				rte_tel_data_free(c);
		}
	}
	free(sum);
	return 0;
}

static int
obs_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct dp_shared *sh = obs_shared;
	uint16_t port;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_dict(d);
	RTE_ETH_FOREACH_DEV (port) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		char key[RTE_ETH_NAME_MAX_LEN];

		if (c == NULL)
			break;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "port", port);
		rte_tel_data_add_dict_string(
			c, "link",
			atomic_load_explicit(&sh->link[port].up, memory_order_relaxed) ? "up"
										       : "down");
		rte_tel_data_add_dict_u64(
			c, "link_changes",
			atomic_load_explicit(&sh->link[port].changes, memory_order_relaxed));
		obs_key(sh->port_name[port], key, sizeof(key));
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0)
			rte_tel_data_free(c);
	}
	return 0;
}

/* The latency lines of the stats file as a dict: release first, then drop_* (dp_latency.h). */
static int
obs_latency(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_stats_sum *sum = obs_collect();
	struct dp_lat_report *lat = malloc(sizeof(*lat));
	struct dp_lat_field fl[DP_LAT_FIELDS];
	unsigned int i;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (sum == NULL || lat == NULL) {
		free(sum);
		free(lat);
		return -ENOMEM;
	}
	dp_lat_report(&sum->lat_release, &sum->lat_drop, obs_shared->tsc_hz, lat);
	dp_lat_fields(lat, fl);
	rte_tel_data_start_dict(d);
	for (i = 0; i < DP_LAT_FIELDS; i++)
		rte_tel_data_add_dict_u64(d, fl[i].name, fl[i].value);
	free(lat);
	free(sum);
	return 0;
}

/* Per egress port and class that saw a packet: "<port>/<class>" -> its figures (dp_stats.h). */
static int
obs_egress(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_stats_sum *sum = obs_collect();

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (sum == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(d);
	for (unsigned int port = 0; port < DP_EGRESS_PORTS; port++)
		for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++) {
			struct dp_egress_field v[DP_EGRESS_FIELDS];
			struct rte_tel_data *e;
			char key[32];

			if (!dp_stats_egress_used(&sum->egress[port][c]))
				continue;
			e = rte_tel_data_alloc();
			if (e == NULL) {
				free(sum);
				return -ENOMEM;
			}
			dp_stats_egress_fields(&sum->egress[port][c], obs_shared->tsc_hz, v);
			rte_tel_data_start_dict(e);
			for (unsigned int i = 0; i < DP_EGRESS_FIELDS; i++)
				rte_tel_data_add_dict_u64(e, v[i].name, v[i].value);
			snprintf(key, sizeof(key), "%u/%s", port, dp_stats_tclass_name(c));
			if (rte_tel_data_add_dict_container(d, key, e, 0) != 0)
				rte_tel_data_free(e);
		}
	free(sum);
	return 0;
}

static int
obs_ruleset(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct dp_shared *sh = obs_shared;
	char path[DP_RULESET_PATH_MAX], hex[65];
	uint64_t gen;
	uint32_t seq, n_ch, n_pat, swap_us;
	uint8_t sha[32], rel;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	do {
		dp_shared_info_begin(sh, &seq);
		gen = sh->generation;
		memcpy(path, sh->ruleset_path, sizeof(path));
		memcpy(sha, sh->ruleset_sha256, sizeof(sha));
		n_ch = sh->n_channels;
		n_pat = sh->n_patterns;
		swap_us = sh->last_swap_us;
		rel = sh->audit_releases;
	} while (dp_shared_info_retry(sh, seq));
	path[sizeof(path) - 1] = '\0';
	rs_hex(sha, hex);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "generation", gen);
	rte_tel_data_add_dict_string(d, "path", gen != 0 ? path : "");
	rte_tel_data_add_dict_string(d, "sha256", gen != 0 ? hex : "");
	rte_tel_data_add_dict_u64(d, "channels", n_ch);
	rte_tel_data_add_dict_u64(d, "patterns", n_pat);
	rte_tel_data_add_dict_string(d, "audit_releases",
				     rel == INSP_AUDIT_SUMMARY ? "summary" : "record");
	rte_tel_data_add_dict_u64(d, "reloads",
				  atomic_load_explicit(&sh->reloads, memory_order_relaxed));
	rte_tel_data_add_dict_u64(d, "reloads_refused",
				  atomic_load_explicit(&sh->reloads_refused, memory_order_relaxed));
	rte_tel_data_add_dict_u64(d, "last_swap_us", swap_us);
	rte_tel_data_add_dict_int(d, "control_pid",
				  atomic_load_explicit(&sh->control_pid, memory_order_relaxed));
	return 0;
}

void
dp_observe_init(struct dp_shared *sh, struct dp_reloader *r)
{
	int ret;

	RTE_SET_USED(r);
	obs_shared = sh;
	if (rte_telemetry_register_cmd("/guard/stats", obs_stats,
				       "guardd totals and counts per reason. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/guard/channels", obs_channels,
				       "guardd counts per channel and reason. No parameters") !=
		    0 ||
	    rte_telemetry_register_cmd("/guard/ports", obs_ports,
				       "guardd's ports: link state and changes. No parameters") !=
		    0 ||
	    rte_telemetry_register_cmd("/guard/ruleset", obs_ruleset,
				       "the running ruleset generation. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/guard/latency", obs_latency,
				       "guardd's rx-to-tx latency since start: count, p50_ns, "
				       "p99_ns, p999_ns, max_ns, drop_*. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/guard/egress", obs_egress,
				       "priority egress per port/class: enqueued, sent, "
				       "queue_full, depth_hwm, delay_p50_ns, delay_p99_ns. No "
				       "parameters") != 0)
		DP_LOG(WARNING, main, "cannot register the /guard telemetry commands");
	ret = rte_pdump_init();
	if (ret != 0)
		DP_LOG(WARNING, main, "pdump unavailable (dpdk-dumpcap cannot capture): %s",
		       rte_strerror(rte_errno));
}
