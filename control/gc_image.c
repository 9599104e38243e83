/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `guardctl policy compile` and `guardctl policy show`: the ruleset image from the operator's
 * side. compile writes the image atomically (a temporary file in the target's directory,
 * fsync, rename), so guardd or a copy job never sees half an image under the final name.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gc_cmd.h"
#include "gc_json.h"
#include "gc_load.h"
#include "gc_out.h"
#include "insp_norm.h"
#include "insp_policy.h"
#include "pc_hs.h"
#include "pc_policy.h"
#include "rs_ruleset.h"

static const char compile_cmd[] = "policy compile";
static const char show_cmd[] = "policy show";

static int
write_all(int fd, const uint8_t *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write @p img to @p path through PATH.tmp.PID + rename. */
static int
write_image(const char *path, const struct pc_image *img)
{
	char tmp[4200];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
		gc_err(compile_cmd, "output path '%s' is too long", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		gc_err(compile_cmd, "cannot create '%s': %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, img->bytes, img->len) != 0 || fsync(fd) != 0) {
		gc_err(compile_cmd, "cannot write '%s': %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		gc_err(compile_cmd, "cannot put the image at '%s': %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
gc_policy_compile(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"portable", no_argument, NULL, 'p'},
		{"compile-timeout", required_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct pc_options o = {.portable = 0, .created = -1, .compile_seconds = PC_COMPILE_SECONDS};
	const char *out = NULL, *path;
	struct pc_image img;
	struct insp_err err;
	bool json = false;
	char hex[65];
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 't': {
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] < '1' || optarg[0] > '9' ||
			    v > 86400)
				return gc_usage_error(
					compile_cmd, gc_policy_help,
					"--compile-timeout '%s': want 1..86400 seconds", optarg);
			o.compile_seconds = (unsigned)v;
			break;
		}
		case 'p':
			o.portable = 1;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(gc_policy_help, stdout);
			return gc_out_flush(compile_cmd) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
		default:
			return gc_option_error(compile_cmd, gc_policy_help, opt, argv);
		}
	}
	if (argc - optind != 1)
		return gc_usage_error(compile_cmd, gc_policy_help,
				      "exactly one POLICY file expected, got %d", argc - optind);
	if (out == NULL || out[0] == '\0')
		return gc_usage_error(compile_cmd, gc_policy_help,
				      "-o IMAGE is required (where to write the image)");
	path = argv[optind];
	memset(&err, 0, sizeof(err));
	if (pc_compile_file(path, &o, &img, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg[0] != '\0' ? err.msg : "policy rejected");
		return GC_EXIT_ERROR;
	}
	if (write_image(out, &img) != 0) {
		pc_image_free(&img);
		return GC_EXIT_ERROR;
	}
	rs_hex(img.sha256, hex);
	if (json) {
		struct gc_json j;

		gc_json_init(&j, stdout);
		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "policy", path);
		gc_json_str(&j, "image", out);
		gc_json_uint(&j, "bytes", img.len);
		gc_json_str(&j, "sha256", hex);
		gc_json_uint(&j, "literal_patterns", img.n_literals);
		gc_json_uint(&j, "regex_patterns", img.n_regexes);
		gc_json_uint(&j, "database_bytes", img.regex_db_bytes + img.literal_db_bytes);
		gc_json_double(&j, "parse_seconds", img.parse_seconds);
		gc_json_double(&j, "hyperscan_seconds", img.hs_seconds);
		gc_json_bool(&j, "portable", o.portable != 0);
		gc_json_end_object(&j);
		gc_json_finish(&j);
	} else {
		printf("compiled %s -> %s\n", path, out);
		printf("patterns: %" PRIu32 " literal, %" PRIu32 " regex; databases %zu bytes\n",
		       img.n_literals, img.n_regexes, img.regex_db_bytes + img.literal_db_bytes);
		printf("compile:  %.3f s (parse %.3f s, Hyperscan %.3f s)%s\n",
		       img.parse_seconds + img.hs_seconds, img.parse_seconds, img.hs_seconds,
		       o.portable ? ", portable" : "");
		printf("image:    %zu bytes, sha256 %s\n", img.len, hex);
	}
	pc_image_free(&img);
	return gc_out_flush(compile_cmd) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
}

/* The image file's SHA-256, as sha256sum prints it (the header's own hash is integrity). */
static const uint8_t *
file_sha(const struct rs_ruleset *rs, uint8_t sha[32])
{
	rs_sha256(rs->image, rs->hdr->image_size, sha);
	return sha;
}

static const char *
cpu_name(uint64_t f)
{
	if (f & HS_CPU_FEATURES_AVX512)
		return "AVX-512";
	if (f & HS_CPU_FEATURES_AVX2)
		return "AVX2";
	return "any x86-64 (SSSE3)";
}

static void
date_text(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, cap, "%" PRId64, t);
}

