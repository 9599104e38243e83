/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The durable review queue (GUARD-SPEC 6, issue 13): objects from the slow path and messages
 * from the fast path that the policy sends to a human, the reviewers' decisions (two-person
 * rule) and the release state machine the release pump drives, in one SQLite file.
 *
 * Several processes open the same file at once (guard-slowpath submits objects; guard-control
 * submits fast-path review messages, serves reviewers and runs the release pump): the file is
 * in WAL mode, so readers never wait for the writer; writers take the write lock up front
 * (BEGIN IMMEDIATE) and wait up to the busy timeout for each other. Every state change is one
 * transaction, committed with synchronous=FULL: when a function here returns 0 the change is
 * on disk and survives kill -9 of any process and a power cut. When it returns an error
 * nothing was changed.
 *
 * States and transitions (the only ones; a trigger in the schema refuses any other, so a tool
 * writing the file directly cannot skip one either):
 *
 *   submit -> pending --approve (enough approvals)--> approved --release_begin--> sending
 *               |                                                               |      |
 *               +--reject (any one reviewer)--> rejected      released <--done--+      |
 *                                                             interrupted <--interrupt-+
 *
 * rejected, released and interrupted are final. Items and actions are never deleted (the
 * schema refuses DELETE on both and any UPDATE of an action): a guard keeps its evidence.
 *
 * Bounds: max items and max bytes (content + text) count the items that still occupy the
 * queue, those pending, approved or sending. A submit that would exceed either bound fails
 * with RQ_E_FULL_ITEMS or RQ_E_FULL_BYTES and stores nothing; nothing already queued is ever
 * evicted. The caller refuses the new object or message with reason review_queue_full and
 * audits it. The queue drains as reviewers decide and the pump releases.
 *
 * The schema (docs/slowpath.md has it verbatim, for other tools) is versioned with
 * PRAGMA user_version (RQ_SCHEMA_VERSION) and marked with PRAGMA application_id
 * (RQ_APPLICATION_ID); a file with a newer version or a foreign id is refused, not touched.
 *
 * A struct rq_store is one connection: use it from one thread at a time, and do not carry
 * it across fork() (open a new one in the child). Times are the
 * caller's (milliseconds since the epoch), so the rules are testable.
 *
 * Every function that can fail returns 0 (or a documented count) or a negative RQ_E_* code,
 * and writes a message for an operator into @p err (@p errlen bytes, may be 0): what was
 * refused and why, with sqlite3_errmsg() and the file for database errors.
 */
#ifndef RQ_STORE_H
#define RQ_STORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RQ_SCHEMA_VERSION  1
#define RQ_APPLICATION_ID  0x47525651 /**< "GRVQ" in the SQLite header */
#define RQ_ERR_MAX	   512	      /**< enough for any message written to err */
#define RQ_BUSY_MS_DEFAULT 5000	      /**< how long a writer waits for another one */
#define RQ_LEVEL_UNKNOWN   255	      /**< label without a known NATO level */
#define RQ_LEVEL_MAX	   4	      /**< NATO levels 0 (UNCLASSIFIED) .. 4 (COSMIC TOP SECRET) */
#define RQ_META_VALUE_MAX  1024	      /**< longest meta value accepted */
#define RQ_META_RESERVED   "rq."      /**< prefix of the store's own meta keys (read-only) */

/** Results (negative; 0 is success). rq_strerror() names them. */
enum rq_result {
	RQ_OK = 0,
	RQ_E_DB = -1,	       /**< SQLite or I/O error (message has sqlite3_errmsg) */
	RQ_E_BUSY = -2,	       /**< another process held the write lock past the busy timeout */
	RQ_E_INVAL = -3,       /**< a bad argument: which one is in the message */
	RQ_E_NOTFOUND = -4,    /**< no item with that id */
	RQ_E_STATE = -5,       /**< the item is not in the state the operation needs */
	RQ_E_SELF = -6,	       /**< the reviewer is the item's originator */
	RQ_E_TWICE = -7,       /**< this reviewer (name or uid) has already approved the item */
	RQ_E_ACTION = -8,      /**< unknown reviewer action (not "approve" or "reject") */
	RQ_E_FULL_ITEMS = -9,  /**< submit refused: max items reached */
	RQ_E_FULL_BYTES = -10, /**< submit refused: max bytes would be exceeded */
	RQ_E_SCHEMA = -11,     /**< the file is not a review queue this build can use */
	RQ_E_EXISTS = -12,     /**< export: a file to write exists already */
	RQ_E_CORRUPT = -13,    /**< bytes missing or not matching their size or SHA-256 */
};
#define RQ_IS_FULL(rc) ((rc) == RQ_E_FULL_ITEMS || (rc) == RQ_E_FULL_BYTES)

