/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Labelled XML (insp_lxml.h, GUARD-SPEC 5.3): realistic STANAG 4778-bound messages (a
 * friendly-force report with a full 4774 label, a casualty report with prefixed binding
 * elements, an intelligence summary) decode to the expected view and scan units; every rule
 * of the binding refuses its violation with its exact detail; and messages are decided
 * through insp_inspect() with the sample policy on channel lxml-mn (destination MN).
 *
 * Usage: test_lxml SAMPLE_POLICY DATA_DIR
 *   DATA_DIR  tests/data/lxml (the realistic samples)
 * Time is fixed: now = 2026-11-22T10:00:00Z.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_inspect.h"
#include "insp_lxml.h"
#include "insp_msg.h"
#include "insp_policy.h"
#include "pc_policy.h"
#include "test.h"
#include "test_msg.h"

#define NS4778	"urn:nato:stanag:4778:bindinginformation:1:0"
#define LABEL_U L4774("NATO", "UNCLASSIFIED", RELTO(GV("NATO")))

#define BI_OPEN                                                               \
	"<BindingInformation xmlns=\"" NS4778 "\"><MetadataBindingContainer>" \
	"<MetadataBinding>"
#define BI_CLOSE    "</MetadataBinding></MetadataBindingContainer></BindingInformation>"
#define META(x)	    "<Metadata>" x "</Metadata>"
#define DATA(x)	    "<Data>" x "</Data>"
#define LXML(md, d) BI_OPEN META(md) DATA(d) BI_CLOSE
#define FFR(t) \
	"<FriendlyForceReport><Unit callsign=\"VIPER 2-1\">" t "</Unit></FriendlyForceReport>"
#define STD LXML(LABEL_U, FFR("in position"))

static int ch_lxml = -1;

static enum insp_reason
parse_n(const char *doc, size_t len)
{
	return test_parse(insp_lxml_parse, &hand, doc, len);
}

static enum insp_reason
parse(const char *doc)
{
	return parse_n(doc, strlen(doc));
}

static void
expect_reason(const char *what, const char *doc, enum insp_reason want, const char *want_detail)
{
	enum insp_reason r = parse(doc);

	CHECK(r == want, "%s: %s (got %s: %s)", what, insp_reason_name(want), insp_reason_name(r),
	      detail);
	CHECK_STR(detail, want_detail, "%s: detail", what);
}

static void
expect_malformed(const char *what, const char *doc, const char *want_detail)
{
	expect_reason(what, doc, INSP_R_MALFORMED_MESSAGE, want_detail);
}

/* For refusals whose detail comes from another module (XML parser, label builder). */
static void
expect_prefix(const char *what, const char *doc, enum insp_reason want, const char *prefix)
{
	enum insp_reason r = parse(doc);

	CHECK(r == want && strncmp(detail, prefix, strlen(prefix)) == 0,
	      "%s: %s, detail '%s...' (got %s: %s)", what, insp_reason_name(want), prefix,
	      insp_reason_name(r), detail);
}

/* ---- the realistic samples ---- */

