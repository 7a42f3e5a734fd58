package io.bv2j.io;

import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WavTest {

    @TempDir
    Path tmp;

    @Test
    void floatRoundTripIsExact() {
        float[] samples = {0f, 0.25f, -1f, 1f, 1.5f, -0.123456f};
        Path p = tmp.resolve("f.wav");
        Wav.write(p, samples, 44100, true);
        WavData w = Wav.read(p);
        assertEquals(44100, w.sampleRate());
        assertEquals(1, w.channels());
        assertEquals(32, w.bitsPerSample());
        assertArrayEquals(samples, w.samples());
    }

    @Test
    void pcmRoundTripIsWithinOneStepAndClamps() {
        float[] samples = new float[1000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) Math.sin(i * 0.05) * 0.9f;
        }
        Path p = tmp.resolve("s.wav");
        Wav.write(p, samples, 16000, false);
        WavData w = Wav.read(p);
        assertEquals(16000, w.sampleRate());
        assertEquals(16, w.bitsPerSample());
        for (int i = 0; i < samples.length; i++) {
            assertEquals(samples[i], w.samples()[i], 1.5 / 32768, "sample " + i);
        }
        Wav.write(p, new float[] {2f, -2f, 1f, -1f, Float.NaN, 0.5f}, 8000, false);
        assertArrayEquals(new float[] {32767 / 32768f, -32767 / 32768f, 32767 / 32768f, -32767 / 32768f, 0,
            16384 / 32768f}, Wav.read(p).samples());
    }

    @Test
    void pcmHeaderIsCanonical() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Wav.write(out, new float[] {0, 0}, 16000, false);
        byte[] b = out.toByteArray();
        assertEquals(44 + 4, b.length);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(40, h.getInt(4));
        assertEquals(16, h.getInt(16));
        assertEquals(1, h.getShort(20));
        assertEquals(32000, h.getInt(28));
        assertEquals(4, h.getInt(40));
    }

    /** A RIFF/WAVE file made of the given chunks (id, body); odd bodies get their pad byte. */
    private Path riff(Object... idsAndBodies) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < idsAndBodies.length; i += 2) {
            byte[] data = (byte[]) idsAndBodies[i + 1];
            body.write(((String) idsAndBodies[i]).getBytes());
            body.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
            body.write(data);
            if (data.length % 2 == 1) {
                body.write(0);
            }
        }
        ByteBuffer file = ByteBuffer.allocate(12 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        file.put("RIFF".getBytes()).putInt(4 + body.size()).put("WAVE".getBytes()).put(body.toByteArray());
        return Files.write(tmp.resolve("x.wav"), file.array());
    }

    private static byte[] fmt(int format, int channels, int rate, int bits) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) format)
                .putShort((short) channels).putInt(rate).putInt(rate * channels * bits / 8)
                .putShort((short) (channels * bits / 8)).putShort((short) bits).array();
    }

    private static byte[] shorts(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putShort((short) x);
        }
        return b.array();
    }

    @Test
    void skipsUnknownChunksIncludingOddSizedOnes() throws IOException {
        Path p = riff("LIST", new byte[] {1, 2, 3}, "fmt ", fmt(1, 1, 8000, 16), "junk", new byte[5],
                "data", shorts(16384, -32768, 32767));
        WavData w = Wav.read(p);
        assertArrayEquals(new float[] {0.5f, -1f, 32767 / 32768f}, w.samples());
        assertEquals(8000, w.sampleRate());
    }

    @Test
    void acceptsExtensibleFloat() throws IOException {
        ByteBuffer ext = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        ext.putShort((short) 0xFFFE).putShort((short) 1).putInt(24000).putInt(96000).putShort((short) 4)
                .putShort((short) 32).putShort((short) 22).putShort((short) 32).putInt(4)
                .put(new byte[] {3, 0, 0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        byte[] data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.75f).array();
        WavData w = Wav.read(riff("fmt ", ext.array(), "data", data));
        assertArrayEquals(new float[] {0.75f}, w.samples());
        assertEquals(32, w.bitsPerSample());
    }

    private String errorOf(Path p) {
        Bv2jException e = assertThrows(Bv2jException.class, () -> Wav.read(p));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void refusesUnsupportedFormats() throws IOException {
        assertTrue(errorOf(riff("fmt ", fmt(1, 2, 8000, 16), "data", shorts(1, 2)))
                .contains("this file is 2-channel 16-bit PCM"));
        assertTrue(errorOf(riff("fmt ", fmt(1, 1, 8000, 24), "data", new byte[6]))
                .contains("1-channel 24-bit PCM"));
        assertTrue(errorOf(riff("fmt ", fmt(3, 1, 8000, 64), "data", new byte[8])).contains("64-bit float"));
        assertTrue(errorOf(riff("fmt ", fmt(6, 1, 8000, 8), "data", new byte[8])).contains("format 0x0006"));
        assertTrue(errorOf(riff("fmt ", fmt(1, 1, 8000, 16))).contains("no data chunk"));
        assertTrue(errorOf(riff("data", shorts(1))).contains("no fmt chunk"));
        assertTrue(errorOf(riff("fmt ", new byte[4], "data", shorts(1))).contains("fmt chunk of 4 bytes"));
        Path notWav = Files.write(tmp.resolve("n.wav"), "RIFF\0\0\0\0AVI LIST".getBytes());
        assertTrue(errorOf(notWav).contains("not a WAV file"));
        Path rifx = Files.write(tmp.resolve("r.wav"), "RIFX\0\0\0\0WAVE".getBytes());
        assertTrue(errorOf(rifx).contains("RIFX WAV files are not supported"));
    }

    @Test
    void refusesTruncatedData() throws IOException {
        Path p = tmp.resolve("t.wav");
        Wav.write(p, new float[100], 16000, false);
        byte[] all = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(all, all.length - 10));
        assertTrue(errorOf(p).contains("'data' chunk claims 200 bytes but only 190 remain"));
        Files.write(p, Arrays.copyOf(all, 5));
        assertTrue(errorOf(p).contains("not a WAV file"));
    }
}
