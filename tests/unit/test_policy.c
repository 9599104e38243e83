/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policy loader and lookups.
 *
 * Usage: test_policy DATA_DIR [SAMPLE_POLICY]
 *   DATA_DIR       tests/data/policy; every .yaml file in DATA_DIR/bad must be refused with the
 *                  exact message on its first line ("# expect: FILE:LINE:COL: message").
 *   SAMPLE_POLICY  defaults to DATA_DIR/../../../rules/sample-policy.yaml.
 * Run it under ASan: every refused policy must also free everything it built.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/wait.h>
#include <unistd.h>

#include "insp_chunk.h"
#include "insp_match.h"
#include "insp_norm.h"
#include "insp_policy.h"
#include "pc_hs.h"
#include "pc_policy.h"
#include "rs_ruleset.h"
#include "test.h"

#define EXPECT_TAG "# expect: "

/* The formats whose key is a CoT event type: what cot_type_prefix and qos_priority imply. */
#define COT_BITS (1u << INSP_FORMAT_COT | 1u << INSP_FORMAT_TAK_MESH | 1u << INSP_FORMAT_TAK_STREAM)

static struct insp_policy *
load_str(const char *yaml, struct insp_err *err)
{
	return pc_policy_load(yaml, strlen(yaml), "t.yaml", err);
}

static uint64_t
bits(const struct insp_policy *p, const char *codes)
{
	char buf[256], *save = NULL, *tok;
	uint64_t b = 0;

	snprintf(buf, sizeof(buf), "%s", codes);
	for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		int i = insp_policy_nation(p, tok, strlen(tok));

		if (i < 0)
			return 0;
		b |= UINT64_C(1) << i;
	}
	return b;
}

static int
is_yaml(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".yaml") == 0;
}

/* Every file in bad/ must fail with exactly the message it announces. */
static void
test_bad_corpus(const char *dir)
{
	char path[4096];
	struct dirent **ents = NULL;
	int n, i;

	snprintf(path, sizeof(path), "%s/bad", dir);
	n = scandir(path, &ents, is_yaml, alphasort);
	CHECK(n >= 50, "bad corpus has %d files in %s", n, path);
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		struct insp_err err;
		struct insp_policy *p;
		char want[sizeof(err.msg)], *text, *nl;
		unsigned line = 0, col = 0;
		size_t len = 0;

		snprintf(path, sizeof(path), "%s/bad/%s", dir, name);
		text = test_read_file(path, &len);
		CHECK(text != NULL, "read %s", path);
		if (text == NULL) {
			free(ents[i]);
			continue;
		}
		CHECK(strncmp(text, EXPECT_TAG, strlen(EXPECT_TAG)) == 0, "%s announces its error",
		      name);
		snprintf(want, sizeof(want), "%s", text + strlen(EXPECT_TAG));
		nl = strchr(want, '\n');
		if (nl != NULL)
			*nl = '\0';

		memset(&err, 0x5a, sizeof(err));
		p = pc_policy_load(text, len, name, &err);
		CHECK(p == NULL, "%s is refused", name);
		pc_policy_free(p);
		CHECK_STR(err.msg, want, "%s: message", name);
		/* err.line / err.column agree with the text */
		CHECK(sscanf(err.msg + strlen(name), ":%u:%u:", &line, &col) == 2 &&
			      err.line == line && err.column == col,
		      "%s: err.line %u err.column %u", name, err.line, err.column);
		free(text);
		free(ents[i]);
	}
	free(ents);
}

/* ---- term file readers ---- */

struct mem_file {
	const char *path;
	const char *text;
	int64_t mtime; /* what the reader reports as its modification time */
};

/* Test reader: files from a table, generated files, or the disk. */
struct test_io {
	const struct mem_file *files; /* ends with a NULL path */
	int from_disk;
	unsigned gen_terms; /* "gen*.txt": a comment line, then this many phrases */
	int calls;
	char last_path[4096];
};

static char *
gen_terms(unsigned count, size_t *len)
{
	size_t cap = 32 + (size_t)count * 24, n;
	char *t = malloc(cap);
	unsigned i;

	if (t == NULL)
		return NULL;
	n = (size_t)snprintf(t, cap, "# %u generated phrases\n", count);
	for (i = 0; i < count; i++)
		n += (size_t)snprintf(t + n, cap - n, "gen%05u phrase\n", i);
	*len = n;
	return t;
}

static int
test_read(const char *path, char **text, size_t *len, int64_t *mtime, char *why, size_t why_len,
	  void *ctx)
{
	struct test_io *t = ctx;
	const struct mem_file *f;
	const char *base = strrchr(path, '/');
	size_t blen;

	t->calls++;
	snprintf(t->last_path, sizeof(t->last_path), "%s", path != NULL ? path : "");
	base = base != NULL ? base + 1 : path;
	blen = strlen(base);
	*mtime = 0;
	if (t->gen_terms > 0 && strncmp(base, "gen", 3) == 0 && blen >= 7 &&
	    strcmp(base + blen - 4, ".txt") == 0) {
		*text = gen_terms(t->gen_terms, len);
		return *text != NULL ? 0 : -1;
	}
	for (f = t->files; f != NULL && f->path != NULL; f++) {
		if (strcmp(f->path, path) == 0) {
			*len = strlen(f->text);
			*text = malloc(*len + 1);
			if (*text == NULL)
				return -1;
			memcpy(*text, f->text, *len + 1);
			*mtime = f->mtime;
			return 0;
		}
	}
	if (t->from_disk) {
		*text = test_read_file(path, len);
		if (*text != NULL)
			return 0;
	}
	snprintf(why, why_len, "no such test file");
	return -1;
}

static struct insp_policy *
load_io(const char *yaml, const char *name, struct test_io *t, struct insp_err *err)
{
	const struct pc_io io = {.read_file = test_read, .ctx = t};

	return pc_policy_load_ex(yaml, strlen(yaml), name, &io, err);
}

/* A policy read through @p t must be refused with exactly @p want. */
static void
expect_io_err(const char *yaml, struct test_io *t, const char *want, const char *what)
{
	struct insp_err err;
	struct insp_policy *p = load_io(yaml, "p.yaml", t, &err);

	CHECK(p == NULL, "%s: refused", what);
	pc_policy_free(p);
	CHECK_STR(err.msg, want, "%s: message", what);
}

/*
 * Hits (rule ids) of one scan of @p text taken as a folded-form unit, as a sorted
 * space-separated list: patterns matched in skeleton units only are left out, as the
 * inspector leaves them out (insp_inspect.c), and a rule is listed once.
 */
static void
scan_ids(const struct insp_policy *p, const char *text, char *out, size_t cap)
{
	struct insp_match_scratch *s = insp_match_scratch_create(&p->matcher);
	struct insp_hits h = {0};
	uint32_t ids[INSP_MAX_HITS], i, j, n_ids = 0;
	size_t n = 0;

	out[0] = '\0';
	if (s == NULL ||
	    insp_matcher_scan(&p->matcher, s, (const uint8_t *)text, strlen(text), &h) != 0) {
		insp_match_scratch_free(s);
		snprintf(out, cap, "scan failed");
		return;
	}
	for (i = 0; i < h.n; i++) {
		uint32_t v = p->patterns[h.id[i]].rule_id;

		if (!(p->patterns[h.id[i]].forms & INSP_FORM_FOLDED))
			continue;
		for (j = n_ids; j > 0 && ids[j - 1] > v; j--)
			ids[j] = ids[j - 1];
		ids[j] = v;
		n_ids++;
	}
	for (i = 0; i < n_ids; i++) {
		if (i == 0 || ids[i] != ids[i - 1])
			n += (size_t)snprintf(out + n, cap - n, "%s%u", n ? " " : "", ids[i]);
	}
	if (h.overflow)
		snprintf(out + n, cap - n, " (overflow)");
	insp_match_scratch_free(s);
}

static const char sample_text[] =
	"<event><detail><remarks>Blue\n  Sentinel moved. NOFORN. ref TK-1234-AB, "
	"FVEY EYES ONLY</remarks></detail></event>";

/* Line of the first occurrence of @p needle in @p text (1-based), 0 if absent. */
static uint32_t
line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle), *q;
	uint32_t line = 1;

	if (at == NULL)
		return 0;
	for (q = text; q < at; q++)
		line += *q == '\n';
	return line;
}

/* Terms in a term file as docs/policy.md defines them: lines neither blank nor '#...'. */
static uint32_t
count_terms(const char *path)
{
	size_t len = 0, i, start = 0;
	char *t = test_read_file(path, &len);
	uint32_t n = 0;

	if (t == NULL)
		return 0;
	for (i = 0; i <= len; i++) {
		if (i == len || t[i] == '\n') {
			size_t j = start;

			while (j < i && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r'))
				j++;
			if (j < i && t[start] != '#')
				n++;
			start = i + 1;
		}
	}
	free(t);
	return n;
}

/* Index of the pattern with rule id @p id, or -1. */
static int
rule(const struct insp_policy *p, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < p->n_patterns; i++) {
		if (p->patterns[i].rule_id == id)
			return (int)i;
	}
	return -1;
}

