/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policy loader: YAML text -> struct insp_policy -> Hyperscan database.
 *
 * Why it is built this way:
 * - libyaml's document API (yaml_parser_load) gives a tree whose nodes keep their start
 *   mark, so every error can name the exact line and column the operator has to fix.
 * - The schema is closed: an unknown key anywhere is an error, and so is a key given twice
 *   (libyaml keeps both and a "last one wins" reading of a security policy would be a trap).
 * - Sections are read in dependency order (nations, ceilings, groups, classifications,
 *   restrictive categories, destinations, data categories, sharing agreements, channels,
 *   category hints, patterns, priorities) whatever order the file uses, so references
 *   always resolve.
 * - All or nothing: the first error stops the load, everything built so far is freed and
 *   err holds exactly one message. The caller keeps its previous policy (GUARD-SPEC 4.2).
 * - No I/O, no printing, no globals: the caller reads the file and decides where the
 *   message goes, so ctld, guardctl and the tests share this code unchanged. Term files
 *   (prohibited_term_files) are read through the caller's struct insp_policy_io; the
 *   loader only joins their paths to the policy file's directory (string work).
 * - Term files are built for size (10^4..10^5 lines): one pass per file, no YAML, no
 *   per-term search (id uniqueness is one sort over all patterns), one Hyperscan compile.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <yaml.h>

#include "insp_fold.h"
#include "insp_match.h"
#include "insp_norm.h"
#include "insp_policy_load.h"
#include "insp_utf8.h"

/* Limits that are not in insp_policy.h; documented in docs/policy.md. */
#define LD_MAX_GROUPS	      256
#define LD_MAX_CLASS_POLICIES 64
#define LD_MAX_CLASS_NAMES    256
#define LD_MAX_DESTINATIONS   256
#define LD_MAX_HOLDS	      64
#define LD_MAX_PATTERNS	      1048576
#define LD_MAX_LITERAL	      1024
#define LD_MAX_REGEX	      4096
#define LD_MAX_RESTRICTIVE    64   /* restrictive category tags */
#define LD_MAX_RESTR_VALUES   256  /* values per tag */
#define LD_MAX_HINTS	      1024 /* category hints, all formats */
#define LD_MAX_PRIORITIES     1024
#define LD_MAX_TERM_FILES     256
#define LD_MAX_PATH	      4095
#define LD_MAX_KEYS	      24  /* keys of the largest fixed mapping */
#define LD_LIST_MAX	      272 /* longest "(known: ...)" list quoted in a message */
#define LD_WHAT_MAX	      160 /* "'ttl' in channel '...' egress" */

struct ld {
	yaml_document_t *doc;
	const char *file;
	struct insp_err *err;
	int failed;
	struct insp_policy *p;
	const struct insp_policy_io *io; /* term file reader, or NULL */
	const yaml_node_t *restrictive;	 /* 'restrictive_categories' mapping, or NULL */
	int have_categories;		 /* 'data_categories' given */
};

/* ---- error reporting ---- */

static void __attribute__((format(printf, 5, 0)))
ld_vfail_in(struct ld *c, const char *file, size_t line, size_t col, const char *fmt, va_list ap)
{
	char text[sizeof(c->err->msg)];
	int n;

	if (c->failed)
		return;
	c->failed = 1;
	if (c->err == NULL)
		return;
	n = vsnprintf(text, sizeof(text), fmt, ap);
	if (n < 0)
		snprintf(text, sizeof(text), "invalid policy");
	c->err->line = (uint32_t)line;
	c->err->column = (uint32_t)col;
	n = snprintf(c->err->msg, sizeof(c->err->msg), "%s:%zu:%zu: %s", file, line, col, text);
	if (n < 0)
		c->err->msg[0] = '\0';
}

static void __attribute__((format(printf, 4, 0)))
ld_vfail_at(struct ld *c, size_t line, size_t col, const char *fmt, va_list ap)
{
	ld_vfail_in(c, c->file, line, col, fmt, ap);
}

