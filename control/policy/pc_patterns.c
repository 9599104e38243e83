/* SPDX-License-Identifier: BSD-3-Clause */
#include "pc_internal.h"

/* ---- prohibited terms, term files and markings ---- */

enum {
	P_ID,
	P_LITERAL,
	P_REGEX,
	P_CASELESS,
	P_ACTION,
	P_CHANNELS,
	P_CLASSIFICATION,
	P_RELEASABLE_TO,
	P_COUNT
};
/* Terms take the first six keys; markings the first four and their own two. */
#define P_OWN 6
static const char *const term_keys[P_OWN] = {
	"id", "literal", "regex", "caseless", "action", "channels",
};
static const char *const marking_keys[P_OWN] = {
	"id", "literal", "regex", "caseless", "classification", "releasable_to",
};

static const char *const action_names[] = {
	[INSP_ACTION_DROP] = "drop",
	[INSP_ACTION_REVIEW] = "review",
};

static void
src_at(const yaml_node_t *n, uint32_t *line, uint32_t *col)
{
	*line = (uint32_t)n->start_mark.line + 1;
	*col = (uint32_t)n->start_mark.column + 1;
}

/*
 * \A, \z and \Z anchor to the whole scanned buffer. The scan joins a message's units with
 * '\n' and relies on ^ and $ (multi-line) seeing unit edges; a buffer anchor would only see
 * the first and last unit, and a match in any other would be missed (fail open).
 */
int
ld_has_buffer_anchor(const char *re)
{
	for (const char *p = re; *p; p++) {
		if (*p != '\\')
			continue;
		if (p[1] == 'A' || p[1] == 'z' || p[1] == 'Z')
			return 1;
		if (p[1] != '\0')
			p++; /* skip the escaped character (e.g. the second '\' of "\\A") */
	}
	return 0;
}

/*
 * A regex is matched against folded text (insp_norm.h), so a character that folding
 * changes can never match as written: "straße" would never see an "ß". Refuse it and say
 * what to write. @return 0, or -1 with @p msg set.
 */
static int
regex_fold_check(const char *re, size_t len, char *msg, size_t msg_len)
{
	for (size_t i = 0; i < len;) {
		uint32_t f[INSP_FOLD_MAX];
		size_t n;
		uint32_t cp = insp_utf8_decode((const uint8_t *)re + i, len - i, &n);
		int nf;

		if (cp < 0x80) {
			i++;
			continue;
		}
		switch (insp_fold_class(cp)) {
		case INSP_CP_SPACE:
			snprintf(msg, msg_len,
				 "regex contains U+%04X, a space the scan reads as an ASCII space: "
				 "write ' ' or \\s",
				 cp);
			return -1;
		case INSP_CP_DELETE:
		case INSP_CP_BIDI:
			snprintf(msg, msg_len,
				 "regex contains U+%04X, an invisible character the scan deletes: "
				 "leave it out",
				 cp);
			return -1;
		case INSP_CP_FOLD:
			break;
		}
		nf = insp_fold_cp(cp, f);
		if (nf != 1 || f[0] != cp) {
			char want[INSP_FOLD_MAX * 4 + 1];
			size_t w = 0;

			for (int k = 0; k < nf; k++)
				w += (size_t)insp_utf8_encode(f[k], (uint8_t *)want + w);
			want[w] = '\0';
			snprintf(msg, msg_len,
				 "regex contains '%.*s' (U+%04X), which the scan never sees: text "
				 "is "
				 "folded before matching (compatibility forms, case, accents), "
				 "write "
				 "'%.64s' instead",
				 (int)n, re + i, cp, want);
			return -1;
		}
		i += n;
	}
	return 0;
}

/*
 * A literal phrase in one form (insp_norm_literal flags) as the matcher stores it: the
 * folded words joined by one space. malloc()ed; NULL with *oom 0 if it has no words.
 */
static char *
literal_phrase(const char *phrase, size_t len, uint32_t form_flags, int *oom)
{
	/* folding can expand a character up to 18 code points of up to 4 bytes */
	size_t fcap = len * 24 + 16, w = 0;
	char *folded = malloc(fcap);
	long n;

	*oom = 0;
	if (folded == NULL) {
		*oom = 1;
		return NULL;
	}
	n = insp_norm_literal(phrase, form_flags, folded, fcap);
	if (n < 0) {
		free(folded);
		return NULL;
	}
	/* words joined by one ' ' (in place: the result is never longer) */
	for (long i = 0; i < n;) {
		while (i < n && pc_is_space_byte((unsigned char)folded[i]))
			i++;
		if (i == n)
			break;
		if (w != 0)
			folded[w++] = ' ';
		while (i < n && !pc_is_space_byte((unsigned char)folded[i]))
			folded[w++] = folded[i++];
	}
	folded[w] = '\0';
	if (w == 0) {
		free(folded);
		return NULL;
	}
	return folded;
}

