package io.bv2j.nativelib;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The backward kernels (bv2j_grad.h) against plain double-precision adjoints written from the
 * forward definitions, the dot-product identity <A x, dy> = <x, A^T dy> with the native forward,
 * and central finite differences of double forwards. Gradient outputs are pre-filled with NaN so
 * a kernel that accumulates where it must overwrite fails; accumulating outputs get random
 * initial values instead.
 */
class BackwardKernelsTest {
    private static final double TOL = 1e-5;

    private Arena arena;

    @BeforeEach
    void open() {
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        arena.close();
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Uniform values in [lo, hi), rounded to float so the double references see the kernel's inputs. */
    private static double[] uniform(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return v;
    }

    private static double[] filled(int n, double value) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }

    private MemorySegment floats(double[] v) {
        MemorySegment s = arena.allocate(JAVA_FLOAT, Math.max(1, v.length));
        for (int i = 0; i < v.length; i++) s.setAtIndex(JAVA_FLOAT, i, (float) v[i]);
        return s;
    }

    private MemorySegment nans(int n) {
        return floats(filled(n, Double.NaN));
    }

    private MemorySegment longs(long... v) {
        return arena.allocateFrom(JAVA_LONG, v);
    }

    private static double[] read(MemorySegment s, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = s.getAtIndex(JAVA_FLOAT, i);
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double[] plus(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) s[i] = a[i] + b[i];
        return s;
    }

    /** ||got - want|| / ||want|| <= TOL, all finite (a tiny absolute floor for all-zero wants). */
    private static void close(String what, double[] want, double[] got) {
        assertEquals(want.length, got.length, what + ": length");
        if (want.length == 0) return;
        double num = 0, den = 0;
        int worst = -1;
        double worstDiff = -1;
        for (int i = 0; i < want.length; i++) {
            if (!Double.isFinite(got[i])) fail(what + ": non-finite " + got[i] + " at " + i + " (want " + want[i] + ")");
            double d = got[i] - want[i];
            num += d * d;
            den += want[i] * want[i];
            if (Math.abs(d) > worstDiff) {
                worstDiff = Math.abs(d);
                worst = i;
            }
        }
        double rel = Math.sqrt(num / (den + want.length * 1e-14));
        if (!(rel <= TOL)) {
            fail(what + ": relative L2 error " + rel + "; worst at " + worst + ": got " + got[worst] + ", want "
                    + want[worst]);
        }
    }

    /** |lhs - rhs| <= TOL |lhs| for the two sides of an adjoint identity (both 0 for empty tensors). */
    private static void sameDot(String what, double lhs, double rhs) {
        double rel = lhs == rhs ? 0 : Math.abs(lhs - rhs) / Math.abs(lhs);
        if (!(rel <= TOL)) fail(what + ": <Ax, dy> = " + lhs + " but <x, A^T dy> = " + rhs + " (rel " + rel + ")");
    }

    /** Central differences of a double loss at a few indices of `at`, against the kernel's gradient. */
    private static void finiteDifferences(String what, double[] at, double[] grad, ToDoubleFunction<double[]> loss,
                                          Random r, int samples) {
        double scale = Arrays.stream(grad).map(Math::abs).max().orElse(0);
        for (int s = 0; s < samples; s++) {
            int i = r.nextInt(at.length);
            double saved = at[i], h = 1e-5 * Math.max(1, Math.abs(saved));
            at[i] = saved + h;
            double up = loss.applyAsDouble(at);
            at[i] = saved - h;
            double down = loss.applyAsDouble(at);
            at[i] = saved;
            double fd = (up - down) / (2 * h);
            if (!(Math.abs(grad[i] - fd) <= TOL * (Math.abs(fd) + scale))) {
                fail(what + "[" + i + "]: kernel " + grad[i] + ", finite difference " + fd);
            }
        }
    }

    /** Runs `body` with the native thread count set to each of `counts`, restoring it afterwards. */
    private static void withThreads(int[] counts, Runnable body) {
        int saved = NativeContext.threads();
        try {
            for (int n : counts) {
                NativeContext.setThreads(n);
                body.run();
            }
        } finally {
            NativeContext.setThreads(saved);
        }
    }

    private static final int[] THREADS = {1, 3, 8};

    // ---- convolutions --------------------------------------------------------------------------

    /** One multiply of a convolution: y[yi] += w[wi] * x[xi]. */
    private interface Tap {
        void at(int yi, int wi, int xi);
    }

    /** A convolution as its list of taps plus the native calls for it. */
    private interface Conv {
        int xLen();

        int wLen();

        int yLen();

        int channelsOut();

        int spatialOut();

        void taps(Tap tap);

        void forward(MemorySegment x, MemorySegment w, MemorySegment y);

        void input(MemorySegment dy, MemorySegment w, MemorySegment dx);

        void weight(MemorySegment x, MemorySegment dy, MemorySegment dw, MemorySegment db);
    }

