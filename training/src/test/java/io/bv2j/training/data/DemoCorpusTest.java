package io.bv2j.training.data;

import io.bv2j.io.ModelConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracked demo config is valid; the generated corpus (when built) passes validation untouched. */
class DemoCorpusTest {

    private static final Path DEMO = Path.of("").toAbsolutePath().getParent().resolve("demo-corpus");

    @Test
    void demoConfigIsConsistent() {
        ModelConfig cfg = ModelConfig.read(DEMO.resolve("config.json"));
        assertEquals(16000, cfg.data().samplingRate());
        assertEquals(513, cfg.specChannels());
        int product = cfg.model().upsampleRates().stream().reduce(1, (a, b) -> a * b);
        assertEquals(cfg.data().hopLength(), product, "the decoder must upsample by hop_length");
        assertEquals(2, cfg.model().nSpeakers());
        assertEquals(0, cfg.speakerId("demo"));
        assertTrue(cfg.model().nLayers() >= 3 && cfg.model().nLayersTransFlow() >= 3,
                "speaker conditioning happens before layer 2");
        assertEquals(0, cfg.train().segmentSize() % cfg.data().hopLength());
    }

    @Test
    void builtCorpusValidatesCleanly() {
        Path build = DEMO.resolve("build");
        Path train = build.resolve("filelists/train.list");
        Assumptions.assumeTrue(Files.isRegularFile(train), "demo-corpus/make-corpus.sh has not been run");
        ModelConfig cfg = ModelConfig.read(build.resolve("config.json"));
        for (String list : new String[] {"train.list", "val.list", "heldout.list"}) {
            PreprocessReport r = Preprocess.validate(cfg, build.resolve("filelists").resolve(list), build);
            assertFalse(r.hasErrors(), r::toString);
            assertTrue(r.warnings().isEmpty(), r::toString);
        }
        PreprocessReport r = Preprocess.validate(cfg, train, build);
        assertEquals(140, r.entries().size());
        new BucketSampler(r.entries().stream().mapToInt(DataEntry::length).toArray(), cfg.train().batchSize(), 0);
    }
}
