/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Verifying an audit log's hash chain (au_verify_files() in au_chain.h), for
 * `guardctl audit verify`.
 *
 * The files are read as a stream, one bounded buffer at a time, so a log of any size is
 * checked in constant memory; a line longer than AU_LINE_MAX is refused without being held.
 * Only regular files are read: a FIFO would block the verifier (or feed it forever) and a
 * device is no log, so both are refused before the first read.
 *
 * The check stops at the first problem and names it the way an operator can act on it:
 * FILE:LINE and what happened there (modified, removed, inserted, reordered, cut short).
 * Each line is compared with the one before it only, so the diagnosis is local: a removed
 * line shows as a gap in seq at the line after it, a modified line as a prev in the next
 * line that no longer matches its hash (the modified line itself is named), an inserted or
 * moved line as a seq that goes back. The removal of the last lines leaves no trace inside
 * the files: only the head published elsewhere (--head) reveals it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "au_chain.h"

#define READ_CHUNK (64 * 1024)

/* A bounded line reader over one file. */
struct reader {
	int fd;
	char *buf;
	size_t cap, start, end;
	int eof;
};

enum {
	RD_LINE,     /**< a line ended by '\n' */
	RD_PARTIAL,  /**< the last bytes of the file, without '\n' */
	RD_TOO_LONG, /**< more than AU_LINE_MAX bytes without '\n' */
	RD_EOF,
	RD_ERROR, /**< read(): errno */
};

static int
rd_next(struct reader *r, const char **line, size_t *len)
{
	for (;;) {
		size_t avail = r->end - r->start;
		const char *nl = memchr(r->buf + r->start, '\n', avail);
		ssize_t n;

		if (nl != NULL) {
			*line = r->buf + r->start;
			*len = (size_t)(nl - *line);
			r->start += *len + 1;
			return *len > AU_LINE_MAX ? RD_TOO_LONG : RD_LINE;
		}
		if (avail > AU_LINE_MAX)
			return RD_TOO_LONG;
		if (r->eof) {
			if (avail == 0)
				return RD_EOF;
			*line = r->buf + r->start;
			*len = avail;
			r->start = r->end;
			return RD_PARTIAL;
		}
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, avail);
			r->start = 0;
			r->end = avail;
		}
		/* avail <= AU_LINE_MAX: at least READ_CHUNK bytes free */
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return RD_ERROR;
		if (n == 0)
			r->eof = 1;
		r->end += (size_t)n;
	}
}

/* The last line that passed, for the checks of the next one (in this file or the next). */
struct verifier {
	struct au_verify_result *r;
	const uint8_t *after;
	bool any_start;
	bool have_prev;
	uint64_t prev_seq;
	uint8_t prev_hash[AU_HASH_LEN];
	const char *prev_path;
	uint64_t prev_line;
	/* a forward jump in seq at gap_line (seq gap_seq), judged at the next line: if that
	 * line has the seq that was missing, the two lines were swapped (or one moved) */
	bool gap;
	uint64_t gap_line, gap_seq;
};

static int __attribute__((format(printf, 4, 5)))
problem(struct verifier *v, const char *path, uint64_t line, const char *fmt, ...)
{
	struct au_verify_result *r = v->r;
	va_list ap;

	r->ok = false;
	if (line > 0)
		snprintf(r->where, sizeof(r->where), "%s:%" PRIu64, path, line);
	else
		snprintf(r->where, sizeof(r->where), "%s", path);
	va_start(ap, fmt);
	vsnprintf(r->what, sizeof(r->what), fmt, ap);
	va_end(ap);
	return 1;
}

static int __attribute__((format(printf, 3, 4)))
unreadable(struct verifier *v, const char *where, const char *fmt, ...)
{
	struct au_verify_result *r = v->r;
	va_list ap;

	r->ok = false;
	snprintf(r->where, sizeof(r->where), "%s", where);
	va_start(ap, fmt);
	vsnprintf(r->what, sizeof(r->what), fmt, ap);
	va_end(ap);
	return -1;
}

