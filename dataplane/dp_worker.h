/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The worker lcore's run-to-completion loop: rx_burst -> layers 2-4 -> channel ->
 * insp_inspect() -> protocol break -> tx_burst, or count and free.
 *
 * Fast-path rules: no locks, no system calls, no allocation, no printing; every packet
 * ends in exactly one counter cell (channel or "-", reason). Fails closed: a missing
 * policy, a multi-segment mbuf (a frame larger than the mbuf data room, see
 * docs/architecture.md) or a header that cannot be built drops the packet.
 */
#ifndef DP_WORKER_H
#define DP_WORKER_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * lcore_function_t for rte_eal_remote_launch(); @p arg is the worker's struct
 * dp_lcore_conf. Returns 0 once *conf->quit is set, after flushing its tx buffers.
 */
int dp_worker_main(void *arg);

#ifdef __cplusplus
}
#endif
#endif