static void
test_samples(void)
{
	size_t len = 0;
	char *doc = test_read_sample("friendly_force_report.lxml", &len);
	enum insp_reason r;

	CHECK(doc != NULL, "read friendly_force_report.lxml");
	if (doc != NULL) {
		r = parse_n(doc, len);
		CHECK(r == INSP_R_RELEASE, "friendly-force report parses (%s)", detail);
		CHECK(m.has_4774 && !m.has_marking && !m.has_field_label && !m.has_stale,
		      "friendly-force report: a 4774 label only, no validity time");
		CHECK(insp_str_eq(m.label.policy, "NATO") &&
			      insp_str_eq(m.label.classification, "SECRET") && m.label.n_rel == 8 &&
			      insp_str_eq(m.label.rel[0], "USA") &&
			      insp_str_eq(m.label.rel[7], "CAN") && m.label.n_informative == 1 &&
			      insp_str_eq(m.label.informative[0].tag, "Data Category") &&
			      insp_str_eq(m.label.informative[0].value, "tracks") &&
			      !m.label.normalised,
		      "friendly-force report: prefixed 4774 label decoded (8 nations, data "
		      "category)");
		CHECK(insp_str_eq(m.type, "FriendlyForceReport"),
		      "type is the payload's local name, without its prefix");
		CHECK(m.uid.len == 0, "labelled XML has no uid");
		CHECK_STR(
			units_of_kind(INSP_UNIT_CONTENT),
			NS4778 "|urn:example:mn:friendlyforce:1|FFR-2026-1122-0042|W3BDEHQ|"
			       "brigade|3rd Mechanised Brigade HQ|50.8503|4.3517|WGS84|412|96|"
			       "operational, relocating to grid 31U ES 1234 5678 at 1400Z|"
			       "\\n            3rd Mechanised Brigade HQ\\n            \\n"
			       "            \\n            operational, relocating to grid 31U ES "
			       "1234 5678 at 1400Z\\n          ",
			"friendly-force report: content units (binding namespace value, payload)");
		CHECK_STR(units_of_kind(INSP_UNIT_NAME),
			  "BindingInformation|xmlns|MetadataBindingContainer|MetadataBinding|"
			  "Metadata|Data|ffr:FriendlyForceReport|xmlns:ffr|reportId|ffr:Unit|uic|"
			  "echelon|ffr:Name|ffr:Position|lat|lon|datum|ffr:Strength|personnel|"
			  "vehicles|ffr:Status",
			  "friendly-force report: binding and payload names are name units");
		CHECK(strstr(units_of_kind(INSP_UNIT_CARRIER),
			     "slab:originatorConfidentialityLabel|xmlns:slab|" NS4774
			     "|slab:ConfidentialityInformation|slab:PolicyIdentifier|NATO|") ==
			      units_of_kind(INSP_UNIT_CARRIER),
		      "friendly-force report: the label is carrier units");
		CHECK(units_of_kind(INSP_UNIT_COMMENT)[0] == '\0', "no comments");
		free(doc);
	}

	doc = test_read_sample("casualty_report.lxml", &len);
	CHECK(doc != NULL, "read casualty_report.lxml");
	if (doc != NULL) {
		r = parse_n(doc, len);
		CHECK(r == INSP_R_RELEASE, "casualty report (prefixed binding) parses (%s)",
		      detail);
		CHECK(insp_str_eq(m.type, "CasualtyReport") && m.has_4774 &&
			      insp_str_eq(m.label.classification, "RESTRICTED"),
		      "casualty report: type and label");
		CHECK_STR(units_of_kind(INSP_UNIT_CONTENT),
			  NS4778 "|urn:example:mn:casrep:2|DUSTOFF 3-2|2|1|0|31U ES 2201 6634|"
				 "Two urgent surgical, one litter; LZ marked with VS-17 panel & "
				 "smoke",
			  "casualty report: content units (CDATA is text)");
		CHECK_STR(units_of_kind(INSP_UNIT_COMMENT), " produced by the medical cell ",
			  "casualty report: the comment is a unit");
		free(doc);
	}

	doc = test_read_sample("intelligence_summary.lxml", &len);
	CHECK(doc != NULL, "read intelligence_summary.lxml");
	if (doc != NULL) {
		r = parse_n(doc, len);
		CHECK(r == INSP_R_RELEASE && insp_str_eq(m.type, "IntelligenceSummary"),
		      "intelligence summary parses, type IntelligenceSummary (%s)", detail);
		free(doc);
	}

	r = parse("<?xml version='1.0' encoding='UTF-8'?>\n<!-- header -->\n" STD "\n");
	CHECK(r == INSP_R_RELEASE, "declaration, comment and whitespace around the root (%s)",
	      detail);
	r = parse(LXML(LABEL_U, "<Report/>"));
	CHECK(r == INSP_R_RELEASE && insp_str_eq(m.type, "Report"), "empty payload element");
	r = parse(LXML(LABEL_U, "<p:Report xmlns:p=\"" NS4778 "\">x</p:Report>"));
	CHECK(r == INSP_R_RELEASE, "a payload in the 4778 namespace is still just a payload");
	r = parse(BI_OPEN "<Metadata>\n  " LABEL_U "\n  <!-- the label -->\n</Metadata>\n<Data>\n  "
			  "<Report>x</Report>\n</Data>" BI_CLOSE);
	CHECK(r == INSP_R_RELEASE, "whitespace and comments in <Metadata> and <Data> (%s)", detail);
	r = parse("<BindingInformation xmlns=\"" NS4778 "\" xmlns:x=\"urn:x\">"
		  "<MetadataBindingContainer><MetadataBinding><Metadata " /**/
		  "xmlns:y=\"urn:y\">" LABEL_U "</Metadata>" DATA(FFR("a")) BI_CLOSE);
	CHECK(r == INSP_R_RELEASE, "namespace declarations on binding elements (%s)", detail);
	CHECK(strncmp(units_of_kind(INSP_UNIT_CONTENT), NS4778 "|urn:x|urn:y|VIPER 2-1|a",
		      strlen(NS4778 "|urn:x|urn:y|VIPER 2-1|a")) == 0,
	      "their values are content units");
}

