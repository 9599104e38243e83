/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `object` format (insp_obj.h): the inspection envelope the slow path builds from a
 * reassembled object. The parse alone (header lines, the view: marking, type, uid, units,
 * every malformed case with its detail and offset; a STANAG 4774 label on a label-4774
 * line, decoded or refused as bad_label), then decisions with the sample policy
 * on objects_out (clean, unlabelled, bad label, over-classified, not releasable, terms from
 * the policy and its term files, a phrase wrapped over a line break, a marking above the
 * label, invalid UTF-8, bidi controls, look-alike letters; 4774 labels released, over-
 * classified, broken or of another root), a 20 MiB text with a term at
 * its very end in a scratch made for 32 MiB, and category hints keyed on the MIME type.
 *
 * Usage: test_obj SAMPLE_POLICY
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "test_msg.h"

#include "insp_chunk.h"
#include "insp_obj.h"

#define ID    "00000000000004d2"
#define MN    "NATO SECRET//REL TO USA, GBR, FRA, DEU, POL, NLD, ITA, CAN"
#define HEAD  "GOBX 1\nlabel: " MN "\ntype: application/pdf\nid: " ID "\n\n"
#define ENV_U "GOBX 1\nlabel: NATO UNCLASSIFIED//REL TO NATO\ntype: text/plain\nid: " ID "\n\n"

/*
 * STANAG 4774 labels for "label-4774: ": tests/data/labels/nmbs.label.xml (NATO
 * UNCLASSIFIED, Releasable To NATO; valid under strict rules) with its lines joined, and
 * the same at another classification.
 */
#define OBJ_L4774(CLASS)                                                                \
	"<s4774:originatorConfidentialityLabel "                                        \
	"xmlns:s4774=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\">"        \
	"<s4774:ConfidentialityInformation><s4774:PolicyIdentifier>NATO</"              \
	"s4774:PolicyIdentifier><s4774:Classification>" CLASS "</s4774:Classification>" \
	"<s4774:Category Type=\"PERMISSIVE\" TagName=\"Releasable To\">"                \
	"<s4774:GenericValue>NATO</s4774:GenericValue></s4774:Category>"                \
	"</s4774:ConfidentialityInformation>"                                           \
	"<s4774:CreationDateTime>2026-06-26T12:47:51Z</s4774:CreationDateTime>"         \
	"</s4774:originatorConfidentialityLabel>"
#define OBJ_L4774_U OBJ_L4774("UNCLASSIFIED")
#define ENV_4774(L) "GOBX 1\nlabel-4774: " L "\ntype: text/plain\nid: " ID "\n\n"

static int ch_obj;

static enum insp_reason
parse(const char *env)
{
	return test_parse(insp_obj_parse, &hand, env, strlen(env));
}

static void
expect_malformed(const char *what, const char *env, const char *want, uint32_t off)
{
	enum insp_reason r = parse(env);

	CHECK(r == INSP_R_MALFORMED_MESSAGE, "%s: malformed_message (got %s)", what,
	      insp_reason_name(r));
	CHECK_STR(detail, want, "%s: detail", what);
	CHECK(m.err_offset == off, "%s: offset %u (got %u)", what, off, m.err_offset);
}

