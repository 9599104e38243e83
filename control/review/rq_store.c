/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The durable review queue (rq_store.h): SQLite in WAL mode, one transaction per change.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "au_chain.h"
#include "rq_schema.h"
#include "rq_store.h"

struct rq_store {
	sqlite3 *db;
	uint64_t max_items, max_bytes;
	char path[];
};

static const char *const state_names[RQ_STATE_COUNT] = {
	[RQ_PENDING] = "pending", [RQ_APPROVED] = "approved", [RQ_REJECTED] = "rejected",
	[RQ_SENDING] = "sending", [RQ_RELEASED] = "released", [RQ_INTERRUPTED] = "interrupted",
};

const char *
rq_state_name(unsigned int st)
{
	return st < RQ_STATE_COUNT ? state_names[st] : NULL;
}

int
rq_state_parse(const char *name)
{
	for (unsigned int i = 0; name != NULL && i < RQ_STATE_COUNT; i++)
		if (strcmp(name, state_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
rq_kind_name(unsigned int k)
{
	return k == RQ_KIND_OBJECT ? "object" : k == RQ_KIND_MESSAGE ? "message" : NULL;
}

const char *
rq_strerror(int rc)
{
	switch (rc) {
	case RQ_OK:
		return "ok";
	case RQ_E_DB:
		return "db";
	case RQ_E_BUSY:
		return "busy";
	case RQ_E_INVAL:
		return "inval";
	case RQ_E_NOTFOUND:
		return "not_found";
	case RQ_E_STATE:
		return "not_pending";
	case RQ_E_SELF:
		return "self_approval";
	case RQ_E_TWICE:
		return "already_approved";
	case RQ_E_ACTION:
		return "unknown_action";
	case RQ_E_FULL_ITEMS:
		return "queue_full_items";
	case RQ_E_FULL_BYTES:
		return "queue_full_bytes";
	case RQ_E_SCHEMA:
		return "schema";
	case RQ_E_EXISTS:
		return "exists";
	case RQ_E_CORRUPT:
		return "corrupt";
	}
	return "unknown";
}

const char *
rq_path(const struct rq_store *s)
{
	return s->path;
}

/* --- errors ----------------------------------------------------------------------------- */

static int __attribute__((format(printf, 4, 5)))
fail(int rc, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/*
 * A database error: "review queue PATH: WHAT: sqlite3_errmsg". SQLITE_BUSY/LOCKED (another
 * process held the lock past the busy timeout) is RQ_E_BUSY so a caller can tell "try again"
 * from "broken".
 */
static int
dbfail(struct rq_store *s, int src, const char *what, char *err, size_t errlen)
{
	int prim = src & 0xff;

	return fail(prim == SQLITE_BUSY || prim == SQLITE_LOCKED ? RQ_E_BUSY : RQ_E_DB, err, errlen,
		    "review queue %s: %s: %s (sqlite %d)", s->path, what, sqlite3_errmsg(s->db),
		    src);
}

/* --- statements ------------------------------------------------------------------------- */

static int
prep(struct rq_store *s, sqlite3_stmt **st, const char *sql, char *err, size_t errlen)
{
	int src = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);

	if (src != SQLITE_OK) {
		*st = NULL;
		return dbfail(s, src, "prepare", err, errlen);
	}
	return 0;
}

/*
 * Bind parameters 1.. from @p fmt: 't' const char * (NULL binds ''), 'i' int64_t, 'u'
 * uint64_t (0 binds NULL: "none" for times and sequence numbers), 'b' const void *, size_t.
 */
static int
vbind(sqlite3_stmt *st, const char *fmt, va_list *ap)
{
	static const char empty[1] = "";
	int src = SQLITE_OK;

	for (int i = 1; src == SQLITE_OK && *fmt != '\0'; fmt++, i++) {
		switch (*fmt) {
		case 't': {
			const char *t = va_arg(*ap, const char *);
			src = sqlite3_bind_text(st, i, t != NULL ? t : "", -1, SQLITE_STATIC);
			break;
		}
		case 'i':
			src = sqlite3_bind_int64(st, i, va_arg(*ap, int64_t));
			break;
		case 'u': {
			uint64_t v = va_arg(*ap, uint64_t);
			src = v == 0 ? sqlite3_bind_null(st, i)
				     : sqlite3_bind_int64(st, i, (sqlite3_int64)v);
			break;
		}
		case 'b': {
			const void *p = va_arg(*ap, const void *);
			size_t n = va_arg(*ap, size_t);
			/* a NULL pointer would bind SQL NULL; an empty blob is wanted */
			src = sqlite3_bind_blob64(st, i, n > 0 ? p : empty, n, SQLITE_STATIC);
			break;
		}
		default:
			src = SQLITE_MISUSE;
		}
	}
	return src;
}

static int
bind(sqlite3_stmt *st, const char *fmt, ...)
{
	va_list ap;
	int src;

	va_start(ap, fmt);
	src = vbind(st, fmt, &ap);
	va_end(ap);
	return src;
}

/* Run a statement that returns no rows (or whose rows are not wanted) and finalize it. */
static int
run(struct rq_store *s, sqlite3_stmt *st, const char *what, char *err, size_t errlen)
{
	int src = sqlite3_step(st);

	while (src == SQLITE_ROW)
		src = sqlite3_step(st);
	if (src != SQLITE_DONE) {
		int rc = dbfail(s, src, what, err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	src = sqlite3_finalize(st);
	return src == SQLITE_OK ? 0 : dbfail(s, src, what, err, errlen);
}

/* prep + bind + run of one statement; @p fmt/... as bind(). */
static int
exec_bound(struct rq_store *s, const char *what, char *err, size_t errlen, const char *sql,
	   const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc, src;

	if ((rc = prep(s, &st, sql, err, errlen)) != 0)
		return rc;
	va_start(ap, fmt);
	src = vbind(st, fmt, &ap);
	va_end(ap);
	if (src != SQLITE_OK) {
		rc = dbfail(s, src, what, err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	return run(s, st, what, err, errlen);
}

static int
exec_sql(struct rq_store *s, const char *sql, const char *what, char *err, size_t errlen)
{
	int src = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return src == SQLITE_OK ? 0 : dbfail(s, src, what, err, errlen);
}

/* One integer from a single-row query with parameters bound by @p fmt ("" for none). */
static int
query_int(struct rq_store *s, int64_t *out, const char *what, char *err, size_t errlen,
	  const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc, src;

	if ((rc = prep(s, &st, sql, err, errlen)) != 0)
		return rc;
	va_start(ap, fmt);
	src = vbind(st, fmt, &ap);
	va_end(ap);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	if (src != SQLITE_ROW) {
		rc = dbfail(s, src == SQLITE_DONE ? SQLITE_INTERNAL : src, what, err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	*out = sqlite3_column_int64(st, 0);
	src = sqlite3_finalize(st);
	return src == SQLITE_OK ? 0 : dbfail(s, src, what, err, errlen);
}

/* --- transactions ----------------------------------------------------------------------- */

/*
 * Every change takes the write lock up front: a deferred transaction that reads first and
 * then writes can fail at once with SQLITE_BUSY_SNAPSHOT in WAL mode when another process
 * wrote in between, without waiting for the busy timeout.
 */
static int
tx_begin(struct rq_store *s, char *err, size_t errlen)
{
	return exec_sql(s, "BEGIN IMMEDIATE", "begin transaction", err, errlen);
}

static int
tx_commit(struct rq_store *s, char *err, size_t errlen)
{
	int rc = exec_sql(s, "COMMIT", "commit", err, errlen);

	if (rc != 0 && !sqlite3_get_autocommit(s->db))
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Undo after an error; the error already written stays (a failed rollback adds nothing). */
static void
tx_rollback(struct rq_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* --- open ------------------------------------------------------------------------------- */

static int
pragma_int(struct rq_store *s, const char *name, int64_t *v, char *err, size_t errlen)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA %s", name);
	return query_int(s, v, name, err, errlen, sql, "");
}

/*
 * What the file is: 1 ours at our version, 0 empty (create it), or RQ_E_SCHEMA with the
 * reason. Reads the header only, so a foreign file is refused before anything is written.
 */
static int
check_schema(struct rq_store *s, char *err, size_t errlen)
{
	int64_t app, ver, tables;
	int rc;

	if ((rc = pragma_int(s, "application_id", &app, err, errlen)) != 0 ||
	    (rc = pragma_int(s, "user_version", &ver, err, errlen)) != 0 ||
	    (rc = query_int(s, &tables, "read schema", err, errlen,
			    "SELECT count(*) FROM sqlite_schema", "")) != 0)
		return rc;
	if (app != 0 && app != RQ_APPLICATION_ID)
		return fail(
			RQ_E_SCHEMA, err, errlen,
			"review queue %s: not a review queue (SQLite application_id 0x%08" PRIx64
			", want 0x%08x): refusing to touch it",
			s->path, (uint64_t)app & 0xffffffffu, RQ_APPLICATION_ID);
	if (ver > RQ_SCHEMA_VERSION)
		return fail(RQ_E_SCHEMA, err, errlen,
			    "review queue %s: schema version %" PRId64
			    " is newer than this build's %d: it was written by a newer guard; "
			    "run that version (this one does not downgrade the file)",
			    s->path, ver, RQ_SCHEMA_VERSION);
	if (app == 0 && ver == 0) {
		if (tables != 0)
			return fail(RQ_E_SCHEMA, err, errlen,
				    "review queue %s: an SQLite database with %" PRId64
				    " schema objects but no review queue mark: refusing to use it",
				    s->path, tables);
		return 0;
	}
	if (app != RQ_APPLICATION_ID || ver < 1)
		return fail(RQ_E_SCHEMA, err, errlen,
			    "review queue %s: inconsistent header (application_id 0x%08" PRIx64
			    ", user_version %" PRId64 "): refusing to use it",
			    s->path, (uint64_t)app & 0xffffffffu, ver);
	/* versions 1..RQ_SCHEMA_VERSION-1 would be migrated here; 1 is the first */
	return 1;
}

static int
create_schema(struct rq_store *s, char *err, size_t errlen)
{
	char sql[128];
	int rc;

	if ((rc = tx_begin(s, err, errlen)) != 0)
		return rc;
	/* another process may have created it between our look and our lock */
	rc = check_schema(s, err, errlen);
	if (rc == 0) {
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; PRAGMA user_version = %d",
			 RQ_APPLICATION_ID, RQ_SCHEMA_VERSION);
		if ((rc = exec_sql(s, RQ_SCHEMA_SQL, "create schema", err, errlen)) == 0)
			rc = exec_sql(s, sql, "set schema version", err, errlen);
		if (rc == 0)
			return tx_commit(s, err, errlen);
	}
	tx_rollback(s);
	return rc < 0 ? rc : 0;
}

/*
 * Switch to WAL (a no-op once the file is in WAL mode). The switch needs the file to
 * itself; SQLite does not call the busy handler where waiting could deadlock, so two
 * processes creating the queue at once see SQLITE_BUSY here at once: retry until the busy
 * timeout.
 */
static int
set_wal(struct rq_store *s, uint32_t busy_ms, char *err, size_t errlen)
{
	for (uint32_t waited = 0;; waited += 10) {
		sqlite3_stmt *st;
		const char *mode;
		int rc, src;

		if ((rc = prep(s, &st, "PRAGMA journal_mode = WAL", err, errlen)) != 0)
			return rc;
		src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			mode = (const char *)sqlite3_column_text(st, 0);
			if (mode == NULL || sqlite3_stricmp(mode, "wal") != 0)
				rc = fail(
					RQ_E_DB, err, errlen,
					"review queue %s: cannot use WAL mode (journal mode stays "
					"%s): put the queue on a local file system",
					s->path, mode != NULL ? mode : "?");
			src = sqlite3_finalize(st);
			if (rc == 0 && src != SQLITE_OK)
				rc = dbfail(s, src, "set WAL mode", err, errlen);
			return rc;
		}
		rc = dbfail(s, src, "set WAL mode", err, errlen);
		sqlite3_finalize(st);
		if (rc != RQ_E_BUSY || waited >= busy_ms)
			return rc;
		usleep(10 * 1000);
	}
}

int
rq_open(const char *path, const struct rq_config *cfg, struct rq_store **out, char *err,
	size_t errlen)
{
	struct rq_config def = {0};
	struct rq_store *s;
	size_t plen;
	int rc, src, fd;

	*out = NULL;
	if (cfg == NULL)
		cfg = &def;
	if (path == NULL || *path == '\0')
		return fail(RQ_E_INVAL, err, errlen, "review queue: no path given");
	plen = strlen(path);
	if ((s = calloc(1, sizeof(*s) + plen + 1)) == NULL)
		return fail(RQ_E_DB, err, errlen, "review queue %s: out of memory", path);
	memcpy(s->path, path, plen + 1);
	s->max_items = cfg->max_items;
	s->max_bytes = cfg->max_bytes;

	/*
	 * Create the file ourselves so it gets our mode, not 0644: it holds classified content.
	 * SQLite gives its -wal and -shm files the database file's mode.
	 */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		  cfg->create_mode != 0 ? (mode_t)cfg->create_mode : 0640);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST) {
		rc = fail(RQ_E_DB, err, errlen, "review queue %s: cannot create: %s", path,
			  strerror(errno));
		free(s);
		return rc;
	}

	src = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (src != SQLITE_OK) {
		rc = fail(RQ_E_DB, err, errlen, "review queue %s: cannot open: %s", path,
			  s->db != NULL ? sqlite3_errmsg(s->db) : sqlite3_errstr(src));
		goto fail_close;
	}
	if ((src = sqlite3_extended_result_codes(s->db, 1)) != SQLITE_OK ||
	    (src = sqlite3_busy_timeout(s->db, cfg->busy_ms != 0 ? (int)cfg->busy_ms
								 : RQ_BUSY_MS_DEFAULT)) !=
		    SQLITE_OK) {
		rc = dbfail(s, src, "configure connection", err, errlen);
		goto fail_close;
	}
	/* one read transaction: the header and the table count from one snapshot */
	if ((rc = exec_sql(s, "BEGIN", "begin read", err, errlen)) != 0)
		goto fail_close;
	rc = check_schema(s, err, errlen);
	tx_rollback(s);
	if (rc < 0)
		goto fail_close;

	/*
	 * WAL: readers (reviewers listing, the pump looking for work) never wait for a writer,
	 * and a commit is one append + fsync of the log. synchronous=FULL makes that fsync
	 * happen at every commit: NORMAL would lose the last commits on power loss.
	 */
	if ((rc = set_wal(s, cfg->busy_ms != 0 ? cfg->busy_ms : RQ_BUSY_MS_DEFAULT, err, errlen)) !=
	    0)
		goto fail_close;
	/*
	 * journal_size_limit: a WAL that grew with big objects is cut back to 64 MiB after a
	 * checkpoint instead of keeping its largest size forever.
	 */
	if ((rc = exec_sql(s,
			   "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
			   "PRAGMA journal_size_limit = 67108864",
			   "set synchronous and foreign_keys", err, errlen)) != 0)
		goto fail_close;
	if (rc == 0 && (rc = create_schema(s, err, errlen)) != 0)
		goto fail_close;
	*out = s;
	return 0;

fail_close:
	sqlite3_close(s->db);
	free(s);
	return rc;
}

void
rq_close(struct rq_store *s)
{
	if (s == NULL)
		return;
	/* sqlite3_close_v2 would defer; every statement is finalized by now, so close works */
	(void)sqlite3_close(s->db);
	free(s);
}

void
rq_set_bounds(struct rq_store *s, uint64_t max_items, uint64_t max_bytes)
{
	s->max_items = max_items;
	s->max_bytes = max_bytes;
}

/* --- counters --------------------------------------------------------------------------- */

/* Take @p n numbers from counter @p key (inside a write transaction): the first in *first. */
static int
take_counter(struct rq_store *s, const char *key, uint64_t n, uint64_t *first, char *err,
	     size_t errlen)
{
	int64_t v;
	int rc;

	if ((rc = query_int(s, &v, "read counter", err, errlen,
			    "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?", "t", key)) !=
	    0)
		return rc;
	if (v < 1 || (uint64_t)v > (uint64_t)INT64_MAX - n)
		return fail(RQ_E_DB, err, errlen,
			    "review queue %s: counter %s is broken (%" PRId64 ")", s->path, key, v);
	*first = (uint64_t)v;
	return exec_bound(s, "advance counter", err, errlen,
			  "UPDATE meta SET value = CAST(? AS TEXT) WHERE key = ?", "it",
			  (int64_t)(*first + n), key);
}

/* --- submit ----------------------------------------------------------------------------- */

static bool
blank(const char *p)
{
	return p == NULL || *p == '\0';
}

/*
 * One item's checks and inserts, inside the caller's transaction. A refusal (RQ_E_INVAL,
 * RQ_E_FULL_*) has written nothing; any other error leaves the transaction to roll back.
 */
/* What the bounds count, read once per transaction and kept up to date by submit_in_tx(). */
struct queued {
	int64_t items, bytes;
};

static int
count_queued(struct rq_store *s, struct queued *q, char *err, size_t errlen)
{
	int rc = query_int(s, &q->items, "count queued items", err, errlen,
			   "SELECT count(*) FROM items "
			   "WHERE state IN ('pending', 'approved', 'sending')",
			   "");

	if (rc != 0)
		return rc;
	return query_int(s, &q->bytes, "count queued bytes", err, errlen,
			 "SELECT coalesce(sum(size + text_size), 0) FROM items "
			 "WHERE state IN ('pending', 'approved', 'sending')",
			 "");
}

static int
submit_in_tx(struct rq_store *s, const struct rq_new *in, struct queued *q, int64_t *id, char *err,
	     size_t errlen)
{
	static const char *const insert_sql =
		"INSERT INTO items (kind, channel, source_id, originator, submitted_ms, "
		"declared_type, real_type, label, level, reason, findings, text_size, "
		"content_sha256, size, generation) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	const char *findings = in->findings != NULL ? in->findings : "[]";
	uint8_t hash[AU_HASH_LEN];
	char hex[AU_HEX_LEN + 1];
	int64_t n_items, n_bytes, valid;
	uint64_t add;
	sqlite3_stmt *st;
	int rc, src;

	if (rq_kind_name(in->kind) == NULL)
		return fail(RQ_E_INVAL, err, errlen,
			    "review submit: kind %d is neither object "
			    "nor message",
			    (int)in->kind);
	if (blank(in->channel) || blank(in->source_id) || blank(in->reason))
		return fail(
			RQ_E_INVAL, err, errlen,
			"review submit: %s is empty (channel, source_id and reason are required)",
			blank(in->channel)     ? "channel"
			: blank(in->source_id) ? "source_id"
					       : "reason");
	if (in->level > RQ_LEVEL_MAX && in->level != RQ_LEVEL_UNKNOWN)
		return fail(
			RQ_E_INVAL, err, errlen,
			"review submit: level %u is neither a NATO level 0..4 nor 255 (unknown)",
			in->level);
	if (in->content == NULL || in->content_len == 0)
		return fail(RQ_E_INVAL, err, errlen,
			    "review submit: no content (nothing to release)");
	if (in->text == NULL && in->text_len != 0)
		return fail(RQ_E_INVAL, err, errlen, "review submit: text length without text");
	if (in->content_len > (uint64_t)INT32_MAX || in->text_len > (uint64_t)INT32_MAX)
		return fail(RQ_E_INVAL, err, errlen, "review submit: size out of range");
	if (in->submitted_ms > (uint64_t)INT64_MAX || in->generation > (uint64_t)INT64_MAX)
		return fail(RQ_E_INVAL, err, errlen,
			    "review submit: time or generation out of range");
	add = (uint64_t)in->content_len + in->text_len;

	au_sha256(in->content, in->content_len, hash);
	au_hex(hash, hex);

	/* the schema checks it too; asking first gives the caller a useful message */
	if ((rc = query_int(s, &valid, "check findings", err, errlen, "SELECT json_valid(?)", "t",
			    findings)) != 0)
		goto out;
	if (!valid) {
		rc = fail(RQ_E_INVAL, err, errlen, "review submit: findings are not valid JSON");
		goto out;
	}
	n_items = q->items;
	n_bytes = q->bytes;
	if (s->max_items != 0 && (uint64_t)n_items >= s->max_items) {
		rc = fail(RQ_E_FULL_ITEMS, err, errlen,
			  "review queue full: %" PRId64 " items pending, approved or sending "
			  "(queue_max_items %" PRIu64 "): the new item is not queued",
			  n_items, s->max_items);
		goto out;
	}
	if (s->max_bytes != 0 && (uint64_t)n_bytes + add > s->max_bytes) {
		rc = fail(RQ_E_FULL_BYTES, err, errlen,
			  "review queue full: %" PRId64 " bytes queued + %" PRIu64
			  " new > queue_max_bytes %" PRIu64 "%s: the new item is not queued",
			  n_bytes, add, s->max_bytes,
			  add > s->max_bytes ? " (it alone is larger than the whole bound)" : "");
		goto out;
	}

	if ((rc = prep(s, &st, insert_sql, err, errlen)) != 0)
		goto out;
	src = bind(st, "ttttitttittitii", rq_kind_name(in->kind), in->channel, in->source_id,
		   in->originator, (int64_t)in->submitted_ms, in->declared_type, in->real_type,
		   in->label, (int64_t)in->level, in->reason, findings, (int64_t)in->text_len, hex,
		   (int64_t)in->content_len, (int64_t)in->generation);
	if (src != SQLITE_OK) {
		rc = dbfail(s, src, "bind new item", err, errlen);
		sqlite3_finalize(st);
		goto out;
	}
	if ((rc = run(s, st, "insert item", err, errlen)) != 0)
		goto out;
	*id = sqlite3_last_insert_rowid(s->db);
	if ((rc = prep(s, &st, "INSERT INTO item_data (item_id, text, content) VALUES (?, ?, ?)",
		       err, errlen)) != 0)
		goto out;
	src = bind(st, "ibb", *id, in->text, in->text_len, in->content, in->content_len);
	if (src != SQLITE_OK) {
		rc = dbfail(s, src, "bind item data", err, errlen);
		sqlite3_finalize(st);
		goto out;
	}
	if ((rc = run(s, st, "insert item data", err, errlen)) != 0)
		goto out;
	q->items++;
	q->bytes += (int64_t)add;
	return 0;
out:
	return rc;
}

int
rq_submit(struct rq_store *s, const struct rq_new *in, int64_t *id, char *err, size_t errlen)
{
	struct queued q;
	int rc = tx_begin(s, err, errlen);

	if (rc != 0)
		return rc;
	rc = count_queued(s, &q, err, errlen);
	if (rc == 0)
		rc = submit_in_tx(s, in, &q, id, err, errlen);
	if (rc != 0) {
		tx_rollback(s);
		return rc;
	}
	return tx_commit(s, err, errlen);
}

int
rq_submit_many(struct rq_store *s, const struct rq_new *in, size_t n, int64_t *ids, int *rcs,
	       char *err, size_t errlen)
{
	char one[RQ_ERR_MAX];
	struct queued q;
	int rc = tx_begin(s, err, errlen);

	if (rc != 0)
		return rc;
	rc = count_queued(s, &q, err, errlen);
	if (rc != 0) {
		tx_rollback(s);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		ids[i] = 0;
		rcs[i] = submit_in_tx(s, &in[i], &q, &ids[i], one, sizeof(one));
		if (rcs[i] != 0 && rcs[i] != RQ_E_INVAL && !RQ_IS_FULL(rcs[i])) {
			snprintf(err, errlen, "%s", one);
			tx_rollback(s);
			return rcs[i];
		}
	}
	return tx_commit(s, err, errlen);
}

/* --- reading ---------------------------------------------------------------------------- */

#define ITEM_COLUMNS                                                                            \
	"SELECT id, kind, state, channel, source_id, originator, declared_type, real_type, "    \
	"label, level, reason, findings, content_sha256, size, text_size, generation, "         \
	"submitted_ms, decided_ms, (SELECT count(*) FROM actions a WHERE a.item_id = items.id " \
	"AND a.action = 'approve'), release_seq, rec_first, rec_count, sending_ms, "            \
	"released_ms, release_note"
#define ITEM_N_COLUMNS 25

static const char *
col_text(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	return t != NULL ? t : "";
}

static uint64_t
col_u64(sqlite3_stmt *st, int i)
{
	sqlite3_int64 v = sqlite3_column_int64(st, i);

	return v > 0 ? (uint64_t)v : 0;
}

/* A row of ITEM_COLUMNS into @p it (strings point into the statement's row). */
static void
row_item(sqlite3_stmt *st, struct rq_item *it)
{
	int st_i = rq_state_parse(col_text(st, 2));

	memset(it, 0, sizeof(*it));
	it->id = sqlite3_column_int64(st, 0);
	it->kind = strcmp(col_text(st, 1), "message") == 0 ? RQ_KIND_MESSAGE : RQ_KIND_OBJECT;
	it->state = st_i >= 0 ? (enum rq_state)st_i : RQ_INTERRUPTED;
	it->channel = col_text(st, 3);
	it->source_id = col_text(st, 4);
	it->originator = col_text(st, 5);
	it->declared_type = col_text(st, 6);
	it->real_type = col_text(st, 7);
	it->label = col_text(st, 8);
	it->level = (uint8_t)sqlite3_column_int(st, 9);
	it->reason = col_text(st, 10);
	it->findings = col_text(st, 11);
	it->content_sha256 = col_text(st, 12);
	it->size = col_u64(st, 13);
	it->text_size = col_u64(st, 14);
	it->generation = col_u64(st, 15);
	it->submitted_ms = col_u64(st, 16);
	it->decided_ms = col_u64(st, 17);
	it->n_approvals = (uint32_t)col_u64(st, 18);
	it->release_seq = col_u64(st, 19);
	it->rec_first = col_u64(st, 20);
	it->rec_count = (uint32_t)col_u64(st, 21);
	it->sending_ms = col_u64(st, 22);
	it->released_ms = col_u64(st, 23);
	it->release_note = col_text(st, 24);
}

static int
each_item(struct rq_store *s, sqlite3_stmt *st, rq_item_cb cb, void *arg, char *err, size_t errlen)
{
	struct rq_item it;
	int src, stop = 0;

	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		row_item(st, &it);
		if ((stop = cb(&it, arg)) != 0)
			break;
	}
	if (stop == 0 && src != SQLITE_DONE) {
		int rc = dbfail(s, src, "list items", err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	if ((src = sqlite3_finalize(st)) != SQLITE_OK && stop == 0)
		return dbfail(s, src, "list items", err, errlen);
	return stop;
}

int
rq_list(struct rq_store *s, const char *state, uint32_t limit, rq_item_cb cb, void *arg, char *err,
	size_t errlen)
{
	bool all = state == NULL || strcmp(state, "all") == 0;
	sqlite3_stmt *st;
	int rc, src;

	if (!all && rq_state_parse(state) < 0)
		return fail(
			RQ_E_INVAL, err, errlen,
			"review list: unknown state '%s' (pending, approved, rejected, sending, "
			"released, interrupted or all)",
			state);
	rc = prep(s, &st,
		  all ? ITEM_COLUMNS " FROM items WHERE ?1 IS NULL ORDER BY id LIMIT ?2"
		      : ITEM_COLUMNS " FROM items WHERE state = ?1 ORDER BY id LIMIT ?2",
		  err, errlen);
	if (rc != 0)
		return rc;
	src = all ? sqlite3_bind_null(st, 1) : sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	if (src == SQLITE_OK)
		src = sqlite3_bind_int64(st, 2, limit != 0 ? (sqlite3_int64)limit : -1);
	if (src != SQLITE_OK) {
		rc = dbfail(s, src, "list items", err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	return each_item(s, st, cb, arg, err, errlen);
}

int
rq_sending_items(struct rq_store *s, rq_item_cb cb, void *arg, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	rc = prep(s, &st, ITEM_COLUMNS " FROM items WHERE state = 'sending' ORDER BY release_seq",
		  err, errlen);
	return rc != 0 ? rc : each_item(s, st, cb, arg, err, errlen);
}

int
rq_next_approved(struct rq_store *s, int64_t *id, uint64_t *release_seq, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc, src;

	rc = prep(s, &st,
		  "SELECT id, release_seq FROM items WHERE state = 'approved' "
		  "ORDER BY release_seq LIMIT 1",
		  err, errlen);
	if (rc != 0)
		return rc;
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*release_seq = col_u64(st, 1);
		rc = 1;
	} else if (src != SQLITE_DONE) {
		rc = dbfail(s, src, "find next approved item", err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	src = sqlite3_finalize(st);
	return src == SQLITE_OK ? rc : dbfail(s, src, "find next approved item", err, errlen);
}

int
rq_count(struct rq_store *s, struct rq_counts *c, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc, src;

	memset(c, 0, sizeof(*c));
	c->max_items = s->max_items;
	c->max_bytes = s->max_bytes;
	rc = prep(s, &st,
		  "SELECT state, count(*), coalesce(sum(size + text_size), 0) FROM items "
		  "GROUP BY state",
		  err, errlen);
	if (rc != 0)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		int i = rq_state_parse(col_text(st, 0));
		if (i < 0)
			continue;
		c->items[i] = col_u64(st, 1);
		c->bytes[i] = col_u64(st, 2);
	}
	if (src != SQLITE_DONE) {
		rc = dbfail(s, src, "count items", err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	if ((src = sqlite3_finalize(st)) != SQLITE_OK)
		return dbfail(s, src, "count items", err, errlen);
	for (int i = RQ_PENDING; i < RQ_STATE_COUNT; i++) {
		if (i == RQ_PENDING || i == RQ_APPROVED || i == RQ_SENDING) {
			c->queued_items += c->items[i];
			c->queued_bytes += c->bytes[i];
		}
	}
	return 0;
}

/* --- rq_get: an owned copy --------------------------------------------------------------- */

struct blk {
	struct blk *next;
	max_align_t data[];
};

struct item_owned {
	struct rq_item it; /* first: rq_item_free() gets it back */
	struct blk *mem;
};

static void *
own_alloc(struct item_owned *o, size_t n)
{
	struct blk *b = malloc(sizeof(*b) + n + 1);

	if (b == NULL)
		return NULL;
	b->next = o->mem;
	o->mem = b;
	return b->data;
}

static const char *
own_str(struct item_owned *o, const char *str, bool *oom)
{
	size_t n = strlen(str);
	char *p = own_alloc(o, n);

	if (p == NULL) {
		*oom = true;
		return "";
	}
	memcpy(p, str, n + 1);
	return p;
}

static const uint8_t *
own_blob(struct item_owned *o, const void *p, size_t n, bool *oom)
{
	uint8_t *q = own_alloc(o, n);

	if (q == NULL) {
		*oom = true;
		return NULL;
	}
	if (n > 0)
		memcpy(q, p, n);
	q[n] = 0; /* text can be printed as a C string */
	return q;
}

void
rq_item_free(struct rq_item *it)
{
	struct item_owned *o = (struct item_owned *)(void *)it;

	if (o == NULL)
		return;
	while (o->mem != NULL) {
		struct blk *b = o->mem;
		o->mem = b->next;
		free(b);
	}
	free(o);
}

static int
load_item(struct rq_store *s, int64_t id, struct item_owned *o, char *err, size_t errlen)
{
	struct rq_item *it = &o->it;
	uint8_t hash[AU_HASH_LEN];
	char hex[AU_HEX_LEN + 1];
	struct rq_action *acts;
	sqlite3_stmt *st;
	bool oom = false;
	int64_t n_act;
	int rc, src;
	uint32_t i;

	rc = prep(s, &st,
		  ITEM_COLUMNS ", d.text, d.content FROM items LEFT JOIN item_data d "
			       "ON d.item_id = items.id WHERE items.id = ?",
		  err, errlen);
	if (rc != 0)
		return rc;
	if ((src = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK ||
	    ((src = sqlite3_step(st)) != SQLITE_ROW && src != SQLITE_DONE)) {
		rc = dbfail(s, src, "read item", err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	if (src == SQLITE_DONE) {
		sqlite3_finalize(st);
		return fail(RQ_E_NOTFOUND, err, errlen, "review item %" PRId64 " does not exist",
			    id);
	}
	row_item(st, it);
	it->channel = own_str(o, it->channel, &oom);
	it->source_id = own_str(o, it->source_id, &oom);
	it->originator = own_str(o, it->originator, &oom);
	it->declared_type = own_str(o, it->declared_type, &oom);
	it->real_type = own_str(o, it->real_type, &oom);
	it->label = own_str(o, it->label, &oom);
	it->reason = own_str(o, it->reason, &oom);
	it->findings = own_str(o, it->findings, &oom);
	it->content_sha256 = own_str(o, it->content_sha256, &oom);
	it->release_note = own_str(o, it->release_note, &oom);
	it->text = own_blob(o, sqlite3_column_blob(st, ITEM_N_COLUMNS),
			    (size_t)sqlite3_column_bytes(st, ITEM_N_COLUMNS), &oom);
	it->content = own_blob(o, sqlite3_column_blob(st, ITEM_N_COLUMNS + 1),
			       (size_t)sqlite3_column_bytes(st, ITEM_N_COLUMNS + 1), &oom);
	if (it->text_size != (uint64_t)sqlite3_column_bytes(st, ITEM_N_COLUMNS) ||
	    it->size != (uint64_t)sqlite3_column_bytes(st, ITEM_N_COLUMNS + 1) ||
	    sqlite3_column_type(st, ITEM_N_COLUMNS + 1) == SQLITE_NULL) {
		sqlite3_finalize(st);
		return fail(RQ_E_CORRUPT, err, errlen,
			    "review item %" PRId64 ": its stored bytes are missing or their sizes "
			    "differ from the item's: the queue file was changed outside the guard",
			    id);
	}
	if ((src = sqlite3_finalize(st)) != SQLITE_OK)
		return dbfail(s, src, "read item", err, errlen);
	if (oom)
		return fail(RQ_E_DB, err, errlen, "review item %" PRId64 ": out of memory", id);

	au_sha256(it->content, it->size, hash);
	au_hex(hash, hex);
	if (strcmp(hex, it->content_sha256) != 0)
		return fail(RQ_E_CORRUPT, err, errlen,
			    "review item %" PRId64 ": content SHA-256 %s does not match the stored "
			    "%s: the queue file was changed outside the guard; do not release it",
			    id, hex, it->content_sha256);

	if ((rc = query_int(s, &n_act, "count actions", err, errlen,
			    "SELECT count(*) FROM actions WHERE item_id = ?", "i", id)) != 0)
		return rc;
	acts = own_alloc(o, sizeof(*acts) * (size_t)(n_act > 0 ? n_act : 1));
	if (acts == NULL)
		return fail(RQ_E_DB, err, errlen, "review item %" PRId64 ": out of memory", id);
	it->actions = acts;
	rc = prep(s, &st,
		  "SELECT id, action, reviewer, uid, at_ms, comment FROM actions "
		  "WHERE item_id = ? ORDER BY id",
		  err, errlen);
	if (rc != 0)
		return rc;
	if ((src = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK) {
		rc = dbfail(s, src, "read actions", err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	for (i = 0; i < (uint32_t)n_act && (src = sqlite3_step(st)) == SQLITE_ROW; i++) {
		acts[i].id = sqlite3_column_int64(st, 0);
		acts[i].approve = strcmp(col_text(st, 1), "approve") == 0;
		acts[i].reviewer = own_str(o, col_text(st, 2), &oom);
		acts[i].uid = (uint32_t)sqlite3_column_int64(st, 3);
		acts[i].at_ms = col_u64(st, 4);
		acts[i].comment = own_str(o, col_text(st, 5), &oom);
	}
	it->n_actions = i;
	if (i == (uint32_t)n_act)
		src = sqlite3_step(st);
	if (src != SQLITE_DONE) {
		rc = dbfail(s, src, "read actions", err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	if ((src = sqlite3_finalize(st)) != SQLITE_OK)
		return dbfail(s, src, "read actions", err, errlen);
	if (oom)
		return fail(RQ_E_DB, err, errlen, "review item %" PRId64 ": out of memory", id);
	return 0;
}

int
rq_get(struct rq_store *s, int64_t id, struct rq_item **out, char *err, size_t errlen)
{
	struct item_owned *o;
	int rc;

	*out = NULL;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return fail(RQ_E_DB, err, errlen, "review item %" PRId64 ": out of memory", id);
	/* one read transaction: the item and its actions from the same snapshot */
	if ((rc = exec_sql(s, "BEGIN", "begin read", err, errlen)) != 0) {
		free(o);
		return rc;
	}
	rc = load_item(s, id, o, err, errlen);
	tx_rollback(s);
	if (rc != 0) {
		rq_item_free(&o->it);
		return rc;
	}
	*out = &o->it;
	return 0;
}

/* --- decisions -------------------------------------------------------------------------- */

int
rq_decide(struct rq_store *s, int64_t id, const char *reviewer, uint32_t uid, const char *action,
	  const char *comment, uint8_t two_person_level, uint64_t now_ms, struct rq_decision *d,
	  char *err, size_t errlen)
{
	struct rq_decision dec = {0};
	int64_t v, level, approvals;
	char state[16];
	bool approve, self;
	sqlite3_stmt *st;
	int rc, src;

	if (action == NULL || (strcmp(action, "approve") != 0 && strcmp(action, "reject") != 0))
		return fail(RQ_E_ACTION, err, errlen,
			    "review item %" PRId64 ": unknown action '%s' (approve or reject)", id,
			    action != NULL ? action : "");
	approve = action[0] == 'a';
	if (blank(reviewer))
		return fail(RQ_E_INVAL, err, errlen,
			    "review item %" PRId64 ": no reviewer name (is the uid in the policy's "
			    "review.reviewers?)",
			    id);
	if (now_ms > (uint64_t)INT64_MAX)
		return fail(RQ_E_INVAL, err, errlen, "review decide: time out of range");

	if ((rc = tx_begin(s, err, errlen)) != 0)
		return rc;
	if ((rc = prep(s, &st, "SELECT state, originator, level FROM items WHERE id = ?", err,
		       errlen)) != 0)
		goto out;
	if ((src = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK ||
	    ((src = sqlite3_step(st)) != SQLITE_ROW && src != SQLITE_DONE)) {
		rc = dbfail(s, src, "read item", err, errlen);
		sqlite3_finalize(st);
		goto out;
	}
	if (src == SQLITE_DONE) {
		sqlite3_finalize(st);
		rc = fail(RQ_E_NOTFOUND, err, errlen, "review item %" PRId64 " does not exist", id);
		goto out;
	}
	snprintf(state, sizeof(state), "%s", col_text(st, 0));
	/*
	 * ASCII case-insensitive: originators are [A-Za-z0-9._@-], reviewer names lower case;
	 * "Carol" on the high side and reviewer "carol" are taken to be the same person.
	 */
	self = col_text(st, 1)[0] != '\0' && sqlite3_stricmp(col_text(st, 1), reviewer) == 0;
	level = sqlite3_column_int64(st, 2);
	if ((src = sqlite3_finalize(st)) != SQLITE_OK) {
		rc = dbfail(s, src, "read item", err, errlen);
		goto out;
	}
	if (strcmp(state, "pending") != 0) {
		rc = fail(RQ_E_STATE, err, errlen,
			  "review item %" PRId64 " is %s, not pending: it can no longer be %s", id,
			  state, approve ? "approved" : "rejected");
		goto out;
	}
	if (self) {
		rc = fail(RQ_E_SELF, err, errlen,
			  "review item %" PRId64 ": %s submitted it and cannot %s it: another "
			  "reviewer must decide",
			  id, reviewer, action);
		goto out;
	}
	if (approve) {
		if ((rc = query_int(s, &v, "read actions", err, errlen,
				    "SELECT count(*) FROM actions WHERE item_id = ? AND "
				    "action = 'approve' AND (reviewer = ? OR uid = ?)",
				    "iti", id, reviewer, (int64_t)uid)) != 0)
			goto out;
		if (v > 0) {
			rc = fail(RQ_E_TWICE, err, errlen,
				  "review item %" PRId64 ": %s (uid %u) has approved it already: "
				  "the second approval must come from another reviewer",
				  id, reviewer, uid);
			goto out;
		}
	}
	if ((rc = exec_bound(s, "record action", err, errlen,
			     "INSERT INTO actions (item_id, action, reviewer, uid, at_ms, comment) "
			     "VALUES (?, ?, ?, ?, ?, ?)",
			     "ittiit", id, action, reviewer, (int64_t)uid, (int64_t)now_ms,
			     comment)) != 0)
		goto out;
	if ((rc = query_int(s, &approvals, "count approvals", err, errlen,
			    "SELECT count(*) FROM actions WHERE item_id = ? AND action = 'approve'",
			    "i", id)) != 0)
		goto out;
	dec.approvals = (uint32_t)approvals;
	/* an unknown level (255) is at or above any threshold: two reviewers */
	dec.required = level >= two_person_level ? 2 : 1;
	dec.state = RQ_PENDING;
	if (!approve) {
		dec.state = RQ_REJECTED;
		rc = exec_bound(s, "reject item", err, errlen,
				"UPDATE items SET state = 'rejected', decided_ms = ? WHERE id = ?",
				"ii", (int64_t)now_ms, id);
	} else if (dec.approvals >= dec.required) {
		dec.state = RQ_APPROVED;
		if ((rc = take_counter(s, "rq.next_release_seq", 1, &dec.release_seq, err,
				       errlen)) == 0)
			rc = exec_bound(s, "approve item", err, errlen,
					"UPDATE items SET state = 'approved', decided_ms = ?, "
					"release_seq = ? WHERE id = ?",
					"iii", (int64_t)now_ms, (int64_t)dec.release_seq, id);
	}
	if (rc != 0)
		goto out;
	if ((rc = tx_commit(s, err, errlen)) != 0)
		return rc;
	if (d != NULL)
		*d = dec;
	return 0;
out:
	tx_rollback(s);
	return rc;
}

/* --- release ---------------------------------------------------------------------------- */

/* Inside a transaction: item @p id must be in state @p want. */
static int
need_state(struct rq_store *s, int64_t id, const char *want, const char *op, char *err,
	   size_t errlen)
{
	sqlite3_stmt *st;
	char state[16];
	int rc, src;

	if ((rc = prep(s, &st, "SELECT state FROM items WHERE id = ?", err, errlen)) != 0)
		return rc;
	if ((src = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK ||
	    ((src = sqlite3_step(st)) != SQLITE_ROW && src != SQLITE_DONE)) {
		rc = dbfail(s, src, "read item", err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	if (src == SQLITE_DONE) {
		sqlite3_finalize(st);
		return fail(RQ_E_NOTFOUND, err, errlen, "review item %" PRId64 " does not exist",
			    id);
	}
	snprintf(state, sizeof(state), "%s", col_text(st, 0));
	if ((src = sqlite3_finalize(st)) != SQLITE_OK)
		return dbfail(s, src, "read item", err, errlen);
	if (strcmp(state, want) != 0)
		return fail(RQ_E_STATE, err, errlen,
			    "review item %" PRId64 " is %s, not %s: cannot %s", id, state, want,
			    op);
	return 0;
}

int
rq_release_begin(struct rq_store *s, int64_t id, uint32_t n_records, uint64_t now_ms,
		 uint64_t *first_rec_seq, char *err, size_t errlen)
{
	uint64_t first = 0;
	int rc;

	if (n_records == 0)
		return fail(RQ_E_INVAL, err, errlen,
			    "review item %" PRId64 ": release of 0 records", id);
	if (now_ms > (uint64_t)INT64_MAX)
		return fail(RQ_E_INVAL, err, errlen, "review release: time out of range");
	if ((rc = tx_begin(s, err, errlen)) != 0)
		return rc;
	if ((rc = need_state(s, id, "approved", "start its release", err, errlen)) != 0 ||
	    (rc = take_counter(s, "rq.next_rec_seq", n_records, &first, err, errlen)) != 0 ||
	    (rc = exec_bound(s, "start release", err, errlen,
			     "UPDATE items SET state = 'sending', rec_first = ?, rec_count = ?, "
			     "sending_ms = ? WHERE id = ?",
			     "iiii", (int64_t)first, (int64_t)n_records, (int64_t)now_ms, id)) !=
		    0) {
		tx_rollback(s);
		return rc;
	}
	if ((rc = tx_commit(s, err, errlen)) != 0)
		return rc;
	*first_rec_seq = first;
	return 0;
}

static int
release_end(struct rq_store *s, int64_t id, const char *to, const char *why, uint64_t now_ms,
	    char *err, size_t errlen)
{
	int rc;

	if (now_ms > (uint64_t)INT64_MAX)
		return fail(RQ_E_INVAL, err, errlen, "review release: time out of range");
	if ((rc = tx_begin(s, err, errlen)) != 0)
		return rc;
	if ((rc = need_state(s, id, "sending",
			     to[0] == 'r' ? "mark it released" : "mark it interrupted", err,
			     errlen)) != 0 ||
	    (rc = exec_bound(s, "end release", err, errlen,
			     "UPDATE items SET state = ?, released_ms = ?, release_note = ? "
			     "WHERE id = ?",
			     "titi", to, (int64_t)now_ms, why, id)) != 0) {
		tx_rollback(s);
		return rc;
	}
	return tx_commit(s, err, errlen);
}

int
rq_release_done(struct rq_store *s, int64_t id, uint64_t now_ms, char *err, size_t errlen)
{
	return release_end(s, id, "released", "", now_ms, err, errlen);
}

int
rq_release_interrupt(struct rq_store *s, int64_t id, const char *why, uint64_t now_ms, char *err,
		     size_t errlen)
{
	if (blank(why))
		return fail(RQ_E_INVAL, err, errlen,
			    "review item %" PRId64 ": an interrupted release needs a reason", id);
	return release_end(s, id, "interrupted", why, now_ms, err, errlen);
}

/* --- meta ------------------------------------------------------------------------------- */

static int
check_key(const char *key, char *err, size_t errlen)
{
	if (blank(key) || strlen(key) > 128)
		return fail(RQ_E_INVAL, err, errlen, "review meta: key empty or longer than 128");
	return 0;
}

int
rq_meta_get(struct rq_store *s, const char *key, char *buf, size_t cap, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc, src;

	if ((rc = check_key(key, err, errlen)) != 0)
		return rc;
	if ((rc = prep(s, &st, "SELECT value FROM meta WHERE key = ?", err, errlen)) != 0)
		return rc;
	if ((src = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC)) != SQLITE_OK ||
	    ((src = sqlite3_step(st)) != SQLITE_ROW && src != SQLITE_DONE)) {
		rc = dbfail(s, src, "read meta", err, errlen);
		sqlite3_finalize(st);
		return rc;
	}
	rc = 0;
	if (src == SQLITE_ROW) {
		const char *v = col_text(st, 0);
		size_t n = strlen(v);
		if (n >= cap)
			rc = fail(RQ_E_INVAL, err, errlen,
				  "review meta %s: value of %zu bytes does not fit %zu", key, n,
				  cap);
		else {
			memcpy(buf, v, n + 1);
			rc = 1;
		}
	}
	if ((src = sqlite3_finalize(st)) != SQLITE_OK)
		return dbfail(s, src, "read meta", err, errlen);
	return rc;
}

int
rq_meta_set(struct rq_store *s, const char *key, const char *value, char *err, size_t errlen)
{
	int rc;

	if ((rc = check_key(key, err, errlen)) != 0)
		return rc;
	if (strncmp(key, RQ_META_RESERVED, strlen(RQ_META_RESERVED)) == 0)
		return fail(RQ_E_INVAL, err, errlen,
			    "review meta %s: keys starting with '" RQ_META_RESERVED
			    "' belong to the queue itself",
			    key);
	if (value == NULL || strlen(value) > RQ_META_VALUE_MAX)
		return fail(RQ_E_INVAL, err, errlen,
			    "review meta %s: value missing or longer than %d bytes", key,
			    RQ_META_VALUE_MAX);
	if ((rc = tx_begin(s, err, errlen)) != 0)
		return rc;
	if ((rc = exec_bound(s, "write meta", err, errlen,
			     "INSERT INTO meta (key, value) VALUES (?, ?) "
			     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			     "tt", key, value)) != 0) {
		tx_rollback(s);
		return rc;
	}
	return tx_commit(s, err, errlen);
}

/* --- export ----------------------------------------------------------------------------- */

struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void
sb_put(struct sbuf *b, const void *p, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *q;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((q = realloc(b->p, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void __attribute__((format(printf, 2, 3))) sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Length of the valid UTF-8 sequence at @p p (at most @p n bytes), or 0 if invalid. */
static size_t
utf8_seq(const uint8_t *p, size_t n)
{
	uint32_t c;
	size_t len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, c = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return len;
}

static bool
utf8_valid(const uint8_t *p, size_t n)
{
	for (size_t i = 0, k; i < n; i += k)
		if ((k = utf8_seq(p + i, n - i)) == 0)
			return false;
	return true;
}

/* A JSON string; invalid UTF-8 bytes become U+FFFD. */
static void
sb_json_str(struct sbuf *b, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t i = 0, k;

	sb_put(b, "\"", 1);
	while (i < n) {
		uint8_t ch = p[i];
		if (ch == '"' || ch == '\\') {
			sb_put(b, "\\", 1);
			sb_put(b, &p[i++], 1);
		} else if (ch == '\n') {
			sb_put(b, "\\n", 2), i++;
		} else if (ch == '\t') {
			sb_put(b, "\\t", 2), i++;
		} else if (ch == '\r') {
			sb_put(b, "\\r", 2), i++;
		} else if (ch < 0x20 || ch == 0x7f) {
			sb_printf(b, "\\u%04x", ch), i++;
		} else if ((k = utf8_seq(p + i, n - i)) == 0) {
			sb_put(b, "\\ufffd", 6), i++;
		} else {
			sb_put(b, p + i, k), i += k;
		}
	}
	sb_put(b, "\"", 1);
}

static void
sb_member_str(struct sbuf *b, const char *name, const char *v)
{
	sb_printf(b, ",\n  \"%s\": ", name);
	sb_json_str(b, v, strlen(v));
}

static void
sb_member_u64(struct sbuf *b, const char *name, uint64_t v, bool zero_is_null)
{
	if (zero_is_null && v == 0)
		sb_printf(b, ",\n  \"%s\": null", name);
	else
		sb_printf(b, ",\n  \"%s\": %" PRIu64, name, v);
}

static const char *
type_ext(const char *mime)
{
	static const char *const map[][2] = {
		{"application/pdf", "pdf"},
		{"image/jpeg", "jpg"},
		{"image/png", "png"},
		{"text/plain", "txt"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(mime, map[i][0]) == 0)
			return map[i][1];
	return "bin";
}

static void
sidecar_json(struct sbuf *b, const struct rq_item *it, const char *content_file)
{
	const char *base = strrchr(content_file, '/');

	sb_printf(b, "{\n  \"id\": %" PRId64, it->id);
	sb_member_str(b, "kind", rq_kind_name(it->kind));
	sb_member_str(b, "state", rq_state_name(it->state));
	sb_member_str(b, "channel", it->channel);
	sb_member_str(b, "source_id", it->source_id);
	sb_member_str(b, "originator", it->originator);
	sb_member_str(b, "declared_type", it->declared_type);
	sb_member_str(b, "real_type", it->real_type);
	sb_member_str(b, "label", it->label);
	sb_member_u64(b, "level", it->level, false);
	sb_member_str(b, "reason", it->reason);
	/* findings: valid JSON (the schema's CHECK), embedded as is */
	sb_printf(b, ",\n  \"findings\": ");
	sb_put(b, it->findings, strlen(it->findings));
	sb_printf(b, ",\n  \"text\": ");
	if (utf8_valid(it->text, it->text_size))
		sb_json_str(b, it->text, it->text_size);
	else
		sb_put(b, "null", 4);
	sb_member_str(b, "content_file", base != NULL ? base + 1 : content_file);
	sb_member_str(b, "content_sha256", it->content_sha256);
	sb_member_u64(b, "size", it->size, false);
	sb_member_u64(b, "text_size", it->text_size, false);
	sb_member_u64(b, "generation", it->generation, false);
	sb_member_u64(b, "submitted_ms", it->submitted_ms, false);
	sb_member_u64(b, "decided_ms", it->decided_ms, true);
	sb_member_u64(b, "approvals", it->n_approvals, false);
	sb_member_u64(b, "release_seq", it->release_seq, true);
	sb_member_u64(b, "rec_first", it->rec_first, true);
	sb_member_u64(b, "rec_count", it->rec_count, true);
	sb_member_u64(b, "sending_ms", it->sending_ms, true);
	sb_member_u64(b, "released_ms", it->released_ms, true);
	sb_member_str(b, "release_note", it->release_note);
	sb_printf(b, ",\n  \"actions\": [");
	for (uint32_t i = 0; i < it->n_actions; i++) {
		const struct rq_action *a = &it->actions[i];
		sb_printf(b, "%s\n    {\"id\": %" PRId64 ", \"action\": \"%s\", \"reviewer\": ",
			  i ? "," : "", a->id, a->approve ? "approve" : "reject");
		sb_json_str(b, a->reviewer, strlen(a->reviewer));
		sb_printf(b, ", \"uid\": %u, \"at_ms\": %" PRIu64 ", \"comment\": ", a->uid,
			  a->at_ms);
		sb_json_str(b, a->comment, strlen(a->comment));
		sb_put(b, "}", 1);
	}
	sb_printf(b, "%s]\n}\n", it->n_actions ? "\n  " : "");
}

static int
write_new(const char *path, const void *data, size_t n, char *err, size_t errlen)
{
	const uint8_t *p = data;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);

	if (fd < 0)
		return fail(errno == EEXIST ? RQ_E_EXISTS : RQ_E_DB, err, errlen,
			    "review export: %s: %s%s", path, strerror(errno),
			    errno == EEXIST ? " (export never overwrites)" : "");
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;
			close(fd);
			unlink(path);
			return fail(RQ_E_DB, err, errlen, "review export: writing %s: %s", path,
				    strerror(e));
		}
		p += w;
		n -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		int e = errno;
		unlink(path);
		return fail(RQ_E_DB, err, errlen, "review export: writing %s: %s", path,
			    strerror(e));
	}
	return 0;
}

int
rq_export(struct rq_store *s, int64_t id, const char *path, char *written, size_t cap, char *err,
	  size_t errlen)
{
	struct sbuf b = {0};
	struct rq_item *it;
	char content[4096], side[4096 + 8];
	struct stat sb;
	int rc, n;

	if (blank(path))
		return fail(RQ_E_INVAL, err, errlen, "review export: no path given");
	if ((rc = rq_get(s, id, &it, err, errlen)) != 0)
		return rc;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		n = snprintf(content, sizeof(content), "%s/review-%" PRId64 ".%s", path, id,
			     type_ext(it->real_type));
		if (n > 0 && (size_t)n < sizeof(content))
			n = snprintf(side, sizeof(side), "%s/review-%" PRId64 ".json", path, id);
	} else {
		n = snprintf(content, sizeof(content), "%s", path);
		if (n > 0 && (size_t)n < sizeof(content))
			n = snprintf(side, sizeof(side), "%s.json", path);
	}
	if (n < 0 || (size_t)n >= sizeof(content)) {
		rq_item_free(it);
		return fail(RQ_E_INVAL, err, errlen, "review export: path too long");
	}
	sidecar_json(&b, it, content);
	if (b.oom) {
		rc = fail(RQ_E_DB, err, errlen, "review export: out of memory");
		goto out;
	}
	/* the sidecar first: if it exists, nothing has been written yet */
	if ((rc = write_new(side, b.p, b.len, err, errlen)) != 0)
		goto out;
	if ((rc = write_new(content, it->content, it->size, err, errlen)) != 0) {
		unlink(side);
		goto out;
	}
	if (written != NULL && cap > 0)
		snprintf(written, cap, "%s", content);
out:
	free(b.p);
	rq_item_free(it);
	return rc;
}
