/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gt_buf.h"
#include "gt_check.h"
#include "gt_deploy.h"

#define MAX_DEPTH     32
#define MAX_ATTRS     32
#define MAX_TEXT      16384
#define MAX_TERMS     65536
#define MAX_FILE_SIZE (16u << 20)

/* One literal phrase to look for. */
struct term {
	const char *phrase;
	bool review;	   /* action review (else drop) */
	unsigned channels; /* review scope: GT_CH_BIT()s, 0 = every channel */
};

/*
 * Every literal phrase of the policy, by the lower-case first byte of the phrase
 * (term_start[c] .. term_start[c + 1]), so a word start costs a handful of comparisons.
 * Built once by gt_check_load(); the program's own state, never freed.
 */
static struct term *terms;
static unsigned term_start[257];

static bool
is_word(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_' || c >= 0x80;
}

static bool
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static uint8_t
lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static bool
is_hex(uint8_t c)
{
	c = lower(c);
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* literal phrase: words joined by \s+, \b on both sides, caseless */
static bool
phrase_at(const uint8_t *t, size_t n, size_t i, const char *ph)
{
	const char *p = ph;
	size_t j = i;

	if (i > 0 && is_word(t[i - 1]))
		return false;
	while (*p != '\0') {
		if (*p == ' ') {
			if (j >= n || !is_space(t[j]))
				return false;
			while (j < n && is_space(t[j]))
				j++;
			while (*p == ' ')
				p++;
			continue;
		}
		if (j >= n || lower(t[j]) != lower((uint8_t)*p))
			return false;
		j++;
		p++;
	}
	return j >= n || !is_word(t[j]);
}

/* \bTK-[0-9]{4}-[A-Z]{2}\b, caseless (term 1101) */
static bool
tasking_at(const uint8_t *t, size_t n, size_t i)
{
	if ((i > 0 && is_word(t[i - 1])) || i + 10 > n)
		return false;
	if (lower(t[i]) != 't' || lower(t[i + 1]) != 'k' || t[i + 2] != '-' || t[i + 7] != '-')
		return false;
	for (size_t k = 3; k < 7; k++)
		if (t[i + k] < '0' || t[i + k] > '9')
			return false;
	for (size_t k = 8; k < 10; k++)
		if (lower(t[i + k]) < 'a' || lower(t[i + k]) > 'z')
			return false;
	return i + 10 == n || !is_word(t[i + 10]);
}

/* \bkeymat\s+[0-9a-f]{8,}\b, caseless (term 1102) */
static bool
keymat_at(const uint8_t *t, size_t n, size_t i)
{
	size_t j = i + 6;
	size_t h;

	if ((i > 0 && is_word(t[i - 1])) || j > n || !phrase_at(t, j, i, "keymat"))
		return false;
	if (j >= n || !is_space(t[j]))
		return false;
	while (j < n && is_space(t[j]))
		j++;
	for (h = 0; j + h < n && is_hex(t[j + h]); h++)
		;
	return h >= 8 && (j + h == n || !is_word(t[j + h]));
}

static void
hit(struct gt_check_result *r, const char *what)
{
	if (r->first_hit[0] == '\0')
		(void)gt_fmt(r->first_hit, sizeof(r->first_hit), "%s", what); /* may truncate */
}

/* Count terms and markings in one decoded scan unit of a message on @p channel. */
static void
check_text(const uint8_t *t, size_t n, int channel, struct gt_check_result *r)
{
	for (size_t i = 0; i < n; i++) {
		if (!is_word(t[i]) || (i > 0 && is_word(t[i - 1])))
			continue;
		for (unsigned k = term_start[lower(t[i])]; k < term_start[lower(t[i]) + 1]; k++) {
			const struct term *tm = &terms[k];

			if (!phrase_at(t, n, i, tm->phrase))
				continue;
			if (!tm->review) {
				r->terms++;
			} else if (tm->channels == 0 || (tm->channels & GT_CH_BIT(channel)) != 0) {
				r->reviews++;
			} else {
				continue; /* a review term scoped to other channels */
			}
			hit(r, tm->phrase);
		}
		if (tasking_at(t, n, i)) {
			r->terms++;
			hit(r, "TK-nnnn-XX");
		}
		if (keymat_at(t, n, i)) {
			r->terms++;
			hit(r, "keymat <hex>");
		}
		for (unsigned k = 0; k < gt_n_markings; k++) {
			if (phrase_at(t, n, i, gt_markings[k].literal)) {
				r->markings++;
				hit(r, gt_markings[k].literal);
			}
		}
	}
}

/* Encode code point @p cp as UTF-8 into @p out (room for 4). @return bytes written. */
static size_t
utf8_put(uint32_t cp, uint8_t *out)
{
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (uint8_t)(0xc0 | cp >> 6);
		out[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (uint8_t)(0xe0 | cp >> 12);
		out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (uint8_t)(0xf0 | cp >> 18);
	out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

/* zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen (GUARD-SPEC 4.5) */
static size_t
invisible_len(const uint8_t *s, size_t n)
{
	if (n >= 2 && s[0] == 0xc2 && s[1] == 0xad)
		return 2;
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x8b && s[2] <= 0x8d)
		return 3;
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0xa0)
		return 3;
	if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3;
	return 0;
}

/*
 * Decode references and delete invisible characters of @p s[0..n) into @p out (never
 * longer than the input). @return decoded length, or (size_t)-1 on a bad reference.
 */
static size_t
decode(const uint8_t *s, size_t n, uint8_t *out, size_t cap, bool refs)
{
	uint8_t tmp[MAX_TEXT];
	size_t o = 0;
	size_t k = 0;

	if (n > cap || n > sizeof(tmp))
		return (size_t)-1;
	for (size_t i = 0; i < n;) {
		if (s[i] != '&' || !refs) {
			tmp[o++] = s[i++];
			continue;
		}
		const uint8_t *semi = memchr(s + i, ';', n - i);
		size_t rl;

		if (semi == NULL)
			return (size_t)-1;
		rl = (size_t)(semi - (s + i)) + 1;
		if (rl >= 4 && s[i + 1] == '#') {
			uint32_t cp = 0;
			bool hex = s[i + 2] == 'x';

			for (size_t j = i + (hex ? 3 : 2); j < i + rl - 1; j++) {
				uint8_t c = lower(s[j]);
				uint32_t d;

				if (c >= '0' && c <= '9')
					d = c - '0';
				else if (hex && c >= 'a' && c <= 'f')
					d = (uint32_t)(c - 'a' + 10);
				else
					return (size_t)-1;
				cp = cp * (hex ? 16 : 10) + d;
				if (cp > 0x10ffff)
					return (size_t)-1;
			}
			o += utf8_put(cp, tmp + o);
		} else if (rl == 4 && memcmp(s + i, "&lt;", 4) == 0) {
			tmp[o++] = '<';
		} else if (rl == 4 && memcmp(s + i, "&gt;", 4) == 0) {
			tmp[o++] = '>';
		} else if (rl == 5 && memcmp(s + i, "&amp;", 5) == 0) {
			tmp[o++] = '&';
		} else if (rl == 6 && memcmp(s + i, "&quot;", 6) == 0) {
			tmp[o++] = '"';
		} else if (rl == 6 && memcmp(s + i, "&apos;", 6) == 0) {
			tmp[o++] = '\'';
		} else {
			return (size_t)-1;
		}
		i += rl;
	}
	for (size_t i = 0; i < o;) {
		size_t z = invisible_len(tmp + i, o - i);

		if (z > 0) {
			i += z;
			continue;
		}
		out[k++] = tmp[i++];
	}
	return k;
}

static void
fail(struct gt_check_result *r, size_t at, const char *why)
{
	if (r->wellformed)
		(void)gt_fmt(r->error, sizeof(r->error), "offset %zu: %s", at,
			     why); /* may truncate */
	r->wellformed = false;
}

/* fail() for parsers that return the next offset: 0 means "stop". */
static size_t
fail_at(struct gt_check_result *r, size_t at, const char *why)
{
	fail(r, at, why);
	return 0;
}

static void
scan_text(const uint8_t *s, size_t n, size_t at, int channel, bool refs, struct gt_check_result *r)
{
	uint8_t dec[MAX_TEXT];
	size_t dn = decode(s, n, dec, sizeof(dec), refs);

	if (dn == (size_t)-1) {
		fail(r, at, "bad character or entity reference");
		return;
	}
	check_text(dec, dn, channel, r);
}

/* An XML attribute value or text node: references decoded. */
static void
scan_unit(const uint8_t *s, size_t n, size_t at, int channel, struct gt_check_result *r)
{
	scan_text(s, n, at, channel, true, r);
}

static size_t
name_len(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n && (is_word(s[i]) || s[i] == ':' || s[i] == '-' || s[i] == '.'))
		i++;
	return i;
}

