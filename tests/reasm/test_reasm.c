/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reassembly table (control/reasm/sp_reasm.h): orders, interleaving, every refusal
 * reason, tombstones, timeouts with the missing list, the bounds, a 1-chunk and a
 * 100,000-chunk object, objects labelled with a STANAG 4774 label (version 2 chunks) and a
 * mismatch of the label kind. Memory is checked by the sanitizer build (leaks included).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "insp_chunk.h"
#include "sp_reasm.h"
#include "test.h"

#define LABEL "NATO UNCLASSIFIED REL TO USA, GBR"
#define ORIG  "analyst.one@hq"

/* A deterministic generator for contents and orders. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(uint32_t below)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((rng_state >> 33) % below);
}

/* An object cut into chunks: each chunk's offset/len, the bytes, the shared header. */
struct plan {
	uint64_t id;
	uint8_t type, label_4774;
	const char *label, *orig;
	uint32_t total, count;
	uint8_t *bytes;
	uint32_t *off, *len;
};

/* Cut @p total bytes into chunks of @p size (the last one shorter). */
static void
plan_make(struct plan *p, uint64_t id, uint32_t total, uint32_t size)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->type = INSP_OBJ_PDF;
	p->label = LABEL;
	p->orig = ORIG;
	p->total = total;
	p->count = (total + size - 1) / size;
	p->bytes = malloc(total);
	p->off = malloc(p->count * sizeof(uint32_t));
	p->len = malloc(p->count * sizeof(uint32_t));
	for (uint32_t i = 0; i < total; i++)
		p->bytes[i] = (uint8_t)rnd(256);
	for (uint32_t i = 0; i < p->count; i++) {
		p->off[i] = i * size;
		p->len[i] = i + 1 < p->count ? size : total - i * size;
	}
}

static void
plan_free(struct plan *p)
{
	free(p->bytes);
	free(p->off);
	free(p->len);
}

static struct insp_chunk
chunk_of(const struct plan *p, uint32_t i)
{
	struct insp_chunk c;

	memset(&c, 0, sizeof(c));
	c.object_id = p->id;
	c.index = i;
	c.count = p->count;
	c.total_len = p->total;
	c.offset = p->off[i];
	c.data_len = p->len[i];
	c.type = p->type;
	c.label_len = (uint16_t)strlen(p->label);
	c.label = (const uint8_t *)p->label;
	c.label_4774 = p->label_4774;
	c.originator_len = (uint8_t)strlen(p->orig);
	c.originator = (const uint8_t *)p->orig;
	c.data = p->bytes + p->off[i];
	return c;
}

static struct sp_reasm *
mk(uint32_t objects, uint64_t bytes, uint32_t timeout, uint32_t tombs)
{
	struct sp_reasm_limits l = {objects, bytes, timeout, tombs, 42};

	return sp_reasm_create(&l);
}

#define MAXOBJ (64u << 20)

/* Feed the chunks of @p p in the order @p order (NULL: 0..count-1); true if every chunk
 * but the last is PROGRESS and the last is COMPLETE with the right bytes and header. */
static bool
feed_all(struct sp_reasm *r, const struct plan *p, const uint32_t *order, uint32_t channel,
	 int64_t now)
{
	struct sp_reasm_result res;
	bool ok = true;

	for (uint32_t k = 0; k < p->count; k++) {
		struct insp_chunk c = chunk_of(p, order ? order[k] : k);
		enum sp_reasm_status st = sp_reasm_feed(r, &c, channel, MAXOBJ, now, &res);

		if (k + 1 < p->count && st != SP_REASM_PROGRESS) {
			printf("# chunk %u: status %d %s\n", k, st, res.detail);
			return false;
		}
	}
	ok = res.status == SP_REASM_COMPLETE && res.obj.len == p->total &&
	     res.obj.total_len == p->total && res.obj.data != NULL &&
	     memcmp(res.obj.data, p->bytes, p->total) == 0 && res.obj.data[p->total] == 0 &&
	     res.obj.id == p->id && res.obj.channel == channel && res.obj.type == p->type &&
	     strcmp(res.obj.label, p->label) == 0 && res.obj.label_4774 == p->label_4774 &&
	     strcmp(res.obj.originator, p->orig) == 0 && res.obj.count == p->count;
	if (!ok)
		printf("# last status %d reason %s detail '%s'\n", res.status,
		       insp_reason_name(res.reason), res.detail);
	sp_reasm_object_free(&res.obj);
	return ok;
}

