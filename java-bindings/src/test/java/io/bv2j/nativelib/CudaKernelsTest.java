package io.bv2j.nativelib;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each CUDA kernel against the CPU kernel of the same name on random shapes (odd lengths,
 * batch > 1, broadcast and per-step conditioning, both spline directions, several upsampling
 * factors). Sums run in another order on the GPU, so results agree to float32 rounding of the
 * sums (relative L2 1e-6), not bit for bit.
 */
class CudaKernelsTest {
    private static final double TOL = 1e-6;
    private final Random rnd = new Random(15);
    private CudaKernels gpu;

    @BeforeEach
    void needGpu() {
        OnCuda.assumeGpu();
        gpu = new CudaKernels();
    }

    @Test
    void wnGateForwardAndBackward() {
        int[][] shapes = {{1, 4, 7}, {3, 16, 129}, {2, 192, 1001}};
        for (int[] s : shapes) {
            for (boolean perStep : new boolean[]{false, true}) {
                int b = s[0], h = s[1], t = s[2];
                float[] x = random(b * 2 * h * t), dout = random(b * h * t);
                float[] g = random(perStep ? b * 2 * h * t : b * 2 * h);
                long gbs = perStep ? 2L * h * t : 2L * h, gcs = perStep ? t : 1, gts = perStep ? 1 : 0;
                float[] cpuOut = new float[b * h * t], cpuDx = new float[b * 2 * h * t], cpuDg = new float[g.length];
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment xs = seg(a, x), gs = seg(a, g), o = seg(a, cpuOut), d = seg(a, dout),
                            dx = seg(a, cpuDx), dg = seg(a, cpuDg);
                    Kernels.wnGate(xs, gs, gbs, gcs, gts, o, b, h, t);
                    BackwardKernels.wnGate(xs, gs, gbs, gcs, gts, d, dx, dg, b, h, t);
                    cpuOut = floats(o);
                    cpuDx = floats(dx);
                    cpuDg = floats(dg);
                }
                try (CudaContext ctx = CudaContext.open(0); CudaBuffer xd = ctx.upload(x); CudaBuffer gd = ctx.upload(g);
                     CudaBuffer od = ctx.allocate(b * h * t, 4); CudaBuffer dd = ctx.upload(dout);
                     CudaBuffer dxd = ctx.allocate(b * 2L * h * t, 4); CudaBuffer dgd = ctx.upload(new float[g.length])) {
                    gpu.wnGate(ctx, xd, gd, gbs, gcs, gts, od, b, h, t);
                    gpu.wnGateBackward(ctx, xd, gd, gbs, gcs, gts, dd, dxd, dgd, b, h, t);
                    String at = "wn_gate " + b + "x" + h + "x" + t + (perStep ? " per step" : " broadcast");
                    close(cpuOut, ctx.download(od), at + " out");
                    close(cpuDx, ctx.download(dxd), at + " dx");
                    close(cpuDg, ctx.download(dgd), at + " dg");
                }
            }
        }
    }

    @Test
    void splineBothDirectionsForwardAndBackward() {
        int[][] shapes = {{1, 1, 5}, {2, 3, 37}, {4, 2, 301}};
        for (int[] s : shapes) {
            for (boolean inverse : new boolean[]{false, true}) {
                int b = s[0], c = s[1], t = s[2], bins = 10, per = 3 * bins - 1;
                float bound = 5f, scale = (float) Math.sqrt(192);
                float[] x = random(b * c * t);
                for (int i = 0; i < x.length; i++) x[i] *= 6f; // some in the linear tails
                float[] h = random(b * c * per * t), dy = random(b * c * t), dl = random(b * c * t);
                for (int i = 0; i < h.length; i++) h[i] *= 3f;
                float[] cy, cl, cdx, cdh;
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment xs = seg(a, x), hs = seg(a, h), y = seg(a, new float[x.length]),
                            l = seg(a, new float[x.length]), dys = seg(a, dy), dls = seg(a, dl),
                            dx = seg(a, new float[x.length]), dh = seg(a, new float[h.length]);
                    Kernels.rqSpline(xs, hs, y, l, b, c, t, bins, bound, scale, inverse);
                    BackwardKernels.rqSpline(xs, hs, dys, dls, dx, dh, b, c, t, bins, bound, scale, inverse);
                    cy = floats(y);
                    cl = floats(l);
                    cdx = floats(dx);
                    cdh = floats(dh);
                }
                try (CudaContext ctx = CudaContext.open(0); CudaBuffer xd = ctx.upload(x); CudaBuffer hd = ctx.upload(h);
                     CudaBuffer yd = ctx.allocate(x.length, 4); CudaBuffer ld = ctx.allocate(x.length, 4);
                     CudaBuffer dyd = ctx.upload(dy); CudaBuffer dld = ctx.upload(dl);
                     CudaBuffer dxd = ctx.allocate(x.length, 4); CudaBuffer dhd = ctx.allocate(h.length, 4)) {
                    gpu.rqSpline(ctx, xd, hd, yd, ld, b, c, t, bins, bound, scale, inverse);
                    gpu.rqSplineBackward(ctx, xd, hd, dyd, dld, dxd, dhd, b, c, t, bins, bound, scale, inverse);
                    String at = "rq_spline " + b + "x" + c + "x" + t + (inverse ? " inverse" : " forward");
                    close(cy, ctx.download(yd), at + " y");
                    close(cl, ctx.download(ld), at + " logabsdet");
                    close(cdx, ctx.download(dxd), at + " dx");
                    close(cdh, ctx.download(dhd), at + " dh");
                }
            }
        }
    }

    @Test
    void transposedConvolutionForwardAndBackward() {
        // {batch, cIn, tIn, cOut, kernel, stride}; padding (k - u) / 2 as HiFi-GAN's upsampling
        int[][] cases = {{1, 3, 5, 2, 4, 2}, {2, 16, 33, 8, 16, 8}, {3, 8, 17, 4, 11, 5}, {2, 32, 64, 16, 4, 2}};
        for (int[] c : cases) {
            int b = c[0], ci = c[1], ti = c[2], co = c[3], k = c[4], st = c[5], pad = (k - st) / 2;
            int to = (ti - 1) * st - 2 * pad + k;
            float[] x = random(b * ci * ti), w = random(ci * co * k), bias = random(co), dy = random(b * co * to);
            float[] cy, cdx, cdw, cdb;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment xs = seg(a, x), ws = seg(a, w), bs = seg(a, bias), y = seg(a, new float[b * co * to]),
                        dys = seg(a, dy), dx = seg(a, new float[x.length]), dw = seg(a, new float[w.length]),
                        db = seg(a, new float[co]);
                Kernels.convTranspose1d(xs, ws, bs, y, b, ci, ti, co, to, k, st, pad);
                BackwardKernels.convTranspose1dInput(dys, ws, dx, b, ci, ti, co, to, k, st, pad);
                BackwardKernels.convTranspose1dWeight(xs, dys, dw, db, b, ci, ti, co, to, k, st, pad);
                cy = floats(y);
                cdx = floats(dx);
                cdw = floats(dw);
                cdb = floats(db);
            }
            try (CudaContext ctx = CudaContext.open(0); CudaBuffer xd = ctx.upload(x); CudaBuffer wd = ctx.upload(w);
                 CudaBuffer bd = ctx.upload(bias); CudaBuffer yd = ctx.allocate(b * co * to, 4);
                 CudaBuffer dyd = ctx.upload(dy); CudaBuffer dxd = ctx.allocate(x.length, 4);
                 CudaBuffer dwd = ctx.allocate(w.length, 4); CudaBuffer dbd = ctx.allocate(co, 4)) {
                gpu.convTranspose1d(ctx, xd, wd, bd, yd, b, ci, ti, co, to, k, st, pad);
                gpu.convTranspose1dInput(ctx, dyd, wd, dxd, b, ci, ti, co, to, k, st, pad);
                gpu.convTranspose1dWeight(ctx, xd, dyd, dwd, dbd, b, ci, ti, co, to, k, st, pad);
                String at = "conv_transpose1d " + java.util.Arrays.toString(c);
                close(cy, ctx.download(yd), at + " y");
                close(cdx, ctx.download(dxd), at + " dx");
                close(cdw, ctx.download(dwd), at + " dw");
                close(cdb, ctx.download(dbd), at + " db");
            }
        }
    }

    private float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }

    private static MemorySegment seg(Arena a, float[] v) {
        return a.allocateFrom(ValueLayout.JAVA_FLOAT, v);
    }

    private static float[] floats(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_FLOAT);
    }

    private static void close(float[] want, float[] got, String what) {
        double num = 0, den = 0;
        for (int i = 0; i < want.length; i++) {
            double d = (double) got[i] - want[i];
            num += d * d;
            den += (double) want[i] * want[i];
            assertTrue(Double.isFinite(got[i]), what + ": element " + i + " is " + got[i]);
        }
        double rel = Math.sqrt(num / Math.max(den, 1e-30));
        assertTrue(rel <= TOL, what + ": relative L2 " + rel + " > " + TOL);
    }
}
