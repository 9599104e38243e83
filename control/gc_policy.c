/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `guardctl policy SUBCOMMAND`, offline (GUARD-SPEC 8):
 * - check FILE|IMAGE: the validation an operator runs before `policy load`. A policy goes
 *   through the compiler and the image loader guardd uses, so "valid here" means "guardd
 *   would accept it"; the summary lets a reviewer compare the policy with the intent (who
 *   is behind each channel, how much may go there, how many terms and markings are active)
 *   without reading the YAML.
 * - compile POLICY -o IMAGE: the ruleset image guardd runs, written atomically.
 * - show IMAGE: what an image holds and where it came from (inputs and their SHA-256).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gc_cmd.h"
#include "gc_json.h"
#include "gc_load.h"
#include "gc_out.h"
#include "insp_chunk.h"
#include "insp_policy.h"
#include "pc_hs.h"
#include "pc_policy.h"
#include "rs_ruleset.h"

const char gc_policy_help[] =
	"usage: guardctl policy check FILE|IMAGE [--json]\n"
	"       guardctl policy compile POLICY -o IMAGE [--portable] [--compile-timeout SEC]\n"
	"                               [--json]\n"
	"       guardctl policy show IMAGE [--patterns] [--json]\n"
	"       guardctl policy load FILE|IMAGE [--socket PATH]   (online: guardctl help status)\n"
	"       guardctl policy show [--json] [--socket PATH]     (online: the running one)\n"
	"\n"
	"check    validate a policy (compiling it) or a ruleset image offline and print a\n"
	"         summary: nations, release ceilings, groups, classification tables,\n"
	"         destinations, channels, data categories and who they are shared with\n"
	"         (ISA), term and marking counts, the compile time and database size.\n"
	"compile  compile POLICY and its term files into the ruleset image guardd runs\n"
	"         (--ruleset); prints the summary and the image's SHA-256. The same inputs\n"
	"         always give the same bytes (the date is SOURCE_DATE_EPOCH or the newest\n"
	"         input's modification time).\n"
	"show     print an image's header (format, compiler, Hyperscan target, date), the\n"
	"         files it was compiled from with their SHA-256, and its summary.\n"
	"\n"
	"  -o, --output IMAGE  where compile writes the image (replaced atomically)\n"
	"  --portable          build for any x86-64 CPU (no AVX2/AVX-512): for an image\n"
	"                      compiled on one machine and run on another\n"
	"  --compile-timeout SEC  compile: give Hyperscan at most SEC seconds (default 120;\n"
	"                      it runs in a child process capped at 4 GiB)\n"
	"  --patterns          show: list every pattern (rule, kind, literal or regex)\n"
	"  --json              one JSON object instead of text\n"
	"  -h, --help          this text\n"
	"\n"
	"A policy error is printed on stderr as FILE:LINE:COLUMN: what is wrong; a refused\n"
	"image as IMAGE: why (truncated, corrupted, another version, another CPU).\n"
	"Exit status: 0 valid, 2 invalid policy or image, or usage error.\n";

static const char check_cmd[] = "policy check";

/* Counts that the summary needs in both output forms. */
struct policy_counts {
	uint32_t drop_terms;
	uint32_t review_terms;
	size_t db_size;
};

static void
count(const struct insp_policy *p, struct policy_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (uint32_t i = 0; i < p->n_patterns; i++) {
		const struct insp_pattern *pat = &p->patterns[i];

		if (pat->kind != INSP_PATTERN_TERM)
			continue;
		if (pat->action == INSP_ACTION_REVIEW)
			c->review_terms++;
		else
			c->drop_terms++;
	}
	c->db_size = gc_policy_load_info()->db_bytes;
}

static const char *
level_name(uint8_t level)
{
	const char *n = insp_level_name((enum insp_level)level);

	return n != NULL ? n : "?";
}

static const char *
direction_name(uint8_t d)
{
	return d == INSP_DIR_LOW_TO_HIGH ? "low_to_high" : "high_to_low";
}

static const char *
format_name(uint8_t f)
{
	const char *n = insp_format_name((enum insp_format)f);

	return n != NULL ? n : "?";
}

static const char *
category_name(const struct insp_policy *p, uint32_t c)
{
	return c < p->n_categories ? p->categories[c] : NULL;
}

