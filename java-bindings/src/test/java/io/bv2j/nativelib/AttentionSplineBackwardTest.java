package io.bv2j.nativelib;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bv2j_rel_attention_backward and bv2j_rq_spline_backward against central finite differences of
 * plain double-precision Java ports of the forward formulas, and the attention kernel (wrapped in
 * 1x1 convolutions) against the reference module's gradients.
 */
class AttentionSplineBackwardTest {
    private static final double FD_STEP = 1e-6;
    private static final double TOLERANCE = 1e-4;
    private static final int WINDOW = 4;
    private static final float TAIL_BOUND = 5.0f;

    // ------------------------------------------------------------------ attention

    /** One attention problem: inputs [B, H*D, T], embeddings [2W+1, D], masks, upstream r. */
    private record Attn(int batch, int heads, int dim, int time, double[][] tensors, float[] maskQ,
                        float[] maskK, float[] fullMask, double[] r) {
        static final int Q = 0, K = 1, V = 2, EK = 3, EV = 4;
        static final String[] NAMES = {"q", "k", "v", "emb_k", "emb_v"};
    }

    @ParameterizedTest(name = "H={0} T={1} fullMask={2}")
    @CsvSource({"1,1,false", "1,3,false", "1,9,false", "2,1,false", "2,3,false", "2,9,false",
            "1,1,true", "1,3,true", "2,9,true", "1,9,true"})
    void attentionMatchesFiniteDifferences(int heads, int time, boolean full) {
        Random rnd = new Random(1000L * heads + 10L * time + (full ? 1 : 0));
        Attn a = randomAttention(rnd, 2, heads, 4 + rnd.nextInt(5), time, full);
        int channels = a.heads() * a.dim(), n = a.batch() * channels * a.time(), emb = (2 * WINDOW + 1) * a.dim();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] in = new MemorySegment[5];
            for (int i = 0; i < 5; i++) in[i] = segment(arena, toFloat(a.tensors()[i]));
            MemorySegment maskQ = segment(arena, a.maskQ()), maskK = segment(arena, a.maskK());
            MemorySegment fullMask = segment(arena, a.fullMask());
            MemorySegment out = arena.allocate(JAVA_FLOAT, n);
            Kernels.relAttention(in[0], in[1], in[2], in[3], in[4], maskQ, maskK, fullMask, out, a.batch(),
                    a.heads(), a.dim(), a.time(), WINDOW, 0f, 0L);
            assertClose("forward", read(out, n), attentionForward(a, a.tensors()), 1e-5);

