package io.bv2j.model;

import io.bv2j.Bv2jException;
import io.bv2j.nn.Embedding;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

/** models.SynthesizerTrn: the whole generator network, with the reference's state-dict names. */
public final class SynthesizerTrn extends Module {
    private final Hparams hp;
    private final TextEncoder encP;
    private final Generator dec;
    private final PosteriorEncoder encQ;
    private final CouplingBlock flow;
    private final StochasticDurationPredictor sdp;
    private final DurationPredictor dp;
    private final Embedding embG;
    private final ReferenceEncoder refEnc;

    public SynthesizerTrn(Hparams hp) {
        this(hp, true);
    }

    /**
     * withPosteriorEncoder false builds the inference-only network: enc_q (used only in training)
     * is left out, so an exported voice without enc_q.* weights loads strictly.
     */
    public SynthesizerTrn(Hparams hp, boolean withPosteriorEncoder) {
        this.hp = hp;
        if (hp.nSpeakers() == 1) {
            throw new Bv2jException("n_speakers = 1 is unusable in the reference (no speaker embedding and no reference "
                    + "encoder input); use 0 or >= 2");
        }
        int gin = hp.ginChannels();
        int encGin = hp.useSpkConditionedEncoder() && gin > 0 ? gin : 0;
        encP = child("enc_p", new TextEncoder(Hparams.N_SYMBOLS, Hparams.N_TONES, Hparams.N_LANGUAGES,
                hp.interChannels(), hp.hiddenChannels(), hp.filterChannels(), hp.nHeads(), hp.nLayers(),
                hp.kernelSize(), hp.pDropout(), encGin));
        dec = child("dec", new Generator(hp.interChannels(), hp.resblock(), hp.resblockKernelSizes(),
                hp.resblockDilationSizes(), hp.upsampleRates(), hp.upsampleInitialChannel(),
                hp.upsampleKernelSizes(), gin));
        encQ = withPosteriorEncoder ? child("enc_q", new PosteriorEncoder(hp.specChannels(), hp.interChannels(),
                hp.hiddenChannels(), 5, 1, 16, gin)) : null;
        flow = child("flow", hp.useTransformerFlow()
                ? CouplingBlock.transformer(hp.interChannels(), hp.hiddenChannels(), hp.filterChannels(), hp.nHeads(),
                hp.nLayersTransFlow(), 5, hp.pDropout(), hp.nFlowLayer(), gin)
                // The reference passes n_flow_layer as the WN depth here; the number of flows stays 4.
                : CouplingBlock.residual(hp.interChannels(), hp.hiddenChannels(), 5, 1, hp.nFlowLayer(), 4, gin));
        sdp = child("sdp", new StochasticDurationPredictor(hp.hiddenChannels(), 3, 0.5, 4, gin));
        dp = child("dp", new DurationPredictor(hp.hiddenChannels(), 256, 3, 0.5, gin));
        if (hp.nSpeakers() > 1) {
            embG = child("emb_g", new Embedding(hp.nSpeakers(), gin, "speaker"));
            refEnc = null;
        } else {
            embG = null;
            refEnc = child("ref_enc", new ReferenceEncoder(hp.specChannels(), gin));
        }
    }

    public Hparams hparams() {
        return hp;
    }

    public TextEncoder encP() {
        return encP;
    }

    public Generator dec() {
        return dec;
    }

    /** The posterior encoder; throws for an inference-only network. */
    public PosteriorEncoder encQ() {
        if (encQ == null) throw new IllegalStateException("this network was built for inference only (no enc_q)");
        return encQ;
    }

    public CouplingBlock flow() {
        return flow;
    }

    public StochasticDurationPredictor sdp() {
        return sdp;
    }

    public DurationPredictor dp() {
        return dp;
    }

    public ReferenceEncoder refEnc() {
        return refEnc;
    }

    /** True when speakers are given by id (emb_g); false when a reference spectrogram is needed. */
    public boolean hasSpeakerEmbedding() {
        return embG != null;
    }

    /**
     * The speaker vector g [B, gin, 1]: emb_g(sid) or, for n_speakers == 0, the reference encoder
     * over refSpec [B, spec, Ty].
     */
    public Tensor speaker(int[] sid, Tensor refSpec) {
        if (embG != null) {
            int[][] ids = new int[sid.length][];
            for (int i = 0; i < sid.length; i++) ids[i] = new int[]{sid[i]};
            return embG.forward(ids);
        }
        if (refSpec == null) throw new Bv2jException("this model has no speaker ids (n_speakers = 0): give a reference spectrogram");
        Tensor g = refEnc.forward(Ops.transpose(refSpec, 1, 2));
        return g.reshape(g.dim(0), g.dim(1), 1);
    }

