/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sidecar reader and (channel, reason) tally (see gc_expect.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_expect.h"
#include "gc_out.h"
#include "insp_reason.h"

struct gc_expect {
	FILE *f;
	const char *path;
	char *buf;
	size_t cap;
	uint64_t line;
	uint64_t next_index;
};

struct gc_expect *
gc_expect_open(const char *cmd, const char *path)
{
	struct gc_expect *e = calloc(1, sizeof(*e));

	if (e == NULL) {
		gc_err(cmd, "out of memory");
		return NULL;
	}
	/* a FIFO or device would block or never end: expectations are a regular file */
	if (!gc_regular_file(path)) {
		gc_err(cmd, "cannot open expectations '%s': not a regular file", path);
		free(e);
		return NULL;
	}
	e->f = fopen(path, "r");
	if (e->f == NULL) {
		gc_err(cmd, "cannot open expectations '%s': %s", path, strerror(errno));
		free(e);
		return NULL;
	}
	e->path = path;
	return e;
}

void
gc_expect_close(struct gc_expect *e)
{
	if (e == NULL)
		return;
	fclose(e->f);
	free(e->buf);
	free(e);
}

/* A decimal number without sign or leading zeros, at most @p max. */
static int
parse_dec(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 20 || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (max - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
bad_line(struct gc_expect *e, const char *what)
{
	fprintf(stderr, "%s:%" PRIu64 ": %s\n", e->path, e->line, what);
	return -1;
}

/* Copy a field (1..INSP_NAME_MAX-1 printable ASCII bytes) into @p out. */
static int
copy_name(const char *s, size_t len, char out[INSP_NAME_MAX])
{
	if (len == 0 || len >= INSP_NAME_MAX)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int
gc_expect_next(struct gc_expect *e, struct gc_expect_rec *rec)
{
	for (;;) {
		ssize_t n;
		const char *field[4];
		size_t flen[4], nf = 0;
		uint64_t v;
		char msg[128];

		errno = 0;
		n = getline(&e->buf, &e->cap, e->f);
		if (n < 0) {
			if (ferror(e->f)) {
				fprintf(stderr, "%s: read error: %s\n", e->path, strerror(errno));
				return -1;
			}
			return 0;
		}
		e->line++;
		if (n > 0 && e->buf[n - 1] == '\n')
			e->buf[--n] = '\0';
		if ((size_t)n != strlen(e->buf))
			return bad_line(e, "NUL byte in line");
		if (n == 0 || e->buf[0] == '#')
			continue;
		/* exactly four fields, one space between them */
		const char *s = e->buf, *end = e->buf + n;

		while (s <= end && nf < 4) {
			const char *sp = memchr(s, ' ', (size_t)(end - s));

			field[nf] = s;
			flen[nf] = (size_t)((sp != NULL ? sp : end) - s);
			nf++;
			s = (sp != NULL ? sp : end) + 1;
		}
		if (nf != 4 || s <= end)
			return bad_line(e, "expected 'index channel reason payload_len' separated "
					   "by single spaces");
		if (parse_dec(field[0], flen[0], UINT64_MAX, &rec->index) != 0)
			return bad_line(e, "index: expected a decimal number");
		if (rec->index != e->next_index) {
			snprintf(msg, sizeof(msg),
				 "index %" PRIu64 " where %" PRIu64 " was expected", rec->index,
				 e->next_index);
			return bad_line(e, msg);
		}
		if (copy_name(field[1], flen[1], rec->channel) != 0)
			return bad_line(e, "channel: expected a name or '-'");
		if (copy_name(field[2], flen[2], rec->reason) != 0)
			return bad_line(e, "reason: expected a reason name");
		if (parse_dec(field[3], flen[3], UINT32_MAX, &v) != 0)
			return bad_line(e, "payload_len: expected a decimal number");
		rec->payload_len = (uint32_t)v;
		rec->line = e->line;
		e->next_index++;
		return 1;
	}
}

int
gc_tally_add(struct gc_tally *t, const char *channel, const char *reason, int want)
{
	struct gc_tally_row *r = NULL;

	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->rows[i].channel, channel) == 0 &&
		    strcmp(t->rows[i].reason, reason) == 0) {
			r = &t->rows[i];
			break;
		}
	}
	if (r == NULL) {
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 32;
			struct gc_tally_row *rows = realloc(t->rows, cap * sizeof(*rows));

			if (rows == NULL)
				return -1;
			t->rows = rows;
			t->cap = cap;
		}
		r = &t->rows[t->n++];
		memset(r, 0, sizeof(*r));
		snprintf(r->channel, sizeof(r->channel), "%s", channel);
		snprintf(r->reason, sizeof(r->reason), "%s", reason);
	}
	if (want)
		r->want++;
	else
		r->got++;
	return 0;
}

static int
reason_rank(const char *name)
{
	int r = insp_reason_from_name(name);

	return r < 0 ? INSP_R_COUNT : r;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct gc_tally_row *x = a, *y = b;
	int c = strcmp(x->channel, y->channel);

	if (c != 0)
		return c;
	c = reason_rank(x->reason) - reason_rank(y->reason);
	return c != 0 ? c : strcmp(x->reason, y->reason);
}

void
gc_tally_sort(struct gc_tally *t)
{
	if (t->n > 1)
		qsort(t->rows, t->n, sizeof(*t->rows), row_cmp);
}

void
gc_tally_free(struct gc_tally *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = t->cap = 0;
}
