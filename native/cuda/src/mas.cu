/* Monotonic alignment search on the GPU: one block per batch row, a wavefront over the text
 * axis — row y's cells depend only on row y - 1, so the block's threads fill a row's tokens side
 * by side, then one thread backtracks. Per cell the same float32 operations as the CPU kernel
 * (mas_math.h), so the paths are identical. */
#include "internal.cuh"
#include "mas_math.h"

__global__ static void mas_rows(float *values, const int32_t *t_ys, const int32_t *t_xs, float *path,
                                int64_t max_ty, int64_t max_tx, int *status) {
    const int64_t b = blockIdx.x;
    const int64_t t_y = t_ys[b], t_x = t_xs[b];
    /* the CPU kernel's checks, made here because the lengths live on the device */
    if (t_y < 0 || t_y > max_ty || t_x < 0 || t_x > max_tx || (t_y > 0 && (t_x < 1 || t_x > t_y))) {
        if (threadIdx.x == 0) atomicExch(status, 1);
        return;
    }
    if (t_y == 0) return;
    float *v = values + b * max_ty * max_tx;
    float *p = path + b * max_ty * max_tx;
    for (int64_t y = 0; y < t_y; y++) {
        const int64_t lo = t_x + y - t_y > 0 ? t_x + y - t_y : 0;
        const int64_t hi = t_x < y + 1 ? t_x : y + 1;
        for (int64_t x = lo + threadIdx.x; x < hi; x += blockDim.x) {
            const float prev_stay = x == y ? 0.0f : v[(y - 1) * max_tx + x];
            const float prev_advance = x == 0 ? 0.0f : v[(y - 1) * max_tx + x - 1];
            v[y * max_tx + x] = bv2j_mas_cell(v[y * max_tx + x], prev_stay, prev_advance, (long) y, (long) x);
        }
        __syncthreads();  /* row y is complete before row y + 1 reads it */
    }
    if (threadIdx.x != 0) return;
    int64_t index = t_x - 1;
    for (int64_t y = t_y - 1; y >= 0; y--) {
        p[y * max_tx + index] = 1.0f;
        if (index != 0 && bv2j_mas_step_back((long) index, (long) y, v[(y - 1) * max_tx + index],
                                             v[(y - 1) * max_tx + index - 1])) {
            index--;
        }
    }
}

extern "C" int bv2j_maximum_path(bv2j_ctx *ctx, const float *neg_cent, const int32_t *t_ys,
                                 const int32_t *t_xs, float *path, int64_t batch, int64_t max_ty,
                                 int64_t max_tx) {
    BV2J_CHECK(ctx && neg_cent && t_ys && t_xs && path);
    BV2J_CHECK(batch >= 0 && batch <= 0x7fffffff && max_ty >= 0 && max_tx >= 0);
    BV2J_CHECK(max_ty == 0 || max_tx <= INT64_MAX / max_ty);
    const int64_t plane = max_ty * max_tx;
    BV2J_CHECK(batch == 0 || plane <= INT64_MAX / (int64_t) sizeof(float) / batch);
    const size_t bytes = (size_t) (batch * plane) * sizeof(float);
    if (bytes == 0) return BV2J_OK_;
    BV2J_CUDA(cudaMemsetAsync(path, 0, bytes, ctx->stream));
    float *values = (float *) bv2j_cuda_scratch(ctx, bytes);
    if (values == NULL) return BV2J_ENOMEM_;
    BV2J_CUDA(cudaMemcpyAsync(values, neg_cent, bytes, cudaMemcpyDeviceToDevice, ctx->stream));
    BV2J_CUDA(cudaMemsetAsync(ctx->status, 0, sizeof(int), ctx->stream));
    /* a row has at most max_tx tokens; 256 threads keep a 16 x 2048 x 512 batch at one wave */
    mas_rows<<<(unsigned) batch, 256, 0, ctx->stream>>>(values, t_ys, t_xs, path, max_ty, max_tx, ctx->status);
    BV2J_LAUNCHED();
    int status = 0;
    BV2J_CUDA(cudaMemcpyAsync(&status, ctx->status, sizeof(int), cudaMemcpyDeviceToHost, ctx->stream));
    BV2J_CUDA(cudaStreamSynchronize(ctx->stream));
    return status ? BV2J_EINVAL_ : BV2J_OK_;
}
