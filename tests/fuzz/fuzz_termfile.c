/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The term-file reader of the policy compiler (control/policy): a fixed small policy names
 * one term file, and the reader it is given (struct pc_io) returns the fuzz input as that
 * file's bytes. The first input byte chooses the file entry's keys: bit 0 'regex: true',
 * bit 1 'caseless: false', bit 2 'action: review' (seeds start with a digit '0'..'7'); the
 * rest is the file. Whatever compiles must open with rs_ruleset_open() (abort otherwise).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pc_policy.h"
#include "rs_ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define POLICY_HEAD                                                                  \
	"version: 1\n"                                                               \
	"nations: [USA, GBR]\n"                                                      \
	"classifications: {NATO: {UNCLASSIFIED: UNCLASSIFIED, SECRET: SECRET}}\n"    \
	"destinations:\n"                                                            \
	"  MN: {members: [USA, GBR], max_classification: SECRET}\n"                  \
	"channels:\n"                                                                \
	"  - name: cot-a\n"                                                          \
	"    direction: high_to_low\n"                                               \
	"    format: cot\n"                                                          \
	"    destination: MN\n"                                                      \
	"    ingress: {port: 0, address: 239.2.3.1, udp_port: 6969}\n"               \
	"    egress: {port: 1, source_address: 203.0.113.10, address: 239.10.3.1,\n" \
	"             udp_port: 6969, next_hop_mac: \"01:00:5e:0a:03:01\"}\n"        \
	"prohibited_terms:\n"                                                        \
	"  - {id: 1, literal: \"blue sentinel\"}\n"                                  \
	"markings:\n"                                                                \
	"  - {id: 2, literal: \"NATO SECRET\", classification: SECRET}\n"            \
	"prohibited_term_files:\n"                                                   \
	"  - {path: terms.txt, first_id: 1000"

struct input {
	const uint8_t *data;
	size_t size;
	unsigned reads;
};

static int
read_input(const char *path, char **text, size_t *len, int64_t *mtime, char *why, size_t why_len,
	   void *ctx)
{
	struct input *in = ctx;

	*text = NULL;
	*len = 0;
	/* the policy's directory is joined in front of the relative path */
	if (strstr(path, "terms.txt") == NULL) {
		snprintf(why, why_len, "no such file");
		return -1;
	}
	in->reads++;
	*text = malloc(in->size != 0 ? in->size : 1);
	if (*text == NULL) {
		snprintf(why, why_len, "out of memory");
		return -1;
	}
	if (in->size != 0)
		memcpy(*text, in->data, in->size);
	*len = in->size;
	if (mtime != NULL)
		*mtime = 0;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pc_options opt = {.portable = 0, .created = 0};
	char policy[sizeof(POLICY_HEAD) + 96];
	struct input in;
	struct pc_io io = {read_input, &in};
	struct pc_image img;
	struct insp_err err;
	struct rs_ruleset rs;
	int n, rc;

	if (size == 0 || size > 1024 * 1024)
		return 0;
	n = snprintf(policy, sizeof(policy), "%s%s%s%s}\n", POLICY_HEAD,
		     (data[0] & 1) ? ", regex: true" : "", (data[0] & 2) ? ", caseless: false" : "",
		     (data[0] & 4) ? ", action: review" : "");
	if (n < 0 || (size_t)n >= sizeof(policy))
		abort();
	in = (struct input){data + 1, size - 1, 0};
	memset(&err, 0, sizeof(err));
	if (pc_compile(policy, (size_t)n, "/fuzz/policy.yaml", &io, &opt, &img, &err) != 0) {
		if (img.bytes != NULL || err.msg[0] == '\0' ||
		    memchr(err.msg, '\0', sizeof(err.msg)) == NULL)
			abort();
		/* the policy itself is fine: every refusal is about the term file */
		if (in.reads != 1)
			abort();
		return 0;
	}
	if (in.reads != 1)
		abort();
	rc = rs_ruleset_open(&rs, img.bytes, img.len, NULL, "fuzz", &err);
	if (rc != RS_OK) {
		fprintf(stderr, "fuzz_termfile: a compiled image is refused: %s\n", err.msg);
		abort();
	}
	/* the policy, then the term file */
	if (rs.hdr->n_inputs != 2 || rs.inputs[1].size != size - 1)
		abort();
	rs_ruleset_close(&rs);
	pc_image_free(&img);
	return 0;
}
