/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guardctl review: the human review queue (docs/review.md), answered by guard-control over
 * its socket like status and stats. guard-control knows who is asking (SO_PEERCRED) and maps
 * the uid to a reviewer name from the running policy; guardctl only passes the request on.
 * `export` is the one that does more here: the item's bytes come back base64-encoded and
 * guardctl writes them, as the user who asked, into files it creates (never overwrites).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "gc_cmd.h"
#include "gc_out.h"

const char gc_review_help[] =
	"usage: guardctl review list [--state STATE] [--json] [--socket PATH]\n"
	"       guardctl review show ID [--json] [--socket PATH]\n"
	"       guardctl review approve ID [--comment TEXT] [--socket PATH]\n"
	"       guardctl review reject ID [--comment TEXT] [--socket PATH]\n"
	"       guardctl review export ID DIR [--socket PATH]\n"
	"\n"
	"The review queue of the running guard: objects the slow path held and messages the\n"
	"fast path decided 'review' (docs/review.md).\n"
	"list     items in a state: pending (default), approved, rejected, sending, released,\n"
	"         interrupted, or all\n"
	"show     one item: label, types, findings, who acted, and the extracted text with the\n"
	"         matches marked [[like this]]\n"
	"approve  approve as the reviewer your uid is in the policy's review.reviewers; above\n"
	"         review.two_person_from it takes two different reviewers, and nobody approves\n"
	"         what they sent; an approved item leaves through the dataplane, once\n"
	"reject   reject (one reviewer is enough); the item never leaves\n"
	"export   write the item's bytes and a JSON sidecar (every field and action) into DIR\n"
	"         as ID.<ext> and ID.json; existing files are never overwritten\n"
	"\n"
	"  --state STATE   list: which items (default pending)\n"
	"  --comment TEXT  approve/reject: a note kept with the action and in the audit log\n"
	"  --json          one JSON document instead of a table\n"
	"  --socket PATH   guard-control's socket (default $GUARD_SOCKET, else "
	"/run/guard/control.sock)\n"
	"\n"
	"Every request is recorded in the audit log with your uid.\n"
	"Exit status: 0 done, 1 refused (the reason is printed: not a reviewer, self-approval,\n"
	"second approval by the same person, not pending, ...), 2 usage error or no guard.\n";

struct review_opts {
	bool json;
	const char *sock, *state, *comment;
	int first_arg;
};

static int
parse(int argc, char **argv, struct review_opts *o)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},	 {"socket", required_argument, NULL, 's'},
		{"state", required_argument, NULL, 't'}, {"comment", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},	 {NULL, 0, NULL, 0},
	};
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
		case 't':
			o->state = optarg;
			break;
		case 'c':
			o->comment = optarg;
			break;
		case 'h':
			fputs(gc_review_help, stdout);
			return gc_out_flush("review") == 0 ? 1 : GC_EXIT_ERROR;
		default:
			return gc_option_error("review", gc_review_help, opt, argv);
		}
	}
	o->first_arg = optind;
	return 0;
}

