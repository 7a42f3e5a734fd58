package io.bv2j.training;

import io.bv2j.audio.MelFilterbank;
import io.bv2j.audio.Spectrogram;
import io.bv2j.io.ModelConfig;
import io.bv2j.model.DurationDiscriminator;
import io.bv2j.model.Hparams;
import io.bv2j.model.MultiPeriodDiscriminator;
import io.bv2j.model.SeededNoise;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.model.TextEncoder;
import io.bv2j.nn.Module;
import io.bv2j.synth.RandomWeights;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times whole training steps (generator, MPD and duration discriminator, all three AdamW steps)
 * on random weights and a random batch of the config's segment size, and reports the process's
 * peak resident memory. Speed does not depend on the values.
 */
public final class TrainStepBench {
    /** What a run measured: seconds per step (median of reps after one warm-up), peak RSS in MiB. */
    public record Result(int batch, int segmentSamples, double[] seconds, double medianSeconds, long peakRssMiB) {
        public String line() {
            return String.format("part=train-step batch=%d segment=%d steps=%d median_s=%.3f steps_per_s=%.3f peak_rss_mib=%d",
                    batch, segmentSamples, seconds.length, medianSeconds, 1 / medianSeconds, peakRssMiB);
        }
    }

    private TrainStepBench() {
    }

    /** Decoder forward vs forward+backward on one segment: seconds (medians) and their ratio. */
    public record DecoderResult(int frames, double forwardSeconds, double backwardSeconds) {
        public String line() {
            return String.format("part=decoder-backward frames=%d forward_s=%.3f backward_s=%.3f backward_over_forward=%.2f",
                    frames, forwardSeconds, backwardSeconds, backwardSeconds / forwardSeconds);
        }
    }

    /** Times the generator's decoder forward and its backward (all parameter and input gradients) separately. */
    public static DecoderResult decoder(ModelConfig config, int frames, int reps) {
        try (Arena arena = Arena.ofConfined()) {
            SynthesizerTrn net = new SynthesizerTrn(Hparams.of(config));
            trainable(net, arena, 1);
            Hparams hp = net.hparams();
            double[] fwd = new double[reps], bwd = new double[reps];
            for (int r = -1; r < reps; r++) {
                try (Scope ignored = Scope.open(); io.bv2j.tensor.Grad g = io.bv2j.tensor.Grad.enable()) {
                    SplittableRandom rnd = new SplittableRandom(r + 3);
                    float[] z = new float[hp.interChannels() * frames], gv = new float[Math.max(1, hp.ginChannels())];
                    for (int i = 0; i < z.length; i++) z[i] = (float) rnd.nextGaussian();
                    for (int i = 0; i < gv.length; i++) gv[i] = (float) rnd.nextGaussian();
                    Tensor zt = Tensor.of(z, 1, hp.interChannels(), frames), gt = Tensor.of(gv, 1, gv.length, 1);
                    long t0 = System.nanoTime();
                    Tensor o = net.dec().forward(zt, hp.ginChannels() > 0 ? gt : null);
                    long t1 = System.nanoTime();
                    io.bv2j.tensor.Grad.backward(io.bv2j.tensor.Ops.sumAll(o));
                    long t2 = System.nanoTime();
                    if (r >= 0) {
                        fwd[r] = (t1 - t0) / 1e9;
                        bwd[r] = (t2 - t1) / 1e9;
                    }
                }
            }
            Arrays.sort(fwd);
            Arrays.sort(bwd);
            return new DecoderResult(frames, fwd[reps / 2], bwd[reps / 2]);
        }
    }

