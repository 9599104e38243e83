/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ruleset image writer (pc_image.h). Every byte written is determined by the inputs: the
 * buffer starts zeroed, records are copied from zero-initialised arrays, pointer fields of
 * the core are cleared, and Hyperscan's serialization is deterministic for a given database
 * and platform. That is what makes two compiles byte-identical (tests/unit/test_ruleset.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pc_image.h"
#include "rs_ruleset.h"

#ifndef GUARD_VERSION
#define GUARD_VERSION "unknown"
#endif

static size_t
align_up(size_t n)
{
	return (n + RS_IMAGE_ALIGN - 1) & ~(size_t)(RS_IMAGE_ALIGN - 1);
}

/* One section's source while the image is laid out. */
struct part {
	const void *data;
	size_t size;
	uint32_t count, elem;
};

static void
set_why(char *why, size_t why_len, const char *text)
{
	if (why != NULL && why_len > 0)
		snprintf(why, why_len, "%s", text);
}

int
pc_image_write(const struct pc_image_parts *parts, uint8_t **bytes, size_t *len, uint8_t sha256[32],
	       char *why, size_t why_len)
{
	const struct insp_policy *p = parts->p;
	struct insp_policy core;
	char *ser[2] = {NULL, NULL};
	size_t ser_len[2] = {0, 0};
	const hs_database_t *dbs[2] = {parts->regex_db, parts->lit_db};
	struct part s[RS_SEC_COUNT];
	struct rs_image_header *h;
	size_t total;
	uint8_t *img;

	*bytes = NULL;
	*len = 0;
	for (int i = 0; i < 2; i++) {
		if (dbs[i] != NULL &&
		    hs_serialize_database(dbs[i], &ser[i], &ser_len[i]) != HS_SUCCESS) {
			free(ser[0]);
			set_why(why, why_len, "Hyperscan could not serialize a database");
			return -1;
		}
	}
	/* the core: scalars only, every pointer cleared */
	memset(&core, 0, sizeof(core));
	core = *p;
	core.groups = NULL;
	core.class_policies = NULL;
	core.class_names = NULL;
	core.destinations = NULL;
	core.held = NULL;
	core.channels = NULL;
	core.category_hints = NULL;
	core.priorities = NULL;
	core.egress_links = NULL;
	core.patterns = NULL;
	core.strings = NULL;
	core.hint_order = NULL;
	core.prio_order = NULL;
	core.channel_keys = NULL;
	memset(&core.matcher, 0, sizeof(core.matcher));

#define SEC(id, ptr, n, type) \
	s[id] = (struct part){(ptr), (size_t)(n) * sizeof(type), (n), sizeof(type)}
	SEC(RS_SEC_CORE, &core, 1, struct insp_policy);
	SEC(RS_SEC_GROUPS, p->groups, p->n_groups, struct insp_group);
	SEC(RS_SEC_CLASS_POLICIES, p->class_policies, p->n_class_policies,
	    struct insp_class_policy);
	SEC(RS_SEC_CLASS_NAMES, p->class_names, p->n_class_names, struct insp_class_name);
	SEC(RS_SEC_DESTINATIONS, p->destinations, p->n_destinations, struct insp_destination);
	SEC(RS_SEC_HELD, p->held, p->n_held, insp_held_t);
	SEC(RS_SEC_CHANNELS, p->channels, p->n_channels, struct insp_channel);
	SEC(RS_SEC_HINTS, p->category_hints, p->n_category_hints, struct insp_category_hint);
	SEC(RS_SEC_PRIORITIES, p->priorities, p->n_priorities, struct insp_priority_rule);
	SEC(RS_SEC_PATTERNS, p->patterns, p->n_patterns, struct insp_pattern);
	SEC(RS_SEC_INPUTS, parts->inputs, parts->n_inputs, struct rs_input);
	SEC(RS_SEC_HINT_ORDER, p->hint_order, p->n_category_hints, uint32_t);
	SEC(RS_SEC_PRIO_ORDER, p->prio_order, p->n_prio_order, uint32_t);
	SEC(RS_SEC_CHANNEL_KEYS, p->channel_keys, p->n_channels, struct insp_channel_key);
	SEC(RS_SEC_EGRESS_LINKS, p->egress_links, p->n_egress_links, struct insp_egress_link);
#undef SEC
	s[RS_SEC_STRINGS] = (struct part){p->strings, p->strings_len, 0, 0};
	s[RS_SEC_HS_REGEX] = (struct part){ser[0], ser_len[0], 0, 0};
	s[RS_SEC_HS_LITERAL] = (struct part){ser[1], ser_len[1], 0, 0};

	total = RS_IMAGE_HEADER_BYTES;
	for (int i = 0; i < RS_SEC_COUNT; i++)
		total = align_up(total) + s[i].size;
	total = align_up(total);
	img = aligned_alloc(RS_IMAGE_ALIGN, total);
	if (img == NULL) {
		free(ser[0]);
		free(ser[1]);
		set_why(why, why_len, "out of memory writing the image");
		return -1;
	}
	memset(img, 0, total);
	h = (struct rs_image_header *)img;
	memcpy(h->magic, RS_IMAGE_MAGIC, 8);
	h->version = RS_IMAGE_VERSION;
	h->endian = RS_IMAGE_ENDIAN_LITTLE;
	h->header_size = RS_IMAGE_HEADER_BYTES;
	h->layout = rs_image_layout();
	h->image_size = total;
	memcpy(h->policy_sha256, parts->inputs[0].sha256, 32);
	h->created = parts->created;
	snprintf(h->guard_version, sizeof(h->guard_version), "%s", GUARD_VERSION);
	h->options = parts->options;
	h->n_inputs = parts->n_inputs;
	if (parts->plat != NULL) {
		h->hs.cpu_features = parts->plat->cpu_features;
		h->hs.tune = parts->plat->tune;
	}
	snprintf(h->hs.hs_version, sizeof(h->hs.hs_version), "%s", hs_version());

	size_t off = RS_IMAGE_HEADER_BYTES;
	for (int i = 0; i < RS_SEC_COUNT; i++) {
		off = align_up(off);
		h->sect[i].off = off;
		h->sect[i].size = s[i].size;
		h->sect[i].count = s[i].count;
		h->sect[i].elem_size = s[i].elem;
		if (s[i].size != 0)
			memcpy(img + off, s[i].data, s[i].size);
		off += s[i].size;
	}
	free(ser[0]);
	free(ser[1]);
	rs_image_sha256(img, total, h->image_sha256);
	/* the identity an operator checks with sha256sum: every byte, the header hash included */
	rs_sha256(img, total, sha256);
	*bytes = img;
	*len = total;
	return 0;
}
