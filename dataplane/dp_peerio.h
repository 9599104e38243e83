/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * rx and tx on ports whose packet memory another process shares (net_memif), made safe
 * against that process going away.
 *
 * When a memif peer dies, the driver's interrupt thread disconnects at once and unmaps the
 * shared regions, even while a worker is inside rx_burst or tx_burst on that port reading
 * them (measured: guardd died in 1 of 13 peer kills under traffic, in the driver's rx). A
 * peer can do the same on purpose (unmap, truncate its memfd). The application cannot order
 * the driver's teardown, so the worker contains the fault instead:
 *
 *   - before calling into such a port, the worker arms a sigsetjmp point (no signal mask
 *     saved: no system call on the fast path);
 *   - guardd's SIGSEGV/SIGBUS handler (SA_NODEFER) jumps back to it only if the faulting
 *     thread is a worker that is armed; any other fault is a bug and kills guardd as before;
 *   - the worker then counts a peer fault, marks the port's link down (the main lcore then
 *     restarts it, dp_link.h) and carries on. Packets of a faulted rx burst are lost with
 *     the peer; a faulted tx burst is counted tx_failed and its mbufs are left to the dead
 *     mapping rather than risk freeing one twice (at most one burst per fault).
 *
 * Ports of every other driver are called directly.
 */
#ifndef DP_PEERIO_H
#define DP_PEERIO_H

#include <setjmp.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A worker's recovery point (in its struct dp_lcore_conf). */
struct dp_peerio {
	sigjmp_buf jmp;
	volatile int armed;
};

/** Install the SIGSEGV/SIGBUS handler. Main lcore, before the workers start. @return 0/-errno */
int dp_peerio_install(void);

/** Register the calling worker's recovery point (once, at the top of its thread). */
void dp_peerio_thread_init(struct dp_peerio *p);

/** True if @p port's packet memory is shared with another process (net_memif). */
int dp_peerio_port_shared(uint16_t port);

/**
 * rte_eth_rx_burst() that survives the peer's memory going away.
 * @return packets received; 0 and *@p faulted = 1 if the port faulted.
 */
uint16_t dp_peerio_rx(struct dp_peerio *p, uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		      uint16_t n, int *faulted);

/**
 * rte_eth_tx_burst() that survives the peer's memory going away.
 * @return packets the driver took; 0 and *@p faulted = 1 if the port faulted.
 */
uint16_t dp_peerio_tx(struct dp_peerio *p, uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		      uint16_t n, int *faulted);

#ifdef __cplusplus
}
#endif
#endif
