/* SPDX-License-Identifier: BSD-3-Clause */
/* Link-state polling on the main lcore (dp_link.h says why polling). */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "dp_clock.h"
#include "dp_link.h"
#include "dp_log.h"
#include "dp_peerio.h"

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

/* Wait until no worker can be inside this port's functions (its link flag is already down). */
static int
link_quiesce(struct rte_rcu_qsbr *qsbr)
{
	uint64_t token = rte_rcu_qsbr_start(qsbr);
	int i;

	for (i = 0; i < 1000; i++) {
		if (rte_rcu_qsbr_check(qsbr, token, false) == 1)
			return 0;
		rte_delay_us_sleep(100);
	}
	return -1;
}

static void
link_restart(struct dp_shared *sh, struct rte_rcu_qsbr *qsbr, uint16_t port)
{
	int ret;

	if (link_quiesce(qsbr) != 0) {
		DP_LOG(WARNING, port,
		       "port %u (%s): workers did not quiesce; not restarting it now", port,
		       sh->port_name[port]);
		return;
	}
	ret = rte_eth_dev_stop(port);
	if (ret != 0)
		DP_LOG(DEBUG, port, "port %u: stop before reconnecting: %s", port, strerror(-ret));
	ret = rte_eth_dev_start(port);
	if (ret != 0)
		DP_LOG(DEBUG, port, "port %u (%s): no peer yet (%s); trying again in %d ms", port,
		       sh->port_name[port], strerror(-ret), DP_LINK_RETRY_MS);
	else
		DP_LOG(INFO, port, "port %u (%s): restarted to reconnect to its peer", port,
		       sh->port_name[port]);
}

void
dp_link_poll(struct dp_shared *sh, struct rte_rcu_qsbr *qsbr)
{
	int64_t now = dp_clock_wall_ms();
	uint16_t port;

	RTE_ETH_FOREACH_DEV (port) {
		struct dp_link_state *ls = &sh->link[port];
		uint8_t up = link_read(port);

		if (up != atomic_load_explicit(&ls->up, memory_order_relaxed)) {
			atomic_store_explicit(&ls->up, up, memory_order_release);
			atomic_fetch_add_explicit(&ls->changes, 1, memory_order_relaxed);
			atomic_store_explicit(&ls->last_change_ms, (uint64_t)now,
					      memory_order_relaxed);
			if (up)
				DP_LOG(INFO, port, "port %u (%s): link up; polling it again", port,
				       sh->port_name[port]);
			else
				DP_LOG(WARNING, port,
				       "port %u (%s): link down; not polled until it comes back",
				       port, sh->port_name[port]);
			continue;
		}
		if (!up &&
		    now - (int64_t)atomic_load_explicit(&ls->last_change_ms,
							memory_order_relaxed) >=
			    DP_LINK_RETRY_MS &&
		    /* memif, the shared-memory ports, must be told to connect again */
		    dp_peerio_port_shared(port)) {
			link_restart(sh, qsbr, port);
			/* the next attempt one retry period from now */
			atomic_store_explicit(&ls->last_change_ms, (uint64_t)now,
					      memory_order_relaxed);
		}
	}
}
