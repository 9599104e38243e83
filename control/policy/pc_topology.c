/* SPDX-License-Identifier: BSD-3-Clause */
#include "pc_internal.h"

/* ---- channels ---- */

enum {
	C_NAME,
	C_DIRECTION,
	C_FORMAT,
	C_DESTINATION,
	C_CATEGORY,
	C_MAX_SIZE,
	C_INGRESS,
	C_EGRESS,
	C_ALLOW_BIDI,
	C_OBJECT,
	C_COUNT
};
static const char *const chan_keys[C_COUNT] = {
	"name",	    "direction", "format", "destination", "category",
	"max_size", "ingress",	 "egress", "allow_bidi",  "object",
};

enum { O_TYPES, O_MAX_OBJECT, O_RELEASE, O_COUNT };
static const char *const object_keys[O_COUNT] = {"types", "max_object", "release"};
static const char *const object_release_names[] = {
	[INSP_OBJ_RELEASE_REVIEW] = "review",
	[INSP_OBJ_RELEASE_DIRECT] = "direct",
};

enum { I_PORT, I_ADDRESS, I_UDP_PORT, I_COUNT };
static const char *const ingress_keys[I_COUNT] = {"port", "address", "udp_port"};

enum {
	E_PORT,
	E_SRC_ADDRESS,
	E_ADDRESS,
	E_SRC_UDP_PORT,
	E_UDP_PORT,
	E_NEXT_HOP_MAC,
	E_SRC_MAC,
	E_TTL,
	E_DSCP,
	E_COUNT
};
static const char *const egress_keys[E_COUNT] = {
	"port",	    "source_address", "address",    "source_udp_port",
	"udp_port", "next_hop_mac",   "source_mac", "ttl",
	"dscp",
};

static const char *const direction_names[] = {
	[INSP_DIR_HIGH_TO_LOW] = "high_to_low",
	[INSP_DIR_LOW_TO_HIGH] = "low_to_high",
};

/* Required integer field @p key of mapping fields @p f. */
int
ld_req_uint(struct ld *c, const yaml_node_t *map, yaml_node_t *const *f, const char *const *keys,
	    int key, const char *what, uint64_t min, uint64_t max, uint64_t *out)
{
	char fwhat[LD_WHAT_MAX];

	if (f[key] == NULL)
		return ld_missing(c, map, what, keys[key]);
	return ld_get_uint(c, f[key], ld_field(fwhat, sizeof(fwhat), keys[key], what), min, max,
			   out);
}

static int
load_ingress(struct ld *c, struct insp_ingress *in, const yaml_node_t *map, const char *chan)
{
	yaml_node_t *f[I_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX];
	uint64_t v;

	if (snprintf(what, sizeof(what), "%s ingress", chan) < 0)
		what[0] = '\0';
	if (ld_get_fields(c, map, what, ingress_keys, I_COUNT, f) < 0)
		return -1;
	if (ld_req_uint(c, map, f, ingress_keys, I_PORT, what, 0, UINT16_MAX, &v) < 0)
		return -1;
	in->port = (uint16_t)v;
	if (f[I_ADDRESS] == NULL)
		return ld_missing(c, map, what, "address");
	if (ld_get_ip(c, f[I_ADDRESS], ld_field(fwhat, sizeof(fwhat), "address", what), &in->dst) <
	    0)
		return -1;
	if (ld_req_uint(c, map, f, ingress_keys, I_UDP_PORT, what, 1, UINT16_MAX, &v) < 0)
		return -1;
	in->udp_port = (uint16_t)v;
	return 0;
}

static int
load_egress(struct ld *c, struct insp_egress *eg, const yaml_node_t *map, const char *chan)
{
	yaml_node_t *f[E_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX];
	uint64_t v;

	if (snprintf(what, sizeof(what), "%s egress", chan) < 0)
		what[0] = '\0';
	if (ld_get_fields(c, map, what, egress_keys, E_COUNT, f) < 0)
		return -1;
	if (ld_req_uint(c, map, f, egress_keys, E_PORT, what, 0, UINT16_MAX, &v) < 0)
		return -1;
	eg->port = (uint16_t)v;
	if (f[E_SRC_ADDRESS] == NULL)
		return ld_missing(c, map, what, "source_address");
	if (ld_get_ip(c, f[E_SRC_ADDRESS], ld_field(fwhat, sizeof(fwhat), "source_address", what),
		      &eg->src) < 0)
		return -1;
	if (f[E_ADDRESS] == NULL)
		return ld_missing(c, map, what, "address");
	if (ld_get_ip(c, f[E_ADDRESS], ld_field(fwhat, sizeof(fwhat), "address", what), &eg->dst) <
	    0)
		return -1;
	if (eg->dst.version != eg->src.version)
		return ld_fail(c, f[E_ADDRESS], "%s is IPv%u but 'source_address' is IPv%u",
			       ld_field(fwhat, sizeof(fwhat), "address", what), eg->dst.version,
			       eg->src.version);
	if (ld_req_uint(c, map, f, egress_keys, E_UDP_PORT, what, 1, UINT16_MAX, &v) < 0)
		return -1;
	eg->dst_udp_port = (uint16_t)v;
	eg->src_udp_port = eg->dst_udp_port;
	if (f[E_SRC_UDP_PORT] != NULL) {
		if (ld_get_uint(c, f[E_SRC_UDP_PORT],
				ld_field(fwhat, sizeof(fwhat), "source_udp_port", what), 1,
				UINT16_MAX, &v) < 0)
			return -1;
		eg->src_udp_port = (uint16_t)v;
	}
	if (f[E_NEXT_HOP_MAC] == NULL)
		return ld_missing(c, map, what, "next_hop_mac");
	if (ld_get_mac(c, f[E_NEXT_HOP_MAC], ld_field(fwhat, sizeof(fwhat), "next_hop_mac", what),
		       eg->dst_mac) < 0)
		return -1;
	if (f[E_SRC_MAC] != NULL) {
		if (ld_get_mac(c, f[E_SRC_MAC], ld_field(fwhat, sizeof(fwhat), "source_mac", what),
			       eg->src_mac) < 0)
			return -1;
		eg->has_src_mac = 1;
	}
	eg->ttl = 64;
	if (f[E_TTL] != NULL) {
		if (ld_get_uint(c, f[E_TTL], ld_field(fwhat, sizeof(fwhat), "ttl", what), 1, 255,
				&v) < 0)
			return -1;
		eg->ttl = (uint8_t)v;
	}
	if (f[E_DSCP] != NULL) {
		if (ld_get_uint(c, f[E_DSCP], ld_field(fwhat, sizeof(fwhat), "dscp", what), 0, 63,
				&v) < 0)
			return -1;
		/* given: it replaces the traffic class's DSCP on this channel */
		eg->dscp = (uint8_t)v;
		eg->has_dscp = 1;
	}
	return 0;
}

