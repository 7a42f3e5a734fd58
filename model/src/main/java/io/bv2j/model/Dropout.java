package io.bv2j.model;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

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

    /** x with each element zeroed with probability p and the rest scaled by 1/(1-p); x itself when off. */
    public static Tensor apply(Tensor x, double p) {
        Noise source = SOURCE.get();
        if (source == null || p <= 0) return x;
        return Ops.dropout(x, source.uniform("dropout", x.shape()), (float) p);
    }
}
