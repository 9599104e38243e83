/* SPDX-License-Identifier: BSD-3-Clause */
/* Fault containment around shared-memory ports (dp_peerio.h says why and how). */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <rte_common.h>

#include "dp_peerio.h"

/* The recovery point of the worker running on this thread; NULL on every other thread. */
static __thread struct dp_peerio *peerio_self;

static void
on_fault(int sig, siginfo_t *si, void *uctx)
{
	struct dp_peerio *p = peerio_self;

	RTE_SET_USED(si);
	RTE_SET_USED(uctx);
	if (p != NULL && p->armed) {
		p->armed = 0;
		siglongjmp(p->jmp, sig);
	}
	/* not inside a shared-memory port: a bug; die as the default action would */
	signal(sig, SIG_DFL);
	raise(sig);
}

int
dp_peerio_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	/* NODEFER: the jump leaves the handler without restoring the mask (sigsetjmp(.., 0)) */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) != 0 || sigaction(SIGBUS, &sa, NULL) != 0)
		return -errno;
	return 0;
}

void
dp_peerio_thread_init(struct dp_peerio *p)
{
	p->armed = 0;
	peerio_self = p;
}

int
dp_peerio_port_shared(uint16_t port)
{
	struct rte_eth_dev_info info;

	return rte_eth_dev_info_get(port, &info) == 0 && info.driver_name != NULL &&
	       strcmp(info.driver_name, "net_memif") == 0;
}

uint16_t
dp_peerio_rx(struct dp_peerio *p, uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n,
	     int *faulted)
{
	uint16_t got;

	if (sigsetjmp(p->jmp, 0) != 0) {
		*faulted = 1;
		return 0;
	}
	p->armed = 1;
	got = rte_eth_rx_burst(port, queue, pkts, n);
	p->armed = 0;
	return got;
}

uint16_t
dp_peerio_tx(struct dp_peerio *p, uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n,
	     int *faulted)
{
	uint16_t sent;

	if (sigsetjmp(p->jmp, 0) != 0) {
		*faulted = 1;
		return 0;
	}
	p->armed = 1;
	sent = rte_eth_tx_burst(port, queue, pkts, n);
	p->armed = 0;
	return sent;
}
