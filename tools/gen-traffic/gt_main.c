/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gen-traffic: write a pcap of realistic Cursor-on-Target traffic for the sample deployment
 * (rules/sample-policy.yaml) and a sidecar file with the decision the guard must take for
 * every frame. The mix is planned first (how many frames per reason, shuffled), then each
 * frame is generated; the same --seed and --now give byte-identical files.
 * See docs/gen-traffic.md.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h> /* isfinite(), a macro: no libm needed */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gt_check.h"
#include "gt_deploy.h"
#include "gt_scenario.h"

#define EXIT_USAGE   2
#define COUNT_MAX    10000000u
#define NOW_MIN	     86400ll	  /* stale frames go back 6 h: keep every time after 1970 */
#define NOW_MAX	     4102444800ll /* 2100-01-01T00:00:00Z */
#define FRAME_GAP_US 100

/* rules/ of the source tree (meson sets it); a standalone build looks in ./rules */
#ifndef GT_RULES_DIR
#define GT_RULES_DIR "rules"
#endif

struct options {
	const char *out;
	const char *expect;
	uint32_t count;
	uint64_t seed;
	double drop_share;
	int64_t now;
	bool policy_check;
	const char *rules; /* directory holding the term files, for --policy-check */
	unsigned formats;  /* --formats: bit (1 << enum gt_format) per format */
};

/* One planned frame. */
struct slot {
	uint8_t reason;
	uint8_t variant;
	uint8_t format; /* enum gt_format */
};

/* A drop reason as one format produces it. */
struct pair {
	uint8_t format;
	uint8_t reason;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: gen-traffic --out FILE.pcap --expect FILE.expect [--count N] [--seed S]\n"
		"                   [--drop-share F] [--now EPOCH_SECONDS] [--policy-check]\n"
		"                   [--rules DIR] [--formats LIST]\n"
		"  --out FILE          pcap to write (Ethernet, microsecond timestamps)\n"
		"  --expect FILE       sidecar: one '<index> <channel> <reason> <payload_len>' "
		"line per frame\n"
		"  --count N           frames in total (default 1000, 1..%u)\n"
		"  --seed S            random seed (default 1)\n"
		"  --drop-share F      fraction of frames that must be dropped, 0..1 (default "
		"0.3)\n"
		"  --now EPOCH_SECONDS time of the first frame and of the CoT clocks "
		"(default: now, %lld..%lld)\n"
		"  --policy-check      re-scan every message like the guard would and fail if a\n"
		"                      term or marking appears where none was meant (or is "
		"missing)\n"
		"  --rules DIR         where --policy-check finds terms/codewords.txt and\n"
		"                      terms/review.txt (default %s)\n"
		"  --formats LIST      message formats, comma-separated: cot, tak-mesh,\n"
		"                      tak-stream, labelled-xml, adatp3, or all (default cot)\n",
		COUNT_MAX, (long long)NOW_MIN, (long long)NOW_MAX, GT_RULES_DIR);
}

