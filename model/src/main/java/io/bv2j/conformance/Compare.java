package io.bv2j.conformance;

import io.bv2j.tensor.Tensor;

import java.util.Arrays;

/** Turns (ours, reference) pairs into rows; shapes must agree exactly. */
public final class Compare {
    private Compare() {
    }

    public static Row floats(String caseId, String name, Tensor ours, float[] ref, long[] refShape, double tolerance) {
        if (!sameShape(ours.shape(), refShape)) {
            return Row.failure(caseId, name, "shape " + Arrays.toString(ours.shape()) + " but reference "
                    + Arrays.toString(refShape));
        }
        return floats(caseId, name, ours.toArray(), ref, tolerance, false);
    }

    public static Row floats(String caseId, String name, float[] ours, float[] ref, double tolerance, boolean integer) {
        if (ours.length != ref.length) {
            return Row.failure(caseId, name, ours.length + " values but reference has " + ref.length);
        }
        double diff = 0, norm = 0, maxAbs = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = (double) ours[i] - ref[i];
            diff += d * d;
            norm += (double) ref[i] * ref[i];
            maxAbs = Math.max(maxAbs, Math.abs(d));
            if (Double.isNaN(d)) maxAbs = Double.NaN;
        }
        double rel = norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
        return new Row(caseId, name, rel, maxAbs, tolerance, integer, null);
    }

    public static Row integers(String caseId, String name, long[] ours, long[] ref) {
        if (ours.length != ref.length) {
            return Row.failure(caseId, name, ours.length + " values but reference has " + ref.length);
        }
        double maxAbs = 0, diff = 0, norm = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = ours[i] - ref[i];
            maxAbs = Math.max(maxAbs, Math.abs(d));
            diff += d * d;
            norm += (double) ref[i] * ref[i];
        }
        return new Row(caseId, name, norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm), maxAbs, 0, true, null);
    }

    /**
     * A gradient: relative L2 error, where the reference norm is floored at
     * {@link Tolerances#GRADIENT_FLOOR} times the largest reference gradient norm of the same
     * backward pass (`scale`). Gradients that are analytically zero (e.g. a key bias under a
     * softmax) are float noise in both implementations; relative to themselves they mean nothing.
     */
    public static Row gradient(String caseId, String name, float[] ours, float[] ref, double scale, double tolerance) {
        if (ours.length != ref.length) return Row.failure(caseId, name, ours.length + " values but reference has " + ref.length);
        double diff = 0, norm = 0, maxAbs = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = (double) ours[i] - ref[i];
            diff += d * d;
            norm += (double) ref[i] * ref[i];
            maxAbs = Math.max(maxAbs, Math.abs(d));
        }
        double denom = Math.max(Math.sqrt(norm), Tolerances.GRADIENT_FLOOR * scale);
        double rel = denom == 0 ? Math.sqrt(diff) : Math.sqrt(diff) / denom;
        if (Double.isNaN(diff)) rel = Double.NaN;
        return new Row(caseId, name, rel, maxAbs, tolerance, false, null);
    }

    /**
     * A parameter the reference leaves without a gradient (None: not on the loss's path). Ours
     * must be absent or exactly zero.
     */
    public static Row absentGradient(String caseId, String name, float[] ours) {
        double n = ours == null ? 0 : norm(ours);
        return new Row(caseId, name + " (none)", n, n, 0, true, null);
    }

    /** The L2 norm of a float array, in double. */
    public static double norm(float[] v) {
        double sq = 0;
        for (float x : v) sq += (double) x * x;
        return Math.sqrt(sq);
    }

    /**
     * A gradient the golden file keeps only as [L2 norm, sum]: the row's error is the larger of
     * |norm - ref| / ref and |sum - ref| / ref norm (a sum can be near zero, the norm cannot).
     */
    public static Row normAndSum(String caseId, String name, float[] ours, double refNorm, double refSum,
                                 double scale0, double tolerance) {
        double sq = 0, sum = 0;
        for (float v : ours) {
            sq += (double) v * v;
            sum += v;
        }
        double norm = Math.sqrt(sq);
        double scale = Math.max(refNorm, Tolerances.GRADIENT_FLOOR * scale0);
        if (scale == 0) scale = 1;
        double err = Math.max(Math.abs(norm - refNorm), Math.abs(sum - refSum)) / scale;
        return new Row(caseId, name, err, Math.abs(norm - refNorm), tolerance, false, null);
    }

    private static boolean sameShape(int[] a, long[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
        return true;
    }
}
