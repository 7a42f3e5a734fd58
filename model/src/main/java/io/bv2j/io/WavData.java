package io.bv2j.io;

/**
 * Audio decoded from a WAV file.
 *
 * @param sampleRate samples per second
 * @param channels always 1: {@link Wav#read} accepts mono files only
 * @param samples 16-bit PCM is scaled by 1/32768 into [-1, 1); 32-bit float samples are returned as
 *     stored (normally within [-1, 1], but a float file may exceed it)
 * @param bitsPerSample 16 (PCM) or 32 (IEEE float), as stored in the file
 */
public record WavData(int sampleRate, int channels, float[] samples, int bitsPerSample) {
}
