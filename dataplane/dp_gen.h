/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A ruleset generation: one opened ruleset image and everything the workers need to decide
 * with it (the policy, one inspection scratch per worker, the counter row of each channel).
 * Built off the fast path (start-up or a reload), immutable once published, freed only after
 * every worker has moved on (dp_reload.h). All its memory is DPDK (hugepage) memory except
 * the scratches' own bookkeeping, which only guardd touches.
 */
#ifndef DP_GEN_H
#define DP_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "dp_lcore.h"
#include "dp_shared.h"
#include "insp_inspect.h"
#include "insp_policy.h"
#include "rs_ruleset.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dp_gen {
	uint64_t id;			  /**< generation number, from 1 */
	const struct insp_policy *policy; /**< &rs.policy */
	uint16_t row[INSP_MAX_CHANNELS];  /**< channel index -> counter row */
	/** egress class queue bounds per port (the policy's, or defaults; dp_egress.h) */
	uint32_t eg_queue_max[DP_EGRESS_PORTS][INSP_TCLASS_COUNT];
	struct insp_scratch *scratch[DP_MAX_WORKERS];
	uint16_t n_workers;
	struct rs_ruleset rs;
	uint8_t *image;
	size_t image_len;
	char path[DP_RULESET_PATH_MAX];
};

/**
 * Open the ruleset image at @p path as generation @p id: read and check it (rs_ruleset.h),
 * check that every channel's ports exist, give every channel a counter row in @p sh (new
 * names are appended), and create one scratch per worker on that worker's socket.
 * @param workers  lcore ids of the workers (scratch i is for workers[i])
 * @return the generation, or NULL with an operator's message in @p err.
 */
struct dp_gen *dp_gen_open(const char *path, uint64_t id, struct dp_shared *sh,
			   const unsigned int *workers, uint16_t n_workers, uint32_t max_msg,
			   char *err, size_t errlen);

/** Free a generation no worker can still be using (NULL is fine). */
void dp_gen_free(struct dp_gen *g);

/** Point Hyperscan's scratch allocation at DPDK memory; once, before any dp_gen_open(). */
int dp_gen_init_allocator(void);

#ifdef __cplusplus
}
#endif
#endif
