/* WaveNet's fused add-tanh-sigmoid-multiply, forward and backward (gate_math.h, shared with the
 * CPU kernels in elementwise.c / elementwise_backward.c). */
#include "internal.cuh"
#include "gate_math.h"

/* One thread per output element (b, c, t); x_in [B, 2H, T], g strided (or absent). */
__global__ static void gate_forward(const float *x_in, const float *g, int64_t gbs, int64_t gcs,
                                    int64_t gts, float *out, int64_t batch, int64_t hidden, int64_t time) {
    const int64_t i = blockIdx.x * (int64_t) blockDim.x + threadIdx.x;
    if (i >= batch * hidden * time) return;
    const int64_t t = i % time, c = (i / time) % hidden, b = i / (time * hidden);
    const int64_t xa = (b * 2 * hidden + c) * time + t, xb = xa + hidden * time;
    float a = x_in[xa], s = x_in[xb];
    if (g != NULL) {
        const int64_t ga = b * gbs + c * gcs + t * gts;
        a += g[ga];
        s += g[ga + hidden * gcs];
    }
    out[i] = bv2j_gate(a, s);
}

extern "C" int bv2j_wn_gate(bv2j_ctx *ctx, const float *x_in, const float *g, int64_t g_batch_stride,
                            int64_t g_channel_stride, int64_t g_time_stride, float *out, int64_t batch,
                            int64_t hidden, int64_t time) {
    BV2J_CHECK(ctx && x_in && out && batch >= 0 && hidden > 0 && time >= 0);
    BV2J_CHECK(g_batch_stride >= 0 && g_channel_stride >= 0 && g_time_stride >= 0);
    const int64_t n = batch * hidden * time;
    if (n == 0) return BV2J_OK_;
    gate_forward<<<bv2j_blocks(n, 256), 256, 0, ctx->stream>>>(x_in, g, g_batch_stride, g_channel_stride,
                                                                 g_time_stride, out, batch, hidden, time);
    BV2J_LAUNCHED();
    return BV2J_OK_;
}

/* One block per (b, c) row. dx is written; dg accumulates: element-wise where g varies in time,
 * otherwise the row's sum (in double, like the CPU kernel) is added once. */
__global__ static void gate_backward(const float *x_in, const float *g, int64_t gbs, int64_t gcs,
                                     int64_t gts, const float *dout, float *dx_in, float *dg,
                                     int64_t hidden, int64_t time) {
    __shared__ double sum_a[256], sum_b[256];
    const int64_t b = blockIdx.x / hidden, c = blockIdx.x % hidden;
    const int64_t xa = (b * 2 * hidden + c) * time, xb = xa + hidden * time;
    const int64_t ga = b * gbs + c * gcs, gb = ga + hidden * gcs;
    double la = 0.0, lb = 0.0;
    for (int64_t t = threadIdx.x; t < time; t += blockDim.x) {
        const float a = x_in[xa + t] + (g ? g[ga + t * gts] : 0.0f);
        const float s = x_in[xb + t] + (g ? g[gb + t * gts] : 0.0f);
        float da, db;
        bv2j_gate_grad(a, s, dout[(b * hidden + c) * time + t], &da, &db);
        dx_in[xa + t] = da;
        dx_in[xb + t] = db;
        if (dg == NULL) continue;
        if (gts == 0) {
            la += da;
            lb += db;
        } else {
            atomicAdd(dg + ga + t * gts, da);
            atomicAdd(dg + gb + t * gts, db);
        }
    }
    if (dg == NULL || gts != 0) return;
    sum_a[threadIdx.x] = la;
    sum_b[threadIdx.x] = lb;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) {
            sum_a[threadIdx.x] += sum_a[threadIdx.x + half];
            sum_b[threadIdx.x] += sum_b[threadIdx.x + half];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        /* rows may share a dg element (a speaker vector broadcast over the batch) */
        atomicAdd(dg + ga, (float) sum_a[0]);
        atomicAdd(dg + gb, (float) sum_b[0]);
    }
}

extern "C" int bv2j_wn_gate_backward(bv2j_ctx *ctx, const float *x_in, const float *g, int64_t g_batch_stride,
                                     int64_t g_channel_stride, int64_t g_time_stride, const float *dout,
                                     float *dx_in, float *dg, int64_t batch, int64_t hidden, int64_t time) {
    BV2J_CHECK(ctx && x_in && dout && dx_in && batch >= 0 && hidden > 0 && time >= 0);
    BV2J_CHECK(g_batch_stride >= 0 && g_channel_stride >= 0 && g_time_stride >= 0);
    BV2J_CHECK(dg == NULL || g != NULL);
    BV2J_CHECK(batch * hidden <= 0x7fffffff);
    if (batch * hidden * time == 0) return BV2J_OK_;
    gate_backward<<<(unsigned) (batch * hidden), 256, 0, ctx->stream>>>(
        x_in, g, g_batch_stride, g_channel_stride, g_time_stride, dout, dx_in, dg, hidden, time);
    BV2J_LAUNCHED();
    return BV2J_OK_;
}
