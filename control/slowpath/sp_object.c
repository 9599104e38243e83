/* SPDX-License-Identifier: BSD-3-Clause */
/* The slow path's pipeline for one object (sp_object.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_json.h"
#include "insp_chunk.h"
#include "insp_obj.h"
#include "sp_image.h"
#include "sp_object.h"

struct sp_ctx {
	struct sp_type *type;
	struct sp_limits lim;
	uint8_t *env; /* the envelope, grown as needed */
	size_t env_cap;
	struct sp_pdf_report pdf; /* large: kept here, not on the stack */
};

const char *
sp_kind_name(enum sp_kind k)
{
	switch (k) {
	case SP_REFUSE:
		return "refuse";
	case SP_REVIEW:
		return "review";
	case SP_RELEASE:
		return "release";
	}
	return "invalid";
}

struct sp_ctx *
sp_ctx_create(const struct sp_limits *lim, char *err, size_t cap)
{
	struct sp_ctx *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	if (lim != NULL)
		c->lim = *lim;
	if ((c->type = sp_type_create(err, cap)) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
sp_ctx_free(struct sp_ctx *c)
{
	if (c == NULL)
		return;
	sp_type_free(c->type);
	free(c->env);
	free(c);
}

uint32_t
sp_scratch_size(const struct insp_policy *p, const struct sp_limits *lim)
{
	uint64_t most = lim && lim->pdf.max_text ? lim->pdf.max_text : SP_PDF_MAX_TEXT;

	for (uint32_t i = 0; p != NULL && i < p->n_channels; i++)
		if (p->channels[i].format == INSP_FORMAT_OBJECT && p->channels[i].object_max > most)
			most = p->channels[i].object_max;
	most += SP_ENVELOPE_HEADER_MAX;
	return most > UINT32_MAX ? UINT32_MAX : (uint32_t)most;
}

void
sp_outcome_free(struct sp_outcome *out)
{
	free(out->findings);
	free(out->text);
	free(out->content);
	out->findings = NULL;
	out->text = NULL;
	out->content = NULL;
	out->text_len = out->content_len = 0;
}

static void __attribute__((format(printf, 3, 4)))
decide(struct sp_outcome *out, enum insp_reason r, const char *fmt, ...)
{
	va_list ap;

	out->reason = r;
	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
	va_end(ap);
}

/* The PDF's findings as JSON items. */
static void
pdf_findings(struct gc_json *j, const struct sp_pdf_report *s)
{
	char where[48];

	for (uint32_t i = 0; i < s->n_findings; i++) {
		const struct sp_pdf_finding *f = &s->findings[i];

		if (f->obj == 0)
			snprintf(where, sizeof(where), "trailer");
		else
			snprintf(where, sizeof(where), "object %d %d", f->obj, f->gen);
		gc_json_begin_object(j, NULL);
		gc_json_str(j, "kind", f->kind == SP_PDF_ACTIVE ? "active_content" : "link");
		gc_json_str(j, "what", f->what);
		gc_json_str(j, "where", where);
		if (f->kind == SP_PDF_LINK)
			gc_json_str(j, "uri", f->uri);
		gc_json_end_object(j);
	}
	if (s->n_active + s->n_links > s->n_findings) {
		gc_json_begin_object(j, NULL);
		gc_json_str(j, "kind", "truncated");
		gc_json_uint(j, "active_content", s->n_active);
		gc_json_uint(j, "links", s->n_links);
		gc_json_end_object(j);
	}
}

static int
word_byte(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

static int
ws_byte(uint8_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static uint8_t
lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Does phrase ph (words joined by single spaces) match at t[0..n)? Its end in *end. */
static int
phrase_at(const struct insp_pattern *pt, const char *ph, const uint8_t *t, size_t n, size_t *end)
{
	size_t i = 0;

	for (; *ph; ph++) {
		if (*ph == ' ') {
			if (i >= n || !ws_byte(t[i]))
				return 0;
			while (i < n && ws_byte(t[i]))
				i++;
			continue;
		}
		if (i >= n)
			return 0;
		if (pt->caseless ? lower(t[i]) != lower((uint8_t)*ph) : t[i] != (uint8_t)*ph)
			return 0;
		i++;
	}
	*end = i;
	return 1;
}

/* The first occurrence of rule @p rule's literal phrase in the text, or 0 (sp_object.h). */
static uint32_t
locate(const struct insp_policy *p, uint32_t rule, const uint8_t *t, size_t n)
{
	for (uint32_t k = 0; k < p->n_patterns; k++) {
		const struct insp_pattern *pt = &p->patterns[k];
		const char *ph;

		if (pt->rule_id != rule || !pt->literal)
			continue;
		ph = insp_pattern_expr(p, pt);
		for (size_t i = 0; i < n; i++) {
			size_t end;

			if (pt->bound_before && i > 0 && word_byte(t[i - 1]))
				continue;
			if (!phrase_at(pt, ph, t + i, n - i, &end))
				continue;
			if (pt->bound_after && i + end < n && word_byte(t[i + end]))
				continue;
			return i > UINT32_MAX ? 0 : (uint32_t)i;
		}
	}
	return 0;
}

/* The text of a content decision's rule, as the policy writes it. */
static const char *
rule_text(const struct insp_policy *p, uint32_t rule, int *marking)
{
	for (uint32_t k = 0; k < p->n_patterns; k++)
		if (p->patterns[k].rule_id == rule) {
			*marking = p->patterns[k].kind == INSP_PATTERN_MARKING;
			return insp_pattern_expr(p, &p->patterns[k]);
		}
	*marking = 0;
	return "";
}

/* Build the envelope (insp_obj.h) in c->env; returns its length and the header's. */
static int
envelope(struct sp_ctx *c, const struct sp_object *o, const char *mime, const char *text,
	 size_t text_len, size_t *len, size_t *hdr)
{
	size_t need = SP_ENVELOPE_HEADER_MAX + text_len;
	int n;

	if (need > c->env_cap) {
		uint8_t *e = realloc(c->env, need);

		if (e == NULL)
			return -1;
		c->env = e;
		c->env_cap = need;
	}
	n = snprintf((char *)c->env, SP_ENVELOPE_HEADER_MAX,
		     "GOBX 1\n%s: %.*s\ntype: %s\nid: %016" PRIx64 "\n\n",
		     o->label_4774 ? "label-4774" : "label", (int)o->label_len,
		     o->label ? o->label : "", mime, o->id);
	if (n < 0 || (size_t)n >= SP_ENVELOPE_HEADER_MAX)
		return -1;
	memcpy(c->env + n, text, text_len);
	*hdr = (size_t)n;
	*len = (size_t)n + text_len;
	return 0;
}

static char *
dup_bytes(const void *b, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, b, n);
		d[n] = '\0';
	}
	return d;
}

int
sp_object_inspect(struct sp_ctx *c, const struct insp_policy *p, struct insp_scratch *s,
		  const struct sp_object *o, int64_t now_ms, struct sp_outcome *out)
{
	const struct insp_channel *ch;
	char *findings = NULL;
	size_t findings_len = 0;
	FILE *fj = open_memstream(&findings, &findings_len);
	struct gc_json j;
	struct insp_result res;
	enum insp_reason r;
	char *text = NULL;
	size_t text_len = 0, env_len, hdr, bad = 0;
	uint8_t *content = NULL;
	size_t content_len = 0;
	int real, links = 0, oom = 0;

	memset(out, 0, sizeof(*out));
	out->kind = SP_REFUSE;
	out->level = INSP_LEVEL_NONE;
	if (fj == NULL)
		goto oom;
	gc_json_init(&j, fj);
	gc_json_begin_array(&j, NULL);
	if (p == NULL || o->channel >= p->n_channels ||
	    p->channels[o->channel].format != INSP_FORMAT_OBJECT) {
		decide(out, p == NULL ? INSP_R_NO_POLICY : INSP_R_L2L4_NO_CHANNEL,
		       "slowpath: channel %u is not an object channel", o->channel);
		goto done;
	}
	ch = &p->channels[o->channel];
	if (o->len == 0 || o->len > ch->object_max) {
		decide(out, o->len ? INSP_R_OBJ_OVERSIZE : INSP_R_BAD_OBJECT,
		       "object: %zu bytes, channel max_object %u", o->len, ch->object_max);
		goto done;
	}
	/* the envelope is line-based: a label byte that is a control character would end it */
	if (insp_chunk_label_check((const uint8_t *)o->label, o->label_len, o->label_4774, &bad) <
	    0) {
		decide(out, INSP_R_BAD_LABEL, "object: label byte 0x%02x at %zu",
		       (uint8_t)o->label[bad], bad);
		goto done;
	}
	if (o->label_len > (o->label_4774 ? INSP_CHUNK_LABEL_MAX : INSP_OBJ_LABEL_MAX)) {
		decide(out, INSP_R_BAD_LABEL, "object: label of %zu bytes", o->label_len);
		goto done;
	}
	r = sp_type_check(c->type, o->data, o->len, o->declared_type, ch->object_types, &real,
			  out->mime, out->detail, sizeof(out->detail));
	out->real_type = (uint8_t)real;
	if (r != INSP_R_RELEASE) {
		out->reason = r;
		goto done;
	}
	switch (real) {
	case INSP_OBJ_TEXT:
		text = dup_bytes(o->data, o->len);
		content = (uint8_t *)dup_bytes(o->data, o->len);
		text_len = content_len = o->len;
		if (text == NULL || content == NULL)
			goto oom;
		break;
	case INSP_OBJ_PDF:
		r = sp_pdf_scan(o->data, o->len, &c->lim.pdf, &c->pdf);
		pdf_findings(&j, &c->pdf);
		if (r != INSP_R_RELEASE) {
			decide(out, r, "%s", c->pdf.detail);
			goto done;
		}
		links = c->pdf.n_links != 0;
		r = sp_pdf_text(o->data, o->len, &c->lim.pdf, c->pdf.pages, &text, &text_len,
				out->detail, sizeof(out->detail));
		if (r != INSP_R_RELEASE) {
			out->reason = r;
			oom = strstr(out->detail, "out of memory") != NULL;
			goto done;
		}
		if ((content = (uint8_t *)dup_bytes(o->data, o->len)) == NULL)
			goto oom;
		content_len = o->len;
		break;
	case INSP_OBJ_JPEG:
	case INSP_OBJ_PNG:
		r = sp_image_cdr((unsigned)real, o->data, o->len, c->lim.max_pixels, &content,
				 &content_len, &(struct sp_image_info){0}, out->detail,
				 sizeof(out->detail));
		if (r != INSP_R_RELEASE) {
			out->reason = r;
			oom = strstr(out->detail, "out of memory") != NULL;
			goto done;
		}
		if ((text = dup_bytes("", 0)) == NULL)
			goto oom;
		break;
	default:
		decide(out, INSP_R_TYPE_MISMATCH, "type: no inspection for type %d", real);
		goto done;
	}
	if (envelope(c, o, insp_obj_type_mime((unsigned)real), text, text_len, &env_len, &hdr) != 0)
		goto oom;
	r = insp_inspect(p, s, o->channel, c->env, env_len, now_ms, &res);
	out->level = res.level;
	out->rule_id = res.rule_id;
	if (r == INSP_R_MARKING_INCONSISTENT || r == INSP_R_PROHIBITED_CONTENT ||
	    r == INSP_R_REVIEW) {
		int marking;
		const char *rt = rule_text(p, res.rule_id, &marking);

		out->text_offset = locate(p, res.rule_id, (const uint8_t *)text, text_len);
		if (out->text_offset == 0 && res.offset > hdr)
			out->text_offset = res.offset - (uint32_t)hdr;
		gc_json_begin_object(&j, NULL);
		gc_json_str(&j, "kind", marking ? "marking" : "term");
		gc_json_str(&j, "reason", insp_reason_name(r));
		gc_json_uint(&j, "rule", res.rule_id);
		gc_json_uint(&j, "offset", out->text_offset);
		gc_json_str(&j, "text", rt);
		gc_json_end_object(&j);
	}
	snprintf(out->detail, sizeof(out->detail), "%s", res.detail);
	out->reason = r;
	if (r == INSP_R_REVIEW) {
		out->kind = SP_REVIEW;
	} else if (r != INSP_R_RELEASE) {
		goto done;
	} else if (links) {
		out->kind = SP_REVIEW;
		decide(out, INSP_R_REVIEW, "pdf: %u link(s) (/URI): a reviewer must see them",
		       c->pdf.n_links);
	} else if (ch->object_release == INSP_OBJ_RELEASE_DIRECT) {
		out->kind = SP_RELEASE;
	} else {
		out->kind = SP_REVIEW;
		decide(out, INSP_R_RELEASE, "policy: release: review");
	}
	out->text = text;
	out->text_len = text_len;
	out->content = content;
	out->content_len = content_len;
	text = NULL;
	content = NULL;
	goto done;
oom:
	oom = 1;
done:
	free(text);
	free(content);
	if (fj != NULL) {
		gc_json_end_array(&j);
		if (ferror(fj))
			oom = 1;
		if (fclose(fj) != 0)
			oom = 1;
	}
	out->findings = findings;
	if (out->findings == NULL)
		oom = 1;
	if (oom) {
		sp_outcome_free(out);
		out->kind = SP_REFUSE;
		decide(out, INSP_R_BAD_OBJECT, "slowpath: out of memory");
		out->findings = dup_bytes("[]", 2);
		return -1;
	}
	return 0;
}
