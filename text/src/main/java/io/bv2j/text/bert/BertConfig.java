package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.io.Json;

import java.nio.file.Path;
import java.util.Map;

/**
 * The sizes of a Hugging Face BERT from its config.json. Only what this encoder computes is
 * accepted: erf GELU, absolute positions, an encoder (not a decoder); anything else is refused
 * rather than run with the wrong maths.
 */
record BertConfig(int vocabSize, int hidden, int layers, int heads, int intermediate, int maxPositions,
                  int typeVocabSize, float layerNormEps) {

    BertConfig {
        if (hidden % heads != 0) {
            throw new Bv2jException("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        if (layers < 2) throw new Bv2jException("num_hidden_layers " + layers + ": hidden_states[-3] needs at least 2 layers");
        if (!(layerNormEps > 0) || Float.isInfinite(layerNormEps)) {
            throw new Bv2jException("layer_norm_eps " + layerNormEps + " must be a positive number");
        }
    }

    static BertConfig read(Path file) {
        Map<String, Object> c = FolderFiles.readJsonObject(file);
        String where = file + ": ";
        try {
            requireValue(c, "hidden_act", "gelu", where);
            requireValue(c, "position_embedding_type", "absolute", where);
            if (c.containsKey("is_decoder") && Json.bool(c.get("is_decoder"), where + "is_decoder")) {
                throw new Bv2jException(where + "is_decoder true is not supported (an encoder is needed)");
            }
            float eps = c.containsKey("layer_norm_eps") ? (float) Json.num(c.get("layer_norm_eps"), where + "layer_norm_eps") : 1e-12f;
            return new BertConfig(positive(c, "vocab_size", where), positive(c, "hidden_size", where),
                    positive(c, "num_hidden_layers", where), positive(c, "num_attention_heads", where),
                    positive(c, "intermediate_size", where), positive(c, "max_position_embeddings", where),
                    positive(c, "type_vocab_size", where), eps);
        } catch (Bv2jException e) {
            throw e.getMessage().startsWith(file.toString()) ? e : new Bv2jException(where + e.getMessage(), e);
        }
    }

    int headDim() {
        return hidden / heads;
    }

    /** hidden_states[-3] counts the embeddings as state 0: it is the output of this many layers. */
    int layersForFeature() {
        return layers - 2;
    }

    private static int positive(Map<String, Object> c, String key, String where) {
        if (!c.containsKey(key)) throw new Bv2jException(where + key + " is missing");
        int v = Json.int32(c.get(key), where + key);
        if (v < 1) throw new Bv2jException(where + key + " must be positive, got " + v);
        return v;
    }

    /** A key that may be absent (its default is the supported value) but must not say otherwise. */
    private static void requireValue(Map<String, Object> c, String key, String supported, String where) {
        if (!c.containsKey(key)) return;
        String v = Json.str(c.get(key), where + key);
        if (!v.equals(supported)) {
            throw new Bv2jException(where + key + " '" + v + "' is not supported (only '" + supported + "')");
        }
    }
}
