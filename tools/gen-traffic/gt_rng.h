/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Seedable pseudo-random numbers for gen-traffic: xoshiro256** seeded through splitmix64.
 * Everything the generator writes is drawn from one of these, so the same seed (and the
 * same --now) gives byte-identical output on every machine.
 */
#ifndef GT_RNG_H
#define GT_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct gt_rng {
	uint64_t s[4];
};

/** Seed @p r from @p seed (any value, including 0). */
void gt_rng_seed(struct gt_rng *r, uint64_t seed);

/** Next 64 random bits. */
uint64_t gt_rng_u64(struct gt_rng *r);

/** Uniform in [0, n) without modulo bias; 0 when @p n is 0. */
uint32_t gt_rng_below(struct gt_rng *r, uint32_t n);

/** Uniform in [lo, hi] (inclusive); lo when hi <= lo. */
uint32_t gt_rng_range(struct gt_rng *r, uint32_t lo, uint32_t hi);

/** Uniform double in [lo, hi). */
double gt_rng_real(struct gt_rng *r, double lo, double hi);

/** True with probability @p percent / 100. */
bool gt_rng_chance(struct gt_rng *r, uint32_t percent);

/** Fill @p n bytes of @p buf with random bytes. */
void gt_rng_bytes(struct gt_rng *r, uint8_t *buf, uint32_t n);

/** Pick one element index of an array of @p n. */
#define GT_PICK(r, arr) ((arr)[gt_rng_below((r), (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])

#endif
