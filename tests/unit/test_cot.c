/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cursor-on-Target (insp_cot.h, GUARD-SPEC 5.1): realistic TAK events (WinTAK, ATAK,
 * GeoChat, map point) decode to the expected view (uid, stale, label carriers and the exact
 * scan units), and every rule of the strict profile refuses its violation with its detail.
 * The policy is built by hand (only the CoT bounds and label strictness matter here) and
 * the message working memory is set up as insp_scratch_create() does. No arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_cot.h"
#include "insp_msg.h"
#include "insp_policy.h"
#include "test.h"
#include "test_msg.h"

static enum insp_reason
cot_n(const char *doc, size_t len)
{
	return test_parse(insp_cot_parse, &hand, doc, len);
}

static enum insp_reason
cot(const char *doc)
{
	return cot_n(doc, strlen(doc));
}

/* The content units: the text as a consumer reads it (GUARD-SPEC 4.5). */
static const char *
units_str(void)
{
	return units_of_kind(INSP_UNIT_CONTENT);
}

/* ---- a plain event built from parts ---- */

struct attr {
	const char *name;
	const char *value;
};

static const struct attr base_attrs[] = {
	{"version", "2.0"},
	{"uid", "U-1"},
	{"type", "a-f-G-U-C"},
	{"time", "2026-11-22T09:59:00Z"},
	{"start", "2026-11-22T09:59:00Z"},
	{"stale", "2026-11-22T10:05:00Z"},
	{"how", "m-g"},
	{"access", "NATO UNCLASSIFIED//REL TO NATO"},
};
#define N_BASE (sizeof(base_attrs) / sizeof(base_attrs[0]))

#define POINT "<point lat=\"50.0\" lon=\"4.0\" hae=\"100.0\" ce=\"10.0\" le=\"5.0\"/>"
#define BASE_UNITS \
	"2.0|U-1|a-f-G-U-C|2026-11-22T09:59:00Z|2026-11-22T09:59:00Z|2026-11-22T10:05:00Z|m-g"
#define POINT_UNITS "50.0|4.0|100.0|10.0|5.0"

/*
 * <event> with the base attributes, attribute @p name set to @p value (NULL value: removed;
 * a name not in the base: appended), and @p body as content.
 */
static const char *
ev(const char *name, const char *value, const char *body)
{
	static char buf[TEST_MSG_MAX];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "<event");
	int seen = 0;

	for (size_t i = 0; i < N_BASE; i++) {
		const char *v = base_attrs[i].value;

		if (name != NULL && strcmp(name, base_attrs[i].name) == 0) {
			seen = 1;
			v = value;
		}
		if (v != NULL)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s=\"%s\"",
					      base_attrs[i].name, v);
	}
	if (name != NULL && !seen && value != NULL)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s=\"%s\"", name, value);
	snprintf(buf + n, sizeof(buf) - n, ">%s</event>", body);
	return buf;
}

/* <point> with attribute @p name set to @p value (NULL: removed; unknown name: appended). */
static const char *
pt(const char *name, const char *value)
{
	static const struct attr base[] = {
		{"lat", "50.0"}, {"lon", "4.0"}, {"hae", "100.0"}, {"ce", "10.0"}, {"le", "5.0"},
	};
	static char buf[512];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "<point");
	int seen = 0;

	for (size_t i = 0; i < 5; i++) {
		const char *v = base[i].value;

		if (strcmp(name, base[i].name) == 0) {
			seen = 1;
			v = value;
		}
		if (v != NULL)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s=\"%s\"", base[i].name,
					      v);
	}
	if (!seen && value != NULL)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s=\"%s\"", name, value);
	snprintf(buf + n, sizeof(buf) - n, "/>");
	return buf;
}

static void
expect_malformed(const char *what, const char *doc, const char *want_detail)
{
	enum insp_reason r = cot(doc);

	CHECK(r == INSP_R_MALFORMED_MESSAGE, "%s: malformed_message (got %s)", what,
	      insp_reason_name(r));
	CHECK_STR(detail, want_detail, "%s: detail", what);
}

static void
expect_ok(const char *what, const char *doc)
{
	enum insp_reason r = cot(doc);

	CHECK(r == INSP_R_RELEASE, "%s: parsed (got %s: %s)", what, insp_reason_name(r), detail);
}

/* ---- realistic messages ---- */

static const char wintak[] =
	"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
	"<event version='2.0' uid='S-1-5-21-942292099-3747883346-3641641706-1000' "
	"type='a-f-G-U-C' time='2026-11-22T09:59:58.71Z' start='2026-11-22T09:59:58.71Z' "
	"stale='2026-11-22T10:01:13.71Z' how='h-e' access='NATO UNCLASSIFIED//REL TO NATO'>"
	"<point lat='50.8503' lon='4.3517' hae='56.2' ce='9999999' le='9999999'/>"
	"<detail><takv os='Microsoft Windows 10 Enterprise' version='4.10.0.45' "
	"device='DELL INC. LATITUDE 5420' platform='WinTAK-CIV'/>"
	"<contact callsign='HAWK-6' endpoint='*:-1:stcp'/><uid Droid='HAWK-6'/>"
	"<__group name='Cyan' role='Team Lead'/><status battery='100'/>"
	"<track course='0.00000000' speed='0.00000000'/>"
	"<_flow-tags_ TAK-Server-3f2a='2026-11-22T09:59:58Z'/></detail></event>";

static const char atak[] =
	"<event version=\"2.0\" uid=\"ANDROID-5a6f1c2e9b3d4e7f\" type=\"a-f-G-E-V-C\" how=\"m-g\" "
	"time=\"2026-11-22T09:59:50.123Z\" start=\"2026-11-22T09:59:50.123Z\" "
	"stale=\"2026-11-22T10:05:50.123Z\" access=\"NATO SECRET//REL TO FVEY\">"
	"<point lat=\"51.5007\" lon=\"-0.1246\" hae=\"11.3\" ce=\"4.9\" le=\"9999999.0\"/>"
	"<detail>"
	"<originatorConfidentialityLabel xmlns=\"" NS4774 "\">"
	"<ConfidentialityInformation><PolicyIdentifier>NATO</PolicyIdentifier>"
	"<Classification>SECRET</Classification>"
	"<Category Type=\"PERMISSIVE\" TagName=\"Releasable To\"><GenericValue>FVEY</GenericValue>"
	"</Category></ConfidentialityInformation>"
	"<CreationDateTime>2026-11-22T09:59:50Z</CreationDateTime>"
	"</originatorConfidentialityLabel>"
	"<contact endpoint=\"192.168.1.23:4242:tcp\" callsign=\"VIPER 2-1\"/>"
	"<__group name=\"Dark Blue\" role=\"Team Member\"/>"
	"<precisionlocation altsrc=\"GPS\" geopointsrc=\"GPS\"/><status battery=\"87\"/>"
	"<takv device=\"SAMSUNG SM-G781U\" platform=\"ATAK-CIV\" os=\"33\" "
	"version=\"4.10.0.5 (a1b2c3d4).1700000000-CIV\"/>"
	"<track speed=\"0.0\" course=\"271.5\"/></detail></event>";

