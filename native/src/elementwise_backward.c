/* Gradients of the elementwise kernels (elementwise.c): unary maps, broadcasts (reduce_sum_to),
 * strided copies (scatter_add_strided) and the WaveNet gate. */
#include <math.h>
#include "internal.h"
#include "gate_math.h"

/* Work below this many elements runs on one thread (the forward kernels' threshold). */
#define PARALLEL_MIN 32768

/* dy * op'(x), using y = op(x) where that is cheaper, in torch's conventions at the kinks. */
static inline float unary_grad(int op, float x, float y, float dy, float p0) {
    switch (op) {
    case BV2J_RELU: return x > 0.0f ? dy : 0.0f;
    case BV2J_LEAKY_RELU: return x > 0.0f ? dy : dy * p0;
    case BV2J_TANH: return dy * (1.0f - y * y);
    case BV2J_SIGMOID: return dy * (y * (1.0f - y));
    case BV2J_GELU: {
        const float cdf = 0.5f * (1.0f + erff(x * 0.70710678118654752f));
        const float pdf = 0.39894228040143268f * expf(-0.5f * x * x);
        return dy * (cdf + x * pdf);
    }
    case BV2J_EXP: return dy * y;
    case BV2J_LOG: return dy / x;
    case BV2J_AFFINE: return dy * p0;
    case BV2J_CEIL: return 0.0f;
    case BV2J_SOFTPLUS: return x > 20.0f ? dy : dy * bv2j_sigmoidf(x);
    case BV2J_CLAMP_MIN: return x >= p0 ? dy : 0.0f;
    /* d/dx log(sigmoid(x)) = sigmoid(-x), which bv2j_sigmoidf evaluates without overflow. */
    case BV2J_LOGSIGMOID: return dy * bv2j_sigmoidf(-x);
    case BV2J_ABS: return x > 0.0f ? dy : (x < 0.0f ? -dy : 0.0f);
    case BV2J_SQRT: return dy * (0.5f / y);
    default: return NAN;
    }
}

int bv2j_unary_backward(bv2j_ctx *ctx, int op, const float *x, const float *y, const float *dy,
                        float *dx, int64_t n, float p0, float p1) {
    BV2J_CHECK(ctx && x && y && dy && dx && n >= 0 && op >= BV2J_RELU && op <= BV2J_SQRT);
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (n > PARALLEL_MIN)
    for (int64_t i = 0; i < n; i++) dx[i] = unary_grad(op, x[i], y[i], dy[i], p0);
    return BV2J_OK;
}

int bv2j_reduce_sum_to(bv2j_ctx *ctx, const float *x, const int64_t *x_shape, float *y,
                       const int64_t *y_shape) {
    BV2J_CHECK(ctx && x && x_shape && y && y_shape);
    int64_t reduced[4], n_y = 1;
    for (int d = 0; d < 4; d++) {
        BV2J_CHECK(x_shape[d] >= 0 && y_shape[d] >= 0);
        BV2J_CHECK(y_shape[d] == x_shape[d] || y_shape[d] == 1);
        reduced[d] = y_shape[d] == x_shape[d] ? 1 : x_shape[d];
        n_y *= y_shape[d];
    }
    const int64_t xs[4] = {x_shape[1] * x_shape[2] * x_shape[3], x_shape[2] * x_shape[3],
                           x_shape[3], 1};
    const int64_t n_x = x_shape[0] * xs[0];
    /* One output per iteration, summed in double: no races and no order dependence. */
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (n_x > PARALLEL_MIN)
    for (int64_t j = 0; j < n_y; j++) {
        const int64_t j3 = j % y_shape[3], j2 = j / y_shape[3] % y_shape[2];
        const int64_t j1 = j / (y_shape[3] * y_shape[2]) % y_shape[1];
        const int64_t j0 = j / (y_shape[3] * y_shape[2] * y_shape[1]);
        const float *base = x + j0 * xs[0] + j1 * xs[1] + j2 * xs[2] + j3;
        double acc = 0.0;
        for (int64_t r0 = 0; r0 < reduced[0]; r0++)
            for (int64_t r1 = 0; r1 < reduced[1]; r1++)
                for (int64_t r2 = 0; r2 < reduced[2]; r2++) {
                    const float *row = base + r0 * xs[0] + r1 * xs[1] + r2 * xs[2];
                    for (int64_t r3 = 0; r3 < reduced[3]; r3++) acc += row[r3];
                }
        y[j] = (float) acc;
    }
    return BV2J_OK;
}

/* Whether i -> sum_d i_d * stride_d is one-to-one over the index box `extent` (sufficient
 * test: sorted by |stride|, each stride exceeds the span of all smaller ones). False for any
 * 0 stride over an extent > 1, i.e. a broadcast. */
