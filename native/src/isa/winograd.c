/* Stride-1 conv1d by Winograd minimal filtering, F(4, r): four outputs of an r-tap filter from
 * alpha = r + 3 products per (input channel, output channel) pair instead of 4r, so the GEMMs that
 * carry the work shrink by 4r / alpha: 2x for k = 3 and, with wider kernels cut into chunks of
 * r = 4 taps, 2x for k = 7 and 2.1x for k = 11 (HiFi-GAN's residual blocks).
 *
 * Transforms (Toom-Cook): evaluate at the points 0, 1, -1, 2, -2, 1/2 and infinity. The matrices
 * are built in double precision for every call (a 7x7 inverse: microseconds) so no global state
 * exists. With these points float32 results stay within about 2x of a direct float32 convolution
 * of the float64 truth (WinogradConvTest checks both against the direct kernel).
 *
 * Dilation d: outputs are grouped in "super-tiles" of 4d consecutive outputs; column
 * col = w*d + s of the GEMMs holds the tile of outputs t = w*4d + s + d*i (i < 4), whose
 * input window is x[w*4d + s + d*e - pad] (e < alpha). A filter chunk g shifts the window by
 * 4dg positions, i.e. by g*d columns, so every chunk reads the same transformed input, shifted.
 * The column's four inputs e < 4 come from row e of the "phase" buffer at col, the inputs
 * e >= 4 from row e - 4 at col + d.
 *
 * Compiled once per instruction set (isa_vec.h), so the transforms' loops run on the context's
 * vector width and the products on its register tiles. */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <string.h>
#include "internal.h"
#include "isa_vec.h"

enum { WG_M = 4, WG_RMAX = 4, WG_AMAX = WG_M + WG_RMAX - 1 };

static const double WG_POINTS[WG_AMAX - 1] = {0.0, 1.0, -1.0, 2.0, -2.0, 0.5};

/* The nonzero terms of one row of a transform matrix, in column order. */
typedef struct {
    int n;
    int col[WG_AMAX];
    float coef[WG_AMAX];
} wg_terms;

typedef struct {
    int r, alpha;
    float g[WG_AMAX][WG_RMAX];  /* taps -> filter at the points */
    wg_terms at[WG_M];          /* products -> outputs */
    wg_terms bt[WG_AMAX];       /* input window -> input at the points */
} wg_plan;

static void wg_terms_of(wg_terms *t, const float *row, int n) {
    t->n = 0;
    for (int e = 0; e < n; e++) {
        if (row[e] == 0.0f) continue;
        t->col[t->n] = e;
        t->coef[t->n++] = row[e];
    }
}

/* Row p, column j of the evaluation matrix of polynomials with n coefficients; the last row is
 * the point at infinity, which picks the leading coefficient. */
static double wg_eval(int p, int j, int n, int alpha) {
    if (p == alpha - 1) return j == n - 1 ? 1.0 : 0.0;
    return pow(WG_POINTS[p], j);
}

/* In-place Gauss-Jordan inverse with partial pivoting (the matrix is a small Vandermonde). */
static void wg_invert(double a[WG_AMAX][WG_AMAX], double inv[WG_AMAX][WG_AMAX], int n) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) inv[i][j] = i == j;
    for (int c = 0; c < n; c++) {
        int piv = c;
        for (int i = c + 1; i < n; i++)
            if (fabs(a[i][c]) > fabs(a[piv][c])) piv = i;
        for (int j = 0; j < n; j++) {
            double t = a[c][j]; a[c][j] = a[piv][j]; a[piv][j] = t;
            t = inv[c][j]; inv[c][j] = inv[piv][j]; inv[piv][j] = t;
        }
        const double d = a[c][c];
        for (int j = 0; j < n; j++) { a[c][j] /= d; inv[c][j] /= d; }
        for (int i = 0; i < n; i++) {
            if (i == c || a[i][c] == 0.0) continue;
            const double f = a[i][c];
            for (int j = 0; j < n; j++) { a[i][j] -= f * a[c][j]; inv[i][j] -= f * inv[c][j]; }
        }
    }
}

