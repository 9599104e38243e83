/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The audit hash chain (control/audit/au_chain.h): what guard-control writes and what
 * `guardctl audit verify` reads must agree byte for byte, and a restart must go on from
 * exactly the last complete line. No arguments; scratch files in $TMPDIR (or /tmp).
 *
 * - hex both ways; the SHA-256 of a line is the standard one (FIPS 180-2 vector);
 * - the prefix as written, parsed back (seq, prev, offset), across many seqs and up to
 *   UINT64_MAX; every malformed or truncated prefix refused;
 * - resume: an empty file; a log whose last line is complete (nothing cut); a log with an
 *   incomplete last line at every length (cut exactly there, chain state equal to the last
 *   complete line's, file offset at the new end, appending gives an intact chain); garbage,
 *   a foreign tail, zeros, an over-long last line and a pipe refused with a message and the
 *   file left byte for byte as it was;
 * - au_verify_files on the logs written here (intact; one flipped byte named at its line).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "au_chain.h"
#include "test.h"

static const char zero_hex[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* A fresh scratch file's path; the file exists and is empty. */
static int
scratch(char *path, size_t cap)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, cap, "%s/test_audit_chain.XXXXXX", dir != NULL && dir[0] ? dir : "/tmp");
	fd = mkstemp(path);
	return fd;
}

static int
write_all(int fd, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Append one record with body @p body (members after the prefix) to @p fd, as a writer does. */
static int
append_record(int fd, struct au_chain *c, const char *body)
{
	char line[1024];
	int p = au_line_prefix(c, line, sizeof(line));
	size_t len;

	if (p < 0 || snprintf(line + p, sizeof(line) - (size_t)p, "%s", body) < 0)
		return -1;
	len = strlen(line);
	au_chain_advance(c, line, len);
	line[len] = '\n';
	return write_all(fd, line, len + 1);
}

/* Write @p n records to a new file @p path; the chain state after them in *@p c. */
static int
make_log(char *path, size_t cap, unsigned n, struct au_chain *c)
{
	int fd = scratch(path, cap);

	memset(c, 0, sizeof(*c));
	if (fd < 0)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		char body[128];

		snprintf(body, sizeof(body), "\"type\":\"control\",\"event\":\"start\",\"n\":%u}",
			 i);
		if (append_record(fd, c, body) != 0) {
			close(fd);
			return -1;
		}
	}
	return close(fd);
}

static char *
slurp(const char *path, size_t *len)
{
	return test_read_file(path, len);
}

static int
append_bytes(const char *path, const char *b, size_t n)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	int rc;

	if (fd < 0)
		return -1;
	rc = write_all(fd, b, n);
	return close(fd) != 0 ? -1 : rc;
}

static void
test_hex(void)
{
	uint8_t h[AU_HASH_LEN], back[AU_HASH_LEN];
	char hex[AU_HEX_LEN + 1], upper[AU_HEX_LEN + 1];

	for (int i = 0; i < AU_HASH_LEN; i++)
		h[i] = (uint8_t)(i * 37 + 5);
	au_hex(h, hex);
	CHECK(strlen(hex) == AU_HEX_LEN && strspn(hex, "0123456789abcdef") == AU_HEX_LEN,
	      "au_hex: 64 lower-case digits");
	CHECK(au_unhex(hex, back) == 0 && memcmp(h, back, sizeof(h)) == 0, "au_unhex round trip");
	for (int i = 0; i <= AU_HEX_LEN; i++)
		upper[i] = (char)(hex[i] >= 'a' && hex[i] <= 'f' ? hex[i] - 32 : hex[i]);
	CHECK(au_unhex(upper, back) == 0 && memcmp(h, back, sizeof(h)) == 0,
	      "au_unhex accepts upper case");
	CHECK(au_unhex("abc", back) == -1, "au_unhex: 3 digits refused (stops at the NUL)");
	hex[10] = 'g';
	CHECK(au_unhex(hex, back) == -1, "au_unhex: a non-hex digit refused");
}

static void
test_sha(void)
{
	static const char abc_sha[] =
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	struct au_chain c = {.seq = 41};
	char hex[AU_HEX_LEN + 1];

	au_chain_advance(&c, "abc", 3);
	au_hex(c.head, hex);
	CHECK(c.seq == 42, "advance: seq + 1");
	CHECK_STR(hex, abc_sha, "advance: head = SHA-256 of the line (FIPS 180-2 'abc')");
}

