/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The slow path's reassembly table: object chunks (insp_chunk.h, already parsed) in any
 * order, objects interleaved, back into whole objects, each either handed out complete or
 * refused with a reason. One table per slow-path worker; not thread-safe.
 *
 * An object is keyed by (channel index, object id): the same id on two channels is two
 * objects. Its first chunk to arrive (whichever index) fixes what every other chunk must
 * repeat: type, label (its kind, marking or 4774, and its bytes), originator, count and
 * total length. Per chunk, in this order:
 *
 *   1. an object already refused, completed or timed out (a tombstone, below): the chunk is
 *      SP_REASM_DROPPED and counted; the object is never started again;
 *   2. first chunk of a new object: total above the channel's max_object -> obj_oversize;
 *      max_objects in flight or max_bytes in flight reached -> obj_busy (the whole total
 *      is reserved now, so a started object never runs out of room later);
 *   3. a later chunk: a header field unlike the first chunk's -> obj_mismatch; an index
 *      already received -> obj_duplicate (a network duplicate too: UDP does not promise
 *      there are none, but an identical resend is not told apart from a forged one);
 *      data overlapping bytes already received -> obj_overlap;
 *   4. accepted: SP_REASM_PROGRESS, or SP_REASM_COMPLETE when all count chunks are in and
 *      their bytes cover [0, total) exactly. All chunks in and bytes still uncovered (the
 *      sender's chunks leave a gap; too many bytes cannot happen, since accepted ranges are
 *      disjoint and inside [0, total)) -> obj_incomplete at once: those bytes will never come.
 *
 * A refusal frees the object's memory at once and leaves a tombstone; so do completion
 * (a late duplicate of a delivered object is dropped as obj_duplicate rather than starting
 * an object that can only time out) and expiry. A tombstone lives timeout_ms from when it
 * was made (not from the object's first chunk: that keeps the tombstones in deadline order,
 * so expiry is O(1) each, and is never shorter). At most max_tombstones exist; when full,
 * the oldest is forgotten early (counted as tombstones_evicted): a late chunk of that
 * object then starts a new one, which can only time out unless all its chunks come again.
 * max_tombstones 0 keeps none.
 *
 * Time is the caller's (milliseconds, non-decreasing): sp_reasm_feed() never times anything
 * out; sp_reasm_expire() does, and should run before each batch of feeds (otherwise a table
 * full of stale objects refuses new ones as obj_busy).
 *
 * Memory: bytes in flight is the sum of total_len of the objects in flight (what max_bytes
 * bounds). Each object also has a bitmap of its chunk indexes (count bits <= total bits) and
 * one of its bytes (total bits) plus a fixed record, so the table holds at most about
 * 1.25 x max_bytes + max_objects x (~150 bytes + the label's length) + max_tombstones x 32 bytes,
 * plus its hash index of 8 bytes per slot, slots the power of two >= 2 x (max_objects +
 * max_tombstones). Per chunk: O(1) to find the object and check the index, O(data_len / 64) for the
 * overlap check and the copy; the missing-chunk list of an expired object is O(count / 64).
 *
 * Pure: no I/O, no globals, no clock; malloc() only, bounded as above.
 */
#ifndef SP_REASM_H
#define SP_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "insp_chunk.h"
#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SP_REASM_DETAIL_MAX	256u /**< detail strings, NUL included */
#define SP_REASM_OBJECTS_MAX	(1u << 20)
#define SP_REASM_TOMBSTONES_MAX (1u << 22)

/** Bounds, fixed at creation. */
struct sp_reasm_limits {
	uint32_t max_objects; /**< objects in flight, 1 .. SP_REASM_OBJECTS_MAX */
	uint64_t max_bytes;   /**< sum of total_len of the objects in flight, >= 1 */
	uint32_t timeout_ms;  /**< an object's life from its first chunk; tombstones' too; >= 1 */
	uint32_t max_tombstones; /**< 0 .. SP_REASM_TOMBSTONES_MAX */
	/** Mixed into the hash of (channel, id) so that a sender cannot pick ids that collide
	 *  (give a random value, e.g. from getrandom(); 0 is allowed, for tests). */
	uint64_t hash_seed;
};

enum sp_reasm_status {
	SP_REASM_PROGRESS, /**< chunk accepted; the object is not complete yet */
	SP_REASM_COMPLETE, /**< chunk accepted and the object is complete: obj.data is yours */
	SP_REASM_REFUSED,  /**< the object is refused (reason, detail); its memory is freed */
	SP_REASM_DROPPED,  /**< the object was refused, completed or timed out before: chunk
			    *   dropped and counted; reason is why the object ended
			    *   (obj_duplicate if it was completed) */
};

/** An object as its first chunk described it (and, once complete, its bytes). */
struct sp_reasm_object {
	uint64_t id;
	uint32_t channel;
	uint8_t type;	    /**< enum insp_obj_type, as declared */
	uint8_t label_4774; /**< 1: label is a STANAG 4774 label (XML), 0: a marking string */
	uint32_t count;
	uint32_t total_len;
	/** NUL-terminated, 1..INSP_CHUNK_LABEL_MAX bytes: a marking (printable ASCII) or the
	 *  XML of a 4774 label (UTF-8, one line) */
	char label[INSP_CHUNK_LABEL_MAX + 1];
	char originator[65]; /**< NUL-terminated, may be empty */
	int64_t first_ms;    /**< now_ms of its first chunk */
	uint8_t *data;	     /**< SP_REASM_COMPLETE only: total_len bytes and a NUL after them
			      *   (handy for text); the caller free()s it (sp_reasm_object_free) */
	size_t len;	     /**< bytes at data (total_len), 0 without data */
};

/**
 * Outcome of one chunk (or of one expired object). obj describes the object as its first
 * chunk did; for a refusal at an object's first chunk, a malformed chunk and a DROPPED chunk
 * there is no object record and obj is what this chunk says (first_ms = now).
 */
struct sp_reasm_result {
	enum sp_reasm_status status;
	enum insp_reason reason;	  /**< REFUSED and DROPPED; INSP_R_RELEASE otherwise */
	struct sp_reasm_object obj;	  /**< see above */
	char detail[SP_REASM_DETAIL_MAX]; /**< REFUSED and DROPPED: for an operator; else "" */
};

/** Counters; the in-flight figures are now, the _hwm ones their highest so far. */
struct sp_reasm_stats {
	uint64_t chunks;	  /**< chunks fed */
	uint64_t chunks_dropped;  /**< SP_REASM_DROPPED */
	uint64_t completed;	  /**< objects completed */
	uint64_t completed_bytes; /**< their bytes */
	/** objects refused, by reason (timeouts are obj_incomplete; a chunk breaking the
	 *  header rules is malformed_message) */
	uint64_t refused[INSP_R_COUNT];
	uint64_t tombstones_evicted; /**< forgotten early because max_tombstones was reached */
	uint64_t objects_in_flight, objects_hwm;
	uint64_t bytes_in_flight, bytes_hwm;
	uint64_t tombstones;
};

struct sp_reasm;

/** A table with the bounds @p lim. @return NULL if a bound is out of range or no memory. */
struct sp_reasm *sp_reasm_create(const struct sp_reasm_limits *lim);

/** Free the table and every object in flight (no results for them). NULL is fine. */
void sp_reasm_destroy(struct sp_reasm *r);

/**
 * Feed one parsed chunk.
 * @param c           from insp_chunk_parse() (its pointers need to live only for the call;
 *                    the fields are checked again: a chunk that breaks a rule of
 *                    insp_chunk_parse() is refused as malformed_message, table untouched)
 * @param channel     the channel's index in the policy
 * @param max_object  the channel's max_object (bytes)
 * @param now_ms      the caller's clock
 * @param res         the outcome (also the return value)
 */
enum sp_reasm_status sp_reasm_feed(struct sp_reasm *r, const struct insp_chunk *c, uint32_t channel,
				   uint32_t max_object, int64_t now_ms,
				   struct sp_reasm_result *res);

/** Called by sp_reasm_expire() for each timed-out object; @p res is valid during the call. */
typedef void (*sp_reasm_expire_fn)(void *ctx, const struct sp_reasm_result *res);

/**
 * Time out every object whose first chunk is timeout_ms or more before @p now_ms: each is
 * handed to @p fn (may be NULL) as SP_REASM_REFUSED, obj_incomplete, with the missing chunk
 * indexes in the detail ("object 0x...: 3 of 12 chunks missing after 30000 ms: 3-4,9"), then
 * its memory is freed and a tombstone left. Tombstones past their time are forgotten.
 * @return the number of objects timed out
 */
unsigned sp_reasm_expire(struct sp_reasm *r, int64_t now_ms, sp_reasm_expire_fn fn, void *ctx);

/** When the next object in flight times out (now_ms units), INT64_MAX if none: a sleep bound. */
int64_t sp_reasm_next_deadline(const struct sp_reasm *r);

/** Current counters. */
void sp_reasm_stats(const struct sp_reasm *r, struct sp_reasm_stats *s);

/** free() the bytes of a completed object and clear data/len. NULL is fine. */
void sp_reasm_object_free(struct sp_reasm_object *o);

#ifdef __cplusplus
}
#endif
#endif
