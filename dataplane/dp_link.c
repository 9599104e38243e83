/* SPDX-License-Identifier: BSD-3-Clause */
/* Link-state polling on the main lcore (dp_link.h says why polling). */
#include <inttypes.h>
#include <time.h>

#include <rte_ethdev.h>

#include "dp_link.h"
#include "dp_log.h"

static int64_t
link_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint8_t
link_read(uint16_t port)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(port, &link) != 0)
		return 1; /* a device that cannot say is assumed up: it is polled as before */
	return link.link_status == RTE_ETH_LINK_UP;
}

void
dp_link_init(struct dp_shared *sh)
{
	uint16_t port;

	RTE_ETH_FOREACH_DEV (port) {
		uint8_t up = link_read(port);

		atomic_store_explicit(&sh->link[port].up, up, memory_order_relaxed);
		if (!up)
			DP_LOG(INFO, port,
			       "port %u (%s): link down at start; not polled until it "
			       "comes up",
			       port, sh->port_name[port]);
	}
}

void
dp_link_poll(struct dp_shared *sh)
{
	uint16_t port;

	RTE_ETH_FOREACH_DEV (port) {
		struct dp_link_state *ls = &sh->link[port];
		uint8_t up = link_read(port);

		if (up == atomic_load_explicit(&ls->up, memory_order_relaxed))
			continue;
		atomic_store_explicit(&ls->up, up, memory_order_relaxed);
		atomic_fetch_add_explicit(&ls->changes, 1, memory_order_relaxed);
		atomic_store_explicit(&ls->last_change_ms, (uint64_t)link_now_ms(),
				      memory_order_relaxed);
		if (up)
			DP_LOG(INFO, port, "port %u (%s): link up; polling it again", port,
			       sh->port_name[port]);
		else
			DP_LOG(WARNING, port,
			       "port %u (%s): link down; not polled until it comes back", port,
			       sh->port_name[port]);
	}
}
