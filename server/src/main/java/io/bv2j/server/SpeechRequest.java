package io.bv2j.server;

import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Utterance;

import java.util.List;

/**
 * One client request, checked and turned into model input, whichever endpoint it came from:
 * the voice, its sentences (spoken in order, pauseSeconds apart), the knobs, the seed of the
 * first sentence (sentence i uses seed + i), and how the audio goes back.
 */
record SpeechRequest(Voice voice, List<Utterance> sentences, SynthesisOptions options, long seed,
                     double pauseSeconds, AudioFormat format, boolean stream) {
    int pauseSamples() {
        return (int) Math.round(pauseSeconds * voice.sampleRate());
    }
}
