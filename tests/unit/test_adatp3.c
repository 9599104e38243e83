/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ADatP-3 formatted text (insp_adatp3.h, GUARD-SPEC 5.4): realistic SITREP, OPREP-3
 * PINNACLE (CR LF lines), INTREP and MEDEVAC texts decode to the expected view (marking,
 * type, uid, field label) and scan units; every rule of the line grammar refuses its
 * violation with its exact detail and offset; and messages are decided through
 * insp_inspect() with the sample policy on channel adatp3-mn (destination MN).
 *
 * Usage: test_adatp3 SAMPLE_POLICY DATA_DIR
 *   DATA_DIR  tests/data/adatp3 (the realistic samples)
 * Time is fixed: now = 2026-11-22T10:00:00Z.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_adatp3.h"
#include "insp_inspect.h"
#include "insp_msg.h"
#include "insp_policy.h"
#include "pc_policy.h"
#include "test.h"
#include "test_msg.h"

#define ENV_S  "NATO SECRET//REL TO NATO\n"
#define ENV_U  "NATO UNCLASSIFIED//REL TO NATO\n"
#define MSGID  "MSGID/SITREP/NATO/1/HQ3BDE/0042/NOV/-/-/NATO/SECRET//\n"
#define MSGIDU "MSGID/SITREP/NATO/1/HQ3BDE/0042/NOV/-/-/NATO/UNCLASSIFIED//\n"
#define A3(x)  ENV_S MSGID x
#define A3U(x) ENV_U MSGIDU x

static int ch_a3 = -1;

static enum insp_reason
parse_n(const char *doc, size_t len)
{
	return test_parse(insp_adatp3_parse, &hand, doc, len);
}

static enum insp_reason
parse(const char *doc)
{
	return parse_n(doc, strlen(doc));
}

/* Malformed with exactly @p want_detail at payload offset @p want_off. */
static void
expect_malformed_n(const char *what, const char *doc, size_t len, const char *want_detail,
		   uint32_t want_off)
{
	enum insp_reason r = parse_n(doc, len);

	CHECK(r == INSP_R_MALFORMED_MESSAGE, "%s: malformed_message (got %s)", what,
	      insp_reason_name(r));
	CHECK_STR(detail, want_detail, "%s: detail", what);
	CHECK(m.err_offset == want_off, "%s: offset %u (got %u)", what, want_off, m.err_offset);
}

static void
expect_malformed(const char *what, const char *doc, const char *want_detail, uint32_t want_off)
{
	expect_malformed_n(what, doc, strlen(doc), want_detail, want_off);
}

/* ---- realistic texts ---- */

