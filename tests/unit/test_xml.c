/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The strict XML pull parser (insp_xml.h): event stream of small documents, the XML
 * declaration, everything the profile refuses (DOCTYPE, PI, entities, bad references,
 * "--" in comments, "]]>" in text, duplicate attributes, '<' in values, structure errors),
 * decoding (references, CDATA, comments joining text), namespaces, the limits, and
 * attribute-value normalisation. No arguments.
 *
 * Most cases render the event stream as one string and compare it exactly:
 *   START  <qname{ns} attr=value ...>      ({ns} only when the element has a namespace)
 *   TEXT   "text"
 *   END    </qname>
 *   EOF    $
 *   ERROR  !message                        (init failure or insp_xml_next() error)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_xml.h"
#include "test.h"

#define ARENA_CAP 65536

static struct insp_xml px;
static struct insp_xml_event pev;
static uint8_t arena[ARENA_CAP];
static char trace[8192];
static size_t trace_len;

static void
tput(const char *s, size_t n)
{
	if (trace_len + n >= sizeof(trace))
		n = sizeof(trace) - 1 - trace_len;
	memcpy(trace + trace_len, s, n);
	trace_len += n;
	trace[trace_len] = '\0';
}

static void
tputs(const char *s)
{
	tput(s, strlen(s));
}

/* Strings are shown with TAB, LF, CR and '\\' escaped, so that a trace stays on one line. */
static void
tstr(struct insp_str s)
{
	for (uint32_t i = 0; i < s.len; i++) {
		switch (s.p[i]) {
		case '\t':
			tputs("\\t");
			break;
		case '\n':
			tputs("\\n");
			break;
		case '\r':
			tputs("\\r");
			break;
		case '\\':
			tputs("\\\\");
			break;
		default:
			tput((const char *)s.p + i, 1);
		}
	}
}

static void
tqname(struct insp_str prefix, struct insp_str local)
{
	if (prefix.len) {
		tstr(prefix);
		tputs(":");
	}
	tstr(local);
}

/* Parse @p len bytes of @p doc completely; return the rendered event stream. */
static const char *
run_n(const char *doc, size_t len)
{
	trace_len = 0;
	trace[0] = '\0';
	if (insp_xml_init(&px, (const uint8_t *)doc, len, arena, sizeof(arena)) < 0) {
		tputs("!");
		tputs(px.err);
		return trace;
	}
	for (int guard = 0; guard < 10000; guard++) {
		enum insp_xml_ev t = insp_xml_next(&px, &pev);

		if (t != pev.type) {
			tputs("?type mismatch");
			return trace;
		}
		switch (t) {
		case INSP_XML_START:
			tputs("<");
			tqname(pev.prefix, pev.local);
			if (pev.ns.len) {
				tputs("{");
				tstr(pev.ns);
				tputs("}");
			}
			for (uint32_t i = 0; i < pev.n_attrs; i++) {
				tputs(" ");
				tqname(pev.attrs[i].prefix, pev.attrs[i].local);
				tputs("=");
				tstr(pev.attrs[i].value);
			}
			tputs(">");
			break;
		case INSP_XML_END:
			tputs("</");
			tqname(pev.prefix, pev.local);
			tputs(">");
			break;
		case INSP_XML_TEXT:
			tputs("\"");
			tstr(pev.text);
			tputs("\"");
			break;
		case INSP_XML_EOF:
			tputs("$");
			return trace;
		case INSP_XML_ERROR:
			tputs("!");
			tputs(px.err);
			return trace;
		default:
			tputs("?bad event");
			return trace;
		}
	}
	tputs("?no end");
	return trace;
}

static const char *
run(const char *doc)
{
	return run_n(doc, strlen(doc));
}

/* Expect exactly @p want for @p doc. */
#define EXPECT(doc, want, ...) CHECK_STR(run(doc), want, __VA_ARGS__)

/* The error message of @p doc, or "(no error)". */
static const char *
err_of(const char *doc)
{
	const char *t = run(doc);
	const char *bang = strrchr(t, '!');

	return bang != NULL && t[trace_len - 1] != '$' ? bang + 1 : "(no error)";
}

#define EXPECT_ERR(doc, want, ...) CHECK_STR(err_of(doc), want, __VA_ARGS__)

static int
in_arena(struct insp_str s)
{
	return s.p >= arena && s.p + s.len <= arena + sizeof(arena);
}

