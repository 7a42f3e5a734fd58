/* conv2d and its gradients (the period discriminators' (k, 1) convolutions) as im2col / col2im
 * around one GEMM per tile.
 *
 * A discriminator's deep layers keep few output positions per sample (about 101 for a 0.5 s
 * segment, whatever the period), so one GEMM per sample would repack a 20 MB weight for a
 * 101-column product and the weight gradient would be 16 passes of K = 101 over all of dW.
 * Tiles therefore hold several whole samples side by side (sample s's columns start at s*n),
 * which makes one wide GEMM of them; a sample too large for a tile is cut into whole output
 * rows instead. Scratch per tile: the column matrix and a channel-major block of y or dy. */
#include <string.h>
#include "internal.h"

/* Column matrix plus channel-major block, per tile. */
#define TILE_BYTES ((int64_t) 48 << 20)

typedef struct {
    int64_t c_in, h, wd, c_out, h_out, w_out, kh, kw, sh, sw, ph, pw;
} geom2d;

/* Samples per tile (more than one only when each is whole) and output rows per tile. */
typedef struct {
    int64_t samples, rows_out;
} tiling;

static int64_t col_rows(const geom2d *g) { return g->c_in * g->kh * g->kw; }

static tiling plan(const geom2d *g, int64_t batch) {
    const int64_t per_row = (col_rows(g) + g->c_out) * g->w_out * (int64_t) sizeof(float);
    const int64_t per_sample = per_row * g->h_out;
    tiling t;
    if (per_sample <= TILE_BYTES) {
        t.samples = TILE_BYTES / per_sample;
        if (t.samples > batch) t.samples = batch;
        t.rows_out = g->h_out;
    } else {
        t.samples = 1;
        t.rows_out = TILE_BYTES / per_row;
        if (t.rows_out > g->h_out) t.rows_out = g->h_out;
    }
    if (t.samples < 1) t.samples = 1;
    if (t.rows_out < 1) t.rows_out = 1;
    return t;
}

/* cols[r = (ci, ki, kj), (oh - oh0)*w_out + ow], rows ld apart, for output rows oh0 .. oh0+nh-1. */
static void im2col_2d(const geom2d *g, const float *x, float *cols, int64_t ld, int64_t oh0,
                      int64_t nh, int threads) {
    const int64_t rows = col_rows(g), n = nh * g->w_out;
#pragma omp parallel for num_threads(threads) schedule(static) if (rows * n > BV2J_PARALLEL_MIN)
    for (int64_t r = 0; r < rows; r++) {
        const int64_t ci = r / (g->kh * g->kw), ki = (r / g->kw) % g->kh, kj = r % g->kw;
        float *cr = cols + r * ld;
        if (g->kw == 1 && g->sw == 1 && g->pw == 0) {
            /* (k, 1) kernels, as every period discriminator has: an output row is one input row. */
            for (int64_t oh = 0; oh < nh; oh++) {
                const int64_t ih = (oh0 + oh) * g->sh + ki - g->ph;
                float *dst = cr + oh * g->w_out;
                if (ih >= 0 && ih < g->h) {
                    const float *src = x + (ci * g->h + ih) * g->wd;
                    for (int64_t ow = 0; ow < g->w_out; ow++) dst[ow] = src[ow];
                } else {
                    for (int64_t ow = 0; ow < g->w_out; ow++) dst[ow] = 0.0f;
                }
            }
            continue;
        }
        for (int64_t oh = 0; oh < nh; oh++) {
            const int64_t ih = (oh0 + oh) * g->sh + ki - g->ph;
            const int ok = ih >= 0 && ih < g->h;
            for (int64_t ow = 0; ow < g->w_out; ow++) {
                const int64_t iw = ow * g->sw + kj - g->pw;
                cr[oh * g->w_out + ow] = (ok && iw >= 0 && iw < g->wd)
                                             ? x[(ci * g->h + ih) * g->wd + iw] : 0.0f;
            }
        }
    }
}

/* The adjoint of im2col_2d: threads own (channel, slice of input rows) so no two write one element. */
static void col2im_2d(const geom2d *g, const float *cols, int64_t ld, float *dx, int64_t oh0,
                      int64_t nh, int threads) {
    const int64_t c = g->c_in;
    const int64_t slices = c >= threads ? 1 : (threads + c - 1) / c;
    const int64_t slice = (g->h + slices - 1) / slices;
#pragma omp parallel for collapse(2) num_threads(threads) schedule(static)
    for (int64_t ci = 0; ci < c; ci++)
        for (int64_t s = 0; s < slices; s++) {
            const int64_t lo = s * slice, hi = lo + slice < g->h ? lo + slice : g->h;
            for (int64_t ki = 0; ki < g->kh; ki++) {
                int64_t oh_first, oh_end;
                source_range(lo, hi, g->sh, ki - g->ph, oh0, oh0 + nh, &oh_first, &oh_end);
                for (int64_t kj = 0; kj < g->kw; kj++) {
                    const float *cr = cols + ((ci * g->kh + ki) * g->kw + kj) * ld;
                    const int64_t off = kj - g->pw;
                    int64_t ow_first, ow_end;
                    source_range(0, g->wd, g->sw, off, 0, g->w_out, &ow_first, &ow_end);
                    for (int64_t oh = oh_first; oh < oh_end; oh++) {
                        float *xr = dx + (ci * g->h + oh * g->sh + ki - g->ph) * g->wd;
                        const float *crow = cr + (oh - oh0) * g->w_out;
                        for (int64_t ow = ow_first; ow < ow_end; ow++)
                            xr[ow * g->sw + off] += crow[ow];
                    }
                }
            }
        }
}

