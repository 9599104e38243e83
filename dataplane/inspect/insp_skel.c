/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>

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

/* The table's entry for @p cp, or NULL. */
static const struct insp_skel_entry *
lookup(uint32_t cp)
{
	uint32_t lo = 0, hi = INSP_SKEL_N;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (insp_skel_entries[mid].cp < cp)
			lo = mid + 1;
		else if (insp_skel_entries[mid].cp > cp)
			hi = mid;
		else
			return &insp_skel_entries[mid];
	}
	return NULL;
}

int
insp_skel_cp(uint32_t cp, uint32_t *out)
{
	const struct insp_skel_entry *e;
	uint32_t folded[INSP_FOLD_MAX];
	int n, o = 0;

	if (cp < 0x80) {
		out[0] = ascii_lower(cp);
		return 1;
	}
	e = lookup(cp);
	if (e != NULL) {
		for (uint32_t i = 0; i < e->len; i++)
			out[i] = insp_skel_pool[e->off + i];
		return (int)e->len;
	}
	/*
	 * No look-alike of its own: its folded form, each part through the table too, so that
	 * a ligature reads like its letters (the skeleton of a skeleton is itself).
	 */
	n = insp_fold_cp(cp, folded);
	for (int i = 0; i < n && o < INSP_FOLD_MAX; i++) {
		e = folded[i] >= 0x80 ? lookup(folded[i]) : NULL;
		if (e == NULL) {
			out[o++] = ascii_lower(folded[i]);
			continue;
		}
		for (uint32_t k = 0; k < e->len && o < INSP_FOLD_MAX; k++)
			out[o++] = insp_skel_pool[e->off + k];
	}
	return o;
}