static int
in_doc(struct insp_str s, const char *doc)
{
	const uint8_t *d = (const uint8_t *)doc;

	return s.p >= d && s.p + s.len <= d + strlen(doc);
}

static void
test_events(void)
{
	static const char doc[] = "<a x=\"1\" y='two'>hi<b/>t&amp;u</a>";
	enum insp_xml_ev t;

	CHECK(insp_xml_init(&px, (const uint8_t *)doc, strlen(doc), arena, sizeof(arena)) == 0,
	      "init small document");
	t = insp_xml_next(&px, &pev);
	CHECK(t == INSP_XML_START && pev.type == INSP_XML_START, "1st event START");
	CHECK(pev.depth == 1 && pev.offset == 0, "root depth 1, offset 0");
	CHECK(insp_str_eq(pev.local, "a") && pev.prefix.len == 0 && pev.ns.len == 0,
	      "root name a, no prefix, no namespace");
	CHECK(pev.n_attrs == 2, "two attributes");
	CHECK(insp_str_eq(pev.attrs[0].local, "x") && insp_str_eq(pev.attrs[0].value, "1"),
	      "attribute x=1");
	CHECK(insp_str_eq(pev.attrs[1].local, "y") && insp_str_eq(pev.attrs[1].value, "two"),
	      "attribute y=two (single quotes)");
	CHECK(pev.attrs[0].offset == 3 && pev.attrs[1].offset == 9, "attribute offsets 3, 9");
	CHECK(!pev.attrs[0].is_ns_decl && !pev.attrs[1].is_ns_decl, "not namespace declarations");
	CHECK(in_doc(pev.attrs[0].value, doc), "plain attribute value is zero-copy");

	t = insp_xml_next(&px, &pev);
	CHECK(t == INSP_XML_TEXT && insp_str_eq(pev.text, "hi"), "2nd event TEXT 'hi'");
	CHECK(pev.depth == 1 && pev.offset == 17, "text depth 1 (parent), offset 17");
	CHECK(in_arena(pev.text), "text lives in the arena");

	t = insp_xml_next(&px, &pev);
	CHECK(t == INSP_XML_START && insp_str_eq(pev.local, "b") && pev.depth == 2 &&
		      pev.n_attrs == 0 && pev.offset == 19,
	      "3rd event START b depth 2 offset 19");
	t = insp_xml_next(&px, &pev);
	CHECK(t == INSP_XML_END && insp_str_eq(pev.local, "b") && pev.depth == 2,
	      "4th event END b (self-closing) depth 2");
	t = insp_xml_next(&px, &pev);
	CHECK(t == INSP_XML_TEXT && insp_str_eq(pev.text, "t&u") && pev.depth == 1,
	      "5th event TEXT 't&u' decoded");
	t = insp_xml_next(&px, &pev);
	CHECK(t == INSP_XML_END && insp_str_eq(pev.local, "a") && pev.depth == 1 &&
		      pev.offset == 30,
	      "6th event END a depth 1 offset 30");
	t = insp_xml_next(&px, &pev);
	CHECK(t == INSP_XML_EOF, "7th event EOF");
	t = insp_xml_next(&px, &pev);
	CHECK(t == INSP_XML_EOF && pev.type == INSP_XML_EOF, "EOF repeats");

	EXPECT(doc, "<a x=1 y=two>\"hi\"<b></b>\"t&u\"</a>$", "trace of the small document");
	EXPECT("<a/>", "<a></a>$", "self-closing root");
	EXPECT("<a ></a >", "<a></a>$", "spaces before '>' in start and end tags");
	EXPECT("<a-b.c_d1/>", "<a-b.c_d1></a-b.c_d1>$", "name characters - . _ digits");
	EXPECT("<a>x > y</a>", "<a>\"x > y\"</a>$", "'>' alone is text");
	EXPECT("<a> x </a>", "<a>\" x \"</a>$", "text keeps its surrounding spaces");

	/* errors are sticky */
	CHECK_STR(run("<a><b></a>"), "<a><b>!xml: end tag 'a' does not match 'b'",
		  "error after two starts");
	CHECK(insp_xml_next(&px, &pev) == INSP_XML_ERROR && pev.type == INSP_XML_ERROR,
	      "ERROR repeats");
	CHECK(px.err_offset == 6, "mismatched end tag offset 6 (got %u)", px.err_offset);
}

