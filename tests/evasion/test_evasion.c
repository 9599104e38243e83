/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Evasion suite (GUARD-SPEC 4.4, 4.5): crafted CoT messages that try to smuggle a
 * prohibited term or a content marking past the guard, and near misses that must pass.
 *
 *   drop/NNN_<reason>__<technique>.xml  must be dropped (or held) with exactly <reason>;
 *       for the content reasons (marking_inconsistent, prohibited_content, review) the
 *       comment before the root says "rule=<id>" and the matched rule must be that one
 *   pass/NNN_<what>.xml                 must be released
 *
 * Each file is decided on channel cot-mn, or cot-fvey when its name contains "fvey", with
 * the clock fixed at 2026-11-22T10:00:00Z. Every file must also fit the channel's
 * max_size, so that no case depends on a message the guard would refuse at layer 2-4.
 * The counts are asserted so that the suite cannot silently shrink.
 *
 * Usage: test_evasion SAMPLE_POLICY EVASION_DIR
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_inspect.h"
#include "insp_policy.h"
#include "insp_reason.h"
#ifdef HAVE_POLICY_FILE
#include "policy_file.h"
#else
#include "insp_policy_load.h"
#endif
#include "test.h"

#define T_NOW_MS  INT64_C(1795341600000) /* 2026-11-22T10:00:00Z */
#define MAX_MSG	  16384
#define MIN_DROPS 70
#define MIN_PASS  40

static struct insp_policy *pol;
static struct insp_scratch *scr;
static int ch_mn = -1, ch_fvey = -1;

static struct insp_policy *
load_policy(const char *path, struct insp_err *err)
{
#ifdef HAVE_POLICY_FILE
	return policy_file_load(path, err); /* follows prohibited_term_files */
#else
	size_t len = 0;
	char *text = test_read_file(path, &len);
	struct insp_policy *p;

	if (text == NULL) {
		snprintf(err->msg, sizeof(err->msg), "%s: cannot read", path);
		return NULL;
	}
	p = insp_policy_load(text, len, path, err);
	free(text);
	return p;
#endif
}

static int
channel(const char *name)
{
	for (uint32_t i = 0; i < pol->n_channels; i++)
		if (strcmp(pol->channels[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
is_xml(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && strcmp(d->d_name + n - 4, ".xml") == 0;
}

/* The reason a drop file names: "NNN_<reason>__<technique>.xml"; -1 if the name is wrong. */
static int
reason_of(const char *name)
{
	const char *us = strchr(name, '_');
	const char *sep = us ? strstr(us + 1, "__") : NULL;
	char reason[64];
	size_t k;

	if (us == NULL || sep == NULL)
		return -1;
	k = (size_t)(sep - (us + 1));
	if (k == 0 || k >= sizeof(reason))
		return -1;
	memcpy(reason, us + 1, k);
	reason[k] = '\0';
	return insp_reason_from_name(reason);
}

/* "rule=<id>" in the text before the root element, or 0. */
static uint32_t
rule_of(const char *buf)
{
	const char *root = strstr(buf, "<event");
	const char *r = strstr(buf, "rule=");

	if (r == NULL || (root != NULL && r > root))
		return 0;
	return (uint32_t)strtoul(r + 5, NULL, 10);
}

/* Decide every file of @p sub ("drop" or "pass"); returns how many there were. */
static int
run_dir(const char *root, const char *sub)
{
	char dir[4096], path[4400];
	struct dirent **names = NULL;
	int drop = strcmp(sub, "drop") == 0;
	int n;

	snprintf(dir, sizeof(dir), "%s/%s", root, sub);
	n = scandir(dir, &names, is_xml, alphasort);
	CHECK(n >= 0, "%s: readable directory", dir);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		int fvey = strstr(name, "fvey") != NULL;
		int ch = fvey ? ch_fvey : ch_mn;
		int want = drop ? reason_of(name) : (int)INSP_R_RELEASE;
		struct insp_result res;
		size_t len = 0;
		char *buf;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (drop && want <= (int)INSP_R_RELEASE) {
			CHECK(0, "%s/%s: name is NNN_<reason>__<technique>.xml with a drop reason",
			      sub, name);
			free(names[i]);
			continue;
		}
		buf = test_read_file(path, &len);
		if (buf == NULL) {
			CHECK(0, "%s/%s: readable", sub, name);
			free(names[i]);
			continue;
		}
		CHECK(len <= pol->channels[ch].max_size, "%s/%s: %zu bytes fit max_size %u", sub,
		      name, len, pol->channels[ch].max_size);

		memset(&res, 0, sizeof(res));
		enum insp_reason got = insp_inspect(pol, scr, (uint32_t)ch, (const uint8_t *)buf,
						    len, T_NOW_MS, &res);
		int content = want == INSP_R_MARKING_INCONSISTENT ||
			      want == INSP_R_PROHIBITED_CONTENT || want == INSP_R_REVIEW;
		uint32_t rule = content ? rule_of(buf) : 0;
		/* a drop says why, a release says nothing (insp_inspect.h) */
		int ok = got == (enum insp_reason)want && (!content || res.rule_id == rule) &&
			 (res.detail[0] != '\0') == drop;

		if (content)
			CHECK(ok, "%s/%s on %s: %s, rule %u", sub, name,
			      fvey ? "cot-fvey" : "cot-mn",
			      insp_reason_name((enum insp_reason)want), rule);
		else
			CHECK(ok, "%s/%s on %s: %s%s%s%s", sub, name, fvey ? "cot-fvey" : "cot-mn",
			      insp_reason_name((enum insp_reason)want), drop ? " (" : "",
			      drop ? res.detail : "", drop ? ")" : "");
		if (!ok)
			printf("#   file %s\n#   got  %s rule %u\n#   want %s rule %u\n"
			       "#   res.detail '%s' (offset %u)\n",
			       path, insp_reason_name(got), res.rule_id,
			       insp_reason_name((enum insp_reason)want), rule, res.detail,
			       res.offset);
		if (content)
			CHECK(rule != 0, "%s/%s: header comment names the expected rule=<id>", sub,
			      name);
		free(buf);
		free(names[i]);
	}
	free(names);
	return n < 0 ? 0 : n;
}

int
main(int argc, char **argv)
{
	struct insp_err err;
	int n_drop, n_pass;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SAMPLE_POLICY EVASION_DIR\n", argv[0]);
		return 2;
	}
	memset(&err, 0, sizeof(err));
	pol = load_policy(argv[1], &err);
	CHECK(pol != NULL, "sample policy loads (%s)", pol ? argv[1] : err.msg);
	if (pol == NULL)
		return test_done();
	ch_mn = channel("cot-mn");
	ch_fvey = channel("cot-fvey");
	CHECK(ch_mn >= 0 && ch_fvey >= 0, "channels cot-mn and cot-fvey exist");
	scr = insp_scratch_create(pol, MAX_MSG);
	CHECK(scr != NULL, "scratch created");
	if (ch_mn >= 0 && ch_fvey >= 0 && scr != NULL) {
		n_drop = run_dir(argv[2], "drop");
		n_pass = run_dir(argv[2], "pass");
		CHECK(n_drop >= MIN_DROPS, "at least %d evasion messages in drop/ (%d)", MIN_DROPS,
		      n_drop);
		CHECK(n_pass >= MIN_PASS, "at least %d near misses in pass/ (%d)", MIN_PASS,
		      n_pass);
	}
	insp_scratch_free(scr);
	insp_policy_free(pol);
	return test_done();
}
