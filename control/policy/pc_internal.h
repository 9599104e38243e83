/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the policy compiler (control/policy): the load state every reader shares and
 * the functions one reader calls in another. Not a contract for anyone else; the public
 * one is pc_policy.h.
 */
#ifndef PC_INTERNAL_H
#define PC_INTERNAL_H

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <yaml.h>

#include "insp_chunk.h"
#include "insp_fold.h"
#include "insp_match.h"
#include "insp_norm.h"
#include "pc_hs.h"
#include "pc_policy.h"
#include "insp_utf8.h"

/* Limits that are not in insp_policy.h; documented in docs/policy.md. */
#define LD_MAX_GROUPS	      256
#define LD_MAX_CLASS_POLICIES 64
#define LD_MAX_CLASS_NAMES    256
#define LD_MAX_DESTINATIONS   256
#define LD_MAX_HOLDS	      64
#define LD_MAX_PATTERNS	      500000	  /* 500k literals: 12 s, 0.6 GiB (docs/policy.md) */
#define LD_MAX_REGEXES	      10000	  /* regexes cost Hyperscan far more than literals */
#define LD_MAX_TERM_BYTES     (64u << 20) /* all term files together */
#define LD_MAX_LITERAL	      1024
#define LD_MAX_REGEX	      4096
#define LD_MAX_RESTRICTIVE    64   /* restrictive category tags */
#define LD_MAX_RESTR_VALUES   256  /* values per tag */
#define LD_MAX_HINTS	      1024 /* category hints, all formats */
#define LD_MAX_PRIORITIES     1024
#define LD_MAX_TERM_FILES     256
#define LD_MAX_PATH	      4095
#define LD_MAX_KEYS	      24 /* keys of the largest fixed mapping */
#define LD_LIST_MAX	      288 /* longest "(known: ...)" list quoted in a message: the top-level keys */
#define LD_WHAT_MAX	      160 /* "'ttl' in channel '...' egress" */

struct ld {
	yaml_document_t *doc;
	const char *file;
	struct insp_err *err;
	int failed;
	struct insp_policy *p;
	const struct pc_io *io;		/* term file reader, or NULL */
	const yaml_node_t *restrictive; /* 'restrictive_categories' mapping, or NULL */
	int have_categories;		/* 'data_categories' given */
	uint64_t term_bytes;		/* read from term files so far */
	/* what the build produces besides the policy's arrays */
	char *pool; /* the policy's strings (insp_policy.strings) */
	size_t pool_len, pool_cap;
	const hs_platform_info_t *plat; /* Hyperscan target, NULL: this machine */
	struct pc_hs_bounds bounds;	/* time and memory of the Hyperscan compile */
	hs_database_t *regex_db, *lit_db;
	double hs_seconds;
};

/*
 * Parse, validate and compile @p text into c->p (heap arrays), c->pool, c->regex_db and
 * c->lit_db. The caller sets file, err, io and plat. Returns 0, or -1 with c->err set and
 * nothing left to free.
 */
int ld_build(struct ld *c, const char *text, size_t len);

/* Free what ld_build() produced. */
void ld_release(struct ld *c);

/* Free a policy whose arrays are heap memory (the compiler's, never an image's view). */
void ld_policy_free(struct insp_policy *p);

/* Append @p len bytes and a NUL to the string pool. Returns 0 or -1 (out of memory). */
int ld_pool_add(struct ld *c, const char *s, size_t len, uint32_t *off, uint32_t *out_len);

/* Build the policy's lookup tables (pc_tables.c). Returns 0 or -1 with the error set. */
int ld_build_tables(struct ld *c);

/* Refuse nesting deeper than PC_MAX_DEPTH. Returns 0 or -1 with the error set. */
int ld_yaml_check_depth(struct ld *c, const char *text, size_t len);

#define Q(n, b) ld_quote((n), (b), sizeof(b))

