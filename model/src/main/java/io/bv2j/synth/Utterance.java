package io.bv2j.synth;

import io.bv2j.Bv2jException;
import io.bv2j.model.Hparams;
import io.bv2j.model.TextEncoder;

/**
 * One utterance at the model level: phone, tone and language ids of equal length T (blanks
 * already inserted, tone offsets applied), optional BERT features bert [1024, T] and ja_bert
 * [768, T] as row-major arrays (null = zeros, as the reference uses for the other languages),
 * and the speaker by name (config spk2id) or id. For models without speaker ids
 * (n_speakers = 0) a reference spectrogram [spec_channels, frames] replaces the speaker.
 */
public record Utterance(String speaker, int[] phones, int[] tones, int[] languages, float[] bert, float[] jaBert,
                        float[] referenceSpec, int referenceFrames) {

    public static Utterance of(String speaker, int[] phones, int[] tones, int[] languages) {
        return new Utterance(speaker, phones, tones, languages, null, null, null, 0);
    }

    public Utterance withBert(float[] bert, float[] jaBert) {
        return new Utterance(speaker, phones, tones, languages, bert, jaBert, referenceSpec, referenceFrames);
    }

    public Utterance withSpeaker(String name) {
        return new Utterance(name, phones, tones, languages, bert, jaBert, referenceSpec, referenceFrames);
    }

    public int length() {
        return phones.length;
    }

    /** Checks lengths and id ranges; `index` names the utterance in messages. */
    void validate(int index, int maxPhones) {
        String who = "utterance " + index;
        if (phones == null || tones == null || languages == null) throw new Bv2jException(who + ": phones, tones and languages are required");
        int t = phones.length;
        if (t == 0) throw new Bv2jException(who + ": no phones (empty utterance)");
        if (t > maxPhones) {
            throw new Bv2jException(who + ": " + t + " phones is above the limit of " + maxPhones + " (split the text)");
        }
        if (tones.length != t) throw new Bv2jException(who + ": " + tones.length + " tones for " + t + " phones");
        if (languages.length != t) throw new Bv2jException(who + ": " + languages.length + " languages for " + t + " phones");
        checkRange(who, "phone", phones, Hparams.N_SYMBOLS);
        checkRange(who, "tone", tones, Hparams.N_TONES);
        checkRange(who, "language", languages, Hparams.N_LANGUAGES);
        if (bert != null && bert.length != (long) TextEncoder.BERT_DIM * t) {
            throw new Bv2jException(who + ": bert has " + bert.length / (double) TextEncoder.BERT_DIM + " frames of "
                    + TextEncoder.BERT_DIM + " for " + t + " phones");
        }
        if (jaBert != null && jaBert.length != (long) TextEncoder.JA_BERT_DIM * t) {
            throw new Bv2jException(who + ": ja_bert has " + jaBert.length / (double) TextEncoder.JA_BERT_DIM
                    + " frames of " + TextEncoder.JA_BERT_DIM + " for " + t + " phones");
        }
    }

    private static void checkRange(String who, String what, int[] ids, int n) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= n) {
                throw new Bv2jException(who + ": " + what + " id " + ids[i] + " at position " + i + " is outside [0, " + n + ")");
            }
        }
    }
}
