/* Shared by the CPU kernel files: the context layout and the BLAS entry points. */
#ifndef BV2J_INTERNAL_H
#define BV2J_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include "bv2j.h"

/* cblas_sgemm as OpenBLAS exports it (LP64 build: int dims). Declared here rather than
 * including cblas.h so the build needs no BLAS headers. */
typedef void (*bv2j_sgemm_fn)(int order, int trans_a, int trans_b, int m, int n, int k,
                              float alpha, const float *a, int lda, const float *b, int ldb,
                              float beta, float *c, int ldc);
typedef void (*bv2j_set_threads_fn)(int threads);

enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112 };

struct bv2j_ctx {
    bv2j_sgemm_fn sgemm;
    bv2j_set_threads_fn blas_set_threads;
    int threads;
    int winograd; /* bv2j_conv1d_fused may use Winograd (BV2J_WINOGRAD != "0") */
    int isa;      /* BV2J_ISA_AVX2 or BV2J_ISA_AVX512: which copy of the src/isa/ kernels runs */
    int own_gemm; /* BV2J_OWN_GEMM != "0": stride-1 convolutions run as bv2j_conv1d_direct,
                   * Winograd's and attention's products on its register tiles */
    void *scratch;
    size_t scratch_bytes;
};

/* Scratch owned by the context, grown on demand, never shrunk until the context dies. NULL when
 * the allocation fails. Only one scratch region is live per kernel call. */
void *bv2j_scratch(bv2j_ctx *ctx, size_t bytes);

/* Row-major C = alpha op(A) op(B) + beta C with 64-bit sizes checked against BLAS's int. */
int bv2j_gemm(bv2j_ctx *ctx, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
              float alpha, const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
              float *c, int64_t ldc);

/* Declares name_avx512 and name_avx2 (the two copies of a src/isa/ function) with one prototype. */
#define BV2J_PER_ISA(ret, name, params) ret name##_avx512 params; ret name##_avx2 params;

/* C[m, n] = A[m, k] B[k, n] (+ C when accumulate), A and C row-major, row r of B starting at
 * b + row_off[r]; on the calling thread, in register tiles that read A and B in place
 * (isa/conv_direct.c). bv2j_gemm_tiles is the same with B row-major (row r at b + r*ldb). */
BV2J_PER_ISA(void, bv2j_gemm_tiles_rows, (int64_t m, int64_t n, int64_t k, const float *a,
             int64_t lda, const float *b, const int64_t *row_off, float *c, int64_t ldc,
             int accumulate))
BV2J_PER_ISA(void, bv2j_gemm_tiles, (int64_t m, int64_t n, int64_t k, const float *a, int64_t lda,
             const float *b, int64_t ldb, float *c, int64_t ldc, int accumulate))
/* The context's copy of bv2j_gemm_tiles (isa.c). */
void bv2j_gemm_tiles(const bv2j_ctx *ctx, int64_t m, int64_t n, int64_t k, const float *a,
                     int64_t lda, const float *b, int64_t ldb, float *c, int64_t ldc, int accumulate);
#define BV2J_CONV_PARAMS (bv2j_ctx *ctx, const float *x, const float *w, const float *bias, \
        const float *residual, float *y, int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out, \
        int64_t t_out, int64_t kernel, int64_t pad_left, int64_t dilation, int in_act, float in_slope)
BV2J_PER_ISA(int, bv2j_conv1d_direct, BV2J_CONV_PARAMS)
BV2J_PER_ISA(int, bv2j_conv1d_winograd, BV2J_CONV_PARAMS)

/* cols[r = ci*K + k, t] = x[ci, (t0 + t)*stride + k*dilation - pad] (0 outside), for output
 * columns t0 .. t0+n-1 of a [channels, t_in] input; also serves conv_transpose (dilation 1, dy as x). */
void bv2j_im2col_1d(const float *x, float *cols, int64_t channels, int64_t t_in, int64_t kernel,
                    int64_t stride, int64_t pad, int64_t dilation, int64_t t0, int64_t n,
                    int threads);

/* db[c] = sum over batch and time of dy[b, c, t] (conv backward's bias gradient); db may be NULL. */
void bv2j_bias_grad(const float *dy, float *db, int64_t batch, int64_t c, int64_t t, int threads);

/* floor(a / b) for b > 0 and any sign of a (C division truncates toward zero). */
static inline int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

static inline int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

/* The q in [q_lo, q_hi) whose target q*stride + off lies in [lo, hi), as [*first, *end): lets a
 * scatter visit only the sources that land in the slice of the output a thread owns. */
static inline void source_range(int64_t lo, int64_t hi, int64_t stride, int64_t off, int64_t q_lo,
                         int64_t q_hi, int64_t *first, int64_t *end) {
    int64_t a = ceil_div(lo - off, stride), e = ceil_div(hi - off, stride);
    *first = a > q_lo ? a : q_lo;
    *end = e < q_hi ? e : q_hi;
    if (*end < *first) *end = *first;
}

/* Below this many element operations a loop runs on the calling thread: waking a team costs more
 * than it saves, and on a loaded machine idle OpenMP workers spinning for it cost far more. */
#define BV2J_PARALLEL_MIN 32768

#define BV2J_CHECK(cond) do { if (!(cond)) return BV2J_EINVAL; } while (0)
#define BV2J_FITS_INT(v) ((v) >= 0 && (v) <= INT_MAX)

#endif
