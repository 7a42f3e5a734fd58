/* Gradients of the convolutions in conv.c with the same geometry. Each gradient is one GEMM
 * per time tile around an im2col (gather) or col2im (scatter) pass, so the backward of a layer
 * costs about two forwards and scratch stays bounded by the tile like the forward's. */
#include <string.h>
#include "internal.h"

/* Columns per tile: keeps a tile's column matrix near 8 MiB (the forward's rule). */
static int64_t time_tile(int64_t rows, int64_t total) {
    int64_t tile = (int64_t) (8u << 20) / (int64_t) sizeof(float) / (rows > 0 ? rows : 1);
    if (tile < 64) tile = 64;
    return tile < total ? tile : total;
}

static float *tile_scratch(bv2j_ctx *ctx, int64_t rows, int64_t tile) {
    return bv2j_scratch(ctx, (size_t) (rows * (tile > 0 ? tile : 1)) * sizeof(float));
}

/* The adjoint of bv2j_im2col_1d: dx[ci, (t0+t)*stride + k*dilation - pad] += cols[ci*K + k, t]. Taps
 * of one channel overlap, so threads own (channel, slice of the tile's footprint in dx) pairs;
 * slicing keeps every thread busy when a group has fewer channels than threads. */
static void col2im_1d(const float *cols, float *dx, int64_t channels, int64_t t_in,
                      int64_t kernel, int64_t stride, int64_t pad, int64_t dilation, int64_t t0,
                      int64_t n, int threads) {
    const int64_t reach_lo = t0 * stride - pad;
    const int64_t reach_hi = (t0 + n - 1) * stride + (kernel - 1) * dilation - pad + 1;
    const int64_t from = reach_lo > 0 ? reach_lo : 0, to = reach_hi < t_in ? reach_hi : t_in;
    if (to <= from) return;
    const int64_t slices = channels >= threads ? 1 : (threads + channels - 1) / channels;
    const int64_t slice = (to - from + slices - 1) / slices;
#pragma omp parallel for collapse(2) num_threads(threads) schedule(static)
    for (int64_t ci = 0; ci < channels; ci++)
        for (int64_t s = 0; s < slices; s++) {
            const int64_t lo = from + s * slice, hi = lo + slice < to ? lo + slice : to;
            float *xr = dx + ci * t_in;
            for (int64_t k = 0; k < kernel; k++) {
                const float *cr = cols + (ci * kernel + k) * n;
                const int64_t off = k * dilation - pad;
                int64_t first, end;
                source_range(lo, hi, stride, off, t0, t0 + n, &first, &end);
                for (int64_t q = first; q < end; q++) xr[q * stride + off] += cr[q - t0];
            }
        }
}

static int conv1d_args_ok(int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out,
                          int64_t t_out, int64_t kernel, int64_t stride, int64_t pad_left,
                          int64_t dilation, int64_t groups) {
    return batch >= 0 && c_in > 0 && t_in >= 0 && c_out > 0 && t_out >= 0 && kernel > 0
           && stride > 0 && pad_left >= 0 && dilation > 0 && groups > 0 && c_in % groups == 0
           && c_out % groups == 0;
}

/* The forward's depthwise branch (groups == channels) has no GEMM; neither have its gradients. */
static int is_depthwise(int64_t c_in, int64_t c_out, int64_t groups) {
    return groups == c_in && groups == c_out;
}

/* The forward's 1x1 branch reads x directly as the column matrix. */
static int is_direct(int64_t t_in, int64_t t_out, int64_t kernel, int64_t stride,
                     int64_t pad_left) {
    return kernel == 1 && stride == 1 && pad_left == 0 && t_out <= t_in;
}

static void depthwise_backward_input(const float *dy, const float *w, float *dx, int64_t c,
                                     int64_t t_in, int64_t t_out, int64_t kernel,
                                     int64_t stride, int64_t pad_left, int64_t dilation,
                                     int threads) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t ch = 0; ch < c; ch++) {
        const float *dyc = dy + ch * t_out;
        const float *wc = w + ch * kernel;
        float *dxc = dx + ch * t_in;
        memset(dxc, 0, (size_t) t_in * sizeof(float));
        for (int64_t k = 0; k < kernel; k++) {
            const int64_t off = k * dilation - pad_left;
            int64_t first, end;
            source_range(0, t_in, stride, off, 0, t_out, &first, &end);
            for (int64_t t = first; t < end; t++) dxc[t * stride + off] += wc[k] * dyc[t];
        }
    }
}

