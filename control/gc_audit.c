/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `guardctl audit verify` and `guardctl audit tail`: the audit log (GUARD-SPEC 8) from the
 * operator's side, offline: both read the log files, neither needs guard-control.
 *
 * verify is the hash-chain check of control/audit (au_verify_files()); this file only turns
 * its result into a line for people or a JSON object for scripts.
 *
 * tail reads a file an attacker may have edited, so it trusts nothing in it: it seeks back
 * from the end (a log of any size costs the same), reads each line with a bound, and
 * extracts the table's fields with a small strict parser of one flat JSON object (strings
 * with escapes, numbers, literals; nested values are skipped with a bounded depth). A line
 * that is not such an object is shown as a row that says so, never as a record.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "au_chain.h"
#include "gc_cmd.h"
#include "gc_json.h"
#include "gc_out.h"

#define TAIL_DEFAULT 20
#define TAIL_MAX     1000000000u
#define READ_CHUNK   (64 * 1024)
#define NEST_MAX     32 /* nesting a skipped value may have */
#define KEY_MAX	     32 /* longer keys are none of the table's */

const char gc_audit_help[] =
	"usage: guardctl audit verify [--after HEX | --any-start] [--head HEX] [--json]\n"
	"                             FILE...\n"
	"       guardctl audit tail [-n N] [--json] FILE\n"
	"\n"
	"The audit log guard-control writes is a hash chain of JSON Lines: each line holds\n"
	"its seq and the SHA-256 of the line before it (docs/guardctl.md, \"audit\").\n"
	"\n"
	"verify  check the chain through FILE..., given oldest first (a rotated file goes on\n"
	"        from the file before it): every line a record, seq consecutive, each prev\n"
	"        the hash of the line before. Prints the records, their seq range and the\n"
	"        head (the hash of the last line), or the first problem as FILE:LINE: what\n"
	"        happened there (modified, removed, inserted, reordered, cut short).\n"
	"tail    the last N records of FILE as a table: seq, time, type, channel, decision\n"
	"        (a command's result, a control record's event), reason, rule, uid, detail;\n"
	"        '-' for a field the record does not have. Reads from the end of the file.\n"
	"\n"
	"  --after HEX     verify: the first line's prev must be HEX (the head of the file\n"
	"                  before the first FILE, kept elsewhere); default: the first line\n"
	"                  must start the chain (seq 1, prev all zeros)\n"
	"  --any-start     verify: accept any prev on the first line (check only the\n"
	"                  records given, from wherever they start)\n"
	"  --head HEX      verify: the last line must hash to HEX, the head guard-control\n"
	"                  published: without it, removing the last records goes unseen\n"
	"  -n, --lines N   tail: how many records (default 20)\n"
	"  --json          verify: one JSON object; tail: the last lines as they are\n"
	"  -h, --help      this text\n"
	"\n"
	"Exit status: verify 0 chain intact, 1 chain broken (the first problem printed as\n"
	"FILE:LINE: what), 2 usage error or a file that cannot be read (not a regular\n"
	"file, say); tail 0 shown, 2 usage error or unreadable file.\n";

static const char verify_cmd[] = "audit verify";
static const char tail_cmd[] = "audit tail";

