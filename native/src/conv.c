/* Convolutions as im2col / col2im around one GEMM, tiled over time so scratch stays bounded
 * (a long utterance must not need a column matrix of the whole waveform). */
#include <omp.h>
#include <string.h>
#include "internal.h"

/* Columns per tile: keeps a tile's column matrix near 8 MiB. */
static int64_t time_tile(int64_t rows, int64_t total) {
    int64_t tile = (int64_t) (8u << 20) / (int64_t) sizeof(float) / (rows > 0 ? rows : 1);
    if (tile < 64) tile = 64;
    return tile < total ? tile : total;
}

static void add_bias(float *y, const float *bias, int64_t c_out, int64_t t_out, int threads) {
    if (bias == NULL) return;
#pragma omp parallel for num_threads(threads) schedule(static) if (c_out * t_out > BV2J_PARALLEL_MIN)
    for (int64_t c = 0; c < c_out; c++) {
        float bc = bias[c];
        float *row = y + c * t_out;
        for (int64_t t = 0; t < t_out; t++) row[t] += bc;
    }
}

/* Depthwise convolution (groups == channels, one filter per channel): no GEMM needed. */
static void conv1d_depthwise(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                             float *y, int64_t c, int64_t t_in, int64_t t_out, int64_t kernel,
                             int64_t stride, int64_t pad_left, int64_t dilation) {
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (c * t_out * kernel > BV2J_PARALLEL_MIN)
    for (int64_t ch = 0; ch < c; ch++) {
        const float *xc = x + ch * t_in;
        const float *wc = w + ch * kernel;
        float b0 = bias ? bias[ch] : 0.0f;
        for (int64_t t = 0; t < t_out; t++) {
            float acc = 0.0f;
            for (int64_t k = 0; k < kernel; k++) {
                int64_t ti = t * stride + k * dilation - pad_left;
                if (ti >= 0 && ti < t_in) acc += wc[k] * xc[ti];
            }
            y[ch * t_out + t] = acc + b0;
        }
    }
}

/* Output columns per tile of the fused path. Each tile's GEMM repacks the whole weight matrix,
 * so tiles must be wide enough to amortise that (>= 256 columns) while the column matrix
 * (rows x n floats) stays within a few MiB; the tile count is a multiple of the team size so
 * no thread idles at the end. Multiples of 16 match the AVX-512 micro-kernel. */
static int64_t fused_tile(int64_t rows, int64_t t_out, int64_t batch, int threads) {
    int64_t n = (int64_t) (4u << 20) / (int64_t) sizeof(float) / (rows > 0 ? rows : 1);
    if (n < 256) n = 256;
    if (n > 2048) n = 2048;
    int64_t tiles = (t_out + n - 1) / n;
    if (batch < threads) {
        const int64_t per = (threads + batch - 1) / batch; /* tiles per item for a full team */
        tiles = (tiles + per - 1) / per * per;
    }
    n = (t_out + tiles - 1) / tiles;
    n = (n + 15) / 16 * 16;
    return n < 16 ? 16 : n;
}

/* dst[t] = leaky_relu(src[t * stride]); restrict and the select form let the compiler vectorise
 * it (the branchy form stayed scalar and cost more than the GEMM it feeds). */
static inline void gather_leaky_relu(float *restrict dst, const float *restrict src, int64_t n,
                                     int64_t stride, float slope) {
    if (stride == 1) {
        for (int64_t t = 0; t < n; t++) {
            const float v = src[t], scaled = v * slope; /* unconditional: lets it vectorise */
            dst[t] = v > 0.0f ? v : scaled;
        }
    } else {
        for (int64_t t = 0; t < n; t++) {
            const float v = src[t * stride], scaled = v * slope;
            dst[t] = v > 0.0f ? v : scaled;
        }
    }
}

/* One tile of the fused convolution on the calling thread: gather act(x) into cols, start y's
 * tile at bias + residual, then one single-threaded GEMM accumulates (beta = 1) into it. */
