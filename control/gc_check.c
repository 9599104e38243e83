/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `guardctl check`: decide messages offline against a policy, with the guard's own
 * library (GUARD-SPEC 8). Options are parsed and cross-checked here; the message-file mode
 * lives here too, and the pcap mode in gc_pcap.c.
 *
 * Message files: each file's bytes are one message arriving on --channel, as if it were
 * the payload of a datagram of that channel: a file above the channel's max_size is
 * l2l4_oversize, as it would be on the wire. The results are collected first, so that the
 * table's columns can be sized; a file that cannot be read is reported and makes the exit
 * status 2, after the others were decided.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gc_check.h"
#include "gc_cmd.h"
#include "gc_load.h"
#include "gc_out.h"

#define NOW_MAX_SECONDS 253402300799ll /* 9999-12-31T23:59:59Z */

const char gc_check_help[] =
	"usage: guardctl check --policy FILE --channel NAME [--now EPOCH] [--json] [--quiet]\n"
	"                      MSGFILE...\n"
	"       guardctl check --policy FILE --pcap PCAP [--port N] [--now EPOCH|pcap]\n"
	"                      [--expect FILE.expect] [--json] [--quiet]\n"
	"\n"
	"Decide messages offline (no daemon) with the guard's own inspection library.\n"
	"\n"
	"  --policy FILE      policy to decide with (required)\n"
	"  --channel NAME     decide each MSGFILE's bytes as one message on this channel\n"
	"  --pcap PCAP        decide each frame of an Ethernet pcap: layers 2-4 and the\n"
	"                     channel lookup first, then the message on its channel\n"
	"  --port N           DPDK port the pcap's frames arrive on (default 0)\n"
	"  --now EPOCH        the time 'stale' is judged at, seconds since 1970\n"
	"                     (default: the current time)\n"
	"  --now pcap         with --pcap: each frame's capture time\n"
	"  --expect FILE      with --pcap: compare each frame's (channel, reason) with a\n"
	"                     gen-traffic sidecar; report mismatches and per-(channel,\n"
	"                     reason) totals\n"
	"  --quiet            no line per message: only mismatches, totals, summary\n"
	"  --json             JSON Lines: one object per line, each with a \"type\"\n"
	"  -h, --help         this text\n"
	"\n"
	"Exit status: 0 every message released (with --expect: every frame as the\n"
	"sidecar says), 1 some message dropped or held for review (with --expect: some\n"
	"mismatch), 2 usage, policy or input error.\n";

void
gc_counts_add(struct gc_counts *c, enum insp_reason r)
{
	c->total++;
	if (r == INSP_R_RELEASE)
		c->released++;
	else if (r == INSP_R_REVIEW || r == INSP_R_TO_SLOWPATH) /* held, as guardd counts */
		c->review++;
	else
		c->dropped++;
}

void
gc_counts_print(const struct gc_counts *c, const char *what)
{
	printf("%" PRIu64 " %s%s: %" PRIu64 " released, %" PRIu64 " dropped, %" PRIu64
	       " held for review\n",
	       c->total, what, c->total == 1 ? "" : "s", c->released, c->dropped, c->review);
}

void
gc_result_json(struct gc_json *j, const struct insp_result *res)
{
	const char *level = insp_level_name((enum insp_level)res->level);

	gc_json_str(j, "decision", gc_decision_name(res->reason));
	gc_json_str(j, "reason", insp_reason_name(res->reason));
	if (res->rule_id != 0)
		gc_json_uint(j, "rule_id", res->rule_id);
	else
		gc_json_null(j, "rule_id");
	if (res->uid[0] != '\0')
		gc_json_strn(j, "uid", res->uid, strnlen(res->uid, sizeof(res->uid)));
	else
		gc_json_null(j, "uid");
	gc_json_uint(j, "offset", res->offset);
	if (res->detail[0] != '\0')
		gc_json_strn(j, "detail", res->detail, strnlen(res->detail, sizeof(res->detail)));
	else
		gc_json_null(j, "detail");
	gc_json_str_or_null(j, "level", level);
	if (res->reason == INSP_R_RELEASE) {
		gc_json_uint(j, "tclass", res->tclass);
		gc_json_str(j, "class", gc_tclass_name(res->tclass));
	} else {
		gc_json_null(j, "tclass");
		gc_json_null(j, "class");
	}
	gc_json_bool(j, "label_normalised", res->label_normalised != 0);
}

