/* Training-side kernels that are pure per-element or per-row arithmetic: weight norm and AdamW. */
#include <math.h>
#include "internal.h"
#include "bv2j_grad.h"

int bv2j_weight_norm(bv2j_ctx *ctx, const float *g, const float *v, float *w, double *norms, int64_t rows,
                     int64_t per_row) {
    BV2J_CHECK(ctx && g && v && w && norms && rows >= 0 && per_row >= 0);
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (rows * per_row > BV2J_PARALLEL_MIN)
    for (int64_t r = 0; r < rows; r++) {
        const float *vr = v + r * per_row;
        double sq = 0.0;
        for (int64_t j = 0; j < per_row; j++) sq += (double) vr[j] * vr[j];
        const double n = sqrt(sq);
        norms[r] = n;
        const double s = g[r] / n;
        float *wr = w + r * per_row;
        for (int64_t j = 0; j < per_row; j++) wr[j] = (float) (vr[j] * s);
    }
    return BV2J_OK;
}

int bv2j_weight_norm_backward(bv2j_ctx *ctx, const float *g, const float *v, const double *norms,
                              const float *dw, float *dg, float *dv, int64_t rows, int64_t per_row) {
    BV2J_CHECK(ctx && g && v && norms && dw && dg && dv && rows >= 0 && per_row >= 0);
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (rows * per_row > BV2J_PARALLEL_MIN)
    for (int64_t r = 0; r < rows; r++) {
        const float *vr = v + r * per_row, *dwr = dw + r * per_row;
        double dot = 0.0;
        for (int64_t j = 0; j < per_row; j++) dot += (double) dwr[j] * vr[j];
        const double n = norms[r], scale = g[r] / n, proj = dot / (n * n);
        dg[r] = (float) (dot / n);
        float *dvr = dv + r * per_row;
        for (int64_t j = 0; j < per_row; j++) dvr[j] = (float) (scale * (dwr[j] - proj * vr[j]));
    }
    return BV2J_OK;
}

int bv2j_adamw_step(bv2j_ctx *ctx, float *p, const float *grad, float *exp_avg, float *exp_avg_sq, int64_t n,
                    double lr, double beta1, double beta2, double eps, double weight_decay, int64_t step) {
    BV2J_CHECK(ctx && p && grad && exp_avg && exp_avg_sq && n >= 0 && step >= 1);
    const double bc1 = 1.0 - pow(beta1, (double) step), bc2_sqrt = sqrt(1.0 - pow(beta2, (double) step));
    const double step_size = lr / bc1, decay = 1.0 - lr * weight_decay;
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (n > BV2J_PARALLEL_MIN)
    for (int64_t i = 0; i < n; i++) {
        const double gi = grad[i];
        const double m = beta1 * exp_avg[i] + (1.0 - beta1) * gi;
        const double s = beta2 * exp_avg_sq[i] + (1.0 - beta2) * gi * gi;
        exp_avg[i] = (float) m;
        exp_avg_sq[i] = (float) s;
        p[i] = (float) (p[i] * decay - step_size * m / (sqrt(s) / bc2_sqrt + eps));
    }
    return BV2J_OK;
}