/* An error in another file (a term file): "TERMFILE:LINE:COLUMN: message". */
static int __attribute__((format(printf, 5, 6)))
ld_fail_in(struct ld *c, const char *file, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_vfail_in(c, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

static int __attribute__((format(printf, 4, 5)))
ld_fail_at(struct ld *c, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_vfail_at(c, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* Report at a node's start (libyaml marks are 0-based; messages are 1-based). */
static int __attribute__((format(printf, 3, 4)))
ld_fail(struct ld *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_vfail_at(c, n->start_mark.line + 1, n->start_mark.column + 1, fmt, ap);
	va_end(ap);
	return -1;
}

static int
ld_oom(struct ld *c, const yaml_node_t *n)
{
	return ld_fail(c, n, "out of memory while loading the policy");
}

/* ---- YAML node access ---- */

static yaml_node_t *
node(struct ld *c, yaml_node_item_t idx)
{
	return yaml_document_get_node(c->doc, idx);
}

static int
is_scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE;
}

static const char *
sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static size_t
slen(const yaml_node_t *n)
{
	return n->data.scalar.length;
}

static int
seq_len(const yaml_node_t *n)
{
	return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static int
scalar_is(const yaml_node_t *n, const char *s)
{
	return is_scalar(n) && slen(n) == strlen(s) && memcmp(sval(n), s, slen(n)) == 0;
}

/* "a mapping", "a sequence", ... for "must be X, got Y" messages. */
static const char *
kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a sequence";
	case YAML_SCALAR_NODE:
		if (slen(n) == 0 && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return "nothing";
		return slen(n) == 0 ? "an empty string" : "a string";
	default:
		return "nothing";
	}
}

/*
 * A scalar's value made safe to quote in a message: bounded, control bytes replaced,
 * not cut inside a UTF-8 sequence.
 */
static const char *
quote(const yaml_node_t *n, char *buf, size_t cap)
{
	const unsigned char *s = (const unsigned char *)sval(n);
	size_t len = slen(n), i, max = cap - 4;

	if (len > max) {
		len = max;
		while (len > 0 && (s[len] & 0xc0) == 0x80)
			len--;
	}
	for (i = 0; i < len; i++)
		buf[i] = (s[i] < 0x20 || s[i] == 0x7f) ? '?' : (char)s[i];
	if (len < slen(n))
		memcpy(buf + i, "...", 4);
	else
		buf[i] = '\0';
	return buf;
}

#define Q(n, b) quote((n), (b), sizeof(b))

/* "'key' in what", the subject of most messages. */
static const char *
field(char *buf, size_t cap, const char *key, const char *what)
{
	if (snprintf(buf, cap, "'%s' in %s", key, what) < 0)
		buf[0] = '\0';
	return buf;
}

/* Comma-separated list for "(known: ...)", cut with ", ..." when it gets long. */
struct list {
	char buf[LD_LIST_MAX + 8];
	size_t len;
	int full;
};

static void
list_add(struct list *l, const char *s)
{
	size_t n = strlen(s), sep = l->len ? 2 : 0;

	if (l->full)
		return;
	if (l->len + sep + n > LD_LIST_MAX) {
		memcpy(l->buf + l->len, ", ...", 6);
		l->len += 5;
		l->full = 1;
		return;
	}
	if (sep)
		memcpy(l->buf + l->len, ", ", 2);
	memcpy(l->buf + l->len + sep, s, n + 1);
	l->len += sep + n;
}

/*
 * Collect the values of a fixed-schema mapping into vals[] (NULL when absent). Unknown
 * and repeated keys are errors.
 */
static int
get_fields(struct ld *c, const yaml_node_t *map, const char *what, const char *const *keys,
	   size_t nkeys, yaml_node_t **vals)
{
	const yaml_node_t *knodes[LD_MAX_KEYS] = {NULL};
	const yaml_node_pair_t *pair;
	char q[72];
	size_t i;

	for (i = 0; i < nkeys; i++)
		vals[i] = NULL;
	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map, "%s must be a mapping, got %s", what, kind(map));
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = node(c, pair->key);

		if (!is_scalar(k))
			return ld_fail(c, k, "keys of %s must be strings, got %s", what, kind(k));
		for (i = 0; i < nkeys; i++) {
			if (scalar_is(k, keys[i]))
				break;
		}
		if (i == nkeys) {
			struct list l = {.len = 0};

			for (i = 0; i < nkeys; i++)
				list_add(&l, keys[i]);
			return ld_fail(c, k, "unknown key '%s' in %s (known: %s)", Q(k, q), what,
				       l.buf);
		}
		if (knodes[i] != NULL)
			return ld_fail(c, k, "key '%s' given twice in %s (first at %zu:%zu)",
				       keys[i], what, knodes[i]->start_mark.line + 1,
				       knodes[i]->start_mark.column + 1);
		knodes[i] = k;
		vals[i] = node(c, pair->value);
	}
	return 0;
}

static int
missing(struct ld *c, const yaml_node_t *map, const char *what, const char *key)
{
	return ld_fail(c, map, "%s is missing required key '%s'", what, key);
}

/* Value of scalar key @p key in mapping @p map if it is a scalar, else NULL; no errors. */
static const yaml_node_t *
peek_scalar(struct ld *c, const yaml_node_t *map, const char *key)
{
	const yaml_node_pair_t *pair;

	if (map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *v = node(c, pair->value);

		if (scalar_is(node(c, pair->key), key))
			return is_scalar(v) && slen(v) > 0 && slen(v) < 64 ? v : NULL;
	}
	return NULL;
}

/* "channel 'cot-mn'" if it has a usable name, else "channel #3" (1-based position). */
static void
item_what(struct ld *c, char *buf, size_t cap, const char *noun, const yaml_node_t *map,
	  const char *key, int quoted, int index)
{
	const yaml_node_t *v = peek_scalar(c, map, key);
	char q[72];
	int n;

	if (v == NULL)
		n = snprintf(buf, cap, "%s #%d", noun, index + 1);
	else if (quoted)
		n = snprintf(buf, cap, "%s '%s'", noun, Q(v, q));
	else
		n = snprintf(buf, cap, "%s %s", noun, Q(v, q));
	if (n < 0)
		buf[0] = '\0';
}

/* ---- scalar values ---- */

/*
 * A non-empty string of at most @p max bytes without control characters. NUL is always
 * refused (expressions and names are C strings); tab, LF and CR only where @p allow_ws
 * (patterns, where they are whitespace or literal characters).
 */
static int
get_text(struct ld *c, const yaml_node_t *n, const char *what, size_t max, int allow_ws)
{
	const unsigned char *s;
	size_t i;

	if (!is_scalar(n) || slen(n) == 0)
		return ld_fail(c, n, "%s must be a non-empty string, got %s", what, kind(n));
	if (slen(n) > max)
		return ld_fail(c, n, "%s is %zu bytes long (at most %zu)", what, slen(n), max);
	s = (const unsigned char *)sval(n);
	for (i = 0; i < slen(n); i++) {
		if (allow_ws && (s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			continue;
		if (s[i] >= 0x20 && s[i] != 0x7f)
			continue;
		/* In a double-quoted YAML string "\b" is a backspace, not a regex escape. */
		if (n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && s[i] < 0x20)
			return ld_fail(
				c, n,
				"%s contains control character 0x%02x, which YAML made of an "
				"escape in double quotes (\"\\b\" is a backspace there): "
				"write the pattern in single quotes ('\\bTK') or double the "
				"backslash (\"\\\\bTK\")",
				what, s[i]);
		return ld_fail(c, n, "%s contains control character 0x%02x", what, s[i]);
	}
	return 0;
}

static int
get_string(struct ld *c, const yaml_node_t *n, const char *what, size_t max)
{
	return get_text(c, n, what, max, 0);
}

static void
copy_str(char *out, const yaml_node_t *n)
{
	memcpy(out, sval(n), slen(n));
	out[slen(n)] = '\0';
}

/*
 * Unsigned decimal integer. Only plain scalars: a quoted "60" is a string in YAML, and a
 * leading zero is refused because YAML 1.1 readers take 010 as octal.
 */
static int
parse_uint(const yaml_node_t *n, uint64_t *out)
{
	const char *s = sval(n);
	size_t i, len = slen(n);
	uint64_t v = 0;

	if (!is_scalar(n) || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || len == 0 ||
	    (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int
get_uint(struct ld *c, const yaml_node_t *n, const char *what, uint64_t min, uint64_t max,
	 uint64_t *out)
{
	uint64_t v;
	char q[72];

	if (!is_scalar(n) || slen(n) == 0)
		return ld_fail(c, n, "%s must be an integer in %" PRIu64 "..%" PRIu64 ", got %s",
			       what, min, max, kind(n));
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return ld_fail(c, n,
			       "%s must be an integer in %" PRIu64 "..%" PRIu64
			       ", got a quoted string",
			       what, min, max);
	if (parse_uint(n, &v) < 0 || v < min || v > max)
		return ld_fail(c, n, "%s must be an integer in %" PRIu64 "..%" PRIu64 ", got '%s'",
			       what, min, max, Q(n, q));
	*out = v;
	return 0;
}

static int
get_bool(struct ld *c, const yaml_node_t *n, const char *what, uint8_t *out)
{
	char q[72];

	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar_is(n, "true")) {
		*out = 1;
		return 0;
	}
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar_is(n, "false")) {
		*out = 0;
		return 0;
	}
	if (!is_scalar(n))
		return ld_fail(c, n, "%s must be true or false, got %s", what, kind(n));
	return ld_fail(c, n, "%s must be true or false, got '%s'", what, Q(n, q));
}

/* One of @p names; *out is its index. */
static int
get_enum(struct ld *c, const yaml_node_t *n, const char *what, const char *const *names,
	 size_t count, int *out)
{
	struct list l = {.len = 0};
	char q[72];
	size_t i;

	for (i = 0; i < count; i++) {
		if (scalar_is(n, names[i])) {
			*out = (int)i;
			return 0;
		}
		list_add(&l, names[i]);
	}
	if (!is_scalar(n))
		return ld_fail(c, n, "%s must be one of %s, got %s", what, l.buf, kind(n));
	return ld_fail(c, n, "%s must be one of %s, got '%s'", what, l.buf, Q(n, q));
}

static int
get_level(struct ld *c, const yaml_node_t *n, const char *what, uint8_t *out)
{
	const char *names[INSP_LEVEL_COUNT];
	int i, v = 0;

	for (i = 0; i < INSP_LEVEL_COUNT; i++)
		names[i] = insp_level_name((enum insp_level)i);
	if (get_enum(c, n, what, names, INSP_LEVEL_COUNT, &v) < 0)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

static int
get_ip(struct ld *c, const yaml_node_t *n, const char *what, struct insp_ipaddr *out)
{
	char buf[INET6_ADDRSTRLEN + 1], q[72];

	if (get_string(c, n, what, INET6_ADDRSTRLEN) < 0)
		return -1;
	copy_str(buf, n);
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->a) == 1) {
		out->version = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, out->a) == 1) {
		out->version = 6;
		return 0;
	}
	return ld_fail(c, n, "%s must be an IPv4 or IPv6 address, got '%s'", what, Q(n, q));
}

static int
hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int
get_mac(struct ld *c, const yaml_node_t *n, const char *what, uint8_t mac[6])
{
	const char *s;
	char q[72];
	int i;

	if (!is_scalar(n) || slen(n) != 17)
		goto bad;
	s = sval(n);
	for (i = 0; i < 6; i++) {
		int hi = hex_digit(s[3 * i]), lo = hex_digit(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			goto bad;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
bad:
	if (!is_scalar(n))
		return ld_fail(c, n, "%s must be a MAC address like 01:00:5e:0a:03:01, got %s",
			       what, kind(n));
	return ld_fail(c, n, "%s must be a MAC address like 01:00:5e:0a:03:01, got '%s'", what,
		       Q(n, q));
}

/* ---- character classes of names ---- */

static int
is_upper(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z';
}

static int
is_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

static int
is_lower(unsigned char ch)
{
	return ch >= 'a' && ch <= 'z';
}

static int
is_nation_code(const yaml_node_t *n)
{
	const unsigned char *s = (const unsigned char *)sval(n);

	return slen(n) == 3 && is_upper(s[0]) && is_upper(s[1]) && is_upper(s[2]);
}

/* Every byte of the scalar is in the class (1..INSP_NAME_MAX-1 bytes). */
enum name_class {
	NC_GROUP,	/* [A-Z0-9_] */
	NC_CHANNEL,	/* [a-z0-9_-] */
	NC_DESTINATION, /* [A-Za-z0-9_.-] */
};

static int
name_in_class(const yaml_node_t *n, enum name_class nc)
{
	const unsigned char *s = (const unsigned char *)sval(n);
	size_t i;

	if (slen(n) == 0 || slen(n) >= INSP_NAME_MAX)
		return 0;
	for (i = 0; i < slen(n); i++) {
		unsigned char ch = s[i];
		int ok = is_digit(ch) || ch == '_';

		switch (nc) {
		case NC_GROUP:
			ok = ok || is_upper(ch);
			break;
		case NC_CHANNEL:
			ok = ok || is_lower(ch) || ch == '-';
			break;
		case NC_DESTINATION:
			ok = ok || is_upper(ch) || is_lower(ch) || ch == '-' || ch == '.';
			break;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/*
 * Policy identifiers and classification names: compared with labels whose whitespace is
 * collapsed (xs:token), so a name with leading, trailing or doubled spaces could never
 * match and is refused here rather than silently never granting anything.
 */
static int
get_label_name(struct ld *c, const yaml_node_t *n, const char *noun, const char *where, char *out)
{
	char what[LD_WHAT_MAX], q[72];
	const char *s;
	size_t i;

	if (snprintf(what, sizeof(what), "%s%s", noun, where) < 0)
		what[0] = '\0';
	if (get_string(c, n, what, INSP_NAME_MAX - 1) < 0)
		return -1;
	s = sval(n);
	for (i = 0; i < slen(n); i++) {
		if (s[i] == ' ' && (i == 0 || i + 1 == slen(n) || s[i + 1] == ' '))
			return ld_fail(c, n,
				       "%s '%s'%s has a leading, trailing or double space (labels "
				       "compare with spaces collapsed)",
				       noun, Q(n, q), where);
	}
	copy_str(out, n);
	return 0;
}

static int
ascii_ieq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

/* ---- nations and groups ---- */

static int
find_nation(const struct insp_policy *p, const yaml_node_t *n)
{
	uint32_t i;

	for (i = 0; i < p->n_nations; i++) {
		if (scalar_is(n, p->nations[i]))
			return (int)i;
	}
	return -1;
}

static int
find_group(const struct insp_policy *p, const yaml_node_t *n)
{
	uint32_t i;

	for (i = 0; i < p->n_groups; i++) {
		if (scalar_is(n, p->groups[i].code))
			return (int)i;
	}
	return -1;
}

/*
 * An unknown code in @p where: suggest the right case, or list what is known. Groups are
 * considered only where they are allowed (@p with_groups).
 */
static int
unknown_code_of(struct ld *c, const yaml_node_t *n, const char *where, int with_groups)
{
	const struct insp_policy *p = c->p;
	const char *noun = with_groups ? "nation or group" : "nation";
	uint32_t i, count = p->n_nations + (with_groups ? p->n_groups : 0);
	struct list l = {.len = 0};
	char q[72];

	for (i = 0; i < count; i++) {
		const char *code =
			i < p->n_nations ? p->nations[i] : p->groups[i - p->n_nations].code;

		if (ascii_ieq(code, strlen(code), sval(n), slen(n)))
			return ld_fail(c, n,
				       "%s '%s' unknown in %s (codes are case-sensitive in the "
				       "policy: did you mean '%s'?)",
				       noun, Q(n, q), where, code);
		list_add(&l, code);
	}
	return ld_fail(c, n, "%s '%s' unknown in %s (known: %s)", noun, Q(n, q), where, l.buf);
}

static int
unknown_code(struct ld *c, const yaml_node_t *n, const char *where)
{
	return unknown_code_of(c, n, where, 1);
}

/* A nation or (already expanded) group code to nation bits. */
static int
resolve_code(struct ld *c, const yaml_node_t *n, const char *where, uint64_t *bits)
{
	int i;

	if (!is_scalar(n))
		return ld_fail(c, n, "members of %s must be nation or group codes, got %s", where,
			       kind(n));
	i = find_nation(c->p, n);
	if (i >= 0) {
		*bits |= UINT64_C(1) << i;
		return 0;
	}
	i = find_group(c->p, n);
	if (i >= 0) {
		*bits |= c->p->groups[i].members;
		return 0;
	}
	return unknown_code(c, n, where);
}

/* A sequence of nation or group codes, expanded; empty only if @p allow_empty. */
static int
get_code_list_of(struct ld *c, const yaml_node_t *seq, const char *what, const char *where,
		 int allow_empty, uint64_t *bits)
{
	const yaml_node_item_t *it;

	*bits = 0;
	if (seq->type != YAML_SEQUENCE_NODE || (seq_len(seq) == 0 && !allow_empty))
		return ld_fail(c, seq, "%s must be a %ssequence of nation or group codes, got %s",
			       what, allow_empty ? "" : "non-empty ",
			       seq->type == YAML_SEQUENCE_NODE ? "an empty one" : kind(seq));
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		if (resolve_code(c, node(c, *it), where, bits) < 0)
			return -1;
	}
	return 0;
}

/* A non-empty sequence of nation or group codes, expanded. */
static int
get_code_list(struct ld *c, const yaml_node_t *seq, const char *what, const char *where,
	      uint64_t *bits)
{
	return get_code_list_of(c, seq, what, where, 0, bits);
}

static int
load_nations(struct ld *c, const yaml_node_t *seq)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seen[INSP_MAX_NATIONS];
	const yaml_node_item_t *it;
	char q[72];

	if (seq->type != YAML_SEQUENCE_NODE || seq_len(seq) == 0)
		return ld_fail(c, seq, "'nations' must be a non-empty sequence of codes, got %s",
			       seq->type == YAML_SEQUENCE_NODE ? "an empty one" : kind(seq));
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		const yaml_node_t *n = node(c, *it);
		int dup;

		if (!is_scalar(n))
			return ld_fail(c, n, "'nations' must hold nation codes, got %s", kind(n));
		if (!is_nation_code(n))
			return ld_fail(
				c, n,
				"nation code '%s' must be three upper-case letters (ISO 3166 "
				"alpha-3, e.g. USA)",
				Q(n, q));
		dup = find_nation(p, n);
		if (dup >= 0)
			return ld_fail(c, n, "nation '%s' listed twice (first at %zu:%zu)",
				       p->nations[dup], seen[dup]->start_mark.line + 1,
				       seen[dup]->start_mark.column + 1);
		if (p->n_nations == INSP_MAX_NATIONS)
			return ld_fail(c, n, "too many nations (at most %d)", INSP_MAX_NATIONS);
		seen[p->n_nations] = n;
		copy_str(p->nations[p->n_nations++], n);
	}
	return 0;
}

/* Depth-first expansion state for groups. */
struct gx {
	const yaml_node_t **key;     /* group code node, for messages */
	const yaml_node_t **members; /* member sequence per group */
	uint8_t *state;		     /* 0 new, 1 on the current path, 2 expanded */
	uint32_t *path;
	uint32_t depth;
};

static int
group_cycle(struct ld *c, struct gx *g, const yaml_node_t *at, uint32_t to)
{
	const struct insp_policy *p = c->p;
	char chain[LD_LIST_MAX + 8];
	size_t pos = 0;
	uint32_t i = 0;

	while (g->path[i] != to)
		i++;
	chain[0] = '\0';
	for (; i <= g->depth; i++) {
		const char *code = i < g->depth ? p->groups[g->path[i]].code : p->groups[to].code;
		size_t n = strlen(code);

		if (pos + n + 8 > LD_LIST_MAX) {
			memcpy(chain + pos, " -> ...", 8);
			break;
		}
		if (pos) {
			memcpy(chain + pos, " -> ", 4);
			pos += 4;
		}
		memcpy(chain + pos, code, n + 1);
		pos += n;
	}
	return ld_fail(c, at, "group cycle: %s", chain);
}

static int
expand_group(struct ld *c, struct gx *g, uint32_t gi)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seq = g->members[gi];
	const yaml_node_item_t *it;
	char where[LD_WHAT_MAX];

	g->state[gi] = 1;
	g->path[g->depth++] = gi;
	if (snprintf(where, sizeof(where), "group '%s'", p->groups[gi].code) < 0)
		where[0] = '\0';
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		const yaml_node_t *m = node(c, *it);
		int i;

		if (!is_scalar(m))
			return ld_fail(c, m, "members of %s must be nation or group codes, got %s",
				       where, kind(m));
		i = find_nation(p, m);
		if (i >= 0) {
			p->groups[gi].members |= UINT64_C(1) << i;
			continue;
		}
		i = find_group(p, m);
		if (i < 0)
			return unknown_code(c, m, where);
		if (g->state[i] == 1)
			return group_cycle(c, g, m, (uint32_t)i);
		if (g->state[i] == 0 && expand_group(c, g, (uint32_t)i) < 0)
			return -1;
		p->groups[gi].members |= p->groups[i].members;
	}
	g->depth--;
	g->state[gi] = 2;
	return 0;
}

static int
load_groups(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_pair_t *pair;
	struct gx g = {0};
	uint32_t n, i;
	char q[72];
	int rc = -1;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'groups' must be a mapping of group code to members, got %s",
			       kind(map));
	n = (uint32_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if (n == 0)
		return 0;
	if (n > LD_MAX_GROUPS)
		return ld_fail(c, map, "too many groups: %u (at most %d)", n, LD_MAX_GROUPS);
	p->groups = calloc(n, sizeof(*p->groups));
	g.key = calloc(n, sizeof(*g.key));
	g.members = calloc(n, sizeof(*g.members));
	g.state = calloc(n, sizeof(*g.state));
	g.path = calloc(n, sizeof(*g.path));
	if (p->groups == NULL || g.key == NULL || g.members == NULL || g.state == NULL ||
	    g.path == NULL) {
		ld_oom(c, map);
		goto out;
	}

	/* Pass 1: all codes first, so members may name groups defined further down. */
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(c, pair->key), *v = node(c, pair->value);
		int dup;

		if (!is_scalar(k) || !name_in_class(k, NC_GROUP)) {
			if (!is_scalar(k))
				ld_fail(c, k, "group codes must be strings, got %s", kind(k));
			else
				ld_fail(c, k,
					"group code '%s' must be 1 to %d characters of A-Z, 0-9 "
					"and _",
					Q(k, q), INSP_NAME_MAX - 1);
			goto out;
		}
		if (find_nation(p, k) >= 0) {
			ld_fail(c, k,
				"group '%s' has the code of a nation (a group needs its own "
				"code)",
				Q(k, q));
			goto out;
		}
		dup = find_group(p, k);
		if (dup >= 0) {
			ld_fail(c, k, "group '%s' defined twice (first at %zu:%zu)", Q(k, q),
				g.key[dup]->start_mark.line + 1, g.key[dup]->start_mark.column + 1);
			goto out;
		}
		if (v->type != YAML_SEQUENCE_NODE || seq_len(v) == 0) {
			ld_fail(c, v,
				"group '%s' must be a non-empty sequence of nation or group codes, "
				"got %s",
				Q(k, q), v->type == YAML_SEQUENCE_NODE ? "an empty one" : kind(v));
			goto out;
		}
		g.key[p->n_groups] = k;
		g.members[p->n_groups] = v;
		copy_str(p->groups[p->n_groups++].code, k);
	}

	/* Pass 2: expand recursively (depth is bounded by LD_MAX_GROUPS). */
	for (i = 0; i < p->n_groups; i++) {
		if (g.state[i] == 0 && expand_group(c, &g, i) < 0)
			goto out;
	}
	rc = 0;
out:
	free(g.key);
	free(g.members);
	free(g.state);
	free(g.path);
	return rc;
}

/* ---- release ceilings ---- */

/*
 * Nation code -> highest NATO level it may receive (the SPIF excludedClass idea). Nations
 * not listed keep TOP SECRET (no ceiling beyond the lattice). Per nation only: a group
 * would hide which nation a ceiling binds.
 */
static int
load_ceilings(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seen[INSP_MAX_NATIONS] = {NULL};
	const yaml_node_pair_t *pair;
	char q[72];

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'release_ceilings' must be a mapping of nation code to NATO level, "
			       "got %s",
			       kind(map));
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(c, pair->key), *v = node(c, pair->value);
		char fwhat[LD_WHAT_MAX];
		int i;

		if (!is_scalar(k))
			return ld_fail(c, k,
				       "keys of 'release_ceilings' must be nation codes, got %s",
				       kind(k));
		i = find_nation(p, k);
		if (i < 0) {
			if (find_group(p, k) >= 0)
				return ld_fail(
					c, k,
					"'%s' in 'release_ceilings' is a group: ceilings are "
					"set per nation",
					Q(k, q));
			return unknown_code_of(c, k, "'release_ceilings'", 0);
		}
		if (seen[i] != NULL)
			return ld_fail(c, k,
				       "nation '%s' given twice in 'release_ceilings' (first at "
				       "%zu:%zu)",
				       p->nations[i], seen[i]->start_mark.line + 1,
				       seen[i]->start_mark.column + 1);
		seen[i] = k;
		if (snprintf(fwhat, sizeof(fwhat), "ceiling of '%s' in 'release_ceilings'",
			     p->nations[i]) < 0)
			fwhat[0] = '\0';
		if (get_level(c, v, fwhat, &p->nation_ceiling[i]) < 0)
			return -1;
	}
	return 0;
}

