/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guard-slowpath's whole decision on one reassembled object (control/slowpath/sp_object.h)
 * on objects_out of the sample policy: libmagic, qpdf's object walk, poppler's text, libvips'
 * decode and re-encode, the envelope and the fast path's checks. The first input byte is the
 * declared type (1 text, 2 pdf, 3 jpeg, 4 png: taken modulo 4), the rest the object.
 * Invariants: a known outcome and reason; a refusal keeps nothing; a held or released
 * object has content to send, findings that are a JSON array, and text the envelope took.
 */
#include "fuzz_common.h"
#include "sp_image.h"
#include "sp_object.h"

static struct sp_ctx *fuzz_sp;
static struct insp_scratch *fuzz_sp_scratch;

static void
fuzz_sp_setup(void)
{
	char err[256];

	if (fuzz_sp != NULL)
		return;
	fuzz_setup();
	/* this target decides with a scratch sized for objects: the shared one is not used */
	insp_scratch_free(fuzz_scratch);
	fuzz_scratch = NULL;
	if (sp_image_init("fuzz_object", err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
	fuzz_sp = sp_ctx_create(NULL, err, sizeof(err));
	fuzz_sp_scratch = insp_scratch_create(fuzz_policy, sp_scratch_size(fuzz_policy, NULL));
	if (fuzz_sp == NULL || fuzz_sp_scratch == NULL) {
		fprintf(stderr, "fuzz: slow-path set-up failed: %s\n", err);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_outcome o;
	struct sp_object obj;
	static const char label[] = "NATO UNCLASSIFIED//REL TO NATO";

	if (size < 2 || size > 262144)
		return 0;
	fuzz_sp_setup();
	memset(&obj, 0, sizeof(obj));
	obj.declared_type = (uint8_t)(data[0] % 4 + 1);
	obj.data = data + 1;
	obj.len = size - 1;
	obj.label = label;
	obj.label_len = sizeof(label) - 1;
	obj.id = 0x1234;
	obj.channel = fuzz_channel("objects_out");
	sp_object_inspect(fuzz_sp, fuzz_policy, fuzz_sp_scratch, &obj, 1795342800000LL, &o);
	if ((unsigned)o.reason >= INSP_R_COUNT || o.kind > SP_RELEASE)
		abort();
	if (o.findings == NULL || o.findings[0] != '[')
		abort();
	if (o.kind == SP_REFUSE && (o.content != NULL || o.text != NULL || o.detail[0] == '\0'))
		abort();
	if (o.kind != SP_REFUSE && (o.content == NULL || o.content_len == 0))
		abort();
	sp_outcome_free(&o);
	return 0;
}
