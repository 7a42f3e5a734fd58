package io.bv2j.training.report;

import io.bv2j.io.AtomicFile;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A matrix as a PNG heat map (rows drawn bottom-up, like the reference's matplotlib plots of
 * alignments and mel spectrograms), with a viridis-like colour ramp. Written atomically.
 */
public final class HeatmapPng {
    private static final int[][] RAMP = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

    private HeatmapPng() {
    }

    /** values[row][col]; each cell scaled to at least `scale` pixels. */
    public static void write(Path file, float[][] values, int scale) {
        int rows = values.length, cols = rows == 0 ? 0 : values[0].length;
        if (rows == 0 || cols == 0) return;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float[] r : values) {
            for (float v : r) {
                if (Float.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        float range = max > min ? max - min : 1;
        BufferedImage img = new BufferedImage(cols * scale, rows * scale, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int rgb = colour((values[r][c] - min) / range);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) img.setRGB(c * scale + dx, (rows - 1 - r) * scale + dy, rgb);
                }
            }
        }
        AtomicFile.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer");
        });
    }

    private static int colour(float t) {
        if (!Float.isFinite(t)) t = 0;
        float x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
        int i = Math.min((int) x, RAMP.length - 2);
        float f = x - i;
        int r = Math.round(RAMP[i][0] + f * (RAMP[i + 1][0] - RAMP[i][0]));
        int g = Math.round(RAMP[i][1] + f * (RAMP[i + 1][1] - RAMP[i][1]));
        int b = Math.round(RAMP[i][2] + f * (RAMP[i + 1][2] - RAMP[i][2]));
        return (r << 16) | (g << 8) | b;
    }
}
