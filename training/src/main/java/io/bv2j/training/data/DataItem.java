package io.bv2j.training.data;

import io.bv2j.text.TextIds;

/**
 * One loaded training example, as TextAudioSpeakerLoader.__getitem__ returns it: ids after
 * add_blank, BERT features, the spectrogram and the normalised waveform, and the speaker id.
 *
 * @param bert [1024, T] row-major, or null for zeros (JP and EN lines)
 * @param jaBert [768, T] row-major, or null for zeros (ZH and EN lines)
 * @param spec [specChannels, specFrames] row-major
 * @param wav audio_norm samples
 */
public record DataItem(DataEntry entry, TextIds.Sequence text, float[] bert, float[] jaBert, float[] spec,
        int specChannels, int specFrames, float[] wav, int sid) {

    /** Phones after add_blank (T). */
    public int textLength() {
        return text.length();
    }
}
