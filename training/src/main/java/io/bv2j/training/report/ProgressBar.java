package io.bv2j.training.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * One self-overwriting terminal line: step, epoch, the main losses, steps/s and ETA. When the
 * output is not a terminal (CI logs) it prints a plain line every `plainEvery` steps instead.
 */
public final class ProgressBar {
    private final PrintStream out;
    private final boolean terminal;
    private final int plainEvery;
    private final long startNanos = System.nanoTime();
    private final long firstStep;

    public ProgressBar(PrintStream out, boolean terminal, int plainEvery, long firstStep) {
        this.out = out;
        this.terminal = terminal;
        this.plainEvery = Math.max(1, plainEvery);
        this.firstStep = firstStep;
    }

    /** Steps per second since this bar started. */
    public double stepsPerSecond(long step) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        return s > 0 ? (step - firstStep) / s : 0;
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
