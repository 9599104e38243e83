/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame recipes of CoT. Every frame starts as a releasable CoT message on a channel of the
 * sample deployment (a TAK client's event, a valid label for the channel's destination,
 * clean text); the recipe for a reason then changes exactly one thing, at the layer that
 * reason is about. The comments at each variant say what the frame looks like;
 * docs/gen-traffic.md has the same list for people. The other formats reuse these recipes
 * (gt_scenario_formats.c, through gt_scenario_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "gt_deploy.h"
#include "gt_frame.h"
#include "gt_label.h"
#include "gt_scenario.h"
#include "gt_scenario_int.h"
#include "gt_text.h"

static const char *const reason_names[] = {
#define GT_REASON_NAME(e, name, nv) [GT_R_##e] = name,
	GT_REASONS(GT_REASON_NAME)
#undef GT_REASON_NAME
};

static const unsigned reason_variants[] = {
#define GT_REASON_NV(e, name, nv) [GT_R_##e] = nv,
	GT_REASONS(GT_REASON_NV)
#undef GT_REASON_NV
};

const char *
gt_reason_name(enum gt_reason r)
{
	return (unsigned)r < GT_R_COUNT ? reason_names[r] : "invalid";
}

unsigned
gt_reason_variants(enum gt_reason r)
{
	return (unsigned)r < GT_R_COUNT ? reason_variants[r] : 1;
}

/* The high side's router: destination MAC of unicast frames (TCP, ICMP). */
static const uint8_t gateway_mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
static const uint8_t tak_server_v4[4] = {192, 0, 2, 10};
static const uint8_t gateway_v4[4] = {192, 0, 2, 1};
static const uint8_t gateway_v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x10, 0, 0,
				       0,    0,	   0,	 0,    0, 0,	0, 1};

/* Releasable-To sets that cover each destination (GT_DEST_MN, GT_DEST_FVEY, GT_DEST_NATO). */
static const char *const mn_nations[] = {"USA", "GBR", "FRA", "DEU", "POL", "NLD", "ITA", "CAN"};
static const char *const nato_nations[] = {"USA", "GBR", "FRA", "DEU", "POL",
					   "NLD", "ITA", "CAN", "NOR", "ESP"};
static const char *const fvey_nations[] = {"AUS", "CAN", "GBR", "NZL", "USA"};
static const char *const group_nato[] = {"NATO"};
static const char *const group_fvey[] = {"FVEY"};

/* channel constraints of a variant */
enum {
	CH_ANY = -1,
	CH_ANY_V4 = -2,
	CH_ANY_MN = -3,
	CH_NOT_MN = -4, /* cot-fvey or cot-nato */
};