static void
test_view(void)
{
	static const char env[] = HEAD "Page one.\nBlue\nsky.\n";
	enum insp_reason r = parse(env);

	CHECK(r == INSP_R_RELEASE, "envelope parses (%s)", detail);
	CHECK(m.has_marking && str_is(m.marking, MN), "label -> marking");
	CHECK(str_is(m.type, "application/pdf"), "type -> the MIME type");
	CHECK(str_is(m.uid, ID), "id -> uid, 16 hex digits");
	CHECK(!m.has_4774 && !m.has_stale && !m.has_field_label && m.qos_priority == -1,
	      "no 4774 label, no validity, no field label, no qos");
	CHECK_STR(units_of_kind(INSP_UNIT_CARRIER), MN, "the label is the one carrier unit");
	CHECK_STR(units_of_kind(INSP_UNIT_CONTENT), "Page one.\\nBlue\\nsky.\\n",
		  "the whole text is ONE content unit, line breaks kept");
	CHECK(m.n_units == 2 && m.units[1].src == sizeof(HEAD) - 1,
	      "two units; the text's src is its offset in the envelope (%u)", m.units[1].src);
	CHECK(m.units[0].src == 14, "the label's src is its offset (%u)", m.units[0].src);
	CHECK_STR(units_of_kind(INSP_UNIT_NAME), "", "no name units (type and id are not text)");

	r = parse(ENV_U);
	CHECK(r == INSP_R_RELEASE && m.n_units == 1 && str_is(m.type, "text/plain"),
	      "empty text: only the label unit");
	r = parse("GOBX 1\nlabel: \ntype: image/png\nid: " ID "\n\n");
	CHECK(r == INSP_R_RELEASE && !m.has_marking && m.n_units == 0,
	      "empty label: parses, no marking (the decision says unlabelled)");
	r = parse("GOBX 1\nlabel: X\ntype: image/jpeg\nid: ffffffffffffffff\n\n\n\nGOBX 1\n");
	CHECK(r == INSP_R_RELEASE && str_is(m.type, "image/jpeg") &&
		      str_is(m.uid, "ffffffffffffffff"),
	      "largest id; text may hold blank lines and look like a header");
	CHECK_STR(units_of_kind(INSP_UNIT_CONTENT), "\\n\\nGOBX 1\\n", "text after the blank line");
	r = parse("GOBX 1\nlabel: X\ntype: image/png\nid: 0000000000000001\n\ncaf\xc3\xa9\tx\r\n");
	CHECK(r == INSP_R_RELEASE, "UTF-8, TAB and CR LF in the text (%s)", detail);
	for (unsigned t = 1; t < INSP_OBJ_TYPE_COUNT; t++) {
		char e[256];

		snprintf(e, sizeof(e), "GOBX 1\nlabel: X\ntype: %s\nid: " ID "\n\n",
			 insp_obj_type_mime(t));
		CHECK(parse(e) == INSP_R_RELEASE && str_is(m.type, insp_obj_type_mime(t)),
		      "type %s", insp_obj_type_mime(t));
	}
	{
		char e[512], label[300];

		memset(label, 'L', 255);
		label[255] = '\0';
		snprintf(e, sizeof(e), "GOBX 1\nlabel: %s\ntype: text/plain\nid: " ID "\n\n",
			 label);
		CHECK(parse(e) == INSP_R_RELEASE && m.marking.len == 255, "a 255-byte label");
		snprintf(e, sizeof(e), "GOBX 1\nlabel: %sL\ntype: text/plain\nid: " ID "\n\n",
			 label);
		expect_malformed("a 256-byte label", e, "object: label of 256 bytes (at most 255)",
				 14);
	}
}

