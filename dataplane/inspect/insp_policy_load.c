/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policy loader: YAML text -> struct insp_policy -> Hyperscan database.
 *
 * Why it is built this way:
 * - libyaml's document API (yaml_parser_load) gives a tree whose nodes keep their start
 *   mark, so every error can name the exact line and column the operator has to fix.
 * - The schema is closed: an unknown key anywhere is an error, and so is a key given twice
 *   (libyaml keeps both and a "last one wins" reading of a security policy would be a trap).
 * - Sections are read in dependency order (nations, groups, classifications, destinations,
 *   channels, patterns) whatever order the file uses, so references always resolve.
 * - All or nothing: the first error stops the load, everything built so far is freed and
 *   err holds exactly one message. The caller keeps its previous policy (GUARD-SPEC 4.2).
 * - No I/O, no printing, no globals: the caller reads the file and decides where the
 *   message goes, so ctld, guardctl and the tests share this code unchanged.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yaml.h>

#include "insp_match.h"
#include "insp_policy_load.h"

/* Limits that are not in insp_policy.h; documented in docs/policy.md. */
#define LD_MAX_GROUPS	      256
#define LD_MAX_CLASS_POLICIES 64
#define LD_MAX_CLASS_NAMES    256
#define LD_MAX_DESTINATIONS   256
#define LD_MAX_HOLDS	      64
#define LD_MAX_PATTERNS	      65536
#define LD_MAX_LITERAL	      1024
#define LD_MAX_REGEX	      4096
#define LD_MAX_KEYS	      16  /* keys of the largest fixed mapping */
#define LD_LIST_MAX	      240 /* longest "(known: ...)" list quoted in a message */
#define LD_WHAT_MAX	      160 /* "'ttl' in channel '...' egress" */

struct ld {
	yaml_document_t *doc;
	const char *file;
	struct insp_err *err;
	int failed;
	struct insp_policy *p;
};

/* ---- error reporting ---- */

static void __attribute__((format(printf, 4, 0)))
ld_vfail_at(struct ld *c, size_t line, size_t col, const char *fmt, va_list ap)
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
	n = snprintf(c->err->msg, sizeof(c->err->msg), "%s:%zu:%zu: %s", c->file, line, col, text);
	if (n < 0)
		c->err->msg[0] = '\0';
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
		return "a string";
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
		if (s[i] < 0x20 || s[i] == 0x7f)
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

