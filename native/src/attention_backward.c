/* Gradient of bv2j_rel_attention (attention.c). No T x T matrix is ever stored: every softmax
 * entry is recomputed from q, k and two per-row statistics, FlashAttention-2 style.
 *   pass 1, one query row i at a time:  p_i, dp_i = dout_i . (v_j + Ev), delta_i = sum_j p dp,
 *           ds = p (dp - delta_i), dq_i, and the row's share of demb_k / demb_v;
 *   pass 2, one key column j at a time: the same p_ij and ds_ij from the saved row max, 1/sum and
 *           delta, summed over i into dk_j and dv_j.
 * Each pass writes only its own rows or columns, so neither needs atomics; demb_k / demb_v (shared
 * by every row) go through per-thread partial sums reduced at the end.
 * Dropout: with m_ij in {0, 1/(1-p)} regenerated from the seed (counter_rng.h), out_i =
 * sum_j p_ij m_ij (v_j + Ev), so dL/dp_ij = m_ij dp_ij, which the softmax backward uses in place
 * of dp_ij; v and emb_v see the dropped weight p_ij m_ij. */
#include <math.h>
#include <string.h>
#include <omp.h>
#include "internal.h"
#include "counter_rng.h"

/* [B, H*D, T] -> [B, H, T, D] times `mul`, so every dot product runs over contiguous memory. */
static void to_rows(const float *src, float *dst, float mul, int64_t batch, int64_t heads,
                    int64_t dim, int64_t time, int threads) {
#pragma omp parallel for collapse(2) num_threads(threads) schedule(static)
    for (int64_t b = 0; b < batch; b++)
        for (int64_t h = 0; h < heads; h++) {
            const float *s = src + (b * heads + h) * dim * time;
            float *d = dst + (b * heads + h) * time * dim;
            for (int64_t c = 0; c < dim; c++)
                for (int64_t t = 0; t < time; t++) d[t * dim + c] = s[c * time + t] * mul;
        }
}

/* Eight independent partial sums: the compiler keeps IEEE order (no -ffast-math), so a single
 * accumulator would serialise on the FMA latency. Both passes use this same function, so the
 * softmax entries they recompute agree bit for bit. */