static uint64_t
all_nations(const struct insp_policy *p)
{
	return p->n_nations >= 64 ? UINT64_MAX : (UINT64_C(1) << p->n_nations) - 1;
}

/* ---- text ---- */

static void
put_nations(FILE *f, const struct insp_policy *p, uint64_t bits)
{
	bool first = true;

	for (uint32_t i = 0; i < p->n_nations; i++) {
		if (!(bits & (UINT64_C(1) << i)))
			continue;
		fprintf(f, "%s%s", first ? "" : " ", p->nations[i]);
		first = false;
	}
	if (first)
		fputs("none", f);
}

/* "192.0.2.1:6969" or "[2001:db8::1]:6969" */
static const char *
fmt_addr_port(char *buf, size_t cap, const struct insp_ipaddr *a, uint16_t port)
{
	char addr[64];

	gc_fmt_addr(a, addr, sizeof(addr));
	snprintf(buf, cap, a->version == 6 ? "[%s]:%u" : "%s:%u", addr, port);
	return buf;
}

static size_t
max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

static void
text_destinations(const struct insp_policy *p)
{
	size_t w = strlen("NAME");

	printf("destinations:    %" PRIu32 "\n", p->n_destinations);
	if (p->n_destinations == 0)
		return;
	for (uint32_t i = 0; i < p->n_destinations; i++)
		w = max_size(w, gc_text_width(p->destinations[i].name));
	printf("  %-*s  %-12s  %s\n", (int)w, "NAME", "MAX", "MEMBERS / HOLDS");
	for (uint32_t i = 0; i < p->n_destinations; i++) {
		const struct insp_destination *d = &p->destinations[i];

		fputs("  ", stdout);
		gc_text_put(stdout, d->name, w);
		printf("  %-12s  ", level_name(d->max_level));
		put_nations(stdout, p, d->members);
		for (uint32_t h = 0; h < d->n_held; h++) {
			fputs(h == 0 ? " / holds " : ", ", stdout);
			gc_text_put(stdout, p->held[d->first_held + h], 0);
		}
		fputc('\n', stdout);
	}
}

static void
text_channels(const struct insp_policy *p)
{
	size_t wn = strlen("NAME"), wd = strlen("DESTINATION"), wc = strlen("CATEGORY");
	size_t wi = strlen("INGRESS");

	printf("channels:        %" PRIu32 "\n", p->n_channels);
	if (p->n_channels == 0)
		return;
	for (uint32_t i = 0; i < p->n_channels; i++) {
		const struct insp_channel *ch = &p->channels[i];
		char ingress[96];

		wn = max_size(wn, gc_text_width(ch->name));
		if (ch->destination < p->n_destinations)
			wd = max_size(wd, gc_text_width(p->destinations[ch->destination].name));
		wc = max_size(wc, gc_text_width(category_name(p, ch->category)));
		fmt_addr_port(ingress, sizeof(ingress), &ch->ingress.dst, ch->ingress.udp_port);
		wi = max_size(wi, strlen("port 65535 ") + strlen(ingress));
	}
	printf("  %-*s  %-11s  %-12s  %-*s  %-*s  %-8s  %-*s  %s\n", (int)wn, "NAME", "DIRECTION",
	       "FORMAT", (int)wd, "DESTINATION", (int)wc, "CATEGORY", "MAX_SIZE", (int)wi,
	       "INGRESS", "EGRESS");
	for (uint32_t i = 0; i < p->n_channels; i++) {
		const struct insp_channel *ch = &p->channels[i];
		char mac[32], a[96], b[128];

		fputs("  ", stdout);
		gc_text_put(stdout, ch->name, wn);
		printf("  %-11s  %-12s  ", direction_name(ch->direction), format_name(ch->format));
		gc_text_put(stdout,
			    ch->destination < p->n_destinations
				    ? p->destinations[ch->destination].name
				    : "?",
			    wd);
		fputs("  ", stdout);
		gc_text_put(stdout, category_name(p, ch->category), wc);
		printf("  %-8" PRIu32 "  ", ch->max_size);
		snprintf(b, sizeof(b), "port %u %s", ch->ingress.port,
			 fmt_addr_port(a, sizeof(a), &ch->ingress.dst, ch->ingress.udp_port));
		printf("%-*s  port %u ", (int)wi, b, ch->egress.port);
		printf("%s -> ",
		       fmt_addr_port(a, sizeof(a), &ch->egress.src, ch->egress.src_udp_port));
		printf("%s", fmt_addr_port(a, sizeof(a), &ch->egress.dst, ch->egress.dst_udp_port));
		/* "dscp class": each packet carries its traffic class's DSCP */
		if (ch->egress.has_dscp)
			printf(" ttl %u dscp %u", ch->egress.ttl, ch->egress.dscp);
		else
			printf(" ttl %u dscp class", ch->egress.ttl);
		printf(" next-hop %s", gc_fmt_mac(ch->egress.dst_mac, mac, sizeof(mac)));
		if (ch->egress.has_src_mac)
			printf(" source-mac %s", gc_fmt_mac(ch->egress.src_mac, mac, sizeof(mac)));
		fputc('\n', stdout);
	}
}

