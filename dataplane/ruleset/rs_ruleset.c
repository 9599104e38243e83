/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ruleset image validation and opening (rs_ruleset.h).
 *
 * The checks are written for an image that is hostile, not merely damaged: the SHA-256
 * catches any change made without recomputing it, and the structural checks after it make
 * sure that even an image with a matching hash (someone who can write images can compute
 * hashes) cannot make the dataplane read outside a section, follow an index off an array or
 * run a string past its buffer. tests/unit/test_ruleset.c flips every byte of a sample image.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hs/hs.h>
#include <sodium.h>

#include "insp_chunk.h"
#include "insp_norm.h"
#include "rs_ruleset.h"

static void *
libc_alloc(size_t size, size_t align, void *ctx)
{
	(void)ctx;
	/* aligned_alloc wants a size that is a multiple of the alignment */
	size = (size + align - 1) & ~(align - 1);
	return aligned_alloc(align, size != 0 ? size : align);
}

static void
libc_free(void *ptr, void *ctx)
{
	(void)ctx;
	free(ptr);
}

const struct rs_alloc rs_alloc_libc = {libc_alloc, libc_free, NULL};

uint32_t
rs_image_layout(void)
{
	/* FNV-1a over the record sizes: any change to a record changes the word */
	const uint32_t sizes[] = {
		(uint32_t)sizeof(struct insp_policy),
		(uint32_t)sizeof(struct insp_group),
		(uint32_t)sizeof(struct insp_class_policy),
		(uint32_t)sizeof(struct insp_class_name),
		(uint32_t)sizeof(struct insp_destination),
		(uint32_t)sizeof(insp_held_t),
		(uint32_t)sizeof(struct insp_channel),
		(uint32_t)sizeof(struct insp_category_hint),
		(uint32_t)sizeof(struct insp_priority_rule),
		(uint32_t)sizeof(struct insp_pattern),
		(uint32_t)sizeof(struct insp_egress_link),
		(uint32_t)sizeof(struct rs_input),
		(uint32_t)sizeof(struct rs_image_header),
		INSP_MAX_NATIONS,
		INSP_MAX_CHANNELS,
		INSP_NAME_MAX,
		INSP_MAX_CATEGORIES,
		INSP_FORMAT_COUNT,
		INSP_MAX_REVIEWERS,
		INSP_TCLASS_COUNT,
	};
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (int b = 0; b < 4; b++) {
			h ^= (sizes[i] >> (8 * b)) & 0xffu;
			h *= 16777619u;
		}
	}
	return h;
}

void
rs_hex(const uint8_t sha[32], char out[65])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[sha[i] >> 4];
		out[2 * i + 1] = digits[sha[i] & 15];
	}
	out[64] = '\0';
}

void
rs_sha256(const void *data, size_t len, uint8_t out[32])
{
	crypto_hash_sha256(out, data, len);
}

void
rs_image_sha256(const uint8_t *image, size_t len, uint8_t out[32])
{
	crypto_hash_sha256_state st;
	const size_t at = offsetof(struct rs_image_header, image_sha256);
	static const uint8_t zero[32];

	crypto_hash_sha256_init(&st);
	if (len <= at + 32) {
		crypto_hash_sha256_update(&st, image, len);
	} else {
		crypto_hash_sha256_update(&st, image, at);
		crypto_hash_sha256_update(&st, zero, sizeof(zero));
		crypto_hash_sha256_update(&st, image + at + 32, len - at - 32);
	}
	crypto_hash_sha256_final(&st, out);
}

int
rs_image_is(const void *buf, size_t len)
{
	return len >= 8 && memcmp(buf, RS_IMAGE_MAGIC, 8) == 0;
}