/* Correlation y = A^T [(G w) . (B^T x)]: A^T evaluates the outputs' polynomial, G the filter's,
 * and B^T is the transposed interpolation (transposition principle applied to Toom-Cook). */
static void wg_plan_init(wg_plan *pl, int r) {
    const int alpha = WG_M + r - 1;
    double v[WG_AMAX][WG_AMAX], vinv[WG_AMAX][WG_AMAX];
    for (int p = 0; p < alpha; p++)
        for (int j = 0; j < alpha; j++) v[p][j] = wg_eval(p, j, alpha, alpha);
    wg_invert(v, vinv, alpha);
    memset(pl, 0, sizeof *pl);
    pl->r = r;
    pl->alpha = alpha;
    float at[WG_M][WG_AMAX] = {{0}}, bt[WG_AMAX][WG_AMAX] = {{0}};
    for (int p = 0; p < alpha; p++) {
        for (int i = 0; i < WG_M; i++) at[i][p] = (float) wg_eval(p, i, WG_M, alpha);
        for (int q = 0; q < r; q++) pl->g[p][q] = (float) wg_eval(p, q, r, alpha);
        for (int e = 0; e < alpha; e++) bt[p][e] = (float) vinv[e][p];
    }
    for (int i = 0; i < WG_M; i++) wg_terms_of(&pl->at[i], at[i], alpha);
    for (int p = 0; p < alpha; p++) wg_terms_of(&pl->bt[p], bt[p], alpha);
}

/* Per-call shape of the problem. */
typedef struct {
    wg_plan pl;
    int64_t c_in, t_in, c_out, t_out, kernel, pad, d;
    int64_t chunks;  /* filter chunks of r taps (taps past the kernel are zero) */
    int64_t krows;   /* GEMM depth: chunks * c_in */
    int64_t cols;    /* GEMM columns of one batch item: super-tiles * d */
    int64_t width;   /* columns per work unit */
    int in_act;
    float slope;
} wg_shape;

/* Position of column col's first output (and, minus pad, of its input window). */
static inline int64_t wg_pos(const wg_shape *s, int64_t col) {
    return (col / s->d) * s->d * WG_M + col % s->d;
}

/* u[p][co][g*c_in + ci] = sum_q G[p][q] w[co][ci][g*r + q]: the filters at the points, laid out
 * as one [c_out, chunks*c_in] GEMM operand per point. Each output channel's taps are first
 * transposed to [tap][ci] (wt, c_in * kernel floats) so the sums run along ci, vectorised. */
static void wg_filters(const wg_shape *s, const float *w, float *u, float *wt_all, int threads) {
    const int64_t r = s->pl.r, alpha = s->pl.alpha, k = s->kernel, c_in = s->c_in;
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1 && s->c_out * s->krows * alpha > BV2J_PARALLEL_MIN)
    for (int64_t co = 0; co < s->c_out; co++) {
        float *wt = wt_all + (int64_t) omp_get_thread_num() * c_in * k;
        const float *wr = w + co * c_in * k;
        for (int64_t ci = 0; ci < c_in; ci++)
            for (int64_t j = 0; j < k; j++) wt[j * c_in + ci] = wr[ci * k + j];
        for (int64_t g = 0; g < s->chunks; g++) {
            const int64_t taps = k - g * r < r ? k - g * r : r; /* the last chunk may be short */
            for (int64_t p = 0; p < alpha; p++) {
                float *restrict dst = u + (p * s->c_out + co) * s->krows + g * c_in;
                for (int64_t ci = 0; ci < c_in; ci++) dst[ci] = 0.0f;
                for (int64_t q = 0; q < taps; q++) {
                    const float gq = s->pl.g[p][q];
                    const float *restrict src = wt + (g * r + q) * c_in;
                    for (int64_t ci = 0; ci < c_in; ci++) dst[ci] += gq * src[ci];
                }
            }
        }
    }
}

/* The input activation: leaky ReLU or the identity. */
static inline float wg_act(const wg_shape *s, float v) {
    const float scaled = v * s->slope;
    return s->in_act == BV2J_CONV_ACT_LEAKY_RELU ? (v > 0.0f ? v : scaled) : v;
}