const char *
gc_check_class(const struct insp_result *res)
{
	/* only a release has a class: it is what the egress scheduler queues it by */
	return res->reason == INSP_R_RELEASE ? gc_tclass_name(res->tclass) : "-";
}

/* "--now": a decimal number of seconds since 1970, or "pcap". */
static int
parse_now(const char *s, struct gc_check_opts *o)
{
	long long v = 0;

	if (strcmp(s, "pcap") == 0) {
		o->now_pcap = true;
		return 0;
	}
	if (s[0] == '\0')
		return -1;
	for (const char *c = s; *c != '\0'; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (*c - '0');
		if (v > NOW_MAX_SECONDS)
			return -1;
	}
	o->now_pcap = false;
	o->now_ms = (int64_t)v * 1000;
	return 0;
}

static int
parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (s[0] == '\0' || strlen(s) > 5)
		return -1;
	for (const char *c = s; *c != '\0'; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (unsigned long)(*c - '0');
	}
	if (v > UINT16_MAX)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int64_t
current_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- message files ---- */

struct file_row {
	const char *path;
	int read_ok;
	struct insp_result res;
};

/*
 * Read up to @p cap bytes of @p path into @p buf; *size is the file's length (more than
 * @p cap if it did not fit). 0, or -1 with a message.
 */
static int
read_message(const char *path, uint8_t *buf, size_t cap, size_t *size)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	size_t got = 0;

	if (fd < 0) {
		gc_err(GC_CHECK_CMD, "cannot open message '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		gc_err(GC_CHECK_CMD, "cannot read message '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		gc_err(GC_CHECK_CMD, "cannot read message '%s': %s", path,
		       S_ISDIR(st.st_mode) ? "it is a directory"
					   : "not a regular file (a FIFO, socket or device)");
		close(fd);
		return -1;
	}
	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			gc_err(GC_CHECK_CMD, "cannot read message '%s': %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*size = got;
	if (got == cap && S_ISREG(st.st_mode) && (uint64_t)st.st_size > got)
		*size = (size_t)st.st_size;
	close(fd);
	return 0;
}

static void
files_text(const struct file_row *rows, int n)
{
	size_t wf = strlen("FILE"), wr = strlen("REASON"), wu = strlen("UID");
	size_t wrule = strlen("RULE"), woff = strlen("OFFSET");

	for (int i = 0; i < n; i++) {
		char num[32];

		if (!rows[i].read_ok)
			continue;
		wf = wf > gc_text_width(rows[i].path) ? wf : gc_text_width(rows[i].path);
		if (strlen(insp_reason_name(rows[i].res.reason)) > wr)
			wr = strlen(insp_reason_name(rows[i].res.reason));
		if (gc_text_width(rows[i].res.uid) > wu)
			wu = gc_text_width(rows[i].res.uid);
		if ((size_t)snprintf(num, sizeof(num), "%" PRIu32, rows[i].res.rule_id) > wrule)
			wrule = strlen(num);
		if ((size_t)snprintf(num, sizeof(num), "%" PRIu32, rows[i].res.offset) > woff)
			woff = strlen(num);
	}
	printf("%-*s  %-8s  %-*s  %-9s  %-*s  %-*s  %-*s  %s\n", (int)wf, "FILE", "DECISION",
	       (int)wr, "REASON", "CLASS", (int)wrule, "RULE", (int)wu, "UID", (int)woff, "OFFSET",
	       "DETAIL");
	for (int i = 0; i < n; i++) {
		const struct insp_result *r = &rows[i].res;
		char num[32];

		if (!rows[i].read_ok)
			continue;
		gc_text_put(stdout, rows[i].path, wf);
		printf("  %-8s  %-*s  %-9s  ", gc_decision_name(r->reason), (int)wr,
		       insp_reason_name(r->reason), gc_check_class(r));
		if (r->rule_id != 0)
			snprintf(num, sizeof(num), "%" PRIu32, r->rule_id);
		else
			snprintf(num, sizeof(num), "-");
		printf("%-*s  ", (int)wrule, num);
		gc_text_put(stdout, r->uid, wu);
		if (r->reason != INSP_R_RELEASE)
			snprintf(num, sizeof(num), "%" PRIu32, r->offset);
		else
			snprintf(num, sizeof(num), "-");
		printf("  %-*s  ", (int)woff, num);
		gc_text_put(stdout, r->detail, 0);
		fputc('\n', stdout);
	}
}

