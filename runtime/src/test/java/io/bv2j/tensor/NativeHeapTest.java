package io.bv2j.tensor;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeHeapTest {

    @Test
    void blocksOfEverySizeAreAlignedAndUsableToTheirLastByte() {
        long[] sizes = {1, 63, 4096, NativeHeap.CACHE_MIN - 1, NativeHeap.CACHE_MIN, 3 << 20, (2 << 20) + 65, 9_000_001};
        for (long bytes : sizes) {
            MemorySegment b = NativeHeap.take(bytes);
            try {
                assertTrue(b.byteSize() >= bytes, "block of " + b.byteSize() + " for " + bytes + " bytes");
                assertEquals(0, b.address() % 64, "64-byte alignment for " + bytes + " bytes");
                if (b.byteSize() >= 2 << 20) assertEquals(0, b.address() % (2 << 20), "huge-page alignment for " + bytes);
                b.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
                b.set(ValueLayout.JAVA_BYTE, b.byteSize() - 1, (byte) 2);
                assertEquals(2, b.get(ValueLayout.JAVA_BYTE, b.byteSize() - 1));
            } finally {
                NativeHeap.give(b);
            }
        }
    }

    @Test
    void liveAndCachedBytesStayWithinTheBoundWhateverTheMixOfSizes() {
        // Working sets of ever-changing size classes: a cache without the bound would keep every
        // class it ever saw (this pattern goes through ~80 classes and hundreds of MB in total).
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 40; round++) {
            List<MemorySegment> live = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                MemorySegment b = NativeHeap.take(NativeHeap.CACHE_MIN + random.nextLong(12L << 20));
                b.set(ValueLayout.JAVA_LONG, 0, round);
                live.add(b);
                // A fresh block first evicts cached blocks of other sizes: never live + stale cache above the bound.
                assertTrue(NativeHeap.cachedBytes() == 0
                                || NativeHeap.liveBytes() + NativeHeap.cachedBytes() <= NativeHeap.cacheBoundBytes(),
                        "round " + round + ": " + NativeHeap.cachedBytes() + " cached bytes kept beside "
                                + NativeHeap.liveBytes() + " live, bound " + NativeHeap.cacheBoundBytes());
            }
            for (MemorySegment b : live) NativeHeap.give(b);
            assertTrue(NativeHeap.liveBytes() + NativeHeap.cachedBytes() <= NativeHeap.cacheBoundBytes(),
                    "round " + round + ": live " + NativeHeap.liveBytes() + " + cached " + NativeHeap.cachedBytes()
                            + " above the bound " + NativeHeap.cacheBoundBytes());
        }
        long peak = NativeHeap.peakLiveBytes();
        assertTrue(NativeHeap.cacheBoundBytes() <= Math.max(64L << 20, peak) * 3 / 2 + 1);
    }

    @Test
    void aBlockOfARecentSizeIsReusedNotMappedAgain() {
        MemorySegment a = NativeHeap.take(5 << 20);
        long address = a.address();
        NativeHeap.give(a);
        MemorySegment b = NativeHeap.take(5 << 20);
        try {
            assertEquals(address, b.address(), "the cached block of the same class comes back");
        } finally {
            NativeHeap.give(b);
        }
    }
}