static void
test_sample(const char *path)
{
	struct test_io io = {.from_disk = 1};
	struct insp_err err;
	struct insp_policy *p;
	const struct insp_class_policy *cp;
	const struct insp_channel *ch;
	struct insp_ipaddr a = {.version = 4};
	uint64_t fvey, nato, usa;
	size_t len = 0;
	char *text = test_read_file(path, &len), dir[4096], tf[4200], got[256], re[256], *slash;
	uint32_t i, file_terms;
	int k, ok;

	CHECK(text != NULL, "read %s", path);
	if (text == NULL)
		return;
	p = load_io(text, path, &io, &err);
	CHECK(p != NULL, "sample policy loads (with its term files)");
	if (p == NULL) {
		printf("#   %s\n", err.msg);
		free(text);
		return;
	}

	CHECK(p->strict_labels == 1 && p->stale_skew_ms == 60000, "labels section");
	CHECK(p->cot_max_depth == 16 && p->cot_max_elems == 512, "cot section");
	CHECK(p->n_nations == 12, "12 nations");
	CHECK_STR(p->nations[0], "USA", "first nation");
	CHECK_STR(p->nations[11], "ESP", "last nation");
	CHECK(insp_policy_nation(p, "GBR", 3) == 1, "GBR is bit 1");
	CHECK(insp_policy_nation(p, "gbr", 3) == -1, "nation lookup is exact");
	CHECK(insp_policy_nation(p, "GBRX", 3) == 1, "nation lookup honours len");
	CHECK(insp_policy_nation(p, "GB", 2) == -1, "no prefix match");

	fvey = bits(p, "AUS CAN GBR NZL USA");
	usa = bits(p, "USA");
	nato = bits(p, "USA GBR FRA DEU POL NLD ITA CAN NOR ESP");
	CHECK(p->n_groups == 2, "2 groups");
	CHECK(insp_policy_expand_code(p, "FVEY", 4) == fvey, "FVEY expands");
	CHECK(insp_policy_expand_code(p, "fvey", 4) == fvey, "expansion is case-insensitive");
	CHECK(insp_policy_expand_code(p, "nzl", 3) == bits(p, "NZL"), "nation code expands");
	CHECK(insp_policy_expand_code(p, "NATO", 4) == nato, "NATO group");
	CHECK(insp_policy_expand_code(p, "EU", 2) == 0, "unknown code grants nothing");
	CHECK(insp_policy_expand_code(p, "FVE", 3) == 0, "no prefix match on groups");

	ok = 1;
	for (i = 0; i < INSP_MAX_NATIONS; i++)
		ok &= p->nation_ceiling[i] == (i == (uint32_t)insp_policy_nation(p, "NOR", 3)
						       ? INSP_LEVEL_CONFIDENTIAL
						       : INSP_LEVEL_TOP_SECRET);
	CHECK(ok, "release ceiling: NOR CONFIDENTIAL, nobody else");

	CHECK(p->n_class_policies == 5, "5 classification tables");
	cp = insp_policy_class_policy(p, "NATO", 4);
	CHECK(cp != NULL && insp_policy_class_level(p, cp, "COSMIC TOP SECRET", 17, 1) ==
				    INSP_LEVEL_TOP_SECRET,
	      "NATO COSMIC TOP SECRET");
	cp = insp_policy_class_policy(p, "gbr", 3);
	CHECK(cp != NULL && strcmp(cp->id, "GBR") == 0, "table lookup is case-insensitive");
	CHECK(insp_policy_class_level(p, cp, "OFFICIAL-SENSITIVE", 18, 1) == INSP_LEVEL_RESTRICTED,
	      "GBR OFFICIAL-SENSITIVE exact");
	CHECK(insp_policy_class_level(p, cp, "official-sensitive", 18, 1) == -1,
	      "exact_case refuses other case");
	CHECK(insp_policy_class_level(p, cp, "official-sensitive", 18, 0) == INSP_LEVEL_RESTRICTED,
	      "case-insensitive lookup");
	CHECK(insp_policy_class_level(p, cp, "OFFICIAL", 8, 1) == INSP_LEVEL_UNCLASSIFIED,
	      "OFFICIAL is not OFFICIAL-SENSITIVE");
	CHECK(insp_policy_class_level(p, cp, "CONFIDENTIAL", 12, 0) == -1,
	      "GBR has no CONFIDENTIAL");
	cp = insp_policy_class_policy(p, "DEU", 3);
	CHECK(insp_policy_class_level(p, cp, "VS-NUR FUER DEN DIENSTGEBRAUCH", 30, 1) ==
		      INSP_LEVEL_RESTRICTED,
	      "DEU name with spaces");
	CHECK(insp_policy_class_policy(p, "ESP", 3) == NULL, "no ESP table");
	CHECK(insp_policy_class_level(p, NULL, "SECRET", 6, 0) == -1, "NULL table");

	CHECK(p->n_destinations == 3, "3 destinations");
	CHECK_STR(p->destinations[0].name, "MN", "destination 0");
	CHECK(p->destinations[0].members == bits(p, "USA GBR FRA DEU POL NLD ITA CAN"),
	      "MN members");
	CHECK(p->destinations[0].max_level == INSP_LEVEL_SECRET, "MN max SECRET");
	CHECK(p->destinations[1].members == fvey && p->destinations[1].n_held == 1, "FVEY");
	CHECK(p->destinations[1].first_held < p->n_held, "FVEY's held values are in the table");
	CHECK_STR(p->destinations[1].first_held < p->n_held ? p->held[p->destinations[1].first_held]
							    : NULL,
		  "Additional Sensitivity:AUSCANNZUKUS", "held");
	CHECK(insp_policy_dest_holds(p, &p->destinations[1], "Additional Sensitivity", 22,
				     "AUSCANNZUKUS", 12) == 1,
	      "FVEY holds AUSCANNZUKUS");
	CHECK(insp_policy_dest_holds(p, &p->destinations[1], "additional sensitivity", 22,
				     "auscannzukus", 12) == 1,
	      "holds compares ignoring case");
	CHECK(insp_policy_dest_holds(p, &p->destinations[1], "Additional Sensitivity", 22, "ATOMAL",
				     6) == 0,
	      "FVEY does not hold ATOMAL");
	CHECK(insp_policy_dest_holds(p, &p->destinations[1], "Additional", 10, "AUSCANNZUKUS",
				     12) == 0,
	      "tag must match whole");
	CHECK(insp_policy_dest_holds(p, &p->destinations[1], "Additional Sensitivity", 22, "AUSCAN",
				     6) == 0,
	      "value must match whole");
	CHECK(insp_policy_dest_holds(p, &p->destinations[0], "Additional Sensitivity", 22,
				     "AUSCANNZUKUS", 12) == 0,
	      "MN holds nothing");
	CHECK_STR(p->destinations[2].name, "NATO-WIDE", "destination 2");
	CHECK(p->destinations[2].members == nato, "NATO-WIDE members through the group");

	CHECK(p->n_categories == 6, "6 data categories");
	k = insp_policy_category(p, "Intelligence", 12);
	CHECK(k >= 0 && p->isa[k] == (fvey | bits(p, "FRA DEU NLD ITA NOR ESP")),
	      "intelligence: no agreement with POL");
	k = insp_policy_category(p, "tracks", 6);
	CHECK(k >= 0 && p->isa[k] == (nato | fvey), "tracks shared with everyone");
	CHECK(p->n_category_hints == 12 + 2 * 12 + 3 + 5,
	      "category hints: 12 CoT, 12 each TAK framing, 3 labelled XML, 5 ADatP-3");
	CHECK(p->n_category_hints > 0 && p->category_hints[0].format == INSP_FORMAT_COT &&
		      strcmp(p->category_hints[0].prefix, "a-f") == 0 &&
		      p->category_hints[0].category ==
			      (uint32_t)insp_policy_category(p, "tracks", 6),
	      "hint a-f -> tracks");

	static const uint8_t other_formats[] = {INSP_FORMAT_TAK_MESH, INSP_FORMAT_TAK_STREAM,
						INSP_FORMAT_LABELLED_XML, INSP_FORMAT_ADATP3};

	CHECK(p->n_channels == 9, "9 channels");
	for (uint32_t c = 4; c < 8 && c < p->n_channels; c++)
		CHECK(p->channels[c].format == other_formats[c - 4],
		      "channel %u (%s) carries format %s", c, p->channels[c].name,
		      insp_format_name((enum insp_format)p->channels[c].format));
	ch = &p->channels[0];
	CHECK_STR(ch->name, "cot-mn", "channel 0 name");
	CHECK(ch->direction == INSP_DIR_HIGH_TO_LOW && ch->format == INSP_FORMAT_COT &&
		      ch->destination == 0 && ch->max_size == 1500 &&
		      ch->category == (uint32_t)insp_policy_category(p, "tracks", 6),
	      "channel 0 basics");
	CHECK(ch->ingress.port == 0 && ch->ingress.udp_port == 6969 &&
		      ch->ingress.dst.version == 4 &&
		      memcmp(ch->ingress.dst.a, "\xef\x02\x03\x01", 4) == 0,
	      "channel 0 ingress 239.2.3.1:6969");
	CHECK(ch->egress.port == 1 && ch->egress.ttl == 32 && ch->egress.has_dscp == 0 &&
		      ch->egress.dscp == 0 && ch->egress.src_udp_port == 6969 &&
		      ch->egress.dst_udp_port == 6969 && ch->egress.has_src_mac == 0,
	      "channel 0 egress (no dscp of its own: its packets carry their class's DSCP)");
	for (uint32_t c = 0; c < p->n_channels; c++)
		CHECK(p->channels[c].egress.has_dscp == 0, "channel %u (%s) sets no DSCP", c,
		      p->channels[c].name);
	CHECK(memcmp(ch->egress.dst_mac, "\x01\x00\x5e\x0a\x03\x01", 6) == 0, "next hop MAC");
	CHECK(memcmp(ch->egress.src.a, "\xcb\x00\x71\x0a", 4) == 0 &&
		      memcmp(ch->egress.dst.a, "\xef\x0a\x03\x01", 4) == 0,
	      "egress addresses");
	CHECK(p->channels[1].destination == 1, "cot-fvey goes to FVEY");
	CHECK(p->channels[2].ingress.dst.version == 6 && p->channels[2].egress.src.version == 6,
	      "cot-mn-v6 is IPv6");
	CHECK(p->channels[3].destination == 2, "cot-nato goes to NATO-WIDE");
	for (uint32_t c = 0; c < 8 && c < p->n_channels; c++)
		CHECK(p->channels[c].object_types == 0 && p->channels[c].object_max == 0 &&
			      p->channels[c].object_release == 0,
		      "channel %u (%s) has no object settings", c, p->channels[c].name);
	ch = p->n_channels == 9 ? &p->channels[8] : NULL;
	CHECK(ch != NULL && strcmp(ch->name, "objects_out") == 0 &&
		      ch->format == INSP_FORMAT_OBJECT && ch->direction == INSP_DIR_HIGH_TO_LOW &&
		      ch->destination == 0 &&
		      ch->category == (uint32_t)insp_policy_category(p, "reports", 7) &&
		      ch->max_size == 8192,
	      "channel 8: objects_out, format object, to MN, reports, chunks up to 8192 bytes");
	CHECK(ch != NULL &&
		      ch->object_types == (1u << INSP_OBJ_TEXT | 1u << INSP_OBJ_PDF |
					   1u << INSP_OBJ_JPEG | 1u << INSP_OBJ_PNG) &&
		      ch->object_max == 4194304 && ch->object_release == INSP_OBJ_RELEASE_REVIEW,
	      "objects_out: all four types, max_object 4 MiB, release review");
	CHECK(ch != NULL && ch->ingress.udp_port == 7300 &&
		      memcmp(ch->ingress.dst.a, "\xef\x02\x03\x08", 4) == 0 &&
		      ch->egress.dst_udp_port == 7300 && ch->egress.src_udp_port == 7300 &&
		      memcmp(ch->egress.dst.a, "\xef\x0a\x03\x08", 4) == 0,
	      "objects_out: 239.2.3.8:7300 -> 239.10.3.8:7300");
	CHECK(p->two_person_level == INSP_LEVEL_SECRET && p->n_reviewers == 3 &&
		      p->review_max_items == 10000 && p->review_max_bytes == 1073741824,
	      "review: two-person from SECRET, 3 reviewers, 10000 items, 1 GiB");
	CHECK(p->reviewers[0].uid == 1001 && strcmp(p->reviewers[0].name, "alice") == 0 &&
		      p->reviewers[2].uid == 1003 && strcmp(p->reviewers[2].name, "carol") == 0,
	      "reviewers in policy order");
	CHECK_STR(insp_policy_reviewer(p, 1002), "bob", "uid 1002 is bob");
	CHECK(insp_policy_reviewer(p, 0) == NULL && insp_policy_reviewer(p, 1004) == NULL,
	      "uids 0 and 1004 are nobody");

	CHECK(inet_pton(AF_INET, "239.2.3.2", a.a) == 1, "pton");
	CHECK(insp_policy_channel_lookup(p, 0, &a, 6969) == 1, "lookup 239.2.3.2:6969 port 0");
	CHECK(insp_policy_channel_lookup(p, 1, &a, 6969) == -1, "wrong DPDK port");
	CHECK(insp_policy_channel_lookup(p, 0, &a, 6970) == -1, "wrong UDP port");
	a.version = 6;
	CHECK(insp_policy_channel_lookup(p, 0, &a, 6969) == -1, "IP version is part of the key");
	CHECK(inet_pton(AF_INET6, "ff05::2:3:1", a.a) == 1, "pton6");
	CHECK(insp_policy_channel_lookup(p, 0, &a, 6969) == 2, "lookup [ff05::2:3:1]:6969");
	CHECK(insp_policy_channel_lookup(p, 0, NULL, 6969) == -1, "NULL address");

	CHECK(p->n_priorities == 15, "15 priority rows");
	CHECK(p->n_priorities == 15 && strcmp(p->priorities[0].type_prefix, "b-a-o") == 0 &&
		      p->priorities[0].tclass == 0 && p->priorities[1].qos_priority == 9 &&
		      p->priorities[5].channel == 3 && p->priorities[5].tclass == 3,
	      "priority rows in file order");
	for (uint32_t r = 0; r < 8 && r < p->n_priorities; r++)
		CHECK(p->priorities[r].formats == COT_BITS,
		      "priority row %u (CoT keys) applies to cot, tak-mesh, tak-stream", r + 1);
	if (p->n_priorities == 15) {
		const struct insp_priority_rule *r = p->priorities;

		CHECK(r[8].formats == 1u << INSP_FORMAT_LABELLED_XML &&
			      strcmp(r[8].type_prefix, "ThreatWarning") == 0 && r[8].tclass == 0,
		      "row 9: labelled-xml ThreatWarning flash");
		CHECK(r[11].formats == 1u << INSP_FORMAT_ADATP3 &&
			      strcmp(r[11].type_prefix, "OPREP-3 PINNACLE") == 0 &&
			      r[11].tclass == 0 && r[11].channel == -1 && r[11].qos_priority == -1,
		      "row 12: adatp3 OPREP-3 PINNACLE flash, any channel, no qos");
		CHECK(r[14].formats == 1u << INSP_FORMAT_ADATP3 &&
			      strcmp(r[14].type_prefix, "OPREP-3") == 0 && r[14].tclass == 2,
		      "row 15: adatp3 OPREP-3 priority");
	}
	CHECK(p->class_dscp[0] == 46 && p->class_dscp[1] == 34 && p->class_dscp[2] == 18 &&
		      p->class_dscp[3] == 8,
	      "class DSCPs");
	CHECK(insp_egress_dscp(p, &p->channels[0], 0) == 46 &&
		      insp_egress_dscp(p, &p->channels[0], 3) == 8,
	      "a sample channel's packets carry their class's DSCP");
	CHECK(p->n_egress_links == 1, "one egress link");
	if (p->n_egress_links == 1) {
		const struct insp_egress_link *l = insp_policy_egress_link(p, 1);

		CHECK(l != NULL && l->rate_bps == INSP_EGRESS_RATE_LINE &&
			      l->frame_overhead == INSP_EGRESS_OVERHEAD_DEFAULT &&
			      l->burst_bytes == 2 * (1514 + INSP_EGRESS_OVERHEAD_DEFAULT),
		      "egress port 1: line rate, default overhead and burst");
		CHECK(l != NULL && l->queue_max[0] == 256 && l->queue_max[1] == 256 &&
			      l->queue_max[2] == 512 && l->queue_max[3] == 1024,
		      "egress port 1: queues 256, 256, 512, 1024");
		CHECK(insp_policy_egress_link(p, 0) == NULL, "port 0: no link settings");
	}

	/* Patterns: inline terms, then the term files, then markings. */
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	snprintf(tf, sizeof(tf), "%sterms/codewords.txt", dir);
	file_terms = count_terms(tf);
	CHECK(file_terms >= 300, "codewords.txt holds %u terms", file_terms);
	snprintf(tf, sizeof(tf), "%sterms/review.txt", dir);
	file_terms += count_terms(tf);
	uint32_t rules = p->n_terms + p->n_markings, skel_only = 0;

	for (uint32_t x = rules; x < p->n_patterns; x++)
		skel_only += p->patterns[x].forms == INSP_FORM_SKELETON;
	CHECK(p->n_terms == 24 + file_terms && p->n_markings == 52 && p->n_patterns >= rules &&
		      skel_only == p->n_patterns - rules,
	      "24 inline terms + %u from files, 52 markings, then %u skeleton-form expressions",
	      file_terms, p->n_patterns - rules);
	k = rule(p, 1001);
	CHECK(k == 0 && p->patterns[0].kind == INSP_PATTERN_TERM &&
		      p->patterns[0].level == INSP_LEVEL_NONE && p->patterns[0].restrict_to == 0 &&
		      p->patterns[0].action == INSP_ACTION_DROP && p->patterns[0].channels == 0 &&
		      p->patterns[0].line == line_of(text, "{id: 1001,"),
	      "pattern 0 is term 1001 at its line");
	CHECK_STR(insp_pattern_expr(p, &p->patterns[1]), "blue sentinel",
		  "literal stored as its phrase");
	CHECK(p->patterns[1].literal == 1 && p->patterns[1].caseless == 1 &&
		      p->patterns[1].bound_before == 1 && p->patterns[1].bound_after == 1 &&
		      p->patterns[1].anchor_off == 5 && p->patterns[1].anchor_len == 8,
	      "literal: caseless, whole words, anchored on 'sentinel'");
	CHECK(pc_literal_to_regex(insp_pattern_expr(p, &p->patterns[1]), re, sizeof(re)) > 0 &&
		      strcmp(re, "(?:^|[^0-9A-Z_a-z])blue[\\t-\\r ]+sentinel(?:[^0-9A-Z_a-z]|$)") ==
			      0,
	      "its reference regex: whole words");
	k = rule(p, 1101);
	CHECK(k == 20 && p->patterns[k].line == line_of(text, "{id: 1101,"), "term 1101");
	CHECK(k >= 0 && p->patterns[k].literal == 0 &&
		      strcmp(insp_pattern_expr(p, &p->patterns[k]), "\\bTK-[0-9]{4}-[A-Z]{2}\\b") ==
			      0,
	      "regex kept as written");
	k = rule(p, 1201);
	CHECK(k == 22 && p->patterns[k].action == INSP_ACTION_REVIEW &&
		      p->patterns[k].channels == (UINT64_C(1) << 0 | UINT64_C(1) << 2),
	      "1201: review on cot-mn and cot-mn-v6");
	k = rule(p, 1202);
	CHECK(k == 23 && p->patterns[k].action == INSP_ACTION_REVIEW &&
		      p->patterns[k].channels == UINT64_C(1) << 3,
	      "1202: review on cot-nato");
	k = rule(p, 5007);
	CHECK(k == 24 && p->patterns[k].action == INSP_ACTION_DROP &&
		      p->patterns[k].channels == 0 &&
		      p->patterns[k].line == line_of(text, "{path: terms/codewords.txt"),
	      "codewords.txt line 7 is term 5007, drop, at its entry's line");
	k = rule(p, 3007);
	CHECK(k > 24 && p->patterns[k].action == INSP_ACTION_REVIEW,
	      "review.txt line 7 is review term 3007");
	k = rule(p, 2000);
	CHECK(k == (int)p->n_terms && p->patterns[k].kind == INSP_PATTERN_MARKING &&
		      p->patterns[k].level == INSP_LEVEL_UNCLASSIFIED &&
		      p->patterns[k].restrict_to == 0 &&
		      p->patterns[k].line == line_of(text, "{id: 2000,"),
	      "marking 2000 first after the terms");
	k = rule(p, 2105);
	CHECK(k > (int)p->n_terms && p->patterns[k].level == INSP_LEVEL_NONE &&
		      p->patterns[k].restrict_to == fvey,
	      "marking 2105 FVEY EYES ONLY restricts to FVEY nations");
	k = rule(p, 2204);
	CHECK(k == (int)rules - 1 && p->patterns[k].restrict_to == usa,
	      "marking 2204 (portion mark with NF) last of the rules, restricts to USA");
	CHECK(p->matcher.regex_db != NULL && p->matcher.lit_db != NULL, "both databases built");
	CHECK(p->matcher.patterns == p->patterns && p->matcher.n_patterns == p->n_patterns &&
		      p->matcher.strings == p->strings,
	      "the matcher sees the policy's patterns and strings");

	scan_ids(p, sample_text, got, sizeof(got));
	CHECK_STR(got, "1002 1101 2101 2105", "sample text hits 1002, 1101, 2101, 2105");
	scan_ids(p, "ebon  ridgeline near the home address", got, sizeof(got));
	CHECK_STR(got, "3009 5007", "term-file phrases match");
	free(text);
	pc_policy_free(p);
}