static bool
local_is(const uint8_t *name, size_t n, const char *want)
{
	const uint8_t *colon = memchr(name, ':', n);
	size_t wl = strlen(want);

	if (colon != NULL) {
		n -= (size_t)(colon + 1 - name);
		name = colon + 1;
	}
	return n == wl && memcmp(name, want, wl) == 0;
}

struct span {
	const uint8_t *p;
	size_t n;
};

/* Parse one start tag at m[i] == '<'. @return index after it, 0 on error. */
static size_t
start_tag(const uint8_t *m, size_t len, size_t i, struct span *stack, unsigned *depth,
	  unsigned *label_depth, unsigned *roots, bool fragment, int channel,
	  struct gt_check_result *r)
{
	struct span attrs[MAX_ATTRS];
	unsigned na = 0;
	size_t nl = name_len(m + i + 1, len - i - 1);
	struct span name = {m + i + 1, nl};
	bool in_label;

	if (nl == 0)
		return fail_at(r, i, "bad element name");
	if (*depth == 0 && (*roots)++ > 0 && !fragment)
		return fail_at(r, i, "second root element");
	if (*label_depth == 0 && local_is(name.p, nl, "originatorConfidentialityLabel"))
		*label_depth = *depth + 1;
	in_label = *label_depth != 0;
	i += 1 + nl;
	for (;;) {
		size_t an;
		uint8_t q;
		const uint8_t *v;
		const uint8_t *end;

		while (i < len && is_space(m[i]))
			i++;
		if (i < len && m[i] == '>') {
			if (*depth >= MAX_DEPTH)
				return fail_at(r, i, "too deep");
			stack[(*depth)++] = name;
			return i + 1;
		}
		if (i + 1 < len && m[i] == '/' && m[i + 1] == '>') {
			if (*label_depth == *depth + 1)
				*label_depth = 0;
			return i + 2;
		}
		an = name_len(m + i, len - i);
		if (an == 0 || i + an + 1 >= len || m[i + an] != '=')
			return fail_at(r, i, "bad attribute");
		for (unsigned k = 0; k < na; k++)
			if (attrs[k].n == an && memcmp(attrs[k].p, m + i, an) == 0)
				return fail_at(r, i, "duplicate attribute");
		if (na >= MAX_ATTRS)
			return fail_at(r, i, "too many attributes");
		attrs[na].p = m + i;
		attrs[na++].n = an;
		q = m[i + an + 1];
		if (q != '"' && q != '\'')
			return fail_at(r, i, "unquoted attribute");
		v = m + i + an + 2;
		end = memchr(v, q, len - (size_t)(v - m));
		if (end == NULL || memchr(v, '<', (size_t)(end - v)) != NULL)
			return fail_at(r, i, "unterminated attribute value");
		/* the root's access attribute and the whole 4774 label are label carriers */
		if (!in_label && !(*depth == 0 && an == 6 && memcmp(m + i, "access", 6) == 0))
			scan_unit(v, (size_t)(end - v), i, channel, r);
		i = (size_t)(end - m) + 1;
	}
}

