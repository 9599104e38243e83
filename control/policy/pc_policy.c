/* SPDX-License-Identifier: BSD-3-Clause */
#include "pc_internal.h"

/* ---- top level ---- */

enum {
	T_VERSION,
	T_LABELS,
	T_COT,
	T_NATIONS,
	T_GROUPS,
	T_CLASSIFICATIONS,
	T_DESTINATIONS,
	T_CHANNELS,
	T_TERMS,
	T_MARKINGS,
	T_CEILINGS,
	T_RESTRICTIVE,
	T_CATEGORIES,
	T_SHARING,
	T_HINTS,
	T_TERM_FILES,
	T_PRIORITIES,
	T_TCLASSES,
	T_AUDIT,
	T_REVIEW,
	T_EGRESS,
	T_COUNT
};
/* The original ten first, so messages listing them read as before, then the newer ones. */
static const char *const top_keys[T_COUNT] = {
	"version",
	"labels",
	"cot",
	"nations",
	"groups",
	"classifications",
	"destinations",
	"channels",
	"prohibited_terms",
	"markings",
	"release_ceilings",
	"restrictive_categories",
	"data_categories",
	"sharing_agreements",
	"category_hints",
	"prohibited_term_files",
	"priorities",
	"traffic_classes",
	"audit",
	"review",
	"egress",
};

enum { L_STRICTNESS, L_SKEW, L_COUNT };
static const char *const label_keys[L_COUNT] = {"strictness", "stale_skew_seconds"};
static const char *const strictness_names[] = {"lenient", "strict"};

enum { K_DEPTH, K_ELEMS, K_COUNT };
static const char *const cot_keys[K_COUNT] = {"max_detail_depth", "max_detail_elements"};

static int
load_labels(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	yaml_node_t *f[L_COUNT];
	char fwhat[LD_WHAT_MAX];
	uint64_t v;
	int e = 0;

	if (ld_get_fields(c, map, "'labels'", label_keys, L_COUNT, f) < 0)
		return -1;
	if (f[L_STRICTNESS] != NULL) {
		if (ld_get_enum(c, f[L_STRICTNESS],
				ld_field(fwhat, sizeof(fwhat), "strictness", "'labels'"),
				strictness_names, 2, &e) < 0)
			return -1;
		p->strict_labels = (uint8_t)e;
	}
	if (f[L_SKEW] != NULL) {
		if (ld_get_uint(c, f[L_SKEW],
				ld_field(fwhat, sizeof(fwhat), "stale_skew_seconds", "'labels'"), 0,
				86400, &v) < 0)
			return -1;
		p->stale_skew_ms = (int64_t)v * 1000;
	}
	return 0;
}

enum { A_RELEASES, A_COUNT };
static const char *const audit_keys[A_COUNT] = {"releases"};
static const char *const audit_release_names[] = {"record", "summary"};

static int
load_audit(struct ld *c, const yaml_node_t *map)
{
	yaml_node_t *f[A_COUNT];
	char fwhat[LD_WHAT_MAX];
	int e = 0;

	if (ld_get_fields(c, map, "'audit'", audit_keys, A_COUNT, f) < 0)
		return -1;
	if (f[A_RELEASES] != NULL) {
		if (ld_get_enum(c, f[A_RELEASES],
				ld_field(fwhat, sizeof(fwhat), "releases", "'audit'"),
				audit_release_names, 2, &e) < 0)
			return -1;
		c->p->audit_releases = (uint8_t)e;
	}
	return 0;
}

enum { R_TWO_PERSON, R_REVIEWERS, R_MAX_ITEMS, R_MAX_BYTES, R_COUNT };
static const char *const review_keys[R_COUNT] = {"two_person_from", "reviewers", "queue_max_items",
						 "queue_max_bytes"};
enum { V_UID, V_NAME, V_COUNT };
static const char *const reviewer_keys[V_COUNT] = {"uid", "name"};

#define REVIEW_MAX_ITEMS_DEFAULT 10000u
#define REVIEW_MAX_BYTES_DEFAULT (UINT64_C(1) << 30)
#define REVIEW_MAX_ITEMS	 10000000u
#define REVIEW_MAX_BYTES	 (UINT64_C(1) << 40)

