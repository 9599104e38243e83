/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guard-control: the guard's control process (GUARD-SPEC 2 and 8), a DPDK secondary process
 * attached to guardd through guardd's shared state (dataplane/dp_shared.h).
 *
 *   main thread    the operator socket (gd_server.h, gd_cmds.h): status, stats, policy
 *                  load/show, audit head; once a second the rates and guardd's liveness
 *   audit thread   drains the workers' records, chains, writes, syncs (gd_audit.h), and
 *                  keeps the heartbeat guardd's audit path depends on
 *
 * guardd runs without it on its last ruleset (drops keep being dropped; releases that need a
 * record are dropped as audit_unavailable). A restarted guard-control re-attaches, resumes
 * the chain from the log's last line and drains what the workers queued meanwhile. If guardd
 * goes (or says it is stopping: its memory is about to be unmapped here too), guard-control
 * writes what is left, says so and exits (status 3): nothing can cross without guardd, and a
 * service manager restarts both together.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "dp_shared.h"
#include "gd_attach.h"
#include "gd_audit.h"
#include "gd_cmds.h"
#include "gd_log.h"
#include "gd_server.h"
#include "pc_policy.h"

#define GD_EXIT_GUARDD_GONE 3

/*
 * guard-control never calls rte_eal_cleanup(): in a secondary process it closes the devices
 * it attached, and net_pcap's close stops the port in the state it shares with guardd (link
 * down, queues stopped) - guardd's traffic would stop with guard-control. The process exit
 * releases what guard-control holds; guardd owns the devices.
 */
static atomic_bool quit;
static char prog_name[] = "guard-control"; /* argv[0] for getopt after EAL's arguments */

static void
on_signal(int sig)
{
	(void)sig;
	atomic_store(&quit, true);
}

struct gd_config {
	const char *audit_log;
	const char *socket_path;
	const char *group;
	const char *state_dir;
	const char *review_db;
	uint64_t rotate_bytes;
	unsigned int compile_seconds;
};

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s --proc-type=secondary --file-prefix PREFIX [EAL options] -- "
		"--audit-log FILE [options]\n"
		"  --audit-log FILE       the audit log (JSON Lines, hash-chained; required)\n"
		"  --socket PATH          operator socket (default /run/guard/control.sock)\n"
		"  --group NAME           operator group allowed on the socket besides root\n"
		"                         (default: root only)\n"
		"  --state-dir DIR        where loaded ruleset images are kept, with "
		"current.rules\n"
		"                         pointing at the running one (default /var/lib/guard)\n"
		"  --review-db FILE       the review queue (SQLite; default STATE-DIR/review.db)\n"
		"  --rotate-bytes N       rotate the audit log when it passes N bytes (default "
		"%llu)\n"
		"  --compile-timeout SEC  bound on a policy's Hyperscan compile (default %d)\n"
		"  --help                 this text\n",
		prog, (unsigned long long)GD_AUDIT_ROTATE_DEF, PC_COMPILE_SECONDS);
}

static int
parse_args(int argc, char **argv, struct gd_config *cfg)
{
	static const struct option opts[] = {
		{"audit-log", required_argument, NULL, 'a'},
		{"socket", required_argument, NULL, 's'},
		{"group", required_argument, NULL, 'g'},
		{"state-dir", required_argument, NULL, 'd'},
		{"rotate-bytes", required_argument, NULL, 'r'},
		{"review-db", required_argument, NULL, 'q'},
		{"compile-timeout", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char *end;
	int opt;

	cfg->socket_path = "/run/guard/control.sock";
	cfg->state_dir = "/var/lib/guard";
	cfg->compile_seconds = PC_COMPILE_SECONDS;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			cfg->audit_log = optarg;
			break;
		case 's':
			cfg->socket_path = optarg;
			break;
		case 'g':
			cfg->group = optarg;
			break;
		case 'd':
			cfg->state_dir = optarg;
			break;
		case 'q':
			cfg->review_db = optarg;
			break;
		case 'r':
			errno = 0;
			cfg->rotate_bytes = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] < '1' || optarg[0] > '9' ||
			    cfg->rotate_bytes < 4096) {
				fprintf(stderr,
					"guard-control: --rotate-bytes '%s': want a number "
					"of bytes >= 4096\n",
					optarg);
				return -1;
			}
			break;
		case 't': {
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] < '1' || optarg[0] > '9' ||
			    v > 3600) {
				fprintf(stderr,
					"guard-control: --compile-timeout '%s': want 1..3600 "
					"seconds\n",
					optarg);
				return -1;
			}
			cfg->compile_seconds = (unsigned int)v;
			break;
		}
		case 'h':
			usage(stdout, argv[0]);
			return 1;
		case ':':
			fprintf(stderr, "guard-control: option '%s' needs a value\n",
				argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "guard-control: unknown option '%s'\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "guard-control: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (cfg->audit_log == NULL) {
		fprintf(stderr, "guard-control: --audit-log FILE is required\n");
		return -1;
	}
	return 0;
}

static int
make_dirs(const struct gd_config *cfg)
{
	struct stat st;

	if (stat(cfg->state_dir, &st) != 0 && mkdir(cfg->state_dir, 0750) != 0) {
		GD_LOG("cannot create the state directory %s: %s", cfg->state_dir, strerror(errno));
		return -1;
	}
	return 0;
}