static int
find_destination(const struct insp_policy *p, const yaml_node_t *n)
{
	uint32_t i;

	for (i = 0; i < p->n_destinations; i++) {
		if (ld_scalar_is(n, p->destinations[i].name))
			return (int)i;
	}
	return -1;
}

static int
same_ingress(const struct insp_ingress *a, const struct insp_ingress *b)
{
	return a->port == b->port && a->udp_port == b->udp_port &&
	       a->dst.version == b->dst.version &&
	       memcmp(a->dst.a, b->dst.a, a->dst.version == 4 ? 4 : 16) == 0;
}

/* The `object:` block of a channel of format object (@p what: "channel 'x'"). */
static int
load_object(struct ld *c, struct insp_channel *ch, const yaml_node_t *map, const char *what)
{
	const char *mimes[INSP_OBJ_TYPE_COUNT - 1];
	const yaml_node_t *type_at[INSP_OBJ_TYPE_COUNT] = {NULL};
	const yaml_node_item_t *it;
	yaml_node_t *f[O_COUNT];
	char owhat[LD_WHAT_MAX], fwhat[LD_WHAT_MAX], twhat[LD_WHAT_MAX + 16];
	uint64_t v;
	int e = 0;

	for (unsigned t = INSP_OBJ_TEXT; t < INSP_OBJ_TYPE_COUNT; t++)
		mimes[t - 1] = insp_obj_type_mime(t);
	ld_field(owhat, sizeof(owhat), "object", what);
	if (ld_get_fields(c, map, owhat, object_keys, O_COUNT, f) < 0)
		return -1;
	if (f[O_TYPES] == NULL)
		return ld_fail(c, map,
			       "%s is missing required key 'types' (the allowed real types)",
			       owhat);
	ld_field(fwhat, sizeof(fwhat), "types", owhat);
	if (f[O_TYPES]->type != YAML_SEQUENCE_NODE)
		return ld_fail(c, f[O_TYPES],
			       "%s must be a sequence of MIME types (text/plain, application/pdf, "
			       "image/jpeg, image/png), got %s",
			       fwhat, ld_kind(f[O_TYPES]));
	if (ld_seq_len(f[O_TYPES]) == 0)
		return ld_fail(c, f[O_TYPES], "%s must name at least one type", fwhat);
	if (snprintf(twhat, sizeof(twhat), "a type in %s", fwhat) < 0)
		twhat[0] = '\0';
	ch->object_types = 0;
	for (it = f[O_TYPES]->data.sequence.items.start; it < f[O_TYPES]->data.sequence.items.top;
	     it++) {
		const yaml_node_t *n = ld_node(c, *it);

		if (ld_get_enum(c, n, twhat, mimes, INSP_OBJ_TYPE_COUNT - 1, &e) < 0)
			return -1;
		e++; /* enum insp_obj_type */
		if (type_at[e] != NULL)
			return ld_fail(c, n, "type '%s' given twice in %s (first at %zu:%zu)",
				       mimes[e - 1], fwhat, type_at[e]->start_mark.line + 1,
				       type_at[e]->start_mark.column + 1);
		type_at[e] = n;
		ch->object_types |= (uint8_t)(1u << e);
	}
	ch->object_max = INSP_OBJECT_MAX_DEFAULT;
	if (f[O_MAX_OBJECT] != NULL) {
		if (ld_get_uint(c, f[O_MAX_OBJECT],
				ld_field(fwhat, sizeof(fwhat), "max_object", owhat), 1,
				INSP_OBJECT_MAX, &v) < 0)
			return -1;
		ch->object_max = (uint32_t)v;
	}
	ch->object_release = INSP_OBJ_RELEASE_REVIEW;
	if (f[O_RELEASE] != NULL) {
		if (ld_get_enum(c, f[O_RELEASE], ld_field(fwhat, sizeof(fwhat), "release", owhat),
				object_release_names, 2, &e) < 0)
			return -1;
		ch->object_release = (uint8_t)e;
	}
	return 0;
}

