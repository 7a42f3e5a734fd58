package io.bv2j.tests;

import io.bv2j.testing.GoldenFiles;
import io.bv2j.conformance.ConformanceRunner;
import io.bv2j.conformance.Row;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every golden case this build knows (infer, module forwards, alignment, mel) within tolerance
 * on the dev folder, through the same runner as `bv2j conformance`.
 */
class GoldenConformanceTest {
    @Test
    void everyKnownCaseWithinTolerance() {
        var runner = new ConformanceRunner(ConformanceRunner.knownCases());
        var report = runner.run(GoldenFiles.golden().resolve("dev"), null);
        StringBuilder failures = new StringBuilder();
        for (Row r : report.rows()) {
            System.out.printf("%-42s %-24s rel=%.3e max=%.3e tol=%.0e %s%n", r.caseId(), r.tensor(), r.relL2(),
                    r.maxAbs(), r.tolerance(), r.pass() ? "ok" : "FAIL " + (r.message() == null ? "" : r.message()));
            if (!r.pass()) failures.append(r).append('\n');
        }
        assertEquals(java.util.List.of(), report.absent(), "golden files this build knows but the folder lacks");
        assertTrue(report.rows().size() > 70, "too few rows: " + report.rows().size());
        assertTrue(failures.isEmpty(), failures.toString());
    }
}
