package io.bv2j.training.conformance;

import io.bv2j.audio.MelFilterbank;
import io.bv2j.audio.Spectrogram;
import io.bv2j.conformance.Compare;
import io.bv2j.conformance.ConformanceCase;
import io.bv2j.conformance.GoldenContext;
import io.bv2j.conformance.GoldenFile;
import io.bv2j.conformance.Row;
import io.bv2j.conformance.Tolerances;
import io.bv2j.io.ModelConfig;
import io.bv2j.model.DeterministicFill;
import io.bv2j.model.DurationDiscriminator;
import io.bv2j.model.Hparams;
import io.bv2j.model.MultiPeriodDiscriminator;
import io.bv2j.model.ReplayNoise;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.nn.Module;
import io.bv2j.nn.StateDict;
import io.bv2j.synth.Checkpoints;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import io.bv2j.training.AdamW;
import io.bv2j.training.Checkpointing;
import io.bv2j.training.GeneratorForward;
import io.bv2j.training.TrainBatch;
import io.bv2j.training.TrainStep;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * train_step.safetensors: one full training step from G_0, DUR_0 and the filled MPD, on the
 * file's batch and recorded draws. Compares the forward, every loss, the gradients of each
 * backward (generator, duration discriminator, MPD) and the parameters after the AdamW steps,
 * element by element ({@link AdamWStepCheck}); with G_1.pth, the generator's checkpoint after this
 * step, also the generator's AdamW moments. The optimizers are fresh, so the step is a first step
 * from empty state — the only one the element-wise bounds hold for, and a row says so.
 */
public final class TrainStepCase implements ConformanceCase {
    private static final String FILE = "train_step.safetensors";
    /** The reference's generator checkpoint after this step, with its AdamW state. */
    private static final String CHECKPOINT_AFTER = "G_1.pth";

    /**
     * The step's rows besides the optimizer's (forward, losses, gradients, the MPD after its step)
     * and what the generator's and the duration discriminator's optimizers did.
     */
    public record Outcome(List<Row> rows, List<ParameterStep> generator, List<ParameterStep> durationDiscriminator) {
    }

    @Override
    public String group() {
        return "train_step";
    }

    @Override
    public String file() {
        return FILE;
    }

    @Override
    public List<String> companionFiles() {
        return List.of(CHECKPOINT_AFTER);
    }

    @Override
    public List<Row> run(GoldenContext ctx, GoldenFile g) {
        Outcome o = step(ctx, g);
        List<Row> rows = new ArrayList<>(o.rows());
        rows.addAll(optimizerRows(ctx, g, o.generator(), o.durationDiscriminator()));
        return rows;
    }

    /** Runs the step (inside an open Scope); the optimizers' rows are {@link #optimizerRows}'. */
    public Outcome step(GoldenContext ctx, GoldenFile g) {
        ModelConfig config = ctx.config();
        Arena arena = Scope.arena();
        SynthesizerTrn netG = Checkpoints.withStateDict(ctx.firstExisting("G_0.pth", "G_0.safetensors"), sd -> {
            SynthesizerTrn net = new SynthesizerTrn(Hparams.of(config, sd.keys()));
            net.loadForTraining(sd, "", arena);
            sd.requireAllTaken();
            return net;
        });
        int hidden = config.model().hiddenChannels();
        int gin = config.model().nSpeakers() != 0 ? config.model().ginChannels() : 0;
        DurationDiscriminator netDur = Checkpoints.withStateDict(ctx.firstExisting("DUR_0.pth"), sd -> {
            DurationDiscriminator d = new DurationDiscriminator(hidden, hidden, 3, 0.1, gin);
            d.loadForTraining(sd, "", arena);
            sd.requireAllTaken();
            return d;
        });
        MultiPeriodDiscriminator netD = new MultiPeriodDiscriminator(config.model().useSpectralNorm());
        StateDict filled = DeterministicFill.of(netD, "net_d.");
        netD.loadForTraining(filled, "net_d.", arena);
        filled.requireAllTaken();

        ModelConfig.Train t = config.train();
        AdamW optG = AdamW.forModule(netG, t, arena), optD = AdamW.forModule(netD, t, arena);
        AdamW optDur = AdamW.forModule(netDur, t, arena);
        ModelConfig.Data d = config.data();
        Spectrogram stft = new Spectrogram(d.filterLength(), d.hopLength(), d.winLength(), arena);
        MelFilterbank mel = new MelFilterbank(d.samplingRate(), d.filterLength(), d.nMelChannels(), d.melFmin(),
                d.melFmax(), arena);
        TrainStep step = new TrainStep(netG, netD, netDur, optG, optD, optDur, config, stft, mel);

        List<Row> rows = new ArrayList<>();
        rows.add(Compare.floats(FILE, "mas_noise_scale", new float[]{(float) step.masNoiseScale(0)},
                new float[]{(float) g.metaDouble("mas_noise_scale")}, Tolerances.LOSS, false));
        ReplayNoise noise = g.noise();
        Map<String, float[]> beforeG = values(netG), beforeDur = values(netDur);
        Map<String, float[]> gradG = new LinkedHashMap<>(), gradDur = new LinkedHashMap<>();
        TrainStep.Result r = step.run(batch(g), noise, 0, which -> rows.addAll(switch (which) {
            case "dur_disc" -> {
                gradDur.putAll(gradients(netDur));
                yield gradients(g, netDur, "grad_dur_disc/net_dur_disc.", null);
            }
            case "d" -> gradients(g, netD, "grad_d/net_d.", "grad_d_norm_sum");
            default -> {
                gradG.putAll(gradients(netG));
                yield gradients(g, netG, "grad_g/net_g.", null);
            }
        }));
        if (noise.remaining() != 0) rows.add(Row.failure(FILE, "noise", noise.remaining() + " recorded draws unused"));
        rows.addAll(forwardRows(g, r));
        for (Map.Entry<String, Tensor> e : r.losses().entrySet()) {
            String key = "loss/" + e.getKey();
            if (!g.has(key)) continue;
            rows.add(Compare.floats(FILE, key, e.getValue().toArray(), g.raw(key).toFloats(), Tolerances.LOSS, false));
        }
        for (String name : g.names("loss/")) {
            if (!r.losses().containsKey(name)) rows.add(Row.failure(FILE, "loss/" + name, "not computed"));
        }
        rows.addAll(afterNormSum(g, netD));
        return new Outcome(rows, parameterSteps(netG, optG, beforeG, gradG),
                parameterSteps(netDur, optDur, beforeDur, gradDur));
    }

