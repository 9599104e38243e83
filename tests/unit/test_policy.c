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

#include "insp_match.h"
#include "insp_policy.h"
#include "insp_policy_load.h"
#include "test.h"

#define EXPECT_TAG "# expect: "

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf != NULL) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

static struct insp_policy *
load_str(const char *yaml, struct insp_err *err)
{
	return insp_policy_load(yaml, strlen(yaml), "t.yaml", err);
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
		text = read_file(path, &len);
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
		p = insp_policy_load(text, len, name, &err);
		CHECK(p == NULL, "%s is refused", name);
		insp_policy_free(p);
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

static const char sample_text[] =
	"<event><detail><remarks>Blue\n  Sentinel moved. NOFORN. ref TK-1234-AB, "
	"FVEY EYES ONLY</remarks></detail></event>";

static void
test_sample(const char *path)
{
	struct insp_err err;
	struct insp_policy *p;
	const struct insp_class_policy *cp;
	const struct insp_channel *ch;
	struct insp_ipaddr a = {.version = 4};
	struct insp_match_scratch *s;
	struct insp_hits hits = {0};
	uint64_t fvey;
	size_t len = 0;
	char *text = read_file(path, &len);
	uint32_t i;

	CHECK(text != NULL, "read %s", path);
	if (text == NULL)
		return;
	p = insp_policy_load(text, len, "sample-policy.yaml", &err);
	free(text);
	CHECK(p != NULL, "sample policy loads");
	if (p == NULL) {
		printf("#   %s\n", err.msg);
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
	CHECK(p->n_groups == 2, "2 groups");
	CHECK(insp_policy_expand_code(p, "FVEY", 4) == fvey, "FVEY expands");
	CHECK(insp_policy_expand_code(p, "fvey", 4) == fvey, "expansion is case-insensitive");
	CHECK(insp_policy_expand_code(p, "nzl", 3) == bits(p, "NZL"), "nation code expands");
	CHECK(insp_policy_expand_code(p, "NATO", 4) ==
		      bits(p, "USA GBR FRA DEU POL NLD ITA CAN NOR ESP"),
	      "NATO group");
	CHECK(insp_policy_expand_code(p, "EU", 2) == 0, "unknown code grants nothing");
	CHECK(insp_policy_expand_code(p, "FVE", 3) == 0, "no prefix match on groups");

	CHECK(p->n_class_policies == 5, "5 classification tables");
	cp = insp_policy_class_policy(p, "NATO", 4);
	CHECK(cp != NULL && insp_policy_class_level(cp, "COSMIC TOP SECRET", 17, 1) ==
				    INSP_LEVEL_TOP_SECRET,
	      "NATO COSMIC TOP SECRET");
	cp = insp_policy_class_policy(p, "gbr", 3);
	CHECK(cp != NULL && strcmp(cp->id, "GBR") == 0, "table lookup is case-insensitive");
	CHECK(insp_policy_class_level(cp, "OFFICIAL-SENSITIVE", 18, 1) == INSP_LEVEL_RESTRICTED,
	      "GBR OFFICIAL-SENSITIVE exact");
	CHECK(insp_policy_class_level(cp, "official-sensitive", 18, 1) == -1,
	      "exact_case refuses other case");
	CHECK(insp_policy_class_level(cp, "official-sensitive", 18, 0) == INSP_LEVEL_RESTRICTED,
	      "case-insensitive lookup");
	CHECK(insp_policy_class_level(cp, "OFFICIAL", 8, 1) == INSP_LEVEL_UNCLASSIFIED,
	      "OFFICIAL is not OFFICIAL-SENSITIVE");
	CHECK(insp_policy_class_level(cp, "CONFIDENTIAL", 12, 0) == -1, "GBR has no CONFIDENTIAL");
	cp = insp_policy_class_policy(p, "DEU", 3);
	CHECK(insp_policy_class_level(cp, "VS-NUR FUER DEN DIENSTGEBRAUCH", 30, 1) ==
		      INSP_LEVEL_RESTRICTED,
	      "DEU name with spaces");
	CHECK(insp_policy_class_policy(p, "ESP", 3) == NULL, "no ESP table");
	CHECK(insp_policy_class_level(NULL, "SECRET", 6, 0) == -1, "NULL table");

	CHECK(p->n_destinations == 2, "2 destinations");
	CHECK_STR(p->destinations[0].name, "MN", "destination 0");
	CHECK(p->destinations[0].members == bits(p, "USA GBR FRA DEU POL NLD ITA CAN"),
	      "MN members");
	CHECK(p->destinations[0].max_level == INSP_LEVEL_SECRET, "MN max SECRET");
	CHECK(p->destinations[1].members == fvey && p->destinations[1].n_held == 1, "FVEY");
	CHECK_STR(p->destinations[1].held[0], "Additional Sensitivity:AUSCANNZUKUS", "held");
	CHECK(insp_policy_dest_holds(&p->destinations[1], "Additional Sensitivity", 22,
				     "AUSCANNZUKUS", 12) == 1,
	      "FVEY holds AUSCANNZUKUS");
	CHECK(insp_policy_dest_holds(&p->destinations[1], "additional sensitivity", 22,
				     "auscannzukus", 12) == 1,
	      "holds compares ignoring case");
	CHECK(insp_policy_dest_holds(&p->destinations[1], "Additional Sensitivity", 22, "ATOMAL",
				     6) == 0,
	      "FVEY does not hold ATOMAL");
	CHECK(insp_policy_dest_holds(&p->destinations[1], "Additional", 10, "AUSCANNZUKUS", 12) ==
		      0,
	      "tag must match whole");
	CHECK(insp_policy_dest_holds(&p->destinations[1], "Additional Sensitivity", 22, "AUSCAN",
				     6) == 0,
	      "value must match whole");
	CHECK(insp_policy_dest_holds(&p->destinations[0], "Additional Sensitivity", 22,
				     "AUSCANNZUKUS", 12) == 0,
	      "MN holds nothing");

	CHECK(p->n_channels == 3, "3 channels");
	ch = &p->channels[0];
	CHECK_STR(ch->name, "cot-mn", "channel 0 name");
	CHECK(ch->direction == INSP_DIR_HIGH_TO_LOW && ch->format == INSP_FORMAT_COT &&
		      ch->destination == 0 && ch->max_size == 1500,
	      "channel 0 basics");
	CHECK(ch->ingress.port == 0 && ch->ingress.udp_port == 6969 &&
		      ch->ingress.dst.version == 4 &&
		      memcmp(ch->ingress.dst.a, "\xef\x02\x03\x01", 4) == 0,
	      "channel 0 ingress 239.2.3.1:6969");
	CHECK(ch->egress.port == 1 && ch->egress.ttl == 32 && ch->egress.dscp == 18 &&
		      ch->egress.src_udp_port == 6969 && ch->egress.dst_udp_port == 6969 &&
		      ch->egress.has_src_mac == 0,
	      "channel 0 egress");
	CHECK(memcmp(ch->egress.dst_mac, "\x01\x00\x5e\x0a\x03\x01", 6) == 0, "next hop MAC");
	CHECK(memcmp(ch->egress.src.a, "\xcb\x00\x71\x0a", 4) == 0 &&
		      memcmp(ch->egress.dst.a, "\xef\x0a\x03\x01", 4) == 0,
	      "egress addresses");
	CHECK(p->channels[1].destination == 1, "cot-fvey goes to FVEY");
	CHECK(p->channels[2].ingress.dst.version == 6 && p->channels[2].egress.src.version == 6,
	      "cot-mn-v6 is IPv6");

	CHECK(inet_pton(AF_INET, "239.2.3.2", a.a) == 1, "pton");
	CHECK(insp_policy_channel_lookup(p, 0, &a, 6969) == 1, "lookup 239.2.3.2:6969 port 0");
	CHECK(insp_policy_channel_lookup(p, 1, &a, 6969) == -1, "wrong DPDK port");
	CHECK(insp_policy_channel_lookup(p, 0, &a, 6970) == -1, "wrong UDP port");
	a.version = 6;
	CHECK(insp_policy_channel_lookup(p, 0, &a, 6969) == -1, "IP version is part of the key");
	CHECK(inet_pton(AF_INET6, "ff05::2:3:1", a.a) == 1, "pton6");
	CHECK(insp_policy_channel_lookup(p, 0, &a, 6969) == 2, "lookup [ff05::2:3:1]:6969");
	CHECK(insp_policy_channel_lookup(p, 0, NULL, 6969) == -1, "NULL address");

	CHECK(p->n_patterns == 41 && p->n_terms == 22 && p->n_markings == 19, "41 patterns");
	CHECK(p->patterns[0].rule_id == 1001 && p->patterns[0].kind == INSP_PATTERN_TERM &&
		      p->patterns[0].level == INSP_LEVEL_NONE && p->patterns[0].restrict_to == 0 &&
		      p->patterns[0].line == 114,
	      "pattern 0 is term 1001 at line 114");
	CHECK_STR(p->patterns[1].expr, "(?:^|[^0-9A-Z_a-z])blue\\s+sentinel(?:[^0-9A-Z_a-z]|$)",
		  "literal compiled as whole words");
	CHECK(p->patterns[20].rule_id == 1101 && p->patterns[20].line == 134, "term 1101");
	CHECK_STR(p->patterns[20].expr, "\\bTK-[0-9]{4}-[A-Z]{2}\\b", "regex kept as written");
	CHECK(p->patterns[22].rule_id == 2001 && p->patterns[22].kind == INSP_PATTERN_MARKING &&
		      p->patterns[22].level == INSP_LEVEL_RESTRICTED &&
		      p->patterns[22].restrict_to == 0 && p->patterns[22].line == 141,
	      "marking 2001");
	CHECK(p->patterns[40].rule_id == 2105 && p->patterns[40].level == INSP_LEVEL_NONE &&
		      p->patterns[40].restrict_to == fvey,
	      "marking 2105 FVEY EYES ONLY restricts to FVEY nations");
	CHECK(p->matcher != NULL && p->compile_seconds >= 0, "matcher built");

	s = insp_match_scratch_create(p->matcher);
	CHECK(s != NULL, "scratch");
	CHECK(insp_matcher_scan(p->matcher, s, (const uint8_t *)sample_text, strlen(sample_text),
				&hits) == 0,
	      "scan");
	{
		int got_1002 = 0, got_1101 = 0, got_2101 = 0, got_2105 = 0;

		for (i = 0; i < hits.n; i++) {
			uint32_t id = p->patterns[hits.id[i]].rule_id;

			got_1002 += id == 1002;
			got_1101 += id == 1101;
			got_2101 += id == 2101;
			got_2105 += id == 2105;
		}
		CHECK(hits.n == 4 && got_1002 && got_1101 && got_2101 && got_2105 && !hits.overflow,
		      "sample text hits 1002, 1101, 2101, 2105 (n=%u)", hits.n);
	}
	insp_match_scratch_free(s);
	insp_policy_free(p);
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
	CHECK(p->n_patterns == 0 && p->matcher == NULL, "no patterns: no matcher");
	CHECK(insp_policy_channel_lookup(p, 0, &(struct insp_ipaddr){.version = 4}, 1) == -1,
	      "no channels");
	insp_policy_free(p);
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
	CHECK(insp_policy_dest_holds(&p->destinations[0], "A", 1, "b", 1) == 1, "holds A:B");
	CHECK(insp_policy_dest_holds(&p->destinations[0], "Additional Sensitivity", 22, "ATOMAL",
				     6) == 1,
	      "holds ATOMAL");
	CHECK(insp_policy_class_level(insp_policy_class_policy(p, "ESP", 3), "Difusion Limitada",
				      17, 0) == INSP_LEVEL_RESTRICTED,
	      "table id case-insensitive");

	/* Terms come first whatever the file order; ids follow the list order. */
	CHECK(p->n_patterns == 3 && p->n_terms == 2 && p->n_markings == 1, "3 patterns");
	CHECK(p->patterns[0].rule_id == 9 && p->patterns[1].rule_id == 8 &&
		      p->patterns[2].rule_id == 7,
	      "terms before markings");
	CHECK(p->patterns[0].line == 7 && p->patterns[2].line == 5, "pattern lines");
	CHECK_STR(p->patterns[1].expr,
		  "(?:^|[^0-9A-Z_a-z])c\\+\\+\\s+code\\s+review(?:[^0-9A-Z_a-z]|$)",
		  "literal with metacharacters and odd spacing");
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
		struct insp_match_scratch *s = insp_match_scratch_create(p->matcher);
		struct insp_hits h = {0};
		static const char t1[] = "foo12 and FOO34 and Foo56, then C++\n code  REVIEW.";

		CHECK(insp_matcher_scan(p->matcher, s, (const uint8_t *)t1, sizeof(t1) - 1, &h) ==
				      0 &&
			      h.n == 2 && h.id[0] == 0 && h.id[1] == 1,
		      "caseless:false regex hits only Foo56; the phrase hits across a newline");
		memset(&h, 0, sizeof(h));
		CHECK(insp_matcher_scan(p->matcher, s, (const uint8_t *)"x eyes only", 11, &h) ==
				      0 &&
			      h.n == 1 && h.id[0] == 2,
		      "marking is caseless by default");
		insp_match_scratch_free(s);
	}
	insp_policy_free(p);
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
	insp_policy_free(p);
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
	insp_policy_free(p);
	free(y);
}

static void
test_api_edges(void)
{
	struct insp_err err;
	struct insp_policy *p;

	insp_policy_free(NULL);
	CHECK_STR(insp_level_name(INSP_LEVEL_TOP_SECRET), "TOP SECRET", "level name");
	CHECK(insp_level_name(INSP_LEVEL_NONE) == NULL, "no name for NONE");
	CHECK_STR(insp_format_name(INSP_FORMAT_COT), "cot", "format name");
	CHECK(insp_format_name(INSP_FORMAT_COUNT) == NULL, "no name past the end");
	CHECK(insp_policy_expand_code(NULL, "USA", 3) == 0, "NULL policy grants nothing");
	CHECK(insp_policy_class_policy(NULL, "NATO", 4) == NULL, "NULL policy has no tables");

	p = insp_policy_load(NULL, 0, NULL, &err);
	CHECK(p == NULL, "NULL text refused");
	CHECK_STR(err.msg,
		  "policy:1:1: the policy is empty (it needs at least 'version', 'nations' and "
		  "'classifications')",
		  "NULL text, default file name");
	p = insp_policy_load(minimal, strlen(minimal) - 10, "cut.yaml", NULL);
	CHECK(p == NULL, "text cut short (len honoured, no err) refused");
	p = insp_policy_load(minimal, strlen(minimal), "m.yaml", NULL);
	CHECK(p != NULL, "err may be NULL");
	insp_policy_free(p);

	/* Anchors and aliases are plain YAML: they work and are checked like the rest. */
	p = load_str("version: 1\nnations: &n [USA]\n"
		     "groups: {ALL: *n}\n"
		     "classifications: {NATO: {SECRET: SECRET}}\n",
		     &err);
	CHECK(p != NULL && insp_policy_expand_code(p, "ALL", 3) == 1, "alias as group members");
	insp_policy_free(p);
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
	return test_done();
}
