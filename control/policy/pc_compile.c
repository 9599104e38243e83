/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The compiler's front door (pc_policy.h): read, build (ld_build), write the image, and the
 * one-step compile-and-open that guardctl and the tests use. Every input the build reads
 * passes through record_read(), which keeps its path, size and SHA-256 for the image's
 * input list: an accreditor can check which policy and which term files an image came from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pc_image.h"
#include "pc_internal.h"
#include "rs_ruleset.h"

struct recorder {
	const struct pc_io *inner;
	struct rs_input inputs[RS_IMAGE_MAX_INPUTS];
	uint32_t n_inputs;
	int64_t newest;
};

static void
record(struct recorder *r, const char *path, const char *text, size_t len, int64_t mtime)
{
	struct rs_input *in;
	size_t plen = strlen(path);

	if (r->n_inputs >= RS_IMAGE_MAX_INPUTS)
		return; /* the loader's limit on term files keeps us far below */
	in = &r->inputs[r->n_inputs++];
	memset(in, 0, sizeof(*in));
	/* keep the end of a long path: the file name is what a reader looks for */
	if (plen >= sizeof(in->path))
		path += plen - (sizeof(in->path) - 1);
	snprintf(in->path, sizeof(in->path), "%s", path);
	in->size = len;
	rs_sha256(text, len, in->sha256);
	if (mtime > r->newest)
		r->newest = mtime;
}

static int
record_read(const char *path, char **text, size_t *len, int64_t *mtime, char *why, size_t why_len,
	    void *ctx)
{
	struct recorder *r = ctx;
	int64_t m = 0;
	int rc;

	rc = r->inner->read_file(path, text, len, &m, why, why_len, r->inner->ctx);
	if (rc == 0 && (*text != NULL || *len == 0))
		record(r, path, *text != NULL ? *text : "", *len, m);
	if (mtime != NULL)
		*mtime = m;
	return rc;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org), or -1. */
static int64_t
source_date_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	return (errno != 0 || *end != '\0' || v < 0) ? -1 : (int64_t)v;
}

