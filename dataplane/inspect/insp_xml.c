/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Why a parser of our own: libxml2 and expat are permissive by design (DTDs, entities,
 * recovery) and allocate per node; the guard needs the opposite: a small profile, every
 * deviation an error with an offset, text exactly as a consumer reads it, and no
 * allocation. The profile is in insp_xml.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "insp_simd.h"
#include "insp_utf8.h"
#include "insp_xml.h"

static const char xml_ns_uri[] = "http://www.w3.org/XML/1998/namespace";

/* Character classes, one table lookup per byte on the hot loops. */
enum {
	C_SPACE = 1,	  /* S: space, tab, LF, CR */
	C_NAME_START = 2, /* ASCII letters, '_', and every byte of a non-ASCII character */
	C_NAME = 4,	  /* name start, digits, '-', '.' */
	C_ATTR_STOP = 8,  /* needs a look in an attribute value: < & TAB LF CR */
	C_HIGH = 32,	  /* a byte of a non-ASCII character (names: check the production) */
};

static const uint8_t cls[256] = {
	['\t'] = C_SPACE | C_ATTR_STOP,
	['\n'] = C_SPACE | C_ATTR_STOP,
	[' '] = C_SPACE,
	['<'] = C_ATTR_STOP,
	['\r'] = C_SPACE | C_ATTR_STOP,
	['&'] = C_ATTR_STOP,
	['-'] = C_NAME,
	['.'] = C_NAME,
	['0' ... '9'] = C_NAME,
	['A' ... 'Z'] = C_NAME_START | C_NAME,
	['_'] = C_NAME_START | C_NAME,
	['a' ... 'z'] = C_NAME_START | C_NAME,
	[0x80 ... 0xFF] = C_NAME_START | C_NAME | C_HIGH,
};

static inline int
is_space(uint8_t c)
{
	return cls[c] & C_SPACE;
}

static inline int
is_name_start(uint8_t c)
{
	return cls[c] & C_NAME_START;
}

static inline int
has_prefix(const struct insp_xml *x, const char *lit)
{
	size_t n = strlen(lit);

	return x->len - x->pos >= n && memcmp(x->buf + x->pos, lit, n) == 0;
}

static enum insp_xml_ev __attribute__((format(printf, 3, 4)))
fail(struct insp_xml *x, size_t offset, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->err, sizeof(x->err), fmt, ap);
	va_end(ap);
	x->err_offset = (uint32_t)offset;
	x->stop = INSP_XML_ERROR;
	return INSP_XML_ERROR;
}

/*
 * Hot loops work on local pointers: buf is a byte pointer, so the compiler must assume
 * every store through it may change x->pos, and would reload it on every byte.
 */
static inline size_t
span_class(const struct insp_xml *x, size_t pos, uint8_t mask)
{
	const uint8_t *p = x->buf + pos, *end = x->buf + x->len;

	while (p < end && (cls[*p] & mask))
		p++;
	return (size_t)(p - x->buf);
}

static inline void
skip_space(struct insp_xml *x)
{
	x->pos = span_class(x, x->pos, C_SPACE);
}

