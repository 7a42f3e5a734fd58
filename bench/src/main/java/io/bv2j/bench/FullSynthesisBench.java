package io.bv2j.bench;

import io.bv2j.model.Hparams;
import io.bv2j.model.InferInput;
import io.bv2j.model.InferResult;
import io.bv2j.model.SeededNoise;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.model.TextEncoder;
import io.bv2j.synth.StreamingDecoder;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.tensor.Tensor;

import java.util.Random;

/**
 * Whole synthesis (text encoder, both duration predictors, flow, decoder) of a random utterance
 * whose durations are rescaled to exactly `frames` output frames, so every rep, every weight set
 * and every engine does the same decoder work. BERT features are zero, as for a language
 * without them; the sampling knobs are the reference's defaults (sdp_ratio 0.2).
 */
final class FullSynthesisBench implements Workload {
    /** Latent frames per spoken phone: about 12 phones a second at 44.1 kHz / hop 512 (86 frames/s). */
    private static final int FRAMES_PER_PHONE = 8;

    private final Synthesizer synth;
    private final SynthesizerTrn net;
    private final int frames;
    private final int[] phones, tones, languages;

    FullSynthesisBench(Synthesizer synth, int frames) {
        this.synth = synth;
        this.net = synth.network();
        this.frames = frames;
        // add_blank: a blank (id 0) before, between and after the spoken phones.
        int spoken = Math.max(1, frames / FRAMES_PER_PHONE), n = 2 * spoken + 1;
        phones = new int[n];
        tones = new int[n];
        languages = new int[n];
        Random r = new Random(0);
        for (int i = 1; i < n; i += 2) {
            phones[i] = 1 + r.nextInt(Hparams.N_SYMBOLS - 1);
            tones[i] = r.nextInt(Hparams.N_TONES);
            languages[i] = r.nextInt(Hparams.N_LANGUAGES);
        }
    }

    /** Phones in the utterance, blanks included. */
    int phoneCount() {
        return phones.length;
    }

    @Override
    public Rep run() {
        InferInput in = input();
        SeededNoise noise = new SeededNoise(0);
        long t0 = System.nanoTime();
        // The synthesizer's own path: long utterances are decoded in chunks, as in Synthesizer.synthesize.
        float[] samples = synth.decode(net.latent(in, noise));
        long t1 = System.nanoTime();
        return new Rep((t1 - t0) / 1e9, samples.length);
    }

    /**
     * Streaming synthesis of the same utterance ({@link StreamingDecoder} with the synthesizer's
     * default chunks): the rep's seconds are the time until the first chunk of audio is ready.
     */
    Workload firstAudio() {
        return () -> {
            InferInput in = input();
            SeededNoise noise = new SeededNoise(0);
            long t0 = System.nanoTime();
            long[] first = {0}, samples = {0};
            InferResult r = net.latent(in, noise);
            new StreamingDecoder(net.dec(), Synthesizer.DEFAULT_STREAM_CHUNK_FRAMES, Synthesizer.FIRST_STREAM_CHUNK_FRAMES)
                    .decode(r.decoderInput(), r.g(), r.yLengths()[0], chunk -> {
                        if (first[0] == 0) first[0] = System.nanoTime();
                        samples[0] += chunk.length;
                    });
            return new Rep((first[0] - t0) / 1e9, samples[0]);
        };
    }

    /**
     * Everything before the decoder (text encoder, duration predictors, flow) for the same
     * utterance; the rep's samples are those the decoder would make of the latent frames.
     */
    Workload latent() {
        return () -> {
            InferInput in = input();
            SeededNoise noise = new SeededNoise(0);
            long t0 = System.nanoTime();
            InferResult r = net.latent(in, noise);
            long t1 = System.nanoTime();
            return new Rep((t1 - t0) / 1e9, (long) r.yLengths()[0] * net.dec().hop());
        };
    }

    private InferInput input() {
        int n = phones.length;
        SynthesisOptions o = SynthesisOptions.defaults();
        // Models without speaker ids condition on a reference spectrogram instead; zeros cost the same.
        Tensor refSpec = net.hasSpeakerEmbedding() ? null : Tensor.zeros(1, net.hparams().specChannels(), frames);
        return new InferInput(new int[][]{phones}, new int[][]{tones}, new int[][]{languages}, new int[]{n},
                Tensor.zeros(1, TextEncoder.BERT_DIM, n), Tensor.zeros(1, TextEncoder.JA_BERT_DIM, n), new int[]{0},
                refSpec, o.noiseScale(), o.noiseScaleW(), o.lengthScale(), o.sdpRatio(), frames, frames);
    }
}
