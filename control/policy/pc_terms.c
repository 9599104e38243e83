/* SPDX-License-Identifier: BSD-3-Clause */
#include "pc_internal.h"

/* ---- term files ---- */

enum { F_PATH, F_FIRST_ID, F_ACTION, F_CHANNELS, F_REGEX, F_CASELESS, F_COUNT };
static const char *const term_file_keys[F_COUNT] = {
	"path", "first_id", "action", "channels", "regex", "caseless",
};

int
ld_next_line(struct line_iter *li, const char **s, size_t *n)
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
int
ld_is_term_line(const char *s, size_t n)
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
int
ld_load_term_file(struct ld *c, struct term_file *tf, const yaml_node_t *map, int index)
{
	yaml_node_t *f[F_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX], why[256];
	struct line_iter li;
	const char *s;
	size_t n, dir;
	int64_t mtime;
	uint8_t flag = 1;
	int rc;

	ld_item_what(c, what, sizeof(what), "term file", map, "path", 1, index);
	if (ld_get_fields(c, map, what, term_file_keys, F_COUNT, f) < 0)
		return -1;
	tf->map = map;
	if (f[F_PATH] == NULL)
		return ld_missing(c, map, what, "path");
	if (ld_get_string(c, f[F_PATH], ld_field(fwhat, sizeof(fwhat), "path", what), LD_MAX_PATH) <
	    0)
		return -1;
	if (ld_req_uint(c, map, f, term_file_keys, F_FIRST_ID, what, 1, UINT32_MAX, &tf->first_id) <
	    0)
		return -1;
	tf->proto.kind = INSP_PATTERN_TERM;
	tf->proto.level = INSP_LEVEL_NONE;
	tf->proto.line = (uint32_t)map->start_mark.line + 1;
	if (ld_get_term_scope(c, f[F_ACTION], f[F_CHANNELS], what, &tf->proto) < 0)
		return -1;
	if (f[F_REGEX] != NULL &&
	    ld_get_bool(c, f[F_REGEX], ld_field(fwhat, sizeof(fwhat), "regex", what), &tf->regex) <
		    0)
		return -1;
	if (f[F_CASELESS] != NULL &&
	    ld_get_bool(c, f[F_CASELESS], ld_field(fwhat, sizeof(fwhat), "caseless", what), &flag) <
		    0)
		return -1;
	tf->flags = flag ? INSP_MATCH_CASELESS : 0;
	if (c->io == NULL || c->io->read_file == NULL)
		return ld_fail(c, f[F_PATH], "term files need a reader (use guardctl/guardd)");

	tf->path = join_path(c->file, ld_sval(f[F_PATH]), ld_slen(f[F_PATH]), &dir);
	if (tf->path == NULL)
		return ld_oom(c, f[F_PATH]);
	if (dir + ld_slen(f[F_PATH]) > LD_MAX_PATH)
		return ld_fail(
			c, f[F_PATH],
			"%s: the path is %zu bytes long with the policy's directory (at most %d)",
			what, dir + ld_slen(f[F_PATH]), LD_MAX_PATH);
	why[0] = '\0';
	rc = c->io->read_file(tf->path, &tf->text, &tf->len, &mtime, why, sizeof(why), c->io->ctx);
	why[sizeof(why) - 1] = '\0';
	if (rc != 0)
		return ld_fail(c, f[F_PATH], "cannot read term file '%s': %s", tf->path,
			       why[0] != '\0' ? why : "reader failed");
	c->term_bytes += tf->len;
	if (c->term_bytes > LD_MAX_TERM_BYTES)
		return ld_fail(c, f[F_PATH],
			       "term files hold %llu bytes with '%s' (at most %u MiB in all)",
			       (unsigned long long)c->term_bytes, tf->path,
			       LD_MAX_TERM_BYTES >> 20);
	if (tf->text == NULL && tf->len != 0)
		return ld_fail(c, f[F_PATH], "cannot read term file '%s': reader returned no text",
			       tf->path);

	li = (struct line_iter){.text = tf->text, .len = tf->len};
	while (ld_next_line(&li, &s, &n)) {
		if (ld_is_term_line(s, n))
			tf->n_terms++;
	}
	return 0;
}

/* Term on line @p line of a term file: "TERMFILE:LINE:1: message" for anything wrong. */
int
ld_load_term_line(struct ld *c, const struct term_file *tf, const char *s, size_t n, uint32_t line,
		  struct insp_pattern *pat, struct pat_src *src)
{
	const char *what = tf->regex ? "regex" : "literal";
	size_t max = tf->regex ? LD_MAX_REGEX : LD_MAX_LITERAL, i, bad = 0;
	char msg[320];
	uint64_t id = tf->first_id + line - 1;
	int rc;

	*pat = tf->proto;
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
	rc = ld_make_expr(c, pat, src, s, n, !tf->regex, msg, sizeof(msg));
	if (rc == -1)
		return ld_fail_in(c, tf->path, line, 1, "out of memory while loading the policy");
	if (rc == -3)
		return ld_fail_in(
			c, tf->path, line, 1,
			"literal contains a bidirectional control character (U+202A-202E, "
			"U+2066-2069): write the phrase in reading order");
	if (rc == -4)
		return ld_fail_in(c, tf->path, line, 1, "%s", msg);
	if (rc == -5)
		return ld_fail_in(c, tf->path, line, 1, "regex " ANCHOR_HINT);
	if (rc == -6)
		return ld_fail_in(c, tf->path, line, 1, "regex " ZERO_WIDTH_HINT);
	if (rc < 0)
		return ld_fail_in(c, tf->path, line, 1, "literal has no words");

	return 0;
}
