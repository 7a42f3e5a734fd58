/* Gradient of bv2j_gru_last (gru.c) by backpropagation through time. The forward is rerun here
 * storing every hidden state and gate, so the backward sweep is elementwise work plus one
 * [B, 3H] x [3H, H] GEMM per step; the weight gradients are three GEMMs over all steps. */
#include <string.h>
#include "internal.h"
#include "gate_math.h"

/* Scratch layout; rows of the per-step arrays are (t, b) so that step t is one [B, *] block. */
typedef struct {
    float *gi;    /* [B*T, 3H] input projections (rows b*T + t), later their gradients */
    float *hs;    /* [T+1, B, H] hidden states, hs[0] = h0 = 0 */
    float *gates; /* [T, B, 4H] r, z, n and W_hn h + b_hn of each step */
    float *dgh;   /* [T, B, 3H] gradients of the recurrent projections W_hh h */
    float *gh;    /* [B, 3H] recurrent projections of the current step */
    float *dh;    /* [B, H] gradient of the hidden state being propagated */
} gru_buffers;

static int carve(bv2j_ctx *ctx, gru_buffers *s, int64_t batch, int64_t time, int64_t hidden) {
    const int64_t bt = batch * time, g3 = 3 * hidden;
    const int64_t sizes[6] = {bt * g3, (time + 1) * batch * hidden, bt * 4 * hidden, bt * g3,
                              batch * g3, batch * hidden};
    int64_t total = 0;
    for (int i = 0; i < 6; i++) total += sizes[i];
    float *p = bv2j_scratch(ctx, (size_t) (total > 0 ? total : 1) * sizeof(float));
    if (p == NULL) return BV2J_ENOMEM;
    float **slots[6] = {&s->gi, &s->hs, &s->gates, &s->dgh, &s->gh, &s->dh};
    for (int i = 0; i < 6; i++) {
        *slots[i] = p;
        p += sizes[i];
    }
    return BV2J_OK;
}

/* The forward of gru.c, keeping hs and gates. */
static int forward(bv2j_ctx *ctx, const gru_buffers *s, const float *x, const float *w_ih,
                   const float *w_hh, const float *b_ih, const float *b_hh, int64_t batch,
                   int64_t time, int64_t input, int64_t hidden) {
    const int64_t g3 = 3 * hidden;
    int rc = bv2j_gemm(ctx, 0, 1, batch * time, g3, input, 1.0f, x, input, w_ih, input, 0.0f,
                       s->gi, g3);
    if (rc) return rc;
    memset(s->hs, 0, (size_t) (batch * hidden) * sizeof(float));
    for (int64_t t = 0; t < time; t++) {
        const float *h = s->hs + t * batch * hidden;
        float *h_next = s->hs + (t + 1) * batch * hidden;
        rc = bv2j_gemm(ctx, 0, 1, batch, g3, hidden, 1.0f, h, hidden, w_hh, hidden, 0.0f, s->gh,
                       g3);
        if (rc) return rc;
        for (int64_t b = 0; b < batch; b++) {
            const float *xi = s->gi + (b * time + t) * g3;
            const float *hh = s->gh + b * g3;
            float *gt = s->gates + (t * batch + b) * 4 * hidden;
            for (int64_t j = 0; j < hidden; j++) {
                const int64_t jz = hidden + j, jn = 2 * hidden + j;
                const float r = bv2j_sigmoidf(xi[j] + b_ih[j] + hh[j] + b_hh[j]);
                const float z = bv2j_sigmoidf(xi[jz] + b_ih[jz] + hh[jz] + b_hh[jz]);
                const float hn = hh[jn] + b_hh[jn];
                const float n = tanhf(xi[jn] + b_ih[jn] + r * hn);
                gt[j] = r;
                gt[hidden + j] = z;
                gt[2 * hidden + j] = n;
                gt[3 * hidden + j] = hn;
                h_next[b * hidden + j] = (1.0f - z) * n + z * h[b * hidden + j];
            }
        }
    }
    return BV2J_OK;
}

/* Step t backwards: from dh = dL/dh_{t+1} to the pre-activation gradients of the step (into
 * gi's row for the input side, dgh for the recurrent side), then dh = dL/dh_t. */
