/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `guardctl check --pcap`: every frame of a capture goes the dataplane's way, offline:
 * insp_net_classify() (layers 2-4, channel lookup on --port, checksums in software, size)
 * and, if that found a channel and a payload, insp_inspect() on the payload. The same
 * library functions as guardd, so a capture replayed here is decided as guardd decided it;
 * with --now pcap even a capture checked days later, since 'stale' is then judged at each
 * frame's own capture time.
 *
 * With --expect the frame's (channel, reason) is compared with gen-traffic's sidecar
 * (docs/gen-traffic.md): the channel is the one the frame was classified to (also for
 * l2l4_bad_checksum and l2l4_oversize, which are checked after the lookup), or "-".
 * Memory stays constant in the number of frames: the sidecar is read in step with the
 * pcap, and only the first GC_MISMATCH_SHOW mismatches are kept for the report (all of
 * them count).
 */
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_check.h"
#include "gc_expect.h"
#include "gc_out.h"
#include "insp_net.h"

#define GC_MISMATCH_SHOW 1000
#define NO_FRAME	 "(no frame)"
#define NO_LINE		 "(no line)"

struct mismatch {
	uint64_t index;
	char got_channel[INSP_NAME_MAX];
	char got_reason[INSP_NAME_MAX];
	char want_channel[INSP_NAME_MAX];
	char want_reason[INSP_NAME_MAX];
};

struct run {
	const struct gc_check_opts *o;
	const struct insp_policy *p;
	struct gc_counts counts;
	struct gc_tally tally;
	struct mismatch *shown; /* first GC_MISMATCH_SHOW */
	uint64_t n_shown;
	uint64_t n_mismatch;
	int w_channel;
	int w_rule;
	int w_reason;
};

