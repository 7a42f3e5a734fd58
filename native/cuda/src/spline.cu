/* The rational-quadratic spline of ConvFlow, forward and backward: one thread per element,
 * through the same per-element functions as the CPU kernels (spline_math.h,
 * spline_grad_math.h), in double like them. */
#include "internal.cuh"
#include "spline_grad_math.h"

__global__ static void spline_forward(const float *x, const float *h, float *y, float *logabsdet,
                                      int64_t batch, int64_t channels, int64_t time, int bins,
                                      float bound, float scale, int inverse) {
    const int64_t i = blockIdx.x * (int64_t) blockDim.x + threadIdx.x;
    if (i >= batch * channels * time) return;
    const int64_t t = i % time, bc = i / time;
    const float *raw = h + bc * (3 * bins - 1) * time + t;  /* h[b, c*per, t] */
    double out, lad;
    bv2j_rq_spline_one(x[i], raw, (long) time, bins, bound, scale, inverse, &out, &lad);
    y[i] = (float) out;
    logabsdet[i] = (float) lad;
}

__global__ static void spline_backward(const float *x, const float *h, const float *dy,
                                       const float *dlogabsdet, float *dx, float *dh, int64_t batch,
                                       int64_t channels, int64_t time, int bins, float bound,
                                       float scale, int inverse) {
    const int64_t i = blockIdx.x * (int64_t) blockDim.x + threadIdx.x;
    if (i >= batch * channels * time) return;
    const int64_t t = i % time, bc = i / time;
    const int64_t first = bc * (3 * bins - 1) * time + t;
    bv2j_rq_spline_one_backward(x[i], h + first, (long) time, bins, bound, scale, inverse,
                                dy ? dy[i] : 0.0, dlogabsdet ? dlogabsdet[i] : 0.0, dx + i, dh + first);
}

static int spline_args_ok(bv2j_ctx *ctx, int64_t batch, int64_t channels, int64_t time, int64_t bins,
                          float tail_bound, float param_scale) {
    return ctx && batch >= 0 && channels > 0 && time >= 0 && bins >= 1 && bins <= BV2J_SPLINE_MAX_BINS
           && tail_bound > 0.0f && param_scale > 0.0f;
}

extern "C" int bv2j_rq_spline(bv2j_ctx *ctx, const float *x, const float *h, float *y, float *logabsdet,
                              int64_t batch, int64_t channels, int64_t time, int64_t bins,
                              float tail_bound, float param_scale, int inverse) {
    BV2J_CHECK(x && h && y && logabsdet);
    BV2J_CHECK(spline_args_ok(ctx, batch, channels, time, bins, tail_bound, param_scale));
    const int64_t n = batch * channels * time;
    if (n == 0) return BV2J_OK_;
    /* 128 threads: each holds ~2 KB of knots in local memory */
    spline_forward<<<bv2j_blocks(n, 128), 128, 0, ctx->stream>>>(x, h, y, logabsdet, batch, channels, time,
                                                                   (int) bins, tail_bound, param_scale, inverse);
    BV2J_LAUNCHED();
    return BV2J_OK_;
}

extern "C" int bv2j_rq_spline_backward(bv2j_ctx *ctx, const float *x, const float *h, const float *dy,
                                       const float *dlogabsdet, float *dx, float *dh, int64_t batch,
                                       int64_t channels, int64_t time, int64_t bins, float tail_bound,
                                       float param_scale, int inverse) {
    BV2J_CHECK(x && h && dx && dh);
    BV2J_CHECK(spline_args_ok(ctx, batch, channels, time, bins, tail_bound, param_scale));
    const int64_t n = batch * channels * time;
    if (n == 0) return BV2J_OK_;
    spline_backward<<<bv2j_blocks(n, 128), 128, 0, ctx->stream>>>(x, h, dy, dlogabsdet, dx, dh, batch, channels,
                                                                    time, (int) bins, tail_bound, param_scale,
                                                                    inverse);
    BV2J_LAUNCHED();
    return BV2J_OK_;
}
