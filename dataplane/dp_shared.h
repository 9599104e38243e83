/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The contract between guardd (the DPDK primary process) and guard-control (a DPDK secondary
 * process attached with the same --file-prefix): one memzone, DP_SHARED_MZ, that guardd
 * creates at start-up and that holds everything the control process may see or touch.
 *
 * Everything here lives in hugepage memory mapped at the same address in both processes, so
 * the pointers in it (the workers' counters, the audit ring and pool) are valid in both.
 *
 * Who writes what (every field has exactly one writer; readers use relaxed or acquire loads):
 * - guardd's main lcore, once before the workers start: the identity fields, stats[], the
 *   audit ring and pool, the ports' names.
 * - guardd's reload (dp_reload.c, under its lock): the ruleset info (a seqlock: info_seq is
 *   odd while it is written) and the channel-name rows, which are append-only.
 * - guardd's link-state callback: link[] (dp_link.h).
 * - guard-control: control_* and the release-summary baseline (its state across restarts),
 *   release_enqueued_seq.
 * - guard-slowpath: slowpath_*.
 * - worker 0: release_done_seq and the release counters.
 *
 * Versioned: a guard-control built against another layout refuses to attach (magic, version
 * and the struct's size must all match).
 */
#ifndef DP_SHARED_H
#define DP_SHARED_H

#include <stdatomic.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ethdev.h>

#include "dp_lcore.h"
#include "insp_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DP_SHARED_MZ	"guard_shared"
#define DP_SHARED_MAGIC 0x47524431u /* "GRD1" */
/* 4: INSP_R_COUNT grew (object and slow-path reasons): wider counter rows */
#define DP_SHARED_VERSION 5u
#define DP_AUDIT_RING	  "guard_audit"
#define DP_AUDIT_POOL	  "guard_audit_rec"
#define DP_SLOW_RING	  "guard_slow"
#define DP_SLOW_POOL	  "guard_slow_rec"
#define DP_RELEASE_RING	  "guard_release"
#define DP_RELEASE_POOL	  "guard_release_rec"
/** rte_mp action guard-control sends to ask for a reload (struct dp_reload_req). */
#define DP_MP_RELOAD   "guard_reload"
#define DP_MAX_WORKERS 16
/** Audit records in flight between the workers and guard-control (a power of two). */
#define DP_AUDIT_RING_SIZE 16384
/** Object chunks in flight between the workers and guard-slowpath (a power of two). */
#define DP_SLOW_RING_SIZE 4096
/** Datagrams of approved items in flight between guard-control and worker 0. */
#define DP_RELEASE_RING_SIZE 512
/** guard-control counts as gone when its heartbeat is older than this. */
#define DP_CONTROL_TIMEOUT_MS 500
#define DP_RULESET_PATH_MAX   200

/** One decision that needs an audit record, as a worker hands it to guard-control. */
struct dp_audit_rec {
	uint64_t generation; /**< ruleset generation that decided */
	int64_t time_ms;     /**< decision time, ms since the Unix epoch */
	uint32_t rule_id;
	uint32_t offset;
	uint32_t len;	   /**< payload bytes (what payload[] holds, up to payload_max) */
	uint32_t full_len; /**< payload bytes of the message (len < full_len: truncated) */
	uint16_t row;	   /**< counter row: channel name index in dp_shared.row_name */
	uint16_t lcore;
	uint8_t reason; /**< enum insp_reason */
	uint8_t level;	/**< enum insp_level of the label, INSP_LEVEL_NONE if unknown */
	uint8_t tclass;
	uint8_t pad;
	char uid[INSP_UID_MAX];
	char detail[INSP_DETAIL_MAX];
	uint8_t payload[]; /**< dp_shared.audit_payload_max bytes of room */
};

/**
 * One datagram of an object channel, as a worker hands it to guard-slowpath unparsed
 * (dp_slowpath.h). The channel is named by its counter row (dp_shared.row_name), which
 * stays the same across reloads; guard-slowpath finds the channel by that name in the
 * ruleset it runs.
 */
struct dp_slow_rec {
	int64_t time_ms;     /**< arrival, ms since the Unix epoch */
	uint64_t generation; /**< ruleset generation the worker classified it with */
	uint16_t row;	     /**< counter row: the channel's name */
	uint16_t lcore;
	uint32_t len;	/**< payload bytes in data[] */
	uint8_t data[]; /**< dp_shared.max_msg bytes of room */
};

/**
 * One datagram of an approved item, as guard-control hands it to guardd's worker 0 for the
 * egress of a channel (dp_release.h). Records carry a sequence number that only grows
 * (the review queue's, rq_store.h); worker 0 sends them in ring order and publishes the
 * last one it sent (release_done_seq), and skips any record at or below it, so a record
 * guard-control enqueues twice (a restart between enqueue and noting it) leaves once.
 */
struct dp_release_rec {
	uint64_t seq;		     /**< record sequence number, > 0 */
	uint64_t item;		     /**< review queue item id (for logs) */
	char channel[INSP_NAME_MAX]; /**< the channel whose egress it leaves by */
	uint32_t len;		     /**< payload bytes (the UDP payload) */
	uint32_t pad;
	uint8_t payload[]; /**< dp_shared.max_msg bytes of room */
};

/** Link state of one port as guardd last learnt it. */
struct dp_link_state {
	_Atomic uint8_t up;	  /**< 1 up; workers do not poll a port that is down */
	_Atomic uint64_t changes; /**< link-state events seen */
	_Atomic uint64_t last_change_ms;
};

/** Request of DP_MP_RELOAD (the rte_mp message's param). */
struct dp_reload_req {
	char path[DP_RULESET_PATH_MAX]; /**< ruleset image to load (a regular file) */
	uint32_t uid;			/**< who asked (for guardd's log) */
};

/** Reply to DP_MP_RELOAD. */
struct dp_reload_reply {
	int32_t status;	     /**< 0 loaded, else -errno */
	uint32_t load_us;    /**< reading, checking and deserialising the image, scratch */
	uint64_t generation; /**< the new generation (0 when refused) */
	/**
	 * Publish until the last worker took the new generation, from the workers' own TSC
	 * stamps: how long old and new decided side by side (never within one burst). The
	 * workers do not stop for a swap: taking a generation is one pointer load.
	 */
	uint32_t swap_us;
	uint32_t grace_us; /**< publish until the reloader saw the grace period end */
	char msg[RTE_MP_MAX_PARAM_LEN - 24];
};

struct dp_shared {
	uint32_t magic;
	uint32_t version;
	uint32_t size; /**< sizeof(struct dp_shared) of the writer */
	int32_t guardd_pid;
	int64_t start_ms; /**< guardd start, ms since the Unix epoch */
	uint64_t tsc_hz;
	uint32_t max_msg;
	uint32_t audit_payload_max; /**< payload bytes an audit record holds */
	uint16_t n_workers;
	uint16_t n_ports;
	uint32_t worker_lcore[DP_MAX_WORKERS];
	struct dp_lcore_stats *stats[DP_MAX_WORKERS];
	struct rte_ring *audit_ring;	  /**< MP/SC: workers enqueue, guard-control dequeues */
	struct rte_mempool *audit_pool;	  /**< struct dp_audit_rec elements */
	struct rte_ring *slow_ring;	  /**< MP/SC: workers enqueue, guard-slowpath dequeues */
	struct rte_mempool *slow_pool;	  /**< struct dp_slow_rec elements */
	struct rte_ring *release_ring;	  /**< SP/SC: guard-control enqueues, worker 0 dequeues */
	struct rte_mempool *release_pool; /**< struct dp_release_rec elements */
	char port_name[RTE_MAX_ETHPORTS][RTE_ETH_NAME_MAX_LEN];
	struct dp_link_state link[RTE_MAX_ETHPORTS];

	/* the running ruleset (seqlock: read, check info_seq unchanged and even) */
	_Atomic uint32_t info_seq;
	uint64_t generation; /**< 0: no ruleset (everything is dropped as no_policy) */
	int64_t loaded_ms;
	uint8_t ruleset_sha256[32];
	uint8_t audit_releases; /**< enum insp_audit_releases of the running ruleset */
	uint32_t n_channels;
	uint32_t n_patterns;
	uint32_t last_swap_us;
	uint32_t last_grace_us;
	char ruleset_path[DP_RULESET_PATH_MAX];
	_Atomic uint64_t reloads;	  /**< rulesets published */
	_Atomic uint64_t reloads_refused; /**< rulesets refused */

	/* counter rows: channel names of every generation so far (append-only) */
	_Atomic uint32_t n_rows;
	char row_name[DP_MAX_ROWS][INSP_NAME_MAX];

	/**
	 * guardd is about to free the memory this state points into: guard-control finishes
	 * (drains the ring, writes its last records) and lets go before guardd goes on.
	 */
	_Atomic uint32_t guardd_stopping;

	/* guard-control's side */
	_Atomic uint64_t control_heartbeat_ms; /**< 0: no control process (or stopped) */
	_Atomic int32_t control_pid;
	_Atomic uint64_t control_attaches;
	_Atomic uint64_t audit_flushed; /**< records written and fdatasync'ed so far */
	/** release counts already summarised, per row (guard-control's baseline) */
	uint64_t summary_base[DP_CNT_ROWS];
	uint64_t summary_base_nochan; /**< packets of no channel (all reasons) */
	uint64_t summary_base_lost;   /**< audit_lost of all workers */

	/* guard-slowpath's side */
	_Atomic uint64_t slowpath_heartbeat_ms; /**< 0: no slow-path process (or stopped) */
	_Atomic int32_t slowpath_pid;

	/* the release path (dp_release.h): worker 0 writes these ... */
	_Atomic uint64_t release_done_seq;   /**< last record sent (or given up, below) */
	_Atomic uint64_t release_failed_seq; /**< last record that could not be sent at all */
	_Atomic uint64_t release_sent;	     /**< records sent */
	_Atomic uint64_t release_failed;     /**< records given up (no such channel) */
	_Atomic uint64_t release_skipped;    /**< records at or below done_seq: duplicates */
	/* ... and guard-control this one (its state across its own restarts) */
	_Atomic uint64_t release_enqueued_seq; /**< last record put on the ring */
} __rte_cache_aligned;

/** Read the ruleset info consistently (seqlock reader). */
static inline void
dp_shared_info_begin(const struct dp_shared *sh, uint32_t *seq)
{
	do
		*seq = atomic_load_explicit(&sh->info_seq, memory_order_acquire);
	while (*seq & 1u);
}

/** True if the info read since dp_shared_info_begin() is consistent. */
static inline int
dp_shared_info_retry(const struct dp_shared *sh, uint32_t seq)
{
	atomic_thread_fence(memory_order_acquire);
	return atomic_load_explicit(&sh->info_seq, memory_order_relaxed) != seq;
}

#ifdef __cplusplus
}
#endif
#endif