static int
digits(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void
widths(struct run *r)
{
	uint32_t max_rule = 0;

	r->w_channel = (int)strlen("WANT-CHANNEL"); /* the widest header it has */
	for (uint32_t i = 0; i < r->p->n_channels; i++)
		if ((int)gc_text_width(r->p->channels[i].name) > r->w_channel)
			r->w_channel = (int)gc_text_width(r->p->channels[i].name);
	for (uint32_t i = 0; i < r->p->n_patterns; i++)
		if (r->p->patterns[i].rule_id > max_rule)
			max_rule = r->p->patterns[i].rule_id;
	r->w_rule = digits(max_rule) > 4 ? digits(max_rule) : 4;
	r->w_reason = (int)strlen("REASON");
	for (int i = 0; i < INSP_R_COUNT; i++)
		if ((int)strlen(insp_reason_name((enum insp_reason)i)) > r->w_reason)
			r->w_reason = (int)strlen(insp_reason_name((enum insp_reason)i));
}

/* A detail for the layer 2-4 reasons, which insp_net_classify() reports bare. */
static void
l2l4_detail(const struct run *r, enum insp_reason reason, const struct insp_flow *flow,
	    size_t caplen, struct insp_result *res)
{
	char addr[64];

	switch (reason) {
	case INSP_R_L2L4_NO_CHANNEL:
		snprintf(res->detail, sizeof(res->detail),
			 "no channel for port %u, IPv%u %s udp %u", r->o->port, flow->ip_version,
			 gc_fmt_addr(&flow->dst, addr, sizeof(addr)), flow->dst_port);
		break;
	case INSP_R_L2L4_OVERSIZE:
		snprintf(res->detail, sizeof(res->detail),
			 "payload of %" PRIu32 " bytes above channel '%s' max_size %" PRIu32,
			 flow->payload_len, r->p->channels[flow->channel].name,
			 r->p->channels[flow->channel].max_size);
		break;
	case INSP_R_L2L4_TRUNCATED:
		snprintf(res->detail, sizeof(res->detail), "%s (frame of %zu bytes)",
			 insp_reason_text(reason), caplen);
		break;
	default:
		snprintf(res->detail, sizeof(res->detail), "%s", insp_reason_text(reason));
	}
}

/* Decide one frame; *channel is the channel it was classified to, or -1. */
static void
decide(struct run *r, struct insp_scratch *scr, const uint8_t *frame, size_t len, int64_t now_ms,
       struct insp_flow *flow, struct insp_result *res)
{
	enum insp_reason reason;

	memset(flow, 0, sizeof(*flow));
	reason = insp_net_classify(r->p, r->o->port, frame, len, 0, flow);
	if (reason == INSP_R_RELEASE &&
	    r->p->channels[flow->channel].format == INSP_FORMAT_OBJECT) {
		/* as guardd: an object chunk is handed to the slow path, not decided alone */
		memset(res, 0, sizeof(*res));
		res->reason = INSP_R_TO_SLOWPATH;
		res->level = INSP_LEVEL_NONE;
		snprintf(res->detail, sizeof(res->detail),
			 "object chunk: guardd hands it to guard-slowpath, which decides the "
			 "object (docs/slowpath.md)");
		return;
	}
	if (reason == INSP_R_RELEASE) {
		insp_inspect(r->p, scr, (uint32_t)flow->channel, frame + flow->payload_offset,
			     flow->payload_len, now_ms, res);
		return;
	}
	memset(res, 0, sizeof(*res));
	res->reason = reason;
	res->level = INSP_LEVEL_NONE;
	l2l4_detail(r, reason, flow, len, res);
}

static const char *
channel_name(const struct run *r, const struct insp_flow *flow)
{
	return flow->channel >= 0 && (uint32_t)flow->channel < r->p->n_channels
		       ? r->p->channels[flow->channel].name
		       : "-";
}

static int
add_mismatch(struct run *r, uint64_t index, const char *got_ch, const char *got_r,
	     const char *want_ch, const char *want_r)
{
	struct mismatch *m;

	r->n_mismatch++;
	if (r->n_shown == GC_MISMATCH_SHOW)
		return 0;
	if (r->shown == NULL) {
		r->shown = calloc(GC_MISMATCH_SHOW, sizeof(*r->shown));
		if (r->shown == NULL)
			return -1;
	}
	m = &r->shown[r->n_shown++];
	m->index = index;
	snprintf(m->got_channel, sizeof(m->got_channel), "%s", got_ch);
	snprintf(m->got_reason, sizeof(m->got_reason), "%s", got_r);
	snprintf(m->want_channel, sizeof(m->want_channel), "%s", want_ch);
	snprintf(m->want_reason, sizeof(m->want_reason), "%s", want_r);
	return 0;
}

/* ---- output ---- */

static void
frame_header(const struct run *r)
{
	printf("%-7s  %-*s  %-8s  %-*s  %-9s  %-*s  %s\n", "INDEX", r->w_channel, "CHANNEL",
	       "DECISION", r->w_reason, "REASON", "CLASS", r->w_rule, "RULE", "DETAIL");
}

static void
frame_text(const struct run *r, uint64_t index, const char *channel, const struct insp_result *res)
{
	char rule[16];

	if (res->rule_id != 0)
		snprintf(rule, sizeof(rule), "%" PRIu32, res->rule_id);
	else
		snprintf(rule, sizeof(rule), "-");
	printf("%-7" PRIu64 "  ", index);
	gc_text_put(stdout, channel, (size_t)r->w_channel);
	printf("  %-8s  %-*s  %-9s  %-*s  ", gc_decision_name(res->reason), r->w_reason,
	       insp_reason_name(res->reason), gc_check_class(res), r->w_rule, rule);
	gc_text_put(stdout, res->detail, 0);
	fputc('\n', stdout);
}

/* A channel name, or null for "-" (no channel reached). */
static void
json_channel(struct gc_json *j, const char *key, const char *channel)
{
	if (strcmp(channel, "-") == 0)
		gc_json_null(j, key);
	else
		gc_json_str(j, key, channel);
}

/* {"channel": ..., "reason": ...}, or null when there is no such side ("" reason). */
static void
json_pair(struct gc_json *j, const char *key, const char *channel, const char *reason)
{
	if (reason[0] == '\0') {
		gc_json_null(j, key);
		return;
	}
	gc_json_begin_object(j, key);
	json_channel(j, "channel", channel);
	gc_json_str(j, "reason", reason);
	gc_json_end_object(j);
}

static void
frame_json(const struct run *r, uint64_t index, const char *channel, const struct insp_flow *flow,
	   const struct insp_result *res, const struct gc_expect_rec *want)
{
	struct gc_json j;

	gc_json_init(&j, stdout);
	gc_json_begin_object(&j, NULL);
	gc_json_str(&j, "type", "frame");
	gc_json_uint(&j, "index", index);
	json_channel(&j, "channel", channel);
	gc_result_json(&j, res);
	gc_json_uint(&j, "payload_len", flow->payload_len);
	if (r->o->expect != NULL) {
		if (want != NULL)
			json_pair(&j, "expected", want->channel, want->reason);
		else
			gc_json_null(&j, "expected");
		gc_json_bool(&j, "match",
			     want != NULL && strcmp(want->channel, channel) == 0 &&
				     strcmp(want->reason, insp_reason_name(res->reason)) == 0);
	}
	gc_json_end_object(&j);
	gc_json_finish(&j);
}

static void
report_text(const struct run *r)
{
	if (r->o->expect == NULL) {
		gc_counts_print(&r->counts, "frame");
		return;
	}
	printf("mismatches with %s: %" PRIu64 "%s\n", r->o->expect, r->n_mismatch,
	       r->n_mismatch > r->n_shown ? " (the first ones shown)" : "");
	if (r->n_shown > 0)
		printf("  %-7s  %-*s  %-*s  %-*s  %s\n", "INDEX", r->w_channel, "GOT-CHANNEL",
		       r->w_reason, "GOT-REASON", r->w_channel, "WANT-CHANNEL", "WANT-REASON");
	for (uint64_t i = 0; i < r->n_shown; i++) {
		const struct mismatch *m = &r->shown[i];

		bool got = m->got_reason[0] != '\0', want = m->want_reason[0] != '\0';

		printf("  %-7" PRIu64 "  ", m->index);
		gc_text_put(stdout, got ? m->got_channel : NO_FRAME, (size_t)r->w_channel);
		fputs("  ", stdout);
		gc_text_put(stdout, got ? m->got_reason : NO_FRAME, (size_t)r->w_reason);
		fputs("  ", stdout);
		gc_text_put(stdout, want ? m->want_channel : NO_LINE, (size_t)r->w_channel);
		fputs("  ", stdout);
		gc_text_put(stdout, want ? m->want_reason : NO_LINE, 0);
		fputc('\n', stdout);
	}
	printf("totals:\n  %-*s  %-*s  %8s  %8s\n", r->w_channel, "CHANNEL", r->w_reason, "REASON",
	       "GOT", "WANT");
	for (size_t i = 0; i < r->tally.n; i++) {
		const struct gc_tally_row *t = &r->tally.rows[i];

		fputs("  ", stdout);
		gc_text_put(stdout, t->channel, (size_t)r->w_channel);
		fputs("  ", stdout);
		gc_text_put(stdout, t->reason, (size_t)r->w_reason);
		printf("  %8" PRIu64 "  %8" PRIu64 "%s\n", t->got, t->want,
		       t->got != t->want ? "  differs" : "");
	}
	gc_counts_print(&r->counts, "frame");
}

static void
report_json(const struct run *r, int status)
{
	struct gc_json j;

	for (uint64_t i = 0; r->o->expect != NULL && i < r->n_shown; i++) {
		const struct mismatch *m = &r->shown[i];

		gc_json_init(&j, stdout);
		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "type", "mismatch");
		gc_json_uint(&j, "index", m->index);
		json_pair(&j, "got", m->got_channel, m->got_reason);
		json_pair(&j, "want", m->want_channel, m->want_reason);
		gc_json_end_object(&j);
		gc_json_finish(&j);
	}
	for (size_t i = 0; r->o->expect != NULL && i < r->tally.n; i++) {
		const struct gc_tally_row *t = &r->tally.rows[i];

		gc_json_init(&j, stdout);
		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "type", "total");
		json_channel(&j, "channel", t->channel);
		gc_json_str(&j, "reason", t->reason);
		gc_json_uint(&j, "got", t->got);
		gc_json_uint(&j, "want", t->want);
		gc_json_end_object(&j);
		gc_json_finish(&j);
	}
	gc_json_init(&j, stdout);
	gc_json_begin_object(&j, NULL);
	gc_json_str(&j, "type", "summary");
	gc_json_uint(&j, "frames", r->counts.total);
	gc_json_uint(&j, "released", r->counts.released);
	gc_json_uint(&j, "dropped", r->counts.dropped);
	gc_json_uint(&j, "review", r->counts.review);
	if (r->o->expect != NULL)
		gc_json_uint(&j, "mismatches", r->n_mismatch);
	else
		gc_json_null(&j, "mismatches");
	gc_json_int(&j, "exit_status", status);
	gc_json_end_object(&j);
	gc_json_finish(&j);
}