/* ---- classification tables ---- */

static int
load_class_table(struct ld *c, struct insp_class_policy *cp, const yaml_node_t *map)
{
	const yaml_node_pair_t *pair;
	char where[LD_WHAT_MAX];
	uint32_t n;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "classification table '%s' must be a mapping of name to NATO "
			       "level, got %s",
			       cp->id, kind(map));
	n = (uint32_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if (n == 0)
		return ld_fail(c, map, "classification table '%s' is empty", cp->id);
	if (n > LD_MAX_CLASS_NAMES)
		return ld_fail(c, map, "classification table '%s' has %u names (at most %d)",
			       cp->id, n, LD_MAX_CLASS_NAMES);
	cp->names = calloc(n, sizeof(*cp->names));
	if (cp->names == NULL)
		return ld_oom(c, map);
	if (snprintf(where, sizeof(where), " in table '%s'", cp->id) < 0)
		where[0] = '\0';
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(c, pair->key), *v = node(c, pair->value);
		struct insp_class_name *cn = &cp->names[cp->n_names];
		char fwhat[LD_WHAT_MAX];
		uint32_t j;

		if (get_label_name(c, k, "classification name", where, cn->name) < 0)
			return -1;
		/* Case-insensitive: 4774 labels are looked up ignoring case. */
		for (j = 0; j < cp->n_names; j++) {
			if (ascii_ieq(cp->names[j].name, strlen(cp->names[j].name), cn->name,
				      strlen(cn->name)))
				return ld_fail(c, k,
					       "classification '%s' listed twice in table '%s' "
					       "(names compare ignoring case)",
					       cn->name, cp->id);
		}
		if (snprintf(fwhat, sizeof(fwhat), "classification '%s' in table '%s'", cn->name,
			     cp->id) < 0)
			fwhat[0] = '\0';
		if (get_level(c, v, fwhat, &cn->level) < 0)
			return -1;
		cp->n_names++;
	}
	return 0;
}

static int
load_classifications(struct ld *c, const yaml_node_t *map, const yaml_node_t *root)
{
	struct insp_policy *p = c->p;
	const yaml_node_pair_t *pair;
	uint32_t n, i;

	if (map == NULL)
		return ld_fail(c, root,
			       "the policy is missing required key 'classifications' (at least "
			       "the 'NATO' table)");
	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'classifications' must be a mapping of policy identifier to "
			       "table, got %s",
			       kind(map));
	n = (uint32_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if (n > LD_MAX_CLASS_POLICIES)
		return ld_fail(c, map, "too many classification tables: %u (at most %d)", n,
			       LD_MAX_CLASS_POLICIES);
	if (n > 0) {
		p->class_policies = calloc(n, sizeof(*p->class_policies));
		if (p->class_policies == NULL)
			return ld_oom(c, map);
	}
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(c, pair->key);
		struct insp_class_policy *cp = &p->class_policies[p->n_class_policies];

		if (get_label_name(c, k, "policy identifier", "", cp->id) < 0)
			return -1;
		for (i = 0; i < p->n_class_policies; i++) {
			if (ascii_ieq(p->class_policies[i].id, strlen(p->class_policies[i].id),
				      cp->id, strlen(cp->id)))
				return ld_fail(c, k,
					       "classification table '%s' defined twice (policy "
					       "identifiers compare ignoring case)",
					       cp->id);
		}
		/* Counted before filling so insp_policy_free() sees the names array. */
		p->n_class_policies++;
		if (load_class_table(c, cp, node(c, pair->value)) < 0)
			return -1;
	}
	if (insp_policy_class_policy(p, "NATO", 4) == NULL)
		return ld_fail(c, map,
			       "'classifications' has no 'NATO' table (every level is defined "
			       "against it)");
	return 0;
}

/* ---- restrictive categories ---- */

/*
 * A tag name or value of a RESTRICTIVE category: stored joined as "TagName:Value" in a
 * destination's holds, so neither part may contain ':'.
 */
static int
get_restr_part(struct ld *c, const yaml_node_t *n, const char *what, const char *tag)
{
	char q[72];

	if (get_string(c, n, what, INSP_NAME_MAX - 1) < 0)
		return -1;
	if (memchr(sval(n), ':', slen(n)) == NULL)
		return 0;
	if (tag == NULL)
		return ld_fail(c, n,
			       "restrictive category name '%s' contains ':' (holds are written "
			       "\"TagName:Value\")",
			       Q(n, q));
	return ld_fail(c, n,
		       "value '%s' of restrictive category '%s' contains ':' (holds are written "
		       "\"TagName:Value\")",
		       Q(n, q), tag);
}

/*
 * TagName -> the RESTRICTIVE category values this guard knows. Only validated and kept as
 * the YAML node for checking 'holds'; nothing of it is in the compiled policy. Tags and
 * values compare ignoring case, as labels and holds do.
 */
static int
load_restrictive(struct ld *c, const yaml_node_t *map)
{
	const yaml_node_pair_t *pair, *prev;
	uint32_t n;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'restrictive_categories' must be a mapping of tag name to values, "
			       "got %s",
			       kind(map));
	n = (uint32_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if (n > LD_MAX_RESTRICTIVE)
		return ld_fail(c, map, "too many restrictive categories: %u (at most %d)", n,
			       LD_MAX_RESTRICTIVE);
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(c, pair->key), *v = node(c, pair->value);
		const yaml_node_item_t *it, *jt;
		char where[LD_WHAT_MAX], q[72];

		if (get_restr_part(c, k, "restrictive category name", NULL) < 0)
			return -1;
		for (prev = map->data.mapping.pairs.start; prev < pair; prev++) {
			const yaml_node_t *pk = node(c, prev->key);

			if (ascii_ieq(sval(pk), slen(pk), sval(k), slen(k)))
				return ld_fail(c, k,
					       "restrictive category '%s' given twice (first at "
					       "%zu:%zu; names compare ignoring case)",
					       Q(k, q), pk->start_mark.line + 1,
					       pk->start_mark.column + 1);
		}
		if (snprintf(where, sizeof(where), "value of restrictive category '%s'", Q(k, q)) <
		    0)
			where[0] = '\0';
		if (v->type != YAML_SEQUENCE_NODE || seq_len(v) == 0)
			return ld_fail(c, v,
				       "restrictive category '%s' must be a non-empty sequence of "
				       "values, got %s",
				       Q(k, q),
				       v->type == YAML_SEQUENCE_NODE ? "an empty one" : kind(v));
		if (seq_len(v) > LD_MAX_RESTR_VALUES)
			return ld_fail(c, v, "restrictive category '%s' has %d values (at most %d)",
				       Q(k, q), seq_len(v), LD_MAX_RESTR_VALUES);
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			const yaml_node_t *val = node(c, *it);

			if (get_restr_part(c, val, where, sval(k)) < 0)
				return -1;
			for (jt = v->data.sequence.items.start; jt < it; jt++) {
				const yaml_node_t *pv = node(c, *jt);

				if (ascii_ieq(sval(pv), slen(pv), sval(val), slen(val)))
					return ld_fail(c, val,
						       "value '%s' of restrictive category '%s' "
						       "listed twice (first at %zu:%zu; values "
						       "compare ignoring case)",
						       Q(val, q), sval(k), pv->start_mark.line + 1,
						       pv->start_mark.column + 1);
			}
		}
	}
	c->restrictive = map;
	return 0;
}

/* A held "TagName:Value" must name a declared tag and one of its values. */
static int
check_held(struct ld *c, const yaml_node_t *h, const char *what)
{
	const yaml_node_t *map = c->restrictive;
	const yaml_node_pair_t *pair;
	const char *s = sval(h), *colon = memchr(s, ':', slen(h));
	size_t tlen = (size_t)(colon - s), vlen = slen(h) - tlen - 1;
	struct list l = {.len = 0};
	char q[72];

	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(c, pair->key), *v = node(c, pair->value);
		const yaml_node_item_t *it;

		if (!ascii_ieq(sval(k), slen(k), s, tlen)) {
			list_add(&l, sval(k));
			continue;
		}
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			const yaml_node_t *val = node(c, *it);

			if (ascii_ieq(sval(val), slen(val), colon + 1, vlen))
				return 0;
			list_add(&l, sval(val));
		}
		return ld_fail(c, h,
			       "held value '%s' in %s: '%.*s' is not a declared value of "
			       "restrictive category '%s' (known: %s)",
			       Q(h, q), what, (int)vlen, colon + 1, sval(k), l.buf);
	}
	return ld_fail(c, h,
		       "held value '%s' in %s: tag '%.*s' is not declared in "
		       "'restrictive_categories' (known: %s)",
		       Q(h, q), what, (int)tlen, s, l.buf);
}

/* ---- destinations ---- */

enum { D_MEMBERS, D_MAX_CLASS, D_HOLDS, D_COUNT };
static const char *const dest_keys[D_COUNT] = {"members", "max_classification", "holds"};

static int
load_holds(struct ld *c, struct insp_destination *d, const yaml_node_t *seq, const char *what)
{
	const yaml_node_item_t *it;
	char fwhat[LD_WHAT_MAX], q[72];
	int n;

	if (seq->type != YAML_SEQUENCE_NODE)
		return ld_fail(c, seq, "%s must be a sequence of \"TagName:Value\" strings, got %s",
			       field(fwhat, sizeof(fwhat), "holds", what), kind(seq));
	n = seq_len(seq);
	if (n > LD_MAX_HOLDS)
		return ld_fail(c, seq, "%s lists %d values (at most %d)",
			       field(fwhat, sizeof(fwhat), "holds", what), n, LD_MAX_HOLDS);
	if (n == 0)
		return 0;
	d->held = calloc((size_t)n, sizeof(*d->held));
	if (d->held == NULL)
		return ld_oom(c, seq);
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		const yaml_node_t *h = node(c, *it);
		const char *colon;

		if (get_string(c, h, field(fwhat, sizeof(fwhat), "holds", what),
			       sizeof(*d->held) - 1) < 0)
			return -1;
		colon = memchr(sval(h), ':', slen(h));
		if (colon == NULL || colon == sval(h) || colon == sval(h) + slen(h) - 1 ||
		    memchr(colon + 1, ':', slen(h) - (size_t)(colon - sval(h)) - 1) != NULL)
			return ld_fail(c, h,
				       "held value '%s' in %s must be \"TagName:Value\" with "
				       "exactly one ':' and text on both sides",
				       Q(h, q), what);
		if (c->restrictive != NULL && check_held(c, h, what) < 0)
			return -1;
		copy_str(d->held[d->n_held++], h);
	}
	return 0;
}

static int
load_destinations(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_pair_t *pair;
	uint32_t n, i;
	char q[72];

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'destinations' must be a mapping of name to destination, "
			       "got %s",
			       kind(map));
	n = (uint32_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if (n > LD_MAX_DESTINATIONS)
		return ld_fail(c, map, "too many destinations: %u (at most %d)", n,
			       LD_MAX_DESTINATIONS);
	if (n == 0)
		return 0;
	p->destinations = calloc(n, sizeof(*p->destinations));
	if (p->destinations == NULL)
		return ld_oom(c, map);
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(c, pair->key), *v = node(c, pair->value);
		struct insp_destination *d = &p->destinations[p->n_destinations];
		yaml_node_t *f[D_COUNT];
		char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX];

		if (!is_scalar(k) || !name_in_class(k, NC_DESTINATION)) {
			if (!is_scalar(k))
				return ld_fail(c, k, "destination names must be strings, got %s",
					       kind(k));
			return ld_fail(c, k,
				       "destination name '%s' must be 1 to %d characters of "
				       "A-Z, a-z, 0-9, '_', '-' and '.'",
				       Q(k, q), INSP_NAME_MAX - 1);
		}
		for (i = 0; i < p->n_destinations; i++) {
			if (scalar_is(k, p->destinations[i].name))
				return ld_fail(c, k, "destination '%s' defined twice", Q(k, q));
		}
		copy_str(d->name, k);
		p->n_destinations++;
		if (snprintf(what, sizeof(what), "destination '%s'", d->name) < 0)
			what[0] = '\0';
		if (get_fields(c, v, what, dest_keys, D_COUNT, f) < 0)
			return -1;
		if (f[D_MEMBERS] == NULL)
			return missing(c, v, what, "members");
		if (f[D_MAX_CLASS] == NULL)
			return missing(c, v, what, "max_classification");
		if (get_code_list(c, f[D_MEMBERS], field(fwhat, sizeof(fwhat), "members", what),
				  what, &d->members) < 0)
			return -1;
		if (get_level(c, f[D_MAX_CLASS],
			      field(fwhat, sizeof(fwhat), "max_classification", what),
			      &d->max_level) < 0)
			return -1;
		if (f[D_HOLDS] != NULL && load_holds(c, d, f[D_HOLDS], what) < 0)
			return -1;
	}
	return 0;
}