static int __attribute__((format(printf, 4, 5)))
fail(struct insp_err *err, const char *name, int code, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (err == NULL)
		return code;
	memset(err, 0, sizeof(*err));
	n = (size_t)snprintf(err->msg, sizeof(err->msg), "%s: ", name);
	if (n < sizeof(err->msg)) {
		va_start(ap, fmt);
		vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* Is there a NUL within the @p cap bytes of @p s? */
static int
terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

static const char *const section_names[RS_SEC_COUNT] = {
	"core",	    "groups",	  "class_policies", "class_names", "destinations", "held",
	"channels", "hints",	  "priorities",	    "patterns",	   "strings",	   "inputs",
	"hs_regex", "hs_literal", "hint_order",	    "prio_order",  "channel_keys", "egress_links",
};

const char *
rs_section_name(int s)
{
	return s >= 0 && s < RS_SEC_COUNT ? section_names[s] : "?";
}

static const uint32_t section_elem[RS_SEC_COUNT] = {
	[RS_SEC_CORE] = sizeof(struct insp_policy),
	[RS_SEC_GROUPS] = sizeof(struct insp_group),
	[RS_SEC_CLASS_POLICIES] = sizeof(struct insp_class_policy),
	[RS_SEC_CLASS_NAMES] = sizeof(struct insp_class_name),
	[RS_SEC_DESTINATIONS] = sizeof(struct insp_destination),
	[RS_SEC_HELD] = sizeof(insp_held_t),
	[RS_SEC_CHANNELS] = sizeof(struct insp_channel),
	[RS_SEC_HINTS] = sizeof(struct insp_category_hint),
	[RS_SEC_PRIORITIES] = sizeof(struct insp_priority_rule),
	[RS_SEC_PATTERNS] = sizeof(struct insp_pattern),
	[RS_SEC_INPUTS] = sizeof(struct rs_input),
	[RS_SEC_HINT_ORDER] = sizeof(uint32_t),
	[RS_SEC_PRIO_ORDER] = sizeof(uint32_t),
	[RS_SEC_CHANNEL_KEYS] = sizeof(struct insp_channel_key),
	[RS_SEC_EGRESS_LINKS] = sizeof(struct insp_egress_link),
};

static int
check_sections(const struct rs_image_header *h, size_t len, const char *name, struct insp_err *err)
{
	uint64_t prev_end = RS_IMAGE_HEADER_BYTES;

	for (int s = 0; s < RS_SEC_COUNT; s++) {
		const struct rs_section_ref *r = &h->sect[s];

		if (r->off % RS_IMAGE_ALIGN != 0 || r->off < prev_end || r->off > len ||
		    r->size > len - r->off)
			return fail(err, name, RS_ERR_CORRUPT,
				    "section '%s' (offset %llu, %llu bytes) lies outside the image "
				    "or overlaps another",
				    section_names[s], (unsigned long long)r->off,
				    (unsigned long long)r->size);
		if (r->elem_size != section_elem[s] ||
		    (r->elem_size != 0 && r->size != (uint64_t)r->count * r->elem_size) ||
		    (r->elem_size == 0 && r->count != 0))
			return fail(err, name, RS_ERR_CORRUPT,
				    "section '%s' holds %u records of %u bytes in %llu bytes "
				    "(this guard's records are %u bytes)",
				    section_names[s], r->count, r->elem_size,
				    (unsigned long long)r->size, section_elem[s]);
		prev_end = r->off + r->size;
	}
	if (h->sect[RS_SEC_CORE].count != 1)
		return fail(err, name, RS_ERR_CORRUPT, "the image holds %u policies (one expected)",
			    h->sect[RS_SEC_CORE].count);
	if (h->n_inputs == 0 || h->n_inputs != h->sect[RS_SEC_INPUTS].count ||
	    h->n_inputs > RS_IMAGE_MAX_INPUTS)
		return fail(err, name, RS_ERR_CORRUPT,
			    "input list of %u files does not hold together",
			    h->sect[RS_SEC_INPUTS].count);
	return RS_OK;
}

#define BAD(...) fail(err, name, RS_ERR_CORRUPT, __VA_ARGS__)

static int
valid_level(uint8_t l)
{
	return l < INSP_LEVEL_COUNT;
}

/* Nation bits beyond the policy's nations would grant or require nations that do not exist. */
static uint64_t
nation_mask(const struct insp_policy *p)
{
	return p->n_nations >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << p->n_nations) - 1;
}

/* A nation code as the compiler accepts it: three upper-case ASCII letters. */
static int
valid_nation_code(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return s[3] == '\0';
}

static int
valid_ip(const struct insp_ipaddr *a)
{
	return a->version == 4 || a->version == 6;
}

/* The scalar part and the tables about who may see what. */
static int
check_labels(const struct insp_policy *p, const char *name, struct insp_err *err)
{
	if (p->strict_labels > 1 || p->audit_releases > INSP_AUDIT_SUMMARY ||
	    p->n_nations > INSP_MAX_NATIONS || p->n_categories == 0 ||
	    p->n_categories > INSP_MAX_CATEGORIES || p->n_channels > INSP_MAX_CHANNELS ||
	    p->stale_skew_ms < 0 || p->stale_skew_ms > INT64_C(86400) * 1000)
		return BAD("policy limits out of range (nations %u, categories %u, channels %u)",
			   p->n_nations, p->n_categories, p->n_channels);
	for (uint32_t i = 0; i < p->n_nations; i++)
		if (!valid_nation_code(p->nations[i]) || !valid_level(p->nation_ceiling[i]))
			return BAD("nation %u does not hold together", i);
	for (uint32_t i = 0; i < p->n_categories; i++)
		if (!terminated(p->categories[i], sizeof(p->categories[i])) ||
		    (p->isa[i] & ~nation_mask(p)) != 0)
			return BAD("data category %u does not hold together", i);
	for (int i = 0; i < INSP_TCLASS_COUNT; i++)
		if (p->class_dscp[i] > 63)
			return BAD("DSCP %u of traffic class %d is above 63", p->class_dscp[i], i);
	for (uint32_t i = 0; i < p->n_groups; i++)
		if (!terminated(p->groups[i].code, sizeof(p->groups[i].code)) ||
		    (p->groups[i].members & ~nation_mask(p)) != 0)
			return BAD("group %u does not hold together", i);
	for (uint32_t i = 0; i < p->n_class_policies; i++) {
		const struct insp_class_policy *cp = &p->class_policies[i];

		if (!terminated(cp->id, sizeof(cp->id)) || cp->first_name > p->n_class_names ||
		    cp->n_names > p->n_class_names - cp->first_name)
			return BAD("classification table %u does not hold together", i);
	}
	for (uint32_t i = 0; i < p->n_class_names; i++)
		if (!terminated(p->class_names[i].name, sizeof(p->class_names[i].name)) ||
		    !valid_level(p->class_names[i].level))
			return BAD("classification name %u does not hold together", i);
	for (uint32_t i = 0; i < p->n_destinations; i++) {
		const struct insp_destination *d = &p->destinations[i];

		if (!terminated(d->name, sizeof(d->name)) || !valid_level(d->max_level) ||
		    (d->members & ~nation_mask(p)) != 0 || d->first_held > p->n_held ||
		    d->n_held > p->n_held - d->first_held)
			return BAD("destination %u does not hold together", i);
	}
	for (uint32_t i = 0; i < p->n_held; i++)
		if (!terminated(p->held[i], sizeof(p->held[i])) || strchr(p->held[i], ':') == NULL)
			return BAD("held category value %u does not hold together", i);
	return RS_OK;
}

/* Bits of the object types a channel may allow: 1 << INSP_OBJ_TEXT .. 1 << INSP_OBJ_PNG. */
#define OBJ_TYPE_BITS ((uint8_t)(((1u << INSP_OBJ_TYPE_COUNT) - 1) & ~1u))

/* A reviewer name as the compiler accepts it: 1 to 63 of [a-z0-9_.-], NUL-terminated. */
static int
valid_reviewer_name(const char *s, size_t cap)
{
	size_t i;

	for (i = 0; i < cap && s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '.' || s[i] == '-'))
			return 0;
	return i > 0 && i < cap;
}

