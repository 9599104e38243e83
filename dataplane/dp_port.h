/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Ports and mempools: one mbuf pool per NUMA socket that has worker lcores, every
 * available ethdev configured with one tx queue per worker and up to one rx queue per
 * worker (rx queue q is polled by worker q).
 *
 * Sizing: the mbuf data room holds a whole frame carrying a --max-msg payload (Ethernet,
 * one 802.1Q tag, IPv6, UDP), at least RTE_MBUF_DEFAULT_BUF_SIZE; the MTU is raised to
 * match when the device allows. Larger frames are either dropped by the device (counted in
 * its port statistics: ierrors/imissed) or arrive as chained mbufs, which the worker drops
 * as l2l4_oversize. Scatter rx is never requested.
 *
 * Vdev friendly: works with net_pcap, net_memif, net_ring and net_null; features a device
 * lacks (RSS, checksum offload, promiscuous mode, MTU change) are skipped, not fatal.
 * All functions return 0 or a negative errno and log why; they never exit.
 */
#ifndef DP_PORT_H
#define DP_PORT_H

#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DP_RX_DESC	 1024
#define DP_TX_DESC	 1024
#define DP_MEMPOOL_CACHE 256
#define DP_NB_MBUF_MIN	 8192

struct dp_ports {
	uint16_t n_workers;		      /**< tx queues per port */
	uint16_t nb_rxq[RTE_MAX_ETHPORTS];    /**< rx queues per port (0: not set up) */
	uint8_t started[RTE_MAX_ETHPORTS];    /**< needs stop at shutdown */
	uint8_t configured[RTE_MAX_ETHPORTS]; /**< needs close at shutdown */
	struct rte_ether_addr mac[RTE_MAX_ETHPORTS];
	struct rte_mempool *pool[RTE_MAX_NUMA_NODES];
};

/**
 * Create the mempools and configure and start every available port.
 * @param workers   lcore ids of the worker lcores; worker i polls rx queue i
 * @param max_msg   largest payload to receive in one segment
 * @return 0 or -errno (already logged); call dp_port_close_all() in any case.
 */
int dp_port_setup(struct dp_ports *pp, const unsigned int *workers, uint16_t n_workers,
		  uint32_t max_msg);

/** Stop and close every port set up, then free the mempools. */
void dp_port_close_all(struct dp_ports *pp);

#ifdef __cplusplus
}
#endif
#endif
