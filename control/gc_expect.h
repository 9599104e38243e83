/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * gen-traffic's sidecar (docs/gen-traffic.md, "The sidecar"): what the guard must decide
 * for every frame of a pcap, read one record at a time so that a capture of any length is
 * compared in constant memory; and the per-(channel, reason) tally of what was decided
 * against what was expected.
 *
 * The reader is strict about the shape of a line (exactly "index channel reason
 * payload_len", single spaces, indexes 0, 1, 2, ... in order; '#' comment lines and empty
 * lines are skipped) because a sidecar that does not say what it seems to say must not
 * make a comparison pass. Channel and reason are kept as text: a name guardctl does not
 * know is a mismatch, not an error.
 */
#ifndef GC_EXPECT_H
#define GC_EXPECT_H

#include <stddef.h>
#include <stdint.h>

#include "insp_policy.h"

struct gc_expect;

struct gc_expect_rec {
	uint64_t index;
	char channel[INSP_NAME_MAX]; /**< "-" when the guard must not reach a channel */
	char reason[INSP_NAME_MAX];
	uint32_t payload_len;
	uint64_t line; /**< line in the sidecar, for messages */
};

/** Open a sidecar; NULL (and a message naming @p cmd on stderr) on failure. */
struct gc_expect *gc_expect_open(const char *cmd, const char *path);

/**
 * Next record: 1 and *rec filled, 0 at the end of the file, -1 on a read or format error
 * (reported on stderr as "FILE:LINE: what is wrong").
 */
int gc_expect_next(struct gc_expect *e, struct gc_expect_rec *rec);

void gc_expect_close(struct gc_expect *e);

/** One (channel, reason) pair and how often it was decided (got) and expected (want). */
struct gc_tally_row {
	char channel[INSP_NAME_MAX];
	char reason[INSP_NAME_MAX];
	uint64_t got;
	uint64_t want;
};

struct gc_tally {
	struct gc_tally_row *rows;
	size_t n;
	size_t cap;
};

/** Count one decision (@p want 0) or expectation (@p want 1). 0, or -1 out of memory. */
int gc_tally_add(struct gc_tally *t, const char *channel, const char *reason, int want);

/** Sort rows by channel name, then reason in decision order (unknown names last). */
void gc_tally_sort(struct gc_tally *t);

void gc_tally_free(struct gc_tally *t);

#endif