static int
load_channel(struct ld *c, struct insp_channel *ch, const yaml_node_t *map, int index,
	     const yaml_node_t **name_at, const yaml_node_t **ingress_at)
{
	struct insp_policy *p = c->p;
	const char *formats[INSP_FORMAT_COUNT];
	yaml_node_t *f[C_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX], q[72];
	uint32_t i;
	uint64_t v;
	int e = 0;

	ld_item_what(c, what, sizeof(what), "channel", map, "name", 1, index);
	if (ld_get_fields(c, map, what, chan_keys, C_COUNT, f) < 0)
		return -1;
	if (f[C_NAME] == NULL)
		return ld_missing(c, map, what, "name");
	if (!ld_is_scalar(f[C_NAME]) || !ld_name_in_class(f[C_NAME], NC_CHANNEL)) {
		if (!ld_is_scalar(f[C_NAME]))
			return ld_fail(c, f[C_NAME], "%s must be a string, got %s",
				       ld_field(fwhat, sizeof(fwhat), "name", what),
				       ld_kind(f[C_NAME]));
		return ld_fail(c, f[C_NAME],
			       "channel name '%s' must be 1 to %d characters of a-z, 0-9, '_' "
			       "and '-'",
			       Q(f[C_NAME], q), INSP_NAME_MAX - 1);
	}
	for (i = 0; i < p->n_channels; i++) {
		if (ld_scalar_is(f[C_NAME], p->channels[i].name))
			return ld_fail(c, f[C_NAME],
				       "channel name '%s' used twice (first at %zu:%zu)",
				       p->channels[i].name, name_at[i]->start_mark.line + 1,
				       name_at[i]->start_mark.column + 1);
	}
	ld_copy_str(ch->name, f[C_NAME]);
	name_at[p->n_channels] = f[C_NAME];

	if (f[C_DIRECTION] == NULL)
		return ld_missing(c, map, what, "direction");
	if (ld_get_enum(c, f[C_DIRECTION], ld_field(fwhat, sizeof(fwhat), "direction", what),
			direction_names, 2, &e) < 0)
		return -1;
	ch->direction = (uint8_t)e;

	if (f[C_FORMAT] == NULL)
		return ld_missing(c, map, what, "format");
	for (e = 0; e < INSP_FORMAT_COUNT; e++)
		formats[e] = insp_format_name((enum insp_format)e);
	if (ld_get_enum(c, f[C_FORMAT], ld_field(fwhat, sizeof(fwhat), "format", what), formats,
			INSP_FORMAT_COUNT, &e) < 0)
		return -1;
	ch->format = (uint8_t)e;
	if (ch->format == INSP_FORMAT_OBJECT) {
		if (f[C_OBJECT] == NULL)
			return ld_fail(c, map,
				       "%s is missing required key 'object' (format 'object' needs "
				       "its allowed types)",
				       what);
		if (load_object(c, ch, f[C_OBJECT], what) < 0)
			return -1;
	} else if (f[C_OBJECT] != NULL) {
		return ld_fail(c, f[C_OBJECT],
			       "'object' in %s is only for channels of format 'object' (this one "
			       "is '%s')",
			       what, formats[ch->format]);
	}

	if (f[C_DESTINATION] == NULL)
		return ld_missing(c, map, what, "destination");
	if (ld_get_string(c, f[C_DESTINATION], ld_field(fwhat, sizeof(fwhat), "destination", what),
			  INSP_NAME_MAX - 1) < 0)
		return -1;
	e = find_destination(p, f[C_DESTINATION]);
	if (e < 0) {
		struct list l = {.len = 0};

		for (i = 0; i < p->n_destinations; i++)
			ld_list_add(&l, p->destinations[i].name);
		return ld_fail(c, f[C_DESTINATION], "destination '%s' of %s unknown (known: %s)",
			       Q(f[C_DESTINATION], q), what, l.len ? l.buf : "none defined");
	}
	ch->destination = (uint32_t)e;

	/* Its default data category: required once categories exist, refused before. */
	ch->category = 0;
	if (c->have_categories) {
		if (f[C_CATEGORY] == NULL)
			return ld_fail(c, map,
				       "%s is missing required key 'category' (its default data "
				       "category; the policy declares 'data_categories')",
				       what);
		if (ld_get_category(c, f[C_CATEGORY], what, &ch->category) < 0)
			return -1;
	} else if (f[C_CATEGORY] != NULL) {
		return ld_needs_categories(c, f[C_CATEGORY],
					   ld_field(fwhat, sizeof(fwhat), "category", what));
	}

	ch->max_size = 1500;
	if (f[C_MAX_SIZE] != NULL) {
		if (ld_get_uint(c, f[C_MAX_SIZE], ld_field(fwhat, sizeof(fwhat), "max_size", what),
				1, 65507, &v) < 0)
			return -1;
		ch->max_size = (uint32_t)v;
	}
	ch->allow_bidi = 0;
	if (f[C_ALLOW_BIDI] != NULL &&
	    ld_get_bool(c, f[C_ALLOW_BIDI], ld_field(fwhat, sizeof(fwhat), "allow_bidi", what),
			&ch->allow_bidi) < 0)
		return -1;

	if (f[C_INGRESS] == NULL)
		return ld_missing(c, map, what, "ingress");
	if (load_ingress(c, &ch->ingress, f[C_INGRESS], what) < 0)
		return -1;
	ingress_at[p->n_channels] = f[C_INGRESS];
	if (f[C_EGRESS] == NULL)
		return ld_missing(c, map, what, "egress");
	return load_egress(c, &ch->egress, f[C_EGRESS], what);
}