static void
test_samples(void)
{
	size_t len = 0;
	char *doc = test_read_sample("sitrep.adatp3", &len);
	enum insp_reason r;

	CHECK(doc != NULL, "read sitrep.adatp3");
	if (doc != NULL) {
		r = parse_n(doc, len);
		CHECK(r == INSP_R_RELEASE, "SITREP parses (%s)", detail);
		CHECK(m.has_marking && !m.has_4774 && !m.has_stale,
		      "SITREP: envelope marking only");
		CHECK(str_is(m.marking,
			     "NATO SECRET//REL TO USA, GBR, FRA, DEU, POL, NLD, ITA, CAN"),
		      "SITREP: the envelope line is the marking");
		CHECK(str_is(m.type, "SITREP"), "SITREP: type is MSGID field 1");
		CHECK(str_is(m.uid, "HQ3BDE/0042"), "SITREP: uid is fields 4 and 5 as written");
		CHECK(m.has_field_label && str_is(m.field_policy, "NATO") &&
			      str_is(m.field_class, "SECRET"),
		      "SITREP: field label is fields 9 and 10");
		CHECK_STR(units_of_kind(INSP_UNIT_CONTENT),
			  "EXER|STEADFAST JUPITER 26|"
			  "MSGID|SITREP|NATO|1|HQ3BDE|0042|NOV|-|-|NATO|SECRET|"
			  "REF|A|ORDER|HQMND|221000ZNOV2026|PERID|220600ZNOV2026|TO:221800ZNOV2026|"
			  "MYPOS|31UES12345678|OWNSIT|BDE HQ RELOCATED, ALL BNS IN POSITION|"
			  "RMKS|NO CHANGE TO READINESS STATE",
			  "SITREP: every SETID and field is a content unit");
		CHECK_STR(units_of_kind(INSP_UNIT_CARRIER),
			  "NATO SECRET//REL TO USA, GBR, FRA, DEU, POL, NLD, ITA, CAN",
			  "SITREP: the envelope is the one carrier unit");
		CHECK(units_of_kind(INSP_UNIT_NAME)[0] == '\0', "no name units in ADatP-3");
		CHECK(detail[0] == '\0' && m.err_offset == 0, "no detail on success");
		free(doc);
	}

	doc = test_read_sample("oprep3.adatp3", &len);
	CHECK(doc != NULL, "read oprep3.adatp3");
	if (doc != NULL) {
		r = parse_n(doc, len);
		CHECK(r == INSP_R_RELEASE, "OPREP-3 PINNACLE with CR LF lines parses (%s)", detail);
		CHECK(str_is(m.marking, "NATO CONFIDENTIAL//REL TO NATO"),
		      "OPREP-3: the CR is not part of the marking");
		CHECK(str_is(m.type, "OPREP-3 PINNACLE") && str_is(m.uid, "JFCBS/117") &&
			      str_is(m.field_class, "CONFIDENTIAL"),
		      "OPREP-3: type with space and hyphen, uid, field class");
		/* units_of_kind() escapes a CR as backslash, r */
		CHECK(strstr(units_of_kind(INSP_UNIT_CONTENT), "\\r") == NULL,
		      "OPREP-3: no CR in any unit");
		CHECK(strstr(units_of_kind(INSP_UNIT_CONTENT),
			     "|GENTEXT|INCIDENT|VEHICLE CONVOY STRUCK IED, TWO VEHICLES DAMAGED, "
			     "NO "
			     "FATALITIES") != NULL,
		      "OPREP-3: free text field is one unit");
		free(doc);
	}

	doc = test_read_sample("intrep.adatp3", &len);
	CHECK(doc != NULL, "read intrep.adatp3");
	if (doc != NULL) {
		r = parse_n(doc, len);
		CHECK(r == INSP_R_RELEASE && str_is(m.type, "INTREP") &&
			      str_is(m.uid, "MNDN-G2/0007"),
		      "INTREP parses (%s)", detail);
		free(doc);
	}

	doc = test_read_sample("medevac_no_final_newline.adatp3", &len);
	CHECK(doc != NULL, "read medevac_no_final_newline.adatp3");
	if (doc != NULL) {
		CHECK(len > 0 && doc[len - 1] != '\n', "the MEDEVAC sample has no final line end");
		r = parse_n(doc, len);
		CHECK(r == INSP_R_RELEASE && str_is(m.type, "MEDEVAC"),
		      "a last line without a line end is accepted (%s)", detail);
		CHECK(strstr(units_of_kind(INSP_UNIT_CONTENT), "|RMKS|LZ MARKED WITH PANEL") !=
			      NULL,
		      "MEDEVAC: last set's units");
		free(doc);
	}

	r = parse(MSGID "RMKS/NOTHING//\n");
	CHECK(r == INSP_R_RELEASE && !m.has_marking && m.has_field_label,
	      "first line already a set: no envelope (unlabelled later) (%s)", detail);
	CHECK(strncmp(units_of_kind(INSP_UNIT_CONTENT), "MSGID|SITREP|", 13) == 0,
	      "  ... and that first line is scanned as a set");
	r = parse("NATO SECRET\n" MSGID);
	CHECK(r == INSP_R_RELEASE && str_is(m.marking, "NATO SECRET"),
	      "envelope without REL TO parses (the decision judges it)");
	r = parse("nato secret, honest\n" MSGID);
	CHECK(r == INSP_R_RELEASE && str_is(m.marking, "nato secret, honest"),
	      "a bad envelope is the decision's business (bad_label), not the parser's");
	r = parse("msgid/x//\n" MSGID);
	CHECK(r == INSP_R_RELEASE && m.has_marking && str_is(m.marking, "msgid/x//"),
	      "a lower-case first line does not look like a set: it is the (bad) envelope");
	r = parse(ENV_S "MSGID/OPREP-3/NATO/1/A/1/NOV/-/-/NATO/SECRET/EXTRA/FIELDS//");
	CHECK(r == INSP_R_RELEASE && str_is(m.field_class, "SECRET"),
	      "MSGID with more than 10 fields (%s)", detail);
	r = parse(A3("ABCDEFGHIJ/X//\n1/2//\n"));
	CHECK(r == INSP_R_RELEASE, "10-character and digit SETIDs (%s)", detail);
	r = parse(A3("RMKS/ SPACES  INSIDE  ARE TEXT //\n"));
	CHECK(r == INSP_R_RELEASE && strstr(units_of_kind(INSP_UNIT_CONTENT),
					    "|RMKS| SPACES  INSIDE  ARE TEXT ") != NULL,
	      "spaces inside a field are kept as written");
	r = parse(A3("RMKS/CAF\xc3\x89 ZO\xc3\x8b//\n"));
	CHECK(r == INSP_R_RELEASE, "non-ASCII UTF-8 in a field (%s)", detail);
	r = parse(A3("RMKS/BLACK\xe2\x80\x8b LEDGER//\n"));
	CHECK(r == INSP_R_RELEASE &&
		      strstr(units_of_kind(INSP_UNIT_CONTENT), "|RMKS|BLACK LEDGER") != NULL,
	      "zero-width characters are deleted from the scan units");
}