static void
test_prefix(void)
{
	char buf[AU_PREFIX_MAX], want[256], line[512];
	struct au_chain c, max;
	uint8_t prev[AU_HASH_LEN];
	uint64_t seq = 0;
	int n, off, bad = 0;

	memset(&c, 0, sizeof(c));
	n = au_line_prefix(&c, buf, sizeof(buf));
	snprintf(want, sizeof(want), "{\"seq\":1,\"prev\":\"%s\",", zero_hex);
	CHECK_STR(buf, want, "genesis prefix");
	CHECK(n == (int)strlen(want), "prefix length returned (%d)", n);
	CHECK(au_line_prefix(&c, buf, (size_t)n) == -1, "prefix: cap one byte short refused");

	/* written, advanced, parsed back: 2000 lines */
	for (unsigned i = 0; i < 2000; i++) {
		struct au_chain before = c;

		n = au_line_prefix(&c, line, sizeof(line));
		snprintf(line + n, sizeof(line) - (size_t)n, "\"type\":\"x\",\"i\":%u}", i);
		off = au_line_parse_prefix(line, strlen(line), &seq, prev);
		if (off != n || seq != before.seq + 1 ||
		    memcmp(prev, before.head, AU_HASH_LEN) != 0)
			bad++;
		au_chain_advance(&c, line, strlen(line));
	}
	CHECK(bad == 0 && c.seq == 2000, "2000 prefixes parse back to their seq and prev");

	/* the largest seq: 20 digits, 102 bytes */
	memset(&max, 0xAB, sizeof(max));
	max.seq = UINT64_MAX - 1;
	n = au_line_prefix(&max, buf, sizeof(buf));
	CHECK(n == 102 && n < AU_PREFIX_MAX, "prefix of seq UINT64_MAX is 102 bytes (%d)", n);
	off = au_line_parse_prefix(buf, (size_t)n, &seq, prev);
	CHECK(off == n && seq == UINT64_MAX && memcmp(prev, max.head, AU_HASH_LEN) == 0,
	      "seq UINT64_MAX parses back");
	max.seq = UINT64_MAX;
	CHECK(au_line_prefix(&max, buf, sizeof(buf)) == -1, "no seq after UINT64_MAX");

	/* every proper prefix of a prefix is refused */
	memset(&c, 0, sizeof(c));
	n = au_line_prefix(&c, buf, sizeof(buf));
	bad = 0;
	for (int len = 0; len < n; len++)
		if (au_line_parse_prefix(buf, (size_t)len, &seq, prev) != -1)
			bad++;
	CHECK(bad == 0, "all %d truncations of a prefix refused", n);

	/* malformed prefixes */
	{
		/* "%s" stands for 64 zeros */
		static const char *const refused[] = {
			"{\"seq\":0,\"prev\":\"%s\",",
			"{\"seq\":01,\"prev\":\"%s\",",
			"{\"seq\":-1,\"prev\":\"%s\",",
			"{\"seq\":18446744073709551616,\"prev\":\"%s\",",
			"{\"seq\": 1,\"prev\":\"%s\",",
			"{ \"seq\":1,\"prev\":\"%s\",",
			"{\"seq\":1 ,\"prev\":\"%s\",",
			"{\"seq\":\"1\",\"prev\":\"%s\",",
			"{\"seq\":1,\"prev\":\"%s\"}",
			"{\"seq\":1,\"prev\":\"%s\" ,",
			"{\"seq\":1,\"prev\":\"%s0\",",
			"{\"prev\":\"%s\",\"seq\":1,",
			"[\"seq\":1,\"prev\":\"%s\",",
		};
		char hex[AU_HEX_LEN + 1];

		bad = 0;
		for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
			const char *at = strstr(refused[i], "%s");

			snprintf(line, sizeof(line), "%.*s%s%s", (int)(at - refused[i]), refused[i],
				 zero_hex, at + 2);
			if (au_line_parse_prefix(line, strlen(line), &seq, prev) != -1) {
				printf("#   accepted: %s\n", line);
				bad++;
			}
		}
		CHECK(bad == 0, "malformed prefixes refused (leading zero, 0, overflow, spaces, "
				"quotes, order, missing comma, long hex)");
		memcpy(hex, zero_hex, sizeof(hex));
		hex[5] = 'A';
		snprintf(line, sizeof(line), "{\"seq\":1,\"prev\":\"%s\",", hex);
		CHECK(au_line_parse_prefix(line, strlen(line), &seq, prev) == -1,
		      "upper-case hex in a line refused (the writer writes lower case)");
		hex[5] = 'a';
		hex[63] = '\0';
		snprintf(line, sizeof(line), "{\"seq\":1,\"prev\":\"%s\",", hex);
		CHECK(au_line_parse_prefix(line, strlen(line), &seq, prev) == -1,
		      "63-digit prev refused");
	}
}

