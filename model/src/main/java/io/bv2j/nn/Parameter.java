package io.bv2j.nn;

import io.bv2j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.function.BiConsumer;

/**
 * A named, shaped slot filled from a checkpoint. Loaded for training, its tensor is a leaf that
 * requires a gradient (accumulated in the same arena).
 */
public class Parameter {
    protected final int[] shape;
    protected Tensor value;

    Parameter(int[] shape) {
        this.shape = shape.clone();
    }

    void load(StateDict sd, String key, Arena arena, boolean training) {
        value = Tensor.allocate(arena, shape);
        sd.takeInto(key, shape, value.segment());
        if (training) value.requireGrad(arena);
    }

    public Tensor value() {
        if (value == null) throw new IllegalStateException("parameter not loaded");
        return value;
    }

    /** The tensors an optimizer updates, by state-dict name. */
    void visitLeaves(String key, BiConsumer<String, Tensor> visitor) {
        visitor.accept(key, value());
    }

    public int[] shape() {
        return shape.clone();
    }
}