/*
 * Walk an XML document (or, with @p fragment, a sequence of elements such as a TAK
 * xmlDetail) and scan it; adds to @p r.
 */
static void
walk_xml(const uint8_t *m, size_t len, bool fragment, int channel, struct gt_check_result *r)
{
	struct span stack[MAX_DEPTH];
	unsigned depth = 0;
	unsigned label_depth = 0; /* depth of the label element + 1 while inside it */
	unsigned roots = 0;
	size_t i = 0;

	while (i < len && r->wellformed) {
		if (m[i] != '<') {
			const uint8_t *lt = memchr(m + i, '<', len - i);
			size_t n = lt != NULL ? (size_t)(lt - (m + i)) : len - i;

			if (depth == 0) {
				for (size_t k = 0; k < n; k++)
					if (!is_space(m[i + k]))
						fail(r, i, "text outside the root element");
			} else if (label_depth == 0) {
				scan_unit(m + i, n, i, channel, r);
			}
			i += n;
			continue;
		}
		if (i + 1 < len && m[i + 1] == '?') {
			const uint8_t *e = memmem(m + i, len - i, "?>", 2);

			if (e == NULL || depth > 0 || roots > 0)
				fail(r, i, "misplaced processing instruction");
			else
				i = (size_t)(e - m) + 2;
			continue;
		}
		if (i + 1 < len && m[i + 1] == '!') {
			fail(r, i, "DOCTYPE, comment or CDATA (never written by gen-traffic)");
			continue;
		}
		if (i + 1 < len && m[i + 1] == '/') {
			size_t nl = name_len(m + i + 2, len - i - 2);

			if (depth == 0 || stack[depth - 1].n != nl ||
			    memcmp(stack[depth - 1].p, m + i + 2, nl) != 0 || i + 2 + nl >= len ||
			    m[i + 2 + nl] != '>') {
				fail(r, i, "mismatched end tag");
				continue;
			}
			if (label_depth == depth)
				label_depth = 0;
			depth--;
			i += 3 + nl;
			continue;
		}
		i = start_tag(m, len, i, stack, &depth, &label_depth, &roots, fragment, channel, r);
	}
	if (r->wellformed && (depth != 0 || (roots != 1 && !fragment)))
		fail(r, len, depth != 0 ? "unclosed element" : "no root element");
}

