/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The review queue (control/review/rq_store.h): schema and its refusal of other files,
 * submit and its bounds, the two-person rule with its exact refusals, the release state
 * machine, reading, export, meta, two processes at once, and kill -9 at random moments
 * (every commit a child reported is there afterwards, and the file passes integrity_check).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rq_store.h"
#include "test.h"

static char dir[256];
static char err[RQ_ERR_MAX];

static void
mkpath(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", dir, name);
}

/* Raw SQL on the file, bypassing the store (what another tool or an attacker could do). */
static int
raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	int rc = sqlite3_open(path, &db);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static int64_t
raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

/* First column of the first row as text (static buffer). */
static const char *
raw_text(const char *path, const char *sql)
{
	static char out[512];
	sqlite3 *db;
	sqlite3_stmt *st;

	snprintf(out, sizeof(out), "(none)");
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
			snprintf(out, sizeof(out), "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return out;
}

static struct rq_new
mk(const char *originator, uint8_t level, const char *content)
{
	struct rq_new n = {
		.kind = RQ_KIND_OBJECT,
		.channel = "objects_out",
		.source_id = "00000000000000a1",
		.originator = originator,
		.declared_type = "application/pdf",
		.real_type = "application/pdf",
		.label = "NATO SECRET//REL TO GBR, USA",
		.level = level,
		.reason = "review term 3005",
		.findings = "[{\"kind\":\"term\",\"rule\":3005,\"offset\":4,\"text\":\"ALPHA\"}]",
		.text = "the ALPHA text",
		.text_len = 14,
		.content = content,
		.content_len = strlen(content),
		.generation = 7,
		.submitted_ms = 1000,
	};
	return n;
}

static int64_t
submit(struct rq_store *s, const char *originator, uint8_t level, const char *content)
{
	struct rq_new n = mk(originator, level, content);
	int64_t id = -1;
	int rc = rq_submit(s, &n, &id, err, sizeof(err));

	if (rc != 0)
		printf("# submit: %s\n", err);
	return id;
}

static int
state_of(struct rq_store *s, int64_t id)
{
	struct rq_item *it;
	int st;

	if (rq_get(s, id, &it, err, sizeof(err)) != 0)
		return -1;
	st = (int)it->state;
	rq_item_free(it);
	return st;
}

static struct rq_store *
open_store(const char *path, uint64_t max_items, uint64_t max_bytes)
{
	struct rq_config cfg = {.max_items = max_items, .max_bytes = max_bytes, .busy_ms = 2000};
	struct rq_store *s = NULL;
	int rc = rq_open(path, &cfg, &s, err, sizeof(err));

	if (rc != 0)
		printf("# open %s: %s\n", path, err);
	return s;
}

/* --- open and schema --------------------------------------------------------------------- */

static void
test_open(void)
{
	char path[300], wal[320];
	struct rq_store *s;
	struct stat sb;

	mkpath(path, sizeof(path), "open.db");
	s = open_store(path, 0, 0);
	CHECK(s != NULL, "a new queue file is created");
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0640, "created with mode 0640 (%o)",
	      (unsigned)(sb.st_mode & 0777));
	CHECK_STR(raw_text(path, "PRAGMA journal_mode"), "wal", "the file is in WAL mode");
	CHECK(raw_int(path, "PRAGMA user_version") == RQ_SCHEMA_VERSION,
	      "user_version is the schema version");
	CHECK(raw_int(path, "PRAGMA application_id") == RQ_APPLICATION_ID,
	      "application_id marks the file as a review queue");
	CHECK(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'") == 7,
	      "the schema's seven triggers are there");
	CHECK_STR(rq_path(s), path, "rq_path");
	rq_close(s);
	s = open_store(path, 0, 0);
	CHECK(s != NULL, "an existing queue opens again");
	rq_close(s);

	/* a newer schema: refused, file untouched */
	mkpath(path, sizeof(path), "newer.db");
	CHECK(raw_exec(path, "PRAGMA application_id = 1196578385; PRAGMA user_version = 2; "
			     "CREATE TABLE future (x)") == SQLITE_OK,
	      "a queue file of schema version 2");
	s = NULL;
	CHECK(rq_open(path, NULL, &s, err, sizeof(err)) == RQ_E_SCHEMA && s == NULL,
	      "a newer schema is refused with RQ_E_SCHEMA");
	CHECK(strstr(err, "schema version 2 is newer than this build's 1") != NULL &&
		      strstr(err, path) != NULL,
	      "the message names the file and both versions: %s", err);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	CHECK(access(wal, F_OK) != 0 && raw_int(path, "PRAGMA user_version") == 2,
	      "the newer file was not touched (no WAL, version stays 2)");

	/* a foreign database */
	mkpath(path, sizeof(path), "foreign.db");
	CHECK(raw_exec(path, "CREATE TABLE t (x); INSERT INTO t VALUES (1)") == SQLITE_OK,
	      "some other SQLite database");
	CHECK(rq_open(path, NULL, &s, err, sizeof(err)) == RQ_E_SCHEMA &&
		      strstr(err, "no review queue mark") != NULL,
	      "a database with tables and no mark is refused: %s", err);
	mkpath(path, sizeof(path), "otherapp.db");
	CHECK(raw_exec(path, "PRAGMA application_id = 42") == SQLITE_OK, "another application's");
	CHECK(rq_open(path, NULL, &s, err, sizeof(err)) == RQ_E_SCHEMA &&
		      strstr(err, "not a review queue") != NULL,
	      "a foreign application_id is refused: %s", err);
	mkpath(path, sizeof(path), "notsqlite.db");
	{
		FILE *f = fopen(path, "w");
		fputs("this is not a database, just some text long enough to be a header.....\n"
		      "more more more more more more more more more more more more more more\n",
		      f);
		fclose(f);
	}
	CHECK(rq_open(path, NULL, &s, err, sizeof(err)) == RQ_E_DB, "a non-SQLite file: %s", err);
	CHECK(rq_open("", NULL, &s, err, sizeof(err)) == RQ_E_INVAL, "empty path: %s", err);
	CHECK(rq_open("/nonexistent-dir/q.db", NULL, &s, err, sizeof(err)) == RQ_E_DB &&
		      strstr(err, "cannot create") != NULL,
	      "uncreatable path: %s", err);
}

/* --- submit ------------------------------------------------------------------------------ */