static uint32_t *
shuffled(uint32_t n)
{
	uint32_t *o = malloc(n * sizeof(uint32_t));

	for (uint32_t i = 0; i < n; i++)
		o[i] = i;
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = rnd(i), t = o[i - 1];

		o[i - 1] = o[j];
		o[j] = t;
	}
	return o;
}

static void
test_orders(void)
{
	struct sp_reasm *r = sp_reasm_create(&(struct sp_reasm_limits){8, 1 << 20, 1000, 16, 0});
	struct plan p;
	uint32_t *order;
	struct sp_reasm_stats s;

	CHECK(r != NULL, "create");
	plan_make(&p, 0x1001, 10000, 1000);
	CHECK(feed_all(r, &p, NULL, 0, 0), "in order: complete, bytes and header right");
	plan_free(&p);

	plan_make(&p, 0x1002, 10001, 1000);
	order = malloc(p.count * sizeof(uint32_t));
	for (uint32_t i = 0; i < p.count; i++)
		order[i] = p.count - 1 - i;
	CHECK(feed_all(r, &p, order, 0, 0), "reverse order");
	free(order);
	plan_free(&p);

	plan_make(&p, 0x1003, 65537, 333);
	order = shuffled(p.count);
	CHECK(feed_all(r, &p, order, 3, 0), "random order, 197 chunks");
	free(order);
	plan_free(&p);

	sp_reasm_stats(r, &s);
	CHECK(s.completed == 3 && s.objects_in_flight == 0 && s.bytes_in_flight == 0 &&
		      s.completed_bytes == 10000 + 10001 + 65537,
	      "counters: 3 completed, nothing in flight");
	CHECK(s.bytes_hwm == 65537 && s.objects_hwm == 1, "high-water marks");
	CHECK(s.tombstones == 3, "a tombstone per completed object");
	sp_reasm_destroy(r);
}

static void
test_one_chunk(void)
{
	struct sp_reasm *r = sp_reasm_create(&(struct sp_reasm_limits){1, 100, 1000, 4, 0});
	struct plan p;
	struct sp_reasm_result res;
	struct insp_chunk c;

	plan_make(&p, 7, 1, 1);
	CHECK(feed_all(r, &p, NULL, 0, 0), "1-byte, 1-chunk object");
	c = chunk_of(&p, 0);
	CHECK(sp_reasm_feed(r, &c, 0, MAXOBJ, 1, &res) == SP_REASM_DROPPED &&
		      res.reason == INSP_R_OBJ_DUPLICATE && strstr(res.detail, "already complete"),
	      "its resend is dropped as obj_duplicate: %s", res.detail);
	CHECK(feed_all(r, &p, NULL, 1, 0), "the same id on another channel is another object");
	plan_free(&p);
	plan_make(&p, 8, 100, 100);
	CHECK(feed_all(r, &p, NULL, 0, 0), "an object of exactly max_bytes");
	plan_free(&p);
	sp_reasm_destroy(r);
}

static void
test_interleaved(void)
{
	struct sp_reasm *r = mk(4, 1 << 20, 1000, 16);
	struct plan a, b;
	struct sp_reasm_result res;
	int done = 0;
	bool ok = true;

	plan_make(&a, 0xa, 5000, 512);
	plan_make(&b, 0xb, 7000, 700);
	b.type = INSP_OBJ_PNG;
	b.label = "NATO RESTRICTED";
	b.orig = "";
	for (uint32_t k = 0; k < 10; k++) {
		const struct plan *ps[2] = {&a, &b};

		for (int j = 0; j < 2; j++) {
			struct insp_chunk c;

			if (k >= ps[j]->count)
				continue;
			c = chunk_of(ps[j], k);
			if (sp_reasm_feed(r, &c, 2, MAXOBJ, k, &res) == SP_REASM_COMPLETE) {
				const struct plan *p = ps[j];

				done++;
				ok = ok && res.obj.id == p->id && res.obj.type == p->type &&
				     memcmp(res.obj.data, p->bytes, p->total) == 0 &&
				     strcmp(res.obj.label, p->label) == 0 &&
				     strcmp(res.obj.originator, p->orig) == 0 &&
				     res.obj.first_ms == 0;
				sp_reasm_object_free(&res.obj);
			} else if (res.status != SP_REASM_PROGRESS) {
				ok = false;
			}
		}
	}
	CHECK(done == 2 && ok, "two interleaved objects both complete, each with its own header");
	plan_free(&a);
	plan_free(&b);
	sp_reasm_destroy(r);
}

/* Feed chunk @p i of @p p; the status. */
static enum sp_reasm_status
feed1(struct sp_reasm *r, const struct plan *p, uint32_t i, int64_t now,
      struct sp_reasm_result *res)
{
	struct insp_chunk c = chunk_of(p, i);

	return sp_reasm_feed(r, &c, 0, MAXOBJ, now, res);
}