static const char chat[] =
	"<event version=\"2.0\" uid=\"GeoChat.ANDROID-5a6f1c2e9b3d4e7f.All Chat Rooms."
	"0f3c9a2e-8c1b-4d5e-9f00-1a2b3c4d5e6f\" type=\"b-t-f\" how=\"h-g-i-g-o\" "
	"time=\"2026-11-22T09:59:40Z\" start=\"2026-11-22T09:59:40Z\" "
	"stale=\"2026-11-23T09:59:40Z\" access=\"NATO RESTRICTED//REL TO NATO\">"
	"<point lat=\"0.0\" lon=\"0.0\" hae=\"9999999.0\" ce=\"9999999.0\" le=\"9999999.0\"/>"
	"<detail><__chat parent=\"RootContactGroup\" groupOwner=\"false\" "
	"messageId=\"0f3c9a2e-8c1b-4d5e-9f00-1a2b3c4d5e6f\" chatroom=\"All Chat Rooms\" "
	"id=\"All Chat Rooms\" senderCallsign=\"VIPER 2-1\">"
	"<chatgrp uid0=\"ANDROID-5a6f1c2e9b3d4e7f\" uid1=\"All Chat Rooms\" id=\"All Chat Rooms\"/>"
	"</__chat>"
	"<link uid=\"ANDROID-5a6f1c2e9b3d4e7f\" type=\"a-f-G-E-V-C\" relation=\"p-p\"/>"
	"<remarks source=\"BAO.F.ATAK.ANDROID-5a6f1c2e9b3d4e7f\" to=\"All Chat Rooms\" "
	"time=\"2026-11-22T09:59:40Z\">Rally at &lt;grid&gt; 31U ES 1234 5678 at 1200Z"
	"<!-- edited --> &amp; hold</remarks>"
	"<__serverdestination destinations=\"192.168.1.23:4242:tcp:ANDROID-5a6f1c2e9b3d4e7f\"/>"
	"</detail></event>";

static const char mappoint[] =
	"<event version=\"2.0\" uid=\"9405e320-9356-41c4-8449-f46990aa17f8\" type=\"b-m-p-s-m\" "
	"how=\"h-g-i-g-o\" time=\"2026-11-22T09:50:00Z\" start=\"2026-11-22T09:50:00Z\" "
	"stale=\"2027-11-22T09:50:00Z\" access=\"NATO UNCLASSIFIED//REL TO NATO\" qos=\"2-i-c\" "
	"opex=\"e-EXERCISE\">"
	"<detail><status readiness=\"true\"/><archive/>"
	"<link uid=\"ANDROID-5a6f1c2e9b3d4e7f\" production_time=\"2026-11-22T09:50:00Z\" "
	"type=\"a-f-G-E-V-C\" parent_callsign=\"VIPER 2-1\" relation=\"p-p\"/>"
	"<contact callsign=\"R 1\"/><remarks/><color argb=\"-1\"/>"
	"<precisionlocation altsrc=\"DTED0\"/>"
	"<usericon iconsetpath=\"COT_MAPPING_SPOTMAP/b-m-p-s-m/-1\"/></detail>"
	"<point lat=\"-33.8688\" lon=\"151.2093\" hae=\"25.5\" ce=\"9999999.0\" "
	"le=\"9999999.0\"/></event>";

