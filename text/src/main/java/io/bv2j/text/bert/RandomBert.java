package io.bv2j.text.bert;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * A BERT encoder of given sizes with seeded random weights (no folder, no tokenizer), for
 * benchmarks: its speed does not depend on the weights' values. Owns its weights until closed.
 */
public final class RandomBert implements AutoCloseable {
    private final BertEncoder encoder;
    private final Arena weights;

    private RandomBert(BertEncoder encoder, Arena weights) {
        this.encoder = encoder;
        this.weights = weights;
    }

    /** Vocabulary 21128 and type vocabulary 2 as chinese-roberta-wwm-ext-large's; eps 1e-12. */
    public static RandomBert of(int hidden, int layers, int heads, int intermediate, int maxPositions, long seed) {
        BertConfig config = new BertConfig(21128, hidden, layers, heads, intermediate, maxPositions, 2, 1e-12f);
        Arena arena = Arena.ofShared();
        try {
            return new RandomBert(BertEncoder.random(config, seed, arena), arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** hidden_states[-3] of each sequence ([hidden, tokens] row-major), one padded batch. */
    public List<float[]> hiddenStates(List<int[]> ids) {
        return encoder.hiddenStates(ids);
    }

    /** Layers a call runs (all but the last two: see {@link BertEncoder}). */
    public int layersRun() {
        return encoder.config().layersForFeature();
    }

    public int vocabularySize() {
        return encoder.config().vocabSize();
    }

    @Override
    public void close() {
        weights.close();
    }
}
