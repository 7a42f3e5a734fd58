/* Contexts, device memory and copies. */
#include <stdio.h>
#include <string.h>
#include "internal.cuh"

static thread_local char last_error[256];

int bv2j_cuda_fail(const char *what, cudaError_t err) {
    snprintf(last_error, sizeof last_error, "%s: %s (%s)", what, cudaGetErrorString(err), cudaGetErrorName(err));
    return BV2J_ECUDA;
}

extern "C" const char *bv2j_cuda_last_error(void) { return last_error; }

extern "C" int bv2j_cuda_device_count(void) {
    int n = 0;
    /* no driver, no device, a driver older than the runtime: all mean "no GPU here" */
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
        cudaGetLastError();
        return 0;
    }
    return n;
}

extern "C" int bv2j_cuda_device_name(int device, char *buf, int64_t capacity) {
    BV2J_CHECK(buf && capacity > 0);
    cudaDeviceProp p;
    BV2J_CUDA(cudaGetDeviceProperties(&p, device));
    snprintf(buf, (size_t) capacity, "%s (sm_%d%d, %.0f GiB)", p.name, p.major, p.minor,
             p.totalGlobalMem / (1024.0 * 1024.0 * 1024.0));
    return BV2J_OK_;
}

extern "C" bv2j_ctx *bv2j_cuda_ctx_create(int device) {
    if (cudaSetDevice(device) != cudaSuccess) {
        bv2j_cuda_fail("cudaSetDevice", cudaGetLastError());
        return NULL;
    }
    bv2j_ctx *ctx = (bv2j_ctx *) calloc(1, sizeof(bv2j_ctx));
    if (ctx == NULL) return NULL;
    ctx->device = device;
    cudaError_t e = cudaStreamCreateWithFlags(&ctx->stream, cudaStreamNonBlocking);
    if (e == cudaSuccess) e = cudaMalloc((void **) &ctx->status, sizeof(int));
    if (e != cudaSuccess) {
        bv2j_cuda_fail("creating a context", e);
        if (ctx->stream) cudaStreamDestroy(ctx->stream);
        free(ctx);
        return NULL;
    }
    return ctx;
}

extern "C" void bv2j_cuda_ctx_destroy(bv2j_ctx *ctx) {
    if (ctx == NULL) return;
    cudaSetDevice(ctx->device);
    cudaStreamSynchronize(ctx->stream);
    cudaFree(ctx->scratch);
    cudaFree(ctx->status);
    cudaStreamDestroy(ctx->stream);
    free(ctx);
}

void *bv2j_cuda_scratch(bv2j_ctx *ctx, size_t bytes) {
    if (bytes <= ctx->scratch_bytes) return ctx->scratch;
    /* the stream may still read the old buffer */
    if (cudaStreamSynchronize(ctx->stream) != cudaSuccess) return NULL;
    cudaFree(ctx->scratch);
    ctx->scratch = NULL;
    ctx->scratch_bytes = 0;
    if (cudaMalloc(&ctx->scratch, bytes) != cudaSuccess) {
        cudaGetLastError();
        return NULL;
    }
    ctx->scratch_bytes = bytes;
    return ctx->scratch;
}

extern "C" int64_t bv2j_scratch_bytes(bv2j_ctx *ctx) { return ctx ? (int64_t) ctx->scratch_bytes : 0; }

extern "C" int bv2j_cuda_malloc(bv2j_ctx *ctx, int64_t bytes, void **out) {
    BV2J_CHECK(ctx && out && bytes >= 0);
    *out = NULL;
    BV2J_CUDA(cudaSetDevice(ctx->device));
    cudaError_t e = cudaMallocAsync(out, bytes > 0 ? (size_t) bytes : 1, ctx->stream);
    if (e == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        return BV2J_ENOMEM_;
    }
    BV2J_CUDA(e);
    return BV2J_OK_;
}

extern "C" int bv2j_cuda_free(bv2j_ctx *ctx, void *device_ptr) {
    BV2J_CHECK(ctx);
    if (device_ptr == NULL) return BV2J_OK_;
    BV2J_CUDA(cudaFreeAsync(device_ptr, ctx->stream));
    return BV2J_OK_;
}

extern "C" int bv2j_cuda_upload(bv2j_ctx *ctx, void *device_dst, const void *host_src, int64_t bytes) {
    BV2J_CHECK(ctx && device_dst && host_src && bytes >= 0);
    BV2J_CUDA(cudaMemcpyAsync(device_dst, host_src, (size_t) bytes, cudaMemcpyHostToDevice, ctx->stream));
    /* pageable host memory may be reused by the caller as soon as we return */
    BV2J_CUDA(cudaStreamSynchronize(ctx->stream));
    return BV2J_OK_;
}

extern "C" int bv2j_cuda_download(bv2j_ctx *ctx, void *host_dst, const void *device_src, int64_t bytes) {
    BV2J_CHECK(ctx && host_dst && device_src && bytes >= 0);
    BV2J_CUDA(cudaMemcpyAsync(host_dst, device_src, (size_t) bytes, cudaMemcpyDeviceToHost, ctx->stream));
    BV2J_CUDA(cudaStreamSynchronize(ctx->stream));
    return BV2J_OK_;
}

extern "C" int bv2j_cuda_synchronize(bv2j_ctx *ctx) {
    BV2J_CHECK(ctx);
    BV2J_CUDA(cudaStreamSynchronize(ctx->stream));
    return BV2J_OK_;
}