/* Open @p path for reading if it is a regular file: a FIFO must not hang us. -1: reported. */
static int
open_regular(const char *cmd, const char *path, struct stat *st)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		gc_err(cmd, "%s: cannot open it: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0) {
		gc_err(cmd, "%s: cannot stat it: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		gc_err(cmd, "%s: %s", path,
		       S_ISDIR(st->st_mode) ? "it is a directory, not an audit log"
					    : "not a regular file (a FIFO, socket or device): "
					      "refusing to read it");
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- verify ---- */

enum {
	OPT_AFTER = 256,
	OPT_ANY_START,
	OPT_HEAD,
	OPT_JSON,
};

/* "--head HEX": exactly 64 hex digits. */
static int
parse_hash(const char *s, uint8_t hash[AU_HASH_LEN])
{
	return strlen(s) == AU_HEX_LEN && au_unhex(s, hash) == 0 ? 0 : -1;
}

static void
verify_json(char **paths, unsigned int n, const struct au_verify_result *r, int rc, bool head_given,
	    const char *start, int status)
{
	char hex[AU_HEX_LEN + 1];
	struct gc_json j;

	gc_json_init(&j, stdout);
	gc_json_begin_object(&j, NULL);
	gc_json_begin_array(&j, "files");
	for (unsigned int i = 0; i < n; i++)
		gc_json_str(&j, NULL, paths[i]);
	gc_json_end_array(&j);
	gc_json_bool(&j, "intact", rc == 0);
	gc_json_uint(&j, "records", r->lines);
	if (r->lines > 0) {
		gc_json_uint(&j, "first_seq", r->first_seq);
		gc_json_uint(&j, "last_seq", r->last_seq);
		/* a head is something to publish only when the chain up to it is intact */
		au_hex(r->head, hex);
		gc_json_str_or_null(&j, "head", rc == 0 ? hex : NULL);
	} else {
		gc_json_null(&j, "first_seq");
		gc_json_null(&j, "last_seq");
		gc_json_null(&j, "head");
	}
	gc_json_str(&j, "start", start);
	gc_json_bool(&j, "head_checked", head_given);
	gc_json_str_or_null(&j, "where", rc != 0 ? r->where : NULL);
	gc_json_str_or_null(&j, "problem", rc == 1 ? r->what : NULL);
	gc_json_str_or_null(&j, "error", rc < 0 ? r->what : NULL);
	gc_json_int(&j, "exit_status", status);
	gc_json_end_object(&j);
	gc_json_finish(&j);
}

static void
verify_text(char **paths, unsigned int n, const struct au_verify_result *r, bool any_start)
{
	char hex[AU_HEX_LEN + 1];

	for (unsigned int i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", stdout);
		gc_text_put(stdout, paths[i], 0);
	}
	if (r->lines == 0) {
		fputs(": 0 records: chain intact (empty)\n", stdout);
		return;
	}
	au_hex(r->head, hex);
	printf(": %" PRIu64 " record%s, seq %" PRIu64 "..%" PRIu64 ", head %s: chain intact%s\n",
	       r->lines, r->lines == 1 ? "" : "s", r->first_seq, r->last_seq, hex,
	       any_start ? " (where it starts was not checked: --any-start)" : "");
}

static int
audit_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"after", required_argument, NULL, OPT_AFTER},
		{"any-start", no_argument, NULL, OPT_ANY_START},
		{"head", required_argument, NULL, OPT_HEAD},
		{"json", no_argument, NULL, OPT_JSON},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	uint8_t after[AU_HASH_LEN], head[AU_HASH_LEN];
	bool after_set = false, head_set = false, any_start = false, json = false;
	struct au_verify_result *r;
	const char *start;
	unsigned int n;
	int opt, rc, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_AFTER:
			if (parse_hash(optarg, after) != 0)
				return gc_usage_error(verify_cmd, gc_audit_help,
						      "--after '%s': want a SHA-256, 64 hex digits",
						      optarg);
			after_set = true;
			break;
		case OPT_ANY_START:
			any_start = true;
			break;
		case OPT_HEAD:
			if (parse_hash(optarg, head) != 0)
				return gc_usage_error(verify_cmd, gc_audit_help,
						      "--head '%s': want a SHA-256, 64 hex digits",
						      optarg);
			head_set = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(gc_audit_help, stdout);
			return gc_out_flush(verify_cmd) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
		default:
			return gc_option_error(verify_cmd, gc_audit_help, opt, argv);
		}
	}
	if (after_set && any_start)
		return gc_usage_error(verify_cmd, gc_audit_help,
				      "--after and --any-start do not go together (--after says "
				      "where the chain starts, --any-start that it may start "
				      "anywhere)");
	if (optind >= argc)
		return gc_usage_error(verify_cmd, gc_audit_help,
				      "at least one FILE expected (the log, and the files "
				      "rotated before it, oldest first)");
	n = (unsigned int)(argc - optind);
	start = any_start ? "any" : after_set ? "after" : "genesis";
	r = malloc(sizeof(*r));
	if (r == NULL) {
		gc_err(verify_cmd, "out of memory");
		return GC_EXIT_ERROR;
	}
	rc = au_verify_files((const char *const *)(argv + optind), n, after_set ? after : NULL,
			     any_start, head_set ? head : NULL, r);
	status = rc == 0 ? GC_EXIT_OK : rc == 1 ? GC_EXIT_NOT_OK : GC_EXIT_ERROR;
	if (rc < 0)
		gc_err(verify_cmd, "%s: %s", r->where, r->what);
	if (json) {
		verify_json(argv + optind, n, r, rc, head_set, start, status);
	} else if (rc == 0) {
		verify_text(argv + optind, n, r, any_start);
	} else if (rc == 1) {
		gc_text_put(stdout, r->where, 0);
		fputs(": ", stdout);
		gc_text_put(stdout, r->what, 0);
		fputc('\n', stdout);
	}
	free(r);
	if (gc_out_flush(verify_cmd) != 0)
		return GC_EXIT_ERROR;
	return status;
}

