/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The review queue's schema, version RQ_SCHEMA_VERSION (rq_store.h), private to rq_store.c.
 * docs/slowpath.md carries these statements verbatim for tools that read the file: change
 * them only with a new version number (and a migration in rq_open), and update the doc.
 *
 * The bytes (text, content) live in item_data, written once at submit: SQLite rewrites a
 * whole row on UPDATE, so with the blobs in items every state change of a 4 MiB object
 * rewrote 4 MiB into the WAL (measured: 258 ms for approve + release_begin + release_done,
 * 5 ms without), and the bounds' sum(size + text_size) walked overflow pages.
 */
#ifndef RQ_SCHEMA_H
#define RQ_SCHEMA_H

/* clang-format off */
static const char RQ_SCHEMA_SQL[] =
"CREATE TABLE meta (\n"
"    key   TEXT PRIMARY KEY NOT NULL,\n"
"    value TEXT NOT NULL\n"
") WITHOUT ROWID;\n"
"\n"
"CREATE TABLE items (\n"
"    id             INTEGER PRIMARY KEY,\n"
"    kind           TEXT NOT NULL CHECK (kind IN ('object', 'message')),\n"
"    channel        TEXT NOT NULL CHECK (channel <> ''),\n"
"    source_id      TEXT NOT NULL CHECK (source_id <> ''),\n"
"    originator     TEXT NOT NULL DEFAULT '',\n"
"    submitted_ms   INTEGER NOT NULL,\n"
"    declared_type  TEXT NOT NULL DEFAULT '',\n"
"    real_type      TEXT NOT NULL DEFAULT '',\n"
"    label          TEXT NOT NULL DEFAULT '',\n"
"    level          INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4 OR level = 255),\n"
"    reason         TEXT NOT NULL CHECK (reason <> ''),\n"
"    findings       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(findings)),\n"
"    text_size      INTEGER NOT NULL CHECK (text_size >= 0),\n"
"    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),\n"
"    size           INTEGER NOT NULL CHECK (size > 0),\n"
"    generation     INTEGER NOT NULL DEFAULT 0,\n"
"    state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved',\n"
"                       'rejected', 'sending', 'released', 'interrupted')),\n"
"    decided_ms     INTEGER,\n"
"    release_seq    INTEGER UNIQUE,\n"
"    rec_first      INTEGER,\n"
"    rec_count      INTEGER,\n"
"    sending_ms     INTEGER,\n"
"    released_ms    INTEGER,\n"
"    release_note   TEXT NOT NULL DEFAULT ''\n"
");\n"
"CREATE INDEX items_state ON items (state, release_seq);\n"
"\n"
"CREATE TABLE item_data (\n"
"    item_id INTEGER PRIMARY KEY REFERENCES items (id),\n"
"    text    BLOB NOT NULL,\n"
"    content BLOB NOT NULL\n"
");\n"
"\n"
"CREATE TABLE actions (\n"
"    id       INTEGER PRIMARY KEY,\n"
"    item_id  INTEGER NOT NULL REFERENCES items (id),\n"
"    action   TEXT NOT NULL CHECK (action IN ('approve', 'reject')),\n"
"    reviewer TEXT NOT NULL CHECK (reviewer <> ''),\n"
"    uid      INTEGER NOT NULL,\n"
"    at_ms    INTEGER NOT NULL,\n"
"    comment  TEXT NOT NULL DEFAULT ''\n"
");\n"
"CREATE INDEX actions_item ON actions (item_id);\n"
"\n"
"CREATE TRIGGER items_state_change BEFORE UPDATE OF state ON items\n"
"WHEN NOT ((OLD.state = 'pending' AND NEW.state IN ('approved', 'rejected'))\n"
"       OR (OLD.state = 'approved' AND NEW.state = 'sending')\n"
"       OR (OLD.state = 'sending' AND NEW.state IN ('released', 'interrupted')))\n"
"BEGIN\n"
"    SELECT RAISE(ABORT, 'review item state change not allowed');\n"
"END;\n"
"CREATE TRIGGER items_evidence_fixed BEFORE UPDATE OF kind, channel, source_id, originator,\n"
"    submitted_ms, declared_type, real_type, label, level, reason, findings, text_size,\n"
"    content_sha256, size, generation ON items\n"
"BEGIN\n"
"    SELECT RAISE(ABORT, 'review item evidence is never changed');\n"
"END;\n"
"CREATE TRIGGER items_no_delete BEFORE DELETE ON items\n"
"BEGIN\n"
"    SELECT RAISE(ABORT, 'review items are never deleted');\n"
"END;\n"
"CREATE TRIGGER item_data_fixed BEFORE UPDATE ON item_data\n"
"BEGIN\n"
"    SELECT RAISE(ABORT, 'review item evidence is never changed');\n"
"END;\n"
"CREATE TRIGGER item_data_no_delete BEFORE DELETE ON item_data\n"
"BEGIN\n"
"    SELECT RAISE(ABORT, 'review items are never deleted');\n"
"END;\n"
"CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions\n"
"BEGIN\n"
"    SELECT RAISE(ABORT, 'reviewer actions are never changed');\n"
"END;\n"
"CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions\n"
"BEGIN\n"
"    SELECT RAISE(ABORT, 'reviewer actions are never deleted');\n"
"END;\n"
"\n"
"INSERT INTO meta (key, value) VALUES ('rq.next_release_seq', '1'), ('rq.next_rec_seq', '1');\n";
/* clang-format on */

#endif
