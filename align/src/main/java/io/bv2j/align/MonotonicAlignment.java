package io.bv2j.align;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Monotonic alignment search (VITS monotonic_align.maximum_path): the hard alignment between
 * spectrogram frames y and text tokens x that maximises the summed log-likelihood neg_cent,
 * with every token given at least one frame, in order. Training only; no gradient flows
 * through it. Arrays are dense row-major [batch, maxTy, maxTx].
 */
public final class MonotonicAlignment {
    private MonotonicAlignment() {
    }

    /**
     * The reference's maximum_path(neg_cent, mask) with mask [batch, maxTy, maxTx]: frame counts
     * are mask.sum(1)[:, 0] and token counts mask.sum(2)[:, 0], truncated to int as numpy does.
     */
    public static float[] maximumPath(float[] negCent, float[] mask, int batch, int maxTy, int maxTx) {
        long plane = planeSize(batch, maxTy, maxTx);
        requireLength("mask", mask, plane * batch);
        int[] tY = new int[batch], tX = new int[batch];
        for (int b = 0; b < batch && plane > 0; b++) { // an empty plane has no lengths to read: all 0
            long base = b * plane;
            double frames = 0, tokens = 0;
            for (int y = 0; y < maxTy; y++) frames += mask[(int) (base + (long) y * maxTx)];
            for (int x = 0; x < maxTx; x++) tokens += mask[(int) (base + x)];
            tY[b] = countOf("frames", frames, b);
            tX[b] = countOf("tokens", tokens, b);
        }
        return maximumPath(negCent, tY, tX, batch, maxTy, maxTx);
    }

    /**
     * Path [batch, maxTy, maxTx] of 0/1 through negCent[b, :tY[b], :tX[b]]. A row with tY[b] == 0
     * stays empty; otherwise 1 <= tX[b] <= tY[b] (a path must give each token a frame).
     */
    public static float[] maximumPath(float[] negCent, int[] tY, int[] tX, int batch, int maxTy, int maxTx) {
        long plane = planeSize(batch, maxTy, maxTx);
        requireLength("neg_cent", negCent, plane * batch);
        if (tY.length != batch || tX.length != batch) {
            throw new IllegalArgumentException("maximum_path: " + batch + " rows but " + tY.length + " frame counts and "
                    + tX.length + " token counts");
        }
        for (int b = 0; b < batch; b++) {
            if (tY[b] < 0 || tY[b] > maxTy || tX[b] < 0 || tX[b] > maxTx) {
                throw new IllegalArgumentException("maximum_path: row " + b + " has " + tY[b] + " frames and " + tX[b]
                        + " tokens, outside [" + maxTy + ", " + maxTx + "]");
            }
            if (tY[b] > 0 && (tX[b] < 1 || tX[b] > tY[b])) {
                throw new IllegalArgumentException("maximum_path: row " + b + " has " + tX[b] + " tokens for " + tY[b]
                        + " frames; a monotonic alignment needs 1 <= tokens <= frames");
            }
        }
        float[] path = new float[negCent.length];
        if (path.length == 0) return path;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nc = arena.allocateFrom(ValueLayout.JAVA_FLOAT, negCent);
            MemorySegment ys = arena.allocateFrom(ValueLayout.JAVA_INT, tY);
            MemorySegment xs = arena.allocateFrom(ValueLayout.JAVA_INT, tX);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, path.length);
            AlignKernels.maximumPath(nc, ys, xs, out, batch, maxTy, maxTx);
            MemorySegment.copy(out, ValueLayout.JAVA_FLOAT, 0, path, 0, path.length);
        }
        return path;
    }

    private static long planeSize(int batch, int maxTy, int maxTx) {
        if (batch < 0 || maxTy < 0 || maxTx < 0) {
            throw new IllegalArgumentException("maximum_path: negative size [" + batch + ", " + maxTy + ", " + maxTx + "]");
        }
        long plane = (long) maxTy * maxTx;
        if (plane * batch > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maximum_path: [" + batch + ", " + maxTy + ", " + maxTx
                    + "] does not fit one Java array");
        }
        return plane;
    }

    private static void requireLength(String what, float[] a, long expected) {
        if (a.length != expected) {
            throw new IllegalArgumentException("maximum_path: " + what + " has " + a.length + " values, expected "
                    + expected);
        }
    }

    /** numpy's astype(int32) of a mask sum; a sum that is not a count means a broken mask. */
    private static int countOf(String what, double sum, int row) {
        if (!(sum >= 0) || sum > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maximum_path: mask row " + row + " sums to " + sum + " " + what);
        }
        return (int) sum;
    }
}
