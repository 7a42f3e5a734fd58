package io.bv2j.text.bert;

import io.bv2j.nn.Embedding;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** BertEmbeddings: word + absolute position + token type 0, then LayerNorm (dropout is training-only). */
final class BertEmbeddings extends Module {
    private final Embedding words, positions, tokenTypes;
    private final BertLayerNorm norm;
    private final int maxPositions;

    BertEmbeddings(BertConfig c) {
        words = child("word_embeddings", new Embedding(c.vocabSize(), c.hidden(), "BERT token"));
        positions = child("position_embeddings", new Embedding(c.maxPositions(), c.hidden(), "BERT position"));
        tokenTypes = child("token_type_embeddings", new Embedding(c.typeVocabSize(), c.hidden(), "BERT token type"));
        norm = child("LayerNorm", new BertLayerNorm(c.hidden(), c.layerNormEps()));
        maxPositions = c.maxPositions();
    }

    int maxPositions() {
        return maxPositions;
    }

    /** ids[B][T] (rows padded to one length) -> [B, hidden, T]. */
    Tensor forward(int[][] ids) {
        int b = ids.length, t = ids[0].length;
        int[][] pos = new int[1][t];
        for (int j = 0; j < t; j++) pos[0][j] = j;
        // Every sequence is one segment: token type 0 everywhere, as the reference's tokenizer gives.
        Tensor typeAndPosition = Ops.add(positions.forward(pos), tokenTypes.forward(new int[1][t])); // [1, hidden, T]
        return norm.forward(Ops.add(words.forward(ids), typeAndPosition));
    }
}