/* "cot,tak-mesh" or "all" -> a mask of format bits. @return 0, -1 (reported). */
static int
parse_formats(const char *s, unsigned *mask)
{
	const char *p = s;

	*mask = 0;
	if (strcmp(s, "all") == 0) {
		*mask = (1u << GT_FMT_COUNT) - 1;
		return 0;
	}
	for (;;) {
		size_t n = strcspn(p, ",");
		unsigned f;

		for (f = 0; f < GT_FMT_COUNT; f++)
			if (strlen(gt_format_name((enum gt_format)f)) == n &&
			    strncmp(p, gt_format_name((enum gt_format)f), n) == 0)
				break;
		if (f == GT_FMT_COUNT) {
			fprintf(stderr,
				"gen-traffic: --formats '%s': unknown format '%.*s' (known: cot, "
				"tak-mesh, tak-stream, labelled-xml, adatp3, all)\n",
				s, (int)n, p);
			return -1;
		}
		*mask |= 1u << f;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

/* A decimal integer in [min, max]. */
static int
parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || errno != 0 || *end != '\0' || v < min || v > max) {
		fprintf(stderr,
			"gen-traffic: %s '%s': expected a decimal integer in %" PRIu64 "..%" PRIu64
			"\n",
			opt, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"expect", required_argument, NULL, 'e'},
		{"count", required_argument, NULL, 'c'},
		{"seed", required_argument, NULL, 's'},
		{"drop-share", required_argument, NULL, 'd'},
		{"now", required_argument, NULL, 'n'},
		{"policy-check", no_argument, NULL, 'p'},
		{"rules", required_argument, NULL, 'r'},
		{"formats", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	uint64_t v;
	char *end;
	int c;

	o->count = 1000;
	o->seed = 1;
	o->drop_share = 0.3;
	o->now = -1;
	o->rules = GT_RULES_DIR;
	o->formats = 1u << GT_FMT_COT;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case 'e':
			o->expect = optarg;
			break;
		case 'c':
			if (parse_u64("--count", optarg, 1, COUNT_MAX, &v) < 0)
				return -1;
			o->count = (uint32_t)v;
			break;
		case 's':
			if (parse_u64("--seed", optarg, 0, UINT64_MAX, &v) < 0)
				return -1;
			o->seed = v;
			break;
		case 'd':
			errno = 0;
			o->drop_share = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    !isfinite(o->drop_share) || o->drop_share < 0.0 ||
			    o->drop_share > 1.0) {
				fprintf(stderr,
					"gen-traffic: --drop-share '%s': expected a number in "
					"0..1\n",
					optarg);
				return -1;
			}
			break;
		case 'n':
			if (parse_u64("--now", optarg, NOW_MIN, NOW_MAX, &v) < 0)
				return -1;
			o->now = (int64_t)v;
			break;
		case 'p':
			o->policy_check = true;
			break;
		case 'r':
			o->rules = optarg;
			break;
		case 'f':
			if (parse_formats(optarg, &o->formats) < 0)
				return -1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			fprintf(stderr, "gen-traffic: %s needs a value\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "gen-traffic: unknown option '%s'\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gen-traffic: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (o->out == NULL || o->expect == NULL) {
		fprintf(stderr, "gen-traffic: --out and --expect are required\n");
		return -1;
	}
	if (strcmp(o->out, o->expect) == 0) {
		fprintf(stderr, "gen-traffic: --out and --expect name the same file '%s'\n",
			o->out);
		return -1;
	}
	if (o->now < 0) {
		time_t t = time(NULL);

		if (t == (time_t)-1 || t < NOW_MIN || t > NOW_MAX) {
			fprintf(stderr, "gen-traffic: the system clock is unusable; give --now\n");
			return -1;
		}
		o->now = (int64_t)t;
	}
	return 0;
}

static bool
is_l2l4(enum gt_reason r)
{
	return r >= GT_R_L2L4_NOT_UDP && r <= GT_R_L2L4_OVERSIZE;
}

/*
 * The drop reasons each chosen format produces, reason by reason in decision order. The
 * l2l4_* reasons are about layers 2-4, not a format: they are always there, once, as CoT
 * frames (so --formats cot lists exactly the 18 reasons in order, as before --formats).
 */
static unsigned
drop_pairs(unsigned formats, struct pair *v)
{
	unsigned n = 0;

	for (unsigned r = 1; r < GT_R_COUNT; r++) {
		if (is_l2l4((enum gt_reason)r)) {
			v[n].format = GT_FMT_COT;
			v[n++].reason = (uint8_t)r;
			continue;
		}
		for (unsigned f = 0; f < GT_FMT_COUNT; f++) {
			if ((formats & (1u << f)) == 0 ||
			    gt_format_variants((enum gt_format)f, (enum gt_reason)r) == 0)
				continue;
			v[n].format = (uint8_t)f;
			v[n++].reason = (uint8_t)r;
		}
	}
	return n;
}

/*
 * The mix: round(count * drop_share) drops dealt to the (format, drop reason) pairs in
 * turn, each pair cycling through its variants; the rest releases, dealt to the chosen
 * formats in turn; then shuffled.
 */
static struct slot *
plan(const struct options *o)
{
	struct slot *p = calloc(o->count, sizeof(*p));
	uint32_t drops = (uint32_t)(o->count * o->drop_share + 0.5);
	struct pair pairs[GT_R_COUNT * GT_FMT_COUNT];
	const unsigned n_drop_reasons = drop_pairs(o->formats, pairs);
	uint8_t rel_formats[GT_FMT_COUNT];
	unsigned n_rel_formats = 0;
	struct gt_rng r;

	for (unsigned f = 0; f < GT_FMT_COUNT; f++)
		if (o->formats & (1u << f))
			rel_formats[n_rel_formats++] = (uint8_t)f;

	if (p == NULL) {
		fprintf(stderr, "gen-traffic: out of memory for %" PRIu32 " frames\n", o->count);
		return NULL;
	}
	if (drops > o->count)
		drops = o->count;
	if (drops > 0 && drops < n_drop_reasons)
		fprintf(stderr,
			"gen-traffic: warning: %" PRIu32 " drops cannot cover all %u drop "
			"reasons (of all formats); raise --count or --drop-share\n",
			drops, n_drop_reasons);
	for (uint32_t i = 0; i < o->count; i++) {
		if (i < drops) {
			const struct pair *pr = &pairs[i % n_drop_reasons];

			p[i].reason = pr->reason;
			p[i].format = pr->format;
			p[i].variant = (uint8_t)((i / n_drop_reasons) %
						 gt_format_variants((enum gt_format)pr->format,
								    (enum gt_reason)pr->reason));
		} else {
			p[i].reason = GT_R_RELEASE;
			p[i].format = rel_formats[i % n_rel_formats];
		}
	}
	/* a stream of its own, so the mix does not depend on how frames draw numbers */
	gt_rng_seed(&r, o->seed ^ 0x6a09e667f3bcc908ull);
	for (uint32_t i = o->count; i > 1; i--) {
		uint32_t j = gt_rng_below(&r, i);
		struct slot t = p[i - 1];

		p[i - 1] = p[j];
		p[j] = t;
	}
	return p;
}

/* What --policy-check expects of a message. @return 0 when it holds. */
static int
check_frame(uint32_t index, const struct gt_frame_out *f)
{
	struct gt_check_result res;
	bool want_term = f->reason == GT_R_PROHIBITED_CONTENT;
	bool want_review = f->reason == GT_R_REVIEW;
	bool want_marking = f->reason == GT_R_MARKING_INCONSISTENT;
	const char *problem = NULL;

	if (f->msg_len == 0 || f->reason == GT_R_MALFORMED_MESSAGE)
		return 0;
	/* frames dropped before the channel lookup were built for a channel all the same */
	gt_check_msg(f->format, f->msg, f->msg_len, f->msg_channel, &res);
	if (!res.wellformed)
		problem = res.error;
	else if (want_term != (res.terms > 0))
		problem = want_term ? "no prohibited term found" : "unexpected prohibited term";
	else if (!want_term && want_review != (res.reviews > 0))
		problem = want_review ? "no review term found" : "unexpected review term";
	else if (want_marking != (res.markings > 0))
		problem = want_marking ? "no marking found" : "unexpected marking";
	else if (f->reason != GT_R_L2L4_OVERSIZE && f->reason != GT_R_L2L4_NOT_UDP &&
		 (f->frame_len < 200 || f->frame_len > 1500))
		problem = "frame size outside 200..1500";
	if (problem == NULL)
		return 0;
	fprintf(stderr, "gen-traffic: policy check: frame %" PRIu32 " (%s, %s): %s%s%s\n", index,
		gt_reason_name(f->reason), f->variant != NULL ? f->variant : "-", problem,
		res.first_hit[0] != '\0' ? ": " : "", res.first_hit);
	return -1;
}

struct outputs {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	FILE *expect;
	bool created_pcap; /* so that a failure removes only files this run wrote */
	bool created_expect;
};

static int
open_outputs(const struct options *o, struct outputs *out)
{
	out->pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
							 PCAP_TSTAMP_PRECISION_MICRO);
	if (out->pcap == NULL) {
		fprintf(stderr, "gen-traffic: pcap_open_dead failed\n");
		return -1;
	}
	out->dumper = pcap_dump_open(out->pcap, o->out);
	if (out->dumper == NULL) {
		fprintf(stderr, "gen-traffic: cannot create the pcap: %s\n",
			pcap_geterr(out->pcap));
		return -1;
	}
	out->created_pcap = true;
	out->expect = fopen(o->expect, "w");
	if (out->expect == NULL) {
		fprintf(stderr, "gen-traffic: %s: %s\n", o->expect, strerror(errno));
		return -1;
	}
	out->created_expect = true;
	if (fputs("# index channel reason payload_len\n", out->expect) == EOF) {
		fprintf(stderr, "gen-traffic: %s: write: %s\n", o->expect, strerror(errno));
		return -1;
	}
	return 0;
}

/* Flush and close both files. @return 0, -1 if anything failed (already reported). */
static int
close_outputs(const struct options *o, struct outputs *out)
{
	int rc = 0;

	if (out->dumper != NULL) {
		if (pcap_dump_flush(out->dumper) < 0 || ferror(pcap_dump_file(out->dumper))) {
			fprintf(stderr, "gen-traffic: %s: write failed\n", o->out);
			rc = -1;
		}
		pcap_dump_close(out->dumper);
		out->dumper = NULL;
	}
	if (out->pcap != NULL) {
		pcap_close(out->pcap);
		out->pcap = NULL;
	}
	if (out->expect != NULL) {
		if (fclose(out->expect) == EOF) {
			fprintf(stderr, "gen-traffic: %s: %s\n", o->expect, strerror(errno));
			rc = -1;
		}
		out->expect = NULL;
	}
	return rc;
}

static int
write_frame(const struct options *o, struct outputs *out, uint32_t index, int64_t ts_us,
	    const struct gt_frame_out *f)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
	h.caplen = (bpf_u_int32)f->frame_len;
	h.len = (bpf_u_int32)f->frame_len;
	pcap_dump((u_char *)out->dumper, &h, f->frame);
	if (ferror(pcap_dump_file(out->dumper))) {
		fprintf(stderr, "gen-traffic: %s: write failed at frame %" PRIu32 "\n", o->out,
			index);
		return -1;
	}
	if (fprintf(out->expect, "%" PRIu32 " %s %s %" PRIu32 "\n", index,
		    f->channel >= 0 ? gt_channels[f->channel].name : "-", gt_reason_name(f->reason),
		    f->payload_len) < 0) {
		fprintf(stderr, "gen-traffic: %s: write failed at frame %" PRIu32 ": %s\n",
			o->expect, index, strerror(errno));
		return -1;
	}
	return 0;
}

