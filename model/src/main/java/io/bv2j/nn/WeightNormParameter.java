package io.bv2j.nn;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * A weight stored by torch's weight_norm as `<name>_g` and `<name>_v`: weight = g * v / ||v||
 * with the norm over every dim but 0 (for ConvTranspose1d, whose weight is [in, out, k], that is
 * per input channel). For inference it is folded once at load (a checkpoint whose weight norm was
 * already removed may give the plain `<name>`); for training g and v stay the parameters and the
 * weight is a differentiable op recomputed at each use, so gradients land on g and v.
 */
public final class WeightNormParameter extends Parameter {
    private Tensor g, v;

    WeightNormParameter(int[] shape) {
        super(shape);
    }

    @Override
    void load(StateDict sd, String key, Arena arena, boolean training) {
        if (!training && sd.contains(key) && !sd.contains(key + "_v")) {
            super.load(sd, key, arena, false);
            return;
        }
        int[] gShape = new int[shape.length];
        Arrays.fill(gShape, 1);
        gShape[0] = shape[0];
        float[] gv = sd.take(key + "_g", gShape);
        if (training) {
            g = Tensor.of(arena, gv, gShape).requireGrad(arena);
            v = Tensor.of(arena, sd.take(key + "_v", shape), shape).requireGrad(arena);
            value = null;
        } else {
            // v goes straight to native memory and is folded there: no heap copy of the weight.
            value = Tensor.allocate(arena, shape);
            sd.takeInto(key + "_v", shape, value.segment());
            foldInPlace(gv, value.segment(), shape[0]);
        }
    }

    @Override
    public Tensor value() {
        return g != null ? Ops.weightNorm(g, v) : super.value();
    }

    @Override
    void visitLeaves(String key, BiConsumer<String, Tensor> visitor) {
        if (g == null) {
            super.visitLeaves(key, visitor);
            return;
        }
        visitor.accept(key + "_g", g);
        visitor.accept(key + "_v", v);
    }

    /** vw[i, ...] becomes g[i] * v[i, ...] / ||v[i, ...]|| (v as stored in vw; the norm accumulated in double). */
    static void foldInPlace(float[] g, MemorySegment vw, int rows) {
        long per = vw.byteSize() / Float.BYTES / rows;
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            for (long j = i * per; j < (i + 1) * per; j++) {
                double x = vw.getAtIndex(ValueLayout.JAVA_FLOAT, j);
                sq += x * x;
            }
            double s = g[i] / Math.sqrt(sq);
            for (long j = i * per; j < (i + 1) * per; j++) {
                vw.setAtIndex(ValueLayout.JAVA_FLOAT, j, (float) (vw.getAtIndex(ValueLayout.JAVA_FLOAT, j) * s));
            }
        }
    }
}