/* ---- one flat JSON object: the fields of the table ---- */

enum field {
	F_SEQ,
	F_TIME,
	F_TYPE,
	F_CHANNEL,
	F_DECISION,
	F_REASON,
	F_RULE,
	F_UID,
	F_DETAIL,
	F_RESULT,
	F_EVENT,
	F_COMMAND,
	F_COUNT,
};

static const char *const field_key[F_COUNT] = {
	"seq",	"time", "type",	  "channel", "decision", "reason",
	"rule", "uid",	"detail", "result",  "event",	 "command",
};

struct rec {
	const char *val[F_COUNT]; /**< NUL-terminated text, or NULL: absent or null */
	bool seen[F_COUNT];
	char *arena; /**< values: at most the line's length, plus the literals' */
	size_t used, cap;
	const char *why; /**< why the line is not one flat object */
	size_t at;	 /**< where (byte offset in the line) */
};

struct jp {
	const unsigned char *s;
	size_t len, i;
	struct rec *r;
};

static int
jp_fail(struct jp *p, const char *why)
{
	p->r->why = why;
	p->r->at = p->i;
	return -1;
}

static void
jp_ws(struct jp *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\r' ||
				 p->s[p->i] == '\n'))
		p->i++;
}

/* Append @p n bytes to @p out (room @p room, count *@p o); past room only *trunc is set. */
static void
emit(char *out, size_t room, size_t *o, bool *trunc, const char *b, size_t n)
{
	if (out == NULL)
		return;
	if (*o + n > room) {
		*trunc = true;
		return;
	}
	memcpy(out + *o, b, n);
	*o += n;
}