/* The envelope's label-4774 line: decoded like an embedded 4774 label, or a bad label. */
static void
test_label_4774(void)
{
	static const char env[] = ENV_4774(OBJ_L4774_U) "Routine report.\n";
	enum insp_reason r = parse(env);
	static char e[8192];

	CHECK(r == INSP_R_RELEASE, "label-4774 envelope parses (%s)", detail);
	CHECK(m.has_4774 && !m.has_marking, "label-4774 -> the 4774 label, no marking");
	CHECK(str_is(m.label.policy, "NATO") && str_is(m.label.classification, "UNCLASSIFIED") &&
		      m.label.n_rel == 1 && str_is(m.label.rel[0], "NATO"),
	      "the label's policy, classification and Releasable-To");
	CHECK(str_is(m.type, "text/plain") && str_is(m.uid, ID), "type and id as with label:");
	CHECK_STR(units_of_kind(INSP_UNIT_CONTENT), "Routine report.\\n",
		  "the text is the one content unit (nothing of the label)");
	CHECK(strstr(units_of_kind(INSP_UNIT_CARRIER), "UNCLASSIFIED") != NULL &&
		      strstr(units_of_kind(INSP_UNIT_CARRIER), "s4774:Classification") != NULL,
	      "the label's parts are carrier units");
	r = parse("GOBX 1\nlabel-4774: <?xml version=\"1.0\" encoding=\"UTF-8\"?>" OBJ_L4774_U
		  "<!-- c -->\ntype: image/png\nid: " ID "\n\n");
	CHECK(r == INSP_R_RELEASE && m.has_4774, "an XML declaration and a comment are fine (%s)",
	      detail);

	/* bytes: malformed like a marking's */
	expect_malformed("label-4774 with CR",
			 "GOBX 1\nlabel-4774: <a/>\r\ntype: text/plain\nid: " ID "\n\n",
			 "object: label-4774 byte 0x0d: not UTF-8 or a control character", 23);
	expect_malformed("label-4774 with a TAB",
			 "GOBX 1\nlabel-4774: <a>\t</a>\ntype: text/plain\nid: " ID "\n\n",
			 "object: label-4774 byte 0x09: not UTF-8 or a control character", 22);
	memcpy(e, "GOBX 1\nlabel-4774: ", 19);
	memset(e + 19, ' ', 4097);
	snprintf(e + 19 + 4097, sizeof(e) - 19 - 4097, "\ntype: text/plain\nid: " ID "\n\n");
	expect_malformed("label-4774 of 4097 bytes", e,
			 "object: label-4774 of 4097 bytes (at most 4096)", 19);
	expect_malformed("label-4774 then a bad type",
			 "GOBX 1\nlabel-4774: <x/>\ntype: image/gif\nid: " ID "\n\n",
			 "object: type 'image/gif' is none of text/plain, application/pdf, "
			 "image/jpeg, image/png",
			 30);

	/* the XML: a bad label */
	r = parse(ENV_4774("<s4774:originatorConfidentialityLabel"));
	CHECK(r == INSP_R_BAD_LABEL && strncmp(detail, "object: label-4774: ", 20) == 0,
	      "broken XML: bad_label (got %s: %s)", insp_reason_name(r), detail);
	r = parse(ENV_4774(""));
	CHECK(r == INSP_R_BAD_LABEL, "empty label-4774: bad_label (got %s: %s)",
	      insp_reason_name(r), detail);
	r = parse(ENV_4774("<foo>NATO UNCLASSIFIED</foo>"));
	CHECK(r == INSP_R_BAD_LABEL, "another root: bad_label (got %s)", insp_reason_name(r));
	CHECK_STR(detail,
		  "label: object label-4774 is not one STANAG 4774 label (no 4774 label root "
		  "element)",
		  "another root: detail");
	CHECK(m.err_offset == 19, "another root: offset of the label (%u)", m.err_offset);
	r = parse(ENV_4774("<foo>" OBJ_L4774_U "</foo>"));
	CHECK(r == INSP_R_BAD_LABEL && strstr(detail, "not the root of label-4774") != NULL,
	      "a label inside another root: bad_label (got %s: %s)", insp_reason_name(r), detail);
	r = parse(ENV_4774(OBJ_L4774_U OBJ_L4774_U));
	CHECK(r == INSP_R_BAD_LABEL, "two labels: bad_label (got %s: %s)", insp_reason_name(r),
	      detail);
	r = parse(ENV_4774(
		"<s4774:alternativeConfidentialityLabel "
		"xmlns:s4774=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\"/>"));
	CHECK(r == INSP_R_BAD_LABEL, "an alternative label: bad_label (got %s: %s)",
	      insp_reason_name(r), detail);
	/* strict rules: no CreationDateTime (tests/data/labels/spiffing: strict refuses it) */
	r = parse(ENV_4774(
		"<s4774:originatorConfidentialityLabel "
		"xmlns:s4774=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\">"
		"<s4774:ConfidentialityInformation><s4774:PolicyIdentifier>NATO</"
		"s4774:PolicyIdentifier><s4774:Classification>UNCLASSIFIED</s4774:Classification>"
		"</s4774:ConfidentialityInformation></s4774:originatorConfidentialityLabel>"));
	CHECK(r == INSP_R_BAD_LABEL && strstr(detail, "CreationDateTime") != NULL,
	      "strict rules apply: no CreationDateTime is a bad label (got %s: %s)",
	      insp_reason_name(r), detail);
}