/* Row q of the phase buffer for columns c0 .. c0+n-1, every index checked against x's bounds. */
static void wg_gather_checked(const wg_shape *s, const float *xr, float *dst, int64_t q,
                              int64_t c0, int64_t n) {
    const int64_t d = s->d;
    int64_t c = 0, res = c0 % d, base = wg_pos(s, c0) - res + d * q - s->pad;
    while (c < n) {
        const int64_t run = d - res < n - c ? d - res : n - c; /* rest of this super-tile */
        for (int64_t k = 0; k < run; k++) {
            const int64_t i = base + res + k;
            dst[c + k] = i >= 0 && i < s->t_in ? wg_act(s, xr[i]) : 0.0f;
        }
        c += run;
        res = 0;
        base += d * WG_M;
    }
}

/* Row q for whole super-tiles inside x, d fixed at compile time: src is x at the first one. */
#define WG_GATHER_FIXED(D)                                                                     \
    static void wg_gather_d##D(float *restrict dst, const float *restrict src, int64_t tiles,  \
                               int leaky, float slope) {                                       \
        for (int64_t w = 0; w < tiles; w++)                                                    \
            for (int k = 0; k < D; k++) {                                                      \
                const float v = src[w * WG_M * D + k], scaled = v * slope;                     \
                dst[w * D + k] = leaky ? (v > 0.0f ? v : scaled) : v;                          \
            }                                                                                  \
    }
WG_GATHER_FIXED(1)
WG_GATHER_FIXED(3)
WG_GATHER_FIXED(5)

/* ph[q][c] = act(x[pos(c0 + c) + d*q - pad]) for c < n (0 outside the input). Column
 * c0 + c is residue (c0 + c) % d of super-tile (c0 + c) / d, so for a fixed q the columns read
 * runs of d consecutive inputs, 4d apart. Dilations 1, 3 and 5 (HiFi-GAN's) get a copy with d
 * known at compile time, which GCC vectorises; the edges and other dilations take the checked
 * path. */
static void wg_gather(const wg_shape *s, const float *xr, float *ph, int64_t ld, int64_t c0,
                      int64_t n) {
    const int64_t d = s->d;
    for (int64_t q = 0; q < WG_M; q++) {
        float *dst = ph + q * ld;
        if (d != 1 && d != 3 && d != 5) {
            wg_gather_checked(s, xr, dst, q, c0, n);
            continue;
        }
        /* Whole super-tiles whose inputs all lie inside x go through the fixed-d copy. */
        int64_t lo = (c0 + d - 1) / d * d - c0; /* first column of a whole super-tile */
        if (lo > n) lo = n;
        int64_t first = (c0 + lo) / d;           /* its super-tile */
        while (lo < n && first * d * WG_M + d * q - s->pad < 0) { lo += d; first++; }
        if (lo > n) lo = n;
        int64_t tiles = (n - lo) / d;
        while (tiles > 0 && (first + tiles) * d * WG_M - 3 * d + d * q - s->pad > s->t_in) tiles--;
        wg_gather_checked(s, xr, dst, q, c0, lo);
        const float *src = xr + first * d * WG_M + d * q - s->pad;
        const int leaky = s->in_act == BV2J_CONV_ACT_LEAKY_RELU;
        if (d == 1) wg_gather_d1(dst + lo, src, tiles, leaky, s->slope);
        else if (d == 3) wg_gather_d3(dst + lo, src, tiles, leaky, s->slope);
        else wg_gather_d5(dst + lo, src, tiles, leaky, s->slope);
        const int64_t hi = lo + tiles * d;
        wg_gather_checked(s, xr, dst + hi, q, c0 + hi, n - hi);
    }
}

/* Columns handled at once by the transforms: small enough that the accumulators stay in L1. */
enum { WG_BLOCK = 64 };

/* y[pos(col) + d*i] = o[i][j] + bias + residual for the block's columns col = col0 + j; for
 * d = 1 the four outputs of a column are consecutive, for d > 1 runs of d columns are. */
