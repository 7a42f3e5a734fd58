package io.bv2j.training.conformance;

import io.bv2j.Bv2jException;
import io.bv2j.align.MonotonicAlignment;
import io.bv2j.conformance.Compare;
import io.bv2j.conformance.ConformanceCase;
import io.bv2j.conformance.GoldenContext;
import io.bv2j.conformance.GoldenFile;
import io.bv2j.conformance.Row;
import io.bv2j.io.RawTensor;
import io.bv2j.model.Commons;

import java.util.Arrays;
import java.util.List;

/**
 * modules/alignment: monotonic alignment search (out/path from in/neg_cent and in/mask) and
 * generate_path (out/generate_path from in/duration and in/x_mask). Both are integer-valued
 * and must match exactly.
 */
public final class AlignmentCase implements ConformanceCase {
    @Override
    public String group() {
        return "alignment";
    }

    @Override
    public String file() {
        return "modules/alignment.safetensors";
    }

    @Override
    public List<Row> run(GoldenContext ctx, GoldenFile g) {
        return List.of(maximumPath(g), generatePath(g));
    }

    /** maximum_path(neg_cent [b, t_t, t_s], mask [b, t_t, t_s]). */
    private Row maximumPath(GoldenFile g) {
        RawTensor negCent = g.raw("in/neg_cent");
        long[] s = negCent.shape();
        if (s.length != 3 || !Arrays.equals(s, g.raw("in/mask").shape())) {
            throw new Bv2jException(file() + ": in/neg_cent and in/mask must be the same [b, t_t, t_s]");
        }
        float[] path = MonotonicAlignment.maximumPath(negCent.toFloats(), g.raw("in/mask").toFloats(),
                Math.toIntExact(s[0]), Math.toIntExact(s[1]), Math.toIntExact(s[2]));
        return integers("path", path, s, g.raw("out/path"));
    }

    /**
     * generate_path(duration [b, 1, t_x], attn_mask) with the mask infer builds: x lengths from
     * x_mask, y lengths = clamp_min(sum(duration), 1), t_y = the longest.
     */
    private Row generatePath(GoldenFile g) {
        RawTensor dur = g.raw("in/duration"), xMask = g.raw("in/x_mask");
        long[] s = dur.shape();
        if (s.length != 3 || s[1] != 1 || !Arrays.equals(s, xMask.shape())) {
            throw new Bv2jException(file() + ": in/duration and in/x_mask must be the same [b, 1, t_x]");
        }
        int b = Math.toIntExact(s[0]), tx = Math.toIntExact(s[2]);
        float[] d = dur.toFloats(), m = xMask.toFloats();
        float[][] durations = new float[b][];
        int[] xLengths = new int[b], yLengths = new int[b];
        int ty = 0;
        for (int i = 0; i < b; i++) {
            durations[i] = Arrays.copyOfRange(d, i * tx, (i + 1) * tx);
            double xs = 0, ys = 0;
            for (int x = 0; x < tx; x++) {
                xs += m[i * tx + x];
                ys += durations[i][x];
            }
            xLengths[i] = (int) xs;
            yLengths[i] = Math.max(1, (int) ys);
            ty = Math.max(ty, yLengths[i]);
        }
        float[] path = Commons.pathTensor(Commons.pathIndex(durations, xLengths, yLengths, ty), tx).toArray();
        return integers("generate_path", path, new long[]{b, 1, ty, tx}, g.raw("out/generate_path"));
    }

    /** Exact comparison of a 0/1 tensor of shape `shape` with the reference's. */
    private Row integers(String name, float[] ours, long[] shape, RawTensor ref) {
        if (!Arrays.equals(shape, ref.shape())) {
            return Row.failure(file(), "out/" + name, "shape " + Arrays.toString(shape) + " but reference "
                    + Arrays.toString(ref.shape()));
        }
        return Compare.floats(file(), "out/" + name, ours, ref.toFloats(), 0, true);
    }
}
