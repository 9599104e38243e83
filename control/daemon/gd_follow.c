/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gd_follow.h"
#include "rs_ruleset.h"

static void
rules_free(struct gd_rules *r)
{
	if (r->rs != NULL) {
		rs_ruleset_close(r->rs);
		free(r->rs);
	}
	if (r->image != NULL)
		rs_alloc_libc.free(r->image, rs_alloc_libc.ctx);
	free(r);
}

void
gd_rules_unref(struct gd_rules *r)
{
	if (r != NULL && atomic_fetch_sub(&r->refs, 1) == 1)
		rules_free(r);
}

struct gd_rules *
gd_follow_ref(struct gd_follow *f)
{
	if (f->cur != NULL)
		atomic_fetch_add(&f->cur->refs, 1);
	return f->cur;
}

void
gd_follow_close(struct gd_follow *f)
{
	gd_rules_unref(f->cur);
	f->cur = NULL;
}

int
gd_channel_index(const struct insp_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->n_channels; i++)
		if (strncmp(p->channels[i].name, name, INSP_NAME_MAX) == 0)
			return (int)i;
	return -1;
}

static struct gd_rules *
open_rules(const char *path, uint64_t gen, const char *want_sha, char *err, size_t errlen)
{
	struct gd_rules *r = calloc(1, sizeof(*r));
	struct rs_ruleset *rs = calloc(1, sizeof(*rs));
	struct insp_err ie;
	uint8_t sha[32];

	if (r == NULL || rs == NULL) {
		free(r);
		free(rs);
		snprintf(err, errlen, "out of memory opening ruleset generation %llu",
			 (unsigned long long)gen);
		return NULL;
	}
	atomic_init(&r->refs, 1);
	r->generation = gen;
	if (rs_image_read(path, &rs_alloc_libc, &r->image, &r->image_len, &ie) != RS_OK) {
		snprintf(err, errlen, "%s", ie.msg);
		free(rs);
		free(r);
		return NULL;
	}
	/* guardd publishes the SHA-256 of the image's bytes as loaded (dp_reload.c) */
	rs_sha256(r->image, r->image_len, sha);
	rs_hex(sha, r->sha256);
	if (strcmp(r->sha256, want_sha) != 0) {
		snprintf(err, errlen,
			 "%s: SHA-256 %s is not the running ruleset's %s (the file was replaced "
			 "since guardd loaded it); keeping the previous ruleset",
			 path, r->sha256, want_sha);
		rules_free(r);
		free(rs);
		return NULL;
	}
	if (rs_ruleset_open(rs, r->image, r->image_len, &rs_alloc_libc, path, &ie) != RS_OK) {
		snprintf(err, errlen, "%s", ie.msg);
		free(rs);
		rules_free(r);
		return NULL;
	}
	r->rs = rs;
	r->policy = &rs->policy;
	return r;
}

int
gd_follow_update(struct gd_follow *f, const struct dp_shared *sh, int64_t now_ms, char *err,
		 size_t errlen)
{
	char path[DP_RULESET_PATH_MAX], sha[65];
	uint8_t raw[32];
	uint64_t gen;
	uint32_t seq;
	struct gd_rules *r;

	do {
		dp_shared_info_begin(sh, &seq);
		gen = sh->generation;
		memcpy(path, sh->ruleset_path, sizeof(path));
		memcpy(raw, sh->ruleset_sha256, sizeof(raw));
	} while (dp_shared_info_retry(sh, seq));
	path[sizeof(path) - 1] = '\0';
	if ((f->cur != NULL ? f->cur->generation : 0) == gen)
		return 0;
	if (gen == f->tried && now_ms - f->tried_ms < 1000)
		return 0;
	f->tried = gen;
	f->tried_ms = now_ms;
	if (gen == 0) {
		gd_follow_close(f);
		return 1;
	}
	rs_hex(raw, sha);
	if (path[0] != '/') {
		/* a path relative to guardd's working directory, which need not be ours */
		char abs[DP_RULESET_PATH_MAX + 32];

		snprintf(abs, sizeof(abs), "/proc/%d/cwd/%s", (int)sh->guardd_pid, path);
		r = open_rules(abs, gen, sha, err, errlen);
	} else {
		r = open_rules(path, gen, sha, err, errlen);
	}
	if (r == NULL)
		return -1;
	gd_rules_unref(f->cur);
	f->cur = r;
	return 1;
}