static int
hex4(const unsigned char *s, uint32_t *v)
{
	*v = 0;
	for (int k = 0; k < 4; k++) {
		unsigned char c = s[k];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10u;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10u;
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

static size_t
utf8_put(uint32_t cp, char b[4])
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | cp >> 18);
	b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A \u escape at p->i (after the 'u'): its code point; lone surrogates and U+0000 (which
 * would end the C string a table cell is) become U+FFFD. */
static int
unicode_escape(struct jp *p, uint32_t *cp)
{
	uint32_t v, lo;

	if (p->len - p->i < 4 || hex4(p->s + p->i, &v) != 0)
		return jp_fail(p, "\\u is not followed by 4 hex digits");
	p->i += 4;
	if (v >= 0xD800 && v <= 0xDBFF && p->len - p->i >= 6 && p->s[p->i] == '\\' &&
	    p->s[p->i + 1] == 'u' && hex4(p->s + p->i + 2, &lo) == 0 && lo >= 0xDC00 &&
	    lo <= 0xDFFF) {
		p->i += 6;
		*cp = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
		return 0;
	}
	*cp = (v == 0 || (v >= 0xD800 && v <= 0xDFFF)) ? 0xFFFD : v;
	return 0;
}

/*
 * A string at p->i, unescaped into @p out (NULL: only checked) of @p room bytes; its
 * length in *@p n, *@p trunc set if it did not fit.
 */
static int
jp_string(struct jp *p, char *out, size_t room, size_t *n, bool *trunc)
{
	*n = 0;
	*trunc = false;
	if (p->i >= p->len || p->s[p->i] != '"')
		return jp_fail(p, "a string expected");
	p->i++;
	for (;;) {
		unsigned char c;
		char b[4];

		if (p->i >= p->len)
			return jp_fail(p, "unterminated string");
		c = p->s[p->i];
		if (c == '"') {
			p->i++;
			return 0;
		}
		if (c < 0x20)
			return jp_fail(p, "a control character in a string");
		if (c != '\\') {
			b[0] = (char)c;
			emit(out, room, n, trunc, b, 1);
			p->i++;
			continue;
		}
		if (++p->i >= p->len)
			return jp_fail(p, "unterminated string");
		c = p->s[p->i++];
		switch (c) {
		case '"':
		case '\\':
		case '/':
			b[0] = (char)c;
			break;
		case 'b':
			b[0] = '\b';
			break;
		case 'f':
			b[0] = '\f';
			break;
		case 'n':
			b[0] = '\n';
			break;
		case 'r':
			b[0] = '\r';
			break;
		case 't':
			b[0] = '\t';
			break;
		case 'u': {
			uint32_t cp;

			if (unicode_escape(p, &cp) != 0)
				return -1;
			emit(out, room, n, trunc, b, utf8_put(cp, b));
			continue;
		}
		default:
			p->i--;
			return jp_fail(p, "an unknown escape in a string");
		}
		emit(out, room, n, trunc, b, 1);
	}
}

static bool
is_digit(const struct jp *p)
{
	return p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9';
}

/* A number at p->i (RFC 8259 grammar). */
static int
jp_number(struct jp *p)
{
	if (p->i < p->len && p->s[p->i] == '-')
		p->i++;
	if (!is_digit(p))
		return jp_fail(p, "a malformed number");
	if (p->s[p->i] == '0')
		p->i++;
	else
		while (is_digit(p))
			p->i++;
	if (p->i < p->len && p->s[p->i] == '.') {
		p->i++;
		if (!is_digit(p))
			return jp_fail(p, "a malformed number");
		while (is_digit(p))
			p->i++;
	}
	if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (!is_digit(p))
			return jp_fail(p, "a malformed number");
		while (is_digit(p))
			p->i++;
	}
	return 0;
}

/* A nested object or array at p->i, skipped: brackets matched, strings checked. */
static int
jp_skip_nested(struct jp *p)
{
	char close[NEST_MAX];
	unsigned depth = 0;

	for (;;) {
		unsigned char c;
		size_t n;
		bool trunc;

		if (p->i >= p->len)
			return jp_fail(p, "an unterminated object or array");
		c = p->s[p->i];
		if (c == '"') {
			if (jp_string(p, NULL, 0, &n, &trunc) != 0)
				return -1;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == NEST_MAX)
				return jp_fail(p, "values nested too deep (more than 32 levels)");
			close[depth++] = c == '{' ? '}' : ']';
		} else if (c == '}' || c == ']') {
			if (depth == 0 || close[depth - 1] != (char)c)
				return jp_fail(p, "a bracket that closes nothing");
			if (--depth == 0) {
				p->i++;
				return 0;
			}
		} else if (c < 0x20 && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
			return jp_fail(p, "a control character");
		}
		p->i++;
	}
}

/* Copy @p n bytes of text into the arena as field @p f. */
static int
keep(struct jp *p, int f, const char *b, size_t n)
{
	struct rec *r = p->r;

	if (f < 0)
		return 0;
	if (n + 1 > r->cap - r->used)
		return jp_fail(p, "the record is too long");
	memcpy(r->arena + r->used, b, n);
	r->arena[r->used + n] = '\0';
	r->val[f] = r->arena + r->used;
	r->used += n + 1;
	return 0;
}

static bool
literal(struct jp *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->i < n || memcmp(p->s + p->i, word, n) != 0)
		return false;
	p->i += n;
	return true;
}

