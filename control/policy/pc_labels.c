/* SPDX-License-Identifier: BSD-3-Clause */
#include "pc_internal.h"

/* ---- nations and groups ---- */

static int
find_nation(const struct insp_policy *p, const yaml_node_t *n)
{
	uint32_t i;

	for (i = 0; i < p->n_nations; i++) {
		if (ld_scalar_is(n, p->nations[i]))
			return (int)i;
	}
	return -1;
}

static int
find_group(const struct insp_policy *p, const yaml_node_t *n)
{
	uint32_t i;

	for (i = 0; i < p->n_groups; i++) {
		if (ld_scalar_is(n, p->groups[i].code))
			return (int)i;
	}
	return -1;
}

/*
 * An unknown code in @p where: suggest the right case, or list what is known. Groups are
 * considered only where they are allowed (@p with_groups).
 */
static int
unknown_code_of(struct ld *c, const yaml_node_t *n, const char *where, int with_groups)
{
	const struct insp_policy *p = c->p;
	const char *noun = with_groups ? "nation or group" : "nation";
	uint32_t i, count = p->n_nations + (with_groups ? p->n_groups : 0);
	struct list l = {.len = 0};
	char q[72];

	for (i = 0; i < count; i++) {
		const char *code =
			i < p->n_nations ? p->nations[i] : p->groups[i - p->n_nations].code;

		if (ld_ascii_ieq(code, strlen(code), ld_sval(n), ld_slen(n)))
			return ld_fail(c, n,
				       "%s '%s' unknown in %s (codes are case-sensitive in the "
				       "policy: did you mean '%s'?)",
				       noun, Q(n, q), where, code);
		ld_list_add(&l, code);
	}
	return ld_fail(c, n, "%s '%s' unknown in %s (known: %s)", noun, Q(n, q), where, l.buf);
}

static int
unknown_code(struct ld *c, const yaml_node_t *n, const char *where)
{
	return unknown_code_of(c, n, where, 1);
}

/* A nation or (already expanded) group code to nation bits. */
static int
resolve_code(struct ld *c, const yaml_node_t *n, const char *where, uint64_t *bits)
{
	int i;

	if (!ld_is_scalar(n))
		return ld_fail(c, n, "members of %s must be nation or group codes, got %s", where,
			       ld_kind(n));
	i = find_nation(c->p, n);
	if (i >= 0) {
		*bits |= UINT64_C(1) << i;
		return 0;
	}
	i = find_group(c->p, n);
	if (i >= 0) {
		*bits |= c->p->groups[i].members;
		return 0;
	}
	return unknown_code(c, n, where);
}

/* A sequence of nation or group codes, expanded; empty only if @p allow_empty. */
static int
get_code_list_of(struct ld *c, const yaml_node_t *seq, const char *what, const char *where,
		 int allow_empty, uint64_t *bits)
{
	const yaml_node_item_t *it;

	*bits = 0;
	if (seq->type != YAML_SEQUENCE_NODE || (ld_seq_len(seq) == 0 && !allow_empty))
		return ld_fail(c, seq, "%s must be a %ssequence of nation or group codes, got %s",
			       what, allow_empty ? "" : "non-empty ",
			       seq->type == YAML_SEQUENCE_NODE ? "an empty one" : ld_kind(seq));
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		if (resolve_code(c, ld_node(c, *it), where, bits) < 0)
			return -1;
	}
	return 0;
}

/* A non-empty sequence of nation or group codes, expanded. */
int
ld_get_code_list(struct ld *c, const yaml_node_t *seq, const char *what, const char *where,
		 uint64_t *bits)
{
	return get_code_list_of(c, seq, what, where, 0, bits);
}

int
ld_load_nations(struct ld *c, const yaml_node_t *seq)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seen[INSP_MAX_NATIONS];
	const yaml_node_item_t *it;
	char q[72];

	if (seq->type != YAML_SEQUENCE_NODE || ld_seq_len(seq) == 0)
		return ld_fail(c, seq, "'nations' must be a non-empty sequence of codes, got %s",
			       seq->type == YAML_SEQUENCE_NODE ? "an empty one" : ld_kind(seq));
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		const yaml_node_t *n = ld_node(c, *it);
		int dup;

		if (!ld_is_scalar(n))
			return ld_fail(c, n, "'nations' must hold nation codes, got %s",
				       ld_kind(n));
		if (!ld_is_nation_code(n))
			return ld_fail(
				c, n,
				"nation code '%s' must be three upper-case letters (ISO 3166 "
				"alpha-3, e.g. USA)",
				Q(n, q));
		dup = find_nation(p, n);
		if (dup >= 0)
			return ld_fail(c, n, "nation '%s' listed twice (first at %zu:%zu)",
				       p->nations[dup], seen[dup]->start_mark.line + 1,
				       seen[dup]->start_mark.column + 1);
		if (p->n_nations == INSP_MAX_NATIONS)
			return ld_fail(c, n, "too many nations (at most %d)", INSP_MAX_NATIONS);
		seen[p->n_nations] = n;
		ld_copy_str(p->nations[p->n_nations++], n);
	}
	return 0;
}

