/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A tiny streaming JSON writer for guardctl's --json output: no library, no allocation,
 * no tree. The writer keeps track of commas; the caller keeps track of nesting (every
 * begin has its end). Keys are given to every value written inside an object and are
 * NULL for values inside an array or at the top.
 *
 * Strings are escaped so that any byte sequence gives valid JSON: `"` `\` and control
 * characters are escaped, U+2028/U+2029 are written as \u escapes (safe for JavaScript
 * consumers too), and bytes that are not valid UTF-8 (overlong forms, surrogates, code
 * points above U+10FFFF, truncated sequences) become U+FFFD. Valid UTF-8 is kept as is.
 *
 * Output errors are sticky in the FILE (ferror); callers check them once at the end.
 */
#ifndef GC_JSON_H
#define GC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GC_JSON_MAX_DEPTH 16

struct gc_json {
	FILE *f;
	unsigned depth;
	bool need_comma[GC_JSON_MAX_DEPTH + 1];
};

/** Start writing one JSON text (one line of JSON Lines, or one document) to @p f. */
void gc_json_init(struct gc_json *j, FILE *f);

/** Write @p len bytes of @p s as a JSON string, quotes included. */
void gc_json_write_string(FILE *f, const char *s, size_t len);

void gc_json_begin_object(struct gc_json *j, const char *key);
void gc_json_end_object(struct gc_json *j);
void gc_json_begin_array(struct gc_json *j, const char *key);
void gc_json_end_array(struct gc_json *j);

void gc_json_str(struct gc_json *j, const char *key, const char *s);
void gc_json_strn(struct gc_json *j, const char *key, const char *s, size_t len);
/** A string, or null when @p s is NULL or empty. */
void gc_json_str_or_null(struct gc_json *j, const char *key, const char *s);
void gc_json_uint(struct gc_json *j, const char *key, uint64_t v);
void gc_json_int(struct gc_json *j, const char *key, int64_t v);
/** A finite number with up to 6 decimals; null if not finite. */
void gc_json_double(struct gc_json *j, const char *key, double v);
void gc_json_bool(struct gc_json *j, const char *key, bool v);
void gc_json_null(struct gc_json *j, const char *key);
/** A member whose value is @p json, already a valid JSON text (written as it is). */
void gc_json_raw(struct gc_json *j, const char *key, const char *json);

/** End the JSON text with a newline (JSON Lines). */
void gc_json_finish(struct gc_json *j);

#endif
