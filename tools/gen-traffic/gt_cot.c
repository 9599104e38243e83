/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <time.h>

#include "gt_cot.h"

int
gt_cot_time(char *out, size_t n, int64_t ms, int style, int offset_min)
{
	int64_t local_ms = ms + (style == 2 ? (int64_t)offset_min * 60000 : 0);
	time_t secs = (time_t)(local_ms / 1000);
	int frac = (int)(local_ms % 1000);
	struct tm tm;
	int len;

	if (local_ms < 0 || gmtime_r(&secs, &tm) == NULL)
		return -1;
	if (style == 1) {
		len = snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	} else if (style == 2) {
		int a = offset_min < 0 ? -offset_min : offset_min;

		len = snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02d:%02d",
			       tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			       tm.tm_sec, frac, offset_min < 0 ? '-' : '+', a / 60, a % 60);
	} else {
		len = snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
			       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	}
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

static char
quote(const struct gt_cot *c)
{
	return c->single_quotes ? '\'' : '"';
}

/* name='value' with a leading blank */
static void
at(struct gt_buf *b, const struct gt_cot *c, const char *name, const char *value)
{
	char q = quote(c);

	gt_buf_printf(b, " %s=%c", name, q);
	gt_buf_put_xml(b, value);
	gt_buf_put(b, &q, 1);
}

/* name='v' with @p prec decimals */
static void
atf(struct gt_buf *b, const struct gt_cot *c, const char *name, int prec, double v)
{
	char q = quote(c);

	gt_buf_printf(b, " %s=%c%.*f%c", name, q, prec, v, q);
}

static void
atu(struct gt_buf *b, const struct gt_cot *c, const char *name, unsigned v)
{
	char q = quote(c);

	gt_buf_printf(b, " %s=%c%u%c", name, q, v, q);
}

static void
xml_decl(struct gt_buf *b, const struct gt_cot *c)
{
	if (c->single_quotes)
		gt_buf_puts(b, "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>");
	else
		gt_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
	if (c->client == GT_CLIENT_WINTAK)
		gt_buf_puts(b, "\n");
}

static void
point(struct gt_buf *b, const struct gt_cot *c)
{
	int prec = c->client == GT_CLIENT_WINTAK ? 6 : 7;

	gt_buf_puts(b, "<point");
	if (c->malform == GT_MAL_LAT_RANGE)
		at(b, c, "lat", "91.5");
	else
		atf(b, c, "lat", prec, c->lat);
	atf(b, c, "lon", prec, c->lon);
	atf(b, c, "hae", 1, c->hae);
	atf(b, c, "ce", 1, c->ce);
	atf(b, c, "le", 1, c->le);
	gt_buf_puts(b, "/>");
}

static void
takv(struct gt_buf *b, const struct gt_cot *c)
{
	gt_buf_puts(b, "<takv");
	at(b, c, "os", c->os);
	at(b, c, "version", c->version);
	at(b, c, "device", c->device);
	at(b, c, "platform", c->platform);
	gt_buf_puts(b, "/>");
}

static void
contact(struct gt_buf *b, const struct gt_cot *c, bool endpoint)
{
	gt_buf_puts(b, "<contact");
	if (endpoint)
		at(b, c, "endpoint", "*:-1:stcp");
	at(b, c, "callsign", c->callsign);
	gt_buf_puts(b, "/>");
}

static void
group_status_track(struct gt_buf *b, const struct gt_cot *c, bool with_group)
{
	if (with_group) {
		gt_buf_puts(b, "<__group");
		at(b, c, "role", c->role);
		at(b, c, "name", c->group);
		gt_buf_puts(b, "/>");
		gt_buf_puts(b, "<status");
		atu(b, c, "battery", c->battery);
		gt_buf_puts(b, "/>");
	}
	gt_buf_puts(b, "<track");
	atf(b, c, "course", 2, c->course);
	atf(b, c, "speed", 2, c->speed);
	gt_buf_puts(b, "/>");
}

static void
cot_link(struct gt_buf *b, const struct gt_cot *c, bool marker)
{
	gt_buf_puts(b, "<link");
	at(b, c, "uid", c->sender_uid);
	if (marker)
		at(b, c, "production_time", c->time);
	at(b, c, "type", "a-f-G-U-C");
	if (marker)
		at(b, c, "parent_callsign", c->sender_callsign);
	at(b, c, "relation", "p-p");
	gt_buf_puts(b, "/>");
}