/* The review block: reviewer uids and names unique and well-formed, a known level. */
static int
check_review(const struct insp_policy *p, const char *name, struct insp_err *err)
{
	if (!valid_level(p->two_person_level) || p->n_reviewers > INSP_MAX_REVIEWERS ||
	    p->review_max_items == 0 || p->review_max_bytes == 0)
		return BAD("review settings out of range (reviewers %u)", p->n_reviewers);
	for (uint32_t i = 0; i < p->n_reviewers; i++) {
		const struct insp_reviewer *r = &p->reviewers[i];

		if (!valid_reviewer_name(r->name, sizeof(r->name)) || r->uid == 0 ||
		    r->uid == UINT32_MAX)
			return BAD("reviewer %u does not hold together", i);
		for (uint32_t j = 0; j < i; j++)
			if (p->reviewers[j].uid == r->uid ||
			    strcmp(p->reviewers[j].name, r->name) == 0)
				return BAD("reviewer %u repeats reviewer %u", i, j);
	}
	return RS_OK;
}

/* Printable ASCII, as the compiler accepts a prefix (a key it could never match else). */
static int
printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

/* Formats a priority row may name: every one but object (objects leave as routine). */
#define PRIO_FORMAT_BITS ((uint32_t)(((1u << INSP_FORMAT_COUNT) - 1) & ~(1u << INSP_FORMAT_OBJECT)))

/*
 * Egress links: the ranges the compiler enforces, each port once and a port some channel
 * sends on; the dataplane sizes its queues and token buckets from these numbers.
 */
