/* Counter-based random numbers: a draw is a pure function of (seed, indices), so a backward pass
 * regenerates the forward's dropout mask without storing it, in any loop order. Built on
 * splitmix64 (Steele, Lea, Flood 2014): child(key, n) is the n-th output of the splitmix64
 * stream whose state starts at `key`. Shared by CPU and (later) CUDA kernels: keep it free of
 * host-only code. Java ports (tests) must match these formulas bit for bit. */
#ifndef BV2J_COUNTER_RNG_H
#define BV2J_COUNTER_RNG_H
#include <stdint.h>
#include "gate_math.h" /* BV2J_INLINE */

#define BV2J_RNG_GAMMA 0x9E3779B97F4A7C15ull

/* splitmix64's output function (Stafford's variant 13). */
BV2J_INLINE uint64_t bv2j_mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* 64 random bits for counter n under key (also the key of that child stream). */
BV2J_INLINE uint64_t bv2j_rng_child(uint64_t key, uint64_t n) {
    return bv2j_mix64(key + (n + 1) * BV2J_RNG_GAMMA);
}

/* The top 24 bits as a float in [0, 1): exact, so the comparison against p is too. */
BV2J_INLINE float bv2j_rng_uniform(uint64_t bits) {
    return (float) (bits >> 40) * 5.9604644775390625e-08f; /* 2^-24 */
}

/* Attention dropout: the key of query row i of (batch b, head h); entry (i, j) is kept when
 * bv2j_rng_uniform(bv2j_rng_child(row_key, j)) >= p. */
BV2J_INLINE uint64_t bv2j_attn_head_key(uint64_t seed, int64_t b, int64_t h) {
    return bv2j_rng_child(bv2j_rng_child(seed, (uint64_t) b), (uint64_t) h);
}

BV2J_INLINE uint64_t bv2j_attn_row_key(uint64_t head_key, int64_t i) {
    return bv2j_rng_child(head_key, (uint64_t) i);
}

/* The multiplier of p_ij after dropout: 0 (dropped) or keep_scale = 1/(1-p). */
BV2J_INLINE float bv2j_attn_drop(uint64_t row_key, int64_t j, float p, float keep_scale) {
    return bv2j_rng_uniform(bv2j_rng_child(row_key, (uint64_t) j)) >= p ? keep_scale : 0.0f;
}

#endif
