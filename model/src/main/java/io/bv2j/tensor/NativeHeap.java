package io.bv2j.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Uninitialised, 64-byte aligned native memory from the C allocator, tied to an arena: freed when
 * the arena closes. (Arena.allocate always zero-fills.)
 */
final class NativeHeap {
    private static final long ALIGN = 64;
    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        ALIGNED_ALLOC = linker.downcallHandle(linker.defaultLookup().find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
        FREE = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
    }

    private NativeHeap() {
    }

    static MemorySegment allocate(long bytes, Arena owner) {
        long rounded = (bytes + ALIGN - 1) / ALIGN * ALIGN;
        MemorySegment raw;
        try {
            raw = (MemorySegment) ALIGNED_ALLOC.invokeExact(ALIGN, rounded);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (raw.equals(MemorySegment.NULL)) throw new OutOfMemoryError("native allocation of " + bytes + " bytes failed");
        return raw.reinterpret(bytes, owner, NativeHeap::free);
    }

    private static void free(MemorySegment p) {
        try {
            FREE.invokeExact(p);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
