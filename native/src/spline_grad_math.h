/* The gradient of one element of the rational-quadratic spline (spline_math.h). Of an element's
 * 3K-1 parameters only seven derived values enter its formulas: the two width knots and two
 * height knots around its bin and the derivatives at those knots. Those, with x, are
 * differentiated on duals (dual_math.h) through the same formulas as spline_math.h; the result is
 * then chained by hand into the raw parameters through softplus and through the softmax +
 * cumulative sum behind the knots. O(K) per element; the bin search is piecewise constant and
 * passes no gradient. Shared by the CPU kernel (spline_backward.c) and the CUDA one. */
#ifndef BV2J_SPLINE_GRAD_MATH_H
#define BV2J_SPLINE_GRAD_MATH_H
#include "spline_math.h"
#include "dual_math.h"

/* Dual slots: the element's inputs as the bin-local formulas see them. */
enum {
    BV2J_SPLINE_IN_X, BV2J_SPLINE_IN_CW0, BV2J_SPLINE_IN_CW1, BV2J_SPLINE_IN_CH0, BV2J_SPLINE_IN_CH1,
    BV2J_SPLINE_IN_DLO, BV2J_SPLINE_IN_DHI
};

/* The bin-local values of one element, each a dual input (or a constant where the forward pins
 * it: boundary derivatives are exactly 1). */
typedef struct {
    bv2j_dual x, cw0, cw1, ch0, ch1, d_lo, d_hi;
} bv2j_spline_bin_in;

/* y and log|det| on duals: bv2j_rq_spline_one after its bin search, operation for operation. */
BV2J_INLINE void bv2j_spline_dual(const bv2j_spline_bin_in *in, int inverse, bv2j_dual *y,
                                  bv2j_dual *logdet) {
    const bv2j_dual one = bv2j_dual_const(1.0);
    const bv2j_dual w = bv2j_dual_sub(in->cw1, in->cw0), h = bv2j_dual_sub(in->ch1, in->ch0);
    const bv2j_dual delta = bv2j_dual_div(h, w);
    const bv2j_dual mid = bv2j_dual_sub(bv2j_dual_add(in->d_lo, in->d_hi), bv2j_dual_scale(delta, 2.0));
    bv2j_dual theta;
    if (inverse) {
        const bv2j_dual dy = bv2j_dual_sub(in->x, in->ch0);
        const bv2j_dual a = bv2j_dual_add(bv2j_dual_mul(dy, mid),
                                          bv2j_dual_mul(h, bv2j_dual_sub(delta, in->d_lo)));
        const bv2j_dual b = bv2j_dual_sub(bv2j_dual_mul(h, in->d_lo), bv2j_dual_mul(dy, mid));
        const bv2j_dual c = bv2j_dual_scale(bv2j_dual_mul(delta, dy), -1.0);
        const bv2j_dual disc = bv2j_dual_sub(bv2j_dual_mul(b, b),
                                             bv2j_dual_scale(bv2j_dual_mul(a, c), 4.0));
        theta = bv2j_dual_div(bv2j_dual_scale(c, 2.0),
                              bv2j_dual_sub(bv2j_dual_scale(b, -1.0), bv2j_dual_sqrt_pos(disc)));
        *y = bv2j_dual_add(bv2j_dual_mul(theta, w), in->cw0);
    } else {
        theta = bv2j_dual_div(bv2j_dual_sub(in->x, in->cw0), w);
        const bv2j_dual t1 = bv2j_dual_mul(theta, bv2j_dual_sub(one, theta));
        const bv2j_dual num = bv2j_dual_add(bv2j_dual_mul(delta, bv2j_dual_mul(theta, theta)),
                                            bv2j_dual_mul(in->d_lo, t1));
        const bv2j_dual den = bv2j_dual_add(delta, bv2j_dual_mul(mid, t1));
        *y = bv2j_dual_add(in->ch0, bv2j_dual_div(bv2j_dual_mul(h, num), den));
    }
    const bv2j_dual om = bv2j_dual_sub(one, theta);
    const bv2j_dual t1 = bv2j_dual_mul(theta, om);
    const bv2j_dual denom = bv2j_dual_add(delta, bv2j_dual_mul(mid, t1));
    const bv2j_dual inner = bv2j_dual_add(
        bv2j_dual_add(bv2j_dual_mul(in->d_hi, bv2j_dual_mul(theta, theta)),
                      bv2j_dual_mul(bv2j_dual_scale(delta, 2.0), t1)),
        bv2j_dual_mul(in->d_lo, bv2j_dual_mul(om, om)));
    const bv2j_dual num = bv2j_dual_mul(bv2j_dual_mul(delta, delta), inner);
    const bv2j_dual lad = bv2j_dual_sub(bv2j_dual_log(num), bv2j_dual_scale(bv2j_dual_log(denom), 2.0));
    *logdet = inverse ? bv2j_dual_scale(lad, -1.0) : lad;
}

/* softmax(raw / scale) over the K bins, as bv2j_spline_knots computes it. */
BV2J_INLINE void bv2j_spline_bin_softmax(const float *raw, long stride, int bins, double scale,
                                         double *s) {
    double mx = -INFINITY, sum = 0.0;
    for (int j = 0; j < bins; j++) {
        const double u = raw[j * stride] / scale;
        if (u > mx) mx = u;
    }
    for (int j = 0; j < bins; j++) {
        s[j] = exp(raw[j * stride] / scale - mx);
        sum += s[j];
    }
    for (int j = 0; j < bins; j++) s[j] /= sum;
}

