/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Facts copied from rules/sample-policy.yaml (and a few samples of rules/terms/ files). Keep
 * in step with those files: the demo, the golden test and gen-traffic all depend on them.
 */
#include <string.h>

#include "gt_deploy.h"

static const char *const format_names[GT_FMT_COUNT] = {
	[GT_FMT_COT] = "cot",
	[GT_FMT_TAK_MESH] = "tak-mesh",
	[GT_FMT_TAK_STREAM] = "tak-stream",
	[GT_FMT_LXML] = "labelled-xml",
	[GT_FMT_ADATP3] = "adatp3",
};

const char *
gt_format_name(enum gt_format f)
{
	return (unsigned)f < GT_FMT_COUNT ? format_names[f] : "invalid";
}

const struct gt_channel gt_channels[GT_CH_COUNT] = {
	[GT_CH_MN] = {"cot-mn", 4, {239, 2, 3, 1}, 6969, GT_DEST_MN, GT_FMT_COT, 1500},
	[GT_CH_FVEY] = {"cot-fvey", 4, {239, 2, 3, 2}, 6969, GT_DEST_FVEY, GT_FMT_COT, 1500},
	/* ff05::2:3:1 */
	[GT_CH_MN_V6] = {"cot-mn-v6",
			 6,
			 {0xff, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0x03, 0, 0x01},
			 6969,
			 GT_DEST_MN,
			 GT_FMT_COT,
			 1500},
	[GT_CH_NATO] = {"cot-nato", 4, {239, 2, 3, 3}, 6969, GT_DEST_NATO, GT_FMT_COT, 1500},
	/* the other fast-path formats, all to the mission network */
	[GT_CH_TAK_MN] = {"tak-mn", 4, {239, 2, 3, 4}, 6969, GT_DEST_MN, GT_FMT_TAK_MESH, 1500},
	[GT_CH_TAK_STREAM] =
		{"tak-mn-stream", 4, {239, 2, 3, 5}, 6969, GT_DEST_MN, GT_FMT_TAK_STREAM, 1500},
	[GT_CH_LXML_MN] = {"lxml-mn", 4, {239, 2, 3, 6}, 7100, GT_DEST_MN, GT_FMT_LXML, 8192},
	[GT_CH_ADATP3_MN] = {"adatp3-mn", 4, {239, 2, 3, 7}, 7200, GT_DEST_MN, GT_FMT_ADATP3, 4096},
	/* objects_out (format object, 239.2.3.8 UDP 7300) is the slow path's: not here */
};

/* max_classification SECRET everywhere; release_ceilings: NOR CONFIDENTIAL (in NATO-WIDE) */
const int gt_dest_max_level[GT_DEST_COUNT] = {
	[GT_DEST_MN] = GT_LEVEL_SECRET,
	[GT_DEST_FVEY] = GT_LEVEL_SECRET,
	[GT_DEST_NATO] = GT_LEVEL_CONFIDENTIAL,
};

const struct gt_class gt_classes[] = {
	{"NATO", "UNCLASSIFIED", 0},
	{"NATO", "RESTRICTED", 1},
	{"NATO", "CONFIDENTIAL", 2},
	{"NATO", "SECRET", 3},
	{"NATO", "COSMIC TOP SECRET", 4},
	{"GBR", "OFFICIAL", 0},
	{"GBR", "OFFICIAL-SENSITIVE", 1},
	{"GBR", "SECRET", 3},
	{"GBR", "TOP SECRET", 4},
	{"USA", "UNCLASSIFIED", 0},
	{"USA", "CONFIDENTIAL", 2},
	{"USA", "SECRET", 3},
	{"USA", "TOP SECRET", 4},
	{"DEU", "OFFEN", 0},
	{"DEU", "VS-NUR FUER DEN DIENSTGEBRAUCH", 1},
	{"DEU", "VS-VERTRAULICH", 2},
	{"DEU", "GEHEIM", 3},
	{"DEU", "STRENG GEHEIM", 4},
	{"FRA", "NON PROTEGE", 0},
	{"FRA", "DIFFUSION RESTREINTE", 1},
	{"FRA", "SECRET", 3},
	{"FRA", "TRES SECRET", 4},
};
const unsigned gt_n_classes = sizeof(gt_classes) / sizeof(gt_classes[0]);

/* category_hints: cot (longest prefix wins); data_categories shared with every nation
 * except 'intelligence' (not POL) */
static const struct {
	const char *prefix;
	const char *category;
} cot_hints[] = {
	{"a-f", "tracks"}, {"a-h", "tracks"},	     {"a-u", "tracks"}, {"a-n", "tracks"},
	{"a-p", "tracks"}, {"b-t-f", "chat"},	     {"b-m-p", "map"},	{"b-m-r", "map"},
	{"u-d", "map"},	   {"b-r-f-h-c", "reports"}, {"b-a", "alerts"}, {"b-i", "intelligence"},
};

const char *
gt_category_of(const char *cot_type)
{
	const char *best = "tracks";
	size_t best_len = 0;

	for (size_t i = 0; i < sizeof(cot_hints) / sizeof(cot_hints[0]); i++) {
		size_t n = strlen(cot_hints[i].prefix);

		if (n > best_len && strncmp(cot_type, cot_hints[i].prefix, n) == 0) {
			best = cot_hints[i].category;
			best_len = n;
		}
	}
	return best;
}