static int strides_injective(const int64_t *extent, const int64_t *stride, int dims) {
    int64_t s[4], e[4];
    int m = 0;
    for (int d = 0; d < dims; d++) {
        if (extent[d] <= 1) continue;
        const int64_t a = stride[d] < 0 ? -stride[d] : stride[d];
        int i = m++;
        for (; i > 0 && s[i - 1] > a; i--) {
            s[i] = s[i - 1];
            e[i] = e[i - 1];
        }
        s[i] = a;
        e[i] = extent[d];
    }
    int64_t span = 0;
    for (int i = 0; i < m; i++) {
        if (s[i] <= span) return 0;
        span += s[i] * (e[i] - 1);
    }
    return 1;
}

int bv2j_scatter_add_strided(bv2j_ctx *ctx, const float *dy, float *y, const int64_t *ys,
                             const int64_t *shape) {
    BV2J_CHECK(ctx && dy && y && ys && shape);
    for (int d = 0; d < 4; d++) BV2J_CHECK(shape[d] >= 0);
    const int64_t n0 = shape[0], n1 = shape[1], n2 = shape[2], n3 = shape[3];
    /* Threads may only split the work when no two indices add into the same element. */
    const int parallel = strides_injective(shape, ys, 4) && n0 * n1 * n2 * n3 > PARALLEL_MIN;
#pragma omp parallel for collapse(2) num_threads(ctx->threads) schedule(static) if (parallel)
    for (int64_t i0 = 0; i0 < n0; i0++)
        for (int64_t i1 = 0; i1 < n1; i1++)
            for (int64_t i2 = 0; i2 < n2; i2++) {
                float *yr = y + i0 * ys[0] + i1 * ys[1] + i2 * ys[2];
                const float *dr = dy + ((i0 * n1 + i1) * n2 + i2) * n3;
                for (int64_t i3 = 0; i3 < n3; i3++) yr[i3 * ys[3]] += dr[i3];
            }
    return BV2J_OK;
}

/* One (batch, channel) row of the gate: dx for both halves, and dg accumulated (summed locally
 * first when g is broadcast over time, so each dg element gets one add per row). */
static void gate_row_backward(const float *xa, const float *xb, const float *ga,
                              const float *gb, int64_t g_time_stride, const float *dout,
                              float *dxa, float *dxb, float *dga, float *dgb, int64_t time) {
    double sum_a = 0.0, sum_b = 0.0;
    for (int64_t t = 0; t < time; t++) {
        const int64_t gi = t * g_time_stride;
        const float a = xa[t] + (ga ? ga[gi] : 0.0f), b = xb[t] + (gb ? gb[gi] : 0.0f);
        float da, db;
        bv2j_gate_grad(a, b, dout[t], &da, &db);
        dxa[t] = da;
        dxb[t] = db;
        if (dga == NULL) continue;
        if (g_time_stride == 0) {
            sum_a += da;
            sum_b += db;
        } else {
            dga[gi] += da;
            dgb[gi] += db;
        }
    }
    if (dga != NULL && g_time_stride == 0) {
        dga[0] += (float) sum_a;
        dgb[0] += (float) sum_b;
    }
}

int bv2j_wn_gate_backward(bv2j_ctx *ctx, const float *x_in, const float *g, int64_t g_batch_stride,
                          int64_t g_channel_stride, int64_t g_time_stride, const float *dout,
                          float *dx_in, float *dg, int64_t batch, int64_t hidden, int64_t time) {
    BV2J_CHECK(ctx && x_in && dout && dx_in && batch >= 0 && hidden > 0 && time >= 0);
    BV2J_CHECK(g_batch_stride >= 0 && g_channel_stride >= 0 && g_time_stride >= 0);
    BV2J_CHECK(dg == NULL || g != NULL);
    /* Rows run in parallel only if no two of them add into the same dg element: a time-broadcast
     * g is summed within its row, so then only (batch, channel) must map one-to-one. */
    const int64_t extent[3] = {batch, 2 * hidden, time};
    const int64_t stride[3] = {g_batch_stride, g_channel_stride, g_time_stride};
    const int disjoint = dg == NULL || strides_injective(extent, stride, g_time_stride ? 3 : 2);
    const int parallel = disjoint && batch * hidden * time > PARALLEL_MIN;
#pragma omp parallel for collapse(2) num_threads(ctx->threads) schedule(static) if (parallel)
    for (int64_t b = 0; b < batch; b++)
        for (int64_t c = 0; c < hidden; c++) {
            const int64_t xa = (b * 2 * hidden + c) * time, xb = xa + hidden * time;
            const int64_t ga = b * g_batch_stride + c * g_channel_stride;
            const int64_t gb = ga + hidden * g_channel_stride;
            gate_row_backward(x_in + xa, x_in + xb, g ? g + ga : NULL, g ? g + gb : NULL,
                              g_time_stride, dout + (b * hidden + c) * time, dx_in + xa,
                              dx_in + xb, dg ? dg + ga : NULL, dg ? dg + gb : NULL, time);
        }
    return BV2J_OK;
}
