package io.bv2j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReflectPadTest {
    @Test
    void mirrorsWithoutRepeatingTheEdge() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 10, 20, 30, 40, 50}, 2, 1, 5); // [2, 1, 5]
            Tensor y = ReflectPad.lastDim(x, 2, 3);
            assertArrayEquals(new int[]{2, 1, 10}, y.shape());
            assertArrayEquals(new float[]{3, 2, 1, 2, 3, 4, 5, 4, 3, 2, 30, 20, 10, 20, 30, 40, 50, 40, 30, 20},
                    y.toArray());
        }
    }

    @Test
    void rightOnlyAndNoPadding() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(new float[]{1, 2, 3, 4}, 1, 1, 4);
            assertArrayEquals(new float[]{1, 2, 3, 4, 3, 2}, ReflectPad.lastDim(x, 0, 2).toArray());
            assertArrayEquals(new float[]{2, 1, 2, 3, 4}, ReflectPad.lastDim(x, 1, 0).toArray());
            assertSame(x, ReflectPad.lastDim(x, 0, 0));
        }
    }

    @Test
    void refusesPaddingAsLongAsTheInput() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(new float[]{1, 2, 3}, 1, 1, 3);
            assertThrows(IllegalArgumentException.class, () -> ReflectPad.lastDim(x, 3, 0));
            assertThrows(IllegalArgumentException.class, () -> ReflectPad.lastDim(x, 0, 3));
            assertThrows(IllegalArgumentException.class, () -> ReflectPad.lastDim(x, -1, 0));
        }
    }
}