/* Depth-first expansion state for groups. */
struct gx {
	const yaml_node_t **key;     /* group code node, for messages */
	const yaml_node_t **members; /* member sequence per group */
	uint8_t *state;		     /* 0 new, 1 on the current path, 2 expanded */
	uint32_t *path;
	uint32_t depth;
};

static int
group_cycle(struct ld *c, struct gx *g, const yaml_node_t *at, uint32_t to)
{
	const struct insp_policy *p = c->p;
	char chain[LD_LIST_MAX + 8];
	size_t pos = 0;
	uint32_t i = 0;

	while (g->path[i] != to)
		i++;
	chain[0] = '\0';
	for (; i <= g->depth; i++) {
		const char *code = i < g->depth ? p->groups[g->path[i]].code : p->groups[to].code;
		size_t n = strlen(code);

		if (pos + n + 8 > LD_LIST_MAX) {
			memcpy(chain + pos, " -> ...", 8);
			break;
		}
		if (pos) {
			memcpy(chain + pos, " -> ", 4);
			pos += 4;
		}
		memcpy(chain + pos, code, n + 1);
		pos += n;
	}
	return ld_fail(c, at, "group cycle: %s", chain);
}

static int
expand_group(struct ld *c, struct gx *g, uint32_t gi)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seq = g->members[gi];
	const yaml_node_item_t *it;
	char where[LD_WHAT_MAX];

	g->state[gi] = 1;
	g->path[g->depth++] = gi;
	if (snprintf(where, sizeof(where), "group '%s'", p->groups[gi].code) < 0)
		where[0] = '\0';
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		const yaml_node_t *m = ld_node(c, *it);
		int i;

		if (!ld_is_scalar(m))
			return ld_fail(c, m, "members of %s must be nation or group codes, got %s",
				       where, ld_kind(m));
		i = find_nation(p, m);
		if (i >= 0) {
			p->groups[gi].members |= UINT64_C(1) << i;
			continue;
		}
		i = find_group(p, m);
		if (i < 0)
			return unknown_code(c, m, where);
		if (g->state[i] == 1)
			return group_cycle(c, g, m, (uint32_t)i);
		if (g->state[i] == 0 && expand_group(c, g, (uint32_t)i) < 0)
			return -1;
		p->groups[gi].members |= p->groups[i].members;
	}
	g->depth--;
	g->state[gi] = 2;
	return 0;
}

int
ld_load_groups(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_pair_t *pair;
	struct gx g = {0};
	uint32_t n, i;
	char q[72];
	int rc = -1;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'groups' must be a mapping of group code to members, got %s",
			       ld_kind(map));
	n = (uint32_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if (n == 0)
		return 0;
	if (n > LD_MAX_GROUPS)
		return ld_fail(c, map, "too many groups: %u (at most %d)", n, LD_MAX_GROUPS);
	p->groups = calloc(n, sizeof(*p->groups));
	g.key = calloc(n, sizeof(*g.key));
	g.members = calloc(n, sizeof(*g.members));
	g.state = calloc(n, sizeof(*g.state));
	g.path = calloc(n, sizeof(*g.path));
	if (p->groups == NULL || g.key == NULL || g.members == NULL || g.state == NULL ||
	    g.path == NULL) {
		ld_oom(c, map);
		goto out;
	}

	/* Pass 1: all codes first, so members may name groups defined further down. */
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key), *v = ld_node(c, pair->value);
		int dup;

		if (!ld_is_scalar(k) || !ld_name_in_class(k, NC_GROUP)) {
			if (!ld_is_scalar(k))
				ld_fail(c, k, "group codes must be strings, got %s", ld_kind(k));
			else
				ld_fail(c, k,
					"group code '%s' must be 1 to %d characters of A-Z, 0-9 "
					"and _",
					Q(k, q), INSP_NAME_MAX - 1);
			goto out;
		}
		if (find_nation(p, k) >= 0) {
			ld_fail(c, k,
				"group '%s' has the code of a nation (a group needs its own "
				"code)",
				Q(k, q));
			goto out;
		}
		dup = find_group(p, k);
		if (dup >= 0) {
			ld_fail(c, k, "group '%s' defined twice (first at %zu:%zu)", Q(k, q),
				g.key[dup]->start_mark.line + 1, g.key[dup]->start_mark.column + 1);
			goto out;
		}
		if (v->type != YAML_SEQUENCE_NODE || ld_seq_len(v) == 0) {
			ld_fail(c, v,
				"group '%s' must be a non-empty sequence of nation or group codes, "
				"got %s",
				Q(k, q),
				v->type == YAML_SEQUENCE_NODE ? "an empty one" : ld_kind(v));
			goto out;
		}
		g.key[p->n_groups] = k;
		g.members[p->n_groups] = v;
		ld_copy_str(p->groups[p->n_groups++].code, k);
	}

	/* Pass 2: expand recursively (depth is bounded by LD_MAX_GROUPS). */
	for (i = 0; i < p->n_groups; i++) {
		if (g.state[i] == 0 && expand_group(c, &g, i) < 0)
			goto out;
	}
	rc = 0;
