/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A test-side protobuf encoder (TAK protocol messages built field by field): the tests that
 * need TAK payloads (test_tak, test_label_golden) share it. Include test.h first; the
 * storage is the caller's.
 */
#ifndef GUARD_TEST_PB_H
#define GUARD_TEST_PB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pb {
	uint8_t b[8192];
	size_t n;
};

static inline void
put(struct pb *o, const void *p, size_t n)
{
	if (o->n + n > sizeof(o->b))
		abort();
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static inline void
pv(struct pb *o, uint64_t v)
{
	do {
		uint8_t c = (uint8_t)(v & 0x7F);

		v >>= 7;
		if (v)
			c |= 0x80;
		put(o, &c, 1);
	} while (v);
}

static inline void
ptag(struct pb *o, unsigned field, unsigned wire)
{
	pv(o, (uint64_t)field << 3 | wire);
}

static inline void
pbytes(struct pb *o, unsigned field, const void *p, size_t n)
{
	ptag(o, field, 2);
	pv(o, n);
	put(o, p, n);
}

static inline void
pstr(struct pb *o, unsigned field, const char *s)
{
	if (s != NULL)
		pbytes(o, field, s, strlen(s));
}

static inline void
pu(struct pb *o, unsigned field, uint64_t v)
{
	ptag(o, field, 0);
	pv(o, v);
}

static inline void
pd(struct pb *o, unsigned field, double d)
{
	uint64_t u;
	uint8_t le[8];

	memcpy(&u, &d, 8);
	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(u >> (8 * i));
	ptag(o, field, 1);
	put(o, le, 8);
}

static inline void
pmsg(struct pb *o, unsigned field, const struct pb *sub)
{
	pbytes(o, field, sub->b, sub->n);
}

static inline void
phex(struct pb *o, const char *hex)
{
	for (; hex != NULL && hex[0] && hex[1]; hex += 2) {
		unsigned v;
		uint8_t c;

		if (sscanf(hex, "%2x", &v) != 1)
			abort();
		c = (uint8_t)v;
		put(o, &c, 1);
	}
}

#endif