static int
check_egress_links(const struct insp_policy *p, const char *name, struct insp_err *err)
{
	if (p->n_egress_links > INSP_MAX_CHANNELS)
		return BAD("%u egress links (at most %d)", p->n_egress_links, INSP_MAX_CHANNELS);
	for (uint32_t i = 0; i < p->n_egress_links; i++) {
		const struct insp_egress_link *l = &p->egress_links[i];
		uint32_t k;

		if ((l->rate_bps != INSP_EGRESS_RATE_LINE &&
		     (l->rate_bps < INSP_EGRESS_RATE_MIN || l->rate_bps > INSP_EGRESS_RATE_MAX)) ||
		    l->burst_bytes < INSP_EGRESS_BURST_MIN ||
		    l->burst_bytes > INSP_EGRESS_BURST_MAX ||
		    l->frame_overhead > INSP_EGRESS_OVERHEAD_MAX)
			return BAD("egress link %u (port %u): rate, burst or frame overhead out of "
				   "range",
				   i, l->port);
		for (int t = 0; t < INSP_TCLASS_COUNT; t++)
			if (l->queue_max[t] == 0 || l->queue_max[t] > INSP_EGRESS_QUEUE_MAX)
				return BAD("egress link %u (port %u): queue of class %d holds %u "
					   "packets (1..%u)",
					   i, l->port, t, l->queue_max[t], INSP_EGRESS_QUEUE_MAX);
		for (k = 0; k < i; k++)
			if (p->egress_links[k].port == l->port)
				return BAD("egress link %u repeats port %u of link %u", i, l->port,
					   k);
		for (k = 0; k < p->n_channels; k++)
			if (p->channels[k].egress.port == l->port)
				break;
		if (k == p->n_channels)
			return BAD("egress link %u names port %u, which no channel sends on", i,
				   l->port);
	}
	return RS_OK;
}

static int
check_topology(const struct insp_policy *p, const char *name, struct insp_err *err)
{
	for (uint32_t i = 0; i < p->n_channels; i++) {
		const struct insp_channel *c = &p->channels[i];

		if (!terminated(c->name, sizeof(c->name)) || c->category >= p->n_categories ||
		    c->direction > INSP_DIR_LOW_TO_HIGH || c->format >= INSP_FORMAT_COUNT ||
		    c->destination >= p->n_destinations || c->allow_bidi > 1 ||
		    !valid_ip(&c->ingress.dst) || !valid_ip(&c->egress.src) ||
		    !valid_ip(&c->egress.dst) || c->egress.dscp > 63 || c->egress.has_dscp > 1 ||
		    (!c->egress.has_dscp && c->egress.dscp != 0) || c->egress.has_src_mac > 1)
			return BAD("channel %u does not hold together", i);
		/* object settings only on object channels: types 1..4, a bound, review|direct */
		if (c->format == INSP_FORMAT_OBJECT
			    ? ((c->object_types & ~OBJ_TYPE_BITS) != 0 || c->object_types == 0 ||
			       c->object_release > INSP_OBJ_RELEASE_DIRECT || c->object_max == 0 ||
			       c->object_max > INSP_OBJECT_MAX)
			    : (c->object_types != 0 || c->object_release != 0 ||
			       c->object_max != 0))
			return BAD("channel %u: object settings do not hold together", i);
	}
	for (uint32_t i = 0; i < p->n_category_hints; i++) {
		const struct insp_category_hint *h = &p->category_hints[i];

		if (h->format >= INSP_FORMAT_COUNT || h->category >= p->n_categories ||
		    h->prefix_len >= sizeof(h->prefix) || h->prefix[h->prefix_len] != '\0' ||
		    strlen(h->prefix) != h->prefix_len)
			return BAD("category hint %u does not hold together", i);
	}
	for (uint32_t i = 0; i < p->n_priorities; i++) {
		const struct insp_priority_rule *r = &p->priorities[i];

		if (r->channel < -1 || r->channel >= (int32_t)p->n_channels ||
		    r->type_prefix_len >= sizeof(r->type_prefix) ||
		    strlen(r->type_prefix) != r->type_prefix_len || r->qos_priority < -1 ||
		    r->qos_priority > 9 || r->tclass >= INSP_TCLASS_COUNT ||
		    (r->formats & ~PRIO_FORMAT_BITS) != 0 ||
		    !printable(r->type_prefix, r->type_prefix_len))
			return BAD("priority rule %u does not hold together", i);
	}
	return check_egress_links(p, name, err);
}

