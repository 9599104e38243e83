/* SPDX-License-Identifier: BSD-3-Clause */
#include "insp_fold.h"
#include "insp_skel.h"

struct insp_skel_entry {
	uint32_t cp;
	uint32_t off; /* in insp_skel_pool */
	uint32_t len;
};

#include "insp_skel_table.h" /* generated at build time: insp_skel_entries, insp_skel_pool */

static inline uint32_t
ascii_lower(uint32_t c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int
insp_skel_cp(uint32_t cp, uint32_t *out)
{
	uint32_t lo = 0, hi = INSP_SKEL_N;
	int n;

	if (cp < 0x80) {
		out[0] = ascii_lower(cp);
		return 1;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (insp_skel_entries[mid].cp < cp) {
			lo = mid + 1;
		} else if (insp_skel_entries[mid].cp > cp) {
			hi = mid;
		} else {
			const struct insp_skel_entry *e = &insp_skel_entries[mid];

			for (uint32_t i = 0; i < e->len; i++)
				out[i] = insp_skel_pool[e->off + i];
			return (int)e->len;
		}
	}
	/* no Latin look-alike: the folded form, ASCII lower-cased */
	n = insp_fold_cp(cp, out);
	for (int i = 0; i < n; i++)
		out[i] = ascii_lower(out[i]);
	return n;
}