/* "cot, tak-mesh" (the formats of a priority row) into @p buf; "any" for none. */
static const char *
formats_text(uint32_t formats, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int f = 0; f < INSP_FORMAT_COUNT && n < cap; f++)
		if (formats & (1u << f))
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "",
					      format_name((uint8_t)f));
	return n ? buf : "any";
}

static const char *
prio_channel(const struct insp_policy *p, const struct insp_priority_rule *r)
{
	if (r->channel < 0)
		return "any";
	return (uint32_t)r->channel < p->n_channels ? p->channels[r->channel].name : "?";
}

/* The priority table, one row per rule in policy order: the first that matches wins. */
static void
text_priorities(const struct insp_policy *p)
{
	size_t wc = strlen("CHANNEL"), wf = strlen("FORMAT"), wp = strlen("TYPE_PREFIX");
	char fmts[128];

	printf("priorities:      %" PRIu32 "%s\n", p->n_priorities,
	       p->n_priorities ? " (the first row that matches; no match: routine)"
			       : " (every release is routine)");
	if (p->n_priorities == 0)
		return;
	for (uint32_t i = 0; i < p->n_priorities; i++) {
		const struct insp_priority_rule *r = &p->priorities[i];

		wc = max_size(wc, gc_text_width(prio_channel(p, r)));
		wf = max_size(wf, strlen(formats_text(r->formats, fmts, sizeof(fmts))));
		wp = max_size(wp, gc_text_width(r->type_prefix));
	}
	printf("  %-4s  %-*s  %-*s  %-*s  %-3s  %s\n", "#", (int)wc, "CHANNEL", (int)wf, "FORMAT",
	       (int)wp, "TYPE_PREFIX", "QOS", "CLASS");
	for (uint32_t i = 0; i < p->n_priorities; i++) {
		const struct insp_priority_rule *r = &p->priorities[i];
		char qos[8];

		printf("  %-4" PRIu32 "  ", i + 1);
		gc_text_put(stdout, prio_channel(p, r), wc);
		printf("  %-*s  ", (int)wf, formats_text(r->formats, fmts, sizeof(fmts)));
		gc_text_put(stdout, r->type_prefix, wp);
		if (r->qos_priority >= 0)
			snprintf(qos, sizeof(qos), "%d", r->qos_priority);
		else
			snprintf(qos, sizeof(qos), "-");
		printf("  %-3s  %s\n", qos, gc_tclass_name(r->tclass));
	}
}

/* "line", "500kbit", "2.048Mbit": a rate as the policy would write it. */
static const char *
rate_text(uint64_t bps, char *buf, size_t cap)
{
	static const struct {
		uint64_t div;
		const char *unit;
	} units[] = {{1000000000, "Gbit"}, {1000000, "Mbit"}, {1000, "kbit"}};

	if (bps == INSP_EGRESS_RATE_LINE) {
		snprintf(buf, cap, "line");
		return buf;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t whole = bps / units[i].div, frac = bps % units[i].div;
		char f[16];
		size_t k = 0;

		if (whole == 0)
			continue;
		/* the exact value: the fraction's digits, trailing zeros dropped */
		for (uint64_t d = units[i].div / 10; d >= 1 && frac != 0 && k < sizeof(f) - 1;
		     d /= 10) {
			f[k++] = (char)('0' + frac / d);
			frac %= d;
		}
		f[k] = '\0';
		snprintf(buf, cap, "%" PRIu64 "%s%s%s", whole, k ? "." : "", f, units[i].unit);
		return buf;
	}
	snprintf(buf, cap, "%" PRIu64, bps);
	return buf;
}

