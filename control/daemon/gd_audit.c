/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The audit writer thread (gd_audit.h). Lines are formatted into an in-memory stream, each
 * one hashed into the chain as it is completed, and the batch is appended with one write().
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <sodium.h>

#include "gc_json.h"
#include "gd_audit.h"
#include "gd_log.h"
#include "insp_reason.h"
#include "gd_time.h"

#define GD_AUDIT_BURST 64

/* 2026-12-03T07:40:00.123Z */
static void
iso_time(int64_t ms, char out[64])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms < 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(out, 64, "1970-01-01T00:00:00.000Z");
		return;
	}
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/* Start a line: the chain prefix, then members are written through @p j. */
static long
line_begin(struct gd_audit *a, struct gc_json *j, const char *type, int64_t time_ms)
{
	char prefix[AU_PREFIX_MAX], when[64];
	long start = ftell(a->ms);

	if (au_line_prefix(&a->chain, prefix, sizeof(prefix)) < 0)
		return -1;
	fputs(prefix, a->ms);
	gc_json_init(j, a->ms);
	j->depth = 1; /* inside the object the prefix opened, a member already written */
	j->need_comma[1] = false;
	gc_json_str(j, "type", type);
	iso_time(time_ms, when);
	gc_json_str(j, "time", when);
	return start;
}

/* Close the line, hash it into the chain, add the newline. */
static void
line_end(struct gd_audit *a, long start)
{
	long end;

	fputc('}', a->ms);
	end = ftell(a->ms);
	fflush(a->ms);
	if (start >= 0 && end > start)
		au_chain_advance(&a->chain, a->ms_buf + start, (size_t)(end - start));
	fputc('\n', a->ms);
}

static const char *
decision_of(uint8_t reason)
{
	if (reason == INSP_R_RELEASE)
		return "release";
	if (reason == INSP_R_REVIEW)
		return "review";
	return "drop";
}

static void format_decision_line(struct gd_audit *a, const struct dp_audit_rec *r);

static void
format_decision(struct gd_audit *a, const struct dp_audit_rec *r)
{
	format_decision_line(a, r);
	if (r->reason == INSP_R_REVIEW && r->lcore != GD_AUDIT_SLOWPATH_LCORE &&
	    a->on_review != NULL)
		a->on_review(a->on_review_ctx, r);
}

static void
format_decision_line(struct gd_audit *a, const struct dp_audit_rec *r)
{
	uint8_t sha[AU_HASH_LEN];
	char hex[AU_HEX_LEN + 1];
	const char *level = insp_level_name((enum insp_level)r->level);
	uint32_t len = RTE_MIN(r->len, a->sh->audit_payload_max);
	struct gc_json j;
	long start = line_begin(a, &j, "decision", r->time_ms);

	au_sha256(r->payload, len, sha);
	au_hex(sha, hex);
	gc_json_uint(&j, "gen", r->generation);
	if (r->lcore == GD_AUDIT_SLOWPATH_LCORE)
		gc_json_str(&j, "by", "slowpath");
	else
		gc_json_uint(&j, "lcore", r->lcore);
	gc_json_str(&j, "channel",
		    r->row < atomic_load_explicit(&a->sh->n_rows, memory_order_acquire)
			    ? a->sh->row_name[r->row]
			    : "?");
	gc_json_str(&j, "decision", decision_of(r->reason));
	gc_json_str(&j, "reason", insp_reason_name((enum insp_reason)r->reason));
	if (r->rule_id != 0)
		gc_json_uint(&j, "rule", r->rule_id);
	gc_json_uint(&j, "offset", r->offset);
	gc_json_str_or_null(&j, "level", level);
	gc_json_strn(&j, "uid", r->uid, strnlen(r->uid, sizeof(r->uid)));
	gc_json_str(&j, "sha256", hex);
	gc_json_uint(&j, "len", r->full_len);
	if (len < r->full_len)
		gc_json_bool(&j, "truncated", true); /* sha256 covers the first len bytes */
	gc_json_strn(&j, "detail", r->detail, strnlen(r->detail, sizeof(r->detail)));
	line_end(a, start);
}

