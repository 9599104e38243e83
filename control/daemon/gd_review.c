/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guard-control's review commands and the fast-path messages' intake (gd_review.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "gc_json.h"
#include "gd_log.h"
#include "gd_review.h"
#include "insp_reason.h"
#include "insp_utf8.h"
#include "rq_store.h"
#include "gd_time.h"

/* A fast-path review decision, copied off the audit ring. */
struct gd_review_msg {
	uint64_t generation;
	int64_t time_ms;
	uint32_t rule_id, offset, len;
	uint8_t level;
	char channel[INSP_NAME_MAX];
	char uid[INSP_UID_MAX];
	char detail[INSP_DETAIL_MAX];
	uint8_t payload[];
};

/* Bytes of extracted text `review show` prints; export has all of it. */
#define SHOW_TEXT_MAX 65536
#define MAX_MARKS     64

static const char *
level_name(uint8_t level)
{
	const char *n = insp_level_name((enum insp_level)level);

	return n != NULL ? n : "unknown";
}

/*
 * Is @p s (@p n bytes) text a person reads (insp_utf8_validate_text(), and no DEL)? A message
 * that is not, a protobuf, is kept as content only.
 */
static bool
utf8_ok(const uint8_t *s, size_t n)
{
	size_t bad;

	return insp_utf8_validate_text(s, n, &bad) == 0 && memchr(s, 0x7f, n) == NULL;
}

/*
 * @p src for a reviewer's terminal (table output): control characters (C0, DEL and the C1
 * range as UTF-8) become '?', so no field a sender chose (an originator, a message uid, a
 * comment) can carry escape sequences to a terminal. Returns @p dst.
 */
static const char *
term_safe(char *dst, size_t cap, const char *src)
{
	size_t o = 0;

	if (src == NULL)
		src = "";
	for (const unsigned char *p = (const unsigned char *)src; *p != '\0' && o + 1 < cap; p++) {
		if (*p < 0x20 || *p == 0x7f)
			dst[o++] = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			dst[o++] = '?', p++;
		else
			dst[o++] = (char)*p;
	}
	dst[o] = '\0';
	return dst;
}

/* ---- the fast-path messages' intake ---- */

void
gd_review_take_message(struct gd_review *r, const struct dp_audit_rec *rec)
{
	uint32_t len = RTE_MIN(rec->len, r->sh->audit_payload_max);
	struct gd_review_msg *m;

	/* a truncated payload cannot be released as it was: never queue a part; and after
	 * gd_review_close() (the audit writer drains its ring last) nothing is taken */
	if (len < rec->full_len || len == 0 || atomic_load(&r->stop)) {
		atomic_fetch_add(&r->msgs_refused, 1);
		return;
	}
	m = malloc(sizeof(*m) + len);
	if (m == NULL) {
		atomic_fetch_add(&r->msgs_refused, 1);
		return;
	}
	m->generation = rec->generation;
	m->time_ms = rec->time_ms;
	m->rule_id = rec->rule_id;
	m->offset = rec->offset;
	m->len = len;
	m->level = rec->level;
	snprintf(m->channel, sizeof(m->channel), "%s",
		 rec->row < atomic_load_explicit(&r->sh->n_rows, memory_order_acquire)
			 ? r->sh->row_name[rec->row]
			 : "?");
	memcpy(m->uid, rec->uid, sizeof(m->uid));
	m->uid[sizeof(m->uid) - 1] = '\0';
	memcpy(m->detail, rec->detail, sizeof(m->detail));
	m->detail[sizeof(m->detail) - 1] = '\0';
	memcpy(m->payload, rec->payload, len);
	pthread_mutex_lock(&r->lock);
	if (r->n == GD_REVIEW_BACKLOG) {
		pthread_mutex_unlock(&r->lock);
		free(m);
		atomic_fetch_add(&r->msgs_refused, 1);
		return;
	}
	r->backlog[(r->head + r->n) % GD_REVIEW_BACKLOG] = m;
	r->n++;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
}

/* Messages submitted in one transaction (one fsync) at most. */
#define INTAKE_BATCH 256

/* The queue's view of one message; strings point into @p m and @p buf. */
struct msg_item {
	char reason[256], findings[160];
};

static void
fill_item(const struct gd_review_msg *m, const struct insp_policy *p, struct msg_item *b,
	  struct rq_new *in)
{
	const char *fmt = "message";
	int ch;

	if (p != NULL && (ch = gd_channel_index(p, m->channel)) >= 0)
		fmt = insp_format_name((enum insp_format)p->channels[ch].format);
	snprintf(b->reason, sizeof(b->reason), "review term %u: %s", m->rule_id, m->detail);
	snprintf(b->findings, sizeof(b->findings),
		 "[{\"kind\":\"term\",\"rule\":%u,\"offset\":%u}]", m->rule_id, m->offset);
	memset(in, 0, sizeof(*in));
	in->kind = RQ_KIND_MESSAGE;
	in->channel = m->channel;
	in->source_id = m->uid[0] != '\0' ? m->uid : "-";
	in->originator = "";
	in->declared_type = fmt;
	in->real_type = fmt;
	in->label = level_name(m->level);
	in->level = m->level <= RQ_LEVEL_MAX ? m->level : RQ_LEVEL_UNKNOWN;
	in->reason = b->reason;
	in->findings = b->findings;
	if (utf8_ok(m->payload, m->len)) {
		in->text = m->payload;
		in->text_len = m->len;
	}
	in->content = m->payload;
	in->content_len = m->len;
	in->generation = m->generation;
	in->submitted_ms = (uint64_t)m->time_ms;
}

/* Queue @p n messages in one transaction and say what became of each. */
static void
submit_batch(struct gd_review *r, struct rq_store *st, struct gd_follow *fol,
	     struct gd_review_msg **m, unsigned int n)
{
	const struct insp_policy *p = fol->cur != NULL ? fol->cur->policy : NULL;
	struct msg_item b[INTAKE_BATCH] = {0};
	struct rq_new in[INTAKE_BATCH] = {0};
	int64_t ids[INTAKE_BATCH];
	int rcs[INTAKE_BATCH];
	char err[RQ_ERR_MAX], note[RQ_ERR_MAX + 256];
	int rc;

	for (unsigned int i = 0; i < n; i++)
		fill_item(m[i], p, &b[i], &in[i]);
	rc = rq_submit_many(st, in, n, ids, rcs, err, sizeof(err));
	for (unsigned int i = 0; i < n; i++) {
		if (rc == 0 && rcs[i] == 0) {
			atomic_fetch_add(&r->msgs_queued, 1);
			snprintf(note, sizeof(note),
				 "item %" PRId64 " message %s on %s queued for review", ids[i],
				 in[i].source_id, m[i]->channel);
			gd_audit_note_control(r->audit, "review_queued", note);
			continue;
		}
		atomic_fetch_add(&r->msgs_refused, 1);
		snprintf(note, sizeof(note), "message %s on %s not queued (%s)%s%s",
			 in[i].source_id, m[i]->channel,
			 rc == 0 && RQ_IS_FULL(rcs[i]) ? insp_reason_name(INSP_R_REVIEW_QUEUE_FULL)
						       : rq_strerror(rc != 0 ? rc : rcs[i]),
			 rc != 0 ? ": " : "", rc != 0 ? err : "");
		gd_audit_note_control(r->audit, "review_refused", note);
	}
	if (rc != 0)
		GD_LOG("review intake: %s", err);
}

static void *
intake_main(void *arg)
{
	struct gd_review *r = arg;
	struct gd_follow fol = {0};
	struct gd_review_msg *batch[INTAKE_BATCH];
	struct rq_store *st = NULL;
	char err[RQ_ERR_MAX];
	uint64_t reported = 0;

	if (rq_open(r->db_path, NULL, &st, err, sizeof(err)) != 0) {
		GD_LOG("review intake: %s: fast-path review messages are not queued", err);
		st = NULL;
	}
	for (;;) {
		unsigned int n = 0;
		struct timespec ts;
		uint64_t refused;
		bool stop;

		pthread_mutex_lock(&r->lock);
		if (r->n == 0 && !atomic_load(&r->stop)) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&r->wake, &r->lock, &ts);
		}
		while (r->n != 0 && n < INTAKE_BATCH) {
			batch[n++] = r->backlog[r->head];
			r->head = (r->head + 1) % GD_REVIEW_BACKLOG;
			r->n--;
		}
		stop = atomic_load(&r->stop) && r->n == 0;
		pthread_mutex_unlock(&r->lock);
		if (n != 0) {
			if (!atomic_load(&r->detached) &&
			    gd_follow_update(&fol, r->sh, gd_now_ms(), err, sizeof(err)) < 0)
				GD_LOG("review intake: %s", err);
			if (st != NULL) {
				if (fol.cur != NULL)
					rq_set_bounds(st, fol.cur->policy->review_max_items,
						      fol.cur->policy->review_max_bytes);
				submit_batch(r, st, &fol, batch, n);
			} else {
				atomic_fetch_add(&r->msgs_refused, n);
			}
			for (unsigned int i = 0; i < n; i++)
				free(batch[i]);
		}
		refused = atomic_load(&r->msgs_refused);
		if (refused != reported) {
			char note[160];

			snprintf(note, sizeof(note),
				 "%" PRIu64 " fast-path review messages not queued so far",
				 refused);
			gd_audit_note_control(r->audit, "review_refused", note);
			reported = refused;
		}
		if (stop)
			break;
	}
	gd_follow_close(&fol);
	rq_close(st);
	return NULL;
}