    record Conv1d(int batch, int cIn, int tIn, int cOut, int tOut, int kernel, int stride, int pad, int dilation,
                  int groups) implements Conv {
        public int xLen() { return batch * cIn * tIn; }

        public int wLen() { return cOut * (cIn / groups) * kernel; }

        public int yLen() { return batch * cOut * tOut; }

        public int channelsOut() { return cOut; }

        public int spatialOut() { return tOut; }

        public void taps(Tap tap) {
            int cinG = cIn / groups, coutG = cOut / groups;
            for (int b = 0; b < batch; b++)
                for (int co = 0; co < cOut; co++)
                    for (int t = 0; t < tOut; t++)
                        for (int cg = 0; cg < cinG; cg++)
                            for (int k = 0; k < kernel; k++) {
                                int ti = t * stride + k * dilation - pad;
                                if (ti < 0 || ti >= tIn) continue;
                                int ci = co / coutG * cinG + cg;
                                tap.at((b * cOut + co) * tOut + t, (co * cinG + cg) * kernel + k,
                                        (b * cIn + ci) * tIn + ti);
                            }
        }

        public void forward(MemorySegment x, MemorySegment w, MemorySegment y) {
            Kernels.conv1d(x, w, MemorySegment.NULL, y, batch, cIn, tIn, cOut, tOut, kernel, stride, pad, dilation,
                    groups);
        }

        public void input(MemorySegment dy, MemorySegment w, MemorySegment dx) {
            BackwardKernels.conv1dInput(dy, w, dx, batch, cIn, tIn, cOut, tOut, kernel, stride, pad, dilation, groups);
        }

        public void weight(MemorySegment x, MemorySegment dy, MemorySegment dw, MemorySegment db) {
            BackwardKernels.conv1dWeight(x, dy, dw, db, batch, cIn, tIn, cOut, tOut, kernel, stride, pad, dilation,
                    groups);
        }
    }

    record ConvTranspose1d(int batch, int cIn, int tIn, int cOut, int tOut, int kernel, int stride, int padding)
            implements Conv {
        public int xLen() { return batch * cIn * tIn; }

        public int wLen() { return cIn * cOut * kernel; }

        public int yLen() { return batch * cOut * tOut; }

        public int channelsOut() { return cOut; }

        public int spatialOut() { return tOut; }

        public void taps(Tap tap) {
            for (int b = 0; b < batch; b++)
                for (int ci = 0; ci < cIn; ci++)
                    for (int i = 0; i < tIn; i++)
                        for (int co = 0; co < cOut; co++)
                            for (int k = 0; k < kernel; k++) {
                                int o = i * stride + k - padding;
                                if (o < 0 || o >= tOut) continue;
                                tap.at((b * cOut + co) * tOut + o, (ci * cOut + co) * kernel + k,
                                        (b * cIn + ci) * tIn + i);
                            }
        }

        public void forward(MemorySegment x, MemorySegment w, MemorySegment y) {
            Kernels.convTranspose1d(x, w, MemorySegment.NULL, y, batch, cIn, tIn, cOut, tOut, kernel, stride, padding);
        }

        public void input(MemorySegment dy, MemorySegment w, MemorySegment dx) {
            BackwardKernels.convTranspose1dInput(dy, w, dx, batch, cIn, tIn, cOut, tOut, kernel, stride, padding);
        }

        public void weight(MemorySegment x, MemorySegment dy, MemorySegment dw, MemorySegment db) {
            BackwardKernels.convTranspose1dWeight(x, dy, dw, db, batch, cIn, tIn, cOut, tOut, kernel, stride, padding);
        }
    }

    record Conv2d(int batch, int cIn, int h, int wd, int cOut, int hOut, int wOut, int kh, int kw, int sh, int sw,
                  int ph, int pw) implements Conv {
        public int xLen() { return batch * cIn * h * wd; }

        public int wLen() { return cOut * cIn * kh * kw; }

        public int yLen() { return batch * cOut * hOut * wOut; }

        public int channelsOut() { return cOut; }

        public int spatialOut() { return hOut * wOut; }

        public void taps(Tap tap) {
            for (int b = 0; b < batch; b++)
                for (int co = 0; co < cOut; co++)
                    for (int oh = 0; oh < hOut; oh++)
                        for (int ow = 0; ow < wOut; ow++)
                            for (int ci = 0; ci < cIn; ci++)
                                for (int ki = 0; ki < kh; ki++)
                                    for (int kj = 0; kj < kw; kj++) {
                                        int ih = oh * sh + ki - ph, iw = ow * sw + kj - pw;
                                        if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                        tap.at(((b * cOut + co) * hOut + oh) * wOut + ow,
                                                ((co * cIn + ci) * kh + ki) * kw + kj,
                                                ((b * cIn + ci) * h + ih) * wd + iw);
                                    }
        }

        public void forward(MemorySegment x, MemorySegment w, MemorySegment y) {
            Kernels.conv2d(x, w, MemorySegment.NULL, y, batch, cIn, h, wd, cOut, hOut, wOut, kh, kw, sh, sw, ph, pw);
        }

        public void input(MemorySegment dy, MemorySegment w, MemorySegment dx) {
            BackwardKernels.conv2dInput(dy, w, dx, batch, cIn, h, wd, cOut, hOut, wOut, kh, kw, sh, sw, ph, pw);
        }

        public void weight(MemorySegment x, MemorySegment dy, MemorySegment dw, MemorySegment db) {
            BackwardKernels.conv2dWeight(x, dy, dw, db, batch, cIn, h, wd, cOut, hOut, wOut, kh, kw, sh, sw, ph, pw);
        }
    }

