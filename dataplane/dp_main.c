/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guardd: the DPDK primary process of the guard.
 *
 * Start-up: EAL, options, the shared state guard-control attaches to (dp_shared.h), the
 * ruleset if one is given (fail to start on any error: a guard that runs with a policy other
 * than the operator's is worse than one that does not run; without one it starts and drops
 * everything as no_policy until guard-control loads one), ports, one context per worker,
 * launch. The main lcore then only sleeps, re-anchors the fast-path clock, follows the links
 * and guard-control's heartbeat, prints interval counters and watches for a signal or
 * --idle-exit. Reloads arrive on EAL's multi-process thread (dp_reload.h). Shutdown: stop
 * the workers, report, close ports, free.
 * This is the only file that may call rte_exit() (DPDK's rule for lib/ and drivers/).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_random.h>
#include <rte_ring.h>

#include "dp_args.h"
#include "dp_audit.h"
#include "dp_clock.h"
#include "dp_egress.h"
#include "dp_lcore.h"
#include "dp_gen.h"
#include "dp_latency.h"
#include "dp_leftovers.h"
#include "dp_link.h"
#include "dp_log.h"
#include "dp_observe.h"
#include "dp_peerio.h"
#include "dp_port.h"
#include "dp_reload.h"
#include "dp_shared.h"
#include "dp_stats.h"
#include "dp_worker.h"
#include "insp_inspect.h"
#include "insp_policy.h"
#include "rs_ruleset.h"

RTE_LOG_REGISTER(dp_logtype_main, guard.main, INFO);
RTE_LOG_REGISTER(dp_logtype_port, guard.port, INFO);

#define DP_MAIN_TICK_US 100000 /* main lcore wakes up ten times a second */

/* The one global: a signal handler can reach nothing else. Lock-free, so signal-safe. */
static atomic_bool quit_signal;

/* Everything the main lcore owns, released in one place (dp_main_teardown). */
struct dp_main {
	struct dp_config cfg;
	struct dp_reloader reload;
	struct dp_shared *shared;
	const struct rte_memzone *shared_mz;
	struct dp_ports ports;
	struct dp_clock clock;
	uint32_t max_msg;
	uint16_t n_workers;
	unsigned int workers[RTE_MAX_LCORE];
	struct dp_lcore_conf *lconf[RTE_MAX_LCORE];
	struct dp_lcore_stats *stats[RTE_MAX_LCORE];
	bool control_seen; /**< guard-control's heartbeat was fresh at the last tick */
	/* priority egress (dp_egress.h) */
	uint16_t eg_ports; /**< ports with class queues */
	int eg_meta_off;
	struct rte_ring *eg_ring[DP_EGRESS_PORTS][INSP_TCLASS_COUNT];
};

static void
dp_on_signal(int sig)
{
	RTE_SET_USED(sig);
	atomic_store_explicit(&quit_signal, true, memory_order_relaxed);
}

/* Exit status of a ruleset guardd refuses (docs/man/guardd.8). */
#define DP_EXIT_RULESET 2

/*
 * The largest channel max_size of the start-up ruleset, read before the ports exist (their
 * mbufs and the scratches are sized from it). The image is opened again, for good, by
 * dp_reload_load(); a refused image stops guardd here with the loader's message.
 */
static uint32_t
dp_peek_max_size(const char *path)
{
	struct rs_ruleset rs;
	struct insp_err err;
	uint8_t *image = NULL;
	size_t len = 0;
	uint32_t i, largest = 0;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = rs_image_read(path, &rs_alloc_libc, &image, &len, &err);
	if (rc == RS_OK)
		rc = rs_ruleset_open(&rs, image, len, &rs_alloc_libc, path, &err);
	if (rc != RS_OK) {
		free(image);
		rte_exit(DP_EXIT_RULESET, "%s\n",
			 err.msg[0] != '\0' ? err.msg : "ruleset refused (no reason given)");
	}
	for (i = 0; i < rs.policy.n_channels; i++)
		largest = RTE_MAX(largest, rs.policy.channels[i].max_size);
	rs_ruleset_close(&rs);
	free(image);
	return largest;
}

/*
 * Every --vdev given must have become a port. DPDK 22.11 logs a device that fails to probe
 * (a missing or unreadable pcap, a bad argument) and carries on, and the first symptom
 * would otherwise be a policy port "that does not exist": name the device instead.
 * @p argv is the command line as given (rte_eal_init() only reorders the pointers).
 */
static void
dp_check_vdevs(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *spec = NULL;
		char name[RTE_ETH_NAME_MAX_LEN];
		uint16_t port;
		size_t n;

		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--vdev") == 0 && i + 1 < argc)
			spec = argv[++i];
		else if (strncmp(argv[i], "--vdev=", 7) == 0)
			spec = argv[i] + 7;
		if (spec == NULL)
			continue;
		n = strcspn(spec, ",");
		if (n == 0 || n >= sizeof(name))
			rte_exit(EXIT_FAILURE, "--vdev '%s': no device name before the first ','\n",
				 spec);
		memcpy(name, spec, n);
		name[n] = '\0';
		if (rte_eth_dev_get_port_by_name(name, &port) != 0)
			rte_exit(EXIT_FAILURE,
				 "device %s did not start (--vdev %s): see the EAL messages above "
				 "(a missing or unreadable file, a socket in use, a bad "
				 "argument?)\n",
				 name, spec);
	}
}