/* A member's value at p->i; kept as field @p f (-1: not a field of the table). */
static int
jp_value(struct jp *p, int f)
{
	struct rec *r = p->r;
	size_t at, n;
	bool trunc;

	jp_ws(p);
	if (p->i >= p->len)
		return jp_fail(p, "a value expected");
	at = p->i;
	switch (p->s[p->i]) {
	case '"':
		if (f < 0)
			return jp_string(p, NULL, 0, &n, &trunc);
		if (r->used >= r->cap)
			return jp_fail(p, "the record is too long");
		if (jp_string(p, r->arena + r->used, r->cap - r->used - 1, &n, &trunc) != 0)
			return -1;
		if (trunc)
			return jp_fail(p, "the record is too long");
		r->arena[r->used + n] = '\0';
		r->val[f] = r->arena + r->used;
		r->used += n + 1;
		return 0;
	case '{':
		return jp_skip_nested(p) != 0 ? -1 : keep(p, f, "(object)", 8);
	case '[':
		return jp_skip_nested(p) != 0 ? -1 : keep(p, f, "(array)", 7);
	case 't':
		if (literal(p, "true"))
			return keep(p, f, "true", 4);
		break;
	case 'f':
		if (literal(p, "false"))
			return keep(p, f, "false", 5);
		break;
	case 'n':
		if (literal(p, "null"))
			return 0; /* shown as absent */
		break;
	default:
		if (p->s[p->i] == '-' || (p->s[p->i] >= '0' && p->s[p->i] <= '9')) {
			if (jp_number(p) != 0)
				return -1;
			return keep(p, f, (const char *)p->s + at, p->i - at);
		}
	}
	return jp_fail(p, "not a JSON value");
}

/* Parse @p line as one flat JSON object and keep the table's fields. 0 or -1 (r->why). */
static int
rec_parse(struct rec *r, const char *line, size_t len)
{
	struct jp p = {.s = (const unsigned char *)line, .len = len, .r = r};

	memset(r->val, 0, sizeof(r->val));
	memset(r->seen, 0, sizeof(r->seen));
	r->used = 0;
	r->why = NULL;
	jp_ws(&p);
	if (p.i >= p.len || p.s[p.i] != '{')
		return jp_fail(&p, "not a JSON object");
	p.i++;
	jp_ws(&p);
	if (p.i < p.len && p.s[p.i] == '}') {
		p.i++;
	} else {
		for (;;) {
			char key[KEY_MAX + 1];
			size_t n;
			bool trunc;
			int f = -1;

			jp_ws(&p);
			if (jp_string(&p, key, KEY_MAX, &n, &trunc) != 0)
				return -1;
			key[n] = '\0';
			for (int k = 0; k < F_COUNT && !trunc; k++)
				if (strlen(field_key[k]) == n && memcmp(key, field_key[k], n) == 0)
					f = k;
			if (f >= 0 && r->seen[f])
				return jp_fail(&p, "a key that appears twice");
			if (f >= 0)
				r->seen[f] = true;
			jp_ws(&p);
			if (p.i >= p.len || p.s[p.i] != ':')
				return jp_fail(&p, "':' expected after a key");
			p.i++;
			if (jp_value(&p, f) != 0)
				return -1;
			jp_ws(&p);
			if (p.i < p.len && p.s[p.i] == ',') {
				p.i++;
				continue;
			}
			if (p.i < p.len && p.s[p.i] == '}') {
				p.i++;
				break;
			}
			return jp_fail(&p, "',' or '}' expected");
		}
	}
	jp_ws(&p);
	if (p.i != p.len)
		return jp_fail(&p, "text after the object");
	return 0;
}

/* ---- tail ---- */

/* A bounded line reader over the byte range [pos, end) of a file (pread: no seeking). */
struct range_reader {
	int fd;
	off_t pos, end;
	char *buf;
	size_t cap, start, fill;
	bool skipping; /* inside a line longer than AU_LINE_MAX */
};

