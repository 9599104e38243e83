/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "insp_cotgrammar.h"

static inline int
is_word(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

int
insp_cot_valid_type(struct insp_str s)
{
	uint32_t i = 0;

	for (;;) {
		uint32_t start = i;

		while (i < s.len && is_word(s.p[i]))
			i++;
		if (i == start)
			return 0;
		if (i == s.len)
			return 1;
		if (s.p[i] == ';')
			return memchr(s.p + i + 1, ';', s.len - i - 1) == NULL;
		if (s.p[i] != '-')
			return 0;
		i++;
	}
}

int
insp_cot_valid_how(struct insp_str s)
{
	if (s.len == 0 || s.len % 2 == 0)
		return 0;
	for (uint32_t i = 0; i < s.len; i++)
		if (i % 2 == 0 ? !is_word(s.p[i]) : s.p[i] != '-')
			return 0;
	return 1;
}

int
insp_cot_valid_qos(struct insp_str s)
{
	return s.len == 5 && s.p[0] >= '0' && s.p[0] <= '9' && s.p[1] == '-' && is_word(s.p[2]) &&
	       s.p[3] == '-' && is_word(s.p[4]);
}