static void
files_json(const struct file_row *rows, int n, const char *channel)
{
	struct gc_json j;

	for (int i = 0; i < n; i++) {
		if (!rows[i].read_ok)
			continue;
		gc_json_init(&j, stdout);
		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "type", "message");
		gc_json_str(&j, "file", rows[i].path);
		gc_json_str(&j, "channel", channel);
		gc_result_json(&j, &rows[i].res);
		gc_json_end_object(&j);
		gc_json_finish(&j);
	}
}

static void
summary_json(const struct gc_counts *c, uint64_t errors, int status)
{
	struct gc_json j;

	gc_json_init(&j, stdout);
	gc_json_begin_object(&j, NULL);
	gc_json_str(&j, "type", "summary");
	gc_json_uint(&j, "messages", c->total);
	gc_json_uint(&j, "released", c->released);
	gc_json_uint(&j, "dropped", c->dropped);
	gc_json_uint(&j, "review", c->review);
	gc_json_uint(&j, "unreadable", errors);
	gc_json_int(&j, "exit_status", status);
	gc_json_end_object(&j);
	gc_json_finish(&j);
}

static int
check_files(const struct gc_check_opts *o, const struct insp_policy *p, int n, char **files)
{
	int ch = gc_channel_find(p, o->channel);
	const struct insp_channel *chan;
	struct insp_scratch *scr;
	struct file_row *rows;
	struct gc_counts counts = {0};
	uint64_t errors = 0;
	uint8_t *buf;
	int status;

	if (ch < 0) {
		char names[INSP_MAX_CHANNELS * (INSP_NAME_MAX + 2) + 8];

		gc_err(GC_CHECK_CMD, "channel '%s' not in policy %s (channels: %s)", o->channel,
		       o->policy_path, gc_channel_names(p, names, sizeof(names)));
		return GC_EXIT_ERROR;
	}
	chan = &p->channels[ch];
	scr = insp_scratch_create(p, chan->max_size);
	buf = malloc((size_t)chan->max_size + 1);
	rows = calloc((size_t)n, sizeof(*rows));
	if (scr == NULL || buf == NULL || rows == NULL) {
		gc_err(GC_CHECK_CMD, "out of memory");
		insp_scratch_free(scr);
		free(buf);
		free(rows);
		return GC_EXIT_ERROR;
	}
	for (int i = 0; i < n; i++) {
		struct insp_result *res = &rows[i].res;
		size_t size;

		rows[i].path = files[i];
		if (read_message(files[i], buf, (size_t)chan->max_size + 1, &size) != 0) {
			errors++;
			continue;
		}
		rows[i].read_ok = 1;
		if (size > chan->max_size) {
			/* what the dataplane would say of such a datagram */
			memset(res, 0, sizeof(*res));
			res->reason = INSP_R_L2L4_OVERSIZE;
			res->level = INSP_LEVEL_NONE;
			snprintf(res->detail, sizeof(res->detail),
				 "message of %zu bytes above channel '%s' max_size %" PRIu32, size,
				 chan->name, chan->max_size);
		} else {
			insp_inspect(p, scr, (uint32_t)ch, buf, size, o->now_ms, res);
		}
		gc_counts_add(&counts, res->reason);
	}
	if (errors > 0)
		status = GC_EXIT_ERROR;
	else
		status = counts.released == counts.total ? GC_EXIT_OK : GC_EXIT_NOT_OK;
	if (o->json) {
		if (!o->quiet)
			files_json(rows, n, chan->name);
		summary_json(&counts, errors, status);
	} else {
		if (!o->quiet)
			files_text(rows, n);
		gc_counts_print(&counts, "message");
		if (errors > 0)
			printf("%" PRIu64 " file%s could not be read (see above)\n", errors,
			       errors == 1 ? "" : "s");
	}
	insp_scratch_free(scr);
	free(buf);
	free(rows);
	if (gc_out_flush(GC_CHECK_CMD) != 0)
		return GC_EXIT_ERROR;
	return status;
}

