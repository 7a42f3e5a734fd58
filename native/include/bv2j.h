/*
 * bv2j native kernels: one C ABI for every backend.
 *
 * Conventions (so that a CUDA implementation can sit beside the CPU one with the same
 * signatures):
 *  - every kernel is `int bv2j_<op>(bv2j_ctx *ctx, const float *in..., float *out..., sizes...)`;
 *  - tensors are dense row-major float32 in the reference layout [batch, channels, time];
 *  - sizes are int64_t; Java validates every size before calling, C re-checks cheaply and
 *    returns BV2J_EINVAL instead of touching memory it was not given;
 *  - a kernel allocates nothing itself except scratch through its context;
 *  - a context is used by one thread at a time (Java keeps one per thread).
 */
#ifndef BV2J_H
#define BV2J_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bv2j_ctx bv2j_ctx;

enum bv2j_status {
    BV2J_OK = 0,
    BV2J_EINVAL = 1,   /* a size or argument is out of range */
    BV2J_ENOMEM = 2,   /* scratch could not be allocated */
    BV2J_ENOBLAS = 3,  /* the BLAS library could not be opened */
};

/* Opens OpenBLAS from `blas_path` (a shared library exporting cblas_sgemm) and makes a
 * context. `threads` <= 0 keeps the library's default. Returns NULL when the library cannot
 * be opened; bv2j_last_open_error() then says why. */
bv2j_ctx *bv2j_ctx_create(const char *blas_path, int threads);
void bv2j_ctx_destroy(bv2j_ctx *ctx);
const char *bv2j_last_open_error(void);
/* Number of threads used by kernels of this context (and by the BLAS it drives). */
int bv2j_set_threads(bv2j_ctx *ctx, int threads);
/* Whether bv2j_conv1d_fused (and bv2j_conv1d) may pick Winograd (1, the default unless
 * BV2J_WINOGRAD=0 was set when the context was made) or always uses im2col (0). */
int bv2j_set_winograd(bv2j_ctx *ctx, int enabled);
/* Whether stride-1 convolutions, Winograd's and attention's products may use bv2j's own GEMM
 * register tiles (1, the default unless BV2J_OWN_GEMM=0 was set when the context was made) or go
 * through im2col and OpenBLAS (0). */
int bv2j_set_own_gemm(bv2j_ctx *ctx, int enabled);
/* Instruction sets of bv2j's own kernels. The library needs AVX2 + FMA; where the CPU has
 * AVX-512F a context starts on it, unless the environment variable BV2J_ISA was "avx2" when the
 * context was made (bv2j_ctx_create refuses any other value than "avx2" and "avx512"). On
 * BV2J_ISA_AVX2 no AVX-512 instruction of bv2j's runs. OpenBLAS picks its own kernels when it
 * loads (the Java loader asks for its Haswell ones under BV2J_ISA=avx2). */
enum { BV2J_ISA_AVX2 = 2, BV2J_ISA_AVX512 = 512 };
/* The best instruction set this CPU runs (BV2J_ISA_AVX512 or BV2J_ISA_AVX2). */
int bv2j_cpu_isa(void);
/* Switches the context's kernels to `isa`; BV2J_EINVAL if the CPU lacks it. */
int bv2j_set_isa(bv2j_ctx *ctx, int isa);
int bv2j_get_isa(const bv2j_ctx *ctx);
/* Bytes of scratch currently held by the context (for leak checks). */
int64_t bv2j_scratch_bytes(bv2j_ctx *ctx);

/* C[b] = alpha * op(A[b]) @ op(B[b]) + beta * C[b] for b < batch, row-major. */
int bv2j_sgemm_batched(bv2j_ctx *ctx, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                       float alpha, const float *a, int64_t lda, int64_t stride_a,
                       const float *b, int64_t ldb, int64_t stride_b, float beta,
                       float *c, int64_t ldc, int64_t stride_c, int64_t batch);

/* y[B, Cout, Tout] = conv1d(x[B, Cin, Tin], w[Cout, Cin/groups, K]) + bias[Cout] (bias may be
 * NULL), zero padding pad_left on the left and whatever Tout implies on the right. */
int bv2j_conv1d(bv2j_ctx *ctx, const float *x, const float *w, const float *bias, float *y,
                int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out, int64_t t_out,
                int64_t kernel, int64_t stride, int64_t pad_left, int64_t dilation,
                int64_t groups);

