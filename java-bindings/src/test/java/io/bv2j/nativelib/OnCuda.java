package io.bv2j.nativelib;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a GPU test with one clear line where this machine has no usable CUDA device, and fails it
 * instead where BV2J_REQUIRE_GPU=1 says a GPU must be there (scripts/gpu-check.sh on a GPU machine).
 */
final class OnCuda {
    private static boolean told;

    private OnCuda() {
    }

    static void assumeGpu() {
        String reason = CudaLibrary.unavailableReason();
        if (reason != null && "1".equals(System.getenv("BV2J_REQUIRE_GPU"))) {
            Assertions.fail("BV2J_REQUIRE_GPU=1 but " + reason);
        }
        if (reason != null) {
            synchronized (OnCuda.class) {
                if (!told) System.err.println("CUDA tests skipped: " + reason);
                told = true;
            }
        }
        Assumptions.assumeTrue(reason == null, () -> "CUDA tests skipped: " + reason);
    }
}
