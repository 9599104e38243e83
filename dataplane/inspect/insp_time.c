/* SPDX-License-Identifier: BSD-3-Clause */
#include "insp_time.h"

static int
digits(const uint8_t *s, uint32_t n, int *out)
{
	int v = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int
days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

int
insp_time_parse(const uint8_t *s, uint32_t len, int64_t *ms_since_epoch)
{
	int y, mo, d, h, mi, sec, ms = 0, tzh = 0, tzm = 0, sign = 1;
	uint32_t i = 19;

	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
	    digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec))
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 59)
		return -1;
	if (s[i] == '.') {
		uint32_t f = ++i, scale = 100;

		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			ms += (s[i] - '0') * (int)scale;
			scale /= 10;
		}
		if (i == f || i - f > 9)
			return -1;
	}
	if (i == len)
		return -1; /* no time zone */
	if (s[i] == 'Z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		sign = s[i] == '-' ? -1 : 1;
		if (len - i != 6 || s[i + 3] != ':' || digits(s + i + 1, 2, &tzh) ||
		    digits(s + i + 4, 2, &tzm) || tzm > 59 || tzh * 60 + tzm > 14 * 60)
			return -1;
		i += 6;
	} else {
		return -1;
	}
	if (i != len)
		return -1;
	int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;

	t -= sign * (tzh * 3600 + tzm * 60);
	*ms_since_epoch = t * 1000 + ms;
	return 0;
}
