/* Single-layer GRU returning the last hidden state (ReferenceEncoder's nn.GRU, batch_first). */
#include <string.h>
#include "internal.h"
#include "gate_math.h"

int bv2j_gru_last(bv2j_ctx *ctx, const float *x, const float *w_ih, const float *w_hh,
                  const float *b_ih, const float *b_hh, float *h_out, int64_t batch,
                  int64_t time, int64_t input, int64_t hidden) {
    BV2J_CHECK(ctx && x && w_ih && w_hh && b_ih && b_hh && h_out);
    BV2J_CHECK(batch >= 0 && time >= 0 && input > 0 && hidden > 0);
    const int64_t g3 = 3 * hidden;
    float *gi = bv2j_scratch(ctx, (size_t) (batch * time * g3 + batch * g3) * sizeof(float));
    if (gi == NULL) return BV2J_ENOMEM;
    float *gh = gi + batch * time * g3;
    /* Input projections of every step at once: gi[b*T + t, :] = x[b, t, :] @ w_ih^T. */
    int rc = bv2j_gemm(ctx, 0, 1, batch * time, g3, input, 1.0f, x, input, w_ih, input, 0.0f,
                       gi, g3);
    if (rc) return rc;
    memset(h_out, 0, (size_t) (batch * hidden) * sizeof(float));
    for (int64_t t = 0; t < time; t++) {
        rc = bv2j_gemm(ctx, 0, 1, batch, g3, hidden, 1.0f, h_out, hidden, w_hh, hidden, 0.0f,
                       gh, g3);
        if (rc) return rc;
        for (int64_t b = 0; b < batch; b++) {
            const float *xi = gi + (b * time + t) * g3;
            const float *hh = gh + b * g3;
            float *hb = h_out + b * hidden;
            for (int64_t j = 0; j < hidden; j++) {
                float r = bv2j_sigmoidf(xi[j] + b_ih[j] + hh[j] + b_hh[j]);
                float z = bv2j_sigmoidf(xi[hidden + j] + b_ih[hidden + j] + hh[hidden + j]
                                        + b_hh[hidden + j]);
                float n = tanhf(xi[2 * hidden + j] + b_ih[2 * hidden + j]
                                + r * (hh[2 * hidden + j] + b_hh[2 * hidden + j]));
                hb[j] = (1.0f - z) * n + z * hb[j];
            }
        }
    }
    return BV2J_OK;
}
