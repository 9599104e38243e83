/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guard-slowpath: the slow path for unstructured objects (GUARD-SPEC 6, docs/slowpath.md), a
 * DPDK secondary process attached to guardd like guard-control.
 *
 *   main thread        heartbeat (guardd hands chunks over only while it is fresh), intake:
 *                      guardd's ring -> chunk headers -> reassembly -> the job queue
 *   inspection threads type, active content, CDR, label and terms -> refused, or into the
 *                      review queue (pending, or approved by a `release: direct` channel)
 *
 * Whatever this process costs, the fast path does not wait for it: guardd's workers only
 * copy a chunk onto a ring, and drop it (slowpath_busy / slowpath_down) when the ring is
 * full or this process is gone. Objects are never released from here: approved items leave
 * through guard-control's release pump and guardd's egress.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
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
#include "sd_inspect.h"
#include "sd_intake.h"
#include "sd_job.h"
#include "sd_log.h"
#include "sd_stats.h"
#include "sp_image.h"
#include "gd_time.h"

#define SD_EXIT_GUARDD_GONE 3

static atomic_bool quit;
static char prog_name[] = "guard-slowpath";

static void
on_signal(int sig)
{
	(void)sig;
	atomic_store(&quit, true);
}

struct sd_config {
	const char *review_db;
	const char *stats_file;
	unsigned int threads;
	uint32_t max_objects;
	uint64_t max_bytes;
	uint32_t timeout_ms;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: guard-slowpath --proc-type=secondary --file-prefix PREFIX [EAL options] "
		"-- --review-db FILE [options]\n"
		"  --review-db FILE        the review queue (SQLite; the one guard-control uses)\n"
		"  --stats-file FILE       write the counters here every second and at exit\n"
		"  --threads N             inspection threads (default 1, at most %d)\n"
		"  --max-objects N         objects being reassembled at once (default 1024)\n"
		"  --max-bytes N           their bytes (default 268435456: 256 MiB); also the\n"
		"                          bound of reassembled objects waiting for inspection\n"
		"  --timeout-ms N          an object's time from its first chunk to its last\n"
		"                          (default 30000)\n"
		"  --help                  this text\n",
		SD_MAX_THREADS);
}

