package io.bv2j.tensor;

/**
 * Plain, obviously-correct reference implementations of the {@link Ops} functions for tests:
 * direct loops straight from the definitions, double accumulation, no tiling, no tricks. Inputs
 * are the float32 values the tensors hold (dense row-major), outputs are doubles.
 */
final class ReferenceOps {
    private ReferenceOps() {
    }

    /** y[b, co, t] = bias[co] + sum_{ci in group, k} w[co, ci', k] * x[b, ci, t*stride + k*dil - padLeft]. */
    static double[] conv1d(float[] x, int batch, int cIn, int tIn, float[] w, int cOut, int kernel, float[] bias,
                           int stride, int padLeft, int padRight, int dilation, int groups) {
        int tOut = conv1dLength(tIn, kernel, stride, padLeft, padRight, dilation);
        int cinG = cIn / groups, coutG = cOut / groups;
        double[] y = new double[batch * cOut * tOut];
        for (int b = 0; b < batch; b++) {
            for (int co = 0; co < cOut; co++) {
                int g = co / coutG;
                for (int t = 0; t < tOut; t++) {
                    double acc = bias == null ? 0 : bias[co];
                    for (int cg = 0; cg < cinG; cg++) {
                        int ci = g * cinG + cg;
                        for (int k = 0; k < kernel; k++) {
                            int ti = t * stride + k * dilation - padLeft;
                            if (ti < 0 || ti >= tIn) continue;
                            acc += (double) w[(co * cinG + cg) * kernel + k] * x[(b * cIn + ci) * tIn + ti];
                        }
                    }
                    y[(b * cOut + co) * tOut + t] = acc;
                }
            }
        }
        return y;
    }

    static int conv1dLength(int tIn, int kernel, int stride, int padLeft, int padRight, int dilation) {
        int span = dilation * (kernel - 1) + 1;
        int padded = tIn + padLeft + padRight;
        return padded < span ? 0 : (padded - span) / stride + 1;
    }

    /** torch conv_transpose1d, w[Cin, Cout, K]: every input i scatters into o = i*stride + k - padding. */
    static double[] convTranspose1d(float[] x, int batch, int cIn, int tIn, float[] w, int cOut, int kernel,
                                    float[] bias, int stride, int padding) {
        int tOut = tIn == 0 ? 0 : Math.max(0, (tIn - 1) * stride - 2 * padding + kernel);
        double[] y = new double[batch * cOut * tOut];
        for (int b = 0; b < batch; b++) {
            for (int co = 0; co < cOut; co++) {
                for (int o = 0; o < tOut; o++) y[(b * cOut + co) * tOut + o] = bias == null ? 0 : bias[co];
            }
            for (int ci = 0; ci < cIn; ci++) {
                for (int i = 0; i < tIn; i++) {
                    double xv = x[(b * cIn + ci) * tIn + i];
                    for (int co = 0; co < cOut; co++) {
                        for (int k = 0; k < kernel; k++) {
                            int o = i * stride + k - padding;
                            if (o < 0 || o >= tOut) continue;
                            y[(b * cOut + co) * tOut + o] += xv * w[(ci * cOut + co) * kernel + k];
                        }
                    }
                }
            }
        }
        return y;
    }

