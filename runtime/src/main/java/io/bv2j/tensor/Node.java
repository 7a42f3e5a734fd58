package io.bv2j.tensor;

/**
 * One recorded op: its inputs and how to turn the gradient of its output into gradients of its
 * inputs (null where an input needs none). Backward rules run with recording off.
 */
final class Node {
    /** Gradients of the inputs (same order; null = no gradient) from the output's gradient. */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    final Tensor[] inputs;
    final Backward backward;

    Node(Tensor[] inputs, Backward backward) {
        this.inputs = inputs;
        this.backward = backward;
    }
}