/* One entry of 'reviewers'; @p at holds where each earlier one's uid and name are. */
static int
load_reviewer(struct ld *c, const yaml_node_t *map, int index, const yaml_node_t **uid_at,
	      const yaml_node_t **name_at)
{
	struct insp_policy *p = c->p;
	struct insp_reviewer *r = &p->reviewers[p->n_reviewers];
	yaml_node_t *f[V_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX], q[72];
	uint64_t v;

	ld_item_what(c, what, sizeof(what), "reviewer", map, "name", 1, index);
	if (ld_get_fields(c, map, what, reviewer_keys, V_COUNT, f) < 0)
		return -1;
	if (ld_req_uint(c, map, f, reviewer_keys, V_UID, what, 1, UINT32_MAX - 1, &v) < 0)
		return -1;
	r->uid = (uint32_t)v;
	if (f[V_NAME] == NULL)
		return ld_missing(c, map, what, "name");
	if (!ld_is_scalar(f[V_NAME]) || !ld_name_in_class(f[V_NAME], NC_REVIEWER)) {
		if (!ld_is_scalar(f[V_NAME]))
			return ld_fail(c, f[V_NAME], "%s must be a string, got %s",
				       ld_field(fwhat, sizeof(fwhat), "name", what),
				       ld_kind(f[V_NAME]));
		return ld_fail(c, f[V_NAME],
			       "reviewer name '%s' must be 1 to %d characters of a-z, 0-9, '_', "
			       "'.' and '-'",
			       Q(f[V_NAME], q), INSP_NAME_MAX - 1);
	}
	for (uint32_t i = 0; i < p->n_reviewers; i++) {
		if (p->reviewers[i].uid == r->uid)
			return ld_fail(c, f[V_UID],
				       "reviewer uid %u given twice (first at %zu:%zu)", r->uid,
				       uid_at[i]->start_mark.line + 1,
				       uid_at[i]->start_mark.column + 1);
		if (ld_scalar_is(f[V_NAME], p->reviewers[i].name))
			return ld_fail(c, f[V_NAME],
				       "reviewer name '%s' given twice (first at %zu:%zu)",
				       p->reviewers[i].name, name_at[i]->start_mark.line + 1,
				       name_at[i]->start_mark.column + 1);
	}
	ld_copy_str(r->name, f[V_NAME]);
	uid_at[p->n_reviewers] = f[V_UID];
	name_at[p->n_reviewers] = f[V_NAME];
	p->n_reviewers++;
	return 0;
}

int
ld_load_review(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *uid_at[INSP_MAX_REVIEWERS], *name_at[INSP_MAX_REVIEWERS];
	const yaml_node_item_t *it;
	yaml_node_t *f[R_COUNT];
	char fwhat[LD_WHAT_MAX];
	uint64_t v;
	int idx = 0;

	if (ld_get_fields(c, map, "'review'", review_keys, R_COUNT, f) < 0)
		return -1;
	if (f[R_TWO_PERSON] != NULL &&
	    ld_get_level(c, f[R_TWO_PERSON],
			 ld_field(fwhat, sizeof(fwhat), "two_person_from", "'review'"),
			 &p->two_person_level) < 0)
		return -1;
	if (f[R_REVIEWERS] != NULL) {
		const yaml_node_t *seq = f[R_REVIEWERS];

		if (seq->type != YAML_SEQUENCE_NODE)
			return ld_fail(c, seq,
				       "'reviewers' in 'review' must be a sequence of {uid, name}, "
				       "got %s",
				       ld_kind(seq));
		if (ld_seq_len(seq) > INSP_MAX_REVIEWERS)
			return ld_fail(
				c, ld_node(c, seq->data.sequence.items.start[INSP_MAX_REVIEWERS]),
				"too many reviewers (at most %d)", INSP_MAX_REVIEWERS);
		for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
		     it++, idx++)
			if (load_reviewer(c, ld_node(c, *it), idx, uid_at, name_at) < 0)
				return -1;
	}
	if (f[R_MAX_ITEMS] != NULL) {
		if (ld_get_uint(c, f[R_MAX_ITEMS],
				ld_field(fwhat, sizeof(fwhat), "queue_max_items", "'review'"), 1,
				REVIEW_MAX_ITEMS, &v) < 0)
			return -1;
		p->review_max_items = (uint32_t)v;
	}
	if (f[R_MAX_BYTES] != NULL) {
		if (ld_get_uint(c, f[R_MAX_BYTES],
				ld_field(fwhat, sizeof(fwhat), "queue_max_bytes", "'review'"), 1,
				REVIEW_MAX_BYTES, &v) < 0)
			return -1;
		p->review_max_bytes = v;
	}
	return 0;
}

