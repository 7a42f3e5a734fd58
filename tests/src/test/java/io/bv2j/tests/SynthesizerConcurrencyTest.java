package io.bv2j.tests;

import io.bv2j.nativelib.NativeContext;
import io.bv2j.synth.Audio;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One {@link Synthesizer} shared by several threads gives, bit for bit, what the same calls give
 * on one thread: weights are read-only, every call has its own scope, scratch and noise source.
 *
 * <p>Kernel threads are pinned to 1 for the duration: results legitimately differ in the last bit
 * between kernel thread counts (OpenBLAS partitions differently), and four callers each running
 * nproc-wide OpenMP teams on a small machine spend their time spin-waiting (minutes instead of
 * seconds). The property under test is Java-level sharing, which does not depend on that count.
 */
class SynthesizerConcurrencyTest {
    private static final int THREADS = 4, JOBS = 24, ROUNDS = 8;
    private static final String[] SPEAKERS = {"alice", "bob", "carol", "dave", "0", "1", "2", "3"};

    private static Synthesizer synth;
    private static int kernelThreads;

    @BeforeAll
    static void load() {
        Path dev = GoldenFiles.golden().resolve("dev");
        kernelThreads = NativeContext.threads();
        NativeContext.setThreads(1);
        synth = Synthesizer.load(dev.resolve("config.json"), dev.resolve("G_0.pth"));
    }

    @AfterAll
    static void close() {
        if (kernelThreads > 0) NativeContext.setThreads(kernelThreads);
        if (synth != null) synth.close();
    }

    /** One call: an utterance and the options (seed, knobs) it is synthesized with. */
    private record Job(Utterance utterance, SynthesisOptions options) {
    }

    static Utterance randomUtterance(Random r, int minLen, int maxLen) {
        int n = minLen + r.nextInt(maxLen - minLen + 1);
        int[] phones = new int[n], tones = new int[n], langs = new int[n];
        for (int i = 0; i < n; i++) {
            // blanks (0) between symbols, as add_blank produces
            phones[i] = i % 2 == 0 ? 0 : 1 + r.nextInt(111);
            tones[i] = r.nextInt(11);
            langs[i] = r.nextInt(3);
        }
        return Utterance.of(SPEAKERS[r.nextInt(SPEAKERS.length)], phones, tones, langs);
    }

    private static List<Job> jobs() {
        Random r = new Random(20240601);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            Utterance u = randomUtterance(r, 5, 40);
            SynthesisOptions o = SynthesisOptions.defaults().withSeed(1000 + i);
            if (i % 3 == 1) o = o.withSdpRatio(0.7f).withLengthScale(1.2f);
            if (i % 3 == 2) o = o.withNoiseScale(0.3f).withSdpRatio(0f);
            jobs.add(new Job(u, o));
        }
        return jobs;
    }

    private static void assertSameAudio(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                fail(what + ": sample " + i + " differs: " + got[i] + " vs single-threaded " + want[i]);
            }
        }
    }

    /** Runs `work(thread)` on THREADS threads started together; rethrows the first failure. */
    private static void onThreads(ThreadWork work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try {
            List<Future<Void>> fs = new ArrayList<>();
            for (int th = 0; th < THREADS; th++) {
                int id = th;
                Callable<Void> c = () -> {
                    start.await(60, TimeUnit.SECONDS);
                    work.run(id);
                    return null;
                };
                fs.add(pool.submit(c));
            }
            for (Future<Void> f : fs) {
                try {
                    f.get(10, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof AssertionError ae) throw ae;
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES), "worker threads did not stop");
        }
    }

    private interface ThreadWork {
        void run(int thread) throws Exception;
    }

    @Test
    void sharedSynthesizerMatchesSingleThreadedResults() throws Exception {
        List<Job> jobs = jobs();
        List<float[]> want = new ArrayList<>();
        for (Job j : jobs) want.add(synth.synthesize(j.utterance(), j.options()).samples());
        for (float[] w : want) {
            assertTrue(w.length > 0, "empty audio");
            for (float v : w) assertTrue(Float.isFinite(v), "non-finite sample");
        }
        // Every thread runs every job ROUNDS times, each in its own order, so different utterances
        // (and different lengths) are in flight on different threads at the same moment.
        onThreads(th -> {
            Random order = new Random(7 + th);
            for (int round = 0; round < ROUNDS; round++) {
                List<Integer> idx = new ArrayList<>();
                for (int i = 0; i < JOBS; i++) idx.add(i);
                java.util.Collections.shuffle(idx, order);
                for (int i : idx) {
                    Job j = jobs.get(i);
                    Audio a = synth.synthesize(j.utterance(), j.options());
                    assertSameAudio("thread " + th + " round " + round + " job " + i, want.get(i), a.samples());
                }
            }
        });
    }

    @Test
    void batchCallIsTheSameOnEveryThread() throws Exception {
        Random r = new Random(99);
        List<List<Utterance>> batches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Utterance> b = new ArrayList<>();
            for (int k = 0; k < 2 + i; k++) b.add(randomUtterance(r, 5, 40));
            batches.add(b);
        }
        List<SynthesisOptions> opts = List.of(SynthesisOptions.defaults().withSeed(5),
                SynthesisOptions.defaults().withSeed(6).withSdpRatio(0.5f), SynthesisOptions.defaults().withSeed(7));
        List<List<float[]>> want = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            List<float[]> w = new ArrayList<>();
            for (Audio a : synth.synthesizeBatch(batches.get(i), opts.get(i))) w.add(a.samples());
            want.add(w);
        }
        // a single call and a batch call of the same utterance are also run side by side
        Utterance lone = batches.getFirst().getFirst();
        float[] loneWant = synth.synthesize(lone, opts.getFirst()).samples();
        onThreads(th -> {
            for (int round = 0; round < 3 * ROUNDS; round++) {
                int i = (round + th) % batches.size();
                List<Audio> got = synth.synthesizeBatch(batches.get(i), opts.get(i));
                assertEquals(want.get(i).size(), got.size());
                for (int k = 0; k < got.size(); k++) {
                    assertSameAudio("thread " + th + " batch " + i + " item " + k, want.get(i).get(k), got.get(k).samples());
                }
                if (round % 3 == th % 3) {
                    assertSameAudio("thread " + th + " single", loneWant, synth.synthesize(lone, opts.getFirst()).samples());
                }
            }
        });
    }
}