static const char minimal[] = "version: 1\n"
			      "nations: [USA, GBR]\n"
			      "classifications: {NATO: {SECRET: SECRET}}\n";

static void
test_defaults(void)
{
	struct insp_err err;
	struct insp_policy *p = load_str(minimal, &err);

	CHECK(p != NULL, "minimal policy loads");
	if (p == NULL)
		return;
	CHECK(p->strict_labels == 1 && p->stale_skew_ms == 60000, "label defaults");
	CHECK(p->cot_max_depth == 16 && p->cot_max_elems == 512, "cot defaults");
	CHECK(p->n_groups == 0 && p->n_destinations == 0 && p->n_channels == 0, "empty sections");
	CHECK(p->n_patterns == 0 && insp_matcher_empty(&p->matcher), "no patterns: empty matcher");
	CHECK(insp_match_scratch_create(&p->matcher) == NULL, "no patterns: no scratch");
	CHECK(insp_policy_channel_lookup(p, 0, &(struct insp_ipaddr){.version = 4}, 1) == -1,
	      "no channels");
	CHECK(p->two_person_level == INSP_LEVEL_SECRET && p->n_reviewers == 0 &&
		      p->review_max_items == 10000 && p->review_max_bytes == UINT64_C(1) << 30,
	      "review defaults: two-person from SECRET, no reviewers, 10000 items, 1 GiB");
	CHECK(insp_policy_reviewer(p, 1001) == NULL && insp_policy_reviewer(NULL, 1001) == NULL,
	      "no reviewer without a review block");
	pc_policy_free(p);
}

