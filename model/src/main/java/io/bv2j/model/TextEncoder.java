package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Embedding;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** models.TextEncoder: symbol, tone and language embeddings plus projected BERT features, then the Encoder. */
public final class TextEncoder extends Module {
    public static final int BERT_DIM = 1024, JA_BERT_DIM = 768;
    private final Embedding emb, toneEmb, languageEmb;
    private final Conv1d bertProj, jaBertProj, proj;
    private final Encoder encoder;
    private final int hidden, outChannels;

    public TextEncoder(int nVocab, int nTones, int nLanguages, int outChannels, int hidden, int filter, int heads,
                       int layers, int kernel, double pDropout, int ginChannels) {
        this.hidden = hidden;
        this.outChannels = outChannels;
        emb = child("emb", new Embedding(nVocab, hidden, "symbol"));
        toneEmb = child("tone_emb", new Embedding(nTones, hidden, "tone"));
        languageEmb = child("language_emb", new Embedding(nLanguages, hidden, "language"));
        bertProj = child("bert_proj", Conv1d.of(BERT_DIM, hidden, 1).build());
        jaBertProj = child("ja_bert_proj", Conv1d.of(JA_BERT_DIM, hidden, 1).build());
        encoder = child("encoder", new Encoder(hidden, filter, heads, layers, kernel, pDropout, ginChannels));
        proj = child("proj", Conv1d.of(hidden, outChannels * 2, 1).build());
    }

    public Encoder encoder() {
        return encoder;
    }

    /** Encoder output x, prior mean m and log-std logs [B, out, T]. */
    public record Output(Tensor x, Tensor m, Tensor logs) {
    }

    /**
     * phones/tones/languages [B][T] (padded), bert [B, 1024, T], jaBert [B, 768, T],
     * xMask [B, 1, T], g [B, gin, 1] or null.
     */
    public Output forward(int[][] phones, int[][] tones, int[][] languages, Tensor bert, Tensor jaBert, Tensor xMask,
                          Tensor g) {
        Tensor x = Ops.add(emb.forward(phones), toneEmb.forward(tones));
        x = Ops.add(x, languageEmb.forward(languages));
        x = Ops.add(x, bertProj.forward(bert));
        x = Ops.add(x, jaBertProj.forward(jaBert));
        x = Ops.scale(x, (float) Math.sqrt(hidden));
        x = encoder.forward(Ops.mul(x, xMask), xMask, g);
        Tensor stats = Ops.mul(proj.forward(x), xMask);
        return new Output(x, Ops.narrow(stats, 1, 0, outChannels), Ops.narrow(stats, 1, outChannels, outChannels));
    }
}
