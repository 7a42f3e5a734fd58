package io.bv2j.training.data;

/**
 * One finding about one filelist line (or about the whole filelist when {@code line} is 0).
 *
 * @param severity {@link Severity#ERROR} makes the dataset unusable until fixed;
 *     {@link Severity#WARNING} is something the reference does silently (skipping a line, never
 *     sampling an item) that the user probably wants to know about
 * @param kind what kind of problem, for programs; the message says it for people
 * @param filelist the filelist's file name
 * @param line 1-based line number in the filelist, 0 for the filelist as a whole
 * @param file the file the problem is about as the filelist names it (the wav path), or null
 * @param message one line, complete
 */
public record Problem(Severity severity, Kind kind, String filelist, int line, String file, String message) {

    public enum Severity { ERROR, WARNING }

    public enum Kind {
        /** Not seven '|'-separated fields, or a tone / word2ph value that is not an integer. */
        MALFORMED_LINE,
        /** The wav file does not exist. */
        MISSING_WAV,
        /** The wav file exists but is not a WAV bv2j can read (stereo, truncated, ...). */
        UNREADABLE_WAV,
        /** The wav is not 16-bit PCM (the reference divides raw integer samples by max_wav_value). */
        NOT_PCM16,
        /** The wav's sample rate differs from data.sampling_rate (bv2j does not resample). */
        WRONG_SAMPLE_RATE,
        /** The wav is too short to make a single spectrogram frame. */
        AUDIO_TOO_SHORT,
        /** The speaker is not in data.spk2id. */
        UNKNOWN_SPEAKER,
        /** The language is not ZH, JP or EN. */
        UNKNOWN_LANGUAGE,
        /** A phone is not in the v1.1 symbol table. */
        UNKNOWN_SYMBOL,
        /** tones and phones differ in count. */
        TONE_COUNT,
        /** A tone is outside the language's range (ZH 0..5, JP 0, EN 0..3). */
        TONE_RANGE,
        /** word2ph is empty, negative, or does not sum to the phone count. */
        WORD2PH,
        /** A ZH/JP line has no {@code .bert.pt} / {@code .bert.npy} next to its wav. */
        BERT_MISSING,
        /** The BERT feature file is unreadable or not [1024 (ZH) or 768 (JP), phones after add_blank]. */
        BERT_SHAPE,
        /** Warning: the phones field's length is outside [min_text_len, max_text_len]; the line is skipped. */
        TEXT_LENGTH,
        /** Warning: the item's bucketing length is outside the sampler's boundaries; it is never sampled. */
        NOT_SAMPLED,
        /** The spectrogram could not be computed or cached. */
        SPECTROGRAM,
        /** The filelist has no usable item at all. */
        EMPTY
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(filelist);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (severity == Severity.WARNING) {
            sb.append("warning: ");
        }
        if (file != null) {
            sb.append(file).append(": ");
        }
        return sb.append(message).toString();
    }
}