/* An unknown code in @p where: suggest the right case, or list what is known. */
static int
unknown_code(struct ld *c, const yaml_node_t *n, const char *where)
{
	const struct insp_policy *p = c->p;
	struct list l = {.len = 0};
	char q[72];
	uint32_t i;

	for (i = 0; i < p->n_nations + p->n_groups; i++) {
		const char *code =
			i < p->n_nations ? p->nations[i] : p->groups[i - p->n_nations].code;

		if (ascii_ieq(code, strlen(code), sval(n), slen(n)))
			return ld_fail(
				c, n,
				"nation or group '%s' unknown in %s (codes are case-sensitive "
				"in the policy: did you mean '%s'?)",
				Q(n, q), where, code);
		list_add(&l, code);
	}
	return ld_fail(c, n, "nation or group '%s' unknown in %s (known: %s)", Q(n, q), where,
		       l.buf);
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

/* A non-empty sequence of nation or group codes, expanded. */
static int
get_code_list(struct ld *c, const yaml_node_t *seq, const char *what, const char *where,
	      uint64_t *bits)
{
	const yaml_node_item_t *it;

	*bits = 0;
	if (seq->type != YAML_SEQUENCE_NODE || seq_len(seq) == 0)
		return ld_fail(c, seq,
			       "%s must be a non-empty sequence of nation or group codes, got %s",
			       what, seq->type == YAML_SEQUENCE_NODE ? "an empty one" : kind(seq));
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		if (resolve_code(c, node(c, *it), where, bits) < 0)
			return -1;
	}
	return 0;
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

/* ---- channels ---- */

enum { C_NAME, C_DIRECTION, C_FORMAT, C_DESTINATION, C_MAX_SIZE, C_INGRESS, C_EGRESS, C_COUNT };
static const char *const chan_keys[C_COUNT] = {
	"name", "direction", "format", "destination", "max_size", "ingress", "egress",
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

	ch->max_size = 1500;
	if (f[C_MAX_SIZE] != NULL) {
		if (get_uint(c, f[C_MAX_SIZE], field(fwhat, sizeof(fwhat), "max_size", what), 1,
			     65507, &v) < 0)
			return -1;
		ch->max_size = (uint32_t)v;
	}

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

/* ---- prohibited terms and markings ---- */

enum { P_ID, P_LITERAL, P_REGEX, P_CASELESS, P_CLASSIFICATION, P_RELEASABLE_TO, P_COUNT };
static const char *const pattern_keys[P_COUNT] = {
	"id", "literal", "regex", "caseless", "classification", "releasable_to",
};

/* Per-pattern build state kept beside insp_pattern for messages and compile flags. */
struct pat_src {
	const yaml_node_t *id;
	const yaml_node_t *expr; /* the literal or regex value */
	uint8_t is_literal;
	unsigned flags;
};

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

static int
load_pattern(struct ld *c, struct insp_pattern *pat, struct pat_src *src, const yaml_node_t *map,
	     enum insp_pattern_kind pkind, int index)
{
	/* Terms accept the first four keys, markings all six. */
	size_t nkeys = pkind == INSP_PATTERN_TERM ? P_CASELESS + 1 : P_COUNT;
	const char *noun = pkind == INSP_PATTERN_TERM ? "prohibited term" : "marking";
	yaml_node_t *f[P_COUNT] = {NULL};
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX];
	uint8_t caseless = 1;
	uint64_t v;

	item_what(c, what, sizeof(what), noun, map, "id", 0, index);
	if (get_fields(c, map, what, pattern_keys, nkeys, f) < 0)
		return -1;
	pat->kind = (uint8_t)pkind;
	pat->level = INSP_LEVEL_NONE;
	pat->line = (uint32_t)map->start_mark.line + 1;
	if (req_uint(c, map, f, pattern_keys, P_ID, what, 1, UINT32_MAX, &v) < 0)
		return -1;
	pat->rule_id = (uint32_t)v;
	src->id = f[P_ID];

	if ((f[P_LITERAL] == NULL) == (f[P_REGEX] == NULL))
		return ld_fail(c, f[P_LITERAL] != NULL ? f[P_REGEX] : map,
			       f[P_LITERAL] != NULL ? "%s has both 'literal' and 'regex' (give one)"
						    : "%s needs 'literal' or 'regex'",
			       what);
	if (f[P_LITERAL] != NULL) {
		const yaml_node_t *lit = f[P_LITERAL];
		char *phrase;
		size_t cap;
		int n;

		if (get_text(c, lit, field(fwhat, sizeof(fwhat), "literal", what), LD_MAX_LITERAL,
			     1) < 0)
			return -1;
		/*
		 * Worst case: every byte escaped (2 bytes) or a \s+ (3), plus the two
		 * boundary groups (19 each) and the NUL.
		 */
		cap = 3 * slen(lit) + 2 * 19 + 1;
		phrase = malloc(slen(lit) + 1);
		pat->expr = malloc(cap);
		if (phrase == NULL || pat->expr == NULL) {
			free(phrase);
			return ld_oom(c, lit);
		}
		copy_str(phrase, lit);
		n = insp_match_literal_to_regex(phrase, pat->expr, cap);
		free(phrase);
		if (n < 0)
			return ld_fail(c, lit, "%s has no words",
				       field(fwhat, sizeof(fwhat), "literal", what));
		src->expr = lit;
		src->is_literal = 1;
	} else {
		const yaml_node_t *re = f[P_REGEX];

		if (get_text(c, re, field(fwhat, sizeof(fwhat), "regex", what), LD_MAX_REGEX, 1) <
		    0)
			return -1;
		pat->expr = malloc(slen(re) + 1);
		if (pat->expr == NULL)
			return ld_oom(c, re);
		copy_str(pat->expr, re);
		src->expr = re;
		if (has_buffer_anchor(pat->expr))
			return ld_fail(
				c, re,
				"%s uses \\A, \\z or \\Z: each attribute value and text node is "
				"scanned on its own, write ^ and $ instead",
				what);
	}

	if (f[P_CASELESS] != NULL &&
	    get_bool(c, f[P_CASELESS], field(fwhat, sizeof(fwhat), "caseless", what), &caseless) <
		    0)
		return -1;
	src->flags = caseless ? INSP_MATCH_CASELESS : 0;

	if (pkind == INSP_PATTERN_MARKING) {
		if (f[P_CLASSIFICATION] == NULL && f[P_RELEASABLE_TO] == NULL)
			return ld_fail(c, map,
				       "%s needs 'classification', 'releasable_to' or both (what "
				       "the marking means)",
				       what);
		if (f[P_CLASSIFICATION] != NULL &&
		    get_level(c, f[P_CLASSIFICATION],
			      field(fwhat, sizeof(fwhat), "classification", what), &pat->level) < 0)
			return -1;
		/*
		 * An empty list would mean "nobody" but restrict_to 0 means "no caveat":
		 * get_code_list() refuses it so the two can never be confused.
		 */
		if (f[P_RELEASABLE_TO] != NULL &&
		    get_code_list(c, f[P_RELEASABLE_TO],
				  field(fwhat, sizeof(fwhat), "releasable_to", what), what,
				  &pat->restrict_to) < 0)
			return -1;
	}
	return 0;
}

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

/* Ids are unique across terms and markings: decisions and audit name a rule by its id. */
static int
check_ids(struct ld *c, const struct pat_src *src)
{
	const struct insp_policy *p = c->p;
	struct id_at *v;
	uint32_t i, first = 0, dup = UINT32_MAX;

	v = malloc(p->n_patterns * sizeof(*v));
	if (v == NULL)
		return ld_oom(c, src[0].id);
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
	return ld_fail(c, src[dup].id, "id %u used twice (first at %zu:%zu)",
		       p->patterns[dup].rule_id, src[first].id->start_mark.line + 1,
		       src[first].id->start_mark.column + 1);
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
		if (src[bad].is_literal)
			return ld_fail(c, src[bad].expr,
				       "literal rejected by Hyperscan (as regex '%s'): %s",
				       p->patterns[bad].expr, why);
		return ld_fail(c, src[bad].expr, "regex rejected by Hyperscan: %s", why);
	}
	return ld_fail(c, section, "Hyperscan could not compile the patterns: %s", why);
}