static void
test_submit(void)
{
	char path[300];
	struct rq_store *s;
	struct rq_item *it = NULL;
	struct rq_new n;
	int64_t id;

	mkpath(path, sizeof(path), "submit.db");
	s = open_store(path, 0, 0);

	n = mk("", 2, "abc");
	n.kind = 5;
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_INVAL, "bad kind: %s", err);
	n = mk("", 2, "abc");
	n.channel = "";
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_INVAL && strstr(err, "channel"),
	      "no channel: %s", err);
	n = mk("", 2, "abc");
	n.reason = NULL;
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_INVAL && strstr(err, "reason"),
	      "no reason: %s", err);
	n = mk("", 5, "abc");
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_INVAL && strstr(err, "level 5"),
	      "level 5: %s", err);
	n = mk("", 2, "");
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_INVAL && strstr(err, "no content"),
	      "empty content: %s", err);
	n = mk("", 2, "abc");
	n.findings = "[{\"kind\":}";
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_INVAL &&
		      strstr(err, "not valid JSON"),
	      "findings must be JSON: %s", err);
	CHECK(raw_int(path, "SELECT count(*) FROM items") == 0, "nothing refused was stored");

	n = mk("hq.ops", 2, "abc");
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == 0 && id == 1, "submit: id 1");
	CHECK(rq_get(s, id, &it, err, sizeof(err)) == 0 && it != NULL, "get it back");
	if (it != NULL) {
		CHECK(it->id == 1 && it->kind == RQ_KIND_OBJECT && it->state == RQ_PENDING,
		      "id, kind, pending");
		CHECK_STR(it->channel, "objects_out", "channel");
		CHECK_STR(it->source_id, "00000000000000a1", "source_id");
		CHECK_STR(it->originator, "hq.ops", "originator");
		CHECK_STR(it->declared_type, "application/pdf", "declared_type");
		CHECK_STR(it->real_type, "application/pdf", "real_type");
		CHECK_STR(it->label, "NATO SECRET//REL TO GBR, USA", "label");
		CHECK(it->level == 2 && it->generation == 7 && it->submitted_ms == 1000,
		      "level, generation, submitted_ms");
		CHECK_STR(it->reason, "review term 3005", "reason");
		CHECK_STR(it->findings, n.findings, "findings");
		CHECK_STR(it->content_sha256,
			  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
			  "content_sha256 is SHA-256(\"abc\")");
		CHECK(it->size == 3 && memcmp(it->content, "abc", 3) == 0, "content");
		CHECK(it->text_size == 14 && memcmp(it->text, "the ALPHA text", 14) == 0, "text");
		CHECK(it->decided_ms == 0 && it->release_seq == 0 && it->rec_first == 0 &&
			      it->rec_count == 0 && it->sending_ms == 0 && it->released_ms == 0 &&
			      it->n_actions == 0 && it->n_approvals == 0,
		      "no decision, no release yet");
		rq_item_free(it);
	}
	n = mk(NULL, RQ_LEVEL_UNKNOWN, "m");
	n.kind = RQ_KIND_MESSAGE;
	n.source_id = "uid-42";
	n.findings = NULL;
	n.text = NULL;
	n.text_len = 0;
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == 0 && id == 2,
	      "a message without originator, findings or text");
	CHECK(rq_get(s, 2, &it, err, sizeof(err)) == 0, "get the message");
	if (it != NULL) {
		CHECK(it->kind == RQ_KIND_MESSAGE && it->level == 255 && it->text_size == 0 &&
			      strcmp(it->findings, "[]") == 0 && strcmp(it->originator, "") == 0,
		      "kind message, level 255, no text, findings [], originator ''");
		rq_item_free(it);
	}
	CHECK(rq_get(s, 99, &it, err, sizeof(err)) == RQ_E_NOTFOUND && it == NULL &&
		      strstr(err, "review item 99 does not exist"),
	      "get of an unknown id: %s", err);

	/* a content changed behind the store's back is detected */
	CHECK(raw_exec(path,
		       "DROP TRIGGER item_data_fixed; "
		       "UPDATE item_data SET content = x'616264' WHERE item_id = 1") == SQLITE_OK,
	      "tamper with item 1's content (trigger dropped)");
	CHECK(rq_get(s, 1, &it, err, sizeof(err)) == RQ_E_CORRUPT && strstr(err, "does not match"),
	      "rq_get refuses a content that does not match its SHA-256: %s", err);
	CHECK(raw_exec(path, "DROP TRIGGER item_data_no_delete; "
			     "DELETE FROM item_data WHERE item_id = 2") == SQLITE_OK,
	      "remove item 2's bytes (trigger dropped)");
	CHECK(rq_get(s, 2, &it, err, sizeof(err)) == RQ_E_CORRUPT &&
		      strstr(err, "stored bytes are missing"),
	      "rq_get refuses an item whose bytes are gone: %s", err);
	rq_close(s);
}

/* --- bounds ------------------------------------------------------------------------------ */