int
ld_load_channels(struct ld *c, const yaml_node_t *seq)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *ingress_at[INSP_MAX_CHANNELS], *name_at[INSP_MAX_CHANNELS];
	const yaml_node_item_t *it;
	int n, idx = 0;

	if (seq->type != YAML_SEQUENCE_NODE)
		return ld_fail(c, seq, "'channels' must be a sequence of channels, got %s",
			       ld_kind(seq));
	n = ld_seq_len(seq);
	if (n > INSP_MAX_CHANNELS)
		return ld_fail(c, ld_node(c, seq->data.sequence.items.start[INSP_MAX_CHANNELS]),
			       "too many channels (at most %d)", INSP_MAX_CHANNELS);
	if (n == 0)
		return 0;
	p->channels = calloc((size_t)n, sizeof(*p->channels));
	if (p->channels == NULL)
		return ld_oom(c, seq);
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++, idx++) {
		struct insp_channel *ch = &p->channels[p->n_channels];
		uint32_t i;

		if (load_channel(c, ch, ld_node(c, *it), idx, name_at, ingress_at) < 0)
			return -1;
		for (i = 0; i < p->n_channels; i++) {
			char addr[INET6_ADDRSTRLEN];
			const yaml_node_t *first = ingress_at[i];

			if (!same_ingress(&p->channels[i].ingress, &ch->ingress))
				continue;
			if (inet_ntop(ch->ingress.dst.version == 4 ? AF_INET : AF_INET6,
				      ch->ingress.dst.a, addr, sizeof(addr)) == NULL)
				addr[0] = '\0';
			return ld_fail(c, ingress_at[p->n_channels],
				       "duplicate channel: '%s' has the same ingress (port %u, "
				       "address %s, udp_port %u) as '%s' (at %zu:%zu)",
				       ch->name, ch->ingress.port, addr, ch->ingress.udp_port,
				       p->channels[i].name, first->start_mark.line + 1,
				       first->start_mark.column + 1);
		}
		p->n_channels++;
	}
	return 0;
}

/* ---- priorities and traffic classes (GUARD-SPEC 7) ---- */

static const char *const tclass_names[INSP_TCLASS_COUNT] = {
	"flash",
	"immediate",
	"priority",
	"routine",
};

