package io.bv2j.tensor;

import io.bv2j.nativelib.Isa;
import io.bv2j.nativelib.NativeContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@link Ops} function against the plain double-precision loops of {@link ReferenceOps},
 * on fixed-seed random shapes (odd lengths, batch > 1, T = 1, sizes that cross the native
 * kernels' time tiles), plus the Java-side shape checks that must fire before any native call.
 */
class OpsTest {
    private static final double TOL = 1e-5;

    // ---- helpers -------------------------------------------------------------------------------

    private static float[] randn(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static float[] uniform(Random r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return v;
    }

    private static float[] scaled(float[] v, float s) {
        float[] o = v.clone();
        for (int i = 0; i < o.length; i++) o[i] *= s;
        return o;
    }

    private static Tensor t(float[] v, int... shape) {
        return Tensor.of(v, shape);
    }

    /** ||got - want|| / ||want|| <= TOL, same length, all finite. */
    private static void close(String what, double[] want, Tensor got) {
        float[] g = got.toArray();
        assertEquals(want.length, g.length, what + ": element count");
        if (want.length == 0) return;
        double num = 0, den = 0;
        for (int i = 0; i < want.length; i++) {
            if (!Float.isFinite(g[i])) fail(what + ": non-finite output " + g[i] + " at " + i + " (want " + want[i] + ")");
            double d = g[i] - want[i];
            num += d * d;
            den += want[i] * want[i];
        }
        // A tiny absolute floor (RMS 1e-6) so outputs that are all ~0 (a log-det at the domain's
        // end, say) are not judged by the relative error of rounding noise.
        double rel = Math.sqrt(num / (den + want.length * 1e-12));
        if (!(rel <= TOL)) {
            int worst = 0;
            double wd = -1;
            for (int i = 0; i < want.length; i++) {
                double d = Math.abs(g[i] - want[i]);
                if (d > wd) {
                    wd = d;
                    worst = i;
                }
            }
            fail(what + ": relative L2 error " + rel + " > " + TOL + "; worst at " + worst + ": got " + g[worst]
                    + ", want " + want[worst]);
        }
    }

    private static void exact(String what, float[] want, Tensor got, int... shape) {
        assertArrayEquals(shape, got.shape(), what + ": shape");
        assertArrayEquals(want, got.toArray(), what);
    }

    /** The op throws IllegalArgumentException from Java, before any native kernel runs. */
    private static void rejects(String what, Executable op) {
        try (Scope s = Scope.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op, what);
            for (StackTraceElement f : e.getStackTrace()) {
                assertFalse(f.getClassName().startsWith("io.bv2j.nativelib"),
                        what + ": rejected by native code, not by the Java checks: " + e.getMessage());
            }
        }
    }

    // ---- conv1d ----------------------------------------------------------------------------------

    private static void checkConv1d(Random r, int batch, int cIn, int t, int cOut, int k, boolean bias, int stride,
                                    int padLeft, int padRight, int dilation, int groups) {
        String what = String.format("conv1d B=%d Cin=%d T=%d Cout=%d K=%d bias=%b s=%d pad=(%d,%d) d=%d g=%d", batch,
                cIn, t, cOut, k, bias, stride, padLeft, padRight, dilation, groups);
        float[] x = randn(r, batch * cIn * t), w = scaled(randn(r, cOut * (cIn / groups) * k), 0.3f);
        float[] b = bias ? randn(r, cOut) : null;
        try (Scope s = Scope.open()) {
            Tensor y = padLeft == padRight
                    ? Ops.conv1d(t(x, batch, cIn, t), t(w, cOut, cIn / groups, k), bias ? t(b, cOut) : null, stride,
                    padLeft, dilation, groups)
                    : Ops.conv1d(t(x, batch, cIn, t), t(w, cOut, cIn / groups, k), bias ? t(b, cOut) : null, stride,
                    padLeft, padRight, dilation, groups);
            int tOut = ReferenceOps.conv1dLength(t, k, stride, padLeft, padRight, dilation);
            assertArrayEquals(new int[]{batch, cOut, tOut}, y.shape(), what + ": shape");
            close(what, ReferenceOps.conv1d(x, batch, cIn, t, w, cOut, k, b, stride, padLeft, padRight, dilation,
                    groups), y);
        }
    }

    @Test
    void conv1dFixedCases() {
        Random r = new Random(101);
        // plain, odd length, batch > 1, with and without bias
        checkConv1d(r, 2, 5, 13, 7, 3, true, 1, 1, 1, 1, 1);
        checkConv1d(r, 3, 4, 17, 6, 5, false, 1, 2, 2, 1, 1);
        // T = 1
        checkConv1d(r, 2, 4, 1, 3, 3, true, 1, 1, 1, 1, 1);
        checkConv1d(r, 1, 4, 1, 3, 1, true, 1, 0, 0, 1, 1);
        // stride
        checkConv1d(r, 2, 6, 23, 4, 4, true, 2, 1, 1, 1, 1);
        checkConv1d(r, 1, 3, 31, 5, 7, true, 3, 3, 3, 1, 1);
        // asymmetric "same" padding of FFN: left (k-1)//2, right k//2
        checkConv1d(r, 2, 5, 11, 6, 4, true, 1, 1, 2, 1, 1);
        checkConv1d(r, 2, 5, 11, 6, 3, true, 1, 0, 2, 1, 1);
        checkConv1d(r, 1, 5, 9, 6, 3, true, 1, 3, 0, 1, 1);
        // dilation (ResBlock1: padding = d*(k-1)/2)
        checkConv1d(r, 2, 8, 29, 8, 3, true, 1, 3, 3, 3, 1);
        checkConv1d(r, 1, 8, 40, 8, 7, true, 1, 15, 15, 5, 1);
        checkConv1d(r, 2, 4, 19, 4, 5, true, 2, 4, 4, 2, 1);
        // groups
        checkConv1d(r, 2, 8, 21, 12, 3, true, 1, 1, 1, 1, 2);
        checkConv1d(r, 2, 8, 21, 8, 5, true, 2, 2, 2, 1, 4);
        // depthwise (DDSConv: groups = channels, dilation k^i)
        checkConv1d(r, 2, 6, 25, 6, 3, true, 1, 1, 1, 1, 6);
        checkConv1d(r, 2, 6, 25, 6, 3, true, 1, 9, 9, 9, 6);
        checkConv1d(r, 1, 5, 1, 5, 3, false, 1, 1, 1, 1, 5);
        checkConv1d(r, 3, 5, 16, 5, 4, true, 3, 2, 1, 1, 5);
        // depthwise with a channel multiplier goes through the grouped GEMM path
        checkConv1d(r, 2, 4, 15, 8, 3, true, 1, 1, 1, 1, 4);
        // DiscriminatorS Conv1d(64, 256, 41, 4, groups=16, padding=20)
        checkConv1d(r, 2, 64, 203, 256, 41, true, 4, 20, 20, 1, 16);
        // K = 1: the direct GEMM path, and K = 1 with stride / padding / groups
        checkConv1d(r, 2, 7, 19, 9, 1, true, 1, 0, 0, 1, 1);
        checkConv1d(r, 2, 8, 19, 6, 1, true, 1, 0, 0, 1, 2);
        checkConv1d(r, 1, 7, 19, 9, 1, false, 2, 0, 0, 1, 1);
        checkConv1d(r, 2, 7, 19, 9, 1, true, 1, 1, 2, 1, 1);
        // output shorter than the kernel: empty result
        checkConv1d(r, 2, 3, 2, 4, 5, true, 1, 0, 0, 1, 1);
    }

    @Test
    void conv1dRandomShapes() {
        Random r = new Random(102);
        for (int it = 0; it < 60; it++) {
            int groups = new int[]{1, 1, 1, 2, 3}[r.nextInt(5)];
            int cIn = groups * (1 + r.nextInt(5)), cOut = groups * (1 + r.nextInt(5));
            if (r.nextInt(6) == 0) cOut = cIn = groups = 1 + r.nextInt(6); // depthwise
            int k = 1 + r.nextInt(7), dilation = 1 + r.nextInt(3), stride = 1 + r.nextInt(3);
            int t = r.nextInt(5) == 0 ? 1 : 1 + r.nextInt(40);
            int padLeft = r.nextInt(k + 2), padRight = r.nextBoolean() ? padLeft : r.nextInt(k + 2);
            if ((long) t + padLeft + padRight < (long) dilation * (k - 1) + 1) padRight += dilation * (k - 1) + 1;
            checkConv1d(r, 1 + r.nextInt(3), cIn, t, cOut, k, r.nextBoolean(), stride, padLeft, padRight, dilation,
                    groups);
        }
    }

    @Test
    void conv1dCrossesTimeTiles() {
        Random r = new Random(103);
        // rows = Cin*K = 352: a tile is 8 MiB / 4 / 352 = 5957 columns, so 7001 outputs need two tiles
        checkConv1d(r, 2, 32, 7001, 8, 11, true, 1, 5, 5, 1, 1);
        // dilated, asymmetric padding
        checkConv1d(r, 1, 32, 6400, 4, 11, true, 1, 10, 3, 2, 1);
        // grouped and strided like DiscriminatorS: rows = 2*41 = 82, tile 25575, here 26001 outputs
        checkConv1d(r, 1, 8, 104003, 8, 41, true, 4, 20, 20, 1, 4);
    }

    /** conv1dFused(x, slope, w, b, pad, d, residual) = conv1d(leakyRelu(x)) + b + residual, in double precision. */
    private static void checkConv1dFused(Random r, int batch, int cIn, int t, int cOut, int k, int dilation,
                                         boolean bias, boolean act, boolean residual) {
        int pad = dilation * (k - 1) / 2;
        String what = String.format("conv1dFused B=%d Cin=%d T=%d Cout=%d K=%d d=%d bias=%b act=%b residual=%b", batch,
                cIn, t, cOut, k, dilation, bias, act, residual);
        float slope = 0.1f;
        float[] x = randn(r, batch * cIn * t), w = scaled(randn(r, cOut * cIn * k), 0.3f);
        float[] b = bias ? randn(r, cOut) : null;
        int tOut = ReferenceOps.conv1dLength(t, k, 1, pad, pad, dilation);
        float[] res = residual ? randn(r, batch * cOut * tOut) : null;
        float[] xa = x.clone();
        if (act) for (int i = 0; i < xa.length; i++) xa[i] = xa[i] > 0 ? xa[i] : xa[i] * slope;
        double[] want = ReferenceOps.conv1d(xa, batch, cIn, t, w, cOut, k, b, 1, pad, pad, dilation, 1);
        if (residual) for (int i = 0; i < want.length; i++) want[i] += res[i];
        try (Scope s = Scope.open()) {
            Tensor y = Ops.conv1dFused(t(x, batch, cIn, t), act ? slope : Float.NaN, t(w, cOut, cIn, k),
                    bias ? t(b, cOut) : null, pad, dilation, residual ? t(res, batch, cOut, tOut) : null);
            assertArrayEquals(new int[]{batch, cOut, tOut}, y.shape(), what + ": shape");
            close(what, want, y);
        }
    }

    @Test
    void conv1dFusedMatchesSeparateOps() {
        Random r = new Random(104);
        int saved = io.bv2j.nativelib.NativeContext.threads();
        try {
            for (int threads : new int[]{1, 2, 3}) {
                io.bv2j.nativelib.NativeContext.setThreads(threads);
                // ResBlock1/2 shapes: dilations 1, 3, 5, kernels 3, 7, 11; odd lengths; batch > 1
                checkConv1dFused(r, 2, 16, 37, 16, 3, 1, true, true, true);
                checkConv1dFused(r, 3, 8, 101, 8, 7, 3, true, true, true);
                checkConv1dFused(r, 1, 8, 29, 8, 11, 5, true, true, false);
                // conv_post: no bias, slope 0.01 style activation, one output channel
                checkConv1dFused(r, 2, 8, 53, 1, 7, 1, false, true, false);
                // no activation, K = 1 (direct GEMM), T = 1, output shorter than the kernel span
                checkConv1dFused(r, 2, 5, 23, 6, 1, 1, true, false, true);
                checkConv1dFused(r, 2, 4, 1, 3, 3, 1, true, true, true);
                checkConv1dFused(r, 2, 4, 3, 3, 3, 5, true, true, true);
                // many tiles: 512 KiB..4 MiB column matrices, ragged last tile
                checkConv1dFused(r, 2, 32, 5003, 32, 11, 3, true, true, true);
                checkConv1dFused(r, 1, 128, 2311, 64, 7, 1, true, true, true);
            }
        } finally {
            io.bv2j.nativelib.NativeContext.setThreads(saved);
        }
    }

    @Test
    void conv1dFusedRejectsAMismatchedResidual() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.zeros(1, 4, 10), w = Tensor.zeros(4, 4, 3), res = Tensor.zeros(1, 4, 9);
            assertThrows(IllegalArgumentException.class, () -> Ops.conv1dFused(x, 0.1f, w, null, 1, 1, res));
        }
    }

    // ---- conv_transpose1d ---------------------------------------------------------------------------

    private static void checkConvTranspose(Random r, int batch, int cIn, int t, int cOut, int k, int stride,
                                           int padding, boolean bias) {
        String what = String.format("conv_transpose1d B=%d Cin=%d T=%d Cout=%d K=%d s=%d p=%d bias=%b", batch, cIn, t,
                cOut, k, stride, padding, bias);
        float[] x = randn(r, batch * cIn * t), w = scaled(randn(r, cIn * cOut * k), 0.3f);
        float[] b = bias ? randn(r, cOut) : null;
        try (Scope s = Scope.open()) {
            Tensor y = Ops.convTranspose1d(t(x, batch, cIn, t), t(w, cIn, cOut, k), bias ? t(b, cOut) : null, stride,
                    padding);
            int tOut = Math.max(0, (t - 1) * stride - 2 * padding + k);
            assertArrayEquals(new int[]{batch, cOut, tOut}, y.shape(), what + ": shape");
            close(what, ReferenceOps.convTranspose1d(x, batch, cIn, t, w, cOut, k, b, stride, padding), y);
        }
    }

    @Test
    void convTranspose1dDecoderAndOddCases() {
        Random r = new Random(201);
        int[][] ku = {{16, 8}, {8, 4}, {4, 2}, {2, 1}};
        for (int[] p : ku) {
            int k = p[0], u = p[1];
            checkConvTranspose(r, 2, 12, 17, 6, k, u, (k - u) / 2, true);
            checkConvTranspose(r, 1, 5, 1, 3, k, u, (k - u) / 2, true);
        }
        // odd (k, u) pairs, stride > kernel (gaps), no bias, padding trimming more than a stride
        checkConvTranspose(r, 2, 4, 9, 5, 3, 2, 0, true);
        checkConvTranspose(r, 2, 4, 9, 5, 5, 3, 1, false);
        checkConvTranspose(r, 1, 3, 11, 4, 7, 1, 3, true);
        checkConvTranspose(r, 2, 3, 10, 2, 2, 3, 0, true);
        checkConvTranspose(r, 1, 3, 10, 2, 1, 1, 0, true);
        checkConvTranspose(r, 2, 6, 7, 5, 9, 2, 4, true);
        checkConvTranspose(r, 3, 2, 1, 2, 3, 2, 1, true);
    }

    @Test
    void convTranspose1dRandomShapes() {
        Random r = new Random(202);
        for (int it = 0; it < 40; it++) {
            int k = 1 + r.nextInt(10), stride = 1 + r.nextInt(6), t = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(30);
            int padding = r.nextInt(k / 2 + 1);
            if ((t - 1) * stride - 2 * padding + k <= 0) padding = 0;
            checkConvTranspose(r, 1 + r.nextInt(3), 1 + r.nextInt(8), t, 1 + r.nextInt(8), k, stride, padding,
                    r.nextBoolean());
        }
    }

    @Test
    void convTranspose1dCrossesTimeTiles() {
        Random r = new Random(203);
        // rows = Cout*K = 256*16 = 4096: a tile is 512 input frames, here 601 (two tiles), batch 2
        checkConvTranspose(r, 2, 16, 601, 256, 16, 8, 4, true);
        // rows = 64*8 = 512: tile 4096, here 4500
        checkConvTranspose(r, 1, 8, 4500, 64, 8, 4, 2, true);
    }

    // ---- conv2d ----------------------------------------------------------------------------------------

    private static void checkConv2d(Random r, int batch, int cIn, int h, int wd, int cOut, int kh, int kw, int sh,
                                    int sw, int ph, int pw, boolean bias) {
        String what = String.format("conv2d B=%d Cin=%d %dx%d Cout=%d k=%dx%d s=%dx%d p=%dx%d", batch, cIn, h, wd, cOut,
                kh, kw, sh, sw, ph, pw);
        float[] x = randn(r, batch * cIn * h * wd), w = scaled(randn(r, cOut * cIn * kh * kw), 0.3f);
        float[] b = bias ? randn(r, cOut) : null;
        try (Scope s = Scope.open()) {
            Tensor y = Ops.conv2d(t(x, batch, cIn, h, wd), t(w, cOut, cIn, kh, kw), bias ? t(b, cOut) : null, sh, sw,
                    ph, pw);
            close(what, ReferenceOps.conv2d(x, batch, cIn, h, wd, w, cOut, kh, kw, b, sh, sw, ph, pw), y);
        }
    }

    @Test
    void conv2dCases() {
        Random r = new Random(301);
        // ReferenceEncoder: 3x3, stride 2, padding 1
        checkConv2d(r, 2, 1, 17, 13, 4, 3, 3, 2, 2, 1, 1, true);
        checkConv2d(r, 1, 4, 16, 10, 5, 3, 3, 2, 2, 1, 1, true);
        checkConv2d(r, 2, 3, 1, 1, 2, 3, 3, 2, 2, 1, 1, false);
        // DiscriminatorP: (5, 1), stride (3, 1), padding (2, 0); (3, 1) stride 1 padding (1, 0)
        checkConv2d(r, 2, 1, 41, 5, 8, 5, 1, 3, 1, 2, 0, true);
        checkConv2d(r, 1, 8, 14, 3, 6, 5, 1, 3, 1, 2, 0, true);
        checkConv2d(r, 2, 6, 7, 2, 1, 3, 1, 1, 1, 1, 0, true);
        for (int it = 0; it < 20; it++) {
            int kh = 1 + r.nextInt(5), kw = 1 + r.nextInt(4), ph = r.nextInt(kh), pw = r.nextInt(kw);
            int h = Math.max(1, kh - 2 * ph) + r.nextInt(12), wd = Math.max(1, kw - 2 * pw) + r.nextInt(9);
            checkConv2d(r, 1 + r.nextInt(2), 1 + r.nextInt(4), h, wd, 1 + r.nextInt(5), kh, kw, 1 + r.nextInt(3),
                    1 + r.nextInt(3), ph, pw, r.nextBoolean());
        }
    }

    // ---- matmul -------------------------------------------------------------------------------------------

    @Test
    void matmulTransposesBatchesAndBroadcast() {
        Random r = new Random(401);
        for (int it = 0; it < 48; it++) {
            boolean ta = (it & 1) != 0, tb = (it & 2) != 0;
            int m = 1 + r.nextInt(13), n = 1 + r.nextInt(11), k = 1 + r.nextInt(17);
            int mode = (it >> 2) % 4; // 0: 2-d, 1: [B, ., .], 2: [B1, B2, ., .], 3: b broadcast
            int[] batchDims = switch (mode) {
                case 0 -> new int[0];
                case 1 -> new int[]{1 + r.nextInt(4)};
                default -> new int[]{1 + r.nextInt(3), 1 + r.nextInt(3)};
            };
            int batch = ReferenceOps.numel(batchDims);
            int[] aMat = ta ? new int[]{k, m} : new int[]{m, k}, bMat = tb ? new int[]{n, k} : new int[]{k, n};
            int[] aShape = concat(batchDims, aMat);
            int[] bShape = mode == 3 ? (r.nextBoolean() ? bMat : concat(new int[]{1}, bMat)) : concat(batchDims, bMat);
            float[] a = randn(r, ReferenceOps.numel(aShape)), b = randn(r, ReferenceOps.numel(bShape));
            try (Scope s = Scope.open()) {
                Tensor y = Ops.matmul(t(a, aShape), t(b, bShape), ta, tb);
                assertArrayEquals(concat(batchDims, new int[]{m, n}), y.shape());
                close("matmul " + Arrays.toString(aShape) + " x " + Arrays.toString(bShape) + " ta=" + ta + " tb=" + tb,
                        ReferenceOps.matmul(a, b, batch, mode == 3, m, n, k, ta, tb), y);
            }
        }
        // the two-argument form, larger sizes (OpenBLAS's blocked kernels)
        float[] a = randn(r, 3 * 70 * 130), b = randn(r, 3 * 130 * 90);
        try (Scope s = Scope.open()) {
            close("matmul large", ReferenceOps.matmul(a, b, 3, false, 70, 90, 130, false, false),
                    Ops.matmul(t(a, 3, 70, 130), t(b, 3, 130, 90)));
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    // ---- layer norm -----------------------------------------------------------------------------------------

    @Test
    void layerNormChannels() {
        Random r = new Random(501);
        int[][] shapes = {{2, 7, 13}, {1, 32, 1}, {3, 1, 5}, {2, 192, 37}, {1, 5, 40000}};
        for (int[] sh : shapes) {
            int b = sh[0], c = sh[1], tt = sh[2];
            float[] x = randn(r, b * c * tt);
            // a large common offset: the variance must not come from E[x^2] - E[x]^2 in float
            for (int i = 0; i < x.length; i++) x[i] = x[i] * 3 + 50;
            float[] gamma = randn(r, c), beta = randn(r, c);
            for (float eps : new float[]{1e-5f, 1e-2f}) {
                try (Scope s = Scope.open()) {
                    Tensor y = Ops.layerNormChannels(t(x, sh), t(gamma, c), t(beta, 1, c, 1), eps);
                    close("layer_norm " + Arrays.toString(sh) + " eps " + eps,
                            ReferenceOps.layerNormChannels(x, b, c, tt, gamma, beta, eps), y);
                }
            }
        }
    }

    // ---- unary ops ----------------------------------------------------------------------------------------

    private static void checkUnary(String what, float[] x, UnaryOperator<Tensor> op, DoubleUnaryOperator ref,
                                   int... shape) {
        double[] want = new double[x.length];
        for (int i = 0; i < x.length; i++) want[i] = ref.applyAsDouble(x[i]);
        try (Scope s = Scope.open()) {
            Tensor y = op.apply(t(x, shape));
            assertArrayEquals(shape, y.shape(), what + ": shape");
            close(what, want, y);
        }
    }

    /** Random values in [-a, a] plus the edge values 0, +-a, +-tiny, +-huge. */
    private static float[] sample(Random r, int n, double a) {
        float[] v = uniform(r, n, -a, a);
        float[] edges = {0f, -0f, (float) a, (float) -a, 1e-30f, -1e-30f, 0.5f, -0.5f, 1f, -1f};
        for (int i = 0; i < edges.length && i < n; i++) v[i] = edges[i];
        return v;
    }

    @Test
    void unaryOpsMatchTheirDefinitions() {
        Random r = new Random(601);
        int[][] shapes = {{3, 5, 7}, {1}, {2, 1, 1}, {4, 33}, {1, 3, 40001}};
        for (int[] sh : shapes) {
            int n = ReferenceOps.numel(sh);
            float[] x = sample(r, n, 6);
            checkUnary("relu", x, Ops::relu, v -> Math.max(v, 0), sh);
            checkUnary("leaky_relu 0.1", x, v -> Ops.leakyRelu(v, 0.1f), v -> v > 0 ? v : v * (double) 0.1f, sh);
            checkUnary("leaky_relu 0.01", x, v -> Ops.leakyRelu(v, 0.01f), v -> v > 0 ? v : v * (double) 0.01f, sh);
            checkUnary("tanh", x, Ops::tanh, Math::tanh, sh);
            checkUnary("sigmoid", x, Ops::sigmoid, ReferenceOps::sigmoid, sh);
            checkUnary("gelu", x, Ops::gelu, ReferenceOps::gelu, sh);
            checkUnary("exp", x, Ops::exp, Math::exp, sh);
            checkUnary("ceil", x, Ops::ceil, Math::ceil, sh);
            checkUnary("clamp_min 0.25", x, v -> Ops.clampMin(v, 0.25f), v -> Math.max(v, 0.25), sh);
            checkUnary("clamp_min -1e-5", x, v -> Ops.clampMin(v, -1e-5f), v -> Math.max(v, (double) -1e-5f), sh);
            checkUnary("affine", x, v -> Ops.affine(v, 1.5f, -0.25f), v -> 1.5 * v - 0.25, sh);
            checkUnary("scale", x, v -> Ops.scale(v, -3f), v -> -3 * v, sh);
            checkUnary("log_sigmoid", x, Ops::logSigmoid, ReferenceOps::logSigmoid, sh);
            checkUnary("abs", x, Ops::abs, Math::abs, sh);
            float[] pos = uniform(r, n, 1e-6, 50);
            checkUnary("log", pos, Ops::log, Math::log, sh);
            checkUnary("sqrt", pos, Ops::sqrt, Math::sqrt, sh);
        }
    }

    @Test
    void saturatingOpsStayFiniteAtLargeMagnitudes() {
        Random r = new Random(602);
        float[] big = sample(r, 301, 1000);
        big[10] = 88.8f;
        big[11] = -88.8f;
        big[12] = 3e38f;
        big[13] = -3e38f;
        big[14] = 104f;
        big[15] = -104f;
        big[16] = 20.5f;
        big[17] = -20.5f;
        checkUnary("sigmoid large", big, Ops::sigmoid, ReferenceOps::sigmoid, 301);
        checkUnary("tanh large", big, Ops::tanh, Math::tanh, 301);
        checkUnary("gelu large", big, Ops::gelu, ReferenceOps::gelu, 301);
        checkUnary("log_sigmoid large", big, Ops::logSigmoid, ReferenceOps::logSigmoid, 301);
        // elementwise: the saturated values themselves, not just the L2 norm
        try (Scope s = Scope.open()) {
            float[] sg = Ops.sigmoid(t(big, 301)).toArray(), ls = Ops.logSigmoid(t(big, 301)).toArray();
            for (int i = 0; i < big.length; i++) {
                double x = big[i];
                assertEquals(ReferenceOps.sigmoid(x), sg[i], 1e-6 * Math.max(1e-30, ReferenceOps.sigmoid(x)) + 1e-38,
                        "sigmoid(" + x + ")");
                double want = ReferenceOps.logSigmoid(x);
                assertEquals(want, ls[i], Math.max(1e-6 * Math.abs(want), 1e-38), "log_sigmoid(" + x + ")");
            }
        }
    }

    // ---- binary broadcasting ------------------------------------------------------------------------------

    private interface BinOp {
        Tensor apply(Tensor a, Tensor b);
    }

    private interface RefBin {
        double apply(double a, double b);
    }

    private static void checkBinary(Random r, int[] aShape, int[] bShape) {
        int rank = Math.max(aShape.length, bShape.length);
        int[] a4 = padLeftOnes(aShape, rank), b4 = padLeftOnes(bShape, rank), out = new int[rank];
        for (int d = 0; d < rank; d++) out[d] = a4[d] == 1 ? b4[d] : a4[d];
        float[] a = randn(r, ReferenceOps.numel(aShape)), b = randn(r, ReferenceOps.numel(bShape));
        float[] bPos = b.clone();
        for (int i = 0; i < bPos.length; i++) bPos[i] = (float) (Math.copySign(0.5, bPos[i]) + bPos[i]);
        String[] names = {"add", "sub", "mul", "div"};
        BinOp[] ops = {Ops::add, Ops::sub, Ops::mul, Ops::div};
        RefBin[] refs = {(x, y) -> x + y, (x, y) -> x - y, (x, y) -> x * y, (x, y) -> x / y};
        for (int o = 0; o < 4; o++) {
            float[] bb = o == 3 ? bPos : b;
            int n = ReferenceOps.numel(out);
            double[] want = new double[n];
            int[] as = ReferenceOps.contiguousStrides(a4), bs = ReferenceOps.contiguousStrides(b4);
            for (int i = 0; i < n; i++) {
                int[] idx = ReferenceOps.unravel(i, out);
                int ai = 0, bi = 0;
                for (int d = 0; d < rank; d++) {
                    ai += (a4[d] == 1 ? 0 : idx[d]) * as[d];
                    bi += (b4[d] == 1 ? 0 : idx[d]) * bs[d];
                }
                want[i] = refs[o].apply(a[ai], bb[bi]);
            }
            try (Scope s = Scope.open()) {
                Tensor y = ops[o].apply(t(a, aShape), t(bb, bShape));
                String what = names[o] + " " + Arrays.toString(aShape) + " with " + Arrays.toString(bShape);
                assertArrayEquals(out, y.shape(), what + ": shape");
                close(what, want, y);
            }
        }
    }

    private static int[] padLeftOnes(int[] s, int rank) {
        int[] p = new int[rank];
        Arrays.fill(p, 1);
        System.arraycopy(s, 0, p, rank - s.length, s.length);
        return p;
    }

    @Test
    void binaryOpsBroadcastInEveryDim() {
        Random r = new Random(701);
        int[] full = {2, 3, 5, 7};
        // every subset of broadcast dims on either side
        for (int mask = 0; mask < 16; mask++) {
            int[] b = full.clone();
            for (int d = 0; d < 4; d++) if ((mask & (1 << d)) != 0) b[d] = 1;
            checkBinary(r, full, b);
            checkBinary(r, b, full);
        }
        // both sides broadcast in different dims, lower ranks, T = 1, scalars
        checkBinary(r, new int[]{2, 1, 5, 1}, new int[]{1, 3, 1, 7});
        checkBinary(r, new int[]{2, 3, 9}, new int[]{9});
        checkBinary(r, new int[]{2, 3, 9}, new int[]{3, 1});
        checkBinary(r, new int[]{2, 1, 9}, new int[]{2, 4, 1});
        checkBinary(r, new int[]{4, 1}, new int[]{1, 1});
        checkBinary(r, new int[]{1}, new int[]{3, 1, 1});
        checkBinary(r, new int[]{2, 3, 1}, new int[]{2, 3, 1});
        checkBinary(r, new int[]{11}, new int[]{11});
        // big enough for the parallel path
        checkBinary(r, new int[]{2, 64, 400}, new int[]{2, 1, 400});
        checkBinary(r, new int[]{2, 64, 400}, new int[]{1, 64, 1});
        for (int it = 0; it < 30; it++) {
            int rank = 1 + r.nextInt(4);
            int[] a = new int[rank], b = new int[rank];
            for (int d = 0; d < rank; d++) {
                int n = 1 + r.nextInt(6);
                a[d] = r.nextInt(3) == 0 ? 1 : n;
                b[d] = r.nextInt(3) == 0 ? 1 : n;
            }
            int drop = r.nextInt(rank);
            checkBinary(r, a, Arrays.copyOfRange(b, drop, rank));
        }
    }

    // ---- layout --------------------------------------------------------------------------------------------

    private static int[] randomShape(Random r, int rank, int max) {
        int[] s = new int[rank];
        for (int d = 0; d < rank; d++) s[d] = 1 + r.nextInt(max);
        return s;
    }

    @Test
    void narrowTransposeFlip() {
        Random r = new Random(801);
        for (int it = 0; it < 40; it++) {
            int rank = 1 + r.nextInt(4);
            int[] shape = randomShape(r, rank, 7);
            if (it == 0) shape = new int[]{2, 64, 300}; // parallel path of the strided copy
            rank = shape.length;
            float[] x = randn(r, ReferenceOps.numel(shape));
            int d = r.nextInt(rank), negD = d - rank;
            try (Scope s = Scope.open()) {
                Tensor xt = t(x, shape);
                // narrow
                int start = r.nextInt(shape[d]), len = r.nextInt(shape[d] - start + 1);
                int[] ns = shape.clone();
                ns[d] = len;
                float[] want = new float[ReferenceOps.numel(ns)];
                for (int i = 0; i < want.length; i++) {
                    int[] idx = ReferenceOps.unravel(i, ns);
                    idx[d] += start;
                    want[i] = x[ReferenceOps.ravel(idx, shape)];
                }
                exact("narrow " + Arrays.toString(shape) + " dim " + d, want, Ops.narrow(xt, d, start, len), ns);
                exact("narrow negative dim", want, Ops.narrow(xt, negD, start, len), ns);
                // flip
                float[] fw = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    int[] idx = ReferenceOps.unravel(i, shape);
                    idx[d] = shape[d] - 1 - idx[d];
                    fw[i] = x[ReferenceOps.ravel(idx, shape)];
                }
                exact("flip " + Arrays.toString(shape) + " dim " + d, fw, Ops.flip(xt, d), shape);
                exact("flip negative dim", fw, Ops.flip(xt, negD), shape);
                // transpose
                int e = r.nextInt(rank);
                int[] ts = shape.clone();
                ts[d] = shape[e];
                ts[e] = shape[d];
                float[] tw = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    int[] idx = ReferenceOps.unravel(i, ts);
                    int tmp = idx[d];
                    idx[d] = idx[e];
                    idx[e] = tmp;
                    tw[i] = x[ReferenceOps.ravel(idx, shape)];
                }
                exact("transpose " + Arrays.toString(shape) + " " + d + "," + e, tw, Ops.transpose(xt, d, e), ts);
                exact("transpose negative dims", tw, Ops.transpose(xt, negD, e - rank), ts);
            }
        }
    }

    @Test
    void catAlongEveryDim() {
        Random r = new Random(802);
        for (int it = 0; it < 40; it++) {
            int rank = 1 + r.nextInt(4);
            int[] shape = randomShape(r, rank, 5);
            int d = r.nextInt(rank), parts = 1 + r.nextInt(3);
            List<float[]> data = new ArrayList<>();
            List<int[]> shapes = new ArrayList<>();
            int total = 0;
            for (int p = 0; p < parts; p++) {
                int[] ps = shape.clone();
                ps[d] = r.nextInt(4) == 0 && parts > 1 ? 0 : 1 + r.nextInt(4); // empty parts allowed
                shapes.add(ps);
                data.add(randn(r, ReferenceOps.numel(ps)));
                total += ps[d];
            }
            int[] os = shape.clone();
            os[d] = total;
            float[] want = new float[ReferenceOps.numel(os)];
            for (int i = 0; i < want.length; i++) {
                int[] idx = ReferenceOps.unravel(i, os);
                int p = 0, at = idx[d];
                while (at >= shapes.get(p)[d]) at -= shapes.get(p++)[d];
                idx[d] = at;
                want[i] = data.get(p)[ReferenceOps.ravel(idx, shapes.get(p))];
            }
            try (Scope s = Scope.open()) {
                Tensor[] ts = new Tensor[parts];
                for (int p = 0; p < parts; p++) ts[p] = t(data.get(p), shapes.get(p));
                exact("cat dim " + d + " of " + parts, want, Ops.cat(d, ts), os);
                exact("cat negative dim", want, Ops.cat(d - rank, ts), os);
            }
        }
    }

    // ---- WaveNet gate -------------------------------------------------------------------------------------

    @Test
    void wnGate() {
        Random r = new Random(901);
        int[][] cases = {{2, 4, 13}, {1, 3, 1}, {3, 8, 7}, {2, 32, 2000}, {1, 1, 5}};
        for (int[] c : cases) {
            int b = c[0], h = c[1], tt = c[2];
            float[] x = randn(r, b * 2 * h * tt);
            try (Scope s = Scope.open()) {
                close("wn_gate no cond " + Arrays.toString(c), ReferenceOps.wnGate(x, b, h, tt, null, 0, 0, 0),
                        Ops.wnGate(t(x, b, 2 * h, tt), null, 0));
                int layers = 3;
                for (int layer = 0; layer < layers; layer++) {
                    int cc = 2 * h * layers + 1, off = 2 * h * layer; // one spare channel past the last layer
                    float[] g1 = randn(r, b * cc), gT = randn(r, b * cc * tt);
                    close("wn_gate cond [B,C,1] offset " + off + " " + Arrays.toString(c),
                            ReferenceOps.wnGate(x, b, h, tt, g1, cc, 1, off), Ops.wnGate(t(x, b, 2 * h, tt), t(g1, b, cc, 1), off));
                    close("wn_gate cond [B,C,T] offset " + off + " " + Arrays.toString(c),
                            ReferenceOps.wnGate(x, b, h, tt, gT, cc, tt, off),
                            Ops.wnGate(t(x, b, 2 * h, tt), t(gT, b, cc, tt), off));
                }
            }
        }
    }

    // ---- relative attention ---------------------------------------------------------------------------------

    private static void checkAttention(Random r, int b, int heads, int d, int tt, int window, int[] lengths,
                                       boolean full) {
        String what = String.format("rel_attention B=%d H=%d D=%d T=%d w=%d lengths=%s full=%b", b, heads, d, tt,
                window, Arrays.toString(lengths), full);
        int c = heads * d;
        float[] q = randn(r, b * c * tt), k = randn(r, b * c * tt), v = randn(r, b * c * tt);
        float[] ek = scaled(randn(r, (2 * window + 1) * d), 0.5f), ev = scaled(randn(r, (2 * window + 1) * d), 0.5f);
        float[] xMask = new float[b * tt];
        for (int i = 0; i < b; i++) for (int j = 0; j < lengths[i]; j++) xMask[i * tt + j] = 1;
        float[] fullMask = null;
        if (full) {
            fullMask = new float[b * tt * tt];
            for (int i = 0; i < b; i++) {
                for (int qi = 0; qi < tt; qi++) {
                    for (int kj = 0; kj < tt; kj++) {
                        // causal within the length, plus random holes; row 0 of batch 0 fully masked
                        boolean keep = kj <= qi && qi < lengths[i] && r.nextInt(5) != 0;
                        if (kj == qi && qi < lengths[i]) keep = true;
                        if (i == 0 && qi == 0) keep = false;
                        fullMask[(i * tt + qi) * tt + kj] = keep ? 1 : 0;
                    }
                }
            }
        }
        try (Scope s = Scope.open()) {
            Tensor y = Ops.relAttention(t(q, b, c, tt), t(k, b, c, tt), t(v, b, c, tt), t(ek, 1, 2 * window + 1, d),
                    t(ev, 1, 2 * window + 1, d), full ? null : t(xMask, b, 1, tt), full ? t(fullMask, b, 1, tt, tt) : null,
                    heads, window);
            assertArrayEquals(new int[]{b, c, tt}, y.shape(), what);
            close(what, ReferenceOps.relAttention(q, k, v, ek, ev, xMask, fullMask, b, heads, d, tt, window), y);
        }
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void relAttention(Isa isa) {
        OnIsa.run(isa, () -> relAttentionOnTilesAndOpenBlas(new Random(1001)));
    }

    private void relAttentionOnTilesAndOpenBlas(Random r) {
        boolean saved = NativeContext.ownGemm();
        try {
            // Products on bv2j's own register tiles and on OpenBLAS.
            for (boolean own : new boolean[]{true, false}) {
                NativeContext.setOwnGemm(own);
                for (int heads : new int[]{1, 2}) {
                    for (boolean full : new boolean[]{false, true}) {
                        // T = 1, T < window, T = window, T > window; batch with padding
                        checkAttention(r, 1, heads, 4, 1, 4, new int[]{1}, full);
                        checkAttention(r, 2, heads, 3, 3, 4, new int[]{3, 2}, full);
                        checkAttention(r, 2, heads, 5, 4, 4, new int[]{4, 1}, full);
                        checkAttention(r, 2, heads, 8, 23, 4, new int[]{23, 17}, full);
                        checkAttention(r, 3, heads, 6, 12, 4, new int[]{12, 12, 5}, full);
                        checkAttention(r, 1, heads, 16, 61, 4, new int[]{61}, full);
                        // window 0 and a window wider than T
                        checkAttention(r, 2, heads, 4, 9, 0, new int[]{9, 6}, full);
                        checkAttention(r, 1, heads, 4, 5, 10, new int[]{5}, full);
                    }
                }
                // Several 64-query blocks, keys beyond one 256-row pass, the flow's head size.
                checkAttention(r, 1, 2, 96, 300, 4, new int[]{300}, false);
            }
        } finally {
            NativeContext.setOwnGemm(saved);
        }
    }

    // ---- rational-quadratic spline -----------------------------------------------------------------------------

    @Test
    void rqSplineForwardAndInverseMatchTheReference() {
        Random r = new Random(1101);
        int[][] cases = {{2, 3, 17, 10}, {1, 1, 1, 10}, {3, 2, 40, 10}, {1, 2, 9, 1}, {2, 1, 11, 3}, {1, 4, 3000, 10}};
        for (int[] c : cases) {
            int b = c[0], ch = c[1], tt = c[2], bins = c[3];
            for (float scale : new float[]{8f, 1f}) {
                float bound = 5f;
                float[] h = randn(r, b * ch * (3 * bins - 1) * tt);
                float[] x = uniform(r, b * ch * tt, -7, 7); // a good share outside the tail bound
                x[0] = 5f;
                if (x.length > 1) x[1] = -5f;
                if (x.length > 2) x[2] = 0f;
                for (boolean inverse : new boolean[]{false, true}) {
                    String what = "rq_spline " + Arrays.toString(c) + " scale " + scale + (inverse ? " inverse" : " forward");
                    double[][] want = ReferenceOps.rqSpline(x, h, b, ch, tt, bins, bound, scale, inverse);
                    try (Scope s = Scope.open()) {
                        Tensor[] got = Ops.rqSpline(t(x, b, ch, tt), t(h, b, ch * (3 * bins - 1), tt), bins, bound, scale,
                                inverse);
                        close(what + " y", want[0], got[0]);
                        close(what + " logabsdet", want[1], got[1]);
                        float[] ys = got[0].toArray(), ls = got[1].toArray();
                        for (int i = 0; i < x.length; i++) {
                            if (x[i] < -bound || x[i] > bound) {
                                assertEquals(x[i], ys[i], 0f, what + ": tail passes through");
                                assertEquals(0f, ls[i], 0f, what + ": tail log-det");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void rqSplineInverseUndoesForward() {
        Random r = new Random(1102);
        int b = 2, ch = 3, tt = 257, bins = 10;
        float bound = 5f, scale = 8f;
        float[] h = randn(r, b * ch * (3 * bins - 1) * tt), x = uniform(r, b * ch * tt, -6, 6);
        try (Scope s = Scope.open()) {
            Tensor ht = t(h, b, ch * (3 * bins - 1), tt);
            Tensor[] fwd = Ops.rqSpline(t(x, b, ch, tt), ht, bins, bound, scale, false);
            Tensor[] inv = Ops.rqSpline(fwd[0], ht, bins, bound, scale, true);
            double[] xd = new double[x.length];
            for (int i = 0; i < x.length; i++) xd[i] = x[i];
            close("inverse(forward(x))", xd, inv[0]);
            float[] lf = fwd[1].toArray(), li = inv[1].toArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(-lf[i], li[i], 1e-4 * Math.max(1, Math.abs(lf[i])), "log-dets negate at " + i + " (x = " + x[i] + ")");
            }
        }
    }

    // ---- GRU ------------------------------------------------------------------------------------------------

    @Test
    void gruLast() {
        Random r = new Random(1201);
        int[][] cases = {{2, 7, 5, 4}, {1, 1, 3, 2}, {3, 13, 8, 16}, {1, 0, 3, 2}, {2, 40, 128, 64}, {4, 5, 1, 1}};
        for (int[] c : cases) {
            int b = c[0], tt = c[1], in = c[2], h = c[3];
            float[] x = randn(r, b * tt * in), wIh = scaled(randn(r, 3 * h * in), 0.3f), wHh = scaled(randn(r, 3 * h * h), 0.3f);
            float[] bIh = randn(r, 3 * h), bHh = randn(r, 3 * h);
            try (Scope s = Scope.open()) {
                Tensor y = Ops.gruLast(t(x, b, tt, in), t(wIh, 3 * h, in), t(wHh, 3 * h, h), t(bIh, 3 * h), t(bHh, 3 * h));
                assertArrayEquals(new int[]{b, h}, y.shape());
                close("gru " + Arrays.toString(c), ReferenceOps.gruLast(x, b, tt, in, wIh, wHh, bIh, bHh, h), y);
            }
        }
    }

    // ---- shape checks before native code ----------------------------------------------------------------------

    @Test
    void mismatchedShapesAreRejectedInJava() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.zeros(2, 8, 10), w = Tensor.zeros(4, 8, 3);
            // conv1d
            rejects("conv1d weight Cin", () -> Ops.conv1d(x, Tensor.zeros(4, 7, 3), null, 1, 1, 1, 1));
            rejects("conv1d groups do not divide Cin", () -> Ops.conv1d(x, Tensor.zeros(3, 8, 3), null, 1, 1, 1, 3));
            rejects("conv1d groups do not divide Cout", () -> Ops.conv1d(x, Tensor.zeros(3, 4, 3), null, 1, 1, 1, 2));
            rejects("conv1d groups 0", () -> Ops.conv1d(x, w, null, 1, 1, 1, 0));
            rejects("conv1d bias", () -> Ops.conv1d(x, w, Tensor.zeros(5), 1, 1, 1, 1));
            rejects("conv1d rank-2 input", () -> Ops.conv1d(Tensor.zeros(8, 10), w, null, 1, 1, 1, 1));
            rejects("conv1d rank-2 weight", () -> Ops.conv1d(x, Tensor.zeros(4, 8), null, 1, 1, 1, 1));
            rejects("conv1d stride 0", () -> Ops.conv1d(x, w, null, 0, 1, 1, 1));
            rejects("conv1d dilation 0", () -> Ops.conv1d(x, w, null, 1, 1, 0, 1));
            rejects("conv1d negative padding", () -> Ops.conv1d(x, w, null, 1, -1, 1, 1, 1));
            // conv_transpose1d
            rejects("conv_transpose1d weight Cin", () -> Ops.convTranspose1d(x, Tensor.zeros(7, 4, 3), null, 2, 0));
            rejects("conv_transpose1d bias", () -> Ops.convTranspose1d(x, Tensor.zeros(8, 4, 3), Tensor.zeros(8), 2, 0));
            rejects("conv_transpose1d rank", () -> Ops.convTranspose1d(Tensor.zeros(8, 10), Tensor.zeros(8, 4, 3), null, 2, 0));
            // conv2d
            Tensor x4 = Tensor.zeros(1, 2, 9, 5);
            rejects("conv2d weight Cin", () -> Ops.conv2d(x4, Tensor.zeros(4, 3, 3, 3), null, 1, 1, 1, 1));
            rejects("conv2d bias", () -> Ops.conv2d(x4, Tensor.zeros(4, 2, 3, 3), Tensor.zeros(2), 1, 1, 1, 1));
            rejects("conv2d rank", () -> Ops.conv2d(x, Tensor.zeros(4, 8, 3, 3), null, 1, 1, 1, 1));
            // matmul
            rejects("matmul inner sizes", () -> Ops.matmul(Tensor.zeros(3, 4), Tensor.zeros(5, 6)));
            rejects("matmul inner sizes transposed", () -> Ops.matmul(Tensor.zeros(3, 4), Tensor.zeros(3, 6), false, true));
            rejects("matmul batch", () -> Ops.matmul(Tensor.zeros(2, 3, 4), Tensor.zeros(3, 4, 5)));
            rejects("matmul rank 1", () -> Ops.matmul(Tensor.zeros(4), Tensor.zeros(4, 5)));
            // layer norm
            rejects("layer_norm gamma", () -> Ops.layerNormChannels(x, Tensor.zeros(7), Tensor.zeros(8), 1e-5f));
            rejects("layer_norm beta", () -> Ops.layerNormChannels(x, Tensor.zeros(8), Tensor.zeros(9), 1e-5f));
            rejects("layer_norm rank", () -> Ops.layerNormChannels(Tensor.zeros(8, 10), Tensor.zeros(8), Tensor.zeros(8), 1e-5f));
            // binary
            rejects("add incompatible", () -> Ops.add(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
            rejects("mul incompatible", () -> Ops.mul(Tensor.zeros(2, 8, 10), Tensor.zeros(2, 8, 9)));
            rejects("sub incompatible batch", () -> Ops.sub(Tensor.zeros(2, 8, 10), Tensor.zeros(3, 1, 1)));
            rejects("div rank 5", () -> Ops.div(Tensor.zeros(1, 1, 1, 1, 2), Tensor.zeros(2)));
            // layout
            rejects("narrow past the end", () -> Ops.narrow(x, 2, 5, 6));
            rejects("narrow negative start", () -> Ops.narrow(x, 1, -1, 2));
            rejects("narrow negative length", () -> Ops.narrow(x, 1, 2, -1));
            rejects("transpose rank 5", () -> Ops.transpose(Tensor.zeros(1, 2, 1, 2, 1), 0, 1));
            rejects("flip rank 5", () -> Ops.flip(Tensor.zeros(1, 2, 1, 2, 1), 1));
            rejects("cat ranks", () -> Ops.cat(1, x, Tensor.zeros(2, 8)));
            rejects("cat other dim", () -> Ops.cat(1, x, Tensor.zeros(2, 8, 11)));
            // wn gate
            Tensor xin = Tensor.zeros(2, 8, 10);
            rejects("wn_gate odd channels", () -> Ops.wnGate(Tensor.zeros(2, 7, 10), null, 0));
            rejects("wn_gate cond batch", () -> Ops.wnGate(xin, Tensor.zeros(1, 8, 1), 0));
            rejects("wn_gate cond past offset", () -> Ops.wnGate(xin, Tensor.zeros(2, 16, 1), 9));
            rejects("wn_gate negative offset", () -> Ops.wnGate(xin, Tensor.zeros(2, 16, 1), -1));
            rejects("wn_gate cond time", () -> Ops.wnGate(xin, Tensor.zeros(2, 8, 9), 0));
            rejects("wn_gate cond rank", () -> Ops.wnGate(xin, Tensor.zeros(2, 8), 0));
            rejects("wn_gate rank", () -> Ops.wnGate(Tensor.zeros(8, 10), null, 0));
            // attention
            Tensor q = Tensor.zeros(2, 8, 10), ek = Tensor.zeros(1, 9, 4), mask = Tensor.zeros(2, 1, 10);
            rejects("attention k shape", () -> Ops.relAttention(q, Tensor.zeros(2, 8, 9), q, ek, ek, mask, null, 2, 4));
            rejects("attention v shape", () -> Ops.relAttention(q, q, Tensor.zeros(1, 8, 10), ek, ek, mask, null, 2, 4));
            rejects("attention heads", () -> Ops.relAttention(q, q, q, ek, ek, mask, null, 3, 4));
            rejects("attention heads 0", () -> Ops.relAttention(q, q, q, ek, ek, mask, null, 0, 4));
            rejects("attention emb_k", () -> Ops.relAttention(q, q, q, Tensor.zeros(1, 7, 4), ek, mask, null, 2, 4));
            rejects("attention emb_v", () -> Ops.relAttention(q, q, q, ek, Tensor.zeros(1, 9, 8), mask, null, 2, 4));
            rejects("attention x_mask", () -> Ops.relAttention(q, q, q, ek, ek, Tensor.zeros(2, 1, 9), null, 2, 4));
            rejects("attention no mask", () -> Ops.relAttention(q, q, q, ek, ek, null, null, 2, 4));
            rejects("attention attn_mask", () -> Ops.relAttention(q, q, q, ek, ek, null, Tensor.zeros(2, 1, 10, 9), 2, 4));
            rejects("attention rank", () -> Ops.relAttention(Tensor.zeros(8, 10), Tensor.zeros(8, 10), Tensor.zeros(8, 10),
                    ek, ek, mask, null, 2, 4));
            // spline
            Tensor sx = Tensor.zeros(2, 3, 10);
            rejects("spline parameters channels", () -> Ops.rqSpline(sx, Tensor.zeros(2, 3 * 29 - 1, 10), 10, 5, 8, false));
            rejects("spline parameters time", () -> Ops.rqSpline(sx, Tensor.zeros(2, 3 * 29, 9), 10, 5, 8, false));
            rejects("spline parameters batch", () -> Ops.rqSpline(sx, Tensor.zeros(1, 3 * 29, 10), 10, 5, 8, true));
            rejects("spline bins 0", () -> Ops.rqSpline(sx, Tensor.zeros(2, 0, 10), 0, 5, 8, false));
            rejects("spline bins 65", () -> Ops.rqSpline(sx, Tensor.zeros(2, 3 * 194, 10), 65, 5, 8, false));
            rejects("spline rank", () -> Ops.rqSpline(Tensor.zeros(3, 10), Tensor.zeros(2, 3 * 29, 10), 10, 5, 8, false));
            // gru
            Tensor gx = Tensor.zeros(2, 5, 3);
            rejects("gru w_ih input", () -> Ops.gruLast(gx, Tensor.zeros(12, 4), Tensor.zeros(12, 4), Tensor.zeros(12), Tensor.zeros(12)));
            rejects("gru w_ih gates", () -> Ops.gruLast(gx, Tensor.zeros(9, 3), Tensor.zeros(12, 4), Tensor.zeros(12), Tensor.zeros(12)));
            rejects("gru w_hh", () -> Ops.gruLast(gx, Tensor.zeros(12, 3), Tensor.zeros(11, 4), Tensor.zeros(12), Tensor.zeros(12)));
            rejects("gru b_ih", () -> Ops.gruLast(gx, Tensor.zeros(12, 3), Tensor.zeros(12, 4), Tensor.zeros(11), Tensor.zeros(12)));
            rejects("gru b_hh", () -> Ops.gruLast(gx, Tensor.zeros(12, 3), Tensor.zeros(12, 4), Tensor.zeros(12), Tensor.zeros(13)));
            rejects("gru rank", () -> Ops.gruLast(Tensor.zeros(5, 3), Tensor.zeros(12, 3), Tensor.zeros(12, 4), Tensor.zeros(12), Tensor.zeros(12)));
        }
    }

    @Test
    void emptyAndDegenerateShapesDoNotReachNativeCode() {
        try (Scope s = Scope.open()) {
            assertArrayEquals(new int[]{0, 4, 8}, Ops.conv1d(Tensor.zeros(0, 3, 10), Tensor.zeros(4, 3, 3), null, 1, 0, 1, 1).shape());
            assertArrayEquals(new int[]{2, 4, 0}, Ops.convTranspose1d(Tensor.zeros(2, 3, 0), Tensor.zeros(3, 4, 3), null, 2, 0).shape());
            assertArrayEquals(new int[]{2, 0, 5}, Ops.add(Tensor.zeros(2, 0, 5), Tensor.zeros(1, 1, 5)).shape());
            assertArrayEquals(new int[]{2, 0, 3}, Ops.narrow(Tensor.zeros(2, 4, 3), 1, 4, 0).shape());
            assertArrayEquals(new int[]{0, 3}, Ops.relu(Tensor.zeros(0, 3)).shape());
            assertTrue(Ops.matmul(Tensor.zeros(0, 3, 4), Tensor.zeros(4, 5)).numel() == 0);
        }
    }
}