int
gd_review_open(struct gd_review *r, struct dp_shared *sh, struct gd_audit *audit,
	       const char *db_path, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->sh = sh;
	r->audit = audit;
	if (strlen(db_path) >= sizeof(r->db_path)) {
		snprintf(err, errlen, "review queue path '%s' is too long", db_path);
		return -1;
	}
	snprintf(r->db_path, sizeof(r->db_path), "%s", db_path);
	if (rq_open(db_path, NULL, &r->store, err, errlen) != 0)
		return -1;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	if (pthread_create(&r->intake, NULL, intake_main, r) != 0) {
		snprintf(err, errlen, "cannot start the review intake thread: %s", strerror(errno));
		rq_close(r->store);
		r->store = NULL;
		return -1;
	}
	r->intake_started = true;
	return 0;
}

void
gd_review_detach(struct gd_review *r)
{
	atomic_store(&r->detached, true);
}

void
gd_review_close(struct gd_review *r)
{
	if (r->intake_started) {
		atomic_store(&r->stop, true);
		pthread_mutex_lock(&r->lock);
		pthread_cond_signal(&r->wake);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->intake, NULL);
		r->intake_started = false;
		while (r->n != 0) {
			free(r->backlog[r->head]);
			r->head = (r->head + 1) % GD_REVIEW_BACKLOG;
			r->n--;
		}
	}
	gd_follow_close(&r->follow);
	rq_close(r->store);
	r->store = NULL;
}

