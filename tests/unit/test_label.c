/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Security labels (insp_label.h, GUARD-SPEC 4.5): the marking-string grammar as an
 * accept/reject table with the exact reason, and the STANAG 4774 builder fed by the XML
 * parser (strict and lenient, structure errors, captured categories, xs:token collapse).
 * No arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_label.h"
#include "insp_xml.h"
#include "test.h"

/* ---- marking strings ---- */

/* Render a decoded label as "POLICY|CLASSIFICATION|REL1,REL2". */
static const char *
show(const struct insp_label *l)
{
	static char buf[1024];
	size_t n = 0;

	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%.*s|%.*s|", (int)l->policy.len,
			      (const char *)l->policy.p, (int)l->classification.len,
			      (const char *)l->classification.p);
	for (uint32_t i = 0; i < l->n_rel && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%.*s", i ? "," : "",
				      (int)l->rel[i].len, (const char *)l->rel[i].p);
	return buf;
}

/* @p s with control characters shown as '?', for one-line TAP descriptions. */
static const char *
vis(const char *s)
{
	static char buf[2][512];
	static int k;
	char *b = buf[k++ & 1];
	size_t i;

	for (i = 0; s[i] != '\0' && i < sizeof(buf[0]) - 1; i++)
		b[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	b[i] = '\0';
	return b;
}

static void
accept(const char *marking, const char *want)
{
	struct insp_label l;
	const char *why = "(not set)";
	int rc = insp_label_parse_marking((const uint8_t *)marking, (uint32_t)strlen(marking), &l,
					  &why);

	CHECK(rc == 0, "marking '%s' accepted", vis(marking));
	if (rc != 0)
		printf("#   why: %s\n", why);
	CHECK_STR(rc == 0 ? show(&l) : why, want, "marking '%s' decoded", vis(marking));
	CHECK(l.n_restrictive == 0 && l.n_informative == 0 && l.normalised == 0,
	      "marking '%s' has no categories", vis(marking));
}

static void
reject(const char *marking, const char *want_why)
{
	struct insp_label l;
	const char *why = NULL;
	int rc = insp_label_parse_marking((const uint8_t *)marking, (uint32_t)strlen(marking), &l,
					  &why);

	CHECK(rc == -1, "marking '%s' refused", vis(marking));
	CHECK_STR(why, want_why, "marking '%s' reason", vis(marking));
}

static void
test_marking(void)
{
	struct insp_label l;
	const char *why = NULL;

	accept("NATO SECRET", "NATO|SECRET|");
	accept("NATO UNCLASSIFIED", "NATO|UNCLASSIFIED|");
	accept("NATO SECRET//REL TO USA", "NATO|SECRET|USA");
	accept("NATO SECRET//REL TO USA, GBR, FVEY", "NATO|SECRET|USA,GBR,FVEY");
	accept("NATO COSMIC TOP SECRET//REL TO NATO", "NATO|COSMIC TOP SECRET|NATO");
	accept("GBR OFFICIAL-SENSITIVE//REL TO GBR, USA", "GBR|OFFICIAL-SENSITIVE|GBR,USA");
	accept("DEU VS-NUR FUER DEN DIENSTGEBRAUCH", "DEU|VS-NUR FUER DEN DIENSTGEBRAUCH|");
	accept("NATO SECRET//REL TO MISSION1, A2B", "NATO|SECRET|MISSION1,A2B");
	/* the grammar does not know the policy's names: that is insp_inspect's job */
	accept("NATO secret", "NATO|secret|");
	accept("XYZ NONSENSE//REL TO QQQ", "XYZ|NONSENSE|QQQ");

	reject("NATO  SECRET", "double or leading space");
	reject("NATO COSMIC  TOP SECRET", "double or leading space");
	reject("NATO SECRET//RELTO USA", "expected '//REL TO ' after the classification");
	reject("NATO SECRET//REL  TO USA", "expected '//REL TO ' after the classification");
	reject("NATO SECRET//rel to USA", "expected '//REL TO ' after the classification");
	reject("NATO SECRET/REL TO USA", "expected '//REL TO ' after the classification");
	reject("NATO SECRET//", "expected '//REL TO ' after the classification");
	reject("NATO SECRET//REL TO", "expected '//REL TO ' after the classification");
	reject("NATO SECRET//NOFORN", "expected '//REL TO ' after the classification");
	reject("Undefined", "expected 'POLICY CLASSIFICATION'");
	reject("UNCLASSIFIED", "expected 'POLICY CLASSIFICATION'");
	reject("", "expected 'POLICY CLASSIFICATION'");
	reject("nato SECRET", "expected 'POLICY CLASSIFICATION'");
	reject(" NATO SECRET", "expected 'POLICY CLASSIFICATION'");
	reject("NATO-X SECRET", "expected 'POLICY CLASSIFICATION'");
	reject("NATO", "expected 'POLICY CLASSIFICATION'");
	reject("NATO ", "missing classification");
	reject("NATO //REL TO USA", "missing classification");
	reject("NATO SECRET ", "trailing space after classification");
	reject("NATO SECRET //REL TO USA", "trailing space after classification");
	reject("NATO SEC\tRET", "control character");
	reject("NATO SECRET\n", "control character");
	reject("NATO SECRET//REL TO usa", "expected an upper-case code in REL TO");
	reject("NATO SECRET//REL TO Usa", "REL TO codes must be separated by ', '");
	reject("NATO SECRET//REL TO USA, gbr", "expected an upper-case code in REL TO");
	reject("NATO SECRET//REL TO ", "expected an upper-case code in REL TO");
	reject("NATO SECRET//REL TO  USA", "expected an upper-case code in REL TO");
	reject("NATO SECRET//REL TO USA,", "REL TO codes must be separated by ', '");
	reject("NATO SECRET//REL TO USA, ", "REL TO codes must be separated by ', '");
	reject("NATO SECRET//REL TO USA, GBR, ", "REL TO codes must be separated by ', '");
	reject("NATO SECRET//REL TO USA,GBR", "REL TO codes must be separated by ', '");
	reject("NATO SECRET//REL TO USA GBR", "REL TO codes must be separated by ', '");
	reject("NATO SECRET//REL TO USA,  GBR", "expected an upper-case code in REL TO");
	reject("NATO SECRET//REL TO USA//NOFORN", "REL TO codes must be separated by ', '");
	reject("NATO SECRET//REL TO USA ", "REL TO codes must be separated by ', '");
	reject("NATO SECRET//REL TO USA; GBR", "REL TO codes must be separated by ', '");

	/* INSP_LABEL_MAX_VALUES codes fit, one more does not */
	char buf[512];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "NATO SECRET//REL TO C0");

	for (int i = 1; i < INSP_LABEL_MAX_VALUES; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", C%d", i);
	CHECK(insp_label_parse_marking((const uint8_t *)buf, (uint32_t)n, &l, &why) == 0 &&
		      l.n_rel == INSP_LABEL_MAX_VALUES,
	      "%d REL TO codes accepted", INSP_LABEL_MAX_VALUES);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", CX");
	reject(buf, "too many REL TO codes");

	/* length is honoured: no reading past it, no NUL needed */
	CHECK(insp_label_parse_marking((const uint8_t *)"NATO SECRET//REL TO USA, GBR", 23, &l,
				       &why) == 0 &&
		      strcmp(show(&l), "NATO|SECRET|USA") == 0,
	      "length limits the marking (prefix 'NATO SECRET//REL TO USA')");
	CHECK(insp_label_parse_marking((const uint8_t *)"NATO SECRET//REL TO USA, GBR", 24, &l,
				       &why) == -1,
	      "length limits the marking (prefix ending in ',')");

	/* a refused marking leaves no stale categories behind */
	l.n_restrictive = 3;
	l.n_informative = 2;
	l.normalised = 1;
	CHECK(insp_label_parse_marking((const uint8_t *)"NATO SECRET", 11, &l, &why) == 0 &&
		      l.n_restrictive == 0 && l.n_informative == 0 && l.normalised == 0 &&
		      l.n_rel == 0,
	      "parse clears the output label");
}

