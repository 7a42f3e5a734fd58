package io.bv2j.nativelib;

import java.lang.foreign.MemorySegment;

/**
 * Device memory owned by one {@link CudaContext}: a device address Java never dereferences, its
 * element count and size. Closing frees it on the context's stream (after the work queued on it).
 */
public final class CudaBuffer implements AutoCloseable {
    private final CudaContext ctx;
    private final long address;
    private final long count;
    private final int bytesPerElement;
    private boolean closed;

    CudaBuffer(CudaContext ctx, long address, long count, int bytesPerElement) {
        this.ctx = ctx;
        this.address = address;
        this.count = count;
        this.bytesPerElement = bytesPerElement;
    }

    /** Elements the buffer holds. */
    public long count() {
        return count;
    }

    public long bytes() {
        return count * bytesPerElement;
    }

    int bytesPerElement() {
        return bytesPerElement;
    }

    /** The device address as a zero-length segment, for downcalls only. */
    MemorySegment pointer() {
        if (closed) throw new IllegalStateException("CUDA buffer already freed");
        return MemorySegment.ofAddress(address);
    }

    /** The buffer's address, or NULL for a null buffer (optional kernel arguments). */
    static MemorySegment pointerOrNull(CudaBuffer b) {
        return b == null ? MemorySegment.NULL : b.pointer();
    }

    /** Refuses a buffer of another context or with fewer than {@code needed} elements. */
    void require(CudaContext owner, long needed, String what) {
        if (ctx != owner) throw new IllegalArgumentException(what + " belongs to another CUDA context");
        if (count < needed) throw new IllegalArgumentException(what + " holds " + count + " elements, " + needed + " needed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ctx.free(address);
    }
}