/* ---- commands ---- */

struct list_ctx {
	struct gc_json *j; /* NULL: a table */
	FILE *out;
	unsigned int n;
};

static void
item_json(struct gc_json *j, const struct rq_item *it)
{
	gc_json_int(j, "id", it->id);
	gc_json_str(j, "kind", rq_kind_name(it->kind));
	gc_json_str(j, "state", rq_state_name(it->state));
	gc_json_str(j, "channel", it->channel);
	gc_json_str(j, "source_id", it->source_id);
	gc_json_str(j, "originator", it->originator);
	gc_json_str(j, "declared_type", it->declared_type);
	gc_json_str(j, "real_type", it->real_type);
	gc_json_str(j, "label", it->label);
	gc_json_str_or_null(j, "level", insp_level_name((enum insp_level)it->level));
	gc_json_str(j, "reason", it->reason);
	gc_json_uint(j, "size", it->size);
	gc_json_str(j, "sha256", it->content_sha256);
	gc_json_uint(j, "generation", it->generation);
	gc_json_uint(j, "submitted_ms", it->submitted_ms);
	gc_json_uint(j, "decided_ms", it->decided_ms);
	gc_json_uint(j, "approvals", it->n_approvals);
	gc_json_uint(j, "release_seq", it->release_seq);
	gc_json_uint(j, "rec_first", it->rec_first);
	gc_json_uint(j, "rec_count", it->rec_count);
	gc_json_uint(j, "released_ms", it->released_ms);
	gc_json_str(j, "release_note", it->release_note != NULL ? it->release_note : "");
}