/*
 * Make @p pat the literal @p phrase (words joined by one space). Its anchor is its longest
 * word (the first of equals): a cheap guess at the rarest, so that the literal database
 * reports few occurrences to confirm. Returns 0 or -1 (out of memory).
 */
static int
set_literal(struct ld *c, struct insp_pattern *pat, const char *phrase)
{
	size_t len = strlen(phrase), best = 0, best_len = 0;

	for (size_t i = 0; i < len;) {
		size_t j = i;

		while (j < len && phrase[j] != ' ')
			j++;
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
		i = j + 1;
	}
	pat->literal = 1;
	pat->anchor_off = (uint32_t)best;
	pat->anchor_len = (uint32_t)best_len;
	pat->bound_before = (uint8_t)pc_is_word_byte((unsigned char)phrase[0]);
	pat->bound_after = (uint8_t)pc_is_word_byte((unsigned char)phrase[len - 1]);
	return ld_pool_add(c, phrase, len, &pat->expr_off, &pat->expr_len);
}

/*
 * pat's expression from @p len bytes at @p text: a literal phrase in the folded form (and
 * src->skel_expr when its skeleton form differs), or a regex as written.
 * Returns 0, -1 out of memory, -2 a literal without words, -3 a literal with a bidi
 * control, -4 a regex with a character folding changes (@p msg set), -5 a regex with a
 * buffer anchor, -6 a regex that can match a zero-width string.
 */
int
ld_make_expr(struct ld *c, struct insp_pattern *pat, struct pat_src *src, const char *text,
	     size_t len, int literal, char *msg, size_t msg_len)
{
	char *phrase, *folded;
	int oom;

	pat->caseless = (src->flags & INSP_MATCH_CASELESS) != 0;
	if (!literal) {
		if (regex_fold_check(text, len, msg, msg_len) < 0)
			return -4;
		if (ld_pool_add(c, text, len, &pat->expr_off, &pat->expr_len) < 0)
			return -1;
		if (ld_has_buffer_anchor(c->pool + pat->expr_off))
			return -5;
		if (pc_regex_zero_width(c->pool + pat->expr_off, pat->caseless))
			return -6;
		pat->literal = 0;
		pat->forms = INSP_FORM_FOLDED;
		return 0;
	}
	phrase = malloc(len + 1);
	if (phrase == NULL)
		return -1;
	memcpy(phrase, text, len);
	phrase[len] = '\0';
	for (size_t i = 0, n; i < len; i += n) {
		uint32_t cp = insp_utf8_decode((const uint8_t *)phrase + i, len - i, &n);

		if (cp >= 0x80 && insp_fold_class(cp) == INSP_CP_BIDI) {
			free(phrase);
			return -3;
		}
	}
	folded = literal_phrase(phrase, len, 0, &oom);
	if (folded == NULL) {
		free(phrase);
		return oom ? -1 : -2;
	}
	pat->forms = INSP_FORM_FOLDED;
	src->skel_expr = literal_phrase(phrase, len, INSP_NORM_SKELETON, &oom);
	free(phrase);
	if (src->skel_expr == NULL && oom) {
		free(folded);
		return -1;
	}
	/* the skeleton form is lower case: one pattern serves both if they agree caselessly */
	if (src->skel_expr != NULL && pat->caseless && strcasecmp(src->skel_expr, folded) == 0) {
		free(src->skel_expr);
		src->skel_expr = NULL;
		pat->forms |= INSP_FORM_SKELETON;
	}
	oom = set_literal(c, pat, folded);
	free(folded);
	return oom < 0 ? -1 : 0;
}

