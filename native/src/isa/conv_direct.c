/* Stride-1 conv1d as an implicit GEMM ("direct"):
 *   y[co, t] += sum over r = ci*K + j of w[co, r] * x[ci, t + j*d - pad]
 * computed in register tiles that read the weights and the input where they lie: 12 x 32 on
 * AVX-512 (24 zmm accumulators), 6 x 16 on AVX2 + FMA (12 ymm accumulators). Compiled once per
 * instruction set (isa_vec.h); isa.c picks the copy.
 *
 * Why not im2col + OpenBLAS here: OpenBLAS repacks the whole weight matrix at every call, and
 * at text-side lengths (160 frames, split over two threads) its copy routines took 17% of the
 * flow's samples beside sgemm_kernel's 27%; the column matrix of a k-tap kernel is also k times
 * the input it was gathered from. Here row r of the GEMM's right operand is x's row ci shifted
 * by j*d, so nothing is copied except the panels at either end of the time axis, whose windows
 * reach into the zero padding, and (for inputs whose rows lie a page or more apart) each
 * panel's rows, laid side by side so the tiles do not miss the TLB on every row.
 *
 * Every output is reduced over r in order, in blocks of KC rows added into y, whatever the
 * thread count or split: results do not depend on the number of threads.
 *
 * The same register tiles serve Winograd's per-point products (gemm_tiles_rows: the
 * transformed input rows read where the transform wrote them), where OpenBLAS's packing of both
 * operands and the copies that laid the rows out for it cost ~14% of the decoder, and
 * attention's two products per block of queries (gemm_tiles). */
#include <omp.h>
#include <string.h>
#include "internal.h"
#include "isa_vec.h"

/* Register tile MR x NR (two registers wide), KC rows per pass (a panel of B is KC x NR floats:
 * 32 KiB on AVX-512, 16 KiB on AVX2, held in L1), MC weight rows per pass (MC x KC = 192 KiB, in
 * L2; a multiple of both tile heights). */
enum { MR = TILE_MR, NR = 2 * VL, KC = 256, MC = 192 };

/* One batch item's problem; y already holds bias + residual. */
typedef struct {
    const float *x; /* [c_in, t_in], activation applied */
    const float *w; /* [c_out, rows] */
    float *y;       /* [c_out, t_out] */
    int64_t t_in, c_out, t_out, kernel, pad, d, rows;
} direct_job;

/* C[mr, NR] = A[mr, kc] B[kc, NR] (+ C when load_c) where row k of B starts at b + boff[k];
 * lanes outside the masks are neither read nor written. `full` (all NR lanes, known at compile
 * time) loads B without masks: on AVX2 the two mask registers would not fit beside the 12
 * accumulators and were spilled inside the loop (6 x 16 tiles at ~45% of OpenBLAS's speed). */
static inline __attribute__((always_inline)) void
tile(const int mr, const int full, int64_t kc, const float *a, int64_t lda, const float *b,
     const int64_t *boff, float *c, int64_t ldc, vmask m0, vmask m1, int load_c) {
    vf acc[MR][2];
    for (int i = 0; i < mr; i++) acc[i][0] = acc[i][1] = vzero();
    for (int64_t k = 0; k < kc; k++) {
        const float *bk = b + boff[k];
        const vf b0 = full ? vload(bk) : vload_masked(m0, bk);
        const vf b1 = full ? vload(bk + VL) : vload_masked(m1, bk + VL);
        for (int i = 0; i < mr; i++) {
            const vf ai = vbroadcast(a[i * lda + k]);
            acc[i][0] = vfmadd(ai, b0, acc[i][0]);
            acc[i][1] = vfmadd(ai, b1, acc[i][1]);
        }
    }
    for (int i = 0; i < mr; i++) {
        float *ci = c + i * ldc;
        if (load_c) {
            acc[i][0] = vadd(vload_masked(m0, ci), acc[i][0]);
            acc[i][1] = vadd(vload_masked(m1, ci + VL), acc[i][1]);
        }
        vstore_masked(ci, m0, acc[i][0]);
        vstore_masked(ci + VL, m1, acc[i][1]);
    }
}

/* The tile with the row count and fullness fixed at compile time, so the accumulators live in
 * registers. */
