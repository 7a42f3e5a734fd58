package io.bv2j.bench;

import io.bv2j.Bv2jException;

import java.util.Locale;

/**
 * What a benchmark times: the HiFi-GAN decoder alone, text-to-waveform synthesis, eight
 * mixed-length utterances in one padded batch call (BATCH), in one synthesizeAll call (ALL) or in
 * eight single calls (SINGLES), the time until streaming synthesis hands over its first chunk of
 * audio (FIRST_AUDIO), or everything synthesis does before the decoder (LATENT: text encoder,
 * duration predictors, flow), or BERT features of one sentence of --frames tokens on
 * chinese-roberta-wwm-ext-large's shape with random weights (BERT; no voice involved).
 */
public enum BenchPart {
    DECODER, FULL, BATCH, ALL, SINGLES, FIRST_AUDIO, LATENT, BERT;

    /** The lower-case name (any case), as the CLI's --part takes it. */
    public static BenchPart parse(String name) {
        for (BenchPart p : values()) {
            if (p.label().equalsIgnoreCase(name)) return p;
        }
        throw new Bv2jException("unknown benchmark part '" + name + "' (use decoder, full, batch, all, singles, first-audio, latent or bert)");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