/* The egress links: rate, token bucket, overhead and class queues of each listed port. */
static void
text_egress(const struct insp_policy *p)
{
	char rate[64];

	printf("egress links:    %" PRIu32 " (ports not listed: line rate, %u packets per class "
	       "queue)\n",
	       p->n_egress_links, INSP_EGRESS_QUEUE_DEFAULT);
	if (p->n_egress_links == 0)
		return;
	printf("  %-5s  %-12s  %-8s  %-8s  %s\n", "PORT", "RATE", "BURST", "OVERHEAD",
	       "QUEUES flash/immediate/priority/routine");
	for (uint32_t i = 0; i < p->n_egress_links; i++) {
		const struct insp_egress_link *l = &p->egress_links[i];

		printf("  %-5u  %-12s  %-8" PRIu32 "  %-8u  %" PRIu32 "/%" PRIu32 "/%" PRIu32
		       "/%" PRIu32 "\n",
		       l->port, rate_text(l->rate_bps, rate, sizeof(rate)), l->burst_bytes,
		       l->frame_overhead, l->queue_max[0], l->queue_max[1], l->queue_max[2],
		       l->queue_max[3]);
	}
}

static const char *
object_release_name(uint8_t r)
{
	return r == INSP_OBJ_RELEASE_DIRECT ? "direct" : "review";
}

/* "text/plain, application/pdf" into @p buf. */
static const char *
object_types_text(uint8_t types, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned t = INSP_OBJ_TEXT; t < INSP_OBJ_TYPE_COUNT && n < cap; t++)
		if (types & (1u << t))
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "",
					      insp_obj_type_mime(t));
	return buf;
}

/* The `object:` settings of the object channels, one row each. */
static void
text_objects(const struct insp_policy *p)
{
	size_t wn = strlen("NAME"), wt = strlen("TYPES");
	uint32_t n = 0;
	char types[96];

	for (uint32_t i = 0; i < p->n_channels; i++) {
		const struct insp_channel *ch = &p->channels[i];

		if (ch->format != INSP_FORMAT_OBJECT)
			continue;
		n++;
		wn = max_size(wn, gc_text_width(ch->name));
		wt = max_size(wt,
			      strlen(object_types_text(ch->object_types, types, sizeof(types))));
	}
	printf("object channels: %" PRIu32 "\n", n);
	if (n == 0)
		return;
	printf("  %-*s  %-*s  %-10s  %s\n", (int)wn, "NAME", (int)wt, "TYPES", "MAX_OBJECT",
	       "RELEASE");
	for (uint32_t i = 0; i < p->n_channels; i++) {
		const struct insp_channel *ch = &p->channels[i];

		if (ch->format != INSP_FORMAT_OBJECT)
			continue;
		fputs("  ", stdout);
		gc_text_put(stdout, ch->name, wn);
		printf("  %-*s  %-10" PRIu32 "  %s\n", (int)wt,
		       object_types_text(ch->object_types, types, sizeof(types)), ch->object_max,
		       object_release_name(ch->object_release));
	}
}

/* The review block: the two-person level, the queue's bounds and the reviewers. */
static void
text_review(const struct insp_policy *p)
{
	printf("review:          two-person from %s; queue at most %" PRIu32 " items, %" PRIu64
	       " bytes\n",
	       level_name(p->two_person_level), p->review_max_items, p->review_max_bytes);
	printf("reviewers:       %" PRIu32, p->n_reviewers);
	for (uint32_t i = 0; i < p->n_reviewers && i < INSP_MAX_REVIEWERS; i++) {
		fputs(i == 0 ? ": " : ", ", stdout);
		gc_text_put(stdout, p->reviewers[i].name, 0);
		printf(" (uid %" PRIu32 ")", p->reviewers[i].uid);
	}
	fputc('\n', stdout);
}

static void
text_categories(const struct insp_policy *p)
{
	size_t w = strlen("NAME");

	printf("data categories: %" PRIu32 "\n", p->n_categories);
	if (p->n_categories == 0)
		return;
	for (uint32_t i = 0; i < p->n_categories; i++)
		w = max_size(w, gc_text_width(p->categories[i]));
	printf("  %-*s  %s\n", (int)w, "NAME", "SHARED WITH (ISA)");
	for (uint32_t i = 0; i < p->n_categories; i++) {
		fputs("  ", stdout);
		gc_text_put(stdout, p->categories[i], w);
		fputs("  ", stdout);
		if ((p->isa[i] & all_nations(p)) == all_nations(p))
			fputs("all nations", stdout);
		else
			put_nations(stdout, p, p->isa[i]);
		fputc('\n', stdout);
	}
}

