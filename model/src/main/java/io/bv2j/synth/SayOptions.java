package io.bv2j.synth;

import io.bv2j.Bv2jException;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What {@link Synthesizer#say} needs besides the text: the language ("ZH", "JP", "EN" or "auto":
 * chosen per sentence by script), the speaker (config spk2id name or id; null = id 0), optional
 * BERT folders for Chinese ({@code bert}, chinese-roberta-wwm-ext-large) and Japanese
 * ({@code jaBert}, bert-base-japanese-v3), the silence between sentences, the synthesis knobs,
 * and where the front-end's notes (dropped characters, missing BERT) go.
 */
public record SayOptions(String language, String speaker, Path bert, Path jaBert, double pauseSeconds,
                         SynthesisOptions synthesis, Consumer<String> notes) {
    /** Silence between sentences by default. */
    public static final double DEFAULT_PAUSE_SECONDS = 0.3;
    /** Longest pause accepted: a typo must not allocate minutes of silence. */
    public static final double MAX_PAUSE_SECONDS = 10;

    public SayOptions {
        if (language == null) throw new Bv2jException("a language is required (ZH, JP, EN or auto)");
        if (!(pauseSeconds >= 0 && pauseSeconds <= MAX_PAUSE_SECONDS)) {
            throw new Bv2jException("the pause between sentences must be in [0, " + MAX_PAUSE_SECONDS + "] s, got " + pauseSeconds);
        }
        if (synthesis == null) throw new Bv2jException("synthesis options are required");
        if (notes == null) throw new Bv2jException("a destination for notes is required");
    }

    /** auto language, speaker 0, no BERT folders, 0.3 s pauses, the reference's knobs, notes to stderr. */
    public static SayOptions defaults() {
        return new SayOptions("auto", null, null, null, DEFAULT_PAUSE_SECONDS, SynthesisOptions.defaults(),
                System.err::println);
    }

    public SayOptions withLanguage(String v) {
        return new SayOptions(v, speaker, bert, jaBert, pauseSeconds, synthesis, notes);
    }

    public SayOptions withSpeaker(String v) {
        return new SayOptions(language, v, bert, jaBert, pauseSeconds, synthesis, notes);
    }

    public SayOptions withBert(Path v) {
        return new SayOptions(language, speaker, v, jaBert, pauseSeconds, synthesis, notes);
    }

    public SayOptions withJaBert(Path v) {
        return new SayOptions(language, speaker, bert, v, pauseSeconds, synthesis, notes);
    }

    public SayOptions withPauseSeconds(double v) {
        return new SayOptions(language, speaker, bert, jaBert, v, synthesis, notes);
    }

    public SayOptions withSynthesis(SynthesisOptions v) {
        return new SayOptions(language, speaker, bert, jaBert, pauseSeconds, v, notes);
    }

    public SayOptions withNotes(Consumer<String> v) {
        return new SayOptions(language, speaker, bert, jaBert, pauseSeconds, synthesis, v);
    }
}