out:
	free(g.key);
	free(g.members);
	free(g.state);
	free(g.path);
	return rc;
}

/* ---- release ceilings ---- */

/*
 * Nation code -> highest NATO level it may receive (the SPIF excludedClass idea). Nations
 * not listed keep TOP SECRET (no ceiling beyond the lattice). Per nation only: a group
 * would hide which nation a ceiling binds.
 */
int
ld_load_ceilings(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seen[INSP_MAX_NATIONS] = {NULL};
	const yaml_node_pair_t *pair;
	char q[72];

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'release_ceilings' must be a mapping of nation code to NATO level, "
			       "got %s",
			       ld_kind(map));
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key), *v = ld_node(c, pair->value);
		char fwhat[LD_WHAT_MAX];
		int i;

		if (!ld_is_scalar(k))
			return ld_fail(c, k,
				       "keys of 'release_ceilings' must be nation codes, got %s",
				       ld_kind(k));
		i = find_nation(p, k);
		if (i < 0) {
			if (find_group(p, k) >= 0)
				return ld_fail(
					c, k,
					"'%s' in 'release_ceilings' is a group: ceilings are "
					"set per nation",
					Q(k, q));
			return unknown_code_of(c, k, "'release_ceilings'", 0);
		}
		if (seen[i] != NULL)
			return ld_fail(c, k,
				       "nation '%s' given twice in 'release_ceilings' (first at "
				       "%zu:%zu)",
				       p->nations[i], seen[i]->start_mark.line + 1,
				       seen[i]->start_mark.column + 1);
		seen[i] = k;
		if (snprintf(fwhat, sizeof(fwhat), "ceiling of '%s' in 'release_ceilings'",
			     p->nations[i]) < 0)
			fwhat[0] = '\0';
		if (ld_get_level(c, v, fwhat, &p->nation_ceiling[i]) < 0)
			return -1;
	}
	return 0;
}

/* ---- classification tables ---- */