    /** SynthesizerTrn.infer with every stage kept (the golden files compare them all). */
    public InferResult infer(InferInput in, Noise noise) {
        InferResult r = latent(in, noise);
        Tensor o = dec.forward(r.decoderInput(), r.g());
        return r.withWaveform(o);
    }

    /**
     * Every stage of infer up to the decoder's input (o left null): what streaming synthesis
     * needs before it decodes chunk by chunk.
     */
    public InferResult latent(InferInput in, Noise noise) {
        int b = in.batch(), tx = in.maxLength();
        Tensor g = speaker(in.sid(), in.refSpec());
        Tensor xMask = Commons.sequenceMask(in.lengths(), tx);
        TextEncoder.Output enc = encP.forward(in.phones(), in.tones(), in.languages(), in.bert(), in.jaBert(), xMask, g);
        // In inference only the predictors' outputs stay alive (their intermediates are freed here).
        Tensor logwSdp = Scope.keepResultOnly(() -> sdp.reverse(enc.x(), xMask, g, noise, in.noiseScaleW()));
        Tensor logwDp = Scope.keepResultOnly(() -> dp.forward(enc.x(), xMask, g));
        Tensor logw = Ops.add(Ops.scale(logwSdp, in.sdpRatio()), Ops.scale(logwDp, 1f - in.sdpRatio()));
        Tensor wCeil = Ops.ceil(Ops.scale(Ops.mul(Ops.exp(logw), xMask), in.lengthScale()));
        if (in.targetFrames() > 0) wCeil = rescale(wCeil, in.lengths(), in.targetFrames());
        float[][] durations = new float[b][tx];
        int[] yLengths = new int[b];
        int ty = 1;
        for (int i = 0; i < b; i++) {
            double sum = 0;
            for (int x = 0; x < tx; x++) {
                durations[i][x] = wCeil.get((long) i * tx + x);
                sum += durations[i][x];
            }
            if (sum > in.maxFrames()) {
                throw new Bv2jException("utterance " + i + " would be " + (long) sum + " frames long, above the limit of "
                        + in.maxFrames() + " (lower length_scale or split the text)");
            }
            yLengths[i] = (int) Math.max(1, sum);
            ty = Math.max(ty, yLengths[i]);
        }
        Tensor yMask = Commons.sequenceMask(yLengths, ty);
        int[][] path = Commons.pathIndex(durations, in.lengths(), yLengths, ty);
        Tensor mP = Ops.gatherTime(enc.m(), path), logsP = Ops.gatherTime(enc.logs(), path);
        // The noise and its scaled copies are freed at once (in inference): a long utterance would
        // otherwise hold four more [B, C, T] tensors while its flow and decoder run.
        Tensor zP = Scope.keepResultOnly(() -> {
            Tensor eps = noise.normal("SynthesizerTrn.infer", mP.shape());
            return Ops.add(mP, Ops.scale(Ops.mul(eps, Ops.exp(logsP)), in.noiseScale()));
        });
        Tensor z = flow.reverse(zP, yMask, g);
        return new InferResult(g, enc.x(), enc.m(), enc.logs(), xMask, logwSdp, logwDp, logw, wCeil, yLengths, yMask,
                path, tx, mP, logsP, zP, z, null);
    }

    /** Integer durations [B, 1, T] scaled so that each row sums to exactly `frames`. */
    private static Tensor rescale(Tensor wCeil, int[] lengths, int frames) {
        int b = wCeil.dim(0), t = wCeil.dim(2);
        Tensor out = Tensor.zeros(wCeil.shape());
        for (int i = 0; i < b; i++) {
            int n = lengths[i];
            double sum = 0;
            for (int x = 0; x < n; x++) sum += wCeil.get((long) i * t + x);
            long assigned = 0;
            for (int x = 0; x < n; x++) {
                double share = sum > 0 ? wCeil.get((long) i * t + x) / sum : 1.0 / n;
                long d = x == n - 1 ? frames - assigned : Math.round(share * frames);
                d = Math.max(0, Math.min(d, frames - assigned));
                out.set((long) i * t + x, d);
                assigned += d;
            }
        }
        return out;
    }
}
