package io.bv2j.align;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonotonicAlignmentTest {
    /** Token index of each frame in a [ty, tx] 0/1 path (one 1 per frame row), or -1. */
    private static int[] tokens(float[] path, int offset, int ty, int tx) {
        int[] r = new int[ty];
        for (int y = 0; y < ty; y++) {
            r[y] = -1;
            for (int x = 0; x < tx; x++) {
                if (path[offset + y * tx + x] == 1f) {
                    assertEquals(-1, r[y], "two tokens on frame " + y);
                    r[y] = x;
                } else {
                    assertEquals(0f, path[offset + y * tx + x]);
                }
            }
        }
        return r;
    }

    @Test
    void threeFramesTwoTokensFollowTheBetterMiddleFrame() {
        // only frame 1 is undecided: v[1,0] = a00 + a10 against v[1,1] = a00 + a11
        float[] prefersToken0 = {0, -5, -1, -2, -9, 0};
        float[] prefersToken1 = {0, -5, -2, -1, -9, 0};
        assertArrayEquals(new int[]{0, 0, 1},
                tokens(MonotonicAlignment.maximumPath(prefersToken0, new int[]{3}, new int[]{2}, 1, 3, 2), 0, 3, 2));
        assertArrayEquals(new int[]{0, 1, 1},
                tokens(MonotonicAlignment.maximumPath(prefersToken1, new int[]{3}, new int[]{2}, 1, 3, 2), 0, 3, 2));
    }

    @Test
    void equalLengthsGiveTheDiagonal() {
        int n = 6;
        float[] negCent = new float[n * n];
        Random rnd = new Random(1);
        for (int i = 0; i < negCent.length; i++) negCent[i] = -rnd.nextInt(100); // any values: no other path exists
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5},
                tokens(MonotonicAlignment.maximumPath(negCent, new int[]{n}, new int[]{n}, 1, n, n), 0, n, n));
    }

    @Test
    void oneTokenTakesEveryFrame() {
        float[] negCent = {-3, -1, -4, -1, -5};
        assertArrayEquals(new int[]{0, 0, 0, 0, 0},
                tokens(MonotonicAlignment.maximumPath(negCent, new int[]{5}, new int[]{1}, 1, 5, 1), 0, 5, 1));
    }

    @Test
    void paddedRowsStayEmptyAndTheInputIsUntouched() {
        int b = 3, ty = 5, tx = 3;
        float[] negCent = new float[b * ty * tx];
        for (int i = 0; i < negCent.length; i++) negCent[i] = -(i % 7);
        float[] before = negCent.clone();
        float[] path = MonotonicAlignment.maximumPath(negCent, new int[]{5, 3, 0}, new int[]{3, 2, 2}, b, ty, tx);
        assertArrayEquals(before, negCent);
        int[] row1 = tokens(path, ty * tx, ty, tx);
        assertEquals(-1, row1[3]);
        assertEquals(-1, row1[4]);
        assertEquals(0, row1[0]);
        assertEquals(1, row1[2]);
        for (int i = 2 * ty * tx; i < path.length; i++) assertEquals(0f, path[i]);
    }

    @Test
    void maskOverloadTakesLengthsFromTheMask() {
        int b = 2, ty = 4, tx = 3;
        float[] negCent = new float[b * ty * tx], mask = new float[b * ty * tx];
        int[] tY = {4, 3}, tX = {3, 2};
        for (int i = 0; i < b; i++) {
            for (int y = 0; y < tY[i]; y++) for (int x = 0; x < tX[i]; x++) mask[(i * ty + y) * tx + x] = 1;
        }
        for (int i = 0; i < negCent.length; i++) negCent[i] = (float) Math.sin(i);
        assertArrayEquals(MonotonicAlignment.maximumPath(negCent, tY, tX, b, ty, tx),
                MonotonicAlignment.maximumPath(negCent, mask, b, ty, tx));
    }

    @Test
    void emptySizesGiveAnEmptyPath() {
        assertEquals(0, MonotonicAlignment.maximumPath(new float[0], new float[0], 2, 3, 0).length);
        assertEquals(0, MonotonicAlignment.maximumPath(new float[0], new int[]{0, 0}, new int[]{0, 0}, 2, 0, 0).length);
    }

    @Test
    void matchesALiteralPortOfTheReferenceOnRandomInputs() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int b = 1 + rnd.nextInt(4), ty = 1 + rnd.nextInt(60), tx = 1 + rnd.nextInt(ty);
            int[] tY = new int[b], tX = new int[b];
            for (int i = 0; i < b; i++) {
                tY[i] = 1 + rnd.nextInt(ty);
                tX[i] = 1 + rnd.nextInt(Math.min(tx, tY[i]));
            }
            float[] negCent = new float[b * ty * tx];
            // coarse values make ties common, so tie-breaking is exercised too
            for (int i = 0; i < negCent.length; i++) negCent[i] = trial % 2 == 0 ? -rnd.nextInt(4) : (float) (rnd.nextGaussian() * 50 - 200);
            float[] ours = MonotonicAlignment.maximumPath(negCent, tY, tX, b, ty, tx);
            assertArrayEquals(reference(negCent, tY, tX, b, ty, tx), ours, "trial " + trial);
        }
    }

    /** monotonic_align.core.maximum_path_jit, line by line, on a float32 copy. */
    private static float[] reference(float[] negCent, int[] tYs, int[] tXs, int batch, int maxTy, int maxTx) {
        float[] value = negCent.clone(), path = new float[negCent.length];
        for (int i = 0; i < batch; i++) {
            int o = i * maxTy * maxTx, tY = tYs[i], tX = tXs[i];
            for (int y = 0; y < tY; y++) {
                for (int x = Math.max(0, tX + y - tY); x < Math.min(tX, y + 1); x++) {
                    float vCur = x == y ? -1e9f : value[o + (y - 1) * maxTx + x];
                    float vPrev = x == 0 ? (y == 0 ? 0f : -1e9f) : value[o + (y - 1) * maxTx + x - 1];
                    value[o + y * maxTx + x] += Math.max(vPrev, vCur);
                }
            }
            int index = tX - 1;
            for (int y = tY - 1; y >= 0; y--) {
                path[o + y * maxTx + index] = 1;
                if (index != 0 && (index == y || value[o + (y - 1) * maxTx + index] < value[o + (y - 1) * maxTx + index - 1])) {
                    index--;
                }
            }
        }
        return path;
    }

    @Test
    void refusesBadSizesInJava() {
        float[] nc = new float[12];
        assertRefused(() -> MonotonicAlignment.maximumPath(nc, new int[]{3}, new int[]{4}, 1, 4, 3));    // tx > ty
        assertRefused(() -> MonotonicAlignment.maximumPath(nc, new int[]{2}, new int[]{0}, 1, 4, 3));    // no token
        assertRefused(() -> MonotonicAlignment.maximumPath(nc, new int[]{5}, new int[]{2}, 1, 4, 3));    // ty > max
        assertRefused(() -> MonotonicAlignment.maximumPath(nc, new int[]{4}, new int[]{-1}, 1, 4, 3));
        assertRefused(() -> MonotonicAlignment.maximumPath(nc, new int[]{4}, new int[]{3}, 1, 4, 4));    // length
        assertRefused(() -> MonotonicAlignment.maximumPath(nc, new int[]{4, 4}, new int[]{3}, 2, 2, 3)); // counts
        assertRefused(() -> MonotonicAlignment.maximumPath(nc, new int[]{}, new int[]{}, -1, 4, 3));
        assertRefused(() -> MonotonicAlignment.maximumPath(nc, new float[11], 1, 4, 3));                // mask length
        float[] badMask = new float[12];
        badMask[0] = Float.NaN;
        assertRefused(() -> MonotonicAlignment.maximumPath(nc, badMask, 1, 4, 3));
    }

    /** The Java checks speak first: their messages name the row or array, never the kernel. */
    private static void assertRefused(Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith("maximum_path: ") && !e.getMessage().contains("kernel"), e.getMessage());
    }
}
