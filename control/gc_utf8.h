/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * UTF-8 validation shared by the two output escapers (gc_json.c for --json, gc_out.c for
 * tables): both must treat uids, details and file names as arbitrary bytes.
 */
#ifndef GC_UTF8_H
#define GC_UTF8_H

#include <stddef.h>
#include <stdint.h>

/**
 * Length (1..4) of the valid UTF-8 sequence at @p s (@p len > 0 bytes available) and its
 * code point in *cp, or 0 if it is not one (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF, no truncated sequence).
 */
static inline size_t
gc_utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

#endif