static void
remarks(struct gt_buf *b, const struct gt_cot *c)
{
	const char *text = c->remarks_xml != NULL ? c->remarks_xml : "";

	if (c->kind == GT_KIND_CHAT) {
		char src[128];

		if (gt_fmt(src, sizeof(src), "BAO.F.%s.%s",
			   c->client == GT_CLIENT_WINTAK ? "WinTAK" : "ATAK", c->sender_uid) < 0) {
			b->overflow = true;
			return;
		}
		gt_buf_puts(b, "<remarks");
		at(b, c, "source", src);
		at(b, c, "to", "All Chat Rooms");
		at(b, c, "time", c->time);
		gt_buf_puts(b, ">");
	} else if (*text == '\0') {
		gt_buf_puts(b, "<remarks/>");
		return;
	} else {
		gt_buf_puts(b, "<remarks>");
	}
	gt_buf_puts(b, text);
	gt_buf_puts(b, "</remarks>");
}

static void
labels(struct gt_buf *b, const struct gt_cot *c)
{
	for (unsigned i = 0; i < c->n_labels && i < 2; i++)
		gt_buf_puts(b, c->labels[i]);
}

static void
detail_marker(struct gt_buf *b, const struct gt_cot *c)
{
	const char *icon;
	const char *argb;

	switch (c->kind) {
	case GT_KIND_HOSTILE:
		icon = "COT_MAPPING_2525B/a-h/a-h-G";
		argb = "-65536";
		break;
	case GT_KIND_UNKNOWN:
		icon = "COT_MAPPING_2525B/a-u/a-u-G";
		argb = "-256";
		break;
	default:
		icon = "COT_MAPPING_SPOTMAP/b-m-p-s-m/-1";
		argb = "-1";
		break;
	}
	gt_buf_puts(b, "<status");
	at(b, c, "readiness", "true");
	gt_buf_puts(b, "/>");
	gt_buf_puts(b, "<archive/>");
	cot_link(b, c, true);
	contact(b, c, false);
	remarks(b, c);
	gt_buf_puts(b, "<color");
	at(b, c, "argb", argb);
	gt_buf_puts(b, "/><usericon");
	at(b, c, "iconsetpath", icon);
	gt_buf_puts(b, "/><precisionlocation");
	at(b, c, "altsrc", "DTED0");
	gt_buf_puts(b, "/>");
}

static void
detail_chat(struct gt_buf *b, const struct gt_cot *c)
{
	gt_buf_puts(b, "<__chat");
	at(b, c, "parent", "RootContactGroup");
	at(b, c, "groupOwner", "false");
	at(b, c, "messageId", c->msg_id);
	at(b, c, "chatroom", "All Chat Rooms");
	at(b, c, "id", "All Chat Rooms");
	at(b, c, "senderCallsign", c->sender_callsign);
	gt_buf_puts(b, "><chatgrp");
	at(b, c, "uid0", c->sender_uid);
	at(b, c, "uid1", "All Chat Rooms");
	at(b, c, "id", "All Chat Rooms");
	gt_buf_puts(b, "/></__chat>");
	cot_link(b, c, false);
	remarks(b, c);
	gt_buf_puts(b, "<__serverdestination");
	at(b, c, "destinations", "0.0.0.0:4242:tcp:All Chat Rooms");
	gt_buf_puts(b, "/>");
}

/* ATAK's emergency beacon: who raised it, and the alert type with the reporter's callsign */
static void
detail_alert(struct gt_buf *b, const struct gt_cot *c)
{
	cot_link(b, c, false);
	contact(b, c, false);
	gt_buf_puts(b, "<emergency");
	at(b, c, "type", "911 Alert");
	gt_buf_puts(b, ">");
	gt_buf_put_xml(b, c->sender_callsign);
	gt_buf_puts(b, "</emergency>");
	if (c->remarks_xml != NULL && c->remarks_xml[0] != '\0')
		remarks(b, c);
}

static void
detail(struct gt_buf *b, const struct gt_cot *c)
{
	gt_buf_puts(b, "<detail>");
	if (!c->labels_last)
		labels(b, c);
	if (c->lean && c->kind != GT_KIND_CHAT) {
		/* what a terse gateway or sensor feed sends: who, and where it is heading */
		contact(b, c, false);
		if (c->kind == GT_KIND_PLI || c->kind == GT_KIND_VEHICLE || c->kind == GT_KIND_AIR)
			group_status_track(b, c, false);
		if (c->remarks_xml != NULL && c->remarks_xml[0] != '\0')
			remarks(b, c);
		if (c->labels_last)
			labels(b, c);
		gt_buf_puts(b, "</detail>");
		return;
	}
	switch (c->kind) {
	case GT_KIND_PLI:
	case GT_KIND_VEHICLE:
		takv(b, c);
		contact(b, c, true);
		gt_buf_puts(b, "<uid");
		at(b, c, "Droid", c->callsign);
		gt_buf_puts(b, "/><precisionlocation");
		at(b, c, "altsrc", "GPS");
		at(b, c, "geopointsrc", "GPS");
		gt_buf_puts(b, "/>");
		group_status_track(b, c, true);
		remarks(b, c);
		break;
	case GT_KIND_AIR:
		contact(b, c, false);
		group_status_track(b, c, false);
		gt_buf_puts(b, "<precisionlocation");
		at(b, c, "altsrc", "GPS");
		at(b, c, "geopointsrc", "GPS");
		gt_buf_puts(b, "/>");
		remarks(b, c);
		break;
	case GT_KIND_HOSTILE:
	case GT_KIND_UNKNOWN:
	case GT_KIND_SPOT:
		detail_marker(b, c);
		break;
	case GT_KIND_ALERT:
		detail_alert(b, c);
		break;
	case GT_KIND_CHAT:
	case GT_KIND_COUNT:
		detail_chat(b, c);
		break;
	}
	if (c->labels_last)
		labels(b, c);
	gt_buf_puts(b, "</detail>");
}