/*
 * --max-msg, or the largest channel max_size of the start-up ruleset (or the largest
 * possible without one): the scratches and the mbufs are sized by it for guardd's lifetime.
 */
static void
dp_choose_max_msg(struct dp_main *m)
{
	uint32_t largest = m->cfg.ruleset_path != NULL ? dp_peek_max_size(m->cfg.ruleset_path) : 0;

	if (m->cfg.max_msg != 0) {
		m->max_msg = m->cfg.max_msg;
	} else if (m->cfg.ruleset_path == NULL) {
		m->max_msg = DP_MAX_MSG_LIMIT;
	} else {
		m->max_msg = largest != 0 ? largest : RTE_ETHER_MTU;
		m->max_msg = RTE_MAX(m->max_msg, (uint32_t)DP_MAX_MSG_MIN);
		m->max_msg = RTE_MIN(m->max_msg, (uint32_t)DP_MAX_MSG_LIMIT);
	}
	if (largest > m->max_msg)
		DP_LOG(WARNING, main,
		       "a channel allows %u-byte messages but guardd inspects at most %u "
		       "(--max-msg); larger ones are dropped as l2l4_oversize",
		       largest, m->max_msg);
}

/*
 * The shared state guard-control attaches to: the memzone, the audit ring and the pool of
 * records. Created once, before the ports, by the primary only.
 */
/*
 * The object chunks' ring to guard-slowpath and the approved items' ring from guard-control
 * (docs/slowpath.md). Neither pool has a per-lcore cache: the other process returns records.
 * A chunk record holds a whole payload; 4096 of them at --max-msg 1472 take 6 MiB.
 */
static void
dp_slowpath_create(struct dp_shared *sh)
{
	unsigned int n_slow = DP_SLOW_RING_SIZE + DP_MAX_WORKERS + 63;
	unsigned int n_rel = DP_RELEASE_RING_SIZE + 63;
	size_t slow_sz = sizeof(struct dp_slow_rec) + sh->max_msg;
	size_t rel_sz = sizeof(struct dp_release_rec) + sh->max_msg;

	sh->slow_ring =
		rte_ring_create(DP_SLOW_RING, DP_SLOW_RING_SIZE, SOCKET_ID_ANY, RING_F_SC_DEQ);
	sh->slow_pool = rte_mempool_create(DP_SLOW_POOL, n_slow, slow_sz, 0, 0, NULL, NULL, NULL,
					   NULL, SOCKET_ID_ANY, 0);
	sh->release_ring = rte_ring_create(DP_RELEASE_RING, DP_RELEASE_RING_SIZE, SOCKET_ID_ANY,
					   RING_F_SP_ENQ | RING_F_SC_DEQ);
	sh->release_pool = rte_mempool_create(DP_RELEASE_POOL, n_rel, rel_sz, 0, 0, NULL, NULL,
					      NULL, NULL, SOCKET_ID_ANY, 0);
	if (sh->slow_ring == NULL || sh->slow_pool == NULL || sh->release_ring == NULL ||
	    sh->release_pool == NULL)
		rte_exit(EXIT_FAILURE,
			 "cannot create the slow-path rings and pools (%u records of %zu bytes, "
			 "%u of %zu): %s; give EAL more memory (-m)\n",
			 n_slow, slow_sz, n_rel, rel_sz, rte_strerror(rte_errno));
}

