/* SPDX-License-Identifier: BSD-3-Clause */
#include "pc_internal.h"

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
	/* line 0: the whole file is at fault (memory, Hyperscan on the whole set), no place in it
	 */
	if (line == 0)
		n = snprintf(c->err->msg, sizeof(c->err->msg), "%s: %s", file, text);
	else
		n = snprintf(c->err->msg, sizeof(c->err->msg), "%s:%zu:%zu: %s", file, line, col,
			     text);
	if (n < 0)
		c->err->msg[0] = '\0';
}

static void __attribute__((format(printf, 4, 0)))
ld_vfail_at(struct ld *c, size_t line, size_t col, const char *fmt, va_list ap)
{
	ld_vfail_in(c, c->file, line, col, fmt, ap);
}

/* An error in another file (a term file): "TERMFILE:LINE:COLUMN: message". */
int __attribute__((format(printf, 5, 6)))
ld_fail_in(struct ld *c, const char *file, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_vfail_in(c, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int __attribute__((format(printf, 4, 5)))
ld_fail_at(struct ld *c, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_vfail_at(c, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* Report at a node's start (libyaml marks are 0-based; messages are 1-based). */
int __attribute__((format(printf, 3, 4)))
ld_fail(struct ld *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_vfail_at(c, n->start_mark.line + 1, n->start_mark.column + 1, fmt, ap);
	va_end(ap);
	return -1;
}

int
ld_oom(struct ld *c, const yaml_node_t *n)
{
	return ld_fail(c, n, "out of memory while loading the policy");
}

/* ---- YAML node access ---- */

yaml_node_t *
ld_node(struct ld *c, yaml_node_item_t idx)
{
	return yaml_document_get_node(c->doc, idx);
}

int
ld_is_scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE;
}

const char *
ld_sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

size_t
ld_slen(const yaml_node_t *n)
{
	return n->data.scalar.length;
}

int
ld_seq_len(const yaml_node_t *n)
{
	return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

int
ld_scalar_is(const yaml_node_t *n, const char *s)
{
	return ld_is_scalar(n) && ld_slen(n) == strlen(s) && memcmp(ld_sval(n), s, ld_slen(n)) == 0;
}

/* "a mapping", "a sequence", ... for "must be X, got Y" messages. */
const char *
ld_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a sequence";
	case YAML_SCALAR_NODE:
		if (ld_slen(n) == 0 && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return "nothing";
		return ld_slen(n) == 0 ? "an empty string" : "a string";
	default:
		return "nothing";
	}
}

/*
 * A scalar's value made safe to quote in a message: bounded, control bytes replaced,
 * not cut inside a UTF-8 sequence.
 */
const char *
ld_quote(const yaml_node_t *n, char *buf, size_t cap)
{
	const unsigned char *s = (const unsigned char *)ld_sval(n);
	size_t len = ld_slen(n), i, max = cap - 4;

	if (len > max) {
		len = max;
		while (len > 0 && (s[len] & 0xc0) == 0x80)
			len--;
	}
	for (i = 0; i < len; i++)
		buf[i] = (s[i] < 0x20 || s[i] == 0x7f) ? '?' : (char)s[i];
	if (len < ld_slen(n))
		memcpy(buf + i, "...", 4);
	else
		buf[i] = '\0';
	return buf;
}

/* "'key' in what", the subject of most messages. */
const char *
ld_field(char *buf, size_t cap, const char *key, const char *what)
{
	if (snprintf(buf, cap, "'%s' in %s", key, what) < 0)
		buf[0] = '\0';
	return buf;
}

void
ld_list_add(struct list *l, const char *s)
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
int
ld_get_fields(struct ld *c, const yaml_node_t *map, const char *what, const char *const *keys,
	      size_t nkeys, yaml_node_t **vals)
{
	const yaml_node_t *knodes[LD_MAX_KEYS] = {NULL};
	const yaml_node_pair_t *pair;
	char q[72];
	size_t i;

	for (i = 0; i < nkeys; i++)
		vals[i] = NULL;
	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map, "%s must be a mapping, got %s", what, ld_kind(map));
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = ld_node(c, pair->key);

		if (!ld_is_scalar(k))
			return ld_fail(c, k, "keys of %s must be strings, got %s", what,
				       ld_kind(k));
		for (i = 0; i < nkeys; i++) {
			if (ld_scalar_is(k, keys[i]))
				break;
		}
		if (i == nkeys) {
			struct list l = {.len = 0};

			for (i = 0; i < nkeys; i++)
				ld_list_add(&l, keys[i]);
			return ld_fail(c, k, "unknown key '%s' in %s (known: %s)", Q(k, q), what,
				       l.buf);
		}
		if (knodes[i] != NULL)
			return ld_fail(c, k, "key '%s' given twice in %s (first at %zu:%zu)",
				       keys[i], what, knodes[i]->start_mark.line + 1,
				       knodes[i]->start_mark.column + 1);
		knodes[i] = k;
		vals[i] = ld_node(c, pair->value);
	}
	return 0;
}

int
ld_missing(struct ld *c, const yaml_node_t *map, const char *what, const char *key)
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
		const yaml_node_t *v = ld_node(c, pair->value);

		if (ld_scalar_is(ld_node(c, pair->key), key))
			return ld_is_scalar(v) && ld_slen(v) > 0 && ld_slen(v) < 64 ? v : NULL;
	}
	return NULL;
}