enum {
	RR_LINE,
	RR_PARTIAL,  /* the range ended without '\n' (the file shrank) */
	RR_TOO_LONG, /* skipped */
	RR_EOF,
	RR_ERROR,
};

static int
rr_next(struct range_reader *r, const char **line, size_t *len)
{
	for (;;) {
		size_t avail = r->fill - r->start, want;
		const char *nl = memchr(r->buf + r->start, '\n', avail);
		ssize_t n;

		if (nl != NULL) {
			size_t l = (size_t)(nl - (r->buf + r->start));

			*line = r->buf + r->start;
			*len = l;
			r->start += l + 1;
			if (r->skipping || l > AU_LINE_MAX) {
				r->skipping = false;
				return RR_TOO_LONG;
			}
			return RR_LINE;
		}
		if (r->skipping || avail > AU_LINE_MAX) {
			r->skipping = true;
			r->start = r->fill = 0;
			avail = 0;
		} else if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, avail);
			r->start = 0;
			r->fill = avail;
		}
		if (r->pos >= r->end) {
			if (r->skipping) {
				r->skipping = false;
				return RR_TOO_LONG;
			}
			if (avail == 0)
				return RR_EOF;
			*line = r->buf + r->start;
			*len = avail;
			r->start = r->fill;
			return RR_PARTIAL;
		}
		want = r->cap - r->fill;
		if ((uintmax_t)(r->end - r->pos) < want)
			want = (size_t)(r->end - r->pos);
		n = pread(r->fd, r->buf + r->fill, want, r->pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return RR_ERROR;
		if (n == 0)
			r->end = r->pos; /* the file shrank */
		r->pos += n;
		r->fill += (size_t)n;
	}
}

enum { C_SEQ, C_TIME, C_TYPE, C_CHANNEL, C_DECISION, C_REASON, C_RULE, C_UID, C_DETAIL, C_N };

static const char *const col_name[C_N] = {"SEQ",    "TIME", "TYPE", "CHANNEL", "DECISION",
					  "REASON", "RULE", "UID",  "DETAIL"};

/* Everything one table pass needs. */
struct tail_table {
	struct range_reader rr;
	struct rec rec;
	char *detail; /* a command's "COMMAND: DETAIL", or why a line is no record */
	size_t detail_cap;
	char seq[24];
	const char *cell[C_N];
	size_t width[C_N];
};

static bool
is_type(const struct rec *r, const char *type)
{
	return r->val[F_TYPE] != NULL && strcmp(r->val[F_TYPE], type) == 0;
}

/* The cells of one line. */
static void
row_cells(struct tail_table *t, int kind, const char *line, size_t len)
{
	struct rec *r = &t->rec;
	uint8_t prev[AU_HASH_LEN];
	uint64_t seq;

	memset(t->cell, 0, sizeof(t->cell));
	if (kind == RR_TOO_LONG) {
		snprintf(t->detail, t->detail_cap, "(not an audit record: longer than %d bytes)",
			 AU_LINE_MAX);
		t->cell[C_DETAIL] = t->detail;
		return;
	}
	if (rec_parse(r, line, len) != 0) {
		/* the seq of what looks like a record still helps to find the line */
		if (au_line_parse_prefix(line, len, &seq, prev) >= 0) {
			snprintf(t->seq, sizeof(t->seq), "%" PRIu64, seq);
			t->cell[C_SEQ] = t->seq;
		}
		snprintf(t->detail, t->detail_cap, "(not an audit record: %s at byte %zu%s)",
			 r->why, r->at, kind == RR_PARTIAL ? ", incomplete line" : "");
		t->cell[C_DETAIL] = t->detail;
		return;
	}
	t->cell[C_SEQ] = r->val[F_SEQ];
	t->cell[C_TIME] = r->val[F_TIME];
	t->cell[C_TYPE] = r->val[F_TYPE];
	t->cell[C_CHANNEL] = r->val[F_CHANNEL];
	t->cell[C_DECISION] = r->val[F_DECISION] != NULL ? r->val[F_DECISION]
			      : r->val[F_RESULT] != NULL ? r->val[F_RESULT]
							 : r->val[F_EVENT];
	t->cell[C_REASON] = r->val[F_REASON];
	t->cell[C_RULE] = r->val[F_RULE];
	t->cell[C_UID] = r->val[F_UID];
	t->cell[C_DETAIL] = r->val[F_DETAIL];
	if (is_type(r, "command") && r->val[F_COMMAND] != NULL) {
		snprintf(t->detail, t->detail_cap, "%s%s%s", r->val[F_COMMAND],
			 r->val[F_DETAIL] != NULL ? ": " : "",
			 r->val[F_DETAIL] != NULL ? r->val[F_DETAIL] : "");
		t->cell[C_DETAIL] = t->detail;
	}
}

