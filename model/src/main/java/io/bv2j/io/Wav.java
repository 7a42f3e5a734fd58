package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Mono WAV files: 16-bit PCM or 32-bit IEEE float, the two forms the TTS pipeline produces and
 * consumes. Reading skips chunks it does not need (LIST, cue, ...), accepts WAVE_FORMAT_EXTENSIBLE
 * headers that describe one of those two forms, and refuses anything else with a message saying
 * what the file is.
 */
public final class Wav {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_IEEE_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    /** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE GUIDs; bytes 0..1 hold the format code. */
    private static final byte[] SUBFORMAT_GUID_TAIL =
            {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71};
    /** A real fmt chunk is 16 to 40 bytes. */
    private static final int MAX_FMT_BYTES = 1024;
    private static final long MAX_RIFF_BYTES = 0xFFFFFFFFL;

    private Wav() {
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes mono {@code samples} to {@code path}, replacing it atomically.
     *
     * @param ieeeFloat true: WAVE_FORMAT_IEEE_FLOAT, 32 bits, samples stored exactly as given. false:
     *     16-bit PCM with {@code s = (short) Math.round(clamp(x, -1, 1) * 32767)}; scaling by 32767
     *     rather than 32768 keeps +1.0 representable and makes the mapping symmetric, at the cost of
     *     never producing -32768 (NaN becomes 0)
     */
    public static void write(Path path, float[] samples, int sampleRate, boolean ieeeFloat) {
        AtomicFile.write(path, out -> write(out, samples, sampleRate, ieeeFloat));
    }

    /** As {@link #write(Path, float[], int, boolean)}, to a stream (which is not closed). */
    public static void write(OutputStream out, float[] samples, int sampleRate, boolean ieeeFloat) throws IOException {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        long dataSize = (long) samples.length * (ieeeFloat ? 4 : 2);
        if (headerSize(ieeeFloat) - 8 + dataSize > MAX_RIFF_BYTES) {
            throw new Bv2jException("WAV output: " + samples.length + " samples are too many for one WAV file");
        }
        out.write(header(sampleRate, ieeeFloat, headerSize(ieeeFloat) - 8 + dataSize, dataSize, samples.length));
        out.write(Pcm.encode(samples, ieeeFloat));
    }

    /**
     * The header of a WAV whose length is not known when it starts (audio streamed as it is made):
     * the RIFF and data sizes are 0xFFFFFFFF, which players and ffmpeg/sox read as "until the
     * end of the stream". Float streams carry no fact chunk (its sample count is unknown too).
     */
    public static void writeStreamingHeader(OutputStream out, int sampleRate, boolean ieeeFloat) throws IOException {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        out.write(header(sampleRate, ieeeFloat, MAX_RIFF_BYTES, MAX_RIFF_BYTES, -1));
    }

    private static int headerSize(boolean ieeeFloat) {
        // fmt: 16 bytes for PCM; 18 (with cbSize) plus a fact chunk for float, as the spec asks of non-PCM.
        return 12 + 8 + (ieeeFloat ? 18 : 16) + (ieeeFloat ? 12 : 0) + 8;
    }

    /** factSamples < 0: no fact chunk (a stream of unknown length). */
    private static byte[] header(int sampleRate, boolean ieeeFloat, long riffSize, long dataSize, long factSamples) {
        int bytesPerSample = ieeeFloat ? 4 : 2;
        boolean fact = ieeeFloat && factSamples >= 0;
        ByteBuffer h = ByteBuffer.allocate(headerSize(ieeeFloat) - (ieeeFloat && !fact ? 12 : 0))
                .order(ByteOrder.LITTLE_ENDIAN);
        h.put(ascii("RIFF")).putInt((int) riffSize).put(ascii("WAVE"));
        h.put(ascii("fmt ")).putInt(ieeeFloat ? 18 : 16)
                .putShort((short) (ieeeFloat ? FORMAT_IEEE_FLOAT : FORMAT_PCM))
                .putShort((short) 1)
                .putInt(sampleRate)
                .putInt(sampleRate * bytesPerSample)
                .putShort((short) bytesPerSample)
                .putShort((short) (bytesPerSample * 8));
        if (ieeeFloat) h.putShort((short) 0); // cbSize
        if (fact) h.put(ascii("fact")).putInt(4).putInt((int) factSamples);
        h.put(ascii("data")).putInt((int) dataSize);
        return h.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- reading

    /** Reads a mono 16-bit PCM or 32-bit float WAV file. */
    public static WavData read(Path path) {
        long fileSize = InputFiles.size(path);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (fileSize < 12) {
                throw new Bv2jException(path + ": not a WAV file (only " + fileSize + " bytes)");
            }
            ByteBuffer riff = InputFiles.readFully(ch, 0, 12);
            String magic = fourCC(riff, 0);
            if (magic.equals("RIFX") || magic.equals("RF64")) {
                throw new Bv2jException(path + ": " + magic + " WAV files are not supported (only RIFF)");
            }
            if (!magic.equals("RIFF") || !fourCC(riff, 8).equals("WAVE")) {
                throw new Bv2jException(path + ": not a WAV file (no RIFF/WAVE header)");
            }
            // The RIFF size field is often wrong in files from streaming tools; the chunks are checked instead.
            ByteBuffer fmt = null;
            long dataStart = -1;
            long dataSize = 0;
            long pos = 12;
            while (pos + 8 <= fileSize && (fmt == null || dataStart < 0)) {
                ByteBuffer chunkHeader = InputFiles.readFully(ch, pos, 8).order(ByteOrder.LITTLE_ENDIAN);
                String id = fourCC(chunkHeader, 0);
                long size = chunkHeader.getInt(4) & 0xFFFFFFFFL;
                long body = pos + 8;
                if (size > fileSize - body) {
                    throw new Bv2jException(path + ": '" + printable(id) + "' chunk claims " + size + " bytes but only "
                            + (fileSize - body) + " remain (truncated file?)");
                }
                if (id.equals("fmt ")) {
                    if (size < 16 || size > MAX_FMT_BYTES) {
                        throw new Bv2jException(path + ": fmt chunk of " + size + " bytes is malformed");
                    }
                    fmt = InputFiles.readFully(ch, body, (int) size).order(ByteOrder.LITTLE_ENDIAN);
                } else if (id.equals("data")) {
                    dataStart = body;
                    dataSize = size;
                }
                pos = body + size + (size & 1); // chunks are padded to even sizes
            }
            if (fmt == null || dataStart < 0) {
                throw new Bv2jException(path + ": WAV file has no " + (fmt == null ? "fmt" : "data") + " chunk");
            }
            Format f = Format.parse(path, fmt);
            int bytesPerSample = f.bitsPerSample / 8;
            long count = dataSize / bytesPerSample; // a trailing partial sample is ignored
            if (count > RawTensor.MAX_BYTES / 4) {
                throw new Bv2jException(path + ": " + count + " samples are more than bv2j can hold in memory");
            }
            ByteBuffer data = InputFiles.readFully(ch, dataStart, (int) (count * bytesPerSample))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] samples = new float[(int) count];
            if (f.isFloat) {
                data.asFloatBuffer().get(samples);
            } else {
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = data.getShort(2 * i) / 32768f;
                }
            }
            return new WavData(f.sampleRate, 1, samples, f.bitsPerSample);
        } catch (EOFException e) {
            throw new Bv2jException(path + ": file is shorter than its size on disk said", e);
        } catch (IOException e) {
            throw new Bv2jException(path + ": cannot read (" + AtomicFile.oneLine(e) + ")", e);
        }
    }

    private static String fourCC(ByteBuffer b, int at) {
        byte[] id = new byte[4];
        b.get(at, id);
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The accepted subset of a fmt chunk. */
    private record Format(int sampleRate, int bitsPerSample, boolean isFloat) {

        static Format parse(Path path, ByteBuffer fmt) {
            int format = fmt.getShort(0) & 0xFFFF;
            int channels = fmt.getShort(2) & 0xFFFF;
            long sampleRate = fmt.getInt(4) & 0xFFFFFFFFL;
            int blockAlign = fmt.getShort(12) & 0xFFFF;
            int bits = fmt.getShort(14) & 0xFFFF;
            if (format == FORMAT_EXTENSIBLE) {
                byte[] guid = new byte[16];
                if (fmt.limit() < 40) {
                    throw new Bv2jException(path + ": WAVE_FORMAT_EXTENSIBLE fmt chunk is too short");
                }
                fmt.get(24, guid);
                boolean standardGuid = Arrays.equals(guid, 2, 16, SUBFORMAT_GUID_TAIL, 0, 14);
                format = standardGuid ? (guid[0] & 0xFF) | (guid[1] & 0xFF) << 8 : -1;
            }
            boolean pcm16 = format == FORMAT_PCM && bits == 16;
            boolean float32 = format == FORMAT_IEEE_FLOAT && bits == 32;
            if (channels != 1 || !(pcm16 || float32)) {
                throw new Bv2jException(path + ": only mono 16-bit PCM or 32-bit float WAV is supported; this file is "
                        + channels + "-channel " + bits + "-bit " + describe(format));
            }
            if (blockAlign != bits / 8 || sampleRate == 0 || sampleRate > Integer.MAX_VALUE) {
                throw new Bv2jException(path + ": fmt chunk is inconsistent (block align " + blockAlign
                        + ", sample rate " + sampleRate + ")");
            }
            return new Format((int) sampleRate, bits, float32);
        }

        private static String describe(int format) {
            return switch (format) {
                case FORMAT_PCM -> "PCM";
                case FORMAT_IEEE_FLOAT -> "float";
                case -1 -> "of an unknown extensible subformat";
                default -> String.format("format 0x%04x", format);
            };
        }
    }
}
