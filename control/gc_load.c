/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policy loading and name lookup for guardctl commands (see gc_load.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_load.h"
#include "gc_out.h"
#include "pc_policy.h"
#include "rs_ruleset.h"

static struct gc_load_info last;

/* A ruleset image: read and open it exactly as guardd does (libc memory instead of rte). */
static struct insp_policy *
load_image(const char *path, struct insp_err *e)
{
	uint8_t *bytes = NULL;
	size_t len = 0;
	struct insp_policy *p;
	int rc;

	rc = rs_image_read(path, NULL, &bytes, &len, e);
	if (rc != RS_OK)
		return NULL;
	p = pc_policy_adopt_image(bytes, len, path, e, &rc); /* rs_alloc_libc: aligned_alloc */
	last.rs_error = rc;
	return p;
}

/* Does the file start with the image magic? Reads 8 bytes; a FIFO is left to the readers. */
int
gc_is_image(const char *path)
{
	uint8_t head[8];
	size_t n = 0;
	FILE *f;

	if (!gc_regular_file(path))
		return 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return rs_image_is(head, n);
}

struct insp_policy *
gc_policy_load(const char *cmd, const char *path, struct insp_err *err)
{
	struct insp_err e;
	struct insp_policy *p;

	memset(&e, 0, sizeof(e));
	memset(&last, 0, sizeof(last));
	if (gc_is_image(path)) {
		last.from_image = 1;
		p = load_image(path, &e);
	} else {
		struct pc_image img;

		p = NULL;
		/* bounded as 'policy compile' is: a hostile regex cannot hold the command */
		static const struct pc_options bounded = {.created = -1,
							  .compile_seconds = PC_COMPILE_SECONDS};

		if (pc_compile_file(path, &bounded, &img, &e) == 0) {
			last.parse_seconds = img.parse_seconds;
			last.hs_seconds = img.hs_seconds;
			last.n_literals = img.n_literals;
			last.n_regexes = img.n_regexes;
			last.db_bytes = img.regex_db_bytes + img.literal_db_bytes;
			/* the policy takes the image's bytes: no copy */
			p = pc_policy_adopt_image(img.bytes, img.len, path, &e, &last.rs_error);
		}
	}
	if (p != NULL) {
		const struct rs_image_header *h = rs_ruleset_of(p)->hdr;

		rs_sha256(rs_ruleset_of(p)->image, h->image_size, last.sha256);
		last.image_bytes = h->image_size;
		if (last.from_image) {
			for (uint32_t i = 0; i < p->n_patterns; i++) {
				last.n_literals += p->patterns[i].literal;
				last.n_regexes += !p->patterns[i].literal;
			}
			last.db_bytes =
				h->sect[RS_SEC_HS_REGEX].size + h->sect[RS_SEC_HS_LITERAL].size;
		}
		return p;
	}
	if (e.msg[0] != '\0')
		fprintf(stderr, "%s\n", e.msg);
	else
		gc_err(cmd, "policy '%s' rejected (the loader gave no reason)", path);
	if (err != NULL)
		*err = e;
	return NULL;
}

const struct gc_load_info *
gc_policy_load_info(void)
{
	return &last;
}

void
gc_policy_free(struct insp_policy *p)
{
	pc_policy_free(p);
}

int
gc_channel_find(const struct insp_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->n_channels; i++)
		if (strcmp(p->channels[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
gc_channel_names(const struct insp_policy *p, char *buf, size_t cap)
{
	size_t used = 0;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (p->n_channels == 0) {
		snprintf(buf, cap, "none");
		return buf;
	}
	for (uint32_t i = 0; i < p->n_channels && used < cap; i++) {
		int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
				 p->channels[i].name);

		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}