static void
dp_shared_create(struct dp_main *m)
{
	struct dp_shared *sh;
	/*
	 * Every record is on the ring (at most its size - 1), in a worker's hands (one each) or
	 * in the writer's burst (64): a few more than the ring, no more. At --max-msg 8192 that
	 * is about 150 MiB of hugepage memory (docs/operations.md).
	 */
	unsigned int n_rec = DP_AUDIT_RING_SIZE + DP_MAX_WORKERS + 255;
	uint16_t port;

	m->shared_mz = rte_memzone_reserve(DP_SHARED_MZ, sizeof(*sh), SOCKET_ID_ANY,
					   RTE_MEMZONE_SIZE_HINT_ONLY);
	if (m->shared_mz == NULL)
		rte_exit(EXIT_FAILURE,
			 "cannot create the shared state '%s': %s (another guardd with this "
			 "--file-prefix?)\n",
			 DP_SHARED_MZ, rte_strerror(rte_errno));
	sh = m->shared_mz->addr;
	memset(sh, 0, sizeof(*sh));
	sh->magic = DP_SHARED_MAGIC;
	sh->version = DP_SHARED_VERSION;
	sh->size = (uint32_t)sizeof(*sh);
	sh->guardd_pid = (int32_t)getpid();
	sh->start_ms = dp_clock_ms(&m->clock, rte_rdtsc());
	sh->tsc_hz = rte_get_tsc_hz();
	sh->max_msg = m->max_msg;
	/* a layer 2-4 drop records its frame: room for the largest frame a port takes */
	sh->audit_payload_max = m->max_msg + 64;
	sh->n_workers = m->n_workers;
	sh->n_ports = rte_eth_dev_count_avail();
	RTE_ETH_FOREACH_DEV (port)
		if (rte_eth_dev_get_name_by_port(port, sh->port_name[port]) != 0)
			snprintf(sh->port_name[port], sizeof(sh->port_name[port]), "port%u", port);
	sh->audit_ring =
		rte_ring_create(DP_AUDIT_RING, DP_AUDIT_RING_SIZE, SOCKET_ID_ANY, RING_F_SC_DEQ);
	/* no per-lcore cache: guard-control returns records from another process */
	sh->audit_pool = rte_mempool_create(DP_AUDIT_POOL, n_rec,
					    sizeof(struct dp_audit_rec) + sh->audit_payload_max, 0,
					    0, NULL, NULL, NULL, NULL, SOCKET_ID_ANY, 0);
	if (sh->audit_ring == NULL || sh->audit_pool == NULL)
		rte_exit(EXIT_FAILURE,
			 "cannot create the audit ring and pool (%u records of %u bytes): %s; "
			 "give EAL more memory (-m)\n",
			 n_rec, (unsigned int)(sizeof(struct dp_audit_rec) + sh->audit_payload_max),
			 rte_strerror(rte_errno));
	dp_slowpath_create(sh);
	m->shared = sh;
}

static void *
dp_zmalloc_near(const char *what, size_t size, unsigned int lcore)
{
	void *p = rte_zmalloc_socket(what, size, RTE_CACHE_LINE_SIZE,
				     (int)rte_lcore_to_socket_id(lcore));

	/* A socket without hugepage memory of its own can still be served from another. */
	if (p == NULL)
		p = rte_zmalloc_socket(what, size, RTE_CACHE_LINE_SIZE, SOCKET_ID_ANY);
	return p;
}

