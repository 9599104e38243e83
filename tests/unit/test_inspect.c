/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The decision (insp_inspect.h, GUARD-SPEC 4.3-4.5) with the sample policy: one or more
 * messages per reason on channels cot-mn and cot-fvey, evasions of the prohibited-content
 * scan, near misses that must be released, and the order in which reasons win.
 * Then every sample message in tests/data/cot/{pass,drop} is decided on cot-mn; a file in
 * drop/ is named <reason>__<what>.xml and must get exactly that reason.
 *
 * Usage: test_inspect SAMPLE_POLICY
 *   SAMPLE_POLICY  rules/sample-policy.yaml; the message files are found relative to it,
 *                  in ../tests/data/cot.
 * Time is fixed: now = 2026-11-22T10:00:00Z.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_inspect.h"
#include "insp_policy.h"
#include "pc_policy.h"
#include "pc_policy.h"
#include "insp_reason.h"
#include "test.h"
#include "test_msg.h"

#define REM(t) "<remarks>" t "</remarks>"

#define MN_ALL	 "USA, GBR, FRA, DEU, POL, NLD, ITA, CAN"
#define S_NATO	 "NATO SECRET//REL TO NATO"
#define U_NATO	 "NATO UNCLASSIFIED//REL TO NATO"
#define S_FVEY	 "NATO SECRET//REL TO FVEY"
#define NOACCESS NULL

static int ch_mn = -1, ch_fvey = -1;

/* A CoT event around @p body (NULL: no <detail>). */
static const char *
event(const char *uid, const char *access, const char *stale, const char *body)
{
	static char buf[TEST_SCRATCH_MAX];
	size_t n = (size_t)snprintf(buf, sizeof(buf),
				    "<event version=\"2.0\" uid=\"%s\" type=\"a-f-G-U-C\" "
				    "time=\"2026-11-22T09:59:00Z\" start=\"2026-11-22T09:59:00Z\" "
				    "stale=\"%s\" how=\"m-g\"",
				    uid, stale);

	if (access != NULL)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " access=\"%s\"", access);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			      "><point lat=\"50.0\" lon=\"4.0\" hae=\"100\" ce=\"10\" le=\"10\"/>");
	if (body != NULL)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<detail>%s</detail>", body);
	snprintf(buf + n, sizeof(buf) - n, "</event>");
	return buf;
}

static enum insp_reason
decide_doc(int ch, const char *doc)
{
	memset(&res, 0x5A, sizeof(res));
	return insp_inspect(pol, scr, (uint32_t)ch, (const uint8_t *)doc, strlen(doc), T_NOW_MS,
			    &res);
}

/*
 * Decide one message and check the reason, the rule (content reasons: @p rule; others 0),
 * and that a drop says why while a release says nothing.
 */
static void
expect_doc(const char *what, int ch, const char *doc, enum insp_reason want, uint32_t rule)
{
	enum insp_reason r = decide_doc(ch, doc);
	int content = want == INSP_R_MARKING_INCONSISTENT || want == INSP_R_PROHIBITED_CONTENT;

	CHECK(r == want && res.reason == r, "%s: %s", what, insp_reason_name(want));
	if (r != want)
		printf("#   got %s (%s)\n", insp_reason_name(r), res.detail);
	if (content)
		CHECK(res.rule_id == rule, "%s: rule %u (got %u)", what, rule, res.rule_id);
	else if (r == want)
		CHECK(res.rule_id == 0, "%s: no rule (got %u)", what, res.rule_id);
	if (want == INSP_R_RELEASE)
		CHECK(res.detail[0] == '\0', "%s: release has no detail (got '%s')", what,
		      res.detail);
	else
		CHECK(res.detail[0] != '\0' && strlen(res.detail) < sizeof(res.detail),
		      "%s: drop has a detail ('%s')", what, res.detail);
}

static void
expect(const char *what, int ch, const char *access, const char *body, enum insp_reason want,
       uint32_t rule)
{
	expect_doc(what, ch, event("T-1", access, "2026-11-22T10:05:00Z", body), want, rule);
}