/* ---- STANAG 4774 ---- */

#define NS4774	  "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"
#define OCL_OPEN  "<originatorConfidentialityLabel xmlns=\"" NS4774 "\">"
#define OCL_CLOSE "</originatorConfidentialityLabel>"
#define CREATED	  "<CreationDateTime>2026-11-22T09:59:00Z</CreationDateTime>"
#define CI(inner) "<ConfidentialityInformation>" inner "</ConfidentialityInformation>"
#define PC(pol, cls) \
	"<PolicyIdentifier>" pol "</PolicyIdentifier><Classification>" cls "</Classification>"
#define REL(v) "<Category Type=\"PERMISSIVE\" TagName=\"Releasable To\">" v "</Category>"
#define GV(v)  "<GenericValue>" v "</GenericValue>"

static struct insp_xml lx;
static struct insp_xml_event lev;
static uint8_t larena[65536];
static struct insp_label lab;
static const char *lwhy;

/*
 * Walk @p doc with the XML parser; feed the first label root found (at any depth) and
 * everything inside it to the builder. Returns 0 (valid label), -1 (label refused, lwhy set),
 * -2 (no label root), -3 (XML error, lwhy = the parser's message).
 */
static int
build(const char *doc, int strict)
{
	struct insp_label_4774 b;
	int found = 0, rc = -2;

	lwhy = NULL;
	memset(&lab, 0xA5, sizeof(lab)); /* begin() must initialise the output */
	if (insp_xml_init(&lx, (const uint8_t *)doc, strlen(doc), larena, sizeof(larena)) < 0)
		return lwhy = lx.err, -3;
	for (;;) {
		enum insp_xml_ev t = insp_xml_next(&lx, &lev);

		if (t == INSP_XML_ERROR)
			return lwhy = lx.err, -3;
		if (t == INSP_XML_EOF)
			return rc;
		if (t != INSP_XML_START || found || !insp_label_4774_is_root(&lev))
			continue;
		found = 1;
		insp_label_4774_begin(&b, &lab, strict, &lev);
		for (;;) {
			t = insp_xml_next(&lx, &lev);
			if (t == INSP_XML_ERROR || t == INSP_XML_EOF)
				return lwhy = lx.err, -3;
			if (insp_label_4774_feed(&b, &lev))
				break;
		}
		rc = insp_label_4774_end(&b);
		if (rc < 0)
			lwhy = b.why;
	}
}

