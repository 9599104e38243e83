/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TAK Protocol v1 (insp_tak.h, GUARD-SPEC 5.2). Messages are built here with a small
 * protobuf encoder (independent of the module's reader): a WinTAK PLI golden vector whose
 * TakMessage is exactly 307 bytes (so mesh starts bf 01 bf 12, stream bf b3 02) must equal
 * the committed hex files of tests/data/tak byte for byte and decode to the expected view;
 * every refusal of the strict wire reader has its exact detail and payload offset; and
 * messages are decided through insp_inspect() with the sample policy on tak-mn and
 * tak-mn-stream.
 *
 * Usage: test_tak SAMPLE_POLICY DATA_DIR   (DATA_DIR: tests/data/tak)
 * Time is fixed: now = 2026-11-22T10:00:00Z.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_inspect.h"
#include "insp_msg.h"
#include "insp_policy.h"
#include "insp_tak.h"
#include "pc_policy.h"
#include "test.h"
#include "test_msg.h"
#include "test_pb.h"

#define GOLD_UID "S-1-5-21-942292099-3747883346-3641641706-1000"

/* A CotEvent; NULL strings and zero numbers are left out, as proto3 encoders do. */
struct evspec {
	const char *type, *access, *qos, *opex, *uid, *how;
	uint64_t send, start, stale;
	double lat, lon, hae, ce, le;
	int detail; /* encode a Detail at all */
	const char *xml, *endpoint, *callsign, *gname, *grole;
	uint32_t battery;
	const char *takv[4];
	double speed, course;
	const char *extra, *detail_extra, *trailer; /* raw bytes (hex text) appended */
	const char *contact_uid;		    /* a TakControl before the cotEvent */
};

static const struct evspec gold = {
	.type = "a-f-G-U-C",
	.access = "NATO UNCLASSIFIED//REL TO NATO",
	.uid = GOLD_UID,
	.send = T_NOW_MS - 1290,
	.start = T_NOW_MS - 1290,
	.stale = T_NOW_MS + 73710,
	.how = "h-e",
	.lat = 50.8503,
	.lon = 4.3517,
	.hae = 56.2,
	.ce = 9999999.0,
	.le = 9999999.0,
	.detail = 1,
	.xml = "<uid Droid=\"HAWK-6\"/>",
	.endpoint = "*:-1:stcp",
	.callsign = "HAWK-6",
	.gname = "Cyan",
	.grole = "Team Lead",
	.battery = 100,
	.takv = {"Latitude 7220 Rugged", "WinTAK-CIV", "Microsoft Windows 11 Pro", "4.10.0.45"},
};

static struct pb msg; /* the last payload built */

/* Offset of the first @p n bytes equal to @p what in msg, plus @p delta; 0 if absent. */
static uint32_t
find(const void *what, size_t n, uint32_t delta)
{
	for (size_t i = 0; i + n <= msg.n; i++)
		if (memcmp(msg.b + i, what, n) == 0)
			return (uint32_t)i + delta;
	return 0;
}

static void
pdbl(struct pb *o, unsigned field, double v)
{
	if (v != 0 || isnan(v))
		pd(o, field, v);
}

/* The TakMessage of @p s. */
static void
takmsg(const struct evspec *s, struct pb *tm)
{
	static struct pb ev, dt, sub, ctl;

	ev.n = dt.n = ctl.n = tm->n = 0;
	pstr(&ev, 1, s->type);
	pstr(&ev, 2, s->access);
	pstr(&ev, 3, s->qos);
	pstr(&ev, 4, s->opex);
	pstr(&ev, 5, s->uid);
	if (s->send)
		pu(&ev, 6, s->send);
	if (s->start)
		pu(&ev, 7, s->start);
	if (s->stale)
		pu(&ev, 8, s->stale);
	pstr(&ev, 9, s->how);
	pdbl(&ev, 10, s->lat);
	pdbl(&ev, 11, s->lon);
	pdbl(&ev, 12, s->hae);
	pdbl(&ev, 13, s->ce);
	pdbl(&ev, 14, s->le);
	if (s->detail) {
		pstr(&dt, 1, s->xml);
		if (s->endpoint || s->callsign) {
			sub.n = 0;
			pstr(&sub, 1, s->endpoint);
			pstr(&sub, 2, s->callsign);
			pmsg(&dt, 2, &sub);
		}
		if (s->gname || s->grole) {
			sub.n = 0;
			pstr(&sub, 1, s->gname);
			pstr(&sub, 2, s->grole);
			pmsg(&dt, 3, &sub);
		}
		if (s->battery) {
			sub.n = 0;
			pu(&sub, 1, s->battery);
			pmsg(&dt, 5, &sub);
		}
		if (s->takv[0]) {
			sub.n = 0;
			for (unsigned i = 0; i < 4; i++)
				pstr(&sub, i + 1, s->takv[i]);
			pmsg(&dt, 6, &sub);
		}
		if (s->speed != 0 || s->course != 0) {
			sub.n = 0;
			pdbl(&sub, 1, s->speed);
			pdbl(&sub, 2, s->course);
			pmsg(&dt, 7, &sub);
		}
		phex(&dt, s->detail_extra);
		pmsg(&ev, 15, &dt);
	}
	phex(&ev, s->extra);
	if (s->contact_uid) {
		pu(&ctl, 1, 1);
		pu(&ctl, 2, 1);
		pstr(&ctl, 3, s->contact_uid);
		pmsg(tm, 1, &ctl);
	}
	pmsg(tm, 2, &ev);
	phex(tm, s->trailer);
}

static void
build_mesh(const struct evspec *s)
{
	static struct pb tm;

	takmsg(s, &tm);
	msg.n = 0;
	put(&msg, "\xbf\x01\xbf", 3);
	put(&msg, tm.b, tm.n);
}

static void
build_stream(const struct evspec *s)
{
	static struct pb tm;

	takmsg(s, &tm);
	msg.n = 0;
	put(&msg, "\xbf", 1);
	pv(&msg, tm.n);
	put(&msg, tm.b, tm.n);
}

/* ---- parsing with a hand-made policy ---- */

static enum insp_reason
parse_mesh_n(const uint8_t *buf, size_t len)
{
	return test_parse(insp_tak_mesh_parse, &hand, buf, len);
}

static enum insp_reason
parse_stream_n(const uint8_t *buf, size_t len)
{
	return test_parse(insp_tak_stream_parse, &hand, buf, len);
}

static enum insp_reason
mesh(const struct evspec *s)
{
	build_mesh(s);
	return parse_mesh_n(msg.b, msg.n);
}

/* Decide the current msg with the mesh parser: @p want with @p want_detail at @p off. */
static void
expect_r(const char *what, enum insp_reason got, enum insp_reason want, const char *want_detail,
	 uint32_t off)
{
	CHECK(got == want, "%s: %s (got %s: %s)", what, insp_reason_name(want),
	      insp_reason_name(got), detail);
	if (want_detail != NULL) {
		CHECK_STR(detail, want_detail, "%s: detail", what);
		CHECK(m.err_offset == off, "%s: offset %u (got %u)", what, off, m.err_offset);
	}
}

static void
expect_mesh(const char *what, const struct evspec *s, enum insp_reason want,
	    const char *want_detail, uint32_t off)
{
	expect_r(what, mesh(s), want, want_detail, off);
}

static void
expect_ok(const char *what, const struct evspec *s)
{
	expect_mesh(what, s, INSP_R_RELEASE, "", 0);
}

/* "... at offset N" (@p fmt) where N is where the last @p tail bytes of msg start. */
static char want_buf[200];
#define AT_END(fmt, tail, off)                                                                   \
	(*(off) = (uint32_t)(msg.n - (tail)), snprintf(want_buf, sizeof(want_buf), fmt, *(off)), \
	 want_buf)

/* Build with @p s, then expect a refusal located @p tail bytes before the end. */
#define expect_tail(what, s, fmt, tail)                                                        \
	do {                                                                                   \
		uint32_t off_;                                                                 \
                                                                                               \
		build_mesh(s);                                                                 \
		AT_END(fmt, tail, &off_);                                                      \
		expect_r(what, parse_mesh_n(msg.b, msg.n), INSP_R_MALFORMED_MESSAGE, want_buf, \
			 off_);                                                                \
	} while (0)

/* ---- golden vectors ---- */

/* Hex text with '#' comment lines -> bytes; -1 if unreadable or odd. */
static long
read_hex(const char *name, uint8_t *out, size_t cap)
{
	size_t len = 0;
	char *t = test_read_sample(name, &len);
	long n;

	if (t == NULL)
		return -1;
	n = test_hex_decode(t, len, out, cap);
	free(t);
	return n;
}

#define GOLD_CONTENT                                                                       \
	"a-f-G-U-C|" GOLD_UID "|h-e|HAWK-6|*:-1:stcp|HAWK-6|Cyan|Team Lead|Latitude 7220 " \
	"Rugged|WinTAK-CIV|Microsoft Windows 11 Pro|4.10.0.45"

static void
check_gold_view(const char *what)
{
	CHECK(str_is(m.uid, GOLD_UID), "%s: uid", what);
	CHECK(str_is(m.type, "a-f-G-U-C"), "%s: type", what);
	CHECK(m.has_stale && m.stale_ms == T_NOW_MS + 73710, "%s: stale 10:01:13.710Z (%lld)", what,
	      (long long)m.stale_ms);
	CHECK(m.has_marking && str_is(m.marking, "NATO UNCLASSIFIED//REL TO NATO") && !m.has_4774,
	      "%s: access marking, no 4774 label", what);
	CHECK(m.qos_priority == -1, "%s: no qos", what);
	CHECK_STR(units_of_kind(INSP_UNIT_CONTENT), GOLD_CONTENT, "%s: content units", what);
	CHECK_STR(units_of_kind(INSP_UNIT_CARRIER), "NATO UNCLASSIFIED//REL TO NATO",
		  "%s: the access string is the only carrier unit", what);
	CHECK_STR(units_of_kind(INSP_UNIT_NAME), "uid|Droid", "%s: xmlDetail names", what);
}

static void
test_golden(void)
{
	static uint8_t file[4096];
	static struct pb tm;
	long n;

	takmsg(&gold, &tm);
	CHECK(tm.n == 307, "WinTAK PLI TakMessage is 307 bytes (%zu)", tm.n);

	build_mesh(&gold);
	CHECK(msg.n == 310 && memcmp(msg.b, "\xbf\x01\xbf\x12\xb0\x02\x0a\x09", 8) == 0,
	      "mesh golden starts bf 01 bf 12 b0 02 0a 09");
	n = read_hex("wintak-pli.mesh.hex", file, sizeof(file));
	CHECK(n == (long)msg.n && memcmp(file, msg.b, msg.n) == 0,
	      "wintak-pli.mesh.hex is the golden mesh message byte for byte (%ld bytes)", n);
	CHECK(parse_mesh_n(file, (size_t)(n < 0 ? 0 : n)) == INSP_R_RELEASE,
	      "golden mesh parses (%s)", detail);
	check_gold_view("golden mesh");
	CHECK(m.err_offset == 0 && detail[0] == '\0', "no detail on success");
	CHECK(parse_stream_n(file, (size_t)n) == INSP_R_MALFORMED_MESSAGE,
	      "a mesh message is not a stream message (%s)", detail);

	build_stream(&gold);
	CHECK(msg.n == 310 && memcmp(msg.b, "\xbf\xb3\x02\x12\xb0\x02\x0a\x09", 8) == 0,
	      "stream golden starts bf b3 02 12 b0 02 0a 09");
	n = read_hex("wintak-pli.stream.hex", file, sizeof(file));
	CHECK(n == (long)msg.n && memcmp(file, msg.b, msg.n) == 0,
	      "wintak-pli.stream.hex is the golden stream message byte for byte (%ld bytes)", n);
	CHECK(parse_stream_n(file, (size_t)(n < 0 ? 0 : n)) == INSP_R_RELEASE,
	      "golden stream parses (%s)", detail);
	check_gold_view("golden stream");
	CHECK(parse_mesh_n(file, (size_t)n) == INSP_R_MALFORMED_MESSAGE &&
		      strcmp(detail, "tak: mesh protocol version 307, only 1 is accepted") == 0,
	      "a stream message is not a mesh message (%s)", detail);

	n = read_hex("atak-4774.mesh.hex", file, sizeof(file));
	CHECK(n > 0 && parse_mesh_n(file, (size_t)n) == INSP_R_RELEASE,
	      "ATAK PLI with a 4774 label parses (%s)", detail);
	CHECK(str_is(m.uid, "ANDROID-5a6f1c2e9b3d4e7f") && str_is(m.type, "a-f-G-E-V-C") &&
		      m.stale_ms == T_NOW_MS + 350123 && m.qos_priority == 2,
	      "ATAK uid, type, stale, qos priority 2");
	CHECK(m.has_marking && m.has_4774 && str_is(m.label.policy, "NATO") &&
		      str_is(m.label.classification, "RESTRICTED") && m.label.n_rel == 1 &&
		      str_is(m.label.rel[0], "NATO"),
	      "ATAK: access and the xmlDetail 4774 label both decoded");
	CHECK_STR(units_of_kind(INSP_UNIT_CONTENT),
		  "a-f-G-E-V-C|2-i-c|ANDROID-5a6f1c2e9b3d4e7f|m-g|on patrol|192.168.1.23:4242:tcp|"
		  "VIPER 2-1|Dark Blue|Team Member|SAMSUNG SM-G781U|ATAK-CIV|33|"
		  "4.10.0.5 (a1b2c3d4).1700000000-CIV",
		  "ATAK content units (label and access are carriers)");
	CHECK(strstr(units_of_kind(INSP_UNIT_CARRIER),
		     "NATO RESTRICTED//REL TO NATO|"
		     "originatorConfidentialityLabel|xmlns|") == units_of_kind(INSP_UNIT_CARRIER),
	      "ATAK carrier units: access, then the label's names and text");
}

/* ---- refusals ---- */

static void
test_framing(void)
{
	static struct pb tm;
	static uint8_t b[600];

	takmsg(&gold, &tm);
	expect_r("empty payload", parse_mesh_n(b, 0), INSP_R_MALFORMED_MESSAGE,
		 "tak: no 0xbf magic at offset 0", 0);
	expect_r("empty stream payload", parse_stream_n(b, 0), INSP_R_MALFORMED_MESSAGE,
		 "tak: no 0xbf magic at offset 0", 0);

	memcpy(b, "\xbe\x01\xbf", 3);
	memcpy(b + 3, tm.b, tm.n);
	expect_r("wrong magic", parse_mesh_n(b, tm.n + 3), INSP_R_MALFORMED_MESSAGE,
		 "tak: no 0xbf magic at offset 0", 0);
	b[0] = 0xBF;
	b[1] = 2;
	expect_r("mesh version 2", parse_mesh_n(b, tm.n + 3), INSP_R_MALFORMED_MESSAGE,
		 "tak: mesh protocol version 2, only 1 is accepted", 1);
	b[1] = 0;
	expect_r("mesh version 0", parse_mesh_n(b, tm.n + 3), INSP_R_MALFORMED_MESSAGE,
		 "tak: mesh protocol version 0, only 1 is accepted", 1);
	b[1] = 1;
	b[2] = 0xBE;
	expect_r("second magic wrong", parse_mesh_n(b, tm.n + 3), INSP_R_MALFORMED_MESSAGE,
		 "tak: no 0xbf magic at offset 2", 2);
	expect_r("mesh header cut after the version", parse_mesh_n(b, 2), INSP_R_MALFORMED_MESSAGE,
		 "tak: no 0xbf magic at offset 2", 2);
	b[1] = 0x81;
	expect_r("mesh version varint truncated", parse_mesh_n(b, 2), INSP_R_MALFORMED_MESSAGE,
		 "tak: truncated varint at offset 1", 1);
	/* a padded varint is still the number 1: protobuf allows it and it hides nothing */
	memcpy(b, "\xbf\x81\x00\xbf", 4);
	memcpy(b + 4, tm.b, tm.n);
	expect_r("mesh version 1 as a two-byte varint", parse_mesh_n(b, tm.n + 4), INSP_R_RELEASE,
		 "", 0);
	memcpy(b, "\xbf\x01\xbf", 3);
	expect_r("mesh with no TakMessage", parse_mesh_n(b, 3), INSP_R_MALFORMED_MESSAGE,
		 "tak: TakMessage without cotEvent", 3);

	/* stream: the length is exactly the rest */
	memcpy(b, "\xbf\xb2\x02", 3);
	memcpy(b + 3, tm.b, tm.n);
	expect_r("stream length one short", parse_stream_n(b, tm.n + 3), INSP_R_MALFORMED_MESSAGE,
		 "tak: stream length 306 but 307 bytes follow", 1);
	b[1] = 0xB4;
	expect_r("stream length one long", parse_stream_n(b, tm.n + 3), INSP_R_MALFORMED_MESSAGE,
		 "tak: stream length 308 but 307 bytes follow", 1);
	b[1] = 0xB3;
	b[tm.n + 3] = 0;
	expect_r("stream with a trailing byte", parse_stream_n(b, tm.n + 4),
		 INSP_R_MALFORMED_MESSAGE, "tak: stream length 307 but 308 bytes follow", 1);
	expect_r("stream length varint truncated", parse_stream_n(b, 2), INSP_R_MALFORMED_MESSAGE,
		 "tak: truncated varint at offset 1", 1);
	memset(b + 1, 0x80, 10);
	b[11] = 0;
	expect_r("stream length varint of 11 bytes", parse_stream_n(b, 12),
		 INSP_R_MALFORMED_MESSAGE, "tak: varint longer than 10 bytes at offset 1", 1);
	memcpy(b, "\xbf\x00", 2);
	expect_r("stream of an empty TakMessage", parse_stream_n(b, 2), INSP_R_MALFORMED_MESSAGE,
		 "tak: TakMessage without cotEvent", 2);
}

static void
test_wire(void)
{
	struct evspec s;
	uint32_t off;
	static struct pb tm;

	/* varints */
	s = gold, s.send = 0, s.extra = "30f693";
	expect_tail("varint cut by the end of CotEvent", &s, "tak: truncated varint at offset %u",
		    2);
	s.extra = "30ffffffffffffffffff01";
	expect_ok("a 10-byte varint (UINT64_MAX sendTime)", &s);
	s.extra = "30ffffffffffffffffff02";
	expect_tail("a varint over 64 bits", &s, "tak: varint over 64 bits at offset %u", 10);
	s.extra = "30ffffffffffffffffff8101";
	expect_tail("a varint of 11 bytes", &s, "tak: varint longer than 10 bytes at offset %u",
		    11);
	s = gold, s.extra = "ffffffffffffffffffff01";
	expect_tail("a tag varint of 11 bytes", &s, "tak: varint longer than 10 bytes at offset %u",
		    11);

	/* lengths */
	build_mesh(&gold);
	msg.n -= 10;
	expect_r("cotEvent length past the end of the datagram", parse_mesh_n(msg.b, msg.n),
		 INSP_R_MALFORMED_MESSAGE,
		 "tak: TakMessage.cotEvent at offset 3 runs past the end of the datagram", 3);
	s = gold, s.detail_extra = "2203"
				   "0a03475053"; /* precisionLocation {geopointsrc "GPS"} */
	build_mesh(&s);
	AT_END("tak: PrecisionLocation.geopointsrc at offset %u runs past the end of the "
	       "enclosing PrecisionLocation",
	       5, &off);
	expect_r("string past the end of its enclosing message", parse_mesh_n(msg.b, msg.n),
		 INSP_R_MALFORMED_MESSAGE, want_buf, off);
	s = gold, s.lat = 0, s.extra = "5100000000", s.contact_uid = NULL;
	expect_tail("fixed64 past the end of the datagram", &s,
		    "tak: CotEvent.lat at offset %u runs past the end of the datagram", 4);
	s.trailer = "0a0a00000000000000000000"; /* a takControl after the cotEvent */
	expect_tail("fixed64 past the end of its enclosing message", &s,
		    "tak: CotEvent.lat at offset %u runs past the end of the enclosing CotEvent",
		    16);
	s = gold, s.detail_extra = "3a05";
	expect_tail("submessage length past the end", &s,
		    "tak: Detail.track at offset %u runs past the end of the datagram", 2);

	/* wire types, field numbers */
	s = gold, s.extra = "230c";
	expect_tail("wire type 3", &s, "tak: wire type 3 (field 4 of CotEvent) at offset %u", 2);
	s.extra = "24";
	expect_tail("wire type 4", &s, "tak: wire type 4 (field 4 of CotEvent) at offset %u", 1);
	s.extra = "0e00";
	expect_tail("wire type 6", &s, "tak: wire type 6 (field 1 of CotEvent) at offset %u", 2);
	s = gold, s.detail_extra = "0f00";
	expect_tail("wire type 7 in Detail", &s,
		    "tak: wire type 7 (field 1 of Detail) at offset %u", 2);
	s = gold, s.opex = NULL, s.extra = "2561626364";
	expect_tail("known field with fixed32", &s,
		    "tak: CotEvent.opex has wire type 5, not 2, at offset %u", 5);
	s.extra = "0200";
	expect_tail("field number 0", &s, "tak: field number 0 in CotEvent at offset %u", 2);
	s.extra = "8201024142";
	expect_tail("unknown CotEvent field 16", &s,
		    "tak: unknown field 16 in CotEvent at offset %u", 5);
	s.extra = "8d0100000000";
	expect_tail("unknown field with fixed32", &s,
		    "tak: unknown field 17 in CotEvent at offset %u", 6);
	s = gold, s.detail_extra = "420178";
	expect_tail("unknown Detail field 8", &s, "tak: unknown field 8 in Detail at offset %u", 3);
	s = gold, s.trailer = "1a0178";
	expect_tail("unknown TakMessage field 3", &s,
		    "tak: unknown field 3 in TakMessage at offset %u", 3);
	s = gold, s.detail_extra = "3a03"
				   "180100"; /* track { field 3 } */
	expect_tail("unknown Track field 3", &s, "tak: unknown field 3 in Track at offset %u", 3);
	s = gold, s.detail_extra = "1203"
				   "1a0141"; /* contact given twice, with a field 3 */
	expect_tail("second contact (merged by protobuf)", &s,
		    "tak: Detail.contact given twice at offset %u", 5);
	s = gold, s.trailer = "0a02"
			      "2001";
	expect_tail("unknown TakControl field 4", &s,
		    "tak: unknown field 4 in TakControl at offset %u", 2);

	/* wrong wire types for known fields */
	s = gold, s.lat = 0, s.extra = "5032";
	expect_tail("lat as a varint", &s, "tak: CotEvent.lat has wire type 0, not 1, at offset %u",
		    2);
	s = gold, s.stale = 0, s.extra = "410000000000000000";
	expect_tail("staleTime as fixed64", &s,
		    "tak: CotEvent.staleTime has wire type 1, not 0, at offset %u", 9);
	s = gold, s.callsign = NULL, s.endpoint = NULL,
	s.detail_extra = "1202"
			 "1001";
	expect_tail("callsign as a varint", &s,
		    "tak: Contact.callsign has wire type 0, not 2, at offset %u", 2);

	/* each field once */
	s = gold, s.extra = "0a03612d66";
	expect_tail("type twice", &s, "tak: CotEvent.type given twice at offset %u", 5);
	s.extra = "4a03682d65";
	expect_tail("how twice, same value", &s, "tak: CotEvent.how given twice at offset %u", 5);
	s.extra = "7a00";
	expect_tail("detail twice", &s, "tak: CotEvent.detail given twice at offset %u", 2);
	s = gold, s.detail_extra = "0a043c612f3e";
	expect_tail("xmlDetail twice", &s, "tak: Detail.xmlDetail given twice at offset %u", 6);
	s = gold, s.trailer = "1200";
	expect_tail("cotEvent twice", &s, "tak: TakMessage.cotEvent given twice at offset %u", 2);

	/* TakMessage */
	s = gold, s.contact_uid = GOLD_UID;
	expect_ok("takControl before cotEvent", &s);
	CHECK(strstr(units_of_kind(INSP_UNIT_CONTENT), GOLD_UID "|a-f-G-U-C|") ==
		      units_of_kind(INSP_UNIT_CONTENT),
	      "TakControl.contactUid is the first content unit");
	tm.n = 0;
	ptag(&tm, 1, 2);
	pv(&tm, 4);
	pu(&tm, 1, 1);
	pu(&tm, 2, 1);
	msg.n = 0;
	put(&msg, "\xbf\x01\xbf", 3);
	put(&msg, tm.b, tm.n);
	expect_r("takControl only", parse_mesh_n(msg.b, msg.n), INSP_R_MALFORMED_MESSAGE,
		 "tak: TakMessage without cotEvent", 3);
	s = gold, s.trailer = "0a06"
			      "0880808080"
			      "10";
	expect_tail("TakControl.minProtoVersion over uint32", &s,
		    "tak: TakControl.minProtoVersion at offset %u out of range for uint32", 5);
}

static void
test_strings(void)
{
	struct evspec s;
	uint32_t off;

	s = gold, s.callsign = "HAWK\xe9"
			       "6";
	build_mesh(&s);
	/* callsign is the last field of the Contact, itself before group/status/takv */
	off = find("HAWK\xe9", 5, 4);
	snprintf(want_buf, sizeof(want_buf),
		 "tak: invalid UTF-8 or control character in Contact.callsign at offset %u", off);
	expect_r("Latin-1 in callsign", parse_mesh_n(msg.b, msg.n), INSP_R_MALFORMED_MESSAGE,
		 want_buf, off);

	static const struct {
		const char *what, *callsign;
		int ok;
	} cases[] = {
		{"overlong '/' (c0 af)", "A\xc0\xaf", 0},
		{"overlong 3-byte", "A\xe0\x81\xae", 0},
		{"surrogate", "A\xed\xa0\x80", 0},
		{"above U+10FFFF", "A\xf4\x90\x80\x80", 0},
		{"truncated sequence", "A\xe2\x80", 0},
		{"ESC", "A\x1b", 0},
		{"U+FFFE", "A\xef\xbf\xbe", 0},
		{"TAB", "A\tB", 1},
		{"DEL (an XML Char)", "A\x7f", 1},
		{"umlaut and emoji", "A\xc3\x9c \xf0\x9f\x9a\x81", 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = gold, s.callsign = cases[i].callsign;
		build_mesh(&s);
		off = find(cases[i].callsign, strlen(cases[i].callsign), 1);
		snprintf(want_buf, sizeof(want_buf),
			 "tak: invalid UTF-8 or control character in Contact.callsign at offset %u",
			 off);
		expect_r(cases[i].what, parse_mesh_n(msg.b, msg.n),
			 cases[i].ok ? INSP_R_RELEASE : INSP_R_MALFORMED_MESSAGE,
			 cases[i].ok ? "" : want_buf, cases[i].ok ? 0 : off);
	}
	s = gold, s.callsign = NULL, s.endpoint = NULL;
	s.detail_extra = "1203"
			 "120141"; /* callsign "A", then A becomes NUL */
	build_mesh(&s);
	msg.b[msg.n - 1] = 0;
	AT_END("tak: invalid UTF-8 or control character in Contact.callsign at offset %u", 1, &off);
	expect_r("NUL in callsign", parse_mesh_n(msg.b, msg.n), INSP_R_MALFORMED_MESSAGE, want_buf,
		 off);

	/* xmlDetail: the XML rules, offsets in the payload */
	s = gold, s.xml = "<remarks>caf\xc3</remarks>";
	build_mesh(&s);
	off = find("caf\xc3", 4, 3);
	snprintf(want_buf, sizeof(want_buf), "tak: invalid UTF-8 or non-XML character at offset %u",
		 off);
	expect_r("bad UTF-8 in xmlDetail", parse_mesh_n(msg.b, msg.n), INSP_R_MALFORMED_MESSAGE,
		 want_buf, off);
	s.xml = "<remarks>hold";
	CHECK(mesh(&s) == INSP_R_MALFORMED_MESSAGE && strncmp(detail, "tak: xml: ", 10) == 0,
	      "unclosed element in xmlDetail (%s)", detail);
	s.xml = "hello <remarks/>";
	CHECK(mesh(&s) == INSP_R_MALFORMED_MESSAGE && strncmp(detail, "tak: xml: ", 10) == 0,
	      "text at the top of xmlDetail (%s)", detail);
	s.xml = "<!DOCTYPE r><remarks/>";
	CHECK(mesh(&s) == INSP_R_MALFORMED_MESSAGE && strncmp(detail, "tak: xml: ", 10) == 0,
	      "DOCTYPE in xmlDetail (%s)", detail);
	s.xml = "<?xml version='1.0'?><remarks/>";
	CHECK(mesh(&s) == INSP_R_MALFORMED_MESSAGE, "XML declaration in xmlDetail (%s)", detail);
	s.xml = "<a>&#x1b;</a>";
	CHECK(mesh(&s) == INSP_R_MALFORMED_MESSAGE, "reference to a control character (%s)",
	      detail);
	s.xml = "";
	expect_ok("empty xmlDetail", &s);
	s.xml = " <a x='1'>t<![CDATA[u]]>&amp;<!-- c --></a>\n<b/> ";
	expect_ok("several top-level elements, CDATA, a comment", &s);
	CHECK_STR(units_of_kind(INSP_UNIT_COMMENT), " c ", "xmlDetail comment is a unit");
	CHECK(strstr(units_of_kind(INSP_UNIT_CONTENT), "|h-e|1|tu&|*:-1:stcp|") != NULL,
	      "xmlDetail attribute and decoded text are content units (%s)",
	      units_of_kind(INSP_UNIT_CONTENT));

	/* bounds are the policy's XML bounds */
	hand.cot_max_elems = 3;
	s.xml = "<a/><b/><c/><d/>";
	build_mesh(&s);
	off = find("<d/>", 4, 0);
	expect_r("more elements than the policy allows", parse_mesh_n(msg.b, msg.n),
		 INSP_R_MALFORMED_MESSAGE, "tak: xmlDetail has more than 3 elements", off);
	hand.cot_max_elems = 512;
	hand.cot_max_depth = 2;
	s.xml = "<a><b><c/></b></a>";
	build_mesh(&s);
	off = find("<c/>", 4, 0);
	expect_r("deeper than the policy allows", parse_mesh_n(msg.b, msg.n),
		 INSP_R_MALFORMED_MESSAGE, "tak: xmlDetail nested deeper than 2", off);
	hand.cot_max_depth = 16;
}

static void
test_event_fields(void)
{
	struct evspec s;
	uint32_t off;

	s = gold, s.type = "a--f";
	build_mesh(&s);
	expect_r("type grammar", parse_mesh_n(msg.b, msg.n), INSP_R_MALFORMED_MESSAGE,
		 "tak: CotEvent.type at offset 8 violates the CoT type grammar", 8);
	s.type = "a-f-G-U-C;extra";
	expect_ok("type with a ;suffix", &s);
	s.type = "a-f;x;y";
	expect_mesh("type with two ;", &s, INSP_R_MALFORMED_MESSAGE,
		    "tak: CotEvent.type at offset 8 violates the CoT type grammar", 8);
	s = gold, s.type = NULL;
	expect_mesh("no type", &s, INSP_R_MALFORMED_MESSAGE,
		    "tak: CotEvent at offset 6 without type", 6);
	s = gold, s.uid = NULL;
	expect_mesh("no uid", &s, INSP_R_MALFORMED_MESSAGE, "tak: CotEvent at offset 6 without uid",
		    6);
	s = gold, s.how = NULL;
	expect_mesh("no how", &s, INSP_R_MALFORMED_MESSAGE, "tak: CotEvent at offset 6 without how",
		    6);
	s = gold, s.stale = 0;
	expect_mesh("no staleTime", &s, INSP_R_MALFORMED_MESSAGE,
		    "tak: CotEvent at offset 6 without staleTime", 6);
	s.extra = "4000";
	expect_tail("staleTime 0", &s, "tak: CotEvent.staleTime at offset %u is 0 (absent)", 1);
	s.extra = "4080808080808080808001";
	expect_tail("staleTime over INT64_MAX", &s,
		    "tak: CotEvent.staleTime at offset %u is out of range", 10);
	s = gold, s.uid = NULL, s.extra = "2a00";
	expect_tail("empty uid", &s, "tak: CotEvent.uid at offset %u is empty", 0);
	s = gold, s.how = "h-e-";
	build_mesh(&s);
	CHECK(mesh(&s) == INSP_R_MALFORMED_MESSAGE &&
		      strstr(detail, "CotEvent.how at offset") != NULL &&
		      strstr(detail, "violates the CoT how grammar") != NULL,
	      "how grammar (%s)", detail);
	s.how = "m-g";
	expect_ok("how m-g", &s);

	s = gold, s.qos = "10-r-c";
	CHECK(mesh(&s) == INSP_R_MALFORMED_MESSAGE && strstr(detail, "CoT qos grammar") != NULL,
	      "qos grammar (%s)", detail);
	s.qos = "9-r-c";
	expect_ok("qos 9-r-c", &s);
	CHECK(m.qos_priority == 9, "qos priority digit 9 (%d)", m.qos_priority);
	CHECK(strstr(units_of_kind(INSP_UNIT_CONTENT), "a-f-G-U-C|9-r-c|") != NULL,
	      "qos is a content unit");
	s.qos = NULL, s.extra = "1a00";
	expect_ok("empty qos", &s);
	CHECK(m.qos_priority == -1, "empty qos: no priority");

	s = gold, s.access = NULL;
	expect_ok("no access", &s);
	CHECK(!m.has_marking && !m.has_4774, "no access: no carrier");
	s.extra = "1200";
	expect_ok("empty access", &s);
	CHECK(!m.has_marking && units_of_kind(INSP_UNIT_CARRIER)[0] == '\0',
	      "empty access counts as absent");
	s = gold, s.access = "Undefined";
	expect_ok("access 'Undefined' (judged later, not here)", &s);
	CHECK(m.has_marking && str_is(m.marking, "Undefined"), "the marking as written");
	CHECK_STR(units_of_kind(INSP_UNIT_CONTENT), GOLD_CONTENT, "access is never content");
	s = gold, s.opex = "e-EXERCISE";
	expect_ok("opex", &s);
	CHECK(strstr(units_of_kind(INSP_UNIT_CONTENT), "a-f-G-U-C|e-EXERCISE|" GOLD_UID) != NULL,
	      "opex is a content unit");

	/* doubles */
	static const struct {
		const char *what;
		unsigned field;
		double v;
		int ok;
	} d[] = {
		{"lat 90", 10, 90.0, 1},	 {"lat -90", 10, -90.0, 1},
		{"lat 90.0001", 10, 90.0001, 0}, {"lat -91", 10, -91.0, 0},
		{"lat NaN", 10, NAN, 0},	 {"lon 180", 11, 180.0, 1},
		{"lon -180.5", 11, -180.5, 0},	 {"lon +inf", 11, INFINITY, 0},
		{"hae -420", 12, -420.0, 1},	 {"hae -inf", 12, -INFINITY, 0},
		{"hae NaN", 12, NAN, 0},	 {"ce 0.5", 13, 0.5, 1},
		{"ce -0.5", 13, -0.5, 0},	 {"le NaN", 14, NAN, 0},
		{"le 1e308", 14, 1e308, 1},
	};
	static const char *const names[] = {"lat", "lon", "hae", "ce", "le"};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		struct pb x = {.n = 0};
		char hex[40];

		s = gold;
		switch (d[i].field) {
		case 10:
			s.lat = 0;
			break;
		case 11:
			s.lon = 0;
			break;
		case 12:
			s.hae = 0;
			break;
		case 13:
			s.ce = 0;
			break;
		default:
			s.le = 0;
		}
		pd(&x, d[i].field, d[i].v);
		for (size_t k = 0; k < x.n; k++)
			sprintf(hex + 2 * k, "%02x", x.b[k]);
		s.extra = hex;
		build_mesh(&s);
		off = (uint32_t)msg.n - 8;
		snprintf(want_buf, sizeof(want_buf),
			 "tak: CotEvent.%s at offset %u not finite or out of range",
			 names[d[i].field - 10], off);
		expect_r(d[i].what, parse_mesh_n(msg.b, msg.n),
			 d[i].ok ? INSP_R_RELEASE : INSP_R_MALFORMED_MESSAGE,
			 d[i].ok ? "" : want_buf, d[i].ok ? 0 : off);
	}
	s = gold, s.speed = INFINITY;
	CHECK(mesh(&s) == INSP_R_MALFORMED_MESSAGE &&
		      strstr(detail, "tak: Track.speed at offset") != NULL,
	      "Track.speed infinite (%s)", detail);
	s = gold, s.speed = 1.5, s.course = 271.5;
	expect_ok("track 1.5 m/s, 271.5 deg", &s);

	/* numbers */
	s = gold, s.battery = 0,
	s.detail_extra = "2a06"
			 "08ffffffff0f";
	expect_ok("battery UINT32_MAX", &s);
	s.detail_extra = "2a06"
			 "088080808010";
	expect_tail("battery 2^32", &s, "tak: Status.battery at offset %u out of range for uint32",
		    5);

	/* fail closed when the view's memory is full */
	m.units_cap = 3;
	CHECK(mesh(&gold) == INSP_R_MALFORMED_MESSAGE && strcmp(detail, "tak: too much text") == 0,
	      "unit table full (%s)", detail);
	CHECK(m.err_offset == find("h-e", 3, 0), "too much text points at the 4th unit, how (%u)",
	      m.err_offset);
	m.units_cap = TEST_MSG_UNITS;
	m.scan_cap = 40;
	CHECK(mesh(&gold) == INSP_R_MALFORMED_MESSAGE && strcmp(detail, "tak: too much text") == 0,
	      "scan buffer full (%s)", detail);
	m.scan_cap = TEST_MSG_SCAN;
}

#define LABEL(cls, rel)                                                                     \
	"<originatorConfidentialityLabel xmlns=\"" NS4774 "\"><ConfidentialityInformation>" \
	"<PolicyIdentifier>NATO</PolicyIdentifier><Classification>" cls "</Classification>" \
	"<Category Type=\"PERMISSIVE\" TagName=\"Releasable To\"><GenericValue>" rel        \
	"</GenericValue></Category></ConfidentialityInformation>"                           \
	"<CreationDateTime>2026-11-22T09:59:50Z</CreationDateTime>"                         \
	"</originatorConfidentialityLabel>"

static void
test_labels(void)
{
	struct evspec s;

	s = gold, s.access = NULL, s.xml = "<uid Droid=\"HAWK-6\"/>" LABEL("SECRET", "FVEY");
	expect_ok("4774 label at the top of xmlDetail", &s);
	CHECK(m.has_4774 && !m.has_marking && str_is(m.label.classification, "SECRET") &&
		      str_is(m.label.rel[0], "FVEY"),
	      "label decoded");
	CHECK_STR(units_of_kind(INSP_UNIT_CONTENT), GOLD_CONTENT,
		  "the label's text is not content");

	s.xml = "<remarks>" LABEL("SECRET", "FVEY") "</remarks>";
	build_mesh(&s);
	uint32_t off = find("<originator", 11, 0);
	expect_r("label nested in xmlDetail", parse_mesh_n(msg.b, msg.n), INSP_R_BAD_LABEL,
		 "label: 4774 label not a top-level element of xmlDetail", off);
	s.extra = "8201024142"; /* and an unknown field after it */
	expect_mesh("malformed beats a bad label", &s, INSP_R_MALFORMED_MESSAGE, NULL, 0);
	CHECK(strncmp(detail, "tak: unknown field 16", 21) == 0, "malformed detail (%s)", detail);
	s = gold, s.access = NULL, s.xml = LABEL("SECRET", "FVEY") LABEL("SECRET", "FVEY");
	CHECK(mesh(&s) == INSP_R_BAD_LABEL &&
		      strcmp(detail, "label: more than one 4774 label") == 0,
	      "two labels (%s)", detail);
	s.xml = "<remarks><![CDATA[" LABEL("SECRET", "FVEY") "]]></remarks>";
	expect_ok("label text in CDATA is not a label", &s);
	CHECK(!m.has_4774, "CDATA label: no 4774 label");
	s.xml = "<originatorConfidentialityLabel xmlns=\"" NS4774 "\"/>";
	CHECK(mesh(&s) == INSP_R_BAD_LABEL, "empty 4774 label is a bad label (%s)", detail);
}

/* ---- decisions with the sample policy ---- */

static int ch_mesh = -1, ch_stream = -1;

static void
decide(const char *what, const struct evspec *s, enum insp_reason want, uint32_t rule)
{
	for (int k = 0; k < 2; k++) {
		if (k == 0)
			build_mesh(s);
		else
			build_stream(s);
		test_decide(k == 0 ? ch_mesh : ch_stream, k == 0 ? "tak-mn" : "tak-mn-stream", what,
			    msg.b, msg.n, want, rule);
		if (want == INSP_R_RELEASE)
			CHECK(res.detail[0] == '\0', "%s: a release says nothing", what);
	}
}

static void
test_decisions(void)
{
	struct evspec s;

	decide("golden WinTAK PLI", &gold, INSP_R_RELEASE, 0);
	CHECK(strcmp(res.uid, GOLD_UID) == 0, "uid in the result (%s)", res.uid);
	CHECK(res.tclass == 2, "friendly track: class priority (%u)", res.tclass);
	s = gold, s.qos = "9-r-c";
	decide("qos 9", &s, INSP_R_RELEASE, 0);
	CHECK(res.tclass == 0, "qos 9: class flash (%u)", res.tclass);
	s = gold, s.access = NULL, s.xml = LABEL("UNCLASSIFIED", "NATO");
	decide("4774 label only", &s, INSP_R_RELEASE, 0);
	s.access = "NATO UNCLASSIFIED//REL TO NATO";
	decide("access and label agree", &s, INSP_R_RELEASE, 0);

	s = gold, s.access = NULL;
	decide("no label", &s, INSP_R_UNLABELLED, 0);
	s = gold, s.access = "NATO  SECRET//REL TO NATO";
	decide("access with a double space", &s, INSP_R_BAD_LABEL, 0);
	s = gold, s.access = "NATO SECRET//REL TO NATO", s.xml = LABEL("CONFIDENTIAL", "NATO");
	decide("access SECRET, xmlDetail label CONFIDENTIAL", &s, INSP_R_LABEL_CONFLICT, 0);
	s.xml = LABEL("SECRET", "FVEY");
	decide("access REL TO NATO, label REL TO FVEY", &s, INSP_R_LABEL_CONFLICT, 0);
	s = gold, s.access = "NATO COSMIC TOP SECRET//REL TO NATO";
	decide("COSMIC TOP SECRET to MN", &s, INSP_R_OVER_CLASSIFIED, 0);
	s = gold, s.type = "b-i-x-i";
	decide("imagery (intelligence) to MN", &s, INSP_R_NO_SHARING_AGREEMENT, 0);

	s = gold, s.callsign = "OPERATION NIGHTFALL";
	decide("term in callsign", &s, INSP_R_PROHIBITED_CONTENT, 1001);
	s = gold, s.xml = "<remarks>start of operation&#32;nightfall</remarks>";
	decide("term in xmlDetail", &s, INSP_R_PROHIBITED_CONTENT, 1001);
	s = gold, s.callsign = "OPERATION", s.gname = "NIGHTFALL";
	decide("term split across two strings", &s, INSP_R_RELEASE, 0);
	s = gold, s.takv[3] = "NATO SECRET";
	decide("marking in Takv.version", &s, INSP_R_MARKING_INCONSISTENT, 2003);
	s = gold, s.stale = (uint64_t)(T_NOW_MS - 61000);
	decide("stale 61 s ago", &s, INSP_R_STALE, 0);
	s.stale = (uint64_t)(T_NOW_MS - 59000);
	decide("stale 59 s ago (within the skew)", &s, INSP_R_RELEASE, 0);
	s = gold, s.callsign = "OPERATION NIGHTFALL", s.extra = "8201024142";
	decide("malformed beats a term", &s, INSP_R_MALFORMED_MESSAGE, 0);
	snprintf(want_buf, sizeof(want_buf), "tak: unknown field 16 in CotEvent at offset %zu",
		 msg.n - 5);
	CHECK(strcmp(res.detail, want_buf) == 0 && res.offset == msg.n - 5,
	      "malformed detail and offset reach the result (%s @%u)", res.detail, res.offset);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s SAMPLE_POLICY DATA_DIR\n", argv[0]);
		return 2;
	}
	data_dir = argv[2];
	test_msg_setup();

	test_golden();
	test_framing();
	test_wire();
	test_strings();
	test_event_fields();
	test_labels();

	pol = test_load_policy(argv[1]);
	if (pol == NULL)
		return test_done();
	ch_mesh = test_channel(pol, "tak-mn");
	ch_stream = test_channel(pol, "tak-mn-stream");
	CHECK(ch_mesh >= 0 && ch_stream >= 0, "channels tak-mn and tak-mn-stream exist");
	scr = test_scratch(pol);
	if (ch_mesh >= 0 && ch_stream >= 0 && scr != NULL)
		test_decisions();
	insp_scratch_free(scr);
	pc_policy_free(pol);
	return test_done();
}
