package io.bv2j.text;

/**
 * BERT features for one utterance: the model's {@code hidden_states[-3]} of the normalised text's
 * tokens, row i repeated {@code word2ph[i]} times (the reference's {@code get_bert_feature}).
 * Implementations are safe to share between threads.
 */
public interface BertFeatures {

    /** Feature channels: 1024 (chinese-roberta-wwm-ext-large) or 768 (bert-base-japanese-v3). */
    int dim();

    /**
     * [dim, sum(word2ph)] row-major, as {@code Utterance.bert}/{@code jaBert} hold it.
     *
     * @param word2ph the model-level word2ph (after add_blank); one entry per token incl. [CLS]/[SEP]
     */
    float[] features(String normText, int[] word2ph);
}