static void
test_refusals(void)
{
	struct sp_reasm *r = mk(8, 1 << 20, 1000, 64);
	struct plan p;
	struct sp_reasm_result res;
	struct insp_chunk c;
	struct sp_reasm_stats s;

	/* duplicate index */
	plan_make(&p, 0x0123456789abcdefull, 4096, 1024);
	feed1(r, &p, 0, 0, &res);
	feed1(r, &p, 1, 0, &res);
	CHECK(feed1(r, &p, 1, 0, &res) == SP_REASM_REFUSED && res.reason == INSP_R_OBJ_DUPLICATE,
	      "duplicate index: obj_duplicate");
	CHECK_STR(res.detail, "chunk 1 of object 0x0123456789abcdef: arrived twice", "its detail");
	CHECK(strcmp(res.obj.label, LABEL) == 0 && res.obj.data == NULL && res.obj.count == 4,
	      "the refusal describes the object");
	CHECK(feed1(r, &p, 2, 1, &res) == SP_REASM_DROPPED && res.reason == INSP_R_OBJ_DUPLICATE &&
		      strstr(res.detail, "already refused (obj_duplicate)") != NULL,
	      "a later chunk: dropped, object already refused: %s", res.detail);
	CHECK(feed1(r, &p, 0, 2, &res) == SP_REASM_DROPPED, "never restarts, even from chunk 0");
	plan_free(&p);

	/* overlap: chunk 2 moved back by 16 bytes */
	plan_make(&p, 0x22, 4096, 1024);
	feed1(r, &p, 1, 0, &res);
	c = chunk_of(&p, 2);
	c.offset -= 16;
	CHECK(sp_reasm_feed(r, &c, 0, MAXOBJ, 0, &res) == SP_REASM_REFUSED &&
		      res.reason == INSP_R_OBJ_OVERLAP,
	      "overlapping ranges: obj_overlap");
	CHECK_STR(res.detail,
		  "chunk 2 of object 0x0000000000000022: bytes 2032..3055 overlap bytes "
		  "2032..2047 received before",
		  "its detail names both ranges");
	plan_free(&p);

	/* a chunk inside another, arriving first (overlap from the other side) */
	plan_make(&p, 0x23, 4096, 1024);
	c = chunk_of(&p, 3);
	c.offset = 100;
	c.data_len = 10;
	sp_reasm_feed(r, &c, 0, MAXOBJ, 0, &res);
	CHECK(feed1(r, &p, 0, 0, &res) == SP_REASM_REFUSED && res.reason == INSP_R_OBJ_OVERLAP &&
		      strstr(res.detail, "overlap bytes 100..109") != NULL,
	      "a range covering an earlier, smaller one: obj_overlap: %s", res.detail);
	plan_free(&p);

	/* mismatches, one field each */
	static const char *const fields[] = {"type", "count", "total length", "label",
					     "originator"};
	for (int f = 0; f < 5; f++) {
		plan_make(&p, 0x30 + (uint64_t)f, 4096, 1024);
		feed1(r, &p, 0, 0, &res);
		c = chunk_of(&p, 1);
		switch (f) {
		case 0:
			c.type = INSP_OBJ_JPEG;
			break;
		case 1:
			c.count = 5;
			break;
		case 2:
			c.total_len = 5000;
			break;
		case 3:
			c.label = (const uint8_t *)"NATO SECRET REL TO USA, GBR";
			c.label_len = (uint8_t)strlen((const char *)c.label);
			break;
		default:
			c.originator = (const uint8_t *)"mallory";
			c.originator_len = 7;
			break;
		}
		CHECK(sp_reasm_feed(r, &c, 0, MAXOBJ, 0, &res) == SP_REASM_REFUSED &&
			      res.reason == INSP_R_OBJ_MISMATCH && strstr(res.detail, fields[f]),
		      "%s differs: obj_mismatch: %s", fields[f], res.detail);
		plan_free(&p);
	}

	/* oversize */
	plan_make(&p, 0x40, 4096, 1024);
	c = chunk_of(&p, 2);
	CHECK(sp_reasm_feed(r, &c, 0, 4095, 0, &res) == SP_REASM_REFUSED &&
		      res.reason == INSP_R_OBJ_OVERSIZE,
	      "total above the channel's max_object: obj_oversize");
	CHECK_STR(
		res.detail,
		"object 0x0000000000000040: total length 4096 above the channel's max_object 4095",
		"its detail");
	CHECK(strcmp(res.obj.label, LABEL) == 0 && res.obj.id == 0x40,
	      "a refusal at the first chunk describes the chunk");
	c = chunk_of(&p, 0);
	CHECK(sp_reasm_feed(r, &c, 0, 1 << 20, 0, &res) == SP_REASM_DROPPED &&
		      res.reason == INSP_R_OBJ_OVERSIZE,
	      "its other chunks are dropped (obj_oversize)");
	CHECK(feed_all(r, &p, NULL, 1, 0), "exactly max_object is fine (other channel)");
	plan_free(&p);

	/* gap: all chunks present, bytes 1000..1023 in none */
	plan_make(&p, 0x50, 3000, 1000);
	p.off[1] = 1024;
	p.len[1] = 976;
	feed1(r, &p, 0, 0, &res);
	feed1(r, &p, 1, 0, &res);
	CHECK(feed1(r, &p, 2, 0, &res) == SP_REASM_REFUSED && res.reason == INSP_R_OBJ_INCOMPLETE,
	      "all chunks but a gap: obj_incomplete at once");
	CHECK_STR(res.detail,
		  "object 0x0000000000000050: all 3 chunks arrived but cover 2976 of 3000 bytes: "
		  "bytes 1000..1023 are in none",
		  "its detail names the gap");
	plan_free(&p);

	/* a chunk that breaks the header rules: refused, table untouched */
	plan_make(&p, 0x60, 100, 10);
	c = chunk_of(&p, 9);
	c.data_len = 11;
	CHECK(sp_reasm_feed(r, &c, 0, MAXOBJ, 0, &res) == SP_REASM_REFUSED &&
		      res.reason == INSP_R_MALFORMED_MESSAGE,
	      "data past the total: malformed_message: %s", res.detail);
	c = chunk_of(&p, 9);
	c.index = 10;
	CHECK(sp_reasm_feed(r, &c, 0, MAXOBJ, 0, &res) == SP_REASM_REFUSED &&
		      res.reason == INSP_R_MALFORMED_MESSAGE,
	      "index not below count: malformed_message");
	CHECK(feed_all(r, &p, NULL, 0, 0), "no tombstone for a malformed chunk");
	plan_free(&p);

	sp_reasm_stats(r, &s);
	CHECK(s.refused[INSP_R_OBJ_DUPLICATE] == 1 && s.refused[INSP_R_OBJ_OVERLAP] == 2 &&
		      s.refused[INSP_R_OBJ_MISMATCH] == 5 && s.refused[INSP_R_OBJ_OVERSIZE] == 1 &&
		      s.refused[INSP_R_OBJ_INCOMPLETE] == 1 &&
		      s.refused[INSP_R_MALFORMED_MESSAGE] == 2 && s.chunks_dropped == 3 &&
		      s.completed == 2,
	      "counters per reason");
	CHECK(s.objects_in_flight == 0 && s.bytes_in_flight == 0, "refusals free their memory");
	sp_reasm_destroy(r);
}

