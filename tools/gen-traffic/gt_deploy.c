/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Facts copied from rules/sample-policy.yaml. Keep in step with that file: the demo, the
 * golden test and gen-traffic all depend on it.
 */
#include "gt_deploy.h"

const struct gt_channel gt_channels[GT_CH_COUNT] = {
	[GT_CH_MN] = {"cot-mn", 4, {239, 2, 3, 1}, 6969, GT_DEST_MN},
	[GT_CH_FVEY] = {"cot-fvey", 4, {239, 2, 3, 2}, 6969, GT_DEST_FVEY},
	/* ff05::2:3:1 */
	[GT_CH_MN_V6] = {"cot-mn-v6",
			 6,
			 {0xff, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0x03, 0, 0x01},
			 6969,
			 GT_DEST_MN},
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

const char *const gt_prohibited_literals[] = {
	"operation nightfall", "blue sentinel",	     "project aurora",	 "source handler",
	"agent cobalt",	       "exercise iron veil", "sigint intercept", "human source",
	"crypto key",	       "frequency plan",     "nuclear release",	 "special access program",
	"cover name",	       "safe house",	     "black ledger",	 "red meridian",
	"task force raven",    "silent harbour",     "glass falcon",	 "deep current",
};
const unsigned gt_n_prohibited_literals =
	sizeof(gt_prohibited_literals) / sizeof(gt_prohibited_literals[0]);

const struct gt_marking gt_markings[] = {
	{"NATO RESTRICTED", 1},
	{"NATO CONFIDENTIAL", 2},
	{"NATO SECRET", 3},
	{"COSMIC TOP SECRET", 4},
	{"UK OFFICIAL-SENSITIVE", 1},
	{"UK SECRET", 3},
	{"UK TOP SECRET", 4},
	{"US CONFIDENTIAL", 2},
	{"US SECRET", 3},
	{"US TOP SECRET", 4},
	{"VS-VERTRAULICH", 2},
	{"STRENG GEHEIM", 4},
	{"DIFFUSION RESTREINTE", 1},
	{"TRES SECRET", 4},
	{"NOFORN", -1},
	{"UK EYES ONLY", -1},
	{"AUSTEO", -1},
	{"CAN EYES ONLY", -1},
	{"FVEY EYES ONLY", -1},
};
const unsigned gt_n_markings = sizeof(gt_markings) / sizeof(gt_markings[0]);