static int
check_patterns(const struct insp_policy *p, const char *name, struct insp_err *err)
{
	uint32_t terms = 0, marks = 0;

	if (p->strings_len != 0 && p->strings[p->strings_len - 1] != '\0')
		return BAD("the string table is not terminated");
	for (uint32_t i = 0; i < p->n_patterns; i++) {
		const struct insp_pattern *pt = &p->patterns[i];

		uint64_t chans =
			p->n_channels >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << p->n_channels) - 1;

		if (pt->kind > INSP_PATTERN_MARKING || pt->action > INSP_ACTION_REVIEW ||
		    (pt->channels & ~chans) != 0 || (pt->restrict_to & ~nation_mask(p)) != 0 ||
		    (pt->forms & ~(INSP_FORM_FOLDED | INSP_FORM_SKELETON)) != 0 ||
		    (!valid_level(pt->level) && pt->level != INSP_LEVEL_NONE) || pt->literal > 1 ||
		    pt->caseless > 1 || pt->bound_before > 1 || pt->bound_after > 1 ||
		    pt->forms == 0 || pt->expr_off >= p->strings_len ||
		    pt->expr_len >= p->strings_len - pt->expr_off ||
		    p->strings[pt->expr_off + pt->expr_len] != '\0' ||
		    memchr(p->strings + pt->expr_off, '\0', pt->expr_len) != NULL ||
		    (pt->literal && (pt->anchor_len == 0 || pt->anchor_off > pt->expr_len ||
				     pt->anchor_len > pt->expr_len - pt->anchor_off)))
			return BAD("pattern %u (rule %u) does not hold together", i, pt->rule_id);
		terms += pt->kind == INSP_PATTERN_TERM;
		marks += pt->kind == INSP_PATTERN_MARKING;
	}
	if (terms < p->n_terms || marks < p->n_markings)
		return BAD("pattern counts do not add up");
	return RS_OK;
}

/*
 * The lookup tables must say exactly what the arrays they index say: a flipped table entry
 * could otherwise hide a hint, a priority rule or a channel, or route to the wrong one.
 */
static int
check_hint_table(const struct insp_policy *p, const char *name, struct insp_err *err)
{
	uint32_t seen = 0;

	for (int f = 0; f < INSP_FORMAT_COUNT; f++) {
		const struct insp_range r = p->hints_by_format[f];

		if (r.first > p->n_category_hints || r.n > p->n_category_hints - r.first)
			return BAD("hint table of format %d out of range", f);
		for (uint32_t i = r.first; i < r.first + r.n; i++) {
			uint32_t k = p->hint_order[i];

			if (k >= p->n_category_hints || p->category_hints[k].format != f ||
			    (i > r.first && p->category_hints[p->hint_order[i - 1]].prefix_len <
						    p->category_hints[k].prefix_len))
				return BAD("hint table entry %u does not hold together", i);
		}
		seen += r.n;
	}
	if (seen != p->n_category_hints)
		return BAD("hint table covers %u of %u hints", seen, p->n_category_hints);
	return RS_OK;
}

static int
check_priority_table(const struct insp_policy *p, const char *name, struct insp_err *err)
{
	uint32_t total = 0;

	for (uint32_t ch = 0; ch < INSP_MAX_CHANNELS; ch++) {
		const struct insp_range r = p->prio_by_channel[ch];
		uint32_t want = 0;

		if (ch >= p->n_channels) {
			if (r.first != 0 || r.n != 0)
				return BAD("priority table names channel %u, which does not exist",
					   ch);
			continue;
		}
		for (uint32_t i = 0; i < p->n_priorities; i++)
			want += p->priorities[i].channel < 0 ||
				(uint32_t)p->priorities[i].channel == ch;
		if (r.first > p->n_prio_order || r.n > p->n_prio_order - r.first || r.n != want)
			return BAD("priority table of channel %u does not hold together", ch);
		for (uint32_t i = r.first; i < r.first + r.n; i++) {
			uint32_t k = p->prio_order[i];

			/* the channel's own and the "any" rules only, in policy order */
			if (k >= p->n_priorities ||
			    (p->priorities[k].channel >= 0 &&
			     (uint32_t)p->priorities[k].channel != ch) ||
			    (i > r.first && p->prio_order[i - 1] >= k))
				return BAD("priority table entry %u does not hold together", i);
		}
		total += r.n;
	}
	if (total != p->n_prio_order)
		return BAD("priority table holds %u entries, the channels use %u", p->n_prio_order,
			   total);
	return RS_OK;
}

