/* SPDX-License-Identifier: BSD-3-Clause */
/* PDF inspection (sp_pdf.h): qpdf for structure and active content, poppler for text. */
#include <poppler.h>
#include <qpdf/qpdf-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_utf8.h"
#include "sp_pdf.h"

#define DEF_MAX_OBJECTS 1000000u
#define DEF_MAX_DEPTH	64u
#define DEF_MAX_PAGES	2000u

static const char *const active_names[] = {
	"/JavaScript",	  "/JS",	   "/Launch",	      "/OpenAction", "/AA",
	"/EmbeddedFiles", "/EmbeddedFile", "/FileAttachment", "/XFA",	     "/RichMedia",
	"/Sound",	  "/Movie",	   "/Rendition",      "/SubmitForm", "/ImportData",
	"/GoToR",	  "/GoToE",
};

static struct sp_pdf_limits
limits(const struct sp_pdf_limits *lim)
{
	struct sp_pdf_limits l = lim ? *lim : (struct sp_pdf_limits){0};

	if (l.max_objects == 0)
		l.max_objects = DEF_MAX_OBJECTS;
	if (l.max_depth == 0)
		l.max_depth = DEF_MAX_DEPTH;
	if (l.max_pages == 0)
		l.max_pages = DEF_MAX_PAGES;
	if (l.max_text == 0)
		l.max_text = SP_PDF_MAX_TEXT;
	return l;
}

static enum insp_reason __attribute__((format(printf, 3, 4)))
refuse(struct sp_pdf_report *s, enum insp_reason r, const char *fmt, ...)
{
	va_list ap;

	if (s->reason != INSP_R_RELEASE && s->reason != INSP_R_ACTIVE_CONTENT)
		return s->reason; /* the first bad_object says why */
	va_start(ap, fmt);
	vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
	va_end(ap);
	s->reason = r;
	return r;
}

/* The walk's state: the file, where we are, what we found. */
struct walk {
	qpdf_data q;
	struct sp_pdf_report *s;
	struct sp_pdf_limits lim;
	int obj, gen; /* the indirect object being walked */
	int failed;   /* bad_object: stop */
};

static const char *
active_name(const char *name)
{
	for (size_t i = 0; i < sizeof(active_names) / sizeof(active_names[0]); i++)
		if (strcmp(name, active_names[i]) == 0)
			return active_names[i];
	return NULL;
}

static void
add_finding(struct walk *w, uint8_t kind, const char *what, const char *uri)
{
	struct sp_pdf_report *s = w->s;

	for (uint32_t i = 0; i < s->n_findings; i++) {
		const struct sp_pdf_finding *f = &s->findings[i];

		if (f->obj == w->obj && f->gen == w->gen && strcmp(f->what, what) == 0)
			return;
	}
	if (kind == SP_PDF_ACTIVE)
		s->n_active++;
	else
		s->n_links++;
	if (s->n_findings < SP_PDF_FINDINGS_MAX) {
		struct sp_pdf_finding *f = &s->findings[s->n_findings++];

		f->kind = kind;
		snprintf(f->what, sizeof(f->what), "%s", what);
		f->obj = w->obj;
		f->gen = w->gen;
		snprintf(f->uri, sizeof(f->uri), "%s", uri ? uri : "");
	}
}

static void
check_name(struct walk *w, const char *name)
{
	const char *a = active_name(name);

	if (a != NULL)
		add_finding(w, SP_PDF_ACTIVE, a, NULL);
}

static int
qpdf_failed(struct walk *w)
{
	if (!w->failed && qpdf_has_error(w->q)) {
		qpdf_error e = qpdf_get_error(w->q);

		refuse(w->s, INSP_R_BAD_OBJECT, "pdf: object %d %d: %s", w->obj, w->gen,
		       e ? qpdf_get_error_message_detail(w->q, e) : "qpdf error");
		w->failed = 1;
	}
	return w->failed;
}

static void walk_value(struct walk *w, qpdf_oh oh, uint32_t depth);

/* A link's URI string for the reviewer (printable ASCII kept, the rest as '?'). */
static void
uri_of(struct walk *w, qpdf_oh v, char *out, size_t cap)
{
	size_t n = 0;
	const char *str;

	out[0] = '\0';
	if (qpdf_oh_is_indirect(w->q, v) || !qpdf_oh_is_string(w->q, v))
		return;
	str = qpdf_oh_get_binary_string_value(w->q, v, &n);
	if (str == NULL)
		return;
	if (n > cap - 1)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = str[i] >= 0x20 && str[i] < 0x7f ? str[i] : '?';
	out[n] = '\0';
}