static void
test_bounds(void)
{
	char path[300];
	struct rq_store *s;
	struct rq_counts c;
	struct rq_new n;
	int64_t id, a, b;
	uint64_t first;

	mkpath(path, sizeof(path), "bounds.db");
	s = open_store(path, 3, 0);
	a = submit(s, "", 0, "one");
	b = submit(s, "", 0, "two");
	CHECK(submit(s, "", 0, "three") == 3, "three items fit max_items 3");
	n = mk("", 0, "four");
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_FULL_ITEMS,
	      "the fourth: RQ_E_FULL_ITEMS");
	CHECK(strstr(err, "review queue full: 3 items pending, approved or sending "
			  "(queue_max_items 3)") != NULL,
	      "the message names the bound: %s", err);
	CHECK(RQ_IS_FULL(RQ_E_FULL_ITEMS) && RQ_IS_FULL(RQ_E_FULL_BYTES) && !RQ_IS_FULL(RQ_E_DB),
	      "RQ_IS_FULL");
	CHECK_STR(rq_strerror(RQ_E_FULL_ITEMS), "queue_full_items", "rq_strerror");
	CHECK(raw_int(path, "SELECT count(*) FROM items") == 3, "nothing evicted, nothing added");
	/* approved and sending still count; rejected and released do not */
	CHECK(rq_decide(s, a, "alice", 1001, "approve", NULL, 3, 2000, NULL, err, sizeof(err)) == 0,
	      "approve one");
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_FULL_ITEMS, "approved still counts");
	CHECK(rq_release_begin(s, a, 1, 2100, &first, err, sizeof(err)) == 0, "sending");
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_FULL_ITEMS, "sending still counts");
	CHECK(rq_release_done(s, a, 2200, err, sizeof(err)) == 0, "released");
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == 0, "a released item frees its place");
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_FULL_ITEMS, "full again");
	CHECK(rq_decide(s, b, "alice", 1001, "reject", NULL, 3, 2000, NULL, err, sizeof(err)) == 0,
	      "reject one");
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == 0, "a rejected item frees its place");

	/* bytes: content + text of pending/approved/sending */
	rq_set_bounds(s, 0, 100);
	CHECK(rq_count(s, &c, err, sizeof(err)) == 0 && c.queued_items == 3 &&
		      c.queued_bytes == 3 * 14 + 5 + 4 + 4 && c.max_bytes == 100 &&
		      c.max_items == 0,
	      "counted: 3 queued, %" PRIu64 " bytes", c.queued_bytes);
	n = mk("", 0, "0123456789012345678901234567890123456789"); /* 40 + 14 text */
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_FULL_BYTES,
	      "55 + 54 > 100: RQ_E_FULL_BYTES");
	CHECK(strstr(err, "55 bytes queued + 54 new > queue_max_bytes 100") != NULL,
	      "the message names the bytes: %s", err);
	n = mk("", 0, "0123456789012345678901234567890");
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == 0, "55 + 45 = 100 fits exactly");
	rq_set_bounds(s, 0, 10);
	CHECK(rq_submit(s, &n, &id, err, sizeof(err)) == RQ_E_FULL_BYTES &&
		      strstr(err, "it alone is larger than the whole bound"),
	      "an item larger than the bound itself: %s", err);
	rq_close(s);
}

/* --- the two-person rule ------------------------------------------------------------------ */

static void
test_decide(void)
{
	char path[300];
	struct rq_store *s;
	struct rq_decision d;
	struct rq_item *it;
	int64_t low, high, unk, rej, gone;
	const uint8_t SECRET = 3;

	mkpath(path, sizeof(path), "decide.db");
	s = open_store(path, 0, 0);
	low = submit(s, "carol", 2, "low");	      /* NATO CONFIDENTIAL: one approval */
	high = submit(s, "carol", 3, "high");	      /* NATO SECRET: two */
	unk = submit(s, "", RQ_LEVEL_UNKNOWN, "unk"); /* unknown: two */
	rej = submit(s, "", 4, "rej");

	CHECK(rq_decide(s, low, "alice", 1001, "release", NULL, SECRET, 5000, &d, err,
			sizeof(err)) == RQ_E_ACTION &&
		      strstr(err, "unknown action 'release' (approve or reject)"),
	      "unknown action: RQ_E_ACTION: %s", err);
	CHECK(rq_decide(s, low, "alice", 1001, NULL, NULL, SECRET, 5000, &d, err, sizeof(err)) ==
		      RQ_E_ACTION,
	      "NULL action: RQ_E_ACTION");
	CHECK(rq_decide(s, low, "", 1001, "approve", NULL, SECRET, 5000, &d, err, sizeof(err)) ==
		      RQ_E_INVAL,
	      "no reviewer: RQ_E_INVAL: %s", err);
	CHECK(rq_decide(s, 77, "alice", 1001, "approve", NULL, SECRET, 5000, &d, err,
			sizeof(err)) == RQ_E_NOTFOUND &&
		      strstr(err, "review item 77 does not exist"),
	      "unknown item: RQ_E_NOTFOUND: %s", err);
	CHECK(rq_decide(s, low, "carol", 1003, "approve", NULL, SECRET, 5000, &d, err,
			sizeof(err)) == RQ_E_SELF &&
		      strstr(err, "carol submitted it and cannot approve it"),
	      "the originator cannot approve: RQ_E_SELF: %s", err);
	CHECK(rq_decide(s, low, "carol", 1003, "reject", NULL, SECRET, 5000, &d, err,
			sizeof(err)) == RQ_E_SELF,
	      "nor reject: RQ_E_SELF");
	CHECK(rq_decide(s, low, "CAROL", 1003, "approve", NULL, SECRET, 5000, &d, err,
			sizeof(err)) == RQ_E_SELF,
	      "the originator check ignores ASCII case");
	CHECK(raw_int(path, "SELECT count(*) FROM actions") == 0, "no refused action was recorded");

	memset(&d, 0xff, sizeof(d));
	CHECK(rq_decide(s, low, "alice", 1001, "approve", "fine", SECRET, 5001, &d, err,
			sizeof(err)) == 0,
	      "alice approves the CONFIDENTIAL item");
	CHECK(d.state == RQ_APPROVED && d.approvals == 1 && d.required == 1 && d.release_seq == 1,
	      "below two_person_from: one approval, approved, release_seq 1");
	CHECK(rq_decide(s, low, "bob", 1002, "approve", NULL, SECRET, 5002, &d, err, sizeof(err)) ==
			      RQ_E_STATE &&
		      strstr(err, "review item 1 is approved, not pending"),
	      "an approved item: RQ_E_STATE names the state: %s", err);

	CHECK(rq_decide(s, high, "alice", 1001, "approve", NULL, SECRET, 5010, &d, err,
			sizeof(err)) == 0 &&
		      d.state == RQ_PENDING && d.approvals == 1 && d.required == 2 &&
		      d.release_seq == 0,
	      "SECRET: the first approval leaves it pending, 1 of 2");
	CHECK(rq_decide(s, high, "alice", 1001, "approve", NULL, SECRET, 5011, &d, err,
			sizeof(err)) == RQ_E_TWICE &&
		      strstr(err, "alice (uid 1001) has approved it already"),
	      "the same reviewer again: RQ_E_TWICE: %s", err);
	CHECK(rq_decide(s, high, "alice2", 1001, "approve", NULL, SECRET, 5011, &d, err,
			sizeof(err)) == RQ_E_TWICE,
	      "the same uid under another name: RQ_E_TWICE");
	CHECK(rq_decide(s, high, "carol", 1003, "approve", NULL, SECRET, 5011, &d, err,
			sizeof(err)) == RQ_E_SELF,
	      "the originator as second reviewer: RQ_E_SELF");
	CHECK(state_of(s, high) == RQ_PENDING, "still pending");
	CHECK(rq_decide(s, high, "bob", 1002, "approve", "ok", SECRET, 5012, &d, err,
			sizeof(err)) == 0 &&
		      d.state == RQ_APPROVED && d.approvals == 2 && d.required == 2 &&
		      d.release_seq == 2,
	      "bob's approval makes it approved, release_seq 2");

	CHECK(rq_decide(s, unk, "alice", 1001, "approve", NULL, SECRET, 5020, &d, err,
			sizeof(err)) == 0 &&
		      d.state == RQ_PENDING && d.required == 2,
	      "unknown level: two approvals needed");
	CHECK(rq_decide(s, unk, "bob", 1002, "reject", "no", SECRET, 5021, &d, err, sizeof(err)) ==
			      0 &&
		      d.state == RQ_REJECTED && d.approvals == 1,
	      "one reject after an approval: rejected at once");
	CHECK(rq_decide(s, unk, "dave", 1004, "approve", NULL, SECRET, 5022, &d, err,
			sizeof(err)) == RQ_E_STATE &&
		      strstr(err, "is rejected, not pending"),
	      "a rejected item: RQ_E_STATE: %s", err);
	CHECK(rq_decide(s, rej, "alice", 1001, "reject", NULL, SECRET, 5030, NULL, err,
			sizeof(err)) == 0 &&
		      state_of(s, rej) == RQ_REJECTED,
	      "a first reject rejects (d may be NULL)");
	gone = submit(s, "", 0, "x");
	CHECK(rq_decide(s, gone, "alice", 1001, "approve", NULL, 0, 5040, &d, err, sizeof(err)) ==
			      0 &&
		      d.required == 2,
	      "two_person_level 0: every item needs two");
	CHECK(rq_decide(s, gone, "bob", 1002, "approve", NULL, 5, 5041, &d, err, sizeof(err)) ==
			      0 &&
		      d.required == 1 && d.state == RQ_APPROVED && d.release_seq == 3,
	      "required is read at each decision (threshold raised: approved on 1 of 1)");

	CHECK(rq_get(s, high, &it, err, sizeof(err)) == 0, "get the SECRET item");
	if (it != NULL) {
		CHECK(it->n_actions == 2 && it->n_approvals == 2 && it->decided_ms == 5012 &&
			      it->release_seq == 2,
		      "two actions kept, decided_ms, release_seq");
		CHECK(it->actions[0].approve && strcmp(it->actions[0].reviewer, "alice") == 0 &&
			      it->actions[0].uid == 1001 && it->actions[0].at_ms == 5010 &&
			      strcmp(it->actions[0].comment, "") == 0,
		      "first action: alice approve at 5010");
		CHECK(it->actions[1].approve && strcmp(it->actions[1].reviewer, "bob") == 0 &&
			      it->actions[1].uid == 1002 &&
			      strcmp(it->actions[1].comment, "ok") == 0,
		      "second action: bob approve 'ok'");
		rq_item_free(it);
	}
	CHECK(raw_int(path, "SELECT count(*) FROM actions") == 8, "eight actions recorded");

	/* the schema itself refuses what the API never does */
	CHECK(raw_exec(path, "UPDATE items SET state = 'pending' WHERE id = 1") ==
		      SQLITE_CONSTRAINT,
	      "trigger: approved -> pending refused");
	CHECK(raw_exec(path, "UPDATE items SET state = 'released' WHERE id = 1") ==
		      SQLITE_CONSTRAINT,
	      "trigger: approved -> released (skipping sending) refused");
	CHECK(raw_exec(path, "DELETE FROM items WHERE id = 4") == SQLITE_CONSTRAINT,
	      "trigger: items are never deleted");
	CHECK(raw_exec(path, "DELETE FROM item_data WHERE item_id = 4") == SQLITE_CONSTRAINT,
	      "trigger: item bytes are never deleted");
	CHECK(raw_exec(path, "UPDATE item_data SET content = x'00' WHERE item_id = 4") ==
		      SQLITE_CONSTRAINT,
	      "trigger: item bytes are never changed");
	CHECK(raw_exec(path, "DELETE FROM actions") == SQLITE_CONSTRAINT,
	      "trigger: actions are never deleted");
	CHECK(raw_exec(path, "UPDATE actions SET reviewer = 'mallory'") == SQLITE_CONSTRAINT,
	      "trigger: actions are never changed");
	CHECK(raw_exec(path, "UPDATE items SET label = 'NATO UNCLASSIFIED' WHERE id = 2") ==
		      SQLITE_CONSTRAINT,
	      "trigger: evidence is never changed");
	CHECK(raw_exec(path, "PRAGMA foreign_keys = ON; INSERT INTO actions (item_id, action, "
			     "reviewer, uid, at_ms) VALUES (999, 'approve', 'x', 1, 1)") ==
		      SQLITE_CONSTRAINT,
	      "foreign key: an action needs its item");
	rq_close(s);
}

