/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guardd option parsing. Numbers are parsed strictly (no sign, no trailing text, range
 * checked) because a typo in a service file must stop the start, not run with a default.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "dp_args.h"

enum {
	OPT_RULESET = 256,
	OPT_POLICY_GONE,
	OPT_STATS_INTERVAL,
	OPT_STATS_FILE,
	OPT_IDLE_EXIT,
	OPT_MAX_MSG,
	OPT_EGRESS_DIRECT,
	OPT_HELP,
};

static const struct option long_opts[] = {
	{"ruleset", required_argument, NULL, OPT_RULESET},
	{"policy", required_argument, NULL, OPT_POLICY_GONE},
	{"stats-interval", required_argument, NULL, OPT_STATS_INTERVAL},
	{"stats-file", required_argument, NULL, OPT_STATS_FILE},
	{"idle-exit", required_argument, NULL, OPT_IDLE_EXIT},
	{"max-msg", required_argument, NULL, OPT_MAX_MSG},
	{"egress-direct", no_argument, NULL, OPT_EGRESS_DIRECT},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

void
dp_args_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [EAL options] -- [--ruleset IMAGE] [options]\n"
		"  --ruleset IMAGE        ruleset image from 'guardctl policy compile'; without\n"
		"                         one every packet is dropped (no_policy) until\n"
		"                         guard-control loads one\n"
		"  --stats-interval SEC   print counters every SEC seconds (default 0: never)\n"
		"  --stats-file FILE      write the final counters to FILE at exit\n"
		"  --idle-exit SEC        exit once packets were received and none arrived for\n"
		"                         SEC seconds (pcap replay; default 0: run until "
		"signalled)\n"
		"  --max-msg BYTES        largest message inspected, %d..%d (default: the largest\n"
		"                         channel max_size of the policy)\n"
		"  --egress-direct        no priority egress: each worker sends a released\n"
		"                         packet at once (no class queues, no shaping; for\n"
		"                         measuring the scheduler's cost, docs/egress.md)\n"
		"  --help                 this text\n",
		prog, DP_MAX_MSG_MIN, DP_MAX_MSG_LIMIT);
}

/* Decimal unsigned in [lo, hi]; 0 on success. */
static int
parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int
dp_args_parse(int argc, char **argv, struct dp_config *cfg, char *why, size_t why_len)
{
	int opt;

	memset(cfg, 0, sizeof(*cfg));
	/* EAL already ran getopt over its own arguments: start afresh. */
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", long_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_RULESET:
			if (optarg[0] == '\0') {
				snprintf(why, why_len, "--ruleset needs a file name");
				return -EINVAL;
			}
			cfg->ruleset_path = optarg;
			break;
		case OPT_POLICY_GONE:
			/* the dataplane never parses policies: they are compiled off it */
			snprintf(why, why_len,
				 "guardd runs compiled rulesets: 'guardctl policy compile %s -o "
				 "IMAGE', then --ruleset IMAGE",
				 optarg);
			return -EINVAL;
		case OPT_STATS_FILE:
			if (optarg[0] == '\0') {
				snprintf(why, why_len, "--stats-file needs a file name");
				return -EINVAL;
			}
			cfg->stats_file = optarg;
			break;
		case OPT_STATS_INTERVAL:
			if (parse_u32(optarg, 0, DP_SECONDS_LIMIT, &cfg->stats_interval) < 0) {
				snprintf(why, why_len, "--stats-interval '%s': want 0..%d seconds",
					 optarg, DP_SECONDS_LIMIT);
				return -EINVAL;
			}
			break;
		case OPT_IDLE_EXIT:
			if (parse_u32(optarg, 0, DP_SECONDS_LIMIT, &cfg->idle_exit) < 0) {
				snprintf(why, why_len, "--idle-exit '%s': want 0..%d seconds",
					 optarg, DP_SECONDS_LIMIT);
				return -EINVAL;
			}
			break;
		case OPT_MAX_MSG:
			if (parse_u32(optarg, DP_MAX_MSG_MIN, DP_MAX_MSG_LIMIT, &cfg->max_msg) <
			    0) {
				snprintf(why, why_len, "--max-msg '%s': want %d..%d bytes", optarg,
					 DP_MAX_MSG_MIN, DP_MAX_MSG_LIMIT);
				return -EINVAL;
			}
			break;
		case OPT_EGRESS_DIRECT:
			cfg->egress_direct = true;
			break;
		case OPT_HELP:
			dp_args_usage(stdout, argv[0]);
			return 1;
		case ':':
			snprintf(why, why_len, "option '%s' needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
			snprintf(why, why_len, "unknown option '%s'", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		snprintf(why, why_len, "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}