/* Comma-separated list for "(known: ...)", cut with ", ..." when it gets long. */
struct list {
	char buf[LD_LIST_MAX + 8];
	size_t len;
	int full;
};

/* Every byte of the scalar is in the class (1..INSP_NAME_MAX-1 bytes). */
enum name_class {
	NC_GROUP,	/* [A-Z0-9_] */
	NC_CHANNEL,	/* [a-z0-9_-] */
	NC_DESTINATION, /* [A-Za-z0-9_.-] */
	NC_REVIEWER,	/* [a-z0-9_.-] */
};

/*
 * Per-pattern build state kept beside insp_pattern for messages and compile flags. A
 * pattern comes from the policy file (file NULL, positions of its YAML nodes) or from line
 * N of a term file (file its path, positions N:1).
 */
struct pat_src {
	const char *file;
	uint32_t id_line, id_col;     /* where its id is given */
	uint32_t expr_line, expr_col; /* where its literal or regex is */
	uint8_t is_literal;
	unsigned flags;
	char *skel_expr; /* a literal's expression in the skeleton form, if it needs its own */
};

#define ZERO_WIDTH_HINT                                                                           \
	"can match an empty string (like '^$', '(?m)^' or 'x*'): a term must match at least one " \
	"character"
#define ANCHOR_HINT                                                                              \
	"uses \\A, \\z or \\Z: each attribute value and text node is scanned on its own, write " \
	"^ and $ instead"

/* One prohibited_term_files entry while loading. */
struct term_file {
	const yaml_node_t *map;
	char *path; /* joined to the policy's directory: what is read and named in messages */
	char *text; /* from the caller's reader, freed here */
	size_t len;
	uint64_t first_id;
	struct insp_pattern proto; /* action and scope every term of the file gets */
	uint8_t regex;
	unsigned flags;
	uint32_t n_terms;
};

/*
 * Lines of a term file, trimmed of trailing blanks and CR (a UTF-8 byte order mark at the
 * start of the file is dropped). Line numbers count every line, blank or not.
 */
struct line_iter {
	const char *text;
	size_t len, pos;
	uint32_t lineno;
};

const char *ld_quote(const yaml_node_t *n, char *buf, size_t cap);
int __attribute__((format(printf, 5, 6)))
ld_fail_in(struct ld *c, const char *file, size_t line, size_t col, const char *fmt, ...);
int __attribute__((format(printf, 4, 5)))
ld_fail_at(struct ld *c, size_t line, size_t col, const char *fmt, ...);
int __attribute__((format(printf, 3, 4)))
ld_fail(struct ld *c, const yaml_node_t *n, const char *fmt, ...);
int ld_oom(struct ld *c, const yaml_node_t *n);
yaml_node_t *ld_node(struct ld *c, yaml_node_item_t idx);
int ld_is_scalar(const yaml_node_t *n);
const char *ld_sval(const yaml_node_t *n);
size_t ld_slen(const yaml_node_t *n);
int ld_seq_len(const yaml_node_t *n);
int ld_scalar_is(const yaml_node_t *n, const char *s);
const char *ld_kind(const yaml_node_t *n);
const char *ld_field(char *buf, size_t cap, const char *key, const char *what);
void ld_list_add(struct list *l, const char *s);
int ld_get_fields(struct ld *c, const yaml_node_t *map, const char *what, const char *const *keys,
		  size_t nkeys, yaml_node_t **vals);
int ld_missing(struct ld *c, const yaml_node_t *map, const char *what, const char *key);
void ld_item_what(struct ld *c, char *buf, size_t cap, const char *noun, const yaml_node_t *map,
		  const char *key, int quoted, int index);
int ld_get_text(struct ld *c, const yaml_node_t *n, const char *what, size_t max, int allow_ws);
int ld_get_string(struct ld *c, const yaml_node_t *n, const char *what, size_t max);
void ld_copy_str(char *out, const yaml_node_t *n);
int ld_parse_uint(const yaml_node_t *n, uint64_t *out);
int ld_get_uint(struct ld *c, const yaml_node_t *n, const char *what, uint64_t min, uint64_t max,
		uint64_t *out);
