package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/** commons.py: sequence masks and the monotonic path from integer durations. */
public final class Commons {
    private Commons() {
    }

    /** mask[b, 0, t] = t < lengths[b], as [B, 1, T]. */
    public static Tensor sequenceMask(int[] lengths, int time) {
        Tensor m = Tensor.zeros(lengths.length, 1, time);
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < Math.min(lengths[b], time); t++) m.set((long) b * time + t, 1f);
        }
        return m;
    }

    /**
     * generate_path: for each output frame y the input index x with c[x-1] <= y < c[x]
     * (c = cumulative durations), or -1 where the frame is masked or beyond every duration.
     * Durations are integral (w_ceil). Returns index[b][y] for y < ty.
     */
    public static int[][] pathIndex(float[][] durations, int[] xLengths, int[] yLengths, int ty) {
        int[][] index = new int[durations.length][ty];
        for (int b = 0; b < durations.length; b++) {
            java.util.Arrays.fill(index[b], -1);
            long start = 0;
            for (int x = 0; x < xLengths[b]; x++) {
                long end = start + (long) durations[b][x];
                for (long y = Math.max(start, 0); y < Math.min(end, yLengths[b]); y++) index[b][(int) y] = x;
                start = end;
            }
        }
        return index;
    }

    /** The path as the reference's dense attn [B, 1, ty, tx] (for comparisons and training). */
    public static Tensor pathTensor(int[][] index, int tx) {
        int b = index.length, ty = b == 0 ? 0 : index[0].length;
        Tensor attn = Tensor.zeros(b, 1, ty, tx);
        for (int i = 0; i < b; i++) {
            for (int y = 0; y < ty; y++) {
                if (index[i][y] >= 0) attn.set(((long) i * ty + y) * tx + index[i][y], 1f);
            }
        }
        return attn;
    }
}