static void
on_review(void *ctx, const struct dp_audit_rec *rec)
{
	gd_review_take_message(ctx, rec);
}

int
main(int argc, char **argv)
{
	static char review_db[4200];
	struct gd_config cfg;
	struct gd_ctx c;
	struct sigaction sa;
	char err[1024];
	int ret, rc = EXIT_SUCCESS;
	time_t last_tick = 0;

	memset(&cfg, 0, sizeof(cfg));
	memset(&c, 0, sizeof(c));
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		GD_LOG("EAL initialisation failed: %s (guardd not running with this "
		       "--file-prefix, or not as root?)",
		       rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argc -= ret;
	argv += ret;
	argv[0] = prog_name;
	ret = parse_args(argc, argv, &cfg);
	if (ret != 0) {
		if (ret < 0)
			usage(stderr, "guard-control");
		return ret > 0 ? EXIT_SUCCESS : 2;
	}
	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		GD_LOG("guard-control attaches to guardd: give EAL --proc-type=secondary and "
		       "guardd's --file-prefix");
		rte_eal_cleanup(); /* a primary of its own: it owns nothing of guardd's */
		return EXIT_FAILURE;
	}
	c.sh = gd_attach("guard-control", err, sizeof(err));
	if (c.sh == NULL) {
		GD_LOG("%s", err);
		return EXIT_FAILURE;
	}
	if (make_dirs(&cfg) != 0)
		return EXIT_FAILURE;
	c.state_dir = cfg.state_dir;
	c.compile_seconds = cfg.compile_seconds;
	if (gd_audit_open(&c.audit, c.sh, cfg.audit_log, cfg.rotate_bytes, err, sizeof(err)) != 0) {
		GD_LOG("%s", err);
		return EXIT_FAILURE;
	}
	if (gd_server_open(&c.server, cfg.socket_path, cfg.group, err, sizeof(err)) != 0) {
		GD_LOG("%s", err);
		gd_audit_close(&c.audit);
		return EXIT_FAILURE;
	}
	if (cfg.review_db == NULL) {
		snprintf(review_db, sizeof(review_db), "%s/review.db", cfg.state_dir);
		cfg.review_db = review_db;
	}
	if (gd_review_open(&c.review, c.sh, &c.audit, cfg.review_db, err, sizeof(err)) != 0) {
		GD_LOG("%s", err);
		gd_server_close(&c.server);
		gd_audit_close(&c.audit);
		return EXIT_FAILURE;
	}
	c.audit.on_review = on_review;
	c.audit.on_review_ctx = &c.review;
	atomic_store(&c.sh->control_pid, (int32_t)getpid());
	atomic_fetch_add(&c.sh->control_attaches, 1);
	snprintf(err, sizeof(err), "guard-control pid %d attached to guardd pid %d; socket %s",
		 (int)getpid(), c.sh->guardd_pid, cfg.socket_path);
	gd_audit_note_control(&c.audit, "start", err);
	ret = gd_audit_start(&c.audit);
	if (ret != 0) {
		GD_LOG("cannot start the audit thread: %s", strerror(-ret));
		gd_server_close(&c.server);
		gd_audit_close(&c.audit);
		return EXIT_FAILURE;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	GD_LOG("%s", err);
	if (gd_pump_start(&c.pump, c.sh, &c.audit, cfg.review_db, err, sizeof(err)) != 0)
		GD_LOG("%s: approved items are not released until guard-control restarts", err);

	while (!atomic_load(&quit)) {
		if (gd_server_serve(&c.server, 200, gd_cmds_handle, gd_cmds_refused, &c) < 0)
			GD_LOG("socket error: %s", strerror(errno));
		if (atomic_load_explicit(&c.sh->guardd_stopping, memory_order_acquire)) {
			GD_LOG("guardd (pid %d) is stopping: writing the last records and letting "
			       "go",
			       c.sh->guardd_pid);
			rc = GD_EXIT_GUARDD_GONE;
			break;
		}
		if (time(NULL) != last_tick) {
			last_tick = time(NULL);
			gd_cmds_tick(&c);
			if (kill(c.sh->guardd_pid, 0) != 0 && errno == ESRCH) {
				GD_LOG("guardd (pid %d) is gone: nothing crosses now; exiting",
				       c.sh->guardd_pid);
				rc = GD_EXIT_GUARDD_GONE;
				break;
			}
		}
	}
	GD_LOG("stopping");
	gd_server_close(&c.server);
	gd_pump_stop(&c.pump);
	/*
	 * Let go of guardd's memory first: a stopping guardd waits 5 s at most, then frees
	 * its rings, which unmaps them here too. What is slow (the review messages still
	 * waiting, into SQLite with fsync) comes after, from memory of our own.
	 */
	gd_audit_detach(&c.audit);
	gd_review_detach(&c.review);
	atomic_store(&c.sh->control_pid, 0); /* the last touch of guardd's memory */
	/* before the audit log closes: the review threads write records to it */
	gd_review_close(&c.review);
	gd_audit_close(&c.audit);
	/* no rte_eal_cleanup(): see the comment above quit */
	return rc;
}