static void
test_bounds(void)
{
	struct sp_reasm *r = mk(2, 10000, 1000, 8);
	struct plan a, b, c3, d;
	struct sp_reasm_result res;
	struct sp_reasm_stats s;

	plan_make(&a, 1, 3000, 1000);
	plan_make(&b, 2, 3000, 1000);
	plan_make(&c3, 3, 3000, 1000);
	feed1(r, &a, 0, 0, &res);
	feed1(r, &b, 0, 0, &res);
	CHECK(feed1(r, &c3, 0, 0, &res) == SP_REASM_REFUSED && res.reason == INSP_R_OBJ_BUSY &&
		      strstr(res.detail, "2 objects in flight") != NULL,
	      "a third object with max_objects 2: obj_busy: %s", res.detail);
	CHECK(feed1(r, &c3, 1, 0, &res) == SP_REASM_DROPPED && res.reason == INSP_R_OBJ_BUSY,
	      "its later chunks are dropped, not a new start");
	feed1(r, &a, 1, 0, &res);
	CHECK(feed1(r, &a, 2, 0, &res) == SP_REASM_COMPLETE, "the first completes");
	sp_reasm_object_free(&res.obj);
	plan_make(&d, 4, 7001, 1000);
	CHECK(feed1(r, &d, 0, 0, &res) == SP_REASM_REFUSED && res.reason == INSP_R_OBJ_BUSY &&
		      strstr(res.detail, "bound of 10000 bytes") != NULL,
	      "3000 + 7001 bytes above max_bytes 10000: obj_busy: %s", res.detail);
	plan_free(&d);
	plan_make(&d, 5, 7000, 1000);
	CHECK(feed1(r, &d, 0, 0, &res) == SP_REASM_PROGRESS, "3000 + 7000 is exactly the bound");
	sp_reasm_stats(r, &s);
	CHECK(s.bytes_in_flight == 10000 && s.objects_in_flight == 2 && s.bytes_hwm == 10000 &&
		      s.refused[INSP_R_OBJ_BUSY] == 2,
	      "bytes in flight 10000, 2 objects, 2 refused busy");
	plan_free(&a);
	plan_free(&b);
	plan_free(&c3);
	plan_free(&d);
	sp_reasm_destroy(r); /* with two objects in flight: ASan checks they are freed */
	CHECK(mk(0, 1, 1, 0) == NULL, "max_objects 0 refused");
	CHECK(mk(1, 0, 1, 0) == NULL, "max_bytes 0 refused");
	CHECK(mk(1, 1, 0, 0) == NULL, "timeout 0 refused");
}

struct expired {
	int n;
	struct sp_reasm_result last;
};

static void
on_expire(void *ctx, const struct sp_reasm_result *res)
{
	struct expired *e = ctx;

	e->n++;
	e->last = *res;
}