/* ---- data categories and sharing agreements (ISA) ---- */

static int
find_category(const struct insp_policy *p, const yaml_node_t *n)
{
	uint32_t i;

	for (i = 0; i < p->n_categories; i++) {
		if (scalar_is(n, p->categories[i]))
			return (int)i;
	}
	return -1;
}

/* A known data category name; *out is its index. */
static int
get_category(struct ld *c, const yaml_node_t *n, const char *where, uint32_t *out)
{
	const struct insp_policy *p = c->p;
	struct list l = {.len = 0};
	char q[72];
	uint32_t i;
	int k;

	if (!is_scalar(n))
		return ld_fail(c, n, "data category in %s must be a name, got %s", where, kind(n));
	k = find_category(p, n);
	if (k >= 0) {
		*out = (uint32_t)k;
		return 0;
	}
	for (i = 0; i < p->n_categories; i++)
		list_add(&l, p->categories[i]);
	return ld_fail(c, n, "data category '%s' unknown in %s (known: %s)", Q(n, q), where, l.buf);
}

/* A section that only means something once data categories exist. */
static int
needs_categories(struct ld *c, const yaml_node_t *n, const char *what)
{
	return ld_fail(c, n, "%s needs 'data_categories' (no data categories are declared)", what);
}

static int
load_categories(struct ld *c, const yaml_node_t *seq)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seen[INSP_MAX_CATEGORIES];
	const yaml_node_item_t *it;
	char q[72];

	if (seq->type != YAML_SEQUENCE_NODE || seq_len(seq) == 0)
		return ld_fail(c, seq,
			       "'data_categories' must be a non-empty sequence of names, got %s",
			       seq->type == YAML_SEQUENCE_NODE ? "an empty one" : kind(seq));
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		const yaml_node_t *n = node(c, *it);
		int dup;

		if (!is_scalar(n))
			return ld_fail(c, n, "'data_categories' must hold names, got %s", kind(n));
		if (!name_in_class(n, NC_CHANNEL))
			return ld_fail(c, n,
				       "data category '%s' must be 1 to %d characters of a-z, 0-9, "
				       "'_' and '-'",
				       Q(n, q), INSP_NAME_MAX - 1);
		dup = find_category(p, n);
		if (dup >= 0)
			return ld_fail(c, n, "data category '%s' listed twice (first at %zu:%zu)",
				       p->categories[dup], seen[dup]->start_mark.line + 1,
				       seen[dup]->start_mark.column + 1);
		if (p->n_categories == INSP_MAX_CATEGORIES)
			return ld_fail(c, n, "too many data categories (at most %d)",
				       INSP_MAX_CATEGORIES);
		seen[p->n_categories] = n;
		p->isa[p->n_categories] = 0;
		copy_str(p->categories[p->n_categories++], n);
	}
	c->have_categories = 1;
	return 0;
}

/*
 * The ISA matrix: category -> nations (or groups) it may be shared with. A category
 * without an entry is shared with nobody; an empty list says the same explicitly.
 */
static int
load_sharing(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seen[INSP_MAX_CATEGORIES] = {NULL};
	const yaml_node_pair_t *pair;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'sharing_agreements' must be a mapping of data category to "
			       "nations, got %s",
			       kind(map));
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(c, pair->key), *v = node(c, pair->value);
		char what[LD_WHAT_MAX];
		uint32_t cat;

		if (get_category(c, k, "'sharing_agreements'", &cat) < 0)
			return -1;
		if (seen[cat] != NULL)
			return ld_fail(c, k,
				       "data category '%s' given twice in 'sharing_agreements' "
				       "(first at %zu:%zu)",
				       p->categories[cat], seen[cat]->start_mark.line + 1,
				       seen[cat]->start_mark.column + 1);
		seen[cat] = k;
		if (snprintf(what, sizeof(what), "sharing agreement '%s'", p->categories[cat]) < 0)
			what[0] = '\0';
		if (get_code_list_of(c, v, what, what, 1, &p->isa[cat]) < 0)
			return -1;
	}
	return 0;
}

/* Without 'data_categories' there is one category, "any", shared with every nation. */
static void
default_category(struct insp_policy *p)
{
	p->n_categories = 1;
	snprintf(p->categories[0], sizeof(p->categories[0]), "any");
	p->isa[0] = p->n_nations >= 64 ? UINT64_MAX : (UINT64_C(1) << p->n_nations) - 1;
}

/* A key of category_hints or priorities: non-empty printable ASCII, fits a name. */
static int
get_prefix(struct ld *c, const yaml_node_t *n, const char *what)
{
	const unsigned char *s;
	size_t i;

	if (get_string(c, n, what, INSP_NAME_MAX - 1) < 0)
		return -1;
	s = (const unsigned char *)sval(n);
	for (i = 0; i < slen(n); i++) {
		if (s[i] < 0x20 || s[i] > 0x7e) {
			char q[72];

			return ld_fail(c, n, "%s must be printable ASCII, got '%s'", what, Q(n, q));
		}
	}
	return 0;
}

/*
 * format -> { key prefix -> data category }. The inspector takes the longest matching
 * prefix of the message's format; the loader only refuses the same prefix twice.
 */
static int
load_hints(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const char *formats[INSP_FORMAT_COUNT];
	const yaml_node_t *fmt_at[INSP_FORMAT_COUNT] = {NULL};
	const yaml_node_t **key_at = NULL;
	const yaml_node_pair_t *pair;
	int fmt_of[INSP_FORMAT_COUNT]; /* format of each pair (each format at most once) */
	uint32_t total = 0, i, np = 0;
	int e, rc = -1;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'category_hints' must be a mapping of format to {prefix: "
			       "category}, got %s",
			       kind(map));
	for (e = 0; e < INSP_FORMAT_COUNT; e++)
		formats[e] = insp_format_name((enum insp_format)e);
	/* Pass 1: formats and shapes, so the table is allocated once. */
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(c, pair->key), *v = node(c, pair->value);
		char q[72];

		if (get_enum(c, k, "format in 'category_hints'", formats, INSP_FORMAT_COUNT, &e) <
		    0)
			return -1;
		if (fmt_at[e] != NULL)
			return ld_fail(c, k,
				       "format '%s' given twice in 'category_hints' (first at "
				       "%zu:%zu)",
				       Q(k, q), fmt_at[e]->start_mark.line + 1,
				       fmt_at[e]->start_mark.column + 1);
		fmt_at[e] = k;
		fmt_of[np++] = e;
		if (v->type != YAML_MAPPING_NODE)
			return ld_fail(c, v,
				       "'%s' in 'category_hints' must be a mapping of prefix to "
				       "data category, got %s",
				       formats[e], kind(v));
		total += (uint32_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
		if (total > LD_MAX_HINTS)
			return ld_fail(c, v, "too many category hints: %u (at most %d)", total,
				       LD_MAX_HINTS);
	}
	if (total == 0)
		return 0;
	p->category_hints = calloc(total, sizeof(*p->category_hints));
	key_at = calloc(total, sizeof(*key_at));
	if (p->category_hints == NULL || key_at == NULL) {
		ld_oom(c, map);
		goto out;
	}
	np = 0;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *v = node(c, pair->value);
		const yaml_node_pair_t *hp;
		char what[LD_WHAT_MAX], where[LD_WHAT_MAX];

		e = fmt_of[np++];
		if (snprintf(what, sizeof(what), "category hint prefix for '%s'", formats[e]) < 0)
			what[0] = '\0';
		for (hp = v->data.mapping.pairs.start; hp < v->data.mapping.pairs.top; hp++) {
			const yaml_node_t *k = node(c, hp->key);
			struct insp_category_hint *h = &p->category_hints[p->n_category_hints];
			char q[72];

			if (get_prefix(c, k, what) < 0)
				goto out;
			for (i = 0; i < p->n_category_hints; i++) {
				if (p->category_hints[i].format == e &&
				    scalar_is(k, p->category_hints[i].prefix)) {
					ld_fail(c, k,
						"prefix '%s' given twice in 'category_hints' for "
						"'%s' (first at %zu:%zu)",
						Q(k, q), formats[e], key_at[i]->start_mark.line + 1,
						key_at[i]->start_mark.column + 1);
					goto out;
				}
			}
			if (snprintf(where, sizeof(where), "category hint '%s' for '%s'", Q(k, q),
				     formats[e]) < 0)
				where[0] = '\0';
			if (get_category(c, node(c, hp->value), where, &h->category) < 0)
				goto out;
			h->format = (uint8_t)e;
			copy_str(h->prefix, k);
			h->prefix_len = (uint32_t)strlen(h->prefix);
			key_at[p->n_category_hints++] = k;
		}
	}
	rc = 0;
out:
	free(key_at);
	return rc;
}

/* ---- channels ---- */

enum {
	C_NAME,
	C_DIRECTION,
	C_FORMAT,
	C_DESTINATION,
	C_CATEGORY,
	C_MAX_SIZE,
	C_INGRESS,
	C_EGRESS,
	C_ALLOW_BIDI,
	C_COUNT
};
static const char *const chan_keys[C_COUNT] = {
	"name",	    "direction", "format", "destination", "category",
	"max_size", "ingress",	 "egress", "allow_bidi",
};

enum { I_PORT, I_ADDRESS, I_UDP_PORT, I_COUNT };
static const char *const ingress_keys[I_COUNT] = {"port", "address", "udp_port"};

enum {
	E_PORT,
	E_SRC_ADDRESS,
	E_ADDRESS,
	E_SRC_UDP_PORT,
	E_UDP_PORT,
	E_NEXT_HOP_MAC,
	E_SRC_MAC,
	E_TTL,
	E_DSCP,
	E_COUNT
};
static const char *const egress_keys[E_COUNT] = {
	"port",	    "source_address", "address",    "source_udp_port",
	"udp_port", "next_hop_mac",   "source_mac", "ttl",
	"dscp",
};

static const char *const direction_names[] = {
	[INSP_DIR_HIGH_TO_LOW] = "high_to_low",
	[INSP_DIR_LOW_TO_HIGH] = "low_to_high",
};

/* Required integer field @p key of mapping fields @p f. */
static int
req_uint(struct ld *c, const yaml_node_t *map, yaml_node_t *const *f, const char *const *keys,
	 int key, const char *what, uint64_t min, uint64_t max, uint64_t *out)
{
	char fwhat[LD_WHAT_MAX];

	if (f[key] == NULL)
		return missing(c, map, what, keys[key]);
	return get_uint(c, f[key], field(fwhat, sizeof(fwhat), keys[key], what), min, max, out);
}

static int
load_ingress(struct ld *c, struct insp_ingress *in, const yaml_node_t *map, const char *chan)
{
	yaml_node_t *f[I_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX];
	uint64_t v;

	if (snprintf(what, sizeof(what), "%s ingress", chan) < 0)
		what[0] = '\0';
	if (get_fields(c, map, what, ingress_keys, I_COUNT, f) < 0)
		return -1;
	if (req_uint(c, map, f, ingress_keys, I_PORT, what, 0, UINT16_MAX, &v) < 0)
		return -1;
	in->port = (uint16_t)v;
	if (f[I_ADDRESS] == NULL)
		return missing(c, map, what, "address");
	if (get_ip(c, f[I_ADDRESS], field(fwhat, sizeof(fwhat), "address", what), &in->dst) < 0)
		return -1;
	if (req_uint(c, map, f, ingress_keys, I_UDP_PORT, what, 1, UINT16_MAX, &v) < 0)
		return -1;
	in->udp_port = (uint16_t)v;
	return 0;
}

static int
load_egress(struct ld *c, struct insp_egress *eg, const yaml_node_t *map, const char *chan)
{
	yaml_node_t *f[E_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX];
	uint64_t v;

	if (snprintf(what, sizeof(what), "%s egress", chan) < 0)
		what[0] = '\0';
	if (get_fields(c, map, what, egress_keys, E_COUNT, f) < 0)
		return -1;
	if (req_uint(c, map, f, egress_keys, E_PORT, what, 0, UINT16_MAX, &v) < 0)
		return -1;
	eg->port = (uint16_t)v;
	if (f[E_SRC_ADDRESS] == NULL)
		return missing(c, map, what, "source_address");
	if (get_ip(c, f[E_SRC_ADDRESS], field(fwhat, sizeof(fwhat), "source_address", what),
		   &eg->src) < 0)
		return -1;
	if (f[E_ADDRESS] == NULL)
		return missing(c, map, what, "address");
	if (get_ip(c, f[E_ADDRESS], field(fwhat, sizeof(fwhat), "address", what), &eg->dst) < 0)
		return -1;
	if (eg->dst.version != eg->src.version)
		return ld_fail(c, f[E_ADDRESS], "%s is IPv%u but 'source_address' is IPv%u",
			       field(fwhat, sizeof(fwhat), "address", what), eg->dst.version,
			       eg->src.version);
	if (req_uint(c, map, f, egress_keys, E_UDP_PORT, what, 1, UINT16_MAX, &v) < 0)
		return -1;
	eg->dst_udp_port = (uint16_t)v;
	eg->src_udp_port = eg->dst_udp_port;
	if (f[E_SRC_UDP_PORT] != NULL) {
		if (get_uint(c, f[E_SRC_UDP_PORT],
			     field(fwhat, sizeof(fwhat), "source_udp_port", what), 1, UINT16_MAX,
			     &v) < 0)
			return -1;
		eg->src_udp_port = (uint16_t)v;
	}
	if (f[E_NEXT_HOP_MAC] == NULL)
		return missing(c, map, what, "next_hop_mac");
	if (get_mac(c, f[E_NEXT_HOP_MAC], field(fwhat, sizeof(fwhat), "next_hop_mac", what),
		    eg->dst_mac) < 0)
		return -1;
	if (f[E_SRC_MAC] != NULL) {
		if (get_mac(c, f[E_SRC_MAC], field(fwhat, sizeof(fwhat), "source_mac", what),
			    eg->src_mac) < 0)
			return -1;
		eg->has_src_mac = 1;
	}
	eg->ttl = 64;
	if (f[E_TTL] != NULL) {
		if (get_uint(c, f[E_TTL], field(fwhat, sizeof(fwhat), "ttl", what), 1, 255, &v) < 0)
			return -1;
		eg->ttl = (uint8_t)v;
	}
	if (f[E_DSCP] != NULL) {
		if (get_uint(c, f[E_DSCP], field(fwhat, sizeof(fwhat), "dscp", what), 0, 63, &v) <
		    0)
			return -1;
		eg->dscp = (uint8_t)v;
	}
	return 0;
}

