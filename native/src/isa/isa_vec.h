/* What the files in src/isa/ need from one instruction set. Each of them is compiled twice (see
 * CMakeLists.txt): with BV2J_TILE_BITS 512 and -mavx512f, and with BV2J_TILE_BITS 256 on the
 * library's AVX2 + FMA baseline. ISA(name) gives each copy's functions their own names
 * (name_avx512, name_avx2); isa.c picks one per call from the context's instruction set, so a
 * context switched to AVX2 (BV2J_ISA=avx2) never executes an AVX-512 instruction. */
#ifndef BV2J_ISA_VEC_H
#define BV2J_ISA_VEC_H

#include <immintrin.h>
#include <stdint.h>

#if BV2J_TILE_BITS == 512

#define ISA(name) name##_avx512
#define VL 16      /* floats per register */
#define TILE_MR 12 /* tile rows: 12 x 2 accumulators of the 32 zmm registers */
typedef __m512 vf;
typedef __mmask16 vmask;

static inline vmask vmask_lanes(int64_t n) {
    return n >= 16 ? (vmask) 0xFFFF : n <= 0 ? (vmask) 0 : (vmask) ((1u << n) - 1);
}
static inline vf vload(const float *p) { return _mm512_loadu_ps(p); }
static inline vf vload_masked(vmask m, const float *p) { return _mm512_maskz_loadu_ps(m, p); }
static inline void vstore_masked(float *p, vmask m, vf v) { _mm512_mask_storeu_ps(p, m, v); }
static inline vf vzero(void) { return _mm512_setzero_ps(); }
static inline vf vbroadcast(float v) { return _mm512_set1_ps(v); }
static inline vf vfmadd(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
static inline vf vadd(vf a, vf b) { return _mm512_add_ps(a, b); }

#elif BV2J_TILE_BITS == 256

#define ISA(name) name##_avx2
#define VL 8
#define TILE_MR 6  /* 6 x 2 accumulators + 2 B rows + 1 broadcast of the 16 ymm registers */
typedef __m256 vf;
typedef __m256i vmask;            /* lane i active when its sign bit is set */

static inline vmask vmask_lanes(int64_t n) {
    const int k = n >= 8 ? 8 : n <= 0 ? 0 : (int) n;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(k), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
/* Masked lanes are neither read nor written, so panels at the end of a buffer never fault. */
static inline vf vload(const float *p) { return _mm256_loadu_ps(p); }
static inline vf vload_masked(vmask m, const float *p) { return _mm256_maskload_ps(p, m); }
static inline void vstore_masked(float *p, vmask m, vf v) { _mm256_maskstore_ps(p, m, v); }
static inline vf vzero(void) { return _mm256_setzero_ps(); }
static inline vf vbroadcast(float v) { return _mm256_set1_ps(v); }
static inline vf vfmadd(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }
static inline vf vadd(vf a, vf b) { return _mm256_add_ps(a, b); }

#else
#error "compile src/isa/ files with BV2J_TILE_BITS 512 or 256"
#endif

#endif
