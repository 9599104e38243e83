/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * insp_simd.h against one-byte-at-a-time references written here from the parsers' own
 * byte classes: random buffers biased towards the bytes each search stops at, every length
 * from 0 to 100 and every start offset in a 16-byte window, so that each answer position
 * falls in the vector body, at a block edge and in the scalar tail. Every buffer is its own
 * exact-size allocation: the ASan build catches a read past `end`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "insp_simd.h"
#include "test.h"

static const uint8_t *
ref_find4(const uint8_t *p, const uint8_t *end, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	for (; p < end; p++)
		if (*p == a || *p == b || *p == c || *p == d)
			break;
	return p;
}

static int
ref_is_name_byte(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c >= 0x80;
}

static const uint8_t *
ref_name_end(const uint8_t *p, const uint8_t *end, int *high)
{
	*high = 0;
	for (; p < end && ref_is_name_byte(*p); p++)
		*high |= *p >= 0x80;
	return p;
}

static const uint8_t *
ref_attr_stop(const uint8_t *p, const uint8_t *end, uint8_t q)
{
	for (; p < end; p++)
		if (*p == q || *p == '<' || *p == '&' || *p < 0x20)
			break;
	return p;
}

static const uint8_t *
ref_ascii_end(const uint8_t *p, const uint8_t *end)
{
	for (; p < end; p++)
		if (*p >= 0x7F)
			break;
	return p;
}

/* A byte that is usually plain and sometimes one of the interesting ones. */
static uint8_t
random_byte(unsigned *seed)
{
	static const uint8_t special[] = {'<',	'&',  ']',  '\r', '\n', '\t', '"', '\'', 0x7F,
					  0x80, 0xD0, 0xFF, 0x00, 0x1F, ':',  '@', '[',	 '`',
					  '{',	'/',  '-',  '.',  '_',	'9',  'Z', 'z',	 ' '};
	unsigned r = (unsigned)rand_r(seed);

	if (r % 8 == 0)
		return special[(r >> 3) % sizeof(special)];
	return (uint8_t)('a' + (r >> 3) % 26);
}

int
main(void)
{
	unsigned seed = 12345;
	int bad_find4 = 0, bad_name = 0, bad_attr = 0, bad_ascii = 0, cases = 0;

	for (int round = 0; round < 40; round++) {
		for (size_t len = 0; len <= 100; len++) {
			for (size_t off = 0; off < 16 && off <= len; off++) {
				uint8_t *buf = malloc(len ? len : 1);
				const uint8_t *p, *end;
				int h1, h2;

				if (buf == NULL)
					return 1;
				for (size_t i = 0; i < len; i++)
					buf[i] = random_byte(&seed);
				p = buf + off;
				end = buf + len;
				cases++;
				bad_find4 += insp_simd_find4(p, end, '<', '&', ']', '\r') !=
					     ref_find4(p, end, '<', '&', ']', '\r');
				bad_name += insp_simd_name_end(p, end, &h1) !=
						    ref_name_end(p, end, &h2) ||
					    h1 != h2;
				bad_attr += insp_simd_attr_stop(p, end, '"') !=
						    ref_attr_stop(p, end, '"') ||
					    insp_simd_attr_stop(p, end, '\'') !=
						    ref_attr_stop(p, end, '\'');
				bad_ascii += insp_simd_ascii_end(p, end) != ref_ascii_end(p, end);
				free(buf);
			}
		}
	}
	CHECK(bad_find4 == 0, "find4 agrees with the byte loop (%d of %d differ)", bad_find4,
	      cases);
	CHECK(bad_name == 0, "name_end and its non-ASCII flag agree (%d of %d differ)", bad_name,
	      cases);
	CHECK(bad_attr == 0, "attr_stop agrees for both quotes (%d of %d differ)", bad_attr, cases);
	CHECK(bad_ascii == 0, "ascii_end agrees (%d of %d differ)", bad_ascii, cases);

	/* a stop byte in each position of a long run: vector body, block edges and tail */
	uint8_t run[64];
	int ok = 1;

	for (size_t at = 0; at < sizeof(run); at++) {
		int high;

		memset(run, 'a', sizeof(run));
		run[at] = '<';
		ok &= insp_simd_find4(run, run + sizeof(run), '<', '&', ']', '\r') == run + at;
		ok &= insp_simd_name_end(run, run + sizeof(run), &high) == run + at && !high;
		ok &= insp_simd_attr_stop(run, run + sizeof(run), '"') == run + at;
		run[at] = 0xC3;
		ok &= insp_simd_ascii_end(run, run + sizeof(run)) == run + at;
		ok &= insp_simd_name_end(run, run + sizeof(run), &high) == run + sizeof(run) &&
		      high;
	}
	CHECK(ok, "a single stop byte is found at every position of a 64-byte run");
	return test_done();
}
