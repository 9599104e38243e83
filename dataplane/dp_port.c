/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port and mempool set-up. Each step that a device may not support is probed through
 * rte_eth_dev_info_get() first, so the same code drives vdevs in tests and real NICs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dp_log.h"
#include "dp_port.h"

/* Ethernet + one 802.1Q tag + IPv6 + UDP: the most header a received message carries. */
#define DP_FRAME_OVERHEAD (RTE_ETHER_HDR_LEN + 4 + 40 + 8)
/* IPv6 + UDP: what the MTU (an L3 size) must hold besides the payload. */
#define DP_MTU_OVERHEAD (40 + 8)

static unsigned int
dp_socket_of_lcore(unsigned int lcore)
{
	int s = (int)rte_lcore_to_socket_id(lcore);

	return s < 0 || s >= RTE_MAX_NUMA_NODES ? 0 : (unsigned int)s;
}

static uint16_t
dp_data_room(uint32_t max_msg)
{
	uint32_t room = RTE_ALIGN_CEIL(max_msg + DP_FRAME_OVERHEAD, 128);

	room = RTE_MAX(room, (uint32_t)RTE_MBUF_DEFAULT_DATAROOM);
	return (uint16_t)(room + RTE_PKTMBUF_HEADROOM);
}

static int
dp_pools_create(struct dp_ports *pp, const unsigned int *workers, uint16_t n_workers,
		uint16_t n_ports, uint32_t max_msg)
{
	uint16_t room = dp_data_room(max_msg);
	uint32_t nb_mbuf;
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int i, s;

	/*
	 * Every descriptor of every queue may hold an mbuf, plus what the workers hold in
	 * flight (one rx burst and one tx buffer per port each) and the per-lcore caches.
	 */
	nb_mbuf = (uint32_t)n_ports * n_workers * (DP_RX_DESC + DP_TX_DESC) +
		  (uint32_t)n_workers * (n_ports + 1u) * 32u + rte_lcore_count() * DP_MEMPOOL_CACHE;
	nb_mbuf = RTE_MAX(nb_mbuf, (uint32_t)DP_NB_MBUF_MIN);

	for (i = 0; i < n_workers; i++) {
		s = dp_socket_of_lcore(workers[i]);
		if (pp->pool[s] != NULL)
			continue;
		snprintf(name, sizeof(name), "guard_mbuf_s%u", s);
		pp->pool[s] =
			rte_pktmbuf_pool_create(name, nb_mbuf, DP_MEMPOOL_CACHE, 0, room, (int)s);
		if (pp->pool[s] == NULL) {
			DP_LOG(ERR, port,
			       "cannot create mempool %s (%u mbufs of %u bytes) on socket %u: %s; "
			       "give EAL more memory (-m / --socket-mem) or use fewer ports",
			       name, nb_mbuf, room, s, rte_strerror(rte_errno));
			return -rte_errno;
		}
		DP_LOG(INFO, port, "mempool %s: %u mbufs, data room %u", name, nb_mbuf, room);
	}
	return 0;
}

/*
 * MTU that lets a --max-msg payload in, bounded by what the device allows: both max_mtu and
 * max_rx_pktlen count (memif reports max_mtu 65535 but a 1518-byte frame limit), with the
 * L2 overhead ethdev itself assumes when it validates the MTU.
 */
static uint16_t
dp_mtu(uint16_t port, const struct rte_eth_dev_info *info, uint32_t max_msg)
{
	uint32_t want = max_msg + DP_MTU_OVERHEAD;
	uint32_t overhead = info->max_mtu != UINT16_MAX && info->max_rx_pktlen > info->max_mtu
				    ? info->max_rx_pktlen - info->max_mtu
				    : RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
	uint32_t dev_max = RTE_MIN((uint32_t)info->max_mtu, info->max_rx_pktlen - overhead);

	if (want < RTE_ETHER_MTU)
		want = RTE_ETHER_MTU;
	if (want > dev_max) {
		if (max_msg + DP_MTU_OVERHEAD > dev_max)
			DP_LOG(WARNING, port,
			       "port %u: device frames hold at most %u bytes of IP; messages above "
			       "%u bytes will not be received (--max-msg %u)",
			       port, dev_max, dev_max - DP_MTU_OVERHEAD, max_msg);
		return (uint16_t)dev_max;
	}
	return (uint16_t)want;
}

