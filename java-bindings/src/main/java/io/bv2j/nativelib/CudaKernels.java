package io.bv2j.nativelib;

import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA kernels of libbv2j_cuda (native/cuda/include/bv2j_cuda.h), same names, arguments and
 * shapes as the CPU ones in {@link Kernels}, {@link BackwardKernels} and the aligner, on device
 * buffers of one context. Every size is checked against the buffers here, before the call: a
 * kernel must never touch memory it was not given. Kernels are queued on the context's stream.
 */
public final class CudaKernels {
    private final MethodHandle wnGate, wnGateBackward, rqSpline, rqSplineBackward, convTranspose1d,
            convTranspose1dInput, convTranspose1dWeight, maximumPath;

    public CudaKernels() {
        var s = CudaLibrary.get().symbols();
        wnGate = Downcalls.handleIn(s, "bv2j_wn_gate", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG,
                JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        wnGateBackward = Downcalls.handleIn(s, "bv2j_wn_gate_backward", JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        rqSpline = Downcalls.handleIn(s, "bv2j_rq_spline", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_FLOAT, JAVA_FLOAT, JAVA_INT);
        rqSplineBackward = Downcalls.handleIn(s, "bv2j_rq_spline_backward", JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_FLOAT, JAVA_FLOAT,
                JAVA_INT);
        convTranspose1d = Downcalls.handleIn(s, "bv2j_conv_transpose1d", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        convTranspose1dInput = Downcalls.handleIn(s, "bv2j_conv_transpose1d_backward_input", JAVA_INT, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                JAVA_LONG);
        convTranspose1dWeight = Downcalls.handleIn(s, "bv2j_conv_transpose1d_backward_weight", JAVA_INT, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                JAVA_LONG, JAVA_LONG);
        maximumPath = Downcalls.handleIn(s, "bv2j_maximum_path", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    }

    /** out[B, H, T] = tanh(x_in[:, :H] + g_a) * sigmoid(x_in[:, H:] + g_b); g strided or null. */
    public void wnGate(CudaContext ctx, CudaBuffer xIn, CudaBuffer g, long gBatchStride, long gChannelStride,
            long gTimeStride, CudaBuffer out, long batch, long hidden, long time) {
        xIn.require(ctx, batch * 2 * hidden * time, "x_in");
        out.require(ctx, batch * hidden * time, "out");
        requireStrided(ctx, g, batch, 2 * hidden, time, gBatchStride, gChannelStride, gTimeStride, "g");
        call(ctx, "bv2j_wn_gate", () -> (int) wnGate.invokeExact(ctx.handle(), xIn.pointer(),
                CudaBuffer.pointerOrNull(g), gBatchStride, gChannelStride, gTimeStride, out.pointer(), batch, hidden,
                time));
    }

    /** dx_in [B, 2H, T] written; dg (g's layout) accumulated, null when g is null or not wanted. */
    public void wnGateBackward(CudaContext ctx, CudaBuffer xIn, CudaBuffer g, long gBatchStride, long gChannelStride,
            long gTimeStride, CudaBuffer dout, CudaBuffer dxIn, CudaBuffer dg, long batch, long hidden, long time) {
        xIn.require(ctx, batch * 2 * hidden * time, "x_in");
        dout.require(ctx, batch * hidden * time, "dout");
        dxIn.require(ctx, batch * 2 * hidden * time, "dx_in");
        requireStrided(ctx, g, batch, 2 * hidden, time, gBatchStride, gChannelStride, gTimeStride, "g");
        if (dg != null) {
            if (g == null) throw new IllegalArgumentException("dg without g");
            requireStrided(ctx, dg, batch, 2 * hidden, time, gBatchStride, gChannelStride, gTimeStride, "dg");
        }
        call(ctx, "bv2j_wn_gate_backward", () -> (int) wnGateBackward.invokeExact(ctx.handle(), xIn.pointer(),
                CudaBuffer.pointerOrNull(g), gBatchStride, gChannelStride, gTimeStride, dout.pointer(), dxIn.pointer(),
                CudaBuffer.pointerOrNull(dg), batch, hidden, time));
    }

    /** y, logabsdet [B, C, T] from x [B, C, T] and h [B, C*(3K-1), T]. */
    public void rqSpline(CudaContext ctx, CudaBuffer x, CudaBuffer h, CudaBuffer y, CudaBuffer logabsdet, long batch,
            long channels, long time, long bins, float tailBound, float paramScale, boolean inverse) {
        long n = batch * channels * time;
        x.require(ctx, n, "x");
        h.require(ctx, n * (3 * bins - 1), "h");
        y.require(ctx, n, "y");
        logabsdet.require(ctx, n, "logabsdet");
        call(ctx, "bv2j_rq_spline", () -> (int) rqSpline.invokeExact(ctx.handle(), x.pointer(), h.pointer(),
                y.pointer(), logabsdet.pointer(), batch, channels, time, bins, tailBound, paramScale, inverse ? 1 : 0));
    }

    /** dx [B, C, T] and dh [B, C*(3K-1), T] from dy and dlogabsdet (either may be null). */
    public void rqSplineBackward(CudaContext ctx, CudaBuffer x, CudaBuffer h, CudaBuffer dy, CudaBuffer dLogabsdet,
            CudaBuffer dx, CudaBuffer dh, long batch, long channels, long time, long bins, float tailBound,
            float paramScale, boolean inverse) {
        long n = batch * channels * time;
        x.require(ctx, n, "x");
        h.require(ctx, n * (3 * bins - 1), "h");
        if (dy != null) dy.require(ctx, n, "dy");
        if (dLogabsdet != null) dLogabsdet.require(ctx, n, "dlogabsdet");
        dx.require(ctx, n, "dx");
        dh.require(ctx, n * (3 * bins - 1), "dh");
        call(ctx, "bv2j_rq_spline_backward", () -> (int) rqSplineBackward.invokeExact(ctx.handle(), x.pointer(),
                h.pointer(), CudaBuffer.pointerOrNull(dy), CudaBuffer.pointerOrNull(dLogabsdet), dx.pointer(),
                dh.pointer(), batch, channels, time, bins, tailBound, paramScale, inverse ? 1 : 0));
    }

    /** y [B, Cout, Tout] = conv_transpose1d(x [B, Cin, Tin], w [Cin, Cout, K]) + bias (or null). */
    public void convTranspose1d(CudaContext ctx, CudaBuffer x, CudaBuffer w, CudaBuffer bias, CudaBuffer y,
            long batch, long cIn, long tIn, long cOut, long tOut, long kernel, long stride, long padding) {
        x.require(ctx, batch * cIn * tIn, "x");
        w.require(ctx, cIn * cOut * kernel, "w");
        if (bias != null) bias.require(ctx, cOut, "bias");
        y.require(ctx, batch * cOut * tOut, "y");
        call(ctx, "bv2j_conv_transpose1d", () -> (int) convTranspose1d.invokeExact(ctx.handle(), x.pointer(),
                w.pointer(), CudaBuffer.pointerOrNull(bias), y.pointer(), batch, cIn, tIn, cOut, tOut, kernel, stride,
                padding));
    }

    public void convTranspose1dInput(CudaContext ctx, CudaBuffer dy, CudaBuffer w, CudaBuffer dx, long batch, long cIn,
            long tIn, long cOut, long tOut, long kernel, long stride, long padding) {
        dy.require(ctx, batch * cOut * tOut, "dy");
        w.require(ctx, cIn * cOut * kernel, "w");
        dx.require(ctx, batch * cIn * tIn, "dx");
        call(ctx, "bv2j_conv_transpose1d_backward_input", () -> (int) convTranspose1dInput.invokeExact(ctx.handle(),
                dy.pointer(), w.pointer(), dx.pointer(), batch, cIn, tIn, cOut, tOut, kernel, stride, padding));
    }

    /** dw [Cin, Cout, K] and db [Cout] (db may be null), both overwritten. */
    public void convTranspose1dWeight(CudaContext ctx, CudaBuffer x, CudaBuffer dy, CudaBuffer dw, CudaBuffer db,
            long batch, long cIn, long tIn, long cOut, long tOut, long kernel, long stride, long padding) {
        x.require(ctx, batch * cIn * tIn, "x");
        dy.require(ctx, batch * cOut * tOut, "dy");
        dw.require(ctx, cIn * cOut * kernel, "dw");
        if (db != null) db.require(ctx, cOut, "db");
        call(ctx, "bv2j_conv_transpose1d_backward_weight", () -> (int) convTranspose1dWeight.invokeExact(ctx.handle(),
                x.pointer(), dy.pointer(), dw.pointer(), CudaBuffer.pointerOrNull(db), batch, cIn, tIn, cOut, tOut,
                kernel, stride, padding));
    }

    /**
     * path [B, Ty, Tx] (0/1) from neg_cent [B, Ty, Tx] and the int32 lengths t_ys, t_xs [B]; the
     * kernel itself refuses lengths the CPU aligner would (it waits for the device to say so).
     */
    public void maximumPath(CudaContext ctx, CudaBuffer negCent, CudaBuffer tYs, CudaBuffer tXs, CudaBuffer path,
            long batch, long maxTy, long maxTx) {
        negCent.require(ctx, batch * maxTy * maxTx, "neg_cent");
        path.require(ctx, batch * maxTy * maxTx, "path");
        tYs.require(ctx, batch, "t_ys");
        tXs.require(ctx, batch, "t_xs");
        call(ctx, "bv2j_maximum_path", () -> (int) maximumPath.invokeExact(ctx.handle(), negCent.pointer(),
                tYs.pointer(), tXs.pointer(), path.pointer(), batch, maxTy, maxTx));
    }

    /** A broadcastable [B, C, T] view through strides must stay inside its buffer. */
    private static void requireStrided(CudaContext ctx, CudaBuffer b, long batch, long channels, long time,
            long bs, long cs, long ts, String what) {
        if (b == null) return;
        if (bs < 0 || cs < 0 || ts < 0) throw new IllegalArgumentException(what + ": negative stride");
        long last = batch == 0 || channels == 0 || time == 0 ? -1 : (batch - 1) * bs + (channels - 1) * cs + (time - 1) * ts;
        b.require(ctx, last + 1, what);
    }

    @FunctionalInterface
    private interface Call {
        int run() throws Throwable;
    }

    private static void call(CudaContext ctx, String name, Call c) {
        int status;
        try {
            status = c.run();
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
        ctx.library().check(name, status);
    }
}
