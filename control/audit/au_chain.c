/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The audit chain's line format (au_chain.h): the prefix a writer puts before each record,
 * the hash that links a line to the next, the strict parser the verifier uses, and the
 * resume of a log after guard-control stopped, perhaps in the middle of a write.
 *
 * The parser accepts exactly the bytes au_line_prefix() writes (no spaces, no leading
 * zeros, lower-case hex): a line that is merely equivalent JSON is not a record, because
 * the hash covers the bytes, not the meaning.
 *
 * Resume reads only the end of the log, so a restart costs the same with a log of any size,
 * and it cuts a tail only when the tail is the beginning of the very record that would have
 * followed: anything else (a foreign file, zeros left by a crashed file system, an edit) is
 * refused rather than "repaired", since the audit log is evidence.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "au_chain.h"

static const char hexdigits[] = "0123456789abcdef";
static const char seq_key[] = "{\"seq\":";
static const char prev_key[] = ",\"prev\":\"";

#define SEQ_KEY_LEN  (sizeof(seq_key) - 1)
#define PREV_KEY_LEN (sizeof(prev_key) - 1)

void
au_hex(const uint8_t hash[AU_HASH_LEN], char hex[AU_HEX_LEN + 1])
{
	for (size_t i = 0; i < AU_HASH_LEN; i++) {
		hex[2 * i] = hexdigits[hash[i] >> 4];
		hex[2 * i + 1] = hexdigits[hash[i] & 0xF];
	}
	hex[AU_HEX_LEN] = '\0';
}