/* ---- the grammar ---- */

static void
test_refusals(void)
{
	const size_t h = strlen(ENV_S MSGID); /* offset of line 3 */

	expect_malformed("empty message", "", "adatp3: empty message", 0);
	expect_malformed("only an envelope", "NATO SECRET//REL TO NATO\n", "adatp3: no MSGID set",
			 0);
	expect_malformed("no MSGID", ENV_S "RMKS/X//\n", "adatp3: no MSGID set", 0);
	expect_malformed("two MSGID sets", A3(MSGID), "adatp3: line 3: more than one MSGID set", h);
	expect_malformed("MSGID with 9 fields", ENV_S "MSGID/SITREP/NATO/1/A/1/NOV/-/-/NATO//\n",
			 "adatp3: line 2: MSGID has 9 fields, needs at least 10", 25);
	expect_malformed("MSGID with 1 field", ENV_S "MSGID/SITREP//\n",
			 "adatp3: line 2: MSGID has 1 fields, needs at least 10", 25);
	expect_malformed(
		"lower-case message type", ENV_S "MSGID/sitrep/NATO/1/A/1/NOV/-/-/NATO/SECRET//",
		"adatp3: line 2: MSGID message type must be A-Z 0-9 words joined by single "
		"' ' or '-'",
		31);
	expect_malformed(
		"message type with a leading space",
		ENV_S "MSGID/ INTREP/NATO/1/A/1/NOV/-/-/NATO/SECRET//",
		"adatp3: line 2: MSGID message type must be A-Z 0-9 words joined by single "
		"' ' or '-'",
		31);
	expect_malformed(
		"message type with two spaces",
		ENV_S "MSGID/OPREP-3  PINNACLE/NATO/1/A/1/NOV/-/-/NATO/SECRET//",
		"adatp3: line 2: MSGID message type must be A-Z 0-9 words joined by single "
		"' ' or '-'",
		31);
	expect_malformed(
		"message type with a zero-width space",
		ENV_S "MSGID/INT\xe2\x80\x8bREP/NATO/1/A/1/NOV/-/-/NATO/SECRET//",
		"adatp3: line 2: MSGID message type must be A-Z 0-9 words joined by single "
		"' ' or '-'",
		31);
	expect_malformed(
		"empty message type ('-')", ENV_S "MSGID/-/NATO/1/A/1/NOV/-/-/NATO/SECRET//",
		"adatp3: line 2: MSGID message type must be A-Z 0-9 words joined by single "
		"' ' or '-'",
		31);
	expect_malformed("lower-case SETID", A3("rmks/X//\n"),
			 "adatp3: line 3: SETID must be 1 to 10 of A-Z 0-9, then '/'", h);
	expect_malformed("11-character SETID", A3("ABCDEFGHIJK/X//\n"),
			 "adatp3: line 3: SETID must be 1 to 10 of A-Z 0-9, then '/'", h);
	expect_malformed("SETID with a hyphen", A3("GEN-TEXT/X//\n"),
			 "adatp3: line 3: SETID must be 1 to 10 of A-Z 0-9, then '/'", h);
	expect_malformed("a line without '/'", A3("FREE TEXT\n"),
			 "adatp3: line 3: SETID must be 1 to 10 of A-Z 0-9, then '/'", h);
	expect_malformed("a line starting with '/'", A3("/X//\n"),
			 "adatp3: line 3: SETID must be 1 to 10 of A-Z 0-9, then '/'", h);
	expect_malformed("a second envelope", A3("NATO SECRET//REL TO NATO\n"),
			 "adatp3: line 3: SETID must be 1 to 10 of A-Z 0-9, then '/'", h);
	expect_malformed("set without '//'", A3("RMKS/X\n"),
			 "adatp3: line 3: set does not end in '//'", (uint32_t)h + 6);
	expect_malformed("set ending in a single '/'", A3("RMKS/X/\n"),
			 "adatp3: line 3: set does not end in '//'", (uint32_t)h + 7);
	expect_malformed("text after '//'", A3("RMKS/X// \n"),
			 "adatp3: line 3: set does not end in '//'", (uint32_t)h + 9);
	expect_malformed("'//' inside a line", A3("RMKS/SEE HTTP://EXAMPLE//\n"),
			 "adatp3: line 3: '//' before the end of the set (an empty field is '-')",
			 (uint32_t)h + 14);
	expect_malformed("empty field", A3("RMKS/A//B//\n"),
			 "adatp3: line 3: '//' before the end of the set (an empty field is '-')",
			 (uint32_t)h + 6);
	expect_malformed("empty last field ('///')", A3("RMKS/A///\n"),
			 "adatp3: line 3: '//' before the end of the set (an empty field is '-')",
			 (uint32_t)h + 6);
	expect_malformed("set without fields", A3("RMKS//\n"), "adatp3: line 3: set without fields",
			 h);
	expect_malformed("empty line", A3("\nRMKS/X//\n"), "adatp3: line 3: empty line", h);
	expect_malformed("empty line at the end", A3("RMKS/X//\n\n"), "adatp3: line 4: empty line",
			 (uint32_t)h + 9);
	expect_malformed("empty first line", "\n" MSGID, "adatp3: line 1: empty line", 0);
	expect_malformed("CR LF empty line", ENV_S MSGID "\r\n", "adatp3: line 3: empty line", h);
	expect_malformed("TAB in a field", A3("RMKS/A\tB//\n"),
			 "adatp3: line 3: control character U+0009", (uint32_t)h + 6);
	expect_malformed("bare CR inside a line", A3("RMKS/A\rB//\n"),
			 "adatp3: line 3: control character U+000D", (uint32_t)h + 6);
	expect_malformed("CR line end without LF", A3("RMKS/A//\r"),
			 "adatp3: line 3: control character U+000D", (uint32_t)h + 8);
	expect_malformed("CR CR LF", A3("RMKS/A//\r\r\n"),
			 "adatp3: line 3: control character U+000D", (uint32_t)h + 8);
	expect_malformed_n("NUL in a field", A3("RMKS/A\0B//\n"), h + 10,
			   "adatp3: line 3: control character U+0000", (uint32_t)h + 6);
	expect_malformed("ESC in a field", A3("RMKS/\x1b[2J//\n"),
			 "adatp3: line 3: control character U+001B", (uint32_t)h + 5);
	expect_malformed("DEL in a field", A3("RMKS/A\x7f//\n"),
			 "adatp3: line 3: control character U+007F", (uint32_t)h + 6);
	expect_malformed("C1 NEL in a field",
			 A3("RMKS/A\xc2\x85"
			    "B//\n"),
			 "adatp3: line 3: control character U+0085", (uint32_t)h + 6);
	expect_malformed("control character in the envelope",
			 "NATO SECRET\x0b//REL TO NATO\n" MSGID,
			 "adatp3: line 1: control character U+000B", 11);
	expect_malformed("invalid UTF-8 (lone continuation byte)", A3("RMKS/A\x80//\n"),
			 "adatp3: line 3: invalid UTF-8 or non-character", (uint32_t)h + 6);
	expect_malformed("overlong UTF-8 '/'",
			 A3("RMKS/A\xc0\xaf"
			    "B//\n"),
			 "adatp3: line 3: invalid UTF-8 or non-character", (uint32_t)h + 6);
	expect_malformed("UTF-16 surrogate", A3("RMKS/\xed\xa0\x80//\n"),
			 "adatp3: line 3: invalid UTF-8 or non-character", (uint32_t)h + 5);
	expect_malformed("truncated UTF-8 at the end", A3("RMKS/A//\xe2\x80"),
			 "adatp3: line 3: invalid UTF-8 or non-character", (uint32_t)h + 8);
	expect_malformed("U+FFFE", A3("RMKS/\xef\xbf\xbe//\n"),
			 "adatp3: line 3: invalid UTF-8 or non-character", (uint32_t)h + 5);
	expect_malformed("Latin-1 envelope", "NATO SECRET//REL TO FRA, DEU \xe9t\xe9\n" MSGID,
			 "adatp3: line 1: invalid UTF-8 or non-character", 29);
	expect_malformed("a set line broken by a BOM inside", A3("\xef\xbb\xbfRMKS/X//\n"),
			 "adatp3: line 3: SETID must be 1 to 10 of A-Z 0-9, then '/'", h);

	/* fail closed when the unit table or the scan buffer is full */
	m.units_cap = 4;
	expect_malformed("unit table full", A3(""), "adatp3: too much text", 43);
	m.units_cap = TEST_MSG_UNITS;
	m.scan_cap = 20;
	expect_malformed("scan buffer full", A3(""), "adatp3: too much text", 0);
	m.scan_cap = TEST_MSG_SCAN;
}