static int
load_class_table(struct ld *c, struct insp_class_policy *cp, const yaml_node_t *map)
{
	const yaml_node_pair_t *pair;
	char where[LD_WHAT_MAX];
	uint32_t n;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "classification table '%s' must be a mapping of name to NATO "
			       "level, got %s",
			       cp->id, ld_kind(map));
	n = (uint32_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if (n == 0)
		return ld_fail(c, map, "classification table '%s' is empty", cp->id);
	if (n > LD_MAX_CLASS_NAMES)
		return ld_fail(c, map, "classification table '%s' has %u names (at most %d)",
			       cp->id, n, LD_MAX_CLASS_NAMES);
	/* the table's names go at the end of the policy's one array of class names */
	{
		struct insp_policy *p = c->p;
		struct insp_class_name *all =
			realloc(p->class_names, (size_t)(p->n_class_names + n) * sizeof(*all));

		if (all == NULL)
			return ld_oom(c, map);
		memset(all + p->n_class_names, 0, (size_t)n * sizeof(*all));
		p->class_names = all;
		cp->first_name = p->n_class_names;
	}
	if (snprintf(where, sizeof(where), " in table '%s'", cp->id) < 0)
		where[0] = '\0';
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key), *v = ld_node(c, pair->value);
		struct insp_class_name *names = c->p->class_names + cp->first_name;
		struct insp_class_name *cn = &names[cp->n_names];
		char fwhat[LD_WHAT_MAX];
		uint32_t j;

		if (ld_get_label_name(c, k, "classification name", where, cn->name) < 0)
			return -1;
		/* Case-insensitive: 4774 labels are looked up ignoring case. */
		for (j = 0; j < cp->n_names; j++) {
			if (ld_ascii_ieq(names[j].name, strlen(names[j].name), cn->name,
					 strlen(cn->name)))
				return ld_fail(c, k,
					       "classification '%s' listed twice in table '%s' "
					       "(names compare ignoring case)",
					       cn->name, cp->id);
		}
		if (snprintf(fwhat, sizeof(fwhat), "classification '%s' in table '%s'", cn->name,
			     cp->id) < 0)
			fwhat[0] = '\0';
		if (ld_get_level(c, v, fwhat, &cn->level) < 0)
			return -1;
		cp->n_names++;
		c->p->n_class_names++;
	}
	return 0;
}

int
ld_load_classifications(struct ld *c, const yaml_node_t *map, const yaml_node_t *root)
{
	struct insp_policy *p = c->p;
	const yaml_node_pair_t *pair;
	uint32_t n, i;

	if (map == NULL)
		return ld_fail(c, root,
			       "the policy is missing required key 'classifications' (at least "
			       "the 'NATO' table)");
	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'classifications' must be a mapping of policy identifier to "
			       "table, got %s",
			       ld_kind(map));
	n = (uint32_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if (n > LD_MAX_CLASS_POLICIES)
		return ld_fail(c, map, "too many classification tables: %u (at most %d)", n,
			       LD_MAX_CLASS_POLICIES);
	if (n > 0) {
		p->class_policies = calloc(n, sizeof(*p->class_policies));
		if (p->class_policies == NULL)
			return ld_oom(c, map);
	}
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key);
		struct insp_class_policy *cp = &p->class_policies[p->n_class_policies];

		if (ld_get_label_name(c, k, "policy identifier", "", cp->id) < 0)
			return -1;
		for (i = 0; i < p->n_class_policies; i++) {
			if (ld_ascii_ieq(p->class_policies[i].id, strlen(p->class_policies[i].id),
					 cp->id, strlen(cp->id)))
				return ld_fail(c, k,
					       "classification table '%s' defined twice (policy "
					       "identifiers compare ignoring case)",
					       cp->id);
		}
		p->n_class_policies++;
		if (load_class_table(c, cp, ld_node(c, pair->value)) < 0)
			return -1;
	}
	if (insp_policy_class_policy(p, "NATO", 4) == NULL)
		return ld_fail(c, map,
			       "'classifications' has no 'NATO' table (every level is defined "
			       "against it)");
	return 0;
}

/* ---- restrictive categories ---- */

/*
 * A tag name or value of a RESTRICTIVE category: stored joined as "TagName:Value" in a
 * destination's holds, so neither part may contain ':'.
 */
static int
get_restr_part(struct ld *c, const yaml_node_t *n, const char *what, const char *tag)
{
	char q[72];

	if (ld_get_string(c, n, what, INSP_NAME_MAX - 1) < 0)
		return -1;
	if (memchr(ld_sval(n), ':', ld_slen(n)) == NULL)
		return 0;
	if (tag == NULL)
		return ld_fail(c, n,
			       "restrictive category name '%s' contains ':' (holds are written "
			       "\"TagName:Value\")",
			       Q(n, q));
	return ld_fail(c, n,
		       "value '%s' of restrictive category '%s' contains ':' (holds are written "
		       "\"TagName:Value\")",
		       Q(n, q), tag);
}

/*
 * TagName -> the RESTRICTIVE category values this guard knows. Only validated and kept as
 * the YAML node for checking 'holds'; nothing of it is in the compiled policy. Tags and
 * values compare ignoring case, as labels and holds do.
 */
