/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The priority table on every format (GUARD-SPEC 7): one real message of each format
 * (tests/data: a WinTAK PLI as CoT XML, TAK mesh and TAK stream, labelled-XML reports and
 * ADatP-3 messages; the intelligence samples are left out, MN has no agreement for them) decided
 * through insp_inspect() on the sample deployment's channels, and the traffic class of each release
 * checked: a) with a priority table written here, row by row next to what it must do: each format's
 * own key, a row of another format with a prefix that would match the key if formats were ignored
 * (it must not), channel scoping, case-sensitive prefixes, one row for two formats, first match
 * wins, unmatched = routine; b) with the sample policy's own table, as rules/README.md describes
 * it.
 *
 * Usage: test_priority SAMPLE_POLICY DATA_DIR
 *   SAMPLE_POLICY  rules/sample-policy.yaml (its term files beside it)
 *   DATA_DIR       tests/data (cot/pass, tak, lxml, adatp3)
 * Time is fixed: now = 2026-11-22T10:00:00Z, when the CoT and TAK samples are fresh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_inspect.h"
#include "insp_policy.h"
#include "pc_policy.h"
#include "test.h"

#define T_NOW_MS INT64_C(1795341600000) /* 2026-11-22T10:00:00Z */
#define MAX_MSG	 16384

static const char *sample_path, *data_dir;

/*
 * The table of a): every row says which message it is for. The CoT and TAK samples are
 * all the same WinTAK PLI, type a-f-G-U-C, so only the format tells them apart.
 */
static const char test_table[] =
	"priorities:\n"
	/* other formats' rows whose prefix would match a-f-G-U-C: never for CoT or TAK */
	"  - {format: adatp3, type_prefix: \"a-f\", class: flash}\n"
	"  - {format: [labelled-xml], type_prefix: \"a-f\", class: flash}\n"
	/* channel scoping: the wide feed's own forces last */
	"  - {channel: cot-nato, cot_type_prefix: \"a-f\", class: routine}\n"
	"  - {format: tak-stream, type_prefix: \"a-f-G\", class: flash}\n"
	"  - {format: tak-mesh, type_prefix: \"a-f-G-U\", class: immediate}\n"
	"  - {format: cot, type_prefix: \"a-f\", class: priority}\n"
	/* a CoT row with a labelled-XML key: never for labelled XML */
	"  - {format: cot, type_prefix: \"FriendlyForce\", class: flash}\n"
	/* prefixes are case-sensitive */
	"  - {format: labelled-xml, type_prefix: \"friendlyforce\", class: flash}\n"
	"  - {format: adatp3, type_prefix: \"sitrep\", class: flash}\n"
	"  - {format: labelled-xml, type_prefix: \"FriendlyForce\", class: immediate}\n"
	"  - {channel: lxml-mn, format: labelled-xml, type_prefix: \"Casualty\", class: flash}\n"
	/* first match wins: PINNACLE before the shorter OPREP prefix */
	"  - {format: adatp3, type_prefix: \"OPREP-3 PINNACLE\", class: flash}\n"
	"  - {format: adatp3, type_prefix: \"OPREP\", class: priority}\n"
	/* one row for two formats, each matched against its own key */
	"  - {format: [adatp3, labelled-xml], type_prefix: \"MED\", class: immediate}\n";

/* One message: a file of DATA_DIR, the sample channel it arrives on, the class it must get. */
struct case_ {
	const char *file;    /* under DATA_DIR; ".hex": hex text with '#' comments */
	const char *channel; /* a channel of the sample policy */
	int want_test;	     /* class with the table of a) */
	int want_sample;     /* class with the sample's table */
	const char *why;
};

static const struct case_ cases[] = {
	{"cot/pass/wintak-pli.xml", "cot-mn", 2, 2,
	 "cot a-f-G-U-C: the cot row, not the adatp3 or labelled-xml 'a-f' rows"},
	{"cot/pass/wintak-pli.xml", "cot-nato", 3, 3,
	 "cot a-f-G-U-C on cot-nato: the channel's row"},
	{"tak/wintak-pli.mesh.hex", "tak-mn", 1, 2, "tak-mesh a-f-G-U-C: the tak-mesh row"},
	{"tak/wintak-pli.stream.hex", "tak-mn-stream", 0, 2,
	 "tak-stream a-f-G-U-C: the tak-stream row"},
	{"lxml/friendly_force_report.lxml", "lxml-mn", 1, 2,
	 "labelled-xml FriendlyForceReport: its own row, not the cot row with that prefix nor "
	 "the lower-case one"},
	{"lxml/casualty_report.lxml", "lxml-mn", 0, 1,
	 "labelled-xml CasualtyReport: the row scoped to lxml-mn"},
	{"adatp3/oprep3.adatp3", "adatp3-mn", 0, 0,
	 "adatp3 OPREP-3 PINNACLE: the first row that matches"},
	{"adatp3/sitrep.adatp3", "adatp3-mn", 3, 3,
	 "adatp3 SITREP: 'sitrep' is not 'SITREP', no other row: routine"},
	{"adatp3/medevac_no_final_newline.adatp3", "adatp3-mn", 1, 1,
	 "adatp3 MEDEVAC: the row of labelled-xml and adatp3"},
};

