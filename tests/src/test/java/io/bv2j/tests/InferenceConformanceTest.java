package io.bv2j.tests;

import io.bv2j.conformance.ConformanceRunner;
import io.bv2j.conformance.Row;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every inference case of the golden dev folder (infer_* and module forwards) within tolerance. */
class InferenceConformanceTest {
    @Test
    void everyForwardTensorWithinTolerance() {
        var runner = new ConformanceRunner(ConformanceRunner.inferenceCases());
        var report = runner.run(Golden.dev(), Set.of("infer", "modules"));
        StringBuilder failures = new StringBuilder();
        for (Row r : report.rows()) {
            System.out.printf("%-42s %-24s rel=%.3e max=%.3e tol=%.0e %s%n", r.caseId(), r.tensor(), r.relL2(),
                    r.maxAbs(), r.tolerance(), r.pass() ? "ok" : "FAIL " + (r.message() == null ? "" : r.message()));
            if (!r.pass()) failures.append(r).append('\n');
        }
        assertTrue(report.rows().size() > 20, "too few rows: " + report.rows().size());
        assertTrue(failures.isEmpty(), failures.toString());
    }
}
