package io.bv2j.synth;

/** Mono float samples in [-1, 1] at a sample rate. */
public record Audio(float[] samples, int sampleRate) {
    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