/* blk[co, s*n + j] = t[s, co, off + j] for the nb samples of a [nb, c, n_total] tensor. */
static void gather_block(const float *t, float *blk, int64_t nb, int64_t c, int64_t n_total,
                         int64_t off, int64_t n, int threads) {
#pragma omp parallel for collapse(2) num_threads(threads) schedule(static) if (nb * c * n > BV2J_PARALLEL_MIN)
    for (int64_t s = 0; s < nb; s++)
        for (int64_t co = 0; co < c; co++)
            memcpy(blk + co * nb * n + s * n, t + (s * c + co) * n_total + off,
                   (size_t) n * sizeof(float));
}

/* t[s, co, off + j] = blk[co, s*n + j] + bias[co] (bias may be NULL): gather_block's inverse. */
static void scatter_block(const float *blk, const float *bias, float *t, int64_t nb, int64_t c,
                          int64_t n_total, int64_t off, int64_t n, int threads) {
#pragma omp parallel for collapse(2) num_threads(threads) schedule(static) if (nb * c * n > BV2J_PARALLEL_MIN)
    for (int64_t s = 0; s < nb; s++)
        for (int64_t co = 0; co < c; co++) {
            const float *src = blk + co * nb * n + s * n;
            float *dst = t + (s * c + co) * n_total + off;
            const float bc = bias ? bias[co] : 0.0f;
            for (int64_t j = 0; j < n; j++) dst[j] = src[j] + bc;
        }
}

static int args_ok(int64_t batch, int64_t c_in, int64_t h, int64_t wd, int64_t c_out,
                   int64_t h_out, int64_t w_out, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                   int64_t ph, int64_t pw) {
    return batch >= 0 && c_in > 0 && h >= 0 && wd >= 0 && c_out > 0 && h_out >= 0 && w_out >= 0
           && kh > 0 && kw > 0 && sh > 0 && sw > 0 && ph >= 0 && pw >= 0;
}

/* Plans the tiles and reserves their scratch: the column matrix, then the channel-major block. */
static int begin(bv2j_ctx *ctx, const geom2d *g, int64_t batch, tiling *t, float **cols,
                 float **blk) {
    *t = plan(g, batch);
    const int64_t cols_n = t->samples * t->rows_out * g->w_out;
    *cols = bv2j_scratch(ctx, (size_t) ((col_rows(g) + g->c_out) * cols_n) * sizeof(float));
    if (*cols == NULL) return BV2J_ENOMEM;
    *blk = *cols + col_rows(g) * cols_n;
    return BV2J_OK;
}

/* A tile: samples b0 .. b0+nb-1, output rows oh0 .. oh0+nh-1 of each; n columns a sample, ld in all. */
typedef struct {
    int64_t b0, nb, oh0, nh, n, ld;
} tile;

/* Moves *tl to the next tile (a zeroed tile starts); 0 once every tile has been visited. */
static int next_tile(const geom2d *g, const tiling *t, int64_t batch, tile *tl) {
    if (tl->nb == 0) {
        tl->b0 = tl->oh0 = 0;
    } else if (tl->oh0 + tl->nh < g->h_out) {
        tl->oh0 += tl->nh;
    } else {
        tl->b0 += tl->nb;
        tl->oh0 = 0;
    }
    if (tl->b0 >= batch) return 0;
    tl->nb = batch - tl->b0 < t->samples ? batch - tl->b0 : t->samples;
    tl->nh = g->h_out - tl->oh0 < t->rows_out ? g->h_out - tl->oh0 : t->rows_out;
    tl->n = tl->nh * g->w_out;
    tl->ld = tl->nb * tl->n;
    return 1;
}

