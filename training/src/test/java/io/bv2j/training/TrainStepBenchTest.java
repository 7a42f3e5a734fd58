package io.bv2j.training;

import io.bv2j.io.ModelConfig;
import io.bv2j.training.data.Fixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `bv2j bench --part train-step` runs whole steps at the config's segment and at another one. */
class TrainStepBenchTest {
    @Test
    void runsAtTheConfigsSegmentAndAtAnOverride() {
        ModelConfig config = ModelConfig.parse(Fixtures.configJson(true, 2, 64, false), "tiny.json");
        for (int segment : new int[]{0, 512}) {
            TrainStepBench.Result r = TrainStepBench.run(config, 2, segment, 1);
            assertEquals(segment == 0 ? 1024 : 512, r.segmentSamples());
            assertEquals(2, r.batch());
            assertTrue(r.medianSeconds() > 0, r.line());
        }
    }
}