static void depthwise_backward_weight(const float *x, const float *dy, float *dw, int64_t batch,
                                      int64_t c, int64_t t_in, int64_t t_out, int64_t kernel,
                                      int64_t stride, int64_t pad_left, int64_t dilation,
                                      int threads) {
#pragma omp parallel for collapse(2) num_threads(threads) schedule(static)
    for (int64_t ch = 0; ch < c; ch++)
        for (int64_t k = 0; k < kernel; k++) {
            const int64_t off = k * dilation - pad_left;
            int64_t first, end;
            source_range(0, t_in, stride, off, 0, t_out, &first, &end);
            double acc = 0.0;
            for (int64_t b = 0; b < batch; b++) {
                const float *xc = x + (b * c + ch) * t_in;
                const float *dyc = dy + (b * c + ch) * t_out;
                for (int64_t t = first; t < end; t++) acc += (double) dyc[t] * xc[t * stride + off];
            }
            dw[ch * kernel + k] = (float) acc;
        }
}

int bv2j_conv1d_backward_input(bv2j_ctx *ctx, const float *dy, const float *w, float *dx,
                               int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out,
                               int64_t t_out, int64_t kernel, int64_t stride, int64_t pad_left,
                               int64_t dilation, int64_t groups) {
    BV2J_CHECK(ctx && dy && w && dx);
    BV2J_CHECK(conv1d_args_ok(batch, c_in, t_in, c_out, t_out, kernel, stride, pad_left,
                              dilation, groups));
    const int64_t cin_g = c_in / groups, cout_g = c_out / groups, rows = cin_g * kernel;
    if (is_depthwise(c_in, c_out, groups)) {
        for (int64_t b = 0; b < batch; b++)
            depthwise_backward_input(dy + b * c_out * t_out, w, dx + b * c_in * t_in, c_in, t_in,
                                     t_out, kernel, stride, pad_left, dilation, ctx->threads);
        return BV2J_OK;
    }
    const int direct = is_direct(t_in, t_out, kernel, stride, pad_left);
    const int64_t tile = time_tile(rows, t_out);
    float *cols = direct ? NULL : tile_scratch(ctx, rows, tile);
    if (!direct && cols == NULL) return BV2J_ENOMEM;
    for (int64_t b = 0; b < batch; b++)
        for (int64_t g = 0; g < groups; g++) {
            const float *dyg = dy + (b * c_out + g * cout_g) * t_out;
            const float *wg = w + g * cout_g * rows;
            float *dxg = dx + (b * c_in + g * cin_g) * t_in;
            if (direct) {
                /* dx[:, :t_out] = w^T dy; the inputs past t_out were never read. */
                int rc = bv2j_gemm(ctx, 1, 0, cin_g, t_out, cout_g, 1.0f, wg, rows, dyg, t_out,
                                   0.0f, dxg, t_in);
                if (rc) return rc;
                for (int64_t ci = 0; ci < cin_g; ci++)
                    memset(dxg + ci * t_in + t_out, 0, (size_t) (t_in - t_out) * sizeof(float));
                continue;
            }
            memset(dxg, 0, (size_t) (cin_g * t_in) * sizeof(float));
            for (int64_t t0 = 0; t0 < t_out; t0 += tile) {
                const int64_t n = t_out - t0 < tile ? t_out - t0 : tile;
                int rc = bv2j_gemm(ctx, 1, 0, rows, n, cout_g, 1.0f, wg, rows, dyg + t0, t_out,
                                   0.0f, cols, n);
                if (rc) return rc;
                col2im_1d(cols, dxg, cin_g, t_in, kernel, stride, pad_left, dilation, t0, n,
                          ctx->threads);
            }
        }
    return BV2J_OK;
}

int bv2j_conv1d_backward_weight(bv2j_ctx *ctx, const float *x, const float *dy, float *dw,
                                float *db, int64_t batch, int64_t c_in, int64_t t_in,
                                int64_t c_out, int64_t t_out, int64_t kernel, int64_t stride,
                                int64_t pad_left, int64_t dilation, int64_t groups) {
    BV2J_CHECK(ctx && x && dy && dw);
    BV2J_CHECK(conv1d_args_ok(batch, c_in, t_in, c_out, t_out, kernel, stride, pad_left,
                              dilation, groups));
    const int64_t cin_g = c_in / groups, cout_g = c_out / groups, rows = cin_g * kernel;
    bv2j_bias_grad(dy, db, batch, c_out, t_out, ctx->threads);
    if (is_depthwise(c_in, c_out, groups)) {
        depthwise_backward_weight(x, dy, dw, batch, c_in, t_in, t_out, kernel, stride, pad_left,
                                  dilation, ctx->threads);
        return BV2J_OK;
    }
    memset(dw, 0, (size_t) (c_out * rows) * sizeof(float));
    const int direct = is_direct(t_in, t_out, kernel, stride, pad_left);
    const int64_t tile = time_tile(rows, t_out);
    float *cols = direct ? NULL : tile_scratch(ctx, rows, tile);
    if (!direct && cols == NULL) return BV2J_ENOMEM;
    for (int64_t b = 0; b < batch; b++)
        for (int64_t g = 0; g < groups; g++) {
            const float *xg = x + (b * c_in + g * cin_g) * t_in;
            const float *dyg = dy + (b * c_out + g * cout_g) * t_out;
            float *dwg = dw + g * cout_g * rows;
            if (direct) {
                int rc = bv2j_gemm(ctx, 0, 1, cout_g, cin_g, t_out, 1.0f, dyg, t_out, xg, t_in,
                                   1.0f, dwg, rows);
                if (rc) return rc;
                continue;
            }
            for (int64_t t0 = 0; t0 < t_out; t0 += tile) {
                const int64_t n = t_out - t0 < tile ? t_out - t0 : tile;
                bv2j_im2col_1d(xg, cols, cin_g, t_in, kernel, stride, pad_left, dilation, t0, n,
                          ctx->threads);
                int rc = bv2j_gemm(ctx, 0, 1, cout_g, rows, n, 1.0f, dyg + t0, t_out, cols, n,
                                   1.0f, dwg, rows);
                if (rc) return rc;
            }
        }
    return BV2J_OK;
}