/* Value of a hex digit, or -1; upper case only if @p any_case. */
static int
nibble(char c, int any_case)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (any_case && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 64 hex digits at @p hex; stops at the first byte that is not one (a NUL included). */
static int
unhex(const char *hex, uint8_t hash[AU_HASH_LEN], int any_case)
{
	for (size_t i = 0; i < AU_HASH_LEN; i++) {
		int hi = nibble(hex[2 * i], any_case), lo;

		if (hi < 0)
			return -1;
		lo = nibble(hex[2 * i + 1], any_case);
		if (lo < 0)
			return -1;
		hash[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int
au_unhex(const char *hex, uint8_t hash[AU_HASH_LEN])
{
	return unhex(hex, hash, 1);
}

int
au_line_prefix(const struct au_chain *c, char *buf, size_t cap)
{
	char hex[AU_HEX_LEN + 1];
	int n;

	if (c->seq == UINT64_MAX)
		return -1;
	au_hex(c->head, hex);
	n = snprintf(buf, cap, "%s%" PRIu64 "%s%s\",", seq_key, c->seq + 1, prev_key, hex);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	return n;
}

void
au_sha256(const void *data, size_t len, uint8_t out[AU_HASH_LEN])
{
	unsigned int n = 0;

	/*
	 * OpenSSL's SHA-256 uses the CPU's SHA extensions where there are some (4x libsodium's
	 * portable C on 1 KB, measured on the EPYC of docs/performance.md): the audit writer
	 * hashes every payload and every line. libsodium's (plain C, cannot fail) stands in
	 * should OpenSSL ever refuse.
	 */
	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != AU_HASH_LEN)
		(void)crypto_hash_sha256(out, data, len);
}

void
au_chain_advance(struct au_chain *c, const char *line, size_t len)
{
	c->seq++;
	au_sha256(line, len, c->head);
}

int
au_line_parse_prefix(const char *line, size_t len, uint64_t *seq, uint8_t prev[AU_HASH_LEN])
{
	size_t i = SEQ_KEY_LEN;
	uint64_t v = 0;

	if (len < SEQ_KEY_LEN || memcmp(line, seq_key, SEQ_KEY_LEN) != 0)
		return -1;
	/* seq: 1 or more, no leading zero, no overflow */
	if (i >= len || line[i] < '1' || line[i] > '9')
		return -1;
	while (i < len && line[i] >= '0' && line[i] <= '9') {
		unsigned d = (unsigned)(line[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		i++;
	}
	if (len - i < PREV_KEY_LEN + AU_HEX_LEN + 2 ||
	    memcmp(line + i, prev_key, PREV_KEY_LEN) != 0)
		return -1;
	i += PREV_KEY_LEN;
	if (unhex(line + i, prev, 0) != 0)
		return -1;
	i += AU_HEX_LEN;
	if (line[i] != '"' || line[i + 1] != ',')
		return -1;
	*seq = v;
	return (int)(i + 2);
}

static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int
au_pread_all(int fd, char *buf, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t n = pread(fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/*
 * Is the tail @p t (@p n bytes after the last newline) the beginning of the line a writer
 * at chain state @p c would write next? Its prefix is known byte for byte; what comes after
 * the prefix is the record, which a line of at most AU_LINE_MAX bytes cannot tell apart.
 */
static int
is_cut_record(const struct au_chain *c, const char *t, size_t n)
{
	char want[AU_PREFIX_MAX];
	int plen = au_line_prefix(c, want, sizeof(want));

	if (plen < 0 || n > AU_LINE_MAX)
		return 0;
	return memcmp(t, want, n < (size_t)plen ? n : (size_t)plen) == 0;
}

/*
 * The chain state of the last complete line @p line (@p len bytes) at file offset @p at.
 * 0, or -1 with a message.
 */
static int
state_of_line(const char *line, size_t len, off_t at, struct au_chain *c, char *err, size_t errlen)
{
	uint8_t prev[AU_HASH_LEN];
	uint64_t seq;

	if (len > AU_LINE_MAX)
		return fail(err, errlen,
			    "the last complete line (at byte %jd) is longer than %d bytes: not an "
			    "audit record, refusing to append to this file",
			    (intmax_t)at, AU_LINE_MAX);
	if (len == 0 || au_line_parse_prefix(line, len, &seq, prev) < 0 || line[len - 1] != '}')
		return fail(err, errlen,
			    "the last complete line (at byte %jd) is not an audit record (not a "
			    "log written by guard-control, or modified): refusing to append to it",
			    (intmax_t)at);
	c->seq = seq - 1;
	au_chain_advance(c, line, len);
	return 0;
}

int
au_chain_resume(int fd, struct au_chain *c, off_t *cut, char *err, size_t errlen)
{
	/* [newline before the last line][last line <= MAX]['\n'][cut record < MAX] */
	const size_t window = 2 * (size_t)AU_LINE_MAX + 2;
	struct au_chain st_chain;
	const char *nl, *start;
	struct stat st;
	size_t wn, tail;
	off_t base;
	char *w;
	int rc = -1;

	memset(&st_chain, 0, sizeof(st_chain));
	if (fstat(fd, &st) != 0)
		return fail(err, errlen, "cannot stat the log: %s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(err, errlen, "the log is not a regular file");
	if (st.st_size == 0) {
		if (lseek(fd, 0, SEEK_END) < 0)
			return fail(err, errlen, "cannot seek in the log: %s", strerror(errno));
		memset(c, 0, sizeof(*c));
		*cut = 0;
		return 0;
	}
	wn = (uintmax_t)st.st_size < window ? (size_t)st.st_size : window;
	base = st.st_size - (off_t)wn;
	w = malloc(wn);
	if (w == NULL)
		return fail(err, errlen, "out of memory reading the end of the log");
	if (au_pread_all(fd, w, wn, base) != 0) {
		fail(err, errlen, "cannot read the end of the log: %s",
		     errno != 0 ? strerror(errno) : "it shrank while being read");
		goto out;
	}
	nl = memrchr(w, '\n', wn);
	tail = nl == NULL ? wn : wn - (size_t)(nl - w) - 1;
	if (nl == NULL && base > 0) {
		fail(err, errlen,
		     "the last %zu bytes of the log hold no line end: not an audit log, or its "
		     "last record is longer than %d bytes; refusing to touch it",
		     wn, AU_LINE_MAX);
		goto out;
	}
	if (nl != NULL) {
		const char *pn = memrchr(w, '\n', (size_t)(nl - w));

		start = pn == NULL ? w : pn + 1;
		if (pn == NULL && base > 0) {
			/* the line began before the window: longer than AU_LINE_MAX */
			fail(err, errlen,
			     "the last complete line (ending at byte %jd) is longer than %d bytes: "
			     "not an audit record, refusing to append to this file",
			     (intmax_t)(base + (nl - w)), AU_LINE_MAX);
			goto out;
		}
		if (state_of_line(start, (size_t)(nl - start), base + (start - w), &st_chain, err,
				  errlen) != 0)
			goto out;
	}
	if (tail > 0 && !is_cut_record(&st_chain, w + wn - tail, tail)) {
		fail(err, errlen,
		     "the %zu bytes %s are not the start of record seq %" PRIu64 " (not a write "
		     "cut short: an edit, or a file system that lost data); refusing to cut them",
		     tail, nl != NULL ? "after the last complete line" : "of the log (no line end)",
		     st_chain.seq + 1);
		goto out;
	}
	/* the offset first: if that failed, the file would be untouched */
	if (lseek(fd, st.st_size - (off_t)tail, SEEK_SET) < 0) {
		fail(err, errlen, "cannot seek in the log: %s", strerror(errno));
		goto out;
	}
	if (tail > 0) {
		int r;

		do
			r = ftruncate(fd, st.st_size - (off_t)tail);
		while (r != 0 && errno == EINTR);
		if (r != 0) {
			fail(err, errlen, "cannot cut the incomplete last line (%zu bytes): %s",
			     tail, strerror(errno));
			goto out;
		}
	}
	*c = st_chain;
	*cut = (off_t)tail;
	rc = 0;
out:
	free(w);
	return rc;
}
