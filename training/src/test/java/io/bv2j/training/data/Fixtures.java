package io.bv2j.training.data;

import io.bv2j.io.ModelConfig;
import io.bv2j.io.Wav;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small configs, wavs, filelists and torch-saved tensors for the data tests. */
public final class Fixtures {

    static final int SR = 16000;
    static final int HOP = 64;
    static final int N_FFT = 256;

    private Fixtures() {
    }

    /** A tiny config: 16 kHz, n_fft 256, hop 64, add_blank, speakers alice/bob. */
    static ModelConfig config(boolean addBlank, int batchSize) {
        return ModelConfig.parse(configJson(addBlank, batchSize, HOP, false), "test-config.json");
    }

    public static String configJson(boolean addBlank, int batchSize, int hop, boolean melPosterior) {
        return """
                {"train": {"log_interval": 10, "eval_interval": 100, "seed": 7, "epochs": 2, "learning_rate": 0.0002,
                           "betas": [0.8, 0.99], "eps": 1e-9, "batch_size": %d, "fp16_run": false, "lr_decay": 0.999875,
                           "c_mel": 45, "c_kl": 1.0, "segment_size": 1024},
                 "data": {"max_wav_value": 32768.0, "sampling_rate": 16000, "filter_length": 256, "hop_length": %d,
                          "win_length": 256, "n_mel_channels": 40, "mel_fmin": 0.0, "mel_fmax": null,
                          "add_blank": %s, "n_speakers": 2, "cleaned_text": true,
                          "spk2id": {"alice": 0, "bob": 1}},
                 "model": {"use_mel_posterior_encoder": %s, "inter_channels": 32, "hidden_channels": 32,
                           "filter_channels": 64, "n_heads": 2, "n_layers": 3, "kernel_size": 3, "p_dropout": 0.1,
                           "resblock": "2", "resblock_kernel_sizes": [3], "resblock_dilation_sizes": [[1, 3]],
                           "upsample_rates": [8, 8], "upsample_initial_channel": 64, "upsample_kernel_sizes": [16, 16],
                           "n_layers_q": 3, "use_spectral_norm": false, "gin_channels": 16}}
                """.formatted(batchSize, hop, addBlank, melPosterior);
    }

    /** A deterministic tone-ish test signal of {@code samples} samples. */
    static float[] tone(int samples, double hz) {
        float[] s = new float[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / SR) + 0.05 * Math.sin(0.37 * i * i % 97));
        }
        return s;
    }

    static Path wav(Path dir, String name, int samples, int rate) {
        Path p = dir.resolve(name);
        Wav.write(p, tone(samples, 220 + samples % 300), rate, false);
        return p;
    }

    static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /** An English filelist line for {@code wav} with phones h ah l ow (EN tones 0 1 0 2). */
    static String enLine(String wav, String speaker) {
        return wav + "|" + speaker + "|EN|hello|hh ah l ow|0 1 0 2|1 1 1 1";
    }

    // ---------------------------------------------------------------- torch.save of one float tensor

    /** Writes {@code torch.save(tensor, path)} for a contiguous float32 tensor, the way torch lays it out. */
    static void torchSave(Path path, float[] data, long... shape) throws IOException {
        ByteArrayOutputStream pk = new ByteArrayOutputStream();
        pk.write(0x80);
        pk.write(2);
        global(pk, "torch._utils", "_rebuild_tensor_v2");
        pk.write('(');
        pk.write('(');
        str(pk, "storage");
        global(pk, "torch", "FloatStorage");
        str(pk, "0");
        str(pk, "cpu");
        integer(pk, data.length);
        pk.write('t');
        pk.write('Q');
        integer(pk, 0);
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        ints(pk, shape);
        ints(pk, stride);
        pk.write(0x89);
        global(pk, "collections", "OrderedDict");
        pk.write(')');
        pk.write('R');
        pk.write('t');
        pk.write('R');
        pk.write('.');
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        String folder = path.getFileName().toString().replace(".", "_");
        try (OutputStream os = Files.newOutputStream(path); ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, folder + "/data.pkl", pk.toByteArray());
            put(zip, folder + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            put(zip, folder + "/data/0", b.array());
            put(zip, folder + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void global(ByteArrayOutputStream pk, String module, String name) {
        pk.write('c');
        pk.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void str(ByteArrayOutputStream pk, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        pk.write('X');
        le32(pk, b.length);
        pk.writeBytes(b);
    }

    private static void integer(ByteArrayOutputStream pk, long v) {
        pk.write('J');
        le32(pk, (int) v);
    }

    private static void ints(ByteArrayOutputStream pk, long[] values) {
        pk.write('(');
        for (long v : values) {
            integer(pk, v);
        }
        pk.write('t');
    }

    private static void le32(ByteArrayOutputStream pk, int v) {
        pk.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }
}
