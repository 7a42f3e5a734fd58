package io.bv2j.conformance;

/**
 * Relative L2 tolerances against the float64 reference (golden/README.md and the issues):
 * a float32 module forward lands near 1e-5 and a gradient near 1e-4; the end-to-end waveform
 * and stages of infer must be within 1e-4; integer outputs (paths, lengths, w_ceil) are exact.
 */
public final class Tolerances {
    public static final double MODULE_FORWARD = 1e-5;
    public static final double INFER = 1e-4;
    public static final double GRADIENT = 1e-3;
    public static final double LOSS = 1e-4;
    public static final double PARAMETER_AFTER_STEP = 1e-5;
    /**
     * Floor of a gradient's reference norm, relative to the largest gradient of the same backward
     * pass, when measuring relative error: below it a gradient is float32 rounding noise of an
     * analytically-zero quantity (e.g. a key bias under softmax: float32 leaves ~1e-8 of the
     * largest gradient there, float64 ~1e-18) and its own norm means nothing.
     */
    public static final double GRADIENT_FLOOR = 1e-4;

    private Tolerances() {
    }
}