static int backward_step(bv2j_ctx *ctx, const gru_buffers *s, const float *w_hh, int64_t t,
                         int64_t batch, int64_t time, int64_t hidden) {
    const int64_t g3 = 3 * hidden;
    const float *h = s->hs + t * batch * hidden;
    float *dgh = s->dgh + t * batch * g3;
    for (int64_t b = 0; b < batch; b++) {
        const float *gt = s->gates + (t * batch + b) * 4 * hidden;
        float *dgi = s->gi + (b * time + t) * g3;
        float *dghb = dgh + b * g3;
        float *dhb = s->dh + b * hidden;
        for (int64_t j = 0; j < hidden; j++) {
            const float r = gt[j], z = gt[hidden + j], n = gt[2 * hidden + j];
            const float hn = gt[3 * hidden + j], d = dhb[j];
            const float dn = d * (1.0f - z) * (1.0f - n * n);
            const float dz = d * (h[b * hidden + j] - n) * (z * (1.0f - z));
            const float dr = dn * hn * (r * (1.0f - r));
            dgi[j] = dr;
            dgi[hidden + j] = dz;
            dgi[2 * hidden + j] = dn;
            dghb[j] = dr;
            dghb[hidden + j] = dz;
            dghb[2 * hidden + j] = dn * r;
            dhb[j] = d * z;
        }
    }
    /* dh_t += dgh_t @ W_hh */
    return bv2j_gemm(ctx, 0, 0, batch, hidden, g3, 1.0f, dgh, g3, w_hh, hidden, 1.0f, s->dh,
                     hidden);
}

/* db[j] = sum of column j of m [rows, cols], in double. */
static void column_sums(const float *m, float *db, int64_t rows, int64_t cols, int threads) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t j = 0; j < cols; j++) {
        double acc = 0.0;
        for (int64_t i = 0; i < rows; i++) acc += m[i * cols + j];
        db[j] = (float) acc;
    }
}

int bv2j_gru_last_backward(bv2j_ctx *ctx, const float *x, const float *w_ih, const float *w_hh,
                           const float *b_ih, const float *b_hh, const float *dh_out, float *dx,
                           float *dw_ih, float *dw_hh, float *db_ih, float *db_hh,
                           int64_t batch, int64_t time, int64_t input, int64_t hidden) {
    BV2J_CHECK(ctx && x && w_ih && w_hh && b_ih && b_hh && dh_out);
    BV2J_CHECK(dx && dw_ih && dw_hh && db_ih && db_hh);
    BV2J_CHECK(batch >= 0 && time >= 0 && input > 0 && hidden > 0);
    const int64_t g3 = 3 * hidden, bt = batch * time;
    if (bt == 0) {
        /* No step ran: h_out is h0 = 0 whatever the parameters. */
        memset(dw_ih, 0, (size_t) (g3 * input) * sizeof(float));
        memset(dw_hh, 0, (size_t) (g3 * hidden) * sizeof(float));
        memset(db_ih, 0, (size_t) g3 * sizeof(float));
        memset(db_hh, 0, (size_t) g3 * sizeof(float));
        return BV2J_OK;
    }
    gru_buffers s;
    int rc = carve(ctx, &s, batch, time, hidden);
    if (rc) return rc;
    rc = forward(ctx, &s, x, w_ih, w_hh, b_ih, b_hh, batch, time, input, hidden);
    if (rc) return rc;
    memcpy(s.dh, dh_out, (size_t) (batch * hidden) * sizeof(float));
    for (int64_t t = time - 1; t >= 0; t--) {
        rc = backward_step(ctx, &s, w_hh, t, batch, time, hidden);
        if (rc) return rc;
    }
    /* s.gi now holds the input-side pre-activation gradients [B*T, 3H]. */
    rc = bv2j_gemm(ctx, 0, 0, bt, input, g3, 1.0f, s.gi, g3, w_ih, input, 0.0f, dx, input);
    if (rc) return rc;
    rc = bv2j_gemm(ctx, 1, 0, g3, input, bt, 1.0f, s.gi, g3, x, input, 0.0f, dw_ih, input);
    if (rc) return rc;
    rc = bv2j_gemm(ctx, 1, 0, g3, hidden, bt, 1.0f, s.dgh, g3, s.hs, hidden, 0.0f, dw_hh, hidden);
    if (rc) return rc;
    column_sums(s.gi, db_ih, bt, g3, ctx->threads);
    column_sums(s.dgh, db_hh, bt, g3, ctx->threads);
    return BV2J_OK;
}
