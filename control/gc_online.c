/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guardctl's online commands: status, stats [--watch], policy load, policy show (no IMAGE).
 * Each is one request on guard-control's socket (protocol in control/daemon/gd_server.h):
 * the arguments, NUL-terminated, then `EXIT <status>` and the output back. guard-control does
 * the work and the formatting; guardctl passes the output through, on stdout when the status
 * is 0 and on stderr otherwise, and exits with that status.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "gc_cmd.h"
#include "gc_out.h"

#define GC_SOCKET_DEFAULT   "/run/guard/control.sock"
#define GC_ONLINE_TIMEOUT_S 300 /* a policy load may compile for minutes */

const char gc_online_help[] =
	"usage: guardctl status [--json] [--socket PATH]\n"
	"       guardctl stats [--json] [--watch SEC [--count N]] [--socket PATH]\n"
	"       guardctl policy load FILE|IMAGE [--socket PATH]\n"
	"       guardctl policy show [--json] [--socket PATH]\n"
	"\n"
	"Ask the running guard (guard-control's socket; root or the operator group only).\n"
	"status       guardd (pid, uptime), the ruleset generation, the audit chain's head,\n"
	"             workers, ports and their links, rates over the last second\n"
	"stats        counters per channel and reason, and per lcore\n"
	"policy load  compile FILE (as you: only files you can read) off the dataplane and\n"
	"             swap it in; returns when every worker runs it, with the generation,\n"
	"             compile, load and swap times; a policy error changes nothing and is\n"
	"             printed as FILE:LINE:COLUMN: what\n"
	"policy show  the running generation (image, SHA-256, channels, patterns)\n"
	"\n"
	"  --json         one JSON object instead of a table\n"
	"  --watch SEC    stats: print again every SEC seconds until interrupted\n"
	"  --count N      stats --watch: stop after N prints\n"
	"  --socket PATH  guard-control's socket (default $GUARD_SOCKET, else " GC_SOCKET_DEFAULT
	")\n"
	"  -h, --help     this text\n"
	"\n"
	"Every request is recorded in the audit log with your uid.\n"
	"Exit status: 0 done, 1 the guard could not do it (the reason is printed), 2 usage\n"
	"error, no guard-control, or not allowed.\n";

const char *
gc_online_socket(const char *given)
{
	const char *env = getenv("GUARD_SOCKET");

	if (given != NULL)
		return given;
	return env != NULL && env[0] != '\0' ? env : GC_SOCKET_DEFAULT;
}

static int
capture_add(struct gc_capture *c, const char *buf, size_t n)
{
	if (c->len + n + 1 > c->cap) {
		size_t cap = c->cap != 0 ? c->cap : 65536;
		char *p;

		while (cap < c->len + n + 1)
			cap *= 2;
		p = realloc(c->buf, cap);
		if (p == NULL)
			return -1;
		c->buf = p;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, buf, n);
	c->len += n;
	c->buf[c->len] = '\0';
	return 0;
}

static int
send_all(int fd, const char *buf, size_t len)
{
	while (len != 0) {
		ssize_t w = send(fd, buf, len, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * One request. Prints the answer (stdout if its status is 0, else stderr) and returns the
 * status guardctl exits with.
 */
/*
 * One request. Prints the answer (stdout if its status is 0, else stderr), or with @p capture
 * keeps an answer of status 0 in memory instead (malloc'ed, NUL-terminated, the caller
 * frees it), and returns the status guardctl exits with.
 */
int
gc_online_request(const char *cmd, const char *sock, int n, const char *const *args,
		  struct gc_capture *capture)
{
	struct sockaddr_un addr;
	struct timeval tv = {.tv_sec = GC_ONLINE_TIMEOUT_S};
	char buf[65536], *nl;
	size_t have = 0;
	int fd, i, status = -1;
	bool head = false;

	if (strlen(sock) >= sizeof(addr.sun_path)) {
		gc_err(cmd, "socket path '%s' is too long", sock);
		return GC_EXIT_ERROR;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		gc_err(cmd, "socket: %s", strerror(errno));
		return GC_EXIT_ERROR;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, sock, strlen(sock) + 1);
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		gc_err(cmd,
		       "cannot reach guard-control at %s: %s (is it running? --socket or "
		       "GUARD_SOCKET name another socket)",
		       sock, strerror(errno));
		close(fd);
		return GC_EXIT_ERROR;
	}
	for (i = 0; i < n; i++)
		if (send_all(fd, args[i], strlen(args[i]) + 1) != 0)
			break;
	shutdown(fd, SHUT_WR);
	for (;;) {
		ssize_t r = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		buf[have] = '\0';
		if (!head) {
			nl = memchr(buf, '\n', have);
			if (nl == NULL) {
				if (have == sizeof(buf) - 1)
					break;
				continue;
			}
			if (sscanf(buf, "EXIT %d", &status) != 1)
				break;
			head = true;
			have -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, have);
		}
		if (capture != NULL && status == 0) {
			if (capture_add(capture, buf, have) != 0) {
				gc_err(cmd, "out of memory reading guard-control's answer");
				close(fd);
				return GC_EXIT_ERROR;
			}
		} else {
			fwrite(buf, 1, have, status == 0 ? stdout : stderr);
		}
		have = 0;
	}
	close(fd);
	if (!head) {
		gc_err(cmd, "guard-control at %s closed the connection without an answer", sock);
		return GC_EXIT_ERROR;
	}
	if (gc_out_flush(cmd) != 0)
		return GC_EXIT_ERROR;
	/* 3: refused by guard-control's authorisation: a usage-class error for scripts */
	return status == 0 ? GC_EXIT_OK : status == 1 ? GC_EXIT_NOT_OK : GC_EXIT_ERROR;
}

struct online_opts {
	bool json;
	const char *sock;
	unsigned long watch, count;
	int first_arg; /* optind after parsing */
};

static int
parse(const char *cmd, int argc, char **argv, struct online_opts *o, bool allow_watch)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},	 {"socket", required_argument, NULL, 's'},
		{"watch", required_argument, NULL, 'w'}, {"count", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},	 {NULL, 0, NULL, 0},
	};
	char *end;
	int opt;

	memset(o, 0, sizeof(*o));
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			o->json = true;
			break;
		case 's':
			o->sock = optarg;
			break;
		case 'w':
		case 'c':
			if (!allow_watch)
				return gc_usage_error(cmd, gc_online_help, "--%s is for stats only",
						      opt == 'w' ? "watch" : "count");
			errno = 0;
			*(opt == 'w' ? &o->watch : &o->count) = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] < '1' || optarg[0] > '9' ||
			    (opt == 'w' && o->watch > 3600))
				return gc_usage_error(cmd, gc_online_help,
						      "--%s '%s': want a whole number %s",
						      opt == 'w' ? "watch" : "count", optarg,
						      opt == 'w' ? "of seconds, 1..3600" : ">= 1");
			break;
		case 'h':
			fputs(gc_online_help, stdout);
			return gc_out_flush(cmd) == 0 ? 1 : GC_EXIT_ERROR;
		default:
			return gc_option_error(cmd, gc_online_help, opt, argv);
		}
	}
	if (o->count != 0 && o->watch == 0)
		return gc_usage_error(cmd, gc_online_help, "--count goes with --watch");
	o->first_arg = optind;
	return 0;
}