static void
dp_setup_workers(struct dp_main *m)
{
	struct dp_lcore_conf *lc;
	uint16_t w, port;

	for (w = 0; w < m->n_workers; w++) {
		unsigned int lcore = m->workers[w];

		lc = dp_zmalloc_near("guard_lconf", sizeof(*lc), lcore);
		m->lconf[w] = lc;
		m->stats[w] = dp_zmalloc_near("guard_stats", sizeof(*m->stats[w]), lcore);
		if (lc == NULL || m->stats[w] == NULL)
			rte_exit(EXIT_FAILURE,
				 "out of DPDK memory for lcore %u's context; give "
				 "EAL more memory (-m)\n",
				 lcore);
		lc->lcore_id = lcore;
		lc->worker = w;
		lc->txq = w;
		RTE_ETH_FOREACH_DEV (port) {
			/* Rx queue w of each port belongs to worker w (dp_port.h). */
			if (m->ports.nb_rxq[port] > w) {
				lc->rxq[lc->n_rxq].port = port;
				lc->rxq[lc->n_rxq].queue = w;
				lc->rxq[lc->n_rxq].shared_mem =
					(uint8_t)dp_peerio_port_shared(port);
				lc->n_rxq++;
			}
			lc->port_mac[port] = m->ports.mac[port];
			lc->port_shared_mem[port] = (uint8_t)dp_peerio_port_shared(port);
		}
		if (lc->n_rxq == 0)
			DP_LOG(WARNING, main, "lcore %u polls no rx queue (too few device queues)",
			       lcore);
		lc->max_msg = m->max_msg;
		lc->drain_tsc = (rte_get_tsc_hz() + US_PER_S - 1) / US_PER_S * DP_DRAIN_US;
		lc->active = &m->reload.active;
		lc->qsbr = m->reload.qsbr;
		lc->shared = m->shared;
		m->shared->stats[w] = m->stats[w];
		m->shared->worker_lcore[w] = lcore;
		lc->stats = m->stats[w];
		lc->quit = &quit_signal;
		lc->clock = &m->clock;
		lc->ip_id = (uint16_t)rte_rand();
		lc->pool = m->ports.pool[rte_lcore_to_socket_id(lcore)];
		lc->egress_direct = m->cfg.egress_direct;
		lc->eg_meta_off = m->eg_meta_off;
		lc->n_ports = m->eg_ports;
		memcpy(lc->eg_ring, m->eg_ring, sizeof(lc->eg_ring));
	}
	/* worker 0 sends what every worker queues (dp_egress.h) */
	if (m->cfg.egress_direct)
		return;
	m->lconf[0]->eg_sched =
		dp_zmalloc_near("guard_egress", sizeof(*m->lconf[0]->eg_sched), m->workers[0]);
	if (m->lconf[0]->eg_sched == NULL)
		rte_exit(EXIT_FAILURE, "out of DPDK memory for the egress scheduler; give EAL more "
				       "memory (-m)\n");
	m->lconf[0]->eg_sched->n_ports = m->eg_ports;
}

/* The class queues of every egress port, before the workers exist. */
static void
dp_egress_setup(struct dp_main *m)
{
	char why[256];

	m->eg_ports = (uint16_t)RTE_MIN(rte_eth_dev_count_avail(), DP_EGRESS_PORTS);
	if (dp_egress_create(m->eg_ports, m->n_workers == 1, m->eg_ring, &m->eg_meta_off, why,
			     sizeof(why)) != 0)
		rte_exit(EXIT_FAILURE, "%s\n", why);
	if (m->cfg.egress_direct)
		DP_LOG(WARNING, main,
		       "--egress-direct: released packets are sent at once by their worker, "
		       "without class queues or shaping (the policy's egress links are ignored)");
}

/* Say when guard-control comes and goes: the audit path depends on it (dp_audit.h). */
static void
dp_watch_control(struct dp_main *m)
{
	bool up = dp_audit_path_up(m->shared, dp_clock_ms(&m->clock, rte_rdtsc()));

	if (up && !m->control_seen)
		DP_LOG(INFO, main, "guard-control (pid %d) attached: audit path up",
		       (int)atomic_load_explicit(&m->shared->control_pid, memory_order_relaxed));
	else if (!up && m->control_seen)
		DP_LOG(WARNING, main,
		       "guard-control's heartbeat stopped: audit path down; drops are still "
		       "dropped (audit_lost), releases that need a record are dropped "
		       "(audit_unavailable), the ruleset stays as it is");
	m->control_seen = up;
}

