package io.bv2j.tensor;

import io.bv2j.nativelib.BackwardKernels;
import io.bv2j.nativelib.Kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Tensor operations. Each checks shapes in Java, allocates its result in the current
 * {@link Scope} and runs one native kernel; the kernel never sees a size that was not checked.
 * While {@link Grad} records, each op also records how to differentiate it (the lambda passed to
 * Grad.record, run later with recording off).
 */
public final class Ops {
    private Ops() {
    }

    // ---- convolutions -------------------------------------------------------------------

    /** conv1d(x[B, Cin, T], w[Cout, Cin/groups, K], bias[Cout] or null), torch semantics. */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation, int groups) {
        return conv1d(x, w, bias, stride, padding, padding, dilation, groups);
    }

    /** Validates a conv1d's operands (before any native call) and returns its output length. */
    private static long conv1dLength(Tensor x, Tensor w, Tensor bias, int stride, int padLeft, int padRight,
                                     int dilation, int groups) {
        requireRank("conv1d input", x, 3);
        requireRank("conv1d weight", w, 3);
        int cIn = x.dim(1), t = x.dim(2), cOut = w.dim(0), k = w.dim(2);
        if (groups < 1 || cIn % groups != 0 || cOut % groups != 0 || w.dim(1) != cIn / groups) {
            throw new IllegalArgumentException("conv1d: weight " + Arrays.toString(w.shape()) + " does not fit input "
                    + Arrays.toString(x.shape()) + " with groups " + groups);
        }
        if (stride < 1 || dilation < 1 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("conv1d: bad stride/padding/dilation");
        }
        if (k < 1 || cIn < 1 || cOut < 1) throw new IllegalArgumentException("conv1d: empty kernel or channels " + Arrays.toString(w.shape()));
        requireBias("conv1d", bias, cOut);
        long span = (long) dilation * (k - 1) + 1;
        long tOut = ((long) t + padLeft + padRight - span) / stride + 1;
        return tOut < 0 || (long) t + padLeft + padRight < span ? 0 : tOut;
    }

    /**
     * conv1d(leakyRelu(x, inSlope), w) + bias + residual in one pass, the shape of every
     * convolution in HiFi-GAN's residual blocks: the activation is applied while gathering the
     * convolution's columns and bias and residual seed the GEMM's accumulator, so neither the
     * activated input nor the sum is ever written out. NaN inSlope: no activation; residual
     * [B, Cout, Tout] may be null. While gradients are recorded it runs as the separate ops.
     */
    public static Tensor conv1dFused(Tensor x, float inSlope, Tensor w, Tensor bias, int padding, int dilation,
                                     Tensor residual) {
        if (Grad.isRecording()) {
            Tensor in = Float.isNaN(inSlope) ? x : leakyRelu(x, inSlope);
            Tensor y = conv1d(in, w, bias, 1, padding, dilation, 1);
            return residual == null ? y : add(y, residual);
        }
        long tOut = conv1dLength(x, w, bias, 1, padding, padding, dilation, 1);
        int b = x.dim(0), cIn = x.dim(1), t = x.dim(2), cOut = w.dim(0), k = w.dim(2);
        if (residual != null && !Arrays.equals(residual.shape(), new int[]{b, cOut, (int) tOut})) {
            throw new IllegalArgumentException("conv1d: residual " + Arrays.toString(residual.shape())
                    + " does not match the output [" + b + ", " + cOut + ", " + tOut + "]");
        }
        Tensor y = Tensor.empty(b, cOut, (int) tOut);
        if (tOut > 0 && b > 0) {
            Kernels.conv1dFused(x.segment(), w.segment(), seg(bias), seg(residual), y.segment(), b, cIn, t, cOut, tOut,
                    k, 1, padding, dilation, inSlope);
        }
        return y;
    }

    /** conv1d with separate left/right zero padding (FFN's causal-free "same" padding). */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor bias, int stride, int padLeft, int padRight, int dilation,
                                int groups) {
        long tOut = conv1dLength(x, w, bias, stride, padLeft, padRight, dilation, groups);
        int b = x.dim(0), cIn = x.dim(1), t = x.dim(2), cOut = w.dim(0), k = w.dim(2);
        Tensor y = Tensor.empty(b, cOut, (int) tOut);
        if (tOut > 0 && b > 0) {
            Kernels.conv1d(x.segment(), w.segment(), seg(bias), y.segment(), b, cIn, t, cOut, tOut, k, stride,
                    padLeft, dilation, groups);
        }
        final long to = tOut;
        Grad.record(y, dy -> {
            Tensor dx = null, dw = null, db = null;
            if (x.requiresGrad()) {
                dx = to > 0 && b > 0 ? Tensor.empty(x.shape()) : Tensor.zeros(x.shape());
                if (to > 0 && b > 0) {
                    BackwardKernels.conv1dInput(dy.segment(), w.segment(), dx.segment(), b, cIn, t, cOut, to, k, stride,
                            padLeft, dilation, groups);
                }
            }
            if (w.requiresGrad() || (bias != null && bias.requiresGrad())) {
                dw = to > 0 && b > 0 ? Tensor.empty(w.shape()) : Tensor.zeros(w.shape());
                db = bias == null ? null : Tensor.zeros(cOut);
                if (to > 0 && b > 0) {
                    BackwardKernels.conv1dWeight(x.segment(), dy.segment(), dw.segment(), seg(db), b, cIn, t, cOut, to,
                            k, stride, padLeft, dilation, groups);
                }
            }
            return new Tensor[]{dx, dw, db};
        }, x, w, bias);
        return y;
    }

    /** conv_transpose1d(x[B, Cin, T], w[Cin, Cout, K]) with torch's output length. */
    public static Tensor convTranspose1d(Tensor x, Tensor w, Tensor bias, int stride, int padding) {
        requireRank("conv_transpose1d input", x, 3);
        requireRank("conv_transpose1d weight", w, 3);
        int b = x.dim(0), cIn = x.dim(1), t = x.dim(2), cOut = w.dim(1), k = w.dim(2);
        if (w.dim(0) != cIn) {
            throw new IllegalArgumentException("conv_transpose1d: weight " + Arrays.toString(w.shape())
                    + " does not fit input " + Arrays.toString(x.shape()));
        }
        if (k < 1 || cIn < 1 || cOut < 1) throw new IllegalArgumentException("conv_transpose1d: empty kernel or channels " + Arrays.toString(w.shape()));
        if (stride < 1 || padding < 0) throw new IllegalArgumentException("conv_transpose1d: bad stride/padding " + stride + "/" + padding);
        requireBias("conv_transpose1d", bias, cOut);
        long tOut = (long) (t - 1) * stride - 2L * padding + k;
        if (t == 0 || tOut < 0) tOut = 0;
        Tensor y = Tensor.empty(b, cOut, (int) tOut);
        if (tOut > 0 && b > 0) {
            Kernels.convTranspose1d(x.segment(), w.segment(), seg(bias), y.segment(), b, cIn, t, cOut, tOut, k,
                    stride, padding);
        }
        final long to = tOut;
        Grad.record(y, dy -> {
            Tensor dx = null, dw = null, db = null;
            if (x.requiresGrad()) {
                dx = to > 0 && b > 0 ? Tensor.empty(x.shape()) : Tensor.zeros(x.shape());
                if (to > 0 && b > 0) {
                    BackwardKernels.convTranspose1dInput(dy.segment(), w.segment(), dx.segment(), b, cIn, t, cOut, to,
                            k, stride, padding);
                }
            }
            if (w.requiresGrad() || (bias != null && bias.requiresGrad())) {
                dw = to > 0 && b > 0 ? Tensor.empty(w.shape()) : Tensor.zeros(w.shape());
                db = bias == null ? null : Tensor.zeros(cOut);
                if (to > 0 && b > 0) {
                    BackwardKernels.convTranspose1dWeight(x.segment(), dy.segment(), dw.segment(), seg(db), b, cIn, t,
                            cOut, to, k, stride, padding);
                }
            }
            return new Tensor[]{dx, dw, db};
        }, x, w, bias);
        return y;
    }

    /** conv2d(x[B, Cin, H, W], w[Cout, Cin, KH, KW]) with zero padding (ph, pw). */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int sh, int sw, int ph, int pw) {
        requireRank("conv2d input", x, 4);
        requireRank("conv2d weight", w, 4);
        int b = x.dim(0), cIn = x.dim(1), h = x.dim(2), wd = x.dim(3), cOut = w.dim(0), kh = w.dim(2), kw = w.dim(3);
        if (w.dim(1) != cIn) {
            throw new IllegalArgumentException("conv2d: weight " + Arrays.toString(w.shape()) + " does not fit input "
                    + Arrays.toString(x.shape()));
        }
        if (kh < 1 || kw < 1 || cIn < 1 || cOut < 1) throw new IllegalArgumentException("conv2d: empty kernel or channels " + Arrays.toString(w.shape()));
        if (sh < 1 || sw < 1 || ph < 0 || pw < 0) throw new IllegalArgumentException("conv2d: bad stride/padding");
        requireBias("conv2d", bias, cOut);
        int hOut = Math.max(0, (h + 2 * ph - kh) / sh + 1), wOut = Math.max(0, (wd + 2 * pw - kw) / sw + 1);
        if (h + 2 * ph < kh) hOut = 0;
        if (wd + 2 * pw < kw) wOut = 0;
        Tensor y = Tensor.empty(b, cOut, hOut, wOut);
        boolean nonEmpty = b > 0 && hOut > 0 && wOut > 0;
        if (nonEmpty) {
            Kernels.conv2d(x.segment(), w.segment(), seg(bias), y.segment(), b, cIn, h, wd, cOut, hOut, wOut, kh, kw,
                    sh, sw, ph, pw);
        }
        final int ho = hOut, wo = wOut;
        Grad.record(y, dy -> {
            Tensor dx = null, dw = null, db = null;
            if (x.requiresGrad()) {
                dx = nonEmpty ? Tensor.empty(x.shape()) : Tensor.zeros(x.shape());
                if (nonEmpty) {
                    BackwardKernels.conv2dInput(dy.segment(), w.segment(), dx.segment(), b, cIn, h, wd, cOut, ho, wo, kh,
                            kw, sh, sw, ph, pw);
                }
            }
            if (w.requiresGrad() || (bias != null && bias.requiresGrad())) {
                dw = nonEmpty ? Tensor.empty(w.shape()) : Tensor.zeros(w.shape());
                db = bias == null ? null : Tensor.zeros(cOut);
                if (nonEmpty) {
                    BackwardKernels.conv2dWeight(x.segment(), dy.segment(), dw.segment(), seg(db), b, cIn, h, wd, cOut,
                            ho, wo, kh, kw, sh, sw, ph, pw);
                }
            }
            return new Tensor[]{dx, dw, db};
        }, x, w, bias);
        return y;
    }

    // ---- matrix products ----------------------------------------------------------------

    /** a[..., M, K] @ b[..., K, N]; batch dims must match or b's batch may be 1 (broadcast). */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.rank() < 2 || b.rank() < 2) throw new IllegalArgumentException("matmul needs rank >= 2");
        int m = transA ? a.dim(-1) : a.dim(-2), ka = transA ? a.dim(-2) : a.dim(-1);
        int kb = transB ? b.dim(-1) : b.dim(-2), n = transB ? b.dim(-2) : b.dim(-1);
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: inner sizes differ " + Arrays.toString(a.shape()) + " x "
                    + Arrays.toString(b.shape()));
        }
        long batchA = product(a.shape(), 0, a.rank() - 2), batchB = product(b.shape(), 0, b.rank() - 2);
        boolean sameBatchDims = Arrays.equals(Arrays.copyOf(a.shape(), a.rank() - 2), Arrays.copyOf(b.shape(), b.rank() - 2));
        if (!sameBatchDims && batchB != 1) {
            throw new IllegalArgumentException("matmul: batch dims differ " + Arrays.toString(a.shape()) + " x "
                    + Arrays.toString(b.shape()));
        }
        int[] outShape = a.shape();
        outShape[outShape.length - 2] = m;
        outShape[outShape.length - 1] = n;
        Tensor y = ka > 0 ? Tensor.empty(outShape) : Tensor.zeros(outShape); // K = 0: no product writes y
        if (batchA > 0 && m > 0 && n > 0) {
            Kernels.sgemmBatched(transA, transB, m, n, ka, 1f, a.segment(), a.dim(-1), (long) m * ka, b.segment(),
                    b.dim(-1), batchB == 1 ? 0 : (long) ka * n, 0f, y.segment(), n, (long) m * n, batchA);
        }
        final boolean broadcastB = batchB == 1 && batchA > 1;
        Grad.record(y, dy -> {
            Tensor da = null, db = null;
            if (a.requiresGrad()) da = transA ? matmul(b, dy, transB, true) : matmul(dy, b, false, !transB);
            if (b.requiresGrad()) {
                Tensor full = transB ? matmul(dy, a, true, transA) : matmul(a, dy, !transA, false);
                db = broadcastB ? sumTo(full.reshape(-1, full.dim(-2), full.dim(-1)), new int[]{1, full.dim(-2),
                        full.dim(-1)}).reshape(b.shape()) : full;
            }
            return new Tensor[]{da, db};
        }, a, b);
        return y;
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    // ---- normalisation, activations -----------------------------------------------------

    /** Layer norm over the channels of x[B, C, T] (modules.LayerNorm). */
    public static Tensor layerNormChannels(Tensor x, Tensor gamma, Tensor beta, float eps) {
        requireRank("layer_norm input", x, 3);
        int c = x.dim(1);
        if (gamma.numel() != c || beta.numel() != c) {
            throw new IllegalArgumentException("layer_norm: gamma/beta must have " + c + " elements");
        }
        Tensor y = Tensor.empty(x.shape());
        if (x.numel() > 0) {
            Kernels.layerNormChannels(x.segment(), gamma.segment(), beta.segment(), y.segment(), x.dim(0), c, x.dim(2),
                    eps);
        }
        Grad.record(y, dy -> {
            Tensor dx = Tensor.zeros(x.shape()), dg = Tensor.zeros(gamma.shape()), dbeta = Tensor.zeros(beta.shape());
            if (x.numel() > 0) {
                BackwardKernels.layerNormChannels(x.segment(), gamma.segment(), dy.segment(), dx.segment(), dg.segment(),
                        dbeta.segment(), x.dim(0), c, x.dim(2), eps);
            }
            return new Tensor[]{dx, dg, dbeta};
        }, x, gamma, beta);
        return y;
    }

    public static Tensor relu(Tensor x) {
        return unary(Kernels.RELU, x, 0, 0);
    }

    public static Tensor leakyRelu(Tensor x, float slope) {
        return unary(Kernels.LEAKY_RELU, x, slope, 0);
    }

    public static Tensor tanh(Tensor x) {
        return unary(Kernels.TANH, x, 0, 0);
    }

    public static Tensor sigmoid(Tensor x) {
        return unary(Kernels.SIGMOID, x, 0, 0);
    }

    public static Tensor gelu(Tensor x) {
        return unary(Kernels.GELU, x, 0, 0);
    }

    public static Tensor exp(Tensor x) {
        return unary(Kernels.EXP, x, 0, 0);
    }

    public static Tensor log(Tensor x) {
        return unary(Kernels.LOG, x, 0, 0);
    }

    public static Tensor logSigmoid(Tensor x) {
        return unary(Kernels.LOGSIGMOID, x, 0, 0);
    }

    public static Tensor abs(Tensor x) {
        return unary(Kernels.ABS, x, 0, 0);
    }

    public static Tensor sqrt(Tensor x) {
        return unary(Kernels.SQRT, x, 0, 0);
    }

    public static Tensor ceil(Tensor x) {
        return unary(Kernels.CEIL, x, 0, 0);
    }

    public static Tensor clampMin(Tensor x, float min) {
        return unary(Kernels.CLAMP_MIN, x, min, 0);
    }

    /** a * x + b elementwise. */
    public static Tensor affine(Tensor x, float a, float b) {
        return unary(Kernels.AFFINE, x, a, b);
    }

    public static Tensor scale(Tensor x, float a) {
        return unary(Kernels.AFFINE, x, a, 0);
    }

    private static Tensor unary(int op, Tensor x, float p0, float p1) {
        Tensor y = Tensor.empty(x.shape());
        if (x.numel() > 0) Kernels.unary(op, x.segment(), y.segment(), x.numel(), p0, p1);
        Grad.record(y, dy -> {
            Tensor dx = Tensor.empty(x.shape());
            if (x.numel() > 0) {
                BackwardKernels.unary(op, x.segment(), y.segment(), dy.segment(), dx.segment(), x.numel(), p0, p1);
            }
            return new Tensor[]{dx};
        }, x);
        return y;
    }

    // ---- broadcasting arithmetic ----------------------------------------------------------

    public static Tensor add(Tensor a, Tensor b) {
        return binary(Kernels.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(Kernels.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(Kernels.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary(Kernels.DIV, a, b);
    }

    /** Numpy broadcasting over up to 4 dims. */
    private static Tensor binary(int op, Tensor a, Tensor b) {
        int rank = Math.max(a.rank(), b.rank());
        if (rank > 4) throw new IllegalArgumentException("broadcasting supports up to 4 dims");
        int[] as = pad4(a.shape()), bs = pad4(b.shape()), out = new int[4];
        for (int d = 0; d < 4; d++) {
            if (as[d] != bs[d] && as[d] != 1 && bs[d] != 1) {
                throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(a.shape()) + " with "
                        + Arrays.toString(b.shape()));
            }
            out[d] = as[d] == 1 ? bs[d] : as[d];
        }
        Tensor y = Tensor.empty(Arrays.copyOfRange(out, 4 - rank, 4));
        if (y.numel() == 0) return y;
        Arena arena = Scope.arena();
        Kernels.binary(op, a.segment(), longs(arena, broadcastStrides(as, out)), b.segment(),
                longs(arena, broadcastStrides(bs, out)), y.segment(), longs(arena, toLong(out)));
        Grad.record(y, dy -> {
            Tensor da = null, db = null;
            switch (op) {
                case Kernels.ADD -> {
                    if (a.requiresGrad()) da = sumTo(dy, a.shape());
                    if (b.requiresGrad()) db = sumTo(dy, b.shape());
                }
                case Kernels.SUB -> {
                    if (a.requiresGrad()) da = sumTo(dy, a.shape());
                    if (b.requiresGrad()) db = sumTo(scale(dy, -1f), b.shape());
                }
                case Kernels.MUL -> {
                    if (a.requiresGrad()) da = sumTo(mul(dy, b), a.shape());
                    if (b.requiresGrad()) db = sumTo(mul(dy, a), b.shape());
                }
                default -> {
                    if (a.requiresGrad()) da = sumTo(div(dy, b), a.shape());
                    if (b.requiresGrad()) db = sumTo(scale(div(mul(dy, y), b), -1f), b.shape());
                }
            }
            return new Tensor[]{da, db};
        }, a, b);
        return y;
    }

    /** dy summed down to `shape` (the gradient of a broadcast); dy itself when shapes agree. */
    public static Tensor sumTo(Tensor dy, int[] shape) {
        if (Arrays.equals(dy.shape(), shape)) return dy;
        if (dy.rank() > 4) throw new IllegalArgumentException("broadcast gradients support up to 4 dims");
        int[] from = pad4(dy.shape()), to = pad4(shape);
        Tensor y = Tensor.zeros(shape);
        if (y.numel() == 0 || dy.numel() == 0) return y;
        Arena arena = Scope.arena();
        BackwardKernels.reduceSumTo(dy.segment(), longs(arena, toLong(from)), y.segment(), longs(arena, toLong(to)));
        int[] full = dy.shape();
        Grad.record(y, g -> new Tensor[]{add(Tensor.zeros(full), g)}, dy);
        return y;
    }

    /** acc += g in place (gradient accumulation into a leaf's buffer). */
    static void addInto(Tensor acc, Tensor g) {
        if (!Arrays.equals(acc.shape(), g.shape())) {
            throw new IllegalArgumentException("gradient " + Arrays.toString(g.shape()) + " for "
                    + Arrays.toString(acc.shape()));
        }
        if (acc.numel() == 0) return;
        Arena arena = Scope.arena();
        int[] s4 = pad4(acc.shape());
        MemorySegment strides = longs(arena, strides(s4));
        Kernels.binary(Kernels.ADD, acc.segment(), strides, g.segment(), strides, acc.segment(), longs(arena, toLong(s4)));
    }

    /** A tensor of ones. */
    public static Tensor ones(int... shape) {
        // From zeros, not empty(): 0·x + 1 of uninitialised memory is NaN wherever x is NaN or inf.
        Tensor t = Tensor.zeros(shape);
        if (t.numel() > 0) Kernels.unary(Kernels.AFFINE, t.segment(), t.segment(), t.numel(), 0f, 1f);
        return t;
    }

    // ---- layout: slices, transposes, flips, concatenation ---------------------------------

    /** x[..., start:end, ...] along dim, as a dense copy. */
    public static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = checkDim("narrow", x, dim);
        if (start < 0 || length < 0 || start + length > x.dim(d)) {
            throw new IllegalArgumentException("narrow: [" + start + ", " + (start + length) + ") outside dim " + d
                    + " of " + Arrays.toString(x.shape()));
        }
        int[] shape = x.shape();
        long[] strides = strides(shape);
        shape[d] = length;
        return strided(x, (long) start * strides[d], strides, shape);
    }

    /** Swap two dims (dense copy). */
    public static Tensor transpose(Tensor x, int d0, int d1) {
        d0 = checkDim("transpose", x, d0);
        d1 = checkDim("transpose", x, d1);
        int[] shape = x.shape();
        long[] strides = strides(shape);
        int ts = shape[d0];
        shape[d0] = shape[d1];
        shape[d1] = ts;
        long tst = strides[d0];
        strides[d0] = strides[d1];
        strides[d1] = tst;
        return strided(x, 0, strides, shape);
    }

    /** Reverse the order along dim (torch.flip). */
    public static Tensor flip(Tensor x, int dim) {
        int d = checkDim("flip", x, dim);
        int[] shape = x.shape();
        long[] strides = strides(shape);
        long start = shape[d] == 0 ? 0 : (long) (shape[d] - 1) * strides[d];
        strides[d] = -strides[d];
        return strided(x, start, strides, shape);
    }

    /** Concatenate along dim; all other dims must agree. */
    public static Tensor cat(int dim, Tensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("cat: nothing to concatenate");
        Tensor first = parts[0];
        int d = checkDim("cat", first, dim);
        int[] shape = first.shape();
        int total = 0;
        for (Tensor p : parts) {
            int[] ps = p.shape();
            if (ps.length != shape.length) throw new IllegalArgumentException("cat: ranks differ");
            for (int i = 0; i < ps.length; i++) {
                if (i != d && ps[i] != shape[i]) {
                    throw new IllegalArgumentException("cat: shapes " + Arrays.toString(ps) + " and "
                            + Arrays.toString(shape) + " differ outside dim " + d);
                }
            }
            total += ps[d];
        }
        shape[d] = total;
        Tensor y = Tensor.empty(shape);
        long outer = product(shape, 0, d), inner = product(shape, d + 1, shape.length);
        long offset = 0;
        for (Tensor p : parts) {
            long chunk = (long) p.dim(d) * inner * Float.BYTES, outStride = (long) total * inner * Float.BYTES;
            for (long o = 0; o < outer && chunk > 0; o++) {
                MemorySegment.copy(p.segment(), o * chunk, y.segment(), o * outStride + offset, chunk);
            }
            offset += chunk;
        }
        final int dd = d;
        Grad.record(y, dy -> {
            Tensor[] g = new Tensor[parts.length];
            int start = 0;
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].requiresGrad()) g[i] = narrow(dy, dd, start, parts[i].dim(dd));
                start += parts[i].dim(dd);
            }
            return g;
        }, parts);
        return y;
    }

    /** Dense copy of x read with element strides from element offset `start` (up to 4 dims). */
    private static Tensor strided(Tensor x, long start, long[] strides, int[] shape) {
        if (shape.length > 4) throw new IllegalArgumentException("strided copies support up to 4 dims");
        Tensor y = Tensor.empty(shape);
        if (y.numel() == 0) return y;
        int[] s4 = pad4(shape);
        long[] st4 = new long[4];
        System.arraycopy(strides, 0, st4, 4 - strides.length, strides.length);
        Arena arena = Scope.arena();
        MemorySegment base = x.segment().asSlice(start * Float.BYTES);
        Kernels.copyStrided(base, longs(arena, st4), y.segment(), longs(arena, toLong(s4)));
        Grad.record(y, dy -> {
            Tensor dx = Tensor.zeros(x.shape());
            Arena a = Scope.arena();
            BackwardKernels.scatterAddStrided(dy.segment(), dx.segment().asSlice(start * Float.BYTES), longs(a, st4),
                    longs(a, toLong(s4)));
            return new Tensor[]{dx};
        }, x);
        return y;
    }

    // ---- fused model kernels ----------------------------------------------------------------

    /**
     * WaveNet gate tanh(a) * sigmoid(b) of xIn[B, 2H, T] plus, when cond is given, channels
     * [offset, offset + 2H) of cond[B, C, Tc] (Tc == 1 broadcasts over time).
     */
    public static Tensor wnGate(Tensor xIn, Tensor cond, int offset) {
        requireRank("wn gate input", xIn, 3);
        int b = xIn.dim(0), h2 = xIn.dim(1), t = xIn.dim(2);
        if (h2 % 2 != 0) throw new IllegalArgumentException("wn gate: odd channel count " + h2);
        Tensor y = Tensor.empty(b, h2 / 2, t);
        if (y.numel() == 0) return y;
        if (cond == null) {
            Kernels.wnGate(xIn.segment(), MemorySegment.NULL, 0, 0, 0, y.segment(), b, h2 / 2, t);
            Grad.record(y, dy -> {
                Tensor dx = Tensor.empty(xIn.shape());
                BackwardKernels.wnGate(xIn.segment(), MemorySegment.NULL, 0, 0, 0, dy.segment(), dx.segment(),
                        MemorySegment.NULL, b, h2 / 2, t);
                return new Tensor[]{dx};
            }, xIn);
            return y;
        }
        requireRank("wn gate condition", cond, 3);
        int cc = cond.dim(1), tc = cond.dim(2);
        if (cond.dim(0) != b || offset < 0 || offset + h2 > cc || (tc != 1 && tc != t)) {
            throw new IllegalArgumentException("wn gate: condition " + Arrays.toString(cond.shape())
                    + " does not fit input " + Arrays.toString(xIn.shape()) + " at offset " + offset);
        }
        long gOffset = (long) offset * tc * Float.BYTES;
        MemorySegment g = cond.segment().asSlice(gOffset);
        Kernels.wnGate(xIn.segment(), g, (long) cc * tc, tc, tc == 1 ? 0 : 1, y.segment(), b, h2 / 2, t);
        Grad.record(y, dy -> {
            Tensor dx = Tensor.empty(xIn.shape());
            Tensor dc = cond.requiresGrad() ? Tensor.zeros(cond.shape()) : null;
            BackwardKernels.wnGate(xIn.segment(), g, (long) cc * tc, tc, tc == 1 ? 0 : 1, dy.segment(), dx.segment(),
                    dc == null ? MemorySegment.NULL : dc.segment().asSlice(gOffset), b, h2 / 2, t);
            return new Tensor[]{dx, dc};
        }, xIn, cond);
        return y;
    }

    /**
     * Relative-position self attention over q, k, v [B, H*D, T]; masks are x_mask [B, 1, T]
     * (query and key) or a full attn_mask [B, 1, T, T].
     */
    public static Tensor relAttention(Tensor q, Tensor k, Tensor v, Tensor embK, Tensor embV, Tensor xMask,
                                      Tensor fullMask, int heads, int window) {
        return relAttention(q, k, v, embK, embV, xMask, fullMask, heads, window, 0f, 0L);
    }

    /**
     * {@link #relAttention(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, int, int)} with
     * dropout on the attention probabilities (the reference's self.drop(p_attn)): each entry is
     * dropped with probability {@code dropoutP} in [0, 1) by a mask that the kernel derives from
     * {@code seed} and the entry's indices, never stored; the backward regenerates it. 0: no dropout.
     */
    public static Tensor relAttention(Tensor q, Tensor k, Tensor v, Tensor embK, Tensor embV, Tensor xMask,
                                      Tensor fullMask, int heads, int window, float dropoutP, long seed) {
        if (!(dropoutP >= 0f && dropoutP < 1f)) {
            throw new IllegalArgumentException("attention: dropout probability " + dropoutP + " not in [0, 1)");
        }
        requireRank("attention q", q, 3);
        int b = q.dim(0), c = q.dim(1), t = q.dim(2);
        if (!Arrays.equals(k.shape(), q.shape()) || !Arrays.equals(v.shape(), q.shape())) {
            throw new IllegalArgumentException("attention: q, k, v shapes differ");
        }
        if (heads < 1 || c % heads != 0) throw new IllegalArgumentException("attention: " + c + " channels, " + heads + " heads");
        int d = c / heads;
        if (embK.numel() != (long) (2 * window + 1) * d || embV.numel() != (long) (2 * window + 1) * d) {
            throw new IllegalArgumentException("attention: relative embeddings must be [1, " + (2 * window + 1) + ", " + d + "]");
        }
        if (fullMask != null) {
            if (fullMask.numel() != (long) b * t * t) throw new IllegalArgumentException("attention: attn_mask must be [" + b + ", 1, " + t + ", " + t + "]");
        } else if (xMask == null || xMask.numel() != (long) b * t) {
            throw new IllegalArgumentException("attention: x_mask must be [" + b + ", 1, " + t + "]");
        }
        Tensor y = Tensor.empty(b, c, t);
        if (y.numel() == 0) return y;
        MemorySegment m = xMask == null ? MemorySegment.NULL : xMask.segment();
        MemorySegment full = fullMask == null ? MemorySegment.NULL : fullMask.segment();
        Kernels.relAttention(q.segment(), k.segment(), v.segment(), embK.segment(), embV.segment(), m, m, full,
                y.segment(), b, heads, d, t, window, dropoutP, seed);
        Grad.record(y, dy -> {
            Tensor dq = Tensor.empty(q.shape()), dk = Tensor.empty(k.shape()), dv = Tensor.empty(v.shape());
            Tensor dek = Tensor.empty(embK.shape()), dev = Tensor.empty(embV.shape());
            BackwardKernels.relAttention(q.segment(), k.segment(), v.segment(), embK.segment(), embV.segment(), m, m,
                    full, dy.segment(), dq.segment(), dk.segment(), dv.segment(), dek.segment(), dev.segment(), b,
                    heads, d, t, window, dropoutP, seed);
            return new Tensor[]{dq, dk, dv, dek, dev};
        }, q, k, v, embK, embV);
        return y;
    }

    /** Rational-quadratic spline of x[B, C, T] with parameters h[B, C*(3K-1), T]: {y, logabsdet}. */
    public static Tensor[] rqSpline(Tensor x, Tensor h, int bins, float tailBound, float paramScale, boolean inverse) {
        requireRank("spline input", x, 3);
        requireRank("spline parameters", h, 3);
        int b = x.dim(0), c = x.dim(1), t = x.dim(2);
        if (bins < 1 || bins > 64) throw new IllegalArgumentException("spline: bins must be in [1, 64]");
        if (!(tailBound > 0) || !(paramScale > 0)) throw new IllegalArgumentException("spline: tail bound and scale must be positive");
        if (h.dim(0) != b || h.dim(1) != c * (3 * bins - 1) || h.dim(2) != t) {
            throw new IllegalArgumentException("spline: parameters " + Arrays.toString(h.shape()) + " do not fit "
                    + Arrays.toString(x.shape()) + " with " + bins + " bins");
        }
        Tensor y = Tensor.empty(x.shape()), lad = Tensor.empty(x.shape());
        if (x.numel() > 0) {
            Kernels.rqSpline(x.segment(), h.segment(), y.segment(), lad.segment(), b, c, t, bins, tailBound,
                    paramScale, inverse);
        }
        // y and log|det| get one node each; the kernel takes either upstream gradient as NULL.
        for (int which = 0; which < 2; which++) {
            final boolean isY = which == 0;
            Grad.record(isY ? y : lad, g -> {
                Tensor dx = Tensor.empty(x.shape()), dh = Tensor.empty(h.shape());
                if (x.numel() > 0) {
                    BackwardKernels.rqSpline(x.segment(), h.segment(), isY ? g.segment() : MemorySegment.NULL,
                            isY ? MemorySegment.NULL : g.segment(), dx.segment(), dh.segment(), b, c, t, bins,
                            tailBound, paramScale, inverse);
                }
                return new Tensor[]{dx, dh};
            }, x, h);
        }
        return new Tensor[]{y, lad};
    }

    /** Last hidden state [B, H] of a GRU over x[B, T, I] (torch gate order r, z, n). */
    public static Tensor gruLast(Tensor x, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        requireRank("gru input", x, 3);
        requireRank("gru weight_hh", wHh, 2);
        requireRank("gru weight_ih", wIh, 2);
        int b = x.dim(0), t = x.dim(1), in = x.dim(2), h = wHh.dim(1);
        if (h < 1 || in < 1) throw new IllegalArgumentException("gru: empty input or hidden size");
        if (wIh.dim(0) != 3 * h || wIh.dim(1) != in || wHh.dim(0) != 3 * h || bIh.numel() != 3L * h
                || bHh.numel() != 3L * h) {
            throw new IllegalArgumentException("gru: weights do not fit input " + Arrays.toString(x.shape()));
        }
        Tensor y = Tensor.empty(b, h);
        if (b > 0) {
            Kernels.gruLast(x.segment(), wIh.segment(), wHh.segment(), bIh.segment(), bHh.segment(), y.segment(), b, t,
                    in, h);
        }
        Grad.record(y, dy -> {
            Tensor dx = Tensor.empty(x.shape()), dwi = Tensor.empty(wIh.shape()), dwh = Tensor.empty(wHh.shape());
            Tensor dbi = Tensor.empty(bIh.shape()), dbh = Tensor.empty(bHh.shape());
            if (b > 0) {
                BackwardKernels.gruLast(x.segment(), wIh.segment(), wHh.segment(), bIh.segment(), bHh.segment(),
                        dy.segment(), dx.segment(), dwi.segment(), dwh.segment(), dbi.segment(), dbh.segment(), b, t,
                        in, h);
            }
            return new Tensor[]{dx, dwi, dwh, dbi, dbh};
        }, x, wIh, wHh, bIh, bHh);
        return y;
    }

    // ---- gathers (index work in Java: sizes are small next to the convolutions) -------------

    /** Rows of weight[N, D] picked by ids[B][T], channel-first: [B, D, T] (nn.Embedding). */
    public static Tensor embedding(Tensor weight, int[][] ids, String what) {
        requireRank("embedding weight", weight, 2);
        int n = weight.dim(0), dim = weight.dim(1), b = ids.length, t = b == 0 ? 0 : ids[0].length;
        Tensor y = Tensor.empty(b, dim, t);
        for (int i = 0; i < b; i++) {
            if (ids[i].length != t) throw new IllegalArgumentException(what + ": ragged id rows");
            for (int j = 0; j < t; j++) {
                int id = ids[i][j];
                if (id < 0 || id >= n) throw new io.bv2j.Bv2jException(what + " id " + id + " is outside [0, " + n + ")");
                for (int c = 0; c < dim; c++) y.set(((long) i * dim + c) * t + j, weight.get((long) id * dim + c));
            }
        }
        Grad.record(y, dy -> {
            Tensor dw = Tensor.zeros(weight.shape());
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    long row = (long) ids[i][j] * dim;
                    for (int c = 0; c < dim; c++) {
                        dw.set(row + c, dw.get(row + c) + dy.get(((long) i * dim + c) * t + j));
                    }
                }
            }
            return new Tensor[]{dw};
        }, weight);
        return y;
    }

    /** out[b, c, y] = x[b, c, index[b][y]], 0 where the index is -1: a hard alignment applied to frames. */
    public static Tensor gatherTime(Tensor x, int[][] index) {
        requireRank("gather input", x, 3);
        int b = x.dim(0), c = x.dim(1), tx = x.dim(2), ty = index.length == 0 ? 0 : index[0].length;
        if (index.length != b) throw new IllegalArgumentException("gather: " + index.length + " index rows for batch " + b);
        for (int[] row : index) {
            if (row.length != ty) throw new IllegalArgumentException("gather: ragged index rows");
            for (int v : row) if (v < -1 || v >= tx) throw new IllegalArgumentException("gather: index " + v + " outside [-1, " + tx + ")");
        }
        Tensor y = Tensor.zeros(b, c, ty);
        for (int i = 0; i < b; i++) {
            for (int ch = 0; ch < c; ch++) {
                long src = ((long) i * c + ch) * tx, dst = ((long) i * c + ch) * ty;
                for (int t = 0; t < ty; t++) if (index[i][t] >= 0) y.set(dst + t, x.get(src + index[i][t]));
            }
        }
        Grad.record(y, dy -> {
            Tensor dx = Tensor.zeros(x.shape());
            for (int i = 0; i < b; i++) {
                for (int ch = 0; ch < c; ch++) {
                    long src = ((long) i * c + ch) * tx, dst = ((long) i * c + ch) * ty;
                    for (int t = 0; t < ty; t++) {
                        int xi = index[i][t];
                        if (xi >= 0) dx.set(src + xi, dx.get(src + xi) + dy.get(dst + t));
                    }
                }
            }
            return new Tensor[]{dx};
        }, x);
        return y;
    }

    /** x[b, :, starts[b] : starts[b] + length] for each row b (commons.slice_segments). */
    public static Tensor sliceSegments(Tensor x, int[] starts, int length) {
        requireRank("slice input", x, 3);
        int b = x.dim(0);
        if (starts.length != b) throw new IllegalArgumentException("slice: " + starts.length + " starts for batch " + b);
        Tensor[] rows = new Tensor[b];
        for (int i = 0; i < b; i++) rows[i] = narrow(narrow(x, 0, i, 1), 2, starts[i], length);
        return cat(0, rows);
    }

    /** torch's weight_norm: w = g * v / ||v|| with the norm over every dim but 0 (double accumulation). */
    public static Tensor weightNorm(Tensor g, Tensor v) {
        int rows = v.dim(0);
        if (g.numel() != rows) throw new IllegalArgumentException("weight norm: g has " + g.numel() + " values for " + rows + " rows");
        long per = rows == 0 ? 0 : v.numel() / rows;
        MemorySegment norms = Scope.arena().allocate(ValueLayout.JAVA_DOUBLE, Math.max(1, rows));
        Tensor w = Tensor.empty(v.shape());
        if (rows > 0) BackwardKernels.weightNorm(g.segment(), v.segment(), w.segment(), norms, rows, per);
        Grad.record(w, dw -> {
            Tensor dg = Tensor.empty(g.shape()), dv = Tensor.empty(v.shape());
            if (rows > 0) {
                BackwardKernels.weightNormBackward(g.segment(), v.segment(), norms, dw.segment(), dg.segment(),
                        dv.segment(), rows, per);
            }
            return new Tensor[]{dg, dv};
        }, g, v);
        return w;
    }

    /** Inverted dropout with keep mask from uniform draws u (keep where u >= p), scaled by 1/(1-p). */
    public static Tensor dropout(Tensor x, Tensor uniform, float p) {
        if (!Arrays.equals(x.shape(), uniform.shape())) throw new IllegalArgumentException("dropout: draws must match the input");
        Tensor mask = Tensor.empty(x.shape());
        float keep = 1f / (1f - p);
        for (long i = 0; i < x.numel(); i++) mask.set(i, uniform.get(i) >= p ? keep : 0f);
        return mul(x, mask);
    }

    // ---- reductions -------------------------------------------------------------------------

    /** Sum over every dim but the first: x[B, ...] -> [B] (torch.sum(x, [1, 2]) on 3-d tensors). */
    public static Tensor sumPerBatch(Tensor x) {
        int b = x.dim(0);
        int[] keep = x.shape();
        java.util.Arrays.fill(keep, 1, keep.length, 1);
        return sumTo(x, keep).reshape(b);
    }

    /** Sum of every element, as a one-element tensor [1]. */
    public static Tensor sumAll(Tensor x) {
        int[] one = new int[x.rank()];
        java.util.Arrays.fill(one, 1);
        return sumTo(x, one).reshape(1);
    }

    public static Tensor mean(Tensor x) {
        return scale(sumAll(x), 1f / x.numel());
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** dim (negative counts from the end) checked against x's rank. */
    private static int checkDim(String op, Tensor x, int dim) {
        int d = dim < 0 ? x.rank() + dim : dim;
        if (d < 0 || d >= x.rank()) throw new IllegalArgumentException(op + ": dim " + dim + " outside " + Arrays.toString(x.shape()));
        return d;
    }

    private static void requireRank(String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(what + " must have " + rank + " dims, got " + Arrays.toString(t.shape()));
        }
    }

    private static void requireBias(String op, Tensor bias, int cOut) {
        if (bias != null && bias.numel() != cOut) {
            throw new IllegalArgumentException(op + ": bias must have " + cOut + " elements, got " + bias.numel());
        }
    }

    private static MemorySegment seg(Tensor t) {
        return t == null ? MemorySegment.NULL : t.segment();
    }

    static long[] strides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    private static int[] pad4(int[] shape) {
        int[] s = {1, 1, 1, 1};
        System.arraycopy(shape, 0, s, 4 - shape.length, shape.length);
        return s;
    }

    private static long[] broadcastStrides(int[] shape4, int[] out4) {
        long[] dense = strides(shape4);
        for (int d = 0; d < 4; d++) if (shape4[d] == 1 && out4[d] != 1) dense[d] = 0;
        return dense;
    }

    private static long[] toLong(int[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i];
        return r;
    }

    private static long product(int[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    private static MemorySegment longs(Arena arena, long[] values) {
        return arena.allocateFrom(ValueLayout.JAVA_LONG, values);
    }
}