int
gc_cmd_status(int argc, char **argv)
{
	struct online_opts o;
	const char *args[2] = {"status", "--json"};
	int rc = parse("status", argc, argv, &o, false);

	if (rc != 0)
		return rc == 1 ? GC_EXIT_OK : rc;
	if (o.first_arg != argc)
		return gc_usage_error("status", gc_online_help, "unexpected argument '%s'",
				      argv[o.first_arg]);
	return gc_online_request("status", gc_online_socket(o.sock), o.json ? 2 : 1, args, NULL);
}

static volatile sig_atomic_t watch_stop;

static void
on_interrupt(int sig)
{
	(void)sig;
	watch_stop = 1;
}

int
gc_cmd_stats(int argc, char **argv)
{
	struct online_opts o;
	const char *args[2] = {"stats", "--json"};
	unsigned long done = 0;
	int rc = parse("stats", argc, argv, &o, true);

	if (rc != 0)
		return rc == 1 ? GC_EXIT_OK : rc;
	if (o.first_arg != argc)
		return gc_usage_error("stats", gc_online_help, "unexpected argument '%s'",
				      argv[o.first_arg]);
	if (o.watch == 0)
		return gc_online_request("stats", gc_online_socket(o.sock), o.json ? 2 : 1, args,
					 NULL);
	signal(SIGINT, on_interrupt);
	for (;;) {
		if (!o.json && isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout); /* a terminal: redraw in place */
		else if (!o.json)
			printf("--- %lu ---\n", done + 1);
		rc = gc_online_request("stats", gc_online_socket(o.sock), o.json ? 2 : 1, args,
				       NULL);
		if (rc != GC_EXIT_OK || ++done == o.count || watch_stop)
			return rc;
		for (unsigned long s = 0; s < o.watch * 10 && !watch_stop; s++) {
			struct timespec ts = {.tv_nsec = 100000000};

			nanosleep(&ts, NULL);
		}
		if (watch_stop)
			return GC_EXIT_OK;
	}
}

int
gc_policy_load_online(int argc, char **argv)
{
	struct online_opts o;
	char real[PATH_MAX];
	const char *args[3] = {"policy", "load", real};
	int rc = parse("policy load", argc, argv, &o, false);

	if (rc != 0)
		return rc == 1 ? GC_EXIT_OK : rc;
	if (argc - o.first_arg != 1)
		return gc_usage_error("policy load", gc_online_help,
				      "exactly one FILE expected, got %d", argc - o.first_arg);
	if (o.json)
		return gc_usage_error("policy load", gc_online_help, "--json is not for load");
	/* guard-control runs elsewhere: hand it the file's absolute name */
	if (realpath(argv[o.first_arg], real) == NULL) {
		gc_err("policy load", "%s: %s", argv[o.first_arg], strerror(errno));
		return GC_EXIT_ERROR;
	}
	return gc_online_request("policy load", gc_online_socket(o.sock), 3, args, NULL);
}

int
gc_policy_show_online(int argc, char **argv)
{
	struct online_opts o;
	const char *args[3] = {"policy", "show", "--json"};
	int rc = parse("policy show", argc, argv, &o, false);

	if (rc != 0)
		return rc == 1 ? GC_EXIT_OK : rc;
	return gc_online_request("policy show", gc_online_socket(o.sock), o.json ? 3 : 2, args,
				 NULL);
}