#define TILE_ROWS(R)                                                                     \
    case R:                                                                              \
        if (full) tile(R, 1, kc, a, lda, b, boff, c, ldc, m0, m1, load_c);               \
        else tile(R, 0, kc, a, lda, b, boff, c, ldc, m0, m1, load_c);                    \
        break;
static void tile_rows(int mr, int64_t kc, const float *a, int64_t lda, const float *b,
                      const int64_t *boff, float *c, int64_t ldc, int full, vmask m0, vmask m1,
                      int load_c) {
    switch (mr) {
#if TILE_MR == 12
        TILE_ROWS(12) TILE_ROWS(11) TILE_ROWS(10) TILE_ROWS(9) TILE_ROWS(8) TILE_ROWS(7)
#elif TILE_MR != 6
#error "tile_rows has no cases for this TILE_MR"
#endif
        TILE_ROWS(6) TILE_ROWS(5) TILE_ROWS(4) TILE_ROWS(3) TILE_ROWS(2) TILE_ROWS(1)
        default: break;
    }
}
#undef TILE_ROWS

/* Rows k0 .. k0+kc of the panel starting at output t0 (width w), gathered with zeros where the
 * window leaves x: pack[k*NR + u] = x[ci, t0 + u + j*d - pad] for r = k0 + k = ci*K + j. */
static void gather_panel(const direct_job *jb, int64_t k0, int64_t kc, int64_t t0, int64_t w,
                         float *pack) {
    for (int64_t k = 0; k < kc; k++) {
        const int64_t r = k0 + k, ci = r / jb->kernel, j = r % jb->kernel;
        const float *xr = jb->x + ci * jb->t_in;
        const int64_t base = t0 + j * jb->d - jb->pad;
        float *dst = pack + k * NR;
        for (int64_t u = 0; u < NR; u++) {
            const int64_t ti = base + u;
            dst[u] = u < w && ti >= 0 && ti < jb->t_in ? xr[ti] : 0.0f;
        }
    }
}

/* gemm_tiles_rows for k > 0: the same blocking as direct_block, every panel read in place
 * (copying each panel's rows next to each other first measured 10-35% slower on Zen 3's AVX2
 * tiles, and the tiles run at OpenBLAS's speed per core without it). */
static void gemm_blocks(int64_t m, int64_t n, int64_t k, const float *a, int64_t lda,
                        const float *b, const int64_t *row_off, float *c, int64_t ldc,
                        int accumulate) {
    for (int64_t k0 = 0; k0 < k; k0 += KC) {
        const int64_t kc = k - k0 < KC ? k - k0 : KC;
        const int load_c = accumulate || k0 > 0;
        for (int64_t m0 = 0; m0 < m; m0 += MC) {
            const int64_t m1 = m - m0 < MC ? m : m0 + MC;
            for (int64_t j0 = 0; j0 < n; j0 += NR) {
                const int64_t w = n - j0 < NR ? n - j0 : NR;
                for (int64_t i = m0; i < m1; i += MR) {
                    const int mr = m1 - i < MR ? (int) (m1 - i) : MR;
                    tile_rows(mr, kc, a + i * lda + k0, lda, b + j0, row_off + k0, c + i * ldc + j0,
                              ldc, w == NR, vmask_lanes(w), vmask_lanes(w - VL), load_c);
                }
            }
        }
    }
}

/* Output rows [i0, i1) and column panels [q0, q1) of one item, one pass per KC rows of the
 * GEMM. off_x (KC entries) and pack (KC x NR floats) are the calling thread's;
 * off_pack[k] = k * NR. */