static int
list_row(const struct rq_item *it, void *arg)
{
	struct list_ctx *lc = arg;
	char when[32], s1[INSP_NAME_MAX], s2[64], s3[512];

	lc->n++;
	if (lc->j != NULL) {
		gc_json_begin_object(lc->j, NULL);
		item_json(lc->j, it);
		gc_json_end_object(lc->j);
		return 0;
	}
	gd_iso_s((int64_t)it->submitted_ms, when);
	fprintf(lc->out, "%-6" PRId64 " %-11s %-7s %-16s %-13s %-16s %10" PRIu64 " %3u  %-20s %s\n",
		it->id, rq_state_name(it->state), rq_kind_name(it->kind),
		term_safe(s1, sizeof(s1), it->channel), level_name(it->level),
		term_safe(s2, sizeof(s2), it->real_type), it->size, it->n_approvals, when,
		term_safe(s3, sizeof(s3), it->reason));
	return 0;
}

static int
cmd_list(struct gd_review *r, const char *state, bool json, FILE *out, char *detail, size_t dlen)
{
	char err[RQ_ERR_MAX];
	struct gc_json j;
	struct list_ctx lc = {.j = json ? &j : NULL, .out = out};
	int rc;

	if (json) {
		gc_json_init(&j, out);
		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "state", state);
		gc_json_begin_array(&j, "items");
	} else {
		fprintf(out, "%-6s %-11s %-7s %-16s %-13s %-16s %10s %3s  %-20s %s\n", "ID",
			"STATE", "KIND", "CHANNEL", "LEVEL", "TYPE", "BYTES", "OK", "SUBMITTED",
			"REASON");
	}
	rc = rq_list(r->store, state, 0, list_row, &lc, err, sizeof(err));
	if (rc < 0) {
		if (json)
			fprintf(out, "\n");
		fprintf(out, "review list: %s\n", err);
		snprintf(detail, dlen, "%s", err);
		return rc == RQ_E_INVAL ? 2 : 1;
	}
	if (json) {
		gc_json_end_array(&j);
		gc_json_uint(&j, "count", lc.n);
		gc_json_end_object(&j);
		gc_json_finish(&j);
	} else if (lc.n == 0) {
		fprintf(out, "(no %s items)\n", state);
	}
	snprintf(detail, dlen, "%u items", lc.n);
	return 0;
}

struct mark {
	uint64_t off, len;
};

