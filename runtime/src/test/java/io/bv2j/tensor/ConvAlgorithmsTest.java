package io.bv2j.tensor;

import io.bv2j.nativelib.Isa;
import io.bv2j.nativelib.Kernels;
import io.bv2j.nativelib.NativeContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The three algorithms behind the fused convolution against a float64 convolution: im2col + GEMM
 * (native/src/conv.c), Winograd F(4, r) (isa/winograd.c) and the implicit GEMM on register tiles
 * (isa/conv_direct.c), the last two on each instruction set (AVX2 + FMA, AVX-512). Random
 * shapes, every kernel width from 1 (2 for Winograd) to 13 (one Winograd chunk, several, short
 * last chunks), dilations 1..6 (Winograd's fixed-dilation copies 1/3/5 and
 * its checked path), asymmetric padding, outputs shorter than one tile, batch > 1 and 1..3
 * threads. Every algorithm must land within the module tolerance of the float64 result.
 */
class ConvAlgorithmsTest {
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
            Tensor viaIm2col = Tensor.empty(c.batch, c.cOut, tOut);
            Kernels.conv1dIm2col(xt.segment(), wt.segment(), bs, rs, viaIm2col.segment(), c.batch, c.cIn, c.tIn,
                    c.cOut, tOut, c.k, 1, c.padLeft, c.d, slope);
            close("im2col " + c, want, viaIm2col.toArray());
            close("direct " + c, want, direct(xt, wt, bs, rs, c, slope));
            if (c.k >= 2) {
                // Winograd's products on the own register tiles and on OpenBLAS (the fallback).
                boolean saved = NativeContext.ownGemm();
                try {
                    for (boolean own : new boolean[]{true, false}) {
                        NativeContext.setOwnGemm(own);
                        Tensor viaWinograd = Tensor.empty(c.batch, c.cOut, tOut);
                        Kernels.conv1dWinograd(xt.segment(), wt.segment(), bs, rs, viaWinograd.segment(), c.batch,
                                c.cIn, c.tIn, c.cOut, tOut, c.k, c.padLeft, c.d, slope);
                        close("winograd (own GEMM " + own + ") " + c, want, viaWinograd.toArray());
                    }
                } finally {
                    NativeContext.setOwnGemm(saved);
                }
            }
        }
    }

    private static float[] direct(Tensor x, Tensor w, MemorySegment bias, MemorySegment residual, Case c, float slope) {
        Tensor y = Tensor.empty(c.batch, c.cOut, c.tOut());
        Kernels.conv1dDirect(x.segment(), w.segment(), bias, residual, y.segment(), c.batch, c.cIn, c.tIn, c.cOut,
                c.tOut(), c.k, c.padLeft, c.d, slope);
        return y.toArray();
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

    /** body on `isa` at 1, 2 and 3 threads. */
    private static void onThreads(Isa isa, Runnable body) {
        OnIsa.run(isa, () -> {
            int saved = NativeContext.threads();
            try {
                for (int threads : new int[]{1, 2, 3}) {
                    NativeContext.setThreads(threads);
                    body.run();
                }
            } finally {
                NativeContext.setThreads(saved);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void randomShapesMatchTheFloat64Convolution(Isa isa) {
        Random r = new Random(401);
        onThreads(isa, () -> {
            for (int it = 0; it < 40; it++) {
                int k = 1 + r.nextInt(13), d = 1 + r.nextInt(6);
                int tIn = r.nextInt(4) == 0 ? 1 + r.nextInt(8) : 1 + r.nextInt(300);
                int padLeft = r.nextInt(d * (k - 1) + 3), padRight = r.nextInt(d * (k - 1) + 3);
                if (tIn + padLeft + padRight < d * (k - 1) + 1) padRight += d * (k - 1) + 1;
                check(r, new Case(1 + r.nextInt(3), 1 + r.nextInt(40), tIn, 1 + r.nextInt(40), k, d, padLeft, padRight,
                        r.nextBoolean(), r.nextBoolean(), r.nextBoolean()));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void residualBlockShapesMatchTheFloat64Convolution(Isa isa) {
        Random r = new Random(402);
        onThreads(isa, () -> {
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

    @ParameterizedTest
    @EnumSource(Isa.class)
    void directConvolutionCoversItsBlockingAndWorkSplits(Isa isa) {
        Random r = new Random(403);
        onThreads(isa, () -> {
            // More than one pass over 256 GEMM rows (c_in * k > 256) and over 192 output channels;
            // a short item (split by output rows) and a long one (split by time panels, several
            // output blocks, input rows a page apart so panels are copied); 1x1.
            check(r, new Case(1, 100, 150, 400, 5, 1, 2, 2, true, false, true));
            check(r, new Case(3, 70, 1100, 200, 5, 2, 4, 4, true, true, false));
            check(r, new Case(2, 192, 161, 768, 1, 1, 0, 0, true, false, false));
            check(r, new Case(1, 768, 37, 192, 5, 1, 2, 2, true, false, true));
        });
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void directConvolutionGivesTheSameBitsOnAnyThreadCount(Isa isa) {
        OnIsa.run(isa, () -> sameBitsOnAnyThreadCount(new Random(404)));
    }

    private static void sameBitsOnAnyThreadCount(Random r) {
        for (Case c : new Case[]{new Case(1, 100, 150, 400, 5, 1, 2, 2, true, true, true),
                new Case(3, 40, 900, 60, 3, 3, 3, 3, true, false, false)}) {
            float[] x = randn(r, c.batch * c.cIn * c.tIn, 1), w = randn(r, c.cOut * c.cIn * c.k, 0.1);
            float[] b = randn(r, c.cOut, 0.1), res = randn(r, c.batch * c.cOut * c.tOut(), 1);
            float[][] got = new float[3][];
            int saved = NativeContext.threads();
            try (Scope s = Scope.open()) {
                Tensor xt = Tensor.of(x, c.batch, c.cIn, c.tIn), wt = Tensor.of(w, c.cOut, c.cIn, c.k);
                MemorySegment bs = Tensor.of(b, c.cOut).segment(), rs = Tensor.of(res, c.batch, c.cOut, c.tOut()).segment();
                for (int threads = 1; threads <= 3; threads++) {
                    NativeContext.setThreads(threads);
                    got[threads - 1] = direct(xt, wt, bs, rs, c, SLOPE);
                }
            } finally {
                NativeContext.setThreads(saved);
            }
            assertArrayEquals(got[0], got[1], c + ": 2 threads");
            assertArrayEquals(got[0], got[2], c + ": 3 threads");
        }
    }

    @Test
    void directConvolutionRejectsBadArgumentsBeforeTouchingMemory() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.zeros(1, 4, 10), w = Tensor.zeros(4, 4, 3), y = Tensor.zeros(1, 4, 10);
            // kernel 0, negative padding, dilation 0: the C side's checks answer BV2J_EINVAL.
            for (long[] kpd : new long[][]{{0, 1, 1}, {3, -1, 1}, {3, 1, 0}}) {
                assertThrows(RuntimeException.class, () -> Kernels.conv1dDirect(x.segment(), w.segment(),
                        MemorySegment.NULL, MemorySegment.NULL, y.segment(), 1, 4, 10, 4, 10, kpd[0], kpd[1], kpd[2],
                        Float.NaN));
            }
        }
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