static double
now_seconds(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
db_size(const hs_database_t *db)
{
	size_t n = 0;

	if (db == NULL || hs_database_size(db, &n) != HS_SUCCESS)
		return 0;
	return n;
}

/* The compile behind pc_compile() and pc_compile_file(): @p policy_mtime for the date. */
static int
compile(const char *text, size_t len, const char *file_name, const struct pc_io *io,
	const struct pc_options *opt, int64_t policy_mtime, struct pc_image *out,
	struct insp_err *err)
{
	static const struct pc_options defaults = {.portable = 0, .created = -1};
	struct recorder *rec = calloc(1, sizeof(*rec));
	struct pc_io rec_io = {record_read, rec};
	hs_platform_info_t plat;
	struct ld c;
	struct pc_image_parts parts;
	char why[256];
	double t0 = now_seconds();
	int64_t created;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if (opt == NULL)
		opt = &defaults;
	if (file_name == NULL)
		file_name = "policy";
	if (rec == NULL) {
		if (err != NULL)
			snprintf(err->msg, sizeof(err->msg), "%s: out of memory", file_name);
		return -1;
	}
	rec->inner = io;
	if (text == NULL) {
		text = "";
		len = 0;
	}
	record(rec, file_name, text, len, policy_mtime);
	if (hs_populate_platform(&plat) != HS_SUCCESS) {
		if (err != NULL)
			snprintf(err->msg, sizeof(err->msg),
				 "%s: Hyperscan cannot read this machine's CPU features",
				 file_name);
		goto out;
	}
	if (opt->portable) {
		/* the oldest x86-64 Hyperscan supports (SSSE3), no AVX2/AVX-512 */
		plat.cpu_features = 0;
		plat.tune = HS_TUNE_FAMILY_GENERIC;
	}
	c.file = file_name;
	c.err = err;
	c.io = (io != NULL && io->read_file != NULL) ? &rec_io : NULL;
	c.plat = &plat;
	c.bounds.seconds = opt->compile_seconds;
	c.bounds.max_bytes = PC_HS_MAX_BYTES;
	if (ld_build(&c, text, len) < 0)
		goto out;
	out->parse_seconds = now_seconds() - t0 - c.hs_seconds;
	out->hs_seconds = c.hs_seconds;
	for (uint32_t i = 0; i < c.p->n_patterns; i++) {
		out->n_literals += c.p->patterns[i].literal;
		out->n_regexes += !c.p->patterns[i].literal;
	}
	out->regex_db_bytes = db_size(c.regex_db);
	out->literal_db_bytes = db_size(c.lit_db);
	/* the operator's date, else SOURCE_DATE_EPOCH (reproducible builds), else the inputs' */
	created = opt->created >= 0 ? opt->created : source_date_epoch();
	if (created < 0)
		created = rec->newest;
	parts = (struct pc_image_parts){
		.p = c.p,
		.regex_db = c.regex_db,
		.lit_db = c.lit_db,
		.inputs = rec->inputs,
		.n_inputs = rec->n_inputs,
		.created = created,
		.options = opt->portable ? RS_OPT_PORTABLE : 0,
		.plat = &plat,
	};
	if (pc_image_write(&parts, &out->bytes, &out->len, out->sha256, why, sizeof(why)) < 0) {
		if (err != NULL)
			snprintf(err->msg, sizeof(err->msg), "%s: %s", file_name, why);
		goto out;
	}
	rc = 0;
out:
	ld_release(&c);
	free(rec);
	return rc;
}

int
pc_compile(const char *text, size_t len, const char *file_name, const struct pc_io *io,
	   const struct pc_options *opt, struct pc_image *out, struct insp_err *err)
{
	return compile(text, len, file_name, io, opt, 0, out, err);
}

int
pc_compile_file(const char *path, const struct pc_options *opt, struct pc_image *out,
		struct insp_err *err)
{
	static size_t policy_max = PC_POLICY_MAX_BYTES;
	const struct pc_io io = {pc_file_read, NULL};
	char why[256] = "";
	char *text = NULL;
	size_t len = 0;
	int64_t mtime = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (pc_file_read(path, &text, &len, &mtime, why, sizeof(why), &policy_max) != 0) {
		if (err != NULL)
			snprintf(err->msg, sizeof(err->msg), "%s: cannot read the policy: %s", path,
				 why);
		return -1;
	}
	rc = compile(text, len, path, &io, opt, mtime, out, err);
	free(text);
	return rc;
}

void
pc_image_free(struct pc_image *img)
{
	if (img == NULL)
		return;
	free(img->bytes);
	memset(img, 0, sizeof(*img));
}

/* An image and the ruleset open on it, freed together by pc_policy_free(). */
struct held_policy {
	struct rs_ruleset rs; /* first: the policy is its first member */
	uint8_t *bytes;
};

_Static_assert(offsetof(struct held_policy, rs) == 0, "policy first");

struct insp_policy *
pc_policy_adopt_image(uint8_t *bytes, size_t len, const char *name, struct insp_err *err,
		      int *rs_error)
{
	struct held_policy *h = calloc(1, sizeof(*h));
	int rc;

	if (h == NULL) {
		free(bytes);
		if (err != NULL)
			snprintf(err->msg, sizeof(err->msg), "%s: out of memory", name);
		if (rs_error != NULL)
			*rs_error = RS_ERR_NOMEM;
		return NULL;
	}
	h->bytes = bytes;
	rc = rs_ruleset_open(&h->rs, bytes, len, NULL, name, err);
	if (rs_error != NULL)
		*rs_error = rc;
	if (rc != RS_OK) {
		free(bytes);
		free(h);
		return NULL;
	}
	return &h->rs.policy;
}

struct insp_policy *
pc_policy_load_ex(const char *text, size_t len, const char *file_name, const struct pc_io *io,
		  struct insp_err *err)
{
	struct pc_image img;

	if (pc_compile(text, len, file_name, io, NULL, &img, err) < 0)
		return NULL;
	return pc_policy_adopt_image(img.bytes, img.len, file_name != NULL ? file_name : "policy",
				     err, NULL);
}

struct insp_policy *
pc_policy_load(const char *text, size_t len, const char *file_name, struct insp_err *err)
{
	return pc_policy_load_ex(text, len, file_name, NULL, err);
}

struct insp_policy *
pc_policy_load_file(const char *path, struct insp_err *err)
{
	struct pc_image img;

	if (pc_compile_file(path, NULL, &img, err) < 0)
		return NULL;
	return pc_policy_adopt_image(img.bytes, img.len, path, err, NULL);
}

struct insp_policy *
pc_policy_from_image(const uint8_t *bytes, size_t len, const char *name, struct insp_err *err,
		     int *rs_error)
{
	uint8_t *copy = aligned_alloc(RS_IMAGE_ALIGN,
				      (len + RS_IMAGE_ALIGN) & ~(size_t)(RS_IMAGE_ALIGN - 1));

	if (copy == NULL) {
		if (err != NULL)
			snprintf(err->msg, sizeof(err->msg), "%s: out of memory", name);
		if (rs_error != NULL)
			*rs_error = RS_ERR_NOMEM;
		return NULL;
	}
	if (len != 0)
		memcpy(copy, bytes, len);
	return pc_policy_adopt_image(copy, len, name, err, rs_error);
}

void
pc_policy_free(struct insp_policy *p)
{
	struct held_policy *h;

	if (p == NULL)
		return;
	h = (struct held_policy *)(void *)rs_ruleset_of(p);
	rs_ruleset_close(&h->rs);
	free(h->bytes);
	free(h);
}
