package io.bv2j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian sample encodings shared by WAV files and raw streams: 16-bit PCM with
 * round(clamp(x, -1, 1) · 32767) (NaN → 0, never -32768), or IEEE 32-bit float.
 */
public final class Pcm {
    private Pcm() {
    }

    public static byte[] encode(float[] samples, boolean ieeeFloat) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * (ieeeFloat ? 4 : 2)).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : samples) {
            if (ieeeFloat) {
                b.putFloat(x);
            } else {
                b.putShort((short) Math.round(Math.clamp(x, -1f, 1f) * 32767f));
            }
        }
        return b.array();
    }
}