/* The first line of the chain: where it must start. */
static int
check_start(struct verifier *v, const char *path, uint64_t ln, uint64_t seq,
	    const uint8_t prev[AU_HASH_LEN])
{
	static const uint8_t zero[AU_HASH_LEN];
	char hex[AU_HEX_LEN + 1];

	if (v->any_start)
		return 0;
	if (v->after != NULL) {
		if (memcmp(prev, v->after, AU_HASH_LEN) == 0)
			return 0;
		au_hex(prev, hex);
		return problem(v, path, ln,
			       "line %" PRIu64 " (seq %" PRIu64 ") does not follow the given "
			       "hash: its prev is %s (a file is missing before it or given too "
			       "many, or this line was modified)",
			       ln, seq, hex);
	}
	if (memcmp(prev, zero, AU_HASH_LEN) != 0) {
		if (seq > 1)
			return problem(
				v, path, ln,
				"the chain starts at seq %" PRIu64 ": earlier files are "
				"missing, or its first records were removed (give the earlier "
				"files, or --any-start)",
				seq);
		return problem(v, path, ln,
			       "line %" PRIu64 " (seq 1) is not the start of a chain: its prev "
			       "is not zeros (modified)",
			       ln);
	}
	if (seq != 1)
		return problem(v, path, ln,
			       "line %" PRIu64 " starts the chain (prev zeros) but has seq %" PRIu64
			       ", not 1 (modified)",
			       ln, seq);
	return 0;
}

/* The records missing before line v->gap_line of @p path. */
static int
gap_problem(struct verifier *v, const char *path)
{
	uint64_t ln = v->gap_line, seq = v->gap_seq;
	char range[64];

	if (seq - 1 == v->prev_seq + 1)
		snprintf(range, sizeof(range), "record seq %" PRIu64 " is", seq - 1);
	else
		snprintf(range, sizeof(range), "records seq %" PRIu64 "..%" PRIu64 " are",
			 v->prev_seq + 1, seq - 1);
	if (v->prev_path == path)
		return problem(v, path, ln, "%s missing before line %" PRIu64 " (removed)", range,
			       ln);
	return problem(v, path, ln,
		       "%s missing before line %" PRIu64 ", after %s (a file is missing between "
		       "them, or records were removed)",
		       range, ln, v->prev_path);
}

/* The line after a gap (seq @p seq, or none: @p seq 0): a swap, or the gap itself. */
static int
gap_judge(struct verifier *v, const char *path, uint64_t seq)
{
	if (seq != 0 && seq == v->prev_seq + 1)
		return problem(v, path, v->gap_line,
			       "line %" PRIu64 " (seq %" PRIu64 ") is out of order: seq %" PRIu64
			       " comes after it, on line %" PRIu64 " (lines swapped or moved)",
			       v->gap_line, v->gap_seq, seq, v->gap_line + 1);
	return gap_problem(v, path);
}

/* A line after the first: it must continue the line before it. */
static int
check_link(struct verifier *v, const char *path, uint64_t ln, uint64_t seq,
	   const uint8_t prev[AU_HASH_LEN])
{
	bool same_file = v->prev_path == path;

	/* first: prev_seq may be UINT64_MAX, and then prev_seq + 1 would wrap */
	if (seq <= v->prev_seq)
		return problem(v, path, ln,
			       "line %" PRIu64 " (seq %" PRIu64 ") is out of order or inserted "
			       "(after seq %" PRIu64 ")%s",
			       ln, seq, v->prev_seq,
			       same_file ? ""
					 : ": the files are given in the wrong order, or twice");
	if (seq > v->prev_seq + 1) {
		/* judged at the next line of this file, or at its end */
		v->gap = true;
		v->gap_line = ln;
		v->gap_seq = seq;
		return 0;
	}
	if (memcmp(prev, v->prev_hash, AU_HASH_LEN) != 0) {
		if (same_file)
			return problem(v, v->prev_path, v->prev_line,
				       "line %" PRIu64 " (seq %" PRIu64 ") was modified: its hash "
				       "does not match the prev of line %" PRIu64,
				       v->prev_line, v->prev_seq, ln);
		return problem(v, v->prev_path, v->prev_line,
			       "line %" PRIu64 " (seq %" PRIu64 ") was modified: its hash does "
			       "not match the prev of line %" PRIu64 " of %s",
			       v->prev_line, v->prev_seq, ln, path);
	}
	return 0;
}

/* Open @p path for reading if it is a regular file; -1 with a message otherwise. */
static int
open_log(struct verifier *v, const char *path)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return unreadable(v, path, "cannot open it: %s", strerror(errno));
	if (fstat(fd, &st) != 0) {
		unreadable(v, path, "cannot stat it: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		unreadable(v, path, "%s",
			   S_ISDIR(st.st_mode) ? "it is a directory, not an audit log"
					       : "not a regular file (a FIFO, socket or device): "
						 "refusing to read it");
		close(fd);
		return -1;
	}
	return fd;
}