/* How the patterns were built, and the image's identity. */
static void
text_compile(void)
{
	const struct gc_load_info *in = gc_policy_load_info();
	char hex[65];

	printf("patterns:        %" PRIu32 " literal, %" PRIu32 " regex; databases %zu bytes\n",
	       in->n_literals, in->n_regexes, in->db_bytes);
	if (in->from_image)
		printf("compile:         none (a ruleset image)\n");
	else
		printf("compile:         %.3f s (parse %.3f s, Hyperscan %.3f s)\n",
		       in->parse_seconds + in->hs_seconds, in->parse_seconds, in->hs_seconds);
	rs_hex(in->sha256, hex);
	printf("image:           %zu bytes, sha256 %s\n", in->image_bytes, hex);
}

static void
text_summary(const char *path, const struct insp_policy *p, const struct policy_counts *c)
{
	bool any = false;

	fputs("policy:          ", stdout);
	gc_text_put(stdout, path, 0);
	fputs(" (valid)\n", stdout);
	printf("labels:          %s, stale skew %" PRId64 " s\n",
	       p->strict_labels ? "strict" : "lenient", p->stale_skew_ms / 1000);
	printf("nations:         %" PRIu32 ": ", p->n_nations);
	put_nations(stdout, p, all_nations(p));
	fputs("\nceilings:        ", stdout);
	for (uint32_t i = 0; i < p->n_nations; i++) {
		if (p->nation_ceiling[i] >= INSP_LEVEL_TOP_SECRET)
			continue;
		printf("%s%s %s", any ? ", " : "", p->nations[i], level_name(p->nation_ceiling[i]));
		any = true;
	}
	printf("%s\n", any ? "" : "none");
	printf("groups:          %" PRIu32 "\n", p->n_groups);
	for (uint32_t i = 0; i < p->n_groups; i++) {
		fputs("  ", stdout);
		gc_text_put(stdout, p->groups[i].code, 0);
		fputs(": ", stdout);
		put_nations(stdout, p, p->groups[i].members);
		fputc('\n', stdout);
	}
	printf("classifications: %" PRIu32 ":", p->n_class_policies);
	for (uint32_t i = 0; i < p->n_class_policies; i++) {
		printf("%s ", i ? "," : "");
		gc_text_put(stdout, p->class_policies[i].id, 0);
		printf(" (%" PRIu32 " names)", p->class_policies[i].n_names);
	}
	fputc('\n', stdout);
	text_destinations(p);
	text_channels(p);
	text_objects(p);
	text_categories(p);
	printf("category hints:  %" PRIu32 "\n", p->n_category_hints);
	printf("traffic classes: dscp");
	for (int i = 0; i < INSP_TCLASS_COUNT; i++)
		printf("%s %s %u", i ? "," : "", gc_tclass_name((unsigned)i), p->class_dscp[i]);
	printf("; %" PRIu32 " priority rule%s\n", p->n_priorities, p->n_priorities == 1 ? "" : "s");
	text_priorities(p);
	text_egress(p);
	printf("terms:           %" PRIu32 " (drop %" PRIu32 ", review %" PRIu32 ")\n", p->n_terms,
	       c->drop_terms, c->review_terms);
	printf("markings:        %" PRIu32 "\n", p->n_markings);
	text_review(p);
	text_compile();
}

/* ---- JSON ---- */

static void
json_nations(struct gc_json *j, const char *key, const struct insp_policy *p, uint64_t bits)
{
	gc_json_begin_array(j, key);
	for (uint32_t i = 0; i < p->n_nations; i++)
		if (bits & (UINT64_C(1) << i))
			gc_json_str(j, NULL, p->nations[i]);
	gc_json_end_array(j);
}

static void
json_addr(struct gc_json *j, const char *key, const struct insp_ipaddr *a)
{
	char buf[64];

	gc_json_str(j, key, gc_fmt_addr(a, buf, sizeof(buf)));
}