    /** Both gradients against the double adjoints, then the two dot-product identities. */
    private void checkConv(String name, Conv c, long seed) {
        Random r = new Random(seed);
        double[] x = uniform(r, c.xLen(), -1, 1), w = uniform(r, c.wLen(), -1, 1), noise = uniform(r, c.yLen(), -1, 1);
        double[] wantDx = new double[c.xLen()], wantDw = new double[c.wLen()], y = new double[c.yLen()];
        MemorySegment xs = floats(x), ws = floats(w), ys = nans(c.yLen());
        c.forward(xs, ws, ys);
        // dy correlated with y keeps <y, dy> far from 0, so the identity's relative error is meaningful.
        double[] dy = plus(read(ys, c.yLen()), noise);
        c.taps((yi, wi, xi) -> {
            wantDx[xi] += w[wi] * dy[yi];
            wantDw[wi] += x[xi] * dy[yi];
            y[yi] += w[wi] * x[xi];
        });
        double[] wantDb = new double[c.channelsOut()];
        for (int i = 0; i < dy.length; i++) wantDb[i / c.spatialOut() % c.channelsOut()] += dy[i];
        close(name + " forward (test setup)", y, read(ys, c.yLen()));

        MemorySegment dys = floats(dy), dx = nans(c.xLen()), dw = nans(c.wLen()), db = nans(c.channelsOut());
        c.input(dys, ws, dx);
        c.weight(xs, dys, dw, db);
        double[] gotDx = read(dx, c.xLen()), gotDw = read(dw, c.wLen());
        close(name + " dx", wantDx, gotDx);
        close(name + " dw", wantDw, gotDw);
        close(name + " db", wantDb, read(db, c.channelsOut()));
        double lhs = dot(y, dy);
        sameDot(name + " input adjoint", lhs, dot(x, gotDx));
        sameDot(name + " weight adjoint", lhs, dot(w, gotDw));
        c.weight(xs, dys, dw, MemorySegment.NULL);
        close(name + " dw without db", wantDw, read(dw, c.wLen()));
    }

    @Test
    void conv1dGradients() {
        Conv1d[] cases = {
            new Conv1d(2, 6, 50, 4, 50, 5, 1, 2, 1, 1),      // "same" padding
            new Conv1d(2, 6, 53, 8, 12, 7, 4, 3, 1, 2),      // stride 4, grouped, output shorter than symmetric
            new Conv1d(2, 5, 40, 5, 40, 3, 1, 5, 5, 5),      // depthwise, dilation 5
            new Conv1d(1, 3, 31, 3, 14, 4, 2, 1, 1, 3),      // depthwise, stride 2, asymmetric
            new Conv1d(2, 8, 30, 12, 30, 1, 1, 0, 1, 1),     // 1x1 (direct GEMM)
            new Conv1d(2, 8, 30, 12, 25, 1, 1, 0, 1, 1),     // 1x1 reading only a prefix of x
            new Conv1d(1, 4, 10, 6, 10, 1, 1, 0, 1, 2),      // grouped 1x1
            new Conv1d(2, 16, 97, 64, 25, 41, 4, 20, 1, 4),  // discriminator-like grouped
            new Conv1d(1, 3, 20, 2, 20, 3, 1, 4, 2, 1),      // causal: all padding on the left
            new Conv1d(2, 8, 45, 4, 20, 3, 2, 2, 3, 2),      // stride + dilation + groups, short output
            new Conv1d(1, 2, 5, 2, 10, 2, 1, 3, 1, 1),       // outputs that read only padding
            new Conv1d(2, 2, 0, 3, 0, 3, 1, 1, 1, 1),        // empty time
        };
        withThreads(THREADS, () -> {
            for (int i = 0; i < cases.length; i++) checkConv("conv1d " + cases[i], cases[i], 100 + i);
        });
    }

    @Test
    void conv1dAcrossTimeTiles() {
        // The kernels tile time so a tile's column matrix is ~8 MiB: 2^21 / (64*32 rows) = 1024
        // output columns per tile, so 2500 outputs take three tiles (the last one partial).
        checkConv("conv1d tiled", new Conv1d(2, 64, 2500, 8, 2500, 32, 1, 16, 1, 1), 7);
        checkConv("conv1d tiled strided", new Conv1d(1, 64, 5003, 8, 2500, 32, 2, 15, 1, 2), 8);
    }

    @Test
    void convTranspose1dGradients() {
        ConvTranspose1d[] cases = {
            new ConvTranspose1d(2, 6, 20, 4, 160, 16, 8, 4),  // the decoder's upsampler shape
            new ConvTranspose1d(1, 3, 13, 5, 25, 4, 2, 1),    // output one shorter than torch's
            new ConvTranspose1d(2, 2, 7, 3, 33, 3, 5, 0),     // kernel < stride: gaps in the output
            new ConvTranspose1d(1, 2, 6, 2, 4, 3, 1, 2),      // padding cuts both ends
            new ConvTranspose1d(1, 2, 0, 2, 0, 3, 1, 0),      // empty time
        };
        withThreads(THREADS, () -> {
            for (int i = 0; i < cases.length; i++) checkConv("convT " + cases[i], cases[i], 200 + i);
        });
        // 64*16 column rows give 2048 inputs per tile: 2100 inputs take two tiles.
        checkConv("convT tiled", new ConvTranspose1d(1, 4, 2100, 64, 16800, 16, 8, 4), 9);
    }

    @Test
    void conv2dGradients() {
        Conv2d[] cases = {
            new Conv2d(2, 3, 17, 4, 5, 6, 4, 5, 1, 3, 1, 2, 0),  // period discriminator layer
            new Conv2d(1, 2, 9, 8, 3, 4, 3, 3, 3, 2, 2, 1, 1),   // 3x3 stride 2, outputs short of "same"
            new Conv2d(2, 1, 30, 3, 4, 10, 3, 5, 1, 3, 1, 2, 0), // one input channel
            new Conv2d(1, 2, 5, 4, 2, 3, 2, 2, 3, 2, 3, 1, 2),   // wide padding on w
        };
        withThreads(THREADS, () -> {
            for (int i = 0; i < cases.length; i++) checkConv("conv2d " + cases[i], cases[i], 300 + i);
        });
        // A tile holds 48 MiB of (64*5 column rows + 4 output channels) floats per output position.
        // 5000 x 3 positions = 19.4 MiB a sample: two samples share a tile, the third has its own.
        checkConv("conv2d samples per tile", new Conv2d(3, 64, 5000, 3, 4, 5000, 3, 5, 1, 1, 1, 2, 0), 10);
        // 13000 x 3 positions = 50.5 MiB: one sample is cut into 12945 + 55 output rows.
        checkConv("conv2d rows per tile", new Conv2d(1, 64, 13000, 3, 4, 13000, 3, 5, 1, 1, 1, 2, 0), 11);
    }

