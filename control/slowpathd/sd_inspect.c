/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gd_follow.h"
#include "insp_chunk.h"
#include "rq_store.h"
#include "sd_emit.h"
#include "sd_inspect.h"
#include "sd_log.h"
#include "sp_object.h"
#include "gd_time.h"

/* file_item(): the item is queued, but the policy's approval failed (err says why). */
#define SD_QUEUED_NOT_APPROVED 1

/* The reviewer name a `release: direct` approval is recorded under. */
#define SD_POLICY_REVIEWER "policy:release-direct"

struct worker {
	struct sd_inspect *ins;
	struct sp_ctx *ctx;
	struct rq_store *st;
	struct gd_rules *rules; /* the ruleset the scratch is for */
	struct insp_scratch *scratch;
};

/* The scratch for @p r (made anew when the ruleset changed). */
static int
scratch_for(struct worker *w, struct gd_rules *r)
{
	if (w->rules == r && w->scratch != NULL)
		return 0;
	insp_scratch_free(w->scratch);
	gd_rules_unref(w->rules);
	w->rules = r;
	atomic_fetch_add(&r->refs, 1);
	w->scratch = insp_scratch_create(r->policy, sp_scratch_size(r->policy, NULL));
	return w->scratch != NULL ? 0 : -1;
}

/* Into the review queue: pending (review) or approved by the policy (release). */
static int
file_item(struct worker *w, const struct sd_job *j, const struct sp_outcome *o, int64_t *id,
	  char *err, size_t errlen)
{
	const struct insp_policy *p = j->rules->policy;
	char src[17], reason[INSP_DETAIL_MAX + 64];
	struct rq_new in;
	int rc;

	snprintf(src, sizeof(src), "%016" PRIx64, j->id);
	if (o->kind == SP_RELEASE)
		snprintf(reason, sizeof(reason), "clean; channel release: direct");
	else if (o->reason == INSP_R_REVIEW && o->rule_id != 0)
		snprintf(reason, sizeof(reason), "review term %u: %s", o->rule_id, o->detail);
	else
		snprintf(reason, sizeof(reason), "%s", o->detail);
	memset(&in, 0, sizeof(in));
	in.kind = RQ_KIND_OBJECT;
	in.channel = j->channel;
	in.source_id = src;
	in.originator = j->originator;
	in.declared_type = insp_obj_type_mime(j->declared_type);
	in.real_type = o->mime;
	in.label = j->label;
	in.level = o->level <= RQ_LEVEL_MAX ? o->level : RQ_LEVEL_UNKNOWN;
	in.reason = reason;
	in.findings = o->findings;
	in.text = o->text;
	in.text_len = o->text_len;
	in.content = o->content;
	in.content_len = o->content_len;
	in.generation = j->rules->generation;
	in.submitted_ms = (uint64_t)j->done_ms;
	rq_set_bounds(w->st, p->review_max_items, p->review_max_bytes);
	rc = rq_submit(w->st, &in, id, err, errlen);
	if (rc != 0 || o->kind != SP_RELEASE)
		return rc;
	/* the policy approves it: one action, recorded like a reviewer's */
	rc = rq_decide(w->st, *id, SD_POLICY_REVIEWER, 0, "approve",
		       "the channel releases clean objects directly", RQ_LEVEL_UNKNOWN,
		       (uint64_t)gd_now_ms(), NULL, err, errlen);
	/* queued but not approved: it stays pending, a reviewer decides (fail closed) */
	return rc == 0 ? 0 : SD_QUEUED_NOT_APPROVED;
}

