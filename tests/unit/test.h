/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A minimal TAP producer for unit tests (meson protocol: 'tap'). Each CHECK is one test
 * point; a failing point prints where and what. main() ends with `return test_done();`.
 */
#ifndef GUARD_TEST_H
#define GUARD_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_n;
static int test_failed;

#define CHECK(cond, ...)                                                                       \
	do {                                                                                   \
		test_n++;                                                                      \
		if (cond) {                                                                    \
			printf("ok %d - ", test_n);                                            \
		} else {                                                                       \
			test_failed++;                                                         \
			printf("not ok %d - %s:%d: (%s) ", test_n, __FILE__, __LINE__, #cond); \
		}                                                                              \
		printf(__VA_ARGS__);                                                           \
		printf("\n");                                                                  \
	} while (0)

#define CHECK_STR(a, b, ...)                                                                \
	do {                                                                                \
		const char *check_a_ = (a), *check_b_ = (b);                                \
		CHECK(check_a_ &&check_b_ &&strcmp(check_a_, check_b_) == 0, __VA_ARGS__);  \
		if (!(check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0))             \
			printf("#   got '%s', want '%s'\n", check_a_ ? check_a_ : "(null)", \
			       check_b_ ? check_b_ : "(null)");                             \
	} while (0)

/** Whole file, NUL-terminated (malloc()ed), length in *len; NULL if unreadable. */
static inline char *
test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf != NULL) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

/**
 * Hex text (two digits a byte, anything else skipped, '#' to the end of a line a comment)
 * into at most @p cap bytes of @p out. @return the bytes, or -1 for an odd digit count.
 */
static inline long
test_hex_decode(const char *t, size_t len, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		int v;

		if (c == '#') {
			while (i < len && t[i] != '\n')
				i++;
			continue;
		}
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else if (n < cap) {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi < 0 ? (long)n : -1;
}

static inline int
test_done(void)
{
	printf("1..%d\n", test_n);
	return test_failed ? 1 : 0;
}

#endif