static bool
chain_eq(const struct au_chain *a, const struct au_chain *b)
{
	return a->seq == b->seq && memcmp(a->head, b->head, AU_HASH_LEN) == 0;
}

static void
test_resume_empty(void)
{
	char path[512], err[AU_ERR_MAX] = "";
	struct au_chain c;
	off_t cut = -1;
	int fd = scratch(path, sizeof(path));

	memset(&c, 0x55, sizeof(c));
	CHECK(fd >= 0, "scratch file %s", path);
	if (fd < 0)
		return;
	CHECK(au_chain_resume(fd, &c, &cut, err, sizeof(err)) == 0, "resume an empty file: %s",
	      err);
	CHECK(c.seq == 0 && cut == 0, "empty: seq 0, nothing cut");
	{
		static const uint8_t zero[AU_HASH_LEN];

		CHECK(memcmp(c.head, zero, AU_HASH_LEN) == 0, "empty: head zeros");
	}
	close(fd);
	unlink(path);
}

/* Resume @p path (read-write); 0 or -1, err filled. */
static int
resume_path(const char *path, struct au_chain *c, off_t *cut, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR), rc;

	if (fd < 0) {
		snprintf(err, errlen, "open: %s", strerror(errno));
		return -1;
	}
	rc = au_chain_resume(fd, c, cut, err, errlen);
	if (close(fd) != 0)
		return -1;
	return rc;
}

static void
test_resume_complete(void)
{
	char path[512], err[AU_ERR_MAX] = "";
	struct au_chain w, c;
	off_t cut = -1;
	size_t before, after;
	char *b;

	CHECK(make_log(path, sizeof(path), 25, &w) == 0, "write a 25-record log");
	b = slurp(path, &before);
	free(b);
	CHECK(resume_path(path, &c, &cut, err, sizeof(err)) == 0, "resume a complete log: %s", err);
	CHECK(chain_eq(&c, &w) && cut == 0, "complete log: state of its last line, nothing cut");
	b = slurp(path, &after);
	free(b);
	CHECK(after == before, "complete log: size unchanged");
	unlink(path);
}

/*
 * An incomplete last line of every length: the next record's line (as the writer would
 * write it) cut after k bytes, k = 1 .. its length (its newline excluded).
 */