/* --- release state machine ---------------------------------------------------------------- */

struct collect {
	int n;
	int64_t ids[64];
	uint64_t rec_first[64];
	uint32_t rec_count[64];
	int stop_after;
};

static int
collect_cb(const struct rq_item *it, void *arg)
{
	struct collect *c = arg;

	if (c->n < 64) {
		c->ids[c->n] = it->id;
		c->rec_first[c->n] = it->rec_first;
		c->rec_count[c->n] = it->rec_count;
	}
	c->n++;
	if (it->content != NULL || it->text != NULL || it->actions != NULL)
		return 99;
	return c->stop_after != 0 && c->n >= c->stop_after ? 7 : 0;
}

static void
test_release(void)
{
	char path[300], val[64];
	struct rq_store *s;
	struct collect c;
	struct rq_item *it;
	int64_t a, b, p, id;
	uint64_t seq, first;

	mkpath(path, sizeof(path), "release.db");
	s = open_store(path, 0, 0);
	CHECK(rq_next_approved(s, &id, &seq, err, sizeof(err)) == 0, "nothing approved yet");
	a = submit(s, "", 0, "item a");
	b = submit(s, "", 0, "item b");
	p = submit(s, "", 0, "item p");
	/* b approved first: it goes first */
	rq_decide(s, b, "alice", 1001, "approve", NULL, 3, 1, NULL, err, sizeof(err));
	rq_decide(s, a, "alice", 1001, "approve", NULL, 3, 2, NULL, err, sizeof(err));
	CHECK(rq_next_approved(s, &id, &seq, err, sizeof(err)) == 1 && id == b && seq == 1,
	      "the next approved is the one approved first (b, release_seq 1)");

	CHECK(rq_release_begin(s, p, 3, 10, &first, err, sizeof(err)) == RQ_E_STATE &&
		      strstr(err, "is pending, not approved"),
	      "a pending item cannot start sending: %s", err);
	CHECK(rq_release_begin(s, 99, 3, 10, &first, err, sizeof(err)) == RQ_E_NOTFOUND,
	      "unknown item: RQ_E_NOTFOUND");
	CHECK(rq_release_begin(s, b, 0, 10, &first, err, sizeof(err)) == RQ_E_INVAL,
	      "0 records: RQ_E_INVAL");
	CHECK(rq_release_done(s, b, 10, err, sizeof(err)) == RQ_E_STATE &&
		      strstr(err, "is approved, not sending"),
	      "done before begin: RQ_E_STATE: %s", err);

	first = 0;
	CHECK(rq_release_begin(s, b, 3, 100, &first, err, sizeof(err)) == 0 && first == 1,
	      "b: records 1..3");
	CHECK(rq_release_begin(s, b, 3, 100, &first, err, sizeof(err)) == RQ_E_STATE,
	      "begin twice: RQ_E_STATE");
	CHECK(rq_next_approved(s, &id, &seq, err, sizeof(err)) == 1 && id == a && seq == 2,
	      "then a");
	CHECK(rq_release_begin(s, a, 5, 101, &first, err, sizeof(err)) == 0 && first == 4,
	      "a: records 4..8 (contiguous, after b's)");
	memset(&c, 0, sizeof(c));
	CHECK(rq_sending_items(s, collect_cb, &c, err, sizeof(err)) == 0 && c.n == 2 &&
		      c.ids[0] == b && c.rec_first[0] == 1 && c.rec_count[0] == 3 &&
		      c.ids[1] == a && c.rec_first[1] == 4 && c.rec_count[1] == 5,
	      "rq_sending_items: both, in release order, with their ranges");
	CHECK(rq_meta_get(s, "rq.next_rec_seq", val, sizeof(val), err, sizeof(err)) == 1 &&
		      strcmp(val, "9") == 0,
	      "the record counter is at 9 (%s)", val);

	CHECK(rq_release_done(s, b, 200, err, sizeof(err)) == 0 && state_of(s, b) == RQ_RELEASED,
	      "b released");
	CHECK(rq_release_done(s, b, 201, err, sizeof(err)) == RQ_E_STATE &&
		      strstr(err, "is released, not sending"),
	      "released twice: RQ_E_STATE");
	CHECK(rq_release_interrupt(s, a, "", 300, err, sizeof(err)) == RQ_E_INVAL,
	      "interrupt needs a reason");
	CHECK(rq_release_interrupt(s, a, "dataplane restarted (instance 7 -> 8)", 300, err,
				   sizeof(err)) == 0,
	      "a interrupted");
	CHECK(rq_release_interrupt(s, a, "again", 301, err, sizeof(err)) == RQ_E_STATE,
	      "interrupted is final");
	CHECK(rq_get(s, a, &it, err, sizeof(err)) == 0, "get a");
	if (it != NULL) {
		CHECK(it->state == RQ_INTERRUPTED && it->released_ms == 300 &&
			      it->sending_ms == 101 && it->rec_first == 4 && it->rec_count == 5 &&
			      strcmp(it->release_note, "dataplane restarted (instance 7 -> 8)") ==
				      0,
		      "interrupted: note, times and range kept");
		rq_item_free(it);
	}
	CHECK(rq_next_approved(s, &id, &seq, err, sizeof(err)) == 0, "nothing approved left");
	rq_close(s);

	/* counters survive reopening */
	s = open_store(path, 0, 0);
	rq_decide(s, p, "bob", 1002, "approve", NULL, 3, 400, NULL, err, sizeof(err));
	CHECK(rq_next_approved(s, &id, &seq, err, sizeof(err)) == 1 && id == p && seq == 3,
	      "after reopening: release_seq 3");
	CHECK(rq_release_begin(s, p, 2, 401, &first, err, sizeof(err)) == 0 && first == 9,
	      "after reopening: records from 9, never reused");

	/* meta */
	CHECK(rq_meta_get(s, "dataplane.instance", val, sizeof(val), err, sizeof(err)) == 0,
	      "an absent meta key: 0");
	CHECK(rq_meta_set(s, "dataplane.instance", "guardd-1234-17", err, sizeof(err)) == 0 &&
		      rq_meta_set(s, "dataplane.instance", "guardd-1234-18", err, sizeof(err)) == 0,
	      "meta set, twice");
	CHECK(rq_meta_get(s, "dataplane.instance", val, sizeof(val), err, sizeof(err)) == 1 &&
		      strcmp(val, "guardd-1234-18") == 0,
	      "meta get: the last value");
	CHECK(rq_meta_get(s, "dataplane.instance", val, 4, err, sizeof(err)) == RQ_E_INVAL,
	      "meta get into a small buffer: RQ_E_INVAL: %s", err);
	CHECK(rq_meta_set(s, "rq.next_rec_seq", "1", err, sizeof(err)) == RQ_E_INVAL &&
		      strstr(err, "belong to the queue itself"),
	      "the queue's own counters cannot be set: %s", err);
	CHECK(rq_meta_set(s, "", "1", err, sizeof(err)) == RQ_E_INVAL, "empty key");
	rq_close(s);
}

