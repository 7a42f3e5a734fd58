package io.bv2j.bench;

import io.bv2j.model.Hparams;
import io.bv2j.synth.Audio;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The batching target: eight utterances of mixed lengths (6 to 34 spoken phones, durations as
 * the voice predicts them) synthesized in one padded batch call (synthesizeBatch, the reference's
 * batched infer), in one synthesizeAll call (each utterance as a single call would do it, side by
 * side on workers), or in eight single calls. Throughput = total audio / time.
 */
final class BatchBench implements Workload {
    private static final int[] SPOKEN_PHONES = {6, 10, 14, 18, 22, 26, 30, 34};

    private final Synthesizer synth;
    /** How the eight are synthesized. */
    enum Mode { BATCH, ALL, SINGLES }

    private final Mode mode;
    private final List<Utterance> utterances = new ArrayList<>();

    BatchBench(Synthesizer synth, Mode mode) {
        this.synth = synth;
        this.mode = mode;
        Random r = new Random(0);
        for (int spoken : SPOKEN_PHONES) {
            int n = 2 * spoken + 1; // add_blank: blanks (id 0) around and between the phones
            int[] phones = new int[n], tones = new int[n], languages = new int[n];
            for (int i = 1; i < n; i += 2) {
                phones[i] = 1 + r.nextInt(Hparams.N_SYMBOLS - 1);
                tones[i] = r.nextInt(Hparams.N_TONES);
                languages[i] = r.nextInt(Hparams.N_LANGUAGES);
            }
            utterances.add(Utterance.of("0", phones, tones, languages));
        }
    }

    @Override
    public Rep run() {
        SynthesisOptions o = SynthesisOptions.defaults().withSeed(0);
        long t0 = System.nanoTime();
        List<Audio> audio = switch (mode) {
            case BATCH -> synth.synthesizeBatch(utterances, o);
            case ALL -> synth.synthesizeAll(utterances, o);
            case SINGLES -> {
                List<Audio> one = new ArrayList<>();
                for (Utterance u : utterances) one.add(synth.synthesize(u, o));
                yield one;
            }
        };
        long t1 = System.nanoTime();
        long samples = 0;
        for (Audio a : audio) samples += a.samples().length;
        return new Rep((t1 - t0) / 1e9, samples);
    }
}