static void
test_quotes(void)
{
	EXPECT("<a x='say \"hi\"' y=\"it's\"/>", "<a x=say \"hi\" y=it's></a>$",
	       "each quote kind may contain the other");
	EXPECT("<a x = '1'\n\ty\t=\"2\"/>", "<a x=1 y=2></a>$", "whitespace around '='");
	EXPECT("<a x=''/>", "<a x=></a>$", "empty attribute value");
	EXPECT_ERR("<a x=1/>", "xml: attribute value must be quoted", "unquoted value");
	EXPECT_ERR("<a x='1\"/>", "xml: unterminated attribute value", "mixed quotes");
	EXPECT_ERR("<a x='1'y='2'/>", "xml: whitespace required before attribute",
		   "attributes without whitespace between");
	EXPECT_ERR("<a x/>", "xml: expected '=' after attribute name", "attribute without value");
	EXPECT_ERR("<a x='1'", "xml: unterminated start tag", "unterminated start tag");
	EXPECT_ERR("<a/ >", "xml: expected '>' after '/'", "'/ >'");
}

static void
test_declaration(void)
{
	EXPECT("<?xml version=\"1.0\"?><a/>", "<a></a>$", "declaration: version only");
	EXPECT("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<a/>", "<a></a>$",
	       "declaration: version, encoding, standalone (single quotes)");
	EXPECT("<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>", "<a></a>$",
	       "declaration: encoding name is case-insensitive");
	EXPECT("<?xml version=\"1.0\" standalone=\"no\" ?><a/>", "<a></a>$",
	       "declaration: standalone no, space before '?>'");
	EXPECT("<?xml version = '1.0'?><a/>", "<a></a>$", "declaration: spaces around '='");

	EXPECT_ERR("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
		   "xml: encoding must be UTF-8", "declaration: ISO-8859-1 refused");
	EXPECT_ERR("<?xml version=\"1.0\" encoding=\"UTF8\"?><a/>", "xml: encoding must be UTF-8",
		   "declaration: 'UTF8' refused");
	EXPECT_ERR("<?xml version=\"1.1\"?><a/>", "xml: version must be 1.0",
		   "declaration: version 1.1 refused");
	EXPECT_ERR("<?xml encoding=\"UTF-8\"?><a/>", "xml: declaration must start with version",
		   "declaration: without version refused");
	EXPECT_ERR("<?xml encoding=\"UTF-8\" version=\"1.0\"?><a/>",
		   "xml: declaration must start with version", "declaration: wrong order refused");
	EXPECT_ERR("<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?><a/>",
		   "xml: bad XML declaration", "declaration: standalone before encoding refused");
	EXPECT_ERR("<?xml version=\"1.0\" version=\"1.0\"?><a/>", "xml: bad XML declaration",
		   "declaration: repeated pseudo-attribute refused");
	EXPECT_ERR("<?xml version=\"1.0\" standalone=\"maybe\"?><a/>", "xml: bad standalone value",
		   "declaration: standalone 'maybe' refused");
	EXPECT_ERR("<?xml version=\"1.0\"encoding=\"UTF-8\"?><a/>", "xml: bad XML declaration",
		   "declaration: no space between pseudo-attributes refused");
	EXPECT_ERR("<?xml version=\"1.0\"<a/>", "xml: bad XML declaration",
		   "declaration: unterminated refused");
	EXPECT_ERR(" <?xml version=\"1.0\"?><a/>", "xml: processing instruction not allowed",
		   "declaration not first (after a space) refused");
	EXPECT_ERR("<!-- c --><?xml version=\"1.0\"?><a/>",
		   "xml: processing instruction not allowed",
		   "declaration not first (after a comment) refused");
	EXPECT_ERR("<?xml version=\"1.0\"?><?xml version=\"1.0\"?><a/>",
		   "xml: processing instruction not allowed", "second declaration refused");
	EXPECT_ERR("<a><?xml version=\"1.0\"?></a>", "xml: processing instruction not allowed",
		   "declaration inside the root refused");
	EXPECT_ERR("\xEF\xBB\xBF<a/>", "xml: byte order mark not allowed", "BOM refused");
	EXPECT_ERR("\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>", "xml: byte order mark not allowed",
		   "BOM before a declaration refused");
	EXPECT_ERR("<?XML version=\"1.0\"?><a/>", "xml: processing instruction not allowed",
		   "upper-case <?XML refused");
	EXPECT_ERR("<?xml version=\"1.0\"?>", "xml: no root element", "declaration only");
}