static int
find_destination(const struct insp_policy *p, const yaml_node_t *n)
{
	uint32_t i;

	for (i = 0; i < p->n_destinations; i++) {
		if (scalar_is(n, p->destinations[i].name))
			return (int)i;
	}
	return -1;
}

static int
same_ingress(const struct insp_ingress *a, const struct insp_ingress *b)
{
	return a->port == b->port && a->udp_port == b->udp_port &&
	       a->dst.version == b->dst.version &&
	       memcmp(a->dst.a, b->dst.a, a->dst.version == 4 ? 4 : 16) == 0;
}

static int
load_channel(struct ld *c, struct insp_channel *ch, const yaml_node_t *map, int index,
	     const yaml_node_t **name_at, const yaml_node_t **ingress_at)
{
	struct insp_policy *p = c->p;
	const char *formats[INSP_FORMAT_COUNT];
	yaml_node_t *f[C_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX], q[72];
	uint32_t i;
	uint64_t v;
	int e = 0;

	item_what(c, what, sizeof(what), "channel", map, "name", 1, index);
	if (get_fields(c, map, what, chan_keys, C_COUNT, f) < 0)
		return -1;
	if (f[C_NAME] == NULL)
		return missing(c, map, what, "name");
	if (!is_scalar(f[C_NAME]) || !name_in_class(f[C_NAME], NC_CHANNEL)) {
		if (!is_scalar(f[C_NAME]))
			return ld_fail(c, f[C_NAME], "%s must be a string, got %s",
				       field(fwhat, sizeof(fwhat), "name", what), kind(f[C_NAME]));
		return ld_fail(c, f[C_NAME],
			       "channel name '%s' must be 1 to %d characters of a-z, 0-9, '_' "
			       "and '-'",
			       Q(f[C_NAME], q), INSP_NAME_MAX - 1);
	}
	for (i = 0; i < p->n_channels; i++) {
		if (scalar_is(f[C_NAME], p->channels[i].name))
			return ld_fail(c, f[C_NAME],
				       "channel name '%s' used twice (first at %zu:%zu)",
				       p->channels[i].name, name_at[i]->start_mark.line + 1,
				       name_at[i]->start_mark.column + 1);
	}
	copy_str(ch->name, f[C_NAME]);
	name_at[p->n_channels] = f[C_NAME];

	if (f[C_DIRECTION] == NULL)
		return missing(c, map, what, "direction");
	if (get_enum(c, f[C_DIRECTION], field(fwhat, sizeof(fwhat), "direction", what),
		     direction_names, 2, &e) < 0)
		return -1;
	ch->direction = (uint8_t)e;

	if (f[C_FORMAT] == NULL)
		return missing(c, map, what, "format");
	for (e = 0; e < INSP_FORMAT_COUNT; e++)
		formats[e] = insp_format_name((enum insp_format)e);
	if (get_enum(c, f[C_FORMAT], field(fwhat, sizeof(fwhat), "format", what), formats,
		     INSP_FORMAT_COUNT, &e) < 0)
		return -1;
	ch->format = (uint8_t)e;

	if (f[C_DESTINATION] == NULL)
		return missing(c, map, what, "destination");
	if (get_string(c, f[C_DESTINATION], field(fwhat, sizeof(fwhat), "destination", what),
		       INSP_NAME_MAX - 1) < 0)
		return -1;
	e = find_destination(p, f[C_DESTINATION]);
	if (e < 0) {
		struct list l = {.len = 0};

		for (i = 0; i < p->n_destinations; i++)
			list_add(&l, p->destinations[i].name);
		return ld_fail(c, f[C_DESTINATION], "destination '%s' of %s unknown (known: %s)",
			       Q(f[C_DESTINATION], q), what, l.len ? l.buf : "none defined");
	}
	ch->destination = (uint32_t)e;

	/* Its default data category: required once categories exist, refused before. */
	ch->category = 0;
	if (c->have_categories) {
		if (f[C_CATEGORY] == NULL)
			return ld_fail(c, map,
				       "%s is missing required key 'category' (its default data "
				       "category; the policy declares 'data_categories')",
				       what);
		if (get_category(c, f[C_CATEGORY], what, &ch->category) < 0)
			return -1;
	} else if (f[C_CATEGORY] != NULL) {
		return needs_categories(c, f[C_CATEGORY],
					field(fwhat, sizeof(fwhat), "category", what));
	}

	ch->max_size = 1500;
	if (f[C_MAX_SIZE] != NULL) {
		if (get_uint(c, f[C_MAX_SIZE], field(fwhat, sizeof(fwhat), "max_size", what), 1,
			     65507, &v) < 0)
			return -1;
		ch->max_size = (uint32_t)v;
	}
	ch->allow_bidi = 0;
	if (f[C_ALLOW_BIDI] != NULL &&
	    get_bool(c, f[C_ALLOW_BIDI], field(fwhat, sizeof(fwhat), "allow_bidi", what),
		     &ch->allow_bidi) < 0)
		return -1;

	if (f[C_INGRESS] == NULL)
		return missing(c, map, what, "ingress");
	if (load_ingress(c, &ch->ingress, f[C_INGRESS], what) < 0)
		return -1;
	ingress_at[p->n_channels] = f[C_INGRESS];
	if (f[C_EGRESS] == NULL)
		return missing(c, map, what, "egress");
	return load_egress(c, &ch->egress, f[C_EGRESS], what);
}

static int
load_channels(struct ld *c, const yaml_node_t *seq)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *ingress_at[INSP_MAX_CHANNELS], *name_at[INSP_MAX_CHANNELS];
	const yaml_node_item_t *it;
	int n, idx = 0;

	if (seq->type != YAML_SEQUENCE_NODE)
		return ld_fail(c, seq, "'channels' must be a sequence of channels, got %s",
			       kind(seq));
	n = seq_len(seq);
	if (n > INSP_MAX_CHANNELS)
		return ld_fail(c, node(c, seq->data.sequence.items.start[INSP_MAX_CHANNELS]),
			       "too many channels (at most %d)", INSP_MAX_CHANNELS);
	if (n == 0)
		return 0;
	p->channels = calloc((size_t)n, sizeof(*p->channels));
	if (p->channels == NULL)
		return ld_oom(c, seq);
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++, idx++) {
		struct insp_channel *ch = &p->channels[p->n_channels];
		uint32_t i;

		if (load_channel(c, ch, node(c, *it), idx, name_at, ingress_at) < 0)
			return -1;
		for (i = 0; i < p->n_channels; i++) {
			char addr[INET6_ADDRSTRLEN];
			const yaml_node_t *first = ingress_at[i];

			if (!same_ingress(&p->channels[i].ingress, &ch->ingress))
				continue;
			if (inet_ntop(ch->ingress.dst.version == 4 ? AF_INET : AF_INET6,
				      ch->ingress.dst.a, addr, sizeof(addr)) == NULL)
				addr[0] = '\0';
			return ld_fail(c, ingress_at[p->n_channels],
				       "duplicate channel: '%s' has the same ingress (port %u, "
				       "address %s, udp_port %u) as '%s' (at %zu:%zu)",
				       ch->name, ch->ingress.port, addr, ch->ingress.udp_port,
				       p->channels[i].name, first->start_mark.line + 1,
				       first->start_mark.column + 1);
		}
		p->n_channels++;
	}
	return 0;
}

/* ---- prohibited terms, term files and markings ---- */

enum {
	P_ID,
	P_LITERAL,
	P_REGEX,
	P_CASELESS,
	P_ACTION,
	P_CHANNELS,
	P_CLASSIFICATION,
	P_RELEASABLE_TO,
	P_COUNT
};
/* Terms take the first six keys; markings the first four and their own two. */
#define P_OWN 6
static const char *const term_keys[P_OWN] = {
	"id", "literal", "regex", "caseless", "action", "channels",
};
static const char *const marking_keys[P_OWN] = {
	"id", "literal", "regex", "caseless", "classification", "releasable_to",
};

static const char *const action_names[] = {
	[INSP_ACTION_DROP] = "drop",
	[INSP_ACTION_REVIEW] = "review",
};

/*
 * Per-pattern build state kept beside insp_pattern for messages and compile flags. A
 * pattern comes from the policy file (file NULL, positions of its YAML nodes) or from line
 * N of a term file (file its path, positions N:1).
 */
struct pat_src {
	const char *file;
	uint32_t id_line, id_col;     /* where its id is given */
	uint32_t expr_line, expr_col; /* where its literal or regex is */
	uint8_t is_literal;
	unsigned flags;
	char *skel_expr; /* a literal's expression in the skeleton form, if it needs its own */
};

static void
src_at(const yaml_node_t *n, uint32_t *line, uint32_t *col)
{
	*line = (uint32_t)n->start_mark.line + 1;
	*col = (uint32_t)n->start_mark.column + 1;
}

/*
 * \A, \z and \Z anchor to the whole scanned buffer. The scan joins a message's units with
 * '\n' and relies on ^ and $ (multi-line) seeing unit edges; a buffer anchor would only see
 * the first and last unit, and a match in any other would be missed (fail open).
 */
static int
has_buffer_anchor(const char *re)
{
	for (const char *p = re; *p; p++) {
		if (*p != '\\')
			continue;
		if (p[1] == 'A' || p[1] == 'z' || p[1] == 'Z')
			return 1;
		if (p[1] != '\0')
			p++; /* skip the escaped character (e.g. the second '\' of "\\A") */
	}
	return 0;
}

#define ANCHOR_HINT                                                                              \
	"uses \\A, \\z or \\Z: each attribute value and text node is scanned on its own, write " \
	"^ and $ instead"

/*
 * A regex is matched against folded text (insp_norm.h), so a character that folding
 * changes can never match as written: "straße" would never see an "ß". Refuse it and say
 * what to write. @return 0, or -1 with @p msg set.
 */
static int
regex_fold_check(const char *re, size_t len, char *msg, size_t msg_len)
{
	for (size_t i = 0; i < len;) {
		uint32_t f[INSP_FOLD_MAX];
		size_t n;
		uint32_t cp = insp_utf8_decode((const uint8_t *)re + i, len - i, &n);
		int nf;

		if (cp < 0x80) {
			i++;
			continue;
		}
		switch (insp_fold_class(cp)) {
		case INSP_CP_SPACE:
			snprintf(msg, msg_len,
				 "regex contains U+%04X, a space the scan reads as an ASCII space: "
				 "write ' ' or \\s",
				 cp);
			return -1;
		case INSP_CP_DELETE:
		case INSP_CP_BIDI:
			snprintf(msg, msg_len,
				 "regex contains U+%04X, an invisible character the scan deletes: "
				 "leave it out",
				 cp);
			return -1;
		case INSP_CP_FOLD:
			break;
		}
		nf = insp_fold_cp(cp, f);
		if (nf != 1 || f[0] != cp) {
			char want[INSP_FOLD_MAX * 4 + 1];
			size_t w = 0;

			for (int k = 0; k < nf; k++)
				w += (size_t)insp_utf8_encode(f[k], (uint8_t *)want + w);
			want[w] = '\0';
			snprintf(msg, msg_len,
				 "regex contains '%.*s' (U+%04X), which the scan never sees: text "
				 "is "
				 "folded before matching (compatibility forms, case, accents), "
				 "write "
				 "'%.64s' instead",
				 (int)n, re + i, cp, want);
			return -1;
		}
		i += n;
	}
	return 0;
}

/* The regex of a literal phrase in one form (insp_norm_literal flags); NULL if no words. */
static char *
literal_expr(const char *phrase, size_t len, uint32_t form_flags, int *oom)
{
	/* folding can expand a character up to 18 code points of up to 4 bytes */
	size_t fcap = len * 24 + 16, cap;
	char *folded = malloc(fcap), *expr;
	long n;

	*oom = 0;
	if (folded == NULL) {
		*oom = 1;
		return NULL;
	}
	n = insp_norm_literal(phrase, form_flags, folded, fcap);
	if (n < 0) {
		free(folded);
		return NULL;
	}
	/* every byte escaped (2 bytes) or a whitespace run (8), two boundary groups, NUL */
	cap = 8 * (size_t)n + 2 * 19 + 1;
	expr = malloc(cap);
	if (expr == NULL) {
		free(folded);
		*oom = 1;
		return NULL;
	}
	if (insp_match_literal_to_regex(folded, expr, cap) < 0) {
		free(expr);
		expr = NULL;
	}
	free(folded);
	return expr;
}

/*
 * pat->expr from @p len bytes at @p text: a literal phrase in the folded form turned into
 * its regex (and src->skel_expr when its skeleton form differs), or a regex copied.
 * Returns 0, -1 out of memory, -2 a literal without words, -3 a literal with a bidi
 * control, -4 a regex with a character folding changes (@p msg set).
 */
static int
make_expr(struct insp_pattern *pat, struct pat_src *src, const char *text, size_t len, int literal,
	  char *msg, size_t msg_len)
{
	char *phrase;
	int oom;

	if (!literal) {
		if (regex_fold_check(text, len, msg, msg_len) < 0)
			return -4;
		pat->expr = malloc(len + 1);
		if (pat->expr == NULL)
			return -1;
		memcpy(pat->expr, text, len);
		pat->expr[len] = '\0';
		pat->forms = INSP_FORM_FOLDED;
		return 0;
	}
	phrase = malloc(len + 1);
	if (phrase == NULL)
		return -1;
	memcpy(phrase, text, len);
	phrase[len] = '\0';
	for (size_t i = 0, n; i < len; i += n) {
		uint32_t cp = insp_utf8_decode((const uint8_t *)phrase + i, len - i, &n);

		if (cp >= 0x80 && insp_fold_class(cp) == INSP_CP_BIDI) {
			free(phrase);
			return -3;
		}
	}
	pat->expr = literal_expr(phrase, len, 0, &oom);
	if (pat->expr == NULL) {
		free(phrase);
		return oom ? -1 : -2;
	}
	pat->forms = INSP_FORM_FOLDED;
	src->skel_expr = literal_expr(phrase, len, INSP_NORM_SKELETON, &oom);
	free(phrase);
	if (src->skel_expr == NULL)
		return oom ? -1 : 0; /* no words in the skeleton: the folded form alone */
	/* the skeleton form is lower case: one expression serves both if they agree caselessly */
	if ((src->flags & INSP_MATCH_CASELESS) && strcasecmp(src->skel_expr, pat->expr) == 0) {
		free(src->skel_expr);
		src->skel_expr = NULL;
		pat->forms |= INSP_FORM_SKELETON;
	}
	return 0;
}

