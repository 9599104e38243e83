/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gt_buf.h"

void
gt_buf_init(struct gt_buf *b, void *storage, size_t cap)
{
	b->data = storage;
	b->len = 0;
	b->cap = cap;
	b->overflow = false;
}

void
gt_buf_put(struct gt_buf *b, const void *p, size_t n)
{
	if (b->overflow || n > b->cap - b->len) {
		b->overflow = true;
		return;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
}

void
gt_buf_puts(struct gt_buf *b, const char *s)
{
	gt_buf_put(b, s, strlen(s));
}

void
gt_buf_vprintf(struct gt_buf *b, const char *fmt, va_list ap)
{
	size_t room = b->cap - b->len;
	int n;

	if (b->overflow)
		return;
	/* vsnprintf also writes a NUL, so a text needs one spare byte to count as fitting */
	n = vsnprintf((char *)b->data + b->len, room, fmt, ap);
	if (n < 0 || (size_t)n >= room) {
		b->overflow = true;
		return;
	}
	b->len += (size_t)n;
}

void
gt_buf_printf(struct gt_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gt_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
gt_buf_put_xml(struct gt_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			gt_buf_puts(b, "&amp;");
			break;
		case '<':
			gt_buf_puts(b, "&lt;");
			break;
		case '>':
			gt_buf_puts(b, "&gt;");
			break;
		case '"':
			gt_buf_puts(b, "&quot;");
			break;
		case '\'':
			gt_buf_puts(b, "&apos;");
			break;
		default:
			gt_buf_put(b, s, 1);
			break;
		}
	}
}

void
gt_buf_cstr(struct gt_buf *b)
{
	if (b->overflow || b->len >= b->cap) {
		b->overflow = true;
		return;
	}
	b->data[b->len] = '\0';
}

int
gt_fmt(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(out, n, fmt, ap);
	va_end(ap);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}