static void
test_refused_constructs(void)
{
	EXPECT_ERR("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
		   "xml: DOCTYPE/markup declarations not allowed", "DOCTYPE refused");
	CHECK(px.err_offset == 0, "DOCTYPE error offset 0");
	EXPECT_ERR("<?xml version=\"1.0\"?><!DOCTYPE a SYSTEM \"http://x/a.dtd\"><a/>",
		   "xml: DOCTYPE/markup declarations not allowed",
		   "DOCTYPE with external subset refused");
	EXPECT_ERR("<a><!DOCTYPE b></a>", "xml: markup declarations (DOCTYPE, ...) not allowed",
		   "DOCTYPE inside the root refused");
	EXPECT_ERR("<a><!ENTITY x \"y\"></a>",
		   "xml: markup declarations (DOCTYPE, ...) not allowed",
		   "ENTITY declaration inside the root refused");
	EXPECT_ERR("<?pi data?><a/>", "xml: processing instruction not allowed",
		   "PI before the root refused");
	EXPECT_ERR("<a/><?pi data?>", "xml: processing instruction not allowed",
		   "PI after the root refused");
	EXPECT("<a>oper<?x?>ation</a>", "<a>\"oper\"!xml: processing instruction not allowed",
	       "PI splitting a word refused (never skipped)");
	EXPECT_ERR("<a>&nbsp;</a>", "xml: undefined entity reference (no DTD allowed)",
		   "undefined entity &nbsp; refused");
	EXPECT_ERR("<a>&amp x</a>", "xml: undefined entity reference (no DTD allowed)",
		   "&amp without ';' refused");
	EXPECT_ERR("<a>a & b</a>", "xml: undefined entity reference (no DTD allowed)",
		   "bare '&' refused");
	EXPECT_ERR("<a x='&foo;'/>", "xml: undefined entity reference (no DTD allowed)",
		   "undefined entity in an attribute refused");
	EXPECT_ERR("<a><!-- a -- b --></a>", "xml: '--' inside a comment", "'--' in a comment");
	EXPECT_ERR("<!-- a -- b --><a/>", "xml: '--' inside a comment",
		   "'--' in a comment before the root");
	EXPECT_ERR("<a><!-- a ---></a>", "xml: '--' inside a comment", "comment ending in '--->'");
	EXPECT_ERR("<a><!--- a --></a>", "(no error)", "comment starting with '<!---' is fine");
	EXPECT_ERR("<a><!-- a </a>", "xml: unterminated comment", "unterminated comment");
	EXPECT_ERR("<a>x]]>y</a>", "xml: ']]>' in text", "']]>' in text refused");
	CHECK(px.err_offset == 4, "']]>' offset 4 (got %u)", px.err_offset);
	EXPECT("<a>x]]&gt;y</a>", "<a>\"x]]>y\"</a>$", "']]&gt;' is fine");
	EXPECT_ERR("<a><![CDATA[x</a>", "xml: unterminated CDATA section", "unterminated CDATA");
	EXPECT_ERR("<a x=\"1\" x=\"2\"/>", "xml: duplicate attribute 'x'", "duplicate attribute");
	CHECK(px.err_offset == 9, "duplicate attribute offset 9 (got %u)", px.err_offset);
	EXPECT_ERR("<a x='1' y='2' x='1'/>", "xml: duplicate attribute 'x'",
		   "duplicate attribute, same value, not adjacent");
	EXPECT_ERR("<a xmlns:p='u' p:x='1' p:x='2'/>", "xml: duplicate attribute 'p:x'",
		   "duplicate prefixed attribute");
	EXPECT_ERR("<a xmlns:p='u' xmlns:p='v'/>", "xml: duplicate attribute 'xmlns:p'",
		   "duplicate namespace declaration");
	/* Namespaces in XML 1.0 section 6.3: same expanded name through two prefixes */
	EXPECT_ERR("<a xmlns:p='urn:u' xmlns:q='urn:u' p:x='1' q:x='2'/>",
		   "xml: duplicate attribute 'q:x'",
		   "duplicate attribute by expanded name (two prefixes, one URI)");
	EXPECT_ERR("<a x='1<2'/>", "xml: '<' in attribute value", "'<' in attribute value");
	CHECK(px.err_offset == 7, "'<' offset 7 (got %u)", px.err_offset);
	EXPECT("<a x='1>2' y='&lt;b&gt;'/>", "<a x=1>2 y=<b>></a>$",
	       "'>' and &lt; in attribute values are fine");
}