/* Term scope: a non-empty sequence of known channel names, as channel bits. */
static int
get_channel_scope(struct ld *c, const yaml_node_t *seq, const char *fwhat, const char *what,
		  uint64_t *bits)
{
	const struct insp_policy *p = c->p;
	const yaml_node_item_t *it;
	char q[72];

	*bits = 0;
	if (seq->type != YAML_SEQUENCE_NODE || seq_len(seq) == 0)
		return ld_fail(c, seq, "%s must be a non-empty sequence of channel names, got %s",
			       fwhat, seq->type == YAML_SEQUENCE_NODE ? "an empty one" : kind(seq));
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		const yaml_node_t *n = node(c, *it);
		uint32_t i;

		if (!is_scalar(n))
			return ld_fail(c, n, "%s must hold channel names, got %s", fwhat, kind(n));
		for (i = 0; i < p->n_channels; i++) {
			if (scalar_is(n, p->channels[i].name))
				break;
		}
		if (i == p->n_channels) {
			struct list l = {.len = 0};

			for (i = 0; i < p->n_channels; i++)
				list_add(&l, p->channels[i].name);
			return ld_fail(c, n, "channel '%s' unknown in %s (known: %s)", Q(n, q),
				       what, l.len ? l.buf : "none defined");
		}
		if (*bits & UINT64_C(1) << i)
			return ld_fail(c, n, "channel '%s' listed twice in %s", Q(n, q), fwhat);
		*bits |= UINT64_C(1) << i;
	}
	return 0;
}

/* 'action' and 'channels' of a term or a term file (defaults: drop, every channel). */
static int
get_term_scope(struct ld *c, const yaml_node_t *action, const yaml_node_t *channels,
	       const char *what, struct insp_pattern *pat)
{
	char fwhat[LD_WHAT_MAX];
	int e = INSP_ACTION_DROP;

	if (action != NULL && get_enum(c, action, field(fwhat, sizeof(fwhat), "action", what),
				       action_names, 2, &e) < 0)
		return -1;
	pat->action = (uint8_t)e;
	pat->channels = 0;
	if (channels != NULL &&
	    get_channel_scope(c, channels, field(fwhat, sizeof(fwhat), "channels", what), what,
			      &pat->channels) < 0)
		return -1;
	return 0;
}

static int
load_pattern(struct ld *c, struct insp_pattern *pat, struct pat_src *src, const yaml_node_t *map,
	     enum insp_pattern_kind pkind, int index)
{
	const char *noun = pkind == INSP_PATTERN_TERM ? "prohibited term" : "marking";
	yaml_node_t *f[P_COUNT] = {NULL}, *own[P_OWN];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX], msg[320];
	uint8_t caseless = 1;
	uint64_t v;
	int rc;

	item_what(c, what, sizeof(what), noun, map, "id", 0, index);
	if (get_fields(c, map, what, pkind == INSP_PATTERN_TERM ? term_keys : marking_keys, P_OWN,
		       own) < 0)
		return -1;
	memcpy(f, own, (P_CASELESS + 1) * sizeof(*f));
	if (pkind == INSP_PATTERN_TERM) {
		f[P_ACTION] = own[4];
		f[P_CHANNELS] = own[5];
	} else {
		f[P_CLASSIFICATION] = own[4];
		f[P_RELEASABLE_TO] = own[5];
	}
	pat->kind = (uint8_t)pkind;
	pat->level = INSP_LEVEL_NONE;
	pat->line = (uint32_t)map->start_mark.line + 1;
	if (req_uint(c, map, f, term_keys, P_ID, what, 1, UINT32_MAX, &v) < 0)
		return -1;
	pat->rule_id = (uint32_t)v;
	src_at(f[P_ID], &src->id_line, &src->id_col);

	if ((f[P_LITERAL] == NULL) == (f[P_REGEX] == NULL))
		return ld_fail(c, f[P_LITERAL] != NULL ? f[P_REGEX] : map,
			       f[P_LITERAL] != NULL ? "%s has both 'literal' and 'regex' (give one)"
						    : "%s needs 'literal' or 'regex'",
			       what);
	/* caseless first: whether a literal needs its own skeleton expression depends on it */
	if (f[P_CASELESS] != NULL &&
	    get_bool(c, f[P_CASELESS], field(fwhat, sizeof(fwhat), "caseless", what), &caseless) <
		    0)
		return -1;
	src->flags = caseless ? INSP_MATCH_CASELESS : 0;
	if (f[P_LITERAL] != NULL) {
		const yaml_node_t *lit = f[P_LITERAL];

		if (get_text(c, lit, field(fwhat, sizeof(fwhat), "literal", what), LD_MAX_LITERAL,
			     1) < 0)
			return -1;
		rc = make_expr(pat, src, sval(lit), slen(lit), 1, msg, sizeof(msg));
		if (rc == -1)
			return ld_oom(c, lit);
		if (rc == -3)
			return ld_fail(
				c, lit,
				"%s contains a bidirectional control character (U+202A-202E, "
				"U+2066-2069): write the phrase in reading order",
				field(fwhat, sizeof(fwhat), "literal", what));
		if (rc < 0)
			return ld_fail(c, lit, "%s has no words",
				       field(fwhat, sizeof(fwhat), "literal", what));
		src_at(lit, &src->expr_line, &src->expr_col);
		src->is_literal = 1;
	} else {
		const yaml_node_t *re = f[P_REGEX];

		if (get_text(c, re, field(fwhat, sizeof(fwhat), "regex", what), LD_MAX_REGEX, 1) <
		    0)
			return -1;
		rc = make_expr(pat, src, sval(re), slen(re), 0, msg, sizeof(msg));
		if (rc == -4)
			return ld_fail(c, re, "%s: %s", what, msg);
		if (rc < 0)
			return ld_oom(c, re);
		src_at(re, &src->expr_line, &src->expr_col);
		if (has_buffer_anchor(pat->expr))
			return ld_fail(c, re, "%s " ANCHOR_HINT, what);
	}

	if (pkind == INSP_PATTERN_TERM)
		return get_term_scope(c, f[P_ACTION], f[P_CHANNELS], what, pat);

	if (f[P_CLASSIFICATION] == NULL && f[P_RELEASABLE_TO] == NULL)
		return ld_fail(c, map,
			       "%s needs 'classification', 'releasable_to' or both (what the "
			       "marking means)",
			       what);
	if (f[P_CLASSIFICATION] != NULL &&
	    get_level(c, f[P_CLASSIFICATION], field(fwhat, sizeof(fwhat), "classification", what),
		      &pat->level) < 0)
		return -1;
	/*
	 * An empty list would mean "nobody" but restrict_to 0 means "no caveat":
	 * get_code_list() refuses it so the two can never be confused.
	 */
	if (f[P_RELEASABLE_TO] != NULL &&
	    get_code_list(c, f[P_RELEASABLE_TO], field(fwhat, sizeof(fwhat), "releasable_to", what),
			  what, &pat->restrict_to) < 0)
		return -1;
	return 0;
}

/* ---- term files ---- */

enum { F_PATH, F_FIRST_ID, F_ACTION, F_CHANNELS, F_REGEX, F_CASELESS, F_COUNT };
static const char *const term_file_keys[F_COUNT] = {
	"path", "first_id", "action", "channels", "regex", "caseless",
};

/* One prohibited_term_files entry while loading. */
struct term_file {
	const yaml_node_t *map;
	char *path; /* joined to the policy's directory: what is read and named in messages */
	char *text; /* from the caller's reader, freed here */
	size_t len;
	uint64_t first_id;
	struct insp_pattern proto; /* action and scope every term of the file gets */
	uint8_t regex;
	unsigned flags;
	uint32_t n_terms;
};

/*
 * Lines of a term file, trimmed of trailing blanks and CR (a UTF-8 byte order mark at the
 * start of the file is dropped). Line numbers count every line, blank or not.
 */
struct line_iter {
	const char *text;
	size_t len, pos;
	uint32_t lineno;
};

static int
next_line(struct line_iter *li, const char **s, size_t *n)
{
	const char *start, *nl;
	size_t end;

	if (li->pos >= li->len)
		return 0;
	start = li->text + li->pos;
	nl = memchr(start, '\n', li->len - li->pos);
	end = nl != NULL ? (size_t)(nl - start) : li->len - li->pos;
	li->pos += end + (nl != NULL);
	if (li->lineno++ == 0 && end >= 3 && memcmp(start, "\xef\xbb\xbf", 3) == 0) {
		start += 3;
		end -= 3;
	}
	while (end > 0 &&
	       (start[end - 1] == ' ' || start[end - 1] == '\t' || start[end - 1] == '\r'))
		end--;
	*s = start;
	*n = end;
	return 1;
}

/* Blank lines and lines starting with '#' hold no term. */
static int
is_term_line(const char *s, size_t n)
{
	return n > 0 && s[0] != '#';
}

/* @p path relative to the policy file's directory unless absolute. NULL: out of memory. */
static char *
join_path(const char *policy_file, const char *path, size_t len, size_t *dir_len)
{
	const char *slash = strrchr(policy_file, '/');
	size_t dir = (path[0] == '/' || slash == NULL) ? 0 : (size_t)(slash - policy_file) + 1;
	char *out = malloc(dir + len + 1);

	*dir_len = dir;
	if (out == NULL)
		return NULL;
	memcpy(out, policy_file, dir);
	memcpy(out + dir, path, len);
	out[dir + len] = '\0';
	return out;
}

/* Read one entry: its keys, then the file through the caller's reader; count its terms. */
static int
load_term_file(struct ld *c, struct term_file *tf, const yaml_node_t *map, int index)
{
	yaml_node_t *f[F_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX], why[256];
	struct line_iter li;
	const char *s;
	size_t n, dir;
	uint8_t flag = 1;
	int rc;

	item_what(c, what, sizeof(what), "term file", map, "path", 1, index);
	if (get_fields(c, map, what, term_file_keys, F_COUNT, f) < 0)
		return -1;
	tf->map = map;
	if (f[F_PATH] == NULL)
		return missing(c, map, what, "path");
	if (get_string(c, f[F_PATH], field(fwhat, sizeof(fwhat), "path", what), LD_MAX_PATH) < 0)
		return -1;
	if (req_uint(c, map, f, term_file_keys, F_FIRST_ID, what, 1, UINT32_MAX, &tf->first_id) < 0)
		return -1;
	tf->proto.kind = INSP_PATTERN_TERM;
	tf->proto.level = INSP_LEVEL_NONE;
	tf->proto.line = (uint32_t)map->start_mark.line + 1;
	if (get_term_scope(c, f[F_ACTION], f[F_CHANNELS], what, &tf->proto) < 0)
		return -1;
	if (f[F_REGEX] != NULL &&
	    get_bool(c, f[F_REGEX], field(fwhat, sizeof(fwhat), "regex", what), &tf->regex) < 0)
		return -1;
	if (f[F_CASELESS] != NULL &&
	    get_bool(c, f[F_CASELESS], field(fwhat, sizeof(fwhat), "caseless", what), &flag) < 0)
		return -1;
	tf->flags = flag ? INSP_MATCH_CASELESS : 0;
	if (c->io == NULL || c->io->read_file == NULL)
		return ld_fail(c, f[F_PATH], "term files need a reader (use guardctl/guardd)");

	tf->path = join_path(c->file, sval(f[F_PATH]), slen(f[F_PATH]), &dir);
	if (tf->path == NULL)
		return ld_oom(c, f[F_PATH]);
	if (dir + slen(f[F_PATH]) > LD_MAX_PATH)
		return ld_fail(
			c, f[F_PATH],
			"%s: the path is %zu bytes long with the policy's directory (at most %d)",
			what, dir + slen(f[F_PATH]), LD_MAX_PATH);
	why[0] = '\0';
	rc = c->io->read_file(tf->path, &tf->text, &tf->len, why, sizeof(why), c->io->ctx);
	why[sizeof(why) - 1] = '\0';
	if (rc != 0)
		return ld_fail(c, f[F_PATH], "cannot read term file '%s': %s", tf->path,
			       why[0] != '\0' ? why : "reader failed");
	if (tf->text == NULL && tf->len != 0)
		return ld_fail(c, f[F_PATH], "cannot read term file '%s': reader returned no text",
			       tf->path);

	li = (struct line_iter){.text = tf->text, .len = tf->len};
	while (next_line(&li, &s, &n)) {
		if (is_term_line(s, n))
			tf->n_terms++;
	}
	return 0;
}

/* Term on line @p line of a term file: "TERMFILE:LINE:1: message" for anything wrong. */
static int
load_term_line(struct ld *c, const struct term_file *tf, const char *s, size_t n, uint32_t line,
	       struct insp_pattern *pat, struct pat_src *src)
{
	const char *what = tf->regex ? "regex" : "literal";
	size_t max = tf->regex ? LD_MAX_REGEX : LD_MAX_LITERAL, i, bad = 0;
	char msg[320];
	uint64_t id = tf->first_id + line - 1;
	int rc;

