/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policy and term files from disk (see policy_file.h). Kept out of libguard-inspect so the
 * library stays free of I/O; guardctl and guardd link this instead of each reading files
 * their own way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_policy_load.h"
#include "policy_file.h"

static void
set_why(char *why, size_t why_len, const char *text)
{
	if (why != NULL && why_len > 0)
		snprintf(why, why_len, "%s", text);
}

int
policy_file_read(const char *path, char **text, size_t *len, char *why, size_t why_len, void *ctx)
{
	size_t cap = 64 * 1024, n = 0;
	char *buf, *nbuf;
	FILE *f;

	(void)ctx;
	*text = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (f == NULL) {
		set_why(why, why_len, strerror(errno));
		return -1;
	}
	buf = malloc(cap);
	if (buf == NULL)
		goto oom;
	for (;;) {
		size_t got;

		if (n == cap - 1) {
			if (cap >= POLICY_FILE_MAX_BYTES) {
				char msg[64];

				snprintf(msg, sizeof(msg), "larger than %u bytes",
					 POLICY_FILE_MAX_BYTES - 1);
				set_why(why, why_len, msg);
				goto fail;
			}
			nbuf = realloc(buf, cap * 2);
			if (nbuf == NULL)
				goto oom;
			buf = nbuf;
			cap *= 2;
		}
		errno = 0;
		got = fread(buf + n, 1, cap - 1 - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				set_why(why, why_len, strerror(errno != 0 ? errno : EIO));
				goto fail;
			}
			break; /* end of file */
		}
	}
	fclose(f);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
oom:
	set_why(why, why_len, strerror(ENOMEM));
fail:
	free(buf);
	fclose(f);
	return -1;
}

struct insp_policy *
policy_file_load(const char *path, struct insp_err *err)
{
	const struct insp_policy_io io = {.read_file = policy_file_read, .ctx = NULL};
	struct insp_policy *p;
	char why[256] = "";
	char *text = NULL;
	size_t len = 0;

	if (policy_file_read(path, &text, &len, why, sizeof(why), NULL) != 0) {
		if (err != NULL) {
			memset(err, 0, sizeof(*err));
			snprintf(err->msg, sizeof(err->msg), "%s: cannot read the policy: %s", path,
				 why);
		}
		return NULL;
	}
	p = insp_policy_load_ex(text, len, path, &io, err);
	free(text);
	return p;
}