static void
shuffle(struct gt_rng *r, const char **v, unsigned n)
{
	for (unsigned i = n; i > 1; i--) {
		unsigned j = gt_rng_below(r, i);
		const char *t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static void
set_rel(struct gt_label *l, const char *const *codes, unsigned n)
{
	l->n_rel = n < GT_LABEL_MAX_CODES ? n : GT_LABEL_MAX_CODES;
	for (unsigned i = 0; i < l->n_rel; i++)
		l->rel[i] = codes[i];
}

static void
set_rel_shuffled(struct gt_rng *r, struct gt_label *l, const char *const *codes, unsigned n)
{
	set_rel(l, codes, n);
	shuffle(r, l->rel, l->n_rel);
}

/* A Releasable-To list, as written by someone, that covers every member of @p d. */
static void
rel_covering(struct gt_rng *r, enum gt_dest d, struct gt_label *l)
{
	static const char *const nato_fvey[] = {"NATO", "FVEY"};
	static const char *const fvey_plus[] = {"FVEY", "FRA", "DEU", "POL", "NLD", "ITA"};
	static const char *const usa_gbr_fvey[] = {"USA", "GBR", "FVEY"};
	static const char *const nato_aus_nzl[] = {"NATO", "AUS", "NZL"};

	if (d == GT_DEST_NATO) {
		switch (gt_rng_below(r, 10)) {
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
			set_rel(l, group_nato, 1);
			break;
		case 5:
		case 6:
			set_rel_shuffled(r, l, nato_nations, N_OF(nato_nations));
			break;
		default:
			set_rel(l, nato_fvey, N_OF(nato_fvey));
			break;
		}
		return;
	}
	if (d == GT_DEST_MN) {
		switch (gt_rng_below(r, 10)) {
		case 0:
		case 1:
		case 2:
		case 3:
			set_rel(l, group_nato, 1);
			break;
		case 4:
		case 5:
			set_rel_shuffled(r, l, mn_nations, N_OF(mn_nations));
			break;
		case 6:
			set_rel(l, nato_fvey, N_OF(nato_fvey));
			break;
		case 7:
			set_rel_shuffled(r, l, fvey_plus, N_OF(fvey_plus));
			break;
		default:
			set_rel(l, nato_nations, N_OF(nato_nations));
			break;
		}
		return;
	}
	switch (gt_rng_below(r, 10)) {
	case 0:
	case 1:
	case 2:
	case 3:
		set_rel(l, group_fvey, 1);
		break;
	case 4:
	case 5:
		set_rel(l, usa_gbr_fvey, N_OF(usa_gbr_fvey));
		break;
	case 6:
	case 7:
		set_rel_shuffled(r, l, fvey_nations, N_OF(fvey_nations));
		break;
	case 8:
		set_rel(l, nato_aus_nzl, N_OF(nato_aus_nzl));
		break;
	default:
		set_rel(l, nato_fvey, N_OF(nato_fvey));
		break;
	}
}

void
gts_set_class(struct gt_label *l, const char *policy, const char *name)
{
	l->policy = policy;
	l->classification = name;
}

/*
 * A classification at or below @p max (SECRET, or CONFIDENTIAL where a member's release
 * ceiling says so): NATO ones half of the time, else a national one.
 */
static void
class_releasable(struct gt_rng *r, struct gt_label *l, int max)
{
	const struct gt_class *c;

	do {
		if (gt_rng_chance(r, 50))
			c = &gt_classes[gt_rng_below(r, 4)]; /* NATO UNCLASSIFIED .. SECRET */
		else
			c = &gt_classes[gt_rng_below(r, gt_n_classes)];
	} while (c->level > max);
	gts_set_class(l, c->policy, c->name);
}

/* A valid, releasable label for the channel, in one or both carriers (lean: access only). */
void
gts_label_valid(struct gt_rng *r, struct gt_msg *m, bool lean)
{
	enum gt_dest d = gt_channels[m->channel].dest;
	unsigned carrier = gt_rng_below(r, 10);
	static const char *const prefixes[] = {"slab", "ns2", "oc", "stanag"};

	memset(&m->lab_access, 0, sizeof(m->lab_access));
	class_releasable(r, &m->lab_access, gt_dest_max_level[d]);
	rel_covering(r, d, &m->lab_access);
	m->carrier_access = lean || carrier < 7; /* access only 40 %, both 30 % */
	m->carrier_4774 = !lean && carrier >= 4; /* 4774 only 30 % */
	m->lab_4774 = m->lab_access;
	/* the same Releasable-To set, written in another order (agreement ignores order) */
	shuffle(r, m->lab_4774.rel, m->lab_4774.n_rel);
	if (d == GT_DEST_FVEY && !lean && gt_rng_chance(r, 25)) {
		/* a RESTRICTIVE category FVEY holds ("Additional Sensitivity:AUSCANNZUKUS") */
		m->lab_4774.restrictive[0] = "AUSCANNZUKUS";
		m->lab_4774.n_restrictive = 1;
		m->carrier_4774 = true;
	}
	if (m->carrier_4774 && gt_rng_chance(r, 20)) {
		/* INFORMATIVE Data Category: what the event is; FVEY also gets intelligence */
		m->lab_4774.data_category[0] = gt_category_of(m->cot.type);
		m->lab_4774.n_data_category = 1;
		if (d == GT_DEST_FVEY && gt_rng_chance(r, 30) &&
		    strcmp(m->lab_4774.data_category[0], "intelligence") != 0)
			m->lab_4774.data_category[m->lab_4774.n_data_category++] = "intelligence";
	}
	if (gt_rng_chance(r, 5))
		m->lab_4774.privacy_mark = "STAFF";
	m->style.prefix = gt_rng_chance(r, 40) ? GT_PICK(r, prefixes) : NULL;
	m->style.token_spaces = gt_rng_chance(r, 5);
	m->style.omit_creation = false;
}

/* Sender, event and detail of an ordinary event of the sender's. */
int
gts_cot_fill(struct gt_rng *r, struct gt_msg *m, int kind, bool lean, int64_t ts_ms)
{
	static const char *const hows_marker[] = {"h-g-i-g-o", "h-e"};
	static const char *const air_words[] = {"REAPER", "SHADOW", "GRAY EAGLE", "WATCHKEEPER"};
	static const char *const opex_values[] = {"e-BALTIC SHIELD", "o-STEADFAST", "e-VIGILANT"};
	const struct gt_sender *s = m->s;
	struct gt_cot *c = &m->cot;
	int64_t t = ts_ms - gt_rng_range(r, 0, 400);
	int style = s->client == GT_CLIENT_ITAK ? 1 : 0;
	int offset = 0;
	char id[37];

	memset(c, 0, sizeof(*c));
	if (kind < 0) {
		unsigned k = gt_rng_below(r, 100);

		kind = k < 45	? GT_KIND_PLI
		       : k < 57 ? GT_KIND_HOSTILE
		       : k < 65 ? GT_KIND_UNKNOWN
		       : k < 73 ? GT_KIND_AIR
		       : k < 83 ? GT_KIND_SPOT
				: GT_KIND_CHAT;
		if (kind == GT_KIND_PLI && s->vehicle)
			kind = GT_KIND_VEHICLE;
		else if (kind == GT_KIND_PLI && gt_rng_below(r, 200) == 0)
			kind = GT_KIND_ALERT; /* someone pressed the 911 button */
	}
	c->kind = (enum gt_cot_kind)kind;
	c->lean = lean && kind != GT_KIND_CHAT && kind != GT_KIND_ALERT;
	c->client = s->client;
	c->single_quotes = s->client == GT_CLIENT_WINTAK || gt_rng_chance(r, 15);
	c->xml_decl = s->client != GT_CLIENT_ITAK && !c->lean && gt_rng_chance(r, 80);
	c->detail_first = gt_rng_chance(r, 3);
	if (gt_rng_chance(r, 3)) {
		style = 2; /* a local time with its UTC offset */
		offset = gt_rng_chance(r, 50) ? 60 : 120;
	}
	if (gt_cot_time(c->time, sizeof(c->time), t, style, offset) < 0 ||
	    gt_cot_time(c->start, sizeof(c->start), t, style, offset) < 0 ||
	    gt_cot_time(c->stale, sizeof(c->stale), t + gt_rng_range(r, 120, 1800) * 1000ll, style,
			offset) < 0 ||
	    gt_cot_time(m->creation, sizeof(m->creation), t, 1, 0) < 0)
		return -1;
	c->sender_uid = s->uid;
	c->sender_callsign = s->callsign;
	c->group = s->group;
	c->role = s->role;
	c->device = s->device;
	c->os = s->os;
	c->version = s->version;
	c->platform = s->platform;
	c->battery = gt_rng_range(r, 8, 100);
	c->course = gt_rng_real(r, 0, 360);
	c->speed = gt_rng_real(r, 0, 4.5);
	c->lat = s->lat + gt_rng_real(r, -0.02, 0.02);
	c->lon = s->lon + gt_rng_real(r, -0.02, 0.02);
	c->hae = gt_rng_chance(r, 10) ? 9999999.0 : gt_rng_real(r, 20, 320);
	c->ce = gt_rng_real(r, 3, 15);
	c->le = 9999999.0;
	c->how = "m-g";
	c->uid = s->uid;
	c->callsign = s->callsign;
	switch (c->kind) {
	case GT_KIND_PLI:
		c->type = "a-f-G-U-C";
		break;
	case GT_KIND_VEHICLE:
		c->type = "a-f-G-E-V-C";
		c->speed = gt_rng_real(r, 0, 25);
		break;
	case GT_KIND_HOSTILE:
	case GT_KIND_UNKNOWN:
	case GT_KIND_SPOT:
		c->type = c->kind == GT_KIND_HOSTILE   ? "a-h-G-U-C-I"
			  : c->kind == GT_KIND_UNKNOWN ? "a-u-G"
						       : "b-m-p-s-m";
		/* imagery (b-i-x-i, data category intelligence) only where it is shared */
		if (c->kind == GT_KIND_SPOT && gt_channels[m->channel].dest == GT_DEST_FVEY &&
		    gt_rng_chance(r, 30))
			c->type = "b-i-x-i";
		c->how = GT_PICK(r, hows_marker);
		c->lat = s->lat + gt_rng_real(r, -0.08, 0.08);
		c->lon = s->lon + gt_rng_real(r, -0.08, 0.08);
		c->ce = gt_rng_chance(r, 50) ? 9999999.0 : gt_rng_real(r, 5, 50);
		gt_uuid(r, id, false);
		if (gt_fmt(m->uid, sizeof(m->uid), "%s", id) < 0)
			return -1;
		c->uid = m->uid;
		if (c->kind == GT_KIND_SPOT) {
			if (gt_fmt(m->callsign, sizeof(m->callsign),
				   c->type[2] == 'i' ? "IMG %u" : "R %u",
				   gt_rng_range(r, 1, 40)) < 0)
				return -1;
		} else if (gt_fmt(m->callsign, sizeof(m->callsign), "%c.%02u.%02u%02u%02u",
				  c->kind == GT_KIND_HOSTILE ? 'H' : 'U', gt_rng_range(r, 1, 28),
				  gt_rng_below(r, 24), gt_rng_below(r, 60),
				  gt_rng_below(r, 60)) < 0) {
			return -1;
		}
		c->callsign = m->callsign;
		break;
	case GT_KIND_ALERT:
		c->type = "b-a-o-tbl";
		c->how = "h-e";
		if (gt_fmt(m->uid, sizeof(m->uid), "%s-9-1-1", s->uid) < 0 ||
		    gt_fmt(m->callsign, sizeof(m->callsign), "%s-Alert", s->callsign) < 0)
			return -1;
		c->uid = m->uid;
		c->callsign = m->callsign;
		break;
	case GT_KIND_AIR:
		c->type = "a-f-A-M-F-Q";
		c->hae = gt_rng_real(r, 1500, 6000);
		c->speed = gt_rng_real(r, 30, 80);
		c->lat = s->lat + gt_rng_real(r, -0.3, 0.3);
		c->lon = s->lon + gt_rng_real(r, -0.3, 0.3);
		gt_uuid(r, id, false);
		if (gt_fmt(m->uid, sizeof(m->uid), "UAS-%.8s", id) < 0 ||
		    gt_fmt(m->callsign, sizeof(m->callsign), "%s %u", GT_PICK(r, air_words),
			   gt_rng_range(r, 1, 39)) < 0)
			return -1;
		c->uid = m->uid;
		c->callsign = m->callsign;
		break;
	case GT_KIND_CHAT:
	case GT_KIND_COUNT:
		c->kind = GT_KIND_CHAT;
		c->type = "b-t-f";
		c->how = "h-g-i-g-o";
		gt_uuid(r, m->msg_id, false);
		if (gt_fmt(m->uid, sizeof(m->uid), "GeoChat.%s.All Chat Rooms.%s", s->uid,
			   m->msg_id) < 0)
			return -1;
		c->uid = m->uid;
		c->msg_id = m->msg_id;
		break;
	}
	if (!c->lean && gt_rng_chance(r, 10))
		c->qos = c->kind == GT_KIND_HOSTILE ? "1-r-c" : "3-r-c";
	if (!c->lean && gt_rng_chance(r, 5)) {
		if (gt_fmt(m->opex, sizeof(m->opex), "%s", GT_PICK(r, opex_values)) < 0)
			return -1;
		c->opex = m->opex;
	}
	return 0;
}

/* Append a phrase inside a sentence to m->inject. */
static int
inject_phrase(struct gt_rng *r, struct gt_msg *m, const char *phrase, enum gt_obf how, bool alone)
{
	char enc[256];
	struct gt_buf e;
	struct gt_buf b;

	gt_buf_init(&e, enc, sizeof(enc));
	gt_text_phrase(r, phrase, how, &e);
	gt_buf_cstr(&e);
	gt_buf_init(&b, m->inject, sizeof(m->inject));
	if (alone)
		gt_buf_puts(&b, enc);
	else
		gt_text_wrap(r, enc, &b);
	gt_buf_cstr(&b);
	m->inject_alone = alone;
	return e.overflow || b.overflow ? -1 : 0;
}

#define GT_PICK_N(r, arr, n) ((arr)[gt_rng_below((r), (n))])

/* A review term of rules/terms/review.txt (every channel). */
static const struct gt_review_term *
unscoped_review_term(struct gt_rng *r)
{
	const struct gt_review_term *t;

	do
		t = &gt_review_terms[gt_rng_below(r, gt_n_review_terms)];
	while (t->channels != 0);
	return t;
}

/*
 * A channel-scoped review term whose scope includes @p channel (@p in_scope) or leaves it
 * out (!in_scope), or NULL if there is none.
 */
static const struct gt_review_term *
scoped_review_term(struct gt_rng *r, int channel, bool in_scope)
{
	const struct gt_review_term *fit[8];
	unsigned n = 0;

	for (unsigned i = 0; i < gt_n_review_terms && n < N_OF(fit); i++) {
		const struct gt_review_term *t = &gt_review_terms[i];

		if (t->channels != 0 && ((t->channels & GT_CH_BIT(channel)) != 0) == in_scope)
			fit[n++] = t;
	}
	return n > 0 ? fit[gt_rng_below(r, n)] : NULL;
}

/* ---- reasons ------------------------------------------------------------------------- */

/* Which channels a variant can use. */
static int
variant_channel(enum gt_reason r, unsigned v)
{
	switch (r) {
	case GT_R_L2L4_FRAGMENT:
		return CH_ANY_V4;
	case GT_R_L2L4_IP_OPTIONS:
		return v == 2 ? GT_CH_MN_V6 : CH_ANY_V4;
	case GT_R_L2L4_TRUNCATED:
		return v % 2 == 1 ? GT_CH_MN_V6 : CH_ANY_V4;
	case GT_R_L2L4_BAD_CHECKSUM:
		return v >= 2 ? GT_CH_MN_V6 : CH_ANY_V4;
	case GT_R_L2L4_OVERSIZE:
		return v == 1 ? GT_CH_MN_V6 : CH_ANY_V4;
	case GT_R_L2L4_NO_CHANNEL:
		return v >= 2 ? GT_CH_MN_V6 : CH_ANY_V4;
	case GT_R_L2L4_NOT_UDP:
		return v == 4 ? GT_CH_MN_V6 : CH_ANY_V4;
	case GT_R_OVER_CLASSIFIED: {
		static const int ch[] = {GT_CH_MN,   GT_CH_FVEY, GT_CH_MN_V6,
					 GT_CH_FVEY, GT_CH_NATO, GT_CH_NATO};

		return ch[v % 6];
	}
	case GT_R_NO_SHARING_AGREEMENT: {
		static const int ch[] = {GT_CH_MN, GT_CH_MN_V6, GT_CH_NATO, GT_CH_FVEY};

		return ch[v % 4];
	}
	case GT_R_REVIEW:
		return v % 4 == 2 ? CH_ANY_MN : CH_ANY;
	case GT_R_NOT_RELEASABLE: {
		static const int ch[] = {GT_CH_MN,   GT_CH_MN,	  GT_CH_MN,   GT_CH_FVEY,
					 GT_CH_FVEY, GT_CH_MN_V6, GT_CH_MN_V6};

		return ch[v % 7];
	}
	case GT_R_MARKING_INCONSISTENT: {
		static const int ch[] = {CH_ANY_MN,   GT_CH_MN, GT_CH_FVEY,
					 GT_CH_MN_V6, CH_ANY,	GT_CH_FVEY};

		return ch[v % 6];
	}
	default:
		return CH_ANY;
	}
}

static int
pick_channel(struct gt_rng *r, int constraint)
{
	unsigned x = gt_rng_below(r, 100);

	switch (constraint) {
	case CH_ANY:
		return x < 45 ? GT_CH_MN : x < 70 ? GT_CH_FVEY : x < 85 ? GT_CH_MN_V6 : GT_CH_NATO;
	case CH_ANY_V4:
		return x < 50 ? GT_CH_MN : x < 80 ? GT_CH_FVEY : GT_CH_NATO;
	case CH_ANY_MN:
		return x < 70 ? GT_CH_MN : GT_CH_MN_V6;
	case CH_NOT_MN:
		return x < 60 ? GT_CH_FVEY : GT_CH_NATO;
	default:
		return constraint;
	}
}

/* Which event kind a variant needs (-1: any). */
int
gts_variant_kind(enum gt_reason r, unsigned v)
{
	if (r == GT_R_MARKING_INCONSISTENT && v == 4)
		return GT_KIND_CHAT;
	if (r == GT_R_PROHIBITED_CONTENT && v == 10)
		return GT_KIND_CHAT;
	if (r == GT_R_REVIEW && v == 1)
		return GT_KIND_CHAT;
	if (r == GT_R_NO_SHARING_AGREEMENT)
		return v % 4 == 1 ? GT_KIND_SPOT : v % 4 == 0 ? GT_KIND_HOSTILE : -1;
	if (r == GT_R_PROHIBITED_CONTENT && v == 2)
		return GT_KIND_PLI; /* the term in the contact callsign */
	if (r == GT_R_BAD_LABEL && v == 8)
		return GT_KIND_PLI; /* lean: two 4774 labels make a big message */
	return -1;
}

/* Whether a variant needs a terse event to stay within 1500 bytes. */
bool
gts_variant_lean(enum gt_reason r, unsigned v)
{
	return r == GT_R_BAD_LABEL && v == 8;
}

static const char *
malform_variant(struct gt_rng *r, struct gt_msg *m, unsigned v)
{
	static const char *const bad_types[] = {"a-f-G-U-C!", "a-f-G U-C", "a--f-G", "a-f-G;x;y",
						"a-f-G-U-C<"};
	static const char *const names[] = {
		"stale attribute missing",
		"lat=91.5",
		"DOCTYPE with internal subset",
		"second root element",
		"</event> missing",
		"type outside the CoT grammar",
		"two <point> elements",
		"duplicate how attribute",
	};

	m->cot.malform = (enum gt_malform)(GT_MAL_NO_STALE + v % 8);
	if (m->cot.malform == GT_MAL_BAD_TYPE)
		m->cot.type = GT_PICK(r, bad_types);
	return names[v % 8];
}

static const char *
bad_label_variant(struct gt_rng *r, struct gt_msg *m, unsigned v)
{
	enum gt_dest d = gt_channels[m->channel].dest;
	const char *const *members = d == GT_DEST_MN	 ? mn_nations
				     : d == GT_DEST_NATO ? nato_nations
							 : fvey_nations;
	unsigned n_members = d == GT_DEST_MN	 ? N_OF(mn_nations)
			     : d == GT_DEST_NATO ? N_OF(nato_nations)
						 : N_OF(fvey_nations);
	struct gt_buf b;
	char marking[256];
	char *p;

	m->carrier_access = true;
	m->carrier_4774 = false;
	gts_set_class(&m->lab_access, "NATO", "SECRET");
	gt_buf_init(&b, marking, sizeof(marking));
	switch (v % 9) {
	case 0:
		m->access_raw = "Undefined";
		return "access=\"Undefined\" (the ATAK default)";
	case 1:
		gt_label_marking(&m->lab_access, &b);
		gt_buf_cstr(&b);
		p = strchr(marking, ' ');
		if (b.overflow || p == NULL || b.len + 2 > sizeof(marking))
			return NULL;
		memmove(p + 1, p, strlen(p) + 1); /* "NATO  SECRET..." */
		break;
	case 2:
		gt_label_marking(&m->lab_access, &b);
		gt_buf_cstr(&b);
		p = strstr(marking, "REL TO");
		if (b.overflow || p == NULL)
			return NULL;
		memmove(p + 3, p + 4, strlen(p + 4) + 1); /* "RELTO" */
		break;
	case 3:
		gt_buf_printf(&b, "NATO SUPER SECRET//REL TO %s",
			      d == GT_DEST_FVEY ? "FVEY" : "NATO");
		gt_buf_cstr(&b);
		break;
	case 4:
		m->access_raw = "UNCLASSIFIED";
		return "bare UNCLASSIFIED";
	case 5:
	case 6:
		set_rel_shuffled(r, &m->lab_access, members, n_members);
		gt_buf_puts(&b, "NATO SECRET//REL TO ");
		for (unsigned i = 0; i < m->lab_access.n_rel; i++) {
			const char *code = m->lab_access.rel[i];

			if (i > 0)
				gt_buf_puts(&b, v % 9 == 5 ? ", " : ",");
			if (v % 9 == 5) /* lower-case codes */
				gt_buf_printf(&b, "%c%c%c", code[0] + 32, code[1] + 32,
					      code[2] + 32);
			else
				gt_buf_puts(&b, code);
		}
		gt_buf_cstr(&b);
		break;
	case 7:
		m->carrier_access = false;
		m->carrier_4774 = true;
		m->style.omit_creation = true;
		return "4774 label without CreationDateTime (strict)";
	default:
		m->carrier_access = false;
		m->carrier_4774 = true;
		m->two_4774 = true;
		set_rel(&m->lab_4774, d == GT_DEST_FVEY ? group_fvey : group_nato, 1);
		return "two 4774 labels";
	}
	if (b.overflow || gt_fmt(m->access_buf, sizeof(m->access_buf), "%s", marking) < 0)
		return NULL;
	m->access_raw = m->access_buf;
	switch (v % 9) {
	case 1:
		return "access with a double space";
	case 2:
		return "access with RELTO";
	case 3:
		return "unknown classification NATO SUPER SECRET";
	case 5:
		return "lower-case REL TO codes";
	default:
		return "REL TO list without blanks after commas";
	}
}

static const char *
conflict_variant(struct gt_msg *m, unsigned v)
{
	enum gt_dest d = gt_channels[m->channel].dest;

	m->carrier_access = true;
	m->carrier_4774 = true;
	gts_set_class(&m->lab_access, "NATO", "SECRET");
	m->lab_4774 = m->lab_access;
	m->lab_4774.n_restrictive = 0;
	switch (v % 4) {
	case 0:
		gts_set_class(&m->lab_4774, "NATO", "CONFIDENTIAL");
		return "access NATO SECRET, 4774 NATO CONFIDENTIAL";
	case 1:
		/* same nations after group expansion, but not the same set as written */
		if (d != GT_DEST_FVEY) {
			set_rel(&m->lab_access, group_nato, 1);
			set_rel(&m->lab_4774, nato_nations, N_OF(nato_nations));
		} else {
			set_rel(&m->lab_access, group_fvey, 1);
			set_rel(&m->lab_4774, fvey_nations, N_OF(fvey_nations));
		}
		return "REL TO group in access, its nations in 4774";
	case 2:
		gts_set_class(&m->lab_access, "GBR", "SECRET");
		return "access GBR SECRET, 4774 NATO SECRET";
	default:
		gts_set_class(&m->lab_access, "NATO", "RESTRICTED");
		gts_set_class(&m->lab_4774, "DEU", "VS-NUR FUER DEN DIENSTGEBRAUCH");
		return "access NATO RESTRICTED, 4774 DEU VS-NUR FUER DEN DIENSTGEBRAUCH";
	}
}

static const char *
over_classified_variant(struct gt_msg *m, unsigned v)
{
	static const char *const usa_gbr_fvey[] = {"USA", "GBR", "FVEY"};

	m->lab_access.n_restrictive = 0;
	switch (v % 6) {
	case 0:
		m->carrier_access = true;
		m->carrier_4774 = false;
		gts_set_class(&m->lab_access, "NATO", "COSMIC TOP SECRET");
		set_rel(&m->lab_access, group_nato, 1);
		break;
	case 1:
		m->carrier_access = false;
		m->carrier_4774 = true;
		gts_set_class(&m->lab_access, "GBR", "TOP SECRET");
		set_rel(&m->lab_access, group_fvey, 1);
		break;
	case 2:
		m->carrier_access = true;
		m->carrier_4774 = true;
		gts_set_class(&m->lab_access, "DEU", "STRENG GEHEIM");
		set_rel(&m->lab_access, group_nato, 1);
		break;
	case 3:
		m->carrier_access = true;
		m->carrier_4774 = false;
		gts_set_class(&m->lab_access, "USA", "TOP SECRET");
		set_rel(&m->lab_access, usa_gbr_fvey, N_OF(usa_gbr_fvey));
		break;
	case 4:
		/* within NATO-WIDE's maximum (SECRET), above NOR's release ceiling */
		m->carrier_access = true;
		m->carrier_4774 = false;
		gts_set_class(&m->lab_access, "NATO", "SECRET");
		set_rel(&m->lab_access, group_nato, 1);
		break;
	default:
		m->carrier_access = false;
		m->carrier_4774 = true;
		gts_set_class(&m->lab_access, "DEU", "GEHEIM");
		set_rel(&m->lab_access, nato_nations, N_OF(nato_nations));
		break;
	}
	m->lab_4774 = m->lab_access;
	switch (v % 6) {
	case 0:
		return "NATO COSMIC TOP SECRET//REL TO NATO to cot-mn";
	case 1:
		return "4774 GBR TOP SECRET REL TO FVEY to cot-fvey";
	case 2:
		return "both carriers DEU STRENG GEHEIM REL TO NATO to cot-mn-v6";
	case 3:
		return "USA TOP SECRET//REL TO USA, GBR, FVEY to cot-fvey";
	case 4:
		return "NATO SECRET//REL TO NATO to cot-nato (above NOR's release ceiling)";
	default:
		return "4774 DEU GEHEIM REL TO the NATO nations to cot-nato (NOR's ceiling)";
	}
}

static const char *
not_releasable_variant(struct gt_rng *r, struct gt_msg *m, unsigned v)
{
	static const char *const usa_gbr_fvey[] = {"USA", "GBR", "FVEY"};
	static const char *const mn_no_can[] = {"USA", "GBR", "FRA", "DEU", "POL", "NLD", "ITA"};
	struct gt_label *l = &m->lab_access;

	l->n_restrictive = 0;
	gts_set_class(l, "NATO", "SECRET");
	switch (v % 7) {
	case 0:
		m->carrier_access = true;
		m->carrier_4774 = false;
		set_rel(l, usa_gbr_fvey, N_OF(usa_gbr_fvey));
		m->lab_4774 = *l;
		return "NATO SECRET//REL TO USA, GBR, FVEY to cot-mn (FRA, DEU, ... missing)";
	case 1:
		m->carrier_access = true;
		m->carrier_4774 = false;
		l->n_rel = 0;
		m->lab_4774 = *l;
		return "NATO SECRET without //REL TO";
	case 2:
		m->carrier_access = false;
		m->carrier_4774 = true;
		set_rel(l, group_nato, 1);
		m->lab_4774 = *l;
		m->lab_4774.restrictive[0] = "ATOMAL";
		m->lab_4774.n_restrictive = 1;
		return "4774 REL TO NATO with RESTRICTIVE ATOMAL to cot-mn";
	case 3:
		m->carrier_access = gt_rng_chance(r, 60);
		m->carrier_4774 = !m->carrier_access || gt_rng_chance(r, 50);
		set_rel(l, group_nato, 1);
		m->lab_4774 = *l;
		return "REL TO NATO to cot-fvey (AUS, NZL missing)";
	case 4:
		m->carrier_access = false;
		m->carrier_4774 = true;
		set_rel(l, group_fvey, 1);
		m->lab_4774 = *l;
		m->lab_4774.restrictive[0] = "AUSCANNZUKUS";
		m->lab_4774.restrictive[1] = "CRYPTO";
		m->lab_4774.n_restrictive = 2;
		return "4774 REL TO FVEY with RESTRICTIVE AUSCANNZUKUS (held) and CRYPTO (not)";
	case 5:
		m->carrier_access = false;
		m->carrier_4774 = true;
		l->n_rel = 0;
		m->lab_4774 = *l;
		return "4774 label without a Releasable To category";
	default:
		m->carrier_access = true;
		m->carrier_4774 = true;
		set_rel_shuffled(r, l, mn_no_can, N_OF(mn_no_can));
		m->lab_4774 = *l;
		shuffle(r, m->lab_4774.rel, m->lab_4774.n_rel);
		return "both carriers REL TO the MN nations but CAN, to cot-mn-v6";
	}
}

/*
 * The event's data categories (channel default refined by the CoT type, plus the 4774
 * INFORMATIVE "Data Category" values) include one that is not shared with every member.
 */
static const char *
no_sharing_variant(struct gt_msg *m, unsigned v)
{
	struct gt_label *l = &m->lab_4774;

	switch (v % 4) {
	case 0: /* a hostile marker, cot-mn */
		m->carrier_4774 = true;
		l->data_category[0] = "intelligence";
		l->n_data_category = 1;
		return "4774 Data Category intelligence to cot-mn (no ISA with POL)";
	case 1: /* a spot marker turned imagery, cot-mn-v6 */
		m->cot.type = "b-i-x-i";
		l->n_data_category = 0;
		return "CoT type b-i-x-i (hint: intelligence) to cot-mn-v6 (no ISA with POL)";
	case 2:
		m->carrier_4774 = true;
		l->data_category[0] = gt_category_of(m->cot.type);
		l->data_category[1] = "intelligence";
		l->n_data_category = 2;
		return "4774 Data Category tracks/chat/map and intelligence to cot-nato (POL)";
	default:
		m->carrier_4774 = true;
		l->data_category[0] = "logistics";
		l->n_data_category = 1;
		return "4774 Data Category the policy does not know, to cot-fvey";
	}
}

static const char *
marking_variant(struct gt_rng *r, struct gt_msg *m, unsigned v)
{
	static const char *const what[] = {
		"label NATO CONFIDENTIAL, remarks say NATO SECRET",
		"remarks say NOFORN, to cot-mn",
		"remarks say UK EYES ONLY, to cot-fvey",
		"label NATO RESTRICTED, remarks say VS-VERTRAULICH",
		"label NATO CONFIDENTIAL, chat line says US SECRET",
		"label GBR OFFICIAL-SENSITIVE, remarks say AUSTEO, to cot-fvey",
	};
	static const char *const phrase[] = {"NATO SECRET",    "NOFORN",    "UK EYES ONLY",
					     "VS-VERTRAULICH", "US SECRET", "AUSTEO"};
	static const char *const cls[][2] = {
		{"NATO", "CONFIDENTIAL"}, {"NATO", "SECRET"},	    {"NATO", "SECRET"},
		{"NATO", "RESTRICTED"},	  {"NATO", "CONFIDENTIAL"}, {"GBR", "OFFICIAL-SENSITIVE"},
	};
	unsigned i = v % 6;

	gts_set_class(&m->lab_access, cls[i][0], cls[i][1]);
	gts_set_class(&m->lab_4774, cls[i][0], cls[i][1]);
	if (inject_phrase(r, m, phrase[i], GT_OBF_PLAIN, false) < 0)
		return NULL;
	return what[i];
}

void
gts_title_case(char *s)
{
	bool start = true;

	for (; *s != '\0'; s++) {
		if (start && *s >= 'a' && *s <= 'z')
			*s = (char)(*s - 32);
		start = *s == ' ';
	}
}

void
gts_upper_case(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 32);
}

static const char *
prohibited_variant(struct gt_rng *r, struct gt_msg *m, unsigned v)
{
	const char *term = gt_prohibited_literals[gt_rng_below(r, gt_n_prohibited_literals)];
	char tmp[128];

	switch (v % 13) {
	case 0:
		return inject_phrase(r, m, term, GT_OBF_PLAIN, false) < 0 ? NULL
									  : "term in remarks";
	case 11:
		return inject_phrase(r, m, GT_PICK_N(r, gt_codeword_samples, gt_n_codeword_samples),
				     gt_rng_chance(r, 50) ? GT_OBF_PLAIN : GT_OBF_CASE_SPACE,
				     false) < 0
			       ? NULL
			       : "codeword of rules/terms/codewords.txt in remarks";
	case 12: {
		/* a review term too: the drop term decides (prohibited_content, not review) */
		const struct gt_review_term *rv = unscoped_review_term(r);
		char both[256];

		if (gt_rng_chance(r, 50)) {
			if (gt_fmt(both, sizeof(both), "%s after %s", term, rv->literal) < 0)
				return NULL;
		} else if (gt_fmt(both, sizeof(both), "%s, %s", rv->literal, term) < 0) {
			return NULL;
		}
		return inject_phrase(r, m, both, GT_OBF_PLAIN, false) < 0
			       ? NULL
			       : "term and review term in remarks (the drop wins)";
	}
	case 1:
		return inject_phrase(r, m, term, GT_OBF_CASE_SPACE, false) < 0
			       ? NULL
			       : "term in remarks, mixed case and extra whitespace";
	case 2:
		if (gt_fmt(m->callsign, sizeof(m->callsign), "%s %u", term, gt_rng_range(r, 1, 9)) <
		    0)
			return NULL;
		gts_title_case(m->callsign);
		m->cot.callsign = m->callsign;
		return "term in the contact callsign attribute";
	case 3:
		return inject_phrase(r, m, term, GT_OBF_DEC_REF, false) < 0
			       ? NULL
			       : "term with a decimal character reference";
	case 4:
		return inject_phrase(r, m, term, GT_OBF_HEX_REF, false) < 0
			       ? NULL
			       : "term with a hexadecimal character reference";
	case 5:
		if (gt_fmt(tmp, sizeof(tmp), "%s", term) < 0)
			return NULL;
		gts_upper_case(tmp);
		if (gt_fmt(m->opex, sizeof(m->opex), "e-%s", tmp) < 0)
			return NULL;
		m->cot.opex = m->opex;
		return "term in the opex attribute";
	case 6:
		if (gt_fmt(tmp, sizeof(tmp), "TK-%04u-%c%c", gt_rng_below(r, 10000),
			   'A' + (int)gt_rng_below(r, 26), 'A' + (int)gt_rng_below(r, 26)) < 0)
			return NULL;
		return inject_phrase(r, m, tmp, GT_OBF_PLAIN, false) < 0
			       ? NULL
			       : "national tasking number (regex term 1101)";
	case 7:
		if (gt_fmt(tmp, sizeof(tmp), "keymat %08x%04x", (unsigned)gt_rng_u64(r),
			   gt_rng_below(r, 65536)) < 0)
			return NULL;
		return inject_phrase(r, m, tmp, GT_OBF_PLAIN, false) < 0
			       ? NULL
			       : "key material id (regex term 1102)";
	case 8:
		return inject_phrase(r, m, term, GT_OBF_SOFT_HYPHEN, false) < 0
			       ? NULL
			       : "term with a soft hyphen inside a word";
	case 9:
		return inject_phrase(r, m, term, GT_OBF_ZWSP, false) < 0
			       ? NULL
			       : "term with a zero-width space inside a word";
	default:
		return inject_phrase(r, m, term,
				     gt_rng_chance(r, 50) ? GT_OBF_PLAIN : GT_OBF_CASE_SPACE,
				     true) < 0
			       ? NULL
			       : "term in a GeoChat line";
	}
}

/* A review term (held for a human), in scope for the message's channel. */
static const char *
review_variant(struct gt_rng *r, struct gt_msg *m, unsigned v)
{
	const struct gt_review_term *rv = unscoped_review_term(r);

	switch (v % 4) {
	case 0:
		return inject_phrase(r, m, rv->literal, GT_OBF_PLAIN, false) < 0
			       ? NULL
			       : "review term in remarks";
	case 1:
		return inject_phrase(r, m, rv->literal,
				     gt_rng_chance(r, 50) ? GT_OBF_PLAIN : GT_OBF_CASE_SPACE,
				     true) < 0
			       ? NULL
			       : "review term in a GeoChat line";
	case 2:
		rv = scoped_review_term(r, m->channel, true);
		if (rv == NULL)
			return NULL;
		return inject_phrase(r, m, rv->literal, GT_OBF_PLAIN, false) < 0
			       ? NULL
			       : "channel-scoped review term on a channel in its scope";
	default:
		return inject_phrase(r, m, rv->literal, GT_OBF_CASE_SPACE, false) < 0
			       ? NULL
			       : "review term in remarks, mixed case and extra whitespace";
	}
}

static const char *
stale_variant(struct gt_rng *r, struct gt_msg *m, unsigned v, int64_t ts_ms)
{
	int64_t stale = ts_ms - (v % 3 == 2 ? 330 : 120) * 60000ll;
	int64_t t = stale - gt_rng_range(r, 2, 30) * 60000ll;
	int style = v % 3 == 1 ? 2 : 0;
	int offset = v % 3 == 1 ? 60 : 0;

	if (gt_cot_time(m->cot.time, sizeof(m->cot.time), t, style, offset) < 0 ||
	    gt_cot_time(m->cot.start, sizeof(m->cot.start), t, style, offset) < 0 ||
	    gt_cot_time(m->cot.stale, sizeof(m->cot.stale), stale, style, offset) < 0 ||
	    gt_cot_time(m->creation, sizeof(m->creation), t, 1, 0) < 0)
		return NULL;
	switch (v % 3) {
	case 0:
		return "stale two hours ago";
	case 1:
		return "stale two hours ago, times with a +01:00 offset";
	default:
		return "stale five and a half hours ago";
	}
}

/* Apply the message-level part of a reason. @return a description, NULL on error. */
const char *
gts_message_variant(struct gt_rng *r, struct gt_msg *m, enum gt_reason reason, unsigned v,
		    int64_t ts_ms)
{
	switch (reason) {
	case GT_R_MALFORMED_MESSAGE:
		return malform_variant(r, m, v);
	case GT_R_UNLABELLED:
		m->carrier_access = false;
		m->carrier_4774 = false;
		if (v % 2 == 1) {
			m->access_raw = "";
			return "access=\"\" and no 4774 label";
		}
		return "no access attribute, no 4774 label";
	case GT_R_BAD_LABEL:
		return bad_label_variant(r, m, v);
	case GT_R_LABEL_CONFLICT:
		return conflict_variant(m, v);
	case GT_R_OVER_CLASSIFIED:
		return over_classified_variant(m, v);
	case GT_R_NOT_RELEASABLE:
		return not_releasable_variant(r, m, v);
	case GT_R_NO_SHARING_AGREEMENT:
		return no_sharing_variant(m, v);
	case GT_R_MARKING_INCONSISTENT:
		return marking_variant(r, m, v);
	case GT_R_PROHIBITED_CONTENT:
		return prohibited_variant(r, m, v);
	case GT_R_REVIEW:
		return review_variant(r, m, v);
	case GT_R_STALE:
		return stale_variant(r, m, v, ts_ms);
	default:
		if (reason == GT_R_RELEASE && gt_rng_chance(r, 3)) {
			/* a review term scoped to other channels: released here */
			const struct gt_review_term *rv = scoped_review_term(r, m->channel, false);

			if (rv == NULL || inject_phrase(r, m, rv->literal, GT_OBF_PLAIN, false) < 0)
				return NULL;
			return "releasable, with a review term scoped to other channels";
		}
		return "releasable message";
	}
}

/* ---- writing the message ------------------------------------------------------------- */

int
gts_render_labels(struct gt_msg *m)
{
	struct gt_buf b;

	m->cot.access = NULL;
	if (m->access_raw != NULL) {
		m->cot.access = m->access_raw;
	} else if (m->carrier_access) {
		gt_buf_init(&b, m->access_buf, sizeof(m->access_buf));
		gt_label_marking(&m->lab_access, &b);
		gt_buf_cstr(&b);
		if (b.overflow)
			return -1;
		m->cot.access = m->access_buf;
	}
	m->cot.n_labels = 0;
	if (!m->carrier_4774)
		return 0;
	m->style.single_quotes = m->cot.single_quotes;
	m->style.creation = m->creation;
	for (unsigned i = 0; i < (m->two_4774 ? 2u : 1u); i++) {
		gt_buf_init(&b, m->label_xml[i], sizeof(m->label_xml[i]));
		gt_label_4774(&m->lab_4774, &m->style, &b);
		gt_buf_cstr(&b);
		if (b.overflow)
			return -1;
		m->cot.labels[i] = m->label_xml[i];
		m->cot.n_labels = i + 1;
	}
	return 0;
}

/* Build the message into out->msg, growing the remarks until target_payload is reached. */
int
gts_write_message(struct gt_rng *r, struct gt_msg *m, struct gt_frame_out *out)
{
	struct gt_buf rb;
	struct gt_buf mb;
	bool chat = m->cot.kind == GT_KIND_CHAT;
	unsigned chat_lines = 0;

	if (gts_render_labels(m) < 0)
		return -1;
	m->cot.labels_last = gt_rng_chance(r, 50);
	gt_buf_init(&rb, m->remarks, sizeof(m->remarks) - 1);
	if (chat && !m->inject_alone)
		gt_text_chat(r, &rb);
	else if (!chat && m->inject[0] == '\0' && gt_rng_chance(r, 30))
		gt_text_sentence(r, &rb);
	if (m->inject[0] != '\0') {
		if (!m->inject_alone && gt_rng_chance(r, 50))
			gt_text_sentence(r, &rb);
		if (rb.len > 0)
			gt_buf_puts(&rb, " ");
		gt_buf_puts(&rb, m->inject);
	}
	for (;;) {
		rb.data[rb.len] = '\0';
		if (rb.overflow)
			return -1;
		m->cot.remarks_xml = m->remarks;
		gt_buf_init(&mb, out->msg, sizeof(out->msg));
		if (gt_cot_build(&m->cot, &mb) < 0)
			return -1;
		if (mb.len >= m->target_payload)
			break;
		/* a chat message is a line or a few, not an essay, unless it must be oversize */
		if (chat && ++chat_lines > 3 && m->target_payload <= GT_MAX_SIZE)
			break;
		if (chat)
			gt_text_chat(r, &rb);
		else
			gt_text_sentence(r, &rb);
	}
	out->msg_len = mb.len;
	return mb.len <= m->max_payload ? 0 : 1;
}

/* ---- frames ---------------------------------------------------------------------------- */

void
gts_wire_default(struct gt_rng *r, const struct gt_sender *s, int channel, struct gt_l2 *l2,
		 struct gt_ip *ip, struct gt_udp *udp)
{
	const struct gt_channel *c = &gt_channels[channel];

	memset(l2, 0, sizeof(*l2));
	memset(ip, 0, sizeof(*ip));
	memset(udp, 0, sizeof(*udp));
	memcpy(l2->src, s->mac, 6);
	gt_frame_mcast_mac(c->ip_version, c->addr, l2->dst);
	if (gt_rng_chance(r, 5)) {
		l2->vlan = true;
		l2->tci = (uint16_t)(gt_rng_below(r, 8) << 13 | 100);
	}
	ip->version = c->ip_version;
	memcpy(ip->src, s->ip, 16);
	memcpy(ip->dst, c->addr, 16);
	ip->ttl = (uint8_t)gt_rng_range(r, 1, 64);
	ip->id = (uint16_t)gt_rng_below(r, 65536);
	ip->df = gt_rng_chance(r, 50);
	ip->flow_label = gt_rng_below(r, 1u << 20);
	udp->src_port = s->port;
	udp->dst_port = c->udp_port;
	udp->csum = c->ip_version == 4 && gt_rng_chance(r, 10) ? GT_CSUM_ZERO : GT_CSUM_GOOD;
}

size_t
gts_hdr_len(const struct gt_l2 *l2, const struct gt_ip *ip)
{
	return (l2->vlan ? 18u : 14u) + (ip->version == 4 ? 20u + ip->opt_len : 40u) +
	       (ip->v6_hop_by_hop ? 8u : 0u) + 8u;
}

/* The slice of a UDP datagram of @p ulen bytes a fragment variant carries. */
static void
fragment_slice(unsigned v, size_t ulen, struct gt_ip *ip)
{
	size_t third = (ulen / 3) & ~(size_t)7;
	size_t half = (ulen / 2) & ~(size_t)7;

	switch (v % 3) {
	case 0: /* the first half, with the UDP header */
		ip->frag_offset = 0;
		ip->frag_take = (uint16_t)half;
		break;
	case 1: /* the middle third */
		ip->frag_offset = (uint16_t)third;
		ip->frag_take = (uint16_t)third;
		break;
	default: /* the second half */
		ip->frag_offset = (uint16_t)half;
		ip->frag_take = (uint16_t)(ulen - half);
		break;
	}
}

/* Layer 2-4 changes of a reason; sets out->variant. */
static void
wire_variant(struct gt_rng *r, enum gt_reason reason, unsigned v, struct gt_ip *ip,
	     struct gt_udp *udp, struct gt_l2 *l2, struct gt_frame_out *out)
{
	static const uint8_t nop_word[4] = {1, 1, 1, 1};
	static const uint8_t router_alert[4] = {0x94, 0x04, 0, 0};

	switch (reason) {
	case GT_R_L2L4_NO_CHANNEL:
		switch (v % 4) {
		case 0:
			memcpy(ip->dst, gt_channels[GT_CH_MN].addr, 4);
			udp->dst_port = 7000;
			out->variant = "UDP to 239.2.3.1 port 7000";
			break;
		case 1:
			ip->dst[3] = 9;
			out->variant = "UDP to unconfigured 239.2.3.9:6969";
			break;
		case 2:
			ip->dst[15] = 2;
			out->variant = "UDP to unconfigured [ff05::2:3:2]:6969";
			break;
		default:
			udp->dst_port = 4242;
			out->variant = "UDP to [ff05::2:3:1] port 4242";
			break;
		}
		gt_frame_mcast_mac(ip->version, ip->dst, l2->dst);
		return;
	case GT_R_L2L4_FRAGMENT:
		ip->df = false;
		ip->frag_mf = v % 3 != 2;
		out->variant = v % 3 == 0   ? "first fragment (MF, offset 0)"
			       : v % 3 == 1 ? "middle fragment (MF, offset > 0)"
					    : "last fragment (offset > 0)";
		return;
	case GT_R_L2L4_IP_OPTIONS:
		switch (v % 3) {
		case 0:
			ip->opt = nop_word;
			ip->opt_len = 4;
			out->variant = "IPv4 IHL 6, NOP option word";
			break;
		case 1:
			ip->opt = router_alert;
			ip->opt_len = 4;
			out->variant = "IPv4 IHL 6, router alert option";
			break;
		default:
			ip->v6_hop_by_hop = true;
			out->variant = "IPv6 hop-by-hop extension header";
			break;
		}
		return;
	case GT_R_L2L4_TRUNCATED:
		switch (v % 4) {
		case 0:
			udp->len_delta = (int)gt_rng_range(r, 1, 200);
			udp->csum = GT_CSUM_ZERO;
			out->variant = "IPv4: UDP length past the IP payload";
			break;
		case 1:
			udp->len_delta = (int)gt_rng_range(r, 1, 200);
			out->variant = "IPv6: UDP length past the IP payload";
			break;
		case 2:
			ip->len_delta = (int)gt_rng_range(r, 1, 200);
			out->variant = "IPv4 total length past the end of the frame";
			break;
		default:
			ip->len_delta = (int)gt_rng_range(r, 1, 200);
			out->variant = "IPv6 payload length past the end of the frame";
			break;
		}
		return;
	case GT_R_L2L4_BAD_CHECKSUM:
		switch (v % 4) {
		case 0:
			udp->csum = GT_CSUM_BAD_UDP;
			out->variant = "IPv4: wrong UDP checksum";
			break;
		case 1:
			ip->bad_hdr_csum = true;
			out->variant = "wrong IPv4 header checksum";
			break;
		case 2:
			udp->csum = GT_CSUM_BAD_UDP;
			out->variant = "IPv6: wrong UDP checksum";
			break;
		default:
			udp->csum = GT_CSUM_ZERO;
			out->variant = "IPv6: UDP checksum 0 (illegal in IPv6)";
			break;
		}
		return;
	case GT_R_L2L4_OVERSIZE:
		out->variant = v % 2 ? "IPv6: payload above max_size 1500"
				     : "IPv4: payload above max_size 1500";
		return;
	default:
		return;
	}
}

/* ---- non-UDP frames -------------------------------------------------------------------- */

static int
not_udp_frame(struct gt_gen *g, unsigned v, int64_t ts_us, struct gt_frame_out *out)
{
	struct gt_rng *r = &g->rng;
	const struct gt_sender *s;
	struct gt_l2 l2;
	struct gt_ip ip;
	struct gt_udp udp;
	uint8_t seg[GT_MSG_MAX];
	size_t n = 0;

	v %= 5;
	s = &g->senders[v == 4 ? GT_SENDERS_V4 + gt_rng_below(r, GT_SENDERS_V6)
			       : gt_rng_below(r, GT_SENDERS_V4)];
	gts_wire_default(r, s, v == 4 ? GT_CH_MN_V6 : GT_CH_MN, &l2, &ip, &udp);
	memcpy(l2.dst, gateway_mac, 6);
	switch (v) {
	case 0: {
		const struct gt_sender *t = &g->senders[gt_rng_below(r, GT_SENDERS_V4)];

		memset(l2.dst, 0xff, 6);
		out->msg_len = 0;
		out->variant = "ARP request";
		out->frame_len = gt_frame_arp(&l2, s->ip, t->ip, out->frame, sizeof(out->frame));
		break;
	}
	case 1:
	case 2: {
		uint32_t seq = (uint32_t)gt_rng_u64(r);
		uint32_t ack = (uint32_t)gt_rng_u64(r);
		size_t hl = v == 1 ? 24 : 20;

		memcpy(ip.dst, tak_server_v4, 4);
		ip.df = true;
		memset(seg, 0, 24);
		seg[0] = (uint8_t)(s->port >> 8);
		seg[1] = (uint8_t)s->port;
		seg[2] = 8087 >> 8;
		seg[3] = 8087 & 0xff;
		for (int i = 0; i < 4; i++) {
			seg[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
			seg[8 + i] = v == 2 ? (uint8_t)(ack >> (24 - 8 * i)) : 0;
		}
		seg[12] = (uint8_t)((hl / 4) << 4);
		seg[13] = v == 1 ? 0x02 : 0x18; /* SYN, or PSH|ACK */
		seg[14] = 0xfa;			/* window 64240 */
		seg[15] = 0xf0;
		if (v == 1) {
			seg[20] = 2; /* MSS 1460 */
			seg[21] = 4;
			seg[22] = 0x05;
			seg[23] = 0xb4;
			n = 24;
			out->msg_len = 0;
			out->variant = "TCP SYN to the TAK server port 8087";
		} else {
			if (out->msg_len > sizeof(seg) - 20)
				return -1;
			memcpy(seg + 20, out->msg, out->msg_len);
			n = 20 + out->msg_len;
			out->variant = "TCP segment carrying a CoT event (TAK server stream)";
		}
		out->frame_len =
			gt_frame_ip(&l2, &ip, 6, seg, n, 16, true, out->frame, sizeof(out->frame));
		break;
	}
	default: {
		uint16_t id = (uint16_t)gt_rng_below(r, 65536);
		uint16_t sq = (uint16_t)gt_rng_range(r, 1, 500);

		out->msg_len = 0;	   /* carries no CoT message */
		seg[0] = v == 3 ? 8 : 128; /* echo request */
		seg[1] = 0;
		seg[2] = 0;
		seg[3] = 0;
		seg[4] = (uint8_t)(id >> 8);
		seg[5] = (uint8_t)id;
		seg[6] = (uint8_t)(sq >> 8);
		seg[7] = (uint8_t)sq;
		for (unsigned i = 0; i < 8; i++) /* Linux ping: timestamp, then 0x10, 0x11, ... */
			seg[8 + i] = (uint8_t)((uint64_t)ts_us >> (8 * i));
		for (unsigned i = 16; i < 64; i++)
			seg[i] = (uint8_t)i;
		n = 64;
		if (v == 3) {
			memcpy(ip.dst, gateway_v4, 4);
			out->variant = "ICMP echo request";
		} else {
			memcpy(ip.dst, gateway_v6, 16);
			out->variant = "ICMPv6 echo request";
		}
		out->frame_len = gt_frame_ip(&l2, &ip, v == 3 ? 1 : 58, seg, n, 2, v == 4,
					     out->frame, sizeof(out->frame));
		break;
	}
	}
	out->channel = -1;
	out->payload_len = 0;
	return out->frame_len == 0 ? -1 : 0;
}

/* ---- entry point ----------------------------------------------------------------------- */

int
gt_gen_init(struct gt_gen *g, uint64_t seed)
{
	gt_rng_seed(&g->rng, seed);
	g->msg = malloc(sizeof(*g->msg));
	if (g->msg == NULL)
		return -1;
	if (gt_senders_init(&g->rng, g->senders) < 0) {
		gt_gen_fini(g);
		return -1;
	}
	return 0;
}

void
gt_gen_fini(struct gt_gen *g)
{
	free(g->msg);
	g->msg = NULL;
}

/*
 * Pick a frame size. A quarter are terse events (the smallest labelled event is about 400
 * bytes on the wire, so "200" means "as small as it gets"); most are full TAK events.
 */
size_t
gts_target_frame(struct gt_rng *r)
{
	unsigned x = gt_rng_below(r, 100);

	if (x < 25)
		return gt_rng_range(r, 200, 599);
	if (x < 75)
		return gt_rng_range(r, 600, 1000);
	return gt_rng_range(r, 1000, 1500);
}

int
gts_fail(char *err, size_t errlen, enum gt_reason reason, unsigned v, const char *why)
{
	(void)gt_fmt(err, errlen, "%s variant %u: %s", gt_reason_name(reason), v, why);
	return -1;
}

int
gt_gen_frame(struct gt_gen *g, enum gt_reason reason, unsigned v, int64_t ts_us,
	     struct gt_frame_out *out, char *err, size_t errlen)
{
	struct gt_msg *m = g->msg;
	struct gt_rng *r = &g->rng;
	int64_t ts_ms = ts_us / 1000;
	struct gt_l2 l2;
	struct gt_ip ip;
	struct gt_udp udp;
	const char *what = NULL;
	int attempt;
	int rc = 1;

	if ((unsigned)reason >= GT_R_COUNT)
		return gts_fail(err, errlen, reason, v, "unknown reason");
	v %= gt_reason_variants(reason);
	out->reason = reason;
	out->format = GT_FMT_COT;
	out->msg_len = 0;
	out->variant = NULL;
	for (attempt = 0; attempt < 32 && rc != 0; attempt++) {
		int ch = pick_channel(r, variant_channel(reason, v));
		const struct gt_channel *c = &gt_channels[ch];
		size_t frame_target = gts_target_frame(r);
		bool lean = frame_target < 600 || gts_variant_lean(reason, v); /* terse events */
		size_t hdr;

		memset(m, 0, sizeof(*m));
		m->channel = ch;
		m->s = &g->senders[c->ip_version == 6
					   ? GT_SENDERS_V4 + gt_rng_below(r, GT_SENDERS_V6)
					   : gt_rng_below(r, GT_SENDERS_V4)];
		if (gts_cot_fill(r, m, gts_variant_kind(reason, v), lean, ts_ms) < 0)
			return gts_fail(err, errlen, reason, v, "event fields do not fit");
		gts_label_valid(r, m, lean);
		what = gts_message_variant(r, m, reason, v, ts_ms);
		if (what == NULL)
			return gts_fail(err, errlen, reason, v, "variant text does not fit");
		gts_wire_default(r, m->s, ch, &l2, &ip, &udp);
		out->variant = what;
		wire_variant(r, reason, v, &ip, &udp, &l2, out);
		hdr = gts_hdr_len(&l2, &ip);
		m->target_payload = frame_target - hdr;
		m->max_payload = GT_MAX_SIZE - hdr; /* frames of 1500 bytes at most */
		if (reason == GT_R_L2L4_OVERSIZE) {
			m->target_payload = gt_rng_range(r, GT_MAX_SIZE + 1, 3500);
			m->max_payload = GT_MSG_MAX - 64;
		} else if (reason == GT_R_L2L4_FRAGMENT && m->target_payload < 900) {
			m->target_payload = gt_rng_range(r, 900, 1400);
		} else if (reason == GT_R_L2L4_NOT_UDP) {
			m->max_payload = 1400;
		}
		if (m->target_payload > m->max_payload)
			m->target_payload = m->max_payload;
		rc = gts_write_message(r, m, out);
		if (rc < 0)
			return gts_fail(err, errlen, reason, v, "message does not fit its buffer");
	}
	if (rc != 0)
		return gts_fail(err, errlen, reason, v, "no message within the size limit");
	out->msg_channel = m->channel;
	if (reason == GT_R_L2L4_NOT_UDP)
		return not_udp_frame(g, v, ts_us, out) < 0
			       ? gts_fail(err, errlen, reason, v, "frame does not fit")
			       : 0;
	if (reason == GT_R_L2L4_FRAGMENT)
		fragment_slice(v, out->msg_len + 8, &ip);
	out->frame_len = gt_frame_udp(&l2, &ip, &udp, out->msg, out->msg_len, out->frame,
				      sizeof(out->frame));
	if (out->frame_len == 0)
		return gts_fail(err, errlen, reason, v, "frame does not fit");
	out->payload_len = (uint32_t)out->msg_len;
	if (ip.frag_take > 0)
		out->payload_len = ip.frag_offset == 0 ? ip.frag_take - 8u : 0u;
	switch (reason) {
	case GT_R_L2L4_NO_CHANNEL:
	case GT_R_L2L4_FRAGMENT:
	case GT_R_L2L4_IP_OPTIONS:
	case GT_R_L2L4_TRUNCATED:
		out->channel = -1;
		break;
	default:
		out->channel = m->channel;
		break;
	}
	return 0;
}
