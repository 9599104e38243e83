/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "insp_fold.h"
#include "insp_norm.h"
#include "insp_skel.h"
#include "insp_utf8.h"

static void
reverse_bytes(uint8_t *p, size_t len)
{
	for (size_t i = 0, j = len; i + 1 < j; i++, j--) {
		uint8_t t = p[i];

		p[i] = p[j - 1];
		p[j - 1] = t;
	}
}

/* Reverse UTF-8 text in place, character by character. */
static void
reverse_chars(uint8_t *p, size_t len)
{
	reverse_bytes(p, len);
	/* each multi-byte character now has its continuation bytes first, its lead byte last */
	for (size_t i = 0; i < len;) {
		size_t k = i;

		while (k < len && (p[k] & 0xC0) == 0x80)
			k++;
		if (k > i && k < len)
			reverse_bytes(p + i, k + 1 - i);
		i = k + 1;
	}
}

/* Bidi controls that open an embedding, override or isolate (closed by PDF or PDI). */
static inline int
opens_bidi(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E && cp != 0x202C) || (cp >= 0x2066 && cp <= 0x2068);
}

long
insp_norm_text(const struct insp_str *pieces, uint32_t n, uint32_t flags, uint8_t *out, size_t cap,
	       struct insp_norm_info *info)
{
	const int skeleton = (flags & INSP_NORM_SKELETON) != 0;
	size_t o = 0, span = 0;
	uint32_t depth = 0; /* open bidi levels inside a right-to-left override */

	memset(info, 0, sizeof(*info));
	for (uint32_t k = 0; k < n; k++) {
		const uint8_t *s = pieces[k].p;
		size_t len = pieces[k].len, i = 0;

		while (i < len) {
			size_t end = i + insp_norm_ascii_prefix(s + i, len - i), cn;

			if (end > i) {
				if (end - i > cap - o)
					return INSP_NORM_FULL;
				if (skeleton) {
					for (; i < end; i++)
						out[o++] = (uint8_t)(s[i] >= 'A' && s[i] <= 'Z'
									     ? s[i] + 32
									     : s[i]);
				} else {
					memcpy(out + o, s + i, end - i);
					o += end - i;
					i = end;
				}
				continue;
			}
			if (s[i] == 0x7F) { /* DEL: nothing a reader sees */
				i++;
				continue;
			}
			uint32_t cp = insp_utf8_decode(s + i, len - i, &cn), mapped[INSP_FOLD_MAX];
			int nm = 0;

			i += cn;
			switch (cp < 0x80 ? INSP_CP_FOLD : insp_fold_class(cp)) {
			case INSP_CP_SPACE:
				mapped[nm++] = ' ';
				break;
			case INSP_CP_DELETE:
				break;
			case INSP_CP_BIDI:
				if (!(flags & INSP_NORM_ALLOW_BIDI)) {
					info->bidi_cp = cp;
					return INSP_NORM_BIDI;
				}
				if (insp_fold_is_rlo(cp))
					info->rtl_override = 1;
				if (!(flags & INSP_NORM_VISUAL))
					break;
				if (depth == 0 && insp_fold_is_rlo(cp)) {
					span = o;
					depth = 1;
				} else if (depth > 0 && opens_bidi(cp)) {
					depth++;
				} else if (depth > 0 && insp_fold_is_pop(cp) && --depth == 0) {
					reverse_chars(out + span, o - span);
				}
				break;
			case INSP_CP_FOLD:
				nm = skeleton ? insp_skel_cp(cp, mapped) : insp_fold_cp(cp, mapped);
				/* folded to ASCII ("é", "ＢＬＵＥ"): its skeleton is its lower case
				 */
				for (int j = 0; j < nm; j++)
					info->non_ascii |= mapped[j] >= 0x80;
				break;
			}
			for (int j = 0; j < nm; j++) {
				if (cap - o < 4)
					return INSP_NORM_FULL;
				o += (size_t)insp_utf8_encode(mapped[j], out + o);
			}
		}
	}
	if (depth > 0) /* an override without its PDF runs to the end of the unit */
		reverse_chars(out + span, o - span);
	return (long)o;
}

long
insp_norm_literal(const char *literal, uint32_t flags, char *out, size_t cap)
{
	struct insp_str s = {(const uint8_t *)literal, (uint32_t)strlen(literal)};
	struct insp_norm_info info;
	long n;

	if (cap == 0)
		return -1;
	n = insp_norm_text(&s, 1, flags & INSP_NORM_SKELETON, (uint8_t *)out, cap - 1, &info);
	if (n < 0)
		return -1;
	out[n] = '\0';
	return n;
}
