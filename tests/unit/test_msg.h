/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The harness shared by the format tests (test_cot, test_lxml, test_adatp3, test_tak) and
 * test_inspect: a message working memory lent to one struct insp_msg the way
 * insp_scratch_create() lends it, a hand-made policy with the XML bounds, a reset-and-parse
 * helper for any row of the format table, the scan units of one kind as a string, the
 * STANAG 4774 label builders, and the sample policy with its channels and a decision
 * helper. Each test program
 * includes it once (the storage is static); include test.h first.
 *
 * The tests read the working state by short names: @c m (the message), @c detail (its
 * detail buffer) and @c hand (the hand-made policy, which a test may change and restore).
 */
#ifndef GUARD_TEST_MSG_H
#define GUARD_TEST_MSG_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "insp_format.h"
#include "insp_inspect.h"
#include "insp_msg.h"
#include "insp_policy.h"
#include "pc_policy.h"
#include "test.h"

#define TEST_MSG_MAX	 65536				      /**< largest message parsed by hand */
#define TEST_MSG_UNITS	 (2 * TEST_MSG_MAX + 64)	      /**< unit table size */
#define TEST_MSG_PIECES	 (TEST_MSG_MAX / 2 + 16)	      /**< text pieces */
#define TEST_MSG_SCAN	 (16 * TEST_MSG_MAX + TEST_MSG_UNITS) /**< scan buffer size */
#define TEST_SCRATCH_MAX 16384			/**< message size of the sample policy's scratch */
#define T_NOW_MS	 INT64_C(1795341600000) /* 2026-11-22T10:00:00Z */

/* A STANAG 4774 originator label; GV, RELTO, DCAT and RESTR build its categories. */
#define NS4774 "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"
#define L4774(pol, cls, cats)                                                               \
	"<originatorConfidentialityLabel xmlns=\"" NS4774 "\"><ConfidentialityInformation>" \
	"<PolicyIdentifier>" pol "</PolicyIdentifier><Classification>" cls                  \
	"</Classification>" cats                                                            \
	"</ConfidentialityInformation><CreationDateTime>2026-11-22T09:59:00Z"               \
	"</CreationDateTime></originatorConfidentialityLabel>"
#define GV(v)	 "<GenericValue>" v "</GenericValue>"
#define RELTO(v) "<Category Type=\"PERMISSIVE\" TagName=\"Releasable To\">" v "</Category>"
#define DCAT(v)	 "<Category Type=\"INFORMATIVE\" TagName=\"Data Category\">" GV(v) "</Category>"
#define RESTR(v) \
	"<Category Type=\"RESTRICTIVE\" TagName=\"Additional Sensitivity\">" GV(v) "</Category>"

static struct insp_policy hand;
static struct insp_msg m;
static char detail[160];
static struct insp_xml test_msg_xml;
static uint8_t test_msg_arena[TEST_MSG_MAX + 1];
static uint8_t test_msg_scan[TEST_MSG_SCAN];
static struct insp_unit test_msg_units[TEST_MSG_UNITS];
static struct insp_str test_msg_pieces[TEST_MSG_PIECES];

/** The hand-made policy (XML bounds 16/512, strict labels, 60 s skew) and m's memory. */
static inline void
test_msg_setup(void)
{
	memset(&hand, 0, sizeof(hand));
	hand.cot_max_depth = 16;
	hand.cot_max_elems = 512;
	hand.strict_labels = 1;
	hand.stale_skew_ms = 60000;
	m.xml = &test_msg_xml;
	m.arena = test_msg_arena;
	m.arena_cap = TEST_MSG_MAX;
	m.scan = test_msg_scan;
	m.scan_cap = TEST_MSG_SCAN;
	m.units = test_msg_units;
	m.units_cap = TEST_MSG_UNITS;
	m.pieces = test_msg_pieces;
	m.pieces_cap = TEST_MSG_PIECES;
}

/** Reset what a parse reports, then parse buf[0..len) with @p parse and policy @p p. */
static inline enum insp_reason
test_parse(insp_format_parse_fn parse, const struct insp_policy *p, const void *buf, size_t len)
{
	insp_msg_reset(&m, 0, detail, sizeof(detail));
	memset(&m.label, 0, sizeof(m.label));
	return parse(p, (const uint8_t *)buf, len, &m);
}