static void
test_sections(void)
{
	static const char yaml[] =
		"version: 1\n"
		"labels: {strictness: lenient, stale_skew_seconds: 0}\n"
		"cot: {max_detail_depth: 64, max_detail_elements: 100000}\n"
		"markings:\n"
		"  - {id: 7, literal: \"EYES ONLY\", releasable_to: [INNER], classification: "
		"SECRET}\n"
		"prohibited_terms:\n"
		"  - {id: 9, regex: \"Foo[0-9]+\", caseless: false}\n"
		"  - {id: 8, literal: \"  c++  code \\t review \"}\n"
		"groups:\n"
		"  OUTER: [INNER, NOR]\n"
		"  INNER: [CORE, GBR]\n"
		"  CORE: [USA]\n"
		"nations: [USA, GBR, NOR, ESP]\n"
		"destinations:\n"
		"  d.1: {members: [OUTER], max_classification: CONFIDENTIAL,\n"
		"        holds: [\"A:B\", \"Additional Sensitivity:ATOMAL\"]}\n"
		"classifications:\n"
		"  NATO: {COSMIC TOP SECRET: TOP SECRET}\n"
		"  Esp: {DIFUSION LIMITADA: RESTRICTED}\n"
		"channels:\n"
		"  - name: up_1\n"
		"    direction: low_to_high\n"
		"    format: cot\n"
		"    destination: d.1\n"
		"    max_size: 65507\n"
		"    ingress: {port: 65535, address: \"2001:db8::1\", udp_port: 65535}\n"
		"    egress: {port: 3, source_address: 10.0.0.1, address: 10.0.0.2, udp_port: 1,\n"
		"             next_hop_mac: \"AA:bb:CC:dd:EE:ff\", source_mac: "
		"\"02:00:00:00:00:01\"}\n";
	struct insp_err err;
	struct insp_policy *p = load_str(yaml, &err);
	const struct insp_egress *eg;

	CHECK(p != NULL, "policy with every section in a different order loads");
	if (p == NULL) {
		printf("#   %s\n", err.msg);
		return;
	}
	CHECK(p->strict_labels == 0 && p->stale_skew_ms == 0, "lenient, zero skew");
	CHECK(p->cot_max_depth == 64 && p->cot_max_elems == 100000, "cot maxima");
	CHECK(p->n_groups == 3, "3 groups");
	CHECK(insp_policy_expand_code(p, "OUTER", 5) == bits(p, "USA GBR NOR"),
	      "groups expand through two levels, defined after use");
	CHECK(insp_policy_expand_code(p, "core", 4) == bits(p, "USA"), "CORE");
	CHECK(p->destinations[0].members == bits(p, "USA GBR NOR"), "destination via group");
	CHECK(p->destinations[0].max_level == INSP_LEVEL_CONFIDENTIAL, "destination level");
	CHECK(insp_policy_dest_holds(p, &p->destinations[0], "A", 1, "b", 1) == 1, "holds A:B");
	CHECK(insp_policy_dest_holds(p, &p->destinations[0], "Additional Sensitivity", 22, "ATOMAL",
				     6) == 1,
	      "holds ATOMAL");
	CHECK(insp_policy_class_level(p, insp_policy_class_policy(p, "ESP", 3), "Difusion Limitada",
				      17, 0) == INSP_LEVEL_RESTRICTED,
	      "table id case-insensitive");

	/* Terms come first whatever the file order; ids follow the list order. */
	CHECK(p->n_patterns == 3 && p->n_terms == 2 && p->n_markings == 1, "3 patterns");
	CHECK(p->patterns[0].rule_id == 9 && p->patterns[1].rule_id == 8 &&
		      p->patterns[2].rule_id == 7,
	      "terms before markings");
	CHECK(p->patterns[0].line == 7 && p->patterns[2].line == 5, "pattern lines");
	CHECK_STR(insp_pattern_expr(p, &p->patterns[1]), "c++ code review",
		  "literal with metacharacters and odd spacing: words joined by one space");
	CHECK(p->patterns[1].literal == 1 && p->patterns[1].bound_before == 1 &&
		      p->patterns[1].bound_after == 1 && p->patterns[1].anchor_off == 9 &&
		      p->patterns[1].anchor_len == 6,
	      "anchored on its longest word 'review', boundaries on both sides");
	{
		char re[256];

		CHECK(pc_literal_to_regex(insp_pattern_expr(p, &p->patterns[1]), re, sizeof(re)) >
				      0 &&
			      strcmp(re, "(?:^|[^0-9A-Z_a-z])c\\+\\+[\\t-\\r ]+code[\\t-\\r "
					 "]+review(?:[^0-9A-Z_a-z]|$)") == 0,
		      "its reference regex");
	}
	CHECK(p->patterns[0].literal == 0 && p->patterns[0].caseless == 0 &&
		      p->patterns[2].literal == 1 && p->patterns[2].caseless == 1,
	      "regex case-sensitive, marking literal caseless");
	CHECK(p->patterns[2].restrict_to == bits(p, "USA GBR") &&
		      p->patterns[2].level == INSP_LEVEL_SECRET,
	      "marking with both meanings");

	CHECK(p->n_channels == 1, "1 channel");
	CHECK(p->channels[0].direction == INSP_DIR_LOW_TO_HIGH && p->channels[0].max_size == 65507,
	      "direction and max_size");
	CHECK(p->channels[0].ingress.port == 65535 && p->channels[0].ingress.udp_port == 65535 &&
		      p->channels[0].ingress.dst.version == 6,
	      "ingress maxima, IPv6");
	eg = &p->channels[0].egress;
	CHECK(eg->ttl == 64 && eg->dscp == 0, "ttl and dscp defaults");
	CHECK(eg->src_udp_port == 1 && eg->dst_udp_port == 1,
	      "source_udp_port defaults to udp_port");
	CHECK(memcmp(eg->dst_mac, "\xaa\xbb\xcc\xdd\xee\xff", 6) == 0, "MAC in mixed case");
	CHECK(eg->has_src_mac == 1 && memcmp(eg->src_mac, "\x02\x00\x00\x00\x00\x01", 6) == 0,
	      "source_mac");

	{
		struct insp_match_scratch *s = insp_match_scratch_create(&p->matcher);
		struct insp_hits h = {0};
		static const char t1[] = "foo12 and FOO34 and Foo56, then C++\n code  REVIEW.";

		CHECK(insp_matcher_scan(&p->matcher, s, (const uint8_t *)t1, sizeof(t1) - 1, &h) ==
				      0 &&
			      h.n == 2 &&
			      ((h.id[0] == 0 && h.id[1] == 1) || (h.id[0] == 1 && h.id[1] == 0)),
		      "caseless:false regex hits only Foo56; the phrase hits across a newline");
		memset(&h, 0, sizeof(h));
		CHECK(insp_matcher_scan(&p->matcher, s, (const uint8_t *)"foo56 c++ code", 14,
					&h) == 0 &&
			      h.n == 0,
		      "neither without its case or its last word");
		memset(&h, 0, sizeof(h));
		CHECK(insp_matcher_scan(&p->matcher, s, (const uint8_t *)"x eyes only", 11, &h) ==
				      0 &&
			      h.n == 1 && h.id[0] == 2,
		      "marking is caseless by default");
		insp_match_scratch_free(s);
	}
	pc_policy_free(p);
}

/* Limits checked by generated policies: a file one over the limit is refused. */
static void
test_limits(void)
{
	static const char head[] =
		"version: 1\n"
		"classifications: {NATO: {SECRET: SECRET}}\n"
		"destinations: {D: {members: [AAA], max_classification: SECRET}}\n";
	size_t cap = 64 * 1024, len;
	char *y = malloc(cap);
	struct insp_err err;
	struct insp_policy *p;
	int i;

	if (y == NULL)
		return;
	/* 64 nations load, 65 do not. */
	len = (size_t)snprintf(y, cap, "%snations: [", head);
	for (i = 0; i < 64; i++)
		len += (size_t)snprintf(y + len, cap - len, "%s%c%c%c", i ? ", " : "", 'A' + i / 26,
					'A' + i % 26, 'A');
	snprintf(y + len, cap - len, "]\n");
	p = load_str(y, &err);
	CHECK(p != NULL && p->n_nations == 64 && insp_policy_nation(p, "CLA", 3) == 63,
	      "64 nations");
	CHECK(p != NULL && insp_policy_expand_code(p, "CLA", 3) == UINT64_C(1) << 63,
	      "nation 63 is the top bit");
	CHECK(p != NULL && p->isa[0] == UINT64_MAX, "'any' is shared with all 64 nations");
	pc_policy_free(p);
	snprintf(y + len, cap - len, ", ZZZ]\n");
	p = load_str(y, &err);
	CHECK(p == NULL, "65 nations refused");
	CHECK_STR(err.msg, "t.yaml:4:331: too many nations (at most 64)", "65 nations message");

	/* 64 channels load, 65 do not. */
	len = (size_t)snprintf(y, cap, "%snations: [AAA]\nchannels:\n", head);
	for (i = 0; i < 65; i++)
		len += (size_t)snprintf(
			y + len, cap - len,
			"  - {name: c%d, direction: high_to_low, format: cot, destination: D,\n"
			"     ingress: {port: 0, address: 10.0.0.1, udp_port: %d},\n"
			"     egress: {port: 1, source_address: 10.1.0.1, address: 10.1.0.2,\n"
			"              udp_port: 1, next_hop_mac: \"02:00:00:00:00:02\"}}\n",
			i, 1000 + i);
	p = load_str(y, &err);
	CHECK(p == NULL, "65 channels refused");
	CHECK_STR(err.msg, "t.yaml:262:5: too many channels (at most 64)", "65 channels message");
	*strstr(y, "  - {name: c64") = '\0';
	p = load_str(y, &err);
	CHECK(p != NULL && p->n_channels == 64, "64 channels");
	CHECK(p != NULL && insp_policy_channel_lookup(
				   p, 0, &(struct insp_ipaddr){.version = 4, .a = {10, 0, 0, 1}},
				   1063) == 63,
	      "lookup finds the last channel");
	pc_policy_free(p);

	/* 64 data categories load, 65 do not. */
	len = (size_t)snprintf(y, cap, "%snations: [AAA]\ndata_categories: [", head);
	for (i = 0; i < 64; i++)
		len += (size_t)snprintf(y + len, cap - len, "%sc%d", i ? ", " : "", i);
	snprintf(y + len, cap - len, "]\n");
	p = load_str(y, &err);
	CHECK(p != NULL && p->n_categories == 64 && insp_policy_category(p, "c63", 3) == 63 &&
		      p->isa[63] == 0,
	      "64 data categories");
	pc_policy_free(p);
	snprintf(y + len, cap - len, ", c64]\n");
	p = load_str(y, &err);
	CHECK(p == NULL, "65 data categories refused");
	CHECK_STR(err.msg, "t.yaml:5:329: too many data categories (at most 64)",
		  "65 data categories message");
	free(y);
}

static void
test_api_edges(void)
{
	struct insp_err err;
	struct insp_policy *p;

	pc_policy_free(NULL);
	CHECK_STR(insp_level_name(INSP_LEVEL_TOP_SECRET), "TOP SECRET", "level name");
	CHECK(insp_level_name(INSP_LEVEL_NONE) == NULL, "no name for NONE");
	CHECK_STR(insp_format_name(INSP_FORMAT_COT), "cot", "format name");
	CHECK_STR(insp_format_name(INSP_FORMAT_TAK_MESH), "tak-mesh", "format name tak-mesh");
	CHECK_STR(insp_format_name(INSP_FORMAT_TAK_STREAM), "tak-stream", "format name tak-stream");
	CHECK_STR(insp_format_name(INSP_FORMAT_LABELLED_XML), "labelled-xml",
		  "format name labelled-xml");
	CHECK_STR(insp_format_name(INSP_FORMAT_ADATP3), "adatp3", "format name adatp3");
	for (int f = 0; f < INSP_FORMAT_COUNT; f++)
		CHECK(insp_formats[f].parse != NULL && insp_formats[f].type_key != NULL,
		      "format %d has a parser and a documented key", f);
	CHECK(insp_format_name(INSP_FORMAT_COUNT) == NULL, "no name past the end");
	CHECK(insp_policy_expand_code(NULL, "USA", 3) == 0, "NULL policy grants nothing");
	CHECK(insp_policy_class_policy(NULL, "NATO", 4) == NULL, "NULL policy has no tables");

	p = pc_policy_load(NULL, 0, NULL, &err);
	CHECK(p == NULL, "NULL text refused");
	CHECK_STR(err.msg,
		  "policy:1:1: the policy is empty (it needs at least 'version', 'nations' and "
		  "'classifications')",
		  "NULL text, default file name");
	p = pc_policy_load(minimal, strlen(minimal) - 10, "cut.yaml", NULL);
	CHECK(p == NULL, "text cut short (len honoured, no err) refused");
	p = pc_policy_load(minimal, strlen(minimal), "m.yaml", NULL);
	CHECK(p != NULL, "err may be NULL");
	pc_policy_free(p);

	/* Anchors and aliases are plain YAML: they work and are checked like the rest. */
	p = load_str("version: 1\nnations: &n [USA]\n"
		     "groups: {ALL: *n}\n"
		     "classifications: {NATO: {SECRET: SECRET}}\n",
		     &err);
	CHECK(p != NULL && insp_policy_expand_code(p, "ALL", 3) == 1, "alias as group members");
	pc_policy_free(p);
}

