package io.bv2j.text.bert;

import io.bv2j.nn.Linear;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/**
 * One post-norm BERT encoder layer on [B, hidden, T] (the project's channel-first layout; HF's
 * [B, T, hidden] transposed): x = LN(x + O(attention(Qx, Kx, Vx))), then x = LN(x + W2 gelu(W1 x)).
 * Child names are Hugging Face's, so the state dict's keys load as they are.
 */
final class BertLayer extends Module {
    private final Linear query, key, value, attentionOut, intermediate, output;
    private final BertLayerNorm attentionNorm, outputNorm;
    /**
     * Zero relative-position embeddings [1, 1, headDim]: the project's attention kernel adds
     * windowed relative terms (VITS); with window 0 and zeros it is plain scaled dot-product
     * attention, q·k / sqrt(headDim), softmax over the unmasked keys.
     */
    private final Tensor noRelativePositions;
    private final int heads;

    BertLayer(BertConfig c, Tensor noRelativePositions) {
        int h = c.hidden();
        query = child("attention.self.query", new Linear(h, h));
        key = child("attention.self.key", new Linear(h, h));
        value = child("attention.self.value", new Linear(h, h));
        attentionOut = child("attention.output.dense", new Linear(h, h));
        attentionNorm = child("attention.output.LayerNorm", new BertLayerNorm(h, c.layerNormEps()));
        intermediate = child("intermediate.dense", new Linear(h, c.intermediate()));
        output = child("output.dense", new Linear(c.intermediate(), h));
        outputNorm = child("output.LayerNorm", new BertLayerNorm(h, c.layerNormEps()));
        this.noRelativePositions = noRelativePositions;
        this.heads = c.heads();
    }

    /**
     * x [B, hidden, T], mask [B, 1, T] (1 for tokens, 0 for padding) -> [B, hidden, T]. Padded
     * keys get no attention; padded query columns come out as garbage the caller drops.
     */
    Tensor forward(Tensor x, Tensor mask) {
        Tensor q = query.forwardChannels(x), k = key.forwardChannels(x), v = value.forwardChannels(x);
        Tensor context = Ops.relAttention(q, k, v, noRelativePositions, noRelativePositions, mask, null, heads, 0);
        Tensor attended = attentionNorm.forward(Ops.add(x, attentionOut.forwardChannels(context)));
        Tensor ffn = output.forwardChannels(Ops.gelu(intermediate.forwardChannels(attended)));
        return outputNorm.forward(Ops.add(attended, ffn));
    }
}
