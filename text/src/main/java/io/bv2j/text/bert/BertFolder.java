package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.text.BertFeatures;
import io.bv2j.text.SubwordSplitter;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Hugging Face BERT folder as the reference's bert/ holds it: config.json, model.safetensors
 * or pytorch_model.bin, vocab.txt (or tokenizer.json) and optionally tokenizer_config.json.
 * The weights live in a shared arena owned by this object until {@link #close()}; everything
 * else is immutable, so one loaded folder serves any number of threads.
 */
public final class BertFolder implements AutoCloseable {
    private final BertEncoder encoder;
    private final BertTokenizer tokenizer;
    private final Arena weights;

    private BertFolder(BertEncoder encoder, BertTokenizer tokenizer, Arena weights) {
        this.encoder = encoder;
        this.tokenizer = tokenizer;
        this.weights = weights;
    }

    /** Loads {@code dir}; a missing or corrupt folder is a one-line {@link Bv2jException}. */
    public static BertFolder load(Path dir) {
        if (!Files.isDirectory(dir)) throw new Bv2jException(dir + ": not a BERT folder (no such directory)");
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new Bv2jException(dir + ": not a BERT folder (no config.json)");
        BertConfig config = BertConfig.read(configFile);
        BertTokenizer tokenizer = BertTokenizer.load(dir);
        if (tokenizer.vocabularySpan() > config.vocabSize()) {
            throw new Bv2jException(dir + ": the vocabulary has ids up to " + (tokenizer.vocabularySpan() - 1)
                    + " but config.json's vocab_size is " + config.vocabSize());
        }
        Path weightsFile = BertWeights.find(dir);
        Arena arena = Arena.ofShared();
        try {
            return new BertFolder(BertEncoder.load(config, BertWeights.read(weightsFile), arena), tokenizer, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** hidden_states[-3] expanded by word2ph, the text split by BERT's basic tokenizer. */
    public BertFeatures features() {
        return new WordFeatures(encoder, tokenizer);
    }

    /** {@link #features()} with the words of the text from {@code segmenter} (MeCab for bert-base-japanese-v3). */
    public BertFeatures features(WordSegmenter segmenter) {
        return new WordFeatures(encoder, tokenizer.withWords(segmenter));
    }

    /** The folder's tokenizer splitting one word into WordPiece tokens. */
    public SubwordSplitter splitter() {
        return tokenizer;
    }

    /** The folder's tokenizer. */
    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * hidden_states[-3] of several token-id sequences ([CLS] ... [SEP]) run as one padded batch:
     * each result is [hidden, tokens] row-major.
     */
    public List<float[]> hiddenStates(List<int[]> ids) {
        return encoder.hiddenStates(ids);
    }

    /** Frees the weights; features made from this folder must not be used afterwards. */
    @Override
    public void close() {
        weights.close();
    }
}
