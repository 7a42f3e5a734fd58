package io.bv2j.conformance;

import io.bv2j.tensor.Scope;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Runs every known case whose file exists in a golden folder (optionally only some groups),
 * names the files that are absent, and collects the rows. The JUnit tests and `bv2j conformance`
 * both run this, so they cannot disagree about what "faithful" means.
 */
public final class ConformanceRunner {
    /** What a run found: compared rows, and known files the folder lacks. */
    public record Report(List<Row> rows, List<String> absent) {
        public boolean pass() {
            return rows.stream().allMatch(Row::pass);
        }

        /** The worst row (highest error relative to its tolerance, failures first) of one case. */
        public Row worst(String caseId) {
            Row worst = null;
            for (Row r : rows) {
                if (!r.caseId().equals(caseId)) continue;
                if (worst == null || severity(r) > severity(worst)) worst = r;
            }
            return worst;
        }

        private static double severity(Row r) {
            if (!r.pass()) return Double.POSITIVE_INFINITY;
            return r.integer() ? r.maxAbs() : r.relL2() / Math.max(r.tolerance(), 1e-30);
        }
    }

    private final List<ConformanceCase> cases;

    public ConformanceRunner(Collection<ConformanceCase> cases) {
        this.cases = List.copyOf(cases);
    }

    /** The cases this build knows for inference (infer files and module forwards). */
    public static List<ConformanceCase> inferenceCases() {
        List<ConformanceCase> all = new ArrayList<>();
        all.add(new InferCase("infer_single.safetensors"));
        all.add(new InferCase("infer_batch.safetensors"));
        all.addAll(ModuleCases.all());
        return all;
    }

    public Set<String> groups() {
        Set<String> g = new java.util.LinkedHashSet<>();
        for (ConformanceCase c : cases) g.add(c.group());
        return g;
    }

    public Report run(Path dir, Set<String> groups) {
        List<Row> rows = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        try (Arena shared = Arena.ofConfined()) {
            GoldenContext ctx = new GoldenContext(dir, shared);
            for (ConformanceCase c : cases) {
                if (groups != null && !groups.contains(c.group())) continue;
                Path file = dir.resolve(c.file());
                if (!Files.isRegularFile(file)) {
                    absent.add(c.file());
                    continue;
                }
                try (Scope ignored = Scope.open()) {
                    rows.addAll(c.run(ctx, new GoldenFile(file)));
                } catch (RuntimeException e) {
                    rows.add(Row.failure(c.file(), "-", e.getClass().getSimpleName() + ": " + e.getMessage()));
                }
            }
        }
        return new Report(rows, absent);
    }
}
