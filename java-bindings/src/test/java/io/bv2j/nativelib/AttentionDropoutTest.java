package io.bv2j.nativelib;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropout on the attention probabilities of bv2j_rel_attention / bv2j_rel_attention_backward: the
 * mask comes from the counter-based hash of native/src/counter_rng.h, ported here bit for bit,
 * and is never stored, so the backward must regenerate exactly the forward's.
 */
class AttentionDropoutTest {
    private static final double FD_STEP = 1e-6;
    private static final int WINDOW = 4;
    private static final long SEED = 0xDEADBEEFCAFEF00DL; // high bit set: uint64 semantics on the C side

    // ------------------------------------------------------------------ the hash, ported

    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long child(long key, long n) {
        return mix64(key + (n + 1) * GAMMA);
    }

    static float uniform(long bits) {
        return (float) (bits >>> 40) * 0x1.0p-24f;
    }

    /** Multiplier of p[b, h, i, j]: 0 when dropped, else 1/(1-p) as the kernel computes it in float. */
    static double dropMultiplier(long seed, int b, int h, int i, int j, float p) {
        if (p == 0f) return 1;
        boolean keep = uniform(child(child(child(child(seed, b), h), i), j)) >= p;
        return keep ? 1.0f / (1.0f - p) : 0;
    }

    // ------------------------------------------------------------------ problems

    private record Attn(int batch, int heads, int dim, int time, double[][] tensors, float[] maskQ, float[] maskK,
                        float[] fullMask, double[] r) {
        static final int Q = 0, K = 1, V = 2, EK = 3, EV = 4;
        static final String[] NAMES = {"q", "k", "v", "emb_k", "emb_v"};

        int n() {
            return batch * heads * dim * time;
        }

        int emb() {
            return (2 * WINDOW + 1) * dim;
        }
    }

    private static Attn random(Random rnd, int batch, int heads, int dim, int time, boolean full) {
        int n = batch * heads * dim * time, emb = (2 * WINDOW + 1) * dim;
        double[][] t = {gaussian(rnd, n), gaussian(rnd, n), gaussian(rnd, n), gaussian(rnd, emb), gaussian(rnd, emb)};
        float[] maskQ = null, maskK = null, fullMask = null;
        if (full) {
            fullMask = new float[batch * time * time];
            for (int i = 0; i < fullMask.length; i++) fullMask[i] = rnd.nextDouble() < 0.3 ? 0f : 1f;
            for (int j = 0; j < time; j++) fullMask[(time + time - 1) * time + j] = 0f; // a fully masked row
        } else {
            maskQ = new float[batch * time];
            for (int b = 0; b < batch; b++) {
                int length = b == 0 ? time : Math.max(1, time - 2);
                for (int i = 0; i < length; i++) maskQ[b * time + i] = 1f;
            }
            maskK = maskQ.clone();
        }
        return new Attn(batch, heads, dim, time, t, maskQ, maskK, fullMask, gaussian(rnd, n));
    }

