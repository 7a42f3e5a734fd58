package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.io.RawTensor;
import io.bv2j.io.SafeTensors;
import io.bv2j.io.TorchCheckpoint;
import io.bv2j.nn.StateDict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encoder's tensors from a Hugging Face BERT folder, under BertModel's own key names
 * ("embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight", ...).
 * Checkpoints saved from BertForMaskedLM carry a "bert." prefix, an MLM head ("cls.*") and
 * sometimes a pooler; TensorFlow conversions name LayerNorm's parameters gamma/beta. All of
 * that is normalised here so the modules see one naming.
 */
final class BertWeights {
    static final String SAFETENSORS = "model.safetensors", PICKLE = "pytorch_model.bin";

    private BertWeights() {
    }

    /** The weights file Hugging Face would pick: safetensors first, then the pickled state dict. */
    static Path find(Path dir) {
        Path st = dir.resolve(SAFETENSORS), bin = dir.resolve(PICKLE);
        if (Files.isRegularFile(st)) return st;
        if (Files.isRegularFile(bin)) return bin;
        throw new Bv2jException(dir + ": no BERT weights (neither " + SAFETENSORS + " nor " + PICKLE + ")");
    }

    /** Reads {@code file} (tensor data stays lazy until a module takes it). */
    static StateDict read(Path file) {
        Map<String, RawTensor> stored;
        if (file.getFileName().toString().endsWith(".safetensors")) {
            stored = SafeTensors.read(file).tensors();
        } else {
            try (TorchCheckpoint ck = TorchCheckpoint.read(file)) {
                stored = ck.modelStateDict();
                // Data is read after close: each lazy read reopens the archive (TorchCheckpoint).
            }
        }
        return new StateDict(encoderTensors(stored, file), file.toString());
    }

    private static Map<String, RawTensor> encoderTensors(Map<String, RawTensor> stored, Path file) {
        Map<String, RawTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, RawTensor> e : stored.entrySet()) {
            String key = e.getKey().startsWith("bert.") ? e.getKey().substring("bert.".length()) : e.getKey();
            if (!isEncoderKey(key)) continue;
            key = key.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias");
            if (out.put(key, e.getValue()) != null) {
                throw new Bv2jException(file + ": tensor '" + key + "' is stored twice (with and without the 'bert.' prefix or as gamma/beta and weight/bias)");
            }
        }
        return out;
    }

    /** Keys of the embeddings and encoder; heads, the pooler and buffers (position_ids) are not the feature's business. */
    private static boolean isEncoderKey(String key) {
        return (key.startsWith("embeddings.") || key.startsWith("encoder.")) && !key.endsWith("position_ids");
    }
}