static void
test_references(void)
{
	EXPECT("<a>&#97;&#x61;&#x0041;&#0000098;</a>", "<a>\"aaAb\"</a>$",
	       "decimal and hex character references");
	EXPECT("<a>&lt;&gt;&amp;&quot;&apos;</a>", "<a>\"<>&\"'\"</a>$", "the five entities");
	EXPECT("<a>&#xE9;&#x20AC;&#x1F600;</a>", "<a>\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"</a>$",
	       "references to 2-, 3- and 4-byte characters are encoded as UTF-8");
	EXPECT("<a v='&#97;&#x62;&amp;'/>", "<a v=ab&></a>$", "references in an attribute value");
	EXPECT("<a>&#9;&#10;&#13;x</a>", "<a>\"\\t\\n\\rx\"</a>$", "references to TAB, LF, CR");
	EXPECT("<a>&#32;&#x20;</a>", "<a></a>$", "text of space references only is blank");
	EXPECT_ERR("<a>&#0;</a>", "xml: character reference to a non-XML character", "&#0;");
	EXPECT_ERR("<a>&#1;</a>", "xml: character reference to a non-XML character", "&#1;");
	EXPECT_ERR("<a>&#xD800;</a>", "xml: character reference to a non-XML character",
		   "&#xD800; (surrogate)");
	EXPECT_ERR("<a>&#xDFFF;</a>", "xml: character reference to a non-XML character",
		   "&#xDFFF; (surrogate)");
	EXPECT_ERR("<a>&#xFFFE;</a>", "xml: character reference to a non-XML character",
		   "&#xFFFE;");
	EXPECT_ERR("<a>&#x110000;</a>", "xml: character reference out of range", "&#x110000;");
	EXPECT_ERR("<a>&#99999999999999999999;</a>", "xml: character reference out of range",
		   "huge decimal reference (no overflow)");
	EXPECT_ERR("<a>&#;</a>", "xml: bad character reference", "&#;");
	EXPECT_ERR("<a>&#x;</a>", "xml: bad character reference", "&#x;");
	EXPECT_ERR("<a>&#X61;</a>", "xml: bad character reference", "&#X61; (upper-case X)");
	EXPECT_ERR("<a>&#6a;</a>", "xml: bad character reference", "&#6a; (hex digit in decimal)");
	EXPECT_ERR("<a>&#97</a>", "xml: bad character reference", "&#97 without ';'");
	EXPECT_ERR("<a x='&#97' y=';'/>", "xml: bad character reference",
		   "reference not closed inside its attribute");
	EXPECT_ERR("<a x='&#0;'/>", "xml: character reference to a non-XML character",
		   "&#0; in an attribute");
}

static void
test_comments_cdata(void)
{
	EXPECT("<a>a<!-- c -->b</a>", "<a>\"ab\"</a>$", "comment removed, text joined");
	EXPECT("<a>oper<!---->ation nightfall</a>", "<a>\"operation nightfall\"</a>$",
	       "empty comment splitting a word");
	EXPECT("<a>x<!-- 1 --><!-- 2 -->y<!-- 3 -->z</a>", "<a>\"xyz\"</a>$",
	       "several comments, one text event");
	EXPECT("<a><!-- only --></a>", "<a></a>$", "comment-only content gives no text");
	EXPECT("<!-- before --><a/><!-- after -->", "<a></a>$", "comments around the root");
	EXPECT("<a>x<![CDATA[<b>&amp;]]>y</a>", "<a>\"x<b>&amp;y\"</a>$",
	       "CDATA is text, not decoded, joined with its neighbours");
	EXPECT("<a>oper<![CDATA[ation]]> nightfall</a>", "<a>\"operation nightfall\"</a>$",
	       "CDATA splitting a word");
	EXPECT("<a><![CDATA[]]></a>", "<a></a>$", "empty CDATA");
	EXPECT("<a><![CDATA[ \n ]]></a>", "<a></a>$", "blank CDATA is not reported");
	EXPECT("<a><![CDATA[a]]]]><![CDATA[>b]]></a>", "<a>\"a]]>b\"</a>$",
	       "']]>' spelled through two CDATA sections");
	EXPECT("<a>x<!--<b>-->y</a>", "<a>\"xy\"</a>$", "markup inside a comment is not markup");
	EXPECT("<a>&lt;!-- x --&gt;</a>", "<a>\"<!-- x -->\"</a>$",
	       "escaped comment is text, not a comment");
}

