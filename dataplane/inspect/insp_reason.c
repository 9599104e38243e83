/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "insp_reason.h"

static const char *const reason_names[] = {
#define INSP_REASON_NAME(e, name, text) [INSP_R_##e] = name,
	INSP_REASONS(INSP_REASON_NAME)
#undef INSP_REASON_NAME
};

static const char *const reason_texts[] = {
#define INSP_REASON_TEXT(e, name, text) [INSP_R_##e] = text,
	INSP_REASONS(INSP_REASON_TEXT)
#undef INSP_REASON_TEXT
};

const char *
insp_reason_name(enum insp_reason r)
{
	return (unsigned)r < INSP_R_COUNT ? reason_names[r] : "invalid";
}

const char *
insp_reason_text(enum insp_reason r)
{
	return (unsigned)r < INSP_R_COUNT ? reason_texts[r] : "invalid reason";
}

int
insp_reason_from_name(const char *name)
{
	for (int r = 0; r < INSP_R_COUNT; r++)
		if (strcmp(reason_names[r], name) == 0)
			return r;
	return -1;
}