static int
mark_cmp(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* The "offset" (and "len", if given) members of the findings: where to mark the text. */
static unsigned int
find_marks(const char *findings, const uint8_t *text, uint64_t text_len, struct mark *m)
{
	unsigned int n = 0;
	const char *p = findings;

	while (n < MAX_MARKS && (p = strstr(p, "\"offset\":")) != NULL) {
		const char *obj_end = strchr(p, '}');
		const char *l = strstr(p, "\"len\":");
		uint64_t off = strtoull(p + 9, NULL, 10), len = 0;

		p += 9;
		if (off >= text_len)
			continue;
		if (l != NULL && (obj_end == NULL || l < obj_end))
			len = strtoull(l + 6, NULL, 10);
		if (len == 0) /* no length: the word at the offset */
			while (off + len < text_len &&
			       (text[off + len] >= 0x80 ||
				(text[off + len] >= '0' && text[off + len] <= '9') ||
				((text[off + len] | 0x20) >= 'a' &&
				 (text[off + len] | 0x20) <= 'z')))
				len++;
		if (len == 0)
			len = 1;
		if (off + len > text_len)
			len = text_len - off;
		m[n].off = off;
		m[n].len = len;
		n++;
	}
	qsort(m, n, sizeof(*m), mark_cmp);
	return n;
}

/* Text for a reviewer's terminal: no control characters (escape sequences), matches marked. */
static void
print_text(FILE *out, const uint8_t *t, uint64_t n, const struct mark *m, unsigned int n_marks)
{
	uint64_t lim = n < SHOW_TEXT_MAX ? n : SHOW_TEXT_MAX;
	unsigned int k = 0;

	for (uint64_t i = 0; i < lim; i++) {
		while (k < n_marks && m[k].off + m[k].len <= i && m[k].off < i)
			k++;
		if (k < n_marks && m[k].off == i)
			fputs("[[", out);
		if (t[i] == 0xc2 && i + 1 < lim && t[i + 1] >= 0x80 && t[i + 1] <= 0x9f) {
			fputc('.', out); /* a C1 control (U+0080..U+009F, e.g. CSI): never raw */
			i++;
		} else if (t[i] == '\n' || t[i] == '\t' || (t[i] >= 0x20 && t[i] != 0x7f)) {
			fputc(t[i], out);
		} else {
			fputc('.', out);
		}
		if (k < n_marks && m[k].off + m[k].len == i + 1) {
			fputs("]]", out);
			k++;
		}
	}
	if (lim < n)
		fprintf(out, "\n... %" PRIu64 " more bytes: `guardctl review export` has them all",
			n - lim);
	fputc('\n', out);
}

static int
cmd_show(struct gd_review *r, int64_t id, bool json, FILE *out, char *detail, size_t dlen)
{
	char err[RQ_ERR_MAX], t1[32], b[8][4096];
	struct mark marks[MAX_MARKS];
	struct rq_item *it;
	unsigned int n_marks;
	int rc = rq_get(r->store, id, &it, err, sizeof(err));

	if (rc != 0) {
		fprintf(out, "review show: %s\n", err);
		snprintf(detail, dlen, "%s", err);
		return 1;
	}
	bool text_ok = it->text != NULL && utf8_ok(it->text, it->text_size);

	if (json) {
		struct gc_json j;

		gc_json_init(&j, out);
		gc_json_begin_object(&j, NULL);
		item_json(&j, it);
		gc_json_raw(&j, "findings", it->findings);
		gc_json_begin_array(&j, "actions");
		for (uint32_t i = 0; i < it->n_actions; i++) {
			const struct rq_action *a = &it->actions[i];

			gc_json_begin_object(&j, NULL);
			gc_json_str(&j, "action", a->approve ? "approve" : "reject");
			gc_json_str(&j, "reviewer", a->reviewer);
			gc_json_uint(&j, "uid", a->uid);
			gc_json_uint(&j, "at_ms", a->at_ms);
			gc_json_str(&j, "comment", a->comment);
			gc_json_end_object(&j);
		}
		gc_json_end_array(&j);
		if (text_ok)
			gc_json_strn(&j, "text", (const char *)it->text, it->text_size);
		else
			gc_json_null(&j, "text");
		gc_json_end_object(&j);
		gc_json_finish(&j);
	} else {
		gd_iso_s((int64_t)it->submitted_ms, t1);
		fprintf(out,
			"item        %" PRId64 "\nkind        %s\nstate       %s (%u approval%s)\n"
			"channel     %s\nsource id   %s\noriginator  %s\nlabel       %s\n"
			"level       %s\ndeclared    %s\nreal type   %s\nsize        %" PRIu64
			" bytes, sha256 %s\nreason      %s\nsubmitted   %s (ruleset generation "
			"%" PRIu64 ")\nfindings    %s\n",
			it->id, rq_kind_name(it->kind), rq_state_name(it->state), it->n_approvals,
			it->n_approvals == 1 ? "" : "s", term_safe(b[0], sizeof(b[0]), it->channel),
			term_safe(b[1], sizeof(b[1]), it->source_id),
			it->originator[0] != '\0' ? term_safe(b[2], sizeof(b[2]), it->originator)
						  : "-",
			term_safe(b[3], sizeof(b[3]), it->label), level_name(it->level),
			term_safe(b[4], sizeof(b[4]), it->declared_type),
			term_safe(b[5], sizeof(b[5]), it->real_type), it->size, it->content_sha256,
			term_safe(b[6], sizeof(b[6]), it->reason), t1, it->generation,
			term_safe(b[7], sizeof(b[7]), it->findings));
		if (it->release_note != NULL && it->release_note[0] != '\0')
			fprintf(out, "release     %s\n",
				term_safe(b[0], sizeof(b[0]), it->release_note));
		fprintf(out, "actions     %s\n", it->n_actions == 0 ? "none" : "");
		for (uint32_t i = 0; i < it->n_actions; i++) {
			const struct rq_action *a = &it->actions[i];

			gd_iso_s((int64_t)a->at_ms, t1);
			fprintf(out, "  %s %-7s %s (uid %u)%s%s\n", t1,
				a->approve ? "approve" : "reject",
				term_safe(b[0], sizeof(b[0]), a->reviewer), a->uid,
				a->comment[0] != '\0' ? ": " : "",
				term_safe(b[1], sizeof(b[1]), a->comment));
		}
		if (it->text_size == 0) {
			fprintf(out, "text        none\n");
		} else if (!text_ok) {
			fprintf(out,
				"text        %" PRIu64 " bytes, not UTF-8 (binary): export it\n",
				it->text_size);
		} else {
			n_marks = find_marks(it->findings, it->text, it->text_size, marks);
			fprintf(out, "text        %" PRIu64 " bytes, matches marked [[ ]]:\n",
				it->text_size);
			print_text(out, it->text, it->text_size, marks, n_marks);
		}
	}
	snprintf(detail, dlen, "item %" PRId64 " %s", id, rq_state_name(it->state));
	rq_item_free(it);
	return 0;
}

static const char *
ext_of(const char *mime)
{
	if (strcmp(mime, "application/pdf") == 0)
		return "pdf";
	if (strcmp(mime, "image/jpeg") == 0)
		return "jpg";
	if (strcmp(mime, "image/png") == 0)
		return "png";
	if (strcmp(mime, "text/plain") == 0)
		return "txt";
	return "bin";
}

static int
cmd_export(struct gd_review *r, int64_t id, FILE *out, char *detail, size_t dlen)
{
	char err[RQ_ERR_MAX];
	struct rq_item *it;
	struct gc_json j;
	char *b64;
	size_t b64_len;
	int rc = rq_get(r->store, id, &it, err, sizeof(err));

	if (rc != 0) {
		fprintf(out, "review export: %s\n", err);
		snprintf(detail, dlen, "%s", err);
		return 1;
	}
	gc_json_init(&j, out);
	gc_json_begin_object(&j, NULL);
	item_json(&j, it);
	gc_json_raw(&j, "findings", it->findings);
	gc_json_begin_array(&j, "actions");
	for (uint32_t i = 0; i < it->n_actions; i++) {
		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "action", it->actions[i].approve ? "approve" : "reject");
		gc_json_str(&j, "reviewer", it->actions[i].reviewer);
		gc_json_uint(&j, "uid", it->actions[i].uid);
		gc_json_uint(&j, "at_ms", it->actions[i].at_ms);
		gc_json_str(&j, "comment", it->actions[i].comment);
		gc_json_end_object(&j);
	}
	gc_json_end_array(&j);
	if (it->text != NULL && utf8_ok(it->text, it->text_size))
		gc_json_strn(&j, "text", (const char *)it->text, it->text_size);
	else
		gc_json_null(&j, "text");
	gc_json_end_object(&j);
	gc_json_finish(&j); /* ends the line */
	fprintf(out, "%s\n", it->kind == RQ_KIND_OBJECT ? ext_of(it->real_type) : "msg");
	b64_len = sodium_base64_ENCODED_LEN(it->size, sodium_base64_VARIANT_ORIGINAL);
	b64 = malloc(b64_len);
	if (b64 == NULL) {
		rq_item_free(it);
		fprintf(out, "review export: out of memory\n");
		return 1;
	}
	sodium_bin2base64(b64, b64_len, it->content, it->size, sodium_base64_VARIANT_ORIGINAL);
	fprintf(out, "%s\n", b64);
	free(b64);
	snprintf(detail, dlen, "item %" PRId64 " exported (%" PRIu64 " bytes, sha256 %s)", id,
		 it->size, it->content_sha256);
	rq_item_free(it);
	return 0;
}