/* Once a second: what has no record of its own. Caller holds the lock. */
static void
format_summary(struct gd_audit *a, int64_t t)
{
	struct dp_shared *sh = a->sh;
	uint64_t rel[DP_CNT_ROWS] = {0}, nochan = 0, lost = 0, gen;
	uint32_t n_rows = atomic_load_explicit(&sh->n_rows, memory_order_acquire), row, r;
	bool any = false;
	struct gc_json j;
	long start;

	for (unsigned int w = 0; w < sh->n_workers; w++) {
		struct dp_lcore_stats *st = sh->stats[w];

		for (row = 0; row < n_rows; row++)
			rel[row] += atomic_load_explicit(&st->cnt[row][INSP_R_RELEASE],
							 memory_order_relaxed);
		for (r = 0; r < INSP_R_COUNT; r++)
			nochan += atomic_load_explicit(&st->cnt[DP_NO_CHANNEL][r],
						       memory_order_relaxed);
		lost += atomic_load_explicit(&st->audit_lost, memory_order_relaxed);
	}
	for (row = 0; row < n_rows; row++)
		any |= rel[row] > sh->summary_base[row];
	any |= nochan > sh->summary_base_nochan || lost > sh->summary_base_lost;
	if (!any)
		return;
	gen = sh->generation;
	start = line_begin(a, &j, "summary", t);
	gc_json_uint(&j, "gen", gen);
	gc_json_begin_object(&j, "released");
	for (row = 0; row < n_rows; row++)
		if (rel[row] > sh->summary_base[row])
			gc_json_uint(&j, sh->row_name[row], rel[row] - sh->summary_base[row]);
	gc_json_end_object(&j);
	gc_json_uint(&j, "no_channel", nochan - RTE_MIN(nochan, sh->summary_base_nochan));
	gc_json_uint(&j, "records_lost", lost - RTE_MIN(lost, sh->summary_base_lost));
	line_end(a, start);
	/* the baseline lives in guardd's memory: a restarted guard-control continues from it */
	for (row = 0; row < n_rows; row++)
		sh->summary_base[row] = RTE_MAX(rel[row], sh->summary_base[row]);
	sh->summary_base_nochan = RTE_MAX(nochan, sh->summary_base_nochan);
	sh->summary_base_lost = RTE_MAX(lost, sh->summary_base_lost);
}

