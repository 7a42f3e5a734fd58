package io.bv2j.bench;

import io.bv2j.Bv2jException;

import java.util.Locale;

/** What a benchmark times: the HiFi-GAN decoder alone, or text-to-waveform synthesis. */
public enum BenchPart {
    DECODER, FULL;

    /** "decoder" or "full" (any case), as the CLI's --part takes it. */
    public static BenchPart parse(String name) {
        for (BenchPart p : values()) {
            if (p.label().equalsIgnoreCase(name)) return p;
        }
        throw new Bv2jException("unknown benchmark part '" + name + "' (use decoder or full)");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