    @Test
    void convRejectsBadGeometry() {
        MemorySegment s = nans(64);
        assertThrows(IllegalArgumentException.class,
                () -> BackwardKernels.conv1dInput(s, s, s, 1, 3, 4, 4, 4, 3, 1, 1, 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> BackwardKernels.conv1dWeight(s, s, s, s, 1, 4, 4, 4, 4, 3, 0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> BackwardKernels.convTranspose1dInput(s, s, s, 1, 2, 4, 2, 4, 3, 1, -1));
        assertThrows(IllegalArgumentException.class,
                () -> BackwardKernels.conv2dWeight(s, s, s, s, 1, 2, 3, 3, 2, 3, 3, 0, 1, 1, 1, 0, 0));
    }

    // ---- layer norm ----------------------------------------------------------------------------

    /** y = (x - mean) / sqrt(var + eps) * gamma + beta over channels, per (b, t). */
    private static double[] layerNorm(double[] x, double[] gamma, double[] beta, int batch, int c, int t, double eps) {
        double[] y = new double[x.length];
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < t; j++) {
                double mean = 0, var = 0;
                for (int ch = 0; ch < c; ch++) mean += x[(b * c + ch) * t + j];
                mean /= c;
                for (int ch = 0; ch < c; ch++) var += Math.pow(x[(b * c + ch) * t + j] - mean, 2);
                double inv = 1 / Math.sqrt(var / c + eps);
                for (int ch = 0; ch < c; ch++) {
                    int i = (b * c + ch) * t + j;
                    y[i] = (x[i] - mean) * inv * gamma[ch] + beta[ch];
                }
            }
        return y;
    }

    @Test
    void layerNormGradients() {
        int[][] shapes = {{2, 7, 13}, {2, 192, 100}, {1, 1, 3}};
        for (int[] s : shapes) {
            int batch = s[0], c = s[1], t = s[2], n = batch * c * t;
            float eps = 1e-5f;
            Random r = new Random(c);
            double[] x = uniform(r, n, -2, 2), gamma = uniform(r, c, 0.5, 1.5), beta = uniform(r, c, -1, 1);
            double[] dy = uniform(r, n, -1, 1);
            MemorySegment dx = nans(n), dgamma = nans(c), dbeta = nans(c);
            BackwardKernels.layerNormChannels(floats(x), floats(gamma), floats(dy), dx, dgamma, dbeta, batch, c, t, eps);
            double[] gx = read(dx, n), gg = read(dgamma, c), gb = read(dbeta, c);
            String name = "layer norm " + Arrays.toString(s);
            // Reference adjoint: dx = inv (g - mean g - xhat mean(g xhat)), g = dy gamma.
            double[] wantDx = new double[n], wantDg = new double[c], wantDb = new double[c];
            for (int b = 0; b < batch; b++)
                for (int j = 0; j < t; j++) {
                    double mean = 0, var = 0, mg = 0, mgx = 0;
                    for (int ch = 0; ch < c; ch++) mean += x[(b * c + ch) * t + j] / c;
                    for (int ch = 0; ch < c; ch++) var += Math.pow(x[(b * c + ch) * t + j] - mean, 2) / c;
                    double inv = 1 / Math.sqrt(var + eps);
                    for (int ch = 0; ch < c; ch++) {
                        int i = (b * c + ch) * t + j;
                        double xhat = (x[i] - mean) * inv;
                        mg += dy[i] * gamma[ch] / c;
                        mgx += dy[i] * gamma[ch] * xhat / c;
                        wantDg[ch] += dy[i] * xhat;
                        wantDb[ch] += dy[i];
                    }
                    for (int ch = 0; ch < c; ch++) {
                        int i = (b * c + ch) * t + j;
                        wantDx[i] = inv * (dy[i] * gamma[ch] - mg - (x[i] - mean) * inv * mgx);
                    }
                }
            close(name + " dx", wantDx, gx);
            close(name + " dgamma", wantDg, gg);
            close(name + " dbeta", wantDb, gb);
            finiteDifferences(name + " dx", x, gx, v -> dot(layerNorm(v, gamma, beta, batch, c, t, eps), dy), r, 5);
            finiteDifferences(name + " dgamma", gamma, gg, v -> dot(layerNorm(x, v, beta, batch, c, t, eps), dy), r, 3);
            finiteDifferences(name + " dbeta", beta, gb, v -> dot(layerNorm(x, gamma, v, batch, c, t, eps), dy), r, 3);
        }
    }

    // ---- unary ops -----------------------------------------------------------------------------

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** erf to ~1e-15 (Abramowitz-Stegun 7.1.26 is too coarse for a derivative check): series / continued fraction. */
    private static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 2.5) {
            double term = ax, sum = ax;
            for (int n = 1; n < 80; n++) {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }
            return Math.signum(x) * 2 / Math.sqrt(Math.PI) * sum;
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), evaluated bottom-up.
        double f = ax;
        for (int n = 60; n >= 1; n--) f = ax + (n / 2.0) / f;
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        return Math.signum(x) * (1 - erfc);
    }

    private static double op(int op, double x, double p0, double p1) {
        return switch (op) {
            case Kernels.RELU -> Math.max(x, 0);
            case Kernels.LEAKY_RELU -> x > 0 ? x : x * p0;
            case Kernels.TANH -> Math.tanh(x);
            case Kernels.SIGMOID -> sigmoid(x);
            case Kernels.GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case Kernels.EXP -> Math.exp(x);
            case Kernels.LOG -> Math.log(x);
            case Kernels.AFFINE -> p0 * x + p1;
            case Kernels.CEIL -> Math.ceil(x);
            case Kernels.SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
            case Kernels.CLAMP_MIN -> Math.max(x, p0);
            case Kernels.LOGSIGMOID -> -Math.log1p(Math.exp(-x));
            case Kernels.ABS -> Math.abs(x);
            case Kernels.SQRT -> Math.sqrt(x);
            default -> throw new IllegalArgumentException("op " + op);
        };
    }

    /** d op / dx in torch's conventions (SOFTPLUS: exactly 1 above the threshold 20). */
    private static double derivative(int op, double x, double p0) {
        return switch (op) {
            case Kernels.RELU -> x > 0 ? 1 : 0;
            case Kernels.LEAKY_RELU -> x > 0 ? 1 : p0;
            case Kernels.TANH -> 1 - Math.pow(Math.tanh(x), 2);
            case Kernels.SIGMOID -> sigmoid(x) * (1 - sigmoid(x));
            case Kernels.GELU -> 0.5 * (1 + erf(x / Math.sqrt(2))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            case Kernels.EXP -> Math.exp(x);
            case Kernels.LOG -> 1 / x;
            case Kernels.AFFINE -> p0;
            case Kernels.CEIL -> 0;
            case Kernels.SOFTPLUS -> x > 20 ? 1 : sigmoid(x);
            case Kernels.CLAMP_MIN -> x >= p0 ? 1 : 0;
            case Kernels.LOGSIGMOID -> sigmoid(-x);
            case Kernels.ABS -> Math.signum(x);
            case Kernels.SQRT -> 0.5 / Math.sqrt(x);
            default -> throw new IllegalArgumentException("op " + op);
        };
    }

    /** Inputs for op, at least 0.05 away from its kinks (0, p0, integers, softplus's threshold). */
    private static double[] unaryInputs(int op, Random r, int n, double p0) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double v;
            do {
                v = switch (op) {
                    case Kernels.LOG, Kernels.SQRT -> 0.1 + 3 * r.nextDouble();
                    case Kernels.SOFTPLUS, Kernels.LOGSIGMOID -> -25 + 50 * r.nextDouble();
                    case Kernels.EXP -> -4 + 7 * r.nextDouble();
                    default -> -3 + 6 * r.nextDouble();
                };
                v = (float) v;
            } while (Math.abs(v) < 0.05 || Math.abs(v - p0) < 0.05 || Math.abs(v - Math.rint(v)) < 0.05
                    || Math.abs(v - 20) < 0.05);
            x[i] = v;
        }
        return x;
    }

    @Test
    void unaryGradients() {
        float[][] params = {{0, 0}, {0.1f, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {1.7f, -0.4f}, {0, 0}, {0, 0},
            {0.3f, 0}, {0, 0}, {0, 0}, {0, 0}};
        for (int op = Kernels.RELU; op <= Kernels.SQRT; op++) {
            float p0 = params[op][0], p1 = params[op][1];
            for (int n : new int[] {57, 40000}) {
                Random r = new Random(op * 1000L + n);
                double[] x = unaryInputs(op, r, n, p0), dy = uniform(r, n, -1, 1);
                MemorySegment xs = floats(x), ys = nans(n), dx = nans(n);
                Kernels.unary(op, xs, ys, n, p0, p1);
                BackwardKernels.unary(op, xs, ys, floats(dy), dx, n, p0, p1);
                double[] got = read(dx, n), want = new double[n];
                for (int i = 0; i < n; i++) want[i] = dy[i] * derivative(op, x[i], p0);
                close("unary op " + op + " n " + n, want, got);
                final int o = op;
                ToDoubleFunction<double[]> loss = v -> {
                    double s = 0;
                    for (int i = 0; i < v.length; i++) s += op(o, v[i], p0, p1) * dy[i];
                    return s;
                };
                if (n < 100) finiteDifferences("unary op " + op, x, got, loss, r, 10);
            }
        }
    }

    @Test
    void unaryGradientsAtKinks() {
        // torch: relu'(0) = 0, leaky_relu'(0) = slope, clamp_min passes at x == min, abs'(0) = 0.
        double[] x = {0, 0, 0.3, 0, -1.5};
        int[] ops = {Kernels.RELU, Kernels.LEAKY_RELU, Kernels.CLAMP_MIN, Kernels.ABS, Kernels.CEIL};
        double[] want = {0, 0.1 * 2, 2, 0, 0};
        for (int i = 0; i < ops.length; i++) {
            MemorySegment xs = floats(new double[] {x[i]}), ys = nans(1), dx = nans(1);
            float p0 = ops[i] == Kernels.LEAKY_RELU ? 0.1f : 0.3f;
            Kernels.unary(ops[i], xs, ys, 1, p0, 0);
            BackwardKernels.unary(ops[i], xs, ys, floats(new double[] {2}), dx, 1, p0, 0);
            assertEquals(want[i], read(dx, 1)[0], 1e-7, "op " + ops[i] + " at its kink");
        }
        MemorySegment s = nans(4);
        assertThrows(IllegalArgumentException.class, () -> BackwardKernels.unary(14, s, s, s, s, 4, 0, 0));
    }

    // ---- reduce_sum_to -------------------------------------------------------------------------

    @Test
    void reduceSumTo() {
        long[] x = {3, 4, 5, 6};
        long[][] targets = {{1, 4, 1, 6}, {3, 1, 1, 1}, {1, 1, 1, 1}, {3, 4, 5, 6}, {3, 4, 5, 1}, {1, 4, 5, 6}};
        for (long[] yShape : targets) checkReduce(x, yShape);
        checkReduce(new long[] {8, 64, 1, 80}, new long[] {1, 64, 1, 1}); // parallel path
        checkReduce(new long[] {2, 0, 3, 1}, new long[] {2, 1, 3, 1});    // sum over nothing is 0
        MemorySegment s = nans(360);
        assertThrows(IllegalArgumentException.class,
                () -> BackwardKernels.reduceSumTo(s, longs(x), s, longs(3, 2, 5, 6)));
    }

    private void checkReduce(long[] xShape, long[] yShape) {
        int nx = (int) (xShape[0] * xShape[1] * xShape[2] * xShape[3]);
        int ny = (int) (yShape[0] * yShape[1] * yShape[2] * yShape[3]);
        double[] x = uniform(new Random(nx + ny), nx, -1, 1), want = new double[ny];
        for (int i = 0; i < nx; i++) {
            long rem = i, j = 0, mult = 1;
            for (int d = 3; d >= 0; d--) {
                long id = rem % xShape[d];
                rem /= xShape[d];
                j += (yShape[d] == 1 ? 0 : id) * mult;
                mult *= yShape[d];
            }
            want[(int) j] += x[i];
        }
        MemorySegment y = nans(ny);
        BackwardKernels.reduceSumTo(floats(x), longs(xShape), y, longs(yShape));
        close("reduce " + Arrays.toString(xShape) + " -> " + Arrays.toString(yShape), want, read(y, ny));
    }

    // ---- scatter_add_strided -------------------------------------------------------------------

    /** y[base + strides . i] += dy[dense i] for a view of a yLen buffer; checks against copy_strided's adjoint too. */
    private void checkScatter(String name, int yLen, int base, long[] strides, long[] shape) {
        int n = (int) (shape[0] * shape[1] * shape[2] * shape[3]);
        Random r = new Random(yLen + n);
        double[] dy = uniform(r, n, -1, 1), y0 = uniform(r, yLen, -1, 1), want = y0.clone();
        int i = 0;
        for (int a = 0; a < shape[0]; a++)
            for (int b = 0; b < shape[1]; b++)
                for (int c = 0; c < shape[2]; c++)
                    for (int d = 0; d < shape[3]; d++)
                        want[(int) (base + a * strides[0] + b * strides[1] + c * strides[2] + d * strides[3])] += dy[i++];
        MemorySegment ys = floats(y0), st = longs(strides), sh = longs(shape), dys = floats(dy);
        BackwardKernels.scatterAddStrided(dys, ys.asSlice(base * 4L), st, sh);
        close(name, want, read(ys, yLen));

        // Adjoint of the copy: <copy(x), dy> = <x, scatter(dy)> from y = 0.
        double[] x = uniform(r, yLen, -1, 1);
        MemorySegment xs = floats(x), copy = nans(n), zero = floats(new double[yLen]);
        Kernels.copyStrided(xs.asSlice(base * 4L), st, copy, sh);
        BackwardKernels.scatterAddStrided(dys, zero.asSlice(base * 4L), st, sh);
        double lhs = dot(read(copy, n), dy), rhs = dot(x, read(zero, yLen));
        assertEquals(lhs, rhs, TOL * Math.max(1, Math.abs(lhs)), name + " adjoint");
    }

    @Test
    void scatterAddStrided() {
        checkScatter("permute", 120, 0, new long[] {60, 4, 1, 12}, new long[] {2, 3, 4, 5});
        checkScatter("flip", 42, 6, new long[] {21, 7, 7, -1}, new long[] {2, 3, 1, 7});
        checkScatter("narrow", 40, 2, new long[] {0, 0, 10, 1}, new long[] {1, 1, 4, 6});
        checkScatter("broadcast", 15, 0, new long[] {5, 0, 0, 1}, new long[] {3, 4, 1, 5});
        checkScatter("overlapping windows", 60, 0, new long[] {0, 0, 1, 1}, new long[] {1, 1, 50, 5});
        checkScatter("permute, parallel", 49152, 0, new long[] {12288, 64, 1, 4096}, new long[] {4, 64, 64, 3});
        checkScatter("flip, parallel", 40000, 39999, new long[] {0, 0, -200, -1}, new long[] {1, 1, 200, 200});
        checkScatter("broadcast, large", 640, 0, new long[] {80, 0, 0, 1}, new long[] {8, 64, 1, 80});
        checkScatter("empty", 4, 0, new long[] {1, 1, 1, 1}, new long[] {0, 2, 2, 1});
    }

    // ---- WaveNet gate --------------------------------------------------------------------------

    /** A gate problem: x_in [B, 2H, T] and g read at gBase + b*gbs + c*gcs + t*gts of a gLen buffer (gLen 0: no g). */
    record Gate(int batch, int hidden, int time, int gLen, int gBase, int gbs, int gcs, int gts) {
        double[] forward(double[] x, double[] g) {
            double[] out = new double[batch * hidden * time];
            for (int b = 0; b < batch; b++)
                for (int c = 0; c < hidden; c++)
                    for (int t = 0; t < time; t++) {
                        double a = x[(b * 2 * hidden + c) * time + t], s = x[(b * 2 * hidden + hidden + c) * time + t];
                        if (gLen > 0) {
                            a += g[gBase + b * gbs + c * gcs + t * gts];
                            s += g[gBase + b * gbs + (hidden + c) * gcs + t * gts];
                        }
                        out[(b * hidden + c) * time + t] = Math.tanh(a) * sigmoid(s);
                    }
            return out;
        }
    }

    private void checkGate(String name, Gate p) {
        Random r = new Random(p.batch() * 7919L + p.hidden() * 31L + p.time() + p.gts());
        int nx = p.batch() * 2 * p.hidden() * p.time(), no = p.batch() * p.hidden() * p.time();
        double[] x = uniform(r, nx, -2, 2), g = uniform(r, p.gLen(), -1, 1), dout = uniform(r, no, -1, 1);
        double[] dg0 = uniform(r, p.gLen(), -1, 1);
        double[] wantDx = new double[nx], wantDg = dg0.clone();
        for (int b = 0; b < p.batch(); b++)
            for (int c = 0; c < p.hidden(); c++)
                for (int t = 0; t < p.time(); t++) {
                    int ia = (b * 2 * p.hidden() + c) * p.time() + t, ib = ia + p.hidden() * p.time();
                    int ga = p.gBase() + b * p.gbs() + c * p.gcs() + t * p.gts(), gb = ga + p.hidden() * p.gcs();
                    double a = x[ia] + (p.gLen() > 0 ? g[ga] : 0), s = x[ib] + (p.gLen() > 0 ? g[gb] : 0);
                    double d = dout[(b * p.hidden() + c) * p.time() + t], ta = Math.tanh(a), sb = sigmoid(s);
                    wantDx[ia] = d * sb * (1 - ta * ta);
                    wantDx[ib] = d * ta * sb * (1 - sb);
                    if (p.gLen() > 0) {
                        wantDg[ga] += wantDx[ia];
                        wantDg[gb] += wantDx[ib];
                    }
                }
        MemorySegment gs = p.gLen() > 0 ? floats(g).asSlice(p.gBase() * 4L) : MemorySegment.NULL;
        MemorySegment dgAll = floats(dg0), dx = nans(nx);
        MemorySegment dg = p.gLen() > 0 ? dgAll.asSlice(p.gBase() * 4L) : MemorySegment.NULL;
        BackwardKernels.wnGate(floats(x), gs, p.gbs(), p.gcs(), p.gts(), floats(dout), dx, dg, p.batch(), p.hidden(),
                p.time());
        double[] gotDx = read(dx, nx), gotDg = read(dgAll, p.gLen());
        close(name + " dx_in", wantDx, gotDx);
        if (p.gLen() == 0) return;
        close(name + " dg (accumulated)", wantDg, gotDg);
        finiteDifferences(name + " dx_in", x, gotDx, v -> dot(p.forward(v, g), dout), r, 6);
        double[] gotDgOnly = new double[p.gLen()];
        for (int i = 0; i < gotDgOnly.length; i++) gotDgOnly[i] = gotDg[i] - dg0[i];
        finiteDifferences(name + " dg", g, gotDgOnly, v -> dot(p.forward(x, v), dout), r, 6);
    }

    @Test
    void wnGateGradients() {
        int b = 2, h = 3, t = 5, layers = 2;
        checkGate("no g", new Gate(b, h, t, 0, 0, 0, 0, 0));
        // Layer 1 of a [B, 2H*L, T] conditioning tensor.
        checkGate("g over time", new Gate(b, h, t, b * 2 * h * layers * t, 2 * h * t, 2 * h * layers * t, t, 1));
        // Layer 1 of a [B, 2H*L, 1] speaker vector broadcast over time.
        checkGate("g broadcast", new Gate(b, h, t, b * 2 * h * layers, 2 * h, 2 * h * layers, 1, 0));
        checkGate("g shared by the batch", new Gate(b, h, t, 2 * h, 0, 0, 1, 0));
        int bb = 2, hh = 64, tt = 300; // B*H*T = 38400: the parallel path
        checkGate("g over time, parallel", new Gate(bb, hh, tt, bb * 2 * hh * tt, 0, 2 * hh * tt, tt, 1));
        checkGate("g broadcast, parallel", new Gate(bb, hh, tt, bb * 2 * hh, 0, 2 * hh, 1, 0));
        checkGate("g shared by the batch, large", new Gate(bb, hh, tt, 2 * hh, 0, 0, 1, 0));
        MemorySegment s = nans(4);
        assertThrows(IllegalArgumentException.class,
                () -> BackwardKernels.wnGate(s, MemorySegment.NULL, 0, 0, 0, s, s, s, 1, 1, 1));
    }

    // ---- GRU -----------------------------------------------------------------------------------

    record Gru(int batch, int time, int input, int hidden) {
        /** Hidden states h_0 .. h_T per batch row: [B][T+1][H]. */
        double[][][] states(double[] x, double[] wih, double[] whh, double[] bih, double[] bhh) {
            int h3 = 3 * hidden;
            double[][][] hs = new double[batch][time + 1][hidden];
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < time; t++) {
                    double[] h = hs[b][t], gi = new double[h3], gh = new double[h3];
                    for (int j = 0; j < h3; j++) {
                        gi[j] = bih[j];
                        gh[j] = bhh[j];
                        for (int i = 0; i < input; i++) gi[j] += wih[j * input + i] * x[(b * time + t) * input + i];
                        for (int i = 0; i < hidden; i++) gh[j] += whh[j * hidden + i] * h[i];
                    }
                    for (int j = 0; j < hidden; j++) {
                        double rr = sigmoid(gi[j] + gh[j]), z = sigmoid(gi[hidden + j] + gh[hidden + j]);
                        double n = Math.tanh(gi[2 * hidden + j] + rr * gh[2 * hidden + j]);
                        hs[b][t + 1][j] = (1 - z) * n + z * h[j];
                    }
                }
            return hs;
        }

        double loss(double[] x, double[] wih, double[] whh, double[] bih, double[] bhh, double[] dh) {
            double[][][] hs = states(x, wih, whh, bih, bhh);
            double s = 0;
            for (int b = 0; b < batch; b++)
                for (int j = 0; j < hidden; j++) s += hs[b][time][j] * dh[b * hidden + j];
            return s;
        }

        /** Backpropagation through time in double: {dx, dwih, dwhh, dbih, dbhh}. */
        double[][] backward(double[] x, double[] wih, double[] whh, double[] bih, double[] bhh, double[] dhOut) {
            int h3 = 3 * hidden;
            double[][][] hs = states(x, wih, whh, bih, bhh);
            double[] dx = new double[batch * time * input], dwih = new double[h3 * input], dwhh = new double[h3 * hidden];
            double[] dbih = new double[h3], dbhh = new double[h3];
            for (int b = 0; b < batch; b++) {
                double[] dh = Arrays.copyOfRange(dhOut, b * hidden, (b + 1) * hidden);
                for (int t = time - 1; t >= 0; t--) {
                    double[] h = hs[b][t], gi = new double[h3], gh = new double[h3];
                    for (int j = 0; j < h3; j++) {
                        gi[j] = bih[j];
                        gh[j] = bhh[j];
                        for (int i = 0; i < input; i++) gi[j] += wih[j * input + i] * x[(b * time + t) * input + i];
                        for (int i = 0; i < hidden; i++) gh[j] += whh[j * hidden + i] * h[i];
                    }
                    double[] dgi = new double[h3], dgh = new double[h3], dhPrev = new double[hidden];
                    for (int j = 0; j < hidden; j++) {
                        double rr = sigmoid(gi[j] + gh[j]), z = sigmoid(gi[hidden + j] + gh[hidden + j]);
                        double n = Math.tanh(gi[2 * hidden + j] + rr * gh[2 * hidden + j]);
                        double dn = dh[j] * (1 - z) * (1 - n * n), dz = dh[j] * (h[j] - n) * z * (1 - z);
                        double dr = dn * gh[2 * hidden + j] * rr * (1 - rr);
                        dgi[j] = dr;
                        dgi[hidden + j] = dz;
                        dgi[2 * hidden + j] = dn;
                        dgh[j] = dr;
                        dgh[hidden + j] = dz;
                        dgh[2 * hidden + j] = dn * rr;
                        dhPrev[j] = dh[j] * z;
                    }
                    for (int j = 0; j < h3; j++) {
                        dbih[j] += dgi[j];
                        dbhh[j] += dgh[j];
                        for (int i = 0; i < input; i++) {
                            dwih[j * input + i] += dgi[j] * x[(b * time + t) * input + i];
                            dx[(b * time + t) * input + i] += dgi[j] * wih[j * input + i];
                        }
                        for (int i = 0; i < hidden; i++) {
                            dwhh[j * hidden + i] += dgh[j] * h[i];
                            dhPrev[i] += dgh[j] * whh[j * hidden + i];
                        }
                    }
                    dh = dhPrev;
                }
            }
            return new double[][] {dx, dwih, dwhh, dbih, dbhh};
        }
    }

    private void checkGru(Gru p) {
        Random r = new Random(p.batch() * 1000L + p.time() * 100L + p.hidden());
        int h3 = 3 * p.hidden();
        double[] x = uniform(r, p.batch() * p.time() * p.input(), -1, 1);
        double[] wih = uniform(r, h3 * p.input(), -0.6, 0.6), whh = uniform(r, h3 * p.hidden(), -0.6, 0.6);
        double[] bih = uniform(r, h3, -0.5, 0.5), bhh = uniform(r, h3, -0.5, 0.5);
        double[] dh = uniform(r, p.batch() * p.hidden(), -1, 1);
        double[][] params = {x, wih, whh, bih, bhh};
        MemorySegment[] grads = {nans(x.length), nans(wih.length), nans(whh.length), nans(h3), nans(h3)};
        BackwardKernels.gruLast(floats(x), floats(wih), floats(whh), floats(bih), floats(bhh), floats(dh), grads[0],
                grads[1], grads[2], grads[3], grads[4], p.batch(), p.time(), p.input(), p.hidden());
        double[][] want = p.backward(x, wih, whh, bih, bhh, dh);
        String[] names = {"dx", "dw_ih", "dw_hh", "db_ih", "db_hh"};
        for (int k = 0; k < names.length; k++) {
            double[] got = read(grads[k], params[k].length);
            close("gru " + p + " " + names[k], want[k], got);
            if (params[k].length == 0) continue;
            final int which = k;
            finiteDifferences("gru " + p + " " + names[k], params[k], got, v -> {
                double[][] ps = params.clone();
                ps[which] = v;
                return p.loss(ps[0], ps[1], ps[2], ps[3], ps[4], dh);
            }, r, 4);
        }
    }

    @Test
    void gruGradients() {
        checkGru(new Gru(2, 5, 4, 3));
        checkGru(new Gru(3, 9, 6, 5));
        checkGru(new Gru(1, 1, 2, 2));
        checkGru(new Gru(2, 0, 3, 2)); // no steps: h_out = 0, every parameter gradient 0
    }
}