/* ---- the run ---- */

static pcap_t *
open_pcap(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc;
	int dlt;

	/* libpcap would block on a FIFO until a writer came, and read a device forever */
	if (!gc_regular_file(path)) {
		gc_err(GC_CHECK_CMD, "cannot open pcap '%s': not a regular file", path);
		return NULL;
	}
	pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (pc == NULL) {
		gc_err(GC_CHECK_CMD, "cannot open pcap '%s': %s", path, errbuf);
		return NULL;
	}
	dlt = pcap_datalink(pc);
	if (dlt != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(dlt);

		gc_err(GC_CHECK_CMD,
		       "pcap '%s': link type %s (%d) not supported: the guard reads Ethernet "
		       "frames (EN10MB)",
		       path, name != NULL ? name : "unknown", dlt);
		pcap_close(pc);
		return NULL;
	}
	return pc;
}

static uint32_t
largest_message(const struct insp_policy *p)
{
	uint32_t m = 1;

	for (uint32_t i = 0; i < p->n_channels; i++)
		if (p->channels[i].max_size > m)
			m = p->channels[i].max_size;
	return m;
}

/* Compare one frame with its sidecar record (NULL: the sidecar has ended). */
static int
compare(struct run *r, uint64_t index, const char *channel, const char *reason,
	const struct gc_expect_rec *want)
{
	if (gc_tally_add(&r->tally, channel, reason, 0) != 0)
		return -1;
	if (want == NULL)
		return add_mismatch(r, index, channel, reason, "", "");
	if (gc_tally_add(&r->tally, want->channel, want->reason, 1) != 0)
		return -1;
	if (strcmp(want->channel, channel) != 0 || strcmp(want->reason, reason) != 0)
		return add_mismatch(r, index, channel, reason, want->channel, want->reason);
	return 0;
}

