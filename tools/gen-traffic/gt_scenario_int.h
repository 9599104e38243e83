/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Internal to the generator's recipes: what gt_scenario.c (the CoT recipes) and
 * gt_scenario_formats.c (TAK, labelled XML and ADatP-3, which reuse the CoT recipes) share.
 * Not an API: include it only from those two files. The gts_ prefix marks these names.
 */
#ifndef GT_SCENARIO_INT_H
#define GT_SCENARIO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gt_cot.h"
#include "gt_frame.h"
#include "gt_label.h"
#include "gt_rng.h"
#include "gt_scenario.h"
#include "gt_sender.h"

#define N_OF(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

/* Everything about one message before it is written. */
struct gt_msg {
	int channel;
	const struct gt_sender *s;
	struct gt_cot cot;
	char uid[128];
	char callsign[64];
	char msg_id[40];
	char opex[96];
	struct gt_label lab_access; /* label of the access attribute */
	struct gt_label lab_4774;   /* label of the 4774 element(s) */
	bool carrier_access;
	bool carrier_4774;
	bool two_4774; /* two identical 4774 labels (bad_label) */
	struct gt_label_style style;
	const char *access_raw; /* verbatim access value instead of lab_access */
	char creation[GT_TIME_LEN];
	char access_buf[256];
	char label_xml[2][2048];
	char inject[512];  /* XML-encoded text that must appear in remarks / the chat line */
	bool inject_alone; /* the inject is a whole chat line, not wrapped in a sentence */
	char remarks[GT_MSG_MAX];
	size_t target_payload; /* grow remarks until the message is at least this long */
	size_t max_payload;    /* and at most this long */
	/* the other formats (gt_gen_frame_fmt) */
	char xml_detail[GT_MSG_MAX]; /* TAK xmlDetail */
	char plain[GT_MSG_MAX];	     /* ADatP-3 free text, one NUL-terminated text after another */
	char unit[96];		     /* labelled XML unit name, ADatP-3 OPER name */
};

/* ---- the message (gt_scenario.c) ---- */

/* Sender, event and detail of an ordinary event of the sender's. */
int gts_cot_fill(struct gt_rng *r, struct gt_msg *m, int kind, bool lean, int64_t ts_ms);

/* Set the classification (policy and name) of a label. */
void gts_set_class(struct gt_label *l, const char *policy, const char *name);

/* A valid, releasable label for the channel, in one or both carriers (lean: access only). */
void gts_label_valid(struct gt_rng *r, struct gt_msg *m, bool lean);

/* Which event kind a CoT variant needs (-1: any). */
int gts_variant_kind(enum gt_reason r, unsigned v);

/* Whether a CoT variant needs a terse event to stay within 1500 bytes. */
bool gts_variant_lean(enum gt_reason r, unsigned v);

/* Apply the message-level part of a reason. @return a description, NULL on error. */
const char *gts_message_variant(struct gt_rng *r, struct gt_msg *m, enum gt_reason reason,
				unsigned v, int64_t ts_ms);

/* Upper-case the first letter of every word of @p s, in place (ASCII). */
void gts_title_case(char *s);

/* Upper-case @p s in place (ASCII). */
void gts_upper_case(char *s);

/* ---- writing it (gt_scenario.c) ---- */

/* Render the labels of @p m into m->cot (access value, 4774 elements). -1 if one does not fit. */
int gts_render_labels(struct gt_msg *m);

/*
 * Build the message into out->msg, growing the remarks until target_payload is reached.
 * @return 0, 1 if it came out longer than max_payload, -1 if it does not fit.
 */
int gts_write_message(struct gt_rng *r, struct gt_msg *m, struct gt_frame_out *out);

/* ---- frames (gt_scenario.c) ---- */

/* Ordinary L2-L4 headers of a frame of sender @p s on @p channel. */
void gts_wire_default(struct gt_rng *r, const struct gt_sender *s, int channel, struct gt_l2 *l2,
		      struct gt_ip *ip, struct gt_udp *udp);

/* Bytes of the L2, IP and UDP headers. */
size_t gts_hdr_len(const struct gt_l2 *l2, const struct gt_ip *ip);

/* Pick a frame size (a quarter terse events, most full TAK events). */
size_t gts_target_frame(struct gt_rng *r);

/* Write "<reason> variant <v>: <why>" into @p err. @return -1. */
int gts_fail(char *err, size_t errlen, enum gt_reason reason, unsigned v, const char *why);

#endif /* GT_SCENARIO_INT_H */