static void
test_structure(void)
{
	EXPECT_ERR("<a><b></a></b>", "xml: end tag 'a' does not match 'b'", "mismatched end tag");
	EXPECT_ERR("<a></A>", "xml: end tag 'A' does not match 'a'", "end tag differs in case");
	EXPECT_ERR("<p:a xmlns:p='u' xmlns:q='u'></q:a>", "xml: end tag 'q:a' does not match 'p:a'",
		   "end tag must match the qname, not the expanded name");
	EXPECT_ERR("<a><b></b>", "xml: document ends inside 'a'", "unclosed root");
	EXPECT_ERR("<a><b>text", "xml: document ends inside 'b'", "unclosed child with text");
	EXPECT_ERR("<a/><b/>", "xml: second root element", "second root element");
	EXPECT_ERR("<a></a><a></a>", "xml: second root element", "second root, same name");
	EXPECT_ERR("<a/>x", "xml: text outside the root element", "text after the root");
	EXPECT_ERR("x<a/>", "xml: text outside the root element", "text before the root");
	EXPECT("\n <a/> \n\t", "<a></a>$", "whitespace around the root is fine");
	EXPECT_ERR("", "xml: no root element", "empty document");
	EXPECT_ERR("  <!-- c -->  ", "xml: no root element", "comment only");
	EXPECT_ERR("</a>", "xml: end tag outside the root element", "end tag first");
	EXPECT_ERR("<a></a></a>", "xml: end tag outside the root element", "extra end tag");
	EXPECT_ERR("<a:b:c/>", "xml: bad element name", "two colons in a name");
	EXPECT_ERR("<1a/>", "xml: bad element name", "name starting with a digit");
	EXPECT_ERR("< a/>", "xml: bad element name", "space after '<'");
	EXPECT_ERR("<a><:b/></a>", "xml: bad element name", "name starting with ':'");
	/* XML 1.0 (fifth edition) Name production: characters that look like a name's */
	EXPECT_ERR("<re\xc2\xa0marks/>", "xml: bad element name", "no-break space in a name");
	EXPECT_ERR("<a\xc3\x97"
		   "b/>",
		   "xml: bad element name", "multiplication sign in a name");
	EXPECT_ERR("<a\xe2\x80\xb9"
		   "b/>",
		   "xml: bad element name", "quotation mark in a name");
	EXPECT_ERR("<\xc2\xb7"
		   "a/>",
		   "xml: bad element name", "middle dot cannot start a name");
	EXPECT_ERR("<\xcc\x81"
		   "a/>",
		   "xml: bad element name", "combining mark cannot start a name");
	EXPECT_ERR("<a x\xc2\xa0y='1'/>", "xml: bad attribute name",
		   "no-break space in an attribute");
	EXPECT_ERR("<p:\xc2\xb7"
		   "a xmlns:p='u'/>",
		   "xml: bad element name", "middle dot cannot start a local name");
	EXPECT("<Stra\xc3\x9f\x65/>", "<Stra\xc3\x9f\x65></Stra\xc3\x9f\x65>$",
	       "a German name is a name");
	EXPECT("<\xe5\x90\x8d\xe5\x89\x8d/>",
	       "<\xe5\x90\x8d\xe5\x89\x8d></\xe5\x90\x8d\xe5\x89\x8d>$", "a CJK name is a name");
	EXPECT("<a\xc2\xb7\xcc\x81/>", "<a\xc2\xb7\xcc\x81></a\xc2\xb7\xcc\x81>$",
	       "middle dot and combining marks inside a name");
	EXPECT_ERR("<a></a", "xml: bad end tag", "unterminated end tag");
	EXPECT_ERR("<a><![CDATA[x]]></a><![CDATA[y]]>",
		   "xml: DOCTYPE/markup declarations not allowed", "CDATA outside the root");
	/* truncations of a valid document all fail */
	static const char full[] = "<a x='1'><b>t&amp;</b><!-- c --></a>";
	int all_fail = 1;

	for (size_t n = 0; n < sizeof(full) - 1; n++) {
		const char *t = run_n(full, n);

		if (t[trace_len - 1] == '$') {
			all_fail = 0;
			printf("# prefix of %zu bytes accepted: %s\n", n, t);
		}
	}
	CHECK(all_fail, "every proper prefix of a document is refused");
	EXPECT(full, "<a x=1><b>\"t&\"</b></a>$", "the full document is accepted");
}

