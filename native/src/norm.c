/* Layer norm over channels of [B, C, T] (modules.LayerNorm: transpose, F.layer_norm, back). */
#include <math.h>
#include "internal.h"

int bv2j_layer_norm_channels(bv2j_ctx *ctx, const float *x, const float *gamma,
                             const float *beta, float *y, int64_t batch, int64_t channels,
                             int64_t time, float eps) {
    BV2J_CHECK(ctx && x && gamma && beta && y && batch >= 0 && channels > 0 && time >= 0);
#pragma omp parallel for collapse(2) num_threads(ctx->threads) schedule(static) if (batch * channels * time > 32768)
    for (int64_t b = 0; b < batch; b++)
        for (int64_t t = 0; t < time; t++) {
            const float *xc = x + b * channels * time + t;
            float *yc = y + b * channels * time + t;
            /* Double accumulation: the statistics of 512 channels stay exact to float rounding. */
            double sum = 0.0;
            for (int64_t c = 0; c < channels; c++) sum += xc[c * time];
            const double mean = sum / (double) channels;
            double var = 0.0;
            for (int64_t c = 0; c < channels; c++) {
                double d = xc[c * time] - mean;
                var += d * d;
            }
            const double inv = 1.0 / sqrt(var / (double) channels + (double) eps);
            for (int64_t c = 0; c < channels; c++)
                yc[c * time] = (float) ((xc[c * time] - mean) * inv) * gamma[c] + beta[c];
        }
    return BV2J_OK;
}