/* ---- decisions with the sample policy on adatp3-mn ---- */

static void
expect_decision(const char *what, const char *doc, size_t len, enum insp_reason want, uint32_t rule)
{
	test_decide(ch_a3, NULL, what, doc, len, want, rule);
	if (want == INSP_R_RELEASE)
		CHECK(res.detail[0] == '\0', "%s: a release says nothing", what);
}

static void
decide(const char *what, const char *doc, enum insp_reason want, uint32_t rule)
{
	expect_decision(what, doc, strlen(doc), want, rule);
}

static void
decide_sample(const char *name, enum insp_reason want)
{
	size_t len = 0;
	char *doc = test_read_sample(name, &len);

	CHECK(doc != NULL, "read %s", name);
	if (doc != NULL)
		expect_decision(name, doc, len, want, 0);
	free(doc);
}

static void
test_decisions(void)
{
	decide_sample("sitrep.adatp3", INSP_R_RELEASE);
	CHECK(strcmp(res.uid, "HQ3BDE/0042") == 0, "SITREP: uid in the result (%s)", res.uid);
	decide_sample("oprep3.adatp3", INSP_R_RELEASE);
	decide_sample("medevac_no_final_newline.adatp3", INSP_R_RELEASE);
	decide_sample("intrep.adatp3", INSP_R_NO_SHARING_AGREEMENT);
	CHECK(strcmp(res.detail, "category 'intelligence' not shared with POL (member of MN)") == 0,
	      "INTREP: intelligence is not shared with POL (%s)", res.detail);
	decide("INTSUM", ENV_S "MSGID/INTSUM/NATO/1/G2/7/NOV/-/-/NATO/SECRET//\n",
	       INSP_R_NO_SHARING_AGREEMENT, 0);
	decide("OPREP-3 is a report", ENV_S "MSGID/OPREP-3/NATO/1/G3/7/NOV/-/-/NATO/SECRET//\n",
	       INSP_R_RELEASE, 0);

	decide("no envelope", MSGID "RMKS/X//\n", INSP_R_UNLABELLED, 0);
	decide("BOM before the envelope", "\xef\xbb\xbf" ENV_S MSGID, INSP_R_BAD_LABEL, 0);
	decide("envelope with a double space", "NATO  SECRET//REL TO NATO\n" MSGID,
	       INSP_R_BAD_LABEL, 0);
	decide("envelope RELTO", "NATO SECRET//RELTO NATO\n" MSGID, INSP_R_BAD_LABEL, 0);
	decide("lower-case envelope", "nato secret//rel to nato\n" MSGID, INSP_R_BAD_LABEL, 0);
	decide("envelope without REL TO", "NATO SECRET\n" MSGID, INSP_R_NOT_RELEASABLE, 0);
	decide("envelope REL TO FVEY", "NATO SECRET//REL TO FVEY\n" MSGID, INSP_R_NOT_RELEASABLE,
	       0);
	decide("envelope COSMIC TOP SECRET",
	       "NATO COSMIC TOP SECRET//REL TO NATO\n"
	       "MSGID/SITREP/NATO/1/A/1/NOV/-/-/NATO/COSMIC TOP SECRET//\n",
	       INSP_R_OVER_CLASSIFIED, 0);
	decide("MSGID class CONFIDENTIAL, envelope SECRET",
	       ENV_S "MSGID/SITREP/NATO/1/A/1/NOV/-/-/NATO/CONFIDENTIAL//\n", INSP_R_LABEL_CONFLICT,
	       0);
	CHECK(strcmp(res.detail, "label: policy/classification fields 'NATO'/'CONFIDENTIAL' "
				 "disagree with the label") == 0,
	      "label conflict detail (%s)", res.detail);
	decide("MSGID policy GBR, envelope NATO",
	       ENV_S "MSGID/SITREP/NATO/1/A/1/NOV/-/-/GBR/SECRET//\n", INSP_R_LABEL_CONFLICT, 0);
	decide("MSGID class lower case", ENV_S "MSGID/SITREP/NATO/1/A/1/NOV/-/-/NATO/secret//\n",
	       INSP_R_LABEL_CONFLICT, 0);
	decide("MSGID fields 9/10 empty", ENV_S "MSGID/SITREP/NATO/1/A/1/NOV/-/-/-/-//\n",
	       INSP_R_LABEL_CONFLICT, 0);
	decide("national envelope and fields",
	       "GBR OFFICIAL-SENSITIVE//REL TO NATO\n"
	       "MSGID/SITREP/NATO/1/A/1/NOV/-/-/GBR/OFFICIAL-SENSITIVE//\n",
	       INSP_R_RELEASE, 0);

	decide("term in one field", A3("RMKS/START OF OPERATION NIGHTFALL CONFIRMED//\n"),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	decide("term with extra spaces", A3("RMKS/OPERATION     NIGHTFALL//\n"),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	decide("term in a SETID-adjacent field", A3("SAFE/HOUSE//\nGENTEXT/SAFE HOUSE//\n"),
	       INSP_R_PROHIBITED_CONTENT, 1014);
	decide("term across two fields", A3("RMKS/OPERATION/NIGHTFALL//\n"), INSP_R_RELEASE, 0);
	decide("term across two sets", A3("RMKS/OPERATION//\nRMKS/NIGHTFALL//\n"), INSP_R_RELEASE,
	       0);
	decide("term in the EXER set",
	       "NATO SECRET//REL TO NATO\nEXER/EXERCISE IRON VEIL//\n" MSGID,
	       INSP_R_PROHIBITED_CONTENT, 1006);
	decide("term with a zero-width joiner",
	       A3("RMKS/AGENT \xe2\x80\x8d"
		  "COBALT//\n"),
	       INSP_R_PROHIBITED_CONTENT, 1005);
	decide("term with a soft hyphen", A3("RMKS/CRYP\xc2\xadTO KEY//\n"),
	       INSP_R_PROHIBITED_CONTENT, 1009);
	decide("term with a no-break space", A3("RMKS/HUMAN\xc2\xa0SOURCE//\n"),
	       INSP_R_PROHIBITED_CONTENT, 1008);
	decide("term in the originator field",
	       ENV_S "MSGID/SITREP/NATO/1/SAFE HOUSE/1/NOV/-/-/NATO/SECRET//\n",
	       INSP_R_PROHIBITED_CONTENT, 1014);
	decide("caveat NOFORN in a field", A3("RMKS/NOFORN//\n"), INSP_R_MARKING_INCONSISTENT,
	       2101);
	decide("NATO SECRET in an UNCLASSIFIED text", A3U("RMKS/NATO SECRET//\n"),
	       INSP_R_MARKING_INCONSISTENT, 2003);
	decide("NATO and SECRET in fields 9/10 of an UNCLASSIFIED text do not join",
	       A3U("RMKS/NATO/SECRET//\n"), INSP_R_RELEASE, 0);
	decide("malformed: two MSGID sets", A3(MSGID), INSP_R_MALFORMED_MESSAGE, 0);
	CHECK(strcmp(res.detail, "adatp3: line 3: more than one MSGID set") == 0 &&
		      res.offset == strlen(ENV_S MSGID),
	      "malformed detail and offset reach the result (%s @%u)", res.detail, res.offset);
	decide("malformed beats a term", A3("RMKS/OPERATION NIGHTFALL//\nRMKS/A//B//\n"),
	       INSP_R_MALFORMED_MESSAGE, 0);
	decide("malformed beats no envelope", MSGID "rmks/x//\n", INSP_R_MALFORMED_MESSAGE, 0);
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
	test_samples();
	test_refusals();

	pol = test_load_policy(argv[1]);
	if (pol == NULL)
		return test_done();
	ch_a3 = test_channel(pol, "adatp3-mn");
	CHECK(ch_a3 >= 0, "channel adatp3-mn exists");
	scr = test_scratch(pol);
	if (ch_a3 >= 0 && scr != NULL)
		test_decisions();
	insp_scratch_free(scr);
	pc_policy_free(pol);
	return test_done();
}
