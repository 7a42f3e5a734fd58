package io.bv2j.align;

import io.bv2j.nativelib.CudaBuffer;
import io.bv2j.nativelib.CudaContext;
import io.bv2j.nativelib.CudaKernels;
import io.bv2j.nativelib.CudaLibrary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** The CUDA aligner's paths equal the CPU kernel's exactly: same float32 steps per cell (mas_math.h). */
class CudaMaximumPathTest {

    private static void assumeGpu() {
        String reason = CudaLibrary.unavailableReason();
        if (reason != null && "1".equals(System.getenv("BV2J_REQUIRE_GPU"))) fail("BV2J_REQUIRE_GPU=1 but " + reason);
        if (reason != null) System.err.println("CUDA aligner test skipped: " + reason);
        Assumptions.assumeTrue(reason == null, () -> "CUDA aligner test skipped: " + reason);
    }

    @Test
    void pathsEqualTheCpuKernelsBitForBit() {
        assumeGpu();
        Random rnd = new Random(16);
        // {batch, maxTy, maxTx}, rows shorter than the maximum and one empty row
        int[][] shapes = {{1, 1, 1}, {3, 17, 5}, {4, 301, 97}, {16, 2048, 512}};
        CudaKernels gpu = new CudaKernels();
        for (int[] s : shapes) {
            int b = s[0], ty = s[1], tx = s[2];
            float[] negCent = new float[b * ty * tx];
            for (int i = 0; i < negCent.length; i++) negCent[i] = (float) (rnd.nextGaussian() * 3);
            int[] ys = new int[b], xs = new int[b];
            for (int i = 0; i < b; i++) {
                ys[i] = i == 0 ? ty : 1 + rnd.nextInt(ty);
                xs[i] = 1 + rnd.nextInt(Math.min(tx, ys[i]));
            }
            if (b > 2) ys[2] = 0;
            float[] want;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment path = a.allocate((long) negCent.length * 4);
                AlignKernels.maximumPath(a.allocateFrom(ValueLayout.JAVA_FLOAT, negCent),
                        a.allocateFrom(ValueLayout.JAVA_INT, ys), a.allocateFrom(ValueLayout.JAVA_INT, xs), path, b, ty, tx);
                want = path.toArray(ValueLayout.JAVA_FLOAT);
            }
            try (CudaContext ctx = CudaContext.open(0); CudaBuffer nc = ctx.upload(negCent); CudaBuffer yd = ctx.upload(ys);
                 CudaBuffer xd = ctx.upload(xs); CudaBuffer path = ctx.allocate(negCent.length, 4)) {
                gpu.maximumPath(ctx, nc, yd, xd, path, b, ty, tx);
                assertArrayEquals(want, ctx.download(path), "maximum_path " + b + "x" + ty + "x" + tx);
            }
        }
    }

    @Test
    void refusesTextLongerThanFrames() {
        assumeGpu();
        try (CudaContext ctx = CudaContext.open(0); CudaBuffer nc = ctx.upload(new float[12]);
             CudaBuffer yd = ctx.upload(new int[]{3}); CudaBuffer xd = ctx.upload(new int[]{4});
             CudaBuffer path = ctx.allocate(12, 4)) {
            assertThrows(IllegalArgumentException.class, () -> new CudaKernels().maximumPath(ctx, nc, yd, xd, path, 1, 3, 4));
        }
    }
}