static void
summary(const struct options *o, const uint32_t *per_reason, const uint32_t *per_format)
{
	printf("gen-traffic: %" PRIu32 " frames (seed %" PRIu64 ", now %" PRId64 ") -> %s, %s\n",
	       o->count, o->seed, o->now, o->out, o->expect);
	for (unsigned r = 0; r < GT_R_COUNT; r++)
		printf("  %-22s %8" PRIu32 "\n", gt_reason_name((enum gt_reason)r), per_reason[r]);
	if (o->formats == 1u << GT_FMT_COT)
		return;
	for (unsigned f = 0; f < GT_FMT_COUNT; f++)
		printf("  format %-15s %8" PRIu32 "\n", gt_format_name((enum gt_format)f),
		       per_format[f]);
}

int
main(int argc, char **argv)
{
	static struct gt_gen gen;
	static struct gt_frame_out frame;
	struct outputs out = {NULL, NULL, NULL, false, false};
	uint32_t per_reason[GT_R_COUNT] = {0};
	uint32_t per_format[GT_FMT_COUNT] = {0};
	struct options o;
	struct slot *p = NULL;
	unsigned check_failures = 0;
	char err[256];
	int rc = 1;

	memset(&o, 0, sizeof(o));
	if (parse_args(argc, argv, &o) < 0) {
		fprintf(stderr, "gen-traffic: try --help\n");
		return EXIT_USAGE;
	}
	if (o.policy_check && gt_check_load(o.rules, err, sizeof(err)) < 0) {
		fprintf(stderr, "gen-traffic: policy check: %s\n", err);
		return 1;
	}
	p = plan(&o);
	if (p == NULL)
		return 1;
	if (gt_gen_init(&gen, o.seed) < 0) {
		fprintf(stderr, "gen-traffic: cannot set up the generator (out of memory)\n");
		goto done;
	}
	if (open_outputs(&o, &out) < 0)
		goto done;
	for (uint32_t i = 0; i < o.count; i++) {
		int64_t ts_us = o.now * 1000000 + (int64_t)i * FRAME_GAP_US;

		if (gt_gen_frame_fmt(&gen, (enum gt_format)p[i].format, (enum gt_reason)p[i].reason,
				     p[i].variant, ts_us, &frame, err, sizeof(err)) < 0) {
			fprintf(stderr, "gen-traffic: frame %" PRIu32 " (%s): internal error: %s\n",
				i, gt_format_name((enum gt_format)p[i].format), err);
			goto done;
		}
		if (o.policy_check && check_frame(i, &frame) < 0)
			check_failures++;
		if (write_frame(&o, &out, i, ts_us, &frame) < 0)
			goto done;
		per_reason[frame.reason]++;
		per_format[frame.format]++;
	}
	rc = 0;
done:
	if (close_outputs(&o, &out) < 0)
		rc = 1;
	if (rc != 0) {
		/* never leave a pcap without its sidecar, or a half-written pair */
		if (out.created_pcap && unlink(o.out) < 0)
			fprintf(stderr, "gen-traffic: %s: cannot remove: %s\n", o.out,
				strerror(errno));
		if (out.created_expect && unlink(o.expect) < 0)
			fprintf(stderr, "gen-traffic: %s: cannot remove: %s\n", o.expect,
				strerror(errno));
	}
	gt_gen_fini(&gen);
	free(p);
	if (rc == 0) {
		summary(&o, per_reason, per_format);
		if (check_failures > 0) {
			fprintf(stderr, "gen-traffic: policy check: %u frame(s) failed\n",
				check_failures);
			rc = 1;
		} else if (o.policy_check) {
			printf("policy check: all %" PRIu32 " frames as intended\n", o.count);
		}
	}
	return rc;
}