/* A traffic class: its number 0..3 or its name. */
static int
get_tclass(struct ld *c, const yaml_node_t *n, const char *what, uint8_t *out)
{
	uint64_t v;
	char q[72];
	int i;

	if (ld_is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    ld_parse_uint(n, &v) == 0 && v < INSP_TCLASS_COUNT) {
		*out = (uint8_t)v;
		return 0;
	}
	for (i = 0; i < INSP_TCLASS_COUNT; i++) {
		if (ld_scalar_is(n, tclass_names[i])) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	if (!ld_is_scalar(n) || ld_slen(n) == 0)
		return ld_fail(c, n,
			       "%s must be 0..3 or one of flash, immediate, priority, routine, "
			       "got %s",
			       what, ld_kind(n));
	return ld_fail(c, n,
		       "%s must be 0..3 or one of flash, immediate, priority, routine, got '%s'",
		       what, Q(n, q));
}

enum { R_CHANNEL, R_FORMAT, R_TYPE_PREFIX, R_COT_TYPE_PREFIX, R_QOS, R_CLASS, R_COUNT };
static const char *const prio_keys[R_COUNT] = {
	"channel", "format", "type_prefix", "cot_type_prefix", "qos_priority", "class",
};

/* The formats whose key is a CoT event type and that carry a qos digit (CoT and TAK). */
#define COT_FORMATS                                                      \
	((uint32_t)(1u << INSP_FORMAT_COT | 1u << INSP_FORMAT_TAK_MESH | \
		    1u << INSP_FORMAT_TAK_STREAM))
#define COT_FORMAT_NAMES "cot, tak-mesh and tak-stream"

/* "labelled-xml, adatp3": the names of the formats in @p bits. */
static const char *
format_list(uint32_t bits, char *buf, size_t cap)
{
	struct list l = {.len = 0};

	for (int f = 0; f < INSP_FORMAT_COUNT; f++)
		if (bits & (1u << f))
			ld_list_add(&l, insp_format_name((enum insp_format)f));
	snprintf(buf, cap, "%s", l.len ? l.buf : "none");
	return buf;
}

/* One format name of a priority row's 'format' (@p what names it in messages). */
static int
add_prio_format(struct ld *c, const yaml_node_t *v, const char *what, const char *field,
		const yaml_node_t **at, uint32_t *out)
{
	const char *names[INSP_FORMAT_COUNT];
	int e = 0;

	for (e = 0; e < INSP_FORMAT_COUNT; e++)
		names[e] = insp_format_name((enum insp_format)e);
	if (ld_get_enum(c, v, what, names, INSP_FORMAT_COUNT, &e) < 0)
		return -1;
	if (e == INSP_FORMAT_OBJECT)
		return ld_fail(c, v,
			       "%s names 'object': objects get no class from the priority table "
			       "(they are released by review and leave as routine)",
			       field);
	if (at[e] != NULL)
		return ld_fail(c, v, "format '%s' given twice in %s (first at %zu:%zu)", names[e],
			       field, at[e]->start_mark.line + 1, at[e]->start_mark.column + 1);
	at[e] = v;
	*out |= 1u << e;
	return 0;
}

/*
 * A priority row's 'format': one format name or a sequence of them, as bits. Objects are
 * refused: they never get a class from the table (a reviewer or the slow path releases
 * them, and they leave as routine behind the tactical traffic).
 */
static int
get_prio_formats(struct ld *c, const yaml_node_t *n, const char *what, uint32_t *out)
{
	const yaml_node_t *at[INSP_FORMAT_COUNT] = {NULL};
	const yaml_node_item_t *it;
	char ewhat[LD_WHAT_MAX + 16];

	*out = 0;
	if (n->type == YAML_SCALAR_NODE)
		return add_prio_format(c, n, what, what, at, out);
	if (n->type != YAML_SEQUENCE_NODE)
		return ld_fail(c, n,
			       "%s must be a format name or a sequence of format names, got %s",
			       what, ld_kind(n));
	if (ld_seq_len(n) == 0)
		return ld_fail(c, n,
			       "%s must name at least one format (leave 'format' out for a row of "
			       "every format)",
			       what);
	if (snprintf(ewhat, sizeof(ewhat), "a format in %s", what) < 0)
		ewhat[0] = '\0';
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
		if (add_prio_format(c, ld_node(c, *it), ewhat, what, at, out) < 0)
			return -1;
	return 0;
}

/*
 * One row. Which formats it applies to (r->formats, 0 = every one): its 'format', or when
 * it gives none, cot/tak-mesh/tak-stream if it uses a CoT key (cot_type_prefix,
 * qos_priority), else every format. A row that could never match (a CoT key on another
 * format, a channel of a format the row leaves out) is refused rather than kept silently.
 */
static int
load_priority(struct ld *c, struct insp_priority_rule *r, const yaml_node_t *map, int index)
{
	const struct insp_policy *p = c->p;
	yaml_node_t *f[R_COUNT];
	const yaml_node_t *prefix = NULL;
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX], q[72], fl[LD_LIST_MAX + 8];
	uint64_t v;
	uint32_t i;

	if (snprintf(what, sizeof(what), "priority #%d", index + 1) < 0)
		what[0] = '\0';
	if (ld_get_fields(c, map, what, prio_keys, R_COUNT, f) < 0)
		return -1;
	r->channel = -1;
	if (f[R_CHANNEL] != NULL) {
		if (ld_get_string(c, f[R_CHANNEL], ld_field(fwhat, sizeof(fwhat), "channel", what),
				  INSP_NAME_MAX - 1) < 0)
			return -1;
		for (i = 0; i < p->n_channels; i++) {
			if (ld_scalar_is(f[R_CHANNEL], p->channels[i].name))
				break;
		}
		if (i == p->n_channels) {
			struct list l = {.len = 0};

			for (i = 0; i < p->n_channels; i++)
				ld_list_add(&l, p->channels[i].name);
			return ld_fail(c, f[R_CHANNEL], "channel '%s' unknown in %s (known: %s)",
				       Q(f[R_CHANNEL], q), what, l.len ? l.buf : "none defined");
		}
		if (p->channels[i].format == INSP_FORMAT_OBJECT)
			return ld_fail(c, f[R_CHANNEL],
				       "channel '%s' in %s carries objects: objects get no class "
				       "from the priority table (they are released by review and "
				       "leave as routine)",
				       p->channels[i].name, what);
		r->channel = (int32_t)i;
	}
	r->formats = 0;
	if (f[R_FORMAT] != NULL &&
	    get_prio_formats(c, f[R_FORMAT], ld_field(fwhat, sizeof(fwhat), "format", what),
			     &r->formats) < 0)
		return -1;
	if (f[R_TYPE_PREFIX] != NULL && f[R_COT_TYPE_PREFIX] != NULL)
		return ld_fail(c, f[R_COT_TYPE_PREFIX],
			       "%s gives both 'type_prefix' and 'cot_type_prefix': keep one "
			       "('cot_type_prefix' is 'type_prefix' for %s)",
			       what, COT_FORMAT_NAMES);
	if (f[R_TYPE_PREFIX] != NULL) {
		if (f[R_FORMAT] == NULL)
			return ld_fail(
				c, f[R_TYPE_PREFIX],
				"'type_prefix' in %s needs 'format': say which format's key "
				"this is a prefix of (cot and tak-*: the event type, "
				"labelled-xml: the payload element's local name, adatp3: the "
				"MSGID message type)",
				what);
		prefix = f[R_TYPE_PREFIX];
		ld_field(fwhat, sizeof(fwhat), "type_prefix", what);
	}
	if (f[R_COT_TYPE_PREFIX] != NULL) {
		if (r->formats & ~COT_FORMATS)
			return ld_fail(c, f[R_FORMAT],
				       "'cot_type_prefix' in %s applies to %s only, but 'format' "
				       "names %s: write 'type_prefix' for other formats",
				       what, COT_FORMAT_NAMES,
				       format_list(r->formats & ~COT_FORMATS, fl, sizeof(fl)));
		if (r->formats == 0)
			r->formats = COT_FORMATS;
		prefix = f[R_COT_TYPE_PREFIX];
		ld_field(fwhat, sizeof(fwhat), "cot_type_prefix", what);
	}
	if (prefix != NULL) {
		if (ld_get_prefix(c, prefix, fwhat) < 0)
			return -1;
		ld_copy_str(r->type_prefix, prefix);
		r->type_prefix_len = (uint32_t)strlen(r->type_prefix);
	}
	r->qos_priority = -1;
	if (f[R_QOS] != NULL) {
		if (ld_get_uint(c, f[R_QOS], ld_field(fwhat, sizeof(fwhat), "qos_priority", what),
				0, 9, &v) < 0)
			return -1;
		if (r->formats & ~COT_FORMATS)
			return ld_fail(
				c, f[R_FORMAT],
				"'qos_priority' in %s is the CoT qos digit and applies to %s "
				"only, but 'format' names %s: give those a row of their own",
				what, COT_FORMAT_NAMES,
				format_list(r->formats & ~COT_FORMATS, fl, sizeof(fl)));
		if (r->formats == 0)
			r->formats = COT_FORMATS;
		r->qos_priority = (int8_t)v;
	}
	if (r->channel >= 0 && r->formats != 0 &&
	    !(r->formats & (1u << p->channels[r->channel].format)))
		return ld_fail(c, f[R_CHANNEL],
			       "channel '%s' in %s carries '%s', but the row applies to %s only%s: "
			       "it would never match",
			       p->channels[r->channel].name, what,
			       insp_format_name((enum insp_format)p->channels[r->channel].format),
			       format_list(r->formats, fl, sizeof(fl)),
			       f[R_FORMAT] != NULL ? "" : " (its CoT keys say so)");
	if (f[R_CLASS] == NULL)
		return ld_missing(c, map, what, "class");
	return get_tclass(c, f[R_CLASS], ld_field(fwhat, sizeof(fwhat), "class", what), &r->tclass);
}