static void
print_row(const struct tail_table *t, const char *const *cells)
{
	for (int c = 0; c < C_N; c++) {
		gc_text_put(stdout, cells[c], c == C_DETAIL ? 0 : t->width[c]);
		if (c != C_DETAIL)
			fputs("  ", stdout);
	}
	fputc('\n', stdout);
}

/* One pass over [start, end): widths (print false) or the rows (print true). 0 or -1. */
static int
table_pass(struct tail_table *t, const char *path, off_t start, off_t end, bool print)
{
	t->rr.pos = start;
	t->rr.end = end;
	t->rr.start = t->rr.fill = 0;
	t->rr.skipping = false;
	for (;;) {
		const char *line = NULL;
		size_t len = 0;
		int k = rr_next(&t->rr, &line, &len);

		if (k == RR_EOF)
			return 0;
		if (k == RR_ERROR) {
			gc_err(tail_cmd, "%s: cannot read it: %s", path, strerror(errno));
			return -1;
		}
		row_cells(t, k, line, len);
		if (print) {
			print_row(t, t->cell);
			continue;
		}
		for (int c = 0; c < C_DETAIL; c++) {
			size_t w = gc_text_width(t->cell[c]);

			if (w > t->width[c])
				t->width[c] = w;
		}
	}
}

static int
tail_table(int fd, const char *path, off_t start, off_t end)
{
	struct tail_table *t = calloc(1, sizeof(*t));
	int rc = -1;

	if (t == NULL) {
		gc_err(tail_cmd, "out of memory");
		return -1;
	}
	t->rr.fd = fd;
	t->rr.cap = (size_t)AU_LINE_MAX + 1 + READ_CHUNK;
	t->rec.cap = (size_t)AU_LINE_MAX + 256;
	t->detail_cap = 2 * (size_t)AU_LINE_MAX + 256;
	t->rr.buf = malloc(t->rr.cap);
	t->rec.arena = malloc(t->rec.cap);
	t->detail = malloc(t->detail_cap);
	if (t->rr.buf == NULL || t->rec.arena == NULL || t->detail == NULL) {
		gc_err(tail_cmd, "out of memory");
		goto out;
	}
	for (int c = 0; c < C_N; c++)
		t->width[c] = strlen(col_name[c]);
	if (table_pass(t, path, start, end, false) != 0)
		goto out;
	print_row(t, col_name);
	if (table_pass(t, path, start, end, true) != 0)
		goto out;
	rc = 0;
out:
	free(t->rr.buf);
	free(t->rec.arena);
	free(t->detail);
	free(t);
	return rc;
}

/* Copy [start, end) of the file to stdout as it is. */
static int
tail_raw(int fd, const char *path, off_t start, off_t end)
{
	char *buf = malloc(READ_CHUNK);

	if (buf == NULL) {
		gc_err(tail_cmd, "out of memory");
		return -1;
	}
	while (start < end) {
		size_t want =
			(uintmax_t)(end - start) < READ_CHUNK ? (size_t)(end - start) : READ_CHUNK;
		ssize_t n = pread(fd, buf, want, start);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			gc_err(tail_cmd, "%s: cannot read it: %s", path, strerror(errno));
			free(buf);
			return -1;
		}
		if (n == 0)
			break; /* the file shrank */
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break; /* reported by gc_out_flush */
		start += n;
	}
	free(buf);
	return 0;
}