/* A file's bytes: as they are, or decoded from hex text ("# ..." lines are comments). */
static size_t
read_message(const char *file, uint8_t *out, size_t cap)
{
	char path[4096];
	size_t len = 0, n;
	long h;
	char *t;

	snprintf(path, sizeof(path), "%s/%s", data_dir, file);
	t = test_read_file(path, &len);
	if (t == NULL)
		return 0;
	if (strstr(file, ".hex") == NULL) {
		n = len < cap ? len : 0;
		memcpy(out, t, n);
		free(t);
		return n;
	}
	h = test_hex_decode(t, len, out, cap);
	free(t);
	return h < 0 ? 0 : (size_t)h;
}

static int
channel_of(const struct insp_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->n_channels; i++)
		if (strcmp(p->channels[i].name, name) == 0)
			return (int)i;
	return -1;
}

/*
 * The sample policy with its 'priorities' block replaced by @p table (NULL: as it is),
 * loaded with its term files.
 */
static struct insp_policy *
load_sample(const char *table)
{
	static const struct pc_io io = {pc_file_read, NULL};
	struct insp_policy *p = NULL;
	struct insp_err err;
	size_t len = 0;
	char *text = test_read_file(sample_path, &len), *out = NULL;

	if (text == NULL)
		return NULL;
	if (table != NULL) {
		char *from = strstr(text, "\npriorities:\n");
		char *to = from != NULL ? strstr(from, "\ntraffic_classes:\n") : NULL;
		size_t cap = len + strlen(table) + 2;

		out = malloc(cap);
		if (from != NULL && to != NULL && out != NULL) {
			int n = snprintf(out, cap, "%.*s\n%s%s", (int)(from - text), text, table,
					 to);

			p = pc_policy_load_ex(out, (size_t)n, sample_path, &io, &err);
		} else {
			snprintf(err.msg, sizeof(err.msg), "no 'priorities:' block found");
		}
	} else {
		p = pc_policy_load_ex(text, len, sample_path, &io, &err);
	}
	CHECK(p != NULL, "%s loads (%s)", table ? "the sample with the test's table" : "the sample",
	      p ? "ok" : err.msg);
	free(out);
	free(text);
	return p;
}

static void
decide_cases(const struct insp_policy *p, int sample)
{
	struct insp_scratch *s = insp_scratch_create(p, MAX_MSG);
	static uint8_t msg[MAX_MSG];

	CHECK(s != NULL, "scratch");
	for (size_t i = 0; s != NULL && i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *k = &cases[i];
		int ch = channel_of(p, k->channel), want = sample ? k->want_sample : k->want_test;
		size_t n = read_message(k->file, msg, sizeof(msg));
		struct insp_result res;
		enum insp_reason r;

		CHECK(ch >= 0 && n > 0, "%s on %s: channel and message (%zu bytes)", k->file,
		      k->channel, n);
		if (ch < 0 || n == 0)
			continue;
		memset(&res, 0x5a, sizeof(res));
		r = insp_inspect(p, s, (uint32_t)ch, msg, n, T_NOW_MS, &res);
		CHECK(r == INSP_R_RELEASE && res.tclass == want,
		      "%s table: %s: class %d (got %s: %s, class %u)", sample ? "sample" : "test",
		      k->why, want, insp_reason_name(r), r == INSP_R_RELEASE ? "" : res.detail,
		      r == INSP_R_RELEASE ? res.tclass : 99u);
	}
	insp_scratch_free(s);
}

int
main(int argc, char **argv)
{
	struct insp_policy *p;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SAMPLE_POLICY DATA_DIR\n", argv[0]);
		return 2;
	}
	sample_path = argv[1];
	data_dir = argv[2];

	p = load_sample(test_table);
	if (p != NULL) {
		CHECK(p->n_priorities == 14, "the test's 14 rows replace the sample's (%u)",
		      p->n_priorities);
		decide_cases(p, 0);
	}
	pc_policy_free(p);

	p = load_sample(NULL);
	if (p != NULL)
		decide_cases(p, 1);
	pc_policy_free(p);
	return test_done();
}