/** Short name of a result: "ok", "db", "busy", "inval", "not_found", "not_pending"... */
const char *rq_strerror(int rc);

enum rq_kind {
	RQ_KIND_OBJECT = 0,  /**< a reassembled object from the slow path */
	RQ_KIND_MESSAGE = 1, /**< a fast-path message whose decision was review */
};

enum rq_state {
	RQ_PENDING = 0,
	RQ_APPROVED,
	RQ_REJECTED,
	RQ_SENDING,
	RQ_RELEASED,
	RQ_INTERRUPTED,
	RQ_STATE_COUNT
};

/** "pending", ... as stored in the items.state column; NULL if out of range. */
const char *rq_state_name(unsigned int st);
/** The state named @p name, or -1. */
int rq_state_parse(const char *name);
/** "object" or "message"; NULL if out of range. */
const char *rq_kind_name(unsigned int k);

/** Opening parameters; all zeros is valid (no bounds, default busy timeout). */
struct rq_config {
	uint64_t max_items;   /**< pending+approved+sending items; 0: no bound */
	uint64_t max_bytes;   /**< their content+text bytes; 0: no bound */
	uint32_t busy_ms;     /**< 0: RQ_BUSY_MS_DEFAULT */
	uint32_t create_mode; /**< file mode when the file is created; 0: 0640 */
};

struct rq_store;

/**
 * Open the queue at @p path, creating the file and the schema if it does not exist (two
 * processes creating it at once is safe: one creates, the other sees the schema). Sets WAL,
 * synchronous=FULL, foreign_keys=ON and the busy timeout on this connection.
 * @return 0 and *@p out, or RQ_E_SCHEMA (newer schema version, foreign application id, or a
 *   database that has tables but is no review queue), RQ_E_DB, RQ_E_BUSY.
 */
int rq_open(const char *path, const struct rq_config *cfg, struct rq_store **out, char *err,
	    size_t errlen);
void rq_close(struct rq_store *s);

/** New bounds (policy reload); applies to the next submit. Items already queued stay. */
void rq_set_bounds(struct rq_store *s, uint64_t max_items, uint64_t max_bytes);

/** A new item. Strings are NUL-terminated; NULL is "" where allowed. */
struct rq_new {
	enum rq_kind kind;
	const char *channel;	   /**< channel name, required */
	const char *source_id;	   /**< object: id as 16 lower-case hex digits; message: its uid */
	const char *originator;	   /**< high-side sender; NULL/"": unknown (no one is excluded) */
	const char *declared_type; /**< MIME type the sender declared, or the message format */
	const char *real_type;	   /**< MIME type libmagic found, or the message format */
	const char *label;	   /**< marking string, or a 4774 label's XML (starts with '<') */
	uint8_t level;		   /**< NATO level 0..4 or RQ_LEVEL_UNKNOWN */
	const char *reason;	   /**< why it is in review ("review term 3005"), required */
	const char *findings;	   /**< JSON text (checked); NULL: "[]" */
	const void *text;	   /**< extracted text (UTF-8), may be NULL with text_len 0 */
	size_t text_len;
	const void *content; /**< the bytes a release sends, at least 1 */
	size_t content_len;
	uint64_t generation;   /**< ruleset generation that decided */
	uint64_t submitted_ms; /**< when */
};

/**
 * Queue a new pending item (one transaction; stores the content's SHA-256).
 * @return 0 and its id in *@p id, or RQ_E_FULL_ITEMS / RQ_E_FULL_BYTES (the message names
 *   the bound, its value and the queue's use), RQ_E_INVAL, RQ_E_DB, RQ_E_BUSY.
 */
int rq_submit(struct rq_store *s, const struct rq_new *in, int64_t *id, char *err, size_t errlen);

/**
 * Queue @p n new items in one transaction (one fsync: a burst of fast-path review messages
 * costs one commit, not one each). Each item is checked and bounded as by rq_submit(); one
 * refused (RQ_E_INVAL, RQ_E_FULL_*: its @p rcs entry) does not stop the others.
 * @return 0 with ids[i] (0 if refused) and rcs[i] for each item, or a database error
 *   (RQ_E_DB, RQ_E_BUSY): then nothing was queued.
 */
int rq_submit_many(struct rq_store *s, const struct rq_new *in, size_t n, int64_t *ids, int *rcs,
		   char *err, size_t errlen);