static void
show_text(const char *path, const struct insp_policy *p, const struct rs_ruleset *rs, bool patterns)
{
	const struct rs_image_header *h = rs->hdr;
	uint8_t sha[32];
	char hex[65], date[40];

	rs_hex(file_sha(rs, sha), hex);
	date_text(h->created, date, sizeof(date));
	printf("image:           %s\n", path);
	printf("sha256:          %s\n", hex);
	printf("format:          version %" PRIu32 ", %" PRIu64 " bytes, layout %08" PRIx32 "\n",
	       h->version, h->image_size, h->layout);
	printf("compiled:        %s by guard %s\n", date, h->guard_version);
	printf("hyperscan:       %s, for %s%s\n", h->hs.hs_version, cpu_name(h->hs.cpu_features),
	       (h->options & RS_OPT_PORTABLE) ? " (--portable)" : "");
	printf("inputs:          %" PRIu32 "\n", h->n_inputs);
	for (uint32_t i = 0; i < h->n_inputs; i++) {
		rs_hex(rs->inputs[i].sha256, hex);
		printf("  %s  %10" PRIu64 "  ", hex, rs->inputs[i].size);
		gc_text_put(stdout, rs->inputs[i].path, 0);
		fputc('\n', stdout);
	}
	printf("sections:       ");
	for (int s = 0; s < RS_SEC_COUNT; s++)
		printf("%s %s %" PRIu64, s ? "," : "", rs_section_name(s), h->sect[s].size);
	fputc('\n', stdout);
	gc_policy_print_summary(path, p);
	if (!patterns)
		return;
	printf("\nRULE        KIND     FORM      ACTION  MATCH    EXPRESSION\n");
	for (uint32_t i = 0; i < p->n_patterns; i++) {
		const struct insp_pattern *pt = &p->patterns[i];

		printf("%-10" PRIu32 "  %-7s  %-8s  %-6s  %-7s  ", pt->rule_id,
		       pt->kind == INSP_PATTERN_TERM ? "term" : "marking",
		       pt->forms == INSP_FORM_SKELETON ? "skeleton" : "folded",
		       pt->kind != INSP_PATTERN_TERM	  ? "-"
		       : pt->action == INSP_ACTION_REVIEW ? "review"
							  : "drop",
		       pt->literal ? "literal" : "regex");
		gc_text_put(stdout, insp_pattern_expr(p, pt), 0);
		fputc('\n', stdout);
	}
}

static void
show_json(const char *path, const struct insp_policy *p, const struct rs_ruleset *rs, bool patterns)
{
	const struct rs_image_header *h = rs->hdr;
	struct gc_json j;
	uint8_t sha[32];
	char hex[65], date[40];

	gc_json_init(&j, stdout);
	gc_json_begin_object(&j, NULL);
	gc_json_str(&j, "image", path);
	rs_hex(file_sha(rs, sha), hex);
	gc_json_str(&j, "sha256", hex);
	gc_json_uint(&j, "format_version", h->version);
	gc_json_uint(&j, "bytes", h->image_size);
	date_text(h->created, date, sizeof(date));
	gc_json_str(&j, "created", date);
	gc_json_str(&j, "guard_version", h->guard_version);
	gc_json_str(&j, "hyperscan_version", h->hs.hs_version);
	gc_json_str(&j, "cpu_target", cpu_name(h->hs.cpu_features));
	gc_json_bool(&j, "portable", (h->options & RS_OPT_PORTABLE) != 0);
	gc_json_begin_array(&j, "inputs");
	for (uint32_t i = 0; i < h->n_inputs; i++) {
		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "path", rs->inputs[i].path);
		gc_json_uint(&j, "bytes", rs->inputs[i].size);
		rs_hex(rs->inputs[i].sha256, hex);
		gc_json_str(&j, "sha256", hex);
		gc_json_end_object(&j);
	}
	gc_json_end_array(&j);
	gc_json_uint(&j, "channels", p->n_channels);
	gc_json_uint(&j, "terms", p->n_terms);
	gc_json_uint(&j, "markings", p->n_markings);
	gc_json_uint(&j, "patterns", p->n_patterns);
	if (patterns) {
		gc_json_begin_array(&j, "pattern_list");
		for (uint32_t i = 0; i < p->n_patterns; i++) {
			const struct insp_pattern *pt = &p->patterns[i];

			gc_json_begin_object(&j, NULL);
			gc_json_uint(&j, "rule", pt->rule_id);
			gc_json_str(&j, "kind", pt->kind == INSP_PATTERN_TERM ? "term" : "marking");
			gc_json_bool(&j, "literal", pt->literal != 0);
			gc_json_str(&j, "expression", insp_pattern_expr(p, pt));
			gc_json_end_object(&j);
		}
		gc_json_end_array(&j);
	}
	gc_json_end_object(&j);
	gc_json_finish(&j);
}

int
gc_policy_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{"patterns", no_argument, NULL, 'P'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false, patterns = false;
	struct insp_policy *p;
	const char *path;
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'P':
			patterns = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(gc_policy_help, stdout);
			return gc_out_flush(show_cmd) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
		default:
			return gc_option_error(show_cmd, gc_policy_help, opt, argv);
		}
	}
	if (argc - optind != 1)
		return gc_usage_error(show_cmd, gc_policy_help,
				      "exactly one IMAGE expected, got %d", argc - optind);
	path = argv[optind];
	/* an image is recognised by its magic: a policy is refused without compiling it */
	if (gc_regular_file(path) && !gc_is_image(path)) {
		gc_err(show_cmd,
		       "'%s' is not a ruleset image (a policy? compile it first: 'guardctl policy "
		       "compile %s -o IMAGE', or use 'policy check')",
		       path, path);
		return GC_EXIT_ERROR;
	}
	p = gc_policy_load(show_cmd, path, NULL);
	if (p == NULL)
		return GC_EXIT_ERROR;
	if (json)
		show_json(path, p, rs_ruleset_of(p), patterns);
	else
		show_text(path, p, rs_ruleset_of(p), patterns);
	gc_policy_free(p);
	return gc_out_flush(show_cmd) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
}
