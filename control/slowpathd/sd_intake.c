/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "insp_chunk.h"
#include "sd_emit.h"
#include "sd_intake.h"
#include "sd_log.h"
#include "sp_reasm.h"

#define INTAKE_BURST 64
/* Tombstones of refused or finished objects, so their late chunks cannot restart them. */
#define INTAKE_TOMBSTONES 65536

int
sd_intake_init(struct sd_intake *in, struct dp_shared *sh, struct sd_stats *stats,
	       struct sd_queue *q, uint32_t max_objects, uint64_t max_bytes, uint32_t timeout_ms,
	       char *err, size_t errlen)
{
	struct sp_reasm_limits lim = {
		.max_objects = max_objects,
		.max_bytes = max_bytes,
		.timeout_ms = timeout_ms,
		.max_tombstones = INTAKE_TOMBSTONES,
	};

	memset(in, 0, sizeof(*in));
	in->sh = sh;
	in->stats = stats;
	in->queue = q;
	in->max_bytes = max_bytes;
	/* ids a sender picks must not collide in the table's hash on purpose */
	if (getrandom(&lim.hash_seed, sizeof(lim.hash_seed), 0) != sizeof(lim.hash_seed))
		lim.hash_seed = (uint64_t)rte_rdtsc();
	in->reasm = sp_reasm_create(&lim);
	if (in->reasm == NULL) {
		snprintf(err, errlen,
			 "cannot create the reassembly table (%u objects, %" PRIu64 " bytes in "
			 "flight, %u ms): a bound out of range or no memory",
			 max_objects, max_bytes, timeout_ms);
		return -1;
	}
	return 0;
}

void
sd_intake_fini(struct sd_intake *in)
{
	struct sp_reasm_stats st;

	if (in->reasm != NULL) {
		sp_reasm_stats(in->reasm, &st);
		if (st.objects_in_flight != 0)
			SD_LOG("%" PRIu64 " objects (%" PRIu64
			       " bytes) were still being reassembled: "
			       "abandoned (their senders must send them again)",
			       st.objects_in_flight, st.bytes_in_flight);
		sp_reasm_destroy(in->reasm);
	}
	gd_follow_close(&in->follow);
}

/* A refusal (or a bad chunk): count and audit it. */
static void
refused(struct sd_intake *in, uint16_t row, const struct sp_reasm_result *res, const uint8_t *data,
	size_t len, bool whole, int64_t now_ms)
{
	struct sd_emit e = {
		.whole = whole,
		.generation = in->follow.cur != NULL ? in->follow.cur->generation : 0,
		.row = row,
		.reason = res->reason,
		.level = INSP_LEVEL_NONE,
		.object_id = res->obj.id,
		.detail = res->detail,
		.data = data,
		.len = len,
	};

	sd_add(&in->stats->obj[row][res->reason], 1);
	sd_add(&in->stats->objects, 1);
	if (sd_emit(in->sh, &e, now_ms) != 0)
		sd_add(&in->stats->audit_lost, 1);
}

struct expire_ctx {
	struct sd_intake *in;
	int64_t now_ms;
};

static void
on_expired(void *arg, const struct sp_reasm_result *res)
{
	struct expire_ctx *x = arg;
	uint8_t none = 0;

	/* keyed by row: the row is the channel "index" the table knows */
	refused(x->in, (uint16_t)res->obj.channel, res, &none, 0, false, x->now_ms);
}

