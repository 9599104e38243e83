/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sample policy's markings cover its own tables (issue 8, part 3), derived from the
 * policy itself so that the two cannot drift apart:
 *  - every classification name of every equivalence table, as "<POLICY> <NAME>", is
 *    matched by a marking of that name's level; a name that is not an ordinary English
 *    word (GEHEIM, OFFICIAL-SENSITIVE, COSMIC TOP SECRET, ...) also bare;
 *  - "<CODE> EYES ONLY" for every nation and group code is a caveat limited to that code;
 *  - US-style portion marks carry their level and NOFORN, and "item(s)" is not one.
 *
 * Usage: test_sample_markings SAMPLE_POLICY
 */
#include <stdio.h>
#include <string.h>

#include "insp_match.h"
#include "insp_policy.h"
#include "pc_policy.h"
#include "test.h"

static const struct insp_policy *pol;
static struct insp_match_scratch *scr;

/* Names too ordinary in English to be a marking on their own. */
static const char *const ordinary[] = {
	"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET", "OFFICIAL",
};

static int
is_ordinary(const char *name)
{
	for (size_t i = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++)
		if (strcmp(name, ordinary[i]) == 0)
			return 1;
	return 0;
}

struct want {
	int level;	      /* a marking of this level must match, or -1 */
	uint64_t restrict_to; /* a caveat limited to exactly these nations must match, or 0 */
	int found_level, found_caveat;
	uint32_t any; /* markings that matched at all */
};

static int
on_match(uint32_t id, void *ctx)
{
	struct want *w = ctx;
	const struct insp_pattern *pt = &pol->patterns[id];

	if (pt->kind != INSP_PATTERN_MARKING)
		return 0;
	w->any++;
	if (w->level >= 0 && pt->level == w->level)
		w->found_level = 1;
	if (w->restrict_to != 0 && pt->restrict_to == w->restrict_to)
		w->found_caveat = 1;
	return 0;
}

static struct want
scan(const char *text, int level, uint64_t restrict_to)
{
	struct want w = {.level = level, .restrict_to = restrict_to};

	if (insp_matcher_scan_cb(&pol->matcher, scr, (const uint8_t *)text, strlen(text), on_match,
				 &w) < 0)
		w.any = UINT32_MAX;
	return w;
}

static void
test_classification_names(void)
{
	char text[160];
	unsigned names = 0;

	for (uint32_t i = 0; i < pol->n_class_policies; i++) {
		const struct insp_class_policy *cp = &pol->class_policies[i];

		for (uint32_t k = 0; k < cp->n_names; k++) {
			const struct insp_class_name *cn = &pol->class_names[cp->first_name + k];
			struct want w;

			snprintf(text, sizeof(text), "see %s %s now", cp->id, cn->name);
			w = scan(text, cn->level, 0);
			CHECK(w.found_level, "'%s %s' is a %s marking", cp->id, cn->name,
			      insp_level_name(cn->level));
			names++;
			if (is_ordinary(cn->name))
				continue;
			snprintf(text, sizeof(text), "see %s now", cn->name);
			w = scan(text, cn->level, 0);
			CHECK(w.found_level, "bare '%s' is a %s marking", cn->name,
			      insp_level_name(cn->level));
		}
	}
	CHECK(names >= 20, "%u classification names checked", names);
}

static void
test_eyes_only(void)
{
	char text[96];

	for (uint32_t i = 0; i < pol->n_nations; i++) {
		uint64_t bit = UINT64_C(1) << i;

		snprintf(text, sizeof(text), "%s EYES ONLY", pol->nations[i]);
		CHECK(scan(text, -1, bit).found_caveat, "'%s' is a caveat for %s only", text,
		      pol->nations[i]);
	}
	for (uint32_t i = 0; i < pol->n_groups; i++) {
		snprintf(text, sizeof(text), "%s EYES ONLY", pol->groups[i].code);
		CHECK(scan(text, -1, pol->groups[i].members).found_caveat,
		      "'%s' is a caveat for the %s nations", text, pol->groups[i].code);
	}
}

static void
test_portion_marks(void)
{
	uint64_t usa = insp_policy_expand_code(pol, "USA", 3);

	CHECK(scan("(TS//NF) grid 31U", INSP_LEVEL_TOP_SECRET, usa).found_level,
	      "(TS//NF): TOP SECRET");
	CHECK(scan("(TS//NF) grid 31U", INSP_LEVEL_TOP_SECRET, usa).found_caveat,
	      "(TS//NF): NOFORN");
	CHECK(scan("(S//REL TO USA, GBR) grid", INSP_LEVEL_SECRET, 0).found_level,
	      "(S//REL TO USA, GBR): SECRET");
	CHECK(scan("x (S) grid", INSP_LEVEL_SECRET, 0).found_level, "(S): SECRET");
	CHECK(scan("(C) grid", INSP_LEVEL_CONFIDENTIAL, 0).found_level, "(C): CONFIDENTIAL");
	CHECK(scan("(U//NF) grid", -1, usa).found_caveat, "(U//NF): NOFORN");
	CHECK(scan("see item(s) 3 and (s) (ts)", -1, 0).any == 0,
	      "'item(s)' and lower case are not portion marks");
}

int
main(int argc, char **argv)
{
	struct insp_err err = {0};
	struct insp_policy *p;

	if (argc != 2) {
		fprintf(stderr, "usage: test_sample_markings SAMPLE_POLICY\n");
		return 2;
	}
	p = pc_policy_load_file(argv[1], &err);
	CHECK(p != NULL, "sample policy loads (%s)", err.msg);
	if (p == NULL)
		return test_done();
	pol = p;
	scr = insp_match_scratch_create(&p->matcher);
	CHECK(scr != NULL, "match scratch");
	if (scr != NULL) {
		test_classification_names();
		test_eyes_only();
		test_portion_marks();
	}
	insp_match_scratch_free(scr);
	pc_policy_free(p);
	return test_done();
}
