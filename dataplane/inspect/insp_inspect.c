/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The decision procedure of GUARD-SPEC 4.3, steps 2-9, over the format-neutral view a
 * format module produces. Every check either passes or decides: there is no "unknown"
 * outcome that could fall through to a release.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "insp_format.h"
#include "insp_inspect.h"
#include "insp_match.h"
#include "insp_msg.h"
#include "insp_norm.h"

/*
 * The decision's steps stay functions of their own in the binary (a call each, five per
 * message), so that profiles and perf/cycle-budget.sh can say what each step costs.
 */
#define STAGE __attribute__((noinline))

/* Scan text per message byte the scratch holds (see insp_scratch_create()). */
#define SCAN_FACTOR 16
/*
 * Message bytes sized for every format's worst case; beyond them, a scratch holds the
 * long texts of object envelopes (insp_obj.h): few units, up to three forms each.
 */
#define DENSE_MAX	     (256u * 1024)
#define BULK_SCAN_FACTOR     3
#define BULK_BYTES_PER_UNIT  256u
#define BULK_BYTES_PER_PIECE 1024u

struct insp_scratch {
	uint32_t max_msg;
	struct insp_xml xml;
	struct insp_msg msg;
	struct insp_label marking; /**< the decoded marking string */
	uint16_t label_norms;	   /**< what lenient mode normalised in the label */
	struct insp_match_scratch *match;
	uint8_t *arena;
	uint8_t *scan;
	struct insp_unit *units;
	struct insp_str *pieces;
};

struct insp_scratch *
insp_scratch_create(const struct insp_policy *p, uint32_t max_msg)
{
	struct insp_scratch *s = calloc(1, sizeof(*s));
	/*
	 * A message of n bytes has at most n/2 text runs and attribute values. Each unit may
	 * be scanned in up to three forms (insp_norm.h), element string values repeat text
	 * once per enclosing element with mixed content, and folding may expand a character:
	 * SCAN_FACTOR bytes of scan text per message byte holds every realistic message; one
	 * that needs more is malformed (fail closed, "too much text").
	 *
	 * Message formats are at most 64 KiB (a channel's max_size); a scratch for more is
	 * for object envelopes (up to 64 MiB and more): the bytes above DENSE_MAX get scan
	 * room for three forms (folded, skeleton, display order) and a unit per
	 * BULK_BYTES_PER_UNIT, so memory grows about 3x the message, not 16x (an envelope's
	 * text is one unit; XML that long would run out of units: malformed, fail closed).
	 */
	uint32_t dense = max_msg < DENSE_MAX ? max_msg : DENSE_MAX, bulk = max_msg - dense;
	uint32_t units = 2 * dense + 64 + bulk / BULK_BYTES_PER_UNIT;
	uint32_t pieces = dense / 2 + 16 + bulk / BULK_BYTES_PER_PIECE;
	size_t scan = (size_t)dense * SCAN_FACTOR + (size_t)bulk * BULK_SCAN_FACTOR + units;

	if (s == NULL)
		return NULL;
	s->max_msg = max_msg;
	s->arena = malloc((size_t)dense + 1);
	s->scan = malloc(scan);
	s->units = malloc(sizeof(*s->units) * units);
	s->pieces = malloc(sizeof(*s->pieces) * pieces);
	if (s->arena == NULL || s->scan == NULL || s->units == NULL || s->pieces == NULL)
		goto fail;
	if (!insp_matcher_empty(&p->matcher)) {
		s->match = insp_match_scratch_create(&p->matcher);
		if (s->match == NULL)
			goto fail;
	}
	s->msg.xml = &s->xml;
	s->msg.arena = s->arena;
	s->msg.arena_cap = dense;
	s->msg.scan = s->scan;
	s->msg.scan_cap = scan > UINT32_MAX ? UINT32_MAX : (uint32_t)scan;
	s->msg.units = s->units;
	s->msg.units_cap = units;
	s->msg.pieces = s->pieces;
	s->msg.pieces_cap = pieces;
	return s;
fail:
	insp_scratch_free(s);
	return NULL;
}

