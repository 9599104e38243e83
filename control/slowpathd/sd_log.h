/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guard-slowpath's log: one line per event on stderr (journald under systemd adds the time).
 */
#ifndef SD_LOG_H
#define SD_LOG_H

#include <stdio.h>

#define SD_LOG(fmt, ...) fprintf(stderr, "guard-slowpath: " fmt "\n", ##__VA_ARGS__)

#endif