static void
test_resume_incomplete(void)
{
	char path[512], err[AU_ERR_MAX], next[1024];
	struct au_chain w, c;
	size_t base_len, nlen, len;
	int bad_state = 0, bad_cut = 0, bad_size = 0, n;
	char *orig;

	CHECK(make_log(path, sizeof(path), 7, &w) == 0, "write a 7-record log");
	orig = slurp(path, &base_len);
	n = au_line_prefix(&w, next, sizeof(next));
	snprintf(next + n, sizeof(next) - (size_t)n, "\"type\":\"control\",\"event\":\"stop\"}");
	nlen = strlen(next);
	for (size_t k = 1; k <= nlen; k++) {
		off_t cut = -1;
		char *now;

		if (append_bytes(path, next, k) != 0)
			break;
		err[0] = '\0';
		if (resume_path(path, &c, &cut, err, sizeof(err)) != 0 || !chain_eq(&c, &w)) {
			printf("#   k=%zu: %s\n", k, err);
			bad_state++;
		}
		if (cut != (off_t)k)
			bad_cut++;
		now = slurp(path, &len);
		if (now == NULL || len != base_len || memcmp(now, orig, len) != 0)
			bad_size++;
		free(now);
	}
	CHECK(bad_state == 0, "incomplete last line, %zu lengths: state of the last complete line",
	      nlen);
	CHECK(bad_cut == 0, "incomplete last line: *cut is the incomplete line's length");
	CHECK(bad_size == 0, "incomplete last line: the file is the complete lines, byte for byte");

	/* resume, then write without O_APPEND: the offset is at the new end */
	{
		int fd = open(path, O_RDWR);
		struct au_verify_result *r = malloc(sizeof(*r));
		const char *paths[1] = {path};
		off_t cut = -1;

		CHECK(fd >= 0 && r != NULL, "reopen");
		if (fd < 0 || r == NULL) {
			free(r);
			return;
		}
		CHECK(append_bytes(path, next, 30) == 0, "cut a write at 30 bytes");
		CHECK(au_chain_resume(fd, &c, &cut, err, sizeof(err)) == 0 && cut == 30,
		      "resume cuts 30 bytes");
		CHECK(append_record(fd, &c, "\"type\":\"control\",\"event\":\"start\"}") == 0 &&
			      append_record(fd, &c, "\"type\":\"control\",\"event\":\"stop\"}") ==
				      0,
		      "two records written at the resumed offset (no O_APPEND)");
		close(fd);
		CHECK(au_verify_files(paths, 1, NULL, false, c.head, r) == 0 && r->lines == 9 &&
			      r->first_seq == 1 && r->last_seq == 9,
		      "resumed log verifies: 9 records, seq 1..9, head as written (%s %s)",
		      r->where, r->what);
		free(r);
	}
	free(orig);
	unlink(path);
}

/* The file holds only the beginning of its first record: cut to empty. */
static void
test_resume_cut_first(void)
{
	char path[512], err[AU_ERR_MAX] = "", pre[AU_PREFIX_MAX];
	struct au_chain z, c;
	off_t cut = -1;
	size_t len;
	int fd = scratch(path, sizeof(path)), n;
	char *b;

	memset(&z, 0, sizeof(z));
	n = au_line_prefix(&z, pre, sizeof(pre));
	CHECK(fd >= 0 && n > 0 && write_all(fd, pre, 40) == 0 && close(fd) == 0,
	      "a file with 40 bytes of the first record");
	CHECK(resume_path(path, &c, &cut, err, sizeof(err)) == 0 && cut == 40 && c.seq == 0,
	      "resume cuts the first record's beginning: empty chain (%s)", err);
	b = slurp(path, &len);
	CHECK(b != NULL && len == 0, "the file is empty");
	free(b);
	unlink(path);
}

/* Resume must refuse @p tail after a valid log and leave the file as it was. */
static void
refused_tail(const char *what, const char *tail, size_t tlen, const char *want_in_err)
{
	char path[512], err[AU_ERR_MAX] = "";
	struct au_chain w, c;
	size_t blen, alen;
	off_t cut = -1;
	char *before, *after;

	if (make_log(path, sizeof(path), 5, &w) != 0 || append_bytes(path, tail, tlen) != 0) {
		CHECK(0, "%s: cannot write the file", what);
		return;
	}
	before = slurp(path, &blen);
	CHECK(resume_path(path, &c, &cut, err, sizeof(err)) == -1, "%s: refused", what);
	CHECK(strstr(err, want_in_err) != NULL, "%s: says '%s' (%s)", what, want_in_err, err);
	after = slurp(path, &alen);
	CHECK(before != NULL && after != NULL && blen == alen && memcmp(before, after, blen) == 0,
	      "%s: file untouched", what);
	free(before);
	free(after);
	unlink(path);
}