static void
json_channel(struct gc_json *j, const struct insp_policy *p, const struct insp_channel *ch)
{
	char mac[32];

	gc_json_begin_object(j, NULL);
	gc_json_str(j, "name", ch->name);
	gc_json_str(j, "direction", direction_name(ch->direction));
	gc_json_str(j, "format", format_name(ch->format));
	gc_json_str_or_null(
		j, "destination",
		ch->destination < p->n_destinations ? p->destinations[ch->destination].name : NULL);
	gc_json_str_or_null(j, "category", category_name(p, ch->category));
	gc_json_uint(j, "max_size", ch->max_size);
	gc_json_begin_object(j, "ingress");
	gc_json_uint(j, "port", ch->ingress.port);
	json_addr(j, "address", &ch->ingress.dst);
	gc_json_uint(j, "udp_port", ch->ingress.udp_port);
	gc_json_end_object(j);
	gc_json_begin_object(j, "egress");
	gc_json_uint(j, "port", ch->egress.port);
	json_addr(j, "source_address", &ch->egress.src);
	json_addr(j, "address", &ch->egress.dst);
	gc_json_uint(j, "source_udp_port", ch->egress.src_udp_port);
	gc_json_uint(j, "udp_port", ch->egress.dst_udp_port);
	gc_json_str(j, "next_hop_mac", gc_fmt_mac(ch->egress.dst_mac, mac, sizeof(mac)));
	if (ch->egress.has_src_mac)
		gc_json_str(j, "source_mac", gc_fmt_mac(ch->egress.src_mac, mac, sizeof(mac)));
	else
		gc_json_null(j, "source_mac");
	gc_json_uint(j, "ttl", ch->egress.ttl);
	if (ch->egress.has_dscp)
		gc_json_uint(j, "dscp", ch->egress.dscp);
	else
		gc_json_null(j, "dscp"); /* each packet gets its traffic class's DSCP */
	gc_json_end_object(j);
	if (ch->format == INSP_FORMAT_OBJECT) {
		gc_json_begin_object(j, "object");
		gc_json_begin_array(j, "types");
		for (unsigned t = INSP_OBJ_TEXT; t < INSP_OBJ_TYPE_COUNT; t++)
			if (ch->object_types & (1u << t))
				gc_json_str(j, NULL, insp_obj_type_mime(t));
		gc_json_end_array(j);
		gc_json_uint(j, "max_object", ch->object_max);
		gc_json_str(j, "release", object_release_name(ch->object_release));
		gc_json_end_object(j);
	} else {
		gc_json_null(j, "object");
	}
	gc_json_end_object(j);
}

