package io.bv2j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ScopeTest {

    @Test
    void keepResultOnlyFreesTheIntermediatesAndTheConsumedInputsThisScopeOwns() {
        try (Scope outer = Scope.open()) {
            Tensor callers = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 4);
            try (Scope ignored = Scope.open()) {
                Tensor own = Ops.scale(callers, 2f); // owned by the inner scope
                long before = Scope.liveBytes();
                Tensor r = Scope.keepResultOnly(() -> Ops.add(Ops.scale(own, 3f), callers), own, callers);
                // own's block was freed; callers (owned by the outer scope) was left alone; r stays.
                assertEquals(before - own.numel() * Float.BYTES + r.numel() * Float.BYTES, Scope.liveBytes());
                assertArrayEquals(new float[] {7, 14, 21, 28}, r.toArray());
                assertArrayEquals(new float[] {1, 2, 3, 4}, callers.toArray());
            }
        }
    }

    @Test
    void whileRecordingGradientsNothingIsFreed() {
        try (Scope ignored = Scope.open(); Grad recording = Grad.enable()) {
            Tensor own = Tensor.of(new float[] {1, 2}, 1, 1, 2);
            long before = Scope.liveBytes();
            Tensor r = Scope.keepResultOnly(() -> Ops.scale(own, 2f), own);
            assertEquals(before + r.numel() * Float.BYTES, Scope.liveBytes());
            assertArrayEquals(new float[] {1, 2}, own.toArray());
        }
    }
}
