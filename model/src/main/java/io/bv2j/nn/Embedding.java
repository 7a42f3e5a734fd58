package io.bv2j.nn;

import io.bv2j.Bv2jException;
import io.bv2j.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/** torch.nn.Embedding: weight [num, dim]; lookups come out channel-first, [B, dim, T]. */
public final class Embedding extends Module {
    private final Parameter weight;
    private final int num, dim;
    private final String what;

    public Embedding(int num, int dim, String what) {
        this.num = num;
        this.dim = dim;
        this.what = what;
        this.weight = parameter("weight", num, dim);
    }

    /** ids[B][T] -> [B, dim, T] */
    public Tensor forward(int[][] ids) {
        int b = ids.length, t = b == 0 ? 0 : ids[0].length;
        Tensor y = Tensor.zeros(b, dim, t);
        MemorySegment w = weight.value().segment();
        for (int i = 0; i < b; i++) {
            if (ids[i].length != t) throw new IllegalArgumentException(what + ": ragged id rows");
            for (int j = 0; j < t; j++) {
                int id = ids[i][j];
                if (id < 0 || id >= num) throw new Bv2jException(what + " id " + id + " is outside [0, " + num + ")");
                for (int c = 0; c < dim; c++) {
                    y.set(((long) i * dim + c) * t + j, w.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, (long) id * dim + c));
                }
            }
        }
        return y;
    }

    public int size() {
        return num;
    }
}
