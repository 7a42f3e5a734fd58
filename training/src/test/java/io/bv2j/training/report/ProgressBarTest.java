package io.bv2j.training.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steps/s and the ETA follow the latest interval, not the average since the start. */
class ProgressBarTest {
    @Test
    void rateIsTheLatestIntervalsAndTheEtaFollowsIt() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 10, 100,
                () -> now[0]);
        // Steps 101..110 at 10 s a step (a slow start, e.g. a pause), then 111..120 at 1 s a step.
        for (long step = 101; step <= 110; step++) {
            now[0] += 10_000_000_000L;
            bar.update(step, 200, 1, Map.of("mel", 30.0));
        }
        assertEquals(0.1, bar.stepsPerSecond(110), 1e-9, "at a boundary: the interval that just ended");
        for (long step = 111; step <= 120; step++) {
            now[0] += 1_000_000_000L;
            bar.update(step, 200, 1, Map.of("mel", 30.0));
        }
        assertEquals(1.0, bar.stepsPerSecond(120), 1e-9, "the second interval's rate, not the average 0.18");
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(2, lines.length, "a plain line every 10 steps");
        assertTrue(lines[0].contains("0.10 steps/s ETA 15m00s"), lines[0]);
        assertTrue(lines[1].contains("1.00 steps/s ETA 1m20s"), lines[1]);
        now[0] += 2_000_000_000L;
        assertEquals(0.5, bar.stepsPerSecond(121), 1e-9, "inside an interval: since its start");
    }
}