/* ---- labels ---- */

static void
test_labels(void)
{
	enum insp_reason r;

	r = parse(LXML("", FFR("a")));
	CHECK(r == INSP_R_RELEASE && !m.has_4774, "empty <Metadata>: parses, unlabelled");
	r = parse(BI_OPEN "<Metadata/>" DATA(FFR("a")) BI_CLOSE);
	CHECK(r == INSP_R_RELEASE && !m.has_4774, "self-closing <Metadata/>: unlabelled");
	r = parse(LXML("<!-- " LABEL_U " -->", FFR("a")));
	CHECK(r == INSP_R_RELEASE && !m.has_4774,
	      "a label inside a comment is not a label (unlabelled)");
	expect_malformed("a label in CDATA in <Metadata> is text, not a label",
			 LXML("<![CDATA[" LABEL_U "]]>", FFR("a")),
			 "labelled-xml: <Metadata> holds something other than the 4774 label");

	expect_reason("two labels in <Metadata>", LXML(LABEL_U LABEL_U, FFR("a")), INSP_R_BAD_LABEL,
		      "label: more than one 4774 label");
	expect_reason("a label inside the payload", LXML(LABEL_U, FFR(LABEL_U)), INSP_R_BAD_LABEL,
		      "label: 4774 label inside <Data>");
	CHECK(m.err_offset == strlen(BI_OPEN META(LABEL_U) "<Data><FriendlyForceReport>"
							   "<Unit callsign=\"VIPER 2-1\">"),
	      "offset of the misplaced label (%u)", m.err_offset);
	expect_reason("the payload is a label", LXML(LABEL_U, LABEL_U), INSP_R_BAD_LABEL,
		      "label: 4774 label inside <Data>");
	expect_reason("only a label in <Data>, none in <Metadata>", LXML("", LABEL_U),
		      INSP_R_BAD_LABEL, "label: 4774 label inside <Data>");
	expect_reason("a label in <Data> with different case",
		      LXML(LABEL_U, "<r><ORIGINATORCONFIDENTIALITYLABEL/></r>"), INSP_R_BAD_LABEL,
		      "label: 4774 label inside <Data>");
	expect_reason("off-standard label (no namespace), strict",
		      LXML("<originatorConfidentialityLabel xmlns=\"\"><ConfidentialityInformation>"
			   "<PolicyIdentifier>NATO</PolicyIdentifier><Classification>SECRET"
			   "</Classification></ConfidentialityInformation><CreationDateTime>"
			   "2026-11-22T09:59:00Z</CreationDateTime>"
			   "</originatorConfidentialityLabel>",
			   FFR("a")),
		      INSP_R_BAD_LABEL,
		      "label: 4774 label root must be originatorConfidentialityLabel in the 4774 "
		      "namespace");
	expect_reason("a label inheriting the 4778 default namespace",
		      LXML("<originatorConfidentialityLabel><ConfidentialityInformation>"
			   "<PolicyIdentifier>NATO</PolicyIdentifier><Classification>SECRET"
			   "</Classification></ConfidentialityInformation><CreationDateTime>"
			   "2026-11-22T09:59:00Z</CreationDateTime>"
			   "</originatorConfidentialityLabel>",
			   FFR("a")),
		      INSP_R_BAD_LABEL,
		      "label: 4774 label root must be originatorConfidentialityLabel in the 4774 "
		      "namespace");
	hand.strict_labels = 0;
	r = parse(LXML("<originatorConfidentialityLabel xmlns=\"\"><ConfidentialityInformation>"
		       "<PolicyIdentifier>NATO</PolicyIdentifier><Classification>SECRET"
		       "</Classification></ConfidentialityInformation><CreationDateTime>"
		       "2026-11-22T09:59:00Z</CreationDateTime></originatorConfidentialityLabel>",
		       FFR("a")));
	CHECK(r == INSP_R_RELEASE && m.has_4774 && m.label.normalised,
	      "off-standard label, lenient: accepted and normalised (%s)", detail);
	hand.strict_labels = 1;
	expect_prefix("broken label (no Classification)",
		      LXML("<originatorConfidentialityLabel xmlns=\"" NS4774 "\">"
			   "<ConfidentialityInformation><PolicyIdentifier>NATO</PolicyIdentifier>"
			   "</ConfidentialityInformation><CreationDateTime>2026-11-22T09:59:00Z"
			   "</CreationDateTime></originatorConfidentialityLabel>",
			   FFR("a")),
		      INSP_R_BAD_LABEL, "label: ");
	/* malformed wins over a bad label found earlier */
	expect_malformed("label in <Data>, then an extra element in the binding",
			 BI_OPEN META(LABEL_U) DATA(LABEL_U) "<Extra/>" BI_CLOSE,
			 "labelled-xml: unexpected element <Extra> in <MetadataBinding>");
	expect_malformed("two labels, then text in <Data>", LXML(LABEL_U LABEL_U, "x<r/>"),
			 "labelled-xml: text in <Data>");
}