static void conv1d_tile(const bv2j_ctx *ctx, const float *xb, const float *w, const float *bias,
                        const float *rb, float *yb, float *cols, int64_t c_in, int64_t t_in,
                        int64_t c_out, int64_t t_out, int64_t kernel, int64_t stride,
                        int64_t pad_left, int64_t dilation, int in_act, float slope, int64_t t0,
                        int64_t n) {
    const int64_t rows = c_in * kernel;
    const int gather = !(kernel == 1 && stride == 1 && pad_left == 0 && t_out <= t_in
                         && in_act == BV2J_CONV_ACT_NONE);
    if (gather) {
        for (int64_t r = 0; r < rows; r++) {
            const int64_t ci = r / kernel, k = r % kernel;
            const float *xr = xb + ci * t_in;
            float *cr = cols + r * n;
            const int64_t off = k * dilation - pad_left;
            /* Valid outputs t have 0 <= (t0 + t) * stride + off < t_in; the rest read padding. */
            int64_t lo = 0, hi = n;
            while (lo < n && (t0 + lo) * stride + off < 0) cr[lo++] = 0.0f;
            while (hi > lo && (t0 + hi - 1) * stride + off >= t_in) cr[--hi] = 0.0f;
            const int64_t base = t0 * stride + off; /* x index of column 0 (may be negative) */
            if (in_act == BV2J_CONV_ACT_LEAKY_RELU) {
                gather_leaky_relu(cr + lo, xr + base + lo * stride, hi - lo, stride, slope);
            } else if (stride == 1) {
                memcpy(cr + lo, xr + base + lo, (size_t) (hi - lo) * sizeof(float));
            } else {
                for (int64_t t = lo; t < hi; t++) cr[t] = xr[base + t * stride];
            }
        }
    }
    for (int64_t co = 0; co < c_out; co++) {
        float *yr = yb + co * t_out + t0;
        const float b0 = bias ? bias[co] : 0.0f;
        if (rb) {
            const float *rr = rb + co * t_out + t0;
            for (int64_t t = 0; t < n; t++) yr[t] = rr[t] + b0;
        } else {
            for (int64_t t = 0; t < n; t++) yr[t] = b0;
        }
    }
    ctx->sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_NO_TRANS, (int) c_out, (int) n, (int) rows,
               1.0f, w, (int) rows, gather ? cols : xb + t0, (int) (gather ? n : t_in), 1.0f,
               yb + t0, (int) t_out);
}

/* Where Winograd measured faster (BENCHMARKS.md, decoder stage shapes): kernels of 5 taps or
 * more with at least 16 channels on both sides, and 3-tap kernels with at least 128 channels when
 * the call runs on one thread (on two, im2col's larger GEMMs split better than Winograd's transforms);
 * always a few hundred output columns at least, so a 160-frame text-side layer stays on im2col. */
static int winograd_pays(const bv2j_ctx *ctx, int64_t c_in, int64_t c_out, int64_t t_out,
                         int64_t kernel, int64_t stride) {
    if (!ctx->winograd || stride != 1 || t_out < 512) return 0;
    if (kernel >= 5) return c_in >= 16 && c_out >= 16;
    return kernel == 3 && ctx->threads == 1 && c_in >= 128 && c_out >= 128;
}

int bv2j_conv1d_fused(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                      const float *residual, float *y, int64_t batch, int64_t c_in, int64_t t_in,
                      int64_t c_out, int64_t t_out, int64_t kernel, int64_t stride,
                      int64_t pad_left, int64_t dilation, int in_act, float in_slope) {
    BV2J_CHECK(ctx);
    if (winograd_pays(ctx, c_in, c_out, t_out, kernel, stride)) {
        return bv2j_conv1d_winograd(ctx, x, w, bias, residual, y, batch, c_in, t_in, c_out, t_out,
                                    kernel, pad_left, dilation, in_act, in_slope);
    }
    if (ctx->own_gemm && stride == 1) {
        return bv2j_conv1d_direct(ctx, x, w, bias, residual, y, batch, c_in, t_in, c_out, t_out,
                                  kernel, pad_left, dilation, in_act, in_slope);
    }
    return bv2j_conv1d_im2col(ctx, x, w, bias, residual, y, batch, c_in, t_in, c_out, t_out,
                              kernel, stride, pad_left, dilation, in_act, in_slope);
}

int bv2j_conv1d_im2col(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                       const float *residual, float *y, int64_t batch, int64_t c_in, int64_t t_in,
                       int64_t c_out, int64_t t_out, int64_t kernel, int64_t stride,
                       int64_t pad_left, int64_t dilation, int in_act, float in_slope) {
    BV2J_CHECK(ctx && x && w && y);
    BV2J_CHECK(batch >= 0 && c_in > 0 && t_in >= 0 && c_out > 0 && t_out >= 0);
    BV2J_CHECK(kernel > 0 && stride > 0 && pad_left >= 0 && dilation > 0);
    BV2J_CHECK(in_act == BV2J_CONV_ACT_NONE || in_act == BV2J_CONV_ACT_LEAKY_RELU);
    const int64_t rows = c_in * kernel;
    BV2J_CHECK(BV2J_FITS_INT(rows) && BV2J_FITS_INT(c_out) && BV2J_FITS_INT(t_out) && BV2J_FITS_INT(t_in));
    if (batch == 0 || t_out == 0) return BV2J_OK;
    const int threads = ctx->threads;
    const int64_t tile = fused_tile(rows, t_out, batch, threads);
    const int64_t tiles_per_item = (t_out + tile - 1) / tile, tiles = batch * tiles_per_item;
    const int team = tiles < threads ? (int) tiles : threads;
    float *cols = bv2j_scratch(ctx, (size_t) team * (size_t) (rows * tile) * sizeof(float));
    if (cols == NULL) return BV2J_ENOMEM;
#pragma omp parallel for num_threads(team) schedule(dynamic, 1) if (team > 1 && c_out * t_out * rows * batch > BV2J_PARALLEL_MIN)
    for (int64_t i = 0; i < tiles; i++) {
        const int64_t b = i / tiles_per_item, t0 = (i % tiles_per_item) * tile;
        const int64_t n = t_out - t0 < tile ? t_out - t0 : tile;
        float *own = cols + (size_t) omp_get_thread_num() * (size_t) (rows * tile);
        conv1d_tile(ctx, x + b * c_in * t_in, w, bias, residual ? residual + b * c_out * t_out : NULL,
                    y + b * c_out * t_out, own, c_in, t_in, c_out, t_out, kernel, stride, pad_left,
                    dilation, in_act, in_slope, t0, n);
    }
    return BV2J_OK;
}