static void
test_timeout(void)
{
	struct sp_reasm *r = mk(8, 1 << 20, 30000, 8);
	struct plan p, q;
	struct sp_reasm_result res;
	struct expired e = {0};
	struct sp_reasm_stats s;

	plan_make(&p, 0xabc, 12000, 1000);
	for (uint32_t i = 0; i < 12; i++)
		if (i != 3 && i != 4 && i != 9)
			feed1(r, &p, i, 1000 + i, &res);
	plan_make(&q, 0xdef, 2000, 1000);
	feed1(r, &q, 1, 5000, &res);
	CHECK(sp_reasm_next_deadline(r) == 31000, "next deadline: first chunk + timeout");
	CHECK(sp_reasm_expire(r, 30999, on_expire, &e) == 0 && e.n == 0, "nothing before it");
	CHECK(sp_reasm_expire(r, 31000, on_expire, &e) == 1 && e.n == 1, "one object at it");
	CHECK(e.last.status == SP_REASM_REFUSED && e.last.reason == INSP_R_OBJ_INCOMPLETE &&
		      e.last.obj.id == 0xabc && strcmp(e.last.obj.label, LABEL) == 0,
	      "handed out as obj_incomplete with its header");
	CHECK_STR(e.last.detail,
		  "object 0x0000000000000abc: 3 of 12 chunks missing after 30000 ms: 3-4,9",
		  "the detail lists the missing chunks");
	CHECK(sp_reasm_next_deadline(r) == 35000, "the next one's deadline");
	CHECK(feed1(r, &p, 3, 31001, &res) == SP_REASM_DROPPED &&
		      res.reason == INSP_R_OBJ_INCOMPLETE,
	      "a straggler of the timed-out object is dropped");
	CHECK(sp_reasm_expire(r, 40000, NULL, NULL) == 1, "the second times out (no callback)");
	CHECK(sp_reasm_next_deadline(r) == INT64_MAX, "nothing left");
	sp_reasm_stats(r, &s);
	CHECK(s.refused[INSP_R_OBJ_INCOMPLETE] == 2 && s.objects_in_flight == 0 &&
		      s.bytes_in_flight == 0 && s.tombstones == 2,
	      "2 incomplete, memory back, 2 tombstones");
	CHECK(sp_reasm_expire(r, 61000, NULL, NULL) == 0, "tombstones expire silently");
	sp_reasm_stats(r, &s);
	CHECK(s.tombstones == 1, "the first tombstone is gone after its timeout");
	CHECK(feed1(r, &p, 3, 61000, &res) == SP_REASM_PROGRESS,
	      "after the tombstone, the id starts a new object");
	plan_free(&p);
	plan_free(&q);

	/* a long missing list is cut with "..." */
	plan_make(&p, 0x77, 2000, 1);
	for (uint32_t i = 0; i < 2000; i += 2)
		feed1(r, &p, i, 100000, &res);
	e.n = 0;
	sp_reasm_expire(r, 200000, on_expire, &e);
	CHECK(e.n == 2 && strlen(e.last.detail) < SP_REASM_DETAIL_MAX &&
		      strstr(e.last.detail, "1000 of 2000 chunks missing") != NULL &&
		      strcmp(e.last.detail + strlen(e.last.detail) - 4, ",...") == 0,
	      "1000 missing: the list is cut: %s", e.last.detail);
	plan_free(&p);
	sp_reasm_destroy(r);
}

static void
test_tombstones(void)
{
	struct sp_reasm *r = mk(8, 1 << 20, 1000, 2);
	struct plan p[3];
	struct sp_reasm_result res;
	struct sp_reasm_stats s;

	for (int i = 0; i < 3; i++) {
		plan_make(&p[i], 0x100 + (uint64_t)i, 2000, 1000);
		feed1(r, &p[i], 0, i, &res);
		feed1(r, &p[i], 0, i, &res); /* duplicate: refused */
	}
	sp_reasm_stats(r, &s);
	CHECK(s.tombstones == 2 && s.tombstones_evicted == 1, "max_tombstones 2: the oldest goes");
	CHECK(feed1(r, &p[0], 1, 10, &res) == SP_REASM_PROGRESS,
	      "the evicted one's late chunk starts a new object");
	CHECK(feed1(r, &p[1], 1, 10, &res) == SP_REASM_DROPPED &&
		      feed1(r, &p[2], 1, 10, &res) == SP_REASM_DROPPED,
	      "the two kept still drop");
	for (int i = 0; i < 3; i++)
		plan_free(&p[i]);
	sp_reasm_destroy(r);

	r = mk(8, 1 << 20, 1000, 0);
	plan_make(&p[0], 0x200, 2000, 1000);
	feed1(r, &p[0], 0, 0, &res);
	feed1(r, &p[0], 0, 0, &res);
	CHECK(feed1(r, &p[0], 1, 0, &res) == SP_REASM_PROGRESS,
	      "max_tombstones 0: a refused object's next chunk starts afresh");
	plan_free(&p[0]);
	sp_reasm_destroy(r);
}