/** One reviewer action, as kept in the actions table. */
struct rq_action {
	int64_t id;	      /**< actions.id, increasing in the order of the actions */
	int approve;	      /**< 1 approve, 0 reject */
	const char *reviewer; /**< reviewer name (from the policy) */
	uint32_t uid;	      /**< SO_PEERCRED uid */
	uint64_t at_ms;
	const char *comment; /**< "" if none */
};

/**
 * An item. From rq_list()/rq_sending_items() callbacks the strings point into SQLite's row
 * and are valid during the call only; text, content and actions are NULL there. From
 * rq_get() everything is owned by the item until rq_item_free().
 */
struct rq_item {
	int64_t id;
	enum rq_kind kind;
	enum rq_state state;
	const char *channel, *source_id, *originator, *declared_type, *real_type, *label;
	uint8_t level;
	const char *reason;
	const char *findings;	    /**< JSON text */
	const char *content_sha256; /**< 64 lower-case hex digits */
	uint64_t size;		    /**< content bytes */
	uint64_t text_size;	    /**< text bytes */
	uint64_t generation;
	uint64_t submitted_ms;
	uint64_t decided_ms;		 /**< approved or rejected (0: not yet) */
	uint32_t n_approvals;		 /**< approve actions so far */
	uint64_t release_seq;		 /**< order of release, given on approval (0: none) */
	uint64_t rec_first;		 /**< first record sequence number (0: none) */
	uint32_t rec_count;		 /**< records in the release */
	uint64_t sending_ms;		 /**< release_begin (0: not yet) */
	uint64_t released_ms;		 /**< release_done or release_interrupt (0: not yet) */
	const char *release_note;	 /**< why interrupted ("" otherwise) */
	const uint8_t *text;		 /**< rq_get only */
	const uint8_t *content;		 /**< rq_get only */
	uint32_t n_actions;		 /**< rq_get only */
	const struct rq_action *actions; /**< rq_get only, oldest first */
};

/** Result of rq_decide(). */
struct rq_decision {
	enum rq_state state;  /**< the item's state afterwards */
	uint32_t approvals;   /**< approve actions including this one */
	uint32_t required;    /**< approvals the item needs (1 or 2) */
	uint64_t release_seq; /**< if it became approved */
};

/**
 * A reviewer approves or rejects a pending item (one transaction; the action is recorded in
 * the actions table with the item's state change).
 *
 * @param action          "approve" or "reject"
 * @param reviewer        the reviewer's name from the policy (SO_PEERCRED uid mapped)
 * @param two_person_level the policy's review.two_person_from level: an item whose level is
 *                        at or above it (an unknown level, 255, always is) needs two
 *                        approvals from different reviewers, others one. Read at every
 *                        decision, so a policy reload applies to items already pending.
 * @param comment         free text, NULL for none
 *
 * Rules, checked in this order, each refusal with its own code and nothing recorded:
 *   unknown action (RQ_E_ACTION), empty reviewer (RQ_E_INVAL), no such item (RQ_E_NOTFOUND),
 *   item not pending (RQ_E_STATE, the message says its state), the reviewer's name equals the
 *   item's non-empty originator, ignoring ASCII case (RQ_E_SELF: a reviewer cannot act,
 *   approve or reject, on what they submitted), approve by a reviewer whose name or uid
 *   already approved (RQ_E_TWICE).
 * A reject by any one reviewer (also one who approved before) makes the item rejected at
 * once. An approve that reaches the required count makes it approved and gives it the next
 * release sequence number. Refusals record nothing (the caller audits them).
 * @return 0 with @p d filled (may be NULL), or an RQ_E_* code.
 */
int rq_decide(struct rq_store *s, int64_t id, const char *reviewer, uint32_t uid,
	      const char *action, const char *comment, uint8_t two_person_level, uint64_t now_ms,
	      struct rq_decision *d, char *err, size_t errlen);

/**
 * The approved item to release next: the lowest release sequence number.
 * @return 1 with *@p id and *@p release_seq, 0 if none is approved, or an RQ_E_* code.
 */
int rq_next_approved(struct rq_store *s, int64_t *id, uint64_t *release_seq, char *err,
		     size_t errlen);

/**
 * The pump is about to hand @p n_records (>= 1) datagram records of approved item @p id to
 * the dataplane: in one transaction, reserve the record sequence numbers
 * first..first+n_records-1 (a counter in the meta table; never reused), store them on the
 * item and make it sending.
 * @return 0 and *@p first_rec_seq, RQ_E_NOTFOUND, RQ_E_STATE (not approved), RQ_E_INVAL...
 */