static void
test_resume_refused(void)
{
	static const char zeros[4096];
	char *big;

	refused_tail("a foreign tail", "garbage", 7, "are not the start of record seq 6");
	refused_tail("a tail of NULs", zeros, sizeof(zeros), "not the start of record seq 6");
	refused_tail("a tail with the wrong seq", "{\"seq\":9,", 9,
		     "not the start of record seq 6");
	refused_tail("a last line that is no record", "hello world\n", 12,
		     "is not an audit record");
	{
		char line[256];

		snprintf(line, sizeof(line), "{\"seq\":6,\"prev\":\"%s\",\"x\":1\n", zero_hex);
		refused_tail("a last line without its '}'", line, strlen(line),
			     "is not an audit record");
	}
	refused_tail("an empty last line", "\n", 1, "is not an audit record");

	big = malloc(3 * AU_LINE_MAX);
	if (big != NULL) {
		memset(big, 'x', 3 * AU_LINE_MAX);
		big[3 * AU_LINE_MAX - 1] = '\n';
		refused_tail("an over-long last line", big, 3 * AU_LINE_MAX, "longer than");
		refused_tail("an over-long tail", big, 3 * AU_LINE_MAX - 1, "no line end");
		refused_tail("a tail of more than AU_LINE_MAX", big, AU_LINE_MAX + 10,
			     "not the start of record");
		free(big);
	}

	/* garbage only: a text file */
	{
		char path[512], err[AU_ERR_MAX] = "";
		struct au_chain c;
		off_t cut = -1;
		size_t len;
		int fd = scratch(path, sizeof(path));
		char *b;

		CHECK(fd >= 0 && write_all(fd, "hello\nworld\nand", 15) == 0 && close(fd) == 0,
		      "a text file");
		CHECK(resume_path(path, &c, &cut, err, sizeof(err)) == -1, "text file refused: %s",
		      err);
		b = slurp(path, &len);
		CHECK(b != NULL && len == 15 && memcmp(b, "hello\nworld\nand", 15) == 0,
		      "text file untouched");
		free(b);
		fd = open(path, O_WRONLY | O_TRUNC);
		CHECK(fd >= 0 && write_all(fd, "no newline at all", 17) == 0 && close(fd) == 0,
		      "a file without a newline");
		CHECK(resume_path(path, &c, &cut, err, sizeof(err)) == -1,
		      "a file without newline, not a record's start, refused: %s", err);
		b = slurp(path, &len);
		CHECK(b != NULL && len == 17, "and untouched");
		free(b);
		unlink(path);
	}

	/* a pipe is no log */
	{
		char err[AU_ERR_MAX] = "";
		struct au_chain c;
		off_t cut;
		int p[2];

		CHECK(pipe(p) == 0, "pipe");
		CHECK(au_chain_resume(p[0], &c, &cut, err, sizeof(err)) == -1 &&
			      strstr(err, "not a regular file") != NULL,
		      "a pipe refused: %s", err);
		close(p[0]);
		close(p[1]);
	}
}

/* au_verify_files on logs written here. */
static void
test_verify(void)
{
	struct au_verify_result *r = malloc(sizeof(*r));
	char path[512], where[600];
	const char *paths[1] = {path};
	struct au_chain w;
	size_t len;
	char *b, *p;
	int fd;

	if (r == NULL)
		return;
	CHECK(make_log(path, sizeof(path), 12, &w) == 0, "write a 12-record log");
	CHECK(au_verify_files(paths, 1, NULL, false, w.head, r) == 0 && r->ok && r->lines == 12 &&
		      r->last_seq == 12 && memcmp(r->head, w.head, AU_HASH_LEN) == 0,
	      "intact: 12 records, head as written");
	/* flip one byte of line 5's record: line 5 is named (its hash no longer matches) */
	b = slurp(path, &len);
	p = b;
	for (int i = 0; i < 4 && p != NULL; i++) {
		p = memchr(p, '\n', len - (size_t)(p - b));
		p = p != NULL ? p + 1 : NULL;
	}
	p = p != NULL ? strstr(p, "\"start\"") : NULL;
	CHECK(p != NULL, "line 5 found");
	if (p != NULL) {
		p[1] = 'S';
		fd = open(path, O_WRONLY | O_TRUNC);
		CHECK(fd >= 0 && write_all(fd, b, len) == 0 && close(fd) == 0, "rewrite");
		snprintf(where, sizeof(where), "%s:5", path);
		CHECK(au_verify_files(paths, 1, NULL, false, NULL, r) == 1 && !r->ok &&
			      strcmp(r->where, where) == 0 &&
			      strstr(r->what, "line 5 (seq 5) was modified") != NULL &&
			      r->lines == 5,
		      "one flipped byte: %s: %s", r->where, r->what);
	}
	free(b);
	unlink(path);
	free(r);
}

int
main(void)
{
	test_hex();
	test_sha();
	test_prefix();
	test_resume_empty();
	test_resume_complete();
	test_resume_incomplete();
	test_resume_cut_first();
	test_resume_refused();
	test_verify();
	return test_done();
}
