package io.bv2j.nn;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;


/** torch.nn.Embedding: weight [num, dim]; lookups come out channel-first, [B, dim, T]. */
public final class Embedding extends Module {
    private final Parameter weight;
    private final int num;
    private final String what;

    public Embedding(int num, int dim, String what) {
        this.num = num;
        this.what = what;
        this.weight = parameter("weight", num, dim);
    }

    /** ids[B][T] -> [B, dim, T] */
    public Tensor forward(int[][] ids) {
        return Ops.embedding(weight.value(), ids, what);
    }

    public int size() {
        return num;
    }
}
