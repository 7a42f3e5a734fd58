package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.text.BertFeatures;

import java.util.List;

/**
 * {@link BertFeatures} from a BERT encoder and its tokenizer: the reference's get_bert_feature.
 * Token i's hidden_states[-3] column is repeated word2ph[i] times. Stateless beyond the shared,
 * read-only encoder and tokenizer, so safe to share between threads.
 */
final class WordFeatures implements BertFeatures {
    private final BertEncoder encoder;
    private final BertTokenizer tokenizer;

    WordFeatures(BertEncoder encoder, BertTokenizer tokenizer) {
        this.encoder = encoder;
        this.tokenizer = tokenizer;
    }

    @Override
    public int dim() {
        return encoder.config().hidden();
    }

    @Override
    public float[] features(String normText, int[] word2ph) {
        int[] ids = tokenizer.encode(normText);
        if (word2ph.length != ids.length) {
            throw new Bv2jException("word2ph has " + word2ph.length + " entries but BERT's tokenizer makes " + ids.length
                    + " tokens of '" + normText + "' (incl. [CLS]/[SEP])");
        }
        int phones = 0;
        for (int n : word2ph) {
            if (n < 0) throw new Bv2jException("word2ph has a negative entry " + n + " for '" + normText + "'");
            phones = Math.addExact(phones, n);
        }
        float[] tokens = encoder.hiddenStates(List.of(ids)).getFirst(); // [dim, tokens]
        return repeatColumns(tokens, ids.length, word2ph, phones);
    }

    /** [dim, tokens] -> [dim, phones]: column i repeated word2ph[i] times. */
    static float[] repeatColumns(float[] tokens, int tokenCount, int[] word2ph, int phones) {
        int dim = tokens.length / tokenCount;
        float[] out = new float[dim * phones];
        for (int c = 0; c < dim; c++) {
            int src = c * tokenCount, dst = c * phones;
            for (int i = 0; i < tokenCount; i++) {
                float v = tokens[src + i];
                for (int r = 0; r < word2ph[i]; r++) out[dst++] = v;
            }
        }
        return out;
    }
}
