/* SPDX-License-Identifier: BSD-3-Clause */
#include "insp_format.h"

/* one header per format module */
#include "insp_adatp3.h"
#include "insp_cot.h"
#include "insp_lxml.h"
#include "insp_obj.h"
#include "insp_tak.h"

const struct insp_format_ops insp_formats[INSP_FORMAT_COUNT] = {
#define INSP_FORMAT_ROW(id, nm, fn, key) \
	[INSP_FORMAT_##id] = {.name = nm, .parse = fn, .type_key = key},
	INSP_FORMATS(INSP_FORMAT_ROW)
#undef INSP_FORMAT_ROW
};

const char *
insp_format_name(enum insp_format f)
{
	return (unsigned)f < INSP_FORMAT_COUNT ? insp_formats[f].name : NULL;
}