/* Idle detection: reads only what it needs, relaxed (a stale view delays exit a tick). */
static bool
dp_idle_for(const struct dp_main *m, uint64_t now, uint64_t idle_tsc)
{
	uint64_t rx = 0, last = 0, v;
	uint16_t w;

	for (w = 0; w < m->n_workers; w++) {
		rx += atomic_load_explicit(&m->stats[w]->rx_packets, memory_order_relaxed);
		v = atomic_load_explicit(&m->stats[w]->last_rx_tsc, memory_order_relaxed);
		last = RTE_MAX(last, v);
	}
	return rx != 0 && now > last && now - last >= idle_tsc;
}

static void
dp_main_loop(struct dp_main *m)
{
	uint64_t hz = rte_get_tsc_hz(), now = rte_rdtsc();
	uint64_t next_anchor = now + hz;
	uint64_t next_stats = now + (uint64_t)m->cfg.stats_interval * hz;
	uint64_t idle_tsc = (uint64_t)m->cfg.idle_exit * hz;
	struct dp_stats_sum *sum = NULL;

	if (m->cfg.stats_interval != 0) {
		sum = malloc(sizeof(*sum));
		if (sum == NULL)
			DP_LOG(WARNING, main, "no memory for interval counters; not printing them");
	}
	while (!atomic_load_explicit(&quit_signal, memory_order_relaxed)) {
		rte_delay_us_sleep(DP_MAIN_TICK_US);
		now = rte_rdtsc();
		if (now >= next_anchor) {
			if (dp_clock_anchor(&m->clock) != 0)
				DP_LOG(WARNING, main,
				       "cannot read CLOCK_REALTIME; keeping the "
				       "previous clock anchor");
			next_anchor = now + hz;
		}
		dp_link_poll(m->shared, m->reload.qsbr);
		dp_watch_control(m);
		if (sum != NULL && now >= next_stats) {
			dp_stats_collect(m->stats, m->n_workers, sum);
			printf("--- guardd counters ---\n");
			dp_stats_print(stdout, sum, m->shared, hz);
			dp_stats_print_egress(stdout, sum, hz);
			fflush(stdout);
			next_stats = now + (uint64_t)m->cfg.stats_interval * hz;
		}
		if (idle_tsc != 0 && dp_idle_for(m, now, idle_tsc)) {
			DP_LOG(INFO, main, "no packet for %u s: exiting (--idle-exit)",
			       m->cfg.idle_exit);
			break;
		}
	}
	free(sum);
}

/* Final report; returns 0, or -1 if the --stats-file could not be written. */
static int
dp_report(const struct dp_main *m)
{
	struct dp_stats_sum *sum = malloc(sizeof(*sum));
	struct dp_lat_report *lat = malloc(sizeof(*lat));
	int ret = 0;

	if (sum == NULL || lat == NULL) {
		fprintf(stderr, "guardd: no memory for the final counters\n");
		free(sum);
		free(lat);
		return -1;
	}
	dp_stats_collect(m->stats, m->n_workers, sum);
	dp_lat_report(&sum->lat_release, &sum->lat_drop, rte_get_tsc_hz(), lat);
	printf("=== guardd final counters ===\n");
	dp_stats_print(stdout, sum, m->shared, rte_get_tsc_hz());
	dp_lat_print(stdout, lat);
	dp_stats_print_egress(stdout, sum, rte_get_tsc_hz());
	dp_stats_print_ports(stdout);
	fflush(stdout);
	if (m->cfg.stats_file != NULL) {
		ret = dp_stats_write(m->cfg.stats_file, sum, m->shared, rte_get_tsc_hz(), lat);
		if (ret != 0) {
			fprintf(stderr, "guardd: cannot write stats file '%s': %s\n",
				m->cfg.stats_file, strerror(-ret));
			ret = -1;
		}
	}
	free(lat);
	free(sum);
	return ret;
}

