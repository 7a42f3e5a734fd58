package io.bv2j.tests;

import io.bv2j.model.Noise;
import io.bv2j.model.SeededNoise;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.synth.Audio;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many synthesis calls leak nothing: every call's scope returns its native bytes, the per-thread
 * kernel scratch stops growing once the largest call has been seen, and the process RSS stays flat.
 * Kernel threads are pinned to 1 (restored afterwards) to keep 2000 calls near 20 s on a small,
 * busy machine; the memory properties do not depend on the count.
 */
class NativeMemoryTest {
    /** 2000 by default; -Dbv2j.memtest.calls=10000 runs the 10 000-call check (BENCHMARKS.md). */
    private static final int CALLS = Integer.getInteger("bv2j.memtest.calls", 2000), WARM = 100, RSS_FROM = 200;
    /** RSS is sampled every RSS_EVERY calls in [RSS_FROM, RSS_FROM + RSS_SPAN] and in [CALLS - RSS_SPAN, CALLS]. */
    private static final int RSS_EVERY = 50, RSS_SPAN = 200;
    /** Growth allowed between the RSS floor around call RSS_FROM and the one around the last call. */
    private static final long RSS_SLACK = 64L << 20;

    /** Seeded draws that also note the scope bytes live while the network runs (the accounting is not idle). */
    private record Watching(SeededNoise inner, long[] peak) implements Noise {
        @Override
        public Tensor normal(String site, int... shape) {
            peak[0] = Math.max(peak[0], Scope.liveBytes());
            return inner.normal(site, shape);
        }

        @Override
        public Tensor uniform(String site, int... shape) {
            peak[0] = Math.max(peak[0], Scope.liveBytes());
            return inner.uniform(site, shape);
        }
    }

    /**
     * Process RSS and the JVM's own committed memory (heap and non-heap), after a full GC and a
     * malloc trim. Single readings swing by up to ~70 MiB with no trend over 8000 calls (GC and
     * allocator timing), so a window of readings is summarised by its floor.
     */
    private record Memory(long rss, long jvm) {
        Memory floor(Memory o) {
            return o == null ? this : new Memory(Math.min(rss, o.rss), Math.min(jvm, o.jvm));
        }

        static Memory now() throws IOException {
            System.gc();
            trimMallocHeap();
            MemoryMXBean m = ManagementFactory.getMemoryMXBean();
            long jvm = m.getHeapMemoryUsage().getCommitted() + m.getNonHeapMemoryUsage().getCommitted();
            return new Memory(rssBytes(), jvm);
        }

        long nativeRss() {
            return rss - jvm;
        }
    }