    /** Textbook windowed relative attention in double with the dropout mask of (seed, p) applied
     * to the probabilities that weigh both v and emb_v; t = {q, k, v, emb_k, emb_v}. */
    private static double[] forward(Attn a, double[][] t, float p, long seed) {
        int heads = a.heads(), dim = a.dim(), time = a.time();
        double scale = 1.0 / Math.sqrt(dim);
        double[] out = new double[a.n()];
        double[] s = new double[time];
        for (int b = 0; b < a.batch(); b++)
            for (int h = 0; h < heads; h++) {
                int base = (b * heads + h) * dim * time;
                for (int i = 0; i < time; i++) {
                    double mx = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < time; j++) {
                        int rel = j - i;
                        boolean window = Math.abs(rel) <= WINDOW;
                        double dot = 0;
                        for (int c = 0; c < dim; c++) {
                            double key = t[Attn.K][base + c * time + j] + (window ? t[Attn.EK][(rel + WINDOW) * dim + c] : 0);
                            dot += t[Attn.Q][base + c * time + i] * scale * key;
                        }
                        s[j] = masked(a, b, i, j) ? -1e4 : dot;
                        mx = Math.max(mx, s[j]);
                    }
                    for (int j = 0; j < time; j++) sum += s[j] = Math.exp(s[j] - mx);
                    for (int j = 0; j < time; j++) {
                        double w = s[j] / sum * dropMultiplier(seed, b, h, i, j, p);
                        if (w == 0) continue;
                        int rel = j - i;
                        boolean window = Math.abs(rel) <= WINDOW;
                        for (int c = 0; c < dim; c++) {
                            double value = t[Attn.V][base + c * time + j] + (window ? t[Attn.EV][(rel + WINDOW) * dim + c] : 0);
                            out[base + c * time + i] += w * value;
                        }
                    }
                }
            }
        return out;
    }

    private static boolean masked(Attn a, int b, int i, int j) {
        int time = a.time();
        if (a.fullMask() != null) return a.fullMask()[(b * time + i) * time + j] == 0f;
        return a.maskQ()[b * time + i] * a.maskK()[b * time + j] == 0f;
    }

    /** Runs the native forward. */
    private static float[] nativeForward(Arena arena, Attn a, MemorySegment[] in, float p, long seed) {
        MemorySegment out = arena.allocate(JAVA_FLOAT, a.n());
        Kernels.relAttention(in[0], in[1], in[2], in[3], in[4], segment(arena, a.maskQ()), segment(arena, a.maskK()),
                segment(arena, a.fullMask()), out, a.batch(), a.heads(), a.dim(), a.time(), WINDOW, p, seed);
        return read(out, a.n());
    }

    /** Runs the native backward with upstream r: {dq, dk, dv, demb_k, demb_v}. */
    private static float[][] nativeBackward(Arena arena, Attn a, MemorySegment[] in, float p, long seed) {
        int n = a.n(), emb = a.emb();
        MemorySegment[] g = {arena.allocate(JAVA_FLOAT, n), arena.allocate(JAVA_FLOAT, n),
                arena.allocate(JAVA_FLOAT, n), arena.allocate(JAVA_FLOAT, emb), arena.allocate(JAVA_FLOAT, emb)};
        for (MemorySegment s : g) s.fill((byte) 0x7f); // the kernel must overwrite
        BackwardKernels.relAttention(in[0], in[1], in[2], in[3], in[4], segment(arena, a.maskQ()),
                segment(arena, a.maskK()), segment(arena, a.fullMask()), segment(arena, toFloat(a.r())), g[0], g[1],
                g[2], g[3], g[4], a.batch(), a.heads(), a.dim(), a.time(), WINDOW, p, seed);
        float[][] r = new float[5][];
        for (int i = 0; i < 5; i++) r[i] = read(g[i], i < 3 ? n : emb);
        return r;
    }

    private static MemorySegment[] inputs(Arena arena, Attn a) {
        MemorySegment[] in = new MemorySegment[5];
        for (int i = 0; i < 5; i++) in[i] = segment(arena, toFloat(a.tensors()[i]));
        return in;
    }

    // ------------------------------------------------------------------ (a) p = 0

    /** p = 0 is the plain kernel: the textbook formula, and the seed changes no bit of forward or backward. */
    @ParameterizedTest(name = "H={0} T={1} fullMask={2}")
    @CsvSource({"1,9,false", "2,9,true", "2,17,false"})
    void zeroProbabilityIsThePlainKernel(int heads, int time, boolean full) {
        Attn a = random(new Random(7L * heads + time + (full ? 100 : 0)), 2, heads, 8, time, full);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] in = inputs(arena, a);
            float[] y0 = nativeForward(arena, a, in, 0f, 0L);
            assertClose("forward p=0", y0, forward(a, a.tensors(), 0f, 0L), 1e-5);
            assertArrayEquals(y0, nativeForward(arena, a, in, 0f, SEED), "p=0 forward must ignore the seed");
            float[][] g0 = nativeBackward(arena, a, in, 0f, 0L), g1 = nativeBackward(arena, a, in, 0f, SEED);
            for (int i = 0; i < 5; i++) assertArrayEquals(g0[i], g1[i], "p=0 d" + Attn.NAMES[i] + " must ignore the seed");
        }
    }

    // ------------------------------------------------------------------ (b) forward with the mask

    @ParameterizedTest(name = "H={0} T={1} fullMask={2} p={3}")
    @CsvSource({"1,9,false,0.3", "2,9,true,0.3", "2,33,false,0.3", "2,33,true,0.5", "1,5,false,0.9"})
    void forwardAppliesTheHashedMask(int heads, int time, boolean full, float p) {
        Attn a = random(new Random(31L * heads + time + (full ? 1000 : 0)), 2, heads, 8, time, full);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] in = inputs(arena, a);
            float[] y = nativeForward(arena, a, in, p, SEED);
            assertClose("forward p=" + p, y, forward(a, a.tensors(), p, SEED), 1e-5);
            assertArrayEquals(y, nativeForward(arena, a, in, p, SEED), "same seed, same output");
            assertFalse(java.util.Arrays.equals(y, nativeForward(arena, a, in, p, SEED + 1)), "another seed, another mask");
            // The mask is really there: the undropped reference is far from the output.
            double[] plain = forward(a, a.tensors(), 0f, 0L);
            assertTrue(relL2(y, plain) > 1e-2, "dropout changed nothing");
        }
    }

    // ------------------------------------------------------------------ (c) backward

    @ParameterizedTest(name = "H={0} T={1} fullMask={2} p={3}")
    @CsvSource({"1,9,false,0.3", "2,9,false,0.5", "2,9,true,0.3", "1,3,true,0.1", "2,16,false,0.3",
            "1,1,false,0.3"})
    void backwardMatchesFiniteDifferences(int heads, int time, boolean full, float p) {
        Random rnd = new Random(1000L * heads + 10L * time + (full ? 1 : 0));
        Attn a = random(rnd, 2, heads, 4 + rnd.nextInt(5), time, full);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] in = inputs(arena, a);
            float[][] grads = nativeBackward(arena, a, in, p, SEED);
            ToDoubleFunction<double[][]> loss = t -> dot(forward(a, t, p, SEED), a.r());
            for (int i = 0; i < 5; i++) {
                double[] fd = finiteDifference(loss, a.tensors(), i);
                assertClose("d" + Attn.NAMES[i] + " p=" + p, grads[i], fd, 1e-4);
            }
        }
    }

    // ------------------------------------------------------------------ (d) drop rate

    /**
     * With q = k = 0 and no embeddings every probability is 1/T; with D = 1 and v = 1 each output
     * is (kept entries of its row) / (T (1-p)), so the kernel itself reports its drop rate.
     */
    @ParameterizedTest(name = "p={0}")
    @CsvSource({"0.1", "0.3", "0.5"})
    void dropRateIsP(float p) {
        int batch = 2, heads = 2, time = 2048, n = batch * heads * time, emb = 2 * WINDOW + 1;
        float[] ones = new float[n], maskQ = new float[batch * time];
        java.util.Arrays.fill(ones, 1f);
        java.util.Arrays.fill(maskQ, 1f);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zero = arena.allocate(JAVA_FLOAT, n), zeroEmb = arena.allocate(JAVA_FLOAT, emb);
            MemorySegment mask = segment(arena, maskQ), v = segment(arena, ones), out = arena.allocate(JAVA_FLOAT, n);
            Kernels.relAttention(zero, zero, v, zeroEmb, zeroEmb, mask, mask, MemorySegment.NULL, out, batch, heads, 1,
                    time, WINDOW, p, SEED);
            float[] y = read(out, n);
            double kept = 0;
            long portKept = 0;
            for (int row = 0; row < n; row++) {
                double rowKept = y[row] * (1.0 - p) * time;
                assertEquals(Math.rint(rowKept), rowKept, 0.05, "row " + row + " kept count");
                kept += Math.rint(rowKept);
                int b = row / (heads * time), h = (row / time) % heads, i = row % time;
                for (int j = 0; j < time; j++) if (dropMultiplier(SEED, b, h, i, j, p) != 0) portKept++;
            }
            assertEquals((double) portKept, kept, 1e-9, "the kernel's mask is the ported hash's");
            double entries = (double) n * time, dropped = 1 - kept / entries;
            double sigma = Math.sqrt(p * (1 - p) / entries);
            System.out.printf("p=%.2f dropped fraction %.6f (%.1f sigma)%n", p, dropped, (dropped - p) / sigma);
            assertEquals(p, dropped, 5 * sigma, "dropped fraction");
        }
    }

    @Test
    void rejectsInvalidProbabilities() {
        Attn a = random(new Random(5), 1, 1, 4, 3, false);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] in = inputs(arena, a);
            for (float p : new float[]{1f, 1.5f, -0.1f, Float.NaN}) {
                assertThrows(IllegalArgumentException.class, () -> nativeForward(arena, a, in, p, SEED), "forward p=" + p);
                assertThrows(IllegalArgumentException.class, () -> nativeBackward(arena, a, in, p, SEED), "backward p=" + p);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static double[] finiteDifference(ToDoubleFunction<double[][]> loss, double[][] tensors, int which) {
        double[] t = tensors[which], grad = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double keep = t[i];
            t[i] = keep + FD_STEP;
            double up = loss.applyAsDouble(tensors);
            t[i] = keep - FD_STEP;
            double down = loss.applyAsDouble(tensors);
            t[i] = keep;
            grad[i] = (up - down) / (2 * FD_STEP);
        }
        return grad;
    }

    private static double relL2(float[] got, double[] want) {
        double diff = 0, norm = 0;
        for (int i = 0; i < got.length; i++) {
            double d = got[i] - want[i];
            diff += d * d;
            norm += want[i] * want[i];
        }
        return Math.sqrt(diff / Math.max(norm, 1e-30));
    }

    private static void assertClose(String what, float[] got, double[] want, double tolerance) {
        assertEquals(want.length, got.length, what + " length");
        double worst = 0;
        for (int i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
        double rel = relL2(got, want);
        System.out.printf("%-22s rel L2 %.3e  max abs %.3e%n", what, rel, worst);
        assertTrue(rel <= tolerance, what + ": relative L2 error " + rel + " (max abs " + worst + ")");
    }

    private static double[] gaussian(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    private static MemorySegment segment(Arena arena, float[] v) {
        return v == null ? MemorySegment.NULL : arena.allocateFrom(JAVA_FLOAT, v);
    }

    private static float[] read(MemorySegment s, int n) {
        return s.asSlice(0, (long) n * Float.BYTES).toArray(JAVA_FLOAT);
    }
}