/* Term scope: a non-empty sequence of known channel names, as channel bits. */
static int
get_channel_scope(struct ld *c, const yaml_node_t *seq, const char *fwhat, const char *what,
		  uint64_t *bits)
{
	const struct insp_policy *p = c->p;
	const yaml_node_item_t *it;
	char q[72];

	*bits = 0;
	if (seq->type != YAML_SEQUENCE_NODE || ld_seq_len(seq) == 0)
		return ld_fail(c, seq, "%s must be a non-empty sequence of channel names, got %s",
			       fwhat,
			       seq->type == YAML_SEQUENCE_NODE ? "an empty one" : ld_kind(seq));
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		const yaml_node_t *n = ld_node(c, *it);
		uint32_t i;

		if (!ld_is_scalar(n))
			return ld_fail(c, n, "%s must hold channel names, got %s", fwhat,
				       ld_kind(n));
		for (i = 0; i < p->n_channels; i++) {
			if (ld_scalar_is(n, p->channels[i].name))
				break;
		}
		if (i == p->n_channels) {
			struct list l = {.len = 0};

			for (i = 0; i < p->n_channels; i++)
				ld_list_add(&l, p->channels[i].name);
			return ld_fail(c, n, "channel '%s' unknown in %s (known: %s)", Q(n, q),
				       what, l.len ? l.buf : "none defined");
		}
		if (*bits & UINT64_C(1) << i)
			return ld_fail(c, n, "channel '%s' listed twice in %s", Q(n, q), fwhat);
		*bits |= UINT64_C(1) << i;
	}
	return 0;
}

/* 'action' and 'channels' of a term or a term file (defaults: drop, every channel). */
int
ld_get_term_scope(struct ld *c, const yaml_node_t *action, const yaml_node_t *channels,
		  const char *what, struct insp_pattern *pat)
{
	char fwhat[LD_WHAT_MAX];
	int e = INSP_ACTION_DROP;

	if (action != NULL && ld_get_enum(c, action, ld_field(fwhat, sizeof(fwhat), "action", what),
					  action_names, 2, &e) < 0)
		return -1;
	pat->action = (uint8_t)e;
	pat->channels = 0;
	if (channels != NULL &&
	    get_channel_scope(c, channels, ld_field(fwhat, sizeof(fwhat), "channels", what), what,
			      &pat->channels) < 0)
		return -1;
	return 0;
}

static int
load_pattern(struct ld *c, struct insp_pattern *pat, struct pat_src *src, const yaml_node_t *map,
	     enum insp_pattern_kind pkind, int index)
{
	const char *noun = pkind == INSP_PATTERN_TERM ? "prohibited term" : "marking";
	yaml_node_t *f[P_COUNT] = {NULL}, *own[P_OWN];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX], msg[320];
	uint8_t caseless = 1;
	uint64_t v;
	int rc;

	ld_item_what(c, what, sizeof(what), noun, map, "id", 0, index);
	if (ld_get_fields(c, map, what, pkind == INSP_PATTERN_TERM ? term_keys : marking_keys,
			  P_OWN, own) < 0)
		return -1;
	memcpy(f, own, (P_CASELESS + 1) * sizeof(*f));
	if (pkind == INSP_PATTERN_TERM) {
		f[P_ACTION] = own[4];
		f[P_CHANNELS] = own[5];
	} else {
		f[P_CLASSIFICATION] = own[4];
		f[P_RELEASABLE_TO] = own[5];
	}
	pat->kind = (uint8_t)pkind;
	pat->level = INSP_LEVEL_NONE;
	pat->line = (uint32_t)map->start_mark.line + 1;
	if (ld_req_uint(c, map, f, term_keys, P_ID, what, 1, UINT32_MAX, &v) < 0)
		return -1;
	pat->rule_id = (uint32_t)v;
	src_at(f[P_ID], &src->id_line, &src->id_col);

	if ((f[P_LITERAL] == NULL) == (f[P_REGEX] == NULL))
		return ld_fail(c, f[P_LITERAL] != NULL ? f[P_REGEX] : map,
			       f[P_LITERAL] != NULL ? "%s has both 'literal' and 'regex' (give one)"
						    : "%s needs 'literal' or 'regex'",
			       what);
	/* caseless first: whether a literal needs its own skeleton expression depends on it */
	if (f[P_CASELESS] != NULL &&
	    ld_get_bool(c, f[P_CASELESS], ld_field(fwhat, sizeof(fwhat), "caseless", what),
			&caseless) < 0)
		return -1;
	src->flags = caseless ? INSP_MATCH_CASELESS : 0;
	if (f[P_LITERAL] != NULL) {
		const yaml_node_t *lit = f[P_LITERAL];

		if (ld_get_text(c, lit, ld_field(fwhat, sizeof(fwhat), "literal", what),
				LD_MAX_LITERAL, 1) < 0)
			return -1;
		rc = ld_make_expr(c, pat, src, ld_sval(lit), ld_slen(lit), 1, msg, sizeof(msg));
		if (rc == -1)
			return ld_oom(c, lit);
		if (rc == -3)
			return ld_fail(
				c, lit,
				"%s contains a bidirectional control character (U+202A-202E, "
				"U+2066-2069): write the phrase in reading order",
				ld_field(fwhat, sizeof(fwhat), "literal", what));
		if (rc < 0)
			return ld_fail(c, lit, "%s has no words",
				       ld_field(fwhat, sizeof(fwhat), "literal", what));
		src_at(lit, &src->expr_line, &src->expr_col);
		src->is_literal = 1;
	} else {
		const yaml_node_t *re = f[P_REGEX];

		if (ld_get_text(c, re, ld_field(fwhat, sizeof(fwhat), "regex", what), LD_MAX_REGEX,
				1) < 0)
			return -1;
		rc = ld_make_expr(c, pat, src, ld_sval(re), ld_slen(re), 0, msg, sizeof(msg));
		if (rc == -4)
			return ld_fail(c, re, "%s: %s", what, msg);
		if (rc == -5)
			return ld_fail(c, re, "%s " ANCHOR_HINT, what);
		if (rc == -6)
			return ld_fail(c, re, "%s " ZERO_WIDTH_HINT, what);
		if (rc < 0)
			return ld_oom(c, re);
		src_at(re, &src->expr_line, &src->expr_col);
	}

	if (pkind == INSP_PATTERN_TERM)
		return ld_get_term_scope(c, f[P_ACTION], f[P_CHANNELS], what, pat);

	if (f[P_CLASSIFICATION] == NULL && f[P_RELEASABLE_TO] == NULL)
		return ld_fail(c, map,
			       "%s needs 'classification', 'releasable_to' or both (what the "
			       "marking means)",
			       what);
	if (f[P_CLASSIFICATION] != NULL &&
	    ld_get_level(c, f[P_CLASSIFICATION],
			 ld_field(fwhat, sizeof(fwhat), "classification", what), &pat->level) < 0)
		return -1;
	/*
	 * An empty list would mean "nobody" but restrict_to 0 means "no caveat":
	 * ld_get_code_list() refuses it so the two can never be confused.
	 */
	if (f[P_RELEASABLE_TO] != NULL &&
	    ld_get_code_list(c, f[P_RELEASABLE_TO],
			     ld_field(fwhat, sizeof(fwhat), "releasable_to", what), what,
			     &pat->restrict_to) < 0)
		return -1;
	return 0;
}