int
ld_load_restrictive(struct ld *c, const yaml_node_t *map)
{
	const yaml_node_pair_t *pair, *prev;
	uint32_t n;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'restrictive_categories' must be a mapping of tag name to values, "
			       "got %s",
			       ld_kind(map));
	n = (uint32_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if (n > LD_MAX_RESTRICTIVE)
		return ld_fail(c, map, "too many restrictive categories: %u (at most %d)", n,
			       LD_MAX_RESTRICTIVE);
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key), *v = ld_node(c, pair->value);
		const yaml_node_item_t *it, *jt;
		char where[LD_WHAT_MAX], q[72];

		if (get_restr_part(c, k, "restrictive category name", NULL) < 0)
			return -1;
		for (prev = map->data.mapping.pairs.start; prev < pair; prev++) {
			const yaml_node_t *pk = ld_node(c, prev->key);

			if (ld_ascii_ieq(ld_sval(pk), ld_slen(pk), ld_sval(k), ld_slen(k)))
				return ld_fail(c, k,
					       "restrictive category '%s' given twice (first at "
					       "%zu:%zu; names compare ignoring case)",
					       Q(k, q), pk->start_mark.line + 1,
					       pk->start_mark.column + 1);
		}
		if (snprintf(where, sizeof(where), "value of restrictive category '%s'", Q(k, q)) <
		    0)
			where[0] = '\0';
		if (v->type != YAML_SEQUENCE_NODE || ld_seq_len(v) == 0)
			return ld_fail(c, v,
				       "restrictive category '%s' must be a non-empty sequence of "
				       "values, got %s",
				       Q(k, q),
				       v->type == YAML_SEQUENCE_NODE ? "an empty one" : ld_kind(v));
		if (ld_seq_len(v) > LD_MAX_RESTR_VALUES)
			return ld_fail(c, v, "restrictive category '%s' has %d values (at most %d)",
				       Q(k, q), ld_seq_len(v), LD_MAX_RESTR_VALUES);
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			const yaml_node_t *val = ld_node(c, *it);

			if (get_restr_part(c, val, where, ld_sval(k)) < 0)
				return -1;
			for (jt = v->data.sequence.items.start; jt < it; jt++) {
				const yaml_node_t *pv = ld_node(c, *jt);

				if (ld_ascii_ieq(ld_sval(pv), ld_slen(pv), ld_sval(val),
						 ld_slen(val)))
					return ld_fail(c, val,
						       "value '%s' of restrictive category '%s' "
						       "listed twice (first at %zu:%zu; values "
						       "compare ignoring case)",
						       Q(val, q), ld_sval(k),
						       pv->start_mark.line + 1,
						       pv->start_mark.column + 1);
			}
		}
	}
	c->restrictive = map;
	return 0;
}

/* A held "TagName:Value" must name a declared tag and one of its values. */
static int
check_held(struct ld *c, const yaml_node_t *h, const char *what)
{
	const yaml_node_t *map = c->restrictive;
	const yaml_node_pair_t *pair;
	const char *s = ld_sval(h), *colon = memchr(s, ':', ld_slen(h));
	size_t tlen = (size_t)(colon - s), vlen = ld_slen(h) - tlen - 1;
	struct list l = {.len = 0};
	char q[72];

	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key), *v = ld_node(c, pair->value);
		const yaml_node_item_t *it;

		if (!ld_ascii_ieq(ld_sval(k), ld_slen(k), s, tlen)) {
			ld_list_add(&l, ld_sval(k));
			continue;
		}
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			const yaml_node_t *val = ld_node(c, *it);

			if (ld_ascii_ieq(ld_sval(val), ld_slen(val), colon + 1, vlen))
				return 0;
			ld_list_add(&l, ld_sval(val));
		}
		return ld_fail(c, h,
			       "held value '%s' in %s: '%.*s' is not a declared value of "
			       "restrictive category '%s' (known: %s)",
			       Q(h, q), what, (int)vlen, colon + 1, ld_sval(k), l.buf);
	}
	return ld_fail(c, h,
		       "held value '%s' in %s: tag '%.*s' is not declared in "
		       "'restrictive_categories' (known: %s)",
		       Q(h, q), what, (int)tlen, s, l.buf);
}

/* ---- destinations ---- */

enum { D_MEMBERS, D_MAX_CLASS, D_HOLDS, D_COUNT };
static const char *const dest_keys[D_COUNT] = {"members", "max_classification", "holds"};