static inline float dot(const float *a, const float *b, int64_t n) {
    float acc[8] = {0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int l = 0; l < 8; l++) acc[l] += a[i + l] * b[i + l];
    for (; i < n; i++) acc[0] += a[i] * b[i];
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

static inline void axpy(float a, const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += a * x[i];
}

/* Everything both passes read: inputs as rows (q pre-scaled by 1/sqrt(D), as the forward does
 * before any dot product), masks and sizes. */
typedef struct {
    const float *qs, *kr, *vr, *dr; /* [B, H, T, D] */
    const float *emb_k, *emb_v;     /* [2W+1, D] */
    const float *mask_q, *mask_k, *full_mask;
    int64_t heads, dim, time, window;
    float dropout_p, keep_scale; /* dropout_p == 0: no dropout, no draws */
    uint64_t seed;
} att_rows;

/* The keys of head (b, h)'s and of its row i's dropout draws (unused without dropout). */
static inline uint64_t head_key(const att_rows *a, int64_t b, int64_t h) {
    return a->dropout_p > 0.0f ? bv2j_attn_head_key(a->seed, b, h) : 0;
}

static inline uint64_t row_key(const att_rows *a, uint64_t head, int64_t i) {
    return a->dropout_p > 0.0f ? bv2j_attn_row_key(head, i) : 0;
}

/* m_ij: 1 without dropout (x * 1.0f == x, so that path is bit-identical to no dropout at all),
 * else 0 or 1/(1-p) exactly as the forward drew it. */
static inline float drop_mul(const att_rows *a, uint64_t key, int64_t j) {
    if (a->dropout_p == 0.0f) return 1.0f;
    return bv2j_attn_drop(key, j, a->dropout_p, a->keep_scale);
}

/* The forward's mask test: masked scores are the constant -1e4, so they pass no gradient. */
static inline int masked(const att_rows *a, int64_t b, int64_t i, int64_t j) {
    if (a->full_mask) return a->full_mask[(b * a->time + i) * a->time + j] == 0.0f;
    return a->mask_q[b * a->time + i] * a->mask_k[b * a->time + j] == 0.0f;
}

/* Score s_ij exactly as the forward builds it (qi already scaled). */
static inline float score(const att_rows *a, int64_t b, int64_t base, const float *qi,
                          int64_t i, int64_t j) {
    if (masked(a, b, i, j)) return -1e4f;
    float s = dot(qi, a->kr + (base + j) * a->dim, a->dim);
    const int64_t rel = j - i;
    if (rel >= -a->window && rel <= a->window)
        s += dot(qi, a->emb_k + (rel + a->window) * a->dim, a->dim);
    return s;
}

/* dL/dp_ij = dout_i . (v_j + Ev[j-i+W]): p multiplies the embedding even for masked j. */
static inline float dprob(const att_rows *a, int64_t base, const float *di, int64_t i, int64_t j) {
    float dp = dot(di, a->vr + (base + j) * a->dim, a->dim);
    const int64_t rel = j - i;
    if (rel >= -a->window && rel <= a->window)
        dp += dot(di, a->emb_v + (rel + a->window) * a->dim, a->dim);
    return dp;
}

/* Pass 1 for query row i of (b, h): writes dq[:, i] and the row statistics, adds the row's
 * embedding gradients to this thread's partials. `p`, `dp` hold T floats, `acc` D floats. */
static void query_row(const att_rows *a, int64_t b, int64_t h, int64_t i, float *dq, float *mx_out,
                      float *inv_out, float *delta_out, float *p, float *dp, float *acc,
                      float *pdemb_k, float *pdemb_v) {
    const int64_t T = a->time, D = a->dim, W = a->window, base = (b * a->heads + h) * T;
    const float *qi = a->qs + (base + i) * D, *di = a->dr + (base + i) * D;
    float mx = -INFINITY;
    for (int64_t j = 0; j < T; j++) {
        p[j] = score(a, b, base, qi, i, j);
        if (p[j] > mx) mx = p[j];
    }
    double sum = 0.0;
    for (int64_t j = 0; j < T; j++) {
        p[j] = expf(p[j] - mx);
        sum += p[j];
    }
    const float inv = (float) (1.0 / sum);
    const uint64_t key = row_key(a, head_key(a, b, h), i);
    double delta = 0.0;
    for (int64_t j = 0; j < T; j++) {
        p[j] *= inv;
        /* p == 0 (masked keys, far outliers) or a dropped entry contributes nothing to dL/dp:
         * skip its two dot products. dp is dL/dp of the undropped p. */
        const float m = p[j] == 0.0f ? 0.0f : drop_mul(a, key, j);
        dp[j] = m == 0.0f ? 0.0f : dprob(a, base, di, i, j) * m;
        delta += (double) p[j] * dp[j];
    }
    memset(acc, 0, (size_t) D * sizeof(float));
    for (int64_t j = 0; j < T; j++) {
        if (p[j] == 0.0f) continue;
        const int64_t rel = j - i;
        const int in_window = rel >= -W && rel <= W;
        if (in_window) {
            const float pm = p[j] * drop_mul(a, key, j); /* the weight emb_v saw */
            if (pm != 0.0f) axpy(pm, di, pdemb_v + (rel + W) * D, D);
        }
        if (masked(a, b, i, j)) continue;
        const float ds = p[j] * (dp[j] - (float) delta);
        axpy(ds, a->kr + (base + j) * D, acc, D);
        if (in_window) {
            axpy(ds, a->emb_k + (rel + W) * D, acc, D);
            axpy(ds, qi, pdemb_k + (rel + W) * D, D);
        }
    }
    /* s = (q / sqrt(D)) . (k + Ek): the scale applies once more on the way back to q. */
    const float scale = 1.0f / sqrtf((float) D);
    float *o = dq + base * D + i; /* dq[b, h*D + c, i] */
    for (int64_t c = 0; c < D; c++) o[c * T] = acc[c] * scale;
    mx_out[base + i] = mx;
    inv_out[base + i] = inv;
    delta_out[base + i] = (float) delta;
}

/* Pass 2 for key column j of (b, h): writes dk[:, j] and dv[:, j]. `acc` holds 2D floats. */
static void key_column(const att_rows *a, int64_t b, int64_t h, int64_t j, const float *mx,
                       const float *inv, const float *delta, float *dk, float *dv, float *acc) {
    const int64_t T = a->time, D = a->dim, base = (b * a->heads + h) * T;
    float *gk = acc, *gv = acc + D;
    const uint64_t head = head_key(a, b, h);
    memset(acc, 0, 2 * (size_t) D * sizeof(float));
    for (int64_t i = 0; i < T; i++) {
        const float *qi = a->qs + (base + i) * D, *di = a->dr + (base + i) * D;
        const float p = expf(score(a, b, base, qi, i, j) - mx[base + i]) * inv[base + i];
        if (p == 0.0f) continue;
        const float m = drop_mul(a, row_key(a, head, i), j);
        if (m != 0.0f) axpy(p * m, di, gv, D);
        if (masked(a, b, i, j)) continue;
        const float g = m == 0.0f ? 0.0f : dprob(a, base, di, i, j) * m;
        const float ds = p * (g - delta[base + i]);
        axpy(ds, qi, gk, D);
    }
    float *ok = dk + base * D + j, *ov = dv + base * D + j;
    for (int64_t c = 0; c < D; c++) {
        ok[c * T] = gk[c];
        ov[c * T] = gv[c];
    }
}

int bv2j_rel_attention_backward(bv2j_ctx *ctx, const float *q, const float *k, const float *v,
                                const float *emb_k, const float *emb_v, const float *mask_q,
                                const float *mask_k, const float *full_mask, const float *dout,
                                float *dq, float *dk, float *dv, float *demb_k, float *demb_v,
                                int64_t batch, int64_t heads, int64_t head_dim, int64_t time,
                                int64_t window, float dropout_p, uint64_t seed) {
    BV2J_CHECK(ctx && q && k && v && emb_k && emb_v && dout && dq && dk && dv && demb_k && demb_v);
    BV2J_CHECK(dropout_p >= 0.0f && dropout_p < 1.0f); /* also rejects NaN */
    BV2J_CHECK(full_mask != NULL || (mask_q != NULL && mask_k != NULL));
    BV2J_CHECK(batch >= 0 && heads > 0 && head_dim > 0 && time >= 0 && window >= 0);
    const int threads = ctx->threads;
    const int64_t D = head_dim, T = time, rows = batch * heads * time, per = rows * D;
    const int64_t emb = (2 * window + 1) * D;
    /* Per thread: p and dp rows (T each), a 2D accumulator, partial demb_k and demb_v. */
    const int64_t own = 2 * T + 2 * D + 2 * emb;
    /* Rows of q, k, v, dout; row max, 1/sum, delta; then the per-thread regions. */
    const size_t floats = (size_t) (4 * per + 3 * rows + (int64_t) threads * own);
    float *scratch = bv2j_scratch(ctx, floats * sizeof(float));
    if (scratch == NULL) return BV2J_ENOMEM;
    float *qs = scratch, *kr = qs + per, *vr = kr + per, *dr = vr + per;
    float *mx = dr + per, *inv = mx + rows, *delta = inv + rows, *mine = delta + rows;
    memset(mine, 0, (size_t) threads * own * sizeof(float));
    to_rows(q, qs, 1.0f / sqrtf((float) D), batch, heads, D, T, threads);
    to_rows(k, kr, 1.0f, batch, heads, D, T, threads);
    to_rows(v, vr, 1.0f, batch, heads, D, T, threads);
    to_rows(dout, dr, 1.0f, batch, heads, D, T, threads);
    const att_rows a = {qs, kr, vr, dr, emb_k, emb_v, mask_q, mask_k, full_mask,
                        heads, D, T, window, dropout_p,
                        dropout_p > 0.0f ? 1.0f / (1.0f - dropout_p) : 1.0f, seed};

#pragma omp parallel num_threads(threads)
    {
        float *p = mine + (int64_t) omp_get_thread_num() * own;
        float *dp = p + T, *acc = dp + T, *pdemb_k = acc + 2 * D, *pdemb_v = pdemb_k + emb;
#pragma omp for collapse(3) schedule(static)
        for (int64_t b = 0; b < batch; b++)
            for (int64_t h = 0; h < heads; h++)
                for (int64_t i = 0; i < T; i++)
                    query_row(&a, b, h, i, dq, mx, inv, delta, p, dp, acc, pdemb_k, pdemb_v);
        /* The implicit barrier above publishes every row's statistics to pass 2. */
#pragma omp for collapse(3) schedule(static)
        for (int64_t b = 0; b < batch; b++)
            for (int64_t h = 0; h < heads; h++)
                for (int64_t j = 0; j < T; j++)
                    key_column(&a, b, h, j, mx, inv, delta, dk, dv, acc);
    }

    /* Partials in thread order: with static schedules the sums are reproducible run to run. */
    for (int64_t e = 0; e < emb; e++) {
        float sk = 0.0f, sv = 0.0f;
        for (int t = 0; t < threads; t++) {
            const float *pt = mine + (int64_t) t * own + 2 * T + 2 * D;
            sk += pt[e];
            sv += pt[emb + e];
        }
        demb_k[e] = sk;
        demb_v[e] = sv;
    }
    return BV2J_OK;
}
