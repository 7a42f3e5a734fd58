package io.bv2j.training;

import io.bv2j.Bv2jException;
import io.bv2j.audio.MelFilterbank;
import io.bv2j.audio.Spectrogram;
import io.bv2j.io.ModelConfig;
import io.bv2j.model.DurationDiscriminator;
import io.bv2j.model.Dropout;
import io.bv2j.model.Hparams;
import io.bv2j.model.MultiPeriodDiscriminator;
import io.bv2j.model.SeededNoise;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.nn.Module;
import io.bv2j.synth.RandomWeights;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import io.bv2j.training.data.BatchIterator;
import io.bv2j.training.data.BucketSampler;
import io.bv2j.training.data.TrainingData;
import io.bv2j.training.report.MetricsLog;
import io.bv2j.training.report.ProgressBar;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * train_ms.py: the training loop. Builds or loads the generator, multi-period discriminator and
 * (when configured) duration discriminator, then runs steps in the reference's order with dropout
 * on, the MAS noise schedule, ExponentialLR per epoch, metrics every log_interval and, every
 * eval_interval, an evaluation and G/D/DUR checkpoints (atomic, the last keep_ckpts kept).
 */
public final class Trainer {
    /** What to run. initG/initD/initDur fine-tune from given checkpoints (honouring skip_optimizer). */
    public record Options(Path config, Path modelDir, boolean resume, Path initG, Path initD, Path initDur,
                          long maxSteps, int threads, PrintStream out, boolean terminal) {
    }

    /** How a run ended. */
    public record Summary(long firstStep, long lastStep, int epoch, double seconds, Path lastCheckpoint) {
    }

    private final Options o;
    private final ModelConfig config;
    private final Arena arena = Arena.ofShared();
    private SynthesizerTrn netG;
    private MultiPeriodDiscriminator netD;
    private DurationDiscriminator netDur;
    private AdamW optG, optD, optDur;
    private long step;
    private int epoch = 1;

    private Trainer(Options o) {
        this.o = o;
        this.config = ModelConfig.read(o.config());
    }

    public static Summary run(Options options) {
        Trainer t = new Trainer(options);
        try {
            return t.train();
        } finally {
            t.arena.close();
        }
    }

    private Summary train() {
        if (o.threads() > 0) NativeContext.setThreads(o.threads());
        Path dir = o.modelDir();
        ModelDir.prepare(dir, o.config());
        TrainingData data = TrainingData.load(config, dataPath(config.data().trainingFiles(), "training_files"),
                o.config().toAbsolutePath().getParent());
        TrainingData validation = config.data().validationFiles() == null ? null
                : TrainingData.load(config, dataPath(config.data().validationFiles(), "validation_files"),
                o.config().toAbsolutePath().getParent());
        buildModels();
        ModelConfig.Train t = config.train();
        double lr = t.learningRate() * Math.pow(t.lrDecay(), epoch - 1);
        for (AdamW opt : optimizers()) opt.setLearningRate(lr);
        ModelConfig.Data d = config.data();
        TrainStep trainStep = new TrainStep(netG, netD, netDur, optG, optD, optDur, config,
                new Spectrogram(d.filterLength(), d.hopLength(), d.winLength(), arena),
                new MelFilterbank(d.samplingRate(), d.filterLength(), d.nMelChannels(), d.melFmin(), d.melFmax(), arena));
        Evaluator evaluator = new Evaluator(config, dir, netG, validation, arena);
        MetricsLog metrics = new MetricsLog(dir.resolve("metrics.jsonl"));
        BucketSampler sampler = data.sampler(t.seed());
        long first = step;
        ProgressBar bar = new ProgressBar(o.out(), o.terminal(), t.logInterval(), first);
        long t0 = System.nanoTime();
        Path last = null;
        int perEpoch = sampler.numBatches();
        if (perEpoch == 0) throw new Bv2jException("the training filelist yields no batch (fewer usable items than one batch?)");
        while (o.maxSteps() <= 0 || step < o.maxSteps()) {
            BatchIterator batches = data.epoch(sampler, epoch);
            batches.skip(step - (long) (epoch - 1) * perEpoch); // resuming inside an epoch skips its done batches
            Map<String, Double> losses = Map.of();
            while (batches.hasNext() && (o.maxSteps() <= 0 || step < o.maxSteps())) {
                try (Scope ignored = Scope.open();
                     Dropout dropout = Dropout.train(new SeededNoise(t.seed() * 1_000_003L + step))) {
                    TrainStep.Result r = trainStep.run(batches.next(), new SeededNoise(t.seed() + 7919L * step), step, null);
                    losses = values(r.losses());
                    step++;
                    boolean evaluate = step % t.evalInterval() == 0 || step == o.maxSteps();
                    if (evaluate) evaluator.images(r);
                }
                bar.update(step, o.maxSteps(), epoch, losses);
                if (step % t.logInterval() == 0 || step == o.maxSteps()) {
                    metrics.append(record(losses, lr, bar.stepsPerSecond(step)));
                }
                if (step % t.evalInterval() == 0 || step == o.maxSteps()) {
                    Map<String, Object> eval = evaluator.evaluate(step);
                    eval.put("step", step);
                    eval.put("epoch", epoch);
                    metrics.append(eval);
                    last = save(dir, lr);
                    evaluator.report(metrics);
                }
            }
            if (!batches.hasNext()) {
                epoch++;
                lr *= t.lrDecay();
                for (AdamW opt : optimizers()) opt.setLearningRate(lr);
            }
        }
        bar.finish();
        return new Summary(first, step, epoch, (System.nanoTime() - t0) / 1e9, last);
    }

