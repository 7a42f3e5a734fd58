package io.bv2j.training;

import io.bv2j.audio.MelFilterbank;
import io.bv2j.audio.Spectrogram;
import io.bv2j.io.ModelConfig;
import io.bv2j.model.DurationDiscriminator;
import io.bv2j.model.MultiPeriodDiscriminator;
import io.bv2j.model.Noise;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Grad;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training step in train_ms.py's order: generator forward; duration-discriminator step;
 * multi-period-discriminator step; then the generator's losses against the updated
 * discriminators and its AdamW step. Call it inside a Scope: every activation dies with it.
 */
public final class TrainStep {
    /** Called right after each backward, before its optimizer step (for gradient inspection). */
    public interface Probe {
        void afterBackward(String which);
    }

    /** What a step computed: every loss by the reference's name, and the forward it ran. */
    public record Result(Map<String, Tensor> losses, GeneratorForward.Output forward, Tensor y, Tensor yMel,
                         Tensor yHatMel) {
    }

    private final SynthesizerTrn netG;
    private final MultiPeriodDiscriminator netD;
    private final DurationDiscriminator netDur;
    private final AdamW optG, optD, optDur;
    private final ModelConfig config;
    private final Spectrogram stft;
    private final MelFilterbank melBasis;

    public TrainStep(SynthesizerTrn netG, MultiPeriodDiscriminator netD, DurationDiscriminator netDur, AdamW optG,
                     AdamW optD, AdamW optDur, ModelConfig config, Spectrogram stft, MelFilterbank melBasis) {
        this.netG = netG;
        this.netD = netD;
        this.netDur = netDur;
        this.optG = optG;
        this.optD = optD;
        this.optDur = optDur;
        this.config = config;
        this.stft = stft;
        this.melBasis = melBasis;
    }

    /** MAS noise scale at a global step: max(initial − delta·step, 0). */
    public double masNoiseScale(long globalStep) {
        ModelConfig.Model m = config.model();
        return Math.max(m.masNoiseScaleInitial() - m.noiseScaleDelta() * globalStep, 0);
    }

    /**
     * The duration discriminator's [B, T, 1] output as B separate outputs: the reference passes the
     * tensor where the losses expect a list, so they iterate over its batch rows and add one mean
     * per row (the loss is B times the mean over the whole batch).
     */
    private static List<Tensor> batchRows(Tensor prob) {
        List<Tensor> rows = new java.util.ArrayList<>();
        for (int b = 0; b < prob.dim(0); b++) rows.add(Ops.narrow(prob, 0, b, 1));
        return rows;
    }

    public Result run(TrainBatch batch, Noise noise, long globalStep, Probe probe) {
        ModelConfig.Train train = config.train();
        int hop = config.data().hopLength(), segFrames = config.segmentFrames();
        Map<String, Tensor> losses = new LinkedHashMap<>();
        try (Grad ignored = Grad.enable()) {
            GeneratorForward.Output f = GeneratorForward.run(netG, batch, noise, masNoiseScale(globalStep),
                    config.model().useNoiseScaledMas());
            Tensor yMel = Ops.sliceSegments(melBasis.specToMel(batch.spec()), f.idsSlice(), segFrames);
            Tensor yHat = f.yHat();
            Tensor yHatMel = stft.mel(yHat.reshape(yHat.dim(0), yHat.dim(2)), melBasis);
            int[] sampleStarts = new int[f.idsSlice().length];
            for (int i = 0; i < sampleStarts.length; i++) sampleStarts[i] = f.idsSlice()[i] * hop;
            Tensor y = Ops.sliceSegments(batch.wav(), sampleStarts, train.segmentSize());

            MultiPeriodDiscriminator.Scores dForD = netD.scores(y, yHat.detach());
            Tensor lossDisc = Losses.discriminator(dForD.real(), dForD.fake());
            losses.put("disc", lossDisc);

            if (netDur != null) {
                List<Tensor> p = netDur.forward(f.hiddenX().detach(), f.xMask().detach(), f.logw().detach(),
                        f.logwHat().detach(), null);
                Tensor lossDurDisc = Losses.discriminator(batchRows(p.get(0)), batchRows(p.get(1)));
                losses.put("dur_disc", lossDurDisc);
                optDur.zeroGrad();
                Grad.backward(lossDurDisc);
                if (probe != null) probe.afterBackward("dur_disc");
                optDur.step();
            }

            optD.zeroGrad();
            Grad.backward(lossDisc);
            if (probe != null) probe.afterBackward("d");
            optD.step();

            // The generator's losses go through both discriminators, held constant: the reference
            // computes their parameter gradients here too, but zeroes them before they are used.
            try (Module.Frozen d = netD.frozen(); Module.Frozen dur = netDur == null ? null : netDur.frozen()) {
                generatorStep(f, y, yMel, yHatMel, losses, probe);
            }
            return new Result(losses, f, y, yMel, yHatMel);
        }
    }

    /** The generator's losses against the updated discriminators, its backward and its AdamW step. */
    private void generatorStep(GeneratorForward.Output f, Tensor y, Tensor yMel, Tensor yHatMel, Map<String, Tensor> losses,
                               Probe probe) {
        ModelConfig.Train train = config.train();
        MultiPeriodDiscriminator.Result dForG = netD.forward(y, f.yHat());
        Tensor lossDur = Ops.sumAll(f.lLength());
        Tensor lossMel = Ops.scale(Losses.l1(yMel, yHatMel), (float) train.cMel());
        Tensor lossKl = Ops.scale(Losses.kl(f.zP(), f.logsQ(), f.mP(), f.logsP(), f.zMask()), (float) train.cKl());
        Tensor lossFm = Losses.featureMatching(dForG.realFmaps(), dForG.fakeFmaps());
        Tensor lossGen = Losses.generator(dForG.fakeScores());
        Tensor all = Ops.add(Ops.add(Ops.add(Ops.add(lossGen, lossFm), lossMel), lossDur), lossKl);
        losses.put("dur", lossDur);
        losses.put("mel", lossMel);
        losses.put("kl", lossKl);
        losses.put("fm", lossFm);
        losses.put("gen", lossGen);
        if (netDur != null) {
            List<Tensor> p = netDur.forward(f.hiddenX(), f.xMask(), f.logw(), f.logwHat(), null);
            Tensor lossDurGen = Losses.generator(batchRows(p.get(1)));
            losses.put("dur_gen", lossDurGen);
            all = Ops.add(all, lossDurGen);
        }
        losses.put("gen_all", all);
        optG.zeroGrad();
        Grad.backward(all);
        if (probe != null) probe.afterBackward("g");
        optG.step();
    }
}