/* ---- the binding structure ---- */

static void
test_structure(void)
{
	expect_malformed("root with another name", "<Binding xmlns=\"" NS4778 "\"/>",
			 "labelled-xml: root element must be <BindingInformation> in the 4778 "
			 "namespace");
	expect_malformed("root in no namespace",
			 "<BindingInformation><MetadataBindingContainer/></BindingInformation>",
			 "labelled-xml: root element must be <BindingInformation> in the 4778 "
			 "namespace");
	expect_malformed("root in the 4774 namespace", "<BindingInformation xmlns=\"" NS4774 "\"/>",
			 "labelled-xml: root element must be <BindingInformation> in the 4778 "
			 "namespace");
	expect_malformed(
		"root in a look-alike namespace",
		"<BindingInformation xmlns=\"urn:nato:stanag:4778:bindinginformation:1:1\"/>",
		"labelled-xml: root element must be <BindingInformation> in the 4778 "
		"namespace");
	expect_malformed("a CoT event on the labelled-XML channel", "<event version=\"2.0\"/>",
			 "labelled-xml: root element must be <BindingInformation> in the 4778 "
			 "namespace");
	expect_malformed("attribute on the root",
			 "<BindingInformation xmlns=\"" NS4778 "\" version=\"1\"/>",
			 "labelled-xml: attribute 'version' on <BindingInformation>");
	expect_malformed("attribute on <Metadata>",
			 BI_OPEN "<Metadata id=\"m1\">" LABEL_U "</Metadata>" DATA(FFR("a"))
				 BI_CLOSE,
			 "labelled-xml: attribute 'id' on <Metadata>");
	expect_malformed(
		"attribute on <Data>",
		BI_OPEN META(LABEL_U) "<Data encoding=\"xml\">" FFR("a") "</Data>" BI_CLOSE,
		"labelled-xml: attribute 'encoding' on <Data>");
	expect_malformed("prefixed attribute on <MetadataBinding>",
			 "<BindingInformation xmlns=\"" NS4778 "\" xmlns:x=\"urn:x\">"
			 "<MetadataBindingContainer><MetadataBinding x:role=\"a\">" META(LABEL_U)
				 DATA(FFR("a")) BI_CLOSE,
			 "labelled-xml: attribute 'role' on <MetadataBinding>");
	expect_malformed("text in the root",
			 "<BindingInformation xmlns=\"" NS4778 "\">hello<MetadataBindingContainer>"
			 "<MetadataBinding>" META(LABEL_U) DATA(FFR("a")) BI_CLOSE,
			 "labelled-xml: text in <BindingInformation>");
	expect_malformed("text in the container",
			 "<BindingInformation xmlns=\"" NS4778 "\"><MetadataBindingContainer>x"
			 "<MetadataBinding>" META(LABEL_U) DATA(FFR("a")) BI_CLOSE,
			 "labelled-xml: text in <MetadataBindingContainer>");
	expect_malformed("text in the binding after <Data>",
			 BI_OPEN META(LABEL_U) DATA(FFR("a")) "trailer" BI_CLOSE,
			 "labelled-xml: text in <MetadataBinding>");
	expect_malformed("CDATA text in the binding",
			 BI_OPEN "<![CDATA[x]]>" META(LABEL_U) DATA(FFR("a")) BI_CLOSE,
			 "labelled-xml: text in <MetadataBinding>");
	expect_malformed("text in <Data> after the payload", LXML(LABEL_U, FFR("a") "tail"),
			 "labelled-xml: text in <Data>");
	expect_malformed("text in <Metadata>", LXML("note" LABEL_U, FFR("a")),
			 "labelled-xml: <Metadata> holds something other than the 4774 label");
	expect_malformed("another element in <Metadata>", LXML(LABEL_U "<Extra/>", FFR("a")),
			 "labelled-xml: <Metadata> holds something other than the 4774 label");
	CHECK(m.err_offset == strlen(BI_OPEN), "offset: the <Metadata> element (%u)", m.err_offset);
	expect_malformed("a label wrapped in an element in <Metadata>",
			 LXML("<Wrap>" LABEL_U "</Wrap>", FFR("a")),
			 "labelled-xml: <Metadata> holds something other than the 4774 label");
	expect_malformed("element in the root",
			 "<BindingInformation xmlns=\"" NS4778 "\"><Extra/></BindingInformation>",
			 "labelled-xml: unexpected element <Extra> in <BindingInformation>");
	expect_malformed(
		"element in the container",
		"<BindingInformation xmlns=\"" NS4778 "\"><MetadataBindingContainer>"
		"<Metadata/></MetadataBindingContainer></BindingInformation>",
		"labelled-xml: unexpected element <Metadata> in <MetadataBindingContainer>");
	expect_malformed("element in the binding",
			 BI_OPEN META(LABEL_U) "<Signature/>" DATA(FFR("a")) BI_CLOSE,
			 "labelled-xml: unexpected element <Signature> in <MetadataBinding>");
	expect_malformed("a label in place of <Metadata>", BI_OPEN LABEL_U DATA(FFR("a")) BI_CLOSE,
			 "labelled-xml: unexpected element <originatorConfidentialityLabel> in "
			 "<MetadataBinding>");
	expect_malformed("a label after <Data>",
			 BI_OPEN META(LABEL_U) DATA(FFR("a")) LABEL_U BI_CLOSE,
			 "labelled-xml: unexpected element <originatorConfidentialityLabel> in "
			 "<MetadataBinding>");
	expect_malformed("second container",
			 "<BindingInformation xmlns=\"" NS4778 "\"><MetadataBindingContainer>"
			 "<MetadataBinding>" META(LABEL_U) DATA(
				 FFR("a")) "</MetadataBinding>"
					   "</MetadataBindingContainer><MetadataBindingContainer/>"
					   "</BindingInformation>",
			 "labelled-xml: more than one <MetadataBindingContainer>");
	expect_malformed("second binding",
			 BI_OPEN META(LABEL_U)
				 DATA(FFR("a")) "</MetadataBinding><MetadataBinding>" META(LABEL_U)
					 DATA(FFR("b")) BI_CLOSE,
			 "labelled-xml: more than one <MetadataBinding>");
	expect_malformed("second <Metadata>",
			 BI_OPEN META(LABEL_U) META("") DATA(FFR("a")) BI_CLOSE,
			 "labelled-xml: more than one <Metadata>");
	expect_malformed("<Metadata> after <Data>",
			 BI_OPEN META(LABEL_U) DATA(FFR("a")) META("") BI_CLOSE,
			 "labelled-xml: more than one <Metadata>");
	expect_malformed("second <Data>",
			 BI_OPEN META(LABEL_U) DATA(FFR("a")) DATA(FFR("b")) BI_CLOSE,
			 "labelled-xml: more than one <Data>");
	expect_malformed("<Data> before <Metadata>", BI_OPEN DATA(FFR("a")) META(LABEL_U) BI_CLOSE,
			 "labelled-xml: <Data> before <Metadata>");
	expect_malformed("no <Data>", BI_OPEN META(LABEL_U) BI_CLOSE,
			 "labelled-xml: <Data> missing");
	expect_malformed("empty binding", BI_OPEN BI_CLOSE, "labelled-xml: <Metadata> missing");
	expect_malformed("empty container",
			 "<BindingInformation xmlns=\"" NS4778 "\"><MetadataBindingContainer/>"
			 "</BindingInformation>",
			 "labelled-xml: <MetadataBinding> missing");
	expect_malformed("empty root", "<BindingInformation xmlns=\"" NS4778 "\"/>",
			 "labelled-xml: <MetadataBindingContainer> missing");
	expect_malformed("empty <Data>", LXML(LABEL_U, ""),
			 "labelled-xml: <Data> holds no payload element");
	expect_malformed("two payload elements", LXML(LABEL_U, FFR("a") FFR("b")),
			 "labelled-xml: more than one payload element in <Data>");
	expect_malformed("<Metadata> in another namespace",
			 BI_OPEN "<Metadata xmlns=\"urn:other\">" LABEL_U
				 "</Metadata>" DATA(FFR("a")) BI_CLOSE,
			 "labelled-xml: <Metadata> not in the 4778 namespace");
	expect_malformed("<Data> in no namespace",
			 BI_OPEN META(LABEL_U) "<Data xmlns=\"\">" FFR("a") "</Data>" BI_CLOSE,
			 "labelled-xml: <Data> not in the 4778 namespace");
	expect_malformed("<MetadataBinding> in another namespace",
			 "<BindingInformation xmlns=\"" NS4778 "\"><MetadataBindingContainer>"
			 "<b:MetadataBinding xmlns:b=\"urn:b\">" META(LABEL_U)
				 DATA(FFR("a")) "</b:MetadataBinding></MetadataBindingContainer></"
						"BindingInformation>",
			 "labelled-xml: <MetadataBinding> not in the 4778 namespace");
	expect_malformed("a second root element", STD "<BindingInformation/>",
			 "labelled-xml: xml: second root element");
	expect_prefix("DOCTYPE", "<!DOCTYPE BindingInformation []>" STD, INSP_R_MALFORMED_MESSAGE,
		      "labelled-xml: xml: ");
	expect_prefix("truncated document", BI_OPEN META(LABEL_U) "<Data>",
		      INSP_R_MALFORMED_MESSAGE, "labelled-xml: xml: ");
	expect_prefix("empty message", "", INSP_R_MALFORMED_MESSAGE, "labelled-xml: xml: ");
	expect_prefix("processing instruction in the payload", LXML(LABEL_U, FFR("<?pi x?>")),
		      INSP_R_MALFORMED_MESSAGE, "labelled-xml: xml: ");
	expect_prefix("undefined entity in the payload", LXML(LABEL_U, FFR("&nightfall;")),
		      INSP_R_MALFORMED_MESSAGE, "labelled-xml: xml: ");
	{
		char want[160];
		size_t at = strlen(BI_OPEN META(LABEL_U) "<Data><FriendlyForceReport><Unit "
							 "callsign=\"VIPER 2-1\">caf");

		snprintf(want, sizeof(want),
			 "labelled-xml: invalid UTF-8 or non-XML character at offset %zu", at);
		expect_malformed("truncated UTF-8 in the payload", LXML(LABEL_U, FFR("caf\xc3")),
				 want);
		CHECK(m.err_offset == at, "offset of the truncated sequence (%u)", m.err_offset);
		expect_malformed("overlong '/' in the payload", LXML(LABEL_U, FFR("caf\xc0\xaf")),
				 want);
		expect_malformed("control character in the payload", LXML(LABEL_U, FFR("caf\x1b")),
				 want);
	}
}