/* A decimal item id (what guard-control numbers items with). */
static bool
is_id(const char *s)
{
	if (s[0] < '1' || s[0] > '9' || strlen(s) > 18)
		return false;
	for (const char *p = s; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static int
write_new(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	const char *p = buf;

	if (fd < 0) {
		gc_err("review export", "%s: %s%s", path, strerror(errno),
		       errno == EEXIST ? " (export never overwrites)" : "");
		return -1;
	}
	while (len != 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			gc_err("review export", "%s: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		gc_err("review export", "%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

/*
 * guard-control's answer to "review export ID": line 1 the JSON sidecar, line 2 the file
 * extension, line 3 the bytes in base64.
 */
static int
export_files(const char *id, const char *dir, char *answer)
{
	char *ext, *b64, *nl, path[4096];
	unsigned char *bin;
	size_t bin_len, b64_len;
	struct stat st;
	int rc = GC_EXIT_ERROR;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		gc_err("review export", "%s: not a directory", dir);
		return GC_EXIT_ERROR;
	}
	nl = strchr(answer, '\n');
	if (nl == NULL)
		goto bad;
	*nl = '\0';
	ext = nl + 1;
	nl = strchr(ext, '\n');
	if (nl == NULL)
		goto bad;
	*nl = '\0';
	b64 = nl + 1;
	b64_len = strcspn(b64, "\n");
	bin = malloc(b64_len / 4 * 3 + 3);
	if (bin == NULL) {
		gc_err("review export", "out of memory");
		return GC_EXIT_ERROR;
	}
	if (sodium_base642bin(bin, b64_len / 4 * 3 + 3, b64, b64_len, NULL, &bin_len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(bin);
		goto bad;
	}
	snprintf(path, sizeof(path), "%s/%s.%s", dir, id, ext);
	if (write_new(path, bin, bin_len) == 0) {
		printf("%s (%zu bytes)\n", path, bin_len);
		snprintf(path, sizeof(path), "%s/%s.json", dir, id);
		if (write_new(path, answer, strlen(answer)) == 0) {
			printf("%s\n", path);
			rc = gc_out_flush("review export") == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
		}
	}
	free(bin);
	return rc;
bad:
	gc_err("review export", "guard-control's answer is not an export (a guard-control of "
				"another version?)");
	return GC_EXIT_ERROR;
}

int
gc_cmd_review(int argc, char **argv)
{
	struct review_opts o;
	const char *args[8];
	const char *sub;
	int n = 0, rest, rc = parse(argc, argv, &o);

	if (rc != 0)
		return rc == 1 ? GC_EXIT_OK : rc;
	rest = argc - o.first_arg;
	if (rest < 1)
		return gc_usage_error(
			"review", gc_review_help,
			"a subcommand is required (list, show, approve, reject, export)");
	sub = argv[o.first_arg];
	args[n++] = "review";
	args[n++] = sub;
	if (strcmp(sub, "list") == 0) {
		if (rest != 1)
			return gc_usage_error("review", gc_review_help, "list takes no arguments");
		args[n++] = "--state";
		args[n++] = o.state != NULL ? o.state : "pending";
	} else if (strcmp(sub, "show") == 0 || strcmp(sub, "approve") == 0 ||
		   strcmp(sub, "reject") == 0 || strcmp(sub, "export") == 0) {
		bool exp = strcmp(sub, "export") == 0;

		if (rest != (exp ? 3 : 2))
			return gc_usage_error("review", gc_review_help, "%s takes %s", sub,
					      exp ? "an item ID and a directory" : "an item ID");
		if (!is_id(argv[o.first_arg + 1]))
			return gc_usage_error("review", gc_review_help,
					      "'%s' is not an item ID (a number from 1)",
					      argv[o.first_arg + 1]);
		args[n++] = argv[o.first_arg + 1];
		if (o.comment != NULL &&
		    (strcmp(sub, "approve") == 0 || strcmp(sub, "reject") == 0)) {
			args[n++] = "--comment";
			args[n++] = o.comment;
		} else if (o.comment != NULL) {
			return gc_usage_error("review", gc_review_help,
					      "--comment goes with approve or reject");
		}
		if (exp) {
			struct gc_capture cap = {0};

			if (o.json)
				return gc_usage_error("review", gc_review_help,
						      "export writes files: no --json");
			rc = gc_online_request("review export", gc_online_socket(o.sock), n, args,
					       &cap);
			if (rc == GC_EXIT_OK) {
				if (cap.buf == NULL) {
					gc_err("review export", "empty answer from guard-control");
					return GC_EXIT_ERROR;
				}
				if (sodium_init() < 0) {
					free(cap.buf);
					gc_err("review export", "libsodium did not initialise");
					return GC_EXIT_ERROR;
				}
				rc = export_files(argv[o.first_arg + 1], argv[o.first_arg + 2],
						  cap.buf);
			}
			free(cap.buf);
			return rc;
		}
	} else {
		return gc_usage_error(
			"review", gc_review_help,
			"unknown subcommand '%s' (list, show, approve, reject, export)", sub);
	}
	if (o.state != NULL && strcmp(sub, "list") != 0)
		return gc_usage_error("review", gc_review_help, "--state goes with list");
	if (o.json) {
		if (strcmp(sub, "approve") == 0 || strcmp(sub, "reject") == 0)
			return gc_usage_error("review", gc_review_help,
					      "--json is for list and show");
		args[n++] = "--json";
	}
	return gc_online_request("review", gc_online_socket(o.sock), n, args, NULL);
}
