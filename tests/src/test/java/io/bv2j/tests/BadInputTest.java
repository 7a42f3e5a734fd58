package io.bv2j.tests;

import io.bv2j.testing.GoldenFiles;
import io.bv2j.io.Json;
import io.bv2j.io.RawTensor;
import io.bv2j.io.SafeTensors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input ends with one clear line on stderr and exit code 2: no stack trace, no crash. */
class BadInputTest {
    @TempDir
    Path tmp;
    Path config, checkpoint;

    @BeforeEach
    void locate() {
        Path dev = GoldenFiles.golden().resolve("dev");
        config = dev.resolve("config.json");
        checkpoint = dev.resolve("G_0.pth");
    }

    private Map<String, Object> utterance(int n) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("speaker", "alice");
        List<Object> phones = new ArrayList<>(), tones = new ArrayList<>(), langs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            phones.add(i % 2 == 0 ? 0 : 40);
            tones.add(i % 2 == 0 ? 0 : 7);
            langs.add(i % 2 == 0 ? 0 : 2);
        }
        u.put("phones", phones);
        u.put("tones", tones);
        u.put("languages", langs);
        return u;
    }

    private Path request(Map<String, Object> utterance, Map<String, Object> extra) throws IOException {
        Map<String, Object> req = new LinkedHashMap<>(extra);
        req.put("utterances", List.of(utterance));
        Path p = tmp.resolve("req.json");
        Files.writeString(p, Json.write(req));
        return p;
    }

    private Cli synth(Path ckpt, Path req) {
        return Cli.run("synth", "--config", config.toString(), "--checkpoint", ckpt.toString(), "--input",
                req.toString(), "--out", tmp.resolve("o.wav").toString());
    }

    private static void assertBadInput(Cli r, String expectedFragment) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line expected: " + err);
        assertTrue(err.startsWith("bv2j: error: "), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.toLowerCase().contains(expectedFragment.toLowerCase()), "'" + expectedFragment + "' in: " + err);
    }

    @Test
    void validRequestWorks() throws IOException {
        Cli r = synth(checkpoint, request(utterance(9), Map.of()));
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void missingCheckpoint() throws IOException {
        assertBadInput(synth(tmp.resolve("nope.pth"), request(utterance(9), Map.of())), "nope.pth");
    }

    @Test
    void truncatedCheckpoint() throws IOException {
        byte[] all = Files.readAllBytes(checkpoint);
        Path cut = tmp.resolve("cut.pth");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        assertBadInput(synth(cut, request(utterance(9), Map.of())), "cut.pth");
    }

    @Test
    void corruptCheckpoint() throws IOException {
        Path junk = tmp.resolve("junk.pth");
        byte[] bytes = new byte[4096];
        new java.util.Random(1).nextBytes(bytes);
        Files.write(junk, bytes);
        assertBadInput(synth(junk, request(utterance(9), Map.of())), "junk.pth");
    }

    @Test
    void forbiddenPickleGlobal() throws IOException {
        Path evil = tmp.resolve("evil.pth");
        try (OutputStream os = Files.newOutputStream(evil); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("evil/data.pkl"));
            // protocol 2: GLOBAL os.system, a string argument tuple, REDUCE, STOP
            zip.write(new byte[]{(byte) 0x80, 2});
            zip.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
            zip.write(new byte[]{'X', 4, 0, 0, 0});
            zip.write("echo".getBytes(StandardCharsets.US_ASCII));
            zip.write(new byte[]{(byte) 0x85, 'R', '.'});
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("evil/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        assertBadInput(synth(evil, request(utterance(9), Map.of())), "os.system");
    }

    @Test
    void misShapedKey() throws IOException {
        SafeTensors st = SafeTensors.read(GoldenFiles.golden().resolve("dev").resolve("G_0.safetensors"));
        Map<String, RawTensor> tensors = new LinkedHashMap<>(st.tensors());
        tensors.put("dp.proj.bias", RawTensor.ofFloats(new long[]{2}, new float[2]));
        Path bad = tmp.resolve("bad.safetensors");
        SafeTensors.write(bad, tensors, Map.of());
        Cli r = synth(bad, request(utterance(9), Map.of()));
        assertBadInput(r, "dp.proj.bias");
        assertTrue(r.err().contains("[2]") && r.err().contains("[1]"), "both shapes named: " + r.err());
    }

    @Test
    void missingKey() throws IOException {
        SafeTensors st = SafeTensors.read(GoldenFiles.golden().resolve("dev").resolve("G_0.safetensors"));
        Map<String, RawTensor> tensors = new LinkedHashMap<>(st.tensors());
        tensors.remove("emb_g.weight");
        Path bad = tmp.resolve("missing.safetensors");
        SafeTensors.write(bad, tensors, Map.of());
        assertBadInput(synth(bad, request(utterance(9), Map.of())), "emb_g.weight");
    }

    @Test
    void unknownSymbol() throws IOException {
        Map<String, Object> u = utterance(3);
        u.put("phones", List.of("_", "zz9", "_"));
        assertBadInput(synth(checkpoint, request(u, Map.of())), "zz9");
    }

    @Test
    void unknownSpeaker() throws IOException {
        Map<String, Object> u = utterance(9);
        u.put("speaker", "mallory");
        assertBadInput(synth(checkpoint, request(u, Map.of())), "mallory");
    }

    @Test
    void speakerIdOutOfRange() throws IOException {
        Map<String, Object> u = utterance(9);
        u.put("speaker", 17);
        assertBadInput(synth(checkpoint, request(u, Map.of())), "17");
    }

    @Test
    void tonesLengthDiffers() throws IOException {
        Map<String, Object> u = utterance(9);
        u.put("tones", List.of(0, 7, 0));
        assertBadInput(synth(checkpoint, request(u, Map.of())), "tones");
    }

    @Test
    void languagesLengthDiffers() throws IOException {
        Map<String, Object> u = utterance(9);
        u.put("languages", List.of(0));
        assertBadInput(synth(checkpoint, request(u, Map.of())), "languages");
    }

    @Test
    void bertLengthDiffers() throws IOException {
        Map<String, Object> u = utterance(9);
        io.bv2j.io.Npy.write(tmp.resolve("b.npy"), RawTensor.ofFloats(new long[]{1024, 5}, new float[1024 * 5]));
        u.put("bert", "b.npy");
        assertBadInput(synth(checkpoint, request(u, Map.of())), "bert");
    }

    @Test
    void emptyUtterance() throws IOException {
        assertBadInput(synth(checkpoint, request(utterance(0), Map.of())), "empty");
    }

    @Test
    void tooManyPhones() throws IOException {
        assertBadInput(synth(checkpoint, request(utterance(5001), Map.of())), "limit");
    }

    @Test
    void absurdLengthScale() throws IOException {
        assertBadInput(synth(checkpoint, request(utterance(999), Map.of("length_scale", 100.0))), "limit");
    }

    @Test
    void toneIdOutOfRange() throws IOException {
        Map<String, Object> u = utterance(3);
        u.put("tones", List.of(0, 99, 0));
        assertBadInput(synth(checkpoint, request(u, Map.of())), "tone");
    }

    @Test
    void malformedRequestJson() throws IOException {
        Path p = tmp.resolve("req.json");
        Files.writeString(p, "{\"utterances\": [");
        assertBadInput(synth(checkpoint, p), "req.json");
    }

    @Test
    void unknownRequestKey() throws IOException {
        assertBadInput(synth(checkpoint, request(utterance(9), Map.of("sdp_ration", 0.3))), "sdp_ration");
    }

    @Test
    void missingConfig() throws IOException {
        Cli r = Cli.run("synth", "--config", tmp.resolve("none.json").toString(), "--checkpoint", checkpoint.toString(),
                "--input", request(utterance(9), Map.of()).toString(), "--out", tmp.resolve("o.wav").toString());
        assertBadInput(r, "none.json");
    }

    @Test
    void debugShowsTheStackTrace() throws IOException {
        Cli r = Cli.run("synth", "--debug", "--config", config.toString(), "--checkpoint", tmp.resolve("x.pth").toString(),
                "--input", request(utterance(9), Map.of()).toString(), "--out", tmp.resolve("o.wav").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