static void direct_panels(const direct_job *jb, int64_t i0, int64_t i1, int64_t q0,
                                        int64_t q1, int64_t *off_x, const int64_t *off_pack,
                                        float *pack) {
    /* Panels whose every window lies inside x are read in place, unless x's rows are a page
     * or more apart: a panel's KC rows then touch KC pages and the TLB misses cost more than
     * copying the rows next to each other (128 channels x 10240 steps: 5.6 -> 3.9 ms). */
    const int64_t reach = (jb->kernel - 1) * jb->d - jb->pad;
    const int copy_rows = jb->t_in * (int64_t) sizeof(float) >= 4096;
    for (int64_t k0 = 0; k0 < jb->rows; k0 += KC) {
        const int64_t kc = jb->rows - k0 < KC ? jb->rows - k0 : KC;
        for (int64_t k = 0; k < kc; k++) {
            const int64_t r = k0 + k;
            off_x[k] = (r / jb->kernel) * jb->t_in + (r % jb->kernel) * jb->d;
        }
        for (int64_t m0 = i0; m0 < i1; m0 += MC) {
            const int64_t m1 = i1 - m0 < MC ? i1 : m0 + MC;
            for (int64_t q = q0; q < q1; q++) {
                const int64_t t0 = q * NR, w = jb->t_out - t0 < NR ? jb->t_out - t0 : NR;
                const vmask mask0 = vmask_lanes(w), mask1 = vmask_lanes(w - VL);
                const float *b;
                const int64_t *boff;
                if (t0 - jb->pad >= 0 && t0 + w - 1 + reach < jb->t_in) {
                    b = jb->x + (t0 - jb->pad);
                    boff = off_x;
                    if (copy_rows) {
                        for (int64_t k = 0; k < kc; k++)
                            memcpy(pack + k * NR, b + off_x[k], (size_t) w * sizeof(float));
                        b = pack;
                        boff = off_pack;
                    }
                } else {
                    gather_panel(jb, k0, kc, t0, w, pack);
                    b = pack;
                    boff = off_pack;
                }
                for (int64_t i = m0; i < m1; i += MR) {
                    const int mr = m1 - i < MR ? (int) (m1 - i) : MR;
                    tile_rows(mr, kc, jb->w + i * jb->rows + k0, jb->rows, b, boff,
                              jb->y + i * jb->t_out + t0, jb->t_out, w == NR, mask0, mask1, 1);
                }
            }
        }
    }
}

/* direct_panels over blocks of panels whose outputs stay within OUT_BLOCK floats, so that the
 * passes over the GEMM rows find y in cache rather than streaming a long utterance's whole
 * output (10 MB for a 3343-frame flow layer) through memory once per KC rows. */
enum { OUT_BLOCK = 128 * 1024 };
static void direct_block(const direct_job *jb, int64_t i0, int64_t i1, int64_t q0, int64_t q1,
                         int64_t *off_x, const int64_t *off_pack, float *pack) {
    int64_t per = OUT_BLOCK / ((i1 - i0) * NR);
    if (per < 1) per = 1;
    for (int64_t qb = q0; qb < q1; qb += per)
        direct_panels(jb, i0, i1, qb, q1 - qb < per ? q1 : qb + per, off_x, off_pack, pack);
}

void ISA(bv2j_gemm_tiles_rows)(int64_t m, int64_t n, int64_t k, const float *a, int64_t lda,
                               const float *b, const int64_t *row_off, float *c, int64_t ldc,
                               int accumulate) {
    if (k == 0) {
        if (!accumulate)
            for (int64_t i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t) n * sizeof(float));
        return;
    }
    gemm_blocks(m, n, k, a, lda, b, row_off, c, ldc, accumulate);
}

void ISA(bv2j_gemm_tiles)(int64_t m, int64_t n, int64_t k, const float *a, int64_t lda,
                          const float *b, int64_t ldb, float *c, int64_t ldc, int accumulate) {
    if (k == 0) {
        ISA(bv2j_gemm_tiles_rows)(m, n, 0, a, lda, b, NULL, c, ldc, accumulate);
        return;
    }
    int64_t off[KC];
    for (int64_t r = 0; r < KC; r++) off[r] = r * ldb;
    for (int64_t k0 = 0; k0 < k; k0 += KC) {
        const int64_t kc = k - k0 < KC ? k - k0 : KC;
        gemm_blocks(m, n, kc, a + k0, lda, b + k0 * ldb, off, c, ldc, accumulate || k0 > 0);
    }
}

/* y[i0:i1, t0:t1] = bias + residual (either may be NULL). */
static void start_outputs(float *y, const float *bias, const float *residual, int64_t t_out,
                          int64_t i0, int64_t i1, int64_t t0, int64_t t1) {
    for (int64_t co = i0; co < i1; co++) {
        float *yr = y + co * t_out;
        const float b0 = bias ? bias[co] : 0.0f;
        if (residual) {
            const float *rr = residual + co * t_out;
            for (int64_t t = t0; t < t1; t++) yr[t] = rr[t] + b0;
        } else {
            for (int64_t t = t0; t < t1; t++) yr[t] = b0;
        }
    }
}

