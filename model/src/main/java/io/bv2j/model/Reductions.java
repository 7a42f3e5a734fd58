package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/** Sums over every dim but the batch (torch.sum(x, [1, 2])), accumulated in double. */
final class Reductions {
    private Reductions() {
    }

    /** x[B, ...] -> [B]; a leading dim of 1 in x broadcasts to `batch` rows is not supported. */
    static Tensor sumPerBatch(Tensor x) {
        int b = x.dim(0);
        long per = b == 0 ? 0 : x.numel() / b;
        float[] out = new float[b];
        for (int i = 0; i < b; i++) {
            double s = 0;
            for (long j = 0; j < per; j++) s += x.get(i * per + j);
            out[i] = (float) s;
        }
        return Tensor.of(out, b);
    }
}
