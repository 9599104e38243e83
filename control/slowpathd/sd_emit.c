/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "dp_audit.h"
#include "gd_audit.h"
#include "rs_ruleset.h"
#include "sd_emit.h"

int
sd_emit(struct dp_shared *sh, const struct sd_emit *e, int64_t now_ms)
{
	struct dp_audit_rec *rec;
	uint8_t sha[32];
	char hex[65];
	uint32_t n;

	if (!dp_audit_path_up(sh, now_ms))
		return -1;
	if (rte_mempool_get(sh->audit_pool, (void **)&rec) != 0)
		return -1;
	n = (uint32_t)RTE_MIN(e->len, (size_t)sh->audit_payload_max);
	if (e->whole) {
		rs_sha256(e->data, e->len, sha);
		rs_hex(sha, hex);
	}
	rec->generation = e->generation;
	rec->time_ms = now_ms;
	rec->rule_id = e->rule_id;
	rec->offset = e->offset;
	rec->len = n;
	rec->full_len = (uint32_t)RTE_MIN(e->len, (size_t)UINT32_MAX);
	rec->row = e->row;
	rec->lcore = GD_AUDIT_SLOWPATH_LCORE;
	rec->reason = (uint8_t)e->reason;
	rec->level = e->level;
	rec->tclass = 0;
	rec->pad = 0;
	if (e->object_id != 0)
		snprintf(rec->uid, sizeof(rec->uid), "%016" PRIx64, e->object_id);
	else
		rec->uid[0] = '\0';
	if (e->whole)
		snprintf(rec->detail, sizeof(rec->detail), "%.*s; object sha256 %s",
			 (int)(sizeof(rec->detail) - 81), e->detail, hex);
	else
		snprintf(rec->detail, sizeof(rec->detail), "%s", e->detail);
	memcpy(rec->payload, e->data, n);
	if (rte_ring_mp_enqueue(sh->audit_ring, rec) != 0) {
		rte_mempool_put(sh->audit_pool, rec);
		return -1;
	}
	return 0;
}
