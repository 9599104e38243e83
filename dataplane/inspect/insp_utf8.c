/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

#ifdef __SSE2__
/*
 * 16 bytes that are all ASCII XML characters: printable, TAB, LF or CR. Pretty-printed XML
 * has a line end every few dozen bytes, so the line-end bytes must not end the fast path.
 */
static inline int
ascii_xml_block16(const uint8_t *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* signed compare: every byte >= 0x80 is negative, so below 0x20 as well */
	int below = _mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
	int allowed =
		_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
							    _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
					       _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));

	return (below & ~allowed) == 0;
}
#endif

int
insp_utf8_validate_xml(const uint8_t *buf, size_t len, size_t *bad_offset)
{
	size_t i = 0;

	while (i < len) {
#ifdef __SSE2__
		if (i + 16 <= len && ascii_xml_block16(buf + i)) {
			i += 16;
			continue;
		}
#endif
		if (i + 8 <= len && ascii_block_ok(buf + i)) {
			i += 8;
			continue;
		}
		uint8_t c = buf[i];
		uint32_t cp;
		size_t n;

		/* ASCII next to a line end or tab (every indented line): no decoding needed */
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				goto bad;
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
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

int
insp_utf8_validate_text(const uint8_t *buf, size_t len, size_t *bad_offset)
{
	if (insp_utf8_validate_xml(buf, len, bad_offset) != 0)
		return -1;
	/* U+0080..U+009F is C2 80..C2 9F in valid UTF-8 */
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] == 0xC2 && buf[i + 1] >= 0x80 && buf[i + 1] <= 0x9F) {
			*bad_offset = i;
			return -1;
		}
	}
	return 0;
}
