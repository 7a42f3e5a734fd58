package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.nn.Module;
import io.bv2j.nn.StateDict;
import io.bv2j.synth.RandomWeights;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * BertModel up to the state the reference takes as its feature, hidden_states[-3]: the
 * embeddings and the first L-2 layers. The last two layers cannot change that state, so they
 * are neither loaded nor run (two of 24 layers of chinese-roberta-wwm-ext-large: ~100 MB).
 *
 * <p>Weights live in the arena given to {@link #load}; a call allocates only in its own
 * {@link Scope}, so one loaded encoder serves any number of threads at once.
 */
final class BertEncoder extends Module {
    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers = new ArrayList<>();

    private BertEncoder(BertConfig config, Arena weights) {
        this.config = config;
        embeddings = child("embeddings", new BertEmbeddings(config));
        Tensor noRelativePositions = Tensor.allocate(weights, 1, 1, config.headDim());
        for (int i = 0; i < config.layersForFeature(); i++) {
            layers.add(child("encoder.layer." + i, new BertLayer(config, noRelativePositions)));
        }
    }

    /** The encoder of {@code config} with its tensors from {@code sd}, in {@code weights} (a shared arena for use across threads). */
    static BertEncoder load(BertConfig config, StateDict sd, Arena weights) {
        BertEncoder e = new BertEncoder(config, weights);
        e.load(sd, "", weights);
        for (int i = config.layersForFeature(); i < config.layers(); i++) {
            String prefix = "encoder.layer." + i + ".";
            if (sd.keys().stream().noneMatch(k -> k.startsWith(prefix))) {
                throw new Bv2jException(sd.source() + ": no tensors for layer " + i + " (config.json says "
                        + config.layers() + " layers)");
            }
            sd.skip(prefix);
        }
        sd.requireAllTaken();
        return e;
    }

    /** The encoder of {@code config} with seeded random weights (RandomWeights' torch-style init), for benchmarks. */
    static BertEncoder random(BertConfig config, long seed, Arena weights) {
        BertEncoder e = new BertEncoder(config, weights);
        e.load(RandomWeights.of(e, seed), "", weights);
        return e;
    }

    BertConfig config() {
        return config;
    }

    /**
     * hidden_states[-3] of each token sequence, run as one padded batch: sequence i's result is
     * [hidden, tokens_i] row-major (channel-first, the project's layout).
     */
    List<float[]> hiddenStates(List<int[]> sequences) {
        if (sequences.isEmpty()) return List.of();
        int longest = 0;
        for (int[] s : sequences) {
            if (s.length == 0) throw new Bv2jException("BERT input has no tokens");
            if (s.length > embeddings.maxPositions()) {
                throw new Bv2jException("BERT input has " + s.length + " tokens; this model takes at most "
                        + embeddings.maxPositions());
            }
            longest = Math.max(longest, s.length);
        }
        int b = sequences.size(), hidden = config.hidden();
        int[][] ids = new int[b][longest]; // padding id 0: masked out of attention, its columns dropped
        float[] mask = new float[b * longest];
        for (int i = 0; i < b; i++) {
            int[] s = sequences.get(i);
            System.arraycopy(s, 0, ids[i], 0, s.length);
            for (int j = 0; j < s.length; j++) mask[i * longest + j] = 1f;
        }
        try (Scope ignored = Scope.open()) {
            Tensor keyMask = Tensor.of(mask, b, 1, longest);
            Tensor x = embeddings.forward(ids); // [B, hidden, T]
            for (BertLayer layer : layers) {
                Tensor in = x;
                x = Scope.keepResultOnly(() -> layer.forward(in, keyMask), in); // one layer's activations alive at a time
            }
            float[] all = x.toArray();
            List<float[]> out = new ArrayList<>(b);
            for (int i = 0; i < b; i++) {
                int t = sequences.get(i).length;
                float[] one = new float[hidden * t];
                for (int c = 0; c < hidden; c++) {
                    System.arraycopy(all, (i * hidden + c) * longest, one, c * t, t);
                }
                out.add(one);
            }
            return out;
        }
    }
}
