/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lookup tables a ruleset carries so that per-message queries scan only what can match
 * (insp_policy.h): hint indexes by format, longest prefix first; priority rule indexes by
 * channel; channel ingress keys sorted for a binary search. Derived from the policy's own
 * arrays, which keep their policy order (rs_ruleset.c checks the tables against them).
 */
#include "pc_internal.h"

static const struct insp_category_hint *sort_hints; /* qsort has no context argument */

static int
cmp_hint(const void *a, const void *b)
{
	const struct insp_category_hint *x = &sort_hints[*(const uint32_t *)a];
	const struct insp_category_hint *y = &sort_hints[*(const uint32_t *)b];

	if (x->format != y->format)
		return x->format < y->format ? -1 : 1;
	if (x->prefix_len != y->prefix_len)
		return x->prefix_len > y->prefix_len ? -1 : 1; /* longest first */
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int
cmp_key(const void *a, const void *b)
{
	return memcmp(((const struct insp_channel_key *)a)->key,
		      ((const struct insp_channel_key *)b)->key, INSP_CHANNEL_KEY_BYTES);
}

static int
hint_table(struct insp_policy *p)
{
	uint32_t n = p->n_category_hints;

	p->hint_order = calloc(n + 1, sizeof(*p->hint_order));
	if (p->hint_order == NULL)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		p->hint_order[i] = i;
	sort_hints = p->category_hints;
	qsort(p->hint_order, n, sizeof(*p->hint_order), cmp_hint);
	sort_hints = NULL;
	for (uint32_t i = 0; i < n; i++) {
		struct insp_range *r =
			&p->hints_by_format[p->category_hints[p->hint_order[i]].format];

		if (r->n++ == 0)
			r->first = i;
	}
	return 0;
}

static int
priority_table(struct insp_policy *p)
{
	uint32_t total = 0;

	for (uint32_t ch = 0; ch < p->n_channels; ch++)
		for (uint32_t i = 0; i < p->n_priorities; i++)
			total += p->priorities[i].channel < 0 ||
				 (uint32_t)p->priorities[i].channel == ch;
	p->prio_order = calloc(total + 1, sizeof(*p->prio_order));
	if (p->prio_order == NULL)
		return -1;
	for (uint32_t ch = 0; ch < p->n_channels; ch++) {
		p->prio_by_channel[ch].first = p->n_prio_order;
		for (uint32_t i = 0; i < p->n_priorities; i++) {
			if (p->priorities[i].channel < 0 ||
			    (uint32_t)p->priorities[i].channel == ch)
				p->prio_order[p->n_prio_order++] = i;
		}
		p->prio_by_channel[ch].n = p->n_prio_order - p->prio_by_channel[ch].first;
	}
	return 0;
}

static int
channel_table(struct insp_policy *p)
{
	p->channel_keys = calloc(p->n_channels + 1, sizeof(*p->channel_keys));
	if (p->channel_keys == NULL)
		return -1;
	for (uint32_t i = 0; i < p->n_channels; i++) {
		const struct insp_ingress *in = &p->channels[i].ingress;

		insp_channel_key(in->port, &in->dst, in->udp_port, p->channel_keys[i].key);
		p->channel_keys[i].channel = i;
	}
	/* keys are unique: the channel reader refuses two channels with one ingress */
	qsort(p->channel_keys, p->n_channels, sizeof(*p->channel_keys), cmp_key);
	return 0;
}

int
pc_build_tables(struct insp_policy *p)
{
	return hint_table(p) < 0 || priority_table(p) < 0 || channel_table(p) < 0 ? -1 : 0;
}

int
ld_build_tables(struct ld *c)
{
	if (pc_build_tables(c->p) < 0) {
		ld_fail_at(c, 0, 0, "out of memory while building the lookup tables");
		return -1;
	}
	return 0;
}
