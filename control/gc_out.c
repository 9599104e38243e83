/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output helpers for people (see gc_out.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "gc_out.h"
#include "gc_utf8.h"

void
gc_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("guardctl: ", stderr);
	if (cmd != NULL)
		fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *
gc_decision_name(enum insp_reason r)
{
	if (r == INSP_R_RELEASE)
		return "RELEASE";
	if (r == INSP_R_REVIEW)
		return "REVIEW";
	if (r == INSP_R_TO_SLOWPATH) /* an object chunk: the slow path decides the object */
		return "SLOWPATH";
	return "DROP";
}

const char *
gc_tclass_name(unsigned tclass)
{
	static const char *const names[INSP_TCLASS_COUNT] = {"flash", "immediate", "priority",
							     "routine"};

	return tclass < INSP_TCLASS_COUNT ? names[tclass] : "?";
}

/* Does code point @p cp need escaping in a table cell? */
static int
unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD ||
	       (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

/*
 * Walk @p s as printed: call with f == NULL to only count columns.
 * Returns the number of columns.
 */
static size_t
text_walk(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0, cols = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = gc_utf8_seq(s + i, len - i, &cp);

		if (n == 0 || unsafe(cp)) {
			size_t k = n == 0 ? 1 : n;

			for (size_t b = 0; b < k; b++) {
				if (f != NULL)
					fprintf(f, "\\x%02x", s[i + b]);
				cols += 4;
			}
			i += k;
			continue;
		}
		if (cp == '\\') {
			if (f != NULL)
				fputs("\\\\", f);
			cols += 2;
		} else {
			if (f != NULL)
				fwrite(s + i, 1, n, f);
			cols++;
		}
		i += n;
	}
	return cols;
}

size_t
gc_text_width(const char *s)
{
	if (s == NULL || s[0] == '\0')
		return 1;
	return text_walk(NULL, s);
}

void
gc_text_put(FILE *f, const char *s, size_t width)
{
	size_t cols;

	if (s == NULL || s[0] == '\0') {
		fputc('-', f);
		cols = 1;
	} else {
		cols = text_walk(f, s);
	}
	for (; cols < width; cols++)
		fputc(' ', f);
}

const char *
gc_fmt_addr(const struct insp_ipaddr *a, char *buf, size_t cap)
{
	int af = a->version == 6 ? AF_INET6 : AF_INET;

	if (a->version != 4 && a->version != 6) {
		snprintf(buf, cap, "-");
		return buf;
	}
	if (inet_ntop(af, a->a, buf, (socklen_t)cap) == NULL)
		snprintf(buf, cap, "?");
	return buf;
}

const char *
gc_fmt_mac(const uint8_t mac[6], char *buf, size_t cap)
{
	snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	return buf;
}

int
gc_out_flush(const char *cmd)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		gc_err(cmd, "cannot write the output: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
gc_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}
