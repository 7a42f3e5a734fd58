package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

/** attentions.FFN (relu, non-causal "same" padding: left (k-1)/2, right k/2). */
public final class FFN extends Module {
    private final Conv1d conv1, conv2;
    private final int padLeft, padRight;
    private final double pDropout;

    public FFN(int in, int out, int filter, int kernel, double pDropout) {
        this.pDropout = pDropout;
        conv1 = child("conv_1", Conv1d.of(in, filter, kernel).build());
        conv2 = child("conv_2", Conv1d.of(filter, out, kernel).build());
        padLeft = (kernel - 1) / 2;
        padRight = kernel / 2;
    }

    public Tensor forward(Tensor x, Tensor mask) {
        // In inference each step keeps only its result: the filter-wide intermediates ([B, filter, T],
        // tens of MB for a long utterance) are freed as soon as the next step has read them.
        Tensor h = Scope.keepResultOnly(() -> Dropout.apply(Ops.relu(conv1.forward(Ops.mul(x, mask), padLeft, padRight)), pDropout));
        Tensor o = Scope.keepResultOnly(() -> conv2.forward(Ops.mul(h, mask), padLeft, padRight), h);
        return Scope.keepResultOnly(() -> Ops.mul(o, mask), o);
    }
}
