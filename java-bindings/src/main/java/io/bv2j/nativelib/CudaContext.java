package io.bv2j.nativelib;

import io.bv2j.Bv2jException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A CUDA context of libbv2j_cuda: one device, one stream (its kernels run in order; two contexts
 * overlap) and device scratch. Used by one thread at a time, like the CPU's per-thread context;
 * closing it waits for its stream and frees its scratch. Buffers it made must be closed first.
 */
public final class CudaContext implements AutoCloseable {
    private final CudaLibrary lib;
    private final int device;
    private MemorySegment handle;
    private final MethodHandle malloc, free, upload, download, synchronize, destroy, scratchBytes;

    private CudaContext(CudaLibrary lib, int device, MemorySegment handle) {
        this.lib = lib;
        this.device = device;
        this.handle = handle;
        var s = lib.symbols();
        malloc = Downcalls.handleIn(s, "bv2j_cuda_malloc", JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
        free = Downcalls.handleIn(s, "bv2j_cuda_free", JAVA_INT, ADDRESS, ADDRESS);
        upload = Downcalls.handleIn(s, "bv2j_cuda_upload", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
        download = Downcalls.handleIn(s, "bv2j_cuda_download", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
        synchronize = Downcalls.handleIn(s, "bv2j_cuda_synchronize", JAVA_INT, ADDRESS);
        destroy = Downcalls.voidHandleIn(s, "bv2j_cuda_ctx_destroy", ADDRESS);
        scratchBytes = Downcalls.handleIn(s, "bv2j_scratch_bytes", JAVA_LONG, ADDRESS);
    }

    /** A context on cuda:{@code device}; a one-line Bv2jException when there is no such device. */
    public static CudaContext open(int device) {
        CudaLibrary lib = CudaLibrary.get();
        lib.checkDevice(device);
        MethodHandle create = Downcalls.handleIn(lib.symbols(), "bv2j_cuda_ctx_create", ADDRESS, JAVA_INT);
        MemorySegment h;
        try {
            h = (MemorySegment) create.invokeExact(device);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
        if (h.address() == 0) throw new Bv2jException("cannot open cuda:" + device + ": " + lib.lastError());
        return new CudaContext(lib, device, h);
    }

    public int device() {
        return device;
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("CUDA context already closed");
        return handle;
    }

    CudaLibrary library() {
        return lib;
    }

    /** Uninitialised device memory for {@code count} elements of {@code bytesPerElement}. */
    public CudaBuffer allocate(long count, int bytesPerElement) {
        if (count < 0 || count > Long.MAX_VALUE / bytesPerElement) throw new IllegalArgumentException("size " + count);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int status = (int) malloc.invokeExact(handle(), count * bytesPerElement, out);
            if (status == 2) {
                throw new Bv2jException("cuda:" + device + " is out of memory (" + count * bytesPerElement + " bytes asked)");
            }
            lib.check("bv2j_cuda_malloc", status);
            return new CudaBuffer(this, out.get(ValueLayout.ADDRESS, 0).address(), count, bytesPerElement);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public CudaBuffer upload(float[] values) {
        CudaBuffer b = allocate(values.length, Float.BYTES);
        try (Arena arena = Arena.ofConfined()) {
            copyIn(b, arena.allocateFrom(ValueLayout.JAVA_FLOAT, values));
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    public CudaBuffer upload(int[] values) {
        CudaBuffer b = allocate(values.length, Integer.BYTES);
        try (Arena arena = Arena.ofConfined()) {
            copyIn(b, arena.allocateFrom(ValueLayout.JAVA_INT, values));
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    /** Copies a host segment of exactly the buffer's size to the device (waits for the copy). */
    public void copyIn(CudaBuffer dst, MemorySegment host) {
        if (host.byteSize() != dst.bytes()) {
            throw new IllegalArgumentException(host.byteSize() + " host bytes for a " + dst.bytes() + "-byte buffer");
        }
        try {
            lib.check("bv2j_cuda_upload", (int) upload.invokeExact(handle(), dst.pointer(), host, dst.bytes()));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** The buffer's floats, after everything queued on this context before has run. */
    public float[] download(CudaBuffer src) {
        if (src.bytesPerElement() != Float.BYTES) throw new IllegalArgumentException("not a float buffer");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(Math.max(1, src.bytes()), 64);
            copyOut(host.asSlice(0, src.bytes()), src);
            return host.asSlice(0, src.bytes()).toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    /** Copies the buffer into a host segment of exactly its size (waits for the stream). */
    public void copyOut(MemorySegment host, CudaBuffer src) {
        if (host.byteSize() != src.bytes()) {
            throw new IllegalArgumentException(host.byteSize() + " host bytes for a " + src.bytes() + "-byte buffer");
        }
        try {
            lib.check("bv2j_cuda_download", (int) download.invokeExact(handle(), host, src.pointer(), src.bytes()));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Waits until everything queued on this context has run; kernel faults surface here. */
    public void synchronize() {
        try {
            lib.check("bv2j_cuda_synchronize", (int) synchronize.invokeExact(handle()));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public long scratchBytes() {
        try {
            return (long) scratchBytes.invokeExact(handle());
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    void free(long pointer) {
        try {
            lib.check("bv2j_cuda_free", (int) free.invokeExact(handle(), MemorySegment.ofAddress(pointer)));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public void close() {
        if (handle == null) return;
        try {
            destroy.invokeExact(handle);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            handle = null;
        }
    }
}