    /** batchSize/segmentSamples <= 0 take the config's train.batch_size / train.segment_size. */
    public static Result run(ModelConfig baseConfig, int batchSize, int segmentSamples, int reps) {
        int b = batchSize > 0 ? batchSize : baseConfig.train().batchSize();
        int segment = segmentSamples > 0 ? segmentSamples : baseConfig.train().segmentSize();
        // The generator slices its own segment too (Hparams.segmentFrames): every part sees the same config.
        ModelConfig config = withSegment(baseConfig, segment);
        ModelConfig.Data d = config.data();
        int hop = d.hopLength(), segFrames = segment / hop;
        // The utterances are twice the segment, and the text a quarter of the frames (MAS needs tx <= ty).
        int frames = 2 * segFrames, tx = Math.max(3, frames / 4);
        try (Arena arena = Arena.ofConfined()) {
            SynthesizerTrn netG = new SynthesizerTrn(Hparams.of(config));
            trainable(netG, arena, 1);
            MultiPeriodDiscriminator netD = new MultiPeriodDiscriminator(config.model().useSpectralNorm());
            trainable(netD, arena, 2);
            int hidden = config.model().hiddenChannels();
            int gin = config.model().nSpeakers() != 0 ? config.model().ginChannels() : 0;
            DurationDiscriminator netDur = config.model().useDurationDiscriminator()
                    ? trainable(new DurationDiscriminator(hidden, hidden, 3, 0.1, gin), arena, 3) : null;
            ModelConfig.Train t = config.train();
            TrainStep step = new TrainStep(netG, netD, netDur, AdamW.forModule(netG, t, arena),
                    AdamW.forModule(netD, t, arena), netDur == null ? null : AdamW.forModule(netDur, t, arena),
                    config,
                    new Spectrogram(d.filterLength(), hop, d.winLength(), arena),
                    new MelFilterbank(d.samplingRate(), d.filterLength(), d.nMelChannels(), d.melFmin(), d.melFmax(),
                            arena));
            double[] seconds = new double[reps];
            for (int r = -1; r < reps; r++) {
                try (Scope ignored = Scope.open()) {
                    TrainBatch batch = randomBatch(netG.hparams(), b, tx, frames, hop, r);
                    long t0 = System.nanoTime();
                    step.run(batch, new SeededNoise(r), r + 1, null);
                    if (r >= 0) seconds[r] = (System.nanoTime() - t0) / 1e9;
                }
            }
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            return new Result(b, segment, seconds, sorted[sorted.length / 2], peakRssMiB());
        }
    }

    private static <M extends Module> M trainable(M module, Arena arena, long seed) {
        module.loadForTraining(RandomWeights.of(module, seed), "", arena);
        return module;
    }

    /** The config with train.segment_size replaced (the step slices that many samples). */
    private static ModelConfig withSegment(ModelConfig config, int segment) {
        if (segment == config.train().segmentSize()) return config;
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = (Map<String, Object>) deepCopy(config.raw());
        @SuppressWarnings("unchecked")
        Map<String, Object> train = (Map<String, Object>) raw.get("train");
        train.put("segment_size", (long) segment);
        return ModelConfig.parse(io.bv2j.io.Json.write(raw), "bench config");
    }

    private static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put((String) k, deepCopy(v)));
            return c;
        }
        if (o instanceof java.util.List<?> l) return new java.util.ArrayList<>(l.stream().map(TrainStepBench::deepCopy).toList());
        return o;
    }

    private static TrainBatch randomBatch(Hparams hp, int b, int tx, int frames, int hop, long seed) {
        SplittableRandom r = new SplittableRandom(seed + 17);
        int[][] phones = new int[b][tx], tones = new int[b][tx], langs = new int[b][tx];
        int[] xLengths = new int[b], specLengths = new int[b], wavLengths = new int[b], sid = new int[b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < tx; j++) {
                phones[i][j] = r.nextInt(1, Hparams.N_SYMBOLS);
                tones[i][j] = r.nextInt(Hparams.N_TONES);
                langs[i][j] = r.nextInt(Hparams.N_LANGUAGES);
            }
            xLengths[i] = tx;
            specLengths[i] = frames;
            wavLengths[i] = frames * hop;
            sid[i] = hp.nSpeakers() > 1 ? r.nextInt(hp.nSpeakers()) : 0;
        }
        Tensor spec = Tensor.zeros(b, hp.specChannels(), frames), wav = Tensor.zeros(b, 1, frames * hop);
        for (long i = 0; i < spec.numel(); i++) spec.set(i, (float) Math.abs(r.nextGaussian()));
        for (long i = 0; i < wav.numel(); i++) wav.set(i, (float) (0.1 * r.nextGaussian()));
        return new TrainBatch(phones, tones, langs, xLengths, Tensor.zeros(b, TextEncoder.BERT_DIM, tx),
                Tensor.zeros(b, TextEncoder.JA_BERT_DIM, tx), spec, specLengths, wav, wavLengths, sid);
    }

    /** VmHWM of /proc/self/status (Linux), in MiB; -1 elsewhere. */
    static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