static int
load_patterns(struct ld *c, const yaml_node_t *terms, const yaml_node_t *marks)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *lists[2] = {terms, marks};
	const char *names[2] = {"prohibited_terms", "markings"};
	struct pat_src *src = NULL;
	uint32_t total = 0, k = 0;
	int l, rc = -1;

	for (l = 0; l < 2; l++) {
		if (lists[l] == NULL)
			continue;
		if (lists[l]->type != YAML_SEQUENCE_NODE)
			return ld_fail(c, lists[l], "'%s' must be a sequence of mappings, got %s",
				       names[l], kind(lists[l]));
		total += (uint32_t)seq_len(lists[l]);
		if (total > LD_MAX_PATTERNS)
			return ld_fail(c, lists[l],
				       "too many prohibited terms and markings: %u (at most %d)",
				       total, LD_MAX_PATTERNS);
	}
	if (total == 0)
		return 0; /* nothing to match: matcher stays NULL */
	p->patterns = calloc(total, sizeof(*p->patterns));
	src = calloc(total, sizeof(*src));
	if (p->patterns == NULL || src == NULL) {
		ld_oom(c, lists[0] != NULL ? lists[0] : lists[1]);
		goto out;
	}
	p->n_patterns = total;
	for (l = 0; l < 2; l++) {
		const yaml_node_item_t *it;
		int idx = 0;

		if (lists[l] == NULL)
			continue;
		for (it = lists[l]->data.sequence.items.start;
		     it < lists[l]->data.sequence.items.top; it++, idx++, k++) {
			enum insp_pattern_kind pk =
				l == 0 ? INSP_PATTERN_TERM : INSP_PATTERN_MARKING;

			if (load_pattern(c, &p->patterns[k], &src[k], node(c, *it), pk, idx) < 0)
				goto out;
			if (pk == INSP_PATTERN_TERM)
				p->n_terms++;
			else
				p->n_markings++;
		}
	}
	if (check_ids(c, src) < 0)
		goto out;
	rc = compile_patterns(c, src, lists[0] != NULL ? lists[0] : lists[1]);
out:
	free(src);
	return rc;
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
	T_COUNT
};
static const char *const top_keys[T_COUNT] = {
	"version",	   "labels",	   "cot",      "nations",	   "groups",
	"classifications", "destinations", "channels", "prohibited_terms", "markings",
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
	yaml_node_t *f[T_COUNT];
	uint64_t v;

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

	if (f[T_NATIONS] == NULL)
		return missing(c, root, "the policy", "nations");
	if (load_nations(c, f[T_NATIONS]) < 0)
		return -1;
	if (f[T_GROUPS] != NULL && load_groups(c, f[T_GROUPS]) < 0)
		return -1;
	if (load_classifications(c, f[T_CLASSIFICATIONS], root) < 0)
		return -1;
	if (f[T_DESTINATIONS] != NULL && load_destinations(c, f[T_DESTINATIONS]) < 0)
		return -1;
	if (f[T_CHANNELS] != NULL && load_channels(c, f[T_CHANNELS]) < 0)
		return -1;
	return load_patterns(c, f[T_TERMS], f[T_MARKINGS]);
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
insp_policy_load(const char *text, size_t len, const char *file_name, struct insp_err *err)
{
	struct ld c = {.file = file_name != NULL ? file_name : "policy", .err = err};
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