static void
test_malformed(void)
{
	expect_malformed("empty", "", "object: line 1 is not \"GOBX 1\"", 0);
	expect_malformed("magic only, no LF", "GOBX 1", "object: line 1 is not \"GOBX 1\"", 0);
	expect_malformed("version 2", "GOBX 2\nlabel: X\n", "object: line 1 is not \"GOBX 1\"", 0);
	expect_malformed("magic with CR LF", "GOBX 1\r\nlabel: X\n",
			 "object: line 1 is not \"GOBX 1\"", 0);
	expect_malformed("a chunk, not an envelope", "GOBJ\x01\x02\x03\x00",
			 "object: line 1 is not \"GOBX 1\"", 0);
	expect_malformed(
		"no label line", "GOBX 1\ntype: text/plain\nid: " ID "\n\n",
		"object: line 2 is not \"label: <marking>\" or \"label-4774: <4774 label XML>\"",
		7);
	expect_malformed(
		"label without the space", "GOBX 1\nlabel:X\ntype: text/plain\n",
		"object: line 2 is not \"label: <marking>\" or \"label-4774: <4774 label XML>\"",
		7);
	expect_malformed(
		"Label in upper case", "GOBX 1\nLabel: X\ntype: text/plain\n",
		"object: line 2 is not \"label: <marking>\" or \"label-4774: <4774 label XML>\"",
		7);
	expect_malformed(
		"label line without LF", "GOBX 1\nlabel: NATO SECRET",
		"object: line 2 is not \"label: <marking>\" or \"label-4774: <4774 label XML>\"",
		7);
	expect_malformed("label with CR LF",
			 "GOBX 1\nlabel: NATO SECRET\r\ntype: text/plain\nid: " ID "\n\n",
			 "object: label byte 0x0d is not printable ASCII", 25);
	expect_malformed("label with a TAB", "GOBX 1\nlabel: NATO\tSECRET\ntype: text/plain\n",
			 "object: label byte 0x09 is not printable ASCII", 18);
	expect_malformed("label in UTF-8", "GOBX 1\nlabel: TR\xc3\x88S SECRET\ntype: text/plain\n",
			 "object: label byte 0xc3 is not printable ASCII", 16);
	expect_malformed("no type line", "GOBX 1\nlabel: X\nid: " ID "\n\n",
			 "object: line 3 is not \"type: <mime>\"", 16);
	expect_malformed("type with two spaces",
			 "GOBX 1\nlabel: X\ntype:  text/plain\nid: " ID "\n\n",
			 "object: type ' text/plain' is none of text/plain, application/pdf, "
			 "image/jpeg, image/png",
			 22);
	expect_malformed("unknown type", "GOBX 1\nlabel: X\ntype: image/gif\nid: " ID "\n\n",
			 "object: type 'image/gif' is none of text/plain, application/pdf, "
			 "image/jpeg, image/png",
			 22);
	expect_malformed("type with parameters",
			 "GOBX 1\nlabel: X\ntype: text/plain; charset=utf-8\nid: " ID "\n\n",
			 "object: type 'text/plain; charset=utf-8' is none of text/plain, "
			 "application/pdf, image/jpeg, image/png",
			 22);
	expect_malformed("lines out of order", "GOBX 1\nlabel: X\nid: " ID "\ntype: text/plain\n\n",
			 "object: line 3 is not \"type: <mime>\"", 16);
	expect_malformed("no id line", "GOBX 1\nlabel: X\ntype: text/plain\n\ntext",
			 "object: line 4 is not \"id: <16 hex digits>\"", 33);
	expect_malformed("id in upper case",
			 "GOBX 1\nlabel: X\ntype: text/plain\nid: 00000000000004D2\n\n",
			 "object: id is not 16 lowercase hex digits", 37);
	expect_malformed("id of 15 digits",
			 "GOBX 1\nlabel: X\ntype: text/plain\nid: 0000000000004d2\n\n",
			 "object: id is not 16 lowercase hex digits", 37);
	expect_malformed("id of 17 digits",
			 "GOBX 1\nlabel: X\ntype: text/plain\nid: 000000000000004d2\n\n",
			 "object: id is not 16 lowercase hex digits", 37);
	expect_malformed("id with 0x",
			 "GOBX 1\nlabel: X\ntype: text/plain\nid: 0x000000000004d2\n\n",
			 "object: id is not 16 lowercase hex digits", 37);
	expect_malformed("id zero", "GOBX 1\nlabel: X\ntype: text/plain\nid: 0000000000000000\n\n",
			 "object: id 0000000000000000 (an object id is non-zero)", 37);
	expect_malformed("no blank line", "GOBX 1\nlabel: X\ntype: text/plain\nid: " ID "\n",
			 "object: line 5 is not empty (the end of the header)", 54);
	expect_malformed("a fifth header line",
			 "GOBX 1\nlabel: X\ntype: text/plain\nid: " ID "\nname: a.pdf\n\n",
			 "object: line 5 is not empty (the end of the header)", 54);
	expect_malformed("invalid UTF-8 in the text", ENV_U "line one\nline \xff two\n",
			 "object: text line 2: invalid UTF-8 or a control character",
			 (uint32_t)sizeof(ENV_U) - 1 + 14);
	expect_malformed("overlong UTF-8", ENV_U "\xc0\xaf",
			 "object: text line 1: invalid UTF-8 or a control character",
			 (uint32_t)sizeof(ENV_U) - 1);
	expect_malformed("a surrogate", ENV_U "ok \xed\xa0\x80",
			 "object: text line 1: invalid UTF-8 or a control character",
			 (uint32_t)sizeof(ENV_U) - 1 + 3);
	{
		/* strlen stops at the NUL: parse the bytes as they are */
		static const char env[] = ENV_U "a\0b";
		enum insp_reason r = test_parse(insp_obj_parse, &hand, env, sizeof(env) - 1);

		CHECK(r == INSP_R_MALFORMED_MESSAGE && m.err_offset == sizeof(ENV_U),
		      "a NUL in the text: malformed at its offset (%s)", detail);
	}
	expect_malformed("a form feed (join pages with LF)", ENV_U "page 1\fpage 2",
			 "object: text line 1: invalid UTF-8 or a control character",
			 (uint32_t)sizeof(ENV_U) - 1 + 6);
	expect_malformed("U+FFFE", ENV_U "x\xef\xbf\xbe",
			 "object: text line 1: invalid UTF-8 or a control character",
			 (uint32_t)sizeof(ENV_U) - 1 + 1);
	expect_malformed("a bidi override where the channel allows none", ENV_U "abc\xe2\x80\xae",
			 "object: bidirectional control U+202E not allowed on this channel",
			 (uint32_t)sizeof(ENV_U) - 1);

	/* the scan buffer full: fail closed */
	m.scan_cap = 40;
	expect_malformed("scan buffer full", ENV_U "0123456789012345678901234567890123456789",
			 "object: too much text", (uint32_t)sizeof(ENV_U) - 1);
	m.scan_cap = TEST_MSG_SCAN;
}