void
gt_check_cot(const uint8_t *m, size_t len, int channel, struct gt_check_result *r)
{
	memset(r, 0, sizeof(*r));
	r->wellformed = true;
	walk_xml(m, len, false, channel, r);
}

/* ---- TAK protobuf -------------------------------------------------------------------- */

static bool
pb_varint(const uint8_t *m, size_t len, size_t *i, uint64_t *v)
{
	*v = 0;
	for (unsigned k = 0; k < 10 && *i < len; k++) {
		uint8_t c = m[(*i)++];

		*v |= (uint64_t)(c & 0x7f) << (7 * k);
		if ((c & 0x80) == 0)
			return true;
	}
	return false;
}

/*
 * Walk the protobuf message m[0..len) (at offset @p base of the datagram), scanning every
 * string field as the guard does, except CotEvent.access (a label carrier); @p level says
 * which message it is: 0 TakMessage, 1 TakControl, 2 CotEvent, 3 Detail, 4 a Detail
 * submessage. xmlDetail is walked as XML elements.
 */
static void
walk_pb(const uint8_t *m, size_t len, size_t base, unsigned level, int channel,
	struct gt_check_result *r)
{
	size_t i = 0;

	while (i < len && r->wellformed) {
		uint64_t k;
		uint64_t v;
		unsigned field;

		if (!pb_varint(m, len, &i, &k)) {
			fail(r, base + i, "bad protobuf key");
			return;
		}
		field = (unsigned)(k >> 3);
		switch (k & 7) {
		case 0:
			if (!pb_varint(m, len, &i, &v)) {
				fail(r, base + i, "bad varint");
				return;
			}
			break;
		case 1:
			if (len - i < 8) {
				fail(r, base + i, "truncated fixed64");
				return;
			}
			i += 8;
			break;
		case 2:
			if (!pb_varint(m, len, &i, &v) || v > len - i) {
				fail(r, base + i, "length past the end");
				return;
			}
			if ((level == 0 && field == 1) || (level == 3 && field >= 2))
				walk_pb(m + i, (size_t)v, base + i, level == 0 ? 1 : 4, channel, r);
			else if (level == 0 && field == 2)
				walk_pb(m + i, (size_t)v, base + i, 2, channel, r);
			else if (level == 2 && field == 15)
				walk_pb(m + i, (size_t)v, base + i, 3, channel, r);
			else if (level == 3 && field == 1)
				walk_xml(m + i, (size_t)v, true, channel, r);
			else if (!(level == 2 && field == 2))
				scan_unit(m + i, (size_t)v, base + i, channel, r);
			i += (size_t)v;
			break;
		default: {
			fail(r, base + i, "unexpected wire type");
			return;
		}
		}
	}
}