    /**
     * The rows of the generator's and the duration discriminator's AdamW steps, from what their
     * optimizers did (the step's, or a test's replacement), against after/* and, when the folder
     * has it, G_1.pth's moments.
     */
    public List<Row> optimizerRows(GoldenContext ctx, GoldenFile g, List<ParameterStep> generator,
                                   List<ParameterStep> durationDiscriminator) {
        AdamWStepRows check = new AdamWStepRows(FILE, g,
                new AdamWStepCheck(AdamWStepCheck.Hyperparameters.of(ctx.config().train())));
        List<Row> rows = new ArrayList<>();
        Path checkpoint = ctx.dir().resolve(CHECKPOINT_AFTER);
        if (Files.isRegularFile(checkpoint)) {
            Map<String, int[]> shapes = new LinkedHashMap<>();
            for (ParameterStep s : generator) shapes.put(s.name(), s.shape());
            Map<String, Checkpointing.SavedState> state = Checkpointing.readOptimizer(checkpoint, shapes);
            if (state == null) rows.add(Row.failure(FILE, CHECKPOINT_AFTER, "no optimizer state"));
            rows.addAll(check.rows("net_g", "grad_g/net_g.", generator, CHECKPOINT_AFTER, state));
        } else {
            rows.addAll(check.rows("net_g", "grad_g/net_g.", generator, null, null));
        }
        rows.addAll(check.rows("net_dur_disc", "grad_dur_disc/net_dur_disc.", durationDiscriminator, null, null));
        return rows;
    }

    /** The parameters' values, by name (taken before the step: p0 of the element-wise check). */
    private static Map<String, float[]> values(Module m) {
        Map<String, float[]> values = new LinkedHashMap<>();
        m.forEachParameter("", (name, leaf) -> values.put(name, leaf.toArray()));
        return values;
    }

    /** The parameters' gradients as backward left them; parameters it never reached are absent. */
    private static Map<String, float[]> gradients(Module m) {
        Map<String, float[]> grads = new LinkedHashMap<>();
        m.forEachParameter("", (name, leaf) -> {
            if (leaf.grad() != null) grads.put(name, leaf.grad().toArray());
        });
        return grads;
    }

    private static List<ParameterStep> parameterSteps(Module m, AdamW opt, Map<String, float[]> before,
                                                      Map<String, float[]> grads) {
        List<ParameterStep> steps = new ArrayList<>();
        m.forEachParameter("", (name, leaf) -> {
            AdamW.State s = opt.state().get(name);
            steps.add(new ParameterStep(name, leaf.shape(), before.get(name), grads.get(name), leaf.toArray(),
                    s == null ? null : s.expAvg().toArray(), s == null ? null : s.expAvgSq().toArray(),
                    s == null ? 0 : s.step()));
        });
        return steps;
    }

