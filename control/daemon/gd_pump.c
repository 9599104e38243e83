/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The release pump thread (gd_pump.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "gd_follow.h"
#include "gd_log.h"
#include "gd_pump.h"
#include "insp_chunk.h"
#include "rq_store.h"
#include "gd_time.h"

#define PUMP_IDLE_MS	    50 /* between looks at the queue when nothing is sending */
#define PUMP_CHUNK_DATAGRAM INSP_CHUNK_RELEASE_DATAGRAM
#define PUMP_BUSY_MS	    1 /* while an item is sending */

/* The item being sent: its datagrams, built from the queue. */
struct sending {
	int64_t id;
	uint64_t first; /* record number of datagrams[0] */
	uint32_t n;
	char channel[INSP_NAME_MAX];
	char sha[65];
	uint64_t size;
	uint8_t **dgram;
	uint32_t *len;
};

static void
sleep_ms(unsigned int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static void
sending_free(struct sending *s)
{
	for (uint32_t i = 0; s->dgram != NULL && i < s->n; i++)
		free(s->dgram[i]);
	free(s->dgram);
	free(s->len);
	memset(s, 0, sizeof(*s));
}

/*
 * The datagrams of @p it for channel @p ch of @p p, object id @p obj_id (0: count only, into
 * *n). Returns 0, or -1 with @p why set (the item cannot be sent on this policy).
 */
static int
build(const struct rq_item *it, const struct insp_policy *p, const struct dp_shared *sh,
      uint64_t obj_id, struct sending *s, uint32_t *n, char *why, size_t whylen)
{
	int c = gd_channel_index(p, it->channel);
	uint32_t room, data_max, off = 0;
	size_t label_len, orig_len, fixed;
	const struct insp_channel *ch;
	struct insp_chunk k;
	int type;

	if (c < 0) {
		snprintf(why, whylen, "channel '%s' is not in the running policy", it->channel);
		return -1;
	}
	ch = &p->channels[c];
	room = ch->max_size < sh->max_msg ? ch->max_size : sh->max_msg;
	if (it->kind == RQ_KIND_OBJECT && room > PUMP_CHUNK_DATAGRAM)
		room = PUMP_CHUNK_DATAGRAM;
	if (it->kind == RQ_KIND_MESSAGE) {
		if (it->size > room) {
			snprintf(why, whylen,
				 "message of %" PRIu64 " bytes above the channel's "
				 "max_size %u",
				 it->size, room);
			return -1;
		}
		*n = 1;
		if (obj_id != 0) {
			s->dgram[0] = malloc(it->size);
			if (s->dgram[0] == NULL)
				goto nomem;
			memcpy(s->dgram[0], it->content, it->size);
			s->len[0] = (uint32_t)it->size;
		}
		return 0;
	}
	type = insp_obj_type_from_mime(it->real_type, strlen(it->real_type));
	label_len = strlen(it->label);
	orig_len = strlen(it->originator);
	if (type < 0 || label_len == 0 || label_len > INSP_CHUNK_LABEL_MAX ||
	    orig_len > INSP_CHUNK_ORIGINATOR_MAX || it->size == 0 ||
	    it->size >= INSP_CHUNK_TOTAL_MAX) {
		snprintf(why, whylen,
			 "item cannot be chunked (type '%s', label or originator too "
			 "long, or size %" PRIu64 ")",
			 it->real_type, it->size);
		return -1;
	}
	/* the queue keeps the label as it came: a 4774 label is its XML (it starts with '<') */
	memset(&k, 0, sizeof(k));
	k.label_4774 = it->label[0] == '<';
	k.label = (const uint8_t *)it->label;
	k.label_len = (uint16_t)label_len;
	fixed = insp_chunk_fixed_len(&k);
	if (room <= fixed + label_len + orig_len) {
		snprintf(why, whylen, "channel '%s' max_size %u leaves no room for chunk data",
			 it->channel, room);
		return -1;
	}
	data_max = room - (uint32_t)(fixed + label_len + orig_len);
	*n = (uint32_t)((it->size + data_max - 1) / data_max);
	if (obj_id == 0)
		return 0;
	k.object_id = obj_id;
	k.count = *n;
	k.total_len = (uint32_t)it->size;
	k.type = (uint8_t)type;
	k.originator = (const uint8_t *)it->originator;
	k.originator_len = (uint8_t)orig_len;
	for (uint32_t i = 0; i < *n; i++) {
		k.index = i;
		k.offset = off;
		k.data = it->content + off;
		k.data_len = (uint32_t)(it->size - off < data_max ? it->size - off : data_max);
		s->dgram[i] = malloc(room);
		if (s->dgram[i] == NULL)
			goto nomem;
		s->len[i] = (uint32_t)insp_chunk_write(s->dgram[i], room, &k);
		if (s->len[i] == 0) {
			snprintf(why, whylen, "chunk %u of item %" PRId64 " does not fit", i,
				 it->id);
			return -1;
		}
		off += k.data_len;
	}
	return 0;
nomem:
	snprintf(why, whylen, "out of memory building item %" PRId64 "'s datagrams", it->id);
	return -1;
}

struct pump_ctx {
	struct gd_pump *p;
	struct rq_store *st;
	struct gd_follow fol;
	struct sending cur;
	char instance[64];
};

static void
interrupt(struct pump_ctx *x, int64_t id, const char *why)
{
	char err[RQ_ERR_MAX], note[RQ_ERR_MAX + 128];

	if (rq_release_interrupt(x->st, id, why, (uint64_t)gd_now_ms(), err, sizeof(err)) != 0)
		GD_LOG("pump: item %" PRId64 ": %s", id, err);
	snprintf(note, sizeof(note), "item %" PRId64 " interrupted: %s", id, why);
	gd_audit_note_control(x->p->audit, "review_interrupted", note);
	GD_LOG("pump: %s", note);
	atomic_fetch_add(&x->p->interrupted, 1);
}

/* Load item @p id (sending or about to be) into x->cur; @p first 0: reserve numbers now. */
static int
load_item(struct pump_ctx *x, int64_t id, uint64_t first)
{
	const struct insp_policy *pol = x->fol.cur != NULL ? x->fol.cur->policy : NULL;
	char err[RQ_ERR_MAX], why[RQ_ERR_MAX];
	struct rq_item *it;
	uint32_t n = 0;
	int rc = rq_get(x->st, id, &it, err, sizeof(err));

	if (rc == RQ_E_CORRUPT) {
		uint64_t f;

		/* its bytes are not what was approved (the file was changed): never sent */
		if (first == 0 && rq_release_begin(x->st, id, 1, (uint64_t)gd_now_ms(), &f, why,
						   sizeof(why)) != 0)
			GD_LOG("pump: item %" PRId64 ": %s", id, why);
		interrupt(x, id, err);
		return -1;
	}
	if (rc != 0) {
		GD_LOG("pump: item %" PRId64 ": %s", id, err);
		return -1;
	}
	if (pol == NULL) {
		rq_item_free(it);
		return -1; /* no ruleset yet: wait */
	}
	if (build(it, pol, x->p->sh, 0, &x->cur, &n, why, sizeof(why)) != 0) {
		uint64_t f;

		if (first == 0 && rq_release_begin(x->st, id, 1, (uint64_t)gd_now_ms(), &f, err,
						   sizeof(err)) != 0)
			GD_LOG("pump: item %" PRId64 ": %s", id, err);
		interrupt(x, id, why);
		rq_item_free(it);
		return -1;
	}
	if (first != 0 && n != it->rec_count) {
		/* resuming: the records must be the ones numbered, or numbers would collide */
		snprintf(why, sizeof(why),
			 "its datagrams would now be %u, %u were numbered (the channel changed "
			 "since): not resumed",
			 n, it->rec_count);
		interrupt(x, id, why);
		rq_item_free(it);
		return -1;
	}
	if (first == 0 &&
	    rq_release_begin(x->st, id, n, (uint64_t)gd_now_ms(), &first, err, sizeof(err)) != 0) {
		GD_LOG("pump: item %" PRId64 ": %s", id, err);
		rq_item_free(it);
		return -1;
	}
	x->cur.dgram = calloc(n, sizeof(*x->cur.dgram));
	x->cur.len = calloc(n, sizeof(*x->cur.len));
	x->cur.n = n;
	if (x->cur.dgram == NULL || x->cur.len == NULL ||
	    build(it, pol, x->p->sh, first, &x->cur, &n, why, sizeof(why)) != 0) {
		interrupt(x, id, x->cur.dgram == NULL ? "out of memory" : why);
		sending_free(&x->cur);
		rq_item_free(it);
		return -1;
	}
	x->cur.id = id;
	x->cur.first = first;
	snprintf(x->cur.channel, sizeof(x->cur.channel), "%s", it->channel);
	snprintf(x->cur.sha, sizeof(x->cur.sha), "%s", it->content_sha256);
	x->cur.size = it->size;
	rq_item_free(it);
	return 0;
}

/* Recovery: what was sending when the last pump stopped (collected, then acted on). */
struct recov {
	unsigned int n;
	struct {
		int64_t id;
		uint64_t first;
		uint32_t count;
	} it[64];
};

static int
recover_note(const struct rq_item *it, void *arg)
{
	struct recov *r = arg;

	if (r->n == sizeof(r->it) / sizeof(r->it[0]))
		return 1; /* the rest on the next round */
	r->it[r->n].id = it->id;
	r->it[r->n].first = it->rec_first;
	r->it[r->n].count = it->rec_count;
	r->n++;
	return 0;
}

/* @return 0 done, -1 try again later */
static int
recover(struct pump_ctx *x)
{
	char prev[64] = "", err[RQ_ERR_MAX], why[256];
	struct recov r = {0};
	int rc;

	if (rq_meta_get(x->st, "pump.guardd", prev, sizeof(prev), err, sizeof(err)) < 0) {
		GD_LOG("pump: %s", err);
		return -1;
	}
	rc = rq_sending_items(x->st, recover_note, &r, err, sizeof(err));
	if (rc < 0) {
		GD_LOG("pump: %s", err);
		return -1;
	}
	for (unsigned int i = 0; i < r.n; i++) {
		/* the same guardd: its done and enqueued numbers still say what left */
		if (x->cur.n == 0 && strcmp(prev, x->instance) == 0 &&
		    load_item(x, r.it[i].id, r.it[i].first) == 0)
			continue;
		snprintf(why, sizeof(why),
			 "guardd restarted (was %s, now %s) while records %" PRIu64 "..%" PRIu64
			 " were in flight: which left is unknown, so it is not sent again",
			 prev[0] != '\0' ? prev : "unknown", x->instance, r.it[i].first,
			 r.it[i].first + r.it[i].count - 1);
		interrupt(x, r.it[i].id, why);
	}
	return rc == 1 ? -1 : 0;
}

static void
enqueue_more(struct pump_ctx *x)
{
	struct dp_shared *sh = x->p->sh;
	uint64_t last = x->cur.first + x->cur.n - 1;
	uint64_t enq = atomic_load_explicit(&sh->release_enqueued_seq, memory_order_relaxed);
	uint64_t done = atomic_load_explicit(&sh->release_done_seq, memory_order_acquire);
	uint64_t next = (enq > done ? enq : done) + 1;

	if (next < x->cur.first)
		next = x->cur.first;
	for (; next <= last; next++) {
		struct dp_release_rec *rec;
		uint32_t i = (uint32_t)(next - x->cur.first);

		if (rte_mempool_get(sh->release_pool, (void **)&rec) != 0)
			return;
		rec->seq = next;
		rec->item = (uint64_t)x->cur.id;
		snprintf(rec->channel, sizeof(rec->channel), "%s", x->cur.channel);
		rec->len = x->cur.len[i];
		memcpy(rec->payload, x->cur.dgram[i], x->cur.len[i]);
		if (rte_ring_sp_enqueue(sh->release_ring, rec) != 0) {
			rte_mempool_put(sh->release_pool, rec);
			return;
		}
		atomic_store_explicit(&sh->release_enqueued_seq, next, memory_order_release);
	}
}

static void
check_done(struct pump_ctx *x)
{
	struct dp_shared *sh = x->p->sh;
	uint64_t last = x->cur.first + x->cur.n - 1;
	uint64_t done = atomic_load_explicit(&sh->release_done_seq, memory_order_acquire);
	uint64_t failed = atomic_load_explicit(&sh->release_failed_seq, memory_order_relaxed);
	char err[RQ_ERR_MAX], note[512];

	if (done < last)
		return;
	if (failed >= x->cur.first && failed <= last) {
		snprintf(note, sizeof(note),
			 "guardd could not send record %" PRIu64
			 " (channel '%s' not in its running "
			 "ruleset)",
			 failed, x->cur.channel);
		interrupt(x, x->cur.id, note);
	} else if (rq_release_done(x->st, x->cur.id, (uint64_t)gd_now_ms(), err, sizeof(err)) !=
		   0) {
		GD_LOG("pump: item %" PRId64 ": %s", x->cur.id, err);
		return; /* tried again next time */
	} else {
		snprintf(note, sizeof(note),
			 "item %" PRId64 " released on channel %s: %" PRIu64
			 " bytes sha256 %s in %u "
			 "datagrams (records %" PRIu64 "..%" PRIu64 ")",
			 x->cur.id, x->cur.channel, x->cur.size, x->cur.sha, x->cur.n, x->cur.first,
			 last);
		gd_audit_note_control(x->p->audit, "review_released", note);
		atomic_fetch_add(&x->p->released, 1);
	}
	sending_free(&x->cur);
}

static void *
pump_main(void *arg)
{
	struct pump_ctx x = {.p = arg};
	struct dp_shared *sh = x.p->sh;
	char err[RQ_ERR_MAX];
	bool recovered = false;

	if (rq_open(x.p->db_path, NULL, &x.st, err, sizeof(err)) != 0) {
		GD_LOG("pump: %s: approved items are not released", err);
		return NULL;
	}
	snprintf(x.instance, sizeof(x.instance), "%d:%" PRId64, (int)sh->guardd_pid, sh->start_ms);
	while (!atomic_load(&x.p->stop) &&
	       !atomic_load_explicit(&sh->guardd_stopping, memory_order_acquire)) {
		int64_t id;
		uint64_t rseq;

		if (gd_follow_update(&x.fol, sh, gd_now_ms(), err, sizeof(err)) < 0)
			GD_LOG("pump: %s", err);
		if (x.fol.cur == NULL) {
			sleep_ms(PUMP_IDLE_MS);
			continue;
		}
		if (!recovered) {
			if (recover(&x) != 0) {
				sleep_ms(PUMP_IDLE_MS);
				continue;
			}
			if (rq_meta_set(x.st, "pump.guardd", x.instance, err, sizeof(err)) != 0) {
				GD_LOG("pump: %s", err);
				sleep_ms(PUMP_IDLE_MS);
				continue;
			}
			recovered = true;
		}
		if (x.cur.n == 0) {
			int rc = rq_next_approved(x.st, &id, &rseq, err, sizeof(err));

			if (rc < 0)
				GD_LOG("pump: %s", err);
			if (rc != 1 || load_item(&x, id, 0) != 0) {
				sleep_ms(PUMP_IDLE_MS);
				continue;
			}
		}
		enqueue_more(&x);
		check_done(&x);
		sleep_ms(PUMP_BUSY_MS);
	}
	sending_free(&x.cur);
	gd_follow_close(&x.fol);
	rq_close(x.st);
	return NULL;
}

int
gd_pump_start(struct gd_pump *p, struct dp_shared *sh, struct gd_audit *audit, const char *db_path,
	      char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->sh = sh;
	p->audit = audit;
	snprintf(p->db_path, sizeof(p->db_path), "%s", db_path);
	if (pthread_create(&p->thread, NULL, pump_main, p) != 0) {
		snprintf(err, errlen, "cannot start the release pump: %s", strerror(errno));
		return -1;
	}
	p->started = true;
	return 0;
}

void
gd_pump_stop(struct gd_pump *p)
{
	if (!p->started)
		return;
	atomic_store(&p->stop, true);
	pthread_join(p->thread, NULL);
	p->started = false;
}