static int
check_channel_table(const struct insp_policy *p, const char *name, struct insp_err *err)
{
	for (uint32_t i = 0; i < p->n_channels; i++) {
		const struct insp_channel_key *k = &p->channel_keys[i];
		uint8_t want[INSP_CHANNEL_KEY_BYTES];

		if (k->channel >= p->n_channels)
			return BAD("channel key %u names channel %u", i, k->channel);
		insp_channel_key(p->channels[k->channel].ingress.port,
				 &p->channels[k->channel].ingress.dst,
				 p->channels[k->channel].ingress.udp_port, want);
		/* the channel's own key, strictly increasing: sorted, each channel once */
		if (memcmp(want, k->key, sizeof(want)) != 0 ||
		    (i > 0 && memcmp(p->channel_keys[i - 1].key, k->key, sizeof(want)) >= 0))
			return BAD("channel key %u does not hold together", i);
	}
	return RS_OK;
}

static int
check_tables(const struct insp_policy *p, const char *name, struct insp_err *err)
{
	int rc = check_hint_table(p, name, err);

	if (rc == RS_OK)
		rc = check_priority_table(p, name, err);
	if (rc == RS_OK)
		rc = check_channel_table(p, name, err);
	return rc;
}

/* Every count in the core must be its section's count. */
static int
check_counts(const struct insp_policy *p, const struct rs_image_header *h, const char *name,
	     struct insp_err *err)
{
	const struct {
		uint32_t n;
		int sec;
	} c[] = {
		{p->n_groups, RS_SEC_GROUPS},
		{p->n_class_policies, RS_SEC_CLASS_POLICIES},
		{p->n_class_names, RS_SEC_CLASS_NAMES},
		{p->n_destinations, RS_SEC_DESTINATIONS},
		{p->n_held, RS_SEC_HELD},
		{p->n_channels, RS_SEC_CHANNELS},
		{p->n_category_hints, RS_SEC_HINTS},
		{p->n_priorities, RS_SEC_PRIORITIES},
		{p->n_patterns, RS_SEC_PATTERNS},
		{p->n_category_hints, RS_SEC_HINT_ORDER},
		{p->n_prio_order, RS_SEC_PRIO_ORDER},
		{p->n_channels, RS_SEC_CHANNEL_KEYS},
		{p->n_egress_links, RS_SEC_EGRESS_LINKS},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (c[i].n != h->sect[c[i].sec].count)
			return BAD("the policy counts %u %s but the section holds %u", c[i].n,
				   section_names[c[i].sec], h->sect[c[i].sec].count);
	if (p->strings_len != h->sect[RS_SEC_STRINGS].size)
		return BAD("string table size does not match its section");
	return RS_OK;
}

static const void *
sect(const uint8_t *image, const struct rs_image_header *h, int s)
{
	return h->sect[s].size != 0 ? image + h->sect[s].off : NULL;
}

/* Deserialize one database into memory from the allocator. */
static int
open_db(struct rs_ruleset *rs, int which, const struct rs_image_header *h, int s,
	const struct hs_database **out, const char *name, struct insp_err *err)
{
	const char *bytes = (const char *)rs->image + h->sect[s].off;
	size_t n = h->sect[s].size, size = 0;
	hs_error_t rc;

	*out = NULL;
	if (n == 0)
		return RS_OK;
	rc = hs_serialized_database_size(bytes, n, &size);
	if (rc != HS_SUCCESS || size == 0)
		return fail(err, name, rc == HS_DB_VERSION_ERROR ? RS_ERR_PLATFORM : RS_ERR_CORRUPT,
			    "the %s database %s", section_names[s],
			    rc == HS_DB_VERSION_ERROR ? "was built by another Hyperscan release"
						      : "is not a Hyperscan database");
	rs->db_mem[which] = rs->alloc.alloc(size, 64, rs->alloc.ctx);
	if (rs->db_mem[which] == NULL)
		return fail(err, name, RS_ERR_NOMEM, "no memory for the %s database (%zu bytes)",
			    section_names[s], size);
	rc = hs_deserialize_database_at(bytes, n, rs->db_mem[which]);
	if (rc == HS_DB_PLATFORM_ERROR || rc == HS_DB_VERSION_ERROR)
		return fail(err, name, RS_ERR_PLATFORM,
			    "the %s database was built for %s; recompile the policy on this "
			    "machine (or with --portable)",
			    section_names[s],
			    rc == HS_DB_VERSION_ERROR ? "another Hyperscan release"
						      : "CPU features this machine lacks");
	if (rc != HS_SUCCESS)
		return fail(err, name, RS_ERR_CORRUPT, "the %s database does not deserialize (%d)",
			    section_names[s], (int)rc);
	*out = rs->db_mem[which];
	return RS_OK;
}

/* The image's CPU target against this machine's, before Hyperscan sees the databases. */
static int
check_platform(const struct rs_image_header *h, const char *name, struct insp_err *err)
{
	hs_platform_info_t here;

	if (hs_populate_platform(&here) != HS_SUCCESS)
		return fail(err, name, RS_ERR_PLATFORM, "cannot read this machine's CPU features");
	if ((h->hs.cpu_features & ~here.cpu_features) != 0)
		return fail(err, name, RS_ERR_PLATFORM,
			    "built for CPU features this machine lacks (%s%s); recompile the "
			    "policy on this machine or with --portable",
			    (h->hs.cpu_features & ~here.cpu_features & HS_CPU_FEATURES_AVX2)
				    ? "AVX2 "
				    : "",
			    (h->hs.cpu_features & ~here.cpu_features & HS_CPU_FEATURES_AVX512)
				    ? "AVX-512"
				    : "");
	if (!terminated(h->hs.hs_version, sizeof(h->hs.hs_version)) ||
	    strcmp(h->hs.hs_version, hs_version()) != 0)
		return fail(
			err, name, RS_ERR_PLATFORM,
			"compiled with Hyperscan %.80s, this guard runs %s: recompile the policy",
			h->hs.hs_version, hs_version());
	return RS_OK;
}

int
rs_ruleset_open(struct rs_ruleset *rs, const uint8_t *image, size_t len,
		const struct rs_alloc *alloc, const char *name, struct insp_err *err)
{
	const struct rs_image_header *h = (const void *)image;
	struct insp_policy *p = &rs->policy;
	uint8_t sha[32];
	int rc;

	memset(rs, 0, sizeof(*rs));
	rs->alloc = alloc != NULL ? *alloc : rs_alloc_libc;
	if (name == NULL)
		name = "ruleset image";
	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (image == NULL || !rs_image_is(image, len))
		return fail(err, name, RS_ERR_NOT_IMAGE,
			    "not a ruleset image (compile a policy with 'guardctl policy "
			    "compile')");
	if ((uintptr_t)image % RS_IMAGE_ALIGN != 0)
		return fail(err, name, RS_ERR_IO, "image not loaded at a %u-byte boundary",
			    RS_IMAGE_ALIGN);
	if (len < RS_IMAGE_HEADER_BYTES)
		return fail(err, name, RS_ERR_TRUNCATED,
			    "truncated: %zu bytes, shorter than the %u-byte header", len,
			    RS_IMAGE_HEADER_BYTES);
	if (h->endian != RS_IMAGE_ENDIAN_LITTLE)
		return fail(err, name, RS_ERR_VERSION, "written with another byte order");
	if (h->version != RS_IMAGE_VERSION || h->header_size != RS_IMAGE_HEADER_BYTES)
		return fail(err, name, RS_ERR_VERSION,
			    "image format version %u, this guard reads version %u: recompile the "
			    "policy with this guard's guardctl",
			    h->version, RS_IMAGE_VERSION);
	if (h->layout != rs_image_layout())
		return fail(err, name, RS_ERR_VERSION,
			    "record layout %08x, this guard's is %08x: recompile the policy with "
			    "this guard's guardctl",
			    h->layout, rs_image_layout());
	if (h->image_size != len)
		return fail(err, name, len < h->image_size ? RS_ERR_TRUNCATED : RS_ERR_CORRUPT,
			    "%s: %zu bytes, the header says %llu",
			    len < h->image_size ? "truncated" : "trailing bytes", len,
			    (unsigned long long)h->image_size);
	rs_image_sha256(image, len, sha);
	if (sodium_memcmp(sha, h->image_sha256, sizeof(sha)) != 0)
		return fail(err, name, RS_ERR_CORRUPT,
			    "corrupted: its SHA-256 does not match the one in its header");
	rc = check_sections(h, len, name, err);
	if (rc != RS_OK)
		return rc;
	rc = check_platform(h, name, err);
	if (rc != RS_OK)
		return rc;

	rs->image = image;
	rs->image_len = len;
	rs->hdr = h;
	rs->inputs = sect(image, h, RS_SEC_INPUTS);
	memcpy(p, image + h->sect[RS_SEC_CORE].off, sizeof(*p));
	p->groups = (void *)(uintptr_t)sect(image, h, RS_SEC_GROUPS);
	p->class_policies = (void *)(uintptr_t)sect(image, h, RS_SEC_CLASS_POLICIES);
	p->class_names = (void *)(uintptr_t)sect(image, h, RS_SEC_CLASS_NAMES);
	p->destinations = (void *)(uintptr_t)sect(image, h, RS_SEC_DESTINATIONS);
	p->held = (void *)(uintptr_t)sect(image, h, RS_SEC_HELD);
	p->channels = (void *)(uintptr_t)sect(image, h, RS_SEC_CHANNELS);
	p->category_hints = (void *)(uintptr_t)sect(image, h, RS_SEC_HINTS);
	p->priorities = (void *)(uintptr_t)sect(image, h, RS_SEC_PRIORITIES);
	p->patterns = (void *)(uintptr_t)sect(image, h, RS_SEC_PATTERNS);
	p->strings = sect(image, h, RS_SEC_STRINGS);
	p->hint_order = (void *)(uintptr_t)sect(image, h, RS_SEC_HINT_ORDER);
	p->prio_order = (void *)(uintptr_t)sect(image, h, RS_SEC_PRIO_ORDER);
	p->channel_keys = (void *)(uintptr_t)sect(image, h, RS_SEC_CHANNEL_KEYS);
	p->egress_links = (void *)(uintptr_t)sect(image, h, RS_SEC_EGRESS_LINKS);
	memset(&p->matcher, 0, sizeof(p->matcher));
	rc = check_counts(p, h, name, err);
	if (rc == RS_OK)
		rc = check_labels(p, name, err);
	if (rc == RS_OK)
		rc = check_topology(p, name, err);
	if (rc == RS_OK)
		rc = check_review(p, name, err);
	if (rc == RS_OK)
		rc = check_patterns(p, name, err);
	if (rc == RS_OK)
		rc = check_tables(p, name, err);
	if (rc == RS_OK)
		rc = open_db(rs, 0, h, RS_SEC_HS_REGEX, &p->matcher.regex_db, name, err);
	if (rc == RS_OK)
		rc = open_db(rs, 1, h, RS_SEC_HS_LITERAL, &p->matcher.lit_db, name, err);
	if (rc == RS_OK && (p->n_patterns != 0) != !insp_matcher_empty(&p->matcher))
		rc = BAD("%u patterns but %s", p->n_patterns,
			 p->n_patterns != 0 ? "no database" : "a database");
	if (rc != RS_OK) {
		rs_ruleset_close(rs);
		return rc;
	}
	p->matcher.patterns = p->patterns;
	p->matcher.n_patterns = p->n_patterns;
	p->matcher.strings = p->strings;
	return RS_OK;
}

void
rs_ruleset_close(struct rs_ruleset *rs)
{
	if (rs == NULL)
		return;
	for (int i = 0; i < 2; i++) {
		if (rs->db_mem[i] != NULL && rs->alloc.free != NULL)
			rs->alloc.free(rs->db_mem[i], rs->alloc.ctx);
		rs->db_mem[i] = NULL;
	}
	memset(&rs->policy, 0, sizeof(rs->policy));
	rs->image = NULL;
	rs->hdr = NULL;
}

int
rs_image_read(const char *path, const struct rs_alloc *alloc, uint8_t **buf, size_t *len,
	      struct insp_err *err)
{
	struct stat st;
	uint8_t *b = NULL;
	size_t got = 0;
	int fd;