/* ---- bounds ---- */

static void
test_bounds(void)
{
	static char doc[TEST_MSG_MAX];
	size_t n;
	enum insp_reason r;

	/* payload at depth 1 below <Data>, then 15 more: 16 in all is the limit */
	n = (size_t)snprintf(doc, sizeof(doc), "%s", BI_OPEN META(LABEL_U) "<Data>");
	for (int i = 0; i < 16; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "<e>");
	for (int i = 0; i < 16; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "</e>");
	snprintf(doc + n, sizeof(doc) - n, "</Data>" BI_CLOSE);
	r = parse(doc);
	CHECK(r == INSP_R_RELEASE, "payload nesting of 16 below <Data> is allowed (%s)", detail);

	n = (size_t)snprintf(doc, sizeof(doc), "%s", BI_OPEN META(LABEL_U) "<Data>");
	for (int i = 0; i < 17; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "<e>");
	for (int i = 0; i < 17; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "</e>");
	snprintf(doc + n, sizeof(doc) - n, "</Data>" BI_CLOSE);
	expect_malformed("payload nesting of 17 below <Data>", doc,
			 "labelled-xml: the payload element nested deeper than 15");

	/* the label's 7 elements count too: with <r> and 504 more, 512 in all */
	n = (size_t)snprintf(doc, sizeof(doc), "%s", BI_OPEN META(LABEL_U) "<Data><r>");
	for (int i = 0; i < 504; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "<e/>");
	snprintf(doc + n, sizeof(doc) - n, "</r></Data>" BI_CLOSE);
	r = parse(doc);
	CHECK(r == INSP_R_RELEASE, "512 elements below <Metadata> and <Data> (%s)", detail);
	n = (size_t)snprintf(doc, sizeof(doc), "%s", BI_OPEN META(LABEL_U) "<Data><r>");
	for (int i = 0; i < 505; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "<e/>");
	snprintf(doc + n, sizeof(doc) - n, "</r></Data>" BI_CLOSE);
	expect_malformed("513 elements", doc,
			 "labelled-xml: the payload element has more than 512 elements");

	/* fail closed when the scan buffer is full */
	m.scan_cap = 64;
	r = parse(STD);
	CHECK(r == INSP_R_MALFORMED_MESSAGE && strcmp(detail, "labelled-xml: too much text") == 0,
	      "scan buffer full: malformed (%s)", detail);
	m.scan_cap = TEST_MSG_SCAN;
}

