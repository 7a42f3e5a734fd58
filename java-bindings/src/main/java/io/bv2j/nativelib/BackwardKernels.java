package io.bv2j.nativelib;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Typed downcalls into the backward kernels (native/include/bv2j_grad.h). Raw like
 * {@link Kernels}: callers validate shapes first. Outputs are overwritten unless the header says
 * the kernel accumulates.
 */
public final class BackwardKernels {
    private static final Downcalls.Lazy CONV1D_INPUT = new Downcalls.Lazy("bv2j_conv1d_backward_input", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final Downcalls.Lazy CONV1D_WEIGHT = new Downcalls.Lazy("bv2j_conv1d_backward_weight", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final Downcalls.Lazy CONVT_INPUT = new Downcalls.Lazy("bv2j_conv_transpose1d_backward_input",
            JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final Downcalls.Lazy CONVT_WEIGHT = new Downcalls.Lazy("bv2j_conv_transpose1d_backward_weight",
            JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final Downcalls.Lazy CONV2D_INPUT = new Downcalls.Lazy("bv2j_conv2d_backward_input", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final Downcalls.Lazy CONV2D_WEIGHT = new Downcalls.Lazy("bv2j_conv2d_backward_weight", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final Downcalls.Lazy LAYER_NORM = new Downcalls.Lazy("bv2j_layer_norm_channels_backward",
            JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_FLOAT);
    private static final Downcalls.Lazy UNARY = new Downcalls.Lazy("bv2j_unary_backward", JAVA_INT,
            ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_FLOAT, JAVA_FLOAT);
    private static final Downcalls.Lazy REDUCE_SUM_TO = new Downcalls.Lazy("bv2j_reduce_sum_to", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final Downcalls.Lazy SCATTER_ADD = new Downcalls.Lazy("bv2j_scatter_add_strided", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final Downcalls.Lazy WN_GATE = new Downcalls.Lazy("bv2j_wn_gate_backward", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG,
            JAVA_LONG, JAVA_LONG);
    private static final Downcalls.Lazy REL_ATTENTION = new Downcalls.Lazy("bv2j_rel_attention_backward", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_FLOAT,
            JAVA_LONG);
    private static final Downcalls.Lazy RQ_SPLINE = new Downcalls.Lazy("bv2j_rq_spline_backward", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_FLOAT, JAVA_FLOAT, JAVA_INT);
    private static final Downcalls.Lazy GRU_LAST = new Downcalls.Lazy("bv2j_gru_last_backward", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
            ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private static final Downcalls.Lazy WEIGHT_NORM = new Downcalls.Lazy("bv2j_weight_norm", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final Downcalls.Lazy WEIGHT_NORM_BACKWARD = new Downcalls.Lazy("bv2j_weight_norm_backward", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final Downcalls.Lazy ADAMW = new Downcalls.Lazy("bv2j_adamw_step", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE,
            JAVA_DOUBLE, JAVA_LONG);

    private BackwardKernels() {
    }

    /** norms: rows doubles. */
    public static void weightNorm(MemorySegment g, MemorySegment v, MemorySegment w, MemorySegment norms, long rows,
                                  long perRow) {
        try {
            int rc = (int) WEIGHT_NORM.get().invokeExact(NativeContext.current(), g, v, w, norms, rows, perRow);
            Downcalls.check("weight_norm", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void weightNormBackward(MemorySegment g, MemorySegment v, MemorySegment norms, MemorySegment dw,
                                          MemorySegment dg, MemorySegment dv, long rows, long perRow) {
        try {
            int rc = (int) WEIGHT_NORM_BACKWARD.get().invokeExact(NativeContext.current(), g, v, norms, dw, dg, dv, rows,
                    perRow);
            Downcalls.check("weight_norm_backward", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void adamwStep(MemorySegment p, MemorySegment grad, MemorySegment expAvg, MemorySegment expAvgSq,
                                 long n, double lr, double beta1, double beta2, double eps, double weightDecay,
                                 long step) {
        try {
            int rc = (int) ADAMW.get().invokeExact(NativeContext.current(), p, grad, expAvg, expAvgSq, n, lr, beta1, beta2,
                    eps, weightDecay, step);
            Downcalls.check("adamw_step", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void conv1dInput(MemorySegment dy, MemorySegment w, MemorySegment dx, long batch, long cIn,
                                   long tIn, long cOut, long tOut, long kernel, long stride, long padLeft,
                                   long dilation, long groups) {
        try {
            int rc = (int) CONV1D_INPUT.get().invokeExact(NativeContext.current(), dy, w, dx, batch, cIn, tIn, cOut,
                    tOut, kernel, stride, padLeft, dilation, groups);
            Downcalls.check("conv1d_backward_input", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void conv1dWeight(MemorySegment x, MemorySegment dy, MemorySegment dw, MemorySegment db, long batch,
                                    long cIn, long tIn, long cOut, long tOut, long kernel, long stride, long padLeft,
                                    long dilation, long groups) {
        try {
            int rc = (int) CONV1D_WEIGHT.get().invokeExact(NativeContext.current(), x, dy, dw, db, batch, cIn, tIn,
                    cOut, tOut, kernel, stride, padLeft, dilation, groups);
            Downcalls.check("conv1d_backward_weight", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void convTranspose1dInput(MemorySegment dy, MemorySegment w, MemorySegment dx, long batch, long cIn,
                                            long tIn, long cOut, long tOut, long kernel, long stride, long padding) {
        try {
            int rc = (int) CONVT_INPUT.get().invokeExact(NativeContext.current(), dy, w, dx, batch, cIn, tIn, cOut,
                    tOut, kernel, stride, padding);
            Downcalls.check("conv_transpose1d_backward_input", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void convTranspose1dWeight(MemorySegment x, MemorySegment dy, MemorySegment dw, MemorySegment db,
                                             long batch, long cIn, long tIn, long cOut, long tOut, long kernel,
                                             long stride, long padding) {
        try {
            int rc = (int) CONVT_WEIGHT.get().invokeExact(NativeContext.current(), x, dy, dw, db, batch, cIn, tIn,
                    cOut, tOut, kernel, stride, padding);
            Downcalls.check("conv_transpose1d_backward_weight", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void conv2dInput(MemorySegment dy, MemorySegment w, MemorySegment dx, long batch, long cIn, long h,
                                   long wd, long cOut, long hOut, long wOut, long kh, long kw, long sh, long sw,
                                   long ph, long pw) {
        try {
            int rc = (int) CONV2D_INPUT.get().invokeExact(NativeContext.current(), dy, w, dx, batch, cIn, h, wd, cOut,
                    hOut, wOut, kh, kw, sh, sw, ph, pw);
            Downcalls.check("conv2d_backward_input", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void conv2dWeight(MemorySegment x, MemorySegment dy, MemorySegment dw, MemorySegment db, long batch,
                                    long cIn, long h, long wd, long cOut, long hOut, long wOut, long kh, long kw,
                                    long sh, long sw, long ph, long pw) {
        try {
            int rc = (int) CONV2D_WEIGHT.get().invokeExact(NativeContext.current(), x, dy, dw, db, batch, cIn, h, wd,
                    cOut, hOut, wOut, kh, kw, sh, sw, ph, pw);
            Downcalls.check("conv2d_backward_weight", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void layerNormChannels(MemorySegment x, MemorySegment gamma, MemorySegment dy, MemorySegment dx,
                                         MemorySegment dgamma, MemorySegment dbeta, long batch, long channels,
                                         long time, float eps) {
        try {
            int rc = (int) LAYER_NORM.get().invokeExact(NativeContext.current(), x, gamma, dy, dx, dgamma, dbeta, batch,
                    channels, time, eps);
            Downcalls.check("layer_norm_channels_backward", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void unary(int op, MemorySegment x, MemorySegment y, MemorySegment dy, MemorySegment dx, long n,
                             float p0, float p1) {
        try {
            int rc = (int) UNARY.get().invokeExact(NativeContext.current(), op, x, y, dy, dx, n, p0, p1);
            Downcalls.check("unary_backward", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Shapes are 4-element native long arrays. */
    public static void reduceSumTo(MemorySegment x, MemorySegment xShape, MemorySegment y, MemorySegment yShape) {
        try {
            int rc = (int) REDUCE_SUM_TO.get().invokeExact(NativeContext.current(), x, xShape, y, yShape);
            Downcalls.check("reduce_sum_to", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Strides and shape are 4-element native long arrays; accumulates into y. */
    public static void scatterAddStrided(MemorySegment dy, MemorySegment y, MemorySegment yStrides,
                                         MemorySegment shape) {
        try {
            int rc = (int) SCATTER_ADD.get().invokeExact(NativeContext.current(), dy, y, yStrides, shape);
            Downcalls.check("scatter_add_strided", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void wnGate(MemorySegment xIn, MemorySegment g, long gBatchStride, long gChannelStride,
                              long gTimeStride, MemorySegment dout, MemorySegment dxIn, MemorySegment dg, long batch,
                              long hidden, long time) {
        try {
            int rc = (int) WN_GATE.get().invokeExact(NativeContext.current(), xIn, g, gBatchStride, gChannelStride,
                    gTimeStride, dout, dxIn, dg, batch, hidden, time);
            Downcalls.check("wn_gate_backward", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void relAttention(MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment embK,
                                    MemorySegment embV, MemorySegment maskQ, MemorySegment maskK,
                                    MemorySegment fullMask, MemorySegment dout, MemorySegment dq, MemorySegment dk,
                                    MemorySegment dv, MemorySegment dEmbK, MemorySegment dEmbV, long batch,
                                    long heads, long headDim, long time, long window, float dropoutP, long seed) {
        try {
            int rc = (int) REL_ATTENTION.get().invokeExact(NativeContext.current(), q, k, v, embK, embV, maskQ, maskK,
                    fullMask, dout, dq, dk, dv, dEmbK, dEmbV, batch, heads, headDim, time, window, dropoutP, seed);
            Downcalls.check("rel_attention_backward", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void rqSpline(MemorySegment x, MemorySegment h, MemorySegment dy, MemorySegment dLogabsdet,
                                MemorySegment dx, MemorySegment dh, long batch, long channels, long time, long bins,
                                float tailBound, float paramScale, boolean inverse) {
        try {
            int rc = (int) RQ_SPLINE.get().invokeExact(NativeContext.current(), x, h, dy, dLogabsdet, dx, dh, batch,
                    channels, time, bins, tailBound, paramScale, inverse ? 1 : 0);
            Downcalls.check("rq_spline_backward", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static void gruLast(MemorySegment x, MemorySegment wIh, MemorySegment wHh, MemorySegment bIh,
                               MemorySegment bHh, MemorySegment dhOut, MemorySegment dx, MemorySegment dwIh,
                               MemorySegment dwHh, MemorySegment dbIh, MemorySegment dbHh, long batch, long time,
                               long input, long hidden) {
        try {
            int rc = (int) GRU_LAST.get().invokeExact(NativeContext.current(), x, wIh, wHh, bIh, bHh, dhOut, dx, dwIh,
                    dwHh, dbIh, dbHh, batch, time, input, hidden);
            Downcalls.check("gru_last_backward", rc);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}