	*buf = NULL;
	*len = 0;
	if (alloc == NULL)
		alloc = &rs_alloc_libc;
	/* O_NONBLOCK: a FIFO would otherwise block open() until a writer appears */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fail(err, path, RS_ERR_IO, "cannot read the ruleset image: %s",
			    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(err, path, RS_ERR_IO,
			    "cannot read the ruleset image: not a regular file");
	}
	if ((unsigned long long)st.st_size > RS_IMAGE_MAX_BYTES) {
		close(fd);
		return fail(err, path, RS_ERR_IO,
			    "cannot read the ruleset image: %lld bytes (at most %llu)",
			    (long long)st.st_size, (unsigned long long)RS_IMAGE_MAX_BYTES);
	}
	b = alloc->alloc((size_t)st.st_size + 1, RS_IMAGE_ALIGN, alloc->ctx);
	if (b == NULL) {
		close(fd);
		return fail(err, path, RS_ERR_NOMEM, "no memory for the ruleset image");
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : 0;

			close(fd);
			alloc->free(b, alloc->ctx);
			return fail(err, path, RS_ERR_IO, "cannot read the ruleset image: %s",
				    e != 0 ? strerror(e) : "the file shrank while being read");
		}
		got += (size_t)n;
	}
	close(fd);
	*buf = b;
	*len = got;
	return RS_OK;
}