static int
open_log(struct gd_audit *a, char *err, size_t errlen)
{
	struct stat st;
	off_t cut = 0;
	char why[AU_ERR_MAX];

	a->fd = open(a->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (a->fd < 0) {
		snprintf(err, errlen, "%s: cannot open the audit log: %s", a->path,
			 strerror(errno));
		return -1;
	}
	/* one writer per log: a second guard-control would interleave two chains */
	if (flock(a->fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(err, errlen,
			 "%s: another process holds the audit log (a second guard-control for this "
			 "guardd?): %s",
			 a->path, strerror(errno));
		close(a->fd);
		a->fd = -1;
		return -1;
	}
	if (fstat(a->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: the audit log must be a regular file", a->path);
		close(a->fd);
		a->fd = -1;
		return -1;
	}
	if (au_chain_resume(a->fd, &a->chain, &cut, why, sizeof(why)) != 0) {
		snprintf(err, errlen,
			 "%s: cannot continue the audit chain: %s (move the file aside to start a "
			 "new chain, after keeping it as evidence)",
			 a->path, why);
		close(a->fd);
		a->fd = -1;
		return -1;
	}
	if (cut != 0)
		GD_LOG("audit log %s: cut %lld bytes of an incomplete last line (a writer was "
		       "killed mid-line; those records were never reported flushed)",
		       a->path, (long long)cut);
	a->size = lseek(a->fd, 0, SEEK_END);
	return 0;
}

/* Append the batch and, when due, make it durable. Caller holds the lock. */
static void
flush_batch(struct gd_audit *a, uint64_t n_lines, bool force_sync)
{
	int64_t t = gd_now_ms();
	size_t off = 0;

	fflush(a->ms);
	while (off < a->ms_len) {
		ssize_t w = write(a->fd, a->ms_buf + off, a->ms_len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (!a->failing)
				GD_LOG("audit log %s: write failed: %s; the audit path is down "
				       "until it succeeds (guardd fails closed)",
				       a->path, strerror(errno));
			a->failing = true;
			atomic_fetch_add(&a->write_errors, 1);
			/* keep the unwritten tail for the next try */
			memmove(a->ms_buf, a->ms_buf + off, a->ms_len - off);
			fseek(a->ms, (long)(a->ms_len - off), SEEK_SET);
			return;
		}
		off += (size_t)w;
		a->size += w;
	}
	rewind(a->ms);
	fflush(a->ms);
	a->unsynced += n_lines;
	if (a->unsynced != 0 && (force_sync || t - a->last_sync_ms >= GD_AUDIT_SYNC_MS)) {
		if (fdatasync(a->fd) != 0) {
			if (!a->failing)
				GD_LOG("audit log %s: fdatasync failed: %s", a->path,
				       strerror(errno));
			a->failing = true;
			return;
		}
		if (a->sh != NULL) /* NULL once detached: guardd's memory may be gone */
			atomic_fetch_add_explicit(&a->sh->audit_flushed, a->unsynced,
						  memory_order_relaxed);
		atomic_fetch_add(&a->syncs, 1);
		a->unsynced = 0;
		a->last_sync_ms = t;
		au_hex(a->chain.head, a->head_hex);
		a->head_seq = a->chain.seq;
		if (a->failing)
			GD_LOG("audit log %s: writing again", a->path);
		a->failing = false;
	}
}

static void
rotate(struct gd_audit *a)
{
	char old[sizeof(a->path) + 80], when[64], err[512];
	struct au_chain keep = a->chain;

	iso_time(gd_now_ms(), when);
	snprintf(old, sizeof(old), "%s.%s", a->path, when);
	if (rename(a->path, old) != 0) {
		GD_LOG("audit log %s: cannot rotate to %s: %s; keeps growing", a->path, old,
		       strerror(errno));
		a->rotate_bytes = UINT64_MAX;
		return;
	}
	close(a->fd);
	if (open_log(a, err, sizeof(err)) != 0) {
		GD_LOG("%s", err);
		a->failing = true;
		return;
	}
	a->chain = keep; /* the new file continues the old chain */
	{
		struct gc_json j;
		long start = line_begin(a, &j, "control", gd_now_ms());

		gc_json_str(&j, "event", "rotate");
		gc_json_str(&j, "detail", old);
		line_end(a, start);
	}
	flush_batch(a, 1, true);
	GD_LOG("audit log rotated: %s continues in %s", old, a->path);
}

static void *
writer_main(void *arg)
{
	struct gd_audit *a = arg;
	struct dp_shared *sh = a->sh;
	void *objs[GD_AUDIT_BURST];

	while (!atomic_load(&a->stop)) {
		unsigned int n, i;
		int64_t t = gd_now_ms();

		/* the heartbeat says "records handed over will be written": not while failing */
		if (!a->failing)
			atomic_store_explicit(&sh->control_heartbeat_ms, (uint64_t)t,
					      memory_order_relaxed);
		pthread_mutex_lock(&a->lock);
		n = rte_ring_sc_dequeue_burst(sh->audit_ring, objs, GD_AUDIT_BURST, NULL);
		for (i = 0; i < n; i++)
			format_decision(a, objs[i]);
		if (n != 0)
			rte_mempool_put_bulk(sh->audit_pool, objs, n);
		if (t - a->last_summary_ms >= GD_AUDIT_SUMMARY_MS) {
			uint64_t before = a->chain.seq;

			format_summary(a, t);
			n += (unsigned int)(a->chain.seq - before);
			a->last_summary_ms = t;
		}
		flush_batch(a, n, n == 0);
		atomic_fetch_add(&a->records, n);
		if (a->size >= 0 && (uint64_t)a->size >= a->rotate_bytes && a->unsynced == 0)
			rotate(a);
		pthread_mutex_unlock(&a->lock);
		if (n == 0)
			usleep(1000);
	}
	return NULL;
}

int
gd_audit_open(struct gd_audit *a, struct dp_shared *sh, const char *path, uint64_t rotate_bytes,
	      char *err, size_t errlen)
{
	int rc;

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	a->sh = sh;
	a->rotate_bytes = rotate_bytes != 0 ? rotate_bytes : GD_AUDIT_ROTATE_DEF;
	if (strlen(path) >= sizeof(a->path)) {
		snprintf(err, errlen, "audit log path too long");
		return -1;
	}
	snprintf(a->path, sizeof(a->path), "%s", path);
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return -1;
	}
	rc = pthread_mutex_init(&a->lock, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot create the audit lock: %s", strerror(rc));
		return -1;
	}
	a->ms = open_memstream(&a->ms_buf, &a->ms_len);
	if (a->ms == NULL) {
		snprintf(err, errlen, "out of memory for the audit buffer");
		return -1;
	}
	if (open_log(a, err, errlen) != 0)
		return -1;
	au_hex(a->chain.head, a->head_hex);
	a->head_seq = a->chain.seq;
	a->last_sync_ms = gd_now_ms();
	return 0;
}

int
gd_audit_start(struct gd_audit *a)
{
	int rc = pthread_create(&a->thread, NULL, writer_main, a);

	if (rc == 0)
		a->started = true;
	return -rc;
}

/* End a command or control record, written and synced at once (they are rare), and release
 * the lock its caller took. */
static void
note_end(struct gd_audit *a, long start)
{
	line_end(a, start);
	flush_batch(a, 1, true);
	atomic_fetch_add(&a->records, 1);
	pthread_mutex_unlock(&a->lock);
}

void
gd_audit_note_command(struct gd_audit *a, uint32_t uid, int32_t pid, const char *command,
		      const char *result, const char *detail)
{
	struct gc_json j;
	long start;

	pthread_mutex_lock(&a->lock);
	if (a->ms == NULL) { /* closed: a late note from a thread that outlived the log */
		pthread_mutex_unlock(&a->lock);
		return;
	}
	start = line_begin(a, &j, "command", gd_now_ms());
	gc_json_uint(&j, "uid", uid);
	gc_json_int(&j, "pid", pid);
	gc_json_str(&j, "command", command);
	gc_json_str(&j, "result", result);
	gc_json_str(&j, "detail", detail != NULL ? detail : "");
	note_end(a, start);
}

void
gd_audit_note_control(struct gd_audit *a, const char *event, const char *detail)
{
	struct gc_json j;
	long start;

	pthread_mutex_lock(&a->lock);
	if (a->ms == NULL) { /* closed: a late note from a thread that outlived the log */
		pthread_mutex_unlock(&a->lock);
		return;
	}
	start = line_begin(a, &j, "control", gd_now_ms());
	gc_json_str(&j, "event", event);
	gc_json_str(&j, "detail", detail != NULL ? detail : "");
	note_end(a, start);
}

void
gd_audit_detach(struct gd_audit *a)
{
	if (a->started) {
		atomic_store(&a->stop, true);
		pthread_join(a->thread, NULL);
		a->started = false;
	}
	if (a->sh == NULL)
		return;
	/* say we are going before we go: guardd fails closed from this moment */
	atomic_store_explicit(&a->sh->control_heartbeat_ms, 0, memory_order_relaxed);
	pthread_mutex_lock(&a->lock);
	if (a->fd >= 0) {
		void *objs[GD_AUDIT_BURST];
		unsigned int n;

		/* records handed over before the heartbeat stopped are still written */
		while ((n = rte_ring_sc_dequeue_burst(a->sh->audit_ring, objs, GD_AUDIT_BURST,
						      NULL)) != 0) {
			for (unsigned int i = 0; i < n; i++)
				format_decision(a, objs[i]);
			rte_mempool_put_bulk(a->sh->audit_pool, objs, n);
			flush_batch(a, n, false);
		}
		flush_batch(a, 0, true);
	}
	a->sh = NULL;
	pthread_mutex_unlock(&a->lock);
}

void
gd_audit_close(struct gd_audit *a)
{
	gd_audit_detach(a);
	if (a->fd >= 0) {
		gd_audit_note_control(a, "stop", "guard-control stopping");
		pthread_mutex_lock(&a->lock);
		close(a->fd);
		a->fd = -1;
		pthread_mutex_unlock(&a->lock);
	}
	pthread_mutex_lock(&a->lock);
	if (a->ms != NULL)
		fclose(a->ms);
	free(a->ms_buf);
	a->ms = NULL;
	a->ms_buf = NULL;
	pthread_mutex_unlock(&a->lock);
}

void
gd_audit_head(struct gd_audit *a, char hex[AU_HEX_LEN + 1], uint64_t *seq)
{
	pthread_mutex_lock(&a->lock);
	memcpy(hex, a->head_hex, AU_HEX_LEN + 1);
	*seq = a->head_seq;
	pthread_mutex_unlock(&a->lock);
}
