/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guardctl's command table (the xdp-tools shape): every command is a name, a handler, a
 * one-line summary for `guardctl --help` and a full help text for `guardctl help NAME`.
 * Handlers get argv with argv[0] = the command name and return the process exit status
 * (GC_EXIT_* in gc_out.h). guardctl.c holds the table and main(); each command lives in a
 * file of its own.
 */
#ifndef GC_CMD_H
#define GC_CMD_H

struct gc_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *help; /**< full text: synopsis, options, exit status */
};

/* gc_check.c */
int gc_cmd_check(int argc, char **argv);
extern const char gc_check_help[];

/* gc_policy.c */
int gc_cmd_policy(int argc, char **argv);
extern const char gc_policy_help[];

/* gc_audit.c: `audit verify` and `audit tail` */
int gc_cmd_audit(int argc, char **argv);
extern const char gc_audit_help[];

/* gc_online.c: commands answered by guard-control over its socket */
int gc_cmd_status(int argc, char **argv);
int gc_cmd_stats(int argc, char **argv);
/* `policy load FILE` and `policy show` without an IMAGE; argv[0] is the subcommand. */
int gc_policy_load_online(int argc, char **argv);
int gc_policy_show_online(int argc, char **argv);
extern const char gc_online_help[];

/** An answer kept in memory by gc_online_request() (buf malloc'ed, NUL-terminated). */
struct gc_capture {
	char *buf;
	size_t len, cap;
};

/** guard-control's socket: @p given, else $GUARD_SOCKET, else the default. */
const char *gc_online_socket(const char *given);

/**
 * Send one request (@p n arguments) to guard-control at @p sock. The answer goes to stdout
 * (status 0) or stderr, or, with @p capture and status 0, into @p capture.
 * @return the exit status for guardctl (GC_EXIT_*)
 */
int gc_online_request(const char *cmd, const char *sock, int n, const char *const *args,
		      struct gc_capture *capture);

int gc_cmd_review(int argc, char **argv);
extern const char gc_review_help[];

/* `policy compile` and `policy show` (gc_image.c); argv[0] is the subcommand. */
int gc_policy_compile(int argc, char **argv);
int gc_policy_show(int argc, char **argv);

/* The text summary `policy check` prints (gc_policy.c), for `policy show`. */
struct insp_policy;
void gc_policy_print_summary(const char *path, const struct insp_policy *p);

/**
 * Report a usage error of command @p cmd ("check", "policy check") on stderr, followed by
 * its help text @p help, and return GC_EXIT_ERROR.
 */
int gc_usage_error(const char *cmd, const char *help, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Turn getopt_long's '?' or ':' return into a usage error (opterr must be 0 and the
 * option string must start with ':'). Returns GC_EXIT_ERROR.
 */
int gc_option_error(const char *cmd, const char *help, int c, char **argv);

#endif
