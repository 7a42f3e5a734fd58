package io.bv2j.bench;

import io.bv2j.text.bert.RandomBert;

import java.util.List;
import java.util.Random;

/**
 * BERT features of one sentence: chinese-roberta-wwm-ext-large's shape (24 layers, 1024 hidden,
 * 16 heads, 4096 intermediate) with random weights, hidden_states[-3] of `tokens` random ids.
 * Only the encoder is timed (tokenising is microseconds next to it).
 */
final class BertBench implements Workload, AutoCloseable {
    static final int HIDDEN = 1024, LAYERS = 24, HEADS = 16, INTERMEDIATE = 4096, MAX_POSITIONS = 512;
    private final RandomBert bert = RandomBert.of(HIDDEN, LAYERS, HEADS, INTERMEDIATE, MAX_POSITIONS, 0);
    private final int[] ids;

    BertBench(int tokens) {
        if (tokens > MAX_POSITIONS) {
            throw new io.bv2j.Bv2jException("--frames (tokens for part bert) must be at most " + MAX_POSITIONS + ", got " + tokens);
        }
        Random r = new Random(0);
        ids = new int[tokens];
        for (int i = 0; i < tokens; i++) ids[i] = r.nextInt(bert.vocabularySize());
    }

    @Override
    public Rep run() {
        long t0 = System.nanoTime();
        bert.hiddenStates(List.of(ids));
        long t1 = System.nanoTime();
        return new Rep((t1 - t0) / 1e9, 0);
    }

    /**
     * Multiply-adds times two of one call: per run layer and token the four hidden x hidden
     * projections and the two hidden x intermediate ones, plus the T x T scores and their
     * weighted sum over the values.
     */
    long flops() {
        long t = ids.length;
        long perLayer = 2 * t * (4L * HIDDEN * HIDDEN + 2L * HIDDEN * INTERMEDIATE) + 2 * 2 * t * t * HIDDEN;
        return perLayer * bert.layersRun();
    }

    @Override
    public void close() {
        bert.close();
    }
}
