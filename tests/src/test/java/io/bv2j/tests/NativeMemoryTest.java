package io.bv2j.tests;

import io.bv2j.nativelib.NativeContext;
import io.bv2j.synth.Audio;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.tensor.Scope;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
 */
class NativeMemoryTest {
    private static final int CALLS = 2000, WARM = 100, RSS_FROM = 200;
    /** RSS growth allowed between call RSS_FROM and the last call (heap resizing, malloc arenas, JIT). */
    private static final long RSS_SLACK = 64L << 20;

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
        try (Synthesizer synth = Synthesizer.load(dev.resolve("config.json"), dev.resolve("G_0.pth"))) {
            // A fixed cycle of short calls: every distinct call has been made several times by WARM.
            Random r = new Random(4242);
            List<Utterance> us = new ArrayList<>();
            List<SynthesisOptions> os = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                us.add(SynthesizerConcurrencyTest.randomUtterance(r, 5, 12));
                os.add(SynthesisOptions.defaults().withSeed(i));
            }
            long live0 = Scope.liveBytes();
            long scratchWarm = -1, rssFrom = -1, samples = 0;
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
                if (call == RSS_FROM) {
                    System.gc();
                    rssFrom = rssBytes();
                }
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000;
            long scratchEnd = NativeContext.scratchBytes();
            System.gc();
            long rssEnd = rssBytes();
            System.out.printf("NativeMemoryTest: %d calls (%d samples) in %d ms; Scope.liveBytes %d before and after "
                            + "every call; scratch %d bytes at call %d, %d at call %d; RSS %.1f MiB at call %d, "
                            + "%.1f MiB at call %d (growth %+.1f MiB, allowed %d MiB)%n",
                    CALLS, samples, seconds, live0, scratchWarm, WARM, scratchEnd, CALLS, rssFrom / 1048576.0, RSS_FROM,
                    rssEnd / 1048576.0, CALLS, (rssEnd - rssFrom) / 1048576.0, RSS_SLACK >> 20);
            assertTrue(scratchWarm > 0, "the synthesis kernels used no scratch at all?");
            assertEquals(scratchWarm, scratchEnd, "kernel scratch kept growing after warm-up");
            assertTrue(rssEnd - rssFrom <= RSS_SLACK, "RSS grew by " + (rssEnd - rssFrom) / 1048576 + " MiB from call "
                    + RSS_FROM + " to call " + CALLS);
        }
    }
}