	*pat = tf->proto;
	pat->expr = NULL;
	src->file = tf->path;
	src->id_line = src->expr_line = line;
	src->id_col = src->expr_col = 1;
	src->is_literal = !tf->regex;
	src->flags = tf->flags;
	if (id > UINT32_MAX)
		return ld_fail_in(c, tf->path, line, 1,
				  "id %" PRIu64 " (first_id %" PRIu64
				  " + line %u - 1) is above 4294967295",
				  id, tf->first_id, line);
	pat->rule_id = (uint32_t)id;
	if (n > max)
		return ld_fail_in(c, tf->path, line, 1, "%s is %zu bytes long (at most %zu)", what,
				  n, max);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return ld_fail_in(c, tf->path, line, 1,
					  "%s contains control character 0x%02x", what, ch);
	}
	if (insp_utf8_validate_xml((const uint8_t *)s, n, &bad) < 0)
		return ld_fail_in(c, tf->path, line, 1, "%s is not valid UTF-8 (at byte %zu)", what,
				  bad + 1);
	rc = make_expr(pat, src, s, n, !tf->regex, msg, sizeof(msg));
	if (rc == -1)
		return ld_fail_in(c, tf->path, line, 1, "out of memory while loading the policy");
	if (rc == -3)
		return ld_fail_in(
			c, tf->path, line, 1,
			"literal contains a bidirectional control character (U+202A-202E, "
			"U+2066-2069): write the phrase in reading order");
	if (rc == -4)
		return ld_fail_in(c, tf->path, line, 1, "%s", msg);
	if (rc < 0)
		return ld_fail_in(c, tf->path, line, 1, "literal has no words");
	if (tf->regex && has_buffer_anchor(pat->expr))
		return ld_fail_in(c, tf->path, line, 1, "regex " ANCHOR_HINT);
	return 0;
}

/* ---- all patterns ---- */

struct id_at {
	uint32_t id;
	uint32_t idx;
};

static int
cmp_id_at(const void *a, const void *b)
{
	const struct id_at *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

/*
 * Ids are unique across terms, term files and markings: decisions and audit name a rule
 * by its id. One sort, so 10^5 terms cost nothing noticeable.
 */
static int
check_ids(struct ld *c, const struct pat_src *src, const yaml_node_t *section)
{
	const struct insp_policy *p = c->p;
	const struct pat_src *d, *f;
	struct id_at *v;
	uint32_t i, first = 0, dup = UINT32_MAX;

	v = malloc(p->n_patterns * sizeof(*v));
	if (v == NULL)
		return ld_oom(c, section);
	for (i = 0; i < p->n_patterns; i++) {
		v[i].id = p->patterns[i].rule_id;
		v[i].idx = i;
	}
	qsort(v, p->n_patterns, sizeof(*v), cmp_id_at);
	/* Report the earliest second definition, so the message is stable. */
	for (i = 1; i < p->n_patterns; i++) {
		if (v[i].id == v[i - 1].id && (i < 2 || v[i - 2].id != v[i].id) && v[i].idx < dup) {
			dup = v[i].idx;
			first = v[i - 1].idx;
		}
	}
	free(v);
	if (dup == UINT32_MAX)
		return 0;
	d = &src[dup];
	f = &src[first];
	if (d->file == f->file)
		return ld_fail_in(c, d->file != NULL ? d->file : c->file, d->id_line, d->id_col,
				  "id %u used twice (first at %u:%u)", p->patterns[dup].rule_id,
				  f->id_line, f->id_col);
	return ld_fail_in(c, d->file != NULL ? d->file : c->file, d->id_line, d->id_col,
			  "id %u used twice (first at %s:%u:%u)", p->patterns[dup].rule_id,
			  f->file != NULL ? f->file : c->file, f->id_line, f->id_col);
}

static int
compile_patterns(struct ld *c, const struct pat_src *src, const yaml_node_t *section)
{
	struct insp_policy *p = c->p;
	const char **exprs;
	unsigned *flags;
	struct timespec t0, t1;
	char why[256];
	int bad = -1, have_time;
	uint32_t i;

	exprs = calloc(p->n_patterns, sizeof(*exprs));
	flags = calloc(p->n_patterns, sizeof(*flags));
	if (exprs == NULL || flags == NULL) {
		free(exprs);
		free(flags);
		return ld_oom(c, section);
	}
	for (i = 0; i < p->n_patterns; i++) {
		exprs[i] = p->patterns[i].expr;
		flags[i] = src[i].flags;
	}
	have_time = clock_gettime(CLOCK_MONOTONIC, &t0) == 0;
	p->matcher = insp_matcher_build(exprs, flags, p->n_patterns, &bad, why, sizeof(why));
	if (have_time && clock_gettime(CLOCK_MONOTONIC, &t1) == 0)
		p->compile_seconds =
			(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	free(exprs);
	free(flags);
	if (p->matcher != NULL)
		return 0;
	if (bad >= 0 && (uint32_t)bad < p->n_patterns) {
		const struct pat_src *b = &src[bad];
		const char *file = b->file != NULL ? b->file : c->file;

		if (b->is_literal)
			return ld_fail_in(c, file, b->expr_line, b->expr_col,
					  "literal rejected by Hyperscan (as regex '%s'): %s",
					  p->patterns[bad].expr, why);
		return ld_fail_in(c, file, b->expr_line, b->expr_col,
				  "regex rejected by Hyperscan: %s", why);
	}
	return ld_fail(c, section, "Hyperscan could not compile the patterns: %s", why);
}

/* Build state of load_patterns(), freed in one place. */
struct pat_build {
	struct pat_src *src;
	uint32_t n_src;
	struct term_file *tf;
	uint32_t n_tf;
};

static void
pat_build_free(struct pat_build *b)
{
	uint32_t i;

	for (i = 0; i < b->n_tf; i++) {
		free(b->tf[i].path);
		free(b->tf[i].text);
	}
	free(b->tf);
	if (b->src != NULL)
		for (i = 0; i < b->n_src; i++)
			free(b->src[i].skel_expr);
	free(b->src);
}

/*
 * Literals whose skeleton form differs from their folded form get a second expression,
 * appended after every rule (ids stay unique among rules: check_ids() ran before). It is
 * matched in skeleton units only and always caseless (the skeleton form is lower case).
 */
static int
add_skeleton_patterns(struct ld *c, struct pat_build *b, const yaml_node_t *section)
{
	struct insp_policy *p = c->p;
	uint32_t n = p->n_patterns, extra = 0, k;
	struct insp_pattern *pats;
	struct pat_src *src;

	for (uint32_t i = 0; i < n; i++)
		extra += b->src[i].skel_expr != NULL;
	if (extra == 0)
		return 0;
	pats = realloc(p->patterns, (size_t)(n + extra) * sizeof(*pats));
	if (pats == NULL)
		return ld_oom(c, section);
	p->patterns = pats;
	src = realloc(b->src, (size_t)(n + extra) * sizeof(*src));
	if (src == NULL)
		return ld_oom(c, section);
	b->src = src;
	for (uint32_t i = 0, k0 = n; i < n; i++) {
		if (src[i].skel_expr == NULL)
			continue;
		k = k0++;
		pats[k] = pats[i];
		pats[k].forms = INSP_FORM_SKELETON;
		pats[k].expr = src[i].skel_expr; /* the policy owns it now */
		src[k] = src[i];
		src[k].flags |= INSP_MATCH_CASELESS;
		src[k].skel_expr = NULL;
		src[i].skel_expr = NULL;
		p->n_patterns = k + 1;
		b->n_src = k + 1;
	}
	return 0;
}

/* The inline terms, then every term file in order, then the markings. */
static int
fill_patterns(struct ld *c, struct pat_build *b, const yaml_node_t *terms, const yaml_node_t *marks)
{
	struct insp_policy *p = c->p;
	const yaml_node_item_t *it;
	uint32_t k = 0, i;
	int idx;

	if (terms != NULL) {
		for (it = terms->data.sequence.items.start, idx = 0;
		     it < terms->data.sequence.items.top; it++, idx++, k++) {
			if (load_pattern(c, &p->patterns[k], &b->src[k], node(c, *it),
					 INSP_PATTERN_TERM, idx) < 0)
				return -1;
			p->n_terms++;
		}
	}
	for (i = 0; i < b->n_tf; i++) {
		const struct term_file *tf = &b->tf[i];
		struct line_iter li = {.text = tf->text, .len = tf->len};
		const char *s;
		size_t n;

		while (next_line(&li, &s, &n)) {
			if (!is_term_line(s, n))
				continue;
			if (load_term_line(c, tf, s, n, li.lineno, &p->patterns[k], &b->src[k]) < 0)
				return -1;
			p->n_terms++;
			k++;
		}
	}
	if (marks != NULL) {
		for (it = marks->data.sequence.items.start, idx = 0;
		     it < marks->data.sequence.items.top; it++, idx++, k++) {
			if (load_pattern(c, &p->patterns[k], &b->src[k], node(c, *it),
					 INSP_PATTERN_MARKING, idx) < 0)
				return -1;
			p->n_markings++;
		}
	}
	return 0;
}

static int
load_patterns(struct ld *c, const yaml_node_t *terms, const yaml_node_t *files,
	      const yaml_node_t *marks)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *lists[3] = {terms, files, marks};
	const char *names[3] = {"prohibited_terms", "prohibited_term_files", "markings"};
	const yaml_node_t *section = NULL;
	struct pat_build b = {0};
	uint64_t total = 0;
	int l, rc = -1;

	for (l = 0; l < 3; l++) {
		if (lists[l] == NULL)
			continue;
		if (section == NULL)
			section = lists[l];
		if (lists[l]->type != YAML_SEQUENCE_NODE)
			return ld_fail(c, lists[l], "'%s' must be a sequence of mappings, got %s",
				       names[l], kind(lists[l]));
		if (l != 1)
			total += (uint64_t)seq_len(lists[l]);
	}
	if (total > LD_MAX_PATTERNS)
		return ld_fail(c, section,
			       "too many prohibited terms and markings: %" PRIu64 " (at most %d)",
			       total, LD_MAX_PATTERNS);
	if (files != NULL && seq_len(files) > 0) {
		const yaml_node_item_t *it;
		int idx = 0;

		if (seq_len(files) > LD_MAX_TERM_FILES)
			return ld_fail(c, files, "too many term files: %d (at most %d)",
				       seq_len(files), LD_MAX_TERM_FILES);
		b.tf = calloc((size_t)seq_len(files), sizeof(*b.tf));
		if (b.tf == NULL)
			return ld_oom(c, files);
		for (it = files->data.sequence.items.start; it < files->data.sequence.items.top;
		     it++, idx++) {
			struct term_file *tf = &b.tf[b.n_tf++];

			if (load_term_file(c, tf, node(c, *it), idx) < 0)
				goto out;
			total += tf->n_terms;
			if (total > LD_MAX_PATTERNS) {
				ld_fail(c, node(c, *it),
					"too many prohibited terms and markings: %" PRIu64
					" with this term file (at most %d)",
					total, LD_MAX_PATTERNS);
				goto out;
			}
		}
	}
	if (total == 0) {
		rc = 0; /* nothing to match: matcher stays NULL */
		goto out;
	}
	p->patterns = calloc(total, sizeof(*p->patterns));
	b.src = calloc(total, sizeof(*b.src));
	if (p->patterns == NULL || b.src == NULL) {
		ld_oom(c, section);
		goto out;
	}
	p->n_patterns = (uint32_t)total; /* all NULL expr until filled: insp_policy_free() copes */
	b.n_src = (uint32_t)total;
	if (fill_patterns(c, &b, terms, marks) < 0)
		goto out;
	if (check_ids(c, b.src, section) < 0)
		goto out;
	if (add_skeleton_patterns(c, &b, section) < 0)
		goto out;
	rc = compile_patterns(c, b.src, section);
out:
	pat_build_free(&b);
	return rc;
}

/* ---- priorities and traffic classes (GUARD-SPEC 7) ---- */

static const char *const tclass_names[INSP_TCLASS_COUNT] = {
	"flash",
	"immediate",
	"priority",
	"routine",
};

/* A traffic class: its number 0..3 or its name. */
static int
get_tclass(struct ld *c, const yaml_node_t *n, const char *what, uint8_t *out)
{
	uint64_t v;
	char q[72];
	int i;

	if (is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    parse_uint(n, &v) == 0 && v < INSP_TCLASS_COUNT) {
		*out = (uint8_t)v;
		return 0;
	}
	for (i = 0; i < INSP_TCLASS_COUNT; i++) {
		if (scalar_is(n, tclass_names[i])) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	if (!is_scalar(n) || slen(n) == 0)
		return ld_fail(c, n,
			       "%s must be 0..3 or one of flash, immediate, priority, routine, "
			       "got %s",
			       what, kind(n));
	return ld_fail(c, n,
		       "%s must be 0..3 or one of flash, immediate, priority, routine, got '%s'",
		       what, Q(n, q));
}

enum { R_CHANNEL, R_TYPE_PREFIX, R_QOS, R_CLASS, R_COUNT };
static const char *const prio_keys[R_COUNT] = {
	"channel",
	"cot_type_prefix",
	"qos_priority",
	"class",
};

static int
load_priority(struct ld *c, struct insp_priority_rule *r, const yaml_node_t *map, int index)
{
	const struct insp_policy *p = c->p;
	yaml_node_t *f[R_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX], q[72];
	uint64_t v;
	uint32_t i;

	if (snprintf(what, sizeof(what), "priority #%d", index + 1) < 0)
		what[0] = '\0';
	if (get_fields(c, map, what, prio_keys, R_COUNT, f) < 0)
		return -1;
	r->channel = -1;
	if (f[R_CHANNEL] != NULL) {
		if (get_string(c, f[R_CHANNEL], field(fwhat, sizeof(fwhat), "channel", what),
			       INSP_NAME_MAX - 1) < 0)
			return -1;
		for (i = 0; i < p->n_channels; i++) {
			if (scalar_is(f[R_CHANNEL], p->channels[i].name))
				break;
		}
		if (i == p->n_channels) {
			struct list l = {.len = 0};

			for (i = 0; i < p->n_channels; i++)
				list_add(&l, p->channels[i].name);
			return ld_fail(c, f[R_CHANNEL], "channel '%s' unknown in %s (known: %s)",
				       Q(f[R_CHANNEL], q), what, l.len ? l.buf : "none defined");
		}
		r->channel = (int32_t)i;
	}
	if (f[R_TYPE_PREFIX] != NULL) {
		if (get_prefix(c, f[R_TYPE_PREFIX],
			       field(fwhat, sizeof(fwhat), "cot_type_prefix", what)) < 0)
			return -1;
		copy_str(r->type_prefix, f[R_TYPE_PREFIX]);
		r->type_prefix_len = (uint32_t)strlen(r->type_prefix);
	}
	r->qos_priority = -1;
	if (f[R_QOS] != NULL) {
		if (get_uint(c, f[R_QOS], field(fwhat, sizeof(fwhat), "qos_priority", what), 0, 9,
			     &v) < 0)
			return -1;
		r->qos_priority = (int8_t)v;
	}
	if (f[R_CLASS] == NULL)
		return missing(c, map, what, "class");
	return get_tclass(c, f[R_CLASS], field(fwhat, sizeof(fwhat), "class", what), &r->tclass);
}

/* Rows in file order: the first that matches a message gives its class. */
static int
load_priorities(struct ld *c, const yaml_node_t *seq)
{
	struct insp_policy *p = c->p;
	const yaml_node_item_t *it;
	int n, idx = 0;

	if (seq->type != YAML_SEQUENCE_NODE)
		return ld_fail(c, seq, "'priorities' must be a sequence of mappings, got %s",
			       kind(seq));
	n = seq_len(seq);
	if (n > LD_MAX_PRIORITIES)
		return ld_fail(c, seq, "too many priorities: %d (at most %d)", n,
			       LD_MAX_PRIORITIES);
	if (n == 0)
		return 0;
	p->priorities = calloc((size_t)n, sizeof(*p->priorities));
	if (p->priorities == NULL)
		return ld_oom(c, seq);
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++, idx++) {
		if (load_priority(c, &p->priorities[p->n_priorities], node(c, *it), idx) < 0)
			return -1;
		p->n_priorities++;
	}
	return 0;
}

static const char *const tclass_keys[] = {"dscp"};

/* class name -> {dscp}; classes not given keep their default. */
static int
load_tclasses(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seen[INSP_TCLASS_COUNT] = {NULL};
	const yaml_node_pair_t *pair;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'traffic_classes' must be a mapping of class name to settings, "
			       "got %s",
			       kind(map));
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(c, pair->key), *v = node(c, pair->value);
		yaml_node_t *f[1];
		char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX];
		uint64_t dscp;
		int e = 0;

		if (get_enum(c, k, "class name in 'traffic_classes'", tclass_names,
			     INSP_TCLASS_COUNT, &e) < 0)
			return -1;
		if (seen[e] != NULL)
			return ld_fail(c, k,
				       "traffic class '%s' given twice in 'traffic_classes' (first "
				       "at %zu:%zu)",
				       tclass_names[e], seen[e]->start_mark.line + 1,
				       seen[e]->start_mark.column + 1);
		seen[e] = k;
		if (snprintf(what, sizeof(what), "traffic class '%s'", tclass_names[e]) < 0)
			what[0] = '\0';
		if (get_fields(c, v, what, tclass_keys, 1, f) < 0)
			return -1;
		if (f[0] == NULL)
			return missing(c, v, what, "dscp");
		if (get_uint(c, f[0], field(fwhat, sizeof(fwhat), "dscp", what), 0, 63, &dscp) < 0)
			return -1;
		p->class_dscp[e] = (uint8_t)dscp;
	}
	return 0;
}

