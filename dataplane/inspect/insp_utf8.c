/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "insp_utf8.h"

int
insp_utf8_is_xml_char(uint32_t cp)
{
	if (cp < 0x20)
		return cp == 0x9 || cp == 0xA || cp == 0xD;
	if (cp <= 0xD7FF)
		return 1;
	if (cp >= 0xE000 && cp <= 0xFFFD)
		return 1;
	return cp >= 0x10000 && cp <= 0x10FFFF;
}

/* Bytes of 8 that are all printable ASCII or TAB/LF/CR can be skipped as a block. */
static inline int
ascii_block_ok(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	if (v & 0x8080808080808080ull)
		return 0;
	/* any byte < 0x20? (classic "has byte less than" trick) */
	return ((v - 0x2020202020202020ull) & ~v & 0x8080808080808080ull) == 0;
}

int
insp_utf8_validate_xml(const uint8_t *buf, size_t len, size_t *bad_offset)
{
	size_t i = 0;

	while (i < len) {
		if (i + 8 <= len && ascii_block_ok(buf + i)) {
			i += 8;
			continue;
		}
		uint8_t c = buf[i];
		uint32_t cp;
		size_t n;

		if (c < 0x80) {
			cp = c;
			n = 1;
		} else if (c >= 0xC2 && c <= 0xDF) {
			cp = c & 0x1F;
			n = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			cp = c & 0x0F;
			n = 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			cp = c & 0x07;
			n = 4;
		} else {
			goto bad; /* continuation byte, 0xC0/0xC1 overlong lead, or > U+10FFFF */
		}
		if (i + n > len)
			goto bad;
		for (size_t k = 1; k < n; k++) {
			if ((buf[i + k] & 0xC0) != 0x80)
				goto bad;
			cp = (cp << 6) | (buf[i + k] & 0x3F);
		}
		/* overlong 3- and 4-byte forms, surrogates, above U+10FFFF */
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			goto bad;
		if (!insp_utf8_is_xml_char(cp)) /* also rejects surrogates */
			goto bad;
		i += n;
	}
	return 0;
bad:
	*bad_offset = i;
	return -1;
}

int
insp_utf8_encode(uint32_t cp, uint8_t *out)
{
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (uint8_t)(0xC0 | (cp >> 6));
		out[1] = (uint8_t)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (uint8_t)(0xE0 | (cp >> 12));
		out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (uint8_t)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (uint8_t)(0xF0 | (cp >> 18));
	out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (uint8_t)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * At p: 0 for an ordinary character, else the length of an invisible character (deleted)
 * or of a Unicode space (*space set: it becomes one ASCII space). Hyperscan's \s and \b
 * are ASCII (Unicode mode would forbid \b and cost 16x compile time), so spaces are made
 * ASCII here instead, and "word\u00A0word" reads as "word word" to the scan.
 */
static inline size_t
special_len(const uint8_t *p, size_t left, int *space)
{
	*space = 0;
	if (left >= 2 && p[0] == 0xC2) {
		if (p[1] == 0xAD)
			return 2; /* U+00AD soft hyphen */
		if (p[1] == 0x85 || p[1] == 0xA0)
			return *space = 1, 2; /* NEL, NBSP */
		return 0;
	}
	if (left < 3)
		return 0;
	if (p[0] == 0xE2 && p[1] == 0x80) {
		if (p[2] >= 0x8B && p[2] <= 0x8D)
			return 3; /* U+200B..U+200D */
		if (p[2] <= 0x8A || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF)
			return *space = 1, 3; /* U+2000..200A, U+2028, U+2029, U+202F */
		return 0;
	}
	if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0xA0)
		return 3; /* U+2060 word joiner */
	if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F)
		return *space = 1, 3; /* U+205F */
	if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		return 3; /* U+FEFF */
	if ((p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80) ||
	    (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80))
		return *space = 1, 3; /* U+1680, U+3000 */
	return 0;
}

size_t
insp_utf8_copy_visible(uint8_t *out, const uint8_t *in, size_t len)
{
	size_t o = 0, i = 0, run = 0;

	/* Copy runs between special characters with memcpy: the common case is one run. */
	while (i < len) {
		uint64_t block;

		/* the special characters are all non-ASCII: skip ASCII 8 bytes at a time */
		if (i + 8 <= len) {
			memcpy(&block, in + i, 8);
			if (!(block & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		uint8_t c = in[i];
		int space;
		size_t skip = (c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3 || c == 0xEF)
				      ? special_len(in + i, len - i, &space)
				      : 0;

		if (skip == 0) {
			i++;
			continue;
		}
		memcpy(out + o, in + run, i - run);
		o += i - run;
		if (space)
			out[o++] = ' ';
		i += skip;
		run = i;
	}
	memcpy(out + o, in + run, len - run);
	return o + len - run;
}
