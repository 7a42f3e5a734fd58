package io.bv2j.model;

import io.bv2j.Bv2jException;
import io.bv2j.nn.LayerNorm;
import io.bv2j.nn.Linear;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * attentions.Encoder: n layers of (relative attention, LayerNorm, FFN, LayerNorm), with the
 * speaker vector added through spk_emb_linear before layer 2 when gin_channels > 0.
 */
public final class Encoder extends Module {
    private static final int COND_LAYER = 2;
    private final List<MultiHeadAttention> attnLayers = new ArrayList<>();
    private final List<LayerNorm> norms1 = new ArrayList<>(), norms2 = new ArrayList<>();
    private final List<FFN> ffnLayers = new ArrayList<>();
    private final Linear spkEmbLinear;
    private final double pDropout;

    public Encoder(int hidden, int filter, int heads, int layers, int kernel, double pDropout, int ginChannels) {
        this.pDropout = pDropout;
        if (ginChannels > 0 && layers <= COND_LAYER) {
            throw new Bv2jException("an encoder with speaker conditioning needs more than " + COND_LAYER
                    + " layers, got " + layers);
        }
        // Registration order follows the reference's __init__ (spk_emb_linear first), so parameter
        // order, and with it optimizer state indices, match torch's.
        spkEmbLinear = ginChannels > 0 ? child("spk_emb_linear", new Linear(ginChannels, hidden)) : null;
        for (int i = 0; i < layers; i++) {
            attnLayers.add(child("attn_layers." + i, new MultiHeadAttention(hidden, hidden, heads, pDropout)));
        }
        for (int i = 0; i < layers; i++) norms1.add(child("norm_layers_1." + i, new LayerNorm(hidden)));
        for (int i = 0; i < layers; i++) ffnLayers.add(child("ffn_layers." + i, new FFN(hidden, hidden, filter, kernel, pDropout)));
        for (int i = 0; i < layers; i++) norms2.add(child("norm_layers_2." + i, new LayerNorm(hidden)));
    }

    /** x[B, H, T], mask [B, 1, T], g [B, gin, 1] or null. */
    public Tensor forward(Tensor x, Tensor mask, Tensor g) {
        x = Ops.mul(x, mask);
        for (int i = 0; i < attnLayers.size(); i++) {
            Tensor in = x;
            int layer = i;
            // Inference: one layer's activations at a time; the layer's input (made here) is freed with them.
            x = Scope.keepResultOnly(() -> layer(layer, in, mask, g), in);
        }
        return Ops.mul(x, mask);
    }

    private Tensor layer(int i, Tensor x, Tensor mask, Tensor g) {
        if (i == COND_LAYER && g != null && spkEmbLinear != null) {
            x = Ops.mul(Ops.add(x, spkEmbLinear.forwardChannels(g)), mask);
        }
        Tensor in = x;
        Tensor y = Scope.keepResultOnly(() -> Dropout.apply(attnLayers.get(i).forward(in, mask), pDropout));
        x = norms1.get(i).forward(Ops.add(x, y));
        y = Dropout.apply(ffnLayers.get(i).forward(x, mask), pDropout);
        return norms2.get(i).forward(Ops.add(x, y));
    }
}
