package io.bv2j.nativelib;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bv2j_gemm splits large products over OpenMP threads (by columns or by rows), each block a
 * single-threaded OpenBLAS call, and runs many small products one per thread. Every element is
 * still reduced over k by one call, but not always in the same order: OpenBLAS picks its
 * micro-kernel and edge handling from the block's shape (its Haswell kernels give a narrower
 * slice other last bits), so a split is not bit-exact with one thread. What does hold, and is
 * asserted: the same thread count gives the same bits on every run, and every element of both
 * lies within the float32 dot-product error bound gamma(k+2) = (k+2)u / (1 - (k+2)u), u = 2^-24,
 * of the exact product, relative to alpha sum |a b| + |beta c| — for odd shapes, both transposes,
 * beta != 0 and batch > 1.
 */
class GemmSplitTest {
    private final int savedThreads = NativeContext.threads();

    @AfterEach
    void restoreThreads() {
        NativeContext.setThreads(savedThreads);
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} batch={5}")
    @CsvSource({
            "512, 1283, 257, false, false, 1",   // split by columns, ragged last block
            "1537, 19, 333, false, true, 1",     // too few columns: split by rows
            "96, 4099, 31, true, false, 2",      // transposed A, batch > 1
            "300, 700, 129, true, true, 3",      // both transposed
            "17, 33, 9, false, false, 64",       // many small products: one per thread
            "5, 7, 3, true, true, 1",            // tiny: serial path
    })
    void splitEqualsSerialAndMatchesDoublePrecision(int m, int n, int k, boolean transA, boolean transB, int batch) {
        Random rnd = new Random(m * 31L + n * 7L + k);
        int lda = transA ? m + 3 : k + 1, ldb = transB ? k + 2 : n + 5, ldc = n + 4;
        int rowsA = transA ? k : m, rowsB = transB ? n : k;
        int strideA = rowsA * lda, strideB = rowsB * ldb, strideC = m * ldc;
        float[] a = random(rnd, strideA * batch), b = random(rnd, strideB * batch), c0 = random(rnd, strideC * batch);
        float alpha = 0.75f, beta = 0.5f;

        float[] serial = run(1, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c0, ldc,
                strideC, batch);
        float[] split = run(2, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c0, ldc,
                strideC, batch);
        float[] splitAgain = run(2, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c0, ldc,
                strideC, batch);
        assertArrayEquals(split, splitAgain, "the same thread count must give the same bits");

        double u = Math.ulp(1.0f) / 2, gamma = (k + 2) * u / (1 - (k + 2) * u);
        double worst = 0;
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < ldc; j++) {
                    int ci = p * strideC + i * ldc + j;
                    if (j >= n) {
                        assertTrue(split[ci] == c0[ci], "wrote past column n at row " + i);
                        continue;
                    }
                    double acc = 0, mag = 0;
                    for (int q = 0; q < k; q++) {
                        double av = a[p * strideA + (transA ? q * lda + i : i * lda + q)];
                        double bv = b[p * strideB + (transB ? j * ldb + q : q * ldb + j)];
                        acc += av * bv;
                        mag += Math.abs(av * bv);
                    }
                    double want = alpha * acc + beta * c0[ci];
                    double scale = alpha * mag + Math.abs(beta * c0[ci]) + Double.MIN_NORMAL;
                    worst = Math.max(worst, Math.max(Math.abs(split[ci] - want), Math.abs(serial[ci] - want)) / scale);
                }
            }
        }
        assertTrue(worst <= gamma, "error " + worst + " of alpha sum |ab| + |beta c| exceeds gamma(k+2) = " + gamma);
    }

    private static float[] run(int threads, boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int lda, int strideA, float[] b, int ldb, int strideB, float beta,
                               float[] c0, int ldc, int strideC, int batch) {
        NativeContext.setThreads(threads);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocateFrom(JAVA_FLOAT, a), sb = arena.allocateFrom(JAVA_FLOAT, b);
            MemorySegment sc = arena.allocateFrom(JAVA_FLOAT, c0);
            Kernels.sgemmBatched(transA, transB, m, n, k, alpha, sa, lda, strideA, sb, ldb, strideB, beta, sc, ldc,
                    strideC, batch);
            return sc.toArray(JAVA_FLOAT);
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }
}