/* ---- new sections: ceilings, categories, hints, scopes, priorities ---- */

static const char chan_tpl[] =
	"  - name: %s\n"
	"    direction: high_to_low\n"
	"    format: cot\n"
	"    destination: D\n"
	"    category: %s\n"
	"    ingress: {port: 0, address: 239.2.3.%d, udp_port: 6969}\n"
	"    egress: {port: 1, source_address: 10.0.0.1, address: 10.0.0.2, udp_port: 1,\n"
	"             next_hop_mac: \"02:00:00:00:00:02\"}\n";

static void
test_new_defaults(void)
{
	struct insp_err err;
	struct insp_policy *p = load_str(minimal, &err);
	uint32_t i;
	int ceil_ok = 1;

	CHECK(p != NULL, "minimal policy loads");
	if (p == NULL)
		return;
	for (i = 0; i < INSP_MAX_NATIONS; i++)
		ceil_ok &= p->nation_ceiling[i] == INSP_LEVEL_TOP_SECRET;
	CHECK(ceil_ok, "no release_ceilings: every nation may receive TOP SECRET");
	CHECK(p->n_categories == 1, "no data_categories: one category");
	CHECK_STR(p->categories[0], "any", "the category is 'any'");
	CHECK(p->isa[0] == bits(p, "USA GBR"), "'any' is shared with every nation");
	CHECK(insp_policy_category(p, "ANY", 3) == 0, "'any' found ignoring case");
	CHECK(insp_policy_category(p, "tracks", 6) == -1, "no other category");
	CHECK(p->n_category_hints == 0 && p->category_hints == NULL, "no hints");
	CHECK(p->n_priorities == 0 && p->priorities == NULL, "no priorities");
	CHECK(p->n_egress_links == 0 && insp_policy_egress_link(p, 1) == NULL,
	      "no egress links: every port at line rate with default queues");
	CHECK(p->class_dscp[0] == 46 && p->class_dscp[1] == 34 && p->class_dscp[2] == 18 &&
		      p->class_dscp[3] == 8,
	      "class DSCP defaults EF, AF41, AF21, CS1");
	pc_policy_free(p);

	/* Channels without data_categories all get category 0; terms default to drop, all. */
	p = load_str("version: 1\n"
		     "nations: [USA]\n"
		     "classifications: {NATO: {SECRET: SECRET}}\n"
		     "destinations: {D: {members: [USA], max_classification: SECRET}}\n"
		     "channels:\n"
		     "  - {name: c, direction: high_to_low, format: cot, destination: D,\n"
		     "     ingress: {port: 0, address: 10.0.0.1, udp_port: 1},\n"
		     "     egress: {port: 1, source_address: 10.1.0.1, address: 10.1.0.2,\n"
		     "              udp_port: 1, next_hop_mac: \"02:00:00:00:00:02\"}}\n"
		     "prohibited_terms: [{id: 1, literal: x}]\n"
		     "markings: [{id: 2, literal: y, classification: SECRET}]\n",
		     &err);
	CHECK(p != NULL && p->channels[0].category == 0, "channel category 0 without categories");
	CHECK(p != NULL && p->patterns[0].action == INSP_ACTION_DROP &&
		      p->patterns[0].channels == 0,
	      "term defaults: drop, every channel");
	CHECK(p != NULL && p->patterns[1].action == INSP_ACTION_DROP &&
		      p->patterns[1].channels == 0,
	      "markings carry no action or scope");
	pc_policy_free(p);
}

static void
test_new_sections(void)
{
	char y[8192];
	size_t n;
	struct insp_err err;
	struct insp_policy *p;
	const struct insp_category_hint *h;
	const struct insp_priority_rule *r;

	n = (size_t)snprintf(
		y, sizeof(y),
		"version: 1\n"
		"nations: [USA, GBR, NOR, ESP]\n"
		"groups: {NORTH: [NOR, GBR]}\n"
		"release_ceilings: {NOR: CONFIDENTIAL, ESP: RESTRICTED, USA: TOP SECRET}\n"
		"classifications: {NATO: {SECRET: SECRET}}\n"
		"restrictive_categories:\n"
		"  Additional Sensitivity: [ATOMAL, CRYPTO]\n"
		"  Special: [X]\n"
		"destinations:\n"
		"  D: {members: [USA, NORTH], max_classification: SECRET,\n"
		"      holds: [\"additional sensitivity:atomal\", \"Special:x\"]}\n"
		"data_categories: [tracks, intelligence, logistics, reports]\n"
		"sharing_agreements:\n"
		"  tracks: [USA, NORTH, ESP]\n"
		"  intelligence: [USA]\n"
		"  logistics: []\n"
		"category_hints:\n"
		"  cot:\n"
		"    a-f-: tracks\n"
		"    \"b-i-\": intelligence\n"
		"    a-f-G-E-V: logistics\n"
		"prohibited_terms:\n"
		"  - {id: 1, literal: x}\n"
		"  - {id: 2, literal: y, action: review, channels: [b]}\n"
		"  - {id: 3, regex: \"z+\", action: drop, channels: [b, a]}\n"
		"markings:\n"
		"  - {id: 10, literal: NOFORN, releasable_to: [USA]}\n"
		"priorities:\n"
		"  - {channel: a, cot_type_prefix: a-h-, class: flash}\n"
		"  - {cot_type_prefix: a-f-, qos_priority: 1, class: 1}\n"
		"  - {qos_priority: 0, class: priority}\n"
		"  - {class: 3}\n"
		"traffic_classes:\n"
		"  routine: {dscp: 0}\n"
		"  flash: {dscp: 40}\n"
		"channels:\n");
	n += (size_t)snprintf(y + n, sizeof(y) - n, chan_tpl, "a", "tracks", 1);
	snprintf(y + n, sizeof(y) - n, chan_tpl, "b", "intelligence", 2);
	p = load_str(y, &err);
	CHECK(p != NULL, "policy with every new section loads");
	if (p == NULL) {
		printf("#   %s\n", err.msg);
		return;
	}
	CHECK(p->nation_ceiling[insp_policy_nation(p, "NOR", 3)] == INSP_LEVEL_CONFIDENTIAL &&
		      p->nation_ceiling[insp_policy_nation(p, "ESP", 3)] == INSP_LEVEL_RESTRICTED &&
		      p->nation_ceiling[insp_policy_nation(p, "USA", 3)] == INSP_LEVEL_TOP_SECRET &&
		      p->nation_ceiling[insp_policy_nation(p, "GBR", 3)] == INSP_LEVEL_TOP_SECRET,
	      "release ceilings, unlisted nation unlimited");

	CHECK(p->destinations[0].n_held == 2, "holds of declared restrictive categories load");

	CHECK(p->n_categories == 4, "4 data categories");
	CHECK_STR(p->categories[1], "intelligence", "category 1");
	CHECK(insp_policy_category(p, "Intelligence", 12) == 1, "category lookup ignores case");
	CHECK(insp_policy_category(p, "intelligencex", 12) == 1, "category lookup honours len");
	CHECK(insp_policy_category(p, "intel", 5) == -1, "no prefix match");
	CHECK(insp_policy_category(p, "any", 3) == -1, "no 'any' once categories are declared");
	CHECK(insp_policy_category(NULL, "tracks", 6) == -1, "NULL policy");
	CHECK(p->isa[0] == bits(p, "USA NOR GBR ESP"), "tracks: groups expand");
	CHECK(p->isa[1] == bits(p, "USA"), "intelligence: USA only");
	CHECK(p->isa[2] == 0, "logistics: explicitly nobody");
	CHECK(p->isa[3] == 0, "reports: no agreement, nobody");
	CHECK(p->channels[0].category == 0 && p->channels[1].category == 1,
	      "channel default categories");

	CHECK(p->n_category_hints == 3, "3 category hints");
	h = p->category_hints;
	CHECK(h != NULL && h[0].format == INSP_FORMAT_COT && strcmp(h[0].prefix, "a-f-") == 0 &&
		      h[0].category == 0,
	      "hint a-f- -> tracks");
	CHECK(h != NULL && strcmp(h[1].prefix, "b-i-") == 0 && h[1].category == 1,
	      "hint b-i- -> intelligence");
	CHECK(h != NULL && strcmp(h[2].prefix, "a-f-G-E-V") == 0 && h[2].category == 2,
	      "hint a-f-G-E-V -> logistics");

	CHECK(p->n_terms == 3 && p->n_markings == 1, "3 terms, 1 marking");
	CHECK(p->patterns[0].action == INSP_ACTION_DROP && p->patterns[0].channels == 0,
	      "term 1: drop, every channel");
	CHECK(p->patterns[1].action == INSP_ACTION_REVIEW && p->patterns[1].channels == 2,
	      "term 2: review on channel b (bit 1)");
	CHECK(p->patterns[2].action == INSP_ACTION_DROP && p->patterns[2].channels == 3,
	      "term 3: drop on a and b");

	CHECK(p->n_priorities == 4, "4 priority rows");
	r = p->priorities;
	CHECK(r != NULL && r[0].channel == 0 && strcmp(r[0].type_prefix, "a-h-") == 0 &&
		      r[0].qos_priority == -1 && r[0].tclass == 0,
	      "row 1: channel a, a-h-, flash");
	CHECK(r != NULL && r[1].channel == -1 && strcmp(r[1].type_prefix, "a-f-") == 0 &&
		      r[1].qos_priority == 1 && r[1].tclass == 1,
	      "row 2: any channel, a-f-, qos 1, class 1");
	CHECK(r != NULL && r[2].type_prefix[0] == '\0' && r[2].qos_priority == 0 &&
		      r[2].tclass == 2,
	      "row 3: qos 0, priority");
	CHECK(r != NULL && r[3].channel == -1 && r[3].type_prefix[0] == '\0' &&
		      r[3].qos_priority == -1 && r[3].tclass == 3,
	      "row 4: catch-all routine");
	CHECK(r != NULL && r[0].formats == COT_BITS && r[1].formats == COT_BITS &&
		      r[2].formats == COT_BITS && r[3].formats == 0,
	      "cot_type_prefix and qos_priority scope a row to CoT and TAK; a bare row: any");
	CHECK(p->class_dscp[0] == 40 && p->class_dscp[1] == 34 && p->class_dscp[2] == 18 &&
		      p->class_dscp[3] == 0,
	      "traffic_classes override two DSCPs, the rest keep defaults");
	pc_policy_free(p);
}