static void
test_release(void)
{
	expect("marking only, full MN list", ch_mn, "NATO SECRET//REL TO " MN_ALL, NULL,
	       INSP_R_RELEASE, 0);
	CHECK(res.level == INSP_LEVEL_SECRET, "release: level SECRET (got %u)", res.level);
	CHECK(strcmp(res.uid, "T-1") == 0 && res.offset == 0, "release: uid T-1, offset 0");
	expect("marking only, list in another order", ch_mn,
	       "NATO SECRET//REL TO CAN, ITA, NLD, POL, DEU, FRA, GBR, USA", NULL, INSP_R_RELEASE,
	       0);
	expect("marking REL TO NATO", ch_mn, S_NATO, NULL, INSP_R_RELEASE, 0);
	expect("marking REL TO NATO, FVEY", ch_mn, "NATO SECRET//REL TO NATO, FVEY", NULL,
	       INSP_R_RELEASE, 0);
	expect("marking REL TO an unknown code and NATO", ch_mn, "NATO SECRET//REL TO XYZ, NATO",
	       NULL, INSP_R_RELEASE, 0);
	expect("4774 only", ch_mn, NOACCESS, L4774("NATO", "SECRET", RELTO(GV("NATO"))),
	       INSP_R_RELEASE, 0);
	CHECK(res.level == INSP_LEVEL_SECRET, "4774 only: level SECRET");
	expect("4774 only, access empty", ch_mn, "", L4774("NATO", "RESTRICTED", RELTO(GV("NATO"))),
	       INSP_R_RELEASE, 0);
	CHECK(res.level == INSP_LEVEL_RESTRICTED, "4774 RESTRICTED: level RESTRICTED");
	expect("both carriers agree", ch_mn, "NATO CONFIDENTIAL//REL TO NATO, FVEY",
	       L4774("NATO", "CONFIDENTIAL", RELTO(GV("FVEY") GV("NATO"))), INSP_R_RELEASE, 0);
	expect("both agree, 4774 in another case", ch_mn, S_NATO,
	       L4774("NATO", "Secret", RELTO(GV("nato"))), INSP_R_RELEASE, 0);
	expect("both agree, 4774 lists a code twice", ch_mn, S_NATO,
	       L4774("NATO", "SECRET", RELTO(GV("NATO") GV("NATO"))), INSP_R_RELEASE, 0);
	expect("4774 label with whitespace in the classification", ch_mn, NOACCESS,
	       L4774("NATO", " COSMIC\n TOP SECRET ", RELTO(GV("NATO"))), INSP_R_OVER_CLASSIFIED,
	       0);
	expect("cot-fvey: REL TO FVEY", ch_fvey, S_FVEY, NULL, INSP_R_RELEASE, 0);
	expect("cot-fvey: REL TO the five nations", ch_fvey,
	       "NATO SECRET//REL TO AUS, CAN, GBR, NZL, USA", NULL, INSP_R_RELEASE, 0);
	expect("cot-fvey: RESTRICTIVE AUSCANNZUKUS held", ch_fvey, S_FVEY,
	       L4774("NATO", "SECRET", RELTO(GV("FVEY")) RESTR("AUSCANNZUKUS")), INSP_R_RELEASE, 0);
	expect("cot-fvey: RESTRICTIVE value in lower case", ch_fvey, NOACCESS,
	       L4774("NATO", "SECRET", RELTO(GV("FVEY")) RESTR("auscannzukus")), INSP_R_RELEASE, 0);
	expect("national marking GBR OFFICIAL-SENSITIVE", ch_mn,
	       "GBR OFFICIAL-SENSITIVE//REL TO NATO", NULL, INSP_R_RELEASE, 0);
	CHECK(res.level == INSP_LEVEL_RESTRICTED, "GBR OFFICIAL-SENSITIVE is RESTRICTED");
	expect("national marking DEU VS-NUR FUER DEN DIENSTGEBRAUCH", ch_mn,
	       "DEU VS-NUR FUER DEN DIENSTGEBRAUCH//REL TO NATO", NULL, INSP_R_RELEASE, 0);
	expect("national 4774 label USA CONFIDENTIAL", ch_fvey, NOACCESS,
	       L4774("USA", "CONFIDENTIAL", RELTO(GV("FVEY"))), INSP_R_RELEASE, 0);
	expect("IPv6 channel, same destination", test_channel(pol, "cot-mn-v6"), S_NATO, NULL,
	       INSP_R_RELEASE, 0);

	/* content that must not trip anything */
	expect("content marking at the label's level", ch_mn, S_NATO,
	       REM("Classified NATO SECRET, handle accordingly"), INSP_R_RELEASE, 0);
	expect("content marking below the label", ch_mn, S_NATO,
	       REM("was NATO RESTRICTED, upgraded"), INSP_R_RELEASE, 0);
	expect("'NATO SECRETARY' is not a marking", ch_mn, U_NATO,
	       REM("Meeting with the NATO SECRETARY general"), INSP_R_RELEASE, 0);
	expect("FVEY EYES ONLY to FVEY", ch_fvey, S_FVEY, REM("FVEY EYES ONLY"), INSP_R_RELEASE, 0);
	expect("near miss: 'nightfalls'", ch_mn, U_NATO, REM("operation nightfalls"),
	       INSP_R_RELEASE, 0);
	expect("near miss: 'operation-nightfall'", ch_mn, U_NATO, REM("operation-nightfall"),
	       INSP_R_RELEASE, 0);
	expect("near miss: 'operationnightfall'", ch_mn, U_NATO, REM("operationnightfall"),
	       INSP_R_RELEASE, 0);
	expect("near miss: 'cooperation nightfall'", ch_mn, U_NATO, REM("cooperation nightfall"),
	       INSP_R_RELEASE, 0);
	expect("near miss: 'blue_sentinel' ('_' is a word character)", ch_mn, U_NATO,
	       REM("blue_sentinel"), INSP_R_RELEASE, 0);
	expect("near miss: term split across two attributes", ch_mn, U_NATO,
	       "<x a=\"operation\" b=\"nightfall\"/>", INSP_R_RELEASE, 0);
	expect("near miss: term split across two elements", ch_mn, U_NATO,
	       REM("operation") REM("nightfall"), INSP_R_RELEASE, 0);
	/* mixed content reads as one text: the element's string value is scanned too */
	expect("term split by an inline element (mixed content)", ch_mn, U_NATO,
	       REM("operation <b>nightfall</b>"), INSP_R_PROHIBITED_CONTENT, 1001);
	expect("near miss: term split across attribute and text", ch_mn, U_NATO,
	       "<r a=\"operation\">nightfall</r>", INSP_R_RELEASE, 0);
	expect("near miss: TK number too long", ch_mn, U_NATO, REM("TK-1234-ABC"), INSP_R_RELEASE,
	       0);
	expect("near miss: TK number glued to a word", ch_mn, U_NATO, REM("XTK-1234-AB"),
	       INSP_R_RELEASE, 0);
	expect("near miss: keymat with 7 hex digits", ch_mn, U_NATO, REM("keymat 0123abc"),
	       INSP_R_RELEASE, 0);
	/* the label crosses the boundary too: the raw-byte scan sees a marking inside it */
	expect("a marking in the 4774 PrivacyMark above the label", ch_mn, NOACCESS,
	       L4774("NATO", "UNCLASSIFIED",
		     "<PrivacyMark>see the NATO SECRET annex</PrivacyMark>" RELTO(GV("NATO"))),
	       INSP_R_MARKING_INCONSISTENT, 2003);
	expect("label-like CDATA is not a label (no conflict)", ch_mn, S_NATO,
	       REM("<![CDATA[" L4774("NATO", "CONFIDENTIAL", RELTO(GV("NATO"))) "]]>"),
	       INSP_R_RELEASE, 0);
}