static void wg_scatter(const wg_shape *s, const float o[WG_M][WG_BLOCK], float *yr,
                       const float *rr, float b0, int64_t col0, int64_t nb) {
    const int64_t d = s->d;
    int64_t j = 0, res = col0 % d, base = wg_pos(s, col0) - res;
    while (j < nb) {
        const int64_t run = d - res < nb - j ? d - res : nb - j;
        for (int i = 0; i < WG_M; i++) {
            const int64_t t0 = base + res + d * i;
            const int64_t m = s->t_out - t0 < run ? s->t_out - t0 : run; /* outputs inside y */
            for (int64_t k = 0; k < m; k++)
                yr[t0 + k] = o[i][j + k] + b0 + (rr ? rr[t0 + k] : 0.0f);
        }
        j += run;
        res = 0;
        base += d * WG_M;
    }
}

/* d = 1: column j's outputs are y[4 (col0 + j) + i]; written in time order. */
static void wg_scatter_dense(const wg_shape *s, const float o[WG_M][WG_BLOCK], float *yr,
                             const float *rr, float b0, int64_t col0, int64_t nb) {
    const int64_t t0 = col0 * WG_M;
    if (t0 + nb * WG_M > s->t_out) {
        wg_scatter(s, o, yr, rr, b0, col0, nb);
        return;
    }
    float *restrict yt = yr + t0;
    if (rr) {
        const float *restrict rt = rr + t0;
        for (int64_t j = 0; j < nb; j++)
            for (int i = 0; i < WG_M; i++) yt[j * WG_M + i] = o[i][j] + b0 + rt[j * WG_M + i];
    } else {
        for (int64_t j = 0; j < nb; j++)
            for (int i = 0; i < WG_M; i++) yt[j * WG_M + i] = o[i][j] + b0;
    }
}

/* One register of floats at any alignment (a generic vector wider than the hardware's is split
 * by GCC through the stack: 16 floats on AVX2 cost more in spills than in arithmetic). */
typedef float wg_vec __attribute__((vector_size(VL * sizeof(float)), aligned(4)));

/* dst[j] = sum over the row's nonzero terms of coef * src[col][j] for j < nb. Each VL-column
 * slice sums its terms in a register and is stored once (a pass per term stored and reloaded
 * dst for every term); the terms are added in the same order either way. */
static inline void wg_combine(float *restrict dst, const float *const src[WG_AMAX],
                              const wg_terms *row, int64_t nb) {
    const int n = row->n;
    const float *k = row->coef;
    if (n == 0) {
        for (int64_t j = 0; j < nb; j++) dst[j] = 0.0f;
        return;
    }
    const float *sv[WG_AMAX] = {src[row->col[0]]};
    for (int t = 1; t < n; t++) sv[t] = src[row->col[t]];
    int64_t j = 0;
    for (; j + VL <= nb; j += VL) {
        wg_vec acc = k[0] * *(const wg_vec *) (sv[0] + j);
        for (int t = 1; t < n; t++) acc += k[t] * *(const wg_vec *) (sv[t] + j);
        *(wg_vec *) (dst + j) = acc;
    }
    for (; j < nb; j++) {
        float acc = k[0] * sv[0][j];
        for (int t = 1; t < n; t++) acc += k[t] * sv[t][j];
        dst[j] = acc;
    }
}

/* Row length of the phase and transformed-input buffers: a unit's columns plus the chunks' halo,
 * rounded up to 16 floats so that every row starts on a cache line (the width is a multiple of 16
 * and the buffers start 64-byte aligned): the GEMM's loads of chunk 0's rows then never straddle
 * two lines. */
static int64_t wg_row_length(const wg_shape *s) {
    return s->width + (s->chunks * s->d + 15) / 16 * 16;
}

/* Floats of one thread's work buffers in wg_unit (the own GEMM's row offsets come after them). */
static int64_t wg_unit_floats(const bv2j_ctx *ctx, const wg_shape *s) {
    const int64_t alpha = s->pl.alpha, ld = wg_row_length(s);
    const int64_t packed = ctx->own_gemm ? 0 : alpha * s->krows * s->width;
    return WG_M * ld + alpha * s->c_in * ld + packed + alpha * s->c_out * s->width;
}

