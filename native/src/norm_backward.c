/* Gradient of the layer norm over channels (norm.c), with the forward's double statistics. */
#include <math.h>
#include "internal.h"

/* Per (b, t): mean and 1/sqrt(var + eps) over channels, exactly as the forward computes them. */
static void column_stats(const float *xc, int64_t channels, int64_t time, float eps,
                         double *mean, double *inv) {
    double sum = 0.0;
    for (int64_t c = 0; c < channels; c++) sum += xc[c * time];
    const double m = sum / (double) channels;
    double var = 0.0;
    for (int64_t c = 0; c < channels; c++) {
        double d = xc[c * time] - m;
        var += d * d;
    }
    *mean = m;
    *inv = 1.0 / sqrt(var / (double) channels + (double) eps);
}

/* dx = inv * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * gamma, xhat the normalized x. */
static void column_dx(const float *xc, const float *dyc, const float *gamma, float *dxc,
                      int64_t channels, int64_t time, double mean, double inv) {
    double sum_g = 0.0, sum_gx = 0.0;
    for (int64_t c = 0; c < channels; c++) {
        const double g = (double) dyc[c * time] * gamma[c];
        sum_g += g;
        sum_gx += g * (xc[c * time] - mean) * inv;
    }
    const double mean_g = sum_g / (double) channels, mean_gx = sum_gx / (double) channels;
    for (int64_t c = 0; c < channels; c++) {
        const double xhat = (xc[c * time] - mean) * inv;
        const double g = (double) dyc[c * time] * gamma[c];
        dxc[c * time] = (float) (inv * (g - mean_g - xhat * mean_gx));
    }
}

int bv2j_layer_norm_channels_backward(bv2j_ctx *ctx, const float *x, const float *gamma,
                                      const float *dy, float *dx, float *dgamma, float *dbeta,
                                      int64_t batch, int64_t channels, int64_t time, float eps) {
    BV2J_CHECK(ctx && x && gamma && dy && dx && dgamma && dbeta);
    BV2J_CHECK(batch >= 0 && channels > 0 && time >= 0);
    const int64_t cols = batch * time;
    /* The statistics are kept so the per-channel parameter sums (a second pass, parallel over
     * channels so they need no atomics) do not recompute them. */
    double *stats = bv2j_scratch(ctx, (size_t) (2 * (cols > 0 ? cols : 1)) * sizeof(double));
    if (stats == NULL) return BV2J_ENOMEM;
#pragma omp parallel for collapse(2) num_threads(ctx->threads) schedule(static) if (batch * channels * time > 32768)
    for (int64_t b = 0; b < batch; b++)
        for (int64_t t = 0; t < time; t++) {
            const int64_t off = b * channels * time + t;
            double *st = stats + 2 * (b * time + t);
            column_stats(x + off, channels, time, eps, &st[0], &st[1]);
            column_dx(x + off, dy + off, gamma, dx + off, channels, time, st[0], st[1]);
        }
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (batch * channels * time > 32768)
    for (int64_t c = 0; c < channels; c++) {
        double sg = 0.0, sb = 0.0;
        for (int64_t b = 0; b < batch; b++) {
            const float *xr = x + (b * channels + c) * time;
            const float *dyr = dy + (b * channels + c) * time;
            const double *st = stats + 2 * b * time;
            for (int64_t t = 0; t < time; t++) {
                sg += (double) dyr[t] * ((xr[t] - st[2 * t]) * st[2 * t + 1]);
                sb += dyr[t];
            }
        }
        dgamma[c] = (float) sg;
        dbeta[c] = (float) sb;
    }
    return BV2J_OK;
}