/*
 * The scan units of @p kind joined by '|', with TAB/LF/CR escaped (\t \n \r). Also checks the
 * layout promised by insp_msg.h: units back to back in m.scan, each followed by '\n'.
 */
static inline const char *
units_of_kind(uint32_t kind)
{
	static char buf[TEST_MSG_MAX * 2];
	size_t n = 0;
	uint32_t expect_off = 0;

	for (uint32_t u = 0; u < m.n_units; u++) {
		const struct insp_unit *un = &m.units[u];

		if (un->off != expect_off || un->off + un->len >= m.scan_len ||
		    m.scan[un->off + un->len] != '\n')
			return "(bad unit layout)";
		expect_off = un->off + un->len + 1;
		if (un->kind != kind)
			continue;
		if (n)
			buf[n++] = '|';
		for (uint32_t i = 0; i < un->len && n + 4 < sizeof(buf); i++) {
			uint8_t c = m.scan[un->off + i];

			if (c == '\n' || c == '\t' || c == '\r') {
				buf[n++] = '\\';
				buf[n++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
			} else {
				buf[n++] = (char)c;
			}
		}
	}
	if (expect_off != m.scan_len)
		return "(bad scan length)";
	buf[n] = '\0';
	return buf;
}

static inline int
str_is(struct insp_str s, const char *lit)
{
	return insp_str_eq(s, lit);
}

/*
 * The sample policy of the tests that decide messages, its scratch and the last result;
 * the directory of the realistic samples.
 */
static struct insp_policy *pol;
static struct insp_scratch *scr;
static struct insp_result res;
static const char *data_dir;

/** Sample @p name of data_dir, as test_read_file() reads it. */
static inline char *
test_read_sample(const char *name, size_t *len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	return test_read_file(path, len);
}

/** The policy file at @p path (one test point); NULL if it does not load. */
static inline struct insp_policy *
test_load_policy(const char *path)
{
	struct insp_err err;
	struct insp_policy *p = pc_policy_load_file(path, &err);

	CHECK(p != NULL, "sample policy loads (%s)", p ? "ok" : err.msg);
	return p;
}

/** Index of the channel named @p name in @p p, or -1. */
static inline int
test_channel(const struct insp_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->n_channels; i++)
		if (strcmp(p->channels[i].name, name) == 0)
			return (int)i;
	return -1;
}

/** Scratch for @p p and messages of TEST_SCRATCH_MAX bytes (one test point). */
static inline struct insp_scratch *
test_scratch(const struct insp_policy *p)
{
	struct insp_scratch *s = insp_scratch_create(p, TEST_SCRATCH_MAX);

	CHECK(s != NULL, "scratch created");
	return s;
}

/*
 * Decide buf[0..len) with pol on channel @p ch into res (poisoned first) at T_NOW_MS; check
 * the reason and, for a content reason, the rule. @p via, when not NULL, names the channel
 * in the first check. Returns the reason.
 */
static inline enum insp_reason
test_decide(int ch, const char *via, const char *what, const void *buf, size_t len,
	    enum insp_reason want, uint32_t rule)
{
	enum insp_reason r;

	memset(&res, 0x5A, sizeof(res));
	r = insp_inspect(pol, scr, (uint32_t)ch, (const uint8_t *)buf, len, T_NOW_MS, &res);
	if (via != NULL)
		CHECK(r == want && res.reason == want, "%s (%s): %s (got %s: %s)", what, via,
		      insp_reason_name(want), insp_reason_name(r),
		      r == INSP_R_RELEASE ? "" : res.detail);
	else
		CHECK(r == want && res.reason == want, "%s: %s (got %s: %s)", what,
		      insp_reason_name(want), insp_reason_name(r),
		      r == INSP_R_RELEASE ? "" : res.detail);
	if (want == INSP_R_PROHIBITED_CONTENT || want == INSP_R_MARKING_INCONSISTENT)
		CHECK(res.rule_id == rule, "%s: rule %u (got %u)", what, rule, res.rule_id);
	return r;
}

#endif
