/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Bounds-checked appends into caller-owned storage. An append that does not fit writes
 * nothing and sets `overflow`; later appends are ignored, so a builder can append freely
 * and check once at the end (like a stdio error flag). Nothing here allocates.
 */
#ifndef GT_BUF_H
#define GT_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gt_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	bool overflow;
};

/** Start an empty buffer over @p storage of @p cap bytes. */
void gt_buf_init(struct gt_buf *b, void *storage, size_t cap);

/** Append @p n bytes. */
void gt_buf_put(struct gt_buf *b, const void *p, size_t n);

/** Append a NUL-terminated string (without the NUL). */
void gt_buf_puts(struct gt_buf *b, const char *s);

/** gt_buf_printf() with a va_list. */
void gt_buf_vprintf(struct gt_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/** Append printf-formatted text (without the NUL). */
void gt_buf_printf(struct gt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Append @p s escaped for XML text or attribute values (& < > " ' as references). */
void gt_buf_put_xml(struct gt_buf *b, const char *s);

/**
 * Terminate the content with a NUL (not counted in len) so it can be used as a C string.
 * Sets overflow when there is no room.
 */
void gt_buf_cstr(struct gt_buf *b);

/**
 * snprintf that reports truncation: @return 0 when the whole text and its NUL fit in
 * @p out, -1 otherwise (out then holds a truncated, terminated string).
 */
int gt_fmt(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