/* bv2j_conv1d (groups == 1) with the neighbours of a HiFi-GAN residual block fused in:
 * y = conv1d(act(x), w) + bias + residual, where act is leaky ReLU with in_slope when in_act is
 * BV2J_CONV_ACT_LEAKY_RELU and the identity for BV2J_CONV_ACT_NONE; residual [B, Cout, Tout]
 * and bias may be NULL. residual must not overlap y. */
enum { BV2J_CONV_ACT_NONE = 0, BV2J_CONV_ACT_LEAKY_RELU = 1 };
int bv2j_conv1d_fused(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                      const float *residual, float *y, int64_t batch, int64_t c_in, int64_t t_in,
                      int64_t c_out, int64_t t_out, int64_t kernel, int64_t stride,
                      int64_t pad_left, int64_t dilation, int in_act, float in_slope);
/* Two of the algorithms bv2j_conv1d_fused chooses between (same arguments and results):
 * im2col + one GEMM per time tile (any stride), and Winograd F(4, r) for stride 1 and
 * kernel >= 2 (about half the multiply-adds; float32 error within ~2x of im2col's). The choice:
 * Winograd for stride 1 and >= 512 output columns with kernel >= 5 and >= 16 channels in and
 * out, or kernel 3, >= 128 channels and one thread; unless switched off (bv2j_set_winograd). */
int bv2j_conv1d_im2col(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                       const float *residual, float *y, int64_t batch, int64_t c_in, int64_t t_in,
                       int64_t c_out, int64_t t_out, int64_t kernel, int64_t stride,
                       int64_t pad_left, int64_t dilation, int in_act, float in_slope);
int bv2j_conv1d_winograd(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                         const float *residual, float *y, int64_t batch, int64_t c_in,
                         int64_t t_in, int64_t c_out, int64_t t_out, int64_t kernel,
                         int64_t pad_left, int64_t dilation, int in_act, float in_slope);
/* Stride 1 as an implicit GEMM that reads weights and input in place (register tiles of the
 * context's instruction set; same arguments and results as bv2j_conv1d_im2col).
 * bv2j_conv1d_fused uses it for stride 1 wherever Winograd does not pay, unless the context's
 * own GEMM is off (bv2j_set_own_gemm). Results do not depend on the thread count. */
int bv2j_conv1d_direct(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                       const float *residual, float *y, int64_t batch, int64_t c_in, int64_t t_in,
                       int64_t c_out, int64_t t_out, int64_t kernel, int64_t pad_left,
                       int64_t dilation, int in_act, float in_slope);

/* y[B, Cout, Tout] = conv_transpose1d(x[B, Cin, Tin], w[Cin, Cout, K]) + bias, with output
 * position o = i*stride + k - padding kept when 0 <= o < Tout. */
int bv2j_conv_transpose1d(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                          float *y, int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out,
                          int64_t t_out, int64_t kernel, int64_t stride, int64_t padding);

/* y[B, Cout, Ho, Wo] = conv2d(x[B, Cin, H, W], w[Cout, Cin, KH, KW]) + bias, zero padding. */
int bv2j_conv2d(bv2j_ctx *ctx, const float *x, const float *w, const float *bias, float *y,
                int64_t batch, int64_t c_in, int64_t h, int64_t wd, int64_t c_out,
                int64_t h_out, int64_t w_out, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                int64_t ph, int64_t pw);

/* Layer norm over the channel dim of x[B, C, T]; gamma/beta [C]. */
int bv2j_layer_norm_channels(bv2j_ctx *ctx, const float *x, const float *gamma,
                             const float *beta, float *y, int64_t batch, int64_t channels,
                             int64_t time, float eps);

enum bv2j_unary_op {
    BV2J_RELU = 0,
    BV2J_LEAKY_RELU = 1, /* p0 = negative slope */
    BV2J_TANH = 2,
    BV2J_SIGMOID = 3,
    BV2J_GELU = 4,       /* exact (erf) form, as torch's default */
    BV2J_EXP = 5,
    BV2J_LOG = 6,
    BV2J_AFFINE = 7,     /* y = p0 * x + p1 */
    BV2J_CEIL = 8,
    BV2J_SOFTPLUS = 9,
    BV2J_CLAMP_MIN = 10, /* y = max(x, p0) */
    BV2J_LOGSIGMOID = 11,
    BV2J_ABS = 12,
    BV2J_SQRT = 13,
};
/* y[i] = op(x[i]) for i < n; x and y may be the same buffer. */
int bv2j_unary(bv2j_ctx *ctx, int op, const float *x, float *y, int64_t n, float p0, float p1);