static void
decide(struct worker *w, struct sd_job *j)
{
	struct sd_stats *stats = w->ins->stats;
	const struct insp_policy *p = j->rules->policy;
	int ch = gd_channel_index(p, j->channel);
	char detail[INSP_DETAIL_MAX + RQ_ERR_MAX], err[RQ_ERR_MAX];
	struct sp_outcome o;
	struct sp_object obj;
	enum insp_reason why;
	int64_t t0 = gd_now_ms(), id = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	o.findings = NULL;
	if (ch < 0 || scratch_for(w, j->rules) != 0) {
		o.kind = SP_REFUSE;
		o.reason = ch < 0 ? INSP_R_L2L4_NO_CHANNEL : INSP_R_OBJ_BUSY;
		snprintf(o.detail, sizeof(o.detail), "%s",
			 ch < 0 ? "the channel is gone from the running ruleset"
				: "out of memory for the inspection scratch");
	} else {
		obj.data = j->data;
		obj.len = j->len;
		obj.declared_type = j->declared_type;
		obj.label = j->label;
		obj.label_len = strlen(j->label);
		obj.label_4774 = j->label_4774;
		obj.id = j->id;
		obj.channel = (uint32_t)ch;
		sp_object_inspect(w->ctx, p, w->scratch, &obj, gd_now_ms(), &o);
	}
	sd_add(&stats->inspect_ms, (uint64_t)(gd_now_ms() - t0));
	/*
	 * `release: direct` spares reviewers the routine objects, not the sensitive ones: at or
	 * above the policy's two_person_from (or of no known level) a person decides anyway.
	 */
	if (o.kind == SP_RELEASE &&
	    (o.level >= INSP_LEVEL_COUNT || o.level >= p->two_person_level)) {
		o.kind = SP_REVIEW;
		snprintf(o.detail, sizeof(o.detail),
			 "policy: release: direct stops below review.two_person_from (%s)",
			 insp_level_name((enum insp_level)p->two_person_level));
	}
	why = o.kind == SP_REFUSE ? o.reason : o.kind == SP_REVIEW ? INSP_R_REVIEW : INSP_R_RELEASE;
	/* the item number first: the audit record's detail is cut at INSP_DETAIL_MAX */
	snprintf(detail, sizeof(detail), "%s %zu B: %s", o.mime[0] != '\0' ? o.mime : "?", j->len,
		 o.kind == SP_RELEASE ? "clean, release: direct" : o.detail);
	if (o.kind != SP_REFUSE) {
		char rest[sizeof(detail)];

		rc = file_item(w, j, &o, &id, err, sizeof(err));
		snprintf(rest, sizeof(rest), "%s", detail);
		if (rc == SD_QUEUED_NOT_APPROVED) {
			why = INSP_R_REVIEW;
			snprintf(detail, sizeof(detail),
				 "item %" PRId64 ": pending for a reviewer: the policy's approval "
				 "failed (%.300s)",
				 id, err);
			SD_LOG("object %016" PRIx64 ": item %" PRId64 ": %s", j->id, id, err);
		} else if (RQ_IS_FULL(rc)) {
			why = INSP_R_REVIEW_QUEUE_FULL;
			snprintf(detail, sizeof(detail), "not queued: %s", err);
		} else if (rc != 0) {
			/* fail closed: not queued is not released */
			why = INSP_R_REVIEW_QUEUE_FULL;
			snprintf(detail, sizeof(detail), "not queued: review queue error: %s", err);
			SD_LOG("object %016" PRIx64 ": %s", j->id, err);
		} else {
			snprintf(detail, sizeof(detail), "item %" PRId64 ": %.600s", id, rest);
		}
	}
	sd_add(&stats->obj[j->row][why], 1);
	sd_add(&stats->objects, 1);
	{
		struct sd_emit e = {
			.generation = j->rules->generation,
			.row = j->row,
			.reason = why,
			.level = o.level,
			.rule_id = o.rule_id,
			.offset = o.text_offset,
			.object_id = j->id,
			.detail = detail,
			.data = j->data,
			.len = j->len,
			.whole = true,
		};

		pthread_mutex_lock(&w->ins->emit_lock);
		if (w->ins->detached || sd_emit(w->ins->sh, &e, gd_now_ms()) != 0)
			sd_add(&stats->audit_lost, 1);
		pthread_mutex_unlock(&w->ins->emit_lock);
	}
	sp_outcome_free(&o);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct sd_job *j;

	while ((j = sd_queue_pop(w->ins->queue)) != NULL) {
		if (atomic_load(&w->ins->abandon))
			atomic_fetch_add(&w->ins->abandoned, 1);
		else
			decide(w, j);
		sd_job_free(j);
	}
	insp_scratch_free(w->scratch);
	gd_rules_unref(w->rules);
	sp_ctx_free(w->ctx);
	rq_close(w->st);
	free(w);
	return NULL;
}

int
sd_inspect_start(struct sd_inspect *ins, struct dp_shared *sh, struct sd_stats *stats,
		 struct sd_queue *q, const char *db_path, unsigned int n, char *err, size_t errlen)
{
	memset(ins, 0, sizeof(*ins));
	pthread_mutex_init(&ins->emit_lock, NULL);
	ins->sh = sh;
	ins->stats = stats;
	ins->queue = q;
	snprintf(ins->db_path, sizeof(ins->db_path), "%s", db_path);
	for (unsigned int i = 0; i < n && i < SD_MAX_THREADS; i++) {
		struct worker *w = calloc(1, sizeof(*w));

		if (w == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		w->ins = ins;
		w->ctx = sp_ctx_create(NULL, err, errlen);
		if (w->ctx == NULL || rq_open(db_path, NULL, &w->st, err, errlen) != 0) {
			sp_ctx_free(w->ctx);
			free(w);
			goto fail;
		}
		if (pthread_create(&ins->thread[i], NULL, worker_main, w) != 0) {
			snprintf(err, errlen, "cannot start an inspection thread: %s",
				 strerror(errno));
			sp_ctx_free(w->ctx);
			rq_close(w->st);
			free(w);
			goto fail;
		}
		ins->n++;
	}
	return 0;
fail:
	sd_inspect_stop(ins, true);
	return -1;
}

void
sd_inspect_detach(struct sd_inspect *ins)
{
	pthread_mutex_lock(&ins->emit_lock);
	ins->detached = true;
	pthread_mutex_unlock(&ins->emit_lock);
}

void
sd_inspect_stop(struct sd_inspect *ins, bool abandon)
{
	if (abandon)
		atomic_store(&ins->abandon, true);
	sd_queue_close(ins->queue);
	for (unsigned int i = 0; i < ins->n; i++)
		pthread_join(ins->thread[i], NULL);
	ins->n = 0;
}
