/* Self attention with windowed relative position embeddings (VITS attentions.MultiHeadAttention,
 * heads_share=True, no proximal bias, no block mask). Blocks of query rows against all keys:
 * O(block x T) memory per thread, and the products run as GEMMs. */
#include <immintrin.h>
#include <math.h>
#include <string.h>
#include <omp.h>
#include "internal.h"
#include "counter_rng.h"

/* [B, H*D, T] -> [B, H, T, D] so every dot product runs over contiguous memory. */
static void to_rows(const float *src, float *dst, int64_t batch, int64_t heads, int64_t dim,
                    int64_t time, int threads) {
#pragma omp parallel for collapse(2) num_threads(threads) schedule(static) if (batch * heads * dim * time > BV2J_PARALLEL_MIN)
    for (int64_t b = 0; b < batch; b++)
        for (int64_t h = 0; h < heads; h++) {
            const float *s = src + (b * heads + h) * dim * time;
            float *d = dst + (b * heads + h) * time * dim;
            for (int64_t c = 0; c < dim; c++)
                for (int64_t t = 0; t < time; t++) d[t * dim + c] = s[c * time + t];
        }
}

static inline float dot(const float *a, const float *b, int64_t n) {
    float acc = 0.0f;
    for (int64_t i = 0; i < n; i++) acc += a[i] * b[i];
    return acc;
}

/* glibc's libmvec: expf on eight lanes (AVX2), within a few ulp of expf. */
__m256 _ZGVdN8v_expf(__m256 x);

/* p[j] = exp(p[j] - max p) over a row; returns the sum in double (as the scalar softmax did). */
static double exp_shifted_row(float *p, int64_t n) {
    __m256 m8 = _mm256_set1_ps(-INFINITY);
    int64_t j = 0;
    for (; j + 8 <= n; j += 8) m8 = _mm256_max_ps(m8, _mm256_loadu_ps(p + j));
    float lanes[8];
    _mm256_storeu_ps(lanes, m8);
    float mx = -INFINITY;
    for (int l = 0; l < 8; l++) mx = lanes[l] > mx ? lanes[l] : mx;
    for (int64_t t = j; t < n; t++) mx = p[t] > mx ? p[t] : mx;
    const __m256 shift = _mm256_set1_ps(mx);
    __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
    for (j = 0; j + 8 <= n; j += 8) {
        const __m256 e = _ZGVdN8v_expf(_mm256_sub_ps(_mm256_loadu_ps(p + j), shift));
        _mm256_storeu_ps(p + j, e);
        lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
        hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
    }
    double acc[4], sum = 0.0;
    _mm256_storeu_pd(acc, _mm256_add_pd(lo, hi));
    for (int l = 0; l < 4; l++) sum += acc[l];
    for (; j < n; j++) {
        p[j] = expf(p[j] - mx);
        sum += p[j];
    }
    return sum;
}

/* Query rows per block: a block's scores (QBLOCK x T floats) stay in L2 for T in the thousands. */
#define QBLOCK 64