static void
decide(const char *what, const char *env, enum insp_reason want, uint32_t rule)
{
	test_decide(ch_obj, NULL, what, env, strlen(env), want, rule);
	if (want == INSP_R_RELEASE)
		CHECK(res.detail[0] == '\0', "%s: a release says nothing", what);
}

static void
test_decisions(void)
{
	decide("clean PDF text", HEAD "Quarterly logistics summary.\nAll convoys arrived.\n",
	       INSP_R_RELEASE, 0);
	CHECK_STR(res.uid, ID, "uid of the decision is the object id");
	CHECK(res.level == INSP_LEVEL_SECRET && res.tclass == 3, "SECRET, routine");
	decide("clean image (no text)", "GOBX 1\nlabel: " MN "\ntype: image/jpeg\nid: " ID "\n\n",
	       INSP_R_RELEASE, 0);
	decide("empty label", "GOBX 1\nlabel: \ntype: image/png\nid: " ID "\n\n", INSP_R_UNLABELLED,
	       0);
	decide("no label line", "GOBX 1\ntype: image/png\nid: " ID "\n\n", INSP_R_MALFORMED_MESSAGE,
	       0);
	CHECK_STR(res.detail,
		  "object: line 2 is not \"label: <marking>\" or \"label-4774: <4774 label XML>\"",
		  "no label: detail");
	CHECK(res.offset == 7, "no label: offset 7");
	decide("bad label",
	       "GOBX 1\nlabel: NATO SECRET//RELTO USA\ntype: image/png\nid: " ID "\n\n",
	       INSP_R_BAD_LABEL, 0);
	decide("unknown classification",
	       "GOBX 1\nlabel: NATO SUPER SECRET//REL TO NATO\ntype: image/png\nid: " ID "\n\n",
	       INSP_R_BAD_LABEL, 0);
	decide("over-classified",
	       "GOBX 1\nlabel: NATO COSMIC TOP SECRET//REL TO NATO\ntype: application/pdf\nid: " ID
	       "\n\nnothing to see\n",
	       INSP_R_OVER_CLASSIFIED, 0);
	decide("not releasable to all of MN",
	       "GOBX 1\nlabel: NATO SECRET//REL TO USA, GBR\ntype: application/pdf\nid: " ID
	       "\n\nnothing to see\n",
	       INSP_R_NOT_RELEASABLE, 0);
	decide("a term of the policy", HEAD "The blue sentinel report.\n",
	       INSP_R_PROHIBITED_CONTENT, 1002);
	CHECK(res.offset == sizeof(HEAD) - 1, "the term's offset is the text's (%u)", res.offset);
	decide("a codeword from terms/codewords.txt (line 8)",
	       HEAD "Annex B.\nReferences: Misty Lantern, phase 2.\n", INSP_R_PROHIBITED_CONTENT,
	       5008);
	decide("a phrase wrapped over a line break", HEAD "... the report on Ebon\nRidgeline.\n",
	       INSP_R_PROHIBITED_CONTENT, 5007);
	decide("a phrase wrapped over a page's CR LF and indent",
	       HEAD "project\r\n      aurora\r\n", INSP_R_PROHIBITED_CONTENT, 1003);
	decide("look-alike letters (Cyrillic e)", HEAD "blue s\xd0\xb5ntinel\n",
	       INSP_R_PROHIBITED_CONTENT, 1002);
	decide("a review term from terms/review.txt", HEAD "Notify the next of kin.\n",
	       INSP_R_REVIEW, 3007);
	decide("a drop term beats a review term", HEAD "next of kin; blue sentinel\n",
	       INSP_R_PROHIBITED_CONTENT, 1002);
	decide("a marking in the text above the label",
	       "GOBX 1\nlabel: NATO CONFIDENTIAL//REL TO NATO\ntype: application/pdf\nid: " ID
	       "\n\nPage 3\nNATO SECRET\nannex\n",
	       INSP_R_MARKING_INCONSISTENT, 2003);
	decide("a marking at the label's level",
	       "GOBX 1\nlabel: NATO SECRET//REL TO NATO\ntype: application/pdf\nid: " ID
	       "\n\nNATO SECRET\n",
	       INSP_R_RELEASE, 0);
	decide("a caveat excluding part of MN", HEAD "FVEY EYES ONLY\n",
	       INSP_R_MARKING_INCONSISTENT, 2105);
	decide("invalid UTF-8", HEAD "ok\n\xc3(\n", INSP_R_MALFORMED_MESSAGE, 0);
	CHECK(res.offset == sizeof(HEAD) - 1 + 3, "invalid UTF-8: offset of the bad byte (%u)",
	      res.offset);
	decide("a bidi override", HEAD "blue \xe2\x80\xaelenitnes eulb\n", INSP_R_MALFORMED_MESSAGE,
	       0);
	CHECK_STR(res.detail, "object: bidirectional control U+202E not allowed on this channel",
		  "bidi: detail");

	/* a STANAG 4774 label (label-4774) decides as a CoT or labelled-XML label does */
	decide("4774: NATO UNCLASSIFIED, Releasable To NATO",
	       ENV_4774(OBJ_L4774_U) "Quarterly logistics summary.\n", INSP_R_RELEASE, 0);
	CHECK(res.level == INSP_LEVEL_UNCLASSIFIED, "4774: level UNCLASSIFIED (%u)", res.level);
	decide("4774: over-classified", ENV_4774(OBJ_L4774("COSMIC TOP SECRET")) "nothing\n",
	       INSP_R_OVER_CLASSIFIED, 0);
	decide("4774: unknown classification", ENV_4774(OBJ_L4774("SUPER SECRET")) "nothing\n",
	       INSP_R_BAD_LABEL, 0);
	decide("4774: broken XML", ENV_4774("<s4774:originatorConfidentialityLabel x=") "x\n",
	       INSP_R_BAD_LABEL, 0);
	CHECK(strncmp(res.detail, "object: label-4774: ", 20) == 0, "broken XML: detail '%s'",
	      res.detail);
	decide("4774: wrong root", ENV_4774("<label>NATO UNCLASSIFIED</label>") "x\n",
	       INSP_R_BAD_LABEL, 0);
	decide("4774: a term in the text", ENV_4774(OBJ_L4774_U) "The blue sentinel report.\n",
	       INSP_R_PROHIBITED_CONTENT, 1002);
	decide("4774: a marking in the text above the label",
	       ENV_4774(OBJ_L4774_U) "Page 3\nNATO SECRET\nannex\n", INSP_R_MARKING_INCONSISTENT,
	       2003);
}

