package io.bv2j.tests;

import io.bv2j.testing.GoldenFiles;
import io.bv2j.io.Json;
import io.bv2j.io.Npy;
import io.bv2j.io.RawTensor;
import io.bv2j.io.SafeTensors;
import io.bv2j.io.Wav;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `bv2j synth --noise-replay` reproduces the reference's infer_single and infer_batch waveforms
 * from their inputs, through the request file, .npy features and WAV output a user would use.
 */
class SynthReplayTest {
    @TempDir
    Path tmp;

    @Test
    void reproducesInferSingle() throws IOException {
        reproduce("infer_single.safetensors");
    }

    @Test
    void reproducesInferBatch() throws IOException {
        reproduce("infer_batch.safetensors");
    }

    private void reproduce(String name) throws IOException {
        Path dev = GoldenFiles.golden().resolve("dev");
        Path golden = dev.resolve(name);
        SafeTensors g = SafeTensors.read(golden);
        long[] x = g.get("in/x").toLongs(), tone = g.get("in/tone").toLongs(), lang = g.get("in/language").toLongs();
        long[] lengths = g.get("in/x_lengths").toLongs(), sid = g.get("in/sid").toLongs();
        float[] bert = g.get("in/bert").toFloats(), jaBert = g.get("in/ja_bert").toFloats();
        int b = lengths.length, t = (int) g.get("in/x").shape()[1];
        List<Object> utterances = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            int n = (int) lengths[i];
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("speaker", sid[i]);
            u.put("phones", row(x, i, t, n));
            u.put("tones", row(tone, i, t, n));
            u.put("languages", row(lang, i, t, n));
            u.put("bert", features(bert, i, 1024, t, n, "bert" + i + ".npy"));
            u.put("ja_bert", features(jaBert, i, 768, t, n, "ja_bert" + i + ".npy"));
            utterances.add(u);
        }
        Map<String, Object> req = new LinkedHashMap<>();
        for (String k : List.of("sdp_ratio", "noise_scale", "noise_scale_w", "length_scale")) {
            req.put(k, Double.parseDouble(g.metadata().get(k)));
        }
        req.put("batch", b > 1);
        req.put("utterances", utterances);
        Path reqFile = tmp.resolve("req.json");
        Files.writeString(reqFile, Json.write(req));
        Path out = tmp.resolve(b == 1 ? "out.wav" : "out");
        Cli r = Cli.run("synth", "--config", dev.resolve("config.json").toString(), "--checkpoint",
                dev.resolve("G_0.pth").toString(), "--input", reqFile.toString(), "--out", out.toString(), "--float",
                "--noise-replay", golden.toString());
        assertEquals(0, r.code(), r.err());

        float[] ref = g.get("out/o").toFloats();
        long[] yLengths = g.get("out/y_lengths").toLongs();
        int samples = (int) g.get("out/o").shape()[2], hop = samples / (int) g.get("out/y_mask").shape()[2];
        for (int i = 0; i < b; i++) {
            Path wav = b == 1 ? out : out.resolve(String.format("%03d.wav", i));
            float[] ours = Wav.read(wav).samples();
            assertEquals(yLengths[i] * hop, ours.length, "samples of utterance " + i);
            double diff = 0, norm = 0;
            for (int s = 0; s < ours.length; s++) {
                double d = ours[s] - ref[i * samples + s];
                diff += d * d;
                norm += (double) ref[i * samples + s] * ref[i * samples + s];
            }
            double rel = Math.sqrt(diff / norm);
            assertTrue(rel <= 1e-4, name + " utterance " + i + ": relative L2 " + rel);
        }
    }

    private static List<Long> row(long[] flat, int i, int t, int n) {
        List<Long> r = new ArrayList<>();
        for (int j = 0; j < n; j++) r.add(flat[i * t + j]);
        return r;
    }

    private String features(float[] flat, int i, int dim, int t, int n, String file) {
        float[] f = new float[dim * n];
        for (int c = 0; c < dim; c++) System.arraycopy(flat, (i * dim + c) * t, f, c * n, n);
        Npy.write(tmp.resolve(file), RawTensor.ofFloats(new long[]{dim, n}, f));
        return file;
    }
}
