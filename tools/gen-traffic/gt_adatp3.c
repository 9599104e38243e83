/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>

#include "gt_adatp3.h"

const char *
gt_adatp3_type(enum gt_adatp3_kind k)
{
	switch (k) {
	case GT_ADATP3_OPREP3:
		return "OPREP-3";
	case GT_ADATP3_INTREP:
		return "INTREP";
	default:
		return "SITREP";
	}
}

struct writer {
	const struct gt_adatp3 *a;
	struct gt_buf *b;
	unsigned lines;
};

static void
eol(struct writer *w)
{
	gt_buf_puts(w->b, w->a->crlf ? "\r\n" : "\n");
}

/* Start a new line (the line end of the previous one first). */
static void
line(struct writer *w)
{
	if (w->lines++ > 0)
		eol(w);
}

static void set(struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One set, given without its closing "//". */
static void
set(struct writer *w, const char *fmt, ...)
{
	va_list ap;

	line(w);
	va_start(ap, fmt);
	gt_buf_vprintf(w->b, fmt, ap);
	va_end(ap);
	gt_buf_puts(w->b, "//");
}

static void
msgid(struct writer *w)
{
	const struct gt_adatp3 *a = w->a;

	if (a->malform == GT_ADATP3_MAL_SHORT_MSGID) {
		set(w, "MSGID/%s/NATO/1/%s/%03u/%s/-/-", gt_adatp3_type(a->kind), a->originator,
		    a->serial, a->month);
		return;
	}
	set(w, "MSGID/%s/NATO/1/%s/%03u/%s/-/-/%s/%s", gt_adatp3_type(a->kind), a->originator,
	    a->serial, a->month, a->policy, a->classification);
}

int
gt_adatp3_build(const struct gt_adatp3 *a, struct gt_buf *b)
{
	struct writer w = {a, b, 0};

	if (a->envelope != NULL) {
		line(&w);
		gt_buf_puts(b, a->envelope);
	}
	if (a->malform == GT_ADATP3_MAL_SETID)
		set(&w, "%s/%s", a->exercise ? "exer" : "oper", a->operation);
	else
		set(&w, "%s/%s", a->exercise ? "EXER" : "OPER", a->operation);
	if (a->malform != GT_ADATP3_MAL_NO_MSGID)
		msgid(&w);
	if (a->malform == GT_ADATP3_MAL_TWO_MSGID)
		msgid(&w);
	if (a->malform == GT_ADATP3_MAL_EMPTY_LINE)
		line(&w);
	if (a->malform == GT_ADATP3_MAL_EMPTY_FIELD)
		set(&w, "REF/A//ORDER/%s/%s", a->ref_originator, a->dtg_ref);
	else
		set(&w, "REF/A/ORDER/%s/%s", a->ref_originator, a->dtg_ref);
	if (a->malform == GT_ADATP3_MAL_NO_END) {
		/* the set's closing "//" forgotten */
		line(&w);
		gt_buf_printf(b, "PERID/%s/TO:%s", a->dtg, a->dtg_end);
	} else {
		set(&w, "PERID/%s/TO:%s", a->dtg, a->dtg_end);
	}
	switch (a->kind) {
	case GT_ADATP3_OPREP3:
		set(&w, "EVENT/%s/%s/%s", a->dtg, a->position, a->event);
		break;
	case GT_ADATP3_INTREP:
		set(&w, "AREA/%s", a->position);
		break;
	default:
		set(&w, "MYPOSN/%s", a->position);
		break;
	}
	for (unsigned i = 0; i < a->n_text && i < GT_ADATP3_MAX_TEXT; i++) {
		if (i == 0 && a->malform == GT_ADATP3_MAL_TAB)
			set(&w, "GENTEXT/%s/\t%s", a->heading[i], a->text[i]);
		else if (i == 0 && a->malform == GT_ADATP3_MAL_BAD_UTF8)
			set(&w, "GENTEXT/%s/\xff%s", a->heading[i], a->text[i]);
		else
			set(&w, "GENTEXT/%s/%s", a->heading[i], a->text[i]);
	}
	if (a->final_eol)
		eol(&w);
	return b->overflow ? -1 : 0;
}