static void
test_namespaces(void)
{
	const char *doc = "<p:a xmlns:p='urn:p' xmlns='urn:d'><b p:x='1'/><c xmlns=''><d/></c>"
			  "<p:e/></p:a>";

	EXPECT(doc,
	       "<p:a{urn:p} xmlns:p=urn:p xmlns=urn:d><b{urn:d} p:x=1></b><c xmlns=><d></d></c>"
	       "<p:e{urn:p}></p:e></p:a>$",
	       "prefix, default namespace, undeclared default");
	CHECK(insp_xml_init(&px, (const uint8_t *)doc, strlen(doc), arena, sizeof(arena)) == 0 &&
		      insp_xml_next(&px, &pev) == INSP_XML_START,
	      "namespaced root parses");
	CHECK(pev.n_attrs == 2 && pev.attrs[0].is_ns_decl && pev.attrs[1].is_ns_decl,
	      "xmlns:p and xmlns are flagged as namespace declarations");
	CHECK(insp_str_eq(pev.prefix, "p") && insp_str_eq(pev.local, "a") &&
		      insp_str_eq(pev.ns, "urn:p"),
	      "root prefix p, local a, namespace urn:p");
	CHECK(insp_xml_next(&px, &pev) == INSP_XML_START && insp_str_eq(pev.ns, "urn:d") &&
		      pev.prefix.len == 0,
	      "unprefixed child in the default namespace");

	EXPECT("<a><b xmlns:p='u1'><p:c/></b><p:d/></a>",
	       "<a><b xmlns:p=u1><p:c{u1}></p:c></b>!xml: namespace prefix 'p' not declared",
	       "a declaration's scope ends with its element");
	EXPECT("<a xmlns:p='u1'><b xmlns:p='u2'><p:c/></b><p:d/></a>",
	       "<a xmlns:p=u1><b xmlns:p=u2><p:c{u2}></p:c></b><p:d{u1}></p:d></a>$",
	       "inner declaration shadows, outer one comes back");
	EXPECT("<a xmlns='u1'><b xmlns='u2'/><c/></a>",
	       "<a{u1} xmlns=u1><b{u2} xmlns=u2></b><c{u1}></c></a>$",
	       "default namespace scope after a self-closing element");
	EXPECT_ERR("<q:a/>", "xml: namespace prefix 'q' not declared", "undeclared element prefix");
	EXPECT_ERR("<a q:x='1'/>", "xml: namespace prefix 'q' not declared",
		   "undeclared attribute prefix");
	EXPECT("<a xml:lang='en'/>", "<a xml:lang=en></a>$", "the xml prefix is predeclared");
	EXPECT("<p:a xmlns:p='urn:&#97;'/>", "<p:a{urn:a} xmlns:p=urn:a></p:a>$",
	       "namespace URI is the decoded value");
	EXPECT_ERR("<a xmlns:p=''/>", "xml: empty namespace for a prefix", "xmlns:p='' refused");
	EXPECT_ERR("<a xmlns:xmlns='u'/>", "xml: reserved namespace prefix",
		   "declaring xmlns refused");
	EXPECT_ERR("<a xmlns:xml='u'/>", "xml: reserved namespace prefix", "declaring xml refused");
	EXPECT_ERR("<xmlns:a/>", "xml: namespace prefix 'xmlns' not declared",
		   "element with the xmlns prefix refused");

	/* INSP_XML_MAX_NS bindings in force at once */
	char buf[4096];
	size_t n = 0;

	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<a");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " xmlns:p%d='u%d'", i, i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "><b");
	for (int i = 0; i < 12; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " xmlns:q%d='v%d'", i, i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "><p19:c q11:x='1'/></b></a>");
	CHECK(strcmp(err_of(buf), "(no error)") == 0, "32 namespace bindings in force accepted");
	n = 0;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<a");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " xmlns:p%d='u%d'", i, i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "><b");
	for (int i = 0; i < 13; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " xmlns:q%d='v%d'", i, i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "/></a>");
	EXPECT_ERR(buf, "xml: too many namespace declarations", "33 bindings refused");
	/* bindings of closed siblings do not accumulate */
	n = 0;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<a>");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<b xmlns:p='u%d'><p:c/></b>", i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "</a>");
	EXPECT_ERR(buf, "(no error)", "40 siblings each with one binding accepted");
}

