/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Evasion suite (GUARD-SPEC 4.4, 4.5): crafted messages of every format that try to
 * smuggle a prohibited term or a content marking past the guard, or to slip a malformed
 * message through a parser, and near misses that must pass.
 *
 *   drop/NNN_<reason>__<technique>.<ext>  must be dropped (or held) with exactly <reason>;
 *       for the content reasons (marking_inconsistent, prohibited_content, review) the
 *       file's header says "rule=<id>" and the matched rule must be that one
 *   pass/NNN_<what>.<ext>                 must be released
 *
 * The extension gives the format, the channel and where the header is (struct kind):
 *   .xml              CoT on cot-mn (cot-fvey if the name contains "fvey"); header: the
 *                     comments before the root element (they are part of the message)
 *   .lxml             labelled XML on lxml-mn; header as for .xml
 *   .adatp3           ADatP-3 on adatp3-mn; header: leading lines starting with '#',
 *                     removed before the message is decided
 *   .tak-mesh.hex     TAK mesh on tak-mn; .tak-stream.hex TAK stream on tak-mn-stream:
 *                     the message as hex digits (whitespace ignored); '#' starts a
 *                     comment line, the header
 *
 * The clock is fixed at 2026-11-22T10:00:00Z. Every message must also fit its channel's
 * max_size, so that no case depends on a message the guard would refuse at layer 2-4.
 * The counts per format are asserted so that the suite cannot silently shrink.
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
#include "pc_policy.h"
#else
#include "pc_policy.h"
#endif
#include "test.h"

#define T_NOW_MS INT64_C(1795341600000) /* 2026-11-22T10:00:00Z */
#define MAX_MSG	 16384

enum header { HDR_XML_COMMENTS, HDR_HASH_LINES, HDR_HEX };

static struct kind {
	const char *ext;
	const char *channel;
	const char *channel_fvey; /* when the name contains "fvey", or NULL */
	enum header header;
	int min_drop, min_pass; /* the suite may not shrink below this */
	int ch, ch_fvey;
	int n_drop, n_pass;
} kinds[] = {
	/* longest extensions first: the first that ends the name wins */
	{".tak-mesh.hex", "tak-mn", NULL, HDR_HEX, 79, 14, -1, -1, 0, 0},
	{".tak-stream.hex", "tak-mn-stream", NULL, HDR_HEX, 16, 5, -1, -1, 0, 0},
	{".lxml", "lxml-mn", NULL, HDR_XML_COMMENTS, 72, 10, -1, -1, 0, 0},
	{".adatp3", "adatp3-mn", NULL, HDR_HASH_LINES, 60, 10, -1, -1, 0, 0},
	{".xml", "cot-mn", "cot-fvey", HDR_XML_COMMENTS, 272, 62, -1, -1, 0, 0},
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static struct insp_policy *pol;
static struct insp_scratch *scr;

static struct insp_policy *
load_policy(const char *path, struct insp_err *err)
{
#ifdef HAVE_POLICY_FILE
	return pc_policy_load_file(path, err); /* follows prohibited_term_files */
#else
	size_t len = 0;
	char *text = test_read_file(path, &len);
	struct insp_policy *p;

	if (text == NULL) {
		snprintf(err->msg, sizeof(err->msg), "%s: cannot read", path);
		return NULL;
	}
	p = pc_policy_load(text, len, path, err);
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

static struct kind *
kind_of(const char *name)
{
	size_t n = strlen(name);

	for (size_t k = 0; k < N_KINDS; k++) {
		size_t e = strlen(kinds[k].ext);

		if (n > e && strcmp(name + n - e, kinds[k].ext) == 0)
			return &kinds[k];
	}
	return NULL;
}

static int
is_message(const struct dirent *d)
{
	return d->d_name[0] != '.' && kind_of(d->d_name) != NULL;
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

/* "rule=<id>" in [p, end), or 0. */
static uint32_t
rule_in(const char *p, const char *end)
{
	for (; p + 5 <= end; p++)
		if (memcmp(p, "rule=", 5) == 0)
			return (uint32_t)strtoul(p + 5, NULL, 10);
	return 0;
}

/* "rule=<id>" in the comments (and declaration) before an XML root element, or 0. */
static uint32_t
rule_before_root(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *close;
	uint32_t rule;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			close = strstr(p, "-->");
			if (close == NULL)
				return 0;
			rule = rule_in(p, close);
			if (rule != 0)
				return rule;
			p = close + 3;
		} else if (end - p >= 2 && memcmp(p, "<?", 2) == 0) {
			close = strstr(p, "?>");
			if (close == NULL)
				return 0;
			p = close + 2;
		} else {
			return 0;
		}
	}
}

/* Length of the leading '#' lines of buf. */
static size_t
hash_header_len(const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len && buf[i] == '#') {
		const char *nl = memchr(buf + i, '\n', len - i);

		i = nl ? (size_t)(nl - buf) + 1 : len;
	}
	return i;
}