/* A text of @p n bytes with " blue sentinel" (1002) as its last words, in an envelope. */
static char *
big_envelope(size_t n, size_t *len)
{
	static const char tail[] = " blue sentinel\n";
	size_t h = sizeof(HEAD) - 1, t = sizeof(tail) - 1;
	char *e = malloc(h + n);

	if (e == NULL)
		return NULL;
	memcpy(e, HEAD, h);
	for (size_t i = 0; i < n - t; i++)
		e[h + i] = (i % 64 == 63) ? '\n' : "lorem ipsum dolor sit amet "[i % 27];
	memcpy(e + h + n - t, tail, t);
	*len = h + n;
	return e;
}

static void
test_big(void)
{
	struct insp_scratch *big = insp_scratch_create(pol, 32u << 20);
	size_t len = 0;
	char *env = big_envelope(20u << 20, &len);
	enum insp_reason r;

	CHECK(big != NULL && env != NULL, "a scratch for 32 MiB and a 20 MiB envelope");
	if (big == NULL || env == NULL) {
		insp_scratch_free(big);
		free(env);
		return;
	}
	r = insp_inspect(pol, big, (uint32_t)ch_obj, (const uint8_t *)env, len, T_NOW_MS, &res);
	CHECK(r == INSP_R_PROHIBITED_CONTENT && res.rule_id == 1002,
	      "20 MiB text: the term at its very end is found (got %s: %s)", insp_reason_name(r),
	      res.detail);
	env[len - 2] = 'X'; /* "blue sentineX" */
	r = insp_inspect(pol, big, (uint32_t)ch_obj, (const uint8_t *)env, len, T_NOW_MS, &res);
	CHECK(r == INSP_R_RELEASE, "20 MiB text without it: released (got %s: %s)",
	      insp_reason_name(r), res.detail);
	{
		size_t text;
		const uint8_t *scan = insp_scratch_scan_text(big, &text);

		CHECK(scan != NULL && text == strlen(MN) + 1 + (20u << 20) + 1,
		      "the scan text is the label and the whole text, once each (%zu)", text);
	}
	/* 20 MiB of non-ASCII text: folded and skeleton forms both fit */
	for (size_t i = sizeof(HEAD) - 1; i + 2 <= len; i += 2)
		memcpy(env + i, "\xd0\xb5", 2); /* Cyrillic e */
	memcpy(env + len - 16, "  blue sentinel\n", 16);
	r = insp_inspect(pol, big, (uint32_t)ch_obj, (const uint8_t *)env, len, T_NOW_MS, &res);
	CHECK(r == INSP_R_PROHIBITED_CONTENT && res.rule_id == 1002,
	      "20 MiB of Cyrillic with the term at the end (got %s: %s)", insp_reason_name(r),
	      res.detail);
	insp_scratch_free(big);

	/* the sample scratch (16 KiB) refuses it before parsing */
	r = insp_inspect(pol, scr, (uint32_t)ch_obj, (const uint8_t *)env, len, T_NOW_MS, &res);
	{
		char want[INSP_DETAIL_MAX];

		snprintf(want, sizeof(want),
			 "message of %zu bytes exceeds the inspection buffer (%u)", len,
			 TEST_SCRATCH_MAX);
		CHECK(r == INSP_R_MALFORMED_MESSAGE && strcmp(res.detail, want) == 0,
		      "a small scratch refuses a big envelope (%s)", res.detail);
	}
	free(env);

	/* 64 MiB: the slow path's largest; the scratch is proportional, not 16x */
	big = insp_scratch_create(pol, (64u << 20) + 4096);
	CHECK(big != NULL, "a scratch for 64 MiB + 4096");
	env = big_envelope(64u << 20, &len);
	if (big != NULL && env != NULL) {
		r = insp_inspect(pol, big, (uint32_t)ch_obj, (const uint8_t *)env, len, T_NOW_MS,
				 &res);
		CHECK(r == INSP_R_PROHIBITED_CONTENT && res.rule_id == 1002,
		      "64 MiB text: the term at its end (got %s: %s)", insp_reason_name(r),
		      res.detail);
	}
	insp_scratch_free(big);
	free(env);
}