/* --- list, count, export ------------------------------------------------------------------ */

static void
test_read_export(void)
{
	char path[300], exdir[300], file[400], want[420], written[400];
	struct rq_store *s;
	struct rq_counts cnt;
	struct collect c;
	struct rq_new n;
	int64_t a, b, m;
	uint64_t first;
	char *json;
	size_t len;

	mkpath(path, sizeof(path), "read.db");
	s = open_store(path, 0, 0);
	a = submit(s, "hq", 3, "%PDF-1.4 a");
	b = submit(s, "", 1, "%PDF-1.4 b");
	n = mk("hq \"ops\"", 1, "<event/>");
	n.kind = RQ_KIND_MESSAGE;
	n.real_type = n.declared_type = "cot";
	n.source_id = "ANDROID-1";
	n.text = "line1\nline\"2\"\t\x01";
	n.text_len = strlen(n.text);
	n.findings = "[]";
	CHECK(rq_submit(s, &n, &m, err, sizeof(err)) == 0, "a message");
	rq_decide(s, a, "alice", 1001, "approve", "looks \"fine\"", 3, 10, NULL, err, sizeof(err));
	rq_decide(s, a, "bob", 1002, "approve", NULL, 3, 11, NULL, err, sizeof(err));
	rq_release_begin(s, a, 2, 12, &first, err, sizeof(err));
	rq_release_done(s, a, 13, err, sizeof(err));
	rq_decide(s, b, "bob", 1002, "reject", "no", 3, 20, NULL, err, sizeof(err));

	memset(&c, 0, sizeof(c));
	CHECK(rq_list(s, "all", 0, collect_cb, &c, err, sizeof(err)) == 0 && c.n == 3 &&
		      c.ids[0] == a && c.ids[2] == m,
	      "list all: 3 in id order, without blobs");
	memset(&c, 0, sizeof(c));
	CHECK(rq_list(s, NULL, 2, collect_cb, &c, err, sizeof(err)) == 0 && c.n == 2,
	      "list with limit 2");
	memset(&c, 0, sizeof(c));
	CHECK(rq_list(s, "pending", 0, collect_cb, &c, err, sizeof(err)) == 0 && c.n == 1 &&
		      c.ids[0] == m,
	      "list pending: the message");
	memset(&c, 0, sizeof(c));
	CHECK(rq_list(s, "released", 0, collect_cb, &c, err, sizeof(err)) == 0 && c.n == 1 &&
		      c.ids[0] == a && c.rec_first[0] == 1 && c.rec_count[0] == 2,
	      "list released: a with its records");
	memset(&c, 0, sizeof(c));
	c.stop_after = 1;
	CHECK(rq_list(s, "all", 0, collect_cb, &c, err, sizeof(err)) == 7 && c.n == 1,
	      "the callback stops the listing and its value is returned");
	CHECK(rq_list(s, "approvedd", 0, collect_cb, &c, err, sizeof(err)) == RQ_E_INVAL &&
		      strstr(err, "unknown state 'approvedd'"),
	      "unknown state: RQ_E_INVAL: %s", err);

	CHECK(rq_count(s, &cnt, err, sizeof(err)) == 0, "count");
	CHECK(cnt.items[RQ_PENDING] == 1 && cnt.items[RQ_RELEASED] == 1 &&
		      cnt.items[RQ_REJECTED] == 1 && cnt.items[RQ_APPROVED] == 0 &&
		      cnt.bytes[RQ_PENDING] == 8 + n.text_len &&
		      cnt.bytes[RQ_RELEASED] == 10 + 14 && cnt.queued_items == 1 &&
		      cnt.queued_bytes == 8 + n.text_len,
	      "count: items and bytes per state, queued = pending+approved+sending");

	/* export into a directory */
	snprintf(exdir, sizeof(exdir), "%s/export", dir);
	mkdir(exdir, 0700);
	CHECK(rq_export(s, a, exdir, written, sizeof(written), err, sizeof(err)) == 0,
	      "export a into a directory");
	snprintf(want, sizeof(want), "%s/review-%" PRId64 ".pdf", exdir, a);
	CHECK_STR(written, want, "content file named after id and type");
	json = test_read_file(want, &len);
	CHECK(json != NULL && len == 10 && memcmp(json, "%PDF-1.4 a", 10) == 0,
	      "the content bytes");
	free(json);
	snprintf(file, sizeof(file), "%s/review-%" PRId64 ".json", exdir, a);
	json = test_read_file(file, &len);
	CHECK(json != NULL, "the sidecar");
	if (json != NULL) {
		static const char *const members[] = {
			"{\n  \"id\": 1,\n  \"kind\": \"object\",\n  \"state\": \"released\",\n",
			"\n  \"channel\": \"objects_out\",\n  \"source_id\": "
			"\"00000000000000a1\",\n"
			"  \"originator\": \"hq\",\n  \"declared_type\": \"application/pdf\",\n"
			"  \"real_type\": \"application/pdf\",\n"
			"  \"label\": \"NATO SECRET//REL TO GBR, USA\",\n  \"level\": 3,\n"
			"  \"reason\": \"review term 3005\",\n",
			"\n  \"findings\": [{\"kind\":\"term\",\"rule\":3005,\"offset\":4,"
			"\"text\":\"ALPHA\"}],\n  \"text\": \"the ALPHA text\",\n",
			"\n  \"content_file\": \"review-1.pdf\",\n",
			"\n  \"size\": 10,\n  \"text_size\": 14,\n  \"generation\": 7,\n"
			"  \"submitted_ms\": 1000,\n  \"decided_ms\": 11,\n  \"approvals\": 2,\n"
			"  \"release_seq\": 1,\n  \"rec_first\": 1,\n  \"rec_count\": 2,\n"
			"  \"sending_ms\": 12,\n  \"released_ms\": 13,\n  \"release_note\": "
			"\"\",\n",
			"\n  \"actions\": [\n    {\"id\": 1, \"action\": \"approve\", "
			"\"reviewer\": "
			"\"alice\", \"uid\": 1001, \"at_ms\": 10, \"comment\": \"looks "
			"\\\"fine\\\"\"},\n"
			"    {\"id\": 2, \"action\": \"approve\", \"reviewer\": \"bob\", \"uid\": "
			"1002, "
			"\"at_ms\": 11, \"comment\": \"\"}\n  ]\n}\n",
		};
		for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
			CHECK(strstr(json, members[i]) != NULL, "sidecar part %zu is exact", i);
		CHECK(strstr(json, "\"content_sha256\": \"") != NULL, "sidecar has the hash");
		if (test_failed)
			printf("# sidecar:\n%s", json);
		free(json);
	}
	CHECK(rq_export(s, a, exdir, NULL, 0, err, sizeof(err)) == RQ_E_EXISTS &&
		      strstr(err, "never overwrites"),
	      "a second export: RQ_E_EXISTS: %s", err);

	/* export to a file path: PATH and PATH.json */
	snprintf(file, sizeof(file), "%s/msg.xml", exdir);
	CHECK(rq_export(s, m, file, written, sizeof(written), err, sizeof(err)) == 0 &&
		      strcmp(written, file) == 0,
	      "export the message to a file path");
	snprintf(want, sizeof(want), "%s.json", file);
	json = test_read_file(want, &len);
	CHECK(json != NULL &&
		      strstr(json, "\"text\": \"line1\\nline\\\"2\\\"\\t\\u0001\",") != NULL &&
		      strstr(json, "\"originator\": \"hq \\\"ops\\\"\",") != NULL &&
		      strstr(json, "\"decided_ms\": null,") != NULL &&
		      strstr(json, "\"release_seq\": null,") != NULL &&
		      strstr(json, "\"actions\": []\n}\n") != NULL &&
		      strstr(json, "\"kind\": \"message\"") != NULL,
	      "message sidecar: escapes, nulls, no actions");
	free(json);
	/* the sidecar exists, the content not: refused, and nothing created */
	snprintf(file, sizeof(file), "%s/b.bin", exdir);
	snprintf(want, sizeof(want), "%s/b.bin.json", exdir);
	fclose(fopen(want, "w"));
	CHECK(rq_export(s, b, file, NULL, 0, err, sizeof(err)) == RQ_E_EXISTS &&
		      access(file, F_OK) != 0,
	      "an existing sidecar: refused, no content file left: %s", err);
	CHECK(rq_export(s, 77, exdir, NULL, 0, err, sizeof(err)) == RQ_E_NOTFOUND,
	      "export an unknown item: RQ_E_NOTFOUND");
	rq_close(s);
}

