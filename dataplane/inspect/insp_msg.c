/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "insp_msg.h"
#include "insp_norm.h"

void
insp_msg_reset(struct insp_msg *m, int allow_bidi, char *detail, size_t cap)
{
	m->scan_len = 0;
	m->n_units = 0;
	m->n_pieces = 0;
	m->allow_bidi = allow_bidi != 0;
	m->unit_err = INSP_UNIT_ERR_NONE;
	m->has_marking = 0;
	m->has_4774 = 0;
	m->has_stale = 0;
	m->has_field_label = 0;
	m->marking.len = 0;
	m->uid.len = 0;
	m->type.len = 0;
	m->stale_ms = 0;
	m->qos_priority = -1;
	m->err_offset = 0;
	m->label.normalised = 0;
	m->detail = detail;
	m->detail_cap = cap;
	if (cap > 0)
		detail[0] = '\0';
}

static int
refuse(struct insp_msg *m, long why, const struct insp_norm_info *info)
{
	m->unit_err = why == INSP_NORM_BIDI ? INSP_UNIT_ERR_BIDI : INSP_UNIT_ERR_FULL;
	m->unit_err_cp = info->bidi_cp;
	return -1;
}

/* Record the @p len bytes just written at the end of the scan buffer as a unit. */
static void
push_unit(struct insp_msg *m, uint32_t len, uint32_t kind, uint32_t form, uint32_t src)
{
	m->units[m->n_units].off = m->scan_len;
	m->units[m->n_units].len = len;
	m->units[m->n_units].kind = (uint16_t)kind;
	m->units[m->n_units].form = (uint16_t)form;
	m->units[m->n_units].src = src;
	m->n_units++;
	m->scan_len += len;
	m->scan[m->scan_len++] = '\n';
}

/* One form of the unit at the end of the scan buffer; info says which others it needs. */
static int
add_form(struct insp_msg *m, const struct insp_str *pieces, uint32_t n, uint32_t kind, uint32_t src,
	 uint32_t flags, struct insp_norm_info *info)
{
	long len;

	if (m->n_units == m->units_cap || m->scan_cap - m->scan_len < 2) {
		info->bidi_cp = 0;
		return refuse(m, INSP_NORM_FULL, info);
	}
	/* one byte stays free for the separator */
	len = insp_norm_text(pieces, n, flags, m->scan + m->scan_len, m->scan_cap - m->scan_len - 1,
			     info);
	if (len < 0)
		return refuse(m, len, info);
	push_unit(m, (uint32_t)len, kind,
		  (flags & INSP_NORM_SKELETON) ? INSP_FORM_SKELETON : INSP_FORM_FOLDED, src);
	return 0;
}

/*
 * Most units are names and short values: copied with two overlapping loads and stores of
 * the right width (never past either end) instead of a call to memcpy.
 */
static inline void
copy_short(uint8_t *dst, const uint8_t *src, size_t n)
{
	uint64_t a, b;
	uint32_t c, d;

	if (n > 16) {
		memcpy(dst, src, n);
	} else if (n >= 8) {
		memcpy(&a, src, 8);
		memcpy(&b, src + n - 8, 8);
		memcpy(dst, &a, 8);
		memcpy(dst + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&c, src, 4);
		memcpy(&d, src + n - 4, 4);
		memcpy(dst, &c, 4);
		memcpy(dst + n - 4, &d, 4);
	} else {
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
	}
}

/* The common case: one string, ASCII below DEL, which every form keeps (case aside). */
static int
add_plain(struct insp_msg *m, struct insp_str s, uint32_t kind, uint32_t src)
{
	struct insp_norm_info info = {0};

	if (m->n_units == m->units_cap || m->scan_cap - m->scan_len < s.len + 1)
		return refuse(m, INSP_NORM_FULL, &info);
	copy_short(m->scan + m->scan_len, s.p, s.len);
	push_unit(m, s.len, kind, INSP_FORM_FOLDED, src);
	return 0;
}

int
insp_msg_add_pieces(struct insp_msg *m, const struct insp_str *pieces, uint32_t n, uint32_t kind,
		    uint32_t src)
{
	uint32_t bidi = m->allow_bidi ? INSP_NORM_ALLOW_BIDI : 0;
	struct insp_norm_info info, other;
	uint32_t total = 0;

	if (n == 1 && insp_norm_ascii_prefix(pieces[0].p, pieces[0].len) == pieces[0].len)
		return pieces[0].len == 0 ? 0 : add_plain(m, pieces[0], kind, src);
	for (uint32_t i = 0; i < n; i++)
		total += pieces[i].len;
	if (total == 0)
		return 0;
	if (add_form(m, pieces, n, kind, src, bidi, &info) < 0)
		return -1;
	if (info.non_ascii &&
	    add_form(m, pieces, n, kind, src, bidi | INSP_NORM_SKELETON, &other) < 0)
		return -1;
	if (info.rtl_override &&
	    add_form(m, pieces, n, kind, src, bidi | INSP_NORM_VISUAL, &other) < 0)
		return -1;
	return 0;
}

enum insp_reason
insp_msg_unit_fail(struct insp_msg *m, const char *fmt, uint32_t offset)
{
	if (m->unit_err == INSP_UNIT_ERR_BIDI)
		return insp_msg_fail(m, INSP_R_MALFORMED_MESSAGE, offset,
				     "%s: bidirectional control U+%04X not allowed on this channel",
				     fmt, m->unit_err_cp);
	return insp_msg_fail(m, INSP_R_MALFORMED_MESSAGE, offset, "%s: too much text", fmt);
}

enum insp_reason
insp_msg_fail(struct insp_msg *m, enum insp_reason r, uint32_t offset, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->detail, m->detail_cap, fmt, ap);
	va_end(ap);
	m->err_offset = offset;
	return r;
}