/* One file; 0 intact so far, 1 problem, -1 unreadable. */
static int
verify_file(struct verifier *v, const char *path, char *buf, size_t cap)
{
	struct au_verify_result *r = v->r;
	struct reader rd = {.buf = buf, .cap = cap};
	uint64_t ln = 0;
	int rc = 0;

	rd.fd = open_log(v, path);
	if (rd.fd < 0)
		return -1;
	for (;;) {
		uint8_t prev[AU_HASH_LEN];
		struct au_chain c;
		const char *line;
		size_t len;
		uint64_t seq;
		int k = rd_next(&rd, &line, &len);

		if (v->gap) {
			/* the line after a gap decides what the gap was, and nothing more */
			if (k != RD_LINE || len == 0 ||
			    au_line_parse_prefix(line, len, &seq, prev) < 0 || line[len - 1] != '}')
				seq = 0;
			rc = gap_judge(v, path, seq);
			break;
		}
		if (k == RD_EOF)
			break;
		ln++;
		if (k == RD_ERROR) {
			rc = unreadable(v, path, "cannot read line %" PRIu64 ": %s", ln,
					strerror(errno));
			break;
		}
		if (k == RD_TOO_LONG) {
			rc = problem(v, path, ln,
				     "line %" PRIu64
				     " is not an audit record (longer than %d bytes: "
				     "modified, or lines joined)",
				     ln, AU_LINE_MAX);
			break;
		}
		if (k == RD_PARTIAL) {
			rc = problem(v, path, ln,
				     "line %" PRIu64 " is incomplete (the writer stopped mid-line)",
				     ln);
			break;
		}
		if (len == 0 || au_line_parse_prefix(line, len, &seq, prev) < 0 ||
		    line[len - 1] != '}') {
			rc = problem(v, path, ln,
				     "line %" PRIu64 " is not an audit record (modified or "
				     "truncated)",
				     ln);
			break;
		}
		rc = v->have_prev ? check_link(v, path, ln, seq, prev)
				  : check_start(v, path, ln, seq, prev);
		if (rc != 0)
			break;
		if (v->gap)
			continue;
		memset(&c, 0, sizeof(c));
		au_chain_advance(&c, line, len);
		memcpy(v->prev_hash, c.head, AU_HASH_LEN);
		if (!v->have_prev)
			r->first_seq = seq;
		v->have_prev = true;
		v->prev_seq = seq;
		v->prev_path = path;
		v->prev_line = ln;
		r->lines++;
		r->last_seq = seq;
		memcpy(r->head, c.head, AU_HASH_LEN);
	}
	if (close(rd.fd) != 0 && rc == 0)
		rc = unreadable(v, path, "cannot close it: %s", strerror(errno));
	return rc;
}

/* The published head against the chain's end. */
static int
check_head(struct verifier *v, const char *const *paths, unsigned int n, const uint8_t *head)
{
	static const uint8_t zero[AU_HASH_LEN];
	char hex[AU_HEX_LEN + 1];

	if (memcmp(v->r->head, head, AU_HASH_LEN) == 0)
		return 0;
	au_hex(head, hex);
	if (!v->have_prev) {
		/* an empty chain's head is zeros (struct au_chain) */
		if (memcmp(head, zero, AU_HASH_LEN) == 0)
			return 0;
		return problem(v, n > 0 ? paths[n - 1] : "(no file)", 0,
			       "the chain is empty but the published head is %s: its records were "
			       "removed",
			       hex);
	}
	return problem(v, v->prev_path, v->prev_line,
		       "the chain ends at line %" PRIu64 " (seq %" PRIu64 ") but the published "
		       "head is %s: records after it were removed, or the last line was modified",
		       v->prev_line, v->prev_seq, hex);
}

int
au_verify_files(const char *const *paths, unsigned int n, const uint8_t *after, bool any_start,
		const uint8_t *head, struct au_verify_result *r)
{
	struct verifier v = {.r = r, .after = after, .any_start = any_start};
	const size_t cap = (size_t)AU_LINE_MAX + 1 + READ_CHUNK;
	char *buf;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->ok = true;
	if (sodium_init() < 0)
		return unreadable(&v, "libsodium", "cannot initialise it (sodium_init failed)");
	buf = malloc(cap);
	if (buf == NULL)
		return unreadable(&v, n > 0 ? paths[0] : "(no file)",
				  "out of memory for a %zu-byte read buffer", cap);
	for (unsigned int i = 0; i < n && rc == 0; i++)
		rc = verify_file(&v, paths[i], buf, cap);
	free(buf);
	if (rc == 0 && head != NULL)
		rc = check_head(&v, paths, n, head);
	return rc;
}