void
insp_scratch_free(struct insp_scratch *s)
{
	if (s == NULL)
		return;
	insp_match_scratch_free(s->match);
	free(s->arena);
	free(s->scan);
	free(s->units);
	free(s->pieces);
	free(s);
}

static enum insp_reason __attribute__((format(printf, 3, 4)))
decide(struct insp_result *res, enum insp_reason r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
	return res->reason = r;
}

static int
str_eq(struct insp_str a, struct insp_str b)
{
	return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

static int
str_caseeq(struct insp_str a, struct insp_str b)
{
	return a.len == b.len && strncasecmp((const char *)a.p, (const char *)b.p, a.len) == 0;
}

/* Policy and classification of one carrier -> NATO level, or -1 (res filled). */
static int
resolve_level(const struct insp_policy *p, const struct insp_label *l, int is_marking,
	      struct insp_result *res)
{
	const struct insp_class_policy *cp =
		insp_policy_class_policy(p, (const char *)l->policy.p, l->policy.len);
	int level;

	if (cp == NULL) {
		decide(res, INSP_R_BAD_LABEL, "label: policy '%.*s' unknown", (int)l->policy.len,
		       (const char *)l->policy.p);
		return -1;
	}
	/* marking strings use exact names; 4774 values are case-insensitive for NATO */
	int exact = is_marking || strcasecmp(cp->id, "NATO") != 0;

	level = insp_policy_class_level(p, cp, (const char *)l->classification.p,
					l->classification.len, exact);
	if (level < 0)
		decide(res, INSP_R_BAD_LABEL, "label: classification '%.*s' unknown in policy '%s'",
		       (int)l->classification.len, (const char *)l->classification.p, cp->id);
	return level;
}

/* Same Releasable-To codes as written, order and case irrelevant, duplicates ignored. */
static int
same_rel_set(const struct insp_label *a, const struct insp_label *b)
{
	for (int pass = 0; pass < 2; pass++) {
		const struct insp_label *x = pass ? b : a, *y = pass ? a : b;

		for (uint32_t i = 0; i < x->n_rel; i++) {
			uint32_t j = 0;

			while (j < y->n_rel && !str_caseeq(x->rel[i], y->rel[j]))
				j++;
			if (j == y->n_rel)
				return 0;
		}
	}
	return 1;
}

/* Steps 3-5: label present, well-formed, agreeing, within the destination's limits. */
static STAGE enum insp_reason
check_label(const struct insp_policy *p, struct insp_scratch *s,
	    const struct insp_destination *dest, struct insp_result *res)
{
	const struct insp_msg *m = &s->msg;
	const struct insp_label *l = NULL;
	const char *why;
	int level = -1, mlevel = -1;

	if (!m->has_marking && !m->has_4774)
		return decide(res, INSP_R_UNLABELLED, "label: no access marking and no 4774 label");
	if (m->has_marking) {
		if (insp_label_parse_marking(m->marking.p, m->marking.len, &s->marking, &why) < 0)
			return decide(res, INSP_R_BAD_LABEL, "label: marking '%.*s': %s",
				      (int)(m->marking.len > 60 ? 60 : m->marking.len),
				      (const char *)m->marking.p, why);
		mlevel = resolve_level(p, &s->marking, 1, res);
		if (mlevel < 0)
			return res->reason;
		l = &s->marking;
		level = mlevel;
	}
	if (m->has_4774) {
		level = resolve_level(p, &m->label, 0, res);
		if (level < 0)
			return res->reason;
		if (l != NULL && (!str_caseeq(l->policy, m->label.policy) ||
				  !str_caseeq(l->classification, m->label.classification) ||
				  !same_rel_set(l, &m->label)))
			return decide(res, INSP_R_LABEL_CONFLICT,
				      "label: access marking and 4774 label disagree");
		l = &m->label; /* the richer carrier: it may hold categories */
	}
	if (m->has_field_label &&
	    !(str_eq(m->field_policy, l->policy) && str_eq(m->field_class, l->classification)))
		return decide(res, INSP_R_LABEL_CONFLICT,
			      "label: policy/classification fields '%.*s'/'%.*s' disagree with the "
			      "label",
			      (int)(m->field_policy.len > 40 ? 40 : m->field_policy.len),
			      (const char *)m->field_policy.p,
			      (int)(m->field_class.len > 40 ? 40 : m->field_class.len),
			      (const char *)m->field_class.p);
	res->level = (uint8_t)level;
	res->label_normalised = l->normalised != 0;
	s->label_norms = l->normalised;
	if (level > dest->max_level)
		return decide(res, INSP_R_OVER_CLASSIFIED, "label: %s above %s's maximum %s",
			      insp_level_name(level), dest->name, insp_level_name(dest->max_level));

	uint64_t over = 0;

	for (uint64_t mem = dest->members; mem; mem &= mem - 1) {
		int n = __builtin_ctzll(mem);

		if (level > p->nation_ceiling[n])
			over |= 1ull << n;
	}
	if (over)
		return decide(res, INSP_R_OVER_CLASSIFIED,
			      "label: %s above the release ceiling of %s (member of %s)",
			      insp_level_name(level), p->nations[__builtin_ctzll(over)],
			      dest->name);

	uint64_t rel = 0;

	for (uint32_t i = 0; i < l->n_rel; i++)
		rel |= insp_policy_expand_code(p, (const char *)l->rel[i].p, l->rel[i].len);
	uint64_t missing = dest->members & ~rel;

	if (missing)
		return decide(res, INSP_R_NOT_RELEASABLE,
			      "label: %s (member of %s) not in Releasable-To",
			      p->nations[__builtin_ctzll(missing)], dest->name);
	for (uint32_t i = 0; i < l->n_restrictive; i++) {
		const struct insp_label_tag_value *tv = &l->restrictive[i];

		if (!insp_policy_dest_holds(p, dest, (const char *)tv->tag.p, tv->tag.len,
					    (const char *)tv->value.p, tv->value.len))
			return decide(res, INSP_R_NOT_RELEASABLE,
				      "label: %s does not hold RESTRICTIVE '%.*s:%.*s'", dest->name,
				      (int)tv->tag.len, (const char *)tv->tag.p, (int)tv->value.len,
				      (const char *)tv->value.p);
	}
	return INSP_R_RELEASE;
}

/* Longest category hint of the channel's format matching the message's type, or -1. */
static int
hinted_category(const struct insp_policy *p, uint8_t format, struct insp_str type)
{
	const struct insp_range r = p->hints_by_format[format];

	/* the format's hints, longest prefix first: the first that matches is the longest */
	for (uint32_t i = r.first; i < r.first + r.n; i++) {
		const struct insp_category_hint *h = &p->category_hints[p->hint_order[i]];
		size_t n = h->prefix_len;

		if (n <= type.len && memcmp(type.p, h->prefix, n) == 0)
			return (int)h->category;
	}
	return -1;
}

static enum insp_reason
not_shared(const struct insp_policy *p, const struct insp_destination *dest, uint32_t cat,
	   struct insp_result *res)
{
	uint64_t missing = dest->members & ~p->isa[cat];

	if (missing == 0)
		return INSP_R_RELEASE;
	return decide(res, INSP_R_NO_SHARING_AGREEMENT,
		      "category '%s' not shared with %s (member of %s)", p->categories[cat],
		      p->nations[__builtin_ctzll(missing)], dest->name);
}

/*
 * Step 6: the message's data categories (the channel's default refined by the format
 * hint, plus every 4774 INFORMATIVE "Data Category" value) must each be shared (ISA) with
 * every member of the destination. A category the policy does not know is shared with
 * nobody.
 */
static STAGE enum insp_reason
check_sharing(const struct insp_policy *p, struct insp_scratch *s, const struct insp_channel *ch,
	      const struct insp_destination *dest, struct insp_result *res)
{
	const struct insp_msg *m = &s->msg;
	int cat = hinted_category(p, ch->format, m->type);
	enum insp_reason r = not_shared(p, dest, cat >= 0 ? (uint32_t)cat : ch->category, res);

	if (r != INSP_R_RELEASE || !m->has_4774)
		return r;
	for (uint32_t i = 0; i < m->label.n_informative; i++) {
		const struct insp_label_tag_value *tv = &m->label.informative[i];

		if (!(tv->tag.len == 13 &&
		      strncasecmp((const char *)tv->tag.p, "Data Category", 13) == 0))
			continue;
		cat = insp_policy_category(p, (const char *)tv->value.p, tv->value.len);
		if (cat < 0)
			return decide(
				res, INSP_R_NO_SHARING_AGREEMENT,
				"category '%.*s' (4774 Data Category) unknown: shared with nobody",
				(int)tv->value.len, (const char *)tv->value.p);
		r = not_shared(p, dest, (uint32_t)cat, res);
		if (r != INSP_R_RELEASE)
			return r;
	}
	return INSP_R_RELEASE;
}

/* Traffic class of a released message: the first matching priority rule, else routine. */
static STAGE uint8_t
traffic_class(const struct insp_policy *p, uint32_t channel, const struct insp_msg *m)
{
	const struct insp_range rg = p->prio_by_channel[channel];
	const uint32_t fmt = 1u << p->channels[channel].format;

	/* the channel's rules and the "any channel" ones, in policy order */
	for (uint32_t i = rg.first; i < rg.first + rg.n; i++) {
		const struct insp_priority_rule *r = &p->priorities[p->prio_order[i]];
		size_t n = r->type_prefix_len;

		/* a prefix means something only in the formats it was written for */
		if (r->formats != 0 && !(r->formats & fmt))
			continue;
		if (r->qos_priority >= 0 && r->qos_priority != m->qos_priority)
			continue;
		if (n > m->type.len || memcmp(m->type.p, r->type_prefix, n) != 0)
			continue;
		return r->tclass;
	}
	return INSP_TCLASS_COUNT - 1;
}

/* Folds matches as Hyperscan reports them: the first violating marking and first term. */
struct content_fold {
	const struct insp_pattern *patterns;
	uint64_t members; /* destination nations */
	uint8_t level;	  /* the label's level */
	uint32_t marking; /* lowest violating marking pattern index, or UINT32_MAX */
	uint32_t term;	  /* lowest drop term pattern index, or UINT32_MAX */
	uint32_t review;  /* lowest review term pattern index, or UINT32_MAX */
	uint64_t channel; /* bit of the message's channel, for term scopes */
	uint32_t any;	  /* something matched */
	uint32_t form;	  /* form of the unit being rescanned (INSP_FORM_*) */
	uint32_t src;	  /* its payload offset */
	uint32_t marking_src, term_src, review_src; /* where each slot's match was */
};

/* Would this match decide the message: a term in scope, or a marking the label does not cover? */
static int
decisive(const struct content_fold *f, uint32_t id)
{
	const struct insp_pattern *pt = &f->patterns[id];

	if (pt->kind == INSP_PATTERN_TERM)
		return pt->channels == 0 || (pt->channels & f->channel) != 0;
	return (pt->level != INSP_LEVEL_NONE && pt->level > f->level) ||
	       (pt->restrict_to != 0 && (f->members & ~pt->restrict_to) != 0);
}

/*
 * Joined pass: stop at the first decisive match. Harmless matches (a marking at or below
 * the label, such as the access string's own "NATO SECRET") are common: they are filtered
 * out before a literal is confirmed (want_any) and must not cost a unit-by-unit rescan.
 */
static int
want_any(uint32_t id, void *ctx)
{
	return decisive(ctx, id);
}

static int
on_any_match(uint32_t id, void *ctx)
{
	struct content_fold *f = ctx;

	(void)id;
	f->any = 1;
	return 1;
}

/* Unit pass: a literal's skeleton expression counts in skeleton units only, regexes never there. */
static int
want_unit(uint32_t id, void *ctx)
{
	const struct content_fold *f = ctx;

	return (f->patterns[id].forms & f->form) && decisive(f, id);
}

static int
on_unit_match(uint32_t id, void *ctx)
{
	struct content_fold *f = ctx;
	const struct insp_pattern *pt = &f->patterns[id];
	uint32_t *slot;
	uint32_t *where;

	if (pt->kind == INSP_PATTERN_MARKING) {
		slot = &f->marking;
		where = &f->marking_src;
	} else if (pt->action == INSP_ACTION_REVIEW) {
		slot = &f->review;
		where = &f->review_src;
	} else {
		slot = &f->term;
		where = &f->term_src;
	}
	/* the lowest id decides; where it was first seen is the decision's offset */
	if (id < *slot) {
		*slot = id;
		*where = f->src;
	}
	return 0;
}

/*
 * Steps 7-8 over the scan units: everything that crosses (content as a consumer reads it,
 * GUARD-SPEC 4.5, and also comments, element and attribute names, label carriers; see the
 * format modules). One scan over all units joined by '\n' tells cheaply whether anything
 * matches at all (clean messages cost one call that stops at the first match); only then
 * are the units rescanned one by one, so that no match spanning two units counts. The
 * joined text is a superset: word boundaries, \s and (multi-line) ^ $ see '\n' as they
 * see a unit's edge; the loader refuses the buffer anchors \A \z \Z. Every match is
 * folded as it is reported, so there is no limit on how many there are.
 */
static STAGE enum insp_reason
check_content(const struct insp_policy *p, struct insp_scratch *s, uint32_t channel,
	      const struct insp_destination *dest, struct insp_result *res)
{
	const struct insp_msg *m = &s->msg;
	struct content_fold f = {
		.patterns = p->patterns,
		.members = dest->members,
		.level = res->level,
		.channel = 1ull << channel,
		.marking = UINT32_MAX,
		.term = UINT32_MAX,
		.review = UINT32_MAX,
	};

	if (insp_matcher_empty(&p->matcher))
		return INSP_R_RELEASE;
	if (m->scan_len != 0 && insp_matcher_scan_want(&p->matcher, s->match, m->scan, m->scan_len,
						       want_any, on_any_match, &f) < 0)
		return decide(res, INSP_R_PROHIBITED_CONTENT, "scan: matcher error (fail closed)");
	for (uint32_t u = 0; f.any && u < m->n_units; u++) {
		f.form = m->units[u].form;
		f.src = m->units[u].src;
		if (insp_matcher_scan_want(&p->matcher, s->match, m->scan + m->units[u].off,
					   m->units[u].len, want_unit, on_unit_match, &f) < 0)
			return decide(res, INSP_R_PROHIBITED_CONTENT,
				      "scan: matcher error (fail closed)");
	}
	if (f.marking != UINT32_MAX) {
		const struct insp_pattern *pt = &p->patterns[f.marking];

		res->rule_id = pt->rule_id;
		res->offset = f.marking_src;
		if (pt->level != INSP_LEVEL_NONE && pt->level > res->level)
			return decide(res, INSP_R_MARKING_INCONSISTENT,
				      "content: marking rule %u (%s) above label %s", pt->rule_id,
				      insp_level_name(pt->level), insp_level_name(res->level));
		return decide(res, INSP_R_MARKING_INCONSISTENT,
			      "content: marking rule %u is a caveat excluding part of %s",
			      pt->rule_id, dest->name);
	}
	if (f.term != UINT32_MAX) {
		res->rule_id = p->patterns[f.term].rule_id;
		res->offset = f.term_src;
		return decide(res, INSP_R_PROHIBITED_CONTENT, "content: prohibited term rule %u",
			      res->rule_id);
	}
	if (f.review != UINT32_MAX) {
		res->rule_id = p->patterns[f.review].rule_id;
		res->offset = f.review_src;
		return decide(res, INSP_R_REVIEW, "content: review term rule %u", res->rule_id);
	}
	return INSP_R_RELEASE;
}

/* Steps 1-2: result defaults, channel, size, then the format module's parse. */
static STAGE enum insp_reason
parse_step(const struct insp_policy *p, struct insp_scratch *s, uint32_t channel,
	   const uint8_t *msg, size_t len, struct insp_result *res)
{
	enum insp_reason r;

	res->offset = 0;
	res->rule_id = 0;
	res->level = INSP_LEVEL_NONE;
	res->tclass = INSP_TCLASS_COUNT - 1;
	res->label_normalised = 0;
	s->label_norms = 0;
	res->uid[0] = '\0';
	res->detail[0] = '\0';
	if (p == NULL)
		return decide(res, INSP_R_NO_POLICY, "no policy loaded");
	if (channel >= p->n_channels)
		return decide(res, INSP_R_L2L4_NO_CHANNEL, "channel %u not in policy", channel);
	if (len > s->max_msg)
		return decide(res, INSP_R_MALFORMED_MESSAGE,
			      "message of %zu bytes exceeds the inspection buffer (%u)", len,
			      s->max_msg);
	insp_msg_reset(&s->msg, p->channels[channel].allow_bidi, res->detail, sizeof(res->detail));
	r = insp_formats[p->channels[channel].format].parse(p, msg, len, &s->msg);
	if (s->msg.uid.len) {
		uint32_t n = s->msg.uid.len < INSP_UID_MAX - 1 ? s->msg.uid.len : INSP_UID_MAX - 1;

		memcpy(res->uid, s->msg.uid.p, n);
		res->uid[n] = '\0';
	}
	if (r != INSP_R_RELEASE)
		res->offset = s->msg.err_offset;
	return res->reason = r;
}

enum insp_reason
insp_parse(const struct insp_policy *p, struct insp_scratch *s, uint32_t channel,
	   const uint8_t *msg, size_t len, struct insp_result *res)
{
	return parse_step(p, s, channel, msg, len, res);
}

const uint8_t *
insp_scratch_scan_text(const struct insp_scratch *s, size_t *len)
{
	*len = s->msg.scan_len;
	return s->msg.scan;
}

/* A decision about a message whose label lenient mode normalised says so (audit). */
static enum insp_reason
note_label_norms(struct insp_scratch *s, struct insp_result *res)
{
	char why[INSP_DETAIL_MAX];
	size_t n = strlen(res->detail);

	insp_label_norm_text(s->label_norms, why, sizeof(why));
	if (n == 0)
		snprintf(res->detail, sizeof(res->detail), "label normalised (lenient): %.120s",
			 why);
	else if (n + 2 < sizeof(res->detail))
		snprintf(res->detail + n, sizeof(res->detail) - n,
			 "; label normalised (lenient): %.100s", why);
	return res->reason;
}

static enum insp_reason
decide_all(const struct insp_policy *p, struct insp_scratch *s, uint32_t channel,
	   const uint8_t *msg, size_t len, int64_t now_ms, struct insp_result *res)
{
	enum insp_reason r = parse_step(p, s, channel, msg, len, res);

	if (r != INSP_R_RELEASE)
		return r;

	const struct insp_channel *ch = &p->channels[channel];
	const struct insp_destination *dest = &p->destinations[ch->destination];

	r = check_label(p, s, dest, res);
	if (r != INSP_R_RELEASE)
		return r;
	r = check_sharing(p, s, ch, dest, res);
	if (r != INSP_R_RELEASE)
		return r;
	r = check_content(p, s, channel, dest, res);
	if (r != INSP_R_RELEASE)
		return r;
	if (s->msg.has_stale && s->msg.stale_ms < now_ms - p->stale_skew_ms)
		return decide(res, INSP_R_STALE, "validity: stale %lld s ago (skew %lld s)",
			      (long long)((now_ms - s->msg.stale_ms) / 1000),
			      (long long)(p->stale_skew_ms / 1000));
	res->tclass = traffic_class(p, channel, &s->msg);
	/* no formatting on the release path: it is the hot one */
	return res->reason = INSP_R_RELEASE;
}

enum insp_reason
insp_inspect(const struct insp_policy *p, struct insp_scratch *s, uint32_t channel,
	     const uint8_t *msg, size_t len, int64_t now_ms, struct insp_result *res)
{
	enum insp_reason r = decide_all(p, s, channel, msg, len, now_ms, res);

	/* rare (lenient mode, off-standard labels): only then is a release formatted */
	return s->label_norms ? note_label_norms(s, res) : r;
}