static int
load_holds(struct ld *c, struct insp_destination *d, const yaml_node_t *seq, const char *what)
{
	const yaml_node_item_t *it;
	char fwhat[LD_WHAT_MAX], q[72];
	int n;

	if (seq->type != YAML_SEQUENCE_NODE)
		return ld_fail(c, seq, "%s must be a sequence of \"TagName:Value\" strings, got %s",
			       ld_field(fwhat, sizeof(fwhat), "holds", what), ld_kind(seq));
	n = ld_seq_len(seq);
	if (n > LD_MAX_HOLDS)
		return ld_fail(c, seq, "%s lists %d values (at most %d)",
			       ld_field(fwhat, sizeof(fwhat), "holds", what), n, LD_MAX_HOLDS);
	if (n == 0)
		return 0;
	{
		struct insp_policy *p = c->p;
		insp_held_t *all =
			realloc(p->held, (size_t)(p->n_held + (uint32_t)n) * sizeof(*all));

		if (all == NULL)
			return ld_oom(c, seq);
		memset(all + p->n_held, 0, (size_t)n * sizeof(*all));
		p->held = all;
		d->first_held = p->n_held;
	}
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		const yaml_node_t *h = ld_node(c, *it);
		const char *colon;

		if (ld_get_string(c, h, ld_field(fwhat, sizeof(fwhat), "holds", what),
				  sizeof(insp_held_t) - 1) < 0)
			return -1;
		colon = memchr(ld_sval(h), ':', ld_slen(h));
		if (colon == NULL || colon == ld_sval(h) || colon == ld_sval(h) + ld_slen(h) - 1 ||
		    memchr(colon + 1, ':', ld_slen(h) - (size_t)(colon - ld_sval(h)) - 1) != NULL)
			return ld_fail(c, h,
				       "held value '%s' in %s must be \"TagName:Value\" with "
				       "exactly one ':' and text on both sides",
				       Q(h, q), what);
		if (c->restrictive != NULL && check_held(c, h, what) < 0)
			return -1;
		ld_copy_str(c->p->held[d->first_held + d->n_held++], h);
		c->p->n_held++;
	}
	return 0;
}

int
ld_load_destinations(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_pair_t *pair;
	uint32_t n, i;
	char q[72];

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'destinations' must be a mapping of name to destination, "
			       "got %s",
			       ld_kind(map));
	n = (uint32_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if (n > LD_MAX_DESTINATIONS)
		return ld_fail(c, map, "too many destinations: %u (at most %d)", n,
			       LD_MAX_DESTINATIONS);
	if (n == 0)
		return 0;
	p->destinations = calloc(n, sizeof(*p->destinations));
	if (p->destinations == NULL)
		return ld_oom(c, map);
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key), *v = ld_node(c, pair->value);
		struct insp_destination *d = &p->destinations[p->n_destinations];
		yaml_node_t *f[D_COUNT];
		char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX];

		if (!ld_is_scalar(k) || !ld_name_in_class(k, NC_DESTINATION)) {
			if (!ld_is_scalar(k))
				return ld_fail(c, k, "destination names must be strings, got %s",
					       ld_kind(k));
			return ld_fail(c, k,
				       "destination name '%s' must be 1 to %d characters of "
				       "A-Z, a-z, 0-9, '_', '-' and '.'",
				       Q(k, q), INSP_NAME_MAX - 1);
		}
		for (i = 0; i < p->n_destinations; i++) {
			if (ld_scalar_is(k, p->destinations[i].name))
				return ld_fail(c, k, "destination '%s' defined twice", Q(k, q));
		}
		ld_copy_str(d->name, k);
		p->n_destinations++;
		if (snprintf(what, sizeof(what), "destination '%s'", d->name) < 0)
			what[0] = '\0';
		if (ld_get_fields(c, v, what, dest_keys, D_COUNT, f) < 0)
			return -1;
		if (f[D_MEMBERS] == NULL)
			return ld_missing(c, v, what, "members");
		if (f[D_MAX_CLASS] == NULL)
			return ld_missing(c, v, what, "max_classification");
		if (ld_get_code_list(c, f[D_MEMBERS],
				     ld_field(fwhat, sizeof(fwhat), "members", what), what,
				     &d->members) < 0)
			return -1;
		if (ld_get_level(c, f[D_MAX_CLASS],
				 ld_field(fwhat, sizeof(fwhat), "max_classification", what),
				 &d->max_level) < 0)
			return -1;
		if (f[D_HOLDS] != NULL && load_holds(c, d, f[D_HOLDS], what) < 0)
			return -1;
	}
	return 0;
}

/* ---- data categories and sharing agreements (ISA) ---- */

static int
find_category(const struct insp_policy *p, const yaml_node_t *n)
{
	uint32_t i;

	for (i = 0; i < p->n_categories; i++) {
		if (ld_scalar_is(n, p->categories[i]))
			return (int)i;
	}
	return -1;
}