static void
check_tak(const uint8_t *m, size_t len, bool stream, int channel, struct gt_check_result *r)
{
	size_t i = 1;
	uint64_t n;

	if (len < 3 || m[0] != 0xbf) {
		fail(r, 0, "no TAK magic");
		return;
	}
	if (stream) {
		if (!pb_varint(m, len, &i, &n) || n != len - i) {
			fail(r, 1, "stream length is not the rest of the datagram");
			return;
		}
	} else {
		if (m[1] != 1 || m[2] != 0xbf) {
			fail(r, 1, "mesh header is not 0xBF 0x01 0xBF");
			return;
		}
		i = 3;
	}
	walk_pb(m + i, len - i, i, 0, channel, r);
}

/* ---- ADatP-3 ----------------------------------------------------------------------- */

static bool
is_setid(const uint8_t *s, size_t n)
{
	size_t k = 0;

	while (k < n && k < 11 && ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9')))
		k++;
	return k >= 1 && k <= 10 && k < n && s[k] == '/';
}

/* Every field of every set except MSGID 9 and 10 (the field label), as plain text. */
static void
check_adatp3(const uint8_t *m, size_t len, int channel, struct gt_check_result *r)
{
	size_t i = 0;

	for (unsigned ln = 0; i < len && r->wellformed; ln++) {
		const uint8_t *eol = memchr(m + i, '\n', len - i);
		size_t e = eol != NULL ? (size_t)(eol - m) : len;
		size_t n = e - i;
		bool msgid;

		if (n > 0 && m[i + n - 1] == '\r')
			n--;
		if (ln == 0 && !is_setid(m + i, n)) {
			i = e + 1; /* the envelope: a label carrier */
			continue;
		}
		if (!is_setid(m + i, n) || n < 3 || m[i + n - 1] != '/' || m[i + n - 2] != '/' ||
		    memmem(m + i, n - 2, "//", 2) != NULL) {
			fail(r, i, "not a set (SETID/field/...//)");
			return;
		}
		msgid = n >= 6 && memcmp(m + i, "MSGID/", 6) == 0;
		for (size_t f = 0, a = i; a < i + n - 2; f++) {
			const uint8_t *sl = memchr(m + a, '/', i + n - 1 - a);
			size_t b = sl != NULL ? (size_t)(sl - m) : i + n - 2;

			if (!(msgid && (f == 9 || f == 10)))
				scan_text(m + a, b - a, a, channel, false, r);
			a = b + 1;
		}
		i = e + 1;
	}
}

void
gt_check_msg(int format, const uint8_t *msg, size_t len, int channel, struct gt_check_result *r)
{
	memset(r, 0, sizeof(*r));
	r->wellformed = true;
	switch (format) {
	case GT_FMT_TAK_MESH:
	case GT_FMT_TAK_STREAM:
		check_tak(msg, len, format == GT_FMT_TAK_STREAM, channel, r);
		break;
	case GT_FMT_ADATP3:
		check_adatp3(msg, len, channel, r);
		break;
	default: /* CoT, labelled XML: one XML document */
		walk_xml(msg, len, false, channel, r);
		break;
	}
}

/* ---- the term lists ------------------------------------------------------------------ */

struct term_list {
	struct term *v;
	unsigned n;
};

static int
add_term(struct term_list *l, const char *phrase, bool review, unsigned channels)
{
	if (l->n == MAX_TERMS)
		return -1;
	l->v[l->n].phrase = phrase;
	l->v[l->n].review = review;
	l->v[l->n].channels = channels;
	l->n++;
	return 0;
}

/*
 * Read @p dir/@p name, one phrase a line (surrounding blanks trimmed, '#' comment lines and
 * blank lines skipped), and add each phrase. The file's text is kept: phrases point into it.
 */
static int
load_file(struct term_list *l, const char *dir, const char *name, bool review, char *err,
	  size_t errlen)
{
	char path[4096];
	FILE *f;
	char *text;
	long size;
	unsigned line = 0;

	if (gt_fmt(path, sizeof(path), "%s/%s", dir, name) < 0) {
		(void)gt_fmt(err, errlen, "term file path too long: %s/%s", dir, name);
		return -1;
	}
	f = fopen(path, "rb");
	if (f == NULL) {
		(void)gt_fmt(err, errlen, "%s: %s (give the rules directory with --rules)", path,
			     strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    (unsigned long)size > MAX_FILE_SIZE || fseek(f, 0, SEEK_SET) != 0 ||
	    (text = malloc((size_t)size + 1)) == NULL) {
		fclose(f);
		(void)gt_fmt(err, errlen, "%s: cannot read (or larger than %u bytes)", path,
			     MAX_FILE_SIZE);
		return -1;
	}
	if (fread(text, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(text);
		(void)gt_fmt(err, errlen, "%s: read error", path);
		return -1;
	}
	fclose(f);
	text[size] = '\0';
	for (char *p = text; *p != '\0';) {
		char *eol = strchr(p, '\n');
		char *next = eol != NULL ? eol + 1 : p + strlen(p);
		char *e = eol != NULL ? eol : next;

		line++;
		while (p < e && is_space((uint8_t)*p))
			p++;
		while (e > p && is_space((uint8_t)e[-1]))
			e--;
		*e = '\0';
		if (p < e && *p != '#' && add_term(l, p, review, 0) < 0) {
			(void)gt_fmt(err, errlen, "%s:%u: more than %u terms", path, line,
				     MAX_TERMS);
			return -1;
		}
		p = next;
	}
	return 0;
}

static bool
listed(const struct term_list *l, unsigned from, const char *phrase)
{
	for (unsigned i = from; i < l->n; i++)
		if (strcasecmp(l->v[i].phrase, phrase) == 0)
			return true;
	return false;
}

/* ---- the channels of sample-policy.yaml ------------------------------------------------ */

/* One channel as the policy file gives it. */
struct yaml_channel {
	char name[64];
	char format[32];
	char dest[32];
	char address[64];
	unsigned max_size;
	unsigned port; /* ingress DPDK port */
	unsigned udp_port;
	unsigned line;
};

/* "key: value" at @p p (after the indentation): copy value, unquoted, without a comment. */
static bool
yaml_value(const char *p, const char *key, char *out, size_t n)
{
	size_t kl = strlen(key);
	size_t vl;

	if (strncmp(p, key, kl) != 0 || p[kl] != ':')
		return false;
	p += kl + 1;
	while (*p == ' ')
		p++;
	vl = strcspn(p, "#\r\n");
	while (vl > 0 && p[vl - 1] == ' ')
		vl--;
	if (vl >= 2 && (p[0] == '"' || p[0] == '\'') && p[vl - 1] == p[0]) {
		p++;
		vl -= 2;
	}
	if (vl >= n)
		vl = n - 1;
	memmove(out, p, vl); /* out may be the text itself */
	out[vl] = '\0';
	return true;
}

/* The flow mapping "{port: 0, address: A, udp_port: P}" of an ingress line. */
static bool
yaml_ingress(const char *p, struct yaml_channel *c)
{
	char tmp[64];
	const char *q;

	if (strncmp(p, "ingress: {", 10) != 0)
		return false;
	p += 10;
	while (*p != '\0' && *p != '}') {
		size_t n = strcspn(p, ",}");

		while (*p == ' ')
			p++, n--;
		if (gt_fmt(tmp, sizeof(tmp), "%.*s", (int)n, p) < 0)
			return false;
		if (yaml_value(tmp, "port", tmp, sizeof(tmp)))
			c->port = (unsigned)strtoul(tmp, NULL, 10);
		else if (yaml_value(tmp, "udp_port", tmp, sizeof(tmp)))
			c->udp_port = (unsigned)strtoul(tmp, NULL, 10);
		else if (yaml_value(tmp, "address", tmp, sizeof(tmp)))
			(void)gt_fmt(c->address, sizeof(c->address), "%s", tmp);
		q = p + n;
		p = *q == ',' ? q + 1 : q;
	}
	return true;
}

static const char *
dest_name(enum gt_dest d)
{
	return d == GT_DEST_MN ? "MN" : d == GT_DEST_FVEY ? "FVEY" : "NATO-WIDE";
}

/* Compare one policy channel with gen-traffic's table. @return 0, -1 with @p err. */
static int
compare_channel(const char *path, const struct yaml_channel *y, bool *seen, char *err,
		size_t errlen)
{
	uint8_t addr[16] = {0};
	int ch;

	for (ch = 0; ch < GT_CH_COUNT; ch++)
		if (strcmp(gt_channels[ch].name, y->name) == 0)
			break;
	if (ch == GT_CH_COUNT) {
		if (y->port != 0)
			return 0; /* not on the high side: gen-traffic never sends to it */
		if (strcmp(y->format, "object") == 0)
			return 0; /* objects go to the slow path: tools/gen-objects sends them */
		(void)gt_fmt(err, errlen, "%s:%u: channel '%s' is not in gt_deploy.c", path,
			     y->line, y->name);
		return -1;
	}
	const struct gt_channel *c = &gt_channels[ch];
	const char *why = NULL;

	seen[ch] = true;
	if (inet_pton(c->ip_version == 4 ? AF_INET : AF_INET6, y->address, addr) != 1 ||
	    memcmp(addr, c->addr, c->ip_version == 4 ? 4 : 16) != 0)
		why = "ingress address";
	else if (y->port != 0)
		why = "ingress port (gen-traffic sends on port 0)";
	else if (y->udp_port != c->udp_port)
		why = "ingress udp_port";
	else if (strcmp(y->format, gt_format_name(c->format)) != 0)
		why = "format";
	else if (y->max_size != c->max_size)
		why = "max_size";
	else if (strcmp(y->dest, dest_name(c->dest)) != 0)
		why = "destination";
	if (why == NULL)
		return 0;
	(void)gt_fmt(err, errlen, "%s:%u: channel '%s': %s differs from gt_deploy.c", path, y->line,
		     y->name, why);
	return -1;
}

/*
 * Cross-check gt_deploy.c's channel table with the channels of @p dir/sample-policy.yaml:
 * every high-side channel there is in the table with the same ingress address and UDP
 * port, format, max_size and destination, and every channel of the table is there. A
 * line-oriented reader for the layout of that file (one key a line, ingress as a flow
 * mapping), not a YAML parser. @return 0, -1 with @p err.
 */
static int
check_channels(const char *dir, char *err, size_t errlen)
{
	char path[4096];
	char line[1024];
	struct yaml_channel y;
	bool seen[GT_CH_COUNT] = {false};
	bool in_channels = false;
	bool have = false;
	unsigned ln = 0;
	int rc = 0;
	FILE *f;

	if (gt_fmt(path, sizeof(path), "%s/sample-policy.yaml", dir) < 0) {
		(void)gt_fmt(err, errlen, "policy path too long: %s", dir);
		return -1;
	}
	f = fopen(path, "r");
	if (f == NULL) {
		(void)gt_fmt(err, errlen, "%s: %s (give the rules directory with --rules)", path,
			     strerror(errno));
		return -1;
	}
	memset(&y, 0, sizeof(y));
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		const char *p = line;

		ln++;
		if (line[0] != ' ' && line[0] != '#' && line[0] != '\n' && line[0] != '\r') {
			if (in_channels && have)
				rc = compare_channel(path, &y, seen, err, errlen);
			have = false;
			in_channels = strncmp(line, "channels:", 9) == 0;
			continue;
		}
		if (!in_channels)
			continue;
		while (*p == ' ')
			p++;
		if (strncmp(p, "- ", 2) == 0) {
			if (have)
				rc = compare_channel(path, &y, seen, err, errlen);
			memset(&y, 0, sizeof(y));
			y.line = ln;
			have = true;
			p += 2;
		}
		if (!have)
			continue;
		char v[64];

		if (yaml_value(p, "name", y.name, sizeof(y.name)) ||
		    yaml_value(p, "format", y.format, sizeof(y.format)) ||
		    yaml_value(p, "destination", y.dest, sizeof(y.dest)) || yaml_ingress(p, &y))
			continue;
		if (yaml_value(p, "max_size", v, sizeof(v)))
			y.max_size = (unsigned)strtoul(v, NULL, 10);
	}
	if (rc == 0 && in_channels && have)
		rc = compare_channel(path, &y, seen, err, errlen);
	fclose(f);
	for (int ch = 0; rc == 0 && ch < GT_CH_COUNT; ch++) {
		if (!seen[ch]) {
			(void)gt_fmt(err, errlen, "%s: gt_deploy.c's channel '%s' is not there",
				     path, gt_channels[ch].name);
			rc = -1;
		}
	}
	return rc;
}

int
gt_check_load(const char *rules_dir, char *err, size_t errlen)
{
	struct term_list l = {calloc(MAX_TERMS, sizeof(struct term)), 0};
	struct term *sorted;
	unsigned count[256] = {0};
	unsigned pos[256];
	unsigned from;

	if (l.v == NULL) {
		(void)gt_fmt(err, errlen, "out of memory");
		return -1;
	}
	if (check_channels(rules_dir, err, errlen) < 0)
		goto fail;
	for (unsigned i = 0; i < gt_n_prohibited_literals; i++)
		(void)add_term(&l, gt_prohibited_literals[i], false, 0);
	from = l.n;
	if (load_file(&l, rules_dir, "terms/codewords.txt", false, err, errlen) < 0)
		goto fail;
	for (unsigned i = 0; i < gt_n_codeword_samples; i++) {
		if (!listed(&l, from, gt_codeword_samples[i])) {
			(void)gt_fmt(err, errlen,
				     "gt_deploy.c's codeword '%s' is not in %s/terms/codewords.txt",
				     gt_codeword_samples[i], rules_dir);
			goto fail;
		}
	}
	from = l.n;
	if (load_file(&l, rules_dir, "terms/review.txt", true, err, errlen) < 0)
		goto fail;
	for (unsigned i = 0; i < gt_n_review_terms; i++) {
		const struct gt_review_term *t = &gt_review_terms[i];

		if (t->channels != 0) {
			(void)add_term(&l, t->literal, true, t->channels);
		} else if (!listed(&l, from, t->literal)) {
			(void)gt_fmt(err, errlen,
				     "gt_deploy.c's review term '%s' is not in %s/terms/review.txt",
				     t->literal, rules_dir);
			goto fail;
		}
	}
	/* counting sort by the lower-case first byte */
	sorted = calloc(l.n ? l.n : 1, sizeof(*sorted));
	if (sorted == NULL) {
		(void)gt_fmt(err, errlen, "out of memory");
		goto fail;
	}
	for (unsigned i = 0; i < l.n; i++)
		count[lower((uint8_t)l.v[i].phrase[0])]++;
	for (unsigned c = 0, at = 0; c < 256; c++) {
		term_start[c] = at;
		pos[c] = at;
		at += count[c];
	}
	term_start[256] = l.n;
	for (unsigned i = 0; i < l.n; i++)
		sorted[pos[lower((uint8_t)l.v[i].phrase[0])]++] = l.v[i];
	free(l.v);
	terms = sorted;
	return 0;
fail:
	free(l.v);
	return -1;
}