/* Object channels and the review block: values, defaults and the limits a file cannot show. */
static void
test_objects_review(void)
{
	static const char head[] =
		"version: 1\n"
		"nations: [USA, GBR]\n"
		"classifications: {NATO: {SECRET: SECRET}}\n"
		"destinations: {D: {members: [USA], max_classification: SECRET}}\n"
		"data_categories: [reports, imagery]\n"
		"category_hints:\n"
		"  object: {\"image/\": imagery, \"application/pdf\": reports}\n"
		"channels:\n"
		"  - name: pdfs\n"
		"    direction: high_to_low\n"
		"    format: object\n"
		"    destination: D\n"
		"    category: reports\n"
		"    ingress: {port: 0, address: 10.0.0.1, udp_port: 1}\n"
		"    egress: {port: 1, source_address: 10.1.0.1, address: 10.1.0.2, udp_port: 1,\n"
		"             next_hop_mac: \"02:00:00:00:00:02\"}\n"
		"    object: {types: [application/pdf], release: direct}\n"
		"  - name: all\n"
		"    direction: low_to_high\n"
		"    format: object\n"
		"    destination: D\n"
		"    category: reports\n"
		"    ingress: {port: 0, address: 10.0.0.1, udp_port: 2}\n"
		"    egress: {port: 1, source_address: 10.1.0.1, address: 10.1.0.2, udp_port: 2,\n"
		"             next_hop_mac: \"02:00:00:00:00:02\"}\n"
		"    object:\n"
		"      types: [image/png, text/plain, image/jpeg, application/pdf]\n"
		"      max_object: 67108864\n"
		"      release: review\n";
	char y[8192];
	size_t n;
	struct insp_err err;
	struct insp_policy *p;

	n = (size_t)snprintf(y, sizeof(y),
			     "%sreview:\n"
			     "  two_person_from: CONFIDENTIAL\n"
			     "  queue_max_items: 1\n"
			     "  queue_max_bytes: 1099511627776\n"
			     "  reviewers:\n"
			     "    - {uid: 4294967294, name: a.b_c-9}\n"
			     "    - {name: x, uid: 1}\n",
			     head);
	p = load_str(y, &err);
	CHECK(p != NULL, "object channels and a review block load");
	if (p == NULL) {
		printf("#   %s\n", err.msg);
		return;
	}
	CHECK(p->n_channels == 2 && p->channels[0].object_types == 1u << INSP_OBJ_PDF &&
		      p->channels[0].object_max == INSP_OBJECT_MAX_DEFAULT &&
		      p->channels[0].object_max == 1048576 &&
		      p->channels[0].object_release == INSP_OBJ_RELEASE_DIRECT,
	      "pdfs: PDF only, max_object default 1 MiB, release direct");
	CHECK(p->channels[1].object_types == 0x1e && p->channels[1].object_max == 64u << 20 &&
		      p->channels[1].object_release == INSP_OBJ_RELEASE_REVIEW,
	      "all: four types in any order, max_object 64 MiB (the largest), release review");
	CHECK(p->n_category_hints == 2 && p->category_hints[0].format == INSP_FORMAT_OBJECT &&
		      strcmp(p->category_hints[0].prefix, "image/") == 0 &&
		      p->category_hints[0].category == 1,
	      "category hints of format object key on the MIME type");
	CHECK(p->two_person_level == INSP_LEVEL_CONFIDENTIAL && p->review_max_items == 1 &&
		      p->review_max_bytes == UINT64_C(1) << 40 && p->n_reviewers == 2,
	      "review: level, bounds at their extremes, 2 reviewers");
	CHECK_STR(insp_policy_reviewer(p, 4294967294u), "a.b_c-9", "largest uid, every name char");
	CHECK_STR(insp_policy_reviewer(p, 1), "x", "keys in any order");
	pc_policy_free(p);

	/* 32 reviewers load, 33 do not */
	for (int extra = 0; extra < 2; extra++) {
		n = (size_t)snprintf(y, sizeof(y), "%sreview:\n  reviewers:\n", head);
		for (int i = 0; i < INSP_MAX_REVIEWERS + extra; i++)
			n += (size_t)snprintf(y + n, sizeof(y) - n, "    - {uid: %d, name: r%d}\n",
					      2000 + i, i);
		p = load_str(y, &err);
		if (extra == 0) {
			CHECK(p != NULL && p->n_reviewers == INSP_MAX_REVIEWERS &&
				      strcmp(insp_policy_reviewer(p, 2031), "r31") == 0,
			      "%d reviewers load", INSP_MAX_REVIEWERS);
		} else {
			CHECK(p == NULL, "%d reviewers are refused", INSP_MAX_REVIEWERS + 1);
			CHECK_STR(err.msg, "t.yaml:64:7: too many reviewers (at most 32)",
				  "too many reviewers: message at the 33rd");
		}
		pc_policy_free(p);
	}
}

static void
test_term_files_disk(const char *dir)
{
	struct test_io t = {.from_disk = 1};
	struct insp_err err;
	struct insp_policy *p;
	char path[4096], want[4200], got[256], *text;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/terms/policy.yaml", dir);
	text = test_read_file(path, &len);
	CHECK(text != NULL, "read %s", path);
	if (text == NULL)
		return;
	p = load_io(text, path, &t, &err);
	free(text);
	CHECK(p != NULL, "policy with term files loads");
	if (p == NULL) {
		printf("#   %s\n", err.msg);
		return;
	}
	CHECK(t.calls == 2, "two term files read");
	snprintf(want, sizeof(want), "%s/terms/regexes.txt", dir);
	CHECK_STR(t.last_path, want, "relative path joined to the policy's directory");

	CHECK(p->n_patterns == 7 && p->n_terms == 6 && p->n_markings == 1,
	      "1 inline term + 3 phrases + 2 regexes + 1 marking");
	CHECK(p->patterns[0].rule_id == 1 && p->patterns[1].rule_id == 1001 &&
		      p->patterns[2].rule_id == 1002 && p->patterns[3].rule_id == 1005 &&
		      p->patterns[4].rule_id == 2001 && p->patterns[5].rule_id == 2002 &&
		      p->patterns[6].rule_id == 9000,
	      "order: inline terms, term files, markings; id = first_id + line - 1");
	CHECK_STR(insp_pattern_expr(p, &p->patterns[1]), "operation nightfall",
		  "phrase line stored as its phrase");
	CHECK(p->patterns[1].literal == 1 && p->patterns[1].caseless == 1,
	      "phrase line compiled as a caseless literal");
	CHECK_STR(insp_pattern_expr(p, &p->patterns[4]), "\\bTK-[0-9]{4}-[A-Z]{2}\\b",
		  "regex line kept as written");
	CHECK(p->patterns[4].literal == 0 && p->patterns[4].caseless == 0,
	      "regex line compiled as a case-sensitive regex");
	CHECK(p->patterns[1].kind == INSP_PATTERN_TERM &&
		      p->patterns[1].action == INSP_ACTION_DROP && p->patterns[1].channels == 0 &&
		      p->patterns[1].line == 27,
	      "phrases: drop, every channel, line of their entry");
	CHECK(p->patterns[4].action == INSP_ACTION_REVIEW && p->patterns[4].channels == 2 &&
		      p->patterns[5].action == INSP_ACTION_REVIEW && p->patterns[4].line == 28,
	      "regexes: review, channel cot-b");
	scan_ids(p,
		 "Operation  Nightfall near TK-1234-AB, tk-9999-zz; C++ review of KEYMAT "
		 "deadbeef0",
		 got, sizeof(got));
	CHECK_STR(got, "1001 1005 2001", "scan: caseless phrases, case-sensitive regexes");
	pc_policy_free(p);
}

/* Is a policy naming a term file refused when its io has no read_file? */
static int
io_without_reader_refused(const char *yaml)
{
	const struct pc_io none = {.read_file = NULL, .ctx = NULL};
	struct insp_err err;
	struct insp_policy *p = pc_policy_load_ex(yaml, strlen(yaml), "p.yaml", &none, &err);
	int ok = p == NULL && strstr(err.msg, "need a reader") != NULL;

	pc_policy_free(p);
	return ok;
}