static void
test_label_reasons(void)
{
	expect("no carrier", ch_mn, NOACCESS, REM("hello"), INSP_R_UNLABELLED, 0);
	expect("access=\"\" and no label", ch_mn, "", NULL, INSP_R_UNLABELLED, 0);
	expect("label-like CDATA is scanned as text", ch_mn, S_NATO,
	       REM("<![CDATA[" L4774("NATO", "COSMIC TOP SECRET", "") "]]>"),
	       INSP_R_MARKING_INCONSISTENT, 2004);
	expect("label only in CDATA", ch_mn, NOACCESS,
	       REM("<![CDATA[" L4774("NATO", "SECRET", RELTO(GV("NATO"))) "]]>"), INSP_R_UNLABELLED,
	       0);
	expect("label only in a comment", ch_mn, NOACCESS,
	       "<!--" L4774("NATO", "SECRET", RELTO(GV("NATO"))) "-->", INSP_R_UNLABELLED, 0);

	expect("ATAK default 'Undefined'", ch_mn, "Undefined", NULL, INSP_R_BAD_LABEL, 0);
	expect("double space", ch_mn, "NATO  SECRET//REL TO NATO", NULL, INSP_R_BAD_LABEL, 0);
	expect("RELTO", ch_mn, "NATO SECRET//RELTO NATO", NULL, INSP_R_BAD_LABEL, 0);
	expect("bare UNCLASSIFIED", ch_mn, "UNCLASSIFIED", NULL, INSP_R_BAD_LABEL, 0);
	expect("trailing comma", ch_mn, "NATO SECRET//REL TO NATO,", NULL, INSP_R_BAD_LABEL, 0);
	expect("lower-case code", ch_mn, "NATO SECRET//REL TO nato", NULL, INSP_R_BAD_LABEL, 0);
	expect("unknown policy", ch_mn, "XYZ SECRET//REL TO NATO", NULL, INSP_R_BAD_LABEL, 0);
	CHECK(strstr(res.detail, "XYZ") != NULL, "unknown policy: detail names it (%s)",
	      res.detail);
	expect("unknown classification", ch_mn, "NATO SUPER SECRET//REL TO NATO", NULL,
	       INSP_R_BAD_LABEL, 0);
	expect("marking classification in the wrong case", ch_mn, "NATO Secret//REL TO NATO", NULL,
	       INSP_R_BAD_LABEL, 0);
	expect("national name under the wrong policy", ch_mn, "NATO OFFICIAL//REL TO NATO", NULL,
	       INSP_R_BAD_LABEL, 0);
	expect("two 4774 labels", ch_mn, NOACCESS,
	       L4774("NATO", "SECRET", RELTO(GV("NATO")))
		       L4774("NATO", "SECRET", RELTO(GV("NATO"))),
	       INSP_R_BAD_LABEL, 0);
	expect("4774 label nested below a child of detail", ch_mn, NOACCESS,
	       "<wrap>" L4774("NATO", "SECRET", RELTO(GV("NATO"))) "</wrap>", INSP_R_BAD_LABEL, 0);
	expect("4774 unknown policy", ch_mn, NOACCESS, L4774("ZZZ", "SECRET", RELTO(GV("NATO"))),
	       INSP_R_BAD_LABEL, 0);
	expect("4774 unknown classification", ch_mn, NOACCESS,
	       L4774("NATO", "SECRETS", RELTO(GV("NATO"))), INSP_R_BAD_LABEL, 0);
	expect("4774 national name in the wrong case (exact outside NATO)", ch_mn, NOACCESS,
	       L4774("GBR", "official", RELTO(GV("NATO"))), INSP_R_BAD_LABEL, 0);
	expect("4774 without CreationDateTime (strict policy)", ch_mn, NOACCESS,
	       "<originatorConfidentialityLabel xmlns=\"" NS4774 "\"><ConfidentialityInformation>"
	       "<PolicyIdentifier>NATO</PolicyIdentifier><Classification>SECRET</"
	       "Classification>" RELTO(
		       GV("NATO")) "</ConfidentialityInformation></originatorConfidentialityLabel>",
	       INSP_R_BAD_LABEL, 0);
	expect("good marking, bad 4774 label", ch_mn, S_NATO,
	       L4774("NATO", "SECRETS", RELTO(GV("NATO"))), INSP_R_BAD_LABEL, 0);

	expect("classification differs", ch_mn, S_NATO,
	       L4774("NATO", "CONFIDENTIAL", RELTO(GV("NATO"))), INSP_R_LABEL_CONFLICT, 0);
	expect("REL TO set differs", ch_mn, S_NATO,
	       L4774("NATO", "SECRET", RELTO(GV("NATO") GV("FVEY"))), INSP_R_LABEL_CONFLICT, 0);
	expect("REL TO set differs (subset the other way)", ch_mn, "NATO SECRET//REL TO NATO, FVEY",
	       L4774("NATO", "SECRET", RELTO(GV("NATO"))), INSP_R_LABEL_CONFLICT, 0);
	expect("REL TO as written, not expanded (FVEY+NATO vs the nations)", ch_mn,
	       "NATO SECRET//REL TO " MN_ALL, L4774("NATO", "SECRET", RELTO(GV("NATO"))),
	       INSP_R_LABEL_CONFLICT, 0);
	expect("4774 without Releasable To, marking with", ch_mn, S_NATO,
	       L4774("NATO", "SECRET", ""), INSP_R_LABEL_CONFLICT, 0);
	expect("policy differs", ch_mn, "GBR SECRET//REL TO NATO",
	       L4774("NATO", "SECRET", RELTO(GV("NATO"))), INSP_R_LABEL_CONFLICT, 0);

	expect("COSMIC TOP SECRET to MN", ch_mn, "NATO COSMIC TOP SECRET//REL TO NATO", NULL,
	       INSP_R_OVER_CLASSIFIED, 0);
	CHECK(res.level == INSP_LEVEL_TOP_SECRET, "over_classified: level TOP SECRET");
	expect("4774 'cosmic top secret' in lower case is still recognised", ch_mn, NOACCESS,
	       L4774("NATO", "cosmic top secret", RELTO(GV("NATO"))), INSP_R_OVER_CLASSIFIED, 0);
	expect("GBR TOP SECRET to MN", ch_mn, "GBR TOP SECRET//REL TO NATO", NULL,
	       INSP_R_OVER_CLASSIFIED, 0);
	expect("DEU STRENG GEHEIM to MN", ch_mn, "DEU STRENG GEHEIM//REL TO NATO", NULL,
	       INSP_R_OVER_CLASSIFIED, 0);
	expect("USA TOP SECRET to FVEY", ch_fvey, "USA TOP SECRET//REL TO FVEY", NULL,
	       INSP_R_OVER_CLASSIFIED, 0);

	expect("FRA missing for MN", ch_mn, "NATO SECRET//REL TO USA, GBR, DEU, POL, NLD, ITA, CAN",
	       NULL, INSP_R_NOT_RELEASABLE, 0);
	CHECK(strstr(res.detail, "FRA") != NULL, "FRA missing: detail names FRA (%s)", res.detail);
	expect("no REL TO", ch_mn, "NATO SECRET", NULL, INSP_R_NOT_RELEASABLE, 0);
	expect("no REL TO, UNCLASSIFIED", ch_mn, "NATO UNCLASSIFIED", NULL, INSP_R_NOT_RELEASABLE,
	       0);
	expect("4774 without Releasable To", ch_mn, NOACCESS, L4774("NATO", "SECRET", ""),
	       INSP_R_NOT_RELEASABLE, 0);
	expect("REL TO FVEY to MN", ch_mn, S_FVEY, NULL, INSP_R_NOT_RELEASABLE, 0);
	expect("REL TO NATO to FVEY (AUS, NZL missing)", ch_fvey, S_NATO, NULL,
	       INSP_R_NOT_RELEASABLE, 0);
	expect("REL TO an unknown code only", ch_mn, "NATO SECRET//REL TO XYZ", NULL,
	       INSP_R_NOT_RELEASABLE, 0);
	expect("RESTRICTIVE ATOMAL to MN", ch_mn, NOACCESS,
	       L4774("NATO", "SECRET", RELTO(GV("NATO")) RESTR("ATOMAL")), INSP_R_NOT_RELEASABLE,
	       0);
	CHECK(strstr(res.detail, "ATOMAL") != NULL, "ATOMAL: detail names it (%s)", res.detail);
	expect("RESTRICTIVE ATOMAL to FVEY", ch_fvey, NOACCESS,
	       L4774("NATO", "SECRET", RELTO(GV("FVEY")) RESTR("ATOMAL")), INSP_R_NOT_RELEASABLE,
	       0);
	expect("RESTRICTIVE AUSCANNZUKUS to MN", ch_mn, NOACCESS,
	       L4774("NATO", "SECRET", RELTO(GV("NATO")) RESTR("AUSCANNZUKUS")),
	       INSP_R_NOT_RELEASABLE, 0);
}