/* Sidecar records beyond the last frame: each is a mismatch. 0, or -1 on error. */
static int
drain(struct run *r, struct gc_expect *e)
{
	struct gc_expect_rec want;
	int got;

	while ((got = gc_expect_next(e, &want)) == 1) {
		if (gc_tally_add(&r->tally, want.channel, want.reason, 1) != 0 ||
		    add_mismatch(r, want.index, "", "", want.channel, want.reason) != 0) {
			gc_err(GC_CHECK_CMD, "out of memory");
			return -1;
		}
	}
	return got;
}

static int
frames(struct run *r, pcap_t *pc, struct insp_scratch *scr, struct gc_expect *e)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	uint64_t index = 0;
	int got;

	while ((got = pcap_next_ex(pc, &hdr, &data)) == 1) {
		struct insp_flow flow;
		struct insp_result res;
		struct gc_expect_rec want;
		int have_want = 0;
		int64_t now_ms = r->o->now_ms;
		const char *channel;

		if (r->o->now_pcap)
			now_ms = (int64_t)hdr->ts.tv_sec * 1000 + (int64_t)hdr->ts.tv_usec / 1000;
		decide(r, scr, data, hdr->caplen, now_ms, &flow, &res);
		channel = channel_name(r, &flow);
		gc_counts_add(&r->counts, res.reason);
		if (e != NULL) {
			have_want = gc_expect_next(e, &want);
			if (have_want < 0)
				return -1;
			if (compare(r, index, channel, insp_reason_name(res.reason),
				    have_want ? &want : NULL) != 0) {
				gc_err(GC_CHECK_CMD, "out of memory");
				return -1;
			}
		}
		if (!r->o->quiet) {
			if (r->o->json)
				frame_json(r, index, channel, &flow, &res,
					   have_want ? &want : NULL);
			else
				frame_text(r, index, channel, &res);
		}
		index++;
	}
	if (got != PCAP_ERROR_BREAK) { /* -2: end of the file */
		gc_err(GC_CHECK_CMD, "pcap '%s': read error after %" PRIu64 " frames: %s",
		       r->o->pcap, index, pcap_geterr(pc));
		return -1;
	}
	return e != NULL ? drain(r, e) : 0;
}

int
gc_check_pcap(const struct gc_check_opts *o, const struct insp_policy *p)
{
	struct run r;
	struct insp_scratch *scr = NULL;
	struct gc_expect *e = NULL;
	pcap_t *pc;
	int status = GC_EXIT_ERROR;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.p = p;
	widths(&r);
	pc = open_pcap(o->pcap);
	if (pc == NULL)
		return GC_EXIT_ERROR;
	if (o->expect != NULL) {
		e = gc_expect_open(GC_CHECK_CMD, o->expect);
		if (e == NULL)
			goto out;
	}
	scr = insp_scratch_create(p, largest_message(p));
	if (scr == NULL) {
		gc_err(GC_CHECK_CMD, "out of memory");
		goto out;
	}
	if (!o->quiet && !o->json)
		frame_header(&r);
	if (frames(&r, pc, scr, e) != 0)
		goto out;
	gc_tally_sort(&r.tally);
	if (o->expect != NULL)
		status = r.n_mismatch == 0 ? GC_EXIT_OK : GC_EXIT_NOT_OK;
	else
		status = r.counts.released == r.counts.total ? GC_EXIT_OK : GC_EXIT_NOT_OK;
	if (o->json)
		report_json(&r, status);
	else
		report_text(&r);
	if (gc_out_flush(GC_CHECK_CMD) != 0)
		status = GC_EXIT_ERROR;
out:
	gc_expect_close(e);
	insp_scratch_free(scr);
	pcap_close(pc);
	gc_tally_free(&r.tally);
	free(r.shown);
	return status;
}