static void
walk_dict(struct walk *w, qpdf_oh dict, uint32_t depth)
{
	char **keys = NULL;
	size_t n = 0, cap = 0;

	/* qpdf's C API has one key iterator per qpdf_data: copy the keys before recursing */
	qpdf_oh_begin_dict_key_iter(w->q, dict);
	while (qpdf_oh_dict_more_keys(w->q)) {
		const char *k = qpdf_oh_dict_next_key(w->q);

		if (n == cap) {
			char **nk = realloc(keys, (cap = cap ? 2 * cap : 16) * sizeof(*keys));

			if (nk == NULL)
				goto oom;
			keys = nk;
		}
		if ((keys[n] = strdup(k ? k : "")) == NULL)
			goto oom;
		n++;
	}
	for (size_t i = 0; i < n && !w->failed; i++) {
		qpdf_oh v = qpdf_oh_get_key(w->q, dict, keys[i]);

		check_name(w, keys[i]);
		if (strcmp(keys[i], "/URI") == 0) {
			char uri[SP_PDF_URI_MAX];

			uri_of(w, v, uri, sizeof(uri));
			add_finding(w, SP_PDF_LINK, "/URI", uri);
		}
		walk_value(w, v, depth + 1);
		qpdf_oh_release(w->q, v);
	}
	goto out;
oom:
	refuse(w->s, INSP_R_BAD_OBJECT, "pdf: out of memory");
	w->failed = 1;
out:
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

static void
walk_value(struct walk *w, qpdf_oh oh, uint32_t depth)
{
	if (w->failed || qpdf_failed(w))
		return;
	if (depth > w->lim.max_depth) {
		refuse(w->s, INSP_R_BAD_OBJECT, "pdf: object %d %d nests deeper than %u", w->obj,
		       w->gen, w->lim.max_depth);
		w->failed = 1;
		return;
	}
	/* a reference is walked where it is defined, never followed from here */
	if (depth > 0 && qpdf_oh_is_indirect(w->q, oh))
		return;
	switch (qpdf_oh_get_type_code(w->q, oh)) {
	case ot_name:
		check_name(w, qpdf_oh_get_name(w->q, oh));
		break;
	case ot_array: {
		int n = qpdf_oh_get_array_n_items(w->q, oh);

		for (int i = 0; i < n && !w->failed; i++) {
			qpdf_oh v = qpdf_oh_get_array_item(w->q, oh, i);

			walk_value(w, v, depth + 1);
			qpdf_oh_release(w->q, v);
		}
		break;
	}
	case ot_dictionary:
		walk_dict(w, oh, depth);
		break;
	case ot_stream: {
		qpdf_oh d = qpdf_oh_get_dict(w->q, oh);

		walk_dict(w, d, depth);
		qpdf_oh_release(w->q, d);
		break;
	}
	default:
		break;
	}
	qpdf_failed(w);
}

static void
walk_object(struct walk *w, int obj, int gen)
{
	qpdf_oh oh = qpdf_get_object_by_id(w->q, obj, gen);

	w->obj = obj;
	w->gen = gen;
	if (!qpdf_failed(w))
		walk_value(w, oh, 0);
	qpdf_oh_release(w->q, oh);
	w->s->n_objects++;
}

/* Is the byte PDF whitespace? */
static int
pdf_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

/*
 * Every "N G obj" in the raw bytes: their highest N, and the walk of those with G != 0
 * (generation 0 is walked by number). Returns the highest N, or -1 if above the bound.
 */
static long
scan_obj_headers(struct walk *w, const uint8_t *buf, size_t len, int walk_gens)
{
	long max_id = 0;
	const uint8_t *p = buf, *end = buf + len;

	while (!w->failed && (p = memmem(p, (size_t)(end - p), "obj", 3)) != NULL) {
		const uint8_t *q = p;
		long gen = 0, id = 0, mul = 1;
		int gd = 0, idd = 0;

		p += 3;
		if (p < end && !pdf_space(*p) && *p != '<' && *p != '[' && *p != '/' && *p != '(')
			continue;
		while (q > buf && pdf_space(q[-1]))
			q--;
		for (; q > buf && q[-1] >= '0' && q[-1] <= '9' && gd < 6; q--, gd++, mul *= 10)
			gen += (q[-1] - '0') * mul;
		if (gd == 0 || q == buf || !pdf_space(q[-1]))
			continue;
		while (q > buf && pdf_space(q[-1]))
			q--;
		for (mul = 1; q > buf && q[-1] >= '0' && q[-1] <= '9' && idd < 10;
		     q--, idd++, mul *= 10)
			id += (q[-1] - '0') * mul;
		if (idd == 0 || (q > buf && !pdf_space(q[-1])))
			continue;
		if (id > (long)w->lim.max_objects)
			return -1;
		if (id > max_id)
			max_id = id;
		if (walk_gens && gen != 0 && id > 0 && gen <= 65535)
			walk_object(w, (int)id, (int)gen);
	}
	return max_id;
}

/* Bytes after the last %%EOF that are not whitespace: a file appended to the PDF. */
static size_t
trailing_bytes(const uint8_t *buf, size_t len)
{
	const uint8_t *last = NULL, *p = buf;
	size_t extra = 0;

	while ((p = memmem(p, len - (size_t)(p - buf), "%%EOF", 5)) != NULL) {
		last = p;
		p += 5;
	}
	if (last == NULL)
		return len;
	for (p = last + 5; p < buf + len; p++)
		extra += !pdf_space(*p);
	return extra;
}

enum insp_reason
sp_pdf_scan(const uint8_t *buf, size_t len, const struct sp_pdf_limits *lim,
	    struct sp_pdf_report *s)
{
	struct walk w = {.s = s, .lim = limits(lim)};
	qpdf_oh trailer, size;
	long n_ids, raw_max;
	size_t extra;

	memset(s, 0, sizeof(*s));
	s->reason = INSP_R_RELEASE;
	s->pages = -1;
	if ((extra = trailing_bytes(buf, len)) == len)
		return refuse(s, INSP_R_BAD_OBJECT, "pdf: no %%%%EOF");
	if (extra != 0)
		return refuse(s, INSP_R_BAD_OBJECT, "pdf: %zu bytes of data after the last %%%%EOF",
			      extra);
	w.q = qpdf_init();
	if (w.q == NULL)
		return refuse(s, INSP_R_BAD_OBJECT, "pdf: out of memory");
	qpdf_silence_errors(w.q);
	qpdf_set_suppress_warnings(w.q, QPDF_TRUE);
	qpdf_set_attempt_recovery(w.q, QPDF_FALSE);
	if (qpdf_read_memory(w.q, "object", (const char *)buf, len, "") & QPDF_ERRORS) {
		qpdf_error e = qpdf_get_error(w.q);

		refuse(s, INSP_R_BAD_OBJECT, "pdf: qpdf cannot read it: %s",
		       e ? qpdf_get_error_message_detail(w.q, e) : "?");
		goto out;
	}
	if (qpdf_is_encrypted(w.q)) {
		refuse(s, INSP_R_BAD_OBJECT, "pdf: encrypted (refused whatever the password)");
		goto out;
	}
	trailer = qpdf_get_trailer(w.q);
	size = qpdf_oh_get_key(w.q, trailer, "/Size");
	n_ids = qpdf_oh_is_integer(w.q, size) ? qpdf_oh_get_int_value(w.q, size) : -1;
	raw_max = scan_obj_headers(&w, buf, len, 0);
	if (n_ids < 1 || n_ids > (long)w.lim.max_objects || raw_max < 0) {
		refuse(s, INSP_R_BAD_OBJECT, "pdf: trailer /Size %ld missing or above %u objects",
		       n_ids, w.lim.max_objects);
		goto out;
	}
	if (raw_max >= n_ids)
		n_ids = raw_max + 1;
	w.obj = w.gen = 0;
	walk_value(&w, trailer, 0);
	for (long id = 1; id < n_ids && !w.failed; id++)
		walk_object(&w, (int)id, 0);
	if (!w.failed)
		scan_obj_headers(&w, buf, len, 1);
	if (w.failed)
		goto out;
	s->pages = qpdf_get_num_pages(w.q);
	if (s->pages < 0 || qpdf_has_error(w.q)) {
		w.obj = w.gen = 0;
		w.failed = 0;
		qpdf_failed(&w);
		refuse(s, INSP_R_BAD_OBJECT, "pdf: page tree unreadable");
		goto out;
	}
	if (qpdf_more_warnings(w.q)) {
		qpdf_error e = qpdf_next_warning(w.q);

		refuse(s, INSP_R_BAD_OBJECT, "pdf: qpdf had to repair it: %s",
		       e ? qpdf_get_error_message_detail(w.q, e) : "?");
		goto out;
	}
	if (s->n_active != 0) {
		const struct sp_pdf_finding *f = &s->findings[0];

		for (uint32_t i = 0; i < s->n_findings; i++)
			if (s->findings[i].kind == SP_PDF_ACTIVE) {
				f = &s->findings[i];
				break;
			}
		refuse(s, INSP_R_ACTIVE_CONTENT, "pdf: active content %s in %s%d %d (%u in all)",
		       f->what, f->obj ? "object " : "trailer ", f->obj, f->gen, s->n_active);
	}
out:
	qpdf_cleanup(&w.q);
	return s->reason;
}

/* Append text[0..n) to the buffer, made fit for the envelope (see sp_pdf.h). */
struct textbuf {
	char *b;
	size_t len, cap, max;
};

static int
tb_put(struct textbuf *t, const char *s, size_t n)
{
	if (t->len + n > t->max)
		return -1;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		char *nb;

		while (cap < t->len + n + 1)
			cap *= 2;
		if ((nb = realloc(t->b, cap)) == NULL)
			return -2;
		t->b = nb;
		t->cap = cap;
	}
	memcpy(t->b + t->len, s, n);
	t->len += n;
	t->b[t->len] = '\0';
	return 0;
}

