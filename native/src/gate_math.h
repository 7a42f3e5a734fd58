/* Activation formulas shared by the CPU and CUDA kernels: keep them free of host-only code. */
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

/* Gradients of bv2j_gate(a, b) scaled by dout: d/da = sigmoid(b)(1 - tanh(a)^2), d/db =
 * tanh(a) sigmoid(b)(1 - sigmoid(b)), in float32 as the CPU kernel has always computed them. */
BV2J_INLINE void bv2j_gate_grad(float a, float b, float dout, float *da, float *db) {
    const float ta = tanhf(a), sb = bv2j_sigmoidf(b);
    *da = dout * sb * (1.0f - ta * ta);
    *db = dout * ta * (sb * (1.0f - sb));
}

#endif