/* act(x) into dst for the leaky-ReLU case (the GEMM then reads activated rows in place). */
static void activate(const float *restrict x, float *restrict dst, int64_t n, float slope,
                     int threads) {
#pragma omp parallel for num_threads(threads) schedule(static) if (n > BV2J_PARALLEL_MIN)
    for (int64_t i = 0; i < n; i++) {
        const float v = x[i], scaled = v * slope;
        dst[i] = v > 0.0f ? v : scaled;
    }
}

int ISA(bv2j_conv1d_direct)(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                            const float *residual, float *y, int64_t batch, int64_t c_in,
                            int64_t t_in, int64_t c_out, int64_t t_out, int64_t kernel,
                            int64_t pad_left, int64_t dilation, int in_act, float in_slope) {
    BV2J_CHECK(ctx && x && w && y);
    BV2J_CHECK(batch >= 0 && c_in > 0 && t_in >= 0 && c_out > 0 && t_out >= 0);
    BV2J_CHECK(kernel > 0 && pad_left >= 0 && dilation > 0);
    BV2J_CHECK(in_act == BV2J_CONV_ACT_NONE || in_act == BV2J_CONV_ACT_LEAKY_RELU);
    BV2J_CHECK(c_in <= INT64_MAX / kernel && c_in * kernel <= INT_MAX);
    if (batch == 0 || t_out == 0) return BV2J_OK;
    const int64_t rows = c_in * kernel, item_in = c_in * t_in, item_out = c_out * t_out;
    const int threads = ctx->threads;
    /* Work units: whole items when there are enough of them, else each item cut into `parts`
     * (by output columns when there are many panels, else by output rows). */
    const int64_t panels = (t_out + NR - 1) / NR, tiles_m = (c_out + MR - 1) / MR;
    const int64_t parts = batch >= threads ? 1 : (threads + batch - 1) / batch;
    const int by_cols = panels >= 4 * parts || tiles_m < parts;
    const int64_t units = batch * parts;
    const int team = units < threads ? (int) units : threads;
    const int act = in_act == BV2J_CONV_ACT_LEAKY_RELU;
    /* Scratch: the activated input (if any), then per thread KC offsets and a KC x NR panel,
     * then the packed panels' offsets. */
    const size_t act_floats = act ? (size_t) (batch * item_in) : 0;
    const size_t per_thread = (size_t) KC * sizeof(int64_t) + (size_t) KC * NR * sizeof(float);
    const size_t bytes = act_floats * sizeof(float) + (size_t) team * per_thread + KC * sizeof(int64_t);
    char *scratch = bv2j_scratch(ctx, bytes);
    if (scratch == NULL) return BV2J_ENOMEM;
    const float *xs = x;
    if (act) {
        activate(x, (float *) scratch, batch * item_in, in_slope, threads);
        xs = (const float *) scratch;
    }
    char *thread_area = scratch + act_floats * sizeof(float);
    int64_t *off_pack = (int64_t *) (thread_area + (size_t) team * per_thread);
    for (int64_t k = 0; k < KC; k++) off_pack[k] = k * NR;
    const int parallel = team > 1 && item_out * rows * batch > BV2J_PARALLEL_MIN;
#pragma omp parallel for num_threads(team) schedule(dynamic, 1) if (parallel)
    for (int64_t u = 0; u < units; u++) {
        const int64_t b = u / parts, part = u % parts;
        char *mine = thread_area + (size_t) omp_get_thread_num() * per_thread;
        const direct_job jb = {xs + b * item_in, w, y + b * item_out, t_in, c_out, t_out, kernel,
                               pad_left, dilation, rows};
        int64_t i0 = 0, i1 = c_out, q0 = 0, q1 = panels;
        if (by_cols) {
            q0 = panels * part / parts;
            q1 = panels * (part + 1) / parts;
        } else {
            i0 = tiles_m * part / parts * MR;
            i1 = tiles_m * (part + 1) / parts * MR;
            if (i1 > c_out) i1 = c_out;
        }
        const int64_t t0 = q0 * NR, t1 = q1 * NR < t_out ? q1 * NR : t_out;
        start_outputs(jb.y, bias, residual ? residual + b * item_out : NULL, t_out, i0, i1, t0, t1);
        if (i0 < i1 && q0 < q1)
            direct_block(&jb, i0, i1, q0, q1, (int64_t *) mine, off_pack,
                         (float *) (mine + (size_t) KC * sizeof(int64_t)));
    }
    return BV2J_OK;
}