/* XML 1.0 (fifth edition) NameStartChar and NameChar, for code points above ASCII. */
static int
is_name_start_cp(uint32_t c)
{
	return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
	       (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
	       (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
	       (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
	       (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
	       (c >= 0x10000 && c <= 0xEFFFF);
}

static int
is_name_cp(uint32_t c)
{
	return is_name_start_cp(c) || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
	       (c >= 0x203F && c <= 0x2040);
}

/*
 * The byte table lets every non-ASCII byte through a name (the hot loop stays one lookup a
 * byte); a name that has any is checked here, character by character, against the Name
 * production. The input is valid UTF-8 (checked before parsing).
 */
static int
non_ascii_name_ok(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t n;
		uint32_t cp = insp_utf8_decode(p + i, len - i, &n);

		if (cp < 0x80) {
			i++;
			continue;
		}
		/* the first character, and the first after a colon, must be a start character */
		if (!(i == 0 || p[i - 1] == ':' ? is_name_start_cp(cp) : is_name_cp(cp)))
			return 0;
		i += n;
	}
	return 1;
}

static int
has_non_ascii(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] >= 0x80)
			return 1;
	return 0;
}

int
insp_xml_is_ncname(struct insp_str s)
{
	if (s.len == 0 || !is_name_start(s.p[0]))
		return 0;
	for (uint32_t i = 0; i < s.len; i++)
		if (s.p[i] == ':' || !(cls[s.p[i]] & C_NAME))
			return 0;
	return !has_non_ascii(s.p, s.len) || non_ascii_name_ok(s.p, s.len);
}

/* Name with at most one colon; fills prefix ("" if none), local and the raw qname. */
static int
parse_qname(struct insp_xml *x, struct insp_str *prefix, struct insp_str *local,
	    struct insp_str *qname)
{
	size_t start = x->pos, colon = 0;
	uint8_t seen = 0; /* classes of the name's bytes, ORed: C_HIGH if any is non-ASCII */

	if (x->pos >= x->len || !is_name_start(x->buf[x->pos]))
		return -1;
	for (;;) {
		int high;
		const uint8_t *p = insp_simd_name_end(x->buf + x->pos, x->buf + x->len, &high);

		seen |= high ? C_HIGH : 0;
		x->pos = (size_t)(p - x->buf);
		if (x->pos >= x->len || x->buf[x->pos] != ':')
			break;
		if (colon || x->pos + 1 >= x->len || !is_name_start(x->buf[x->pos + 1]))
			return -1;
		colon = x->pos++;
	}
	qname->p = x->buf + start;
	qname->len = (uint32_t)(x->pos - start);
	if ((seen & C_HIGH) && !non_ascii_name_ok(qname->p, qname->len))
		return -1;
	if (colon) {
		prefix->p = x->buf + start;
		prefix->len = (uint32_t)(colon - start);
		local->p = x->buf + colon + 1;
		local->len = (uint32_t)(x->pos - colon - 1);
	} else {
		prefix->p = x->buf + start;
		prefix->len = 0;
		*local = *qname;
	}
	return 0;
}

static int
arena_put(struct insp_xml *x, const uint8_t *p, size_t n)
{
	if (x->arena_cap - x->arena_len < n)
		return -1;
	memcpy(x->arena + x->arena_len, p, n);
	x->arena_len += n;
	return 0;
}

/*
 * Decode the reference at x->pos ('&') into the arena. Only the five predefined entities
 * exist (no DTD is ever allowed), and character references must name an XML Char.
 */
static int
decode_ref(struct insp_xml *x)
{
	static const struct {
		const char *name;
		uint8_t ch;
	} predefined[] = {
		{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
	size_t start = x->pos++;
	uint8_t utf8[4];

	if (x->pos < x->len && x->buf[x->pos] == '#') {
		uint32_t cp = 0;
		int hex = 0, digits = 0;

		x->pos++;
		if (x->pos < x->len && x->buf[x->pos] == 'x') {
			hex = 1;
			x->pos++;
		}
		for (; x->pos < x->len && x->buf[x->pos] != ';'; x->pos++, digits++) {
			uint8_t c = x->buf[x->pos];
			uint32_t d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				return fail(x, start, "xml: bad character reference"), -1;
			cp = cp * (hex ? 16 : 10) + d;
			if (cp > 0x10FFFF)
				return fail(x, start, "xml: character reference out of range"), -1;
		}
		if (x->pos >= x->len || digits == 0)
			return fail(x, start, "xml: bad character reference"), -1;
		x->pos++; /* ';' */
		if (!insp_utf8_is_xml_char(cp))
			return fail(x, start, "xml: character reference to a non-XML character"),
			       -1;
		if (arena_put(x, utf8, (size_t)insp_utf8_encode(cp, utf8)) < 0)
			return fail(x, start, "xml: decode buffer full"), -1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(predefined) / sizeof(predefined[0]); i++) {
		if (has_prefix(x, predefined[i].name)) {
			x->pos += strlen(predefined[i].name);
			if (arena_put(x, &predefined[i].ch, 1) < 0)
				return fail(x, start, "xml: decode buffer full"), -1;
			return 0;
		}
	}
	return fail(x, start, "xml: undefined entity reference (no DTD allowed)"), -1;
}

static int
skip_comment(struct insp_xml *x)
{
	size_t start = x->pos;
	const uint8_t *body = x->buf + x->pos + 4;
	const uint8_t *dd = memmem(body, x->len - x->pos - 4, "--", 2);

	if (dd == NULL)
		return fail(x, start, "xml: unterminated comment"), -1;
	if ((size_t)(dd - x->buf) + 2 >= x->len || dd[2] != '>')
		return fail(x, (size_t)(dd - x->buf), "xml: '--' inside a comment"), -1;
	x->pos = (size_t)(dd - x->buf) + 3;
	if (x->on_comment != NULL) {
		struct insp_str text = {body, (uint32_t)(dd - body)};

		x->err[0] = '\0';
		if (x->on_comment(x->comment_ctx, text) < 0) {
			if (x->err[0] == '\0') /* the consumer gave no reason of its own */
				return fail(x, start, "xml: comment refused by the consumer"), -1;
			x->err_offset = (uint32_t)start;
			x->stop = INSP_XML_ERROR;
			return -1;
		}
	}
	return 0;
}

/* Parse an XML declaration at offset 0: version 1.0, optional encoding UTF-8, standalone. */
static int
parse_decl(struct insp_xml *x)
{
	static const char *const names[] = {"version", "encoding", "standalone"};
	unsigned next = 0;

	x->pos = 5;
	for (;;) {
		size_t before = x->pos;
		unsigned i;

		skip_space(x);
		if (has_prefix(x, "?>")) {
			x->pos += 2;
			break;
		}
		if (x->pos == before)
			return fail(x, x->pos, "xml: bad XML declaration"), -1;
		for (i = next; i < 3; i++)
			if (has_prefix(x, names[i]))
				break;
		if (i == 3)
			return fail(x, x->pos, "xml: bad XML declaration"), -1;
		x->pos += strlen(names[i]);
		skip_space(x);
		if (x->pos >= x->len || x->buf[x->pos] != '=')
			return fail(x, x->pos, "xml: bad XML declaration"), -1;
		x->pos++;
		skip_space(x);
		if (x->pos >= x->len || (x->buf[x->pos] != '"' && x->buf[x->pos] != '\''))
			return fail(x, x->pos, "xml: bad XML declaration"), -1;
		uint8_t q = x->buf[x->pos++];
		const uint8_t *end = memchr(x->buf + x->pos, q, x->len - x->pos);

		if (end == NULL)
			return fail(x, x->pos, "xml: bad XML declaration"), -1;
		size_t vlen = (size_t)(end - (x->buf + x->pos));
		const char *v = (const char *)x->buf + x->pos;

		if (i == 0 && !(vlen == 3 && memcmp(v, "1.0", 3) == 0))
			return fail(x, x->pos, "xml: version must be 1.0"), -1;
		if (i == 1 && !(vlen == 5 && strncasecmp(v, "UTF-8", 5) == 0))
			return fail(x, x->pos, "xml: encoding must be UTF-8"), -1;
		if (i == 2 && !((vlen == 3 && memcmp(v, "yes", 3) == 0) ||
				(vlen == 2 && memcmp(v, "no", 2) == 0)))
			return fail(x, x->pos, "xml: bad standalone value"), -1;
		if (next == 0 && i != 0)
			return fail(x, x->pos, "xml: declaration must start with version"), -1;
		next = i + 1;
		x->pos += vlen + 1;
	}
	return 0;
}

int
insp_xml_init(struct insp_xml *x, const uint8_t *buf, size_t len, uint8_t *arena, size_t arena_cap)
{
	x->buf = buf;
	x->len = len;
	x->pos = 0;
	x->arena = arena;
	x->arena_len = 0;
	x->arena_cap = arena_cap;
	x->depth = 0;
	x->root_seen = 0;
	x->fragment = 0;
	x->report_blank = 0;
	x->pending_end = 0;
	x->stop = 0;
	x->n_ns = 0;
	x->err[0] = '\0';
	x->err_offset = 0;
	x->on_comment = NULL;
	x->comment_ctx = NULL;
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		return fail(x, 0, "xml: byte order mark not allowed"), -1;
	if (len >= 6 && memcmp(buf, "<?xml", 5) == 0 && is_space(buf[5]))
		return parse_decl(x);
	return 0;
}

/* Attribute value between quotes at x->pos; decoded and normalised (XML 1.0 3.3.3). */
static int
parse_attr_value(struct insp_xml *x, struct insp_str *value)
{
	uint8_t q = x->buf[x->pos];
	size_t start = ++x->pos;
	const uint8_t *end = insp_simd_attr_stop(x->buf + start, x->buf + x->len, q);
	int plain = 1;

	/* the common case: nothing to decode or refuse before the closing quote */
	if (end < x->buf + x->len && *end == q) {
		value->p = x->buf + start;
		value->len = (uint32_t)(end - value->p);
		x->pos = (size_t)(end - x->buf) + 1;
		return 0;
	}
	end = memchr(x->buf + start, q, x->len - start);
	if (end == NULL)
		return fail(x, start - 1, "xml: unterminated attribute value"), -1;
	size_t stop = (size_t)(end - x->buf);

	for (const uint8_t *p = x->buf + start, *e = x->buf + stop; p < e; p++) {
		if (!(cls[*p] & C_ATTR_STOP))
			continue;
		if (*p == '<')
			return fail(x, (size_t)(p - x->buf), "xml: '<' in attribute value"), -1;
		plain = 0;
	}
	if (plain) {
		value->p = x->buf + start;
		value->len = (uint32_t)(stop - start);
		x->pos = stop + 1;
		return 0;
	}
	size_t out = x->arena_len;

	while (x->pos < stop) {
		uint8_t c = x->buf[x->pos];

		if (c == '&') {
			if (decode_ref(x) < 0)
				return -1;
			if (x->pos > stop)
				return fail(x, stop, "xml: reference crosses attribute end"), -1;
			continue;
		}
		if (c == '\r' && x->pos + 1 < stop && x->buf[x->pos + 1] == '\n')
			x->pos++; /* CR LF is one line end (2.11), so one space (3.3.3) */
		if (c == '\t' || c == '\n' || c == '\r')
			c = ' ';
		if (arena_put(x, &c, 1) < 0)
			return fail(x, x->pos, "xml: decode buffer full"), -1;
		x->pos++;
	}
	x->pos = stop + 1;
	value->p = x->arena + out;
	value->len = (uint32_t)(x->arena_len - out);
	return 0;
}

static int
lookup_ns(const struct insp_xml *x, struct insp_str prefix, struct insp_str *uri)
{
	if (prefix.len == 3 && memcmp(prefix.p, "xml", 3) == 0) {
		uri->p = (const uint8_t *)xml_ns_uri;
		uri->len = (uint32_t)strlen(xml_ns_uri);
		return 0;
	}
	for (uint32_t i = x->n_ns; i-- > 0;) {
		if (x->ns[i].prefix.len == prefix.len &&
		    memcmp(x->ns[i].prefix.p, prefix.p, prefix.len) == 0) {
			*uri = x->ns[i].uri;
			return 0;
		}
	}
	uri->p = x->buf;
	uri->len = 0;
	return prefix.len == 0 ? 0 : -1; /* no default namespace is fine */
}

static enum insp_xml_ev
parse_start_tag(struct insp_xml *x, struct insp_xml_event *ev)
{
	size_t tag = x->pos++;
	struct insp_str qname;
	uint32_t n_ns_before = x->n_ns;
	int empty = 0;

	if (parse_qname(x, &ev->prefix, &ev->local, &qname) < 0)
		return fail(x, tag, "xml: bad element name");
	ev->n_attrs = 0;
	for (;;) {
		size_t before = x->pos;

		skip_space(x);
		if (x->pos >= x->len)
			return fail(x, tag, "xml: unterminated start tag");
		if (x->buf[x->pos] == '/') {
			if (x->pos + 1 >= x->len || x->buf[x->pos + 1] != '>')
				return fail(x, x->pos, "xml: expected '>' after '/'");
			x->pos += 2;
			empty = 1;
			break;
		}
		if (x->buf[x->pos] == '>') {
			x->pos++;
			break;
		}
		if (x->pos == before)
			return fail(x, x->pos, "xml: whitespace required before attribute");
		if (ev->n_attrs == INSP_XML_MAX_ATTRS)
			return fail(x, x->pos, "xml: more than %d attributes", INSP_XML_MAX_ATTRS);

		struct insp_xml_attr *a = &ev->attrs[ev->n_attrs];
		struct insp_str aq;

		a->offset = (uint32_t)x->pos;
		if (parse_qname(x, &a->prefix, &a->local, &aq) < 0)
			return fail(x, x->pos, "xml: bad attribute name");
		skip_space(x);
		if (x->pos >= x->len || x->buf[x->pos] != '=')
			return fail(x, x->pos, "xml: expected '=' after attribute name");
		x->pos++;
		skip_space(x);
		if (x->pos >= x->len || (x->buf[x->pos] != '"' && x->buf[x->pos] != '\''))
			return fail(x, x->pos, "xml: attribute value must be quoted");
		if (parse_attr_value(x, &a->value) < 0)
			return INSP_XML_ERROR;
		for (uint32_t i = 0; i < ev->n_attrs; i++) {
			const struct insp_xml_attr *b = &ev->attrs[i];

			if (b->prefix.len == a->prefix.len && b->local.len == a->local.len &&
			    memcmp(b->prefix.p, a->prefix.p, a->prefix.len) == 0 &&
			    memcmp(b->local.p, a->local.p, a->local.len) == 0)
				return fail(x, a->offset, "xml: duplicate attribute '%.*s'",
					    (int)aq.len, (const char *)aq.p);
		}
		a->is_ns_decl = (a->prefix.len == 0 && insp_str_eq(a->local, "xmlns")) ||
				insp_str_eq(a->prefix, "xmlns");
		if (a->is_ns_decl) {
			struct insp_xml_ns *b = &x->ns[x->n_ns];

			if (x->n_ns == INSP_XML_MAX_NS)
				return fail(x, a->offset, "xml: too many namespace declarations");
			if (a->prefix.len != 0 && a->value.len == 0)
				return fail(x, a->offset, "xml: empty namespace for a prefix");
			if (a->prefix.len != 0 &&
			    (insp_str_eq(a->local, "xml") || insp_str_eq(a->local, "xmlns")))
				return fail(x, a->offset, "xml: reserved namespace prefix");
			b->prefix = a->prefix.len ? a->local : a->prefix;
			b->uri = a->value;
			x->n_ns++;
		}
		ev->n_attrs++;
	}
	if (x->depth == INSP_XML_MAX_DEPTH)
		return fail(x, tag, "xml: nesting deeper than %d", INSP_XML_MAX_DEPTH);
	if (lookup_ns(x, ev->prefix, &ev->ns) < 0)
		return fail(x, tag, "xml: namespace prefix '%.*s' not declared",
			    (int)ev->prefix.len, (const char *)ev->prefix.p);
	for (uint32_t i = 0; i < ev->n_attrs; i++) {
		struct insp_str uri;
		const struct insp_xml_attr *a = &ev->attrs[i];

		if (a->prefix.len == 0 || a->is_ns_decl)
			continue;
		if (lookup_ns(x, a->prefix, &uri) < 0)
			return fail(x, a->offset, "xml: namespace prefix '%.*s' not declared",
				    (int)a->prefix.len, (const char *)a->prefix.p);
		/* Namespaces in XML 6.3: p:x and q:x with p, q bound to one URI are duplicates */
		for (uint32_t j = 0; j < i; j++) {
			const struct insp_xml_attr *b = &ev->attrs[j];
			struct insp_str buri;

			if (b->prefix.len == 0 || b->is_ns_decl || b->local.len != a->local.len ||
			    memcmp(b->local.p, a->local.p, a->local.len) != 0 ||
			    lookup_ns(x, b->prefix, &buri) < 0)
				continue;
			if (buri.len == uri.len && memcmp(buri.p, uri.p, uri.len) == 0)
				return fail(x, a->offset, "xml: duplicate attribute '%.*s'",
					    (int)(a->prefix.len + 1 + a->local.len),
					    (const char *)a->prefix.p);
		}
	}
	x->depth++;
	x->root_seen = 1;
	struct insp_xml_open *o = &x->open[x->depth];

	o->qname = qname;
	o->prefix = ev->prefix;
	o->local = ev->local;
	o->ns = ev->ns;
	o->n_ns = n_ns_before;
	x->pending_end = (uint8_t)empty;
	ev->type = INSP_XML_START;
	ev->depth = x->depth;
	ev->offset = (uint32_t)tag;
	return INSP_XML_START;
}

static enum insp_xml_ev
emit_end(struct insp_xml *x, struct insp_xml_event *ev, size_t offset)
{
	const struct insp_xml_open *o = &x->open[x->depth];

	ev->type = INSP_XML_END;
	ev->depth = x->depth;
	ev->offset = (uint32_t)offset;
	ev->prefix = o->prefix;
	ev->local = o->local;
	ev->ns = o->ns;
	ev->n_attrs = 0;
	x->n_ns = o->n_ns;
	x->depth--;
	return INSP_XML_END;
}

static enum insp_xml_ev
parse_end_tag(struct insp_xml *x, struct insp_xml_event *ev)
{
	size_t tag = x->pos;
	struct insp_str prefix, local, qname;
	const struct insp_xml_open *o = &x->open[x->depth];

	x->pos += 2;
	if (parse_qname(x, &prefix, &local, &qname) < 0)
		return fail(x, tag, "xml: bad end tag");
	skip_space(x);
	if (x->pos >= x->len || x->buf[x->pos] != '>')
		return fail(x, tag, "xml: bad end tag");
	x->pos++;
	if (qname.len != o->qname.len || memcmp(qname.p, o->qname.p, qname.len) != 0)
		return fail(x, tag, "xml: end tag '%.*s' does not match '%.*s'", (int)qname.len,
			    (const char *)qname.p, (int)o->qname.len, (const char *)o->qname.p);
	return emit_end(x, ev, tag);
}

/*
 * One text run: everything up to the next tag, with comments removed, CDATA taken as
 * text and references decoded, so that "a<!---->b" and "a&#98;" read "ab" like a consumer.
 */
static enum insp_xml_ev
parse_text(struct insp_xml *x, struct insp_xml_event *ev, int *blank)
{
	size_t start = x->pos, out = x->arena_len;

	*blank = 1;
	while (x->pos < x->len) {
		uint8_t c = x->buf[x->pos];

		if (c == '<') {
			if (has_prefix(x, "<!--")) {
				if (skip_comment(x) < 0)
					return INSP_XML_ERROR;
				continue;
			}
			if (has_prefix(x, "<![CDATA[")) {
				size_t body = x->pos + 9;
				const uint8_t *e = memmem(x->buf + body, x->len - body, "]]>", 3);

				if (e == NULL)
					return fail(x, x->pos, "xml: unterminated CDATA section");
				size_t n = (size_t)(e - (x->buf + body));

				for (size_t i = 0; i < n && *blank; i++)
					*blank = is_space(x->buf[body + i]);
				if (arena_put(x, x->buf + body, n) < 0)
					return fail(x, x->pos, "xml: decode buffer full");
				x->pos = body + n + 3;
				continue;
			}
			if (has_prefix(x, "<!"))
				return fail(x, x->pos,
					    "xml: markup declarations (DOCTYPE, ...) not allowed");
			break;
		}
		if (c == '&') {
			size_t before = x->arena_len;

			if (decode_ref(x) < 0)
				return INSP_XML_ERROR;
			for (size_t i = before; i < x->arena_len && *blank; i++)
				*blank = is_space(x->arena[i]);
			continue;
		}
		if (c == '\r') {
			/* XML 1.0 2.11: CR LF and a lone CR both read as LF */
			uint8_t lf = '\n';

			x->pos += x->pos + 1 < x->len && x->buf[x->pos + 1] == '\n' ? 2 : 1;
			if (arena_put(x, &lf, 1) < 0)
				return fail(x, x->pos, "xml: decode buffer full");
			continue;
		}
		if (c == ']') {
			if (x->pos + 2 < x->len && x->buf[x->pos + 1] == ']' &&
			    x->buf[x->pos + 2] == '>')
				return fail(x, x->pos, "xml: ']]>' in text");
			*blank = 0;
			if (arena_put(x, &c, 1) < 0)
				return fail(x, x->pos, "xml: decode buffer full");
			x->pos++;
			continue;
		}
		/* a plain chunk up to the next < & ] is copied in one go */
		size_t chunk = x->pos;

		x->pos = (size_t)(insp_simd_find4(x->buf + chunk, x->buf + x->len, '<', '&', ']',
						  '\r') -
				  x->buf);
		if (*blank && span_class(x, chunk, C_SPACE) < x->pos)
			*blank = 0;
		if (arena_put(x, x->buf + chunk, x->pos - chunk) < 0)
			return fail(x, chunk, "xml: decode buffer full");
	}
	ev->type = INSP_XML_TEXT;
	ev->depth = x->depth;
	ev->offset = (uint32_t)start;
	ev->text.p = x->arena + out;
	ev->text.len = (uint32_t)(x->arena_len - out);
	return INSP_XML_TEXT;
}

int
insp_xml_init_fragment(struct insp_xml *x, const uint8_t *buf, size_t len, uint8_t *arena,
		       size_t arena_cap)
{
	if (insp_xml_init(x, buf, len, arena, arena_cap) < 0)
		return -1;
	if (x->pos != 0)
		return fail(x, 0, "xml: XML declaration inside a fragment"), -1;
	x->fragment = 1;
	return 0;
}

enum insp_xml_ev
insp_xml_next(struct insp_xml *x, struct insp_xml_event *ev)
{
	if (x->stop)
		return ev->type = (enum insp_xml_ev)x->stop;
	if (x->pending_end) {
		x->pending_end = 0;
		return emit_end(x, ev, x->pos);
	}
	for (;;) {
		if (x->depth == 0) {
			skip_space(x);
			if (x->pos >= x->len) {
				if (!x->root_seen && !x->fragment)
					return ev->type = fail(x, x->pos, "xml: no root element");
				x->stop = INSP_XML_EOF;
				return ev->type = INSP_XML_EOF;
			}
			if (has_prefix(x, "<!--")) {
				if (skip_comment(x) < 0)
					return ev->type = INSP_XML_ERROR;
				continue;
			}
			if (has_prefix(x, "<!"))
				return ev->type =
					       fail(x, x->pos,
						    "xml: DOCTYPE/markup declarations not allowed");
			if (has_prefix(x, "<?"))
				return ev->type = fail(x, x->pos,
						       "xml: processing instruction not allowed");
			if (has_prefix(x, "</"))
				return ev->type = fail(x, x->pos,
						       "xml: end tag outside the root element");
			if (x->buf[x->pos] != '<')
				return ev->type = fail(x, x->pos,
						       "xml: text outside the root element");
			if (x->root_seen && !x->fragment)
				return ev->type = fail(x, x->pos, "xml: second root element");
			return ev->type = parse_start_tag(x, ev);
		}
		if (x->pos >= x->len)
			return ev->type = fail(x, x->pos, "xml: document ends inside '%.*s'",
					       (int)x->open[x->depth].qname.len,
					       (const char *)x->open[x->depth].qname.p);
		if (x->buf[x->pos] == '<' && !has_prefix(x, "<!")) {
			if (has_prefix(x, "</"))
				return ev->type = parse_end_tag(x, ev);
			if (has_prefix(x, "<?"))
				return ev->type = fail(x, x->pos,
						       "xml: processing instruction not allowed");
			return ev->type = parse_start_tag(x, ev);
		}
		int blank;
		enum insp_xml_ev t = parse_text(x, ev, &blank);

		if (t == INSP_XML_ERROR || !blank || x->report_blank) {
			ev->blank = (uint8_t)blank;
			return ev->type = t;
		}
	}
}
