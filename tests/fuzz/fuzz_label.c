/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The STANAG 4774 label decoder on its own: the first byte picks strict or lenient mode,
 * the rest is an XML document whose root should be an originatorConfidentialityLabel.
 * Reaches the label structure rules much faster than through a whole message.
 */
#include <stdint.h>
#include <stdlib.h>

#include "insp_label.h"
#include "insp_utf8.h"
#include "insp_xml.h"

#define MAX_IN 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
within(struct insp_str s, const uint8_t *a, size_t a_len)
{
	return s.p >= a && s.p + s.len <= a + a_len;
}

/* In the input, the XML arena, or the label's own buffer of collapsed TagNames. */
static int
inside(struct insp_str s, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
       const struct insp_label *l)
{
	return s.len == 0 || within(s, a, a_len) || within(s, b, b_len) ||
	       within(s, l->tagbuf, l->tagbuf_len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t arena[MAX_IN];
	struct insp_xml x;
	struct insp_xml_event ev;
	struct insp_label_4774 b;
	struct insp_label l;
	size_t bad;
	int done = 0;

	if (size < 1 || size > MAX_IN)
		return 0;
	const uint8_t *doc = data + 1;
	size_t len = size - 1;

	if (insp_utf8_validate_xml(doc, len, &bad) < 0 ||
	    insp_xml_init(&x, doc, len, arena, sizeof(arena)) < 0)
		return 0;
	if (insp_xml_next(&x, &ev) != INSP_XML_START || !insp_label_4774_is_root(&ev))
		return 0;
	insp_label_4774_begin(&b, &l, data[0] & 1, &ev);
	while (!done) {
		enum insp_xml_ev t = insp_xml_next(&x, &ev);

		if (t == INSP_XML_ERROR || t == INSP_XML_EOF)
			return 0;
		done = insp_label_4774_feed(&b, &ev);
	}
	if (insp_label_4774_end(&b) < 0) {
		if (b.why == NULL) /* a refusal always says why */
			abort();
		return 0;
	}
	/* accepted: complete, bounded, and every string inside the input or the arena */
	if (l.policy.len == 0 || l.classification.len == 0 || l.n_rel > INSP_LABEL_MAX_VALUES ||
	    l.n_restrictive > INSP_LABEL_MAX_VALUES || l.n_informative > INSP_LABEL_MAX_VALUES)
		abort();
	if (!inside(l.policy, doc, len, arena, sizeof(arena), &l) ||
	    !inside(l.classification, doc, len, arena, sizeof(arena), &l))
		abort();
	for (uint32_t i = 0; i < l.n_rel; i++)
		if (!inside(l.rel[i], doc, len, arena, sizeof(arena), &l))
			abort();
	for (uint32_t i = 0; i < l.n_informative; i++)
		if (!inside(l.informative[i].tag, doc, len, arena, sizeof(arena), &l) ||
		    !inside(l.informative[i].value, doc, len, arena, sizeof(arena), &l))
			abort();
	return 0;
}
