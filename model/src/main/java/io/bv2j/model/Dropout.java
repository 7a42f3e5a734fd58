package io.bv2j.model;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.OptionalLong;

/**
 * nn.Dropout for the modules that have one. Off unless a training loop turns it on for its
 * thread with a source of uniform draws ({@code try (var d = Dropout.train(noise))}): inference
 * and the parity tests (the reference's eval mode) never drop anything.
 */
public final class Dropout implements AutoCloseable {
    private static final ThreadLocal<Noise> SOURCE = new ThreadLocal<>();
    private final Noise previous;

    private Dropout(Noise source) {
        previous = SOURCE.get();
        SOURCE.set(source);
    }

    /** Drops with the modules' probabilities, drawing from `source`, until closed. */
    public static Dropout train(Noise source) {
        return new Dropout(source);
    }

    @Override
    public void close() {
        SOURCE.set(previous);
    }

    /** Whether a training loop has turned dropout on for this thread. */
    public static boolean active() {
        return SOURCE.get() != null;
    }

    /**
     * A 64-bit seed for a kernel that draws its own counter-based dropout mask (the attention
     * probabilities, see Ops.relAttention), made from two uniform draws of the active source; empty
     * when dropout is off (nothing is drawn then).
     */
    public static OptionalLong seed() {
        Noise source = SOURCE.get();
        if (source == null) return OptionalLong.empty();
        Tensor u = source.uniform("dropout_seed", 2);
        long hi = Float.floatToRawIntBits(u.get(0)) & 0xffffffffL, lo = Float.floatToRawIntBits(u.get(1)) & 0xffffffffL;
        return OptionalLong.of(hi << 32 | lo);
    }

    /** x with each element zeroed with probability p and the rest scaled by 1/(1-p); x itself when off. */
    public static Tensor apply(Tensor x, double p) {
        Noise source = SOURCE.get();
        if (source == null || p <= 0) return x;
        return Ops.dropout(x, source.uniform("dropout", x.shape()), (float) p);
    }
}
