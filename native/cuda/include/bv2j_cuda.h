/*
 * bv2j CUDA kernels: the functions of bv2j.h / bv2j_grad.h / bv2j_align.h that have a CUDA
 * implementation, with the CPU library's names and signatures, so Java binds both libraries
 * through one description. Every tensor pointer is a device pointer; sizes are host values
 * that Java has validated. A context holds the device, its stream (kernels of one context run
 * in order, contexts overlap) and device scratch; it is used by one thread at a time. Kernels
 * are asynchronous on the context's stream unless said otherwise.
 *
 * Besides the kernels, this header adds what only a device needs: contexts on a device, device
 * memory and copies.
 */
#ifndef BV2J_CUDA_H
#define BV2J_CUDA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
/* The library is built with hidden visibility (its static cudart stays private); these are its API. */
#pragma GCC visibility push(default)

typedef struct bv2j_ctx bv2j_ctx;

/* Status codes beyond bv2j.h's BV2J_OK / BV2J_EINVAL / BV2J_ENOMEM. */
enum { BV2J_ECUDA = 4 /* a CUDA call failed: bv2j_cuda_last_error() says which and why */ };

/* Number of usable CUDA devices: 0 when there is no driver or no GPU (never an error). */
int bv2j_cuda_device_count(void);
/* What the last failing call of this thread was, as one line (static storage per thread). */
const char *bv2j_cuda_last_error(void);
/* The device's name and compute capability, e.g. "NVIDIA H100 80GB HBM3 (sm_90)". */
int bv2j_cuda_device_name(int device, char *buf, int64_t capacity);

/* A context on `device` with a stream of its own; NULL on failure (bv2j_cuda_last_error). */
bv2j_ctx *bv2j_cuda_ctx_create(int device);
void bv2j_cuda_ctx_destroy(bv2j_ctx *ctx);
/* Bytes of device scratch the context holds (for leak checks). */
int64_t bv2j_scratch_bytes(bv2j_ctx *ctx);

int bv2j_cuda_malloc(bv2j_ctx *ctx, int64_t bytes, void **out);
int bv2j_cuda_free(bv2j_ctx *ctx, void *device_ptr);
/* Copies on the context's stream; download waits for it, so host memory is ready on return. */
int bv2j_cuda_upload(bv2j_ctx *ctx, void *device_dst, const void *host_src, int64_t bytes);
int bv2j_cuda_download(bv2j_ctx *ctx, void *host_dst, const void *device_src, int64_t bytes);
int bv2j_cuda_synchronize(bv2j_ctx *ctx);

/* The kernels: see the CPU header named beside each for the shapes. */
/* bv2j.h */
int bv2j_wn_gate(bv2j_ctx *ctx, const float *x_in, const float *g, int64_t g_batch_stride,
                 int64_t g_channel_stride, int64_t g_time_stride, float *out, int64_t batch,
                 int64_t hidden, int64_t time);
int bv2j_rq_spline(bv2j_ctx *ctx, const float *x, const float *h, float *y, float *logabsdet,
                   int64_t batch, int64_t channels, int64_t time, int64_t bins,
                   float tail_bound, float param_scale, int inverse);
int bv2j_conv_transpose1d(bv2j_ctx *ctx, const float *x, const float *w, const float *bias,
                          float *y, int64_t batch, int64_t c_in, int64_t t_in, int64_t c_out,
                          int64_t t_out, int64_t kernel, int64_t stride, int64_t padding);
/* bv2j_grad.h */
int bv2j_wn_gate_backward(bv2j_ctx *ctx, const float *x_in, const float *g, int64_t g_batch_stride,
                          int64_t g_channel_stride, int64_t g_time_stride, const float *dout,
                          float *dx_in, float *dg, int64_t batch, int64_t hidden, int64_t time);
int bv2j_rq_spline_backward(bv2j_ctx *ctx, const float *x, const float *h, const float *dy,
                            const float *dlogabsdet, float *dx, float *dh, int64_t batch,
                            int64_t channels, int64_t time, int64_t bins, float tail_bound,
                            float param_scale, int inverse);
int bv2j_conv_transpose1d_backward_input(bv2j_ctx *ctx, const float *dy, const float *w,
                                         float *dx, int64_t batch, int64_t c_in, int64_t t_in,
                                         int64_t c_out, int64_t t_out, int64_t kernel,
                                         int64_t stride, int64_t padding);
int bv2j_conv_transpose1d_backward_weight(bv2j_ctx *ctx, const float *x, const float *dy,
                                          float *dw, float *db, int64_t batch, int64_t c_in,
                                          int64_t t_in, int64_t c_out, int64_t t_out,
                                          int64_t kernel, int64_t stride, int64_t padding);
/* bv2j_align.h. t_ys and t_xs are device int32 arrays; lengths the CPU kernel would refuse
 * make this one return BV2J_EINVAL too (it reads a device flag back, so it waits). */
int bv2j_maximum_path(bv2j_ctx *ctx, const float *neg_cent, const int32_t *t_ys,
                      const int32_t *t_xs, float *path, int64_t batch, int64_t max_ty,
                      int64_t max_tx);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif
