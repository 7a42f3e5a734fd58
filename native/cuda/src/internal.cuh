/* What the CUDA kernels share: the context, status checks and launch sizes. */
#ifndef BV2J_CUDA_INTERNAL_CUH
#define BV2J_CUDA_INTERNAL_CUH
#include <cuda_runtime.h>
#include <stdint.h>
#include "bv2j_cuda.h"

enum { BV2J_OK_ = 0, BV2J_EINVAL_ = 1, BV2J_ENOMEM_ = 2 };

struct bv2j_ctx {
    int device;
    cudaStream_t stream;
    void *scratch;          /* grown on demand, never shrunk while the context lives */
    size_t scratch_bytes;
    int *status;            /* one device int kernels raise when their input is invalid */
};

#define BV2J_CHECK(cond) do { if (!(cond)) return BV2J_EINVAL_; } while (0)

/* Records `what` and the CUDA error as this thread's last error and returns BV2J_ECUDA. */
int bv2j_cuda_fail(const char *what, cudaError_t err);

/* Returns BV2J_ECUDA from the calling function when the CUDA call fails. */
#define BV2J_CUDA(call) do { cudaError_t e_ = (call); if (e_ != cudaSuccess) return bv2j_cuda_fail(#call, e_); } while (0)
/* After a launch: a bad configuration shows up here, faults later at a synchronising call. */
#define BV2J_LAUNCHED() BV2J_CUDA(cudaGetLastError())

/* Device scratch of at least `bytes` (previous contents not kept), or NULL. */
void *bv2j_cuda_scratch(bv2j_ctx *ctx, size_t bytes);

static inline unsigned bv2j_blocks(int64_t n, int threads) {
    return (unsigned) ((n + threads - 1) / threads);
}

#endif