/* Output position of the transpose: o = i*stride + k - padding, the im2col geometry with the
 * roles of input and output swapped, so dy gathered by bv2j_im2col_1d (dilation 1) is the column
 * matrix of both gradients. */
static int convt_args_ok(int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out,
                         int64_t t_out, int64_t kernel, int64_t stride, int64_t padding) {
    return batch >= 0 && c_in > 0 && t_in >= 0 && c_out > 0 && t_out >= 0 && kernel > 0
           && stride > 0 && padding >= 0;
}

int bv2j_conv_transpose1d_backward_input(bv2j_ctx *ctx, const float *dy, const float *w,
                                         float *dx, int64_t batch, int64_t c_in, int64_t t_in,
                                         int64_t c_out, int64_t t_out, int64_t kernel,
                                         int64_t stride, int64_t padding) {
    BV2J_CHECK(ctx && dy && w && dx);
    BV2J_CHECK(convt_args_ok(batch, c_in, t_in, c_out, t_out, kernel, stride, padding));
    const int64_t rows = c_out * kernel, tile = time_tile(rows, t_in);
    float *cols = tile_scratch(ctx, rows, tile);
    if (cols == NULL) return BV2J_ENOMEM;
    for (int64_t b = 0; b < batch; b++) {
        const float *dyb = dy + b * c_out * t_out;
        float *dxb = dx + b * c_in * t_in;
        for (int64_t i0 = 0; i0 < t_in; i0 += tile) {
            const int64_t n = t_in - i0 < tile ? t_in - i0 : tile;
            bv2j_im2col_1d(dyb, cols, c_out, t_out, kernel, stride, padding, 1, i0, n, ctx->threads);
            /* dx[ci, i] = sum_{co,k} w[ci, co*K + k] * cols[co*K + k, i] */
            int rc = bv2j_gemm(ctx, 0, 0, c_in, n, rows, 1.0f, w, rows, cols, n, 0.0f, dxb + i0,
                               t_in);
            if (rc) return rc;
        }
    }
    return BV2J_OK;
}

int bv2j_conv_transpose1d_backward_weight(bv2j_ctx *ctx, const float *x, const float *dy,
                                          float *dw, float *db, int64_t batch, int64_t c_in,
                                          int64_t t_in, int64_t c_out, int64_t t_out,
                                          int64_t kernel, int64_t stride, int64_t padding) {
    BV2J_CHECK(ctx && x && dy && dw);
    BV2J_CHECK(convt_args_ok(batch, c_in, t_in, c_out, t_out, kernel, stride, padding));
    const int64_t rows = c_out * kernel, tile = time_tile(rows, t_in);
    bv2j_bias_grad(dy, db, batch, c_out, t_out, ctx->threads);
    memset(dw, 0, (size_t) (c_in * rows) * sizeof(float));
    float *cols = tile_scratch(ctx, rows, tile);
    if (cols == NULL) return BV2J_ENOMEM;
    for (int64_t b = 0; b < batch; b++) {
        const float *xb = x + b * c_in * t_in;
        const float *dyb = dy + b * c_out * t_out;
        for (int64_t i0 = 0; i0 < t_in; i0 += tile) {
            const int64_t n = t_in - i0 < tile ? t_in - i0 : tile;
            bv2j_im2col_1d(dyb, cols, c_out, t_out, kernel, stride, padding, 1, i0, n, ctx->threads);
            int rc = bv2j_gemm(ctx, 0, 1, c_in, rows, n, 1.0f, xb + i0, t_in, cols, n, 1.0f, dw,
                               rows);
            if (rc) return rc;
        }
    }
    return BV2J_OK;
}

/* db[c] = sum over batch and time of dy[b, c, t]; double so long waveforms sum exactly. */
void bv2j_bias_grad(const float *dy, float *db, int64_t batch, int64_t c, int64_t t,
                    int threads) {
    if (db == NULL) return;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t ch = 0; ch < c; ch++) {
        double acc = 0.0;
        for (int64_t b = 0; b < batch; b++) {
            const float *row = dy + (b * c + ch) * t;
            for (int64_t i = 0; i < t; i++) acc += row[i];
        }
        db[ch] = (float) acc;
    }
}