/* Hex digits (whitespace between bytes, '#' comment lines) -> bytes in place; -1 if bad. */
static long
unhex(char *buf, size_t len)
{
	size_t out = 0, i = 0;
	int hi = -1;

	while (i < len) {
		char c = buf[i++];
		int v;

		if (c == '#') {
			while (i < len && buf[i] != '\n')
				i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return -1;
		if (hi < 0) {
			hi = v;
		} else {
			buf[out++] = (char)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi < 0 ? (long)out : -1;
}

/* Decide every file of @p sub ("drop" or "pass"), counting them per kind. */
static void
run_dir(const char *root, const char *sub)
{
	char dir[4096], path[4400];
	struct dirent **names = NULL;
	int drop = strcmp(sub, "drop") == 0;
	int n;

	snprintf(dir, sizeof(dir), "%s/%s", root, sub);
	n = scandir(dir, &names, is_message, alphasort);
	CHECK(n >= 0, "%s: readable directory", dir);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		struct kind *k = kind_of(name);
		int fvey = k->channel_fvey != NULL && strstr(name, "fvey") != NULL;
		int ch = fvey ? k->ch_fvey : k->ch;
		const char *ch_name = fvey ? k->channel_fvey : k->channel;
		int want = drop ? reason_of(name) : (int)INSP_R_RELEASE;
		struct insp_result res;
		size_t len = 0, skip = 0;
		uint32_t rule = 0;
		char *buf;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (drop && want <= (int)INSP_R_RELEASE) {
			CHECK(0,
			      "%s/%s: name is NNN_<reason>__<technique>.<ext> with a drop reason",
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
		switch (k->header) {
		case HDR_XML_COMMENTS:
			rule = rule_before_root(buf, len);
			break;
		case HDR_HASH_LINES:
			skip = hash_header_len(buf, len);
			rule = rule_in(buf, buf + skip);
			break;
		case HDR_HEX: {
			size_t hdr = hash_header_len(buf, len);
			long n_bytes;

			rule = rule_in(buf, buf + hdr);
			n_bytes = unhex(buf, len);
			CHECK(n_bytes >= 0, "%s/%s: hex digits in pairs", sub, name);
			len = n_bytes < 0 ? 0 : (size_t)n_bytes;
			break;
		}
		}
		len -= skip;
		CHECK(len <= pol->channels[ch].max_size, "%s/%s: %zu bytes fit max_size %u", sub,
		      name, len, pol->channels[ch].max_size);

		memset(&res, 0, sizeof(res));
		enum insp_reason got = insp_inspect(
			pol, scr, (uint32_t)ch, (const uint8_t *)buf + skip, len, T_NOW_MS, &res);
		int content = want == INSP_R_MARKING_INCONSISTENT ||
			      want == INSP_R_PROHIBITED_CONTENT || want == INSP_R_REVIEW;

		if (!content)
			rule = 0;
		if (drop)
			k->n_drop++;
		else
			k->n_pass++;
		/* a drop says why, a release says nothing (insp_inspect.h) */
		int ok = got == (enum insp_reason)want && (!content || res.rule_id == rule) &&
			 (res.detail[0] != '\0') == drop;

		if (content)
			CHECK(ok, "%s/%s on %s: %s, rule %u", sub, name, ch_name,
			      insp_reason_name((enum insp_reason)want), rule);
		else
			CHECK(ok, "%s/%s on %s: %s%s%s%s", sub, name, ch_name,
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
}

int
main(int argc, char **argv)
{
	struct insp_err err;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SAMPLE_POLICY EVASION_DIR\n", argv[0]);
		return 2;
	}
	memset(&err, 0, sizeof(err));
	pol = load_policy(argv[1], &err);
	CHECK(pol != NULL, "sample policy loads (%s)", pol ? argv[1] : err.msg);
	if (pol == NULL)
		return test_done();
	int channels_ok = 1;

	for (size_t k = 0; k < N_KINDS; k++) {
		kinds[k].ch = channel(kinds[k].channel);
		kinds[k].ch_fvey = kinds[k].channel_fvey ? channel(kinds[k].channel_fvey) : -1;
		if (kinds[k].ch < 0 || (kinds[k].channel_fvey && kinds[k].ch_fvey < 0))
			channels_ok = 0;
		CHECK(kinds[k].ch >= 0, "channel %s exists", kinds[k].channel);
	}
	scr = insp_scratch_create(pol, MAX_MSG);
	CHECK(scr != NULL, "scratch created");
	if (channels_ok && scr != NULL) {
		run_dir(argv[2], "drop");
		run_dir(argv[2], "pass");
		for (size_t k = 0; k < N_KINDS; k++) {
			const struct kind *kd = &kinds[k];

			CHECK(kd->n_drop >= kd->min_drop, "at least %d %s messages in drop/ (%d)",
			      kd->min_drop, kd->ext, kd->n_drop);
			CHECK(kd->n_pass >= kd->min_pass,
			      "at least %d %s near misses in pass/ (%d)", kd->min_pass, kd->ext,
			      kd->n_pass);
		}
	}
	insp_scratch_free(scr);
	pc_policy_free(pol);
	return test_done();
}
