/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>

#include "insp_msg.h"
#include "insp_utf8.h"

int
insp_msg_add_unit_kind(struct insp_msg *m, struct insp_str s, uint32_t kind)
{
	if (s.len == 0)
		return 0;
	if (m->n_units == m->units_cap || m->scan_cap - m->scan_len < s.len + 1)
		return -1;
	size_t n = insp_utf8_copy_visible(m->scan + m->scan_len, s.p, s.len);

	m->units[m->n_units].off = m->scan_len;
	m->units[m->n_units].len = (uint32_t)n;
	m->units[m->n_units].kind = kind;
	m->n_units++;
	m->scan_len += (uint32_t)n;
	m->scan[m->scan_len++] = '\n';
	return 0;
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
