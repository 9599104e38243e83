/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Output for people: error messages in one shape, and table cells that are safe to print.
 *
 * Errors go to stderr as "guardctl: COMMAND: what (where, why)". Table cells come from
 * messages on the wire (uid, detail) and from the command line (file names), so they are
 * printed escaped: C0/C1 control characters, DEL, bytes that are not valid UTF-8, the
 * invisible and line-breaking format characters (U+00AD, U+200B..U+200F, U+2028..U+202E,
 * U+2060..U+2069, U+FEFF: soft hyphen, zero-width, direction marks and overrides, line and
 * paragraph separators, BOM) are written as \xNN per byte, and a backslash as \\. A hostile
 * uid can therefore neither move the cursor, nor break a line in two, nor reorder or hide
 * what the operator sees. --json output is exact instead (gc_json.h).
 */
#ifndef GC_OUT_H
#define GC_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "insp_policy.h"
#include "insp_reason.h"

/** Exit statuses of every command (docs/guardctl.md). */
enum {
	GC_EXIT_OK = 0,	    /**< everything released / as expected / valid */
	GC_EXIT_NOT_OK = 1, /**< something not released, or a mismatch with --expect */
	GC_EXIT_ERROR = 2,  /**< usage, policy, input or output error */
};

/** "guardctl: @p cmd: ..." and a newline on stderr. @p cmd may be NULL. */
void gc_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** RELEASE, DROP or REVIEW: what the guard does with a message of this reason. */
const char *gc_decision_name(enum insp_reason r);

/** Traffic class name (GUARD-SPEC 7): flash, immediate, priority, routine; "?" beyond. */
const char *gc_tclass_name(unsigned tclass);

/** Columns @p s takes when printed by gc_text_put() (code points, escapes counted). */
size_t gc_text_width(const char *s);

/**
 * Print @p s escaped (see above); pad with spaces to @p width columns. An empty or NULL
 * @p s prints "-", so that every column of a table has a value.
 */
void gc_text_put(FILE *f, const char *s, size_t width);

/** Textual IPv4/IPv6 address into @p buf (at least 46 bytes). */
const char *gc_fmt_addr(const struct insp_ipaddr *a, char *buf, size_t cap);

/** aa:bb:cc:dd:ee:ff into @p buf (at least 18 bytes). */
const char *gc_fmt_mac(const uint8_t mac[6], char *buf, size_t cap);

/** Check for and report a write error on stdout (after fflush). 0 or -1. */
int gc_out_flush(const char *cmd);

/**
 * Is @p path a regular file (following symlinks)? stat() only: never blocks on a FIFO.
 * Commands refuse anything else as input, so a FIFO or device cannot hang them.
 */
int gc_regular_file(const char *path);

#endif
