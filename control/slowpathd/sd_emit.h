/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guard-slowpath's audit records: each object outcome (refused, held for review, queued
 * for release) and each refused chunk goes to guard-control on the same ring as the
 * workers' decisions (a struct dp_audit_rec with lcore GD_AUDIT_SLOWPATH_LCORE), so the one
 * hash chain holds both. The record's uid is the object id (16 hex digits); its payload is
 * the object's first bytes, or the refused chunk (the chain's sha256 covers those,
 * "truncated" says so); for a whole object the detail ends with the object's SHA-256.
 *
 * Never waits: when guard-control is gone or its ring full, the record is counted lost.
 * Nothing is released on that account: releases leave only through guard-control's pump,
 * which writes its own record first.
 */
#ifndef SD_EMIT_H
#define SD_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp_shared.h"
#include "insp_reason.h"

struct sd_emit {
	uint64_t generation;
	uint16_t row;
	enum insp_reason reason;
	uint8_t level;
	uint32_t rule_id;
	uint32_t offset;
	uint64_t object_id; /**< 0: none known (a malformed chunk) */
	const char *detail;
	const uint8_t *data; /**< the object, or the chunk that was refused, or nothing */
	size_t len;
	bool whole; /**< data is the whole object (its SHA-256 goes into the detail) */
};

/** @return 0 handed over, -1 not (count it as lost). */
int sd_emit(struct dp_shared *sh, const struct sd_emit *e, int64_t now_ms);

#endif