static void
test_term_files_mem(void)
{
	static const char head[] = "version: 1\n"
				   "nations: [USA]\n"
				   "classifications: {NATO: {SECRET: SECRET}}\n";
	static const struct mem_file files[] = {
		{"conf/sub/edge.txt",
		 "\xef\xbb\xbf"
		 "alpha one \r\n\r\n   \n#c\nbeta\ttwo\t \r\ngamma",
		 1700000000},
		{"/abs/x.txt", "xray\n", 1600000000},
		{"x.txt", "xylophone\n", 0},
		{"comments.txt", "# nothing\n\n", 0},
		{"a.txt", "a1\na2\na3\n", 0},
		{"b.txt", "b1\n", 0},
		{"ctl.txt", "fine\nbad\x01word\n", 0},
		{"utf.txt", "ca\xc3\x28 de\n", 0},
		{"big.txt", "last\nover\n", 0},
		{"anchor.txt", "ok\n\\Afoo\n", 0},
		{"badre.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\nfoo(bar\n", 0},
		{"lead.txt", "  spaced\n#x\n", 0},
		{NULL, NULL, 0},
	};
	struct test_io t = {.files = files};
	struct insp_err err;
	struct insp_policy *p;
	char y[4096], longline[1100 + 2];

	/* Trimming, BOM, blank and comment lines, a last line without '\n'; paths. */
	snprintf(y, sizeof(y),
		 "%sprohibited_term_files:\n"
		 "  - {path: edge.txt, first_id: 10}\n"
		 "  - {path: /abs/x.txt, first_id: 20}\n"
		 "  - {path: comments.txt, first_id: 30}\n",
		 head);
	t.files = files;
	p = load_io(y, "conf/sub/p.yaml", &t, &err);
	CHECK(p == NULL, "/abs/x.txt read as absolute, edge.txt relative: comments.txt missing");
	pc_policy_free(p);
	CHECK_STR(err.msg,
		  "conf/sub/p.yaml:7:12: cannot read term file 'conf/sub/comments.txt': no such "
		  "test file",
		  "reader failure names the joined path");
	snprintf(y, sizeof(y),
		 "%sprohibited_term_files:\n"
		 "  - {path: edge.txt, first_id: 10}\n"
		 "  - {path: /abs/x.txt, first_id: 20, caseless: false}\n",
		 head);
	/* The image's date is the newest input's mtime as the reader reports it. */
	{
		const char *env = getenv("SOURCE_DATE_EPOCH");
		char saved[64];

		snprintf(saved, sizeof(saved), "%s", env != NULL ? env : "");
		unsetenv("SOURCE_DATE_EPOCH");
		p = load_io(y, "conf/sub/p.yaml", &t, &err);
		if (env != NULL)
			setenv("SOURCE_DATE_EPOCH", saved, 1);
	}
	CHECK(p != NULL && p->n_terms == 4, "edge cases load: 4 terms");
	if (p != NULL) {
		const struct rs_image_header *hdr = rs_ruleset_of(p)->hdr;

		CHECK(hdr != NULL && hdr->n_inputs == 3 && hdr->created == 1700000000,
		      "image records 3 inputs, dated by the newest term file's mtime (%lld)",
		      hdr != NULL ? (long long)hdr->created : -1LL);
		CHECK(p->patterns[0].rule_id == 10 &&
			      strcmp(insp_pattern_expr(p, &p->patterns[0]), "alpha one") == 0,
		      "BOM dropped, trailing blank and CR trimmed");
		CHECK(p->patterns[1].rule_id == 14 &&
			      strcmp(insp_pattern_expr(p, &p->patterns[1]), "beta two") == 0,
		      "blank, blank-looking and comment lines count as lines; tab made one space");
		CHECK(p->patterns[2].rule_id == 15, "last line without a newline");
		CHECK(p->patterns[3].rule_id == 20, "absolute path");
	}
	pc_policy_free(p);

	snprintf(y, sizeof(y), "%sprohibited_term_files: [{path: x.txt, first_id: 1}]\n", head);
	p = load_io(y, "p.yaml", &t, &err);
	CHECK(p != NULL && strcmp(t.last_path, "x.txt") == 0, "policy name without directory");
	pc_policy_free(p);

	snprintf(y, sizeof(y), "%sprohibited_term_files: [{path: comments.txt, first_id: 1}]\n",
		 head);
	p = load_io(y, "p.yaml", &t, &err);
	CHECK(p != NULL && p->n_patterns == 0 && insp_matcher_empty(&p->matcher),
	      "a term file with only comments adds nothing");
	pc_policy_free(p);

	snprintf(y, sizeof(y),
		 "%sprohibited_term_files: [{path: lead.txt, first_id: 1, regex: true}]\n", head);
	p = load_io(y, "p.yaml", &t, &err);
	CHECK(p != NULL && p->patterns[0].literal == 0 &&
		      strcmp(insp_pattern_expr(p, &p->patterns[0]), "  spaced") == 0,
	      "leading blanks are part of a regex");
	pc_policy_free(p);

	/* Errors inside term files: TERMFILE:LINE:1. */
	snprintf(y, sizeof(y),
		 "%sprohibited_term_files: [{path: badre.txt, first_id: 1, regex: true}]\n", head);
	p = load_io(y, "p.yaml", &t, &err);
	CHECK(p == NULL, "bad regex on line 17 refused");
	pc_policy_free(p);
	CHECK_STR(err.msg,
		  "badre.txt:17:1: regex rejected by Hyperscan: Missing close parenthesis for "
		  "group started at index 3.",
		  "Hyperscan error at TERMFILE:LINE");
	CHECK(err.line == 17 && err.column == 1, "err.line and err.column of a term file");

	snprintf(y, sizeof(y),
		 "%sprohibited_terms:\n"
		 "  - {id: 102, literal: x}\n"
		 "prohibited_term_files:\n"
		 "  - {path: a.txt, first_id: 100}\n",
		 head);
	expect_io_err(y, &t, "a.txt:3:1: id 102 used twice (first at p.yaml:5:10)",
		      "collision with the policy file");

	snprintf(y, sizeof(y),
		 "%sprohibited_term_files:\n"
		 "  - {path: a.txt, first_id: 100}\n"
		 "  - {path: b.txt, first_id: 102}\n",
		 head);
	expect_io_err(y, &t, "b.txt:1:1: id 102 used twice (first at a.txt:3:1)",
		      "collision between two term files");

	snprintf(y, sizeof(y),
		 "%sprohibited_term_files:\n"
		 "  - {path: a.txt, first_id: 100}\n"
		 "markings: [{id: 101, literal: m, classification: SECRET}]\n",
		 head);
	expect_io_err(y, &t, "p.yaml:6:17: id 101 used twice (first at a.txt:2:1)",
		      "marking colliding with a term file");

	snprintf(y, sizeof(y), "%sprohibited_term_files: [{path: ctl.txt, first_id: 1}]\n", head);
	expect_io_err(y, &t, "ctl.txt:2:1: literal contains control character 0x01",
		      "control character");

	snprintf(y, sizeof(y), "%sprohibited_term_files: [{path: utf.txt, first_id: 1}]\n", head);
	expect_io_err(y, &t, "utf.txt:1:1: literal is not valid UTF-8 (at byte 3)", "bad UTF-8");

	snprintf(y, sizeof(y), "%sprohibited_term_files: [{path: big.txt, first_id: 4294967295}]\n",
		 head);
	expect_io_err(y, &t,
		      "big.txt:2:1: id 4294967296 (first_id 4294967295 + line 2 - 1) is above "
		      "4294967295",
		      "id past 32 bits");

	snprintf(y, sizeof(y),
		 "%sprohibited_term_files: [{path: anchor.txt, first_id: 1, regex: true}]\n", head);
	expect_io_err(
		y, &t,
		"anchor.txt:2:1: regex uses \\A, \\z or \\Z: each attribute value and text node "
		"is scanned on its own, write ^ and $ instead",
		"buffer anchor in a term file");

	memset(longline, 'w', 1025);
	strcpy(longline + 1025, "\n");
	{
		const struct mem_file lf[] = {{"long.txt", longline, 0}, {NULL, NULL, 0}};
		struct test_io t2 = {.files = lf};

		snprintf(y, sizeof(y), "%sprohibited_term_files: [{path: long.txt, first_id: 1}]\n",
			 head);
		expect_io_err(y, &t2, "long.txt:1:1: literal is 1025 bytes long (at most 1024)",
			      "literal too long");
	}

	/* No reader: pc_policy_load(), or an io without read_file. */
	snprintf(y, sizeof(y), "%sprohibited_term_files: [{path: x.txt, first_id: 1}]\n", head);
	p = pc_policy_load(y, strlen(y), "p.yaml", &err);
	CHECK(p == NULL, "pc_policy_load() refuses term files");
	pc_policy_free(p);
	CHECK_STR(err.msg, "p.yaml:4:32: term files need a reader (use guardctl/guardd)",
		  "no reader");
	{
		/* in a child: a compiler that calls the missing reader must not end the run */
		int st = 0;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0)
			_exit(io_without_reader_refused(y) ? 0 : 1);
		CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
			      WEXITSTATUS(st) == 0,
		      "io without reader refused with 'need a reader' (%s %d)",
		      WIFSIGNALED(st) ? "killed by signal" : "exit status",
		      WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
	p = pc_policy_load_ex(minimal, strlen(minimal), "m.yaml", NULL, &err);
	CHECK(p != NULL, "pc_policy_load_ex() without io loads a policy without term files");
	pc_policy_free(p);
}

/*
 * Generated term files of 10,000 lines each: ids from line numbers, one compile, the scan
 * finds the right ones. The same phrases three times: as case-sensitive regexes (Hyperscan
 * compiles 10,000 of these simple ones in well under a second), as case-sensitive literals
 * and as caseless literals (the literal database: about 40 us per phrase, where the
 * whole-word regex a literal used to be cost 2 ms).
 */
static void
test_term_files_large(void)
{
	static const char yaml[] =
		"version: 1\n"
		"nations: [USA]\n"
		"classifications: {NATO: {SECRET: SECRET}}\n"
		"prohibited_terms: [{id: 1, literal: \"blue sentinel\"}]\n"
		"prohibited_term_files:\n"
		"  - {path: gen.txt, first_id: 100000, regex: true, caseless: false}\n"
		"  - {path: gen-cs.txt, first_id: 200000, caseless: false}\n"
		"  - {path: gen-ci.txt, first_id: 300000}\n"
		"markings: [{id: 2, literal: NOFORN, releasable_to: [USA]}]\n";
	struct test_io t = {.gen_terms = 10000};
	const struct pc_io io = {.read_file = test_read, .ctx = &t};
	struct pc_image img;
	struct insp_err err;
	struct insp_policy *p;
	char got[128];
	int rc;

	rc = pc_compile(yaml, strlen(yaml), "gen-policy.yaml", &io, NULL, &img, &err);
	CHECK(rc == 0, "three 10,000-term files compile");
	if (rc != 0) {
		printf("#   %s\n", err.msg);
		return;
	}
	printf("# 30,000 terms: Hyperscan %.2f s, the rest %.2f s; databases %zu + %zu bytes\n",
	       img.hs_seconds, img.parse_seconds, img.regex_db_bytes, img.literal_db_bytes);
	/* a case-sensitive literal has a (caseless) skeleton-form twin, see insp_policy.h */
	CHECK(img.n_regexes == 10000 && img.n_literals == 30002,
	      "10,000 regexes, 30,002 literals (%u, %u)", img.n_regexes, img.n_literals);
	CHECK(img.regex_db_bytes > 0 && img.literal_db_bytes > 0 && img.hs_seconds > 0 &&
		      img.parse_seconds > 0 && img.len > img.regex_db_bytes + img.literal_db_bytes,
	      "both databases, their sizes and times reported; the image holds them");
	p = pc_policy_from_image(img.bytes, img.len, "gen-policy.yaml", &err, NULL);
	pc_image_free(&img);
	CHECK(p != NULL, "the image opens");
	if (p == NULL) {
		printf("#   %s\n", err.msg);
		return;
	}
	CHECK(p->n_terms == 30001 && p->n_markings == 1 && p->n_patterns == 40002, "n_terms");
	CHECK(p->patterns[1].rule_id == 100001 && p->patterns[10000].rule_id == 110000 &&
		      p->patterns[10001].rule_id == 200001 && p->patterns[30000].rule_id == 310000,
	      "ids from line numbers (line 1 is a comment)");
	CHECK(p->patterns[1].literal == 0 && p->patterns[10001].literal == 1 &&
		      p->patterns[10001].caseless == 0 && p->patterns[20001].literal == 1 &&
		      p->patterns[20001].caseless == 1,
	      "regex lines, then case-sensitive and caseless literals");
	scan_ids(p, "see gen04242 phrase, gen09999 phrase; not Gen00001 PHRASE", got, sizeof(got));
	CHECK_STR(got, "104243 110000 204243 210000 300002 304243 310000",
		  "scan finds generated terms, caseless only where asked");
	scan_ids(p, "gen04242phrase xgen04242 phrase gen04242 phrases gen0424 phrase", got,
		 sizeof(got));
	CHECK_STR(got, "104243",
		  "partial and glued phrases are not found (the regexes have no boundaries)");
	pc_policy_free(p);

	/* A duplicate deep inside is found by the sort, reported at its line. */
	{
		static const char dup[] =
			"version: 1\n"
			"nations: [USA]\n"
			"classifications: {NATO: {SECRET: SECRET}}\n"
			"prohibited_terms: [{id: 105000, literal: x}]\n"
			"prohibited_term_files: [{path: gen.txt, first_id: 100000}]\n";

		p = load_io(dup, "gen-policy.yaml", &t, &err);
		CHECK(p == NULL, "collision among 10,000 terms refused");
		pc_policy_free(p);
		CHECK_STR(err.msg,
			  "gen.txt:5001:1: id 105000 used twice (first at gen-policy.yaml:4:25)",
			  "collision message");
	}
}

/* ---- priority rows by format, the DSCP override, egress links ---- */

/* A channel of @p format, ingress 239.2.3.@p n, leaving on @p port; @p extra ends its egress. */
static size_t
add_channel(char *y, size_t cap, const char *name, const char *format, int n, int port,
	    const char *extra)
{
	return (size_t)snprintf(
		y, cap,
		"  - {name: %s, direction: high_to_low, format: %s, destination: D,\n"
		"     ingress: {port: 0, address: 239.2.3.%d, udp_port: 6969},\n"
		"     egress: {port: %d, source_address: 10.0.0.1, address: 10.0.0.2, udp_port: "
		"1,\n"
		"              next_hop_mac: \"02:00:00:00:00:02\"%s}%s}\n",
		name, format, n, port, extra,
		strcmp(format, "object") == 0 ? ", object: {types: [text/plain]}" : "");
}

/* The header and six channels: cot, tak-mesh, tak-stream, labelled-xml, adatp3, object. */
static size_t
six_channels(char *y, size_t cap, const char *cot_extra)
{
	size_t n =
		(size_t)snprintf(y, cap,
				 "version: 1\n"
				 "nations: [USA]\n"
				 "classifications: {NATO: {SECRET: SECRET}}\n"
				 "destinations: {D: {members: [USA], max_classification: SECRET}}\n"
				 "channels:\n");

	n += add_channel(y + n, cap - n, "c-cot", "cot", 1, 1, cot_extra);
	n += add_channel(y + n, cap - n, "c-mesh", "tak-mesh", 2, 1, "");
	n += add_channel(y + n, cap - n, "c-stream", "tak-stream", 3, 1, "");
	n += add_channel(y + n, cap - n, "c-lxml", "labelled-xml", 4, 2, "");
	n += add_channel(y + n, cap - n, "c-adatp3", "adatp3", 5, 2, "");
	n += add_channel(y + n, cap - n, "c-obj", "object", 6, 3, "");
	return n;
}

