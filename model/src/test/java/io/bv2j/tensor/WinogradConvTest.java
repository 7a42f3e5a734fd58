package io.bv2j.tensor;

import io.bv2j.nativelib.Kernels;
import io.bv2j.nativelib.NativeContext;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Winograd F(4, r) convolution (native/src/winograd.c) against a float64 direct convolution
 * and against the im2col kernel it replaces: random shapes, every kernel width from 2 to 13
 * (one chunk, several chunks, short last chunks), dilations 1..6 (the fixed-dilation copies
 * 1/3/5 and the checked path), asymmetric padding, outputs shorter than one tile, batch > 1 and
 * 1..3 threads. Both algorithms must land within the module tolerance of the float64 result.
 */
class WinogradConvTest {
    private static final double TOL = 1e-5;
    private static final float SLOPE = 0.1f;

    private record Case(int batch, int cIn, int tIn, int cOut, int k, int d, int padLeft, int padRight, boolean bias,
                        boolean act, boolean residual) {
        int tOut() {
            return ReferenceOps.conv1dLength(tIn, k, 1, padLeft, padRight, d);
        }

        @Override
        public String toString() {
            return String.format("B=%d Cin=%d T=%d Cout=%d K=%d d=%d pad=%d/%d bias=%b act=%b residual=%b", batch, cIn,
                    tIn, cOut, k, d, padLeft, padRight, bias, act, residual);
        }
    }

    private static float[] randn(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * scale);
        return v;
    }

    private static void check(Random r, Case c) {
        int tOut = c.tOut();
        float[] x = randn(r, c.batch * c.cIn * c.tIn, 1), w = randn(r, c.cOut * c.cIn * c.k, 1 / Math.sqrt(c.cIn * c.k));
        float[] b = c.bias ? randn(r, c.cOut, 0.1) : null;
        float[] res = c.residual ? randn(r, c.batch * c.cOut * tOut, 1) : null;
        float[] xa = x.clone();
        if (c.act) for (int i = 0; i < xa.length; i++) xa[i] = xa[i] > 0 ? xa[i] : xa[i] * SLOPE;
        double[] want = ReferenceOps.conv1d(xa, c.batch, c.cIn, c.tIn, w, c.cOut, c.k, b, 1, c.padLeft, c.padRight, c.d,
                1);
        if (res != null) for (int i = 0; i < want.length; i++) want[i] += res[i];
        float slope = c.act ? SLOPE : Float.NaN;
        try (Scope s = Scope.open()) {
            Tensor xt = Tensor.of(x, c.batch, c.cIn, c.tIn), wt = Tensor.of(w, c.cOut, c.cIn, c.k);
            MemorySegment bs = b == null ? MemorySegment.NULL : Tensor.of(b, c.cOut).segment();
            MemorySegment rs = res == null ? MemorySegment.NULL : Tensor.of(res, c.batch, c.cOut, tOut).segment();
            Tensor viaWinograd = Tensor.empty(c.batch, c.cOut, tOut), viaIm2col = Tensor.empty(c.batch, c.cOut, tOut);
            Kernels.conv1dWinograd(xt.segment(), wt.segment(), bs, rs, viaWinograd.segment(), c.batch, c.cIn, c.tIn,
                    c.cOut, tOut, c.k, c.padLeft, c.d, slope);
            Kernels.conv1dIm2col(xt.segment(), wt.segment(), bs, rs, viaIm2col.segment(), c.batch, c.cIn, c.tIn,
                    c.cOut, tOut, c.k, 1, c.padLeft, c.d, slope);
            close("winograd " + c, want, viaWinograd.toArray());
            close("im2col " + c, want, viaIm2col.toArray());
        }
    }

    private static void close(String what, double[] want, float[] got) {
        if (want.length != got.length) fail(what + ": " + got.length + " elements, want " + want.length);
        double num = 0, den = 0;
        for (int i = 0; i < want.length; i++) {
            if (!Float.isFinite(got[i])) fail(what + ": non-finite output at " + i);
            double e = got[i] - want[i];
            num += e * e;
            den += want[i] * want[i];
        }
        double rel = Math.sqrt(num / (den + want.length * 1e-12));
        if (!(rel <= TOL)) fail(what + ": relative L2 error " + rel + " > " + TOL);
    }

    private static void onThreads(Runnable body) {
        int saved = NativeContext.threads();
        try {
            for (int threads : new int[]{1, 2, 3}) {
                NativeContext.setThreads(threads);
                body.run();
            }
        } finally {
            NativeContext.setThreads(saved);
        }
    }

    @Test
    void randomShapesMatchTheDirectConvolution() {
        Random r = new Random(401);
        onThreads(() -> {
            for (int it = 0; it < 40; it++) {
                int k = 2 + r.nextInt(12), d = 1 + r.nextInt(6);
                int tIn = r.nextInt(4) == 0 ? 1 + r.nextInt(8) : 1 + r.nextInt(300);
                int padLeft = r.nextInt(d * (k - 1) + 3), padRight = r.nextInt(d * (k - 1) + 3);
                if (tIn + padLeft + padRight < d * (k - 1) + 1) padRight += d * (k - 1) + 1;
                check(r, new Case(1 + r.nextInt(3), 1 + r.nextInt(40), tIn, 1 + r.nextInt(40), k, d, padLeft, padRight,
                        r.nextBoolean(), r.nextBoolean(), r.nextBoolean()));
            }
        });
    }

    @Test
    void residualBlockShapesMatchTheDirectConvolution() {
        Random r = new Random(402);
        onThreads(() -> {
            // HiFi-GAN ResBlock1/2 convolutions ("same" padding), several work units per item,
            // ragged last units and super-tiles that run past the output.
            for (int[] kd : new int[][]{{3, 1}, {3, 5}, {7, 3}, {11, 1}, {11, 5}}) {
                int k = kd[0], d = kd[1], pad = d * (k - 1) / 2;
                check(r, new Case(2, 48, 1201, 48, k, d, pad, pad, true, true, true));
                check(r, new Case(1, 16, 3001, 16, k, d, pad, pad, true, true, false));
            }
            check(r, new Case(1, 96, 517, 80, 5, 1, 2, 2, false, false, false));
        });
    }

    @Test
    void rejectsAKernelWithoutAWinogradForm() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.zeros(1, 4, 10), w = Tensor.zeros(4, 4, 1), y = Tensor.zeros(1, 4, 10);
            assertThrows(RuntimeException.class, () -> Kernels.conv1dWinograd(x.segment(), w.segment(),
                    MemorySegment.NULL, MemorySegment.NULL, y.segment(), 1, 4, 10, 4, 10, 1, 0, 1, Float.NaN));
        }
    }
}