static void
complete(struct sd_intake *in, uint16_t row, struct sp_reasm_result *res, int64_t now_ms)
{
	struct sd_job *j = calloc(1, sizeof(*j));

	sd_add(&in->stats->bytes, res->obj.len);
	if (j == NULL || in->follow.cur == NULL) {
		snprintf(res->detail, sizeof(res->detail), "object %016" PRIx64 ": %s", res->obj.id,
			 j == NULL ? "out of memory" : "no ruleset is running");
		res->reason = j == NULL ? INSP_R_OBJ_BUSY : INSP_R_NO_POLICY;
		refused(in, row, res, res->obj.data, res->obj.len, true, now_ms);
		free(res->obj.data);
		free(j);
		return;
	}
	j->rules = gd_follow_ref(&in->follow);
	j->data = res->obj.data;
	j->len = res->obj.len;
	j->id = res->obj.id;
	j->row = row;
	snprintf(j->channel, sizeof(j->channel), "%s", in->sh->row_name[row]);
	j->declared_type = res->obj.type;
	j->label_4774 = res->obj.label_4774;
	memcpy(j->label, res->obj.label, sizeof(j->label));
	memcpy(j->originator, res->obj.originator, sizeof(j->originator));
	j->first_ms = res->obj.first_ms;
	j->done_ms = now_ms;
	if (sd_queue_push(in->queue, j) != 0) {
		snprintf(res->detail, sizeof(res->detail),
			 "object %016" PRIx64 ": inspection backlog full (%u objects or %" PRIu64
			 " bytes waiting)",
			 res->obj.id, in->queue->max_n, in->queue->max_bytes);
		res->reason = INSP_R_OBJ_BUSY;
		refused(in, row, res, j->data, j->len, true, now_ms);
		sd_job_free(j);
	}
}

static void
take(struct sd_intake *in, const struct dp_slow_rec *rec, int64_t now_ms)
{
	const struct insp_policy *p = in->follow.cur != NULL ? in->follow.cur->policy : NULL;
	struct sp_reasm_result res;
	struct insp_chunk c;
	uint32_t max_object = 0;
	uint16_t row = rec->row < DP_MAX_ROWS ? rec->row : 0;
	int ch;

	sd_add(&in->stats->chunks, 1);
	memset(&res, 0, sizeof(res));
	if (insp_chunk_parse(rec->data, rec->len, &c, res.detail, sizeof(res.detail)) !=
	    INSP_R_RELEASE) {
		sd_add(&in->stats->chunks_bad, 1);
		res.reason = INSP_R_MALFORMED_MESSAGE;
		refused(in, row, &res, rec->data, rec->len, false, now_ms);
		return;
	}
	ch = p != NULL ? gd_channel_index(p, in->sh->row_name[row]) : -1;
	if (ch < 0 || p->channels[ch].format != INSP_FORMAT_OBJECT) {
		/* a reload removed the channel while its chunks were on the ring */
		snprintf(res.detail, sizeof(res.detail), "object %016" PRIx64 ": %s", c.object_id,
			 p == NULL ? "no ruleset is running" : "channel not an object channel now");
		res.reason = p == NULL ? INSP_R_NO_POLICY : INSP_R_L2L4_NO_CHANNEL;
		res.obj.id = c.object_id;
		refused(in, row, &res, rec->data, rec->len, false, now_ms);
		return;
	}
	max_object = p->channels[ch].object_max;
	switch (sp_reasm_feed(in->reasm, &c, row, max_object, now_ms, &res)) {
	case SP_REASM_PROGRESS:
		break;
	case SP_REASM_COMPLETE:
		complete(in, row, &res, now_ms);
		break;
	case SP_REASM_REFUSED:
		refused(in, row, &res, rec->data, rec->len, false, now_ms);
		break;
	case SP_REASM_DROPPED:
		sd_add(&in->stats->chunks_dropped, 1);
		break;
	}
}

unsigned int
sd_intake_poll(struct sd_intake *in, int64_t now_ms)
{
	struct dp_slow_rec *recs[INTAKE_BURST];
	struct expire_ctx x = {in, now_ms};
	struct sp_reasm_stats st;
	char err[512];
	unsigned int n;

	if (gd_follow_update(&in->follow, in->sh, now_ms, err, sizeof(err)) < 0)
		SD_LOG("%s", err);
	sp_reasm_expire(in->reasm, now_ms, on_expired, &x);
	n = rte_ring_sc_dequeue_burst(in->sh->slow_ring, (void **)recs, INTAKE_BURST, NULL);
	for (unsigned int i = 0; i < n; i++)
		take(in, recs[i], now_ms);
	if (n != 0)
		rte_mempool_put_bulk(in->sh->slow_pool, (void **)recs, n);
	sp_reasm_stats(in->reasm, &st);
	if (st.bytes_hwm >
	    atomic_load_explicit(&in->stats->in_flight_hwm_bytes, memory_order_relaxed))
		atomic_store_explicit(&in->stats->in_flight_hwm_bytes, st.bytes_hwm,
				      memory_order_relaxed);
	return n;
}
