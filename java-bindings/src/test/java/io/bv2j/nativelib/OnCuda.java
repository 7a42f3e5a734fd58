package io.bv2j.nativelib;

import org.junit.jupiter.api.Assumptions;

/** Skips a GPU test with one clear line where this machine has no usable CUDA device. */
final class OnCuda {
    private static boolean told;

    private OnCuda() {
    }

    static void assumeGpu() {
        String reason = CudaLibrary.unavailableReason();
        if (reason != null) {
            synchronized (OnCuda.class) {
                if (!told) System.err.println("CUDA tests skipped: " + reason);
                told = true;
            }
        }
        Assumptions.assumeTrue(reason == null, () -> "CUDA tests skipped: " + reason);
    }
}
