/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Byte-class searches 16 bytes at a time, for the parsers' hot loops (XML names,
 * attribute values, text runs, ASCII runs). Each function returns exactly what its
 * one-byte-at-a-time loop would (tests/unit/test_simd.c holds them side by side on every
 * length and alignment); SSE2 is part of x86-64, so no run-time check is needed, and any
 * other target gets the scalar loop.
 *
 * Contract: [p, end) is readable; nothing outside it is read (the vector path runs only
 * while 16 bytes remain, the tail is scalar).
 */
#ifndef INSP_SIMD_H
#define INSP_SIMD_H

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#ifdef __SSE2__
/* Bytes of @p v in [lo, hi], unsigned, as a byte mask. */
static inline __m128i
insp_simd_in_range(__m128i v, uint8_t lo, uint8_t hi)
{
	__m128i t = _mm_sub_epi8(v, _mm_set1_epi8((char)lo));

	return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)(hi - lo))), t);
}

static inline __m128i
insp_simd_load(const uint8_t *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}
#endif

/** First byte of [p, end) equal to @p a, @p b, @p c or @p d; @p end if none. */
static inline const uint8_t *
insp_simd_find4(const uint8_t *p, const uint8_t *end, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
#ifdef __SSE2__
	const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b),
		      vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);

	for (; end - p >= 16; p += 16) {
		__m128i v = insp_simd_load(p);
		int m = _mm_movemask_epi8(
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
				     _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd))));

		if (m != 0)
			return p + __builtin_ctz((unsigned)m);
	}
#endif
	while (p < end && *p != a && *p != b && *p != c && *p != d)
		p++;
	return p;
}

/**
 * First byte of [p, end) that is not an XML name byte as the parser's byte table has it:
 * ASCII letters and digits, '_', '-', '.', and every byte >= 0x80 (a name holding any is
 * checked character by character afterwards). Sets *@p high if the span holds one >= 0x80.
 */
static inline const uint8_t *
insp_simd_name_end(const uint8_t *p, const uint8_t *end, int *high)
{
	int hi = 0;
#ifdef __SSE2__
	for (; end - p >= 16; p += 16) {
		__m128i v = insp_simd_load(p);
		__m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
		__m128i ok = _mm_or_si128(
			_mm_or_si128(insp_simd_in_range(lower, 'a', 'z'),
				     insp_simd_in_range(v, '0', '9')),
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
						  _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
				     _mm_cmpeq_epi8(v, _mm_set1_epi8('.'))));
		int bytes_high = _mm_movemask_epi8(v);
		int stop = ~(_mm_movemask_epi8(ok) | bytes_high) & 0xFFFF;

		if (stop != 0) {
			unsigned n = (unsigned)__builtin_ctz((unsigned)stop);

			hi |= (bytes_high & ((1 << n) - 1)) != 0;
			*high = hi;
			return p + n;
		}
		hi |= bytes_high != 0;
	}
#endif
	for (; p < end; p++) {
		uint8_t c = *p, l = c | 0x20;

		if (c >= 0x80) {
			hi = 1;
			continue;
		}
		if (!((l >= 'a' && l <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			break;
	}
	*high = hi;
	return p;
}

/**
 * First byte of [p, end) that ends a plain attribute value: the quote @p q, '<', '&' or a
 * control byte (below 0x20: TAB, LF and CR are the only ones valid XML lets through, and
 * each becomes a space); @p end if none.
 */
static inline const uint8_t *
insp_simd_attr_stop(const uint8_t *p, const uint8_t *end, uint8_t q)
{
#ifdef __SSE2__
	const __m128i vq = _mm_set1_epi8((char)q), lt = _mm_set1_epi8('<'),
		      amp = _mm_set1_epi8('&');

	for (; end - p >= 16; p += 16) {
		__m128i v = insp_simd_load(p);
		int m = _mm_movemask_epi8(_mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, lt)),
			_mm_or_si128(_mm_cmpeq_epi8(v, amp), insp_simd_in_range(v, 0, 0x1F))));

		if (m != 0)
			return p + __builtin_ctz((unsigned)m);
	}
#endif
	while (p < end && *p != q && *p != '<' && *p != '&' && *p >= 0x20)
		p++;
	return p;
}

/** First byte of [p, end) that is DEL or not ASCII (>= 0x7F); @p end if none. */
static inline const uint8_t *
insp_simd_ascii_end(const uint8_t *p, const uint8_t *end)
{
#ifdef __SSE2__
	for (; end - p >= 16; p += 16) {
		__m128i v = insp_simd_load(p);
		int m = _mm_movemask_epi8(v) |
			_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));

		if (m != 0)
			return p + __builtin_ctz((unsigned)m);
	}
#endif
	/* names and short values are mostly under 16 bytes: a word at a time before bytes */
	for (; end - p >= 8; p += 8) {
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		if ((v | (v + 0x0101010101010101ull)) & 0x8080808080808080ull)
			break;
	}
	while (p < end && *p < 0x7F)
		p++;
	return p;
}

#endif
