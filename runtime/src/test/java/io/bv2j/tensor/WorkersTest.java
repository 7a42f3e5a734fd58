package io.bv2j.tensor;

import io.bv2j.nativelib.NativeContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Workers}: same results as running the pieces in turn, in the given order, failures surfaced. */
class WorkersTest {
    private static final List<Function<Tensor, Tensor>> PIECES = List.of(
            x -> Ops.scale(x, 2f),
            x -> Ops.add(Ops.tanh(x), x),
            x -> Ops.leakyRelu(x, 0.1f),
            x -> Ops.mul(x, x));

    private static List<Tensor> runOn(int threads, Tensor x, boolean shareable) {
        int saved = NativeContext.threads();
        try {
            NativeContext.setThreads(threads);
            List<int[]> shapes = List.of(x.shape(), x.shape(), x.shape(), x.shape());
            return Workers.run(x, PIECES, shapes, new long[]{1, 4, 2, 3}, shareable);
        } finally {
            NativeContext.setThreads(saved);
        }
    }

    @Test
    void sideBySideEqualsOneAfterAnother() {
        float[] v = new float[3 * 5000];
        for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(i * 0.37) * 3;
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(v, 1, 3, 5000);
            long before = Scope.liveBytes();
            List<Tensor> parallel = runOn(3, x, true);
            // results only: the workers' intermediates were freed with their scopes
            assertEquals(4L * v.length * Float.BYTES, Scope.liveBytes() - before);
            List<Tensor> serial = runOn(1, x, true);
            List<Tensor> unshareable = runOn(3, x, false);
            for (int i = 0; i < PIECES.size(); i++) {
                assertArrayEquals(serial.get(i).toArray(), parallel.get(i).toArray(), "piece " + i);
                assertArrayEquals(serial.get(i).toArray(), unshareable.get(i).toArray(), "piece " + i);
            }
        }
    }

    @Test
    void aFailingPieceFailsTheCallAfterTheOthersFinish() {
        int saved = NativeContext.threads();
        try (Scope s = Scope.open()) {
            NativeContext.setThreads(2);
            Tensor x = Tensor.zeros(1, 2, 8);
            List<Function<Tensor, Tensor>> pieces = List.of(t -> Ops.scale(t, 1f), t -> {
                throw new IllegalArgumentException("bad piece");
            });
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Workers.run(x, pieces, List.of(x.shape(), x.shape()), new long[]{1, 1}, true));
            assertEquals("bad piece", e.getMessage());
            List<Function<Tensor, Tensor>> wrongShape = List.of(t -> Ops.scale(t, 1f), t -> Tensor.zeros(3));
            IllegalStateException w = assertThrows(IllegalStateException.class,
                    () -> Workers.run(x, wrongShape, List.of(x.shape(), x.shape()), new long[]{1, 1}, true));
            assertTrue(w.getMessage().contains("expected"), w.getMessage());
        } finally {
            NativeContext.setThreads(saved);
        }
    }
}