/*
 * The last @p n complete lines of a @p size-byte file: they are [*start, *end); the bytes
 * after *end are an incomplete line. Reads backwards from the end, one chunk at a time.
 */
static int
tail_range(int fd, const char *path, off_t size, uint64_t n, off_t *start, off_t *end)
{
	char *buf = malloc(READ_CHUNK);
	off_t hi = size;
	uint64_t found = 0;
	bool have_end = false;

	*start = *end = 0;
	if (buf == NULL) {
		gc_err(tail_cmd, "out of memory");
		return -1;
	}
	while (hi > 0) {
		size_t len = (uintmax_t)hi < READ_CHUNK ? (size_t)hi : READ_CHUNK;
		off_t lo = hi - (off_t)len;
		size_t k = len;

		if (au_pread_all(fd, buf, len, lo) != 0) {
			gc_err(tail_cmd, "%s: cannot read it: %s", path,
			       errno != 0 ? strerror(errno) : "it shrank while being read");
			free(buf);
			return -1;
		}
		for (const char *nl; k > 0 && (nl = memrchr(buf, '\n', k)) != NULL;) {
			k = (size_t)(nl - buf);
			if (!have_end) {
				have_end = true;
				*end = lo + (off_t)k + 1;
			} else if (++found == n) {
				*start = lo + (off_t)k + 1;
				free(buf);
				return 0;
			}
		}
		hi = lo;
	}
	free(buf);
	return 0; /* fewer than n lines: from the start of the file */
}

static int
parse_count(const char *s, uint64_t *n)
{
	uint64_t v = 0;

	if (s[0] < '1' || s[0] > '9')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > TAIL_MAX)
			return -1;
	}
	*n = v;
	return 0;
}

static int
audit_tail(int argc, char **argv)
{
	static const struct option opts[] = {
		{"lines", required_argument, NULL, 'n'},
		{"json", no_argument, NULL, OPT_JSON},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	uint64_t n = TAIL_DEFAULT;
	bool json = false;
	off_t start, end;
	const char *path;
	struct stat st;
	int opt, fd, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hn:", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (parse_count(optarg, &n) != 0)
				return gc_usage_error(tail_cmd, gc_audit_help,
						      "-n '%s': want a number of records, 1..%u",
						      optarg, TAIL_MAX);
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(gc_audit_help, stdout);
			return gc_out_flush(tail_cmd) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
		default:
			return gc_option_error(tail_cmd, gc_audit_help, opt, argv);
		}
	}
	if (argc - optind != 1)
		return gc_usage_error(tail_cmd, gc_audit_help, "exactly one FILE expected, got %d",
				      argc - optind);
	path = argv[optind];
	fd = open_regular(tail_cmd, path, &st);
	if (fd < 0)
		return GC_EXIT_ERROR;
	rc = tail_range(fd, path, st.st_size, n, &start, &end);
	if (rc == 0 && end < st.st_size)
		gc_err(tail_cmd,
		       "%s: the last %jd bytes are an incomplete line (a record being written, "
		       "or cut short): not shown",
		       path, (intmax_t)(st.st_size - end));
	if (rc == 0)
		rc = json ? tail_raw(fd, path, start, end) : tail_table(fd, path, start, end);
	if (close(fd) != 0 && rc == 0) {
		gc_err(tail_cmd, "%s: cannot close it: %s", path, strerror(errno));
		rc = -1;
	}
	if (gc_out_flush(tail_cmd) != 0)
		return GC_EXIT_ERROR;
	return rc == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
}

int
gc_cmd_audit(int argc, char **argv)
{
	if (argc < 2)
		return gc_usage_error("audit", gc_audit_help,
				      "a subcommand is required (verify, tail)");
	if (strcmp(argv[1], "verify") == 0)
		return audit_verify(argc - 1, argv + 1);
	if (strcmp(argv[1], "tail") == 0)
		return audit_tail(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(gc_audit_help, stdout);
		return gc_out_flush("audit") == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
	}
	return gc_usage_error("audit", gc_audit_help,
			      "unknown subcommand '%s' (known: verify, tail)", argv[1]);
}