    private static TrainBatch batch(GoldenFile g) {
        return new TrainBatch(g.intRows("in/x"), g.intRows("in/tone"), g.intRows("in/language"), g.ints("in/x_lengths"),
                g.tensor("in/bert"), g.tensor("in/ja_bert"), g.tensor("in/spec"), g.ints("in/spec_lengths"),
                g.tensor("in/y"), g.ints("in/y_lengths"), g.ints("in/sid"));
    }

    /** Every parameter gradient of one backward: full tensors, else the [norm, sum] pairs of `normSumKey`. */
    private static List<Row> gradients(GoldenFile g, Module m, String prefix, String normSumKey) {
        Object normSum = normSumKey == null ? null : g.metaJson(normSumKey);
        Map<String, float[]> ours = new LinkedHashMap<>();
        m.forEachParameter("", (name, leaf) -> ours.put(name,
                leaf.grad() == null ? new float[(int) leaf.numel()] : leaf.grad().toArray()));
        double scale = 0;
        for (String n : ours.keySet()) {
            if (g.has(prefix + n)) scale = Math.max(scale, Compare.norm(g.raw(prefix + n).toFloats()));
            if (normSum instanceof Map<?, ?> map && map.get(prefix + n) instanceof List<?> pair) {
                scale = Math.max(scale, ((Number) pair.get(0)).doubleValue());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, float[]> e : ours.entrySet()) {
            String key = prefix + e.getKey();
            if (g.has(key)) {
                rows.add(Compare.gradient(FILE, key, e.getValue(), g.raw(key).toFloats(), scale, Tolerances.GRADIENT));
            } else if (normSum instanceof Map<?, ?> map && map.get(key) instanceof List<?> pair) {
                rows.add(Compare.normAndSum(FILE, key + " [norm,sum]", e.getValue(), ((Number) pair.get(0)).doubleValue(),
                        ((Number) pair.get(1)).doubleValue(), scale, Tolerances.GRADIENT));
            } else {
                rows.add(Compare.absentGradient(FILE, key, e.getValue()));
            }
        }
        return rows;
    }

    private static List<Row> forwardRows(GoldenFile g, TrainStep.Result r) {
        GeneratorForward.Output f = r.forward();
        Map<String, Tensor> ours = new LinkedHashMap<>();
        ours.put("attn", f.attn());
        ours.put("hidden_x", f.hiddenX());
        ours.put("l_length", f.lLength());
        ours.put("logs_p", f.logsP());
        ours.put("logs_q", f.logsQ());
        ours.put("logw", f.logw());
        ours.put("logw_", f.logwHat());
        ours.put("m_p", f.mP());
        ours.put("m_q", f.mQ());
        ours.put("x_mask", f.xMask());
        ours.put("y", r.y());
        ours.put("y_hat", f.yHat());
        ours.put("y_hat_mel", r.yHatMel());
        ours.put("y_mel", r.yMel());
        ours.put("z", f.z());
        ours.put("z_mask", f.zMask());
        ours.put("z_p", f.zP());
        List<Row> rows = new ArrayList<>();
        for (String name : g.names("fwd/")) {
            String key = "fwd/" + name;
            if (name.equals("ids_slice")) {
                long[] ids = new long[f.idsSlice().length];
                for (int i = 0; i < ids.length; i++) ids[i] = f.idsSlice()[i];
                rows.add(Compare.integers(FILE, key, ids, g.longs(key)));
                continue;
            }
            Tensor t = ours.get(name);
            if (t == null) {
                rows.add(Row.failure(FILE, key, "not computed"));
                continue;
            }
            var ref = g.raw(key);
            Row row = Compare.floats(FILE, key, t, ref.toFloats(), ref.shape(), Tolerances.INFER);
            rows.add(name.equals("attn") && row.message() == null
                    ? new Row(FILE, key, row.relL2(), row.maxAbs(), 0, true, null) : row);
        }
        return rows;
    }

    private static List<Row> afterNormSum(GoldenFile g, MultiPeriodDiscriminator netD) {
        Object normSum = g.metaJson("after_net_d_norm_sum");
        List<Row> rows = new ArrayList<>();
        netD.forEachParameter("", (name, leaf) -> {
            String key = "net_d." + name;
            if (normSum instanceof Map<?, ?> map && map.get(key) instanceof List<?> pair) {
                rows.add(Compare.normAndSum(FILE, "after/" + key + " [norm,sum]", leaf.toArray(),
                        ((Number) pair.get(0)).doubleValue(), ((Number) pair.get(1)).doubleValue(), 0,
                        Tolerances.PARAMETER_AFTER_STEP));
            } else {
                rows.add(Row.failure(FILE, "after/" + key, "missing from after_net_d_norm_sum"));
            }
        });
        return rows;
    }
}