/* Render the whole decoded label: "POL|CLASS|rel,rel|R:tag=value;...|I:tag=value;...|n" */
static const char *
show4774(void)
{
	static char buf[2048];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s|", show(&lab));

	for (uint32_t i = 0; i < lab.n_restrictive; i++)
		n += (size_t)snprintf(
			buf + n, sizeof(buf) - n, "R:%.*s=%.*s;", (int)lab.restrictive[i].tag.len,
			(const char *)lab.restrictive[i].tag.p, (int)lab.restrictive[i].value.len,
			(const char *)lab.restrictive[i].value.p);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "|");
	for (uint32_t i = 0; i < lab.n_informative; i++)
		n += (size_t)snprintf(
			buf + n, sizeof(buf) - n, "I:%.*s=%.*s;", (int)lab.informative[i].tag.len,
			(const char *)lab.informative[i].tag.p, (int)lab.informative[i].value.len,
			(const char *)lab.informative[i].value.p);
	snprintf(buf + n, sizeof(buf) - n, "|%s", lab.normalised ? "normalised" : "standard");
	return buf;
}

static void
ok4774(const char *what, const char *doc, int strict, const char *want)
{
	int rc = build(doc, strict);

	CHECK(rc == 0, "%s: %s label accepted (rc %d, why %s)", what, strict ? "strict" : "lenient",
	      rc, lwhy ? lwhy : "-");
	CHECK_STR(rc == 0 ? show4774() : lwhy, want, "%s: decoded", what);
}

static void
bad4774(const char *what, const char *doc, int strict, const char *want_why)
{
	int rc = build(doc, strict);

	CHECK(rc == -1, "%s: %s label refused (rc %d)", what, strict ? "strict" : "lenient", rc);
	CHECK_STR(lwhy, want_why, "%s: reason", what);
}

