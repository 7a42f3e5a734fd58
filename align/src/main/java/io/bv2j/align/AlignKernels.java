package io.bv2j.align;

import io.bv2j.Bv2jException;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.nativelib.NativeLibrary;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The downcall into bv2j_maximum_path (native/include/bv2j_align.h), on the calling thread's
 * context. Raw like io.bv2j.nativelib.Kernels: {@link MonotonicAlignment} validates every size
 * first, the C side only re-checks.
 */
final class AlignKernels {
    private static final MethodHandle MAXIMUM_PATH = Linker.nativeLinker().downcallHandle(
            NativeLibrary.get().symbols().find("bv2j_maximum_path")
                    .orElseThrow(() -> new Bv2jException("libbv2j has no symbol bv2j_maximum_path (stale native build?)")),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG));

    private AlignKernels() {
    }

    static void maximumPath(MemorySegment negCent, MemorySegment tYs, MemorySegment tXs, MemorySegment path,
                            long batch, long maxTy, long maxTx) {
        int rc;
        try {
            rc = (int) MAXIMUM_PATH.invokeExact(NativeContext.current(), negCent, tYs, tXs, path, batch, maxTy, maxTx);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        switch (rc) {
            case 0 -> { }
            case 1 -> throw new IllegalArgumentException("maximum_path: invalid argument (sizes rejected by the kernel)");
            case 2 -> throw new Bv2jException("maximum_path: out of native memory for scratch");
            default -> throw new IllegalStateException("maximum_path: failed with status " + rc);
        }
    }
}
