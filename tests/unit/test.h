/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A minimal TAP producer for unit tests (meson protocol: 'tap'). Each CHECK is one test
 * point; a failing point prints where and what. main() ends with `return test_done();`.
 */
#ifndef GUARD_TEST_H
#define GUARD_TEST_H

#include <stdio.h>
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

static inline int
test_done(void)
{
	printf("1..%d\n", test_n);
	return test_failed ? 1 : 0;
}

#endif
