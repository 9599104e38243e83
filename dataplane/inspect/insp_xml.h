/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A strict, non-allocating XML pull parser for the "labelled message" profile every
 * XML-carrying format shares (GUARD-SPEC 4.4, 4.5, 5.1):
 *
 *  - input is UTF-8 only (the caller validates it first with insp_utf8_validate_xml());
 *  - an optional XML declaration, first, naming UTF-8; no DOCTYPE, no entities but the
 *    five predefined ones, no processing instructions: each is an error, never skipped;
 *  - exactly one root element; nothing but whitespace and comments around it;
 *  - comments are removed and the text on both sides joined; CDATA is text; character
 *    and entity references are decoded; each text run between two tags is ONE text event,
 *    exactly as a consumer of the document would read it;
 *  - duplicate attributes, unbound namespace prefixes, mismatched end tags, '<' in an
 *    attribute value, "]]>" in text and "--" in a comment are errors;
 *  - depth, attributes per element and namespace bindings are bounded.
 *
 * Decoded strings live either in the input (zero copy, when nothing needed decoding) or in
 * a caller-supplied arena at least as large as the input (decoding never expands). Strings
 * stay valid until the parser is re-initialised. Whitespace-only text runs are reported
 * only while insp_xml.report_blank is set (with insp_xml_event.blank), for string values.
 * TEXT strings always live in the arena, so a consumer may rewrite them in place (the 4774
 * label collapses xs:token whitespace this way). Names follow the Name production of XML
 * 1.0 (fifth edition): no NBSP, no multiplication sign, no quotation marks in a name.
 */
#ifndef INSP_XML_H
#define INSP_XML_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INSP_XML_MAX_DEPTH 48
#define INSP_XML_MAX_ATTRS 32
#define INSP_XML_MAX_NS	   32

enum insp_xml_ev {
	INSP_XML_START = 1, /**< start tag (self-closing tags give START then END) */
	INSP_XML_END,	    /**< end tag */
	INSP_XML_TEXT,	    /**< a non-blank text run, decoded */
	INSP_XML_EOF,	    /**< end of a well-formed document */
	INSP_XML_ERROR,	    /**< see insp_xml.err and insp_xml.err_offset */
};

/** A string: pointer into the input or the arena, and its length. */
struct insp_str {
	const uint8_t *p;
	uint32_t len;
};

struct insp_xml_attr {
	struct insp_str prefix; /**< "" if none */
	struct insp_str local;
	struct insp_str value; /**< decoded, attribute-value normalised */
	uint32_t offset;       /**< of the attribute name in the input */
	uint8_t is_ns_decl;    /**< an xmlns or xmlns:p declaration */
};

struct insp_xml_event {
	enum insp_xml_ev type;
	uint32_t depth;	 /**< root element is depth 1; TEXT has the depth of its parent */
	uint32_t offset; /**< input offset of the tag or of the text run */
	/* START and END */
	struct insp_str prefix;
	struct insp_str local;
	struct insp_str ns; /**< resolved namespace URI, len 0 if none */
	/* START: all attributes, namespace declarations included (is_ns_decl) */
	uint32_t n_attrs;
	struct insp_xml_attr attrs[INSP_XML_MAX_ATTRS];
	/* TEXT */
	struct insp_str text;
	uint8_t blank; /**< whitespace only (reported only with insp_xml.report_blank) */
};

struct insp_xml_open {
	struct insp_str qname; /**< raw prefix:local, to match the end tag */
	struct insp_str prefix, local, ns;
	uint32_t n_ns; /**< namespace bindings in force before this element */
};

struct insp_xml_ns {
	struct insp_str prefix; /**< "" for the default namespace */
	struct insp_str uri;	/**< "" undeclares the default namespace */
};

/** Parser state; lives in the caller's scratch. */
struct insp_xml {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	uint8_t *arena;
	size_t arena_len;
	size_t arena_cap;
	uint32_t depth;
	uint8_t root_seen;
	uint8_t pending_end;  /**< a self-closing tag still owes its END event */
	uint8_t stop;	      /**< 0 while running, else the final event type */
	uint8_t fragment;     /**< any number of top-level elements (insp_xml_init_fragment) */
	uint8_t report_blank; /**< report whitespace-only text runs too (set by the caller) */
	uint32_t n_ns;
	struct insp_xml_ns ns[INSP_XML_MAX_NS];
	struct insp_xml_open open[INSP_XML_MAX_DEPTH + 1];
	uint32_t err_offset;
	char err[96];
	/**
	 * Optional: called with the text of every comment (anywhere in the document). Comments
	 * are removed from the text a consumer reads, but their bytes still cross the boundary,
	 * so a format hands them to the scan this way. A negative return is a parse error,
	 * with the reason the callback wrote into err (or a generic one if it wrote none).
	 */
	int (*on_comment)(void *ctx, struct insp_str text);
	void *comment_ctx;
};

/**
 * Start parsing @p buf (valid UTF-8). Clears on_comment; set it after this call. @p arena must hold
 * at least @p len bytes. Consumes an XML declaration if there is one (checked: version 1.0,
 * encoding UTF-8).
 * @return 0, or -1 with x->err set (bad declaration).
 */
int insp_xml_init(struct insp_xml *x, const uint8_t *buf, size_t len, uint8_t *arena,
		  size_t arena_cap);

/**
 * Start parsing a fragment: a sequence of zero or more elements with only whitespace and
 * comments between them (TAK xmlDetail), with no XML declaration. Same rules otherwise.
 * @return 0, or -1 with x->err set.
 */
int insp_xml_init_fragment(struct insp_xml *x, const uint8_t *buf, size_t len, uint8_t *arena,
			   size_t arena_cap);

/** Next event; after INSP_XML_EOF or INSP_XML_ERROR it keeps returning the same. */
enum insp_xml_ev insp_xml_next(struct insp_xml *x, struct insp_xml_event *ev);

/** Is @p s an XML NCName (a Name without a colon; xs:ID, xs:NCName)? */
int insp_xml_is_ncname(struct insp_str s);

/** Compare a string with a NUL-terminated literal (length first: literals fold to constants). */
static inline int
insp_str_eq(struct insp_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && memcmp(s.p, lit, n) == 0;
}

#ifdef __cplusplus
}
#endif
#endif
