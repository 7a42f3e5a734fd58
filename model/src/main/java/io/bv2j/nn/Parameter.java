package io.bv2j.nn;

import io.bv2j.tensor.Tensor;

import java.lang.foreign.Arena;

/** A named, shaped slot filled from a checkpoint. */
public class Parameter {
    protected final int[] shape;
    protected Tensor value;

    Parameter(int[] shape) {
        this.shape = shape.clone();
    }

    void load(StateDict sd, String key, Arena arena) {
        value = Tensor.of(arena, sd.take(key, shape), shape);
    }

    public Tensor value() {
        if (value == null) throw new IllegalStateException("parameter not loaded");
        return value;
    }

    public int[] shape() {
        return shape.clone();
    }
}