static void
test_limits(void)
{
	char buf[8192];
	size_t n;

	n = 0;
	for (int i = 0; i < INSP_XML_MAX_DEPTH; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<e>");
	for (int i = 0; i < INSP_XML_MAX_DEPTH; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "</e>");
	EXPECT_ERR(buf, "(no error)", "depth %d accepted", INSP_XML_MAX_DEPTH);
	n = 0;
	for (int i = 0; i <= INSP_XML_MAX_DEPTH; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<e>");
	for (int i = 0; i <= INSP_XML_MAX_DEPTH; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "</e>");
	EXPECT_ERR(buf, "xml: nesting deeper than 48", "depth %d refused", INSP_XML_MAX_DEPTH + 1);
	CHECK(px.err_offset == 3 * INSP_XML_MAX_DEPTH, "depth error offset %u",
	      3 * INSP_XML_MAX_DEPTH);
	n = 0;
	for (int i = 0; i < INSP_XML_MAX_DEPTH; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<e>");
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<e/>");
	for (int i = 0; i < INSP_XML_MAX_DEPTH; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "</e>");
	EXPECT_ERR(buf, "xml: nesting deeper than 48", "self-closing element at depth %d refused",
		   INSP_XML_MAX_DEPTH + 1);

	n = 0;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<a");
	for (int i = 0; i < INSP_XML_MAX_ATTRS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " a%d='%d'", i, i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "/>");
	CHECK(strcmp(err_of(buf), "(no error)") == 0, "%d attributes accepted", INSP_XML_MAX_ATTRS);
	CHECK(run(buf) && pev.type == INSP_XML_EOF, "... and parsed to EOF");
	n = 0;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<a");
	for (int i = 0; i <= INSP_XML_MAX_ATTRS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " a%d='%d'", i, i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "/>");
	EXPECT_ERR(buf, "xml: more than 32 attributes", "%d attributes refused",
		   INSP_XML_MAX_ATTRS + 1);
}

static void
test_whitespace(void)
{
	EXPECT("<a>\n  <b/>\t\n</a>", "<a><b></b></a>$", "whitespace-only text not reported");
	EXPECT("<a>\n  <b/>x\n</a>", "<a><b></b>\"x\\n\"</a>$", "text with whitespace kept whole");
	EXPECT("<a>\r\n<b>  </b>\r\n</a>", "<a><b></b></a>$", "CR LF only is blank");
	EXPECT("<a x='a\tb\nc\rd' y='a&#10;b&#9;c&#13;d'/>", "<a x=a b c d y=a\\nb\\tc\\rd></a>$",
	       "attribute normalisation: literal TAB/LF/CR -> space, references stay");
	EXPECT("<a x='  two  spaces  '/>", "<a x=  two  spaces  ></a>$",
	       "CDATA-type attribute: spaces not collapsed");
	/* XML 1.0 2.11: a literal CR LF is one line end, read as LF; 3.3.3 then makes it one
	 * space in an attribute value. */
	EXPECT("<a x='a\r\nb'/>", "<a x=a b></a>$", "attribute: literal CR LF becomes one space");
	EXPECT("<a>a\r\nb</a>", "<a>\"a\\nb\"</a>$", "text: literal CR LF reads as LF");
}

static void
test_arena(void)
{
	static const char doc[] = "<a x='&#x10000;&lt;'>&#x10000;&amp;<![CDATA[z]]></a>";
	uint8_t small[sizeof(doc) - 1];

	CHECK(insp_xml_init(&px, (const uint8_t *)doc, strlen(doc), small, sizeof(small)) == 0,
	      "arena exactly the input length");
	CHECK(insp_xml_next(&px, &pev) == INSP_XML_START &&
		      insp_str_eq(pev.attrs[0].value, "\xF0\x90\x80\x80<"),
	      "decoded attribute value");
	CHECK(pev.attrs[0].value.p >= small && pev.attrs[0].value.p < small + sizeof(small),
	      "decoded attribute value lives in the arena");
	CHECK(insp_xml_next(&px, &pev) == INSP_XML_TEXT &&
		      insp_str_eq(pev.text, "\xF0\x90\x80\x80&z"),
	      "decoded text");
	CHECK(insp_xml_next(&px, &pev) == INSP_XML_END && insp_xml_next(&px, &pev) == INSP_XML_EOF,
	      "document ends well");
	CHECK(px.arena_len <= sizeof(small), "arena use %zu <= input length", px.arena_len);
}

int
main(void)
{
	test_events();
	test_quotes();
	test_declaration();
	test_refused_constructs();
	test_references();
	test_comments_cdata();
	test_structure();
	test_namespaces();
	test_limits();
	test_whitespace();
	test_arena();
	return test_done();
}