static int
dp_port_init(struct dp_ports *pp, uint16_t port, const unsigned int *workers, uint16_t n_workers,
	     uint32_t max_msg)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_eth_rxconf rxconf;
	struct rte_eth_txconf txconf;
	uint16_t nb_rxq, nb_rxd = DP_RX_DESC, nb_txd = DP_TX_DESC, q;
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0) {
		DP_LOG(ERR, port, "port %u: cannot get device info: %s", port, strerror(-ret));
		return ret;
	}
	/* Tx queues are not thread-safe: every worker needs its own on every port. */
	if (info.max_tx_queues < n_workers) {
		DP_LOG(ERR, port,
		       "port %u (%s): needs %u tx queues (one per worker lcore) but has %u; give "
		       "the device more queues (net_pcap: one tx_pcap per queue) or use fewer "
		       "worker lcores",
		       port, info.driver_name, n_workers, info.max_tx_queues);
		return -EINVAL;
	}
	nb_rxq = RTE_MIN(n_workers, info.max_rx_queues);
	if (nb_rxq == 0) {
		DP_LOG(ERR, port, "port %u (%s): device has no rx queue", port, info.driver_name);
		return -EINVAL;
	}
	if (nb_rxq < n_workers)
		DP_LOG(WARNING, port,
		       "port %u (%s): only %u rx queues for %u workers; workers %u.. do not poll "
		       "it",
		       port, info.driver_name, nb_rxq, n_workers, nb_rxq);

	memset(&conf, 0, sizeof(conf));
	/* RSS only helps when there is more than one queue to spread flows over. */
	if (nb_rxq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
		if (conf.rx_adv_conf.rss_conf.rss_hf == 0)
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_NONE;
	}
	if (nb_rxq > 1 && conf.rxmode.mq_mode != RTE_ETH_MQ_RX_RSS)
		DP_LOG(WARNING, port,
		       "port %u (%s): no IP/UDP RSS; traffic arrives only where the device puts it",
		       port, info.driver_name);
	/* Let the NIC verify checksums when it can; the library re-checks what it did not. */
	conf.rxmode.offloads = info.rx_offload_capa &
			       (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM);
	/* Egress checksums are computed in software by insp_egress_build(). */
	conf.txmode.offloads = info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	conf.rxmode.mtu = dp_mtu(port, &info, max_msg);

	ret = rte_eth_dev_configure(port, nb_rxq, n_workers, &conf);
	if (ret != 0) {
		DP_LOG(ERR, port, "port %u (%s): configure with %u rx / %u tx queues failed: %s",
		       port, info.driver_name, nb_rxq, n_workers, strerror(-ret));
		return ret;
	}
	pp->configured[port] = 1;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret != 0) {
		DP_LOG(ERR, port, "port %u: cannot adjust descriptor counts: %s", port,
		       strerror(-ret));
		return ret;
	}
	rxconf = info.default_rxconf;
	rxconf.offloads = conf.rxmode.offloads;
	for (q = 0; q < nb_rxq; q++) {
		unsigned int s = dp_socket_of_lcore(workers[q]);

		ret = rte_eth_rx_queue_setup(port, q, nb_rxd, s, &rxconf, pp->pool[s]);
		if (ret != 0) {
			DP_LOG(ERR, port, "port %u: rx queue %u setup failed: %s", port, q,
			       strerror(-ret));
			return ret;
		}
	}
	txconf = info.default_txconf;
	txconf.offloads = conf.txmode.offloads;
	for (q = 0; q < n_workers; q++) {
		ret = rte_eth_tx_queue_setup(port, q, nb_txd, dp_socket_of_lcore(workers[q]),
					     &txconf);
		if (ret != 0) {
			DP_LOG(ERR, port, "port %u: tx queue %u setup failed: %s", port, q,
			       strerror(-ret));
			return ret;
		}
	}
	ret = rte_eth_macaddr_get(port, &pp->mac[port]);
	if (ret != 0) {
		DP_LOG(ERR, port, "port %u: cannot read MAC address: %s", port, strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_start(port);
	if (ret != 0) {
		DP_LOG(ERR, port, "port %u (%s): start failed: %s", port, info.driver_name,
		       strerror(-ret));
		return ret;
	}
	pp->started[port] = 1;
	/* The guard receives frames for configured addresses, not for its own MAC only. */
	ret = rte_eth_promiscuous_enable(port);
	if (ret != 0 && ret != -ENOTSUP)
		DP_LOG(WARNING, port, "port %u: cannot enable promiscuous mode: %s", port,
		       strerror(-ret));
	pp->nb_rxq[port] = nb_rxq;
	DP_LOG(INFO, port,
	       "port %u (%s) " RTE_ETHER_ADDR_PRT_FMT ": %u rx / %u tx queues, mtu %u%s%s", port,
	       info.driver_name, RTE_ETHER_ADDR_BYTES(&pp->mac[port]), nb_rxq, n_workers,
	       conf.rxmode.mtu, conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS ? ", rss" : "",
	       conf.rxmode.offloads != 0 ? ", rx cksum offload" : "");
	return 0;
}

int
dp_port_setup(struct dp_ports *pp, const unsigned int *workers, uint16_t n_workers,
	      uint32_t max_msg)
{
	uint16_t port, n_ports = rte_eth_dev_count_avail();
	int ret;

	memset(pp, 0, sizeof(*pp));
	pp->n_workers = n_workers;
	ret = dp_pools_create(pp, workers, n_workers, n_ports, max_msg);
	if (ret != 0)
		return ret;
	RTE_ETH_FOREACH_DEV (port) {
		ret = dp_port_init(pp, port, workers, n_workers, max_msg);
		if (ret != 0)
			return ret;
	}
	return 0;
}

void
dp_port_close_all(struct dp_ports *pp)
{
	uint16_t port;
	unsigned int s;
	int ret;

	for (port = 0; port < RTE_MAX_ETHPORTS; port++) {
		if (pp->started[port]) {
			ret = rte_eth_dev_stop(port);
			if (ret != 0)
				DP_LOG(WARNING, port, "port %u: stop failed: %s", port,
				       strerror(-ret));
			pp->started[port] = 0;
		}
		if (pp->configured[port]) {
			ret = rte_eth_dev_close(port);
			if (ret != 0)
				DP_LOG(WARNING, port, "port %u: close failed: %s", port,
				       strerror(-ret));
			pp->configured[port] = 0;
		}
	}
	/* Only now: a closed port no longer holds mbufs from the pools. */
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		rte_mempool_free(pp->pool[s]);
		pp->pool[s] = NULL;
	}
}