/* category_hints of the other formats (tak-mesh and tak-stream share the cot table) */
static const struct {
	enum gt_format format;
	const char *prefix;
	const char *category;
} format_hints[] = {
	{GT_FMT_LXML, "FriendlyForce", "tracks"},      {GT_FMT_LXML, "Casualty", "reports"},
	{GT_FMT_LXML, "Intelligence", "intelligence"}, {GT_FMT_ADATP3, "SITREP", "reports"},
	{GT_FMT_ADATP3, "OPREP", "reports"},	       {GT_FMT_ADATP3, "MEDEVAC", "reports"},
	{GT_FMT_ADATP3, "INTREP", "intelligence"},     {GT_FMT_ADATP3, "INTSUM", "intelligence"},
};

const char *
gt_category_of_format(enum gt_format f, const char *type, const char *channel_default)
{
	const char *best = channel_default;
	size_t best_len = 0;

	if (f == GT_FMT_COT || f == GT_FMT_TAK_MESH || f == GT_FMT_TAK_STREAM)
		return gt_category_of(type); /* every channel of these defaults to tracks */
	for (size_t i = 0; i < sizeof(format_hints) / sizeof(format_hints[0]); i++) {
		size_t n = strlen(format_hints[i].prefix);

		if (format_hints[i].format == f && n > best_len &&
		    strncmp(type, format_hints[i].prefix, n) == 0) {
			best = format_hints[i].category;
			best_len = n;
		}
	}
	return best;
}

const char *const gt_prohibited_literals[] = {
	"operation nightfall", "blue sentinel",	     "project aurora",	 "source handler",
	"agent cobalt",	       "exercise iron veil", "sigint intercept", "human source",
	"crypto key",	       "frequency plan",     "nuclear release",	 "special access program",
	"cover name",	       "safe house",	     "black ledger",	 "red meridian",
	"task force raven",    "silent harbour",     "glass falcon",	 "deep current",
};
const unsigned gt_n_prohibited_literals =
	sizeof(gt_prohibited_literals) / sizeof(gt_prohibited_literals[0]);

const char *const gt_codeword_samples[] = {
	"OBSIDIAN CRUCIBLE", "RUSTED HERON",	"FLINT TIMBER", "RADIANT WHETSTONE",
	"CRIMSON FOUNDRY",   "GLACIAL LANTERN", "ASHEN FATHOM", "OPERATION ATLAS",
};
const unsigned gt_n_codeword_samples = sizeof(gt_codeword_samples) / sizeof(gt_codeword_samples[0]);

const struct gt_review_term gt_review_terms[] = {
	/* rules/terms/review.txt (every channel) */
	{"next of kin", 0},
	{"civilian casualty", 0},
	{"friendly fire", 0},
	{"escalation of force", 0},
	{"battle damage assessment", 0},
	{"date of birth", 0},
	/* inline, id 1201: coalition channels to the mission network only */
	{"detainee transfer", GT_CH_BIT(GT_CH_MN) | GT_CH_BIT(GT_CH_MN_V6)},
	/* inline, id 1202: cot-nato only */
	{"high value individual", GT_CH_BIT(GT_CH_NATO)},
};
const unsigned gt_n_review_terms = sizeof(gt_review_terms) / sizeof(gt_review_terms[0]);

const struct gt_marking gt_markings[] = {
	/* the literal markings of rules/sample-policy.yaml (its portion-mark regexes are not
	 * here: the generator never writes one) */
	{"NATO UNCLASSIFIED", 0},
	{"NATO RESTRICTED", 1},
	{"NATO CONFIDENTIAL", 2},
	{"NATO SECRET", 3},
	{"COSMIC TOP SECRET", 4},
	{"GBR OFFICIAL", 0},
	{"OFFICIAL-SENSITIVE", 1},
	{"UK SECRET", 3},
	{"UK TOP SECRET", 4},
	{"GBR SECRET", 3},
	{"GBR TOP SECRET", 4},
	{"UK OFFICIAL", 0},
	{"USA UNCLASSIFIED", 0},
	{"US CONFIDENTIAL", 2},
	{"US SECRET", 3},
	{"US TOP SECRET", 4},
	{"USA CONFIDENTIAL", 2},
	{"USA SECRET", 3},
	{"USA TOP SECRET", 4},
	{"OFFEN", 0},
	{"VS-VERTRAULICH", 2},
	{"STRENG GEHEIM", 4},
	{"VS-NUR FUER DEN DIENSTGEBRAUCH", 1},
	{"GEHEIM", 3},
	{"VS-NfD", 1},
	{"NON PROTEGE", 0},
	{"DIFFUSION RESTREINTE", 1},
	{"TRES SECRET", 4},
	{"FRA SECRET", 3},
	{"SECRET DEFENSE", 3},
	{"NOFORN", -1},
	{"UK EYES ONLY", -1},
	{"AUSTEO", -1},
	{"CAN EYES ONLY", -1},
	{"FVEY EYES ONLY", -1},
	{"USA EYES ONLY", -1},
	{"GBR EYES ONLY", -1},
	{"FRA EYES ONLY", -1},
	{"DEU EYES ONLY", -1},
	{"POL EYES ONLY", -1},
	{"NLD EYES ONLY", -1},
	{"ITA EYES ONLY", -1},
	{"AUS EYES ONLY", -1},
	{"NZL EYES ONLY", -1},
	{"NOR EYES ONLY", -1},
	{"ESP EYES ONLY", -1},
	{"NATO EYES ONLY", -1},
};
const unsigned gt_n_markings = sizeof(gt_markings) / sizeof(gt_markings[0]);