/* The length of the UTF-8 character at s[0..n) if the envelope may hold it, else 0. */
static size_t
char_ok(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4, bad, dl;

	if (c < 0x80)
		return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
	if (c < 0xC2 || c > 0xF4 || len > n || insp_utf8_validate_xml(s, len, &bad) != 0)
		return 0;
	if (insp_utf8_decode(s, n, &dl) <= 0x9f) /* C1 */
		return 0;
	return len;
}

static int
tb_put_clean(struct textbuf *t, const char *s, size_t n)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t run = 0, i = 0, k;
	int r;

	while (i < n) {
		if ((k = char_ok(u + i, n - i)) != 0) {
			i += k;
			continue;
		}
		/* flush the good run, then one replacement for one bad byte */
		if ((r = tb_put(t, s + run, i - run)) != 0)
			return r;
		if (u[i] < 0x80) {
			r = tb_put(t, " ", 1);
			i++;
		} else if (u[i] == 0xC2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) {
			r = tb_put(t, " ", 1); /* a C1 control */
			i += 2;
		} else {
			r = tb_put(t, "\xEF\xBF\xBD", 3);
			i++;
		}
		if (r != 0)
			return r;
		run = i;
	}
	return tb_put(t, s + run, i - run);
}

enum insp_reason
sp_pdf_text(const uint8_t *buf, size_t len, const struct sp_pdf_limits *lim, int expect_pages,
	    char **text, size_t *text_len, char *detail, size_t cap)
{
	struct sp_pdf_limits l = limits(lim);
	struct textbuf t = {.max = l.max_text};
	GError *err = NULL;
	GBytes *bytes;
	PopplerDocument *doc;
	enum insp_reason r = INSP_R_BAD_OBJECT;
	int pages;

	*text = NULL;
	*text_len = 0;
	detail[0] = '\0';
	/* poppler reads the caller's bytes in place; the document is gone before we return */
	bytes = g_bytes_new_static(buf, len);
	doc = poppler_document_new_from_bytes(bytes, "", &err);
	g_bytes_unref(bytes);
	if (doc == NULL) {
		snprintf(detail, cap, "pdf: poppler cannot open it: %s", err ? err->message : "?");
		g_clear_error(&err);
		return INSP_R_BAD_OBJECT;
	}
	pages = poppler_document_get_n_pages(doc);
	if (pages < 0 || (unsigned)pages > l.max_pages) {
		snprintf(detail, cap, "pdf: %d pages, above the bound of %u", pages, l.max_pages);
		goto out;
	}
	if (expect_pages >= 0 && pages != expect_pages) {
		snprintf(detail, cap, "pdf: qpdf counts %d pages, poppler %d", expect_pages, pages);
		goto out;
	}
	if (tb_put(&t, "", 0) != 0)
		goto oom;
	for (int i = 0; i < pages; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *pt;
		int e = 0;

		if (page == NULL) {
			snprintf(detail, cap, "pdf: poppler cannot read page %d", i + 1);
			goto out;
		}
		pt = poppler_page_get_text(page);
		if (i > 0)
			e = tb_put(&t, "\n", 1);
		if (e == 0 && pt != NULL)
			e = tb_put_clean(&t, pt, strlen(pt));
		g_free(pt);
		g_object_unref(page);
		if (e == -1) {
			snprintf(detail, cap, "pdf: text above the bound of %u bytes (page %d)",
				 l.max_text, i + 1);
			goto out;
		}
		if (e != 0)
			goto oom;
	}
	*text = t.b;
	*text_len = t.len;
	t.b = NULL;
	r = INSP_R_RELEASE;
	goto out;
oom:
	snprintf(detail, cap, "pdf: out of memory");
out:
	free(t.b);
	g_object_unref(doc);
	return r;
}