/* A known data category name; *out is its index. */
int
ld_get_category(struct ld *c, const yaml_node_t *n, const char *where, uint32_t *out)
{
	const struct insp_policy *p = c->p;
	struct list l = {.len = 0};
	char q[72];
	uint32_t i;
	int k;

	if (!ld_is_scalar(n))
		return ld_fail(c, n, "data category in %s must be a name, got %s", where,
			       ld_kind(n));
	k = find_category(p, n);
	if (k >= 0) {
		*out = (uint32_t)k;
		return 0;
	}
	for (i = 0; i < p->n_categories; i++)
		ld_list_add(&l, p->categories[i]);
	return ld_fail(c, n, "data category '%s' unknown in %s (known: %s)", Q(n, q), where, l.buf);
}

/* A section that only means something once data categories exist. */
int
ld_needs_categories(struct ld *c, const yaml_node_t *n, const char *what)
{
	return ld_fail(c, n, "%s needs 'data_categories' (no data categories are declared)", what);
}

int
ld_load_categories(struct ld *c, const yaml_node_t *seq)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seen[INSP_MAX_CATEGORIES];
	const yaml_node_item_t *it;
	char q[72];

	if (seq->type != YAML_SEQUENCE_NODE || ld_seq_len(seq) == 0)
		return ld_fail(c, seq,
			       "'data_categories' must be a non-empty sequence of names, got %s",
			       seq->type == YAML_SEQUENCE_NODE ? "an empty one" : ld_kind(seq));
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		const yaml_node_t *n = ld_node(c, *it);
		int dup;

		if (!ld_is_scalar(n))
			return ld_fail(c, n, "'data_categories' must hold names, got %s",
				       ld_kind(n));
		if (!ld_name_in_class(n, NC_CHANNEL))
			return ld_fail(c, n,
				       "data category '%s' must be 1 to %d characters of a-z, 0-9, "
				       "'_' and '-'",
				       Q(n, q), INSP_NAME_MAX - 1);
		dup = find_category(p, n);
		if (dup >= 0)
			return ld_fail(c, n, "data category '%s' listed twice (first at %zu:%zu)",
				       p->categories[dup], seen[dup]->start_mark.line + 1,
				       seen[dup]->start_mark.column + 1);
		if (p->n_categories == INSP_MAX_CATEGORIES)
			return ld_fail(c, n, "too many data categories (at most %d)",
				       INSP_MAX_CATEGORIES);
		seen[p->n_categories] = n;
		p->isa[p->n_categories] = 0;
		ld_copy_str(p->categories[p->n_categories++], n);
	}
	c->have_categories = 1;
	return 0;
}

/*
 * The ISA matrix: category -> nations (or groups) it may be shared with. A category
 * without an entry is shared with nobody; an empty list says the same explicitly.
 */
int
ld_load_sharing(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seen[INSP_MAX_CATEGORIES] = {NULL};
	const yaml_node_pair_t *pair;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'sharing_agreements' must be a mapping of data category to "
			       "nations, got %s",
			       ld_kind(map));
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key), *v = ld_node(c, pair->value);
		char what[LD_WHAT_MAX];
		uint32_t cat;

		if (ld_get_category(c, k, "'sharing_agreements'", &cat) < 0)
			return -1;
		if (seen[cat] != NULL)
			return ld_fail(c, k,
				       "data category '%s' given twice in 'sharing_agreements' "
				       "(first at %zu:%zu)",
				       p->categories[cat], seen[cat]->start_mark.line + 1,
				       seen[cat]->start_mark.column + 1);
		seen[cat] = k;
		if (snprintf(what, sizeof(what), "sharing agreement '%s'", p->categories[cat]) < 0)
			what[0] = '\0';
		if (get_code_list_of(c, v, what, what, 1, &p->isa[cat]) < 0)
			return -1;
	}
	return 0;
}

/* Without 'data_categories' there is one category, "any", shared with every nation. */
void
ld_default_category(struct insp_policy *p)
{
	p->n_categories = 1;
	snprintf(p->categories[0], sizeof(p->categories[0]), "any");
	p->isa[0] = p->n_nations >= 64 ? UINT64_MAX : (UINT64_C(1) << p->n_nations) - 1;
}