static int
cmd_decide(struct gd_review *r, const struct gd_peer *peer, int64_t id, const char *action,
	   const char *comment, FILE *out, char *detail, size_t dlen)
{
	const struct insp_policy *p = r->follow.cur != NULL ? r->follow.cur->policy : NULL;
	char err[RQ_ERR_MAX], note[RQ_ERR_MAX + 256];
	struct rq_decision d;
	const char *who;
	int rc;

	if (p == NULL) {
		fprintf(out,
			"review %s: no ruleset is running, so no reviewer is known; load a "
			"policy first\n",
			action);
		snprintf(detail, dlen, "no ruleset: reviewers unknown");
		return 1;
	}
	who = insp_policy_reviewer(p, peer->uid);
	if (who == NULL) {
		fprintf(out,
			"review %s: uid %u is not a reviewer in the running policy "
			"(review.reviewers): refused\n",
			action, peer->uid);
		snprintf(detail, dlen, "uid %u is not a reviewer", peer->uid);
		return 1;
	}
	rc = rq_decide(r->store, id, who, peer->uid, action, comment, p->two_person_level,
		       (uint64_t)gd_now_ms(), &d, err, sizeof(err));
	if (rc != 0) {
		fprintf(out, "review %s: %s\n", action, err);
		snprintf(detail, dlen, "%s by %s refused (%s): %s", action, who, rq_strerror(rc),
			 err);
		return 1;
	}
	if (d.state == RQ_APPROVED)
		fprintf(out,
			"item %" PRId64 " approved by %s (%u of %u): it leaves through the "
			"dataplane next\n",
			id, who, d.approvals, d.required);
	else if (d.state == RQ_PENDING)
		fprintf(out, "item %" PRId64 " approved by %s (%u of %u): needs another reviewer\n",
			id, who, d.approvals, d.required);
	else
		fprintf(out, "item %" PRId64 " %s by %s\n", id, rq_state_name(d.state), who);
	snprintf(note, sizeof(note),
		 "item %" PRId64 " %s by %s (uid %u): now %s (%u of %u approvals)%s%.200s", id,
		 action, who, peer->uid, rq_state_name(d.state), d.approvals, d.required,
		 comment != NULL ? ": " : "", comment != NULL ? comment : "");
	snprintf(detail, dlen, "%s", note);
	gd_audit_note_control(r->audit, "review", note);
	return 0;
}