/* Rows in file order: the first that matches a message gives its class. */
int
ld_load_priorities(struct ld *c, const yaml_node_t *seq)
{
	struct insp_policy *p = c->p;
	const yaml_node_item_t *it;
	int n, idx = 0;

	if (seq->type != YAML_SEQUENCE_NODE)
		return ld_fail(c, seq, "'priorities' must be a sequence of mappings, got %s",
			       ld_kind(seq));
	n = ld_seq_len(seq);
	if (n > LD_MAX_PRIORITIES)
		return ld_fail(c, seq, "too many priorities: %d (at most %d)", n,
			       LD_MAX_PRIORITIES);
	if (n == 0)
		return 0;
	p->priorities = calloc((size_t)n, sizeof(*p->priorities));
	if (p->priorities == NULL)
		return ld_oom(c, seq);
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++, idx++) {
		if (load_priority(c, &p->priorities[p->n_priorities], ld_node(c, *it), idx) < 0)
			return -1;
		p->n_priorities++;
	}
	return 0;
}

static const char *const tclass_keys[] = {"dscp"};

/* class name -> {dscp}; classes not given keep their default. */
int
ld_load_tclasses(struct ld *c, const yaml_node_t *map)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *seen[INSP_TCLASS_COUNT] = {NULL};
	const yaml_node_pair_t *pair;

	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "'traffic_classes' must be a mapping of class name to settings, "
			       "got %s",
			       ld_kind(map));
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key), *v = ld_node(c, pair->value);
		yaml_node_t *f[1];
		char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX];
		uint64_t dscp;
		int e = 0;

		if (ld_get_enum(c, k, "class name in 'traffic_classes'", tclass_names,
				INSP_TCLASS_COUNT, &e) < 0)
			return -1;
		if (seen[e] != NULL)
			return ld_fail(c, k,
				       "traffic class '%s' given twice in 'traffic_classes' (first "
				       "at %zu:%zu)",
				       tclass_names[e], seen[e]->start_mark.line + 1,
				       seen[e]->start_mark.column + 1);
		seen[e] = k;
		if (snprintf(what, sizeof(what), "traffic class '%s'", tclass_names[e]) < 0)
			what[0] = '\0';
		if (ld_get_fields(c, v, what, tclass_keys, 1, f) < 0)
			return -1;
		if (f[0] == NULL)
			return ld_missing(c, v, what, "dscp");
		if (ld_get_uint(c, f[0], ld_field(fwhat, sizeof(fwhat), "dscp", what), 0, 63,
				&dscp) < 0)
			return -1;
		p->class_dscp[e] = (uint8_t)dscp;
	}
	return 0;
}

/* ---- egress links (GUARD-SPEC 7, docs/egress.md) ---- */

enum { L_PORT, L_RATE, L_BURST, L_OVERHEAD, L_QUEUES, L_COUNT };
static const char *const link_keys[L_COUNT] = {"port", "rate", "burst", "frame_overhead", "queues"};