static int
number(const char *opt, const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0' || v[0] < '0' || v[0] > '9' || *out < lo || *out > hi) {
		fprintf(stderr, "guard-slowpath: %s '%s': want a whole number %llu..%llu\n", opt, v,
			(unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	return 0;
}

static int
parse_args(int argc, char **argv, struct sd_config *cfg)
{
	static const struct option opts[] = {
		{"review-db", required_argument, NULL, 'q'},
		{"stats-file", required_argument, NULL, 's'},
		{"threads", required_argument, NULL, 't'},
		{"max-objects", required_argument, NULL, 'o'},
		{"max-bytes", required_argument, NULL, 'b'},
		{"timeout-ms", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	uint64_t v;
	int opt;

	cfg->threads = 1;
	cfg->max_objects = 1024;
	cfg->max_bytes = 256ull << 20;
	cfg->timeout_ms = 30000;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case 'q':
			cfg->review_db = optarg;
			break;
		case 's':
			cfg->stats_file = optarg;
			break;
		case 't':
			if (number("--threads", optarg, 1, SD_MAX_THREADS, &v) != 0)
				return -1;
			cfg->threads = (unsigned int)v;
			break;
		case 'o':
			if (number("--max-objects", optarg, 1, 1u << 20, &v) != 0)
				return -1;
			cfg->max_objects = (uint32_t)v;
			break;
		case 'b':
			if (number("--max-bytes", optarg, 4096, 1ull << 40, &v) != 0)
				return -1;
			cfg->max_bytes = v;
			break;
		case 'm':
			if (number("--timeout-ms", optarg, 10, 3600000, &v) != 0)
				return -1;
			cfg->timeout_ms = (uint32_t)v;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			fprintf(stderr, "guard-slowpath: option '%s' needs a value\n",
				argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "guard-slowpath: unknown option '%s'\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "guard-slowpath: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (cfg->review_db == NULL) {
		fprintf(stderr, "guard-slowpath: --review-db FILE is required\n");
		return -1;
	}
	return 0;
}

static void
write_stats(const struct sd_config *cfg, const struct sd_stats *st, const struct dp_shared *sh)
{
	int rc;

	if (cfg->stats_file == NULL)
		return;
	rc = sd_stats_write(cfg->stats_file, st, sh);
	if (rc != 0)
		SD_LOG("cannot write %s: %s", cfg->stats_file, strerror(-rc));
}

int
main(int argc, char **argv)
{
	struct sd_stats *stats;
	struct sd_config cfg;
	struct sd_intake intake;
	struct sd_inspect ins;
	struct sd_queue queue;
	struct dp_shared *sh;
	struct sigaction sa;
	char err[1024];
	int ret, rc = EXIT_SUCCESS;
	int32_t other;
	int64_t last_stats = 0;

	memset(&cfg, 0, sizeof(cfg));
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		SD_LOG("EAL initialisation failed: %s (guardd not running with this --file-prefix, "
		       "or not as root?)",
		       rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argc -= ret;
	argv += ret;
	argv[0] = prog_name;
	ret = parse_args(argc, argv, &cfg);
	if (ret != 0) {
		if (ret < 0)
			usage(stderr);
		return ret > 0 ? EXIT_SUCCESS : 2;
	}
	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		SD_LOG("guard-slowpath attaches to guardd: give EAL --proc-type=secondary and "
		       "guardd's --file-prefix");
		rte_eal_cleanup();
		return EXIT_FAILURE;
	}
	sh = gd_attach("guard-slowpath", err, sizeof(err));
	if (sh == NULL) {
		SD_LOG("%s", err);
		return EXIT_FAILURE;
	}
	other = atomic_load(&sh->slowpath_pid);
	if (other > 0 && other != getpid() && kill(other, 0) == 0) {
		SD_LOG("another guard-slowpath (pid %d) is attached to this guardd; stop it first",
		       (int)other);
		return EXIT_FAILURE;
	}
	stats = sd_stats_attach(err, sizeof(err));
	if (stats == NULL) {
		SD_LOG("%s", err);
		return EXIT_FAILURE;
	}
	if (sp_image_init(prog_name, err, sizeof(err)) != 0) {
		SD_LOG("%s", err);
		return EXIT_FAILURE;
	}
	sd_queue_init(&queue, 256, cfg.max_bytes);
	if (sd_intake_init(&intake, sh, stats, &queue, cfg.max_objects, cfg.max_bytes,
			   cfg.timeout_ms, err, sizeof(err)) != 0 ||
	    sd_inspect_start(&ins, sh, stats, &queue, cfg.review_db, cfg.threads, err,
			     sizeof(err)) != 0) {
		SD_LOG("%s", err);
		return EXIT_FAILURE;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	atomic_store(&sh->slowpath_pid, (int32_t)getpid());
	SD_LOG("pid %d attached to guardd pid %d: %u inspection thread%s, review queue %s",
	       (int)getpid(), sh->guardd_pid, cfg.threads, cfg.threads == 1 ? "" : "s",
	       cfg.review_db);

	while (!atomic_load(&quit)) {
		int64_t t = gd_now_ms();

		atomic_store_explicit(&sh->slowpath_heartbeat_ms, (uint64_t)t,
				      memory_order_relaxed);
		if (atomic_load_explicit(&sh->guardd_stopping, memory_order_acquire)) {
			SD_LOG("guardd (pid %d) is stopping: letting go", sh->guardd_pid);
			rc = SD_EXIT_GUARDD_GONE;
			break;
		}
		if (sd_intake_poll(&intake, t) == 0) {
			struct timespec ts = {.tv_nsec = 200000};

			nanosleep(&ts, NULL);
		}
		if (t - last_stats >= 1000) {
			last_stats = t;
			write_stats(&cfg, stats, sh);
			if (kill(sh->guardd_pid, 0) != 0 && errno == ESRCH) {
				SD_LOG("guardd (pid %d) is gone; exiting", sh->guardd_pid);
				rc = SD_EXIT_GUARDD_GONE;
				break;
			}
		}
	}
	/* guardd stops handing chunks over from now */
	atomic_store(&sh->slowpath_heartbeat_ms, 0);
	if (rc == SD_EXIT_GUARDD_GONE) {
		/*
		 * A stopping guardd waits 5 s at most, then frees its rings: let go first,
		 * and only then wait for the decisions still running (a large PDF takes
		 * seconds). Their records are lost (audit_lost), the objects stay queued.
		 */
		SD_LOG("stopping: objects waiting for inspection are dropped undecided");
		atomic_store(&ins.abandon, true);
		sd_inspect_detach(&ins);
		sd_intake_fini(&intake);
		write_stats(&cfg, stats, sh);
		atomic_store(&sh->slowpath_pid, 0); /* the last touch of guardd's memory */
		sd_inspect_stop(&ins, true);
		if (atomic_load(&ins.abandoned) != 0)
			SD_LOG("%" PRIu64 " reassembled objects dropped undecided (their senders "
			       "must send them again)",
			       (uint64_t)atomic_load(&ins.abandoned));
	} else {
		SD_LOG("stopping: finishing the objects waiting for inspection");
		sd_inspect_stop(&ins, false);
		sd_intake_fini(&intake);
		write_stats(&cfg, stats, sh);
		/* the last touch of guardd's memory: a stopping guardd waits for it */
		atomic_store(&sh->slowpath_pid, 0);
	}
	sp_image_shutdown();
	return rc;
}
