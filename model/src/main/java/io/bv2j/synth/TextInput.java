package io.bv2j.synth;

import io.bv2j.Bv2jException;
import io.bv2j.io.ModelConfig;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Text to model input: what {@link Synthesizer#say} calls. The model module knows no languages;
 * the implementation lives in bv2j-text (registered with {@link ServiceLoader}), so a program that
 * only synthesizes from phones does not carry dictionaries, segmenters or BERT.
 */
public interface TextInput {

    /**
     * The sentences of {@code text}, each one utterance for a voice with this config (add_blank,
     * speakers), in order.
     *
     * @throws Bv2jException for text that cannot be spoken (empty, too long, a bad BERT folder)
     */
    List<Utterance> sentences(String text, SayOptions options, ModelConfig config);

    /** The first implementation on the class path. */
    static TextInput provider() {
        return ServiceLoader.load(TextInput.class).findFirst().orElseThrow(() -> new Bv2jException(
                "speaking text needs the text front-end (bv2j-text) on the class path; without it, give phones"));
    }
}
