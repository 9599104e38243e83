/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_reasm.h"

enum { KIND_OBJECT, KIND_TOMB };

/* First member of both records: the hash index points at it. */
struct key {
	uint64_t id;
	uint32_t channel;
	uint8_t kind;
};

struct obj {
	struct key k;
	struct obj *prev, *next; /* r->head..r->tail: by first chunk, oldest first */
	int64_t first_ms;
	uint32_t first_index; /* the index of the chunk that started it, for details */
	uint32_t count, total;
	uint32_t arrived;  /* distinct indexes in */
	uint32_t received; /* their bytes (disjoint ranges: this is the bytes covered) */
	uint8_t type, label_4774, orig_len;
	uint16_t label_len;
	uint8_t *label; /* label_len bytes (malloc()ed: up to INSP_CHUNK_LABEL_MAX) */
	uint8_t orig[INSP_CHUNK_ORIGINATOR_MAX];
	uint8_t *data;	     /* total + 1 bytes */
	uint64_t *idx_bits;  /* count bits: index arrived */
	uint64_t *byte_bits; /* total bits: byte received */
};

struct tomb {
	struct key k;
	enum insp_reason reason; /* how the object ended; INSP_R_RELEASE: it was completed */
	int64_t deadline;
};

struct sp_reasm {
	struct sp_reasm_limits lim;
	struct key **slots; /* open addressing, linear probing, load <= 1/2 */
	uint32_t mask;
	struct obj *head, *tail;
	struct tomb *tombs; /* a ring, oldest at tomb_head: made in deadline order */
	uint32_t tomb_head, tomb_n;
	struct sp_reasm_stats st;
};

/* ---- helpers ---- */