/* dL/draw for the K logits behind knots `bin` and `bin + 1`, given dL/d of those knots.
 * knot_m = lo + (hi - lo) sum_{j<m} (min + (1 - min K) s_j), so for an inner knot
 * d knot_m / d raw_l = coef s_l ([l < m] - S_m) with S_m = sum_{j<m} s_j; the end knots are
 * pinned to lo and hi and have none. */
BV2J_INLINE void bv2j_spline_knots_backward(const double *s, int bins, int bin, double g_lo,
                                            double g_hi, double coef, float *draw, long stride) {
    if (bin == 0) g_lo = 0.0;
    if (bin + 1 == bins) g_hi = 0.0;
    double s_lo = 0.0;
    for (int j = 0; j < bin; j++) s_lo += s[j];
    const double s_hi = s_lo + s[bin];
    for (int l = 0; l < bins; l++) {
        const double g = g_lo * ((l < bin) - s_lo) + g_hi * ((l <= bin) - s_hi);
        draw[l * stride] = (float) (coef * s[l] * g);
    }
}

/* d softplus(r) / dr, matching bv2j_softplus's cut-over to the identity above 20. */
BV2J_INLINE double bv2j_softplus_grad(double r) { return r > 20.0 ? 1.0 : 1.0 / (1.0 + exp(-r)); }

/* One element: dL/dx into *dx and dL/draw into its 3K-1 parameters, `stride` apart, from the
 * upstream gradients gy (of y) and glad (of log|det|). */
BV2J_INLINE void bv2j_rq_spline_one_backward(double x, const float *raw, long stride, int bins,
                                             double bound, double scale, int inverse, double gy,
                                             double glad, float *dx, float *draw) {
    const int per = 3 * bins - 1;
    if (x < -bound || x > bound) { /* linear tail: y = x, log|det| = 0 */
        *dx = (float) gy;
        for (int j = 0; j < per; j++) draw[j * stride] = 0.0f;
        return;
    }
    double cw[BV2J_SPLINE_MAX_BINS + 1], ch[BV2J_SPLINE_MAX_BINS + 1];
    double sw[BV2J_SPLINE_MAX_BINS], sh[BV2J_SPLINE_MAX_BINS];
    const float *raw_h = raw + bins * stride, *raw_d = raw + 2 * bins * stride;
    /* The forward's own knot routine, so the bin found here is the forward's bin. */
    bv2j_spline_knots(raw, stride, bins, scale, -bound, bound, cw);
    bv2j_spline_knots(raw_h, stride, bins, scale, -bound, bound, ch);
    bv2j_spline_bin_softmax(raw, stride, bins, scale, sw);
    bv2j_spline_bin_softmax(raw_h, stride, bins, scale, sh);
    const int bin = bv2j_spline_bin(inverse ? ch : cw, bins, x);

    bv2j_spline_bin_in in = {
        bv2j_dual_var(x, BV2J_SPLINE_IN_X),
        bv2j_dual_var(cw[bin], BV2J_SPLINE_IN_CW0), bv2j_dual_var(cw[bin + 1], BV2J_SPLINE_IN_CW1),
        bv2j_dual_var(ch[bin], BV2J_SPLINE_IN_CH0), bv2j_dual_var(ch[bin + 1], BV2J_SPLINE_IN_CH1),
        bv2j_dual_const(1.0), bv2j_dual_const(1.0),
    };
    if (bin > 0)
        in.d_lo = bv2j_dual_var(BV2J_MIN_DERIVATIVE + bv2j_softplus(raw_d[(bin - 1) * stride]), BV2J_SPLINE_IN_DLO);
    if (bin < bins - 1)
        in.d_hi = bv2j_dual_var(BV2J_MIN_DERIVATIVE + bv2j_softplus(raw_d[bin * stride]), BV2J_SPLINE_IN_DHI);
    bv2j_dual y, logdet;
    bv2j_spline_dual(&in, inverse, &y, &logdet);
    double g[BV2J_DUAL_N];
    for (int i = 0; i < BV2J_DUAL_N; i++) g[i] = gy * y.d[i] + glad * logdet.d[i];

    *dx = (float) g[BV2J_SPLINE_IN_X];
    const double coef = 2.0 * bound * (1.0 - BV2J_MIN_BIN * bins) / scale;
    bv2j_spline_knots_backward(sw, bins, bin, g[BV2J_SPLINE_IN_CW0], g[BV2J_SPLINE_IN_CW1], coef, draw, stride);
    bv2j_spline_knots_backward(sh, bins, bin, g[BV2J_SPLINE_IN_CH0], g[BV2J_SPLINE_IN_CH1], coef, draw + bins * stride, stride);
    float *draw_d = draw + 2 * bins * stride;
    for (int j = 0; j < bins - 1; j++) draw_d[j * stride] = 0.0f;
    if (bin > 0)
        draw_d[(bin - 1) * stride] = (float) (g[BV2J_SPLINE_IN_DLO] * bv2j_softplus_grad(raw_d[(bin - 1) * stride]));
    if (bin < bins - 1)
        draw_d[bin * stride] = (float) (g[BV2J_SPLINE_IN_DHI] * bv2j_softplus_grad(raw_d[bin * stride]));
}

#endif