int bv2j_conv2d(bv2j_ctx *ctx, const float *x, const float *w, const float *bias, float *y,
                int64_t batch, int64_t c_in, int64_t h, int64_t wd, int64_t c_out,
                int64_t h_out, int64_t w_out, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                int64_t ph, int64_t pw) {
    BV2J_CHECK(ctx && x && w && y);
    BV2J_CHECK(args_ok(batch, c_in, h, wd, c_out, h_out, w_out, kh, kw, sh, sw, ph, pw));
    const geom2d g = {c_in, h, wd, c_out, h_out, w_out, kh, kw, sh, sw, ph, pw};
    const int64_t rows = col_rows(&g), n_out = h_out * w_out;
    if (batch == 0 || n_out == 0) return BV2J_OK;
    tiling t;
    float *cols, *blk;
    int rc = begin(ctx, &g, batch, &t, &cols, &blk);
    if (rc) return rc;
    for (tile tl = {0}; next_tile(&g, &t, batch, &tl);) {
        const int64_t b0 = tl.b0, nb = tl.nb, oh0 = tl.oh0, nh = tl.nh, n = tl.n, ld = tl.ld;
        for (int64_t s = 0; s < nb; s++)
            im2col_2d(&g, x + (b0 + s) * c_in * h * wd, cols + s * n, ld, oh0, nh, ctx->threads);
        rc = bv2j_gemm(ctx, 0, 0, c_out, ld, rows, 1.0f, w, rows, cols, ld, 0.0f, blk, ld);
        if (rc) return rc;
        scatter_block(blk, bias, y + b0 * c_out * n_out, nb, c_out, n_out, oh0 * w_out, n,
                      ctx->threads);
    }
    return BV2J_OK;
}

int bv2j_conv2d_backward_input(bv2j_ctx *ctx, const float *dy, const float *w, float *dx,
                               int64_t batch, int64_t c_in, int64_t h, int64_t wd, int64_t c_out,
                               int64_t h_out, int64_t w_out, int64_t kh, int64_t kw, int64_t sh,
                               int64_t sw, int64_t ph, int64_t pw) {
    BV2J_CHECK(ctx && dy && w && dx);
    BV2J_CHECK(args_ok(batch, c_in, h, wd, c_out, h_out, w_out, kh, kw, sh, sw, ph, pw));
    const geom2d g = {c_in, h, wd, c_out, h_out, w_out, kh, kw, sh, sw, ph, pw};
    const int64_t rows = col_rows(&g), n_out = h_out * w_out;
    memset(dx, 0, (size_t) (batch * c_in * h * wd) * sizeof(float));
    if (batch == 0 || n_out == 0) return BV2J_OK;
    tiling t;
    float *cols, *blk;
    int rc = begin(ctx, &g, batch, &t, &cols, &blk);
    if (rc) return rc;
    for (tile tl = {0}; next_tile(&g, &t, batch, &tl);) {
        const int64_t b0 = tl.b0, nb = tl.nb, oh0 = tl.oh0, nh = tl.nh, n = tl.n, ld = tl.ld;
        gather_block(dy + b0 * c_out * n_out, blk, nb, c_out, n_out, oh0 * w_out, n, ctx->threads);
        /* cols = w^T dy over the tile's samples, then each sample's columns scatter into its dx. */
        rc = bv2j_gemm(ctx, 1, 0, rows, ld, c_out, 1.0f, w, rows, blk, ld, 0.0f, cols, ld);
        if (rc) return rc;
        for (int64_t s = 0; s < nb; s++)
            col2im_2d(&g, cols + s * n, ld, dx + (b0 + s) * c_in * h * wd, oh0, nh, ctx->threads);
    }
    return BV2J_OK;
}

int bv2j_conv2d_backward_weight(bv2j_ctx *ctx, const float *x, const float *dy, float *dw,
                                float *db, int64_t batch, int64_t c_in, int64_t h, int64_t wd,
                                int64_t c_out, int64_t h_out, int64_t w_out, int64_t kh,
                                int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw) {
    BV2J_CHECK(ctx && x && dy && dw);
    BV2J_CHECK(args_ok(batch, c_in, h, wd, c_out, h_out, w_out, kh, kw, sh, sw, ph, pw));
    const geom2d g = {c_in, h, wd, c_out, h_out, w_out, kh, kw, sh, sw, ph, pw};
    const int64_t rows = col_rows(&g), n_out = h_out * w_out;
    bv2j_bias_grad(dy, db, batch, c_out, n_out, ctx->threads);
    memset(dw, 0, (size_t) (c_out * rows) * sizeof(float));
    if (batch == 0 || n_out == 0) return BV2J_OK;
    tiling t;
    float *cols, *blk;
    int rc = begin(ctx, &g, batch, &t, &cols, &blk);
    if (rc) return rc;
    for (tile tl = {0}; next_tile(&g, &t, batch, &tl);) {
        const int64_t b0 = tl.b0, nb = tl.nb, oh0 = tl.oh0, nh = tl.nh, n = tl.n, ld = tl.ld;
        gather_block(dy + b0 * c_out * n_out, blk, nb, c_out, n_out, oh0 * w_out, n, ctx->threads);
        for (int64_t s = 0; s < nb; s++)
            im2col_2d(&g, x + (b0 + s) * c_in * h * wd, cols + s * n, ld, oh0, nh, ctx->threads);
        /* dw += dy cols^T: K spans every sample of the tile. */
        rc = bv2j_gemm(ctx, 0, 1, c_out, rows, ld, 1.0f, blk, ld, cols, ld, 1.0f, dw, rows);
        if (rc) return rc;
    }
    return BV2J_OK;
}