int
gt_cot_xml_detail(const struct gt_cot *c, struct gt_buf *b)
{
	bool text = c->remarks_xml != NULL && c->remarks_xml[0] != '\0';

	if (!c->labels_last)
		labels(b, c);
	if (c->lean && c->kind != GT_KIND_CHAT) {
		if (text)
			remarks(b, c);
	} else {
		switch (c->kind) {
		case GT_KIND_PLI:
		case GT_KIND_VEHICLE:
			gt_buf_puts(b, "<uid");
			at(b, c, "Droid", c->callsign);
			gt_buf_puts(b, "/>");
			remarks(b, c);
			break;
		case GT_KIND_AIR:
			if (text)
				remarks(b, c);
			break;
		case GT_KIND_HOSTILE:
		case GT_KIND_UNKNOWN:
		case GT_KIND_SPOT:
			gt_buf_puts(b, "<archive/>");
			cot_link(b, c, true);
			remarks(b, c);
			gt_buf_puts(b, "<color");
			at(b, c, "argb",
			   c->kind == GT_KIND_HOSTILE	? "-65536"
			   : c->kind == GT_KIND_UNKNOWN ? "-256"
							: "-1");
			gt_buf_puts(b, "/><usericon");
			at(b, c, "iconsetpath",
			   c->kind == GT_KIND_HOSTILE	? "COT_MAPPING_2525B/a-h/a-h-G"
			   : c->kind == GT_KIND_UNKNOWN ? "COT_MAPPING_2525B/a-u/a-u-G"
							: "COT_MAPPING_SPOTMAP/b-m-p-s-m/-1");
			gt_buf_puts(b, "/>");
			break;
		case GT_KIND_ALERT:
			cot_link(b, c, false);
			gt_buf_puts(b, "<emergency");
			at(b, c, "type", "911 Alert");
			gt_buf_puts(b, ">");
			gt_buf_put_xml(b, c->sender_callsign);
			gt_buf_puts(b, "</emergency>");
			if (text)
				remarks(b, c);
			break;
		case GT_KIND_CHAT:
		case GT_KIND_COUNT:
			detail_chat(b, c);
			break;
		}
	}
	if (c->labels_last)
		labels(b, c);
	return b->overflow ? -1 : 0;
}

int
gt_cot_build(const struct gt_cot *c, struct gt_buf *b)
{
	if (c->xml_decl)
		xml_decl(b, c);
	if (c->malform == GT_MAL_DOCTYPE)
		gt_buf_puts(b, "<!DOCTYPE event [<!ENTITY cs \"VIPER\">]>");
	gt_buf_puts(b, "<event");
	at(b, c, "version", "2.0");
	at(b, c, "uid", c->uid);
	at(b, c, "type", c->type);
	at(b, c, "time", c->time);
	at(b, c, "start", c->start);
	if (c->malform != GT_MAL_NO_STALE)
		at(b, c, "stale", c->stale);
	at(b, c, "how", c->how);
	if (c->malform == GT_MAL_DUP_ATTR)
		at(b, c, "how", c->how);
	if (c->access != NULL)
		at(b, c, "access", c->access);
	if (c->qos != NULL)
		at(b, c, "qos", c->qos);
	if (c->opex != NULL)
		at(b, c, "opex", c->opex);
	gt_buf_puts(b, ">");
	if (c->detail_first)
		detail(b, c);
	point(b, c);
	if (c->malform == GT_MAL_TWO_POINTS)
		point(b, c);
	if (!c->detail_first)
		detail(b, c);
	if (c->malform != GT_MAL_UNCLOSED)
		gt_buf_puts(b, "</event>");
	if (c->malform == GT_MAL_SECOND_ROOT)
		gt_buf_puts(b, "<event version=\"2.0\"/>");
	return b->overflow ? -1 : 0;
}
