/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The audit log's hash chain (GUARD-SPEC 8): JSON Lines in which every line names the
 * SHA-256 of the line before it, so that a modified, removed, inserted or reordered line
 * breaks the chain at a place `guardctl audit verify` can name.
 *
 * Line format (the writer, guard-control, guarantees it byte for byte; verify relies on it):
 *
 *   {"seq":N,"prev":"HHHH...64 lower-case hex...",<the record's own fields>}\n
 *
 * - seq: decimal, no leading zeros, 1 for the first record ever written, +1 per line,
 *   continued across rotated files.
 * - prev: SHA-256 of the previous line's bytes, newline excluded. The first line of the
 *   first file has 64 '0's. The first line of a rotated file carries the hash of the last
 *   line of the file it follows, so the chain runs on across files.
 * - the rest is one JSON object's members (the record: "type" first, see docs/audit.md);
 *   the line has no newline inside it (JSON escapes them) and ends with '}'.
 *
 * The head of a chain is the SHA-256 of its last line: publishing it elsewhere (guard-control
 * shows it in `guardctl status`) is what makes the removal of the last lines detectable too
 * (`audit verify --head`).
 *
 * Pure: no globals; I/O only in the functions that take a file descriptor or path.
 */
#ifndef AU_CHAIN_H
#define AU_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AU_HASH_LEN   32
#define AU_HEX_LEN    64
#define AU_PREFIX_MAX 104	  /**< `{"seq":N,"prev":"...",` with a 20-digit N is 102 bytes */
#define AU_LINE_MAX   (64 * 1024) /**< longest line (no newline) written or accepted */
#define AU_ERR_MAX    512

/** Where a chain stands: the last line written. seq 0 and a zero head: nothing yet. */
struct au_chain {
	uint64_t seq;		   /**< seq of the last line (0: none) */
	uint8_t head[AU_HASH_LEN]; /**< SHA-256 of the last line (zeros: none) */
};

/** SHA-256 of @p len bytes at @p data (the chain's hash, also used for payloads). */
void au_sha256(const void *data, size_t len, uint8_t out[AU_HASH_LEN]);

/** Lower-case hex of @p hash into @p hex (AU_HEX_LEN + 1 bytes, NUL-terminated). */
void au_hex(const uint8_t hash[AU_HASH_LEN], char hex[AU_HEX_LEN + 1]);

/** Parse 64 hex digits (either case); 0 or -1. Reads no further than the first non-hex byte. */
int au_unhex(const char *hex, uint8_t hash[AU_HASH_LEN]);

/**
 * Write the prefix of the next line, `{"seq":N,"prev":"HEX",` (N = c->seq + 1, HEX =
 * c->head), NUL-terminated, into @p buf.
 * @return its length (< AU_PREFIX_MAX), or -1 if @p cap is too small (or seq would wrap).
 */
int au_line_prefix(const struct au_chain *c, char *buf, size_t cap);

/**
 * The line @p line (@p len bytes, no newline) was written: advance @p c past it (seq + 1,
 * head = SHA-256 of the line). Needs no sodium_init().
 */
void au_chain_advance(struct au_chain *c, const char *line, size_t len);

/**
 * Parse the prefix of a line: its seq and prev. Strict: exactly the bytes au_line_prefix()
 * writes (seq >= 1 without leading zeros, lower-case hex, no spaces).
 * @return the offset of the first byte after the prefix, or -1 if the line does not start
 *   with a well-formed prefix.
 */
int au_line_parse_prefix(const char *line, size_t len, uint64_t *seq, uint8_t prev[AU_HASH_LEN]);

/**
 * Resume a chain from an existing log opened read-write as @p fd (guard-control restarting
 * after a crash or kill -9): find the last complete line, check that it is a record, set
 * @p c from it (empty file: c zeroed, returns 0). An incomplete last line (bytes after the
 * last newline: a write cut short) is cut off with ftruncate; *@p cut gets how many bytes
 * were removed.
 * @return 0, or -1 with a message in @p err (the file is then not touched).
 */
int au_chain_resume(int fd, struct au_chain *c, off_t *cut, char *err, size_t errlen);

/**
 * Read exactly @p len bytes at offset @p off of @p fd (retrying short reads and EINTR).
 * @return 0, or -1 with errno set (errno 0: the file ended first).
 */
int au_pread_all(int fd, char *buf, size_t len, off_t off);

/** Result of au_verify_files(). */
struct au_verify_result {
	uint64_t lines; /**< lines checked (all files) */
	uint64_t first_seq, last_seq;
	uint8_t head[AU_HASH_LEN]; /**< hash of the last line checked */
	bool ok;
	char where[4096 + 32]; /**< "FILE:LINE" of the first problem */
	char what[AU_ERR_MAX]; /**< what is wrong there, for an operator */
};

/**
 * Verify @p n files given in chain order (oldest first).
 * @param after  hash the first line's prev must equal, or NULL for the genesis (zeros)
 *               unless @p any_start, which accepts any prev on the first line
 * @param head   if not NULL, the chain's last line must hash to this (detects removal of
 *               the last lines)
 * @return 0 if intact, 1 if a problem was found (described in @p r), -1 if a file could not
 *   be read (r->where/r->what say which and why).
 */
int au_verify_files(const char *const *paths, unsigned int n, const uint8_t *after, bool any_start,
		    const uint8_t *head, struct au_verify_result *r);

#ifdef __cplusplus
}
#endif
#endif