    /**
     * glibc keeps freed memory (the JIT's compiler arenas, say) in its heaps, which shows as RSS
     * swings of ~100 MiB during warm-up; malloc_trim(0) hands it back so RSS shows live memory.
     */
    private static void trimMallocHeap() {
        Linker linker = Linker.nativeLinker();
        linker.defaultLookup().find("malloc_trim").ifPresent(f -> {
            try {
                int ignored = (int) linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG))
                        .invokeExact(0L);
            } catch (Throwable t) {
                throw new IllegalStateException("malloc_trim failed", t);
            }
        });
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024; // kB
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void repeatedSynthesisLeaksNoNativeMemory() throws IOException {
        Path dev = GoldenFiles.golden().resolve("dev");
        int kernelThreads = NativeContext.threads();
        NativeContext.setThreads(1);
        try (Synthesizer synth = Synthesizer.load(dev.resolve("config.json"), dev.resolve("G_0.pth"))) {
            // A fixed cycle of short calls: every distinct call has been made several times by WARM.
            Random r = new Random(4242);
            List<Utterance> us = new ArrayList<>();
            List<SynthesisOptions> os = new ArrayList<>();
            long[] peak = {0};
            for (int i = 0; i < 20; i++) {
                us.add(SynthesizerConcurrencyTest.randomUtterance(r, 5, 12));
                long seed = i;
                os.add(SynthesisOptions.defaults().withNoise(() -> new Watching(new SeededNoise(seed), peak)));
            }
            long live0 = Scope.liveBytes();
            long scratchWarm = -1, samples = 0;
            Memory from = null, end = null;
            long nativeFrom = Long.MAX_VALUE, nativeEnd = Long.MAX_VALUE;
            long t0 = System.nanoTime();
            for (int call = 1; call <= CALLS; call++) {
                int i = call % us.size();
                Audio a = synth.synthesize(us.get(i), os.get(i));
                samples += a.samples().length;
                long live = Scope.liveBytes();
                if (live != live0) {
                    throw new AssertionError("call " + call + ": Scope.liveBytes() is " + live + ", was " + live0
                            + " before the first call");
                }
                if (call == WARM) scratchWarm = NativeContext.scratchBytes();
                if (call > WARM && NativeContext.scratchBytes() != scratchWarm) {
                    throw new AssertionError("call " + call + ": kernel scratch grew after warm-up, from " + scratchWarm
                            + " to " + NativeContext.scratchBytes() + " bytes");
                }
                if (call % RSS_EVERY == 0 && call >= RSS_FROM && call <= RSS_FROM + RSS_SPAN) {
                    Memory m = Memory.now();
                    from = m.floor(from);
                    nativeFrom = Math.min(nativeFrom, m.nativeRss());
                }
                if (call % RSS_EVERY == 0 && call >= CALLS - RSS_SPAN) {
                    Memory m = Memory.now();
                    end = m.floor(end);
                    nativeEnd = Math.min(nativeEnd, m.nativeRss());
                }
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            long scratchEnd = NativeContext.scratchBytes();
            System.out.printf("NativeMemoryTest: %d calls (%d samples) in %d ms; Scope.liveBytes %d before and after "
                            + "every call (peak %d inside a call); scratch %d bytes at call %d, %d at call %d; "
                            + "RSS floor %.1f -> %.1f MiB (%+.1f), JVM-committed %.1f -> %.1f MiB, RSS beyond JVM-committed "
                            + "%.1f -> %.1f MiB (%+.1f) from calls %d..%d to calls %d..%d; allowed growth %d MiB%n",
                    CALLS, samples, millis, live0, peak[0], scratchWarm, WARM, scratchEnd, CALLS, mib(from.rss), mib(end.rss),
                    mib(end.rss - from.rss), mib(from.jvm), mib(end.jvm), mib(nativeFrom), mib(nativeEnd),
                    mib(nativeEnd - nativeFrom), RSS_FROM, RSS_FROM + RSS_SPAN, CALLS - RSS_SPAN, CALLS, RSS_SLACK >> 20);
            assertTrue(peak[0] > live0, "Scope.liveBytes() never rose during a call: the check above proves nothing");
            assertTrue(scratchWarm > 0, "the synthesis kernels used no scratch at all?");
            assertEquals(scratchWarm, scratchEnd, "kernel scratch kept growing after warm-up");
            // Raw RSS, forgiving only growth of the JVM's own committed memory (GC sizing, not a native leak) ...
            long jvmGrowth = Math.max(0, end.jvm - from.jvm);
            assertTrue(end.rss - from.rss <= RSS_SLACK + jvmGrowth, "RSS floor grew by " + mib(end.rss - from.rss)
                    + " MiB (JVM-committed memory by " + mib(end.jvm - from.jvm) + " MiB) from call " + RSS_FROM
                    + " to call " + CALLS);
            // ... and RSS beyond what the JVM has committed, so a heap shrink cannot hide a native leak.
            assertTrue(nativeEnd - nativeFrom <= RSS_SLACK, "RSS beyond the JVM's committed memory grew by "
                    + mib(nativeEnd - nativeFrom) + " MiB from call " + RSS_FROM + " to call " + CALLS);
        } finally {
            NativeContext.setThreads(kernelThreads);
        }
    }
}
