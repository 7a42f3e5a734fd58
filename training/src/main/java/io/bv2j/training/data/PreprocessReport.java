package io.bv2j.training.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything {@link Preprocess} found in one filelist: every problem (not just the first), the
 * counts, and the entries that are usable for training.
 *
 * @param filelist the filelist checked
 * @param lines non-blank lines read
 * @param entries lines that passed the length filter and have no error, in filelist order
 * @param skippedByLength lines the reference's length filter skips (min_text_len/max_text_len)
 * @param notSampled usable entries whose bucketing length lies outside the sampler's boundaries
 * @param audioSeconds total duration of the usable entries
 * @param specsComputed spectrograms computed and cached by {@link Preprocess#run}
 * @param specsReused spectrograms {@link Preprocess#run} found fresh in the cache
 * @param problems errors and warnings, in filelist order
 */
public record PreprocessReport(Path filelist, int lines, List<DataEntry> entries, int skippedByLength, int notSampled,
        double audioSeconds, int specsComputed, int specsReused, List<Problem> problems) {

    public PreprocessReport {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    public List<Problem> errors() {
        return problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> p.severity() == Problem.Severity.WARNING).toList();
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR);
    }

    /** Problems of one kind (for tests and tools). */
    public List<Problem> problems(Problem.Kind kind) {
        return problems.stream().filter(p -> p.kind() == kind).toList();
    }

    /** A one-line summary of the counts. */
    public String summary() {
        return String.format(Locale.ROOT,
                "%s: %d lines, %d usable (%.1f min of audio), %d skipped by the text-length filter, "
                        + "%d never sampled by the bucket sampler, %d errors, %d warnings%s",
                filelist.getFileName(), lines, entries.size(), audioSeconds / 60, skippedByLength, notSampled,
                errors().size(), warnings().size(),
                specsComputed + specsReused > 0
                        ? ", spectrograms: " + specsComputed + " computed, " + specsReused + " cached" : "");
    }

    /** The summary and up to {@code maxProblems} problems, one per line, then how many were left out. */
    public String format(int maxProblems) {
        StringBuilder sb = new StringBuilder(summary());
        int shown = 0;
        for (Problem p : problems) {
            if (shown == maxProblems) {
                sb.append("\n  ... and ").append(problems.size() - shown).append(" more");
                break;
            }
            sb.append("\n  ").append(p);
            shown++;
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format(Integer.MAX_VALUE);
    }
}