static bool
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || s[0] < '1' || s[0] > '9')
		return false;
	*id = v;
	return true;
}

int
gd_review_cmd(struct gd_review *r, const struct gd_peer *peer, int argc, char **argv, bool json,
	      FILE *out, char *detail, size_t detail_len)
{
	const char *comment = NULL;
	char err[512];
	int64_t id;

	if (r->store == NULL) {
		fprintf(out, "review: the review queue is not open (see guard-control's log)\n");
		return 1;
	}
	if (gd_follow_update(&r->follow, r->sh, gd_now_ms(), err, sizeof(err)) < 0)
		GD_LOG("review: %s", err);
	if (r->follow.cur != NULL)
		rq_set_bounds(r->store, r->follow.cur->policy->review_max_items,
			      r->follow.cur->policy->review_max_bytes);
	if (argc == 4 && strcmp(argv[1], "list") == 0 && strcmp(argv[2], "--state") == 0)
		return cmd_list(r, argv[3], json, out, detail, detail_len);
	if (argc < 3 || !parse_id(argv[2], &id))
		goto usage;
	if (argc == 5 && strcmp(argv[3], "--comment") == 0)
		comment = argv[4];
	else if (argc != 3)
		goto usage;
	if (strcmp(argv[1], "show") == 0 && comment == NULL)
		return cmd_show(r, id, json, out, detail, detail_len);
	if (strcmp(argv[1], "export") == 0 && comment == NULL && !json)
		return cmd_export(r, id, out, detail, detail_len);
	if ((strcmp(argv[1], "approve") == 0 || strcmp(argv[1], "reject") == 0) && !json)
		return cmd_decide(r, peer, id, argv[1], comment, out, detail, detail_len);
usage:
	fprintf(out, "guard-control: review: want list --state S | show ID | approve ID "
		     "[--comment TEXT] | reject ID [--comment TEXT] | export ID\n");
	return 2;
}
