package io.bv2j.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Typed downcalls into libbv2j (native/include/bv2j.h), run on the calling thread's context.
 * These are raw: callers (io.bv2j.tensor.Ops) validate every shape and buffer size first, the C
 * side only re-checks cheaply. Nullable pointers are passed as {@link MemorySegment#NULL}.
 */
public final class Kernels {
    public static final int RELU = 0, LEAKY_RELU = 1, TANH = 2, SIGMOID = 3, GELU = 4, EXP = 5, LOG = 6,
            AFFINE = 7, CEIL = 8, SOFTPLUS = 9, CLAMP_MIN = 10, LOGSIGMOID = 11, ABS = 12, SQRT = 13;
    public static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3;

    private static final MethodHandle SGEMM_BATCHED = Downcalls.handle("bv2j_sgemm_batched", JAVA_INT,
            ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_FLOAT, ADDRESS, JAVA_LONG, JAVA_LONG,
            ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_FLOAT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle CONV1D = Downcalls.handle("bv2j_conv1d", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle CONV1D_FUSED = Downcalls.handle("bv2j_conv1d_fused", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_FLOAT);
    private static final MethodHandle CONV1D_IM2COL = Downcalls.handle("bv2j_conv1d_im2col", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_FLOAT);
    private static final MethodHandle CONV1D_WINOGRAD = Downcalls.handle("bv2j_conv1d_winograd", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_FLOAT);
    private static final MethodHandle CONV1D_DIRECT = Downcalls.handle("bv2j_conv1d_direct", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_FLOAT);
    private static final MethodHandle CONV_TRANSPOSE1D = Downcalls.handle("bv2j_conv_transpose1d", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle CONV2D = Downcalls.handle("bv2j_conv2d", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle LAYER_NORM = Downcalls.handle("bv2j_layer_norm_channels", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_FLOAT);
    private static final MethodHandle UNARY = Downcalls.handle("bv2j_unary", JAVA_INT,
            ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_FLOAT, JAVA_FLOAT);
    private static final MethodHandle BINARY = Downcalls.handle("bv2j_binary", JAVA_INT,
            ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle COPY_STRIDED = Downcalls.handle("bv2j_copy_strided", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle WN_GATE = Downcalls.handle("bv2j_wn_gate", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle REL_ATTENTION = Downcalls.handle("bv2j_rel_attention", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_FLOAT, JAVA_LONG);
    private static final MethodHandle RQ_SPLINE = Downcalls.handle("bv2j_rq_spline", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_FLOAT, JAVA_FLOAT, JAVA_INT);
    private static final MethodHandle GRU_LAST = Downcalls.handle("bv2j_gru_last", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private Kernels() {
    }

    public static void sgemmBatched(boolean transA, boolean transB, long m, long n, long k, float alpha,
                                    MemorySegment a, long lda, long strideA, MemorySegment b, long ldb, long strideB,
                                    float beta, MemorySegment c, long ldc, long strideC, long batch) {
        try {
            int rc = (int) SGEMM_BATCHED.invokeExact(NativeContext.current(), transA ? 1 : 0, transB ? 1 : 0, m, n, k,
                    alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
            Downcalls.check("sgemm", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void conv1d(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y, long batch,
                              long cIn, long tIn, long cOut, long tOut, long kernel, long stride, long padLeft,
                              long dilation, long groups) {
        try {
            int rc = (int) CONV1D.invokeExact(NativeContext.current(), x, w, bias, y, batch, cIn, tIn, cOut, tOut,
                    kernel, stride, padLeft, dilation, groups);
            Downcalls.check("conv1d", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * y = conv1d(leakyRelu(x, inSlope) or x, w) + bias + residual (groups 1); bias and residual may
     * be NULL; NaN inSlope means no activation.
     */
    public static void conv1dFused(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment residual,
                                   MemorySegment y, long batch, long cIn, long tIn, long cOut, long tOut, long kernel,
                                   long stride, long padLeft, long dilation, float inSlope) {
        conv1dWith(CONV1D_FUSED, "conv1d_fused", x, w, bias, residual, y, batch, cIn, tIn, cOut, tOut, kernel, stride,
                padLeft, dilation, inSlope);
    }

    /** {@link #conv1dFused} forced onto the im2col + GEMM algorithm (for tests and comparisons). */
    public static void conv1dIm2col(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment residual,
                                    MemorySegment y, long batch, long cIn, long tIn, long cOut, long tOut, long kernel,
                                    long stride, long padLeft, long dilation, float inSlope) {
        conv1dWith(CONV1D_IM2COL, "conv1d_im2col", x, w, bias, residual, y, batch, cIn, tIn, cOut, tOut, kernel, stride,
                padLeft, dilation, inSlope);
    }

    /** The fused convolution's downcall through `handle` (bv2j_conv1d_fused or bv2j_conv1d_im2col: same signature). */
    private static void conv1dWith(MethodHandle handle, String name, MemorySegment x, MemorySegment w,
                                   MemorySegment bias, MemorySegment residual, MemorySegment y, long batch, long cIn,
                                   long tIn, long cOut, long tOut, long kernel, long stride, long padLeft,
                                   long dilation, float inSlope) {
        boolean act = !Float.isNaN(inSlope);
        try {
            int rc = (int) handle.invokeExact(NativeContext.current(), x, w, bias, residual, y, batch, cIn, tIn, cOut,
                    tOut, kernel, stride, padLeft, dilation, act ? 1 : 0, act ? inSlope : 0f);
            Downcalls.check(name, rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@link #conv1dFused} (stride 1, kernel >= 2) forced onto Winograd F(4, r) (for tests and comparisons). */
    public static void conv1dWinograd(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment residual,
                                      MemorySegment y, long batch, long cIn, long tIn, long cOut, long tOut,
                                      long kernel, long padLeft, long dilation, float inSlope) {
        conv1dUnitStride(CONV1D_WINOGRAD, "conv1d_winograd", x, w, bias, residual, y, batch, cIn, tIn, cOut, tOut,
                kernel, padLeft, dilation, inSlope);
    }

    /**
     * {@link #conv1dFused} (stride 1) forced onto the implicit-GEMM kernel, on the register tiles of
     * {@link NativeContext#isa()} (for tests and comparisons).
     */
    public static void conv1dDirect(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment residual,
                                    MemorySegment y, long batch, long cIn, long tIn, long cOut, long tOut,
                                    long kernel, long padLeft, long dilation, float inSlope) {
        conv1dUnitStride(CONV1D_DIRECT, "conv1d_direct", x, w, bias, residual, y, batch, cIn, tIn, cOut, tOut,
                kernel, padLeft, dilation, inSlope);
    }

    /** A stride-1 algorithm's downcall through `handle` (bv2j_conv1d_winograd or bv2j_conv1d_direct: same signature). */
    private static void conv1dUnitStride(MethodHandle handle, String name, MemorySegment x, MemorySegment w,
                                         MemorySegment bias, MemorySegment residual, MemorySegment y, long batch,
                                         long cIn, long tIn, long cOut, long tOut, long kernel, long padLeft,
                                         long dilation, float inSlope) {
        boolean act = !Float.isNaN(inSlope);
        try {
            int rc = (int) handle.invokeExact(NativeContext.current(), x, w, bias, residual, y, batch, cIn, tIn, cOut,
                    tOut, kernel, padLeft, dilation, act ? 1 : 0, act ? inSlope : 0f);
            Downcalls.check(name, rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void convTranspose1d(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y,
                                       long batch, long cIn, long tIn, long cOut, long tOut, long kernel,
                                       long stride, long padding) {
        try {
            int rc = (int) CONV_TRANSPOSE1D.invokeExact(NativeContext.current(), x, w, bias, y, batch, cIn, tIn,
                    cOut, tOut, kernel, stride, padding);
            Downcalls.check("conv_transpose1d", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void conv2d(MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y, long batch,
                              long cIn, long h, long wd, long cOut, long hOut, long wOut, long kh, long kw, long sh,
                              long sw, long ph, long pw) {
        try {
            int rc = (int) CONV2D.invokeExact(NativeContext.current(), x, w, bias, y, batch, cIn, h, wd, cOut, hOut,
                    wOut, kh, kw, sh, sw, ph, pw);
            Downcalls.check("conv2d", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void layerNormChannels(MemorySegment x, MemorySegment gamma, MemorySegment beta, MemorySegment y,
                                         long batch, long channels, long time, float eps) {
        try {
            int rc = (int) LAYER_NORM.invokeExact(NativeContext.current(), x, gamma, beta, y, batch, channels, time,
                    eps);
            Downcalls.check("layer_norm_channels", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void unary(int op, MemorySegment x, MemorySegment y, long n, float p0, float p1) {
        try {
            int rc = (int) UNARY.invokeExact(NativeContext.current(), op, x, y, n, p0, p1);
            Downcalls.check("unary", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Strides and shape are 4-element native long arrays. */
    public static void binary(int op, MemorySegment a, MemorySegment aStrides, MemorySegment b,
                              MemorySegment bStrides, MemorySegment y, MemorySegment shape) {
        try {
            int rc = (int) BINARY.invokeExact(NativeContext.current(), op, a, aStrides, b, bStrides, y, shape);
            Downcalls.check("binary", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void copyStrided(MemorySegment x, MemorySegment xStrides, MemorySegment y, MemorySegment shape) {
        try {
            int rc = (int) COPY_STRIDED.invokeExact(NativeContext.current(), x, xStrides, y, shape);
            Downcalls.check("copy_strided", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void wnGate(MemorySegment xIn, MemorySegment g, long gBatchStride, long gChannelStride,
                              long gTimeStride, MemorySegment out, long batch, long hidden, long time) {
        try {
            int rc = (int) WN_GATE.invokeExact(NativeContext.current(), xIn, g, gBatchStride, gChannelStride,
                    gTimeStride, out, batch, hidden, time);
            Downcalls.check("wn_gate", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * Relative-position attention; {@code dropoutP} in [0, 1) drops softmax probabilities with a
     * counter-based mask derived from {@code seed} (no draws when 0). The backward
     * ({@link BackwardKernels#relAttention}) must get the same {@code dropoutP} and {@code seed}.
     */
    public static void relAttention(MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment embK,
                                    MemorySegment embV, MemorySegment maskQ, MemorySegment maskK,
                                    MemorySegment fullMask, MemorySegment out, long batch, long heads, long headDim,
                                    long time, long window, float dropoutP, long seed) {
        try {
            int rc = (int) REL_ATTENTION.invokeExact(NativeContext.current(), q, k, v, embK, embV, maskQ, maskK,
                    fullMask, out, batch, heads, headDim, time, window, dropoutP, seed);
            Downcalls.check("rel_attention", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void rqSpline(MemorySegment x, MemorySegment h, MemorySegment y, MemorySegment logabsdet,
                                long batch, long channels, long time, long bins, float tailBound, float paramScale,
                                boolean inverse) {
        try {
            int rc = (int) RQ_SPLINE.invokeExact(NativeContext.current(), x, h, y, logabsdet, batch, channels, time,
                    bins, tailBound, paramScale, inverse ? 1 : 0);
            Downcalls.check("rq_spline", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void gruLast(MemorySegment x, MemorySegment wIh, MemorySegment wHh, MemorySegment bIh,
                               MemorySegment bHh, MemorySegment hOut, long batch, long time, long input,
                               long hidden) {
        try {
            int rc = (int) GRU_LAST.invokeExact(NativeContext.current(), x, wIh, wHh, bIh, bHh, hOut, batch, time,
                    input, hidden);
            Downcalls.check("gru_last", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}