int ld_get_bool(struct ld *c, const yaml_node_t *n, const char *what, uint8_t *out);
int ld_get_enum(struct ld *c, const yaml_node_t *n, const char *what, const char *const *names,
		size_t count, int *out);
int ld_get_level(struct ld *c, const yaml_node_t *n, const char *what, uint8_t *out);
int ld_get_ip(struct ld *c, const yaml_node_t *n, const char *what, struct insp_ipaddr *out);
int ld_get_mac(struct ld *c, const yaml_node_t *n, const char *what, uint8_t mac[6]);
int ld_is_nation_code(const yaml_node_t *n);
int ld_name_in_class(const yaml_node_t *n, enum name_class nc);
int ld_get_label_name(struct ld *c, const yaml_node_t *n, const char *noun, const char *where,
		      char *out);
int ld_ascii_ieq(const char *a, size_t alen, const char *b, size_t blen);
void ld_yaml_error(struct ld *c, const yaml_parser_t *ps, const char *text, size_t len);
int ld_get_code_list(struct ld *c, const yaml_node_t *seq, const char *what, const char *where,
		     uint64_t *bits);
int ld_load_nations(struct ld *c, const yaml_node_t *seq);
int ld_load_groups(struct ld *c, const yaml_node_t *map);
int ld_load_ceilings(struct ld *c, const yaml_node_t *map);
int ld_load_classifications(struct ld *c, const yaml_node_t *map, const yaml_node_t *root);
int ld_load_restrictive(struct ld *c, const yaml_node_t *map);
int ld_load_destinations(struct ld *c, const yaml_node_t *map);
int ld_get_category(struct ld *c, const yaml_node_t *n, const char *where, uint32_t *out);
int ld_needs_categories(struct ld *c, const yaml_node_t *n, const char *what);
int ld_load_categories(struct ld *c, const yaml_node_t *seq);
int ld_load_sharing(struct ld *c, const yaml_node_t *map);
void ld_default_category(struct insp_policy *p);
int ld_get_prefix(struct ld *c, const yaml_node_t *n, const char *what);
int ld_load_hints(struct ld *c, const yaml_node_t *map);
int ld_req_uint(struct ld *c, const yaml_node_t *map, yaml_node_t *const *f,
		const char *const *keys, int key, const char *what, uint64_t min, uint64_t max,
		uint64_t *out);
int ld_load_channels(struct ld *c, const yaml_node_t *seq);
int ld_load_priorities(struct ld *c, const yaml_node_t *seq);
int ld_load_tclasses(struct ld *c, const yaml_node_t *map);
int ld_load_egress_links(struct ld *c, const yaml_node_t *seq);
int ld_load_review(struct ld *c, const yaml_node_t *map);
int ld_has_buffer_anchor(const char *re);
int ld_make_expr(struct ld *c, struct insp_pattern *pat, struct pat_src *src, const char *text,
		 size_t len, int literal, char *msg, size_t msg_len);
int ld_get_term_scope(struct ld *c, const yaml_node_t *action, const yaml_node_t *channels,
		      const char *what, struct insp_pattern *pat);
int ld_load_patterns(struct ld *c, const yaml_node_t *terms, const yaml_node_t *files,
		     const yaml_node_t *marks);
int ld_next_line(struct line_iter *li, const char **s, size_t *n);
int ld_is_term_line(const char *s, size_t n);
int ld_load_term_file(struct ld *c, struct term_file *tf, const yaml_node_t *map, int index);
int ld_load_term_line(struct ld *c, const struct term_file *tf, const char *s, size_t n,
		      uint32_t line, struct insp_pattern *pat, struct pat_src *src);

#endif