int bv2j_conv1d(bv2j_ctx *ctx, const float *x, const float *w, const float *bias, float *y,
                int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out, int64_t t_out,
                int64_t kernel, int64_t stride, int64_t pad_left, int64_t dilation,
                int64_t groups) {
    BV2J_CHECK(ctx && x && w && y);
    BV2J_CHECK(batch >= 0 && c_in > 0 && t_in >= 0 && c_out > 0 && t_out >= 0);
    BV2J_CHECK(kernel > 0 && stride > 0 && pad_left >= 0 && dilation > 0 && groups > 0);
    BV2J_CHECK(c_in % groups == 0 && c_out % groups == 0);
    if (groups == 1) {
        return bv2j_conv1d_fused(ctx, x, w, bias, NULL, y, batch, c_in, t_in, c_out, t_out, kernel,
                                 stride, pad_left, dilation, BV2J_CONV_ACT_NONE, 0.0f);
    }
    const int64_t cin_g = c_in / groups, cout_g = c_out / groups;
    const int64_t rows = cin_g * kernel;

    for (int64_t b = 0; b < batch; b++) {
        const float *xb = x + b * c_in * t_in;
        float *yb = y + b * c_out * t_out;
        if (groups == c_in && groups == c_out) {
            conv1d_depthwise(ctx, xb, w, bias, yb, c_in, t_in, t_out, kernel, stride, pad_left,
                             dilation);
            continue;
        }
        for (int64_t g = 0; g < groups; g++) {
            const float *xg = xb + g * cin_g * t_in;
            const float *wg = w + g * cout_g * rows;
            float *yg = yb + g * cout_g * t_out;
            const int64_t tile = time_tile(rows, t_out);
            float *cols = bv2j_scratch(ctx, (size_t) (rows * (tile > 0 ? tile : 1)) * sizeof(float));
            if (cols == NULL) return BV2J_ENOMEM;
            for (int64_t t0 = 0; t0 < t_out; t0 += tile) {
                const int64_t n = t_out - t0 < tile ? t_out - t0 : tile;
                bv2j_im2col_1d(xg, cols, cin_g, t_in, kernel, stride, pad_left, dilation, t0, n,
                               ctx->threads);
                int rc = bv2j_gemm(ctx, 0, 0, cout_g, n, rows, 1.0f, wg, rows, cols, n, 0.0f,
                                   yg + t0, t_out);
                if (rc) return rc;
            }
        }
        add_bias(yb, bias, c_out, t_out, ctx->threads);
    }
    return BV2J_OK;
}

int bv2j_conv_transpose1d(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                          float *y, int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out,
                          int64_t t_out, int64_t kernel, int64_t stride, int64_t padding) {
    BV2J_CHECK(ctx && x && w && y);
    BV2J_CHECK(batch >= 0 && c_in > 0 && t_in >= 0 && c_out > 0 && t_out >= 0);
    BV2J_CHECK(kernel > 0 && stride > 0 && padding >= 0);
    const int64_t rows = c_out * kernel;
    for (int64_t b = 0; b < batch; b++) {
        const float *xb = x + b * c_in * t_in;
        float *yb = y + b * c_out * t_out;
        memset(yb, 0, (size_t) (c_out * t_out) * sizeof(float));
        const int64_t tile = time_tile(rows, t_in);
        float *cols = bv2j_scratch(ctx, (size_t) (rows * (tile > 0 ? tile : 1)) * sizeof(float));
        if (cols == NULL) return BV2J_ENOMEM;
        for (int64_t i0 = 0; i0 < t_in; i0 += tile) {
            const int64_t n = t_in - i0 < tile ? t_in - i0 : tile;
            /* cols[co*K + k, i] = sum_ci w[ci, co, k] * x[ci, i0 + i] */
            int rc = bv2j_gemm(ctx, 1, 0, rows, n, c_in, 1.0f, w, rows, xb + i0, t_in, 0.0f,
                               cols, n);
            if (rc) return rc;
#pragma omp parallel for num_threads(ctx->threads) schedule(static) if (rows * n > BV2J_PARALLEL_MIN)
            for (int64_t co = 0; co < c_out; co++) {
                float *yr = yb + co * t_out;
                for (int64_t k = 0; k < kernel; k++) {
                    const float *cr = cols + (co * kernel + k) * n;
                    for (int64_t i = 0; i < n; i++) {
                        int64_t o = (i0 + i) * stride + k - padding;
                        if (o >= 0 && o < t_out) yr[o] += cr[i];
                    }
                }
            }
        }
        add_bias(yb, bias, c_out, t_out, ctx->threads);
    }
    return BV2J_OK;
}
