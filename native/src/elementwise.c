/* Elementwise kernels: unary maps, broadcasting binary ops, strided copies, the WaveNet gate. */
#include <math.h>
#include "internal.h"
#include "gate_math.h"

static inline float unary(int op, float x, float p0, float p1) {
    switch (op) {
    case BV2J_RELU: return x > 0.0f ? x : 0.0f;
    case BV2J_LEAKY_RELU: return x > 0.0f ? x : x * p0;
    case BV2J_TANH: return tanhf(x);
    case BV2J_SIGMOID: return bv2j_sigmoidf(x);
    case BV2J_GELU: return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
    case BV2J_EXP: return expf(x);
    case BV2J_LOG: return logf(x);
    case BV2J_AFFINE: return p0 * x + p1;
    case BV2J_CEIL: return ceilf(x);
    case BV2J_SOFTPLUS: return x > 20.0f ? x : log1pf(expf(x)); /* torch's threshold 20 */
    case BV2J_CLAMP_MIN: return x > p0 ? x : p0;
    case BV2J_LOGSIGMOID: return x < 0.0f ? x - log1pf(expf(x)) : -log1pf(expf(-x));
    case BV2J_ABS: return fabsf(x);
    case BV2J_SQRT: return sqrtf(x);
    default: return NAN;
    }
}

int bv2j_unary(bv2j_ctx *ctx, int op, const float *x, float *y, int64_t n, float p0, float p1) {
    BV2J_CHECK(ctx && x && y && n >= 0 && op >= BV2J_RELU && op <= BV2J_SQRT);
    if (op == BV2J_LEAKY_RELU) {
        /* The decoder's hottest elementwise op: a loop of its own, which the compiler turns into a
         * branch-free select over vectors (the generic switch below stays scalar). */
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (n > 32768)
        for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : x[i] * p0;
        return BV2J_OK;
    }
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (n > 32768)
    for (int64_t i = 0; i < n; i++) y[i] = unary(op, x[i], p0, p1);
    return BV2J_OK;
}

static inline float binary(int op, float a, float b) {
    switch (op) {
    case BV2J_ADD: return a + b;
    case BV2J_SUB: return a - b;
    case BV2J_MUL: return a * b;
    default: return a / b;
    }
}

int bv2j_binary(bv2j_ctx *ctx, int op, const float *a, const int64_t *as, const float *b,
                const int64_t *bs, float *y, const int64_t *shape) {
    BV2J_CHECK(ctx && a && as && b && bs && y && shape && op >= BV2J_ADD && op <= BV2J_DIV);
    for (int d = 0; d < 4; d++) BV2J_CHECK(shape[d] >= 0);
    const int64_t n0 = shape[0], n1 = shape[1], n2 = shape[2], n3 = shape[3];
#pragma omp parallel for collapse(2) num_threads(ctx->threads) schedule(static) if (n0 * n1 * n2 * n3 > 32768)
    for (int64_t i0 = 0; i0 < n0; i0++)
        for (int64_t i1 = 0; i1 < n1; i1++)
            for (int64_t i2 = 0; i2 < n2; i2++) {
                const float *ar = a + i0 * as[0] + i1 * as[1] + i2 * as[2];
                const float *br = b + i0 * bs[0] + i1 * bs[1] + i2 * bs[2];
                float *yr = y + ((i0 * n1 + i1) * n2 + i2) * n3;
                if (as[3] == 1 && bs[3] == 1) {
                    for (int64_t i3 = 0; i3 < n3; i3++) yr[i3] = binary(op, ar[i3], br[i3]);
                } else {
                    for (int64_t i3 = 0; i3 < n3; i3++)
                        yr[i3] = binary(op, ar[i3 * as[3]], br[i3 * bs[3]]);
                }
            }
    return BV2J_OK;
}

int bv2j_copy_strided(bv2j_ctx *ctx, const float *x, const int64_t *xs, float *y,
                      const int64_t *shape) {
    BV2J_CHECK(ctx && x && xs && y && shape);
    for (int d = 0; d < 4; d++) BV2J_CHECK(shape[d] >= 0);
    const int64_t n0 = shape[0], n1 = shape[1], n2 = shape[2], n3 = shape[3];
#pragma omp parallel for collapse(2) num_threads(ctx->threads) schedule(static) if (n0 * n1 * n2 * n3 > 32768)
    for (int64_t i0 = 0; i0 < n0; i0++)
        for (int64_t i1 = 0; i1 < n1; i1++)
            for (int64_t i2 = 0; i2 < n2; i2++) {
                const float *xr = x + i0 * xs[0] + i1 * xs[1] + i2 * xs[2];
                float *yr = y + ((i0 * n1 + i1) * n2 + i2) * n3;
                for (int64_t i3 = 0; i3 < n3; i3++) yr[i3] = xr[i3 * xs[3]];
            }
    return BV2J_OK;
}

int bv2j_wn_gate(bv2j_ctx *ctx, const float *x_in, const float *g, int64_t g_batch_stride,
                 int64_t g_channel_stride, int64_t g_time_stride, float *out, int64_t batch,
                 int64_t hidden, int64_t time) {
    BV2J_CHECK(ctx && x_in && out && batch >= 0 && hidden > 0 && time >= 0);
    BV2J_CHECK(g_batch_stride >= 0 && g_channel_stride >= 0 && g_time_stride >= 0);
#pragma omp parallel for collapse(2) num_threads(ctx->threads) schedule(static) if (batch * hidden * time > 32768)
    for (int64_t b = 0; b < batch; b++)
        for (int64_t c = 0; c < hidden; c++) {
            const float *xa = x_in + (b * 2 * hidden + c) * time;
            const float *xb = xa + hidden * time;
            float *o = out + (b * hidden + c) * time;
            if (g == NULL) {
                for (int64_t t = 0; t < time; t++) o[t] = bv2j_gate(xa[t], xb[t]);
            } else {
                const float *ga = g + b * g_batch_stride + c * g_channel_stride;
                const float *gb = ga + hidden * g_channel_stride;
                for (int64_t t = 0; t < time; t++)
                    o[t] = bv2j_gate(xa[t] + ga[t * g_time_stride], xb[t] + gb[t * g_time_stride]);
            }
        }
    return BV2J_OK;
}
