/* Forward-mode dual numbers in double: a value and its partial derivatives with respect to up to
 * BV2J_DUAL_N chosen inputs. A formula re-run on duals yields its exact gradient with no hand
 * derivation, which is how the spline backward differentiates the bin-local spline formulas of
 * spline_math.h (inverse quadratic root included). Host and device safe, like gate_math.h. */
#ifndef BV2J_DUAL_MATH_H
#define BV2J_DUAL_MATH_H
#include <math.h>
#include "gate_math.h"

/* Seven is what the spline needs: x, two width knots, two height knots, two derivatives. */
#define BV2J_DUAL_N 7

typedef struct {
    double v;
    double d[BV2J_DUAL_N];
} bv2j_dual;

BV2J_INLINE bv2j_dual bv2j_dual_const(double v) {
    bv2j_dual r;
    r.v = v;
    for (int i = 0; i < BV2J_DUAL_N; i++) r.d[i] = 0.0;
    return r;
}

/* The input with index `slot`: derivative 1 with respect to itself. */
BV2J_INLINE bv2j_dual bv2j_dual_var(double v, int slot) {
    bv2j_dual r = bv2j_dual_const(v);
    r.d[slot] = 1.0;
    return r;
}

BV2J_INLINE bv2j_dual bv2j_dual_add(bv2j_dual a, bv2j_dual b) {
    bv2j_dual r;
    r.v = a.v + b.v;
    for (int i = 0; i < BV2J_DUAL_N; i++) r.d[i] = a.d[i] + b.d[i];
    return r;
}

BV2J_INLINE bv2j_dual bv2j_dual_sub(bv2j_dual a, bv2j_dual b) {
    bv2j_dual r;
    r.v = a.v - b.v;
    for (int i = 0; i < BV2J_DUAL_N; i++) r.d[i] = a.d[i] - b.d[i];
    return r;
}

BV2J_INLINE bv2j_dual bv2j_dual_mul(bv2j_dual a, bv2j_dual b) {
    bv2j_dual r;
    r.v = a.v * b.v;
    for (int i = 0; i < BV2J_DUAL_N; i++) r.d[i] = a.d[i] * b.v + a.v * b.d[i];
    return r;
}

BV2J_INLINE bv2j_dual bv2j_dual_scale(bv2j_dual a, double s) {
    bv2j_dual r;
    r.v = a.v * s;
    for (int i = 0; i < BV2J_DUAL_N; i++) r.d[i] = a.d[i] * s;
    return r;
}

BV2J_INLINE bv2j_dual bv2j_dual_div(bv2j_dual a, bv2j_dual b) {
    bv2j_dual r;
    r.v = a.v / b.v;
    /* (a/b)' = (a' - (a/b) b') / b */
    for (int i = 0; i < BV2J_DUAL_N; i++) r.d[i] = (a.d[i] - r.v * b.d[i]) / b.v;
    return r;
}

/* sqrt(max(a, 0)) like the forward's clamped discriminant: the clamped side is constant. */
BV2J_INLINE bv2j_dual bv2j_dual_sqrt_pos(bv2j_dual a) {
    if (!(a.v > 0.0)) return bv2j_dual_const(0.0);
    bv2j_dual r;
    r.v = sqrt(a.v);
    for (int i = 0; i < BV2J_DUAL_N; i++) r.d[i] = a.d[i] / (2.0 * r.v);
    return r;
}

BV2J_INLINE bv2j_dual bv2j_dual_log(bv2j_dual a) {
    bv2j_dual r;
    r.v = log(a.v);
    for (int i = 0; i < BV2J_DUAL_N; i++) r.d[i] = a.d[i] / a.v;
    return r;
}

#endif
