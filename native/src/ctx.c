/* Context: the BLAS library opened at run time, thread count, instruction set and scratch memory. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>
#include "internal.h"

static _Thread_local char open_error[512];

const char *bv2j_last_open_error(void) { return open_error; }

bv2j_ctx *bv2j_ctx_create(const char *blas_path, int threads) {
    open_error[0] = 0;
    if (blas_path == NULL) {
        snprintf(open_error, sizeof open_error, "no BLAS library path given");
        return NULL;
    }
    /* dlopen is reference-counted: every context shares the one loaded copy. */
    void *lib = dlopen(blas_path, RTLD_NOW | RTLD_GLOBAL);
    if (lib == NULL) {
        snprintf(open_error, sizeof open_error, "%s", dlerror());
        return NULL;
    }
    bv2j_sgemm_fn sgemm = (bv2j_sgemm_fn) dlsym(lib, "cblas_sgemm");
    if (sgemm == NULL) {
        snprintf(open_error, sizeof open_error, "%s has no cblas_sgemm", blas_path);
        return NULL;
    }
    int isa = bv2j_cpu_isa();
    const char *wanted = getenv("BV2J_ISA");
    if (wanted != NULL && wanted[0] != 0) {
        if (strcmp(wanted, "avx2") == 0) {
            isa = BV2J_ISA_AVX2;
        } else if (strcmp(wanted, "avx512") != 0) {
            snprintf(open_error, sizeof open_error, "BV2J_ISA=%.64s: expected avx2 or avx512", wanted);
            return NULL;
        } else if (isa != BV2J_ISA_AVX512) {
            snprintf(open_error, sizeof open_error, "BV2J_ISA=avx512 but this CPU has no AVX-512F");
            return NULL;
        }
    }
    bv2j_ctx *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL) {
        snprintf(open_error, sizeof open_error, "out of memory");
        return NULL;
    }
    ctx->sgemm = sgemm;
    ctx->blas_set_threads = (bv2j_set_threads_fn) dlsym(lib, "openblas_set_num_threads");
    ctx->threads = 1;
    const char *wg = getenv("BV2J_WINOGRAD");
    ctx->winograd = !(wg != NULL && strcmp(wg, "0") == 0);
    const char *own = getenv("BV2J_OWN_GEMM");
    ctx->own_gemm = !(own != NULL && strcmp(own, "0") == 0);
    ctx->isa = isa;
    bv2j_set_threads(ctx, threads > 0 ? threads : omp_get_num_procs());
    return ctx;
}

void bv2j_ctx_destroy(bv2j_ctx *ctx) {
    if (ctx == NULL) return;
    free(ctx->scratch);
    free(ctx);
}

int bv2j_set_threads(bv2j_ctx *ctx, int threads) {
    BV2J_CHECK(ctx != NULL && threads > 0 && threads <= 4096);
    ctx->threads = threads;
    /* OpenBLAS runs single-threaded; bv2j_gemm splits large products over OpenMP (gemm.c). */
    if (ctx->blas_set_threads) ctx->blas_set_threads(1);
    return BV2J_OK;
}

int bv2j_set_winograd(bv2j_ctx *ctx, int enabled) {
    BV2J_CHECK(ctx != NULL && (enabled == 0 || enabled == 1));
    ctx->winograd = enabled;
    return BV2J_OK;
}

int bv2j_set_own_gemm(bv2j_ctx *ctx, int enabled) {
    BV2J_CHECK(ctx != NULL && (enabled == 0 || enabled == 1));
    ctx->own_gemm = enabled;
    return BV2J_OK;
}

int64_t bv2j_scratch_bytes(bv2j_ctx *ctx) { return ctx ? (int64_t) ctx->scratch_bytes : 0; }

void *bv2j_scratch(bv2j_ctx *ctx, size_t bytes) {
    if (bytes <= ctx->scratch_bytes) return ctx->scratch;
    free(ctx->scratch);
    ctx->scratch = NULL;
    ctx->scratch_bytes = 0;
    /* 64-byte alignment for AVX-512 loads in BLAS. */
    size_t rounded = (bytes + 63) & ~(size_t) 63;
    void *p = aligned_alloc(64, rounded);
    if (p == NULL) return NULL;
    ctx->scratch = p;
    ctx->scratch_bytes = rounded;
    return p;
}
