/* GEMM through OpenBLAS (row-major). */
#include "internal.h"

int bv2j_gemm(bv2j_ctx *ctx, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
              float alpha, const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
              float *c, int64_t ldc) {
    BV2J_CHECK(BV2J_FITS_INT(m) && BV2J_FITS_INT(n) && BV2J_FITS_INT(k));
    BV2J_CHECK(BV2J_FITS_INT(lda) && BV2J_FITS_INT(ldb) && BV2J_FITS_INT(ldc));
    if (m == 0 || n == 0) return BV2J_OK;
    ctx->sgemm(CBLAS_ROW_MAJOR, trans_a ? CBLAS_TRANS : CBLAS_NO_TRANS,
               trans_b ? CBLAS_TRANS : CBLAS_NO_TRANS, (int) m, (int) n, (int) k, alpha, a,
               (int) (lda > 0 ? lda : 1), b, (int) (ldb > 0 ? ldb : 1), beta, c,
               (int) (ldc > 0 ? ldc : 1));
    return BV2J_OK;
}

int bv2j_sgemm_batched(bv2j_ctx *ctx, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                       float alpha, const float *a, int64_t lda, int64_t stride_a,
                       const float *b, int64_t ldb, int64_t stride_b, float beta,
                       float *c, int64_t ldc, int64_t stride_c, int64_t batch) {
    BV2J_CHECK(ctx && a && b && c && batch >= 0 && stride_a >= 0 && stride_b >= 0 && stride_c >= 0);
    for (int64_t i = 0; i < batch; i++) {
        int rc = bv2j_gemm(ctx, trans_a, trans_b, m, n, k, alpha, a + i * stride_a, lda,
                           b + i * stride_b, ldb, beta, c + i * stride_c, ldc);
        if (rc) return rc;
    }
    return BV2J_OK;
}
