package io.bv2j.training.data;

import io.bv2j.text.TextIds;
import java.nio.file.Path;
import java.util.List;

/**
 * One validated filelist line that passed the length filter: what the reference keeps in
 * {@code audiopaths_sid_text} after {@code _filter}, plus the ids it derives later.
 *
 * @param line 1-based line number in the filelist
 * @param wavField the wav path as the filelist writes it
 * @param wav the wav path resolved against the dataset's base folder
 * @param speaker the speaker name; {@code sid} its data.spk2id id
 * @param language "ZH", "JP" or "EN"
 * @param text the normalised text (not used for training, kept for reports)
 * @param phones the phone symbols as written
 * @param localTones the tones as written (language-local)
 * @param word2ph as written (before the add_blank adjustment)
 * @param sequence phone/tone/language ids after cleaned_text_to_sequence and add_blank
 * @param length the bucketing length, wav file size // (2 · hop_length), as the reference computes it
 * @param bertFile the BERT feature file for ZH/JP lines, null for EN
 */
public record DataEntry(int line, String wavField, Path wav, String speaker, int sid, String language, String text,
        List<String> phones, int[] localTones, int[] word2ph, TextIds.Sequence sequence, int length, Path bertFile) {
}
