/* GEMM through OpenBLAS (row-major), parallelised by us rather than by OpenBLAS.
 *
 * OpenBLAS's pthreads build keeps its own worker pool, and each worker busy-waits (rdtsc loop)
 * for about 2^28 cycles after every call. Our element-wise and im2col loops run on OpenMP's pool
 * between GEMMs, so on a 2-core machine the two pools fought for the cores: profiles of a
 * training step showed 28% of all cycles in OpenBLAS's idle spin. OpenBLAS therefore runs
 * single-threaded (ctx.c) and a large GEMM is split here into column (or row) blocks, one
 * single-threaded sgemm per OpenMP thread. Every output element is still reduced over k by one
 * sgemm call (OpenBLAS may still pick another micro-kernel for a narrower slice, which can move
 * the last bit). */
#include <omp.h>
#include "internal.h"

/* Below this many multiply-adds one thread does the whole product. */
#define GEMM_PARALLEL_MIN (1 << 20)
/* Column blocks stay multiples of the widest SGEMM micro-kernel (16 floats for AVX-512). */
#define GEMM_COL_ALIGN 16

static void sgemm_serial(const bv2j_ctx *ctx, int trans_a, int trans_b, int64_t m, int64_t n,
                         int64_t k, float alpha, const float *a, int64_t lda, const float *b,
                         int64_t ldb, float beta, float *c, int64_t ldc) {
    ctx->sgemm(CBLAS_ROW_MAJOR, trans_a ? CBLAS_TRANS : CBLAS_NO_TRANS,
               trans_b ? CBLAS_TRANS : CBLAS_NO_TRANS, (int) m, (int) n, (int) k, alpha, a,
               (int) (lda > 0 ? lda : 1), b, (int) (ldb > 0 ? ldb : 1), beta, c,
               (int) (ldc > 0 ? ldc : 1));
}

int bv2j_gemm(bv2j_ctx *ctx, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
              float alpha, const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
              float *c, int64_t ldc) {
    BV2J_CHECK(BV2J_FITS_INT(m) && BV2J_FITS_INT(n) && BV2J_FITS_INT(k));
    BV2J_CHECK(BV2J_FITS_INT(lda) && BV2J_FITS_INT(ldb) && BV2J_FITS_INT(ldc));
    if (m == 0 || n == 0) return BV2J_OK;
    const int threads = ctx->threads;
    if (threads <= 1 || m * n * (k > 0 ? k : 1) < GEMM_PARALLEL_MIN || omp_in_parallel()) {
        sgemm_serial(ctx, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return BV2J_OK;
    }
    /* Split the wider output dimension: columns (B's and C's) when there are enough of them. */
    const int by_cols = n >= (int64_t) threads * GEMM_COL_ALIGN && n >= m / 4;
#pragma omp parallel num_threads(threads)
    {
        const int nt = omp_get_num_threads(), id = omp_get_thread_num();
        if (by_cols) {
            int64_t per = (n + nt - 1) / nt;
            per = (per + GEMM_COL_ALIGN - 1) / GEMM_COL_ALIGN * GEMM_COL_ALIGN;
            const int64_t j0 = id * per, j1 = j0 + per < n ? j0 + per : n;
            if (j0 < j1) {
                /* Column j of op(B) starts at b + j (no transpose) or row j of B (transposed). */
                const float *bj = trans_b ? b + j0 * ldb : b + j0;
                sgemm_serial(ctx, trans_a, trans_b, m, j1 - j0, k, alpha, a, lda, bj, ldb, beta,
                             c + j0, ldc);
            }
        } else {
            const int64_t per = (m + nt - 1) / nt;
            const int64_t i0 = id * per, i1 = i0 + per < m ? i0 + per : m;
            if (i0 < i1) {
                /* Row i of op(A) starts at row i of A (no transpose) or column i (transposed). */
                const float *ai = trans_a ? a + i0 : a + i0 * lda;
                sgemm_serial(ctx, trans_a, trans_b, i1 - i0, n, k, alpha, ai, lda, b, ldb, beta,
                             c + i0 * ldc, ldc);
            }
        }
    }
    return BV2J_OK;
}

int bv2j_sgemm_batched(bv2j_ctx *ctx, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                       float alpha, const float *a, int64_t lda, int64_t stride_a,
                       const float *b, int64_t ldb, int64_t stride_b, float beta,
                       float *c, int64_t ldc, int64_t stride_c, int64_t batch) {
    BV2J_CHECK(ctx && a && b && c && batch >= 0 && stride_a >= 0 && stride_b >= 0 && stride_c >= 0);
    BV2J_CHECK(BV2J_FITS_INT(m) && BV2J_FITS_INT(n) && BV2J_FITS_INT(k));
    BV2J_CHECK(BV2J_FITS_INT(lda) && BV2J_FITS_INT(ldb) && BV2J_FITS_INT(ldc));
    /* Many small products (attention heads, batch rows): one product per thread. */
    if (ctx->threads > 1 && batch >= ctx->threads && m * n * (k > 0 ? k : 1) < GEMM_PARALLEL_MIN
        && !omp_in_parallel()) {
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (batch * m * n * (k > 0 ? k : 1) > GEMM_PARALLEL_MIN)
        for (int64_t i = 0; i < batch; i++) {
            if (m > 0 && n > 0)
                sgemm_serial(ctx, trans_a, trans_b, m, n, k, alpha, a + i * stride_a, lda,
                             b + i * stride_b, ldb, beta, c + i * stride_c, ldc);
        }
        return BV2J_OK;
    }
    for (int64_t i = 0; i < batch; i++) {
        int rc = bv2j_gemm(ctx, trans_a, trans_b, m, n, k, alpha, a + i * stride_a, lda,
                           b + i * stride_b, ldb, beta, c + i * stride_c, ldc);
        if (rc) return rc;
    }
    return BV2J_OK;
}