/* A content decision points at the unit that holds the match (guardctl's OFFSET). */
static void
test_offsets(void)
{
	static char doc[2048];
	const char *at;

	snprintf(doc, sizeof(doc), "%s",
		 event("T-1", U_NATO, "2026-11-22T10:05:00Z",
		       "<contact callsign=\"VIPER\"/><remarks>plan: blue sentinel</remarks>"));
	decide_doc(ch_mn, doc);
	at = strstr(doc, ">plan: blue");
	CHECK(res.reason == INSP_R_PROHIBITED_CONTENT && at != NULL &&
		      res.offset == (uint32_t)(at + 1 - doc),
	      "term in a text node: offset %u is where the text starts (%td)", res.offset,
	      at != NULL ? at + 1 - doc : -1);
	snprintf(doc, sizeof(doc), "%s",
		 event("T-1", U_NATO, "2026-11-22T10:05:00Z", "<contact callsign=\"NOFORN\"/>"));
	decide_doc(ch_mn, doc);
	at = strstr(doc, "callsign=");
	CHECK(res.reason == INSP_R_MARKING_INCONSISTENT && at != NULL &&
		      res.offset == (uint32_t)(at - doc),
	      "caveat in an attribute: offset %u is the attribute's (%td)", res.offset,
	      at != NULL ? at - doc : -1);
}

/* allow_bidi (policy.md): refused by default; where allowed, the display order is scanned. */
static void
test_bidi_channel(void)
{
	const char *rlo = REM("\xe2\x80\xaelenitnes eulb\xe2\x80\xac at the ford");

	expect("RLO on a channel without allow_bidi", ch_mn, U_NATO, rlo, INSP_R_MALFORMED_MESSAGE,
	       0);
	CHECK(strstr(res.detail, "U+202E not allowed on this channel") != NULL,
	      "detail names the control (got '%s')", res.detail);
	pol->channels[ch_mn].allow_bidi = 1;
	expect("RLO reversing term 1002, allow_bidi: the display order is scanned", ch_mn, U_NATO,
	       rlo, INSP_R_PROHIBITED_CONTENT, 1002);
	expect("allow_bidi: Hebrew in an isolate is released", ch_mn, U_NATO,
	       REM("see \xe2\x81\xa7\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\xe2\x81\xa9 now"),
	       INSP_R_RELEASE, 0);
	expect("allow_bidi: an override does not hide NOFORN", ch_mn, U_NATO,
	       REM("\xe2\x80\xaeNROFON\xe2\x80\xac"), INSP_R_MARKING_INCONSISTENT, 2101);
	pol->channels[ch_mn].allow_bidi = 0;
}

