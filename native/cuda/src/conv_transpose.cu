/* Transposed 1-D convolution (HiFi-GAN's upsampling), forward and both backward products, as
 * gathers: every output element sums the products that reach it, so nothing is written twice
 * and no atomics are needed. Output position o = i*stride + k - padding (bv2j.h). */
#include "internal.cuh"

/* y[b, co, o] = bias[co] + sum over ci, k with (o + padding - k) = i*stride, 0 <= i < t_in. */
__global__ static void ct_forward(const float *x, const float *w, const float *bias, float *y, int64_t batch,
                                  int64_t c_in, int64_t t_in, int64_t c_out, int64_t t_out, int64_t kernel,
                                  int64_t stride, int64_t padding) {
    const int64_t n = blockIdx.x * (int64_t) blockDim.x + threadIdx.x;
    if (n >= batch * c_out * t_out) return;
    const int64_t o = n % t_out, co = (n / t_out) % c_out, b = n / (t_out * c_out);
    float acc = 0.0f;
    for (int64_t k = (o + padding) % stride; k < kernel; k += stride) {
        const int64_t i = (o + padding - k) / stride;
        if (i < 0 || i >= t_in) continue;
        for (int64_t ci = 0; ci < c_in; ci++) acc += x[(b * c_in + ci) * t_in + i] * w[(ci * c_out + co) * kernel + k];
    }
    y[n] = acc + (bias ? bias[co] : 0.0f);
}

/* dx[b, ci, i] = sum over co, k of dy[b, co, i*stride + k - padding] w[ci, co, k]. */
__global__ static void ct_backward_input(const float *dy, const float *w, float *dx, int64_t batch, int64_t c_in,
                                         int64_t t_in, int64_t c_out, int64_t t_out, int64_t kernel,
                                         int64_t stride, int64_t padding) {
    const int64_t n = blockIdx.x * (int64_t) blockDim.x + threadIdx.x;
    if (n >= batch * c_in * t_in) return;
    const int64_t i = n % t_in, ci = (n / t_in) % c_in, b = n / (t_in * c_in);
    float acc = 0.0f;
    for (int64_t k = 0; k < kernel; k++) {
        const int64_t o = i * stride + k - padding;
        if (o < 0 || o >= t_out) continue;
        for (int64_t co = 0; co < c_out; co++) acc += dy[(b * c_out + co) * t_out + o] * w[(ci * c_out + co) * kernel + k];
    }
    dx[n] = acc;
}

/* dw[ci, co, k] = sum over b, i of x[b, ci, i] dy[b, co, i*stride + k - padding]; one block per
 * weight element, its threads over (b, i), summed in a tree. */
__global__ static void ct_backward_weight(const float *x, const float *dy, float *dw, int64_t batch, int64_t c_in,
                                          int64_t t_in, int64_t c_out, int64_t t_out, int64_t kernel,
                                          int64_t stride, int64_t padding) {
    __shared__ float part[256];
    const int64_t e = blockIdx.x;
    const int64_t k = e % kernel, co = (e / kernel) % c_out, ci = e / (kernel * c_out);
    float acc = 0.0f;
    for (int64_t j = threadIdx.x; j < batch * t_in; j += blockDim.x) {
        const int64_t b = j / t_in, i = j % t_in, o = i * stride + k - padding;
        if (o >= 0 && o < t_out) acc += x[(b * c_in + ci) * t_in + i] * dy[(b * c_out + co) * t_out + o];
    }
    part[threadIdx.x] = acc;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) part[threadIdx.x] += part[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0) dw[e] = part[0];
}

/* db[co] = sum over b, o of dy[b, co, o]; one block per channel. */
__global__ static void ct_backward_bias(const float *dy, float *db, int64_t batch, int64_t c_out, int64_t t_out) {
    __shared__ float part[256];
    const int64_t co = blockIdx.x;
    float acc = 0.0f;
    for (int64_t j = threadIdx.x; j < batch * t_out; j += blockDim.x) {
        acc += dy[((j / t_out) * c_out + co) * t_out + j % t_out];
    }
    part[threadIdx.x] = acc;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) part[threadIdx.x] += part[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0) db[co] = part[0];
}

static int ct_args_ok(int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out, int64_t t_out, int64_t kernel,
                      int64_t stride, int64_t padding) {
    return batch >= 0 && c_in > 0 && t_in >= 0 && c_out > 0 && t_out >= 0 && kernel > 0 && stride > 0
           && padding >= 0;
}

extern "C" int bv2j_conv_transpose1d(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                                     float *y, int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out,
                                     int64_t t_out, int64_t kernel, int64_t stride, int64_t padding) {
    BV2J_CHECK(ctx && x && w && y && ct_args_ok(batch, c_in, t_in, c_out, t_out, kernel, stride, padding));
    const int64_t n = batch * c_out * t_out;
    if (n == 0) return BV2J_OK_;
    ct_forward<<<bv2j_blocks(n, 256), 256, 0, ctx->stream>>>(x, w, bias, y, batch, c_in, t_in, c_out, t_out,
                                                               kernel, stride, padding);
    BV2J_LAUNCHED();
    return BV2J_OK_;
}

extern "C" int bv2j_conv_transpose1d_backward_input(bv2j_ctx *ctx, const float *dy, const float *w,
                                                    float *dx, int64_t batch, int64_t c_in, int64_t t_in,
                                                    int64_t c_out, int64_t t_out, int64_t kernel,
                                                    int64_t stride, int64_t padding) {
    BV2J_CHECK(ctx && dy && w && dx && ct_args_ok(batch, c_in, t_in, c_out, t_out, kernel, stride, padding));
    const int64_t n = batch * c_in * t_in;
    if (n == 0) return BV2J_OK_;
    ct_backward_input<<<bv2j_blocks(n, 256), 256, 0, ctx->stream>>>(dy, w, dx, batch, c_in, t_in, c_out, t_out,
                                                                      kernel, stride, padding);
    BV2J_LAUNCHED();
    return BV2J_OK_;
}

extern "C" int bv2j_conv_transpose1d_backward_weight(bv2j_ctx *ctx, const float *x, const float *dy,
                                                     float *dw, float *db, int64_t batch, int64_t c_in,
                                                     int64_t t_in, int64_t c_out, int64_t t_out,
                                                     int64_t kernel, int64_t stride, int64_t padding) {
    BV2J_CHECK(ctx && x && dy && dw && ct_args_ok(batch, c_in, t_in, c_out, t_out, kernel, stride, padding));
    const int64_t weights = c_in * c_out * kernel;
    BV2J_CHECK(weights <= 0x7fffffff);
    ct_backward_weight<<<(unsigned) weights, 256, 0, ctx->stream>>>(x, dy, dw, batch, c_in, t_in, c_out, t_out,
                                                                     kernel, stride, padding);
    BV2J_LAUNCHED();
    if (db != NULL) {
        ct_backward_bias<<<(unsigned) c_out, 256, 0, ctx->stream>>>(dy, db, batch, c_out, t_out);
        BV2J_LAUNCHED();
    }
    return BV2J_OK_;
}