    private Path dataPath(String listed, String key) {
        if (listed == null) throw new Bv2jException(o.config() + ": data." + key + " is not set");
        Path p = Path.of(listed);
        if (p.isAbsolute()) return p;
        Path besideConfig = o.config().toAbsolutePath().getParent().resolve(p);
        return Files.exists(besideConfig) ? besideConfig : p.toAbsolutePath();
    }

    /** Builds the three networks and their optimizers from a resume point, given checkpoints or scratch. */
    private void buildModels() {
        ModelConfig.Model m = config.model();
        netD = new MultiPeriodDiscriminator(m.useSpectralNorm());
        int hidden = m.hiddenChannels(), gin = m.nSpeakers() != 0 ? m.ginChannels() : 0;
        netDur = m.useDurationDiscriminator() ? new DurationDiscriminator(hidden, hidden, 3, 0.1, gin) : null;
        ModelDir.Latest latest = o.resume() ? ModelDir.latest(o.modelDir(), netDur != null) : null;
        Path g = latest != null ? latest.g() : o.initG();
        netG = g != null ? generatorFor(g) : new SynthesizerTrn(Hparams.of(config));
        load(netG, g, 1);
        load(netD, latest != null ? latest.d() : o.initD(), 2);
        if (netDur != null) load(netDur, latest != null ? latest.dur() : o.initDur(), 3);
        optG = AdamW.forModule(netG, config.train(), arena);
        optD = AdamW.forModule(netD, config.train(), arena);
        optDur = netDur == null ? null : AdamW.forModule(netDur, config.train(), arena);
        if (latest != null) {
            step = latest.step();
            epoch = (int) Math.max(1, latest.epoch());
            // Resuming restores the moments too: the run continues where it stopped.
            Checkpointing.restoreOptimizer(latest.g(), optG);
            Checkpointing.restoreOptimizer(latest.d(), optD);
            if (netDur != null) Checkpointing.restoreOptimizer(latest.dur(), optDur);
        } else if (!config.train().skipOptimizer()) {
            if (o.initG() != null) Checkpointing.restoreOptimizer(o.initG(), optG);
            if (o.initD() != null) Checkpointing.restoreOptimizer(o.initD(), optD);
            if (o.initDur() != null && netDur != null) Checkpointing.restoreOptimizer(o.initDur(), optDur);
        }
    }

    private SynthesizerTrn generatorFor(Path checkpoint) {
        try (var ck = io.bv2j.io.TorchCheckpoint.read(checkpoint)) {
            return new SynthesizerTrn(Hparams.of(config, ck.modelStateDict().keySet()));
        }
    }

    private void load(Module module, Path checkpoint, long seed) {
        if (checkpoint != null) {
            Checkpointing.loadWeights(checkpoint, module, arena);
        } else {
            module.loadForTraining(RandomWeights.of(module, config.train().seed() * 31 + seed), "", arena);
        }
    }

    private AdamW[] optimizers() {
        return optDur == null ? new AdamW[]{optG, optD} : new AdamW[]{optG, optD, optDur};
    }

    /** G_/D_/DUR_<step>.pth (iteration = epoch, learning_rate = the configured one, as the reference saves). */
    private Path save(Path dir, double lr) {
        double lr0 = config.train().learningRate();
        Path g = dir.resolve("G_" + step + ".pth");
        Checkpointing.save(dir.resolve("D_" + step + ".pth"), netD, optD, lr0, epoch);
        if (netDur != null) Checkpointing.save(dir.resolve("DUR_" + step + ".pth"), netDur, optDur, lr0, epoch);
        Checkpointing.save(g, netG, optG, lr0, epoch); // last: a G file marks a complete set
        ModelDir.prune(dir, config.train().keepCkpts());
        return g;
    }

    private Map<String, Object> record(Map<String, Double> losses, double lr, double stepsPerSecond) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", step);
        r.put("epoch", epoch);
        r.put("lr", lr);
        r.put("steps_per_s", stepsPerSecond);
        for (Map.Entry<String, Double> e : losses.entrySet()) r.put("loss/" + e.getKey(), e.getValue());
        return r;
    }

    private static Map<String, Double> values(Map<String, Tensor> losses) {
        Map<String, Double> v = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : losses.entrySet()) v.put(e.getKey(), (double) e.getValue().get(0));
        return v;
    }
}