/* Category hints and priorities of format object key on the MIME type. */
static void
test_type_hints(void)
{
	static const char yaml[] =
		"version: 1\n"
		"nations: [USA, POL]\n"
		"classifications: {NATO: {SECRET: SECRET, UNCLASSIFIED: UNCLASSIFIED}}\n"
		"destinations: {D: {members: [USA, POL], max_classification: SECRET}}\n"
		"data_categories: [reports, imagery]\n"
		"sharing_agreements: {reports: [USA, POL], imagery: [USA]}\n"
		"category_hints:\n"
		"  object: {\"image/\": imagery, \"image/png\": reports}\n"
		"priorities:\n"
		"  - {cot_type_prefix: \"application/pdf\", class: immediate}\n"
		"channels:\n"
		"  - name: obj\n"
		"    direction: high_to_low\n"
		"    format: object\n"
		"    destination: D\n"
		"    category: reports\n"
		"    ingress: {port: 0, address: 10.0.0.1, udp_port: 1}\n"
		"    egress: {port: 1, source_address: 10.1.0.1, address: 10.1.0.2, udp_port: 1,\n"
		"             next_hop_mac: \"02:00:00:00:00:02\"}\n"
		"    object: {types: [image/jpeg, image/png, application/pdf]}\n";
	struct insp_err err;
	struct insp_policy *p = pc_policy_load(yaml, strlen(yaml), "hints.yaml", &err);
	struct insp_scratch *s = p != NULL ? insp_scratch_create(p, 4096) : NULL;
	static const char *const env[] = {
		"GOBX 1\nlabel: NATO UNCLASSIFIED//REL TO USA, POL\ntype: image/jpeg\nid: " ID
		"\n\n",
		"GOBX 1\nlabel: NATO UNCLASSIFIED//REL TO USA, POL\ntype: image/png\nid: " ID
		"\n\n",
		"GOBX 1\nlabel: NATO UNCLASSIFIED//REL TO USA, POL\ntype: application/pdf\nid: " ID
		"\n\n",
	};
	enum insp_reason r;

	CHECK(p != NULL && s != NULL, "policy with object hints loads (%s)", p ? "" : err.msg);
	if (s == NULL) {
		pc_policy_free(p);
		return;
	}
	r = insp_inspect(p, s, 0, (const uint8_t *)env[0], strlen(env[0]), T_NOW_MS, &res);
	CHECK(r == INSP_R_NO_SHARING_AGREEMENT &&
		      strcmp(res.detail, "category 'imagery' not shared with POL (member of D)") ==
			      0,
	      "image/jpeg -> imagery, not shared with POL (got %s: %s)", insp_reason_name(r),
	      res.detail);
	r = insp_inspect(p, s, 0, (const uint8_t *)env[1], strlen(env[1]), T_NOW_MS, &res);
	CHECK(r == INSP_R_RELEASE && res.tclass == 3,
	      "image/png: the longer hint, reports: released, routine (got %s: %s)",
	      insp_reason_name(r), res.detail);
	r = insp_inspect(p, s, 0, (const uint8_t *)env[2], strlen(env[2]), T_NOW_MS, &res);
	CHECK(r == INSP_R_RELEASE && res.tclass == 3,
	      "application/pdf: the channel's reports; the cot_type_prefix row is for CoT and "
	      "TAK, and objects leave as routine (got %s, class %u)",
	      insp_reason_name(r), res.tclass);
	insp_scratch_free(s);
	pc_policy_free(p);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s SAMPLE_POLICY\n", argv[0]);
		return 2;
	}
	test_msg_setup();
	test_view();
	test_label_4774();
	test_malformed();

	pol = test_load_policy(argv[1]);
	if (pol == NULL)
		return test_done();
	scr = test_scratch(pol);
	ch_obj = test_channel(pol, "objects_out");
	CHECK(ch_obj >= 0 && pol->channels[ch_obj].format == INSP_FORMAT_OBJECT,
	      "objects_out is an object channel");
	CHECK_STR(insp_format_name(INSP_FORMAT_OBJECT), "object", "format name 'object'");
	CHECK_STR(insp_formats[INSP_FORMAT_OBJECT].type_key, "the object's MIME type",
		  "its type key");
	if (ch_obj >= 0 && scr != NULL) {
		test_decisions();
		test_big();
	}
	test_type_hints();
	insp_scratch_free(scr);
	pc_policy_free(pol);
	return test_done();
}