#define RATE_FORMS                                                                         \
	"'line' (not shaped), an integer number of bit/s, or a number with a unit: kbit, " \
	"Mbit or Gbit (1000-based, e.g. 500kbit, 2.048Mbit)"

/*
 * A link rate in bit/s: "line" (INSP_EGRESS_RATE_LINE), a plain integer, or digits with an
 * optional fraction and a unit kbit/Mbit/Gbit. The fraction is kept exact (2.048Mbit is
 * 2048000) and must come to whole bits: a rate is never rounded behind the operator's back.
 */
static int
get_rate(struct ld *c, const yaml_node_t *n, const char *what, uint64_t *out)
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = {{"kbit", 1000}, {"Mbit", 1000000}, {"Gbit", 1000000000}};
	uint64_t mant = 0, scale = 1, mult = 0, v = 0;
	const char *s;
	size_t len, i = 0, digits = 0, frac = 0;
	char q[72];

	if (!ld_is_scalar(n) || ld_slen(n) == 0)
		return ld_fail(c, n, "%s must be " RATE_FORMS ", got %s", what, ld_kind(n));
	if (ld_scalar_is(n, "line")) {
		*out = INSP_EGRESS_RATE_LINE;
		return 0;
	}
	s = ld_sval(n);
	len = ld_slen(n);
	if (ld_parse_uint(n, &v) == 0) {
		if (v < INSP_EGRESS_RATE_MIN || v > INSP_EGRESS_RATE_MAX)
			return ld_fail(c, n,
				       "%s is %" PRIu64 " bit/s: a shaped link runs at 100kbit "
				       "(%u bit/s) to 400Gbit; write 'line' for a link that is not "
				       "shaped",
				       what, v, INSP_EGRESS_RATE_MIN);
		*out = v;
		return 0;
	}
	/* at most 15 digits, so that the mantissa cannot overflow */
	for (; i < len && s[i] >= '0' && s[i] <= '9' && digits < 16; i++, digits++)
		mant = mant * 10 + (uint64_t)(s[i] - '0');
	if (i < len && s[i] == '.' && digits > 0) {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9' && digits < 16; i++, digits++) {
			mant = mant * 10 + (uint64_t)(s[i] - '0');
			scale *= 10;
			frac++;
		}
		if (frac == 0)
			digits = 0; /* "5.kbit" */
	}
	if (digits > 0 && i == len && n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return ld_fail(c, n,
			       "%s must be " RATE_FORMS ", got a quoted number (write it without "
			       "quotes)",
			       what);
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]) && digits > 0 && digits < 16; u++)
		if (len - i == strlen(units[u].unit) && memcmp(s + i, units[u].unit, len - i) == 0)
			mult = units[u].mult;
	if (mult == 0)
		return ld_fail(c, n, "%s must be " RATE_FORMS ", got '%s'", what, Q(n, q));
	while (frac > 0 && mant % 10 == 0) {
		mant /= 10;
		scale /= 10;
		frac--;
	}
	if (mult % scale != 0)
		return ld_fail(c, n, "%s is '%s', which is not a whole number of bit/s", what,
			       Q(n, q));
	mult /= scale;
	if (mant <= INSP_EGRESS_RATE_MAX / mult)
		v = mant * mult;
	if (v < INSP_EGRESS_RATE_MIN || mant > INSP_EGRESS_RATE_MAX / mult ||
	    v > INSP_EGRESS_RATE_MAX)
		return ld_fail(c, n,
			       "%s is '%s': a shaped link runs at 100kbit (%u bit/s) to 400Gbit; "
			       "write 'line' for a link that is not shaped",
			       what, Q(n, q), INSP_EGRESS_RATE_MIN);
	*out = v;
	return 0;
}

/* 'queues': class name -> packets; classes not given keep INSP_EGRESS_QUEUE_DEFAULT. */
static int
load_link_queues(struct ld *c, struct insp_egress_link *l, const yaml_node_t *map, const char *what)
{
	const yaml_node_t *seen[INSP_TCLASS_COUNT] = {NULL};
	const yaml_node_pair_t *pair;
	char qwhat[LD_WHAT_MAX], kwhat[LD_WHAT_MAX + 32], fwhat[LD_WHAT_MAX + 32];

	ld_field(qwhat, sizeof(qwhat), "queues", what);
	if (map->type != YAML_MAPPING_NODE)
		return ld_fail(c, map,
			       "%s must be a mapping of class name to packets (e.g. {flash: 64, "
			       "routine: 512}), got %s",
			       qwhat, ld_kind(map));
	if (snprintf(kwhat, sizeof(kwhat), "class name in %s", qwhat) < 0)
		kwhat[0] = '\0';
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = ld_node(c, pair->key), *v = ld_node(c, pair->value);
		uint64_t n;
		int e = 0;

		if (ld_get_enum(c, k, kwhat, tclass_names, INSP_TCLASS_COUNT, &e) < 0)
			return -1;
		if (seen[e] != NULL)
			return ld_fail(c, k, "class '%s' given twice in %s (first at %zu:%zu)",
				       tclass_names[e], qwhat, seen[e]->start_mark.line + 1,
				       seen[e]->start_mark.column + 1);
		seen[e] = k;
		if (snprintf(fwhat, sizeof(fwhat), "queue of '%s' in %s", tclass_names[e], what) <
		    0)
			fwhat[0] = '\0';
		if (ld_get_uint(c, v, fwhat, 1, INSP_EGRESS_QUEUE_MAX, &n) < 0)
			return -1;
		l->queue_max[e] = (uint32_t)n;
	}
	return 0;
}