/* ---- all patterns ---- */

struct id_at {
	uint32_t id;
	uint32_t idx;
};

static int
cmp_id_at(const void *a, const void *b)
{
	const struct id_at *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

/*
 * Ids are unique across terms, term files and markings: decisions and audit name a rule
 * by its id. One sort, so 10^5 terms cost nothing noticeable.
 */
static int
check_ids(struct ld *c, const struct pat_src *src, const yaml_node_t *section)
{
	const struct insp_policy *p = c->p;
	const struct pat_src *d, *f;
	struct id_at *v;
	uint32_t i, first = 0, dup = UINT32_MAX;

	v = malloc(p->n_patterns * sizeof(*v));
	if (v == NULL)
		return ld_oom(c, section);
	for (i = 0; i < p->n_patterns; i++) {
		v[i].id = p->patterns[i].rule_id;
		v[i].idx = i;
	}
	qsort(v, p->n_patterns, sizeof(*v), cmp_id_at);
	/* Report the earliest second definition, so the message is stable. */
	for (i = 1; i < p->n_patterns; i++) {
		if (v[i].id == v[i - 1].id && (i < 2 || v[i - 2].id != v[i].id) && v[i].idx < dup) {
			dup = v[i].idx;
			first = v[i - 1].idx;
		}
	}
	free(v);
	if (dup == UINT32_MAX)
		return 0;
	d = &src[dup];
	f = &src[first];
	if (d->file == f->file)
		return ld_fail_in(c, d->file != NULL ? d->file : c->file, d->id_line, d->id_col,
				  "id %u used twice (first at %u:%u)", p->patterns[dup].rule_id,
				  f->id_line, f->id_col);
	return ld_fail_in(c, d->file != NULL ? d->file : c->file, d->id_line, d->id_col,
			  "id %u used twice (first at %s:%u:%u)", p->patterns[dup].rule_id,
			  f->file != NULL ? f->file : c->file, f->id_line, f->id_col);
}

static int
compile_patterns(struct ld *c, const struct pat_src *src)
{
	struct insp_policy *p = c->p;
	struct timespec t0, t1;
	char why[256];
	int bad = -1, have_time, rc;

	have_time = clock_gettime(CLOCK_MONOTONIC, &t0) == 0;
	rc = pc_hs_build_bounded(p->patterns, p->n_patterns, c->pool, c->plat, &c->bounds,
				 &c->regex_db, &c->lit_db, &bad, why, sizeof(why));
	if (have_time && clock_gettime(CLOCK_MONOTONIC, &t1) == 0)
		c->hs_seconds =
			(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc == 0)
		return 0;
	if (bad >= 0 && (uint32_t)bad < p->n_patterns) {
		const struct pat_src *b = &src[bad];
		const char *file = b->file != NULL ? b->file : c->file;

		if (b->is_literal)
			return ld_fail_in(c, file, b->expr_line, b->expr_col,
					  "literal rejected by Hyperscan (phrase '%s'): %s",
					  c->pool + p->patterns[bad].expr_off, why);
		return ld_fail_in(c, file, b->expr_line, b->expr_col,
				  "regex rejected by Hyperscan: %s", why);
	}
	/* the set is at fault, not a place in the file: no line to point at */
	return ld_fail_at(c, 0, 0, "Hyperscan could not compile the %u patterns: %s", p->n_patterns,
			  why);
}

/* Build state of ld_load_patterns(), freed in one place. */
struct pat_build {
	struct pat_src *src;
	uint32_t n_src;
	struct term_file *tf;
	uint32_t n_tf;
};

static void
pat_build_free(struct pat_build *b)
{
	uint32_t i;

	for (i = 0; i < b->n_tf; i++) {
		free(b->tf[i].path);
		free(b->tf[i].text);
	}
	free(b->tf);
	if (b->src != NULL)
		for (i = 0; i < b->n_src; i++)
			free(b->src[i].skel_expr);
	free(b->src);
}

/*
 * Literals whose skeleton form differs from their folded form get a second expression,
 * appended after every rule (ids stay unique among rules: check_ids() ran before). It is
 * matched in skeleton units only and always caseless (the skeleton form is lower case).
 */
static int
add_skeleton_patterns(struct ld *c, struct pat_build *b, const yaml_node_t *section)
{
	struct insp_policy *p = c->p;
	uint32_t n = p->n_patterns, extra = 0, k;
	struct insp_pattern *pats;
	struct pat_src *src;

	for (uint32_t i = 0; i < n; i++)
		extra += b->src[i].skel_expr != NULL;
	if (extra == 0)
		return 0;
	pats = realloc(p->patterns, (size_t)(n + extra) * sizeof(*pats));
	if (pats == NULL)
		return ld_oom(c, section);
	p->patterns = pats;
	src = realloc(b->src, (size_t)(n + extra) * sizeof(*src));
	if (src == NULL)
		return ld_oom(c, section);
	b->src = src;
	for (uint32_t i = 0, k0 = n; i < n; i++) {
		if (src[i].skel_expr == NULL)
			continue;
		k = k0++;
		pats[k] = pats[i];
		pats[k].forms = INSP_FORM_SKELETON;
		pats[k].caseless = 1;
		if (set_literal(c, &pats[k], src[i].skel_expr) < 0)
			return ld_oom(c, section);
		free(src[i].skel_expr);
		src[k] = src[i];
		src[k].flags |= INSP_MATCH_CASELESS;
		src[k].skel_expr = NULL;
		src[i].skel_expr = NULL;
		p->n_patterns = k + 1;
		b->n_src = k + 1;
	}
	return 0;
}

/* The inline terms, then every term file in order, then the markings. */
static int
fill_patterns(struct ld *c, struct pat_build *b, const yaml_node_t *terms, const yaml_node_t *marks)
{
	struct insp_policy *p = c->p;
	const yaml_node_item_t *it;
	uint32_t k = 0, i;
	int idx;

	if (terms != NULL) {
		for (it = terms->data.sequence.items.start, idx = 0;
		     it < terms->data.sequence.items.top; it++, idx++, k++) {
			if (load_pattern(c, &p->patterns[k], &b->src[k], ld_node(c, *it),
					 INSP_PATTERN_TERM, idx) < 0)
				return -1;
			p->n_terms++;
		}
	}
	for (i = 0; i < b->n_tf; i++) {
		const struct term_file *tf = &b->tf[i];
		struct line_iter li = {.text = tf->text, .len = tf->len};
		const char *s;
		size_t n;

		while (ld_next_line(&li, &s, &n)) {
			if (!ld_is_term_line(s, n))
				continue;
			if (ld_load_term_line(c, tf, s, n, li.lineno, &p->patterns[k], &b->src[k]) <
			    0)
				return -1;
			p->n_terms++;
			k++;
		}
	}
	if (marks != NULL) {
		for (it = marks->data.sequence.items.start, idx = 0;
		     it < marks->data.sequence.items.top; it++, idx++, k++) {
			if (load_pattern(c, &p->patterns[k], &b->src[k], ld_node(c, *it),
					 INSP_PATTERN_MARKING, idx) < 0)
				return -1;
			p->n_markings++;
		}
	}
	return 0;
}

/*
 * Regexes are what makes Hyperscan slow and large (a literal costs it microseconds): their
 * number is bounded on its own, and the first one over is named.
 */
static int
check_regex_count(struct ld *c, const struct pat_build *b)
{
	const struct insp_policy *p = c->p;
	uint32_t n = 0;

	for (uint32_t i = 0; i < p->n_patterns; i++) {
		const struct pat_src *s = &b->src[i];

		if (p->patterns[i].literal || ++n <= LD_MAX_REGEXES)
			continue;
		return ld_fail_in(c, s->file != NULL ? s->file : c->file, s->expr_line, s->expr_col,
				  "more than %d regexes (terms and markings together); write plain "
				  "phrases as literals",
				  LD_MAX_REGEXES);
	}
	return 0;
}

int
ld_load_patterns(struct ld *c, const yaml_node_t *terms, const yaml_node_t *files,
		 const yaml_node_t *marks)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *lists[3] = {terms, files, marks};
	const char *names[3] = {"prohibited_terms", "prohibited_term_files", "markings"};
	const yaml_node_t *section = NULL;
	struct pat_build b = {0};
	uint64_t total = 0;
	int l, rc = -1;

	for (l = 0; l < 3; l++) {
		if (lists[l] == NULL)
			continue;
		if (section == NULL)
			section = lists[l];
		if (lists[l]->type != YAML_SEQUENCE_NODE)
			return ld_fail(c, lists[l], "'%s' must be a sequence of mappings, got %s",
				       names[l], ld_kind(lists[l]));
		if (l != 1)
			total += (uint64_t)ld_seq_len(lists[l]);
	}
	if (total > LD_MAX_PATTERNS)
		return ld_fail(c, section,
			       "too many prohibited terms and markings: %" PRIu64 " (at most %d)",
			       total, LD_MAX_PATTERNS);
	if (files != NULL && ld_seq_len(files) > 0) {
		const yaml_node_item_t *it;
		int idx = 0;

		if (ld_seq_len(files) > LD_MAX_TERM_FILES)
			return ld_fail(c, files, "too many term files: %d (at most %d)",
				       ld_seq_len(files), LD_MAX_TERM_FILES);
		b.tf = calloc((size_t)ld_seq_len(files), sizeof(*b.tf));
		if (b.tf == NULL)
			return ld_oom(c, files);
		for (it = files->data.sequence.items.start; it < files->data.sequence.items.top;
		     it++, idx++) {
			struct term_file *tf = &b.tf[b.n_tf++];

			if (ld_load_term_file(c, tf, ld_node(c, *it), idx) < 0)
				goto out;
			total += tf->n_terms;
			if (total > LD_MAX_PATTERNS) {
				ld_fail(c, ld_node(c, *it),
					"too many prohibited terms and markings: %" PRIu64
					" with this term file (at most %d)",
					total, LD_MAX_PATTERNS);
				goto out;
			}
		}
	}
	if (total == 0) {
		rc = 0; /* nothing to match: no database */
		goto out;
	}
	p->patterns = calloc(total, sizeof(*p->patterns));
	b.src = calloc(total, sizeof(*b.src));
	if (p->patterns == NULL || b.src == NULL) {
		ld_oom(c, section);
		goto out;
	}
	p->n_patterns = (uint32_t)total;
	b.n_src = (uint32_t)total;
	if (fill_patterns(c, &b, terms, marks) < 0)
		goto out;
	if (check_regex_count(c, &b) < 0)
		goto out;
	if (check_ids(c, b.src, section) < 0)
		goto out;
	if (add_skeleton_patterns(c, &b, section) < 0)
		goto out;
	rc = compile_patterns(c, b.src);
out:
	pat_build_free(&b);
	return rc;
}