/* --- two processes ----------------------------------------------------------------------- */

static void
test_concurrent(void)
{
	char path[300];
	struct rq_store *s, *s2;
	struct rq_config cfg = {.busy_ms = 200};
	struct rq_counts c;
	sqlite3 *raw;
	int64_t id;
	struct rq_new n = mk("", 0, "c");
	struct collect col;
	pid_t pid;
	int status, ok = 1, race_ok = 1, reads = 0;
	uint64_t last = 0;

	/* four processes creating the same new file at once, ten times */
	for (int round = 0; round < 10; round++) {
		pid_t kids[3];
		int kids_ok = 1;
		snprintf(path, sizeof(path), "%s/race%d.db", dir, round);
		fflush(stdout);
		for (int k = 0; k < 3; k++) {
			kids[k] = fork();
			if (kids[k] == 0) {
				struct rq_store *cs = NULL;
				int rc = rq_open(path, NULL, &cs, err, sizeof(err));
				if (rc != 0)
					printf("# child open: %s\n", err);
				fflush(stdout);
				rq_close(cs);
				_exit(rc == 0 ? 0 : 1);
			}
		}
		s = open_store(path, 0, 0);
		for (int k = 0; k < 3; k++) {
			waitpid(kids[k], &status, 0);
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				kids_ok = 0;
		}
		if (s == NULL || !kids_ok)
			race_ok = 0;
		rq_close(s);
	}
	CHECK(race_ok, "four processes create the same queue at once (10 times)");

	/* a writer holding the lock: readers go on, a second writer waits, then gives up */
	mkpath(path, sizeof(path), "conc.db");
	s = open_store(path, 0, 0);
	CHECK(rq_open(path, &cfg, &s2, err, sizeof(err)) == 0, "a second connection");
	submit(s, "", 0, "first");
	CHECK(sqlite3_open(path, &raw) == SQLITE_OK &&
		      sqlite3_exec(raw, "BEGIN IMMEDIATE; INSERT INTO meta VALUES ('x', 'y')", NULL,
				   NULL, NULL) == SQLITE_OK,
	      "a third connection holds the write lock");
	memset(&col, 0, sizeof(col));
	CHECK(rq_list(s2, "all", 0, collect_cb, &col, err, sizeof(err)) == 0 && col.n == 1,
	      "reading is not blocked by the writer (WAL)");
	CHECK(rq_submit(s2, &n, &id, err, sizeof(err)) == RQ_E_BUSY &&
		      strstr(err, "database is locked"),
	      "a writer waits busy_ms, then RQ_E_BUSY: %s", err);
	CHECK(raw_int(path, "SELECT count(*) FROM items") == 1, "nothing half-written");
	sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(raw);
	CHECK(rq_submit(s2, &n, &id, err, sizeof(err)) == 0 && id == 2, "then it can write");
	rq_close(s2);

	/* a child process writes 150 items while this one reads */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rq_store *cs = open_store(path, 0, 0);
		for (int i = 0; cs != NULL && i < 150; i++) {
			int64_t cid;
			if (rq_submit(cs, &n, &cid, err, sizeof(err)) != 0 ||
			    rq_decide(cs, cid, "alice", 1001, "approve", NULL, 3, 1, NULL, err,
				      sizeof(err)) != 0)
				_exit(2);
		}
		rq_close(cs);
		_exit(cs != NULL ? 0 : 1);
	}
	for (;;) {
		int done = waitpid(pid, &status, WNOHANG) == pid;
		if (rq_count(s, &c, err, sizeof(err)) != 0) {
			printf("# count: %s\n", err);
			ok = 0;
		}
		if (c.items[RQ_PENDING] + c.items[RQ_APPROVED] < last)
			ok = 0;
		last = c.items[RQ_PENDING] + c.items[RQ_APPROVED];
		if (c.items[RQ_PENDING] > 3)
			ok = 0; /* 2 before + each submit+approve pair: at most one more */
		reads++;
		if (done)
			break;
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the writer finished");
	CHECK(ok && reads > 1, "%d reads during the writes: no error, never going back", reads);
	CHECK(rq_count(s, &c, err, sizeof(err)) == 0 && c.items[RQ_APPROVED] == 150 &&
		      c.items[RQ_PENDING] == 2,
	      "all 150 of the child's items are there, approved");
	rq_close(s);
}

