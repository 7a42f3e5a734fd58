package io.bv2j.training;

import io.bv2j.audio.MelFilterbank;
import io.bv2j.audio.Spectrogram;
import io.bv2j.io.ModelConfig;
import io.bv2j.io.Wav;
import io.bv2j.model.InferInput;
import io.bv2j.model.InferResult;
import io.bv2j.model.SeededNoise;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.model.TextEncoder;
import io.bv2j.tensor.Grad;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import io.bv2j.training.data.DataItem;
import io.bv2j.training.data.TrainingData;
import io.bv2j.training.report.HeatmapPng;
import io.bv2j.training.report.HtmlReport;
import io.bv2j.training.report.MetricsLog;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the trainer shows at each evaluation: images of the last step's alignment and target /
 * generated mel, audio synthesized for held-out utterances, the held-out mel L1 (the training
 * mel loss without its c_mel weight, on the posterior path), and report.html.
 */
final class Evaluator {
    private static final int AUDIO_ITEMS = 2;
    private final ModelConfig config;
    private final Path dir;
    private final SynthesizerTrn net;
    private final TrainingData validation;
    private final Spectrogram stft;
    private final MelFilterbank mel;
    private final List<String> audio = new ArrayList<>();

    Evaluator(ModelConfig config, Path dir, SynthesizerTrn net, TrainingData validation, Arena arena) {
        this.config = config;
        this.dir = dir;
        this.net = net;
        this.validation = validation;
        ModelConfig.Data d = config.data();
        this.stft = new Spectrogram(d.filterLength(), d.hopLength(), d.winLength(), arena);
        this.mel = new MelFilterbank(d.samplingRate(), d.filterLength(), d.nMelChannels(), d.melFmin(), d.melFmax(), arena);
    }

    /** Alignment and mel images of the first item of a step's batch (call inside the step's Scope). */
    void images(TrainStep.Result r) {
        Tensor attn = r.forward().attn();                                   // [B, 1, Ty, Tx]
        int ty = attn.dim(2), tx = attn.dim(3);
        float[][] align = new float[tx][ty];                                // text rows, frame columns
        for (int y = 0; y < ty; y++) for (int x = 0; x < tx; x++) align[x][y] = attn.get((long) y * tx + x);
        HeatmapPng.write(dir.resolve("alignment.png"), align, 4);
        HeatmapPng.write(dir.resolve("mel_target.png"), rows(r.yMel()), 4);
        HeatmapPng.write(dir.resolve("mel_generated.png"), rows(r.yHatMel()), 4);
    }

    /** Held-out audio and mel loss; the returned map goes to metrics.jsonl. */
    Map<String, Object> evaluate(long step) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (validation == null || validation.size() == 0) return out;
        try (Scope ignored = Scope.open(); Grad off = Grad.disable()) {
            audio.clear();
            for (int i = 0; i < Math.min(AUDIO_ITEMS, validation.size()); i++) {
                DataItem item = validation.item(i);
                InferResult r = net.infer(input(item), new SeededNoise(step + i));
                float[] samples = Ops.narrow(r.o(), 2, 0, r.yLengths()[0] * net.dec().hop()).toArray();
                String name = "eval_" + i + ".wav";
                Wav.write(dir.resolve(name), samples, config.data().samplingRate(), false);
                audio.add(name);
            }
            int n = Math.min(validation.size(), config.train().batchSize());
            int[] indices = new int[n];
            for (int i = 0; i < n; i++) indices[i] = i;
            TrainBatch batch = validation.collate(indices);
            GeneratorForward.Output f = GeneratorForward.run(net, batch, new SeededNoise(step), 0, false);
            Tensor yMel = Ops.sliceSegments(mel.specToMel(batch.spec()), f.idsSlice(), config.segmentFrames());
            Tensor yHat = f.yHat();
            Tensor yHatMel = stft.mel(yHat.reshape(yHat.dim(0), yHat.dim(2)), mel);
            out.put("val/mel_l1", (double) Losses.l1(yMel, yHatMel).get(0));
        }
        return out;
    }

    void report(MetricsLog metrics) {
        HtmlReport.write(dir.resolve("report.html"), "bv2j training: " + dir.getFileName(), metrics.read(),
                List.of("alignment.png", "mel_target.png", "mel_generated.png"), audio);
    }

    private InferInput input(DataItem item) {
        int t = item.textLength();
        Tensor bert = Tensor.zeros(1, TextEncoder.BERT_DIM, t), ja = Tensor.zeros(1, TextEncoder.JA_BERT_DIM, t);
        if (item.bert() != null) bert = Tensor.of(item.bert(), 1, TextEncoder.BERT_DIM, t);
        if (item.jaBert() != null) ja = Tensor.of(item.jaBert(), 1, TextEncoder.JA_BERT_DIM, t);
        // Voices without speaker ids (n_speakers 0) condition on a reference spectrogram: the item's own.
        Tensor refSpec = net.hasSpeakerEmbedding() ? null
                : Tensor.of(item.spec(), 1, item.specChannels(), item.specFrames());
        return new InferInput(new int[][]{item.text().phones()}, new int[][]{item.text().tones()},
                new int[][]{item.text().languages()}, new int[]{t}, bert, ja, new int[]{item.sid()}, refSpec, 0.667f, 0.8f,
                1f, 0.2f, (long) (60.0 * config.data().samplingRate() / config.data().hopLength()));
    }

    /** [B, C, T] item 0 as C rows of T values. */
    private static float[][] rows(Tensor x) {
        int c = x.dim(1), t = x.dim(2);
        float[][] r = new float[c][t];
        for (int i = 0; i < c; i++) for (int j = 0; j < t; j++) r[i][j] = x.get((long) i * t + j);
        return r;
    }
}
