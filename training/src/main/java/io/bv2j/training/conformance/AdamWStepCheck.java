package io.bv2j.training.conformance;

import io.bv2j.io.ModelConfig;
import io.bv2j.training.AdamW;

/**
 * Element-wise check of one AdamW step against the float64 reference, for the first step from
 * empty state (m = v = 0, step 1): the step the golden train step takes, and the only one these
 * bounds hold for. The reference's update is computed here, in double, from torch.optim.AdamW's
 * formula, independently of {@link AdamW} and its native kernel: with bias corrections
 * bc1 = 1 − β1, bc2 = 1 − β2,
 * <pre>
 *   m = (1 − β1)·g,  v = (1 − β2)·g²,
 *   p = p0·(1 − lr·wd) − s(g),  s(g) = (lr / bc1)·m / (sqrt(v) / sqrt(bc2) + ε)
 * </pre>
 * (mathematically s(g) = lr·g / (|g| + ε): monotone in g, a full lr step of either sign once
 * |g| ≫ ε).
 *
 * <p><b>Gradient noise.</b> Our float32 backward and the float64 reference's give slightly
 * different gradients; per tensor the noise is estimated as N = max_i |g_ours,i − g_ref,i| (the
 * gradient rows separately bound ‖g_ours − g_ref‖, hence N, at 1e-3 of the reference norm, itself
 * floored at 1e-4 of the backward's largest), floored
 * at {@value #NOISE_FLOOR_ULPS} float32 ulps of max_i |g_ref,i| so that a bit-identical gradient
 * does not claim a zero interval. The reference's own float64 gradient is within
 * r_i = ½ ulp(g_ref,i) of the stored float32 g_ref,i.
 *
 * <p><b>Parameter bound.</b> Ours is float32(p0·(1 − lr·wd) − s(g_o)) with |g_o − g_ref,i| ≤ N;
 * the reference is float32(... − s(g64)) with |g64 − g_ref,i| ≤ r_i. As s is monotone,
 * <pre>
 *   |ours − ref| ≤ max(|s(g_ref + N) − s(g_ref − r)|, |s(g_ref + r) − s(g_ref − N)|)
 *                  + ulp32(max(|ours|, |ref|)) + 1e-14·(|p0| + lr)
 * </pre>
 * — the two float32 roundings of double results, and a slack far above the double-precision
 * error of evaluating the update on either side (~1e-15 relative) yet far below a float32 ulp.
 * Where |g_ref,i| ≫ N the first term vanishes and the bound is about one ulp; where the interval
 * [g_ref − N, g_ref + N] reaches zero, the step's direction is not determined in float32 (Adam
 * normalises noise into a full step) and the bound grows to at most 2·lr.
 *
 * <p><b>Moment bounds.</b> exp_avg: (1 − β1)·(N + r) plus rounding; exp_avg_sq:
 * (1 − β2)·(N + r)·(2|g_ref| + N + r) plus rounding. At step 1, β1 and β2 cancel between a moment
 * and its bias correction, so only the moments show a consistently wrong β.
 */
public final class AdamWStepCheck {
    /** The least gradient noise assumed, in float32 ulps of the tensor's largest reference gradient. */
    static final int NOISE_FLOOR_ULPS = 4;
    /** Relative slack for the double-precision evaluation of the update (see the class comment). */
    private static final double DOUBLE_SLACK = 1e-14;

    /** torch.optim.AdamW's hyperparameters. */
    public record Hyperparameters(double lr, double beta1, double beta2, double eps, double weightDecay) {
        /** The reference trainer's: train.* of config.json, torch's default weight decay. */
        public static Hyperparameters of(ModelConfig.Train t) {
            return new Hyperparameters(t.learningRate(), t.betas().get(0), t.betas().get(1), t.eps(), AdamW.WEIGHT_DECAY);
        }
    }

    /**
     * One tensor's verdict: the worst |ours − ref| / bound over its elements (at most 1 passes),
     * the largest |ours − ref|, and how many of its elements have a step whose direction float32
     * leaves open: a reference gradient within the noise (|g_ref,i| ≤ N) and noise of at least ε,
     * so that it can reach half a step or more of either sign (an exactly zero gradient on both
     * sides is not counted: its step is zero).
     */
    public record Verdict(double worstRatio, double maxAbs, int undetermined, int elements) {
    }

    private final Hyperparameters h;

    public AdamWStepCheck(Hyperparameters h) {
        this.h = h;
    }

    /** N of the class comment: the largest gradient difference of a tensor, floored. */
    public static double gradientNoise(float[] gRef, float[] gOurs) {
        requireSameLength(gRef, gOurs);
        double noise = 0, largest = 0;
        for (int i = 0; i < gRef.length; i++) {
            noise = Math.max(noise, Math.abs((double) gOurs[i] - gRef[i]));
            largest = Math.max(largest, Math.abs(gRef[i]));
        }
        return Math.max(noise, NOISE_FLOOR_ULPS * (double) Math.ulp((float) largest));
    }