/* --- kill -9 ----------------------------------------------------------------------------- */

/*
 * The child submits, approves, starts and finishes releases in a loop and reports each step
 * on the pipe after its call returned (committed). Steps: 1 pending, 2 approved, 3 sending,
 * 4 released. After SIGKILL at a random moment, every reported step must be in the file
 * (the state may be one step further: committed, not yet reported).
 */
#define KILL_ROUNDS 20
#define MAX_TRACK   20000

static int step_of[RQ_STATE_COUNT] = {
	[RQ_PENDING] = 1,  [RQ_APPROVED] = 2,  [RQ_SENDING] = 3,
	[RQ_RELEASED] = 4, [RQ_REJECTED] = -1, [RQ_INTERRUPTED] = -1,
};

static void
kill_child(const char *path, int fd, unsigned int round)
{
	struct rq_store *s = open_store(path, 0, 0);
	char line[64];
	char content[64];
	uint64_t first;

	if (s == NULL)
		_exit(1);
	for (unsigned int i = 0;; i++) {
		struct rq_new n;
		int64_t id;
		snprintf(content, sizeof(content), "round %u item %u", round, i);
		n = mk("", 1, content);
		if (rq_submit(s, &n, &id, err, sizeof(err)) != 0)
			_exit(2);
		snprintf(line, sizeof(line), "%" PRId64 " 1 0\n", id);
		if (write(fd, line, strlen(line)) < 0)
			_exit(3);
		if (rq_decide(s, id, "alice", 1001, "approve", NULL, 3, i, NULL, err,
			      sizeof(err)) != 0)
			_exit(4);
		snprintf(line, sizeof(line), "%" PRId64 " 2 0\n", id);
		if (write(fd, line, strlen(line)) < 0)
			_exit(3);
		if (rq_release_begin(s, id, 3, i, &first, err, sizeof(err)) != 0)
			_exit(5);
		snprintf(line, sizeof(line), "%" PRId64 " 3 %" PRIu64 "\n", id, first);
		if (write(fd, line, strlen(line)) < 0)
			_exit(3);
		if (rq_release_done(s, id, i, err, sizeof(err)) != 0)
			_exit(6);
		snprintf(line, sizeof(line), "%" PRId64 " 4 0\n", id);
		if (write(fd, line, strlen(line)) < 0)
			_exit(3);
	}
}