static int
load_cot(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	yaml_node_t *f[K_COUNT];
	char fwhat[LD_WHAT_MAX];
	uint64_t v;

	if (ld_get_fields(c, map, "'cot'", cot_keys, K_COUNT, f) < 0)
		return -1;
	if (f[K_DEPTH] != NULL) {
		if (ld_get_uint(c, f[K_DEPTH],
				ld_field(fwhat, sizeof(fwhat), "max_detail_depth", "'cot'"), 1, 64,
				&v) < 0)
			return -1;
		p->cot_max_depth = (uint32_t)v;
	}
	if (f[K_ELEMS] != NULL) {
		if (ld_get_uint(c, f[K_ELEMS],
				ld_field(fwhat, sizeof(fwhat), "max_detail_elements", "'cot'"), 1,
				100000, &v) < 0)
			return -1;
		p->cot_max_elems = (uint32_t)v;
	}
	return 0;
}

static int
load_root(struct ld *c, const yaml_node_t *root)
{
	struct insp_policy *p = c->p;
	static const uint8_t dscp_default[INSP_TCLASS_COUNT] = {46, 34, 18,
								8}; /* EF AF41 AF21 CS1 */
	yaml_node_t *f[T_COUNT];
	uint64_t v;
	int i;

	if (root->type != YAML_MAPPING_NODE)
		return ld_fail(c, root,
			       "the policy must be a mapping (version, nations, classifications, "
			       "...), got %s",
			       ld_kind(root));
	if (ld_get_fields(c, root, "the policy", top_keys, T_COUNT, f) < 0)
		return -1;

	if (f[T_VERSION] == NULL)
		return ld_missing(c, root, "the policy", "version");
	if (ld_parse_uint(f[T_VERSION], &v) < 0) {
		char q[72];

		if (!ld_is_scalar(f[T_VERSION]) ||
		    f[T_VERSION]->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			return ld_fail(c, f[T_VERSION], "'version' must be the integer 1, got %s",
				       ld_is_scalar(f[T_VERSION]) ? "a quoted string"
								  : ld_kind(f[T_VERSION]));
		return ld_fail(c, f[T_VERSION], "'version' must be the integer 1, got '%s'",
			       Q(f[T_VERSION], q));
	}
	if (v != 1)
		return ld_fail(
			c, f[T_VERSION],
			"unsupported policy version %" PRIu64 " (this guard reads version 1)", v);

	p->strict_labels = 1;
	p->stale_skew_ms = 60 * 1000;
	p->cot_max_depth = 16;
	p->cot_max_elems = 512;
	if (f[T_LABELS] != NULL && load_labels(c, f[T_LABELS]) < 0)
		return -1;
	if (f[T_COT] != NULL && load_cot(c, f[T_COT]) < 0)
		return -1;
	p->audit_releases = INSP_AUDIT_RECORD;
	if (f[T_AUDIT] != NULL && load_audit(c, f[T_AUDIT]) < 0)
		return -1;
	p->two_person_level = INSP_LEVEL_SECRET;
	p->review_max_items = REVIEW_MAX_ITEMS_DEFAULT;
	p->review_max_bytes = REVIEW_MAX_BYTES_DEFAULT;
	if (f[T_REVIEW] != NULL && ld_load_review(c, f[T_REVIEW]) < 0)
		return -1;

	for (i = 0; i < INSP_MAX_NATIONS; i++)
		p->nation_ceiling[i] = INSP_LEVEL_TOP_SECRET;
	memcpy(p->class_dscp, dscp_default, sizeof(p->class_dscp));

	if (f[T_NATIONS] == NULL)
		return ld_missing(c, root, "the policy", "nations");
	if (ld_load_nations(c, f[T_NATIONS]) < 0)
		return -1;
	if (f[T_GROUPS] != NULL && ld_load_groups(c, f[T_GROUPS]) < 0)
		return -1;
	if (f[T_CEILINGS] != NULL && ld_load_ceilings(c, f[T_CEILINGS]) < 0)
		return -1;
	if (ld_load_classifications(c, f[T_CLASSIFICATIONS], root) < 0)
		return -1;
	if (f[T_RESTRICTIVE] != NULL && ld_load_restrictive(c, f[T_RESTRICTIVE]) < 0)
		return -1;
	if (f[T_DESTINATIONS] != NULL && ld_load_destinations(c, f[T_DESTINATIONS]) < 0)
		return -1;

	if (f[T_CATEGORIES] != NULL) {
		if (ld_load_categories(c, f[T_CATEGORIES]) < 0)
			return -1;
	} else {
		ld_default_category(p);
		if (f[T_SHARING] != NULL)
			return ld_needs_categories(c, f[T_SHARING], "'sharing_agreements'");
		if (f[T_HINTS] != NULL)
			return ld_needs_categories(c, f[T_HINTS], "'category_hints'");
	}
	if (f[T_SHARING] != NULL && ld_load_sharing(c, f[T_SHARING]) < 0)
		return -1;
	if (f[T_CHANNELS] != NULL && ld_load_channels(c, f[T_CHANNELS]) < 0)
		return -1;
	if (f[T_HINTS] != NULL && ld_load_hints(c, f[T_HINTS]) < 0)
		return -1;
	if (f[T_PRIORITIES] != NULL && ld_load_priorities(c, f[T_PRIORITIES]) < 0)
		return -1;
	if (f[T_TCLASSES] != NULL && ld_load_tclasses(c, f[T_TCLASSES]) < 0)
		return -1;
	if (f[T_EGRESS] != NULL && ld_load_egress_links(c, f[T_EGRESS]) < 0)
		return -1;
	/* Last: reading term files and compiling are the expensive steps. */
	return ld_load_patterns(c, f[T_TERMS], f[T_TERM_FILES], f[T_MARKINGS]);
}

void
ld_policy_free(struct insp_policy *p)
{
	if (p == NULL)
		return;
	free(p->groups);
	free(p->class_policies);
	free(p->class_names);
	free(p->destinations);
	free(p->held);
	free(p->channels);
	free(p->category_hints);
	free(p->priorities);
	free(p->egress_links);
	free(p->patterns);
	free(p->hint_order);
	free(p->prio_order);
	free(p->channel_keys);
	free(p);
}

void
ld_release(struct ld *c)
{
	ld_policy_free(c->p);
	c->p = NULL;
	free(c->pool);
	c->pool = NULL;
	c->pool_len = c->pool_cap = 0;
	hs_free_database(c->regex_db);
	hs_free_database(c->lit_db);
	c->regex_db = c->lit_db = NULL;
}

int
ld_pool_add(struct ld *c, const char *s, size_t len, uint32_t *off, uint32_t *out_len)
{
	/* offsets are 32-bit; the pattern limits keep the pool far below 4 GiB */
	if (len >= UINT32_MAX || c->pool_len + len + 1 > UINT32_MAX)
		return -1;
	if (c->pool_len + len + 1 > c->pool_cap) {
		size_t cap = c->pool_cap != 0 ? c->pool_cap : 4096;
		char *n;

		while (cap < c->pool_len + len + 1)
			cap *= 2;
		n = realloc(c->pool, cap);
		if (n == NULL)
			return -1;
		c->pool = n;
		c->pool_cap = cap;
	}
	memcpy(c->pool + c->pool_len, s, len);
	c->pool[c->pool_len + len] = '\0';
	*off = (uint32_t)c->pool_len;
	*out_len = (uint32_t)len;
	c->pool_len += len + 1;
	return 0;
}

int
ld_build(struct ld *c, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	const yaml_node_t *root, *root2;
	int have_doc = 0;

	if (c->err != NULL)
		memset(c->err, 0, sizeof(*c->err));
	if (c->file == NULL)
		c->file = "policy";
	if (text == NULL) {
		text = "";
		len = 0;
	}
	/* nesting first: libyaml's document loader takes time quadratic in the depth */
	if (ld_yaml_check_depth(c, text, len) < 0)
		return -1;
	if (!yaml_parser_initialize(&parser)) {
		ld_fail_at(c, 0, 0, "out of memory while parsing YAML");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		ld_yaml_error(c, &parser, text, len);
		goto out;
	}
	have_doc = 1;
	c->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		ld_fail_at(c, 1, 1,
			   "the policy is empty (it needs at least 'version', 'nations' and "
			   "'classifications')");
		goto out;
	}
	/* A second document would be silently ignored by a reader that stops at the first. */
	if (!yaml_parser_load(&parser, &extra)) {
		ld_yaml_error(c, &parser, text, len);
		goto out;
	}
	root2 = yaml_document_get_root_node(&extra);
	if (root2 != NULL)
		ld_fail_at(c, root2->start_mark.line + 1, root2->start_mark.column + 1,
			   "a second YAML document (a policy file holds exactly one)");
	yaml_document_delete(&extra);
	if (c->failed)
		goto out;

	c->p = calloc(1, sizeof(*c->p));
	if (c->p == NULL) {
		ld_oom(c, root);
		goto out;
	}
	if (load_root(c, root) == 0)
		ld_build_tables(c);
out:
	if (have_doc)
		yaml_document_delete(&doc);
	c->doc = NULL;
	yaml_parser_delete(&parser);
	if (c->failed) {
		ld_release(c);
		return -1;
	}
	c->p->strings = c->pool;
	c->p->strings_len = (uint32_t)c->pool_len;
	return 0;
}