static void
test_realistic(void)
{
	enum insp_reason r;

	r = cot(wintak);
	CHECK(r == INSP_R_RELEASE, "WinTAK event parses (%s)", detail);
	CHECK(str_is(m.uid, "S-1-5-21-942292099-3747883346-3641641706-1000"), "WinTAK uid");
	CHECK(m.has_stale && m.stale_ms == T_NOW_MS + 73710, "WinTAK stale 10:01:13.71Z (%lld)",
	      (long long)m.stale_ms);
	CHECK(m.has_marking && !m.has_4774, "WinTAK: marking, no 4774 label");
	CHECK(str_is(m.marking, "NATO UNCLASSIFIED//REL TO NATO"), "WinTAK marking string");
	CHECK_STR(units_str(),
		  "2.0|S-1-5-21-942292099-3747883346-3641641706-1000|a-f-G-U-C|"
		  "2026-11-22T09:59:58.71Z|2026-11-22T09:59:58.71Z|2026-11-22T10:01:13.71Z|h-e|"
		  "50.8503|4.3517|56.2|9999999|9999999|"
		  "Microsoft Windows 10 Enterprise|4.10.0.45|DELL INC. LATITUDE 5420|WinTAK-CIV|"
		  "HAWK-6|*:-1:stcp|HAWK-6|Cyan|Team Lead|100|0.00000000|0.00000000|"
		  "2026-11-22T09:59:58Z",
		  "WinTAK scan units (access not among them)");

	r = cot(atak);
	CHECK(r == INSP_R_RELEASE, "ATAK event with a 4774 label parses (%s)", detail);
	CHECK(str_is(m.uid, "ANDROID-5a6f1c2e9b3d4e7f"), "ATAK uid");
	CHECK(m.stale_ms == T_NOW_MS + 350123, "ATAK stale 10:05:50.123Z");
	CHECK(m.has_marking && m.has_4774, "ATAK: both carriers");
	CHECK(str_is(m.label.policy, "NATO") && str_is(m.label.classification, "SECRET") &&
		      m.label.n_rel == 1 && str_is(m.label.rel[0], "FVEY") && !m.label.normalised,
	      "ATAK 4774 label decoded");
	CHECK_STR(units_str(),
		  "2.0|ANDROID-5a6f1c2e9b3d4e7f|a-f-G-E-V-C|2026-11-22T09:59:50.123Z|"
		  "2026-11-22T09:59:50.123Z|2026-11-22T10:05:50.123Z|m-g|"
		  "51.5007|-0.1246|11.3|4.9|9999999.0|"
		  "192.168.1.23:4242:tcp|VIPER 2-1|Dark Blue|Team Member|GPS|GPS|87|"
		  "SAMSUNG SM-G781U|ATAK-CIV|33|4.10.0.5 (a1b2c3d4).1700000000-CIV|0.0|271.5",
		  "ATAK content units (label and access not among them)");
	/* ...but the label crosses too: its names, values and text are carrier units */
	CHECK_STR(
		units_of_kind(INSP_UNIT_CARRIER),
		"NATO SECRET//REL TO FVEY|originatorConfidentialityLabel|xmlns|"
		"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0|ConfidentialityInformation|"
		"PolicyIdentifier|NATO|Classification|SECRET|Category|Type|PERMISSIVE|TagName|"
		"Releasable To|GenericValue|FVEY|CreationDateTime|2026-11-22T09:59:50Z",
		"ATAK carrier units: the access string and everything in the 4774 label");

	r = cot(chat);
	CHECK(r == INSP_R_RELEASE, "GeoChat b-t-f parses (%s)", detail);
	CHECK(str_is(m.uid, "GeoChat.ANDROID-5a6f1c2e9b3d4e7f.All Chat Rooms."
			    "0f3c9a2e-8c1b-4d5e-9f00-1a2b3c4d5e6f"),
	      "GeoChat uid");
	CHECK(m.stale_ms == T_NOW_MS + 86400000 - 20000, "GeoChat stale next day");
	CHECK_STR(units_str(),
		  "2.0|GeoChat.ANDROID-5a6f1c2e9b3d4e7f.All Chat Rooms."
		  "0f3c9a2e-8c1b-4d5e-9f00-1a2b3c4d5e6f|b-t-f|2026-11-22T09:59:40Z|"
		  "2026-11-22T09:59:40Z|2026-11-23T09:59:40Z|h-g-i-g-o|"
		  "0.0|0.0|9999999.0|9999999.0|9999999.0|"
		  "RootContactGroup|false|0f3c9a2e-8c1b-4d5e-9f00-1a2b3c4d5e6f|All Chat Rooms|"
		  "All Chat Rooms|VIPER 2-1|ANDROID-5a6f1c2e9b3d4e7f|All Chat Rooms|All Chat Rooms|"
		  "ANDROID-5a6f1c2e9b3d4e7f|a-f-G-E-V-C|p-p|"
		  "BAO.F.ATAK.ANDROID-5a6f1c2e9b3d4e7f|All Chat Rooms|2026-11-22T09:59:40Z|"
		  "Rally at <grid> 31U ES 1234 5678 at 1200Z & hold|"
		  "192.168.1.23:4242:tcp:ANDROID-5a6f1c2e9b3d4e7f",
		  "GeoChat content units (remarks decoded, comment removed)");
	CHECK_STR(units_of_kind(INSP_UNIT_COMMENT), " edited ",
		  "GeoChat: the comment's text is a unit of its own (it crosses the boundary)");

	r = cot(mappoint);
	CHECK(r == INSP_R_RELEASE, "map point (detail before point, qos, opex) parses (%s)",
	      detail);
	CHECK(str_is(m.uid, "9405e320-9356-41c4-8449-f46990aa17f8"), "map point uid");
	CHECK(m.has_marking && !m.has_4774 && m.has_stale, "map point carriers");
	CHECK_STR(units_str(),
		  "2.0|9405e320-9356-41c4-8449-f46990aa17f8|b-m-p-s-m|2026-11-22T09:50:00Z|"
		  "2026-11-22T09:50:00Z|2027-11-22T09:50:00Z|h-g-i-g-o|2-i-c|e-EXERCISE|"
		  "true|ANDROID-5a6f1c2e9b3d4e7f|2026-11-22T09:50:00Z|a-f-G-E-V-C|VIPER 2-1|p-p|"
		  "R 1|-1|DTED0|COT_MAPPING_SPOTMAP/b-m-p-s-m/-1|"
		  "-33.8688|151.2093|25.5|9999999.0|9999999.0",
		  "map point scan units (qos and opex are units)");

	/* the minimal event */
	r = cot(ev(NULL, NULL, POINT));
	CHECK(r == INSP_R_RELEASE, "minimal event parses (%s)", detail);
	CHECK_STR(units_str(), BASE_UNITS "|" POINT_UNITS, "minimal event units");
	CHECK_STR(units_of_kind(INSP_UNIT_NAME),
		  "event|version|uid|type|time|start|stale|how|access|point|lat|lon|hae|ce|le",
		  "minimal event: element and attribute names are units");
	CHECK(m.stale_ms == T_NOW_MS + 300000 && m.has_stale, "minimal event stale 10:05Z");
	CHECK(m.err_offset == 0 && detail[0] == '\0', "no detail on success");
}

/* ---- carriers and scan units ---- */