static void
test_4774(void)
{
	static const char full[] =
		"<originatorConfidentialityLabel xmlns=\"" NS4774 "\">\n"
		"  <ConfidentialityInformation>\n"
		"    <PolicyIdentifier>NATO</PolicyIdentifier>\n"
		"    <Classification>SECRET</Classification>\n"
		"    <PrivacyMark>EXERCISE ONLY</PrivacyMark>\n"
		"    <Category Type=\"PERMISSIVE\" TagName=\"Releasable To\">\n"
		"      <GenericValue>USA</GenericValue>\n"
		"      <GenericValue>GBR</GenericValue>\n"
		"    </Category>\n"
		"    <Category Type=\"RESTRICTIVE\" TagName=\"Additional Sensitivity\">\n"
		"      <GenericValue>ATOMAL</GenericValue>\n"
		"    </Category>\n"
		"    <Category Type=\"INFORMATIVE\" TagName=\"Data Category\">\n"
		"      <GenericValue>intelligence</GenericValue>\n"
		"      <GenericValue>logistics</GenericValue>\n"
		"    </Category>\n"
		"  </ConfidentialityInformation>\n"
		"  <CreationDateTime>2026-11-22T09:59:00.123+01:00</CreationDateTime>\n"
		"</originatorConfidentialityLabel>";

	ok4774("full label", full, 1,
	       "NATO|SECRET|USA,GBR|R:Additional Sensitivity=ATOMAL;|I:Data Category=intelligence;"
	       "I:Data Category=logistics;|standard");
	ok4774("full label", full, 0,
	       "NATO|SECRET|USA,GBR|R:Additional Sensitivity=ATOMAL;|I:Data Category=intelligence;"
	       "I:Data Category=logistics;|standard");
	ok4774("minimal", OCL_OPEN CI(PC("NATO", "RESTRICTED")) CREATED OCL_CLOSE, 1,
	       "NATO|RESTRICTED||||standard");
	/* the schema's sequence order: strict refuses another order, lenient says so */
	bad4774("CreationDateTime first, strict",
		OCL_OPEN CREATED CI(REL(GV("NATO")) PC("NATO", "SECRET")) OCL_CLOSE, 1,
		"4774 label elements out of the schema's order");
	ok4774("CreationDateTime first, lenient",
	       OCL_OPEN CREATED CI(REL(GV("NATO")) PC("NATO", "SECRET")) OCL_CLOSE, 0,
	       "NATO|SECRET|NATO|||normalised");
	/* every attribute the ADatP-4774 schema defines, with its type checked (issue 8) */
#define ROOT(attrs) "<originatorConfidentialityLabel xmlns=\"" NS4774 "\" " attrs ">"
#define PCU(attr)                                                                    \
	"<PolicyIdentifier " attr ">NATO</PolicyIdentifier><Classification>SECRET</" \
	"Classification>"
	ok4774("root Id and ReviewDateTime",
	       ROOT("Id=\"L-1\" ReviewDateTime=\" 2031-01-01T00:00:00Z \"") CI(PC("NATO", "SECRET"))
		       CREATED OCL_CLOSE,
	       1, "NATO|SECRET||||standard");
	bad4774("Id not an xs:ID", ROOT("Id=\"1 a\"") CI(PC("NATO", "SECRET")) CREATED OCL_CLOSE, 1,
		"label Id is not an xs:ID (an XML NCName)");
	bad4774("ReviewDateTime without a time",
		ROOT("ReviewDateTime=\"2031-01-01\"") CI(PC("NATO", "SECRET")) CREATED OCL_CLOSE, 0,
		"ReviewDateTime is not an xs:dateTime with zone");
	bad4774("version attribute, strict",
		ROOT("version=\"1.0\"") CI(PC("NATO", "SECRET")) CREATED OCL_CLOSE, 1,
		"unexpected attribute on the 4774 label (the schema allows Id and ReviewDateTime)");
	ok4774("version attribute, lenient",
	       ROOT("version=\"1.0\"") CI(PC("NATO", "SECRET")) CREATED OCL_CLOSE, 0,
	       "NATO|SECRET||||normalised");
	ok4774("PolicyIdentifier URI urn:oid",
	       OCL_OPEN CI(PCU("URI=\"urn:oid:1.3.26.1.3.1\"")) CREATED OCL_CLOSE, 1,
	       "NATO|SECRET||||standard");
	ok4774("PolicyIdentifier URI with an upper-case URN prefix",
	       OCL_OPEN CI(PCU("URI=\"URN:OID:2.25.0\"")) CREATED OCL_CLOSE, 1,
	       "NATO|SECRET||||standard");
	bad4774("PolicyIdentifier URI with a leading zero arc, strict",
		OCL_OPEN CI(PCU("URI=\"urn:oid:1.03.26\"")) CREATED OCL_CLOSE, 1,
		"URI attribute must be urn:oid:<OID> (ADatP-4774)");
	bad4774("PolicyIdentifier URI one arc, strict",
		OCL_OPEN CI(PCU("URI=\"urn:oid:1\"")) CREATED OCL_CLOSE, 1,
		"URI attribute must be urn:oid:<OID> (ADatP-4774)");
	ok4774("PolicyIdentifier URI not urn:oid, lenient",
	       OCL_OPEN CI(PCU("URI=\"http://example.org/p%20x\"")) CREATED OCL_CLOSE, 0,
	       "NATO|SECRET||||normalised");
	bad4774("URI with a space", OCL_OPEN CI(PCU("URI=\"urn:oid:1.2 3\"")) CREATED OCL_CLOSE, 0,
		"URI attribute is not an xs:anyURI");
	bad4774("URI with a bad escape", OCL_OPEN CI(PCU("URI=\"urn:%zz\"")) CREATED OCL_CLOSE, 0,
		"URI attribute is not an xs:anyURI");
	bad4774("URI non-ASCII", OCL_OPEN CI(PCU("URI=\"urn:oid:1.2\xc3\xa9\"")) CREATED OCL_CLOSE,
		0, "URI attribute is not an xs:anyURI");
	bad4774("URL misspelling, strict",
		OCL_OPEN CI(PCU("URL=\"urn:oid:1.3.26.1.3.1\"")) CREATED OCL_CLOSE, 1,
		"unexpected attribute (the schema allows only URI)");
	ok4774("URL misspelling, lenient",
	       OCL_OPEN CI(PCU("URL=\"urn:oid:1.3.26.1.3.1\"")) CREATED OCL_CLOSE, 0,
	       "NATO|SECRET||||normalised");
	ok4774("Category URI, TagName as xs:token, Type padded",
	       OCL_OPEN CI(
		       PC("NATO",
			  "SECRET") "<Category Type=\" PERMISSIVE \" TagName=\" releasable   to\" "
				    "URI=\"urn:oid:1.3.26.1.4.2\">" GV("USA") "</Category>")
		       CREATED OCL_CLOSE,
	       1, "NATO|SECRET|USA|||standard");
	ok4774("OriginatorID with IDType",
	       OCL_OPEN CI(PC("NATO",
			      "SECRET")) "<OriginatorID "
					 "IDType=\"rfc822Name\">a@b.example</OriginatorID>" CREATED
						 OCL_CLOSE,
	       1, "NATO|SECRET||||standard");
	bad4774("OriginatorID without IDType",
		OCL_OPEN CI(
			PC("NATO", "SECRET")) "<OriginatorID>a@b</OriginatorID>" CREATED OCL_CLOSE,
		0, "OriginatorID without IDType");
	bad4774("OriginatorID unknown IDType",
		OCL_OPEN CI(
			PC("NATO",
			   "SECRET")) "<OriginatorID IDType=\"email\">a@b</OriginatorID>" CREATED
			OCL_CLOSE,
		0, "OriginatorID IDType is not one the schema lists");
	ok4774("OriginatorID IDType case, lenient",
	       OCL_OPEN CI(PC(
		       "NATO",
		       "SECRET")) "<OriginatorID IDType=\"RFC822NAME\">a@b</OriginatorID>" CREATED
		       OCL_CLOSE,
	       0, "NATO|SECRET||||normalised");
	bad4774("OriginatorID after CreationDateTime, strict",
		OCL_OPEN CI(PC("NATO", "SECRET")) CREATED
		"<OriginatorID IDType=\"jID\">a@b</OriginatorID>" OCL_CLOSE,
		1, "4774 label elements out of the schema's order");
	bad4774("alternative label is not the originator's",
		"<alternativeConfidentialityLabel xmlns=\"" NS4774 "\">" CI(PC("NATO", "SECRET"))
			CREATED "</alternativeConfidentialityLabel>",
		0, "an alternative or metadata label is not the originator's label");
	ok4774("legacy root ConfidentialityLabel, lenient",
	       "<ConfidentialityLabel xmlns=\"" NS4774 "\">" CI(PC("NATO", "SECRET")) CREATED
	       "</ConfidentialityLabel>",
	       0, "NATO|SECRET||||normalised");
	ok4774("policy name inside Classification, lenient",
	       OCL_OPEN CI("<Classification>NATO SECRET</Classification>") OCL_CLOSE, 0,
	       "NATO|SECRET||||normalised");
	bad4774("SuccessionHandling",
		OCL_OPEN CI(PC("NATO", "SECRET")) CREATED "<SuccessionHandling/>" OCL_CLOSE, 0,
		"SuccessionHandling not supported (which label governs would depend on the time)");
#undef ROOT
#undef PCU
	ok4774("prefixed",
	       "<slab:originatorConfidentialityLabel xmlns:slab=\"" NS4774 "\">"
	       "<slab:ConfidentialityInformation><slab:PolicyIdentifier>NATO</"
	       "slab:PolicyIdentifier>"
	       "<slab:Classification>CONFIDENTIAL</slab:Classification>"
	       "<slab:Category Type=\"PERMISSIVE\" TagName=\"Releasable To\">"
	       "<slab:GenericValue>FVEY</slab:GenericValue></slab:Category>"
	       "</slab:ConfidentialityInformation>"
	       "<slab:CreationDateTime>2026-11-22T09:59:00Z</slab:CreationDateTime>"
	       "</slab:originatorConfidentialityLabel>",
	       1, "NATO|CONFIDENTIAL|FVEY|||standard");
	ok4774("nested in other XML",
	       "<event><detail>" OCL_OPEN CI(PC("GBR", "OFFICIAL")) CREATED OCL_CLOSE
	       "</detail></event>",
	       1, "GBR|OFFICIAL||||standard");
	ok4774("xs:token collapse",
	       OCL_OPEN CI("<PolicyIdentifier>\n  NATO \t</PolicyIdentifier>"
			   "<Classification>\n   COSMIC   TOP\tSECRET \n</Classification>" REL(
				   GV("  USA ") GV("\tG<!-- -->BR\n"))) CREATED OCL_CLOSE,
	       1, "NATO|COSMIC TOP SECRET|USA,GBR|||standard");
	ok4774("references and CDATA in values",
	       OCL_OPEN CI(PC("N&#65;TO", "<![CDATA[SECRET]]>")) CREATED OCL_CLOSE, 1,
	       "NATO|SECRET||||standard");
	ok4774("empty categories are fine",
	       OCL_OPEN CI(PC("NATO", "SECRET")
				   REL("") "<Category Type=\"INFORMATIVE\" TagName=\"Context\"/>")
		       CREATED OCL_CLOSE,
	       1, "NATO|SECRET||||standard");

	/* CreationDateTime: strict requires it, lenient normalises */
	bad4774("no CreationDateTime", OCL_OPEN CI(PC("NATO", "SECRET")) OCL_CLOSE, 1,
		"4774 label needs exactly one CreationDateTime");
	ok4774("no CreationDateTime", OCL_OPEN CI(PC("NATO", "SECRET")) OCL_CLOSE, 0,
	       "NATO|SECRET||||normalised");
	bad4774("two CreationDateTime", OCL_OPEN CI(PC("NATO", "SECRET")) CREATED CREATED OCL_CLOSE,
		0, "4774 label needs exactly one CreationDateTime");
	bad4774("CreationDateTime without zone",
		OCL_OPEN CI(PC("NATO", "SECRET")) "<CreationDateTime>2026-11-22T09:59:00"
						  "</CreationDateTime>" OCL_CLOSE,
		1, "CreationDateTime is not an xs:dateTime with zone");
	bad4774("CreationDateTime not a date",
		OCL_OPEN CI(
			PC("NATO",
			   "SECRET")) "<CreationDateTime>yesterday</CreationDateTime>" OCL_CLOSE,
		0, "CreationDateTime is not an xs:dateTime with zone");

	/* the root: capitalised, no namespace, other namespace */
	static const char cap[] =
		"<OriginatorConfidentialityLabel xmlns=\"" NS4774 "\">" CI(PC("NATO", "SECRET"))
			CREATED "</OriginatorConfidentialityLabel>";
	static const char nons[] =
		"<originatorConfidentialityLabel>" CI(PC("NATO", "SECRET")) CREATED OCL_CLOSE;
	static const char otherns[] =
		"<originatorConfidentialityLabel xmlns=\"urn:other\">" CI(PC("NATO", "SECRET"))
			CREATED OCL_CLOSE;
	const char *root_why =
		"4774 label root must be originatorConfidentialityLabel in the 4774 namespace";

	bad4774("capitalised root", cap, 1, root_why);
	ok4774("capitalised root", cap, 0, "NATO|SECRET||||normalised");
	bad4774("root in no namespace", nons, 1, root_why);
	ok4774("root in no namespace", nons, 0, "NATO|SECRET||||normalised");
	bad4774("root in another namespace", otherns, 1, root_why);
	bad4774("root in another namespace", otherns, 0, root_why);
	bad4774("root with an attribute",
		"<originatorConfidentialityLabel xmlns=\"" NS4774
		"\" id=\"x\">" CI(PC("NATO", "SECRET")) CREATED OCL_CLOSE,
		1,
		"unexpected attribute on the 4774 label (the schema allows Id and ReviewDateTime)");
	bad4774("child in another namespace",
		OCL_OPEN "<ConfidentialityInformation xmlns=\"urn:other\">" PC(
			"NATO", "SECRET") "</ConfidentialityInformation>" CREATED OCL_CLOSE,
		1, "4774 label element outside the 4774 namespace");
	bad4774("child in no namespace (strict)",
		"<s:originatorConfidentialityLabel xmlns:s=\"" NS4774
		"\">" CI(PC("NATO",
			    "SECRET")) "<s:CreationDateTime>2026-11-22T09:59:00Z"
				       "</s:CreationDateTime></s:originatorConfidentialityLabel>",
		1, "4774 label element outside the 4774 namespace");

	CHECK(build("<originatorconfidentiallabel/>", 1) == -2,
	      "other local names are not label roots");
	CHECK(build("<x:ORIGINATORCONFIDENTIALITYLABEL xmlns:x='urn:q'/>", 1) == -1,
	      "any case, any namespace is a label root (and refused)");

	/* structure */
	bad4774("two ConfidentialityInformation",
		OCL_OPEN CI(PC("NATO", "SECRET")) CI(PC("NATO", "SECRET")) CREATED OCL_CLOSE, 1,
		"4774 label needs exactly one ConfidentialityInformation");
	bad4774("no ConfidentialityInformation", OCL_OPEN CREATED OCL_CLOSE, 0,
		"4774 label needs exactly one ConfidentialityInformation");
	bad4774("two PolicyIdentifier",
		OCL_OPEN CI(PC("NATO", "SECRET") "<PolicyIdentifier>GBR</PolicyIdentifier>")
			CREATED OCL_CLOSE,
		1, "4774 label needs exactly one PolicyIdentifier and one Classification");
	bad4774("two Classification",
		OCL_OPEN CI(PC("NATO", "SECRET") "<Classification>SECRET</Classification>")
			CREATED OCL_CLOSE,
		1, "4774 label needs exactly one PolicyIdentifier and one Classification");
	bad4774("no Classification",
		OCL_OPEN CI("<PolicyIdentifier>NATO</PolicyIdentifier>") CREATED OCL_CLOSE, 0,
		"4774 label needs exactly one PolicyIdentifier and one Classification");
	bad4774("empty Classification",
		OCL_OPEN CI("<PolicyIdentifier>NATO</PolicyIdentifier><Classification> \n "
			    "</Classification>") CREATED OCL_CLOSE,
		1, "empty PolicyIdentifier or Classification");
	bad4774("two PrivacyMark",
		OCL_OPEN CI(PC("NATO", "SECRET") "<PrivacyMark>a</PrivacyMark><PrivacyMark>b"
						 "</PrivacyMark>") CREATED OCL_CLOSE,
		1, "more than one PrivacyMark");
	bad4774("unknown element in ConfidentialityInformation",
		OCL_OPEN CI(PC("NATO", "SECRET") "<Caveat>X</Caveat>") CREATED OCL_CLOSE, 1,
		"unexpected element in ConfidentialityInformation");
	bad4774("unknown element in the root",
		OCL_OPEN CI(PC("NATO", "SECRET")) CREATED "<Note>x</Note>" OCL_CLOSE, 0,
		"unexpected element in the 4774 label");
	bad4774("element inside a leaf", OCL_OPEN CI(PC("NATO", "SECRET<b/>")) CREATED OCL_CLOSE, 1,
		"unexpected element in the 4774 label");
	bad4774("GenericValue outside a Category",
		OCL_OPEN CI(PC("NATO", "SECRET") GV("USA")) CREATED OCL_CLOSE, 1,
		"unexpected element in ConfidentialityInformation");
	bad4774("text in ConfidentialityInformation",
		OCL_OPEN CI(PC("NATO", "SECRET") "loose") CREATED OCL_CLOSE, 1,
		"text outside a 4774 label leaf element");
	bad4774("text in the root", OCL_OPEN "loose" CI(PC("NATO", "SECRET")) CREATED OCL_CLOSE, 1,
		"text outside a 4774 label leaf element");
	bad4774("text in a Category",
		OCL_OPEN CI(PC("NATO", "SECRET") REL("USA")) CREATED OCL_CLOSE, 1,
		"text outside a 4774 label leaf element");
	bad4774("attribute on Classification",
		OCL_OPEN CI("<PolicyIdentifier>NATO</PolicyIdentifier><Classification x=\"1\">"
			    "SECRET</Classification>") CREATED OCL_CLOSE,
		1, "unexpected attribute (the schema allows only URI)");

	/* categories */
	bad4774("Category Type lower case",
		OCL_OPEN CI(
			PC("NATO", "SECRET") "<Category Type=\"permissive\" TagName=\"Releasable "
					     "To\">" GV("USA") "</Category>") CREATED OCL_CLOSE,
		1, "Category Type must be PERMISSIVE, RESTRICTIVE or INFORMATIVE");
	bad4774("Category Type unknown",
		OCL_OPEN CI(PC("NATO", "SECRET") "<Category Type=\"MANDATORY\" TagName=\"X\"/>")
			CREATED OCL_CLOSE,
		0, "Category Type must be PERMISSIVE, RESTRICTIVE or INFORMATIVE");
	bad4774("Category without Type",
		OCL_OPEN CI(PC("NATO", "SECRET") "<Category TagName=\"Releasable To\">" GV(
			"USA") "</Category>") CREATED OCL_CLOSE,
		1, "Category without Type");
	bad4774("Category without TagName",
		OCL_OPEN CI(PC("NATO", "SECRET") "<Category Type=\"RESTRICTIVE\">" GV(
			"ATOMAL") "</Category>") CREATED OCL_CLOSE,
		1, "Category without TagName");
	bad4774("PERMISSIVE other than Releasable To",
		OCL_OPEN CI(PC("NATO", "SECRET") "<Category Type=\"PERMISSIVE\" "
						 "TagName=\"Mission\">" GV("X") "</Category>")
			CREATED OCL_CLOSE,
		1, "PERMISSIVE category other than 'Releasable To' not supported");
	bad4774("unknown attribute on Category",
		OCL_OPEN CI(PC("NATO",
			       "SECRET") "<Category Type=\"PERMISSIVE\" TagName=\"Releasable "
					 "To\" x=\"1\">" GV("USA") "</Category>") CREATED OCL_CLOSE,
		1, "unexpected attribute on Category (the schema allows Type, TagName and URI)");
	bad4774("attribute on GenericValue",
		OCL_OPEN CI(PC("NATO", "SECRET") REL(
			"<GenericValue lang=\"en\">USA</GenericValue>")) CREATED OCL_CLOSE,
		1, "unexpected attribute in the 4774 label");
	ok4774("RESTRICTIVE and INFORMATIVE captured with their tags",
	       OCL_OPEN CI(PC(
		       "NATO",
		       "SECRET") "<Category Type=\"RESTRICTIVE\" TagName=\"Additional "
				 "Sensitivity\">" GV("ATOMAL")
					 GV("CRYPTO") "</Category>"
						      "<Category Type=\"INFORMATIVE\" "
						      "TagName=\"Context\">" GV(
							      "Exercise") "</Category>"
									  "<Category "
									  "Type=\"RESTRICTIVE\" "
									  "TagName=\"Special\">" GV(
										  "BOHEMIA") "</"
											     "Categ"
											     "ory>")
		       CREATED OCL_CLOSE,
	       1,
	       "NATO|SECRET||R:Additional Sensitivity=ATOMAL;R:Additional Sensitivity=CRYPTO;"
	       "R:Special=BOHEMIA;|I:Context=Exercise;|standard");

	/* value count limit */
	char buf[8192];
	size_t n = (size_t)snprintf(
		buf, sizeof(buf), "%s",
		OCL_OPEN "<ConfidentialityInformation>" PC(
			"NATO",
			"SECRET") "<Category Type=\"PERMISSIVE\" TagName=\"Releasable To\">");

	for (int i = 0; i < INSP_LABEL_MAX_VALUES; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, GV("C%d"), i);
	snprintf(buf + n, sizeof(buf) - n, "%s",
		 "</Category></ConfidentialityInformation>" CREATED OCL_CLOSE);
	CHECK(build(buf, 1) == 0 && lab.n_rel == INSP_LABEL_MAX_VALUES,
	      "%d Releasable To values accepted", INSP_LABEL_MAX_VALUES);
	snprintf(buf + n, sizeof(buf) - n, "%s",
		 GV("CX") "</Category></ConfidentialityInformation>" CREATED OCL_CLOSE);
	bad4774("too many Releasable To values", buf, 1, "too many Releasable To values");

	/* a comment or CDATA that looks like a label is not one */
	CHECK(build("<detail><!--" OCL_OPEN CI(PC("NATO", "SECRET")) CREATED OCL_CLOSE
		    "--></detail>",
		    1) == -2,
	      "label in a comment is not a label");
	CHECK(build("<detail><![CDATA[" OCL_OPEN CI(PC("NATO", "SECRET")) CREATED OCL_CLOSE
		    "]]></detail>",
		    1) == -2,
	      "label in CDATA is not a label");
	CHECK(build("<detail>&lt;originatorConfidentialityLabel/&gt;</detail>", 1) == -2,
	      "escaped label is not a label");

	/* the first error is kept */
	bad4774("first error wins", OCL_OPEN CI("<Foo/>" PC("NATO", "SECRET") "<Bar/>") OCL_CLOSE,
		1, "unexpected element in ConfidentialityInformation");
}

int
main(void)
{
	test_marking();
	test_4774();
	return test_done();
}