/* One work unit on the calling thread: columns c0 .. c0+n-1 of one batch item. */
static void wg_unit(const bv2j_ctx *ctx, const wg_shape *s, const float *xb,
                                       const float *u, const float *bias, const float *rb,
                                       float *yb, float *buf, int64_t c0, int64_t n) {
    const int alpha = s->pl.alpha;
    const int64_t d = s->d, width = s->width, halo = s->chunks * d;
    const int64_t ld = wg_row_length(s);       /* phase and transformed-input row length */
    float *ph = buf;                           /* [4][ld] */
    float *vt = ph + WG_M * ld;                /* [alpha][c_in][ld] transformed inputs */
    float *bm = vt + alpha * s->c_in * ld;     /* [alpha][krows][width], OpenBLAS only */
    float *mm = bm + (ctx->own_gemm ? 0 : alpha * s->krows * width); /* [alpha][c_out][width] */
    int64_t *rows = (int64_t *) (((uintptr_t) (mm + alpha * s->c_out * width) + 7) & ~(uintptr_t) 7);

    /* Each input channel is gathered and transformed once over the unit's columns plus the
     * chunks' halo; row g*c_in + ci of a point's GEMM operand is then that channel's transformed
     * row from column g*d on. */
    const int64_t nv = n + (s->chunks - 1) * d;
    for (int64_t ci = 0; ci < s->c_in; ci++) {
        wg_gather(s, xb + ci * s->t_in, ph, ld, c0, n + halo);
        for (int64_t cb = 0; cb < nv; cb += WG_BLOCK) {
            const int64_t nb = nv - cb < WG_BLOCK ? nv - cb : WG_BLOCK;
            const float *src[WG_AMAX];
            for (int e = 0; e < alpha; e++) src[e] = ph + (e % WG_M) * ld + (e / WG_M) * d + cb;
            for (int p = 0; p < alpha; p++)
                wg_combine(vt + ((int64_t) p * s->c_in + ci) * ld + cb, src, &s->pl.bt[p], nb);
        }
    }
    /* The own GEMM reads each point's transformed rows where they lie. */
    if (ctx->own_gemm)
        for (int64_t g = 0; g < s->chunks; g++)
            for (int64_t ci = 0; ci < s->c_in; ci++) rows[g * s->c_in + ci] = ci * ld + g * d;
    for (int p = 0; p < alpha; p++) {
        const float *up = u + (int64_t) p * s->c_out * s->krows, *vp = vt + (int64_t) p * s->c_in * ld;
        float *mp = mm + (int64_t) p * s->c_out * width;
        if (ctx->own_gemm) {
            ISA(bv2j_gemm_tiles_rows)(s->c_out, n, s->krows, up, s->krows, vp, rows, mp, width, 0);
        } else {
            float *bp = bm + (int64_t) p * s->krows * width;
            for (int64_t g = 0; g < s->chunks; g++)
                for (int64_t ci = 0; ci < s->c_in; ci++)
                    memcpy(bp + (g * s->c_in + ci) * width, vp + ci * ld + g * d, (size_t) n * sizeof(float));
            ctx->sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_NO_TRANS, (int) s->c_out, (int) n,
                       (int) s->krows, 1.0f, up, (int) s->krows, bp, (int) width, 0.0f, mp, (int) width);
        }
    }
    for (int64_t co = 0; co < s->c_out; co++) {
        float *yr = yb + co * s->t_out;
        const float *rr = rb ? rb + co * s->t_out : NULL;
        const float b0 = bias ? bias[co] : 0.0f;
        for (int64_t cb = 0; cb < n; cb += WG_BLOCK) {
            const int64_t nb = n - cb < WG_BLOCK ? n - cb : WG_BLOCK;
            const float *src[WG_AMAX];
            for (int p = 0; p < alpha; p++) src[p] = mm + ((int64_t) p * s->c_out + co) * width + cb;
            float o[WG_M][WG_BLOCK];
            for (int i = 0; i < WG_M; i++) wg_combine(o[i], src, &s->pl.at[i], nb);
            if (d == 1) wg_scatter_dense(s, (const float (*)[WG_BLOCK]) o, yr, rr, b0, c0 + cb, nb);
            else wg_scatter(s, (const float (*)[WG_BLOCK]) o, yr, rr, b0, c0 + cb, nb);
        }
    }
}

