/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hyperscan scanning. It exists so that the rest of inspect sees one small contract (scan,
 * never allocate while scanning) instead of Hyperscan's whole API, and so that the two
 * databases of a ruleset look like one.
 *
 * Why two databases: plain phrases are the bulk of real term lists, and compiling each as
 * the whole-word regex GUARD-SPEC 4.5 defines costs Hyperscan about 2.5 ms and 30 KB per
 * phrase (100k terms: six minutes, 3 GiB). The literal API compiles 100k words in about four
 * seconds. A phrase's longest word goes into the literal database; every occurrence of that
 * word is confirmed here against the whole phrase, so a phrase is reported exactly where its
 * regex would match (tests/unit/test_literal.c holds the two side by side).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "insp_match.h"
#include "insp_policy.h"

struct insp_match_scratch {
	hs_scratch_t *hs;
};

struct insp_match_scratch *
insp_match_scratch_create(const struct insp_matcher *m)
{
	struct insp_match_scratch *s;

	if (insp_matcher_empty(m))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	/* one scratch serves both databases once grown for each */
	if ((m->regex_db != NULL && hs_alloc_scratch(m->regex_db, &s->hs) != HS_SUCCESS) ||
	    (m->lit_db != NULL && hs_alloc_scratch(m->lit_db, &s->hs) != HS_SUCCESS)) {
		hs_free_scratch(s->hs);
		free(s);
		return NULL;
	}
	return s;
}

struct insp_match_scratch *
insp_match_scratch_clone(const struct insp_match_scratch *proto)
{
	struct insp_match_scratch *s;

	if (proto == NULL || proto->hs == NULL)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	if (hs_clone_scratch(proto->hs, &s->hs) != HS_SUCCESS) {
		free(s);
		return NULL;
	}
	return s;
}

void
insp_match_scratch_free(struct insp_match_scratch *s)
{
	if (s == NULL)
		return;
	hs_free_scratch(s->hs);
	free(s);
}

static int
is_word_byte(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static int
is_space_byte(uint8_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static uint8_t
ascii_lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c - 'A' + 'a') : c;
}

static inline int
same_bytes(const uint8_t *a, const uint8_t *b, size_t n, int caseless)
{
	if (!caseless)
		return memcmp(a, b, n) == 0;
	for (size_t i = 0; i < n; i++) {
		/* equal bytes (most of a confirmed word) need no case mapping */
		if (a[i] != b[i] && ascii_lower(a[i]) != ascii_lower(b[i]))
			return 0;
	}
	return 1;
}

int
insp_match_confirm_literal(const struct insp_pattern *pt, const char *strings, const uint8_t *text,
			   size_t len, size_t anchor_end)
{
	const uint8_t *ph = (const uint8_t *)strings + pt->expr_off;
	size_t plen = pt->expr_len, a0 = pt->anchor_off, alen = pt->anchor_len;
	size_t start, end, t, k;

	if (anchor_end > len || anchor_end < alen || a0 + alen > plen)
		return 0;
	/*
	 * Backwards from the anchor: each ' ' of the phrase is one or more whitespace bytes in
	 * the text, every other byte matches itself (ASCII letters caselessly if asked). Words
	 * hold no whitespace, so the run between two words is the whole run: no backtracking.
	 */
	t = anchor_end - alen;
	if (!same_bytes(text + t, ph + a0, alen, pt->caseless))
		return 0;
	k = a0;
	while (k > 0) {
		if (ph[k - 1] == ' ') {
			if (t == 0 || !is_space_byte(text[t - 1]))
				return 0;
			while (t > 0 && is_space_byte(text[t - 1]))
				t--;
			k--;
			continue;
		}
		if (t == 0 || !same_bytes(text + t - 1, ph + k - 1, 1, pt->caseless))
			return 0;
		t--;
		k--;
	}
	start = t;
	/* forwards from the anchor's end */
	t = anchor_end;
	k = a0 + alen;
	while (k < plen) {
		if (ph[k] == ' ') {
			if (t >= len || !is_space_byte(text[t]))
				return 0;
			while (t < len && is_space_byte(text[t]))
				t++;
			k++;
			continue;
		}
		if (t >= len || !same_bytes(text + t, ph + k, 1, pt->caseless))
			return 0;
		t++;
		k++;
	}
	end = t;
	if (pt->bound_before && start > 0 && is_word_byte(text[start - 1]))
		return 0;
	if (pt->bound_after && end < len && is_word_byte(text[end]))
		return 0;
	return 1;
}

