package io.bv2j.tests;

import io.bv2j.io.Json;
import io.bv2j.io.Wav;
import io.bv2j.testing.GoldenFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generated training corpus for trainer tests: noise WAVs with random English phone strings
 * and the dev golden config shrunk to train in seconds (small segment and batch, frequent
 * evaluation). Not speech: these tests prove the machinery, not the voice.
 */
final class TinyCorpus {
    private static final String[] PHONES = {"aa", "ae", "ah", "b", "d", "eh", "f", "g", "hh", "ih", "k", "l", "m", "n",
            "ow", "p", "r", "s", "t", "uw", "w", "z"};

    private TinyCorpus() {
    }

    /** Writes wavs/, train.list, val.list and config.json under dir; returns the config path. */
    @SuppressWarnings("unchecked")
    static Path write(Path dir, int items, int evalInterval) throws IOException {
        Files.createDirectories(dir.resolve("wavs"));
        SplittableRandom r = new SplittableRandom(5);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            float[] wav = new float[16000 * (6 + r.nextInt(4)) / 10];
            for (int s = 0; s < wav.length; s++) wav[s] = (float) (0.1 * Math.sin(s * (0.05 + 0.01 * (i % 7))) + 0.02 * r.nextGaussian());
            String name = String.format("wavs/%03d.wav", i);
            Wav.write(dir.resolve(name), wav, 16000, false);
            int n = 4 + r.nextInt(6);
            StringBuilder ph = new StringBuilder(), tones = new StringBuilder(), w2p = new StringBuilder();
            for (int k = 0; k < n; k++) {
                String sep = k == 0 ? "" : " ";
                ph.append(sep).append(PHONES[r.nextInt(PHONES.length)]);
                tones.append(sep).append(r.nextInt(4));
                w2p.append(sep).append(1);
            }
            lines.add(name + "|" + (i % 2 == 0 ? "a" : "b") + "|EN|item " + i + "|" + ph + "|" + tones + "|" + w2p);
        }
        Files.write(dir.resolve("train.list"), lines.subList(0, items - 2));
        Files.write(dir.resolve("val.list"), lines.subList(items - 2, items));
        Map<String, Object> config = (Map<String, Object>) deepCopy(Json.parse(
                Files.readString(GoldenFiles.golden().resolve("dev/config.json"))));
        Map<String, Object> train = (Map<String, Object>) config.get("train");
        train.put("batch_size", 4L);
        train.put("eval_interval", (long) evalInterval);
        train.put("log_interval", 1L);
        train.put("keep_ckpts", 2L);
        Map<String, Object> data = (Map<String, Object>) config.get("data");
        data.put("training_files", "train.list");
        data.put("validation_files", "val.list");
        data.put("n_speakers", 2L);
        data.put("spk2id", Map.of("a", 0L, "b", 1L));
        Path path = dir.resolve("config.json");
        Files.writeString(path, Json.write(config));
        return path;
    }

    private static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> c.put((String) k, deepCopy(v)));
            return c;
        }
        if (o instanceof List<?> l) return new ArrayList<>(l.stream().map(TinyCorpus::deepCopy).toList());
        return o;
    }
}
