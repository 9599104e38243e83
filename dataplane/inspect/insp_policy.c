/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Read-only queries over a compiled policy. They run on the fast path (channel lookup per
 * packet, code expansion and classification lookup per label), so they never allocate and
 * compare in ASCII only: locale-dependent functions such as strncasecmp() would make a
 * security decision depend on the process environment.
 */
#include <string.h>

#include "insp_match.h"
#include "insp_policy.h"

static const char *const level_names[INSP_LEVEL_COUNT] = {
	[INSP_LEVEL_UNCLASSIFIED] = "UNCLASSIFIED", [INSP_LEVEL_RESTRICTED] = "RESTRICTED",
	[INSP_LEVEL_CONFIDENTIAL] = "CONFIDENTIAL", [INSP_LEVEL_SECRET] = "SECRET",
	[INSP_LEVEL_TOP_SECRET] = "TOP SECRET",
};

const char *
insp_level_name(enum insp_level l)
{
	return (unsigned)l < INSP_LEVEL_COUNT ? level_names[l] : NULL;
}

static unsigned char
ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static int
span_eq_ci(const char *a, const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
			return 0;
	}
	return 1;
}

/* Is NUL-terminated @p name exactly the @p len bytes at @p s? */
static inline int
name_eq(const char *name, const char *s, size_t len, int exact_case)
{
	size_t i;

	if (s == NULL && len != 0)
		return 0;
	/*
	 * A Releasable-To list of n codes against the policy's nations is n times a scan of
	 * the table: most candidates differ in their first letter, so that settles them.
	 */
	if (len != 0 && name[0] != s[0] &&
	    (exact_case || ascii_lower((unsigned char)name[0]) != ascii_lower((unsigned char)s[0])))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char a = (unsigned char)name[i], b = (unsigned char)s[i];

		if (a == '\0')
			return 0;
		if (a != b && (exact_case || ascii_lower(a) != ascii_lower(b)))
			return 0;
	}
	return name[len] == '\0';
}

int
insp_policy_nation(const struct insp_policy *p, const char *code, size_t len)
{
	uint32_t i;

	if (p == NULL)
		return -1;
	for (i = 0; i < p->n_nations && i < INSP_MAX_NATIONS; i++) {
		if (name_eq(p->nations[i], code, len, 1))
			return (int)i;
	}
	return -1;
}

uint64_t
insp_policy_expand_code(const struct insp_policy *p, const char *code, size_t len)
{
	uint32_t i;

	if (p == NULL)
		return 0;
	for (i = 0; i < p->n_nations && i < INSP_MAX_NATIONS; i++) {
		if (name_eq(p->nations[i], code, len, 0))
			return UINT64_C(1) << i;
	}
	for (i = 0; i < p->n_groups; i++) {
		if (name_eq(p->groups[i].code, code, len, 0))
			return p->groups[i].members;
	}
	return 0;
}

const struct insp_class_policy *
insp_policy_class_policy(const struct insp_policy *p, const char *id, size_t len)
{
	uint32_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < p->n_class_policies; i++) {
		if (name_eq(p->class_policies[i].id, id, len, 0))
			return &p->class_policies[i];
	}
	return NULL;
}

int
insp_policy_class_level(const struct insp_policy *p, const struct insp_class_policy *cp,
			const char *name, size_t len, int exact_case)
{
	uint32_t i;

	if (p == NULL || cp == NULL)
		return -1;
	for (i = 0; i < cp->n_names; i++) {
		const struct insp_class_name *cn = &p->class_names[cp->first_name + i];

		if (name_eq(cn->name, name, len, exact_case))
			return cn->level;
	}
	return -1;
}

int
insp_policy_category(const struct insp_policy *p, const char *name, size_t len)
{
	uint32_t i;

	if (p == NULL)
		return -1;
	for (i = 0; i < p->n_categories && i < INSP_MAX_CATEGORIES; i++) {
		if (name_eq(p->categories[i], name, len, 0))
			return (int)i;
	}
	return -1;
}

/*
 * Held values are stored "TagName:Value" (the loader guarantees exactly one ':'). Both
 * parts compare case-insensitively, as GUARD-SPEC 4.1 says 4774 values do for NATO policy.
 */
int
insp_policy_dest_holds(const struct insp_policy *p, const struct insp_destination *d,
		       const char *tag, size_t tag_len, const char *value, size_t value_len)
{
	uint32_t i;

	if (p == NULL || d == NULL || (tag == NULL && tag_len != 0) ||
	    (value == NULL && value_len != 0))
		return 0;
	for (i = 0; i < d->n_held; i++) {
		const char *h = p->held[d->first_held + i];
		const char *colon = strchr(h, ':');

		if (colon == NULL || (size_t)(colon - h) != tag_len)
			continue;
		if (span_eq_ci(h, tag, tag_len) && name_eq(colon + 1, value, value_len, 0))
			return 1;
	}
	return 0;
}

void
insp_channel_key(uint16_t port, const struct insp_ipaddr *dst, uint16_t udp_port,
		 uint8_t key[INSP_CHANNEL_KEY_BYTES])
{
	/* big-endian fields, so that memcmp() orders keys as the numbers they hold */
	memset(key, 0, INSP_CHANNEL_KEY_BYTES);
	key[0] = (uint8_t)(port >> 8);
	key[1] = (uint8_t)port;
	key[2] = (uint8_t)(udp_port >> 8);
	key[3] = (uint8_t)udp_port;
	key[4] = dst->version;
	memcpy(key + 8, dst->a, dst->version == 4 ? 4 : 16);
}

int
insp_policy_channel_lookup(const struct insp_policy *p, uint16_t port,
			   const struct insp_ipaddr *dst, uint16_t udp_port)
{
	uint8_t key[INSP_CHANNEL_KEY_BYTES];
	uint32_t lo = 0, hi;

	if (p == NULL || dst == NULL || (dst->version != 4 && dst->version != 6))
		return -1;
	insp_channel_key(port, dst, udp_port, key);
	hi = p->n_channels;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(key, p->channel_keys[mid].key, sizeof(key));

		if (c == 0)
			return (int)p->channel_keys[mid].channel;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const char *
insp_policy_reviewer(const struct insp_policy *p, uint32_t uid)
{
	if (p == NULL)
		return NULL;
	for (uint32_t i = 0; i < p->n_reviewers && i < INSP_MAX_REVIEWERS; i++)
		if (p->reviewers[i].uid == uid)
			return p->reviewers[i].name;
	return NULL;
}