static void
test_priority_formats(void)
{
	char y[8192];
	size_t n = six_channels(y, sizeof(y), ", dscp: 10");
	struct insp_err err;
	struct insp_policy *p;
	const struct insp_priority_rule *r;

	snprintf(y + n, sizeof(y) - n,
		 "priorities:\n"
		 "  - {format: adatp3, type_prefix: OPREP-3 PINNACLE, class: flash}\n"
		 "  - {format: [labelled-xml, adatp3], class: immediate}\n"
		 "  - {format: [tak-mesh], cot_type_prefix: a-h, class: 1}\n"
		 "  - {format: [tak-stream, cot], qos_priority: 9, class: flash}\n"
		 "  - {channel: c-lxml, class: priority}\n"
		 "  - {channel: c-mesh, format: tak-mesh, type_prefix: b-t-f, class: 2}\n"
		 "  - {channel: c-cot, cot_type_prefix: a-f, class: priority}\n"
		 "  - {format: cot, type_prefix: b-a-o, class: flash}\n"
		 "  - {class: routine}\n");
	p = load_str(y, &err);
	CHECK(p != NULL, "priority rows with formats load (%s)", p ? "ok" : err.msg);
	if (p == NULL)
		return;
	r = p->priorities;
	CHECK(p->n_priorities == 9, "9 rows");
	if (p->n_priorities != 9)
		goto out;
	CHECK(r[0].formats == 1u << INSP_FORMAT_ADATP3 &&
		      strcmp(r[0].type_prefix, "OPREP-3 PINNACLE") == 0 &&
		      r[0].type_prefix_len == 16 && r[0].qos_priority == -1 && r[0].channel == -1,
	      "row 1: format adatp3, prefix with a space");
	CHECK(r[1].formats == (1u << INSP_FORMAT_LABELLED_XML | 1u << INSP_FORMAT_ADATP3) &&
		      r[1].type_prefix_len == 0 && r[1].tclass == 1,
	      "row 2: a list of formats, no prefix");
	CHECK(r[2].formats == 1u << INSP_FORMAT_TAK_MESH && strcmp(r[2].type_prefix, "a-h") == 0,
	      "row 3: cot_type_prefix with a format that is one of CoT's: that format only");
	CHECK(r[3].formats == (1u << INSP_FORMAT_COT | 1u << INSP_FORMAT_TAK_STREAM) &&
		      r[3].qos_priority == 9,
	      "row 4: qos_priority with CoT formats given");
	CHECK(r[4].formats == 0 && r[4].channel == 3 && r[4].tclass == 2,
	      "row 5: a channel only: no format restriction");
	CHECK(r[5].formats == 1u << INSP_FORMAT_TAK_MESH && r[5].channel == 1,
	      "row 6: channel and its own format");
	CHECK(r[6].formats == COT_BITS && r[6].channel == 0,
	      "row 7: cot_type_prefix on a cot channel");
	CHECK(r[7].formats == 1u << INSP_FORMAT_COT, "row 8: type_prefix for cot alone");
	CHECK(r[8].formats == 0 && r[8].channel == -1 && r[8].tclass == 3,
	      "row 9: catch-all, every format");

	/* the channel DSCP override: only where a channel gives 'dscp' */
	CHECK(p->channels[0].egress.has_dscp == 1 && p->channels[0].egress.dscp == 10,
	      "c-cot gives dscp 10");
	CHECK(insp_egress_dscp(p, &p->channels[0], 0) == 10 &&
		      insp_egress_dscp(p, &p->channels[0], 3) == 10,
	      "c-cot's dscp replaces every class's");
	CHECK(p->channels[1].egress.has_dscp == 0 &&
		      insp_egress_dscp(p, &p->channels[1], 0) == 46 &&
		      insp_egress_dscp(p, &p->channels[1], 1) == 34 &&
		      insp_egress_dscp(p, &p->channels[1], 2) == 18 &&
		      insp_egress_dscp(p, &p->channels[1], 3) == 8,
	      "c-mesh: the class DSCPs (EF, AF41, AF21, CS1)");
out:
	pc_policy_free(p);
}

/* Load six_channels() plus @p egress; the link of port 1, or NULL with @p err set. */
static struct insp_policy *
load_egress(const char *egress, struct insp_err *err)
{
	char y[8192];
	size_t n = six_channels(y, sizeof(y), "");

	snprintf(y + n, sizeof(y) - n, "egress:\n%s", egress);
	return load_str(y, err);
}

static void
test_egress_links(void)
{
	static const struct {
		const char *rate;
		uint64_t bps; /* 0: line; UINT64_MAX: refused */
	} rates[] = {
		{"line", INSP_EGRESS_RATE_LINE},
		{"100000", 100000},
		{"100kbit", 100000},
		{"500kbit", 500000},
		{"0.5Mbit", 500000},
		{"2.048Mbit", 2048000},
		{"1.544Mbit", 1544000},
		{"10Mbit", 10000000},
		{"1.5Gbit", 1500000000},
		{"400Gbit", 400000000000ull},
		{"400000000000", 400000000000ull},
		{"400.000000000Gbit", 400000000000ull},
		{"99999", UINT64_MAX},
		{"99.999kbit", UINT64_MAX},
		{"400000000001", UINT64_MAX},
		{"0", UINT64_MAX},
		{"0kbit", UINT64_MAX},
		{"1.5kbit", UINT64_MAX},
		{"123456789012345678Gbit", UINT64_MAX},
		{"1.2345Mbit", 1234500},
		{"1.0000001Mbit", UINT64_MAX},
		{"500 kbit", UINT64_MAX},
		{"500kb", UINT64_MAX},
		{"500KBIT", UINT64_MAX},
		{"5.kbit", UINT64_MAX},
		{".5Mbit", UINT64_MAX},
		{"-500kbit", UINT64_MAX},
		{"Line", UINT64_MAX},
	};
	struct insp_err err;
	struct insp_policy *p;
	const struct insp_egress_link *l;
	char e[256];

	p = load_egress("  - {port: 2, rate: 500kbit}\n"
			"  - port: 1\n"
			"    rate: 2.048Mbit\n"
			"    burst: 20000\n"
			"    frame_overhead: 0\n"
			"    queues: {routine: 4096, flash: 1}\n",
			&err);
	CHECK(p != NULL, "two egress links load (%s)", p ? "ok" : err.msg);
	if (p != NULL) {
		CHECK(p->n_egress_links == 2 && p->egress_links[0].port == 2 &&
			      p->egress_links[1].port == 1,
		      "links in policy order");
		l = insp_policy_egress_link(p, 2);
		CHECK(l != NULL && l->rate_bps == 500000 &&
			      l->frame_overhead == INSP_EGRESS_OVERHEAD_DEFAULT &&
			      l->burst_bytes == 2 * (1514 + INSP_EGRESS_OVERHEAD_DEFAULT),
		      "port 2: 500 kbit/s, default overhead and burst");
		for (int t = 0; l != NULL && t < INSP_TCLASS_COUNT; t++)
			CHECK(l->queue_max[t] == INSP_EGRESS_QUEUE_DEFAULT,
			      "port 2: class %d queue default", t);
		l = insp_policy_egress_link(p, 1);
		CHECK(l != NULL && l->rate_bps == 2048000 && l->frame_overhead == 0 &&
			      l->burst_bytes == 20000,
		      "port 1: 2.048 Mbit/s, overhead 0, burst 20000");
		CHECK(l != NULL && l->queue_max[0] == 1 && l->queue_max[1] == 256 &&
			      l->queue_max[2] == 256 && l->queue_max[3] == 4096,
		      "port 1: queues given and defaulted");
		CHECK(insp_policy_egress_link(p, 3) == NULL, "port 3 (objects): not listed");
		pc_policy_free(p);
	}
	/* the default burst follows frame_overhead */
	p = load_egress("  - {port: 1, rate: line, frame_overhead: 64}\n", &err);
	CHECK(p != NULL && p->egress_links[0].burst_bytes == 2 * (1514 + 64),
	      "burst default: two frames of 1514 bytes plus the overhead");
	pc_policy_free(p);
	/* bounds */
	p = load_egress("  - {port: 1, rate: line, burst: 1600, frame_overhead: 64,\n"
			"     queues: {flash: 4096, immediate: 1, priority: 1, routine: 1}}\n"
			"  - {port: 2, rate: line, burst: 16777216, frame_overhead: 0}\n",
			&err);
	CHECK(p != NULL && p->egress_links[0].burst_bytes == INSP_EGRESS_BURST_MIN &&
		      p->egress_links[1].burst_bytes == INSP_EGRESS_BURST_MAX,
	      "burst 1600 and 16 MiB, overhead 0 and 64, queues 1 and 4096 (%s)",
	      p ? "ok" : err.msg);
	pc_policy_free(p);

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		uint64_t want = rates[i].bps;

		snprintf(e, sizeof(e), "  - {port: 1, rate: %s}\n", rates[i].rate);
		p = load_egress(e, &err);
		if (want == UINT64_MAX)
			CHECK(p == NULL && strstr(err.msg, "'rate' in egress port 1") != NULL,
			      "rate '%s' refused (%s)", rates[i].rate, p ? "loaded" : err.msg);
		else
			CHECK(p != NULL && p->egress_links[0].rate_bps == want,
			      "rate '%s' is %llu bit/s (%s)", rates[i].rate,
			      (unsigned long long)want, p ? "ok" : err.msg);
		pc_policy_free(p);
	}

	/* the messages that name something the corpus files cannot: the object channel's port */
	p = load_egress("  - {port: 4, rate: line}\n", &err);
	CHECK(p == NULL && strstr(err.msg, "egress port 4 is not any channel's egress port "
					   "(channels send on: 1, 2, 3)") != NULL,
	      "unused port: lists each port once (%s)", err.msg);
	pc_policy_free(p);
	p = load_egress("  - {port: 3, rate: 500kbit}\n", &err);
	CHECK(p != NULL, "a link for the port of an object channel is fine (%s)",
	      p ? "ok" : err.msg);
	pc_policy_free(p);
	p = load_egress("  []\n", &err);
	CHECK(p != NULL && p->n_egress_links == 0, "an empty 'egress' (%s)", p ? "ok" : err.msg);
	pc_policy_free(p);
}

int
main(int argc, char **argv)
{
	char sample[4096];

	if (argc < 2) {
		fprintf(stderr, "usage: %s DATA_DIR [SAMPLE_POLICY]\n", argv[0]);
		return 2;
	}
	if (argc > 2)
		snprintf(sample, sizeof(sample), "%s", argv[2]);
	else
		snprintf(sample, sizeof(sample), "%s/../../../rules/sample-policy.yaml", argv[1]);

	test_bad_corpus(argv[1]);
	test_sample(sample);
	test_defaults();
	test_sections();
	test_limits();
	test_api_edges();
	test_new_defaults();
	test_new_sections();
	test_objects_review();
	test_priority_formats();
	test_egress_links();
	test_term_files_disk(argv[1]);
	test_term_files_mem();
	test_term_files_large();
	return test_done();
}