/* ---- top level ---- */

enum {
	T_VERSION,
	T_LABELS,
	T_COT,
	T_NATIONS,
	T_GROUPS,
	T_CLASSIFICATIONS,
	T_DESTINATIONS,
	T_CHANNELS,
	T_TERMS,
	T_MARKINGS,
	T_CEILINGS,
	T_RESTRICTIVE,
	T_CATEGORIES,
	T_SHARING,
	T_HINTS,
	T_TERM_FILES,
	T_PRIORITIES,
	T_TCLASSES,
	T_COUNT
};
/* The original ten first, so messages listing them read as before, then the newer ones. */
static const char *const top_keys[T_COUNT] = {
	"version",
	"labels",
	"cot",
	"nations",
	"groups",
	"classifications",
	"destinations",
	"channels",
	"prohibited_terms",
	"markings",
	"release_ceilings",
	"restrictive_categories",
	"data_categories",
	"sharing_agreements",
	"category_hints",
	"prohibited_term_files",
	"priorities",
	"traffic_classes",
};

enum { L_STRICTNESS, L_SKEW, L_COUNT };
static const char *const label_keys[L_COUNT] = {"strictness", "stale_skew_seconds"};
static const char *const strictness_names[] = {"lenient", "strict"};

enum { K_DEPTH, K_ELEMS, K_COUNT };
static const char *const cot_keys[K_COUNT] = {"max_detail_depth", "max_detail_elements"};

static int
load_labels(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	yaml_node_t *f[L_COUNT];
	char fwhat[LD_WHAT_MAX];
	uint64_t v;
	int e = 0;

	if (get_fields(c, map, "'labels'", label_keys, L_COUNT, f) < 0)
		return -1;
	if (f[L_STRICTNESS] != NULL) {
		if (get_enum(c, f[L_STRICTNESS],
			     field(fwhat, sizeof(fwhat), "strictness", "'labels'"),
			     strictness_names, 2, &e) < 0)
			return -1;
		p->strict_labels = (uint8_t)e;
	}
	if (f[L_SKEW] != NULL) {
		if (get_uint(c, f[L_SKEW],
			     field(fwhat, sizeof(fwhat), "stale_skew_seconds", "'labels'"), 0,
			     86400, &v) < 0)
			return -1;
		p->stale_skew_ms = (int64_t)v * 1000;
	}
	return 0;
}

static int
load_cot(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	yaml_node_t *f[K_COUNT];
	char fwhat[LD_WHAT_MAX];
	uint64_t v;

	if (get_fields(c, map, "'cot'", cot_keys, K_COUNT, f) < 0)
		return -1;
	if (f[K_DEPTH] != NULL) {
		if (get_uint(c, f[K_DEPTH],
			     field(fwhat, sizeof(fwhat), "max_detail_depth", "'cot'"), 1, 64,
			     &v) < 0)
			return -1;
		p->cot_max_depth = (uint32_t)v;
	}
	if (f[K_ELEMS] != NULL) {
		if (get_uint(c, f[K_ELEMS],
			     field(fwhat, sizeof(fwhat), "max_detail_elements", "'cot'"), 1, 100000,
			     &v) < 0)
			return -1;
		p->cot_max_elems = (uint32_t)v;
	}
	return 0;
}

static int
load_root(struct ld *c, const yaml_node_t *root)
{
	struct insp_policy *p = c->p;
	static const uint8_t dscp_default[INSP_TCLASS_COUNT] = {46, 34, 18,
								8}; /* EF AF41 AF21 CS1 */
	yaml_node_t *f[T_COUNT];
	uint64_t v;
	int i;

	if (root->type != YAML_MAPPING_NODE)
		return ld_fail(c, root,
			       "the policy must be a mapping (version, nations, classifications, "
			       "...), got %s",
			       kind(root));
	if (get_fields(c, root, "the policy", top_keys, T_COUNT, f) < 0)
		return -1;

	if (f[T_VERSION] == NULL)
		return missing(c, root, "the policy", "version");
	if (parse_uint(f[T_VERSION], &v) < 0) {
		char q[72];

		if (!is_scalar(f[T_VERSION]) ||
		    f[T_VERSION]->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			return ld_fail(c, f[T_VERSION], "'version' must be the integer 1, got %s",
				       is_scalar(f[T_VERSION]) ? "a quoted string"
							       : kind(f[T_VERSION]));
		return ld_fail(c, f[T_VERSION], "'version' must be the integer 1, got '%s'",
			       Q(f[T_VERSION], q));
	}
	if (v != 1)
		return ld_fail(
			c, f[T_VERSION],
			"unsupported policy version %" PRIu64 " (this guard reads version 1)", v);

	p->strict_labels = 1;
	p->stale_skew_ms = 60 * 1000;
	p->cot_max_depth = 16;
	p->cot_max_elems = 512;
	if (f[T_LABELS] != NULL && load_labels(c, f[T_LABELS]) < 0)
		return -1;
	if (f[T_COT] != NULL && load_cot(c, f[T_COT]) < 0)
		return -1;

	for (i = 0; i < INSP_MAX_NATIONS; i++)
		p->nation_ceiling[i] = INSP_LEVEL_TOP_SECRET;
	memcpy(p->class_dscp, dscp_default, sizeof(p->class_dscp));

	if (f[T_NATIONS] == NULL)
		return missing(c, root, "the policy", "nations");
	if (load_nations(c, f[T_NATIONS]) < 0)
		return -1;
	if (f[T_GROUPS] != NULL && load_groups(c, f[T_GROUPS]) < 0)
		return -1;
	if (f[T_CEILINGS] != NULL && load_ceilings(c, f[T_CEILINGS]) < 0)
		return -1;
	if (load_classifications(c, f[T_CLASSIFICATIONS], root) < 0)
		return -1;
	if (f[T_RESTRICTIVE] != NULL && load_restrictive(c, f[T_RESTRICTIVE]) < 0)
		return -1;
	if (f[T_DESTINATIONS] != NULL && load_destinations(c, f[T_DESTINATIONS]) < 0)
		return -1;

	if (f[T_CATEGORIES] != NULL) {
		if (load_categories(c, f[T_CATEGORIES]) < 0)
			return -1;
	} else {
		default_category(p);
		if (f[T_SHARING] != NULL)
			return needs_categories(c, f[T_SHARING], "'sharing_agreements'");
		if (f[T_HINTS] != NULL)
			return needs_categories(c, f[T_HINTS], "'category_hints'");
	}
	if (f[T_SHARING] != NULL && load_sharing(c, f[T_SHARING]) < 0)
		return -1;
	if (f[T_CHANNELS] != NULL && load_channels(c, f[T_CHANNELS]) < 0)
		return -1;
	if (f[T_HINTS] != NULL && load_hints(c, f[T_HINTS]) < 0)
		return -1;
	if (f[T_PRIORITIES] != NULL && load_priorities(c, f[T_PRIORITIES]) < 0)
		return -1;
	if (f[T_TCLASSES] != NULL && load_tclasses(c, f[T_TCLASSES]) < 0)
		return -1;
	/* Last: reading term files and compiling are the expensive steps. */
	return load_patterns(c, f[T_TERMS], f[T_TERM_FILES], f[T_MARKINGS]);
}

/*
 * Is there a tab at @p m? The most common YAML mistake earns a hint. Marks count
 * characters, so this looks at the right byte only when the line is ASCII up to there;
 * otherwise it just gives no hint.
 */
static int
at_tab(const char *text, size_t len, const yaml_mark_t *m)
{
	size_t i = 0, line = 0;

	while (line < m->line && i < len) {
		if (text[i++] == '\n')
			line++;
	}
	return i + m->column < len && text[i + m->column] == '\t';
}

/* libyaml's own errors: syntax (with a mark), encoding (with a byte offset), memory. */
static void
yaml_error(struct ld *c, const yaml_parser_t *ps, const char *text, size_t len)
{
	const char *problem = ps->problem != NULL ? ps->problem : "unknown error";

	switch (ps->error) {
	case YAML_MEMORY_ERROR:
		ld_fail_at(c, 0, 0, "out of memory while parsing YAML");
		break;
	case YAML_READER_ERROR: {
		size_t line = 1, col = 1, i;

		for (i = 0; i < ps->problem_offset && i < len; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		if (ps->problem_value != -1)
			ld_fail_at(c, line, col, "YAML: %s (byte 0x%02x)", problem,
				   (unsigned)ps->problem_value & 0xffu);
		else
			ld_fail_at(c, line, col, "YAML: %s", problem);
		break;
	}
	default: {
		const char *hint = at_tab(text, len, &ps->problem_mark)
					   ? "; YAML indents with spaces, not tabs"
					   : "";

		if (ps->context != NULL)
			ld_fail_at(c, ps->problem_mark.line + 1, ps->problem_mark.column + 1,
				   "YAML syntax error: %s (%s at %zu:%zu%s)", problem, ps->context,
				   ps->context_mark.line + 1, ps->context_mark.column + 1, hint);
		else
			ld_fail_at(c, ps->problem_mark.line + 1, ps->problem_mark.column + 1,
				   "YAML syntax error: %s%s", problem,
				   hint[0] != '\0' ? " (YAML indents with spaces, not tabs)" : "");
		break;
	}
	}
}

struct insp_policy *
insp_policy_load_ex(const char *text, size_t len, const char *file_name,
		    const struct insp_policy_io *io, struct insp_err *err)
{
	struct ld c = {.file = file_name != NULL ? file_name : "policy", .err = err, .io = io};
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	const yaml_node_t *root, *root2;
	int have_doc = 0;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (text == NULL) {
		text = "";
		len = 0;
	}
	if (!yaml_parser_initialize(&parser)) {
		ld_fail_at(&c, 0, 0, "out of memory while parsing YAML");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_error(&c, &parser, text, len);
		goto out;
	}
	have_doc = 1;
	c.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		ld_fail_at(&c, 1, 1,
			   "the policy is empty (it needs at least 'version', 'nations' and "
			   "'classifications')");
		goto out;
	}
	/* A second document would be silently ignored by a reader that stops at the first. */
	if (!yaml_parser_load(&parser, &extra)) {
		yaml_error(&c, &parser, text, len);
		goto out;
	}
	root2 = yaml_document_get_root_node(&extra);
	if (root2 != NULL)
		ld_fail_at(&c, root2->start_mark.line + 1, root2->start_mark.column + 1,
			   "a second YAML document (a policy file holds exactly one)");
	yaml_document_delete(&extra);
	if (c.failed)
		goto out;

	c.p = calloc(1, sizeof(*c.p));
	if (c.p == NULL) {
		ld_oom(&c, root);
		goto out;
	}
	load_root(&c, root);
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (c.failed) {
		insp_policy_free(c.p);
		return NULL;
	}
	return c.p;
}

struct insp_policy *
insp_policy_load(const char *text, size_t len, const char *file_name, struct insp_err *err)
{
	return insp_policy_load_ex(text, len, file_name, NULL, err);
}
