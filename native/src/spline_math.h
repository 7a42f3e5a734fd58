/* Piecewise rational-quadratic spline with linear tails (Durkan et al. 2019, as in the VITS
 * transforms.py), one element at a time. Double precision inside: the reference's float32
 * version and our float32 inputs differ only by rounding, and double keeps us closest to both.
 * Shared by the CPU kernel and (later) the CUDA one. */
#ifndef BV2J_SPLINE_MATH_H
#define BV2J_SPLINE_MATH_H
#include <math.h>
#include "gate_math.h"

#define BV2J_SPLINE_MAX_BINS 64
#define BV2J_MIN_BIN 1e-3
#define BV2J_MIN_DERIVATIVE 1e-3

BV2J_INLINE double bv2j_softplus(double x) { return x > 20.0 ? x : log1p(exp(x)); }

/* Softmax-normalised bin sizes to knots in [lo, hi] with the end knots pinned. `knots` has
 * bins + 1 entries. */
BV2J_INLINE void bv2j_spline_knots(const float *raw, long stride, int bins, double scale,
                                    double lo, double hi, double *knots) {
    double mx = -INFINITY, sum = 0.0, e[BV2J_SPLINE_MAX_BINS];
    for (int j = 0; j < bins; j++) {
        double u = raw[j * stride] / scale;
        if (u > mx) mx = u;
    }
    for (int j = 0; j < bins; j++) {
        e[j] = exp(raw[j * stride] / scale - mx);
        sum += e[j];
    }
    double cum = 0.0;
    knots[0] = lo;
    for (int j = 0; j < bins; j++) {
        cum += BV2J_MIN_BIN + (1.0 - BV2J_MIN_BIN * bins) * (e[j] / sum);
        knots[j + 1] = (hi - lo) * cum + lo;
    }
    knots[bins] = hi;
}

/* Number of knots <= x, minus one, with the last knot nudged up (torch searchsorted in
 * transforms.py), clamped to a valid bin. */
BV2J_INLINE int bv2j_spline_bin(const double *knots, int bins, double x) {
    int count = 0;
    for (int j = 0; j <= bins; j++) {
        double kj = j == bins ? knots[j] + 1e-6 : knots[j];
        if (x >= kj) count++;
    }
    int bin = count - 1;
    return bin < 0 ? 0 : (bin >= bins ? bins - 1 : bin);
}

/* y and log|det| of the forward (inverse = 0) or inverse map of one element. `raw` points at
 * its 3K-1 parameters, `stride` elements apart. Inputs outside [-B, B] pass through. */
BV2J_INLINE void bv2j_rq_spline_one(double x, const float *raw, long stride, int bins,
                                     double bound, double scale, int inverse, double *y,
                                     double *logdet) {
    if (x < -bound || x > bound) {
        *y = x;
        *logdet = 0.0;
        return;
    }
    double cw[BV2J_SPLINE_MAX_BINS + 1], ch[BV2J_SPLINE_MAX_BINS + 1];
    bv2j_spline_knots(raw, stride, bins, scale, -bound, bound, cw);
    bv2j_spline_knots(raw + bins * stride, stride, bins, scale, -bound, bound, ch);
    /* Inner derivatives from softplus; both boundary derivatives are exactly 1 because the
     * reference pads with log(exp(1 - min_d) - 1). */
    const int bin = bv2j_spline_bin(inverse ? ch : cw, bins, x);
    const double d_lo = bin == 0 ? 1.0
        : BV2J_MIN_DERIVATIVE + bv2j_softplus(raw[(2 * bins + bin - 1) * stride]);
    const double d_hi = bin == bins - 1 ? 1.0
        : BV2J_MIN_DERIVATIVE + bv2j_softplus(raw[(2 * bins + bin) * stride]);
    const double w = cw[bin + 1] - cw[bin], h = ch[bin + 1] - ch[bin];
    const double delta = h / w;
    const double mid = d_lo + d_hi - 2.0 * delta;
    double theta;
    if (inverse) {
        const double dy = x - ch[bin];
        const double a = dy * mid + h * (delta - d_lo);
        const double b = h * d_lo - dy * mid;
        const double c = -delta * dy;
        const double disc = b * b - 4.0 * a * c;
        theta = (2.0 * c) / (-b - sqrt(disc > 0.0 ? disc : 0.0));
        *y = theta * w + cw[bin];
    } else {
        theta = (x - cw[bin]) / w;
        const double t1 = theta * (1.0 - theta);
        *y = ch[bin] + h * (delta * theta * theta + d_lo * t1) / (delta + mid * t1);
    }
    const double t1 = theta * (1.0 - theta);
    const double denom = delta + mid * t1;
    const double num = delta * delta * (d_hi * theta * theta + 2.0 * delta * t1
                                        + d_lo * (1.0 - theta) * (1.0 - theta));
    const double lad = log(num) - 2.0 * log(denom);
    *logdet = inverse ? -lad : lad;
}

#endif
