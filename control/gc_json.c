/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Streaming JSON writer (see gc_json.h). The only subtle part is the string escaper:
 * message uids, details and file names are arbitrary bytes as far as guardctl knows
 * (a uid truncated to INSP_UID_MAX may end in half a UTF-8 sequence), and the output
 * must parse anyway.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "gc_json.h"
#include "gc_utf8.h"

static const char hex[] = "0123456789abcdef";

static void
put_u_escape(FILE *f, uint32_t cp)
{
	fputs("\\u", f);
	fputc(hex[(cp >> 12) & 0xF], f);
	fputc(hex[(cp >> 8) & 0xF], f);
	fputc(hex[(cp >> 4) & 0xF], f);
	fputc(hex[cp & 0xF], f);
}

void
gc_json_write_string(FILE *f, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	fputc('"', f);
	while (i < len) {
		uint32_t cp;
		size_t n, run = 0;

		/* the common case, printable ASCII that needs no escape, in one write */
		while (i + run < len && s[i + run] >= 0x20 && s[i + run] < 0x7F &&
		       s[i + run] != '"' && s[i + run] != '\\')
			run++;
		if (run != 0) {
			fwrite(s + i, 1, run, f);
			i += run;
			continue;
		}
		n = gc_utf8_seq(s + i, len - i, &cp);

		if (n == 0) {
			put_u_escape(f, 0xFFFD);
			i++;
			continue;
		}
		switch (cp) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029)
				put_u_escape(f, cp);
			else
				fwrite(s + i, 1, n, f);
		}
		i += n;
	}
	fputc('"', f);
}

void
gc_json_init(struct gc_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->need_comma[0] = false;
}

/* Comma and key before a value. */
static void
prefix(struct gc_json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
	if (key != NULL) {
		gc_json_write_string(j->f, key, strlen(key));
		fputc(':', j->f);
	}
}

static void
begin(struct gc_json *j, const char *key, char open)
{
	prefix(j, key);
	fputc(open, j->f);
	/* deeper nesting is a programming error; stay valid by sharing the last level */
	if (j->depth < GC_JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void
end(struct gc_json *j, char close)
{
	fputc(close, j->f);
	if (j->depth > 0)
		j->depth--;
}

void
gc_json_begin_object(struct gc_json *j, const char *key)
{
	begin(j, key, '{');
}

void
gc_json_end_object(struct gc_json *j)
{
	end(j, '}');
}

void
gc_json_begin_array(struct gc_json *j, const char *key)
{
	begin(j, key, '[');
}

void
gc_json_end_array(struct gc_json *j)
{
	end(j, ']');
}

void
gc_json_strn(struct gc_json *j, const char *key, const char *s, size_t len)
{
	prefix(j, key);
	gc_json_write_string(j->f, s, len);
}

void
gc_json_str(struct gc_json *j, const char *key, const char *s)
{
	gc_json_strn(j, key, s, strlen(s));
}

void
gc_json_str_or_null(struct gc_json *j, const char *key, const char *s)
{
	if (s == NULL || s[0] == '\0')
		gc_json_null(j, key);
	else
		gc_json_str(j, key, s);
}

void
gc_json_uint(struct gc_json *j, const char *key, uint64_t v)
{
	prefix(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void
gc_json_int(struct gc_json *j, const char *key, int64_t v)
{
	prefix(j, key);
	fprintf(j->f, "%" PRId64, v);
}

void
gc_json_double(struct gc_json *j, const char *key, double v)
{
	if (!isfinite(v)) {
		gc_json_null(j, key);
		return;
	}
	prefix(j, key);
	fprintf(j->f, "%.6f", v);
}

void
gc_json_bool(struct gc_json *j, const char *key, bool v)
{
	prefix(j, key);
	fputs(v ? "true" : "false", j->f);
}

void
gc_json_null(struct gc_json *j, const char *key)
{
	prefix(j, key);
	fputs("null", j->f);
}

void
gc_json_finish(struct gc_json *j)
{
	fputc('\n', j->f);
	j->depth = 0;
	j->need_comma[0] = false;
}

void
gc_json_raw(struct gc_json *j, const char *key, const char *json)
{
	prefix(j, key);
	fputs(json, j->f);
}