struct scan_ctx {
	const struct insp_matcher *m;
	const uint8_t *text;
	size_t len;
	insp_match_want_fn want;
	insp_match_fn fn;
	void *ctx;
	int bad_id; /* Hyperscan reported an id that is no pattern: fail closed */
};

static int
on_regex(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
	 void *ctx)
{
	struct scan_ctx *c = ctx;

	(void)from;
	(void)to;
	(void)flags;
	if (id >= c->m->n_patterns || c->m->patterns[id].literal) {
		c->bad_id = 1;
		return 1;
	}
	if (c->want != NULL && !c->want(id, c->ctx))
		return 0;
	return c->fn(id, c->ctx);
}

static int
on_literal(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
	   void *ctx)
{
	struct scan_ctx *c = ctx;
	const struct insp_pattern *pt;

	(void)from;
	(void)flags;
	if (id >= c->m->n_patterns || !c->m->patterns[id].literal) {
		c->bad_id = 1;
		return 1;
	}
	if (c->want != NULL && !c->want(id, c->ctx))
		return 0;
	pt = &c->m->patterns[id];
	if (!insp_match_confirm_literal(pt, c->m->strings, c->text, c->len, (size_t)to))
		return 0;
	return c->fn(id, c->ctx);
}

int
insp_matcher_scan_cb(const struct insp_matcher *m, struct insp_match_scratch *s,
		     const uint8_t *text, size_t len, insp_match_fn fn, void *ctx)
{
	return insp_matcher_scan_want(m, s, text, len, NULL, fn, ctx);
}

int
insp_matcher_scan_want(const struct insp_matcher *m, struct insp_match_scratch *s,
		       const uint8_t *text, size_t len, insp_match_want_fn want, insp_match_fn fn,
		       void *ctx)
{
	/* Hyperscan rejects a NULL buffer even for length 0. */
	static const char empty[1];
	struct scan_ctx c = {m, text, len, want, fn, ctx, 0};
	const char *buf = len != 0 ? (const char *)text : empty;
	hs_error_t rc;

	if (fn == NULL)
		return -1;
	if (insp_matcher_empty(m))
		return 0; /* a policy without patterns prohibits nothing */
	if (s == NULL || s->hs == NULL || (text == NULL && len != 0) || len > UINT_MAX)
		return -1;
	if (m->lit_db != NULL) {
		rc = hs_scan(m->lit_db, buf, (unsigned)len, 0, s->hs, on_literal, &c);
		if (c.bad_id || (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED))
			return -1;
		if (rc == HS_SCAN_TERMINATED)
			return 0; /* the caller stopped the scan: it has what it needs */
	}
	if (m->regex_db != NULL) {
		rc = hs_scan(m->regex_db, buf, (unsigned)len, 0, s->hs, on_regex, &c);
		if (c.bad_id || (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED))
			return -1;
	}
	return 0;
}

/*
 * Record a distinct id. The caller appends several scan units into one insp_hits, so
 * duplicates are filtered here. Once the array is full there is nothing more to learn: stop.
 */
static int
on_hit(uint32_t id, void *ctx)
{
	struct insp_hits *hits = ctx;
	uint32_t i;

	for (i = 0; i < hits->n && i < INSP_MAX_HITS; i++) {
		if (hits->id[i] == id)
			return 0;
	}
	if (hits->n >= INSP_MAX_HITS) {
		hits->overflow = 1;
		return 1;
	}
	hits->id[hits->n++] = id;
	return 0;
}

int
insp_matcher_scan(const struct insp_matcher *m, struct insp_match_scratch *s, const uint8_t *text,
		  size_t len, struct insp_hits *hits)
{
	if (hits == NULL)
		return -1;
	return insp_matcher_scan_cb(m, s, text, len, on_hit, hits);
}
