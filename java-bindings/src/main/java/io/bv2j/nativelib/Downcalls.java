package io.bv2j.nativelib;

import io.bv2j.Bv2jException;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.invoke.MethodHandle;

/** Builds method handles for libbv2j symbols and turns status codes into exceptions. */
final class Downcalls {
    private static final Linker LINKER = Linker.nativeLinker();

    private Downcalls() {
    }

    static MethodHandle handle(String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args));
    }

    static MethodHandle voidHandle(String name, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.ofVoid(args));
    }

    /** A handle on a symbol of another bv2j library (the CUDA one) with the same conventions. */
    static MethodHandle handleIn(java.lang.foreign.SymbolLookup library, String name, MemoryLayout result,
            MemoryLayout... args) {
        java.lang.foreign.MemorySegment s = library.find(name)
                .orElseThrow(() -> new Bv2jException("libbv2j_cuda has no symbol " + name + " (stale native build?)"));
        return LINKER.downcallHandle(s, FunctionDescriptor.of(result, args));
    }

    static MethodHandle voidHandleIn(java.lang.foreign.SymbolLookup library, String name, MemoryLayout... args) {
        java.lang.foreign.MemorySegment s = library.find(name)
                .orElseThrow(() -> new Bv2jException("libbv2j_cuda has no symbol " + name + " (stale native build?)"));
        return LINKER.downcallHandle(s, FunctionDescriptor.ofVoid(args));
    }

    private static java.lang.foreign.MemorySegment symbol(String name) {
        return NativeLibrary.get().symbols().find(name)
                .orElseThrow(() -> new Bv2jException("libbv2j has no symbol " + name + " (stale native build?)"));
    }

    /** A handle looked up on first use, so a kernel missing from an old build fails only where it is called. */
    static final class Lazy {
        private final String name;
        private final FunctionDescriptor descriptor;
        private volatile MethodHandle handle;

        Lazy(String name, MemoryLayout result, MemoryLayout... args) {
            this.name = name;
            this.descriptor = FunctionDescriptor.of(result, args);
        }

        MethodHandle get() {
            MethodHandle h = handle;
            if (h == null) handle = h = LINKER.downcallHandle(symbol(name), descriptor);
            return h;
        }
    }

    static void check(String kernel, int status) {
        switch (status) {
            case 0 -> { }
            case 1 -> throw new IllegalArgumentException(kernel + ": invalid argument (sizes rejected by the kernel)");
            case 2 -> throw new Bv2jException(kernel + ": out of native memory for scratch");
            default -> throw new IllegalStateException(kernel + ": failed with status " + status);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
