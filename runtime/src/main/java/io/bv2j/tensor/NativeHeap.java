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
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Uninitialised, 64-byte aligned native memory tied to an arena, with a cache of freed large blocks.
 *
 * <p>Why the cache: memory handed back to the kernel is faulted in again, page by page and zeroed,
 * on its next use: 30% of a training step's cycles went to page faults before the cache. Blocks of
 * at least {@link #CACHE_MIN} bytes are rounded up to a size class (at most 12.5% larger) and, when
 * their arena closes, kept for the next request of that class.
 *
 * <p>Why large blocks are mapped directly (mmap), not taken from the C allocator: glibc serves
 * them from per-thread arenas, where blocks freed by one call sit between live ones and cannot be
 * returned; a long utterance left ~200 MB of such holes beside 200 MB of live activations. A
 * mapped block goes back to the kernel whole when the cache lets it go.
 *
 * <p>The cache's bound: live blocks plus cached blocks stay within {@link #CACHE_SLACK} times the
 * larger of 64 MiB and the most memory ever live at once (the working set of a step or of an
 * utterance), never more than half the machine's memory; a fresh block that would cross it first
 * unmaps cached blocks of other sizes. So the memory held follows the largest working set so far,
 * not a working set plus a cache of stale sizes, and cannot grow over calls.
 */
final class NativeHeap {
    private static final long ALIGN = 64;
    /** Below this glibc reuses its own heap without page faults; caching would only add bookkeeping. */
    static final long CACHE_MIN = 256 << 10;
    /**
     * Live plus cached blocks may reach this many times the peak live bytes. At 1 (no slack) a long
     * utterance faulted 2.7x as many pages as the C allocator and took 40% longer (blocks of one
     * size class evicted for another and back); 1.5 faults fewer pages than the C allocator did.
     */
    private static final double CACHE_SLACK = 1.5;
    private static final long CACHE_FLOOR = 64L << 20;
    private static final long CACHE_CEILING = physicalMemory() / 2;
    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle FREE;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;
    private static final long HUGE_PAGE = 2L << 20, PAGE = 4096;
    private static final int MADV_HUGEPAGE = 14;
    /** Linux's values on x86-64 and aarch64. */
    private static final int PROT_READ_WRITE = 0x1 | 0x2, MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final long MAP_FAILED = -1;

    private static final Map<Long, ConcurrentLinkedDeque<MemorySegment>> FREE_BLOCKS = new ConcurrentHashMap<>();
    private static final AtomicLong CACHED = new AtomicLong();
    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicLong PEAK_LIVE = new AtomicLong();

    static {
        Linker linker = Linker.nativeLinker();
        ALIGNED_ALLOC = linker.downcallHandle(linker.defaultLookup().find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
        FREE = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
        MMAP = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MUNMAP = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        MADVISE = linker.downcallHandle(linker.defaultLookup().find("madvise").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
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
        if (raw == null) {
            if (size >= CACHE_MIN) evictFor(size);
            raw = allocateFresh(size);
        }
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

    /** The most bytes ever live at once (what the cache's bound follows). */
    static long peakLiveBytes() {
        return PEAK_LIVE.get();
    }

    /** Bytes taken and not yet given back. */
    static long liveBytes() {
        return LIVE.get();
    }

    /** Bound on live plus cached bytes (see the class comment). */
    static long cacheBoundBytes() {
        return cacheBound();
    }

    /** Returns every cached block to the kernel or the C allocator. */
    static void trim() {
        for (ConcurrentLinkedDeque<MemorySegment> blocks : FREE_BLOCKS.values()) {
            MemorySegment b;
            while ((b = blocks.pollFirst()) != null) {
                CACHED.addAndGet(-b.byteSize());
                free(b);
            }
        }
    }

    /**
     * Unmaps cached blocks until a fresh block of {@code size} keeps live plus cached memory
     * within the cache's bound, or the cache is empty.
     */
    private static void evictFor(long size) {
        long bound = cacheBound();
        for (ConcurrentLinkedDeque<MemorySegment> blocks : FREE_BLOCKS.values()) {
            MemorySegment b;
            while (LIVE.get() + CACHED.get() + size > bound && (b = blocks.pollFirst()) != null) {
                CACHED.addAndGet(-b.byteSize());
                free(b);
            }
        }
    }

    private static long cacheBound() {
        return Math.min(CACHE_CEILING, (long) (CACHE_SLACK * Math.max(CACHE_FLOOR, PEAK_LIVE.get())));
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
        MemorySegment raw = size >= CACHE_MIN ? map(size) : alignedAlloc(size);
        if (raw.equals(MemorySegment.NULL)) {
            trim();
            raw = size >= CACHE_MIN ? map(size) : alignedAlloc(size);
        }
        if (raw.equals(MemorySegment.NULL)) throw new OutOfMemoryError("native allocation of " + size + " bytes failed");
        return raw.reinterpret(size);
    }

    private static void release(MemorySegment p, long size) {
        LIVE.addAndGet(-size);
        if (size >= CACHE_MIN && CACHED.addAndGet(size) + LIVE.get() <= cacheBound()) {
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

    /**
     * Page-aligned anonymous memory, or NULL when the kernel refuses. Blocks of a huge page or more
     * start on a huge-page boundary and ask for transparent huge pages: one fault per 2 MiB instead of
     * 512, and fewer TLB misses while kernels stream through activations.
     */
    private static MemorySegment map(long size) {
        try {
            boolean huge = size >= HUGE_PAGE;
            long span = huge ? size + HUGE_PAGE : size;
            MemorySegment p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, span, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (p.address() == MAP_FAILED) return MemorySegment.NULL;
            if (!huge) return p;
            long start = p.address(), aligned = (start + HUGE_PAGE - 1) & -HUGE_PAGE;
            long end = start + span, keptEnd = (aligned + size + PAGE - 1) & -PAGE;
            if (aligned > start) unmap(start, aligned - start);
            if (end > keptEnd) unmap(keptEnd, end - keptEnd);
            int ignored = (int) MADVISE.invokeExact(MemorySegment.ofAddress(aligned), size, MADV_HUGEPAGE);
            return MemorySegment.ofAddress(aligned);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void unmap(long address, long bytes) throws Throwable {
        int rc = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), bytes);
        if (rc != 0) throw new IllegalStateException("munmap of " + bytes + " bytes failed");
    }

    /** Returns a block (its byteSize is its size class) to whichever allocator it came from. */
    private static void free(MemorySegment p) {
        try {
            if (p.byteSize() >= CACHE_MIN) {
                unmap(p.address(), p.byteSize());
            } else {
                FREE.invokeExact(p);
            }
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