static void
json_summary(const char *path, const struct insp_policy *p, const struct policy_counts *c)
{
	struct gc_json j;

	gc_json_init(&j, stdout);
	gc_json_begin_object(&j, NULL);
	gc_json_str(&j, "file", path);
	gc_json_bool(&j, "valid", true);
	gc_json_str(&j, "labels", p->strict_labels ? "strict" : "lenient");
	gc_json_int(&j, "stale_skew_seconds", p->stale_skew_ms / 1000);
	gc_json_begin_object(&j, "nations");
	gc_json_uint(&j, "count", p->n_nations);
	json_nations(&j, "list", p, all_nations(p));
	gc_json_end_object(&j);
	gc_json_begin_object(&j, "ceilings");
	for (uint32_t i = 0; i < p->n_nations; i++)
		if (p->nation_ceiling[i] < INSP_LEVEL_TOP_SECRET)
			gc_json_str(&j, p->nations[i], level_name(p->nation_ceiling[i]));
	gc_json_end_object(&j);
	gc_json_begin_array(&j, "groups");
	for (uint32_t i = 0; i < p->n_groups; i++) {
		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "code", p->groups[i].code);
		json_nations(&j, "members", p, p->groups[i].members);
		gc_json_end_object(&j);
	}
	gc_json_end_array(&j);
	gc_json_begin_array(&j, "classifications");
	for (uint32_t i = 0; i < p->n_class_policies; i++) {
		const struct insp_class_policy *cp = &p->class_policies[i];

		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "policy", cp->id);
		gc_json_begin_object(&j, "names");
		for (uint32_t k = 0; k < cp->n_names; k++)
			gc_json_str(&j, p->class_names[cp->first_name + k].name,
				    level_name(p->class_names[cp->first_name + k].level));
		gc_json_end_object(&j);
		gc_json_end_object(&j);
	}
	gc_json_end_array(&j);
	gc_json_begin_array(&j, "destinations");
	for (uint32_t i = 0; i < p->n_destinations; i++) {
		const struct insp_destination *d = &p->destinations[i];

		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "name", d->name);
		json_nations(&j, "members", p, d->members);
		gc_json_str(&j, "max_classification", level_name(d->max_level));
		gc_json_begin_array(&j, "holds");
		for (uint32_t h = 0; h < d->n_held; h++)
			gc_json_str(&j, NULL, p->held[d->first_held + h]);
		gc_json_end_array(&j);
		gc_json_end_object(&j);
	}
	gc_json_end_array(&j);
	gc_json_begin_array(&j, "channels");
	for (uint32_t i = 0; i < p->n_channels; i++)
		json_channel(&j, p, &p->channels[i]);
	gc_json_end_array(&j);
	gc_json_begin_array(&j, "data_categories");
	for (uint32_t i = 0; i < p->n_categories; i++) {
		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "name", p->categories[i]);
		json_nations(&j, "shared_with", p, p->isa[i]);
		gc_json_end_object(&j);
	}
	gc_json_end_array(&j);
	gc_json_uint(&j, "category_hints", p->n_category_hints);
	gc_json_begin_object(&j, "traffic_classes");
	for (int i = 0; i < INSP_TCLASS_COUNT; i++)
		gc_json_uint(&j, gc_tclass_name((unsigned)i), p->class_dscp[i]);
	gc_json_end_object(&j);
	gc_json_uint(&j, "priority_rules", p->n_priorities);
	gc_json_begin_array(&j, "priorities");
	for (uint32_t i = 0; i < p->n_priorities; i++) {
		const struct insp_priority_rule *r = &p->priorities[i];

		gc_json_begin_object(&j, NULL);
		if (r->channel >= 0)
			gc_json_str(&j, "channel", prio_channel(p, r));
		else
			gc_json_null(&j, "channel");
		if (r->formats != 0) {
			gc_json_begin_array(&j, "formats");
			for (int f = 0; f < INSP_FORMAT_COUNT; f++)
				if (r->formats & (1u << f))
					gc_json_str(&j, NULL, format_name((uint8_t)f));
			gc_json_end_array(&j);
		} else {
			gc_json_null(&j, "formats");
		}
		if (r->type_prefix_len != 0)
			gc_json_str(&j, "type_prefix", r->type_prefix);
		else
			gc_json_null(&j, "type_prefix");
		if (r->qos_priority >= 0)
			gc_json_uint(&j, "qos_priority", (uint64_t)r->qos_priority);
		else
			gc_json_null(&j, "qos_priority");
		gc_json_str(&j, "class", gc_tclass_name(r->tclass));
		gc_json_end_object(&j);
	}
	gc_json_end_array(&j);
	gc_json_begin_array(&j, "egress_links");
	for (uint32_t i = 0; i < p->n_egress_links; i++) {
		const struct insp_egress_link *l = &p->egress_links[i];

		gc_json_begin_object(&j, NULL);
		gc_json_uint(&j, "port", l->port);
		if (l->rate_bps == INSP_EGRESS_RATE_LINE)
			gc_json_str(&j, "rate", "line");
		else
			gc_json_uint(&j, "rate", l->rate_bps);
		gc_json_uint(&j, "burst", l->burst_bytes);
		gc_json_uint(&j, "frame_overhead", l->frame_overhead);
		gc_json_begin_object(&j, "queues");
		for (int t = 0; t < INSP_TCLASS_COUNT; t++)
			gc_json_uint(&j, gc_tclass_name((unsigned)t), l->queue_max[t]);
		gc_json_end_object(&j);
		gc_json_end_object(&j);
	}
	gc_json_end_array(&j);
	gc_json_begin_object(&j, "terms");
	gc_json_uint(&j, "count", p->n_terms);
	gc_json_uint(&j, "drop", c->drop_terms);
	gc_json_uint(&j, "review", c->review_terms);
	gc_json_end_object(&j);
	gc_json_uint(&j, "markings", p->n_markings);
	gc_json_begin_object(&j, "review");
	gc_json_str(&j, "two_person_from", level_name(p->two_person_level));
	gc_json_begin_array(&j, "reviewers");
	for (uint32_t i = 0; i < p->n_reviewers && i < INSP_MAX_REVIEWERS; i++) {
		gc_json_begin_object(&j, NULL);
		gc_json_uint(&j, "uid", p->reviewers[i].uid);
		gc_json_str(&j, "name", p->reviewers[i].name);
		gc_json_end_object(&j);
	}
	gc_json_end_array(&j);
	gc_json_uint(&j, "queue_max_items", p->review_max_items);
	gc_json_uint(&j, "queue_max_bytes", p->review_max_bytes);
	gc_json_end_object(&j);
	{
		const struct gc_load_info *in = gc_policy_load_info();
		char hex[65];

		gc_json_begin_object(&j, "patterns");
		gc_json_uint(&j, "count", p->n_patterns);
		gc_json_uint(&j, "literal", in->n_literals);
		gc_json_uint(&j, "regex", in->n_regexes);
		gc_json_uint(&j, "database_bytes", c->db_size);
		gc_json_end_object(&j);
		gc_json_begin_object(&j, "compile");
		gc_json_bool(&j, "from_image", in->from_image);
		gc_json_double(&j, "parse_seconds", in->parse_seconds);
		gc_json_double(&j, "hyperscan_seconds", in->hs_seconds);
		gc_json_end_object(&j);
		rs_hex(in->sha256, hex);
		gc_json_begin_object(&j, "image");
		gc_json_uint(&j, "bytes", in->image_bytes);
		gc_json_str(&j, "sha256", hex);
		gc_json_end_object(&j);
	}
	gc_json_end_object(&j);
	gc_json_finish(&j);
}