            MemorySegment[] grads = {arena.allocate(JAVA_FLOAT, n), arena.allocate(JAVA_FLOAT, n),
                    arena.allocate(JAVA_FLOAT, n), arena.allocate(JAVA_FLOAT, emb), arena.allocate(JAVA_FLOAT, emb)};
            // Garbage first: the kernel must overwrite, not accumulate.
            for (MemorySegment g : grads) g.fill((byte) 0x7f);
            BackwardKernels.relAttention(in[0], in[1], in[2], in[3], in[4], maskQ, maskK, fullMask,
                    segment(arena, toFloat(a.r())), grads[0], grads[1], grads[2], grads[3], grads[4], a.batch(),
                    a.heads(), a.dim(), a.time(), WINDOW, 0f, 0L);
            ToDoubleFunction<double[][]> loss = t -> dot(attentionForward(a, t), a.r());
            for (int i = 0; i < 5; i++) {
                double[] fd = finiteDifference(loss, a.tensors(), i);
                assertClose("d" + Attn.NAMES[i], read(grads[i], fd.length), fd, TOLERANCE);
            }
        }
    }

    /** Either vector masks with padding in the second batch row, or a random full mask with one
     * fully masked query row (softmax over -1e4 everywhere: uniform). */
    private static Attn randomAttention(Random rnd, int batch, int heads, int dim, int time, boolean full) {
        int n = batch * heads * dim * time, emb = (2 * WINDOW + 1) * dim;
        double[][] t = {gaussian(rnd, n), gaussian(rnd, n), gaussian(rnd, n), gaussian(rnd, emb), gaussian(rnd, emb)};
        float[] maskQ = null, maskK = null, fullMask = null;
        if (full) {
            fullMask = new float[batch * time * time];
            for (int i = 0; i < fullMask.length; i++) fullMask[i] = rnd.nextDouble() < 0.3 ? 0f : 1f;
            for (int j = 0; j < time; j++) fullMask[(time + time - 1) * time + j] = 0f;
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

    /** Textbook windowed relative attention in double; t = {q, k, v, emb_k, emb_v}. */
    private static double[] attentionForward(Attn a, double[][] t) {
        int heads = a.heads(), dim = a.dim(), time = a.time();
        double scale = 1.0 / Math.sqrt(dim);
        double[] out = new double[a.batch() * heads * dim * time];
        double[] p = new double[time];
        for (int b = 0; b < a.batch(); b++)
            for (int h = 0; h < heads; h++) {
                int base = (b * heads + h) * dim * time; // [b, h*D + c, t] = base + c*T + t
                for (int i = 0; i < time; i++) {
                    double mx = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < time; j++) {
                        int rel = j - i;
                        boolean window = Math.abs(rel) <= WINDOW;
                        double s = 0;
                        for (int c = 0; c < dim; c++) {
                            double key = t[Attn.K][base + c * time + j] + (window ? t[Attn.EK][(rel + WINDOW) * dim + c] : 0);
                            s += t[Attn.Q][base + c * time + i] * scale * key;
                        }
                        p[j] = attentionMasked(a, b, i, j) ? -1e4 : s;
                        mx = Math.max(mx, p[j]);
                    }
                    for (int j = 0; j < time; j++) sum += p[j] = Math.exp(p[j] - mx);
                    for (int j = 0; j < time; j++) {
                        int rel = j - i;
                        boolean window = Math.abs(rel) <= WINDOW;
                        for (int c = 0; c < dim; c++) {
                            double value = t[Attn.V][base + c * time + j] + (window ? t[Attn.EV][(rel + WINDOW) * dim + c] : 0);
                            out[base + c * time + i] += p[j] / sum * value;
                        }
                    }
                }
            }
        return out;
    }

    private static boolean attentionMasked(Attn a, int b, int i, int j) {
        int time = a.time();
        if (a.fullMask() != null) return a.fullMask()[(b * time + i) * time + j] == 0f;
        return a.maskQ()[b * time + i] * a.maskK()[b * time + j] == 0f;
    }

    /**
     * The reference MultiHeadAttention(32, 32, heads 2, window 4) on mod(x, x, attn_mask), loss
     * sum(out * r): 1x1 convolutions in Java around the native forward and backward kernels.
     */
    @Test
    void attentionMatchesReferenceModuleGradients() throws IOException {
        Map<String, float[]> g = readSafetensors(goldenModule("attention.safetensors"));
        int batch = 2, channels = 32, heads = 2, dim = 16, time = 23, n = batch * channels * time;
        float[] x = g.get("in/x");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = segment(arena, conv1x1(g, "conv_q", x, batch, time));
            MemorySegment k = segment(arena, conv1x1(g, "conv_k", x, batch, time));
            MemorySegment v = segment(arena, conv1x1(g, "conv_v", x, batch, time));
            MemorySegment embK = segment(arena, g.get("param/emb_rel_k"));
            MemorySegment embV = segment(arena, g.get("param/emb_rel_v"));
            MemorySegment mask = segment(arena, g.get("in/attn_mask")); // [B, 1, T, T] = [B, T, T]
            MemorySegment att = arena.allocate(JAVA_FLOAT, n);
            Kernels.relAttention(q, k, v, embK, embV, MemorySegment.NULL, MemorySegment.NULL, mask, att, batch, heads,
                    dim, time, WINDOW, 0f, 0L);
            float[] attended = read(att, n);
            assertClose("out", conv1x1(g, "conv_o", attended, batch, time), toDouble(g.get("out/out")), 1e-4);

            float[] dAtt = conv1x1Input(g.get("param/conv_o.weight"), g.get("r/out"), batch, time);
            MemorySegment dq = arena.allocate(JAVA_FLOAT, n), dk = arena.allocate(JAVA_FLOAT, n);
            MemorySegment dv = arena.allocate(JAVA_FLOAT, n);
            MemorySegment dEmbK = arena.allocate(JAVA_FLOAT, 9 * dim), dEmbV = arena.allocate(JAVA_FLOAT, 9 * dim);
            BackwardKernels.relAttention(q, k, v, embK, embV, MemorySegment.NULL, MemorySegment.NULL, mask,
                    segment(arena, dAtt), dq, dk, dv, dEmbK, dEmbV, batch, heads, dim, time, WINDOW, 0f, 0L);
            float[][] dqkv = {read(dq, n), read(dk, n), read(dv, n)};
            String[] convs = {"conv_q", "conv_k", "conv_v"};
            double[] dx = new double[n];
            for (int i = 0; i < 3; i++) {
                float[] part = conv1x1Input(g.get("param/" + convs[i] + ".weight"), dqkv[i], batch, time);
                for (int e = 0; e < n; e++) dx[e] += part[e];
                assertClose("d" + convs[i] + ".weight", conv1x1Weight(x, dqkv[i], batch, time),
                        toDouble(g.get("grad/" + convs[i] + ".weight")), 1e-4);
            }
            assertClose("dx", toFloat(dx), toDouble(g.get("grad_in/x")), 1e-4);
            assertClose("demb_rel_k", read(dEmbK, 9 * dim), toDouble(g.get("grad/emb_rel_k")), 1e-4);
            assertClose("demb_rel_v", read(dEmbV, 9 * dim), toDouble(g.get("grad/emb_rel_v")), 1e-4);
        }
    }

    /** y[b, o, t] = sum_i W[o, i] x[b, i, t] + bias[o], square 32-channel weights. */
    private static float[] conv1x1(Map<String, float[]> g, String name, float[] x, int batch, int time) {
        float[] w = g.get("param/" + name + ".weight"), bias = g.get("param/" + name + ".bias");
        int c = bias.length;
        float[] y = new float[batch * c * time];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < c; o++)
                for (int t = 0; t < time; t++) {
                    double s = bias[o];
                    for (int i = 0; i < c; i++) s += (double) w[o * c + i] * x[(b * c + i) * time + t];
                    y[(b * c + o) * time + t] = (float) s;
                }
        return y;
    }

    /** dx[b, i, t] = sum_o W[o, i] dy[b, o, t]. */
    private static float[] conv1x1Input(float[] w, float[] dy, int batch, int time) {
        int c = (int) Math.round(Math.sqrt(w.length));
        float[] dx = new float[batch * c * time];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < c; i++)
                for (int t = 0; t < time; t++) {
                    double s = 0;
                    for (int o = 0; o < c; o++) s += (double) w[o * c + i] * dy[(b * c + o) * time + t];
                    dx[(b * c + i) * time + t] = (float) s;
                }
        return dx;
    }

    /** dW[o, i] = sum_{b, t} dy[b, o, t] x[b, i, t]. */
    private static float[] conv1x1Weight(float[] x, float[] dy, int batch, int time) {
        int c = x.length / (batch * time);
        float[] dw = new float[c * c];
        for (int o = 0; o < c; o++)
            for (int i = 0; i < c; i++) {
                double s = 0;
                for (int b = 0; b < batch; b++)
                    for (int t = 0; t < time; t++) s += (double) dy[(b * c + o) * time + t] * x[(b * c + i) * time + t];
                dw[o * c + i] = (float) s;
            }
        return dw;
    }

    // ------------------------------------------------------------------ spline

    /** One spline problem: x [B, C, T], raw parameters [B, C*(3K-1), T], upstream ry and rl. */
    private record Spline(int batch, int channels, int time, int bins, double scale, boolean inverse,
                          double[][] tensors, double[] ry, double[] rl) {
        static final int X = 0, H = 1;
    }

    @ParameterizedTest(name = "K={0} inverse={1} dy={2} dlogdet={3}")
    @CsvSource({"10,false,true,true", "10,true,true,true", "3,false,true,true", "3,true,true,true",
            "10,false,false,true", "10,true,true,false"})
    void splineMatchesFiniteDifferences(int bins, boolean inverse, boolean withDy, boolean withDlogdet) {
        Spline s = randomSpline(new Random(31L * bins + (inverse ? 7 : 0)), 2, 2, 12, bins, 2.0, inverse,
                withDy, withDlogdet);
        int n = s.batch() * s.channels() * s.time(), params = n * (3 * bins - 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = segment(arena, toFloat(s.tensors()[Spline.X]));
            MemorySegment h = segment(arena, toFloat(s.tensors()[Spline.H]));
            MemorySegment y = arena.allocate(JAVA_FLOAT, n), logdet = arena.allocate(JAVA_FLOAT, n);
            Kernels.rqSpline(x, h, y, logdet, s.batch(), s.channels(), s.time(), bins, TAIL_BOUND, (float) s.scale(),
                    inverse);
            double[][] want = splineForward(s, s.tensors());
            assertClose("y", read(y, n), want[0], 1e-5);
            assertClose("logabsdet", read(logdet, n), want[1], 1e-5);

            MemorySegment dx = arena.allocate(JAVA_FLOAT, n), dh = arena.allocate(JAVA_FLOAT, params);
            dx.fill((byte) 0x7f);
            dh.fill((byte) 0x7f);
            BackwardKernels.rqSpline(x, h, withDy ? segment(arena, toFloat(s.ry())) : MemorySegment.NULL,
                    withDlogdet ? segment(arena, toFloat(s.rl())) : MemorySegment.NULL, dx, dh, s.batch(),
                    s.channels(), s.time(), bins, TAIL_BOUND, (float) s.scale(), inverse);
            ToDoubleFunction<double[][]> loss = t -> {
                double[][] f = splineForward(s, t);
                return dot(f[0], s.ry()) + dot(f[1], s.rl());
            };
            assertClose("dx", read(dx, n), finiteDifference(loss, s.tensors(), Spline.X), TOLERANCE);
            assertClose("dh", read(dh, params), finiteDifference(loss, s.tensors(), Spline.H), TOLERANCE);
        }
    }

    /**
     * Parameters first, then inputs over [-6, 6] (some beyond the tail bound), each kept at least
     * 1e-3 away from every knot of its bin search and from the bound, where the map has kinks that
     * a finite difference would straddle. An absent upstream gradient is zero in the loss.
     */
    private static Spline randomSpline(Random rnd, int batch, int channels, int time, int bins, double scale,
                                       boolean inverse, boolean withDy, boolean withDlogdet) {
        int n = batch * channels * time, per = 3 * bins - 1;
        double[] h = gaussian(rnd, n * per);
        for (int i = 0; i < h.length; i++) h[i] = (float) (2 * h[i]);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            int b = i / (channels * time), c = (i / time) % channels, t = i % time;
            double[] knots = knots(h, (b * channels + c) * per * time + (inverse ? bins * time : 0) + t, time, bins,
                    scale);
            do {
                x[i] = (float) (12 * rnd.nextDouble() - 6);
            } while (nearAny(x[i], knots) || Math.abs(Math.abs(x[i]) - TAIL_BOUND) < 1e-3);
        }
        double[] ry = withDy ? gaussian(rnd, n) : new double[n], rl = withDlogdet ? gaussian(rnd, n) : new double[n];
        return new Spline(batch, channels, time, bins, scale, inverse, new double[][]{x, h}, ry, rl);
    }

    private static boolean nearAny(double x, double[] knots) {
        for (double k : knots) if (Math.abs(x - k) < 1e-3) return true;
        return false;
    }

    /** y and log|det| for every element (spline_math.h in double); t = {x, h}. */
    private static double[][] splineForward(Spline s, double[][] t) {
        int n = s.batch() * s.channels() * s.time(), per = 3 * s.bins() - 1, time = s.time();
        double[] y = new double[n], lad = new double[n];
        for (int i = 0; i < n; i++) {
            int bc = i / time, tt = i % time;
            double[] r = splineOne(t[Spline.X][i], t[Spline.H], bc * per * time + tt, time, s.bins(), s.scale(),
                    s.inverse());
            y[i] = r[0];
            lad[i] = r[1];
        }
        return new double[][]{y, lad};
    }

    /** {y, log|det|} of one element whose 3K-1 parameters start at raw[first], `stride` apart. */
    private static double[] splineOne(double x, double[] raw, int first, int stride, int bins, double scale,
                                      boolean inverse) {
        double bound = TAIL_BOUND;
        if (x < -bound || x > bound) return new double[]{x, 0};
        double[] cw = knots(raw, first, stride, bins, scale), ch = knots(raw, first + bins * stride, stride, bins, scale);
        double[] search = inverse ? ch : cw;
        int count = 0;
        for (int j = 0; j <= bins; j++) if (x >= (j == bins ? search[j] + 1e-6 : search[j])) count++;
        int bin = Math.clamp(count - 1, 0, bins - 1);
        int dBase = first + 2 * bins * stride;
        double dLo = bin == 0 ? 1 : 1e-3 + softplus(raw[dBase + (bin - 1) * stride]);
        double dHi = bin == bins - 1 ? 1 : 1e-3 + softplus(raw[dBase + bin * stride]);
        double w = cw[bin + 1] - cw[bin], h = ch[bin + 1] - ch[bin], delta = h / w, mid = dLo + dHi - 2 * delta;
        double theta, y;
        if (inverse) {
            double dy = x - ch[bin];
            double a = dy * mid + h * (delta - dLo), b = h * dLo - dy * mid, c = -delta * dy;
            theta = 2 * c / (-b - Math.sqrt(Math.max(b * b - 4 * a * c, 0)));
            y = theta * w + cw[bin];
        } else {
            theta = (x - cw[bin]) / w;
            double t1 = theta * (1 - theta);
            y = ch[bin] + h * (delta * theta * theta + dLo * t1) / (delta + mid * t1);
        }
        double t1 = theta * (1 - theta);
        double num = delta * delta * (dHi * theta * theta + 2 * delta * t1 + dLo * (1 - theta) * (1 - theta));
        double lad = Math.log(num) - 2 * Math.log(delta + mid * t1);
        return new double[]{y, inverse ? -lad : lad};
    }

    /** K+1 knots over [-B, B] from softmax(raw / scale) with minimum bin 1e-3, ends pinned. */
    private static double[] knots(double[] raw, int first, int stride, int bins, double scale) {
        double mx = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < bins; j++) mx = Math.max(mx, raw[first + j * stride] / scale);
        double[] e = new double[bins];
        for (int j = 0; j < bins; j++) sum += e[j] = Math.exp(raw[first + j * stride] / scale - mx);
        double[] k = new double[bins + 1];
        double cum = 0, bound = TAIL_BOUND;
        k[0] = -bound;
        for (int j = 0; j < bins; j++) {
            cum += 1e-3 + (1 - 1e-3 * bins) * e[j] / sum;
            k[j + 1] = 2 * bound * cum - bound;
        }
        k[bins] = bound;
        return k;
    }

    private static double softplus(double x) {
        return x > 20 ? x : Math.log1p(Math.exp(x));
    }

    // ------------------------------------------------------------------ shared helpers

    /** Central differences of loss with respect to every element of tensors[which]. */
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

    /** Relative L2 error, reported with the largest absolute error for diagnosis. */
    private static void assertClose(String what, float[] got, double[] want, double tolerance) {
        assertEquals(want.length, got.length, what + " length");
        double diff = 0, norm = 0, worst = 0;
        for (int i = 0; i < got.length; i++) {
            double d = got[i] - want[i];
            diff += d * d;
            norm += want[i] * want[i];
            worst = Math.max(worst, Math.abs(d));
        }
        double rel = Math.sqrt(diff / Math.max(norm, 1e-30));
        System.out.printf("%-16s rel L2 %.3e  max abs %.3e%n", what, rel, worst);
        assertTrue(rel <= tolerance, what + ": relative L2 error " + rel + " (max abs " + worst + ")");
    }

    /** Gaussians rounded to float, so the double ports see exactly what the kernels see. */
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

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    /** A native copy of v, or NULL for a null array (an absent optional argument). */
    private static MemorySegment segment(Arena arena, float[] v) {
        return v == null ? MemorySegment.NULL : arena.allocateFrom(JAVA_FLOAT, v);
    }

    private static float[] read(MemorySegment s, int n) {
        return s.asSlice(0, (long) n * Float.BYTES).toArray(JAVA_FLOAT);
    }

    // ------------------------------------------------------------------ golden data

    /** golden/dev/modules/NAME: $BV2J_GOLDEN, else the build's default, else shared/golden above
     * the working directory; the test is skipped when none exists. */
    private static Path goldenModule(String name) {
        for (String env : new String[]{"BV2J_GOLDEN", "BV2J_GOLDEN_DEFAULT"}) {
            String dir = System.getenv(env);
            if (dir != null && !dir.isBlank()) return Path.of(dir, "dev", "modules", name);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/golden/dev/modules").resolve(name);
            if (Files.isRegularFile(candidate)) return candidate;
        }
        Assumptions.abort("golden data not found (set BV2J_GOLDEN)");
        throw new AssertionError("unreachable");
    }

    private static final Pattern ENTRY = Pattern.compile(
            "\"([^\"]+)\"\\s*:\\s*\\{[^}]*\"dtype\"\\s*:\\s*\"F32\"[^}]*\"data_offsets\"\\s*:\\s*\\[(\\d+),\\s*(\\d+)]");

    /** Every F32 tensor of a safetensors file (8-byte LE header length, JSON header, data). */
    private static Map<String, float[]> readSafetensors(Path file) throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(file), "missing " + file);
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(all.getLong(0));
        String header = new String(all.array(), 8, headerLength, StandardCharsets.UTF_8);
        Map<String, float[]> tensors = new HashMap<>();
        Matcher m = ENTRY.matcher(header);
        while (m.find()) {
            int from = 8 + headerLength + Integer.parseInt(m.group(2)), to = 8 + headerLength + Integer.parseInt(m.group(3));
            float[] v = new float[(to - from) / Float.BYTES];
            all.slice(from, to - from).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            tensors.put(m.group(1), v);
        }
        return tensors;
    }
}
