package io.bv2j.bench;

import io.bv2j.io.ModelConfig;
import io.bv2j.model.Hparams;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the benchmark engine on the tiny dev voice (random weights): output sizes and line format, never timings. */
class BenchRunnerTest {
    private static final int FRAMES = 16;
    private static final Pattern LINE = Pattern.compile(
            "median_s=\\d+\\.\\d{4} rtf=\\d+\\.\\d{4} gflops=\\d+\\.\\d part=(decoder|full) frames=16 threads=1 reps=1 "
                    + "audio_s=\\d+\\.\\d{3} samples=\\d+ min_s=\\S+ max_s=\\S+ warmup=\\d+( gflops_basis=decoder)?( peak_rss_mb=\\d+)?");

    @Test
    void decoderProducesHopSamplesPerFrame() {
        BenchResult r = BenchRunner.run(request(BenchPart.DECODER));
        assertEquals((long) FRAMES * hop(), r.samples());
        assertEquals(1, r.repSeconds().length);
        assertTrue(LINE.matcher(r.line()).matches(), r.line());
        assertFalse(r.line().contains("gflops_basis"), r.line());
    }

    @Test
    void fullSynthesisIsRescaledToExactlyTheRequestedFrames() {
        BenchResult r = BenchRunner.run(request(BenchPart.FULL));
        assertEquals((long) FRAMES * hop(), r.samples());
        assertTrue(LINE.matcher(r.line()).matches(), r.line());
        assertTrue(r.line().contains(" gflops_basis=decoder"), r.line());
    }

    @Test
    void latentTimesEverythingBeforeTheDecoderForTheSameFrames() {
        BenchResult r = BenchRunner.run(request(BenchPart.LATENT));
        assertEquals((long) FRAMES * hop(), r.samples());
        assertEquals(0.0, r.gflops());
        assertTrue(r.line().matches("median_s=\\S+ rtf=\\S+ gflops=0\\.0 part=latent frames=16 .* timed=before_decoder( peak_rss_mb=\\d+)?"),
                r.line());
    }

    @Test
    void flopCountMatchesTheTorchBaselineFormulaForTheDefaultConfig() {
        // What torch_decoder_baseline.flops_per_frame prints for the same config.
        long expected = 651_608_064L;
        Path config = GoldenFiles.shared("bench/default-44k-config.json");
        Assumptions.assumeTrue(Files.isRegularFile(config), "no " + config);
        assertEquals(expected, DecoderFlops.perFrame(Hparams.of(ModelConfig.read(config))));
    }

    private static BenchRequest request(BenchPart part) {
        return new BenchRequest(devConfig(), null, part, FRAMES, 1, 1);
    }

    private static int hop() {
        int hop = 1;
        for (int r : Hparams.of(ModelConfig.read(devConfig())).upsampleRates()) hop *= r;
        return hop;
    }

    private static Path devConfig() {
        return GoldenFiles.dev("config.json");
    }
}
