/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guard-control's log: one line per event on stderr (journald under systemd adds the time).
 */
#ifndef GD_LOG_H
#define GD_LOG_H

#include <stdio.h>

#define GD_LOG(fmt, ...) fprintf(stderr, "guard-control: " fmt "\n", ##__VA_ARGS__)

#endif