/* ---- decisions with the sample policy on lxml-mn ---- */

static void
expect_decision(const char *what, const char *doc, size_t len, enum insp_reason want, uint32_t rule)
{
	test_decide(ch_lxml, NULL, what, doc, len, want, rule);
	if (want == INSP_R_RELEASE)
		CHECK(res.detail[0] == '\0' && res.uid[0] == '\0',
		      "%s: a release says nothing; no uid", what);
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

#define MN_ALL	  "USA, GBR, FRA, DEU, POL, NLD, ITA, CAN"
#define L_S(cats) L4774("NATO", "SECRET", cats)

static void
test_decisions(void)
{
	decide_sample("friendly_force_report.lxml", INSP_R_RELEASE);
	CHECK(res.tclass == 2, "friendly-force report: priority (the sample's FriendlyForce row)");
	decide_sample("casualty_report.lxml", INSP_R_RELEASE);
	CHECK(res.tclass == 1, "casualty report: immediate (the sample's Casualty row)");
	decide_sample("intelligence_summary.lxml", INSP_R_NO_SHARING_AGREEMENT);
	CHECK(strcmp(res.detail, "category 'intelligence' not shared with POL (member of MN)") == 0,
	      "intelligence summary: POL has no agreement (%s)", res.detail);

	decide("minimal", STD, INSP_R_RELEASE, 0);
	decide("no label", LXML("", FFR("a")), INSP_R_UNLABELLED, 0);
	CHECK(strcmp(res.detail, "label: no access marking and no 4774 label") == 0,
	      "unlabelled detail (%s)", res.detail);
	decide("label only in a comment", LXML("<!-- " LABEL_U " -->", FFR("a")), INSP_R_UNLABELLED,
	       0);
	decide("two labels", LXML(LABEL_U LABEL_U, FFR("a")), INSP_R_BAD_LABEL, 0);
	decide("label in the payload", LXML(LABEL_U, FFR(LABEL_U)), INSP_R_BAD_LABEL, 0);
	decide("label only in <Data>", LXML("", LABEL_U), INSP_R_BAD_LABEL, 0);
	decide("unknown classification", LXML(L4774("NATO", "SEKRET", RELTO(GV("NATO"))), FFR("a")),
	       INSP_R_BAD_LABEL, 0);
	decide("unknown policy", LXML(L4774("XYZ", "SECRET", RELTO(GV("NATO"))), FFR("a")),
	       INSP_R_BAD_LABEL, 0);
	decide("NATO classification case-insensitive",
	       LXML(L4774("NATO", "secret", RELTO(GV("NATO"))), FFR("a")), INSP_R_RELEASE, 0);
	decide("national label (DEU VS-NUR FUER DEN DIENSTGEBRAUCH)",
	       LXML(L4774("DEU", "VS-NUR FUER DEN DIENSTGEBRAUCH", RELTO(GV("NATO"))), FFR("a")),
	       INSP_R_RELEASE, 0);
	decide("COSMIC TOP SECRET to MN",
	       LXML(L4774("NATO", "COSMIC TOP SECRET", RELTO(GV("NATO"))), FFR("a")),
	       INSP_R_OVER_CLASSIFIED, 0);
	decide("Releasable-To FVEY only", LXML(L_S(RELTO(GV("FVEY"))), FFR("a")),
	       INSP_R_NOT_RELEASABLE, 0);
	CHECK(strcmp(res.detail, "label: FRA (member of MN) not in Releasable-To") == 0,
	      "not releasable detail (%s)", res.detail);
	decide("no Releasable-To at all", LXML(L_S(""), FFR("a")), INSP_R_NOT_RELEASABLE, 0);
	decide("RESTRICTIVE ATOMAL", LXML(L_S(RELTO(GV("NATO")) RESTR("ATOMAL")), FFR("a")),
	       INSP_R_NOT_RELEASABLE, 0);
	decide("every MN nation listed",
	       LXML(L_S(RELTO(GV("USA") GV("GBR") GV("FRA") GV("DEU") GV("POL") GV("NLD") GV("ITA")
				      GV("CAN"))),
		    FFR("a")),
	       INSP_R_RELEASE, 0);
	decide("4774 Data Category intelligence on a friendly-force report",
	       LXML(L_S(RELTO(GV("NATO")) DCAT("intelligence")), FFR("a")),
	       INSP_R_NO_SHARING_AGREEMENT, 0);
	decide("4774 Data Category unknown", LXML(L_S(RELTO(GV("NATO")) DCAT("gossip")), FFR("a")),
	       INSP_R_NO_SHARING_AGREEMENT, 0);
	decide("IntelligenceReport payload (hint 'Intelligence')",
	       LXML(LABEL_U, "<IntelligenceReport>x</IntelligenceReport>"),
	       INSP_R_NO_SHARING_AGREEMENT, 0);
	decide("prefixed payload keys on the local name",
	       LXML(LABEL_U, "<i:IntelligenceReport xmlns:i=\"urn:i\">x</i:IntelligenceReport>"),
	       INSP_R_NO_SHARING_AGREEMENT, 0);

	decide("term in payload text", LXML(LABEL_U, FFR("Operation Nightfall begins")),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	decide("term in a payload attribute",
	       LXML(LABEL_U, "<Report note=\"see operation nightfall\"/>"),
	       INSP_R_PROHIBITED_CONTENT, 1001);
	decide("term in CDATA", LXML(LABEL_U, FFR("<![CDATA[blue sentinel]]>")),
	       INSP_R_PROHIBITED_CONTENT, 1002);
	decide("term by character references", LXML(LABEL_U, FFR("&#112;roject &#x61;urora")),
	       INSP_R_PROHIBITED_CONTENT, 1003);
	decide("term split by a comment", LXML(LABEL_U, FFR("safe<!-- x --> house")),
	       INSP_R_PROHIBITED_CONTENT, 1014);
	decide("term with a zero-width space", LXML(LABEL_U, FFR("black \xe2\x80\x8bledger")),
	       INSP_R_PROHIBITED_CONTENT, 1015);
	decide("term with a soft hyphen", LXML(LABEL_U, FFR("red mer\xc2\xadidian")),
	       INSP_R_PROHIBITED_CONTENT, 1016);
	decide("term in a comment in <Data>", LXML(LABEL_U, FFR("a") "<!-- glass falcon -->"),
	       INSP_R_PROHIBITED_CONTENT, 1019);
	decide("term in a payload namespace value",
	       LXML(LABEL_U, "<Report xmlns=\"urn:deep current\"/>"), INSP_R_PROHIBITED_CONTENT,
	       1020);
	decide("term in a binding namespace declaration",
	       "<BindingInformation xmlns=\"" NS4778 "\" xmlns:t=\"urn:task force raven\">"
	       "<MetadataBindingContainer><MetadataBinding>" META(LABEL_U) DATA(FFR("a")) BI_CLOSE,
	       INSP_R_PROHIBITED_CONTENT, 1017);
	decide("regex term", LXML(LABEL_U, FFR("tasking TK-2026-AB")), INSP_R_PROHIBITED_CONTENT,
	       1101);
	decide("term split across two elements",
	       LXML(LABEL_U, "<r><a>operation</a><b>nightfall</b></r>"), INSP_R_RELEASE, 0);
	decide("caveat NOFORN in the payload", LXML(L_S(RELTO(GV("NATO"))), FFR("NOFORN")),
	       INSP_R_MARKING_INCONSISTENT, 2101);
	decide("NATO SECRET in an UNCLASSIFIED payload", LXML(LABEL_U, FFR("NATO SECRET")),
	       INSP_R_MARKING_INCONSISTENT, 2003);
	decide("NATO SECRET in a SECRET payload", LXML(L_S(RELTO(GV("NATO"))), FFR("NATO SECRET")),
	       INSP_R_RELEASE, 0);
	decide("malformed: extra element", BI_OPEN META(LABEL_U) "<X/>" DATA(FFR("a")) BI_CLOSE,
	       INSP_R_MALFORMED_MESSAGE, 0);
	CHECK(strcmp(res.detail, "labelled-xml: unexpected element <X> in <MetadataBinding>") ==
			      0 &&
		      res.offset == strlen(BI_OPEN META(LABEL_U)),
	      "malformed: detail and offset reach the result (%s @%u)", res.detail, res.offset);
	decide("malformed beats a prohibited term",
	       LXML(LABEL_U, FFR("operation nightfall") FFR("b")), INSP_R_MALFORMED_MESSAGE, 0);
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
	test_labels();
	test_structure();
	test_bounds();

	pol = test_load_policy(argv[1]);
	if (pol == NULL)
		return test_done();
	ch_lxml = test_channel(pol, "lxml-mn");
	CHECK(ch_lxml >= 0, "channel lxml-mn exists");
	scr = test_scratch(pol);
	if (ch_lxml >= 0 && scr != NULL)
		test_decisions();
	insp_scratch_free(scr);
	pc_policy_free(pol);
	return test_done();
}