static int64_t
add_sat(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint32_t
home_of(const struct sp_reasm *r, uint64_t id, uint32_t channel)
{
	return (uint32_t)(mix64(mix64(id ^ r->lim.hash_seed) ^ channel) & r->mask);
}

/* Slot of (id, channel) in *at; false if absent (then *at is the empty slot to use). */
static bool
hash_find(const struct sp_reasm *r, uint64_t id, uint32_t channel, uint32_t *at)
{
	uint32_t i = home_of(r, id, channel);

	while (r->slots[i] != NULL) {
		if (r->slots[i]->id == id && r->slots[i]->channel == channel) {
			*at = i;
			return true;
		}
		i = (i + 1) & r->mask;
	}
	*at = i;
	return false;
}

static void
hash_put(struct sp_reasm *r, struct key *k)
{
	uint32_t i;

	if (!hash_find(r, k->id, k->channel, &i))
		r->slots[i] = k;
}

/* Backward-shift deletion: no deleted markers, so probe lengths never grow with churn. */
static void
hash_del_at(struct sp_reasm *r, uint32_t i)
{
	uint32_t j = i;

	for (;;) {
		j = (j + 1) & r->mask;
		if (r->slots[j] == NULL)
			break;
		uint32_t h = home_of(r, r->slots[j]->id, r->slots[j]->channel);

		/* the entry at j may fill the hole at i if i lies on its probe path h..j */
		if (((j - h) & r->mask) >= ((j - i) & r->mask)) {
			r->slots[i] = r->slots[j];
			i = j;
		}
	}
	r->slots[i] = NULL;
}

static void
hash_del(struct sp_reasm *r, const struct key *k)
{
	uint32_t i;

	if (hash_find(r, k->id, k->channel, &i))
		hash_del_at(r, i);
}

/* First bit equal to @p set in [a, e), or e. */
static uint32_t
bits_find(const uint64_t *b, uint32_t a, uint32_t e, bool set)
{
	while (a < e) {
		uint64_t x = set ? b[a >> 6] : ~b[a >> 6];

		x >>= (a & 63);
		if (x != 0) {
			uint32_t p = a + (uint32_t)__builtin_ctzll(x);

			return p < e ? p : e;
		}
		a = ((a >> 6) + 1) << 6;
	}
	return e;
}

static void
bits_set_range(uint64_t *b, uint32_t a, uint32_t e)
{
	while (a < e) {
		uint32_t sh = a & 63, n = 64 - sh;

		if (n > e - a)
			n = e - a;
		b[a >> 6] |= (n == 64 ? ~0ull : (1ull << n) - 1) << sh;
		a += n;
	}
}

static bool
bit_get(const uint64_t *b, uint32_t i)
{
	return (b[i >> 6] >> (i & 63)) & 1u;
}

static void __attribute__((format(printf, 2, 3)))
say(struct sp_reasm_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
}

static void
bump_hwm(struct sp_reasm *r)
{
	if (r->st.objects_in_flight > r->st.objects_hwm)
		r->st.objects_hwm = r->st.objects_in_flight;
	if (r->st.bytes_in_flight > r->st.bytes_hwm)
		r->st.bytes_hwm = r->st.bytes_in_flight;
}

/* ---- results ---- */

static void
res_reset(struct sp_reasm_result *res)
{
	res->status = SP_REASM_PROGRESS;
	res->reason = INSP_R_RELEASE;
	res->detail[0] = '\0';
	res->obj.data = NULL;
	res->obj.len = 0;
}

static void
obj_from_chunk(struct sp_reasm_object *o, const struct insp_chunk *c, uint32_t channel, int64_t now)
{
	o->id = c->object_id;
	o->channel = channel;
	o->type = c->type;
	o->label_4774 = c->label_4774;
	o->count = c->count;
	o->total_len = c->total_len;
	memcpy(o->label, c->label, c->label_len);
	o->label[c->label_len] = '\0';
	memcpy(o->originator, c->originator, c->originator_len);
	o->originator[c->originator_len] = '\0';
	o->first_ms = now;
}

static void
obj_from_record(struct sp_reasm_object *o, const struct obj *b)
{
	o->id = b->k.id;
	o->channel = b->k.channel;
	o->type = b->type;
	o->label_4774 = b->label_4774;
	o->count = b->count;
	o->total_len = b->total;
	memcpy(o->label, b->label, b->label_len);
	o->label[b->label_len] = '\0';
	memcpy(o->originator, b->orig, b->orig_len);
	o->originator[b->orig_len] = '\0';
	o->first_ms = b->first_ms;
}

/* ---- tombstones ---- */

static void
tomb_add(struct sp_reasm *r, uint64_t id, uint32_t channel, enum insp_reason why, int64_t now)
{
	struct tomb *t;

	if (r->lim.max_tombstones == 0)
		return;
	if (r->tomb_n == r->lim.max_tombstones) {
		hash_del(r, &r->tombs[r->tomb_head].k);
		r->tomb_head = (r->tomb_head + 1) % r->lim.max_tombstones;
		r->tomb_n--;
		r->st.tombstones_evicted++;
	}
	t = &r->tombs[(r->tomb_head + r->tomb_n) % r->lim.max_tombstones];
	t->k.id = id;
	t->k.channel = channel;
	t->k.kind = KIND_TOMB;
	t->reason = why;
	t->deadline = add_sat(now, r->lim.timeout_ms);
	r->tomb_n++;
	hash_put(r, &t->k);
}

static void
tombs_expire(struct sp_reasm *r, int64_t now)
{
	while (r->tomb_n > 0 && r->tombs[r->tomb_head].deadline <= now) {
		hash_del(r, &r->tombs[r->tomb_head].k);
		r->tomb_head = (r->tomb_head + 1) % r->lim.max_tombstones;
		r->tomb_n--;
	}
}

/* ---- objects ---- */

/* Unlink, unindex and free @p b (its data too unless handed out: b->data NULL then). */
static void
obj_remove(struct sp_reasm *r, struct obj *b)
{
	hash_del(r, &b->k);
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		r->head = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
	else
		r->tail = b->prev;
	r->st.objects_in_flight--;
	r->st.bytes_in_flight -= b->total;
	free(b->label);
	free(b->data);
	free(b->idx_bits);
	free(b->byte_bits);
	free(b);
}

/* Refuse the object @p b for @p why: the result describes it, its memory goes, a tombstone
 * stays. The caller has written the detail. */
static enum sp_reasm_status
obj_refuse(struct sp_reasm *r, struct obj *b, enum insp_reason why, int64_t now,
	   struct sp_reasm_result *res)
{
	uint64_t id = b->k.id;
	uint32_t channel = b->k.channel;

	obj_from_record(&res->obj, b);
	obj_remove(r, b);
	tomb_add(r, id, channel, why, now);
	r->st.refused[why]++;
	res->status = SP_REASM_REFUSED;
	res->reason = why;
	return SP_REASM_REFUSED;
}

/* The rules of insp_chunk_parse() again: the table relies on them for its arithmetic. */
static const char *
chunk_problem(const struct insp_chunk *c)
{
	if (c->type <= INSP_OBJ_NONE || c->type >= INSP_OBJ_TYPE_COUNT)
		return "declared type out of range";
	if (c->label_len == 0 || c->label == NULL)
		return "no label";
	if (c->label_len > INSP_CHUNK_LABEL_MAX || c->label_4774 > 1)
		return "label length out of range";
	if (insp_chunk_label_check(c->label, c->label_len, c->label_4774, NULL) < 0)
		return c->label_4774 ? "4774 label not UTF-8 without control characters"
				     : "label not printable ASCII";
	if (c->originator_len > INSP_CHUNK_ORIGINATOR_MAX ||
	    (c->originator_len > 0 && c->originator == NULL))
		return "originator length out of range";
	for (uint32_t i = 0; i < c->originator_len; i++) {
		uint8_t b = c->originator[i];

		if (!((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
		      b == '.' || b == '_' || b == '@' || b == '-'))
			return "originator character not allowed";
	}
	if (c->object_id == 0)
		return "object id 0";
	if (c->count == 0 || c->count > INSP_CHUNK_COUNT_MAX || c->index >= c->count)
		return "chunk index or count out of range";
	if (c->total_len == 0 || c->total_len > INSP_CHUNK_TOTAL_MAX || c->count > c->total_len)
		return "total length out of range";
	if (c->data_len == 0 || c->data == NULL || (uint64_t)c->offset + c->data_len > c->total_len)
		return "data outside the object";
	return NULL;
}

static enum sp_reasm_status
refuse_new(struct sp_reasm *r, const struct insp_chunk *c, uint32_t channel, enum insp_reason why,
	   int64_t now, struct sp_reasm_result *res)
{
	tomb_add(r, c->object_id, channel, why, now);
	r->st.refused[why]++;
	res->status = SP_REASM_REFUSED;
	res->reason = why;
	return SP_REASM_REFUSED;
}

/* First chunk of an object: bounds, then the record with its whole total reserved. */
static enum sp_reasm_status
obj_start(struct sp_reasm *r, const struct insp_chunk *c, uint32_t channel, uint32_t max_object,
	  int64_t now, struct sp_reasm_result *res)
{
	struct obj *b;

	if (c->total_len > max_object) {
		say(res,
		    "object 0x%016" PRIx64 ": total length %" PRIu32
		    " above the channel's max_object %" PRIu32,
		    c->object_id, c->total_len, max_object);
		return refuse_new(r, c, channel, INSP_R_OBJ_OVERSIZE, now, res);
	}
	if (r->st.objects_in_flight >= r->lim.max_objects) {
		say(res, "object 0x%016" PRIx64 ": %" PRIu64 " objects in flight, the bound",
		    c->object_id, r->st.objects_in_flight);
		return refuse_new(r, c, channel, INSP_R_OBJ_BUSY, now, res);
	}
	if (c->total_len > r->lim.max_bytes - r->st.bytes_in_flight) {
		say(res,
		    "object 0x%016" PRIx64 ": %" PRIu32
		    " bytes more would exceed the bound of %" PRIu64 " bytes in flight (%" PRIu64
		    " now)",
		    c->object_id, c->total_len, r->lim.max_bytes, r->st.bytes_in_flight);
		return refuse_new(r, c, channel, INSP_R_OBJ_BUSY, now, res);
	}
	b = calloc(1, sizeof(*b));
	if (b != NULL) {
		b->label = malloc(c->label_len);
		b->data = malloc((size_t)c->total_len + 1);
		b->idx_bits = calloc(((size_t)c->count + 63) / 64, sizeof(uint64_t));
		b->byte_bits = calloc(((size_t)c->total_len + 63) / 64, sizeof(uint64_t));
	}
	if (b == NULL || b->label == NULL || b->data == NULL || b->idx_bits == NULL ||
	    b->byte_bits == NULL) {
		if (b != NULL) {
			free(b->label);
			free(b->data);
			free(b->idx_bits);
			free(b->byte_bits);
			free(b);
		}
		say(res, "object 0x%016" PRIx64 ": no memory for %" PRIu32 " bytes", c->object_id,
		    c->total_len);
		return refuse_new(r, c, channel, INSP_R_OBJ_BUSY, now, res);
	}
	b->k.id = c->object_id;
	b->k.channel = channel;
	b->k.kind = KIND_OBJECT;
	b->first_ms = now;
	b->first_index = c->index;
	b->count = c->count;
	b->total = c->total_len;
	b->type = c->type;
	b->label_4774 = c->label_4774;
	b->label_len = c->label_len;
	memcpy(b->label, c->label, c->label_len);
	b->orig_len = c->originator_len;
	memcpy(b->orig, c->originator, c->originator_len);
	b->data[b->total] = '\0';
	b->prev = r->tail;
	if (r->tail != NULL)
		r->tail->next = b;
	else
		r->head = b;
	r->tail = b;
	hash_put(r, &b->k);
	r->st.objects_in_flight++;
	r->st.bytes_in_flight += b->total;
	bump_hwm(r);
	return SP_REASM_PROGRESS;
}

/* Which header field of @p c differs from the object's first chunk, or NULL. */
static const char *
mismatch(const struct obj *b, const struct insp_chunk *c, char *what, size_t cap)
{
	if (c->type != b->type)
		snprintf(what, cap, "type %u, the first chunk's %u", c->type, b->type);
	else if (c->count != b->count)
		snprintf(what, cap, "count %" PRIu32 ", the first chunk's %" PRIu32, c->count,
			 b->count);
	else if (c->total_len != b->total)
		snprintf(what, cap, "total length %" PRIu32 ", the first chunk's %" PRIu32,
			 c->total_len, b->total);
	else if (c->label_4774 != b->label_4774)
		snprintf(what, cap, "a %s label, the first chunk's a %s",
			 c->label_4774 ? "4774" : "marking", b->label_4774 ? "4774" : "marking");
	else if (c->label_len != b->label_len || memcmp(c->label, b->label, b->label_len) != 0)
		snprintf(what, cap, "a label unlike the first chunk's");
	else if (c->originator_len != b->orig_len ||
		 memcmp(c->originator, b->orig, b->orig_len) != 0)
		snprintf(what, cap, "an originator unlike the first chunk's");
	else
		return NULL;
	return what;
}

/* Add @p c to @p b (fields already agree). */
static enum sp_reasm_status
obj_add(struct sp_reasm *r, struct obj *b, const struct insp_chunk *c, int64_t now,
	struct sp_reasm_result *res)
{
	uint32_t end = c->offset + c->data_len;
	uint32_t p;

	if (bit_get(b->idx_bits, c->index)) {
		say(res, "chunk %" PRIu32 " of object 0x%016" PRIx64 ": arrived twice", c->index,
		    b->k.id);
		return obj_refuse(r, b, INSP_R_OBJ_DUPLICATE, now, res);
	}
	p = bits_find(b->byte_bits, c->offset, end, true);
	if (p < end) {
		uint32_t q = bits_find(b->byte_bits, p, end, false);

		say(res,
		    "chunk %" PRIu32 " of object 0x%016" PRIx64 ": bytes %" PRIu32 "..%" PRIu32
		    " overlap bytes %" PRIu32 "..%" PRIu32 " received before",
		    c->index, b->k.id, c->offset, end - 1, p, q - 1);
		return obj_refuse(r, b, INSP_R_OBJ_OVERLAP, now, res);
	}
	b->idx_bits[c->index >> 6] |= 1ull << (c->index & 63);
	bits_set_range(b->byte_bits, c->offset, end);
	memcpy(b->data + c->offset, c->data, c->data_len);
	b->arrived++;
	b->received += c->data_len;
	if (b->arrived < b->count)
		return SP_REASM_PROGRESS;
	if (b->received != b->total) {
		uint32_t g = bits_find(b->byte_bits, 0, b->total, false);
		uint32_t h = bits_find(b->byte_bits, g, b->total, true);

		say(res,
		    "object 0x%016" PRIx64 ": all %" PRIu32 " chunks arrived but cover %" PRIu32
		    " of %" PRIu32 " bytes: bytes %" PRIu32 "..%" PRIu32 " are in none",
		    b->k.id, b->count, b->received, b->total, g, h - 1);
		return obj_refuse(r, b, INSP_R_OBJ_INCOMPLETE, now, res);
	}
	obj_from_record(&res->obj, b);
	res->obj.data = b->data;
	res->obj.len = b->total;
	b->data = NULL; /* the caller's now */
	r->st.completed++;
	r->st.completed_bytes += b->total;
	{
		uint64_t id = b->k.id;
		uint32_t channel = b->k.channel;

		obj_remove(r, b);
		tomb_add(r, id, channel, INSP_R_RELEASE, now);
	}
	res->status = SP_REASM_COMPLETE;
	return SP_REASM_COMPLETE;
}

/* ---- API ---- */

struct sp_reasm *
sp_reasm_create(const struct sp_reasm_limits *lim)
{
	struct sp_reasm *r;
	uint64_t need, cap = 16;

	if (lim == NULL || lim->max_objects == 0 || lim->max_objects > SP_REASM_OBJECTS_MAX ||
	    lim->max_bytes == 0 || lim->timeout_ms == 0 ||
	    lim->max_tombstones > SP_REASM_TOMBSTONES_MAX)
		return NULL;
	need = 2 * ((uint64_t)lim->max_objects + lim->max_tombstones);
	while (cap < need)
		cap <<= 1;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->lim = *lim;
	r->mask = (uint32_t)(cap - 1);
	r->slots = calloc(cap, sizeof(*r->slots));
	r->tombs = calloc(lim->max_tombstones ? lim->max_tombstones : 1, sizeof(*r->tombs));
	if (r->slots == NULL || r->tombs == NULL) {
		sp_reasm_destroy(r);
		return NULL;
	}
	return r;
}

void
sp_reasm_destroy(struct sp_reasm *r)
{
	if (r == NULL)
		return;
	while (r->head != NULL) {
		struct obj *b = r->head;

		r->head = b->next;
		free(b->label);
		free(b->data);
		free(b->idx_bits);
		free(b->byte_bits);
		free(b);
	}
	free(r->slots);
	free(r->tombs);
	free(r);
}

enum sp_reasm_status
sp_reasm_feed(struct sp_reasm *r, const struct insp_chunk *c, uint32_t channel, uint32_t max_object,
	      int64_t now_ms, struct sp_reasm_result *res)
{
	const char *bad;
	uint32_t at;
	char what[96];

	res_reset(res);
	r->st.chunks++;
	bad = chunk_problem(c);
	if (bad != NULL) {
		memset(&res->obj, 0, sizeof(res->obj));
		res->obj.id = c->object_id;
		res->obj.channel = channel;
		res->obj.first_ms = now_ms;
		say(res, "object chunk: %s", bad);
		r->st.refused[INSP_R_MALFORMED_MESSAGE]++;
		res->status = SP_REASM_REFUSED;
		res->reason = INSP_R_MALFORMED_MESSAGE;
		return SP_REASM_REFUSED;
	}
	if (!hash_find(r, c->object_id, channel, &at)) {
		obj_from_chunk(&res->obj, c, channel, now_ms);
		if (obj_start(r, c, channel, max_object, now_ms, res) != SP_REASM_PROGRESS)
			return res->status;
		if (!hash_find(r, c->object_id, channel, &at))
			return res->status; /* cannot happen: just put */
		return obj_add(r, (struct obj *)r->slots[at], c, now_ms, res);
	}
	if (r->slots[at]->kind == KIND_TOMB) {
		const struct tomb *t = (const struct tomb *)r->slots[at];

		obj_from_chunk(&res->obj, c, channel, now_ms);
		if (t->reason == INSP_R_RELEASE)
			say(res,
			    "chunk %" PRIu32 " of object 0x%016" PRIx64
			    ": dropped: object already complete",
			    c->index, c->object_id);
		else
			say(res,
			    "chunk %" PRIu32 " of object 0x%016" PRIx64
			    ": dropped: object already refused (%s)",
			    c->index, c->object_id, insp_reason_name(t->reason));
		r->st.chunks_dropped++;
		res->status = SP_REASM_DROPPED;
		res->reason = t->reason == INSP_R_RELEASE ? INSP_R_OBJ_DUPLICATE : t->reason;
		return SP_REASM_DROPPED;
	}
	{
		struct obj *b = (struct obj *)r->slots[at];

		if (mismatch(b, c, what, sizeof(what)) != NULL) {
			say(res,
			    "chunk %" PRIu32 " of object 0x%016" PRIx64 ": %s (chunk %" PRIu32 ")",
			    c->index, b->k.id, what, b->first_index);
			return obj_refuse(r, b, INSP_R_OBJ_MISMATCH, now_ms, res);
		}
		obj_from_record(&res->obj, b);
		return obj_add(r, b, c, now_ms, res);
	}
}

/* "3-4,9,..." of the clear bits in [0, n) appended at @p o of @p buf (cap bytes). */
static void
list_missing(const uint64_t *bits, uint32_t n, char *buf, size_t cap, size_t o)
{
	uint32_t a = bits_find(bits, 0, n, false);
	bool first = true;

	while (a < n && o < cap) {
		uint32_t e = bits_find(bits, a, n, true);
		char item[32];
		int k;

		if (e - a == 1)
			k = snprintf(item, sizeof(item), "%s%" PRIu32, first ? "" : ",", a);
		else
			k = snprintf(item, sizeof(item), "%s%" PRIu32 "-%" PRIu32, first ? "" : ",",
				     a, e - 1);
		if (o + (size_t)k + 5 > cap) { /* keep room for ",..." and the NUL */
			snprintf(buf + o, cap - o, "%s...", first ? "" : ",");
			return;
		}
		memcpy(buf + o, item, (size_t)k + 1);
		o += (size_t)k;
		first = false;
		a = bits_find(bits, e, n, false);
	}
}

unsigned
sp_reasm_expire(struct sp_reasm *r, int64_t now_ms, sp_reasm_expire_fn fn, void *ctx)
{
	unsigned n = 0;
	struct sp_reasm_result res;

	tombs_expire(r, now_ms);
	while (r->head != NULL && add_sat(r->head->first_ms, r->lim.timeout_ms) <= now_ms) {
		struct obj *b = r->head;
		int k;

		res_reset(&res);
		obj_from_record(&res.obj, b);
		k = snprintf(res.detail, sizeof(res.detail),
			     "object 0x%016" PRIx64 ": %" PRIu32 " of %" PRIu32
			     " chunks missing after %" PRId64 " ms: ",
			     b->k.id, b->count - b->arrived, b->count, now_ms - b->first_ms);
		if (k > 0 && (size_t)k < sizeof(res.detail))
			list_missing(b->idx_bits, b->count, res.detail, sizeof(res.detail),
				     (size_t)k);
		res.status = SP_REASM_REFUSED;
		res.reason = INSP_R_OBJ_INCOMPLETE;
		r->st.refused[INSP_R_OBJ_INCOMPLETE]++;
		if (fn != NULL)
			fn(ctx, &res);
		{
			uint64_t id = b->k.id;
			uint32_t channel = b->k.channel;

			obj_remove(r, b);
			tomb_add(r, id, channel, INSP_R_OBJ_INCOMPLETE, now_ms);
		}
		n++;
	}
	return n;
}

int64_t
sp_reasm_next_deadline(const struct sp_reasm *r)
{
	return r->head != NULL ? add_sat(r->head->first_ms, r->lim.timeout_ms) : INT64_MAX;
}

void
sp_reasm_stats(const struct sp_reasm *r, struct sp_reasm_stats *s)
{
	*s = r->st;
	s->tombstones = r->tomb_n;
}

void
sp_reasm_object_free(struct sp_reasm_object *o)
{
	if (o == NULL)
		return;
	free(o->data);
	o->data = NULL;
	o->len = 0;
}
