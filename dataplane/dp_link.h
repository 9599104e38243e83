/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Link state of every port, in dp_shared.link[] (guard-control's status shows it). The main
 * lcore polls rte_eth_link_get_nowait() every tick (works on every port type, with or
 * without link-state interrupts), logs and counts each change, and the workers skip the rx
 * queues of a port whose link is down until it comes back (a memif port whose peer went
 * away must not be polled while its driver tears the shared memory down).
 */
#ifndef DP_LINK_H
#define DP_LINK_H

#include "dp_shared.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Read every port's link once (after the ports started, before the workers). */
void dp_link_init(struct dp_shared *sh);

/** One poll of every port; logs the changes. Main lcore. */
void dp_link_poll(struct dp_shared *sh);

#ifdef __cplusplus
}
#endif
#endif