static void
test_content(void)
{
	expect("NATO SECRET in content, CONFIDENTIAL label", ch_mn,
	       "NATO CONFIDENTIAL//REL TO NATO", REM("this is NATO SECRET material"),
	       INSP_R_MARKING_INCONSISTENT, 2003);
	expect("nato secret in lower case in content", ch_mn, "NATO CONFIDENTIAL//REL TO NATO",
	       REM("nato   secret"), INSP_R_MARKING_INCONSISTENT, 2003);
	expect("NATO SECRET with NBSP in content", ch_mn, "NATO CONFIDENTIAL//REL TO NATO",
	       REM("NATO\xC2\xA0SECRET"), INSP_R_MARKING_INCONSISTENT, 2003);
	expect("NATO SECRET followed by punctuation", ch_mn, U_NATO, REM("(NATO SECRET)"),
	       INSP_R_MARKING_INCONSISTENT, 2003);
	expect("COSMIC TOP SECRET in a SECRET message", ch_mn, S_NATO,
	       "<x note=\"COSMIC TOP SECRET\"/>", INSP_R_MARKING_INCONSISTENT, 2004);
	expect("UK SECRET in an UNCLASSIFIED message", ch_mn, U_NATO, REM("UK SECRET"),
	       INSP_R_MARKING_INCONSISTENT, 2012);
	expect("NOFORN to MN", ch_mn, U_NATO, REM("NOFORN"), INSP_R_MARKING_INCONSISTENT, 2101);
	expect("NOFORN to FVEY", ch_fvey, S_FVEY, REM("SECRET//NOFORN"),
	       INSP_R_MARKING_INCONSISTENT, 2101);
	expect("UK EYES ONLY to FVEY", ch_fvey, S_FVEY, REM("UK EYES ONLY"),
	       INSP_R_MARKING_INCONSISTENT, 2102);
	expect("FVEY EYES ONLY to MN", ch_mn, S_NATO, REM("FVEY EYES ONLY"),
	       INSP_R_MARKING_INCONSISTENT, 2105);
	expect_doc("marking in the uid", ch_mn,
		   event("NOFORN-1", U_NATO, "2026-11-22T10:05:00Z", NULL),
		   INSP_R_MARKING_INCONSISTENT, 2101);

	/* prohibited terms and the evasions of GUARD-SPEC 4.4 */
	expect("literal", ch_mn, U_NATO, REM("Plan for operation nightfall approved"),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	expect("varied case and whitespace", ch_mn, U_NATO, REM("OPERATION \t\n  NightFall"),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	expect("followed by punctuation", ch_mn, U_NATO, REM("operation nightfall."),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	expect("hyphenated suffix", ch_mn, U_NATO, REM("operation nightfall-2"),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	expect("in parentheses", ch_mn, U_NATO, REM("(operation nightfall)"),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	expect("character reference &#97;", ch_mn, U_NATO, REM("project &#97;urora"),
	       INSP_R_PROHIBITED_CONTENT, 1003);
	expect("hex character references", ch_mn, U_NATO, REM("&#x70;roject&#x20;aurora"),
	       INSP_R_PROHIBITED_CONTENT, 1003);
	expect("comment splitting a word", ch_mn, U_NATO, REM("oper<!---->ation nightfall"),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	expect("comment between the words", ch_mn, U_NATO, REM("operation<!-- x --> nightfall"),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	expect("CDATA", ch_mn, U_NATO, REM("<![CDATA[blue sentinel]]>"), INSP_R_PROHIBITED_CONTENT,
	       1002);
	expect("CDATA splitting a word", ch_mn, U_NATO, REM("blue <![CDATA[sent]]>inel"),
	       INSP_R_PROHIBITED_CONTENT, 1002);
	expect("soft hyphen U+00AD inside a word", ch_mn, U_NATO, REM("safe ho\xC2\xADuse"),
	       INSP_R_PROHIBITED_CONTENT, 1014);
	expect("soft hyphen as &#xAD;", ch_mn, U_NATO, REM("safe ho&#xAD;use"),
	       INSP_R_PROHIBITED_CONTENT, 1014);
	expect("zero-width space inside a word", ch_mn, U_NATO, REM("black led\xE2\x80\x8Bger"),
	       INSP_R_PROHIBITED_CONTENT, 1015);
	expect("ZWNJ, ZWJ, word joiner, BOM inside words", ch_mn, U_NATO,
	       REM("hu\xE2\x80\x8Cman so\xE2\x80\x8Dur\xE2\x81\xA0"
		   "c\xEF\xBB\xBF"
		   "e"),
	       INSP_R_PROHIBITED_CONTENT, 1008);
	expect("zero-width space as &#x200B;", ch_mn, U_NATO, REM("cover na&#x200B;me"),
	       INSP_R_PROHIBITED_CONTENT, 1013);
	expect("NBSP between the words", ch_mn, U_NATO, REM("red\xC2\xA0meridian"),
	       INSP_R_PROHIBITED_CONTENT, 1016);
	expect("NBSP as &#160;", ch_mn, U_NATO, REM("red&#160;meridian"), INSP_R_PROHIBITED_CONTENT,
	       1016);
	expect("ideographic space U+3000 between the words", ch_mn, U_NATO,
	       REM("silent\xE3\x80\x80harbour"), INSP_R_PROHIBITED_CONTENT, 1018);
	expect("em space U+2003 between the words", ch_mn, U_NATO,
	       REM("glass\xE2\x80\x83"
		   "falcon"),
	       INSP_R_PROHIBITED_CONTENT, 1019);
	expect("term in an attribute value", ch_mn, U_NATO, "<contact callsign=\"Glass Falcon\"/>",
	       INSP_R_PROHIBITED_CONTENT, 1019);
	expect("term in a namespace URI", ch_mn, U_NATO, "<x xmlns:p=\"urn:deep current\"/>",
	       INSP_R_PROHIBITED_CONTENT, 1020);
	expect_doc("term in the uid", ch_mn,
		   event("deep current 7", U_NATO, "2026-11-22T10:05:00Z", NULL),
		   INSP_R_PROHIBITED_CONTENT, 1020);
	CHECK(strcmp(res.uid, "deep current 7") == 0, "uid reported with the drop (%s)", res.uid);
	expect_doc("term in the type suffix", ch_mn,
		   "<event version=\"2.0\" uid=\"T-1\" type=\"a-f-G;frequency plan\" "
		   "time=\"2026-11-22T09:59:00Z\" start=\"2026-11-22T09:59:00Z\" "
		   "stale=\"2026-11-22T10:05:00Z\" how=\"m-g\" access=\"" U_NATO "\">"
		   "<point lat=\"1\" lon=\"1\" hae=\"1\" ce=\"1\" le=\"1\"/></event>",
		   INSP_R_PROHIBITED_CONTENT, 1010);
	expect_doc("term in opex", ch_mn,
		   "<event version=\"2.0\" uid=\"T-1\" type=\"a-f\" opex=\"e-exercise iron veil\" "
		   "time=\"2026-11-22T09:59:00Z\" start=\"2026-11-22T09:59:00Z\" "
		   "stale=\"2026-11-22T10:05:00Z\" how=\"m-g\" access=\"" U_NATO "\">"
		   "<point lat=\"1\" lon=\"1\" hae=\"1\" ce=\"1\" le=\"1\"/></event>",
		   INSP_R_PROHIBITED_CONTENT, 1006);
	expect("regex term TK number", ch_mn, U_NATO, REM("ref TK-1234-AB."),
	       INSP_R_PROHIBITED_CONTENT, 1101);
	expect("regex term TK number in lower case", ch_mn, U_NATO, REM("tk-1234-ab"),
	       INSP_R_PROHIBITED_CONTENT, 1101);
	expect("regex term keymat", ch_mn, U_NATO, REM("KEYMAT\n0123456789abcdef"),
	       INSP_R_PROHIBITED_CONTENT, 1102);
	expect("two terms: the first in policy order wins", ch_mn, U_NATO,
	       REM("agent cobalt") REM("blue sentinel"), INSP_R_PROHIBITED_CONTENT, 1002);
	expect("term at the start of a later unit", ch_mn, U_NATO,
	       "<a v=\"x\"/>" REM("special access program"), INSP_R_PROHIBITED_CONTENT, 1012);
	expect("term in a deep element", ch_mn, U_NATO,
	       "<a><b><c><d><e>nuclear release</e></d></c></b></a>", INSP_R_PROHIBITED_CONTENT,
	       1011);

	/* validity */
	expect_doc("stale 2 minutes ago (skew 60 s)", ch_mn,
		   event("T-1", U_NATO, "2026-11-22T09:58:00Z", NULL), INSP_R_STALE, 0);
	expect_doc("stale 1 ms beyond the skew", ch_mn,
		   event("T-1", U_NATO, "2026-11-22T09:58:59.999Z", NULL), INSP_R_STALE, 0);
	expect_doc("stale with a UTC offset (10:58+01:00 = 09:58Z)", ch_mn,
		   event("T-1", U_NATO, "2026-11-22T10:58:00+01:00", NULL), INSP_R_STALE, 0);
	expect_doc("stale last year", ch_mn, event("T-1", U_NATO, "2025-11-22T10:00:00Z", NULL),
		   INSP_R_STALE, 0);
	expect_doc("stale exactly at the skew: released", ch_mn,
		   event("T-1", U_NATO, "2026-11-22T09:59:00Z", NULL), INSP_R_RELEASE, 0);
	expect_doc("stale 30 s ago, within the skew: released", ch_mn,
		   event("T-1", U_NATO, "2026-11-22T09:59:30Z", NULL), INSP_R_RELEASE, 0);
	expect_doc("stale with offset, in the future: released", ch_mn,
		   event("T-1", U_NATO, "2026-11-22T09:30:00-01:00", NULL), INSP_R_RELEASE, 0);
}

static void
test_order(void)
{
	expect_doc("stale and prohibited: prohibited_content", ch_mn,
		   event("T-1", U_NATO, "2026-11-22T09:00:00Z", REM("operation nightfall")),
		   INSP_R_PROHIBITED_CONTENT, 1001);
	expect_doc("stale and marking_inconsistent: marking_inconsistent", ch_mn,
		   event("T-1", U_NATO, "2026-11-22T09:00:00Z", REM("NOFORN")),
		   INSP_R_MARKING_INCONSISTENT, 2101);
	expect("marking and prohibited: marking_inconsistent", ch_mn, U_NATO,
	       REM("operation nightfall") REM("NATO SECRET"), INSP_R_MARKING_INCONSISTENT, 2003);
	expect("not releasable and marking: not_releasable", ch_mn, "NATO UNCLASSIFIED",
	       REM("NOFORN"), INSP_R_NOT_RELEASABLE, 0);
	expect("over-classified and not releasable: over_classified", ch_mn,
	       "NATO COSMIC TOP SECRET", NULL, INSP_R_OVER_CLASSIFIED, 0);
	expect("conflict and over-classified: label_conflict", ch_mn,
	       "NATO COSMIC TOP SECRET//REL TO NATO", L4774("NATO", "SECRET", RELTO(GV("NATO"))),
	       INSP_R_LABEL_CONFLICT, 0);
	expect("bad label and prohibited: bad_label", ch_mn, "Undefined",
	       REM("operation nightfall"), INSP_R_BAD_LABEL, 0);
	expect("bad label and conflict: bad_label", ch_mn, "NATO  SECRET//REL TO NATO",
	       L4774("NATO", "CONFIDENTIAL", RELTO(GV("NATO"))), INSP_R_BAD_LABEL, 0);
	expect("unlabelled and prohibited: unlabelled", ch_mn, NOACCESS, REM("operation nightfall"),
	       INSP_R_UNLABELLED, 0);
	expect_doc("malformed and unlabelled: malformed_message", ch_mn,
		   "<event version=\"2.0\" uid=\"T-1\" type=\"a-f\" time=\"2026-11-22T09:59:00Z\" "
		   "start=\"2026-11-22T09:59:00Z\" stale=\"2026-11-22T10:05:00Z\">"
		   "<point lat=\"1\" lon=\"1\" hae=\"1\" ce=\"1\" le=\"1\"/></event>",
		   INSP_R_MALFORMED_MESSAGE, 0);
	CHECK(strcmp(res.detail, "cot: attribute 'how' missing") == 0,
	      "malformed: detail \"cot: attribute 'how' missing\" (got %s)", res.detail);
	expect("malformed and prohibited: malformed_message", ch_mn, U_NATO,
	       REM("operation nightfall") "<p a=\"1\" a=\"2\"/>", INSP_R_MALFORMED_MESSAGE, 0);
	expect("malformed and bad label: malformed_message", ch_mn, "Undefined",
	       "<x>" L4774("NATO", "SECRET", "") "</x><![CDATA[", INSP_R_MALFORMED_MESSAGE, 0);
	expect_doc("malformed (second root) after a releasable event", ch_mn,
		   "<event version=\"2.0\" uid=\"T-1\" type=\"a-f\" time=\"2026-11-22T09:59:00Z\" "
		   "start=\"2026-11-22T09:59:00Z\" stale=\"2026-11-22T10:05:00Z\" how=\"m-g\" "
		   "access=\"" U_NATO "\"><point lat=\"1\" lon=\"1\" hae=\"1\" ce=\"1\" le=\"1\"/>"
		   "</event><event/>",
		   INSP_R_MALFORMED_MESSAGE, 0);
	expect_doc("DOCTYPE with an entity hiding a term", ch_mn,
		   "<!DOCTYPE event [<!ENTITY t \"operation nightfall\">]>"
		   "<event version=\"2.0\" uid=\"&t;\"/>",
		   INSP_R_MALFORMED_MESSAGE, 0);
	expect_doc("PI splitting a term", ch_mn,
		   event("T-1", U_NATO, "2026-11-22T10:05:00Z", REM("oper<?x?>ation nightfall")),
		   INSP_R_MALFORMED_MESSAGE, 0);
	expect_doc("overlong UTF-8 '/'", ch_mn,
		   event("T-1", U_NATO, "2026-11-22T10:05:00Z", REM("a\xC0\xAF")),
		   INSP_R_MALFORMED_MESSAGE, 0);
	CHECK(res.offset > 0 && strcmp(res.uid, "") == 0, "UTF-8 refusal: offset set (%u), no uid",
	      res.offset);
}

static void
test_api(void)
{
	const char *doc = event("T-1", U_NATO, "2026-11-22T10:05:00Z", NULL);
	struct insp_scratch *small;

	CHECK(insp_inspect(NULL, scr, 0, (const uint8_t *)doc, strlen(doc), T_NOW_MS, &res) ==
			      INSP_R_NO_POLICY &&
		      res.detail[0] != '\0',
	      "no policy: no_policy");
	CHECK(insp_inspect(pol, scr, pol->n_channels, (const uint8_t *)doc, strlen(doc), T_NOW_MS,
			   &res) == INSP_R_L2L4_NO_CHANNEL,
	      "channel out of range: l2l4_no_channel");
	small = insp_scratch_create(pol, 64);
	CHECK(small != NULL, "scratch for 64-byte messages");
	if (small != NULL) {
		CHECK(insp_inspect(pol, small, (uint32_t)ch_mn, (const uint8_t *)doc, strlen(doc),
				   T_NOW_MS, &res) == INSP_R_MALFORMED_MESSAGE,
		      "message larger than the scratch: malformed_message");
		insp_scratch_free(small);
	}
	/* the same scratch decides many messages: nothing leaks from one to the next */
	expect("labelled message", ch_mn, S_NATO, L4774("NATO", "SECRET", RELTO(GV("NATO"))),
	       INSP_R_RELEASE, 0);
	expect("then an unlabelled one", ch_mn, NOACCESS, NULL, INSP_R_UNLABELLED, 0);
	expect("then a clean one after a prohibited one", ch_mn, U_NATO, REM("safe house"),
	       INSP_R_PROHIBITED_CONTENT, 1014);
	expect("... released", ch_mn, U_NATO, REM("safe"), INSP_R_RELEASE, 0);
	expect_doc("then a stale one", ch_mn, event("T-1", U_NATO, "2026-11-22T09:00:00Z", NULL),
		   INSP_R_STALE, 0);
}

/* A copy of @p text with @p ins inserted right after the first @p anchor, or NULL. */
static char *
insert_after(const char *text, const char *anchor, const char *ins)
{
	const char *at = strstr(text, anchor);
	size_t head, tail, il = strlen(ins);
	char *out;

	if (at == NULL)
		return NULL;
	head = (size_t)(at - text) + strlen(anchor);
	tail = strlen(text) - head;
	out = malloc(head + il + tail + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, text, head);
	memcpy(out + head, ins, il);
	memcpy(out + head + il, text + head, tail + 1);
	return out;
}

/* The sample's directory, so that term files of derived policies resolve as the sample's. */
static char sample_dir[4096];

/* Load a policy text derived from the sample, as if it were a file beside it. */
static struct insp_policy *
load_derived(const char *text, const char *name, struct insp_err *err)
{
	static const struct pc_io io = {pc_file_read, NULL};
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", sample_dir, name);
	return pc_policy_load_ex(text, strlen(text), path, &io, err);
}

/*
 * The sample policy plus extra markings and terms, to probe the scan's bookkeeping:
 * more distinct matches than struct insp_hits holds, and anchors that only hold per unit.
 */
static void
test_scan_limits(const char *text)
{
	char marks[4096], body[4096];
	size_t n = 0;
	struct insp_policy *p2;
	struct insp_scratch *s2;
	struct insp_err err;
	char *y1, *y;

	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(marks + n, sizeof(marks) - n,
				      "  - {id: %d, literal: \"ZZMARK%02d\", classification: "
				      "UNCLASSIFIED}\n",
				      9000 + i, i);
	/* \A and \z would only see the first and last unit of the joined scan: refused */
	y = insert_after(text, "\nprohibited_terms:\n",
			 "  - {id: 3999, regex: \"\\\\Aexact unit\\\\z\"}\n");
	CHECK(y != NULL, "sample policy has a 'prohibited_terms:' section");
	if (y == NULL)
		return;
	p2 = load_derived(y, "sample+anchor.yaml", &err);
	free(y);
	CHECK(p2 == NULL && strstr(err.msg, "sample+anchor.yaml:") != NULL &&
		      strstr(err.msg, "3999") != NULL && strstr(err.msg, "write ^ and $") != NULL,
	      "a term anchored with \\A...\\z is refused with file:line and advice (%s)",
	      p2 ? "loaded" : err.msg);
	pc_policy_free(p2);

	y1 = insert_after(text, "\nmarkings:\n", marks);
	y = y1 ? insert_after(y1, "\nprohibited_terms:\n",
			      "  - {id: 3999, regex: \"^exact unit$\"}\n")
	       : NULL;
	free(y1);
	CHECK(y != NULL, "sample policy has 'markings:' and 'prohibited_terms:' sections");
	if (y == NULL)
		return;
	n = strlen(y);
	p2 = load_derived(y, "sample+extra.yaml", &err);
	CHECK(p2 != NULL, "sample policy with 40 extra markings and an anchored term loads (%s)",
	      p2 ? "ok" : err.msg);
	free(y);
	if (p2 == NULL)
		return;
	s2 = insp_scratch_create(p2, TEST_SCRATCH_MAX);
	CHECK(s2 != NULL, "scratch for the extended policy");
	if (s2 == NULL) {
		pc_policy_free(p2);
		return;
	}

	size_t b = 0;

	b += (size_t)snprintf(body + b, sizeof(body) - b, "<remarks>");
	for (int i = 0; i < 40; i++)
		b += (size_t)snprintf(body + b, sizeof(body) - b, "ZZMARK%02d ", i);
	snprintf(body + b, sizeof(body) - b, "operation nightfall</remarks>");
	const char *doc = event("T-1", U_NATO, "2026-11-22T10:05:00Z", body);
	enum insp_reason r = insp_inspect(p2, s2, (uint32_t)test_channel(p2, "cot-mn"),
					  (const uint8_t *)doc, strlen(doc), T_NOW_MS, &res);

	CHECK(r == INSP_R_PROHIBITED_CONTENT && res.rule_id == 1001,
	      "40 harmless markings before a prohibited term: prohibited_content 1001 (got %s, "
	      "rule %u)",
	      insp_reason_name(r), res.rule_id);

	doc = event("T-1", U_NATO, "2026-11-22T10:05:00Z", REM("ZZMARK01 ZZMARK02"));
	r = insp_inspect(p2, s2, (uint32_t)test_channel(p2, "cot-mn"), (const uint8_t *)doc,
			 strlen(doc), T_NOW_MS, &res);
	CHECK(r == INSP_R_RELEASE, "harmless markings alone: released (got %s)",
	      insp_reason_name(r));

	doc = event("T-1", U_NATO, "2026-11-22T10:05:00Z", REM("exact unit"));
	r = insp_inspect(p2, s2, (uint32_t)test_channel(p2, "cot-mn"), (const uint8_t *)doc,
			 strlen(doc), T_NOW_MS, &res);
	CHECK(r == INSP_R_PROHIBITED_CONTENT && res.rule_id == 3999,
	      "regex anchored with ^...$ matches a whole unit: prohibited_content 3999 (got "
	      "%s, rule %u)",
	      insp_reason_name(r), res.rule_id);
	doc = event("T-1", U_NATO, "2026-11-22T10:05:00Z", REM("not the exact unit"));
	r = insp_inspect(p2, s2, (uint32_t)test_channel(p2, "cot-mn"), (const uint8_t *)doc,
			 strlen(doc), T_NOW_MS, &res);
	CHECK(r == INSP_R_RELEASE, "^...$ does not match inside a unit (got %s)",
	      insp_reason_name(r));

	insp_scratch_free(s2);
	pc_policy_free(p2);
}

/* ---- tests/data/cot ---- */

static int
is_xml(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && strcmp(d->d_name + n - 4, ".xml") == 0;
}

static void
test_data_dir(const char *root, const char *sub)
{
	char dir[4096], path[4600];
	struct dirent **names = NULL;
	int n;

	snprintf(dir, sizeof(dir), "%s/%s", root, sub);
	n = scandir(dir, &names, is_xml, alphasort);
	CHECK(n > 0, "%s has sample messages (%d)", dir, n);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		int want = INSP_R_RELEASE;
		size_t len = 0;
		char *buf;

		if (strcmp(sub, "drop") == 0) {
			char reason[64];
			const char *sep = strstr(name, "__");
			size_t k = sep ? (size_t)(sep - name) : 0;

			if (k == 0 || k >= sizeof(reason)) {
				CHECK(0, "%s/%s: name is <reason>__<what>.xml", sub, name);
				free(names[i]);
				continue;
			}
			memcpy(reason, name, k);
			reason[k] = '\0';
			want = insp_reason_from_name(reason);
			CHECK(want > INSP_R_RELEASE, "%s/%s: '%s' is a drop reason", sub, name,
			      reason);
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		buf = test_read_file(path, &len);
		CHECK(buf != NULL, "%s/%s: readable", sub, name);
		if (buf != NULL && want >= 0) {
			memset(&res, 0, sizeof(res));
			enum insp_reason r =
				insp_inspect(pol, scr, (uint32_t)ch_mn, (const uint8_t *)buf, len,
					     T_NOW_MS, &res);

			CHECK(r == (enum insp_reason)want, "%s/%s: %s (got %s: %s)", sub, name,
			      insp_reason_name((enum insp_reason)want), insp_reason_name(r),
			      res.detail);
		}
		free(buf);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	size_t len = 0;
	char *text, root[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: %s SAMPLE_POLICY\n", argv[0]);
		return 2;
	}
	text = test_read_file(argv[1], &len);
	CHECK(text != NULL, "read %s", argv[1]);
	if (text == NULL)
		return test_done();
	snprintf(sample_dir, sizeof(sample_dir), "%s", argv[1]);
	if (strrchr(sample_dir, '/') != NULL)
		*strrchr(sample_dir, '/') = '\0';
	else
		snprintf(sample_dir, sizeof(sample_dir), ".");
	pol = test_load_policy(argv[1]);
	if (pol == NULL) {
		free(text);
		return test_done();
	}
	ch_mn = test_channel(pol, "cot-mn");
	ch_fvey = test_channel(pol, "cot-fvey");
	CHECK(ch_mn >= 0 && ch_fvey >= 0 && test_channel(pol, "cot-mn-v6") >= 0,
	      "channels cot-mn, cot-fvey and cot-mn-v6 exist");
	CHECK(pol->stale_skew_ms == 60000 && pol->strict_labels == 1,
	      "sample policy: skew 60 s, strict labels");
	scr = test_scratch(pol);
	if (ch_mn >= 0 && ch_fvey >= 0 && scr != NULL) {
		test_release();
		test_label_reasons();
		test_content();
		test_bidi_channel();
		test_offsets();
		test_order();
		test_api();
		test_scan_limits(text);

		/* ../tests/data/cot next to the policy's directory */
		const char *slash = strrchr(argv[1], '/');
		int dl = slash ? (int)(slash - argv[1]) : 1;

		snprintf(root, sizeof(root), "%.*s/../tests/data/cot", dl, slash ? argv[1] : ".");
		test_data_dir(root, "pass");
		test_data_dir(root, "drop");
	}
	insp_scratch_free(scr);
	pc_policy_free(pol);
	free(text);
	return test_done();
}
