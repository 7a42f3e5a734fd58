/* Rational-quadratic spline over a [B, C, T] tensor (ConvFlow's coupling transform). */
#include "internal.h"
#include "spline_math.h"

int bv2j_rq_spline(bv2j_ctx *ctx, const float *x, const float *h, float *y, float *logabsdet,
                   int64_t batch, int64_t channels, int64_t time, int64_t bins,
                   float tail_bound, float param_scale, int inverse) {
    BV2J_CHECK(ctx && x && h && y && logabsdet);
    BV2J_CHECK(batch >= 0 && channels > 0 && time >= 0);
    BV2J_CHECK(bins >= 1 && bins <= BV2J_SPLINE_MAX_BINS && tail_bound > 0.0f && param_scale > 0.0f);
    const int64_t per = 3 * bins - 1;
#pragma omp parallel for collapse(2) num_threads(ctx->threads) schedule(static) if (batch * channels * time > 4096)
    for (int64_t b = 0; b < batch; b++)
        for (int64_t c = 0; c < channels; c++)
            for (int64_t t = 0; t < time; t++) {
                const int64_t i = (b * channels + c) * time + t;
                const float *raw = h + (b * channels + c) * per * time + t;
                double out, lad;
                bv2j_rq_spline_one(x[i], raw, (long) time, (int) bins, tail_bound, param_scale,
                                   inverse, &out, &lad);
                y[i] = (float) out;
                logabsdet[i] = (float) lad;
            }
    return BV2J_OK;
}