/* With --json, a rejected policy is also an object on stdout, for scripts. */
static void
json_error(const char *path, const struct insp_err *e)
{
	struct gc_json j;

	gc_json_init(&j, stdout);
	gc_json_begin_object(&j, NULL);
	gc_json_str(&j, "file", path);
	gc_json_bool(&j, "valid", false);
	gc_json_str(&j, "error", e->msg);
	gc_json_uint(&j, "line", e->line);
	gc_json_uint(&j, "column", e->column);
	gc_json_end_object(&j);
	gc_json_finish(&j);
}

static int
policy_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false;
	const char *path;
	struct insp_policy *p;
	struct insp_err err;
	struct policy_counts c;
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(gc_policy_help, stdout);
			return gc_out_flush(check_cmd) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
		default:
			return gc_option_error(check_cmd, gc_policy_help, opt, argv);
		}
	}
	if (argc - optind == 0)
		return gc_usage_error(check_cmd, gc_policy_help, "a policy FILE is required");
	if (argc - optind > 1)
		return gc_usage_error(check_cmd, gc_policy_help,
				      "exactly one policy FILE expected, got %d ('%s' is extra)",
				      argc - optind, argv[optind + 1]);
	path = argv[optind];
	p = gc_policy_load(check_cmd, path, &err);
	if (p == NULL) {
		if (json) {
			json_error(path, &err);
			gc_out_flush(check_cmd);
		}
		return GC_EXIT_ERROR;
	}
	count(p, &c);
	if (json)
		json_summary(path, p, &c);
	else
		text_summary(path, p, &c);
	gc_policy_free(p);
	return gc_out_flush(check_cmd) == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
}

int
gc_cmd_policy(int argc, char **argv)
{
	if (argc < 2)
		return gc_usage_error("policy", gc_policy_help,
				      "a subcommand is required (check, compile, show, load)");
	if (strcmp(argv[1], "check") == 0)
		return policy_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "compile") == 0)
		return gc_policy_compile(argc - 1, argv + 1);
	if (strcmp(argv[1], "load") == 0)
		return gc_policy_load_online(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0) {
		/* with an IMAGE: offline; without: the running guard's generation */
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--socket") == 0) {
				i++;
				continue;
			}
			if (argv[i][0] != '-')
				return gc_policy_show(argc - 1, argv + 1);
		}
		return gc_policy_show_online(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(gc_policy_help, stdout);
		return gc_out_flush("policy") == 0 ? GC_EXIT_OK : GC_EXIT_ERROR;
	}
	return gc_usage_error("policy", gc_policy_help,
			      "unknown subcommand '%s' (known: check, compile, show, load)",
			      argv[1]);
}

void
gc_policy_print_summary(const char *path, const struct insp_policy *p)
{
	struct policy_counts c;

	count(p, &c);
	text_summary(path, p, &c);
}
