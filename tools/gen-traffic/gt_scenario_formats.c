/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame recipes of the other formats (TAK mesh and stream, labelled XML, ADatP-3): their
 * messages go to the MN channels of those formats. They reuse the CoT recipes of
 * gt_scenario.c for what is the same in every format (the label cases, the text cases, the
 * data categories): a format lists which CoT variants apply to it (by their number there)
 * and adds its own where the format differs (framing, malformations, field labels, payload
 * kinds). OWN marks a variant of the format's own, numbered by its position in the list.
 */
#include <string.h>
#include <time.h>

#include "gt_adatp3.h"
#include "gt_buf.h"
#include "gt_deploy.h"
#include "gt_frame.h"
#include "gt_label.h"
#include "gt_lxml.h"
#include "gt_scenario.h"
#include "gt_scenario_int.h"
#include "gt_tak.h"
#include "gt_text.h"

#define OWN 0xff

struct reuse {
	uint8_t n;
	uint8_t v[14];
};

/* TAK mesh and stream: CotEvent.access and a 4774 label in xmlDetail, like CoT */
static const struct reuse tak_reuse[GT_R_COUNT] = {
	[GT_R_RELEASE] = {1, {0}},
	[GT_R_MALFORMED_MESSAGE] = {GT_TAK_MAL_COUNT - 1, {OWN}},
	[GT_R_UNLABELLED] = {2, {0, 1}},
	[GT_R_BAD_LABEL] = {9, {0, 1, 2, 3, 4, 5, 6, 7, 8}},
	[GT_R_LABEL_CONFLICT] = {4, {0, 1, 2, 3}},
	[GT_R_OVER_CLASSIFIED] = {4, {0, 1, 2, 3}},
	/* not 3 and 4: those are about FVEY */
	[GT_R_NOT_RELEASABLE] = {5, {0, 1, 2, 5, 6}},
	[GT_R_NO_SHARING_AGREEMENT] = {4, {0, 1, 2, 3}},
	[GT_R_MARKING_INCONSISTENT] = {6, {0, 1, 2, 3, 4, 5}},
	[GT_R_PROHIBITED_CONTENT] = {13, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
	/* not 2: no channel-scoped review term has a TAK channel in its scope */
	[GT_R_REVIEW] = {3, {0, 1, 3}},
	[GT_R_STALE] = {2, {OWN, OWN}},
};

/* labelled XML: the 4774 label in Metadata is the only carrier; no validity time */
static const struct reuse lxml_reuse[GT_R_COUNT] = {
	[GT_R_RELEASE] = {1, {0}},
	[GT_R_MALFORMED_MESSAGE] = {GT_LXML_MAL_COUNT - 1, {OWN}},
	[GT_R_UNLABELLED] = {1, {0}},
	/* not two labels (8): two labels and a report do not fit in 1500 bytes */
	[GT_R_BAD_LABEL] = {2, {7, OWN}},
	[GT_R_OVER_CLASSIFIED] = {2, {0, 1}},
	[GT_R_NOT_RELEASABLE] = {4, {0, 2, 5, 6}},
	[GT_R_NO_SHARING_AGREEMENT] = {3, {OWN, 0, 3}},
	[GT_R_MARKING_INCONSISTENT] = {4, {0, 1, 3, 5}},
	[GT_R_PROHIBITED_CONTENT] = {10, {0, 1, 3, 4, 8, 9, 6, 7, 11, OWN}},
	[GT_R_REVIEW] = {2, {0, 3}},
};

/* ADatP-3: the envelope marking is the only carrier, MSGID fields 9/10 repeat it */
static const struct reuse adatp3_reuse[GT_R_COUNT] = {
	[GT_R_RELEASE] = {1, {0}},
	[GT_R_MALFORMED_MESSAGE] = {GT_ADATP3_MAL_COUNT - 1, {OWN}},
	[GT_R_UNLABELLED] = {1, {0}},
	[GT_R_BAD_LABEL] = {7, {0, 1, 2, 3, 4, 5, 6}},
	[GT_R_LABEL_CONFLICT] = {3, {OWN, OWN, OWN}},
	[GT_R_OVER_CLASSIFIED] = {3, {0, 2, 3}},
	[GT_R_NOT_RELEASABLE] = {2, {0, 6}},
	[GT_R_NO_SHARING_AGREEMENT] = {1, {OWN}},
	[GT_R_MARKING_INCONSISTENT] = {5, {0, 1, 2, 3, 5}},
	/* no character references, callsign or opex: ADatP-3 is plain text without them */
	[GT_R_PROHIBITED_CONTENT] = {9, {0, 1, 8, 9, 6, 7, 11, 12, OWN}},
	[GT_R_REVIEW] = {2, {0, 3}},
};

static const struct reuse *
reuse_of(enum gt_format f)
{
	switch (f) {
	case GT_FMT_TAK_MESH:
	case GT_FMT_TAK_STREAM:
		return tak_reuse;
	case GT_FMT_LXML:
		return lxml_reuse;
	case GT_FMT_ADATP3:
		return adatp3_reuse;
	default:
		return NULL;
	}
}

unsigned
gt_format_variants(enum gt_format f, enum gt_reason r)
{
	const struct reuse *t;

	if ((unsigned)r >= GT_R_COUNT)
		return 0;
	if (f == GT_FMT_COT)
		return gt_reason_variants(r);
	t = reuse_of(f);
	return t != NULL ? t[r].n : 0;
}

static int
format_channel(enum gt_format f)
{
	switch (f) {
	case GT_FMT_TAK_MESH:
		return GT_CH_TAK_MN;
	case GT_FMT_TAK_STREAM:
		return GT_CH_TAK_STREAM;
	case GT_FMT_LXML:
		return GT_CH_LXML_MN;
	default:
		return GT_CH_ADATP3_MN;
	}
}

/* The remarks text (XML-encoded) as gts_write_message() starts it: a sentence or chat line and
 * the variant's inject. */
static void
remarks_start(struct gt_rng *r, struct gt_msg *m, struct gt_buf *rb, bool chat)
{
	gt_buf_init(rb, m->remarks, sizeof(m->remarks) - 1);
	if (chat && !m->inject_alone)
		gt_text_chat(r, rb);
	else if (!chat && m->inject[0] == '\0' && gt_rng_chance(r, 30))
		gt_text_sentence(r, rb);
	if (m->inject[0] != '\0') {
		if (!m->inject_alone && gt_rng_chance(r, 50))
			gt_text_sentence(r, rb);
		if (rb->len > 0)
			gt_buf_puts(rb, " ");
		gt_buf_puts(rb, m->inject);
	}
}

/* ---- TAK ---- */

static int
tak_build(struct gt_msg *m, const struct gt_tak *t0, struct gt_frame_out *out)
{
	struct gt_tak t = *t0;
	struct gt_buf xb;
	struct gt_buf mb;

	gt_buf_init(&xb, m->xml_detail, sizeof(m->xml_detail));
	if (gt_cot_xml_detail(&m->cot, &xb) < 0)
		return -1;
	gt_buf_cstr(&xb);
	if (xb.overflow)
		return -1;
	t.xml_detail = xb.len > 0 ? m->xml_detail : NULL;
	gt_buf_init(&mb, out->msg, sizeof(out->msg));
	if (gt_tak_build(&t, &mb) < 0)
		return -1;
	out->msg_len = mb.len;
	return 0;
}

/* TakMessage fields of the event gts_cot_fill() described (what ATAK's protobuf writer sends). */
static void
tak_fill(struct gt_rng *r, const struct gt_msg *m, bool stream, struct gt_tak *t)
{
	const struct gt_cot *c = &m->cot;
	bool own = c->kind == GT_KIND_PLI || c->kind == GT_KIND_VEHICLE;
	bool marker =
		c->kind == GT_KIND_HOSTILE || c->kind == GT_KIND_UNKNOWN || c->kind == GT_KIND_SPOT;

	memset(t, 0, sizeof(*t));
	t->stream = stream;
	t->tak_control = stream && gt_rng_chance(r, 10);
	t->type = c->type;
	t->access = c->access;
	t->qos = c->qos;
	t->opex = c->opex;
	t->uid = c->uid;
	t->how = c->how;
	t->lat = c->lat;
	t->lon = c->lon;
	t->hae = c->hae;
	t->ce = c->ce;
	t->le = c->le;
	if (c->kind != GT_KIND_CHAT)
		t->callsign = c->callsign;
	if (own && !c->lean) {
		t->endpoint = "*:-1:stcp";
		t->group = c->group;
		t->role = c->role;
		t->has_status = true;
		t->battery = c->battery;
		t->device = c->device;
		t->platform = c->platform;
		t->os = c->os;
		t->version = c->version;
	}
	if (own || c->kind == GT_KIND_AIR) {
		t->has_track = true;
		t->speed = c->speed;
		t->course = c->course;
	}
	if (!c->lean && (own || c->kind == GT_KIND_AIR)) {
		t->geopointsrc = "GPS";
		t->altsrc = "GPS";
	} else if (!c->lean && marker) {
		t->altsrc = "DTED0";
	}
}

/* Build the TAK message, growing the xmlDetail remarks up to the target size. */
static int
tak_message(struct gt_rng *r, struct gt_msg *m, struct gt_tak *t, struct gt_frame_out *out)
{
	struct gt_buf rb;
	bool chat = m->cot.kind == GT_KIND_CHAT;
	unsigned chat_lines = 0;

	if (gts_render_labels(m) < 0)
		return -1;
	t->access = m->cot.access;
	m->cot.labels_last = gt_rng_chance(r, 50);
	remarks_start(r, m, &rb, chat);
	for (;;) {
		rb.data[rb.len] = '\0';
		if (rb.overflow)
			return -1;
		m->cot.remarks_xml = m->remarks;
		if (tak_build(m, t, out) < 0)
			return -1;
		/* without a cotEvent the text has nowhere to go: the message stays small */
		if (out->msg_len >= m->target_payload || t->malform == GT_TAK_MAL_NO_COT)
			break;
		if (chat && ++chat_lines > 3)
			break;
		if (chat)
			gt_text_chat(r, &rb);
		else
			gt_text_sentence(r, &rb);
	}
	return out->msg_len <= m->max_payload ? 0 : 1;
}

/* ---- labelled XML ---- */

static const char *const unit_names[] = {
	"1 PL A COY 2 BN", "2 PL B COY 1 BN", "RECCE PL",	"C COY 3 BN",
	"ENGR PL 1 BDE",   "MED PL 2 BN",     "MORTAR PL 1 BN", "HQ COY 2 MN BDE",
};

static int
lxml_message(struct gt_rng *r, struct gt_msg *m, struct gt_lxml *x, struct gt_frame_out *out)
{
	static const char *const priorities[] = {"URGENT", "PRIORITY", "ROUTINE"};
	static const char *const prefixes[] = {"bi", "mb", "stanag4778"};
	struct gt_buf rb;
	struct gt_buf mb;

	if (gts_render_labels(m) < 0)
		return -1;
	x->n_labels = m->cot.n_labels;
	x->labels[0] = m->cot.labels[0];
	x->labels[1] = m->cot.labels[1];
	x->xml_decl = gt_rng_chance(r, 60);
	x->indent = gt_rng_chance(r, 50);
	x->prefix = gt_rng_chance(r, 30) ? GT_PICK(r, prefixes) : NULL;
	x->dtg = m->creation;
	x->unit_id = m->s->uid;
	x->symbol = x->kind == GT_LXML_FRIENDLY_FORCE ? "SFGPUCI----D" : "SFGPUSM----D";
	x->lat = m->cot.lat;
	x->lon = m->cot.lon;
	x->alt = m->cot.hae > 10000 ? 95.0 : m->cot.hae;
	x->course = m->cot.course;
	x->speed = m->cot.speed;
	x->count = gt_rng_range(r, 1, x->kind == GT_LXML_FRIENDLY_FORCE ? 40 : 6);
	x->priority = GT_PICK(r, priorities);
	remarks_start(r, m, &rb, false);
	for (;;) {
		rb.data[rb.len] = '\0';
		if (rb.overflow)
			return -1;
		x->remarks_xml = m->remarks;
		gt_buf_init(&mb, out->msg, sizeof(out->msg));
		if (gt_lxml_build(x, &mb) < 0)
			return -1;
		out->msg_len = mb.len;
		if (mb.len >= m->target_payload)
			break;
		gt_text_sentence(r, &rb);
	}
	return out->msg_len <= m->max_payload ? 0 : 1;
}

/* ---- ADatP-3 ---- */

/*
 * XML-encoded text of gt_text as plain ADatP-3 field text: the five named references
 * decoded, and tabs and line ends (the whitespace obfuscation's) turned into blanks, which
 * a set may hold. @return the text's length, or -1 (a reference it does not know, no room).
 */
static int
plain_text(const char *xml, char *out, size_t cap)
{
	static const struct {
		const char *ref;
		char c;
	} refs[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
	size_t o = 0;

	for (const char *p = xml; *p != '\0';) {
		char c = *p;
		size_t step = 1;

		if (c == '&') {
			size_t k;

			for (k = 0; k < N_OF(refs); k++)
				if (strncmp(p, refs[k].ref, strlen(refs[k].ref)) == 0)
					break;
			if (k == N_OF(refs))
				return -1;
			c = refs[k].c;
			step = strlen(refs[k].ref);
		} else if (c == '\t' || c == '\n' || c == '\r') {
			c = ' ';
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = c;
		p += step;
	}
	out[o] = '\0';
	return (int)o;
}

/* DTG of @p ms: 221000ZNOV2026 */
static int
dtg(char *out, size_t n, int64_t ms)
{
	static const char *const months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
					     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;

	if (ms < 0 || gmtime_r(&secs, &tm) == NULL)
		return -1;
	return gt_fmt(out, n, "%02d%02d%02dZ%s%04d", tm.tm_mday, tm.tm_hour, tm.tm_min,
		      months[tm.tm_mon], tm.tm_year + 1900);
}

struct adatp3_ctx {
	char envelope[256];
	char dtg[24];
	char dtg_end[24];
	char dtg_ref[24];
	char month[4];
	char position[24];
	const char *field_policy; /* MSGID 9/10 when they must differ from the label */
	const char *field_class;
};

static int
adatp3_message(struct gt_rng *r, struct gt_msg *m, struct gt_adatp3 *a, struct adatp3_ctx *x,
	       int64_t ts_ms, struct gt_frame_out *out)
{
	static const char *const originators[] = {"2 MN BDE HQ", "EFP BG LTU", "EFP BG EST",
						  "1 BN HQ",	 "MND NE HQ",  "EFP BG LVA"};
	static const char *const refs[] = {"JFC BRUNSSUM", "MNC NE", "MND NE", "LANDCOM"};
	static const char *const exercises[] = {"BALTIC SHIELD 26", "NORTHERN COAST 26",
						"STEADFAST DEFENDER 26", "AMBER LYNX 26"};
	static const char *const headings[] = {"GENERAL SITUATION", "OWN FORCES", "LOGISTICS",
					       "COMMAND AND SIGNAL", "ROUTE STATUS"};
	static const char *const events[] = {"VEHICLE ACCIDENT", "ROUTE BLOCKED", "UXO FOUND",
					     "BRIDGE DAMAGED"};
	struct gt_buf rb;
	struct gt_buf mb;
	size_t used = 0;
	int n;

	if (m->access_raw != NULL) {
		if (gt_fmt(x->envelope, sizeof(x->envelope), "%s", m->access_raw) < 0)
			return -1;
		a->envelope = x->envelope;
	} else if (m->carrier_access) {
		gt_buf_init(&rb, x->envelope, sizeof(x->envelope));
		gt_label_marking(&m->lab_access, &rb);
		gt_buf_cstr(&rb);
		if (rb.overflow)
			return -1;
		a->envelope = x->envelope;
	}
	if (dtg(x->dtg, sizeof(x->dtg), ts_ms) < 0 ||
	    dtg(x->dtg_end, sizeof(x->dtg_end), ts_ms + 8 * 3600000ll) < 0 ||
	    dtg(x->dtg_ref, sizeof(x->dtg_ref), ts_ms - gt_rng_range(r, 6, 48) * 3600000ll) < 0 ||
	    gt_fmt(x->month, sizeof(x->month), "%.3s", x->dtg + 7) < 0 ||
	    gt_fmt(x->position, sizeof(x->position), "34UDC%05u%05u", gt_rng_below(r, 100000),
		   gt_rng_below(r, 100000)) < 0)
		return -1;
	a->crlf = gt_rng_chance(r, 30);
	a->final_eol = gt_rng_chance(r, 80);
	a->exercise = gt_rng_chance(r, 50);
	if (a->operation == NULL)
		a->operation = a->exercise ? GT_PICK(r, exercises) : "BALTIC SHIELD";
	a->originator = GT_PICK(r, originators);
	a->serial = gt_rng_range(r, 1, 999);
	a->month = x->month;
	a->policy = x->field_policy != NULL ? x->field_policy : m->lab_access.policy;
	a->classification = x->field_class != NULL ? x->field_class : m->lab_access.classification;
	a->ref_originator = GT_PICK(r, refs);
	a->dtg = x->dtg;
	a->dtg_ref = x->dtg_ref;
	a->dtg_end = x->dtg_end;
	a->position = x->position;
	a->event = GT_PICK(r, events);
	/* the first GENTEXT: the variant's text (if any) in a sentence or two */
	remarks_start(r, m, &rb, false);
	for (;;) {
		rb.data[rb.len] = '\0';
		if (rb.overflow)
			return -1;
		if (rb.len > 0) {
			if (a->n_text >= GT_ADATP3_MAX_TEXT)
				break;
			n = plain_text(m->remarks, m->plain + used, sizeof(m->plain) - used);
			if (n < 0)
				return -1;
			a->heading[a->n_text] = a->kind == GT_ADATP3_INTREP
							? "ASSESSMENT"
							: headings[a->n_text % 5];
			a->text[a->n_text++] = m->plain + used;
			used += (size_t)n + 1;
		}
		gt_buf_init(&mb, out->msg, sizeof(out->msg));
		if (gt_adatp3_build(a, &mb) < 0)
			return -1;
		out->msg_len = mb.len;
		if (mb.len >= m->target_payload)
			break;
		/* the next GENTEXT set: one or two more sentences */
		gt_buf_init(&rb, m->remarks, sizeof(m->remarks) - 1);
		gt_text_sentence(r, &rb);
		if (gt_rng_chance(r, 50))
			gt_text_sentence(r, &rb);
	}
	return out->msg_len <= m->max_payload ? 0 : 1;
}

/* ---- recipes ---- */

/* The CoT recipe @p v of @p reason, with the kind and lean choice it needs. */
static int
reused_kind(enum gt_reason reason, unsigned cotv)
{
	return cotv == OWN ? -1 : gts_variant_kind(reason, cotv);
}

int
gt_gen_frame_fmt(struct gt_gen *g, enum gt_format f, enum gt_reason reason, unsigned v,
		 int64_t ts_us, struct gt_frame_out *out, char *err, size_t errlen)
{
	const struct reuse *tab = reuse_of(f);
	struct gt_msg *m = g->msg;
	struct gt_rng *r = &g->rng;
	int64_t ts_ms = ts_us / 1000;
	int ch = format_channel(f);
	struct gt_l2 l2;
	struct gt_ip ip;
	struct gt_udp udp;
	unsigned cotv;
	int rc = 1;

	if (f == GT_FMT_COT)
		return gt_gen_frame(g, reason, v, ts_us, out, err, errlen);
	if (tab == NULL || (unsigned)reason >= GT_R_COUNT || tab[reason].n == 0)
		return gts_fail(err, errlen, reason, v, "reason not produced by this format");
	v %= tab[reason].n;
	cotv = tab[reason].v[v < 14 ? v : 0];
	if (reason == GT_R_MALFORMED_MESSAGE)
		cotv = OWN;
	out->reason = reason;
	out->format = f;
	out->msg_len = 0;
	out->variant = NULL;
	for (int attempt = 0; attempt < 32 && rc != 0; attempt++) {
		size_t frame_target = gts_target_frame(r);
		bool lean = (f == GT_FMT_TAK_MESH || f == GT_FMT_TAK_STREAM) &&
			    (frame_target < 600 || (cotv != OWN && gts_variant_lean(reason, cotv)));
		const char *what = NULL;
		struct gt_tak tak;
		struct gt_lxml lx;
		struct gt_adatp3 ad;
		struct adatp3_ctx actx;
		size_t hdr;

		memset(m, 0, sizeof(*m));
		memset(&lx, 0, sizeof(lx));
		memset(&ad, 0, sizeof(ad));
		memset(&actx, 0, sizeof(actx));
		m->channel = ch;
		m->s = &g->senders[gt_rng_below(r, GT_SENDERS_V4)];
		/* reports describe ground units: the position of a handset's event */
		if (gts_cot_fill(r, m,
				 f == GT_FMT_LXML || f == GT_FMT_ADATP3 ? (int)GT_KIND_PLI
									: reused_kind(reason, cotv),
				 lean, ts_ms) < 0)
			return gts_fail(err, errlen, reason, v, "event fields do not fit");
		if (f == GT_FMT_LXML) {
			lx.kind = gt_rng_chance(r, 60) ? GT_LXML_FRIENDLY_FORCE : GT_LXML_CASUALTY;
			if (reason == GT_R_NO_SHARING_AGREEMENT && cotv == OWN)
				lx.kind = GT_LXML_INTSUM;
			/* the type key the labelled-xml hints match */
			m->cot.type = gt_lxml_payload_name(lx.kind);
		} else if (f == GT_FMT_ADATP3) {
			ad.kind = gt_rng_chance(r, 65) ? GT_ADATP3_SITREP : GT_ADATP3_OPREP3;
			if (reason == GT_R_NO_SHARING_AGREEMENT)
				ad.kind = GT_ADATP3_INTREP;
			m->cot.type = gt_adatp3_type(ad.kind);
		}
		gts_label_valid(r, m, lean);
		if (f == GT_FMT_LXML || f == GT_FMT_ADATP3) {
			/* gts_label_valid() named the CoT category; these formats have their own */
			const char *cat = gt_category_of_format(f, m->cot.type, "reports");

			for (unsigned i = 0; i < m->lab_4774.n_data_category; i++)
				m->lab_4774.data_category[i] = cat;
			m->lab_4774.n_data_category = m->lab_4774.n_data_category > 0;
		}
		if (cotv != OWN) {
			what = gts_message_variant(r, m, reason, cotv, ts_ms);
		} else if (reason == GT_R_MALFORMED_MESSAGE) {
			static const char *const tak_names[] = {
				"other magic (0xBE)",
				"framing: mesh protocol version 2 / stream length past the end",
				"TakMessage without cotEvent",
				"staleTime absent (0)",
				"lat 91.5",
				"wire type 3 in CotEvent",
				"detail length past the end of the CotEvent",
				"invalid UTF-8 in the contact callsign",
				"type outside the CoT grammar",
				"xmlDetail with an unclosed element",
				"uid given twice",
				"unknown CotEvent field 16",
				"sendTime as an 11-byte varint",
			};
			static const char *const lxml_names[] = {
				"DOCTYPE with internal subset",
				"</BindingInformation> missing",
				"two payload elements in Data",
				"extra element in MetadataBinding",
				"text in MetadataBindingContainer",
				"binding elements in no namespace",
			};
			static const char *const adatp3_names[] = {
				"a set without its closing //",
				"an empty line",
				"two MSGID sets",
				"MSGID with 8 fields",
				"lower-case SETID",
				"tab in a field",
				"invalid UTF-8 in a field",
				"an empty field (// inside a set)",
				"no MSGID set",
			};
			if (f == GT_FMT_LXML) {
				lx.malform = (enum gt_lxml_malform)(1 + v);
				what = lxml_names[v];
			} else if (f == GT_FMT_ADATP3) {
				ad.malform = (enum gt_adatp3_malform)(1 + v);
				what = adatp3_names[v];
			} else {
				what = tak_names[v];
			}
		} else if (reason == GT_R_STALE) {
			what = v == 0 ? "staleTime two hours ago"
				      : "staleTime five and a half hours ago";
		} else if (reason == GT_R_BAD_LABEL) {
			/* labelled XML: a classification the policy does not know */
			m->carrier_4774 = true;
			gts_set_class(&m->lab_access, "NATO", "SUPER SECRET");
			gts_set_class(&m->lab_4774, "NATO", "SUPER SECRET");
			what = "4774 classification NATO SUPER SECRET (unknown)";
		} else if (reason == GT_R_NO_SHARING_AGREEMENT) {
			what = f == GT_FMT_LXML ? "IntelligenceSummary payload (hint: intelligence)"
						: "INTREP (hint: intelligence), no ISA with POL";
		} else if (reason == GT_R_LABEL_CONFLICT) {
			/* ADatP-3: MSGID fields 9/10 against the envelope NATO SECRET */
			gts_set_class(&m->lab_access, "NATO", "SECRET");
			switch (v) {
			case 0:
				actx.field_class = "CONFIDENTIAL";
				what = "envelope NATO SECRET, MSGID NATO/CONFIDENTIAL";
				break;
			case 1:
				actx.field_policy = "GBR";
				what = "envelope NATO SECRET, MSGID GBR/SECRET";
				break;
			default:
				actx.field_class = "Secret";
				what = "envelope NATO SECRET, MSGID NATO/Secret (case differs)";
				break;
			}
		} else if (reason == GT_R_PROHIBITED_CONTENT) {
			const char *term =
				gt_prohibited_literals[gt_rng_below(r, gt_n_prohibited_literals)];

			if (gt_fmt(m->unit, sizeof(m->unit), "%s %u", term, gt_rng_range(r, 1, 9)) <
			    0)
				return gts_fail(err, errlen, reason, v, "term does not fit");
			if (f == GT_FMT_ADATP3) {
				gts_upper_case(m->unit);
				what = "term as the OPER/EXER name";
			} else {
				gts_title_case(m->unit);
				what = "term in the report's unit name";
			}
		}
		if (what == NULL)
			return gts_fail(err, errlen, reason, v, "variant text does not fit");
		/* one carrier per format where the format has one */
		if (f == GT_FMT_LXML) {
			m->carrier_access = false;
			m->access_raw = NULL;
			/* the CoT recipes keep lab_4774 complete whichever carrier they chose */
			m->carrier_4774 = reason != GT_R_UNLABELLED;
		} else if (f == GT_FMT_ADATP3) {
			m->carrier_4774 = false;
			m->carrier_access = reason != GT_R_UNLABELLED;
		}
		gts_wire_default(r, m->s, ch, &l2, &ip, &udp);
		hdr = gts_hdr_len(&l2, &ip);
		m->target_payload = frame_target - hdr;
		m->max_payload = GT_MAX_SIZE - hdr;
		if (f == GT_FMT_LXML || f == GT_FMT_ADATP3) {
			/* reports, not position beacons: never the terse size class */
			if (m->target_payload < 600)
				m->target_payload = gt_rng_range(r, 600, 1000);
		}
		if (m->target_payload > m->max_payload)
			m->target_payload = m->max_payload;
		out->variant = what;
		if (f == GT_FMT_TAK_MESH || f == GT_FMT_TAK_STREAM) {
			int64_t t = ts_ms - gt_rng_range(r, 0, 400);
			int64_t stale = t + gt_rng_range(r, 120, 1800) * 1000ll;

			if (reason == GT_R_STALE) {
				stale = ts_ms - (v == 1 ? 330 : 120) * 60000ll;
				t = stale - gt_rng_range(r, 2, 30) * 60000ll;
			}
			tak_fill(r, m, f == GT_FMT_TAK_STREAM, &tak);
			tak.send_ms = (uint64_t)t;
			tak.start_ms = (uint64_t)t;
			tak.stale_ms = (uint64_t)stale;
			if (reason == GT_R_MALFORMED_MESSAGE) {
				tak.malform = (enum gt_tak_malform)(1 + v);
				if (tak.malform == GT_TAK_MAL_BAD_UTF8 && tak.callsign == NULL)
					tak.callsign = m->s->callsign;
			}
			rc = tak_message(r, m, &tak, out);
		} else if (f == GT_FMT_LXML) {
			lx.report_id = m->msg_id;
			if (gt_fmt(m->msg_id, sizeof(m->msg_id), "%s-%05u",
				   lx.kind == GT_LXML_FRIENDLY_FORCE ? "FFR"
				   : lx.kind == GT_LXML_CASUALTY     ? "CASREP"
								     : "INTSUM",
				   gt_rng_below(r, 100000)) < 0)
				return gts_fail(err, errlen, reason, v, "report id does not fit");
			lx.unit = m->unit[0] != '\0' ? m->unit : GT_PICK(r, unit_names);
			rc = lxml_message(r, m, &lx, out);
		} else {
			if (m->unit[0] != '\0')
				ad.operation = m->unit;
			rc = adatp3_message(r, m, &ad, &actx, ts_ms, out);
		}
		if (rc < 0)
			return gts_fail(err, errlen, reason, v, "message does not fit its buffer");
	}
	if (rc != 0)
		return gts_fail(err, errlen, reason, v, "no message within the size limit");
	out->msg_channel = ch;
	out->frame_len = gt_frame_udp(&l2, &ip, &udp, out->msg, out->msg_len, out->frame,
				      sizeof(out->frame));
	if (out->frame_len == 0)
		return gts_fail(err, errlen, reason, v, "frame does not fit");
	out->payload_len = (uint32_t)out->msg_len;
	out->channel = ch;
	return 0;
}
