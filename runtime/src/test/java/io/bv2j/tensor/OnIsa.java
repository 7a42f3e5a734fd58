package io.bv2j.tensor;

import io.bv2j.nativelib.Isa;
import io.bv2j.nativelib.NativeContext;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a test body with bv2j's kernels on one instruction set, restoring the previous one after.
 * Where the CPU lacks it, or BV2J_ISA=avx2 switched it off, the test is skipped with a line
 * that says so (JUnit reports it as skipped, never as passed).
 */
final class OnIsa {
    private OnIsa() {
    }

    static void run(Isa isa, Runnable body) {
        Assumptions.assumeTrue(isa.ordinal() <= NativeContext.maxIsa().ordinal(),
                "skipped: " + isa.label() + " kernels cannot run here (best allowed: " + NativeContext.maxIsa().label()
                        + "; CPU: " + NativeContext.cpuIsa().label() + ")");
        Isa saved = NativeContext.isa();
        NativeContext.setIsa(isa);
        try {
            body.run();
        } finally {
            NativeContext.setIsa(saved);
        }
    }
}