static int
load_link(struct ld *c, struct insp_egress_link *l, const yaml_node_t *map, int index,
	  const yaml_node_t **port_at)
{
	const struct insp_policy *p = c->p;
	yaml_node_t *f[L_COUNT];
	char what[LD_WHAT_MAX], fwhat[LD_WHAT_MAX];
	uint64_t v;
	uint32_t i;

	if (snprintf(what, sizeof(what), "egress link #%d", index + 1) < 0)
		what[0] = '\0';
	if (ld_get_fields(c, map, what, link_keys, L_COUNT, f) < 0)
		return -1;
	if (ld_req_uint(c, map, f, link_keys, L_PORT, what, 0, UINT16_MAX, &v) < 0)
		return -1;
	l->port = (uint16_t)v;
	for (i = 0; i < p->n_egress_links; i++)
		if (p->egress_links[i].port == l->port)
			return ld_fail(c, f[L_PORT],
				       "egress port %u given twice (first at %zu:%zu)", l->port,
				       port_at[i]->start_mark.line + 1,
				       port_at[i]->start_mark.column + 1);
	/* settings for a port no channel sends on would shape nothing: most likely a typo */
	for (i = 0; i < p->n_channels; i++)
		if (p->channels[i].egress.port == l->port)
			break;
	if (i == p->n_channels) {
		struct list ports = {.len = 0};
		char num[8];

		for (i = 0; i < p->n_channels; i++) {
			uint32_t k;

			for (k = 0; k < i; k++)
				if (p->channels[k].egress.port == p->channels[i].egress.port)
					break;
			if (k < i)
				continue;
			snprintf(num, sizeof(num), "%u", p->channels[i].egress.port);
			ld_list_add(&ports, num);
		}
		return ld_fail(c, f[L_PORT],
			       "egress port %u is not any channel's egress port (channels send "
			       "on: %s): its settings would shape nothing",
			       l->port, ports.len ? ports.buf : "no channels defined");
	}
	port_at[p->n_egress_links] = f[L_PORT];
	if (snprintf(what, sizeof(what), "egress port %u", l->port) < 0)
		what[0] = '\0';

	if (f[L_RATE] == NULL)
		return ld_fail(c, map,
			       "%s is missing required key 'rate' ('line', or the link's bit/s "
			       "like 500kbit)",
			       what);
	if (get_rate(c, f[L_RATE], ld_field(fwhat, sizeof(fwhat), "rate", what), &l->rate_bps) < 0)
		return -1;
	l->frame_overhead = INSP_EGRESS_OVERHEAD_DEFAULT;
	if (f[L_OVERHEAD] != NULL) {
		if (ld_get_uint(c, f[L_OVERHEAD],
				ld_field(fwhat, sizeof(fwhat), "frame_overhead", what), 0,
				INSP_EGRESS_OVERHEAD_MAX, &v) < 0)
			return -1;
		l->frame_overhead = (uint16_t)v;
	}
	/* two full-size frames back to back: enough to keep a link busy, small for latency */
	l->burst_bytes = 2u * (1514u + l->frame_overhead);
	if (f[L_BURST] != NULL) {
		if (ld_get_uint(c, f[L_BURST], ld_field(fwhat, sizeof(fwhat), "burst", what),
				INSP_EGRESS_BURST_MIN, INSP_EGRESS_BURST_MAX, &v) < 0)
			return -1;
		l->burst_bytes = (uint32_t)v;
	}
	for (i = 0; i < INSP_TCLASS_COUNT; i++)
		l->queue_max[i] = INSP_EGRESS_QUEUE_DEFAULT;
	if (f[L_QUEUES] != NULL && load_link_queues(c, l, f[L_QUEUES], what) < 0)
		return -1;
	return 0;
}

/* 'egress': one entry per egress port that is not plain line rate with default queues. */
int
ld_load_egress_links(struct ld *c, const yaml_node_t *seq)
{
	struct insp_policy *p = c->p;
	const yaml_node_t *port_at[INSP_MAX_CHANNELS];
	const yaml_node_item_t *it;
	int n, idx = 0;

	if (seq->type != YAML_SEQUENCE_NODE)
		return ld_fail(c, seq,
			       "'egress' must be a sequence of links ({port, rate, burst, "
			       "frame_overhead, queues}), got %s",
			       ld_kind(seq));
	n = ld_seq_len(seq);
	/* at most one per port a channel sends on, so at most one per channel */
	if (n > INSP_MAX_CHANNELS)
		return ld_fail(c, ld_node(c, seq->data.sequence.items.start[INSP_MAX_CHANNELS]),
			       "too many egress links (at most %d, one per egress port)",
			       INSP_MAX_CHANNELS);
	if (n == 0)
		return 0;
	p->egress_links = calloc((size_t)n, sizeof(*p->egress_links));
	if (p->egress_links == NULL)
		return ld_oom(c, seq);
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++, idx++) {
		if (load_link(c, &p->egress_links[p->n_egress_links], ld_node(c, *it), idx,
			      port_at) < 0)
			return -1;
		p->n_egress_links++;
	}
	return 0;
}
