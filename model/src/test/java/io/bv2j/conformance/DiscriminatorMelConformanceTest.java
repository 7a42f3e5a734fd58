package io.bv2j.conformance;

import io.bv2j.io.GoldenFiles;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The discriminator, duration-discriminator and mel cases against golden/dev: every row must pass. */
class DiscriminatorMelConformanceTest {
    @Test
    void discriminatorP() {
        runAndAssert(new DiscriminatorPCase(), 7);
    }

    @Test
    void discriminatorS() {
        runAndAssert(new DiscriminatorSCase(), 8);
    }

    @Test
    void durationDiscriminator() {
        runAndAssert(new DurationDiscriminatorCase(), 2);
    }

    @Test
    void mel() {
        runAndAssert(new MelCase(), 4);
    }

    private static void runAndAssert(ConformanceCase c, int expectedRows) {
        var report = new ConformanceRunner(List.of(c)).run(GoldenFiles.golden().resolve("dev"), null);
        assertTrue(report.absent().isEmpty(), "golden file missing: " + report.absent());
        for (Row r : report.rows()) {
            System.out.printf("%-40s %-22s relL2 %.3e  maxAbs %.3e  %s%s%n", r.caseId(), r.tensor(), r.relL2(),
                    r.maxAbs(), r.pass() ? "ok" : "FAIL", r.message() == null ? "" : " " + r.message());
        }
        for (Row r : report.rows()) assertTrue(r.pass(), () -> "row failed: " + r);
        assertEquals(expectedRows, report.rows().size(), "rows: " + report.rows());
    }
}
