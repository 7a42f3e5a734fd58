/* Gradient of bv2j_rq_spline (spline.c), element by element (spline_grad_math.h). */
#include "internal.h"
#include "spline_grad_math.h"

int bv2j_rq_spline_backward(bv2j_ctx *ctx, const float *x, const float *h, const float *dy,
                            const float *dlogabsdet, float *dx, float *dh, int64_t batch,
                            int64_t channels, int64_t time, int64_t bins, float tail_bound,
                            float param_scale, int inverse) {
    BV2J_CHECK(ctx && x && h && dx && dh);
    BV2J_CHECK(batch >= 0 && channels > 0 && time >= 0);
    BV2J_CHECK(bins >= 1 && bins <= BV2J_SPLINE_MAX_BINS && tail_bound > 0.0f && param_scale > 0.0f);
    const int64_t per = 3 * bins - 1;
#pragma omp parallel for collapse(2) num_threads(ctx->threads) schedule(static) if (batch * channels * time > 4096)
    for (int64_t b = 0; b < batch; b++)
        for (int64_t c = 0; c < channels; c++)
            for (int64_t t = 0; t < time; t++) {
                const int64_t i = (b * channels + c) * time + t;
                const int64_t first = (b * channels + c) * per * time + t; /* h[b, c*per, t] */
                bv2j_rq_spline_one_backward(x[i], h + first, (long) time, (int) bins, tail_bound, param_scale,
                                            inverse, dy ? dy[i] : 0.0, dlogabsdet ? dlogabsdet[i] : 0.0,
                                            dx + i, dh + first);
            }
    return BV2J_OK;
}
