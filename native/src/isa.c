/* The instruction set a context's kernels run on, and the entry points of the kernels compiled
 * once per instruction set (src/isa/), each forwarding to the context's copy. */
#include "internal.h"

int bv2j_cpu_isa(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? BV2J_ISA_AVX512 : BV2J_ISA_AVX2;
}

int bv2j_set_isa(bv2j_ctx *ctx, int isa) {
    BV2J_CHECK(ctx != NULL && (isa == BV2J_ISA_AVX2 || isa == BV2J_ISA_AVX512));
    BV2J_CHECK(isa == BV2J_ISA_AVX2 || bv2j_cpu_isa() == BV2J_ISA_AVX512);
    ctx->isa = isa;
    return BV2J_OK;
}

int bv2j_get_isa(const bv2j_ctx *ctx) { return ctx ? ctx->isa : 0; }

int bv2j_conv1d_direct BV2J_CONV_PARAMS {
    BV2J_CHECK(ctx);
    return (ctx->isa == BV2J_ISA_AVX512 ? bv2j_conv1d_direct_avx512 : bv2j_conv1d_direct_avx2)(
        ctx, x, w, bias, residual, y, batch, c_in, t_in, c_out, t_out, kernel, pad_left, dilation,
        in_act, in_slope);
}

int bv2j_conv1d_winograd BV2J_CONV_PARAMS {
    BV2J_CHECK(ctx);
    return (ctx->isa == BV2J_ISA_AVX512 ? bv2j_conv1d_winograd_avx512 : bv2j_conv1d_winograd_avx2)(
        ctx, x, w, bias, residual, y, batch, c_in, t_in, c_out, t_out, kernel, pad_left, dilation,
        in_act, in_slope);
}

void bv2j_gemm_tiles(const bv2j_ctx *ctx, int64_t m, int64_t n, int64_t k, const float *a,
                     int64_t lda, const float *b, int64_t ldb, float *c, int64_t ldc, int accumulate) {
    (ctx->isa == BV2J_ISA_AVX512 ? bv2j_gemm_tiles_avx512 : bv2j_gemm_tiles_avx2)(
        m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}
