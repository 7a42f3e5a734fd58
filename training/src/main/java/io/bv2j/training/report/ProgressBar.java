package io.bv2j.training.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One self-overwriting terminal line: step, epoch, the main losses, steps/s and ETA. When the
 * output is not a terminal (CI logs) it prints a plain line every `plainEvery` steps instead.
 * Steps/s is the rate over the current interval of `plainEvery` steps (the first one since the
 * bar started), so the ETA follows the recent speed, not an average over pauses long past.
 */
public final class ProgressBar {
    private final PrintStream out;
    private final boolean terminal;
    private final int plainEvery;
    private final LongSupplier clock;
    private long markStep, markNanos;
    private double lastIntervalRate;

    public ProgressBar(PrintStream out, boolean terminal, int plainEvery, long firstStep) {
        this(out, terminal, plainEvery, firstStep, System::nanoTime);
    }

    /** With a clock in nanoseconds (tests drive time by hand). */
    ProgressBar(PrintStream out, boolean terminal, int plainEvery, long firstStep, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.plainEvery = Math.max(1, plainEvery);
        this.clock = clock;
        this.markStep = firstStep;
        this.markNanos = clock.getAsLong();
    }

    /**
     * Steps per second since the last interval boundary; at a boundary (after {@link #update}
     * passed it), the rate of the interval that just ended.
     */
    public double stepsPerSecond(long step) {
        double s = (clock.getAsLong() - markNanos) / 1e9;
        return step > markStep && s > 0 ? (step - markStep) / s : lastIntervalRate;
    }

    public void update(long step, long maxSteps, int epoch, Map<String, Double> losses) {
        double rate = stepsPerSecond(step);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "step %d", step));
        if (maxSteps > 0) line.append('/').append(maxSteps);
        line.append(String.format(Locale.ROOT, " epoch %d", epoch));
        for (String k : new String[]{"gen_all", "mel", "kl", "dur", "disc"}) {
            Double v = losses.get(k);
            if (v != null) line.append(String.format(Locale.ROOT, " %s %.3f", k, v));
        }
        line.append(String.format(Locale.ROOT, " | %.2f steps/s", rate));
        if (maxSteps > 0 && rate > 0) line.append(" ETA ").append(eta((maxSteps - step) / rate));
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            out.flush();
        } else if (step % plainEvery == 0 || step == maxSteps) {
            out.println(line);
        }
        if (step % plainEvery == 0) {
            lastIntervalRate = rate;
            markStep = step;
            markNanos = clock.getAsLong();
        }
    }

    public void finish() {
        if (terminal) out.println();
    }

    static String eta(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
