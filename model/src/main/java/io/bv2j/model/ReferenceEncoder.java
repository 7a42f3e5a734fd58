package io.bv2j.model;

import io.bv2j.nn.Conv2d;
import io.bv2j.nn.GRU;
import io.bv2j.nn.Linear;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * models.ReferenceEncoder: the speaker vector of a model trained without speaker ids
 * (n_speakers == 0), from a reference spectrogram: 6 strided conv2d + relu, a GRU, a projection.
 */
public final class ReferenceEncoder extends Module {
    private static final int[] FILTERS = {1, 32, 32, 64, 64, 128, 128};
    private static final int GRU_HIDDEN = 128;
    private final List<Conv2d> convs = new ArrayList<>();
    private final GRU gru;
    private final Linear proj;
    private final int specChannels;

    public ReferenceEncoder(int specChannels, int ginChannels) {
        this.specChannels = specChannels;
        for (int i = 0; i < FILTERS.length - 1; i++) {
            convs.add(child("convs." + i, new Conv2d(FILTERS[i], FILTERS[i + 1], 3, 3, 2, 2, 1, 1, true)));
        }
        int freq = specChannels;
        for (int i = 0; i < FILTERS.length - 1; i++) freq = (freq - 3 + 2) / 2 + 1;
        gru = child("gru", new GRU(FILTERS[FILTERS.length - 1] * freq, GRU_HIDDEN));
        proj = child("proj", new Linear(GRU_HIDDEN, ginChannels));
    }

    /** spec [N, Ty, spec_channels] -> g [N, gin]. */
    public Tensor forward(Tensor spec) {
        int n = spec.dim(0);
        Tensor x = spec.reshape(n, 1, -1, specChannels);
        for (Conv2d c : convs) x = Ops.relu(c.forward(x));
        int ty = x.dim(2);
        x = Ops.transpose(x, 1, 2).reshape(n, ty, -1); // [N, Ty', 128 * F']
        return proj.forward(gru.lastHidden(x));
    }
}