/* Many objects through a small table: the hash index's deletions keep every entry findable. */
static void
test_churn(void)
{
	struct sp_reasm *r = mk(16, 1 << 24, 50, 32);
	struct plan p;
	struct sp_reasm_result res;
	int complete = 0, bad = 0;

	for (uint64_t id = 1; id <= 3000; id++) {
		plan_make(&p, id * 0x10001, 300 + (uint32_t)(id % 7), 100);
		for (uint32_t i = 0; i < p.count; i++) {
			if (id % 5 == 0 && i == 1)
				continue; /* leave some to time out */
			enum sp_reasm_status st = feed1(r, &p, i, (int64_t)id, &res);

			if (st == SP_REASM_COMPLETE) {
				complete++;
				sp_reasm_object_free(&res.obj);
			} else if (st != SP_REASM_PROGRESS) {
				bad++;
			}
		}
		sp_reasm_expire(r, (int64_t)id, NULL, NULL);
		plan_free(&p);
	}
	CHECK(complete == 2400 && bad == 0, "3000 objects through a 16-object table: %d complete",
	      complete);
	sp_reasm_destroy(r);
}

/* Round trip through the wire format: insp_chunk_write, insp_chunk_parse, feed. */
static void
test_wire(void)
{
	struct sp_reasm *r = mk(2, 1 << 20, 1000, 2);
	struct plan p;
	struct sp_reasm_result res;
	uint8_t dgram[2048];
	enum sp_reasm_status st = SP_REASM_PROGRESS;

	plan_make(&p, 0x5eed, 5000, 1200);
	for (uint32_t i = 0; i < p.count; i++) {
		struct insp_chunk c = chunk_of(&p, i), back;
		size_t n = insp_chunk_write(dgram, sizeof(dgram), &c);
		char detail[128];

		if (n == 0 ||
		    insp_chunk_parse(dgram, n, &back, detail, sizeof(detail)) != INSP_R_RELEASE) {
			st = SP_REASM_REFUSED;
			break;
		}
		st = sp_reasm_feed(r, &back, 0, MAXOBJ, 0, &res);
	}
	CHECK(st == SP_REASM_COMPLETE && memcmp(res.obj.data, p.bytes, p.total) == 0,
	      "written, parsed and reassembled");
	if (st == SP_REASM_COMPLETE)
		sp_reasm_object_free(&res.obj);
	plan_free(&p);
	sp_reasm_destroy(r);
}

static double
secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_big(void)
{
	struct sp_reasm *r = mk(1, 64u << 20, 1000, 1);
	struct plan p;
	uint32_t *order;
	double t0, t1;

	plan_make(&p, 0xb16, 100000 * 100, 100);
	order = shuffled(p.count);
	t0 = secs();
	CHECK(feed_all(r, &p, order, 0, 0), "100,000 chunks in random order");
	t1 = secs();
	printf("# 100,000 chunks of 100 bytes: %.1f ms (%.0f ns per chunk)\n", (t1 - t0) * 1e3,
	       (t1 - t0) * 1e9 / 100000);
	free(order);
	plan_free(&p);
	sp_reasm_destroy(r);
}

/* tests/data/labels/nmbs.label.xml, lines joined: a STANAG 4774 label (version 2 chunks). */
static const char label_4774[] =
	"<s4774:originatorConfidentialityLabel "
	"xmlns:s4774=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\">"
	"<s4774:ConfidentialityInformation><s4774:PolicyIdentifier>NATO</s4774:PolicyIdentifier>"
	"<s4774:Classification>UNCLASSIFIED</s4774:Classification>"
	"<s4774:Category Type=\"PERMISSIVE\" TagName=\"Releasable To\">"
	"<s4774:GenericValue>NATO</s4774:GenericValue></s4774:Category>"
	"</s4774:ConfidentialityInformation>"
	"<s4774:CreationDateTime>2026-06-26T12:47:51Z</s4774:CreationDateTime>"
	"</s4774:originatorConfidentialityLabel>";

