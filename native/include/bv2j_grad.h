/*
 * Backward kernels: gradients of the forward kernels in bv2j.h, same conventions (raw pointers,
 * int64 sizes validated by Java first, a context, 0 or an error code). Unless a comment says
 * "accumulates", every output buffer is OVERWRITTEN. Geometry arguments are exactly those of the
 * matching forward kernel, so a caller passes the same numbers twice.
 */
#ifndef BV2J_GRAD_H
#define BV2J_GRAD_H

#include <stdint.h>
#include "bv2j.h"

#ifdef __cplusplus
extern "C" {
#endif

/* dx[B, Cin, Tin] from dy[B, Cout, Tout] for bv2j_conv1d with the same geometry. */
int bv2j_conv1d_backward_input(bv2j_ctx *ctx, const float *dy, const float *w, float *dx,
                               int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out,
                               int64_t t_out, int64_t kernel, int64_t stride, int64_t pad_left,
                               int64_t dilation, int64_t groups);
/* dw[Cout, Cin/groups, K] and db[Cout] (db may be NULL), summed over the batch. */
int bv2j_conv1d_backward_weight(bv2j_ctx *ctx, const float *x, const float *dy, float *dw,
                                float *db, int64_t batch, int64_t c_in, int64_t t_in,
                                int64_t c_out, int64_t t_out, int64_t kernel, int64_t stride,
                                int64_t pad_left, int64_t dilation, int64_t groups);

/* dx[B, Cin, Tin] from dy[B, Cout, Tout] for bv2j_conv_transpose1d (w [Cin, Cout, K]). */
int bv2j_conv_transpose1d_backward_input(bv2j_ctx *ctx, const float *dy, const float *w,
                                         float *dx, int64_t batch, int64_t c_in, int64_t t_in,
                                         int64_t c_out, int64_t t_out, int64_t kernel,
                                         int64_t stride, int64_t padding);
/* dw[Cin, Cout, K] and db[Cout] (db may be NULL). */
int bv2j_conv_transpose1d_backward_weight(bv2j_ctx *ctx, const float *x, const float *dy,
                                          float *dw, float *db, int64_t batch, int64_t c_in,
                                          int64_t t_in, int64_t c_out, int64_t t_out,
                                          int64_t kernel, int64_t stride, int64_t padding);

/* Gradients of bv2j_conv2d. */
int bv2j_conv2d_backward_input(bv2j_ctx *ctx, const float *dy, const float *w, float *dx,
                               int64_t batch, int64_t c_in, int64_t h, int64_t wd, int64_t c_out,
                               int64_t h_out, int64_t w_out, int64_t kh, int64_t kw, int64_t sh,
                               int64_t sw, int64_t ph, int64_t pw);
int bv2j_conv2d_backward_weight(bv2j_ctx *ctx, const float *x, const float *dy, float *dw,
                                float *db, int64_t batch, int64_t c_in, int64_t h, int64_t wd,
                                int64_t c_out, int64_t h_out, int64_t w_out, int64_t kh,
                                int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw);

/* Layer norm over channels: dx [B, C, T], dgamma/dbeta [C] (summed over batch and time). */
int bv2j_layer_norm_channels_backward(bv2j_ctx *ctx, const float *x, const float *gamma,
                                      const float *dy, float *dx, float *dgamma, float *dbeta,
                                      int64_t batch, int64_t channels, int64_t time, float eps);

/* dx[i] = dy[i] * op'(x[i]) for the unary ops of bv2j_unary (y = op(x) is given too, since
 * several derivatives are cheapest from it). CEIL has derivative 0; CLAMP_MIN passes the
 * gradient where x >= p0 (torch's clamp backward); ABS uses sign(x) with sign(0) = 0. */
int bv2j_unary_backward(bv2j_ctx *ctx, int op, const float *x, const float *y, const float *dy,
                        float *dx, int64_t n, float p0, float p1);

/* y = x summed over every dim where y_shape is 1 and x_shape is not (the gradient of a
 * broadcast). Both shapes are 4-d; other dims must be equal. */
int bv2j_reduce_sum_to(bv2j_ctx *ctx, const float *x, const int64_t *x_shape, float *y,
                       const int64_t *y_shape);

/* The adjoint of bv2j_copy_strided: y[x_strides . i] += dy[dense i] (accumulates into y). */
int bv2j_scatter_add_strided(bv2j_ctx *ctx, const float *dy, float *y, const int64_t *y_strides,
                             const int64_t *shape);

/* Gradients of bv2j_wn_gate: dx_in [B, 2H, T] overwritten; dg (same layout and strides as g,
 * NULL when g is NULL) ACCUMULATES, so a broadcast speaker vector sums over time. */
int bv2j_wn_gate_backward(bv2j_ctx *ctx, const float *x_in, const float *g, int64_t g_batch_stride,
                          int64_t g_channel_stride, int64_t g_time_stride, const float *dout,
                          float *dx_in, float *dg, int64_t batch, int64_t hidden, int64_t time);

/* Gradients of bv2j_rel_attention: dq, dk, dv [B, H*D, T], demb_k, demb_v [2W+1, D]. dropout_p
 * and seed must be the forward's: the dropout mask is regenerated from them, never stored. */
int bv2j_rel_attention_backward(bv2j_ctx *ctx, const float *q, const float *k, const float *v,
                                const float *emb_k, const float *emb_v, const float *mask_q,
                                const float *mask_k, const float *full_mask, const float *dout,
                                float *dq, float *dk, float *dv, float *demb_k, float *demb_v,
                                int64_t batch, int64_t heads, int64_t head_dim, int64_t time,
                                int64_t window, float dropout_p, uint64_t seed);

/* Gradients of bv2j_rq_spline: from dy and dlogabsdet (either may be NULL = zero) to dx [B,C,T]
 * and dh [B, C*(3K-1), T]. */
int bv2j_rq_spline_backward(bv2j_ctx *ctx, const float *x, const float *h, const float *dy,
                            const float *dlogabsdet, float *dx, float *dh, int64_t batch,
                            int64_t channels, int64_t time, int64_t bins, float tail_bound,
                            float param_scale, int inverse);

/* Gradients of bv2j_gru_last from dh_out [B, H]: dx [B, T, I], dw_ih, dw_hh, db_ih, db_hh. */
int bv2j_gru_last_backward(bv2j_ctx *ctx, const float *x, const float *w_ih, const float *w_hh,
                           const float *b_ih, const float *b_hh, const float *dh_out, float *dx,
                           float *dw_ih, float *dw_hh, float *db_ih, float *db_hh,
                           int64_t batch, int64_t time, int64_t input, int64_t hidden);

/* torch weight_norm over rows: w[r, :] = g[r] * v[r, :] / ||v[r, :]||; writes the row norms
 * (double-accumulated) to norms[rows] for the backward. */
int bv2j_weight_norm(bv2j_ctx *ctx, const float *g, const float *v, float *w, double *norms, int64_t rows,
                     int64_t per_row);
/* dg[r] = (dw . v) / n;  dv = (g / n) (dw - (dw . v / n^2) v), with the forward's norms. */
int bv2j_weight_norm_backward(bv2j_ctx *ctx, const float *g, const float *v, const double *norms,
                              const float *dw, float *dg, float *dv, int64_t rows, int64_t per_row);

/* One torch.optim.AdamW update of n parameters in place (step is the count after this update):
 * p -= lr*wd*p; m = b1 m + (1-b1) g; s = b2 s + (1-b2) g^2;
 * p -= lr / (1 - b1^step) * m / (sqrt(s) / sqrt(1 - b2^step) + eps). Arithmetic in double. */
int bv2j_adamw_step(bv2j_ctx *ctx, float *p, const float *grad, float *exp_avg, float *exp_avg_sq, int64_t n,
                    double lr, double beta1, double beta2, double eps, double weight_decay, int64_t step);

#ifdef __cplusplus
}
#endif
#endif
