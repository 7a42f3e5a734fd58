package io.bv2j.conformance;

import io.bv2j.tensor.Scope;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Runs every known case whose file exists in a golden folder (optionally only some groups),
 * names the files that are absent (case files and their companions), and collects the rows. The
 * JUnit tests and `bv2j conformance` both run this, so they cannot disagree about what "faithful"
 * means.
 */
public final class ConformanceRunner {
    /**
     * What a run found: compared rows, known files the folder lacks, and golden files in the folder
     * that no case of this build reproduces (reported, never silently skipped).
     */
    public record Report(List<Row> rows, List<String> absent, List<String> unhandled) {
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

    /**
     * Every case this build knows: infer files, module forwards, mel, plus the cases that modules
     * above `model` contribute through {@link CaseProvider} (alignment, training).
     */
    public static List<ConformanceCase> knownCases() {
        List<ConformanceCase> all = new ArrayList<>();
        all.add(new InferCase("infer_single.safetensors"));
        all.add(new InferCase("infer_batch.safetensors"));
        all.addAll(ModuleCases.all());
        all.addAll(DiscriminatorCases.all());
        all.add(new MelCase());
        ServiceLoader.load(CaseProvider.class).forEach(p -> all.addAll(p.cases()));
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
                for (String companion : c.companionFiles()) {
                    if (!Files.isRegularFile(dir.resolve(companion))) absent.add(companion);
                }
                try (Scope ignored = Scope.open()) {
                    rows.addAll(c.run(ctx, new GoldenFile(file)));
                } catch (RuntimeException e) {
                    rows.add(Row.failure(c.file(), "-", e.getClass().getSimpleName() + ": " + e.getMessage()));
                }
            }
        }
        return new Report(rows, absent, unhandled(dir));
    }

    /** Golden case files (infer_*, train_*, modules/*) in the folder that no known case claims. */
    private List<String> unhandled(Path dir) {
        Set<String> claimed = new java.util.HashSet<>();
        for (ConformanceCase c : cases) claimed.add(c.file());
        List<String> found = new ArrayList<>();
        try (var top = Files.list(dir)) {
            top.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".safetensors") && (n.startsWith("infer_") || n.startsWith("train_")))
                    .forEach(found::add);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path modules = dir.resolve("modules");
        if (Files.isDirectory(modules)) {
            try (var m = Files.list(modules)) {
                m.map(p -> "modules/" + p.getFileName()).filter(n -> n.endsWith(".safetensors")).forEach(found::add);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        found.removeAll(claimed);
        found.sort(null);
        return found;
    }
}