static void
test_kill9(void)
{
	static int reported[MAX_TRACK];
	static uint64_t reported_first[MAX_TRACK];
	char path[300], buf[1 << 16];
	unsigned int seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	int bad_integrity = 0, missing = 0, total_reported = 0, extra_bad = 0, rounds = 0;
	int range_bad = 0;
	int64_t settled = 0;

	printf("# kill -9 seed %u\n", seed);
	srand(seed);
	mkpath(path, sizeof(path), "kill.db");
	memset(reported, 0, sizeof(reported));
	for (unsigned int r = 0; r < KILL_ROUNDS; r++) {
		struct rq_store *s;
		int p[2], status;
		size_t have = 0;
		ssize_t got;
		pid_t pid;
		char *line;
		int64_t max_id;

		if (pipe(p) != 0)
			break;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			close(p[0]);
			kill_child(path, p[1], r);
		}
		close(p[1]);
		/* wait for the first commit (the child is in its loop), then a random moment */
		while (have < sizeof(buf) - 1 && read(p[0], buf + have, 1) == 1)
			if (buf[have++] == '\n')
				break;
		usleep((unsigned int)(rand() % 30000));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (!WIFSIGNALED(status)) {
			printf("# round %u: child exited %d before the kill\n", r,
			       WEXITSTATUS(status));
			close(p[0]);
			continue;
		}
		rounds++;
		/* everything the child wrote before it died */
		while ((got = read(p[0], buf + have, sizeof(buf) - 1 - have)) > 0)
			have += (size_t)got;
		close(p[0]);
		buf[have] = '\0';
		for (line = strtok(buf, "\n"); line != NULL; line = strtok(NULL, "\n")) {
			long long id;
			int step;
			unsigned long long first;
			if (sscanf(line, "%lld %d %llu", &id, &step, &first) == 3 && id > 0 &&
			    id < MAX_TRACK) {
				if (reported[id] == 0)
					total_reported++;
				reported[id] = step;
				if (step == 3)
					reported_first[id] = first;
			}
		}

		if (strcmp(raw_text(path, "PRAGMA integrity_check"), "ok") != 0)
			bad_integrity++;
		s = open_store(path, 0, 0);
		if (s == NULL) {
			missing++;
			continue;
		}
		max_id = raw_int(path, "SELECT coalesce(max(id), 0) FROM items");
		for (int64_t id = settled + 1; id <= max_id && id < MAX_TRACK; id++) {
			struct rq_item *it;
			int st;
			if (rq_get(s, id, &it, err, sizeof(err)) != 0) {
				if (reported[id] != 0) {
					printf("# item %" PRId64 " reported, not found: %s\n", id,
					       err);
					missing++;
				}
				continue;
			}
			st = step_of[it->state];
			if (st < reported[id] || st > reported[id] + 1) {
				printf("# item %" PRId64 ": state %s, reported step %d\n", id,
				       rq_state_name(it->state), reported[id]);
				reported[id] == 0 ? extra_bad++ : missing++;
			}
			if (reported[id] >= 3 && it->rec_first != reported_first[id])
				range_bad++;
			/* finish what the child left half-way, so each round starts clean */
			if (it->state == RQ_PENDING)
				rq_decide(s, id, "bob", 1002, "approve", NULL, 3, 1, NULL, err,
					  sizeof(err));
			if (state_of(s, id) == RQ_APPROVED) {
				uint64_t first;
				rq_release_begin(s, id, 3, 1, &first, err, sizeof(err));
			}
			if (state_of(s, id) == RQ_SENDING)
				rq_release_interrupt(s, id, "test: child killed", 1, err,
						     sizeof(err));
			rq_item_free(it);
		}
		settled = max_id; /* all final now: not checked again */
		for (int64_t id = max_id + 1; id < MAX_TRACK; id++)
			if (reported[id] != 0) {
				printf("# item %" PRId64 " reported, beyond max id\n", id);
				missing++;
			}
		rq_close(s);
	}
	CHECK(rounds >= KILL_ROUNDS - 2, "%d rounds of kill -9 at a random moment", rounds);
	CHECK(total_reported > rounds, "%d items reported committed by the children",
	      total_reported);
	CHECK(bad_integrity == 0, "PRAGMA integrity_check ok after every kill");
	CHECK(missing == 0, "every reported commit is in the file with its state");
	CHECK(extra_bad == 0, "no unreported item beyond its first step");
	CHECK(range_bad == 0, "record ranges reported are the ones stored");
	CHECK(raw_int(path, "SELECT count(*) FROM (SELECT rec_first, rec_count FROM items "
			    "WHERE rec_first IS NOT NULL) a JOIN (SELECT rec_first, rec_count FROM "
			    "items WHERE rec_first IS NOT NULL) b ON a.rec_first < b.rec_first AND "
			    "a.rec_first + a.rec_count > b.rec_first") == 0,
	      "no two releases share a record sequence number");
	CHECK(raw_int(path, "SELECT count(*) FROM items WHERE release_seq IS NULL") == 0,
	      "every item got its release sequence number");
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/test-review-XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	printf("# files in %s\n", dir);
	test_open();
	test_submit();
	test_bounds();
	test_decide();
	test_release();
	test_read_export();
	test_concurrent();
	test_kill9();
	if (!test_failed) {
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
	return test_done();
}