    /** Parameters after the step, ours against the reference's. */
    public Verdict parameters(float[] p0, float[] gRef, float[] gOurs, float[] ref, float[] ours) {
        return parameters(p0, gRef, gradientNoise(gRef, gOurs), ref, ours);
    }

    /**
     * The reference side's premise: its parameters after the step are the first AdamW step of p0
     * with its own gradient and these hyperparameters (the bound with N = 0).
     */
    public Verdict reference(float[] p0, float[] gRef, float[] ref) {
        requireSameLength(p0, gRef);
        float[] predicted = new float[p0.length];
        for (int i = 0; i < p0.length; i++) predicted[i] = (float) (p0[i] * decay() - step(gRef[i]));
        return parameters(p0, gRef, 0, ref, predicted);
    }

    /** exp_avg after the step, ours against the reference's. */
    public Verdict expAvg(float[] gRef, float[] gOurs, float[] ref, float[] ours) {
        double noise = gradientNoise(gRef, gOurs);
        double[] spread = new double[gRef.length], magnitude = new double[gRef.length];
        for (int i = 0; i < gRef.length; i++) {
            double g = Math.abs(gRef[i]), w = noise + halfUlp(gRef[i]);
            spread[i] = (1 - h.beta1()) * w;
            magnitude[i] = (1 - h.beta1()) * (g + w);
        }
        return verdict(gRef, noise, ref, ours, spread, magnitude);
    }

    /** exp_avg_sq after the step, ours against the reference's. */
    public Verdict expAvgSq(float[] gRef, float[] gOurs, float[] ref, float[] ours) {
        double noise = gradientNoise(gRef, gOurs);
        double[] spread = new double[gRef.length], magnitude = new double[gRef.length];
        for (int i = 0; i < gRef.length; i++) {
            double g = Math.abs(gRef[i]), w = noise + halfUlp(gRef[i]);
            spread[i] = (1 - h.beta2()) * w * (2 * g + w);
            magnitude[i] = (1 - h.beta2()) * (g + w) * (g + w);
        }
        return verdict(gRef, noise, ref, ours, spread, magnitude);
    }

    private Verdict parameters(float[] p0, float[] gRef, double noise, float[] ref, float[] ours) {
        requireSameLength(p0, gRef);
        double[] spread = new double[gRef.length], magnitude = new double[gRef.length];
        for (int i = 0; i < gRef.length; i++) {
            double g = gRef[i], r = halfUlp(gRef[i]);
            spread[i] = Math.max(Math.abs(step(g + noise) - step(g - r)), Math.abs(step(g + r) - step(g - noise)));
            magnitude[i] = Math.abs(p0[i]) + h.lr();
        }
        return verdict(gRef, noise, ref, ours, spread, magnitude);
    }

    /**
     * Worst |ours − ref| / bound with bound_i = spread_i + ulp32(max(|ours_i|, |ref_i|)) +
     * DOUBLE_SLACK·magnitude_i; counts the elements whose step direction is undetermined.
     */
    private Verdict verdict(float[] gRef, double noise, float[] ref, float[] ours, double[] spread, double[] magnitude) {
        requireSameLength(gRef, ref);
        requireSameLength(gRef, ours);
        double worst = 0, maxAbs = 0;
        int undetermined = 0;
        for (int i = 0; i < gRef.length; i++) {
            if (Math.abs(gRef[i]) <= noise && noise >= h.eps()) undetermined++;
            double diff = Math.abs((double) ours[i] - ref[i]);
            double bound = spread[i] + Math.ulp((float) Math.max(Math.abs(ours[i]), Math.abs(ref[i])))
                    + DOUBLE_SLACK * magnitude[i];
            // Math.max keeps a NaN: a NaN parameter or noise fails the row.
            worst = Math.max(worst, diff / bound);
            maxAbs = Math.max(maxAbs, diff);
        }
        return new Verdict(worst, maxAbs, undetermined, gRef.length);
    }

    /** r of the class comment: how far the reference's float64 gradient may be from its float32 copy. */
    private static double halfUlp(float g) {
        return 0.5 * Math.ulp(g);
    }

    private double decay() {
        return 1 - h.lr() * h.weightDecay();
    }

    /** s(g): what the first step subtracts from the decayed parameter, in torch's order of operations. */
    private double step(double g) {
        double bc1 = 1 - h.beta1(), bc2 = 1 - h.beta2();
        double m = (1 - h.beta1()) * g, v = (1 - h.beta2()) * g * g;
        return h.lr() / bc1 * m / (Math.sqrt(v) / Math.sqrt(bc2) + h.eps());
    }

    private static void requireSameLength(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " values against " + b.length);
    }
}
