/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * audit_gen: writes a valid audit hash chain with the library guard-control writes it with
 * (au_chain.h), for tests/guardctl/audit-test.sh, which then tampers with copies of it.
 *
 *   audit_gen [--rotate-at K] [--append] N FILE [FILE2]
 *
 * Writes N records of each type (decision, summary, command, control), interleaved, so 4N
 * lines, with the fields docs/guardctl.md describes and strings that need JSON escapes.
 * --rotate-at K: the first K lines go to FILE, the rest to FILE2 (the chain runs on across
 * the two, as after a rotation). --append: resume FILE's chain with au_chain_resume() (an
 * incomplete last line is cut) and append to it. Prints "head HEX seq S cut C" at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "au_chain.h"

static int
usage(void)
{
	fputs("usage: audit_gen [--rotate-at K] [--append] N FILE [FILE2]\n", stderr);
	return 2;
}

static int
write_all(int fd, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The record's own members (after the prefix) of line @p i. */
static void
body(char *out, size_t cap, uint64_t i)
{
	static const char *const events[] = {"start", "attach", "rotate", "stop"};
	static const char *const decisions[] = {"release", "drop", "review"};
	char time[40], sha[AU_HEX_LEN + 1];
	uint8_t h[AU_HASH_LEN];

	snprintf(time, sizeof(time), "2026-12-03T07:%02" PRIu64 ":%02" PRIu64 ".%03" PRIu64 "Z",
		 (i / 60) % 60, i % 60, (i * 7) % 1000);
	memset(h, (int)(i & 0xFF), sizeof(h));
	au_hex(h, sha);
	switch (i % 4) {
	case 0:
		snprintf(out, cap,
			 "\"type\":\"control\",\"time\":\"%s\",\"event\":\"%s\",\"detail\":\"guard "
			 "0.1.0, image sha256 %s\"}",
			 time, events[(i / 4) % 4], sha);
		break;
	case 1: {
		const char *d = decisions[(i / 4) % 3];
		bool rel = strcmp(d, "release") == 0;

		snprintf(
			out, cap,
			"\"type\":\"decision\",\"time\":\"%s\",\"gen\":3,\"lcore\":%" PRIu64
			",\"channel\":\"cot-mn\",\"decision\":\"%s\",\"reason\":\"%s\",\"rule\":%s,"
			"\"offset\":%d,\"level\":\"SECRET\",\"uid\":\"ANDROID-%04" PRIu64
			"\",\"sha256\":\"%s\",\"len\":%" PRIu64 ",\"detail\":%s}",
			time, 1 + i % 2, d,
			rel	      ? "release"
			: d[0] == 'd' ? "prohibited_content"
				      : "review",
			rel ? "null" : "1020", rel ? 0 : 21, i, sha, 300 + i,
			rel ? "null"
			    : "\"content: term \\\"deep current\\\" in <remarks>\\ttab \\u2028\"");
		break;
	}
	case 2:
		snprintf(out, cap,
			 "\"type\":\"command\",\"time\":\"%s\",\"uid\":1000,\"pid\":%" PRIu64
			 ",\"command\":\"policy load rules/s%" PRIu64 ".rules\",\"result\":\"%s\","
			 "\"detail\":\"%s\"}",
			 time, 4000 + i, i, i % 8 == 2 ? "refused" : "ok",
			 i % 8 == 2 ? "image for another CPU" : "generation 3");
		break;
	default:
		snprintf(out, cap,
			 "\"type\":\"summary\",\"time\":\"%s\",\"seconds\":60,\"released\":%" PRIu64
			 ",\"dropped\":%" PRIu64
			 ",\"review\":0,\"channels\":{\"cot-mn\":[1,2,{\"x\":"
			 "\"}]\"}]}}",
			 time, i * 10, i);
	}
}

int
main(int argc, char **argv)
{
	char line[AU_LINE_MAX + 1], hex[AU_HEX_LEN + 1], err[AU_ERR_MAX];
	uint64_t n, rotate_at = 0, lines;
	bool append = false;
	struct au_chain c;
	off_t cut = 0;
	int fd, fd2 = -1, a = 1;

	while (a < argc && strncmp(argv[a], "--", 2) == 0) {
		if (strcmp(argv[a], "--rotate-at") == 0 && a + 1 < argc) {
			rotate_at = strtoull(argv[a + 1], NULL, 10);
			a += 2;
		} else if (strcmp(argv[a], "--append") == 0) {
			append = true;
			a++;
		} else {
			return usage();
		}
	}
	if (argc - a < 2 || argc - a > 3 || (rotate_at > 0) != (argc - a == 3))
		return usage();
	n = strtoull(argv[a], NULL, 10);
	fd = open(argv[a + 1], O_RDWR | O_CREAT | (append ? 0 : O_TRUNC) | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "audit_gen: %s: %s\n", argv[a + 1], strerror(errno));
		return 1;
	}
	memset(&c, 0, sizeof(c));
	if (append && au_chain_resume(fd, &c, &cut, err, sizeof(err)) != 0) {
		fprintf(stderr, "audit_gen: %s: %s\n", argv[a + 1], err);
		return 1;
	}
	if (rotate_at > 0) {
		fd2 = open(argv[a + 2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd2 < 0) {
			fprintf(stderr, "audit_gen: %s: %s\n", argv[a + 2], strerror(errno));
			return 1;
		}
	}
	for (lines = 0; lines < 4 * n; lines++) {
		int p = au_line_prefix(&c, line, sizeof(line));
		size_t len;

		if (p < 0) {
			fputs("audit_gen: au_line_prefix failed\n", stderr);
			return 1;
		}
		body(line + p, sizeof(line) - 1 - (size_t)p, c.seq + 1);
		len = strlen(line);
		au_chain_advance(&c, line, len);
		line[len] = '\n';
		if (write_all(rotate_at > 0 && lines >= rotate_at ? fd2 : fd, line, len + 1) != 0) {
			fprintf(stderr, "audit_gen: write: %s\n", strerror(errno));
			return 1;
		}
	}
	if (close(fd) != 0 || (fd2 >= 0 && close(fd2) != 0)) {
		fprintf(stderr, "audit_gen: close: %s\n", strerror(errno));
		return 1;
	}
	au_hex(c.head, hex);
	printf("head %s seq %" PRIu64 " cut %jd\n", hex, c.seq, (intmax_t)cut);
	return 0;
}