static void
test_units(void)
{
	enum insp_reason r;

	r = cot(ev("access", "", POINT));
	CHECK(r == INSP_R_RELEASE && !m.has_marking, "access=\"\" counts as absent");
	CHECK_STR(units_str(), BASE_UNITS "|" POINT_UNITS, "empty access is not a content unit");
	r = cot(ev("access", NULL, POINT));
	CHECK(r == INSP_R_RELEASE && !m.has_marking && !m.has_4774, "no access: no carrier");
	r = cot(ev("access", "Undefined", POINT));
	CHECK(r == INSP_R_RELEASE && m.has_marking && str_is(m.marking, "Undefined"),
	      "access 'Undefined' is a (bad) marking, judged later, not here");
	CHECK_STR(units_str(), BASE_UNITS "|" POINT_UNITS, "access is never a content unit");
	r = cot(ev("access", "NATO&#32;SECRET", POINT));
	CHECK(r == INSP_R_RELEASE && str_is(m.marking, "NATO SECRET"), "access is decoded");

	r = cot(ev(NULL, NULL,
		   POINT "<detail note=\"d&#97;\"><remarks>oper&#97;tion <![CDATA[night]]>fall"
			 "</remarks><x a=\"1\" b=\"\"><y>deep<!-- c -->er</y></x>"
			 "<empty/>  \n  <ws>   </ws></detail>"));
	CHECK(r == INSP_R_RELEASE, "detail with text parses (%s)", detail);
	CHECK_STR(units_str(),
		  BASE_UNITS "|" POINT_UNITS "|da|operation nightfall|1|deeper|"
			     "operation nightfalldeeper  \\n     ",
		  "detail units: decoded text and attribute values, empty and blank ones "
		  "skipped; then <detail>'s string value (its two texts, and the blank ones)");

	r = cot(ev(NULL, NULL,
		   POINT "<detail><r>opera\xC2\xADtion\xE2\x80\x8B nightfall\xC2\xA0x"
			 "\xE2\x81\xA0y\xEF\xBB\xBF\xE2\x80\x8C\xE2\x80\x8Dz\xE3\x80\x80w</r>"
			 "<s v=\"a&#xAD;b&#x200B;c&#160;d\"/></detail>"));
	CHECK(r == INSP_R_RELEASE, "invisible characters parse (%s)", detail);
	CHECK_STR(units_str(), BASE_UNITS "|" POINT_UNITS "|operation nightfall xyz w|abc d",
		  "units: invisible characters deleted, Unicode spaces made ASCII");

	r = cot(ev(NULL, NULL,
		   POINT "<detail><remarks><![CDATA[<originatorConfidentialityLabel xmlns=\"" NS4774
			 "\"/>]]></remarks><!-- <originatorConfidentialityLabel/> --></detail>"));
	CHECK(r == INSP_R_RELEASE && !m.has_4774, "label in CDATA or a comment is not a label");
	CHECK_STR(units_str(),
		  BASE_UNITS "|" POINT_UNITS "|<originatorConfidentialityLabel xmlns=\"" NS4774
			     "\"/>",
		  "label-like CDATA is scanned as text");

	r = cot(ev("xmlns:t", "urn:tak", POINT));
	CHECK(r == INSP_R_RELEASE, "namespace declaration on <event> accepted (%s)", detail);
	CHECK_STR(units_str(), "urn:tak|" BASE_UNITS "|" POINT_UNITS,
		  "namespace URI on <event> is a unit");
	r = cot(ev(NULL, NULL,
		   POINT "<detail xmlns:t=\"urn:t\" k=\"v\"><t:x t:y=\"z\"/></detail>"));
	CHECK(r == INSP_R_RELEASE, "namespaced detail content accepted (%s)", detail);
	CHECK_STR(units_str(), BASE_UNITS "|" POINT_UNITS "|urn:t|v|z",
		  "detail attributes incl. namespace declarations are units");
	r = cot(ev("uid", "operation nightfall", POINT));
	CHECK(r == INSP_R_RELEASE && str_is(m.uid, "operation nightfall"), "uid with spaces");
	CHECK_STR(units_str(),
		  "2.0|operation nightfall|a-f-G-U-C|2026-11-22T09:59:00Z|2026-11-22T09:59:00Z|"
		  "2026-11-22T10:05:00Z|m-g|" POINT_UNITS,
		  "uid is a unit");
	r = cot(ev(NULL, NULL, POINT "<detail><r>line1\nline2\tx</r></detail>"));
	CHECK_STR(units_str(), BASE_UNITS "|" POINT_UNITS "|line1\\nline2\\tx",
		  "a text unit keeps its newlines");

	/* the label's content is not scanned, its neighbours are */
	r = cot(ev(NULL, NULL,
		   POINT "<detail><a v=\"1\"/><originatorConfidentialityLabel xmlns=\"" NS4774
			 "\"><ConfidentialityInformation><PolicyIdentifier>NATO</PolicyIdentifier>"
			 "<Classification>SECRET</Classification><PrivacyMark>secret words"
			 "</PrivacyMark></ConfidentialityInformation><CreationDateTime>"
			 "2026-11-22T09:59:00Z</CreationDateTime></originatorConfidentialityLabel>"
			 "<b v=\"2\"/></detail>"));
	CHECK(r == INSP_R_RELEASE && m.has_4774, "label with neighbours parses (%s)", detail);
	CHECK_STR(units_str(), BASE_UNITS "|" POINT_UNITS "|1|2",
		  "label content is not a content unit");
}

/* ---- the strict profile ---- */