    static double[] conv2d(float[] x, int batch, int cIn, int h, int wd, float[] w, int cOut, int kh, int kw,
                           float[] bias, int sh, int sw, int ph, int pw) {
        int hOut = h + 2 * ph < kh ? 0 : (h + 2 * ph - kh) / sh + 1;
        int wOut = wd + 2 * pw < kw ? 0 : (wd + 2 * pw - kw) / sw + 1;
        double[] y = new double[batch * cOut * hOut * wOut];
        for (int b = 0; b < batch; b++) {
            for (int co = 0; co < cOut; co++) {
                for (int oh = 0; oh < hOut; oh++) {
                    for (int ow = 0; ow < wOut; ow++) {
                        double acc = bias == null ? 0 : bias[co];
                        for (int ci = 0; ci < cIn; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int ih = oh * sh + i - ph, iw = ow * sw + j - pw;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    acc += (double) w[((co * cIn + ci) * kh + i) * kw + j]
                                            * x[((b * cIn + ci) * h + ih) * wd + iw];
                                }
                            }
                        }
                        y[((b * cOut + co) * hOut + oh) * wOut + ow] = acc;
                    }
                }
            }
        }
        return y;
    }

    /**
     * C[i] = op(A[i]) @ op(B[bi]) for i < batch, where bi = i, or 0 when b is broadcast. A is stored
     * [M, K] (or [K, M] when transA), B [K, N] (or [N, K] when transB).
     */
    static double[] matmul(float[] a, float[] b, int batch, boolean broadcastB, int m, int n, int k, boolean transA,
                           boolean transB) {
        double[] c = new double[batch * m * n];
        for (int bi = 0; bi < batch; bi++) {
            int ao = bi * m * k, bo = broadcastB ? 0 : bi * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int l = 0; l < k; l++) {
                        double av = transA ? a[ao + l * m + i] : a[ao + i * k + l];
                        double bv = transB ? b[bo + j * k + l] : b[bo + l * n + j];
                        acc += av * bv;
                    }
                    c[(bi * m + i) * n + j] = acc;
                }
            }
        }
        return c;
    }

    static double[] layerNormChannels(float[] x, int batch, int channels, int time, float[] gamma, float[] beta,
                                      double eps) {
        double[] y = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                double mean = 0;
                for (int c = 0; c < channels; c++) mean += x[(b * channels + c) * time + t];
                mean /= channels;
                double var = 0;
                for (int c = 0; c < channels; c++) {
                    double d = x[(b * channels + c) * time + t] - mean;
                    var += d * d;
                }
                var /= channels;
                for (int c = 0; c < channels; c++) {
                    int i = (b * channels + c) * time + t;
                    y[i] = (x[i] - mean) / Math.sqrt(var + eps) * gamma[c] + beta[c];
                }
            }
        }
        return y;
    }

    // ---- scalar functions ---------------------------------------------------------------------

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    static double logSigmoid(double x) {
        // log(1 / (1 + e^-x)) written so neither branch overflows.
        return x < 0 ? x - Math.log1p(Math.exp(x)) : -Math.log1p(Math.exp(-x));
    }

    static double softplus(double x) {
        return x > 20 ? x : Math.log1p(Math.exp(x));
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** erf to ~1e-14: Maclaurin series for |x| < 3, Laplace continued fraction for erfc beyond. */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double term = ax, sum = ax;
            for (int n = 1; n < 200; n++) {
                term *= -ax * ax / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
            double f = ax;
            for (int n = 200; n >= 1; n--) f = ax + (n / 2.0) / f;
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }

    // ---- fused kernels ---------------------------------------------------------------------------

    /**
     * tanh(x[:H] + cond[offset:offset+H]) * sigmoid(x[H:] + cond[offset+H:offset+2H]); cond is
     * [B, C, Tc] with Tc == 1 (broadcast) or Tc == T, or null.
     */
    static double[] wnGate(float[] x, int batch, int hidden, int time, float[] cond, int condChannels, int condTime,
                           int offset) {
        double[] y = new double[batch * hidden * time];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < hidden; c++) {
                for (int t = 0; t < time; t++) {
                    double a = x[(b * 2 * hidden + c) * time + t];
                    double s = x[(b * 2 * hidden + hidden + c) * time + t];
                    if (cond != null) {
                        int tc = condTime == 1 ? 0 : t;
                        a += cond[(b * condChannels + offset + c) * condTime + tc];
                        s += cond[(b * condChannels + offset + hidden + c) * condTime + tc];
                    }
                    y[(b * hidden + c) * time + t] = Math.tanh(a) * sigmoid(s);
                }
            }
        }
        return y;
    }

    /**
     * The textbook relative-position attention (VITS MultiHeadAttention, heads_share=True):
     * scores[i,j] = (q_i/sqrt(d)).k_j + (q_i/sqrt(d)).Ek[j-i+w] for |j-i| <= w; masked scores are
     * -1e4; softmax over j; out_i = sum_j p[i,j] v_j + sum_{|j-i|<=w} p[i,j] Ev[j-i+w].
     * xMask [B, T] (query and key), or fullMask [B, T, T] when not null.
     */
    static double[] relAttention(float[] q, float[] k, float[] v, float[] embK, float[] embV, float[] xMask,
                                 float[] fullMask, int batch, int heads, int dim, int time, int window) {
        double[] out = new double[batch * heads * dim * time];
        double scale = 1 / Math.sqrt(dim);
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int base = (b * heads + h) * dim * time; // channel h*D of batch b
                for (int i = 0; i < time; i++) {
                    double[] s = new double[time];
                    for (int j = 0; j < time; j++) {
                        boolean masked = fullMask != null ? fullMask[(b * time + i) * time + j] == 0
                                : xMask[b * time + i] * xMask[b * time + j] == 0;
                        if (masked) {
                            s[j] = -1e4;
                            continue;
                        }
                        double acc = 0;
                        for (int c = 0; c < dim; c++) {
                            acc += q[base + c * time + i] * scale * k[base + c * time + j];
                        }
                        int rel = j - i;
                        if (Math.abs(rel) <= window) {
                            for (int c = 0; c < dim; c++) {
                                acc += q[base + c * time + i] * scale * embK[(rel + window) * dim + c];
                            }
                        }
                        s[j] = acc;
                    }
                    double mx = Double.NEGATIVE_INFINITY, sum = 0;
                    for (double sj : s) mx = Math.max(mx, sj);
                    for (int j = 0; j < time; j++) {
                        s[j] = Math.exp(s[j] - mx);
                        sum += s[j];
                    }
                    for (int c = 0; c < dim; c++) {
                        double acc = 0;
                        for (int j = 0; j < time; j++) {
                            double p = s[j] / sum;
                            acc += p * v[base + c * time + j];
                            int rel = j - i;
                            if (Math.abs(rel) <= window) acc += p * embV[(rel + window) * dim + c];
                        }
                        out[base + c * time + i] = acc;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Line-by-line port of VITS transforms.unconstrained_rational_quadratic_spline (tails =
     * "linear") in double, for x[B, C, T] with parameters h[B, C*(3K-1), T]; widths and heights
     * divided by paramScale as ConvFlow does. Returns {y, logabsdet}.
     */
    static double[][] rqSpline(float[] x, float[] h, int batch, int channels, int time, int bins, double tailBound,
                               double paramScale, boolean inverse) {
        final double minBinWidth = 1e-3, minBinHeight = 1e-3, minDerivative = 1e-3;
        int per = 3 * bins - 1;
        double[] out = new double[x.length], lad = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < time; t++) {
                    int idx = (b * channels + c) * time + t;
                    double in = x[idx];
                    double[] uw = new double[bins], uh = new double[bins], ud = new double[bins + 1];
                    for (int j = 0; j < bins; j++) {
                        uw[j] = h[((b * channels + c) * per + j) * time + t] / paramScale;
                        uh[j] = h[((b * channels + c) * per + bins + j) * time + t] / paramScale;
                    }
                    // F.pad(unnormalized_derivatives, (1, 1)) with both ends set to the constant.
                    double constant = Math.log(Math.exp(1 - minDerivative) - 1);
                    ud[0] = constant;
                    ud[bins] = constant;
                    for (int j = 0; j < bins - 1; j++) ud[j + 1] = h[((b * channels + c) * per + 2 * bins + j) * time + t];
                    if (in < -tailBound || in > tailBound) {
                        out[idx] = in;
                        lad[idx] = 0;
                        continue;
                    }
                    double left = -tailBound, right = tailBound, bottom = -tailBound, top = tailBound;

                    double[] widths = softmax(uw);
                    for (int j = 0; j < bins; j++) widths[j] = minBinWidth + (1 - minBinWidth * bins) * widths[j];
                    double[] cumwidths = cumsumPadded(widths);
                    for (int j = 0; j <= bins; j++) cumwidths[j] = (right - left) * cumwidths[j] + left;
                    cumwidths[0] = left;
                    cumwidths[bins] = right;
                    for (int j = 0; j < bins; j++) widths[j] = cumwidths[j + 1] - cumwidths[j];

                    double[] derivatives = new double[bins + 1];
                    for (int j = 0; j <= bins; j++) derivatives[j] = minDerivative + softplus(ud[j]);

                    double[] heights = softmax(uh);
                    for (int j = 0; j < bins; j++) heights[j] = minBinHeight + (1 - minBinHeight * bins) * heights[j];
                    double[] cumheights = cumsumPadded(heights);
                    for (int j = 0; j <= bins; j++) cumheights[j] = (top - bottom) * cumheights[j] + bottom;
                    cumheights[0] = bottom;
                    cumheights[bins] = top;
                    for (int j = 0; j < bins; j++) heights[j] = cumheights[j + 1] - cumheights[j];

                    int bin = searchsorted(inverse ? cumheights : cumwidths, in);
                    double inCumwidths = cumwidths[bin], inBinWidths = widths[bin];
                    double inCumheights = cumheights[bin], inHeights = heights[bin];
                    double inDelta = heights[bin] / widths[bin];
                    double inDeriv = derivatives[bin], inDerivPlusOne = derivatives[bin + 1];

                    if (inverse) {
                        double a = (in - inCumheights) * (inDeriv + inDerivPlusOne - 2 * inDelta)
                                + inHeights * (inDelta - inDeriv);
                        double bq = inHeights * inDeriv - (in - inCumheights) * (inDeriv + inDerivPlusOne - 2 * inDelta);
                        double cq = -inDelta * (in - inCumheights);
                        double disc = bq * bq - 4 * a * cq;
                        double root = (2 * cq) / (-bq - Math.sqrt(disc));
                        out[idx] = root * inBinWidths + inCumwidths;
                        double tomt = root * (1 - root);
                        double denominator = inDelta + (inDeriv + inDerivPlusOne - 2 * inDelta) * tomt;
                        double derivNumerator = inDelta * inDelta * (inDerivPlusOne * root * root + 2 * inDelta * tomt
                                + inDeriv * (1 - root) * (1 - root));
                        lad[idx] = -(Math.log(derivNumerator) - 2 * Math.log(denominator));
                    } else {
                        double theta = (in - inCumwidths) / inBinWidths;
                        double tomt = theta * (1 - theta);
                        double numerator = inHeights * (inDelta * theta * theta + inDeriv * tomt);
                        double denominator = inDelta + (inDeriv + inDerivPlusOne - 2 * inDelta) * tomt;
                        out[idx] = inCumheights + numerator / denominator;
                        double derivNumerator = inDelta * inDelta * (inDerivPlusOne * theta * theta + 2 * inDelta * tomt
                                + inDeriv * (1 - theta) * (1 - theta));
                        lad[idx] = Math.log(derivNumerator) - 2 * Math.log(denominator);
                    }
                }
            }
        }
        return new double[][]{out, lad};
    }

    private static double[] softmax(double[] u) {
        double mx = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : u) mx = Math.max(mx, v);
        double[] e = new double[u.length];
        for (int i = 0; i < u.length; i++) sum += e[i] = Math.exp(u[i] - mx);
        for (int i = 0; i < u.length; i++) e[i] /= sum;
        return e;
    }

    private static double[] cumsumPadded(double[] v) {
        double[] c = new double[v.length + 1];
        for (int i = 0; i < v.length; i++) c[i + 1] = c[i] + v[i];
        return c;
    }

    /** transforms.searchsorted: count of knots <= x (last knot nudged up by 1e-6), minus one. */
    private static int searchsorted(double[] knots, double x) {
        int count = 0;
        for (int j = 0; j < knots.length; j++) {
            double kj = j == knots.length - 1 ? knots[j] + 1e-6 : knots[j];
            if (x >= kj) count++;
        }
        return count - 1;
    }

    /**
     * torch.nn.GRU (one layer, batch_first, h0 = 0), gate order r, z, n; returns the last hidden
     * state [B, H]. x [B, T, I], wIh [3H, I], wHh [3H, H].
     */
    static double[] gruLast(float[] x, int batch, int time, int input, float[] wIh, float[] wHh, float[] bIh,
                            float[] bHh, int hidden) {
        double[] out = new double[batch * hidden];
        for (int b = 0; b < batch; b++) {
            double[] hs = new double[hidden];
            for (int t = 0; t < time; t++) {
                double[] gi = new double[3 * hidden], gh = new double[3 * hidden];
                for (int g = 0; g < 3 * hidden; g++) {
                    double ai = bIh[g], ah = bHh[g];
                    for (int i = 0; i < input; i++) ai += (double) wIh[g * input + i] * x[(b * time + t) * input + i];
                    for (int i = 0; i < hidden; i++) ah += wHh[g * hidden + i] * hs[i];
                    gi[g] = ai;
                    gh[g] = ah;
                }
                double[] next = new double[hidden];
                for (int j = 0; j < hidden; j++) {
                    double r = sigmoid(gi[j] + gh[j]);
                    double z = sigmoid(gi[hidden + j] + gh[hidden + j]);
                    double n = Math.tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j]);
                    next[j] = (1 - z) * n + z * hs[j];
                }
                hs = next;
            }
            System.arraycopy(hs, 0, out, b * hidden, hidden);
        }
        return out;
    }

    // ---- layout -----------------------------------------------------------------------------------

    static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Multi-index of flat position `flat` in a dense tensor of `shape`. */
    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return idx;
    }

    static int ravel(int[] idx, int[] shape) {
        int flat = 0;
        for (int d = 0; d < shape.length; d++) flat = flat * shape[d] + idx[d];
        return flat;
    }
}
