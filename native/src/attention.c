/* Self attention with windowed relative position embeddings (VITS attentions.MultiHeadAttention,
 * heads_share=True, no proximal bias, no block mask). One query row at a time: O(T) memory. */
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

int bv2j_rel_attention(bv2j_ctx *ctx, const float *q, const float *k, const float *v,
                       const float *emb_k, const float *emb_v, const float *mask_q,
                       const float *mask_k, const float *full_mask, float *out, int64_t batch,
                       int64_t heads, int64_t head_dim, int64_t time, int64_t window,
                       float dropout_p, uint64_t seed) {
    BV2J_CHECK(ctx && q && k && v && emb_k && emb_v && out);
    BV2J_CHECK(dropout_p >= 0.0f && dropout_p < 1.0f); /* also rejects NaN */
    BV2J_CHECK(full_mask != NULL || (mask_q != NULL && mask_k != NULL));
    BV2J_CHECK(batch >= 0 && heads > 0 && head_dim > 0 && time >= 0 && window >= 0);
    const int threads = ctx->threads;
    const int64_t per = batch * heads * time * head_dim;
    /* q, k, v rows, then one score row and one query row per thread. */
    const size_t floats = (size_t) (3 * per + (int64_t) threads * (time + head_dim));
    float *scratch = bv2j_scratch(ctx, floats * sizeof(float));
    if (scratch == NULL) return BV2J_ENOMEM;
    float *qr = scratch, *kr = qr + per, *vr = kr + per, *rows = vr + per;
    to_rows(q, qr, batch, heads, head_dim, time, threads);
    to_rows(k, kr, batch, heads, head_dim, time, threads);
    to_rows(v, vr, batch, heads, head_dim, time, threads);
    const float scale = 1.0f / sqrtf((float) head_dim);
    const int drop = dropout_p > 0.0f;
    const float keep_scale = drop ? 1.0f / (1.0f - dropout_p) : 1.0f;

#pragma omp parallel for collapse(3) num_threads(threads) schedule(static) \
        if (batch * heads * time * time * head_dim > BV2J_PARALLEL_MIN)
    for (int64_t b = 0; b < batch; b++)
        for (int64_t h = 0; h < heads; h++)
            for (int64_t i = 0; i < time; i++) {
                float *p = rows + (int64_t) omp_get_thread_num() * (time + head_dim);
                float *qi = p + time;
                const int64_t base = (b * heads + h) * time;
                for (int64_t c = 0; c < head_dim; c++) qi[c] = qr[(base + i) * head_dim + c] * scale;
                float mx = -INFINITY;
                for (int64_t j = 0; j < time; j++) {
                    const int masked = full_mask ? full_mask[(b * time + i) * time + j] == 0.0f
                                                 : mask_q[b * time + i] * mask_k[b * time + j] == 0.0f;
                    float s;
                    if (masked) {
                        s = -1e4f;
                    } else {
                        s = dot(qi, kr + (base + j) * head_dim, head_dim);
                        int64_t rel = j - i;
                        if (rel >= -window && rel <= window)
                            s += dot(qi, emb_k + (rel + window) * head_dim, head_dim);
                    }
                    p[j] = s;
                    if (s > mx) mx = s;
                }
                double sum = 0.0;
                for (int64_t j = 0; j < time; j++) {
                    p[j] = expf(p[j] - mx);
                    sum += p[j];
                }
                const float inv = (float) (1.0 / sum);
                float *o = out + (b * heads + h) * head_dim * time + i;
                for (int64_t c = 0; c < head_dim; c++) qi[c] = 0.0f; /* reuse as accumulator */
                /* Dropout on the probabilities (p == 0: no draws at all, the plain path). */
                const uint64_t row_key = drop ? bv2j_attn_row_key(bv2j_attn_head_key(seed, b, h), i) : 0;
                for (int64_t j = 0; j < time; j++) {
                    float pj = p[j] * inv;
                    if (drop) {
                        const float m = bv2j_attn_drop(row_key, j, dropout_p, keep_scale);
                        if (m == 0.0f) continue;
                        pj *= m;
                    }
                    const float *vj = vr + (base + j) * head_dim;
                    for (int64_t c = 0; c < head_dim; c++) qi[c] += pj * vj[c];
                    int64_t rel = j - i;
                    if (rel >= -window && rel <= window) {
                        const float *ev = emb_v + (rel + window) * head_dim;
                        for (int64_t c = 0; c < head_dim; c++) qi[c] += pj * ev[c];
                    }
                }
                for (int64_t c = 0; c < head_dim; c++) o[c * time] = qi[c];
            }
    return BV2J_OK;
}