static void
test_event_attrs(void)
{
	static const char *const required[] = {"version", "uid",   "type", "time",
					       "start",	  "stale", "how"};
	char want[128];

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		snprintf(want, sizeof(want), "cot: attribute '%s' missing", required[i]);
		expect_malformed(required[i], ev(required[i], NULL, POINT), want);
	}
	expect_malformed("unknown attribute", ev("foo", "x", POINT),
			 "cot: unknown attribute 'foo' on <event>");
	/* a prefixed copy of a known attribute is unknown */
	expect_malformed(
		"prefixed attribute",
		"<event xmlns:x=\"urn:x\" x:uid=\"U-1\" version=\"2.0\" uid=\"U-1\" "
		"type=\"a-f\" time=\"2026-11-22T09:59:00Z\" start=\"2026-11-22T09:59:00Z\" "
		"stale=\"2026-11-22T10:05:00Z\" how=\"m-g\">" POINT "</event>",
		"cot: unknown attribute 'uid' on <event>");
	expect_malformed("empty uid", ev("uid", "", POINT),
			 "cot: attribute 'uid' has an invalid value");

	static const char *const bad_type[] = {"",	  "a--f", "-a",	 "a-",
					       "a-f;x;y", "a f",  "a.f", "a-f-\xC3\xA9"};
	static const char *const good_type[] = {
		"a", "a-f-G-U-C", "b-t-f", "a-f-G;extra - text", "A_1-b2", "a-f;"};

	for (size_t i = 0; i < sizeof(bad_type) / sizeof(bad_type[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "type '%s'", bad_type[i]);
		expect_malformed(what, ev("type", bad_type[i], POINT),
				 "cot: attribute 'type' has an invalid value");
	}
	for (size_t i = 0; i < sizeof(good_type) / sizeof(good_type[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "type '%s'", good_type[i]);
		expect_ok(what, ev("type", good_type[i], POINT));
	}

	static const char *const bad_how[] = {"", "hh", "h-", "-h", "h--e", "h-ee", "h e", "h_e"};
	static const char *const good_how[] = {"h", "m-g", "h-g-i-g-o", "_", "1-2"};

	for (size_t i = 0; i < sizeof(bad_how) / sizeof(bad_how[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "how '%s'", bad_how[i]);
		expect_malformed(what, ev("how", bad_how[i], POINT),
				 "cot: attribute 'how' has an invalid value");
	}
	for (size_t i = 0; i < sizeof(good_how) / sizeof(good_how[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "how '%s'", good_how[i]);
		expect_ok(what, ev("how", good_how[i], POINT));
	}

	static const char *const bad_qos[] = {"",	"x-r-c",  "1-r", "1_r_c",
					      "12-r-c", "1-r-c-", "1--c"};

	for (size_t i = 0; i < sizeof(bad_qos) / sizeof(bad_qos[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "qos '%s'", bad_qos[i]);
		expect_malformed(what, ev("qos", bad_qos[i], POINT),
				 "cot: attribute 'qos' has an invalid value");
	}
	expect_ok("qos '1-r-c'", ev("qos", "1-r-c", POINT));
	expect_ok("qos '9-_-Z'", ev("qos", "9-_-Z", POINT));

	static const char *const bad_version[] = {"",	  "2.",	   ".0",  "v2",
						  "-2.0", "2.0.1", "2,0", " 2.0"};

	for (size_t i = 0; i < sizeof(bad_version) / sizeof(bad_version[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "version '%s'", bad_version[i]);
		expect_malformed(what, ev("version", bad_version[i], POINT),
				 "cot: attribute 'version' has an invalid value");
	}
	expect_ok("version '2'", ev("version", "2", POINT));
	expect_ok("version '10.25'", ev("version", "10.25", POINT));
	expect_ok("opex anything", ev("opex", "o-anything goes;here", POINT));
}

static void
test_times(void)
{
	static const char *const bad[] = {
		"2026-11-22T10:00:00",		   /* no zone */
		"2026-11-22T10:00:00.5",	   /* no zone */
		"2026-02-29T10:00:00Z",		   /* 2026 is not a leap year */
		"2100-02-29T10:00:00Z",		   /* neither is 2100 */
		"2026-13-01T10:00:00Z",		   /* month 13 */
		"2026-00-01T10:00:00Z",		   /* month 0 */
		"2026-11-31T10:00:00Z",		   /* 31 November */
		"2026-11-00T10:00:00Z",		   /* day 0 */
		"2026-11-22T24:00:00Z",		   /* 24:00 */
		"2026-11-22T10:60:00Z",		   /* minute 60 */
		"2026-11-22T10:00:60Z",		   /* leap second */
		"2026-11-22 10:00:00Z",		   /* space instead of T */
		"2026-11-22t10:00:00Z",		   /* lower-case t */
		"2026-11-22T10:00:00z",		   /* lower-case z */
		"2026-11-22T10:00:00+1:00",	   /* short offset */
		"2026-11-22T10:00:00+0100",	   /* offset without colon */
		"2026-11-22T10:00:00+15:00",	   /* offset beyond 14 h */
		"2026-11-22T10:00:00+14:01",	   /* offset beyond +14:00 by a minute */
		"2026-11-22T10:00:00-14:30",	   /* offset beyond -14:00 */
		"2026-11-22T10:00:00+01:60",	   /* offset minutes */
		"2026-11-22T10:00:00.Z",	   /* empty fraction */
		"2026-11-22T10:00:00.1234567890Z", /* 10 fraction digits */
		"2026-11-22T10:00:00ZZ",	   /* trailing */
		"2026-11-22T10:00:00Z ",	   /* trailing space */
		"26-11-22T10:00:00Z",		   /* two-digit year */
		"1969-12-31T23:59:59Z",		   /* before the epoch */
		"2026-1-22T10:00:00Z",		   /* one-digit month */
		"now",
		"",
	};
	char what[96];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(what, sizeof(what), "stale '%s'", bad[i]);
		expect_malformed(what, ev("stale", bad[i], POINT),
				 "cot: attribute 'stale' has an invalid value");
	}
	expect_malformed("time without zone", ev("time", "2026-11-22T10:00:00", POINT),
			 "cot: attribute 'time' has an invalid value");
	expect_malformed("start invalid date", ev("start", "2026-04-31T10:00:00Z", POINT),
			 "cot: attribute 'start' has an invalid value");

	static const struct {
		const char *s;
		int64_t ms;
	} good[] = {
		{"2026-11-22T10:00:00Z", T_NOW_MS},
		{"2026-11-22T11:00:00+01:00", T_NOW_MS},
		{"2026-11-22T05:00:00-05:00", T_NOW_MS},
		{"2026-11-22T15:30:00+05:30", T_NOW_MS},
		{"2026-11-23T00:00:00+14:00", T_NOW_MS}, /* Kiritimati: the largest offset */
		{"2026-11-21T20:00:00-14:00", T_NOW_MS},
		{"2026-11-22T10:00:00+00:00", T_NOW_MS},
		{"2026-11-22T10:00:00.5Z", T_NOW_MS + 500},
		{"2026-11-22T10:00:00.05Z", T_NOW_MS + 50},
		{"2026-11-22T10:00:00.123456789Z", T_NOW_MS + 123},
		{"2026-11-22T10:00:00.999+00:00", T_NOW_MS + 999},
		{"2028-02-29T10:00:00Z", INT64_C(1835431200000)},
		{"2000-02-29T00:00:00Z", INT64_C(951782400000)},
		{"1970-01-01T00:00:00Z", 0},
		{"1970-01-01T00:00:00+01:00", -3600000},
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		enum insp_reason r = cot(ev("stale", good[i].s, POINT));

		CHECK(r == INSP_R_RELEASE && m.has_stale && m.stale_ms == good[i].ms,
		      "stale '%s' = %lld ms (got %s, %lld)", good[i].s, (long long)good[i].ms,
		      insp_reason_name(r), (long long)m.stale_ms);
	}
}

static void
test_point(void)
{
	static const struct {
		const char *name, *value;
	} bad[] = {
		{"lat", "91"},
		{"lat", "-91"},
		{"lat", "90.0001"},
		{"lat", "-90.0001"},
		{"lon", "-181"},
		{"lon", "181"},
		{"lon", "180.5"},
		{"lat", "NaN"},
		{"lat", "nan"},
		{"lon", "inf"},
		{"hae", "Infinity"},
		{"hae", "1e999"},
		{"hae", "-1e999"},
		{"lat", "0x10"},
		{"lat", " 1"},
		{"lat", "1 "},
		{"lat", ""},
		{"lat", "1e"},
		{"lat", "--1"},
		{"lat", "1.2.3"},
		{"lat", "."},
		{"lat", "+"},
		{"lon", "1,5"},
		{"ce", "-1"},
		{"ce", "-0.001"},
		{"le", "-0.5"},
		{"ce", "NaN"},
		{"le", "inf"},
		{"lat", "\xC2\xA0"
			"1"},
	};
	char what[96], want[96];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(what, sizeof(what), "point %s='%s'", bad[i].name, bad[i].value);
		snprintf(want, sizeof(want), "cot: point attribute '%s' invalid or out of range",
			 bad[i].name);
		expect_malformed(what, ev(NULL, NULL, pt(bad[i].name, bad[i].value)), want);
	}

	static const struct {
		const char *name, *value;
	} good[] = {
		{"lat", "90"},	 {"lat", "-90"},   {"lon", "180"},     {"lon", "-180.0"},
		{"lat", "0"},	 {"lat", "+45.5"}, {"lat", "1e1"},     {"lat", "-0.0"},
		{"hae", "-420"}, {"hae", "1E+6"},  {"ce", "0"},	       {"le", "9999999.0"},
		{"lat", ".5"},	 {"lon", "5."},	   {"hae", "9999999"},
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(what, sizeof(what), "point %s='%s'", good[i].name, good[i].value);
		expect_ok(what, ev(NULL, NULL, pt(good[i].name, good[i].value)));
	}

	static const char *const names[] = {"lat", "lon", "hae", "ce", "le"};

	for (size_t i = 0; i < 5; i++) {
		snprintf(what, sizeof(what), "point without %s", names[i]);
		snprintf(want, sizeof(want), "cot: point attribute '%s' missing", names[i]);
		expect_malformed(what, ev(NULL, NULL, pt(names[i], NULL)), want);
	}
	expect_malformed("unknown point attribute", ev(NULL, NULL, pt("foo", "1")),
			 "cot: unknown attribute 'foo' on <point>");
	expect_malformed("namespace declaration on point", ev(NULL, NULL, pt("xmlns:x", "urn:x")),
			 "cot: namespace declaration on <point>");
	expect_malformed("two points", ev(NULL, NULL, POINT POINT), "cot: more than one <point>");
	expect_malformed("two points around detail", ev(NULL, NULL, POINT "<detail/>" POINT),
			 "cot: more than one <point>");
	expect_malformed("no point", ev(NULL, NULL, "<detail/>"),
			 "cot: <event> needs exactly one <point>");
	expect_malformed("empty event", ev(NULL, NULL, ""),
			 "cot: <event> needs exactly one <point>");
	expect_malformed("element in point",
			 ev(NULL, NULL,
			    "<point lat=\"1\" lon=\"1\" hae=\"1\" ce=\"1\" le=\"1\"><x/></point>"),
			 "cot: unexpected element <x>");
	expect_malformed(
		"text in point",
		ev(NULL, NULL, "<point lat=\"1\" lon=\"1\" hae=\"1\" ce=\"1\" le=\"1\">x</point>"),
		"cot: text in <point>");
	expect_ok(
		"point with blank content",
		ev(NULL, NULL, "<point lat=\"1\" lon=\"1\" hae=\"1\" ce=\"1\" le=\"1\"> </point>"));
}

static void
test_structure(void)
{
	char buf[TEST_MSG_MAX];
	size_t n;

	expect_malformed("two details", ev(NULL, NULL, POINT "<detail/><detail/>"),
			 "cot: more than one <detail>");
	expect_ok("detail before point", ev(NULL, NULL, "<detail/>" POINT));
	expect_malformed("unknown element in event", ev(NULL, NULL, POINT "<foo/>"),
			 "cot: unexpected element <foo> in <event>");
	expect_malformed(
		"label as a child of event",
		ev(NULL, NULL, POINT "<originatorConfidentialityLabel xmlns=\"" NS4774 "\"/>"),
		"cot: unexpected element <originatorConfidentialityLabel>");
	expect_malformed("namespaced point",
			 ev("xmlns:c", "urn:c",
			    "<c:point lat=\"1\" lon=\"1\" hae=\"1\" ce=\"1\" le=\"1\"/>"),
			 "cot: unexpected element <point>");
	expect_malformed("detail in a default namespace",
			 ev(NULL, NULL, POINT "<detail xmlns=\"urn:d\"/>"),
			 "cot: unexpected element <detail>");
	expect_malformed("text in event", ev(NULL, NULL, "hello" POINT), "cot: text in <event>");
	expect_malformed("text in event after point", ev(NULL, NULL, POINT "x"),
			 "cot: text in <event>");
	expect_malformed("CDATA text in event", ev(NULL, NULL, POINT "<![CDATA[x]]>"),
			 "cot: text in <event>");
	expect_malformed("reference text in event", ev(NULL, NULL, POINT "&#65;"),
			 "cot: text in <event>");
	expect_ok("blank text and comments in event",
		  ev(NULL, NULL, "\n  " POINT "\n<!-- c -->\t<detail/>\n"));
	expect_malformed("event in a default namespace", ev("xmlns", "urn:cot", POINT),
			 "cot: root element must be <event> in no namespace");
	expect_malformed("event with a prefix",
			 "<c:event xmlns:c=\"urn:cot\" version=\"2.0\" uid=\"U-1\" type=\"a-f\" "
			 "time=\"2026-11-22T09:59:00Z\" start=\"2026-11-22T09:59:00Z\" "
			 "stale=\"2026-11-22T10:05:00Z\" how=\"m-g\">" POINT "</c:event>",
			 "cot: root element must be <event> in no namespace");
	expect_malformed("root Event", "<Event/>",
			 "cot: root element must be <event> in no namespace");
	expect_malformed("root message", "<message><event/></message>",
			 "cot: root element must be <event> in no namespace");

	/* XML-level refusals come through with the parser's message */
	expect_malformed("bare event", "<event/><event/>", "cot: attribute 'version' missing");
	n = (size_t)snprintf(buf, sizeof(buf), "%s<event/>", ev(NULL, NULL, POINT));
	expect_malformed("second event after a valid one", buf, "cot: xml: second root element");
	expect_malformed("DOCTYPE",
			 "<!DOCTYPE event [<!ENTITY x \"operation nightfall\">]><event/>",
			 "cot: xml: DOCTYPE/markup declarations not allowed");
	expect_malformed("undefined entity", ev(NULL, NULL, POINT "<detail><r>&x;</r></detail>"),
			 "cot: xml: undefined entity reference (no DTD allowed)");
	expect_malformed("PI in detail", ev(NULL, NULL, POINT "<detail><?pi x?></detail>"),
			 "cot: xml: processing instruction not allowed");
	expect_malformed("duplicate attribute in detail",
			 ev(NULL, NULL, POINT "<detail><c a=\"1\" a=\"2\"/></detail>"),
			 "cot: xml: duplicate attribute 'a'");
	expect_malformed("duplicate attribute on event", ev("uid", "U-1\" uid=\"U-2", POINT),
			 "cot: xml: duplicate attribute 'uid'");
	expect_malformed("XML declaration with ISO-8859-1",
			 "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><event/>",
			 "cot: xml: encoding must be UTF-8");
	expect_malformed("BOM", "\xEF\xBB\xBF<event/>", "cot: xml: byte order mark not allowed");
	expect_malformed("unclosed event", "<event", "cot: xml: unterminated start tag");
	expect_malformed("empty message", "", "cot: xml: no root element");

	/* UTF-8: refused with the offset of the first bad byte */
	static const struct {
		const char *what, *body, *bad;
	} utf8[] = {
		{"overlong UTF-8", POINT "<detail><r>a\xC0\xAF</r></detail>", "\xC0"},
		{"UTF-16 surrogate in UTF-8", POINT "<detail><r>\xED\xA0\x80</r></detail>", "\xED"},
		{"Latin-1 byte", POINT "<detail><r>caf\xE9</r></detail>", "\xE9"},
		{"code point above U+10FFFF", POINT "<detail><r>\xF4\x90\x80\x80</r></detail>",
		 "\xF4"},
		{"U+FFFE", POINT "<detail><r>\xEF\xBF\xBE</r></detail>", "\xEF"},
		{"control character", POINT "<detail><r>\x01</r></detail>", "\x01"},
		{"truncated sequence", POINT "<detail><r>\xE2\x80</r></detail>", "\xE2"},
	};
	char want[96];

	for (size_t i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", ev(NULL, NULL, utf8[i].body));
		n = (size_t)(strstr(buf, utf8[i].bad) - buf);
		snprintf(want, sizeof(want),
			 "cot: invalid UTF-8 or non-XML character at offset %zu", n);
		expect_malformed(utf8[i].what, buf, want);
		CHECK(m.err_offset == n, "%s: err_offset %zu (got %u)", utf8[i].what, n,
		      m.err_offset);
	}
	expect_malformed("truncated UTF-8 at the end", "<event/>\xE2\x80",
			 "cot: invalid UTF-8 or non-XML character at offset 8");
	memcpy(buf, "<event/>\0", 9);
	CHECK(cot_n(buf, 9) == INSP_R_MALFORMED_MESSAGE &&
		      strcmp(detail, "cot: invalid UTF-8 or non-XML character at offset 8") == 0,
	      "NUL byte refused (%s)", detail);
}

static void
test_detail_limits(void)
{
	static char buf[TEST_MSG_MAX], body[TEST_MSG_MAX];
	size_t n;

	/* depth: <detail> children at relative depth 1 .. cot_max_depth */
	n = (size_t)snprintf(body, sizeof(body), "%s<detail>", POINT);
	for (int i = 0; i < 16; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "<d>");
	for (int i = 0; i < 16; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "</d>");
	snprintf(body + n, sizeof(body) - n, "</detail>");
	snprintf(buf, sizeof(buf), "%s", ev(NULL, NULL, body));
	expect_ok("detail depth 16", buf);
	n = (size_t)snprintf(body, sizeof(body), "%s<detail>", POINT);
	for (int i = 0; i < 17; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "<d>");
	for (int i = 0; i < 17; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "</d>");
	snprintf(body + n, sizeof(body) - n, "</detail>");
	snprintf(buf, sizeof(buf), "%s", ev(NULL, NULL, body));
	expect_malformed("detail depth 17", buf, "cot: <detail> nested deeper than 16");
	hand.cot_max_depth = 17;
	expect_ok("detail depth 17 with a policy bound of 17", buf);
	hand.cot_max_depth = 4;
	expect_malformed("detail depth 17 with a policy bound of 4", buf,
			 "cot: <detail> nested deeper than 4");
	hand.cot_max_depth = 16;

	/* element count */
	n = (size_t)snprintf(body, sizeof(body), "%s<detail>", POINT);
	for (int i = 0; i < 512; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "<e/>");
	snprintf(body + n, sizeof(body) - n, "</detail>");
	snprintf(buf, sizeof(buf), "%s", ev(NULL, NULL, body));
	expect_ok("detail with 512 elements", buf);
	n = (size_t)snprintf(body, sizeof(body), "%s<detail><a>", POINT);
	for (int i = 0; i < 510; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "<e/>");
	snprintf(body + n, sizeof(body) - n, "<b><c/></b></a></detail>");
	snprintf(buf, sizeof(buf), "%s", ev(NULL, NULL, body));
	expect_malformed("detail with 513 nested elements", buf,
			 "cot: <detail> has more than 512 elements");
	hand.cot_max_elems = 10;
	expect_malformed("policy bound of 10 elements", buf,
			 "cot: <detail> has more than 10 elements");
	hand.cot_max_elems = 512;

	/* the label's elements are elements below <detail> too */
	n = (size_t)snprintf(body, sizeof(body),
			     "%s<detail><originatorConfidentialityLabel xmlns=\"" NS4774 "\">"
			     "<ConfidentialityInformation><PolicyIdentifier>NATO</PolicyIdentifier>"
			     "<Classification>SECRET</Classification>",
			     POINT);
	for (int i = 0; i < 600; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      "<Category Type=\"INFORMATIVE\" TagName=\"Context\"/>");
	snprintf(body + n, sizeof(body) - n,
		 "</ConfidentialityInformation><CreationDateTime>2026-11-22T09:59:00Z"
		 "</CreationDateTime></originatorConfidentialityLabel></detail>");
	snprintf(buf, sizeof(buf), "%s", ev(NULL, NULL, body));
	expect_malformed("label with 600 Category elements exceeds the element bound", buf,
			 "cot: <detail> has more than 512 elements");
}

static void
test_labels(void)
{
	static char buf[TEST_MSG_MAX];
	enum insp_reason r;
#define LABEL(cls) L4774("NATO", cls, RELTO(GV("NATO")))
#define NOCDT                                                                               \
	"<originatorConfidentialityLabel xmlns=\"" NS4774 "\"><ConfidentialityInformation>" \
	"<PolicyIdentifier>NATO</PolicyIdentifier><Classification>SECRET</Classification>"  \
	"</ConfidentialityInformation></originatorConfidentialityLabel>"

	r = cot(ev("access", NULL, POINT "<detail>" LABEL("SECRET") "</detail>"));
	CHECK(r == INSP_R_RELEASE && m.has_4774 && !m.has_marking, "4774 only");
	CHECK(str_is(m.label.classification, "SECRET") && m.label.n_rel == 1 &&
		      str_is(m.label.rel[0], "NATO"),
	      "4774 only: label decoded");

	r = cot(ev(NULL, NULL, POINT "<detail>" LABEL("SECRET") LABEL("SECRET") "</detail>"));
	CHECK(r == INSP_R_BAD_LABEL, "two labels: bad_label (got %s)", insp_reason_name(r));
	CHECK_STR(detail, "label: more than one 4774 label", "two labels: detail");

	r = cot(ev(NULL, NULL, POINT "<detail><x>" LABEL("SECRET") "</x></detail>"));
	CHECK(r == INSP_R_BAD_LABEL, "nested label: bad_label (got %s)", insp_reason_name(r));
	CHECK_STR(detail, "label: 4774 label not a direct child of <detail>",
		  "nested label: detail");
	CHECK(m.has_4774, "nested label still counts as a label carrier");

	r = cot(ev(NULL, NULL, POINT "<detail>" NOCDT "</detail>"));
	CHECK(r == INSP_R_BAD_LABEL, "strict: label without CreationDateTime is bad_label");
	CHECK_STR(detail, "label: 4774 label needs exactly one CreationDateTime",
		  "strict: missing CreationDateTime detail");
	snprintf(buf, sizeof(buf), "%s", ev(NULL, NULL, POINT "<detail>" NOCDT "</detail>"));
	CHECK(m.err_offset == (uint32_t)(strstr(buf, "<originatorConf") - buf),
	      "bad label offset is the label root (%u)", m.err_offset);
	hand.strict_labels = 0;
	r = cot(ev(NULL, NULL, POINT "<detail>" NOCDT "</detail>"));
	CHECK(r == INSP_R_RELEASE && m.has_4774 && m.label.normalised,
	      "lenient: label without CreationDateTime accepted and normalised");
	r = cot(ev(NULL, NULL,
		   POINT "<detail><OriginatorConfidentialityLabel><ConfidentialityInformation>"
			 "<PolicyIdentifier>NATO</PolicyIdentifier><Classification>SECRET"
			 "</Classification></ConfidentialityInformation><CreationDateTime>"
			 "2026-11-22T09:59:00Z</CreationDateTime></OriginatorConfidentialityLabel>"
			 "</detail>"));
	CHECK(r == INSP_R_RELEASE && m.has_4774 && m.label.normalised,
	      "lenient: capitalised root without namespace accepted and normalised");
	hand.strict_labels = 1;
	CHECK(cot(ev(NULL, NULL, POINT "<detail><OriginatorConfidentialityLabel/></detail>")) ==
		      INSP_R_BAD_LABEL,
	      "strict: capitalised root is bad_label");

	/* parse errors win over label errors (decision order) */
	r = cot(ev(NULL, NULL, POINT "<detail>" NOCDT "</detail>text"));
	CHECK(r == INSP_R_MALFORMED_MESSAGE, "bad label then text in event: malformed (got %s)",
	      insp_reason_name(r));
	r = cot(ev(NULL, NULL, "<detail>" NOCDT "</detail>"));
	CHECK(r == INSP_R_MALFORMED_MESSAGE, "bad label and no point: malformed (got %s)",
	      insp_reason_name(r));
	r = cot(ev(NULL, NULL,
		   POINT "<detail>" LABEL("SECRET") LABEL("SECRET") "<a b=\"1\" b=\"2\"/>"
								    "</detail>"));
	CHECK(r == INSP_R_MALFORMED_MESSAGE, "two labels then a duplicate attribute: malformed");
	r = cot(ev(NULL, NULL, POINT "<detail>" LABEL("SECRET<x>") "</detail>"));
	CHECK(r == INSP_R_MALFORMED_MESSAGE && strstr(detail, "cot: xml: end tag") == detail,
	      "XML error inside a label: malformed (%s)", detail);
	r = cot(ev("stale", "bad", POINT "<detail>" NOCDT "</detail>"));
	CHECK(r == INSP_R_MALFORMED_MESSAGE, "bad stale and bad label: malformed");
}

static void
test_capacity(void)
{
	static char buf[TEST_MSG_MAX];
	struct insp_unit few[4];
	enum insp_reason r;

	/* a unit table that is too small fails closed as malformed */
	snprintf(buf, sizeof(buf), "%s",
		 ev(NULL, NULL, POINT "<detail><a v=\"1\"/><b v=\"2\"/></detail>"));
	m.units = few;
	m.units_cap = 4;
	r = cot(buf);
	CHECK(r == INSP_R_MALFORMED_MESSAGE && strcmp(detail, "cot: too much text") == 0,
	      "unit table full: malformed 'too much text' (got %s: %s)", insp_reason_name(r),
	      detail);
	m.units = test_msg_units;
	m.units_cap = TEST_MSG_UNITS;
	m.scan_cap = 20;
	r = cot(buf);
	CHECK(r == INSP_R_MALFORMED_MESSAGE && strcmp(detail, "cot: too much text") == 0,
	      "scan buffer full: malformed 'too much text'");
	m.scan_cap = TEST_MSG_SCAN;
	r = cot(buf);
	CHECK(r == INSP_R_RELEASE, "same message with room parses");

	/* every proper prefix of a valid message is refused, never released */
	size_t len = strlen(atak);
	int released = 0;

	for (size_t i = 0; i < len; i++)
		if (cot_n(atak, i) == INSP_R_RELEASE)
			released++;
	CHECK(released == 0, "no proper prefix of the ATAK event parses (%d did)", released);
	CHECK(cot_n(atak, len) == INSP_R_RELEASE, "the whole ATAK event parses");
}

int
main(void)
{
	test_msg_setup();
	test_realistic();
	test_units();
	test_event_attrs();
	test_times();
	test_point();
	test_structure();
	test_detail_limits();
	test_labels();
	test_capacity();
	return test_done();
}
