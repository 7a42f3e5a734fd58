package io.bv2j.tensor;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Uninitialised, 64-byte aligned native memory from the C allocator, tied to an arena, with a
 * cache of freed large blocks.
 *
 * <p>Why the cache: glibc hands blocks above its mmap threshold straight back to the kernel, so
 * every synthesis call or training step faulted its activations in again, page by page, zeroed by
 * the kernel: 30% of a training step's cycles went to page faults. Blocks of at least
 * {@link #CACHE_MIN} bytes are rounded up to a size class (at most 12.5% larger) and, when their
 * arena closes, kept for the next request of that class. The cache holds at most the larger of
 * 64 MiB and the most memory ever live at once (the working set of a step), never more than half
 * the machine's memory, so it cannot grow without bound over calls.
 */
final class NativeHeap {
    private static final long ALIGN = 64;
    /** Below this glibc reuses its own heap without page faults; caching would only add bookkeeping. */
    static final long CACHE_MIN = 256 << 10;
    private static final long CACHE_FLOOR = 64L << 20;
    private static final long CACHE_CEILING = physicalMemory() / 2;
    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle FREE;

    private static final Map<Long, ConcurrentLinkedDeque<MemorySegment>> FREE_BLOCKS = new ConcurrentHashMap<>();
    private static final AtomicLong CACHED = new AtomicLong();
    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicLong PEAK_LIVE = new AtomicLong();

    static {
        Linker linker = Linker.nativeLinker();
        ALIGNED_ALLOC = linker.downcallHandle(linker.defaultLookup().find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
        FREE = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
    }

    private NativeHeap() {
    }

    /**
     * A block of at least {@code bytes} (its size class; the segment's byteSize), uninitialised,
     * unbound to any arena: the caller hands it back with {@link #give} exactly once.
     */
    static MemorySegment take(long bytes) {
        long size = sizeClass(bytes);
        MemorySegment raw = size >= CACHE_MIN ? takeCached(size) : null;
        if (raw == null) raw = allocateFresh(size);
        long live = LIVE.addAndGet(size);
        PEAK_LIVE.accumulateAndGet(live, Math::max);
        return raw;
    }

    /** Returns a block from {@link #take}: kept for reuse within the cache's limit, else freed. */
    static void give(MemorySegment raw) {
        release(raw, raw.byteSize());
    }

    /** Bytes of freed blocks held for reuse (for tests and diagnostics). */
    static long cachedBytes() {
        return CACHED.get();
    }

    /** Returns every cached block to the C allocator. */
    static void trim() {
        for (ConcurrentLinkedDeque<MemorySegment> blocks : FREE_BLOCKS.values()) {
            MemorySegment b;
            while ((b = blocks.pollFirst()) != null) {
                CACHED.addAndGet(-b.byteSize());
                free(b);
            }
        }
    }

    /** Rounds up to 64 bytes, and large sizes to one of 8 classes per power of two. */
    static long sizeClass(long bytes) {
        long rounded = (Math.max(bytes, 1) + ALIGN - 1) / ALIGN * ALIGN;
        if (rounded < CACHE_MIN) return rounded;
        long step = Long.highestOneBit(rounded - 1) / 8;
        return (rounded + step - 1) / step * step;
    }

    private static MemorySegment takeCached(long size) {
        ConcurrentLinkedDeque<MemorySegment> blocks = FREE_BLOCKS.get(size);
        MemorySegment b = blocks == null ? null : blocks.pollFirst();
        if (b != null) CACHED.addAndGet(-size);
        return b;
    }

    private static MemorySegment allocateFresh(long size) {
        MemorySegment raw = alignedAlloc(size);
        if (raw.equals(MemorySegment.NULL)) {
            trim();
            raw = alignedAlloc(size);
        }
        if (raw.equals(MemorySegment.NULL)) throw new OutOfMemoryError("native allocation of " + size + " bytes failed");
        return raw.reinterpret(size);
    }

    private static void release(MemorySegment p, long size) {
        LIVE.addAndGet(-size);
        long limit = Math.min(CACHE_CEILING, Math.max(CACHE_FLOOR, PEAK_LIVE.get()));
        if (size >= CACHE_MIN && CACHED.addAndGet(size) <= limit) {
            FREE_BLOCKS.computeIfAbsent(size, k -> new ConcurrentLinkedDeque<>()).push(p.reinterpret(size));
            return;
        }
        if (size >= CACHE_MIN) CACHED.addAndGet(-size);
        free(p);
    }

    private static MemorySegment alignedAlloc(long size) {
        try {
            return (MemorySegment) ALIGNED_ALLOC.invokeExact(ALIGN, size);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void free(MemorySegment p) {
        try {
            FREE.invokeExact(p);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 8L << 30;
    }
}
