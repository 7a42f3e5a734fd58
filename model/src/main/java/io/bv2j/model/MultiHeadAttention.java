package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Module;
import io.bv2j.nn.Parameter;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.OptionalLong;

/**
 * attentions.MultiHeadAttention with windowed relative positions shared by the heads
 * (heads_share=True, window 4, no proximal bias, no block length). While {@link Dropout} is on,
 * the attention probabilities are dropped with p_dropout (the reference's self.drop(p_attn)).
 */
public final class MultiHeadAttention extends Module {
    public static final int WINDOW = 4;
    private final Conv1d convQ, convK, convV, convO;
    private final Parameter embRelK, embRelV;
    private final int heads;
    private final double pDropout;

    public MultiHeadAttention(int channels, int outChannels, int heads, double pDropout) {
        if (channels % heads != 0) throw new IllegalArgumentException("channels " + channels + " not divisible by heads " + heads);
        if (!(pDropout >= 0 && pDropout < 1)) throw new IllegalArgumentException("p_dropout " + pDropout + " not in [0, 1)");
        this.heads = heads;
        this.pDropout = pDropout;
        int d = channels / heads;
        convQ = child("conv_q", Conv1d.of(channels, channels, 1).build());
        convK = child("conv_k", Conv1d.of(channels, channels, 1).build());
        convV = child("conv_v", Conv1d.of(channels, channels, 1).build());
        convO = child("conv_o", Conv1d.of(channels, outChannels, 1).build());
        embRelK = parameter("emb_rel_k", 1, 2 * WINDOW + 1, d);
        embRelV = parameter("emb_rel_v", 1, 2 * WINDOW + 1, d);
    }

    /** Self attention of x[B, C, T]; positions i, j attend when xMask[i]*xMask[j] != 0. */
    public Tensor forward(Tensor x, Tensor xMask) {
        return attend(x, xMask, null);
    }

    /** Self attention with an explicit attn_mask [B, 1, T, T]. */
    public Tensor forwardWithMask(Tensor x, Tensor attnMask) {
        return attend(x, null, attnMask);
    }

    private Tensor attend(Tensor x, Tensor xMask, Tensor attnMask) {
        Tensor q = convQ.forward(x), k = convK.forward(x), v = convV.forward(x);
        // Draw a seed only when something will be dropped, so p_dropout = 0 costs no draws.
        OptionalLong seed = pDropout > 0 ? Dropout.seed() : OptionalLong.empty();
        float p = seed.isPresent() ? (float) pDropout : 0f;
        Tensor o = Ops.relAttention(q, k, v, embRelK.value(), embRelV.value(), xMask, attnMask, heads, WINDOW, p,
                seed.orElse(0L));
        return convO.forward(o);
    }
}