/* Objects labelled with a 4774 label: complete with label and flag; the flag must agree. */
static void
test_4774(void)
{
	struct sp_reasm *r = mk(16, 1u << 24, 1000, 64);
	struct sp_reasm_result res;
	struct insp_chunk c;
	static char big[INSP_CHUNK_LABEL_MAX + 1];
	uint32_t *order;
	struct plan p;

	plan_make(&p, 0x4774, 10000, 900);
	p.label = label_4774;
	p.label_4774 = 1;
	order = shuffled(p.count);
	CHECK(feed_all(r, &p, order, 0, 0), "a 4774-labelled object completes in any order");
	free(order);
	plan_free(&p);

	/* the longest label */
	memset(big, 'x', INSP_CHUNK_LABEL_MAX);
	big[0] = '<';
	plan_make(&p, 0x4775, 3000, 1000);
	p.label = big;
	p.label_4774 = 1;
	CHECK(feed_all(r, &p, NULL, 0, 0), "a 4096-byte 4774 label completes");
	plan_free(&p);

	/* the flag is part of what every chunk repeats: either way round */
	for (int first = 0; first < 2; first++) {
		plan_make(&p, 0x4780 + (uint64_t)first, 4096, 1024);
		p.label = label_4774;
		p.label_4774 = (uint8_t)first;
		feed1(r, &p, 0, 0, &res);
		c = chunk_of(&p, 1);
		c.label_4774 = (uint8_t)!first;
		CHECK(sp_reasm_feed(r, &c, 0, MAXOBJ, 0, &res) == SP_REASM_REFUSED &&
			      res.reason == INSP_R_OBJ_MISMATCH &&
			      strstr(res.detail,
				     first ? "a marking label, the first chunk's a 4774"
					   : "a 4774 label, the first chunk's a marking") != NULL,
		      "the 4774 flag differs (first chunk %s): obj_mismatch: %s",
		      first ? "4774" : "marking", res.detail);
		plan_free(&p);
	}
	/* the same flag, other XML: a label unlike the first chunk's */
	plan_make(&p, 0x4790, 4096, 1024);
	p.label = label_4774;
	p.label_4774 = 1;
	feed1(r, &p, 0, 0, &res);
	c = chunk_of(&p, 1);
	c.label_len = (uint16_t)(c.label_len - 1);
	CHECK(sp_reasm_feed(r, &c, 0, MAXOBJ, 0, &res) == SP_REASM_REFUSED &&
		      res.reason == INSP_R_OBJ_MISMATCH && strstr(res.detail, "label"),
	      "another 4774 label: obj_mismatch: %s", res.detail);
	plan_free(&p);

	/* the header's byte rules again: a CR in a 4774 label, UTF-8 in a marking */
	plan_make(&p, 0x47a0, 4096, 1024);
	p.label = "<a>\r</a>";
	p.label_4774 = 1;
	c = chunk_of(&p, 0);
	CHECK(sp_reasm_feed(r, &c, 0, MAXOBJ, 0, &res) == SP_REASM_REFUSED &&
		      res.reason == INSP_R_MALFORMED_MESSAGE,
	      "a CR in a 4774 label: malformed_message (%s)", res.detail);
	p.label = "<a>\xc3\xa9</a>";
	c = chunk_of(&p, 0);
	CHECK(sp_reasm_feed(r, &c, 0, MAXOBJ, 0, &res) == SP_REASM_PROGRESS,
	      "UTF-8 in a 4774 label: accepted (%s)", res.detail);
	p.id = 0x47a1;
	p.label_4774 = 0;
	c = chunk_of(&p, 0);
	CHECK(sp_reasm_feed(r, &c, 0, MAXOBJ, 0, &res) == SP_REASM_REFUSED &&
		      res.reason == INSP_R_MALFORMED_MESSAGE,
	      "UTF-8 in a marking: malformed_message (%s)", res.detail);
	plan_free(&p);
	sp_reasm_destroy(r);
}

int
main(void)
{
	test_orders();
	test_4774();
	test_one_chunk();
	test_interleaved();
	test_refusals();
	test_bounds();
	test_timeout();
	test_tombstones();
	test_churn();
	test_wire();
	test_big();
	return test_done();
}