/*
 * Freeing DPDK memory unmaps it in every attached process too: guard-control and
 * guard-slowpath must be done with the rings, the pools and the counters first. They see
 * guardd_stopping; guard-control drains the audit ring (the last records are written),
 * each clears its pid and exits. A process that does not answer in time is not waited
 * for any longer.
 */
static void
dp_wait_let_go(const char *who, _Atomic int32_t *pid_field)
{
	int32_t pid = atomic_load_explicit(pid_field, memory_order_relaxed);
	int i;

	if (pid <= 0 || kill(pid, 0) != 0)
		return;
	for (i = 0; i < 50; i++) {
		if (atomic_load_explicit(pid_field, memory_order_acquire) != pid ||
		    kill(pid, 0) != 0)
			return;
		rte_delay_us_sleep(DP_MAIN_TICK_US);
	}
	DP_LOG(WARNING, main, "%s (pid %d) did not let go within 5 s; stopping anyway", who,
	       (int)pid);
}

static void
dp_let_control_go(struct dp_main *m)
{
	atomic_store_explicit(&m->shared->guardd_stopping, 1, memory_order_release);
	dp_wait_let_go("guard-control", &m->shared->control_pid);
	dp_wait_let_go("guard-slowpath", &m->shared->slowpath_pid);
}

static void
dp_main_teardown(struct dp_main *m)
{
	uint16_t w;

	dp_port_close_all(&m->ports);
	for (w = 0; w < m->n_workers; w++) {
		/* a worker's scratch belongs to the generation: dp_reload_fini() frees it */
		if (m->lconf[w] != NULL)
			rte_free(m->lconf[w]->eg_sched);
		rte_free(m->lconf[w]);
		rte_free(m->stats[w]);
	}
	dp_reload_fini(&m->reload);
	if (m->shared != NULL) {
		rte_ring_free(m->shared->audit_ring);
		rte_mempool_free(m->shared->audit_pool);
		rte_ring_free(m->shared->slow_ring);
		rte_mempool_free(m->shared->slow_pool);
		rte_ring_free(m->shared->release_ring);
		rte_mempool_free(m->shared->release_pool);
	}
	rte_memzone_free(m->shared_mz);
}

/* The start-up ruleset, if any, becomes generation 1 before the workers start. */
static void
dp_load_first_ruleset(struct dp_main *m)
{
	struct dp_reload_reply rep;

	if (m->cfg.ruleset_path == NULL) {
		DP_LOG(WARNING, main,
		       "no --ruleset: every packet is dropped as no_policy until guard-control "
		       "loads one ('guardctl policy load')");
		return;
	}
	if (dp_reload_load(&m->reload, m->cfg.ruleset_path, &rep) != 0)
		rte_exit(DP_EXIT_RULESET, "%s\n", rep.msg);
	if (rep.msg[0] != '\0')
		DP_LOG(WARNING, main, "%s", rep.msg);
}