int rq_release_begin(struct rq_store *s, int64_t id, uint32_t n_records, uint64_t now_ms,
		     uint64_t *first_rec_seq, char *err, size_t errlen);

/** Every record of sending item @p id left: released (released_ms = @p now_ms). */
int rq_release_done(struct rq_store *s, int64_t id, uint64_t now_ms, char *err, size_t errlen);

/**
 * Sending item @p id cannot be known to have left completely (e.g. the dataplane that held
 * its records restarted): interrupted, with @p why (required) in release_note. Final here:
 * the item is not sent again automatically (exactly once beats at least once); an operator
 * can export it and submit it anew.
 */
int rq_release_interrupt(struct rq_store *s, int64_t id, const char *why, uint64_t now_ms,
			 char *err, size_t errlen);

/** Per-row callback: return 0 to go on, non-zero to stop (rq_list then returns that value). */
typedef int (*rq_item_cb)(const struct rq_item *it, void *arg);

/**
 * Items in state @p state (a state name, or NULL or "all" for every state), oldest id first,
 * at most @p limit (0: all), without text, content or actions.
 * @return 0, the callback's non-zero value if it stopped, or an RQ_E_* code (RQ_E_INVAL for
 *   an unknown state name).
 */
int rq_list(struct rq_store *s, const char *state, uint32_t limit, rq_item_cb cb, void *arg,
	    char *err, size_t errlen);

/** The sending items in release order, with their record ranges (recovery after a restart). */
int rq_sending_items(struct rq_store *s, rq_item_cb cb, void *arg, char *err, size_t errlen);

/**
 * Item @p id with text, content and actions, owned by *@p out (rq_item_free()). The bytes are
 * checked against their sizes and the content against its SHA-256 (RQ_E_CORRUPT if they
 * differ or are missing: the file was changed behind the guard's back; do not release).
 * @return 0, RQ_E_NOTFOUND, RQ_E_CORRUPT, RQ_E_DB...
 */
int rq_get(struct rq_store *s, int64_t id, struct rq_item **out, char *err, size_t errlen);
void rq_item_free(struct rq_item *it);

/**
 * Write item @p id's content bytes and a JSON sidecar with every field and every action.
 * @p path an existing directory: DIR/review-ID.EXT (EXT from the real type: pdf, jpg, png,
 * txt, else bin) and DIR/review-ID.json; otherwise @p path is the content file and the
 * sidecar is PATH.json. Never overwrites (RQ_E_EXISTS, the message names the file); on any
 * failure nothing is left behind. The sidecar's members: id, kind, state, channel, source_id,
 * originator, declared_type, real_type, label, level, reason, findings (the JSON itself),
 * text (string, or null if not UTF-8), content_file (the content's name), content_sha256,
 * size, text_size, generation, submitted_ms, decided_ms, approvals, release_seq, rec_first,
 * rec_count, sending_ms, released_ms, release_note, actions [{id, action, reviewer, uid,
 * at_ms, comment}]. Times of 0 and absent sequence numbers are null.
 * @param written if not NULL, gets the content file's path (cap bytes)
 */
int rq_export(struct rq_store *s, int64_t id, const char *path, char *written, size_t cap,
	      char *err, size_t errlen);

/** What the queue holds. */
struct rq_counts {
	uint64_t items[RQ_STATE_COUNT];
	uint64_t bytes[RQ_STATE_COUNT]; /**< content + text */
	uint64_t queued_items;		/**< pending + approved + sending: what the bounds count */
	uint64_t queued_bytes;
	uint64_t max_items, max_bytes; /**< this connection's bounds (0: none) */
};
int rq_count(struct rq_store *s, struct rq_counts *c, char *err, size_t errlen);

/**
 * Small key/value store in the same file, for the pump (e.g. which dataplane instance holds
 * the records of the sending items). Keys starting with RQ_META_RESERVED are the store's own
 * counters: readable, not settable.
 * rq_meta_get: 1 and the value in @p buf, 0 if the key is absent, or RQ_E_INVAL if @p cap is
 * too small for it.
 */
int rq_meta_get(struct rq_store *s, const char *key, char *buf, size_t cap, char *err,
		size_t errlen);
int rq_meta_set(struct rq_store *s, const char *key, const char *value, char *err, size_t errlen);

/** The connection's file path (for messages). */
const char *rq_path(const struct rq_store *s);

#ifdef __cplusplus
}
#endif
#endif
