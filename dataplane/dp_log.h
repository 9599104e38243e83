/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guardd's log types (registered in dp_main.c): guard.main and guard.port, so an
 * operator can raise one component's level with --log-level=guard.port:debug.
 * Never used on the fast path: the worker counts, it does not log.
 */
#ifndef DP_LOG_H
#define DP_LOG_H

#include <rte_log.h>

#ifdef __cplusplus
extern "C" {
#endif

extern int dp_logtype_main;
extern int dp_logtype_port;

#define DP_LOG(level, type, fmt, ...) \
	rte_log(RTE_LOG_##level, dp_logtype_##type, "guardd: " fmt "\n", ##__VA_ARGS__)

#ifdef __cplusplus
}
#endif
#endif