/* Columns per work unit: wide enough that repacking a point's filters [c_out, krows] is cheap
 * beside its GEMM, narrow enough that the transformed inputs stay near 4 MiB; the unit count is
 * a multiple of the team when one batch item must feed every thread. */
static int64_t wg_width(const wg_shape *s, int64_t batch, int threads) {
    int64_t n = (int64_t) (4u << 20) / (int64_t) sizeof(float) / (s->pl.alpha * s->krows);
    if (n < 128) n = 128;
    if (n > 1024) n = 1024;
    int64_t units = (s->cols + n - 1) / n;
    if (batch < threads) {
        const int64_t per = (threads + batch - 1) / batch;
        units = (units + per - 1) / per * per;
    }
    n = (s->cols + units - 1) / units;
    n = (n + 15) / 16 * 16;
    return n;
}

int ISA(bv2j_conv1d_winograd)(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                         const float *residual, float *y, int64_t batch, int64_t c_in,
                         int64_t t_in, int64_t c_out, int64_t t_out, int64_t kernel,
                         int64_t pad_left, int64_t dilation, int in_act, float in_slope) {
    BV2J_CHECK(ctx && x && w && y);
    BV2J_CHECK(batch >= 0 && c_in > 0 && t_in >= 0 && c_out > 0 && t_out >= 0);
    BV2J_CHECK(kernel >= 2 && pad_left >= 0 && dilation > 0);
    BV2J_CHECK(in_act == BV2J_CONV_ACT_NONE || in_act == BV2J_CONV_ACT_LEAKY_RELU);
    if (batch == 0 || t_out == 0) return BV2J_OK;
    wg_shape s;
    wg_plan_init(&s.pl, kernel < WG_RMAX ? (int) kernel : WG_RMAX);
    s.c_in = c_in; s.t_in = t_in; s.c_out = c_out; s.t_out = t_out; s.kernel = kernel;
    s.pad = pad_left; s.d = dilation; s.in_act = in_act; s.slope = in_slope;
    s.chunks = (kernel + s.pl.r - 1) / s.pl.r;
    s.krows = s.chunks * c_in;
    BV2J_CHECK(t_out <= INT64_MAX / 2 - WG_M * dilation);
    s.cols = (t_out + WG_M * dilation - 1) / (WG_M * dilation) * dilation;
    BV2J_CHECK(BV2J_FITS_INT(s.krows) && BV2J_FITS_INT(c_out) && BV2J_FITS_INT(s.cols));

    const int threads = ctx->threads;
    s.width = wg_width(&s, batch, threads);
    const int64_t units_per_item = (s.cols + s.width - 1) / s.width, units = batch * units_per_item;
    const int team = units < threads ? (int) units : threads;
    const int64_t filters = s.pl.alpha * c_out * s.krows, taps = threads * c_in * kernel;
    /* Work buffers, then krows row offsets (int64, aligned up by at most one float); each
     * thread's share starts on a cache line, like the scratch itself. */
    const int64_t per_thread = (wg_unit_floats(ctx, &s) + 2 * s.krows + 1 + 15) / 16 * 16;
    const int64_t head = (filters + taps + 15) / 16 * 16;
    float *scratch = bv2j_scratch(ctx, (size_t) (head + team * per_thread) * sizeof(float));
    if (scratch == NULL) return BV2J_ENOMEM;
    wg_filters(&s, w, scratch, scratch + filters, threads);
    float *bufs = scratch + head;
#pragma omp parallel for num_threads(team) schedule(dynamic, 1) if (team > 1)
    for (int64_t i = 0; i < units; i++) {
        const int64_t b = i / units_per_item, c0 = (i % units_per_item) * s.width;
        const int64_t n = s.cols - c0 < s.width ? s.cols - c0 : s.width;
        wg_unit(ctx, &s, x + b * c_in * t_in, scratch, bias,
                residual ? residual + b * c_out * t_out : NULL, y + b * c_out * t_out,
                bufs + (int64_t) omp_get_thread_num() * per_thread, c0, n);
    }
    return BV2J_OK;
}
