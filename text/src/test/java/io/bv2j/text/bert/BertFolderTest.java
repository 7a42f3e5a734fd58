package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.io.RawTensor;
import io.bv2j.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken BERT folders: each refused with one line that names the file and what is wrong. */
class BertFolderTest {
    @TempDir
    Path dir;

    /** A copy of the safetensors fixture folder. */
    private Path copy() throws IOException {
        for (String f : new String[]{"config.json", "vocab.txt", "model.safetensors"}) {
            Files.copy(BertFixture.safetensorsFolder().resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static void assertRefused(Path folder, String... parts) {
        Bv2jException e = assertThrows(Bv2jException.class, () -> BertFolder.load(folder).close());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), e.getMessage());
    }

    private void rewriteWeights(Consumer<Map<String, RawTensor>> change) {
        Path file = dir.resolve("model.safetensors");
        Map<String, RawTensor> tensors = new TreeMap<>();
        SafeTensors.read(file).tensors().forEach((k, v) -> tensors.put(k, RawTensor.ofBytes(v.dtype(), v.shape(), v.toBytes())));
        change.accept(tensors);
        SafeTensors.write(file, tensors, Map.of());
    }

    private void editConfig(String from, String to) throws IOException {
        Path c = dir.resolve("config.json");
        String text = Files.readString(c);
        assertTrue(text.contains(from), "fixture config has " + from);
        Files.writeString(c, text.replace(from, to));
    }

    @Test
    void aMissingFolderOrConfig() throws IOException {
        assertRefused(dir.resolve("nope"), "nope", "no such directory");
        assertRefused(dir, "no config.json");
    }

    @Test
    void unsupportedOrBrokenConfig() throws IOException {
        copy();
        editConfig("\"gelu\"", "\"relu\"");
        assertRefused(dir, "config.json", "hidden_act 'relu' is not supported");
        editConfig("\"relu\"", "\"gelu\"");
        editConfig("\"num_attention_heads\": 4", "\"num_attention_heads\": 5");
        assertRefused(dir, "config.json", "hidden_size 32 is not a multiple of num_attention_heads 5");
        editConfig("\"num_attention_heads\": 5", "\"num_attention_heads\": 4,");
        assertRefused(dir, "config.json");
    }

    @Test
    void aVocabularyLargerThanTheEmbeddings() throws IOException {
        copy();
        editConfig("\"vocab_size\": 36", "\"vocab_size\": 30");
        assertRefused(dir, "ids up to 35", "vocab_size is 30");
    }

    @Test
    void noWeights() throws IOException {
        copy();
        Files.delete(dir.resolve("model.safetensors"));
        assertRefused(dir, "neither model.safetensors nor pytorch_model.bin");
    }

    @Test
    void aMissingTensor() throws IOException {
        copy();
        rewriteWeights(t -> t.remove("bert.encoder.layer.1.output.dense.bias"));
        assertRefused(dir, "model.safetensors", "missing key 'encoder.layer.1.output.dense.bias'");
    }

    @Test
    void aMissingUnusedLayerIsStillNoticed() throws IOException {
        copy();
        rewriteWeights(t -> t.keySet().removeIf(k -> k.startsWith("bert.encoder.layer.3.")));
        assertRefused(dir, "model.safetensors", "no tensors for layer 3");
    }

    @Test
    void aTensorOfTheWrongShape() throws IOException {
        copy();
        rewriteWeights(t -> t.put("bert.embeddings.LayerNorm.bias", RawTensor.ofFloats(new long[]{31}, new float[31])));
        assertRefused(dir, "model.safetensors", "embeddings.LayerNorm.bias", "[31]", "[32]");
    }

    @Test
    void anExtraLayer() throws IOException {
        copy();
        rewriteWeights(t -> t.put("bert.encoder.layer.4.output.dense.bias", RawTensor.ofFloats(new long[]{32}, new float[32])));
        assertRefused(dir, "model.safetensors", "unexpected key 'encoder.layer.4.output.dense.bias'");
    }

    @Test
    void aTruncatedWeightsFile() throws IOException {
        copy();
        Path f = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
        assertRefused(dir, "model.safetensors");
    }

    @Test
    void aCorruptPickle() throws IOException {
        Files.copy(BertFixture.pickleFolder().resolve("config.json"), dir.resolve("config.json"));
        Files.copy(BertFixture.pickleFolder().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("pytorch_model.bin"), "not a zip");
        assertRefused(dir, "pytorch_model.bin");
    }
}
