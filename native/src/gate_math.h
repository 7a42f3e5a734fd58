/* Activation formulas shared by CPU and (later) CUDA kernels: keep them free of host-only code. */
#ifndef BV2J_GATE_MATH_H
#define BV2J_GATE_MATH_H
#include <math.h>

#ifdef __CUDACC__
#define BV2J_INLINE __host__ __device__ static inline
#else
#define BV2J_INLINE static inline
#endif

BV2J_INLINE float bv2j_sigmoidf(float x) {
    /* Split by sign so exp never overflows. */
    if (x >= 0.0f) return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}

/* tanh(a) * sigmoid(b): the WaveNet gate of fused_add_tanh_sigmoid_multiply. */
BV2J_INLINE float bv2j_gate(float a, float b) { return tanhf(a) * bv2j_sigmoidf(b); }

#endif