int
main(int argc, char **argv)
{
	struct dp_main m;
	struct sigaction sa;
	char why[256];
	unsigned int lcore;
	uint16_t w;
	int ret, rc = EXIT_SUCCESS;

	memset(&m, 0, sizeof(m));
	/* rte_eal_init() permutes argv: keep the command line for the device check */
	char **cmdline = malloc(sizeof(*cmdline) * (size_t)(argc + 1));
	int cmd_argc = argc;

	if (cmdline == NULL) {
		fprintf(stderr, "guardd: out of memory\n");
		return EXIT_FAILURE;
	}
	memcpy(cmdline, argv, sizeof(*cmdline) * (size_t)(argc + 1));
	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "EAL initialisation failed: %s\n", rte_strerror(rte_errno));
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		rte_exit(EXIT_FAILURE,
			 "guardd must be the primary process (do not give "
			 "--proc-type=secondary: guard-control attaches to guardd)\n");
	if (dp_leftovers_at_exit(cmd_argc, cmdline, rte_eal_get_runtime_dir()) != 0)
		DP_LOG(WARNING, main, "cannot arrange to remove the hugepage files at exit");
	dp_check_vdevs(cmd_argc, cmdline);
	free(cmdline);
	argc -= ret;
	argv += ret;

	ret = dp_args_parse(argc, argv, &m.cfg, why, sizeof(why));
	if (ret == 1) {
		rte_eal_cleanup();
		return EXIT_SUCCESS;
	}
	if (ret < 0) {
		dp_args_usage(stderr, argv[0]);
		rte_exit(EXIT_FAILURE, "%s\n", why);
	}

	RTE_LCORE_FOREACH_WORKER (lcore)
		m.workers[m.n_workers++] = lcore;
	if (m.n_workers == 0)
		rte_exit(EXIT_FAILURE, "no worker lcore: give EAL at least two lcores, e.g. "
				       "-l 0,1 (the main lcore does not poll)\n");
	if (m.n_workers > DP_MAX_WORKERS)
		rte_exit(EXIT_FAILURE, "%u worker lcores: guardd runs at most %d\n", m.n_workers,
			 DP_MAX_WORKERS);
	if (rte_eth_dev_count_avail() == 0)
		rte_exit(EXIT_FAILURE, "no ports: add --vdev arguments (e.g. --vdev "
				       "net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap) or NIC "
				       "addresses\n");

	ret = dp_clock_anchor(&m.clock);
	if (ret != 0)
		rte_exit(EXIT_FAILURE, "cannot anchor the clock: %s\n", strerror(-ret));
	dp_choose_max_msg(&m);
	dp_shared_create(&m);
	if (dp_gen_init_allocator() != 0)
		rte_exit(EXIT_FAILURE, "cannot point Hyperscan's scratch at hugepage memory\n");
	ret = dp_reload_init(&m.reload, m.shared, m.workers, m.n_workers, m.max_msg, why,
			     sizeof(why));
	if (ret != 0)
		rte_exit(EXIT_FAILURE, "%s\n", why);
	dp_load_first_ruleset(&m);

	ret = dp_port_setup(&m.ports, m.workers, m.n_workers, m.max_msg);
	if (ret != 0)
		rte_exit(EXIT_FAILURE, "port set-up failed (see the messages above): %s\n",
			 strerror(-ret));
	dp_link_init(m.shared);
	dp_egress_setup(&m);
	dp_setup_workers(&m);
	dp_observe_init(m.shared, &m.reload);
	ret = dp_reload_listen(&m.reload);
	if (ret != 0)
		DP_LOG(WARNING, main,
		       "no multi-process support (%s): guard-control cannot attach, no hot "
		       "reload, no audit path (--in-memory or --no-shconf given?)",
		       rte_strerror(-ret));

	ret = dp_peerio_install();
	if (ret != 0)
		rte_exit(EXIT_FAILURE, "cannot install the fault handler: %s\n", strerror(-ret));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dp_on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
		rte_exit(EXIT_FAILURE, "cannot install signal handlers: %s\n", strerror(errno));

	DP_LOG(INFO, main, "%u workers, %u ports, max-msg %u, ruleset %s", m.n_workers,
	       rte_eth_dev_count_avail(), m.max_msg,
	       m.cfg.ruleset_path != NULL ? m.cfg.ruleset_path : "none (no_policy)");
	for (w = 0; w < m.n_workers; w++) {
		ret = rte_eal_remote_launch(dp_worker_main, m.lconf[w], m.workers[w]);
		if (ret != 0) {
			atomic_store_explicit(&quit_signal, true, memory_order_relaxed);
			rte_eal_mp_wait_lcore();
			rte_exit(EXIT_FAILURE, "cannot launch worker on lcore %u: %s\n",
				 m.workers[w], strerror(-ret));
		}
	}

	dp_main_loop(&m);

	atomic_store_explicit(&quit_signal, true, memory_order_relaxed);
	rte_eal_mp_wait_lcore();
	/* what is still queued will not leave: counted tx_failed before the report */
	dp_egress_destroy(m.lconf[0], m.eg_ring, m.eg_ports);
	dp_let_control_go(&m);
	if (dp_report(&m) != 0)
		rc = EXIT_FAILURE;
	dp_main_teardown(&m);
	ret = rte_eal_cleanup();
	if (ret != 0)
		DP_LOG(WARNING, main, "EAL cleanup failed: %s", strerror(-ret));
	return rc;
}
