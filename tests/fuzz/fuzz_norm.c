/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The matching forms of a scan unit (insp_norm.h): the first byte picks the flags (skeleton
 * form, bidi allowed, display order), the rest is the unit's text (valid UTF-8, as every
 * format hands it over). Beyond memory safety, the forms must keep their promises: no
 * invisible, bidi or non-ASCII space character survives, the skeleton form has no upper
 * case ASCII, a bidi control is refused exactly when it is not allowed, and folding what
 * was folded changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "insp_fold.h"
#include "insp_norm.h"
#include "insp_utf8.h"

#define MAX_IN 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every code point of s[0..n) is what a form may contain. */
static void
check_clean(const uint8_t *s, size_t n, int skeleton)
{
	size_t bad;

	if (insp_utf8_validate_xml(s, n, &bad) < 0)
		abort();
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		uint32_t cp;
		size_t k;

		if (c < 0x80) {
			if (c == 0x7F || (skeleton && c >= 'A' && c <= 'Z'))
				abort();
			i++;
			continue;
		}
		k = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		cp = c & (k == 2 ? 0x1Fu : k == 3 ? 0x0Fu : 0x07u);
		for (size_t j = 1; j < k; j++)
			cp = (cp << 6) | (s[i + j] & 0x3Fu);
		if (insp_fold_class(cp) != INSP_CP_FOLD)
			abort();
		i += k;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[MAX_IN * 16], again[MAX_IN * 16];
	struct insp_norm_info info, info2;
	size_t bad;
	long n, n2;

	if (size < 1 || size > MAX_IN + 1)
		return 0;
	const uint32_t flags =
		data[0] & (INSP_NORM_SKELETON | INSP_NORM_ALLOW_BIDI | INSP_NORM_VISUAL);
	const struct insp_str in = {data + 1, (uint32_t)(size - 1)};

	if (insp_utf8_validate_xml(in.p, in.len, &bad) < 0)
		return 0;
	/* a small output too: refused, never overrun */
	n = insp_norm_text(&in, 1, flags, out, data[0] >> 4, &info);
	if (n > (long)(data[0] >> 4))
		abort();
	n = insp_norm_text(&in, 1, flags, out, sizeof(out), &info);
	if (n == INSP_NORM_BIDI) {
		if (flags & INSP_NORM_ALLOW_BIDI)
			abort();
		return 0;
	}
	if (n < 0) /* 16 bytes out per byte in always fit */
		abort();
	check_clean(out, (size_t)n, (flags & INSP_NORM_SKELETON) != 0);
	if (flags & INSP_NORM_VISUAL)
		return 0; /* display order reverses: not idempotent by design */
	const struct insp_str folded = {out, (uint32_t)n};

	n2 = insp_norm_text(&folded, 1, flags, again, sizeof(again), &info2);
	if (n2 != n || memcmp(again, out, (size_t)n) != 0)
		abort();
	return 0;
}
