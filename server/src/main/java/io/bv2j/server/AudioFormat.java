package io.bv2j.server;

import io.bv2j.io.Pcm;
import io.bv2j.io.Wav;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What the audio goes out as: 16-bit mono WAV, or raw 16-bit little-endian mono PCM (the
 * sample rate in the X-Sample-Rate header). Encoders that bv2j does not ship (mp3, ogg, opus,
 * aac, flac) are refused by name rather than silently replaced.
 */
enum AudioFormat {
    WAV("audio/wav"), PCM("audio/pcm");

    final String contentType;

    AudioFormat(String contentType) {
        this.contentType = contentType;
    }

    static AudioFormat parse(String name, String param) {
        return switch (name) {
            case "wav" -> WAV;
            case "pcm" -> PCM;
            default -> throw ApiError.badRequest(param, param + " '" + name + "' is not supported (wav or pcm)");
        };
    }

    /** The start of a stream whose length is not known yet. */
    void writeStreamStart(OutputStream out, int sampleRate) throws IOException {
        if (this == WAV) Wav.writeStreamingHeader(out, sampleRate, false);
    }

    /** A whole response of known length. */
    void writeWhole(OutputStream out, float[] samples, int sampleRate) throws IOException {
        if (this == WAV) {
            Wav.write(out, samples, sampleRate, false);
        } else {
            out.write(Pcm.encode(samples, false));
        }
    }

    long wholeLength(int samples) {
        return (long) samples * 2 + (this == WAV ? 44 : 0);
    }
}