/* ---- options ---- */

enum {
	OPT_POLICY = 256,
	OPT_CHANNEL,
	OPT_PCAP,
	OPT_PORT,
	OPT_NOW,
	OPT_EXPECT,
	OPT_JSON,
	OPT_QUIET,
};

int
gc_cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"policy", required_argument, NULL, OPT_POLICY},
		{"channel", required_argument, NULL, OPT_CHANNEL},
		{"pcap", required_argument, NULL, OPT_PCAP},
		{"port", required_argument, NULL, OPT_PORT},
		{"now", required_argument, NULL, OPT_NOW},
		{"expect", required_argument, NULL, OPT_EXPECT},
		{"json", no_argument, NULL, OPT_JSON},
		{"quiet", no_argument, NULL, OPT_QUIET},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct gc_check_opts o;
	bool port_set = false, now_set = false;
	struct insp_policy *p;
	int opt, status;

	memset(&o, 0, sizeof(o));
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_POLICY:
			o.policy_path = optarg;
			break;
		case OPT_CHANNEL:
			o.channel = optarg;
			break;
		case OPT_PCAP:
			o.pcap = optarg;
			break;
		case OPT_PORT:
			if (parse_port(optarg, &o.port) != 0)
				return gc_usage_error(GC_CHECK_CMD, gc_check_help,
						      "--port '%s': expected a DPDK port id "
						      "0..65535",
						      optarg);
			port_set = true;
			break;
		case OPT_NOW:
			if (parse_now(optarg, &o) != 0)
				return gc_usage_error(GC_CHECK_CMD, gc_check_help,
						      "--now '%s': expected seconds since 1970 "
						      "(0..%lld) or 'pcap'",
						      optarg, NOW_MAX_SECONDS);
			now_set = true;
			break;
		case OPT_EXPECT:
			o.expect = optarg;
			break;
		case OPT_JSON:
			o.json = true;
			break;
		case OPT_QUIET:
			o.quiet = true;
			break;
		case 'h':
			fputs(gc_check_help, stdout);
			return gc_out_flush(GC_CHECK_CMD) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
		default:
			return gc_option_error(GC_CHECK_CMD, gc_check_help, opt, argv);
		}
	}
	if (o.policy_path == NULL)
		return gc_usage_error(GC_CHECK_CMD, gc_check_help, "--policy FILE is required");
	if (o.pcap != NULL) {
		if (o.channel != NULL)
			return gc_usage_error(GC_CHECK_CMD, gc_check_help,
					      "--channel is for message files; with --pcap each "
					      "frame's channel comes from its port and addresses");
		if (optind < argc)
			return gc_usage_error(GC_CHECK_CMD, gc_check_help,
					      "message files ('%s') and --pcap exclude each other",
					      argv[optind]);
	} else {
		if (o.expect != NULL)
			return gc_usage_error(GC_CHECK_CMD, gc_check_help,
					      "--expect compares frames: it needs --pcap");
		if (port_set)
			return gc_usage_error(GC_CHECK_CMD, gc_check_help,
					      "--port is the port of pcap frames: it needs --pcap");
		if (o.now_pcap)
			return gc_usage_error(GC_CHECK_CMD, gc_check_help,
					      "--now pcap takes the time of pcap frames: it needs "
					      "--pcap");
		if (o.channel == NULL)
			return gc_usage_error(GC_CHECK_CMD, gc_check_help,
					      "--channel NAME (with MSGFILE...) or --pcap PCAP is "
					      "required");
		if (optind == argc)
			return gc_usage_error(GC_CHECK_CMD, gc_check_help,
					      "no MSGFILE given to decide on channel '%s'",
					      o.channel);
	}
	if (!now_set) {
		o.now_ms = current_ms();
		if (o.now_ms < 0) {
			gc_err(GC_CHECK_CMD, "cannot read the clock: %s; give --now",
			       strerror(errno));
			return GC_EXIT_ERROR;
		}
	}
	p = gc_policy_load(GC_CHECK_CMD, o.policy_path, NULL);
	if (p == NULL)
		return GC_EXIT_ERROR;
	if (o.pcap != NULL)
		status = gc_check_pcap(&o, p);
	else
		status = check_files(&o, p, argc - optind, argv + optind);
	gc_policy_free(p);
	return status;
}