int bv2j_rel_attention(bv2j_ctx *ctx, const float *q, const float *k, const float *v,
                       const float *emb_k, const float *emb_v, const float *mask_q,
                       const float *mask_k, const float *full_mask, float *out, int64_t batch,
                       int64_t heads, int64_t head_dim, int64_t time, int64_t window,
                       float dropout_p, uint64_t seed) {
    BV2J_CHECK(ctx && q && k && v && emb_k && emb_v && out);
    BV2J_CHECK(dropout_p >= 0.0f && dropout_p < 1.0f); /* also rejects NaN */
    BV2J_CHECK(full_mask != NULL || (mask_q != NULL && mask_k != NULL));
    BV2J_CHECK(batch >= 0 && heads > 0 && head_dim > 0 && time >= 0 && window >= 0);
    BV2J_CHECK(BV2J_FITS_INT(time) && BV2J_FITS_INT(head_dim) && BV2J_FITS_INT(time * QBLOCK));
    if (batch == 0 || time == 0) return BV2J_OK;
    const int threads = ctx->threads;
    const int64_t per = batch * heads * time * head_dim;
    const int64_t blocks_per_head = (time + QBLOCK - 1) / QBLOCK;
    const int64_t tasks = batch * heads * blocks_per_head;
    const int team = tasks < threads ? (int) tasks : threads;
    /* q, k, v rows, then per thread: a block of scores, scaled queries and outputs. */
    const int64_t own = QBLOCK * (time + 2 * head_dim);
    const size_t floats = (size_t) (3 * per + (int64_t) team * own);
    float *scratch = bv2j_scratch(ctx, floats * sizeof(float));
    if (scratch == NULL) return BV2J_ENOMEM;
    float *qr = scratch, *kr = qr + per, *vr = kr + per, *work = vr + per;
    to_rows(q, qr, batch, heads, head_dim, time, threads);
    /* The own tiles read the keys in their input layout: a head's [D, T] rows are the score
     * product's right operand as they stand. Unless those rows are a page or more apart: a panel
     * then touches a page per row, and OpenBLAS's packed copy wins (3343 frames: 49 vs 56 ms per
     * layer at 2 threads; 431 frames: 1.03-1.09 vs 1.14-1.28 ms for the tiles). */
    const int own_tiles = ctx->own_gemm && time * (int64_t) sizeof(float) < 4096;
    if (!own_tiles) to_rows(k, kr, batch, heads, head_dim, time, threads);
    to_rows(v, vr, batch, heads, head_dim, time, threads);
    const float scale = 1.0f / sqrtf((float) head_dim);
    const int drop = dropout_p > 0.0f;
    const float keep_scale = drop ? 1.0f / (1.0f - dropout_p) : 1.0f;
    const int64_t d = head_dim;

    /* Blocks of query rows: scores for the whole block come from one GEMM against every key, the
     * window's relative-key logits are added on their diagonals, then softmax, dropout, one GEMM
     * against the values and the window's relative values. Nothing T x T is ever stored. */
#pragma omp parallel for num_threads(team) schedule(dynamic, 1) \
        if (team > 1 && batch * heads * time * time * head_dim > BV2J_PARALLEL_MIN)
    for (int64_t task = 0; task < tasks; task++) {
        const int64_t bh = task / blocks_per_head, b = bh / heads, h = bh % heads;
        const int64_t i0 = (task % blocks_per_head) * QBLOCK;
        const int64_t rows = time - i0 < QBLOCK ? time - i0 : QBLOCK;
        float *sc = work + (int64_t) omp_get_thread_num() * own; /* [rows, T] scores, then p */
        float *qs = sc + QBLOCK * time;                          /* [rows, D] scaled queries */
        float *ob = qs + QBLOCK * d;                             /* [rows, D] outputs */
        const int64_t base = bh * time;
        for (int64_t r = 0; r < rows; r++)
            for (int64_t c = 0; c < d; c++) qs[r * d + c] = qr[(base + i0 + r) * d + c] * scale;
        if (own_tiles)
            bv2j_gemm_tiles(ctx, rows, time, d, qs, d, k + bh * d * time, time, sc, time, 0);
        else
            ctx->sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_TRANS, (int) rows, (int) time, (int) d,
                       1.0f, qs, (int) d, kr + base * d, (int) d, 0.0f, sc, (int) time);
        for (int64_t r = 0; r < rows; r++) {
            const int64_t i = i0 + r;
            float *p = sc + r * time;
            const float *qi = qs + r * d;
            const int64_t jlo = i - window < 0 ? 0 : i - window;
            const int64_t jhi = i + window >= time ? time - 1 : i + window;
            for (int64_t j = jlo; j <= jhi; j++) p[j] += dot(qi, emb_k + (j - i + window) * d, d);
            /* masked_fill(mask == 0, -1e4), as selects the compiler vectorises. */
            if (full_mask) {
                const float *fm = full_mask + (b * time + i) * time;
                for (int64_t j = 0; j < time; j++) p[j] = fm[j] == 0.0f ? -1e4f : p[j];
            } else if (mask_q[b * time + i] == 0.0f) {
                for (int64_t j = 0; j < time; j++) p[j] = -1e4f;
            } else {
                const float *mk = mask_k + b * time;
                for (int64_t j = 0; j < time; j++) p[j] = mk[j] == 0.0f ? -1e4f : p[j];
            }
            const double sum = exp_shifted_row(p, time);
            const float inv = (float) (1.0 / sum);
            /* Dropout on the probabilities (p == 0: no draws at all). */
            const uint64_t row_key = drop ? bv2j_attn_row_key(bv2j_attn_head_key(seed, b, h), i) : 0;
            for (int64_t j = 0; j < time; j++) p[j] *= inv;
            if (drop)
                for (int64_t j = 0; j < time; j++) p[j] *= bv2j_attn_drop(row_key, j, dropout_p, keep_scale);
        }
        if (own_tiles)
            bv2j_gemm_tiles(ctx, rows, d, time, sc, time, vr + base * d, d, ob, d, 0);
        else
            ctx->sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_NO_TRANS, (int) rows, (int) d, (int) time,
                       1.0f, sc, (int) time, vr + base * d, (int) d, 0.0f, ob, (int) d);
        for (int64_t r = 0; r < rows; r++) {
            const int64_t i = i0 + r;
            const float *p = sc + r * time;
            float *oi = ob + r * d;
            const int64_t jlo = i - window < 0 ? 0 : i - window;
            const int64_t jhi = i + window >= time ? time - 1 : i + window;
            for (int64_t j = jlo; j <= jhi; j++) {
                const float *ev = emb_v + (j - i + window) * d;
                for (int64_t c = 0; c < d; c++) oi[c] += p[j] * ev[c];
            }
            float *o = out + bh * d * time + i;
            for (int64_t c = 0; c < d; c++) o[c * time] = oi[c];
        }
    }
    return BV2J_OK;
}
