package io.bv2j.tests;

import io.bv2j.synth.Utterance;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared by the synthesis tests: random utterances and waveform comparison. */
final class Waveforms {
    private Waveforms() {
    }

    /** n phones with add_blank's blanks at even positions, random symbols, tones and languages. */
    static Utterance randomUtterance(String speaker, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] phones = new int[n], tones = new int[n], langs = new int[n];
        for (int i = 0; i < n; i++) {
            boolean blank = i % 2 == 0;
            phones[i] = blank ? 0 : r.nextInt(1, 112);
            tones[i] = blank ? 0 : r.nextInt(11);
            langs[i] = blank ? 0 : r.nextInt(3);
        }
        return Utterance.of(speaker, phones, tones, langs);
    }

    /** Same length and ||got - want|| / ||want|| <= tolerance; returns the relative L2 error. */
    static double assertClose(float[] want, float[] got, double tolerance, String what) {
        assertEquals(want.length, got.length, what + ": sample count");
        double diff = 0, norm = 0;
        for (int i = 0; i < want.length; i++) {
            diff += (double) (want[i] - got[i]) * (want[i] - got[i]);
            norm += (double) want[i] * want[i];
        }
        double rel = Math.sqrt(diff / norm);
        assertTrue(rel <= tolerance, what + ": relative L2 " + rel);
        return rel;
    }
}
