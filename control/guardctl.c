/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guardctl: the operator's command line (GUARD-SPEC 8). main() and the command table;
 * each command lives in a file of its own (gc_*.c). The offline commands (`check`, `policy
 * check|compile|show IMAGE`, `audit verify|tail`) need no daemon; the online ones (`status`,
 * `stats`, `policy load`, `policy show` without IMAGE) ask guard-control (gc_online.c).
 *
 * Conventions every command follows (docs/guardctl.md): tables for people on stdout,
 * --json for scripts, errors on stderr as "guardctl: COMMAND: what (where, why)", exit
 * status 0 / 1 / 2 = all good / something not released or not as expected / usage,
 * policy or input error.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gc_cmd.h"
#include "gc_out.h"

#ifndef GUARD_VERSION
#define GUARD_VERSION "unknown"
#endif

static int cmd_help(int argc, char **argv);

static const char help_help[] = "usage: guardctl help [COMMAND]\n"
				"\n"
				"Print the list of commands, or the full help of COMMAND.\n";

static const struct gc_cmd commands[] = {
	{"check", gc_cmd_check, "decide message files or a pcap against a policy (offline)",
	 gc_check_help},
	{"policy", gc_cmd_policy, "policy check FILE: validate a policy and summarise it",
	 gc_policy_help},
	{"audit", gc_cmd_audit, "audit verify|tail FILE: check the audit log's chain, or its end",
	 gc_audit_help},
	{"status", gc_cmd_status, "status: the running guard (generation, audit, ports, rates)",
	 gc_online_help},
	{"stats", gc_cmd_stats, "stats [--watch SEC]: the running guard's counters",
	 gc_online_help},
	{"review", gc_cmd_review, "review list|show|approve|reject|export: the review queue",
	 gc_review_help},
	{"help", cmd_help, "help [COMMAND]: this list, or a command's full help", help_help},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	fputs("usage: guardctl [--version] [--help] COMMAND [ARGS]\n"
	      "\n"
	      "The guard's operator command line. Commands:\n",
	      f);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "`guardctl help COMMAND` or `guardctl COMMAND --help` explains a command.\n"
	      "Exit status: 0 all released / valid, 1 something not released (or not as\n"
	      "expected), 2 usage, policy or input error. See docs/guardctl.md.\n",
	      f);
}

static const struct gc_cmd *
find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int
cmd_help(int argc, char **argv)
{
	const struct gc_cmd *c;

	if (argc < 2) {
		usage(stdout);
		return gc_out_flush("help") == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
	}
	if (argc > 3 || (argc == 3 && strcmp(argv[1], "policy") != 0)) {
		gc_err("help", "one COMMAND expected");
		fputs(help_help, stderr);
		return GC_EXIT_ERROR;
	}
	c = find(argv[1]);
	if (c == NULL) {
		gc_err("help", "unknown command '%s'", argv[1]);
		usage(stderr);
		return GC_EXIT_ERROR;
	}
	/* "help policy check" is the policy help too: it covers its subcommands */
	if (argc == 3 && strcmp(argv[2], "check") != 0) {
		gc_err("help", "unknown policy subcommand '%s' (known: check)", argv[2]);
		return GC_EXIT_ERROR;
	}
	fputs(c->help, stdout);
	return gc_out_flush("help") == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
}

int
gc_usage_error(const char *cmd, const char *help, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "guardctl: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n\n", stderr);
	fputs(help, stderr);
	return GC_EXIT_ERROR;
}

int
gc_option_error(const char *cmd, const char *help, int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':')
		return gc_usage_error(cmd, help, "option '%s' needs an argument", arg);
	if (optopt != 0 && optopt < 256)
		return gc_usage_error(cmd, help, "unknown option '-%c'", optopt);
	return gc_usage_error(cmd, help, "unknown option '%s'", arg);
}

int
main(int argc, char **argv)
{
	const struct gc_cmd *c;
	const char *name;

	if (argc < 2) {
		gc_err(NULL, "a COMMAND is required");
		usage(stderr);
		return GC_EXIT_ERROR;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return gc_out_flush(NULL) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
	}
	if (strcmp(name, "--version") == 0) {
		printf("guardctl %s\n", GUARD_VERSION);
		return gc_out_flush(NULL) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
	}
	if (name[0] == '-') {
		gc_err(NULL, "unknown option '%s' (options go after the COMMAND)", name);
		usage(stderr);
		return GC_EXIT_ERROR;
	}
	c = find(name);
	if (c == NULL) {
		gc_err(NULL, "unknown command '%s'", name);
		usage(stderr);
		return GC_EXIT_ERROR;
	}
	return c->fn(argc - 1, argv + 1);
}
