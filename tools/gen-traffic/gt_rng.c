/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xoshiro256** 1.0 (Blackman and Vigna, public domain algorithm), re-typed from the
 * published description; splitmix64 expands the 64-bit seed into the 256-bit state.
 */
#include "gt_rng.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
gt_rng_seed(struct gt_rng *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t
gt_rng_u64(struct gt_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint32_t
gt_rng_below(struct gt_rng *r, uint32_t n)
{
	uint32_t limit;
	uint32_t x;

	if (n == 0)
		return 0;
	/* reject the top partial bucket so every residue is equally likely */
	limit = UINT32_MAX - UINT32_MAX % n;
	do {
		x = (uint32_t)(gt_rng_u64(r) >> 32);
	} while (x >= limit);
	return x % n;
}

uint32_t
gt_rng_range(struct gt_rng *r, uint32_t lo, uint32_t hi)
{
	if (hi <= lo)
		return lo;
	if (hi - lo == UINT32_MAX)
		return (uint32_t)(gt_rng_u64(r) >> 32);
	return lo + gt_rng_below(r, hi - lo + 1);
}

double
gt_rng_real(struct gt_rng *r, double lo, double hi)
{
	double u = (double)(gt_rng_u64(r) >> 11) * (1.0 / 9007199254740992.0);

	return lo + (hi - lo) * u;
}

bool
gt_rng_chance(struct gt_rng *r, uint32_t percent)
{
	return gt_rng_below(r, 100) < percent;
}

void
gt_rng_bytes(struct gt_rng *r, uint8_t *buf, uint32_t n)
{
	for (uint32_t i = 0; i < n; i += 8) {
		uint64_t x = gt_rng_u64(r);

		for (uint32_t j = 0; j < 8 && i + j < n; j++)
			buf[i + j] = (uint8_t)(x >> (8 * j));
	}
}
