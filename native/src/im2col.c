/* The column matrix that turns a 1-d convolution into a GEMM, shared by the forward's grouped
 * path and the backward kernels. */
#include "internal.h"

void bv2j_im2col_1d(const float *x, float *cols, int64_t channels, int64_t t_in, int64_t kernel,
                    int64_t stride, int64_t pad, int64_t dilation, int64_t t0, int64_t n,
                    int threads) {
    const int64_t rows = channels * kernel;
#pragma omp parallel for num_threads(threads) schedule(static) if (rows * n > BV2J_PARALLEL_MIN)
    for (int64_t r = 0; r < rows; r++) {
        const int64_t ci = r / kernel, k = r % kernel;
        const float *xr = x + ci * t_in;
        float *cr = cols + r * n;
        const int64_t off = k * dilation - pad;
        for (int64_t t = 0; t < n; t++) {
            const int64_t ti = (t0 + t) * stride + off;
            cr[t] = (ti >= 0 && ti < t_in) ? xr[ti] : 0.0f;
        }
    }
}