/* "channel 'cot-mn'" if it has a usable name, else "channel #3" (1-based position). */
void
ld_item_what(struct ld *c, char *buf, size_t cap, const char *noun, const yaml_node_t *map,
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
int
ld_get_text(struct ld *c, const yaml_node_t *n, const char *what, size_t max, int allow_ws)
{
	const unsigned char *s;
	size_t i;

	if (!ld_is_scalar(n) || ld_slen(n) == 0)
		return ld_fail(c, n, "%s must be a non-empty string, got %s", what, ld_kind(n));
	if (ld_slen(n) > max)
		return ld_fail(c, n, "%s is %zu bytes long (at most %zu)", what, ld_slen(n), max);
	s = (const unsigned char *)ld_sval(n);
	for (i = 0; i < ld_slen(n); i++) {
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

int
ld_get_string(struct ld *c, const yaml_node_t *n, const char *what, size_t max)
{
	return ld_get_text(c, n, what, max, 0);
}

void
ld_copy_str(char *out, const yaml_node_t *n)
{
	memcpy(out, ld_sval(n), ld_slen(n));
	out[ld_slen(n)] = '\0';
}

/*
 * Unsigned decimal integer. Only plain scalars: a quoted "60" is a string in YAML, and a
 * leading zero is refused because YAML 1.1 readers take 010 as octal.
 */
int
ld_parse_uint(const yaml_node_t *n, uint64_t *out)
{
	const char *s = ld_sval(n);
	size_t i, len = ld_slen(n);
	uint64_t v = 0;

	if (!ld_is_scalar(n) || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || len == 0 ||
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

int
ld_get_uint(struct ld *c, const yaml_node_t *n, const char *what, uint64_t min, uint64_t max,
	    uint64_t *out)
{
	uint64_t v;
	char q[72];

	if (!ld_is_scalar(n) || ld_slen(n) == 0)
		return ld_fail(c, n, "%s must be an integer in %" PRIu64 "..%" PRIu64 ", got %s",
			       what, min, max, ld_kind(n));
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return ld_fail(c, n,
			       "%s must be an integer in %" PRIu64 "..%" PRIu64
			       ", got a quoted string",
			       what, min, max);
	if (ld_parse_uint(n, &v) < 0 || v < min || v > max)
		return ld_fail(c, n, "%s must be an integer in %" PRIu64 "..%" PRIu64 ", got '%s'",
			       what, min, max, Q(n, q));
	*out = v;
	return 0;
}

int
ld_get_bool(struct ld *c, const yaml_node_t *n, const char *what, uint8_t *out)
{
	char q[72];

	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ld_scalar_is(n, "true")) {
		*out = 1;
		return 0;
	}
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ld_scalar_is(n, "false")) {
		*out = 0;
		return 0;
	}
	if (!ld_is_scalar(n))
		return ld_fail(c, n, "%s must be true or false, got %s", what, ld_kind(n));
	return ld_fail(c, n, "%s must be true or false, got '%s'", what, Q(n, q));
}

/* One of @p names; *out is its index. */
int
ld_get_enum(struct ld *c, const yaml_node_t *n, const char *what, const char *const *names,
	    size_t count, int *out)
{
	struct list l = {.len = 0};
	char q[72];
	size_t i;

	for (i = 0; i < count; i++) {
		if (ld_scalar_is(n, names[i])) {
			*out = (int)i;
			return 0;
		}
		ld_list_add(&l, names[i]);
	}
	if (!ld_is_scalar(n))
		return ld_fail(c, n, "%s must be one of %s, got %s", what, l.buf, ld_kind(n));
	return ld_fail(c, n, "%s must be one of %s, got '%s'", what, l.buf, Q(n, q));
}

int
ld_get_level(struct ld *c, const yaml_node_t *n, const char *what, uint8_t *out)
{
	const char *names[INSP_LEVEL_COUNT];
	int i, v = 0;

	for (i = 0; i < INSP_LEVEL_COUNT; i++)
		names[i] = insp_level_name((enum insp_level)i);
	if (ld_get_enum(c, n, what, names, INSP_LEVEL_COUNT, &v) < 0)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

int
ld_get_ip(struct ld *c, const yaml_node_t *n, const char *what, struct insp_ipaddr *out)
{
	char buf[INET6_ADDRSTRLEN + 1], q[72];

	if (ld_get_string(c, n, what, INET6_ADDRSTRLEN) < 0)
		return -1;
	ld_copy_str(buf, n);
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

int
ld_get_mac(struct ld *c, const yaml_node_t *n, const char *what, uint8_t mac[6])
{
	const char *s;
	char q[72];
	int i;

	if (!ld_is_scalar(n) || ld_slen(n) != 17)
		goto bad;
	s = ld_sval(n);
	for (i = 0; i < 6; i++) {
		int hi = hex_digit(s[3 * i]), lo = hex_digit(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			goto bad;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
bad:
	if (!ld_is_scalar(n))
		return ld_fail(c, n, "%s must be a MAC address like 01:00:5e:0a:03:01, got %s",
			       what, ld_kind(n));
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

int
ld_is_nation_code(const yaml_node_t *n)
{
	const unsigned char *s = (const unsigned char *)ld_sval(n);

	return ld_slen(n) == 3 && is_upper(s[0]) && is_upper(s[1]) && is_upper(s[2]);
}

int
ld_name_in_class(const yaml_node_t *n, enum name_class nc)
{
	const unsigned char *s = (const unsigned char *)ld_sval(n);
	size_t i;

	if (ld_slen(n) == 0 || ld_slen(n) >= INSP_NAME_MAX)
		return 0;
	for (i = 0; i < ld_slen(n); i++) {
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
		case NC_REVIEWER:
			ok = ok || is_lower(ch) || ch == '-' || ch == '.';
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
int
ld_get_label_name(struct ld *c, const yaml_node_t *n, const char *noun, const char *where,
		  char *out)
{
	char what[LD_WHAT_MAX], q[72];
	const char *s;
	size_t i;

	if (snprintf(what, sizeof(what), "%s%s", noun, where) < 0)
		what[0] = '\0';
	if (ld_get_string(c, n, what, INSP_NAME_MAX - 1) < 0)
		return -1;
	s = ld_sval(n);
	for (i = 0; i < ld_slen(n); i++) {
		if (s[i] == ' ' && (i == 0 || i + 1 == ld_slen(n) || s[i + 1] == ' '))
			return ld_fail(c, n,
				       "%s '%s'%s has a leading, trailing or double space (labels "
				       "compare with spaces collapsed)",
				       noun, Q(n, q), where);
	}
	ld_copy_str(out, n);
	return 0;
}

int
ld_ascii_ieq(const char *a, size_t alen, const char *b, size_t blen)
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
void
ld_yaml_error(struct ld *c, const yaml_parser_t *ps, const char *text, size_t len)
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

/*
 * Walk the event stream once and refuse nesting deeper than PC_MAX_DEPTH before building
 * the document: a policy needs five levels, and libyaml's document loader takes time that
 * grows with the square of the depth (200,000 levels: 82 s). Stops at the first level too
 * many, so a hostile file costs microseconds. Syntax errors are left to the real load,
 * which reports them the same way.
 */
int
ld_yaml_check_depth(struct ld *c, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, rc = 0;

	if (!yaml_parser_initialize(&parser))
		return ld_fail_at(c, 0, 0, "out of memory while parsing YAML");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		yaml_event_type_t type;

		if (!yaml_parser_parse(&parser, &ev))
			break; /* the document load reports it */
		type = ev.type;
		if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
			if (++depth > PC_MAX_DEPTH) {
				rc = ld_fail_at(c, ev.start_mark.line + 1, ev.start_mark.column + 1,
						"nesting deeper than %d levels (a policy needs at "
						"most five)",
						PC_MAX_DEPTH);
				yaml_event_delete(&ev);
				break;
			}
		} else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}
