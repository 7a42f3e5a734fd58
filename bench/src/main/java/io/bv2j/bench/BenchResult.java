package io.bv2j.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The outcome of one benchmark run. rtf = median / audioSeconds. gflops is always the decoder's
 * convolution FLOPs (counted as the PyTorch baseline counts them) divided by the median time;
 * for the other parts that time is the whole synthesis, so the figure is lower than the
 * decoder's own and the line says so (gflops_basis=decoder). For first-audio the times are the
 * time until the first streamed chunk (the line says timed=first_chunk), so rtf and gflops there
 * describe nothing and are printed as 0. For latent the time is everything before the decoder
 * (timed=before_decoder): rtf is that time over the audio the latent frames make, gflops 0.
 */
public record BenchResult(BenchPart part, int frames, int threads, long samples, double audioSeconds,
                          double[] repSeconds, int warmupReps, double medianSeconds, double rtf, double gflops,
                          OptionalLong peakRssBytes) {
    public BenchResult {
        repSeconds = repSeconds.clone();
    }

    /** Builds the result from the timed reps; the median is the statistics.median of the baselines. */
    static BenchResult of(BenchRequest req, long samples, int sampleRate, double[] repSeconds, int warmupReps,
                          long decoderFlops, OptionalLong peakRss) {
        double median = median(repSeconds), audio = (double) samples / sampleRate;
        boolean whole = req.part() != BenchPart.FIRST_AUDIO;
        boolean decodes = whole && req.part() != BenchPart.LATENT;
        return new BenchResult(req.part(), req.frames(), req.threads(), samples, audio, repSeconds, warmupReps, median,
                whole ? median / audio : 0, decodes ? decoderFlops / median / 1e9 : 0, peakRss);
    }

    /**
     * A BERT sentence's times (part bert): no audio, so samples 0 and rtf 0; gflops counts the
     * encoder's own FLOPs ({@link BertBench#flops}), and the line says so (gflops_basis=bert).
     */
    static BenchResult ofBert(BenchRequest req, double[] repSeconds, int warmupReps, long flops, OptionalLong peakRss) {
        double median = median(repSeconds);
        return new BenchResult(req.part(), req.frames(), req.threads(), 0, 0, repSeconds, warmupReps, median, 0,
                flops / median / 1e9, peakRss);
    }

    @Override
    public double[] repSeconds() {
        return repSeconds.clone();
    }

    /** median_s=… rtf=… gflops=… followed by further key=value fields, one line. */
    public String line() {
        double min = Arrays.stream(repSeconds).min().orElse(Double.NaN);
        double max = Arrays.stream(repSeconds).max().orElse(Double.NaN);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "median_s=%.4f rtf=%.4f gflops=%.1f part=%s frames=%d threads=%d reps=%d audio_s=%.3f samples=%d "
                        + "min_s=%.4f max_s=%.4f",
                medianSeconds, rtf, gflops, part.label(), frames, threads, repSeconds.length, audioSeconds, samples,
                min, max));
        s.append(" warmup=").append(warmupReps);
        if (part == BenchPart.FIRST_AUDIO) s.append(" timed=first_chunk");
        else if (part == BenchPart.LATENT) s.append(" timed=before_decoder");
        else if (part == BenchPart.BERT) s.append(" timed=one_sentence tokens=").append(frames).append(" gflops_basis=bert");
        else if (part != BenchPart.DECODER) s.append(" gflops_basis=decoder");
        peakRssBytes.ifPresent(b -> s.append(String.format(Locale.ROOT, " peak_rss_mb=%.0f", b / 1048576.0)));
        return s.toString();
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