/* A key of category_hints or priorities: non-empty printable ASCII, fits a name. */
int
ld_get_prefix(struct ld *c, const yaml_node_t *n, const char *what)
{
	const unsigned char *s;
	size_t i;

	if (ld_get_string(c, n, what, INSP_NAME_MAX - 1) < 0)
		return -1;
	s = (const unsigned char *)ld_sval(n);
	for (i = 0; i < ld_slen(n); i++) {
		if (s[i] < 0x20 || s[i] > 0x7e) {
			char q[72];

			return ld_fail(c, n, "%s must be printable ASCII, got '%s'", what, Q(n, q));
		}
	}
	return 0;
}

/*
 * format -> { key prefix -> data category }. The inspector takes the longest matching
 * prefix of the message's format; the loader only refuses the same prefix twice.
 */
int
ld_load_hints(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const char *formats[INSP_FORMAT_COUNT];
	const yaml_node_t *fmt_at[INSP_FORMAT_COUNT] = {NULL};
	const yaml_node_t **key_at = NULL;
	const yaml_node_pair_t *pair;
	int fmt_of[INSP_FORMAT_COUNT]; /* format of each pair (each format at most once) */
	uint32_t total = 0, i, np = 0;
	int e, rc = -1;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'category_hints' must be a mapping of format to {prefix: "
			       "category}, got %s",
			       ld_kind(map));
	for (e = 0; e < INSP_FORMAT_COUNT; e++)
		formats[e] = insp_format_name((enum insp_format)e);
	/* Pass 1: formats and shapes, so the table is allocated once. */
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key), *v = ld_node(c, pair->value);
		char q[72];

		if (ld_get_enum(c, k, "format in 'category_hints'", formats, INSP_FORMAT_COUNT,
				&e) < 0)
			return -1;
		if (fmt_at[e] != NULL)
			return ld_fail(c, k,
				       "format '%s' given twice in 'category_hints' (first at "
				       "%zu:%zu)",
				       Q(k, q), fmt_at[e]->start_mark.line + 1,
				       fmt_at[e]->start_mark.column + 1);
		fmt_at[e] = k;
		fmt_of[np++] = e;
		if (v->type != YAML_MAPPING_NODE)
			return ld_fail(c, v,
				       "'%s' in 'category_hints' must be a mapping of prefix to "
				       "data category, got %s",
				       formats[e], ld_kind(v));
		total += (uint32_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
		if (total > LD_MAX_HINTS)
			return ld_fail(c, v, "too many category hints: %u (at most %d)", total,
				       LD_MAX_HINTS);
	}
	if (total == 0)
		return 0;
	p->category_hints = calloc(total, sizeof(*p->category_hints));
	key_at = calloc(total, sizeof(*key_at));
	if (p->category_hints == NULL || key_at == NULL) {
		ld_oom(c, map);
		goto out;
	}
	np = 0;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *v = ld_node(c, pair->value);
		const yaml_node_pair_t *hp;
		char what[LD_WHAT_MAX], where[LD_WHAT_MAX];

		e = fmt_of[np++];
		if (snprintf(what, sizeof(what), "category hint prefix for '%s'", formats[e]) < 0)
			what[0] = '\0';
		for (hp = v->data.mapping.pairs.start; hp < v->data.mapping.pairs.top; hp++) {
			const yaml_node_t *k = ld_node(c, hp->key);
			struct insp_category_hint *h = &p->category_hints[p->n_category_hints];
			char q[72];

			if (ld_get_prefix(c, k, what) < 0)
				goto out;
			for (i = 0; i < p->n_category_hints; i++) {
				if (p->category_hints[i].format == e &&
				    ld_scalar_is(k, p->category_hints[i].prefix)) {
					ld_fail(c, k,
						"prefix '%s' given twice in 'category_hints' for "
						"'%s' (first at %zu:%zu)",
						Q(k, q), formats[e], key_at[i]->start_mark.line + 1,
						key_at[i]->start_mark.column + 1);
					goto out;
				}
			}
			if (snprintf(where, sizeof(where), "category hint '%s' for '%s'", Q(k, q),
				     formats[e]) < 0)
				where[0] = '\0';
			if (ld_get_category(c, ld_node(c, hp->value), where, &h->category) < 0)
				goto out;
			h->format = (uint8_t)e;
			ld_copy_str(h->prefix, k);
			h->prefix_len = (uint32_t)strlen(h->prefix);
			key_at[p->n_category_hints++] = k;
		}
	}
	rc = 0;
out:
	free(key_at);
	return rc;
}
