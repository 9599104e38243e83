/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policy loading and name lookup for guardctl commands (see gc_load.h).
 */
#include <stdio.h>
#include <string.h>

#include "gc_load.h"
#include "gc_out.h"
#include "policy_file.h"

struct insp_policy *
gc_policy_load(const char *cmd, const char *path, struct insp_err *err)
{
	struct insp_err e;
	struct insp_policy *p;

	memset(&e, 0, sizeof(e));
	p = policy_file_load(path, &e);
	if (p != NULL)
		return p;
	if (e.msg[0] != '\0')
		fprintf(stderr, "%s\n", e.msg);
	else
		gc_err(cmd, "policy '%s' rejected (the loader gave no reason)", path);
	if (err != NULL)
		*err = e;
	return NULL;
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
