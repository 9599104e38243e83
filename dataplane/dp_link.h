/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Links that go away (issue 11.6). The state of every port is in dp_shared.link[] (status
 * shows it). The main lcore polls rte_eth_link_get_nowait() every tick, which works on every
 * port type whether or not it raises link-state interrupts, and logs and counts each change.
 *
 * While a port's link is down the workers neither poll its rx queues nor hand it packets to
 * send (those are counted tx_failed): a memif port whose peer went away must not be touched
 * while its driver tears the shared memory down.
 *
 * A memif client does not reconnect by itself once its peer has gone. So for a memif port
 * that stays down, the main lcore waits for an RCU grace period (after it, no worker is
 * inside that port's rx or tx functions) and then stops and starts the port, which makes
 * the client connect again. It retries every DP_LINK_RETRY_MS until a peer is there.
 */
#ifndef DP_LINK_H
#define DP_LINK_H

#include <rte_rcu_qsbr.h>

#include "dp_shared.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DP_LINK_RETRY_MS 1000 /**< restart attempts of a memif port that stays down */

/** Read every port's link once (after the ports started, before the workers). */
void dp_link_init(struct dp_shared *sh);

/**
 * One poll of every port: log the changes, restart memif ports that stay down (see the file
 * comment). Main lcore. @p qsbr is the workers' RCU variable.
 */
void dp_link_poll(struct dp_shared *sh, struct rte_rcu_qsbr *qsbr);

#ifdef __cplusplus
}
#endif
#endif
