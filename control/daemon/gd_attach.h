/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Attaching to guardd's shared state (dataplane/dp_shared.h) from a DPDK secondary process:
 * guard-control and guard-slowpath both do it, after rte_eal_init() with guardd's
 * --file-prefix and --proc-type=secondary.
 */
#ifndef GD_ATTACH_H
#define GD_ATTACH_H

#include <stddef.h>

#include "dp_shared.h"

/**
 * Look up guardd's memzone and check that its layout is this build's (magic, version, size).
 * @return the shared state, or NULL with the reason (an operator can act on) in @p err.
 */
struct dp_shared *gd_attach(const char *who, char *err, size_t errlen);

#endif