enum bv2j_binary_op { BV2J_ADD = 0, BV2J_SUB = 1, BV2J_MUL = 2, BV2J_DIV = 3 };
/* y[i0,i1,i2,i3] = a[sa . i] op b[sb . i] over a 4-d index space `shape`; strides are in
 * elements and may be 0 (broadcast). y is dense. */
int bv2j_binary(bv2j_ctx *ctx, int op, const float *a, const int64_t *a_strides,
                const float *b, const int64_t *b_strides, float *y, const int64_t *shape);

/* y = dense copy of x read with element strides over a 4-d index space (transpose, slice,
 * flip with negative strides: x then points at the first element read). */
int bv2j_copy_strided(bv2j_ctx *ctx, const float *x, const int64_t *x_strides, float *y,
                      const int64_t *shape);

/* WaveNet gate (fused_add_tanh_sigmoid_multiply): s[b, c, t] = x_in[b, c, t] +
 * g[b*g_batch_stride + c*g_channel_stride + t*g_time_stride]; out = tanh(s[:H]) * sigmoid(s[H:]).
 * x_in [B, 2H, T]; g points at the layer's first conditioning channel (NULL: no conditioning;
 * a time stride of 0 broadcasts a [B, C, 1] speaker vector). out [B, H, T]. */
int bv2j_wn_gate(bv2j_ctx *ctx, const float *x_in, const float *g, int64_t g_batch_stride,
                 int64_t g_channel_stride, int64_t g_time_stride, float *out, int64_t batch,
                 int64_t hidden, int64_t time);

/* Multi-head self attention with windowed relative positions (VITS attentions.py).
 * q, k, v: [B, H*D, T] (head h = channels h*D .. h*D+D-1). emb_k, emb_v: [2W+1, D] shared by
 * heads. Masking: position (i, j) is masked when mask_q[b,i]*mask_k[b,j] == 0, or, when
 * full_mask is not NULL, when full_mask[b, i, j] == 0 (then mask_q/mask_k are ignored).
 * Masked scores become -1e4 before the softmax, as in the reference. out: [B, H*D, T].
 * Memory use is O(T) per head: no T x T tensor is stored.
 * Dropout (training; 0 <= dropout_p < 1): after the softmax each p[b, h, i, j] is zeroed when a
 * counter-based draw u(seed, b, h, i, j) in [0, 1) is below dropout_p and scaled by
 * 1/(1 - dropout_p) otherwise, and the dropped p weighs both v and emb_v (native/src/
 * counter_rng.h defines u; the backward regenerates the same mask from the same seed). With
 * dropout_p == 0 nothing is drawn and seed is ignored. */
int bv2j_rel_attention(bv2j_ctx *ctx, const float *q, const float *k, const float *v,
                       const float *emb_k, const float *emb_v, const float *mask_q,
                       const float *mask_k, const float *full_mask, float *out, int64_t batch,
                       int64_t heads, int64_t head_dim, int64_t time, int64_t window,
                       float dropout_p, uint64_t seed);

/* Piecewise rational-quadratic spline with linear tails (neural spline flows), elementwise over
 * x[B, C, T]; the parameters of element (b, c, t) are h[b, c*(3K-1) + j, t] for j < 3K-1:
 * widths j < K and heights K <= j < 2K are divided by `param_scale` (sqrt(filter_channels)),
 * derivatives 2K <= j < 3K-1 are the K-1 inner knots. Writes y and log|dy/dx| (for
 * inverse: the log-det of the inverse map, i.e. -log|dx/dy| at the solution). */
int bv2j_rq_spline(bv2j_ctx *ctx, const float *x, const float *h, float *y, float *logabsdet,
                   int64_t batch, int64_t channels, int64_t time, int64_t bins,
                   float tail_bound, float param_scale, int inverse);

/* Single-layer unidirectional GRU (torch gate order r, z, n) over x[B, T, I] from h0 = 0;
 * w_ih [3H, I], w_hh [3H, H], biases [3H]. Writes the last hidden state h_out [B, H]. */
int bv2j_gru_last(bv2j_ctx *ctx, const float *x, const float *w_ih, const float *w_hh,
                  const float *b_ih, const float *b_hh, float *h_out, int64_t batch,
                  int64_t time, int64_t input, int64_t hidden);

#ifdef __cplusplus
}
#endif
#endif
