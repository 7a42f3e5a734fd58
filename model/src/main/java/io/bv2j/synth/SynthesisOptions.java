package io.bv2j.synth;

import io.bv2j.Bv2jException;
import io.bv2j.model.Noise;
import io.bv2j.model.SeededNoise;

import java.util.function.Supplier;

/**
 * Per-call knobs with the reference's defaults (sdp_ratio 0.2, noise_scale 0.667,
 * noise_scale_w 0.8, length_scale 1) and where random draws come from: a seed (default 0, so a
 * call is reproducible) or an injected {@link Noise} source. maxSeconds bounds the output.
 */
public record SynthesisOptions(float sdpRatio, float noiseScale, float noiseScaleW, float lengthScale,
                               Supplier<Noise> noise, double maxSeconds) {
    /** Default limit on one utterance's audio: keeps a typo in length_scale from exhausting memory. */
    public static final double DEFAULT_MAX_SECONDS = 120;

    public SynthesisOptions {
        check("sdp_ratio", sdpRatio, 0, 1);
        check("noise_scale", noiseScale, 0, 100);
        check("noise_scale_w", noiseScaleW, 0, 100);
        check("length_scale", lengthScale, 1e-3, 100);
        if (!(maxSeconds > 0)) throw new Bv2jException("max seconds must be positive");
    }

    public static SynthesisOptions defaults() {
        return new SynthesisOptions(0.2f, 0.667f, 0.8f, 1f, () -> new SeededNoise(0), DEFAULT_MAX_SECONDS);
    }

    public SynthesisOptions withSdpRatio(float v) {
        return new SynthesisOptions(v, noiseScale, noiseScaleW, lengthScale, noise, maxSeconds);
    }

    public SynthesisOptions withNoiseScale(float v) {
        return new SynthesisOptions(sdpRatio, v, noiseScaleW, lengthScale, noise, maxSeconds);
    }

    public SynthesisOptions withNoiseScaleW(float v) {
        return new SynthesisOptions(sdpRatio, noiseScale, v, lengthScale, noise, maxSeconds);
    }

    public SynthesisOptions withLengthScale(float v) {
        return new SynthesisOptions(sdpRatio, noiseScale, noiseScaleW, v, noise, maxSeconds);
    }

    public SynthesisOptions withSeed(long seed) {
        return new SynthesisOptions(sdpRatio, noiseScale, noiseScaleW, lengthScale, () -> new SeededNoise(seed), maxSeconds);
    }

    /** Draws from the given source (one source per call; a batch call draws for the whole batch). */
    public SynthesisOptions withNoise(Supplier<Noise> source) {
        return new SynthesisOptions(sdpRatio, noiseScale, noiseScaleW, lengthScale, source, maxSeconds);
    }

    public SynthesisOptions withMaxSeconds(double v) {
        return new SynthesisOptions(sdpRatio, noiseScale, noiseScaleW, lengthScale, noise, v);
    }

    private static void check(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) throw new Bv2jException(name + " must be in [" + lo + ", " + hi + "], got " + v);
    }
}
