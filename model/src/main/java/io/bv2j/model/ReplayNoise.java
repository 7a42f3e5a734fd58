package io.bv2j.model;

import io.bv2j.Bv2jException;
import io.bv2j.io.RawTensor;
import io.bv2j.io.SafeTensors;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Replays recorded draws in order; a draw of another shape, or one too many, is an error. */
public final class ReplayNoise implements Noise {
    /** One recorded draw: its shape and values. */
    public record Draw(String name, int[] shape, float[] values) {
    }

    private final List<Draw> draws;
    private int next;

    public ReplayNoise(List<Draw> draws) {
        this.draws = List.copyOf(draws);
    }

    /** The `noise/NN_site` tensors of a golden-style file, in NN order. */
    public static ReplayNoise from(SafeTensors file) {
        List<String> names = new ArrayList<>();
        for (String k : file.tensors().keySet()) if (k.startsWith("noise/")) names.add(k);
        names.sort(null);
        List<Draw> draws = new ArrayList<>();
        for (String n : names) {
            RawTensor r = file.get(n);
            long[] s = r.shape();
            int[] shape = new int[s.length];
            for (int i = 0; i < s.length; i++) shape[i] = Math.toIntExact(s[i]);
            draws.add(new Draw(n.substring("noise/".length()), shape, r.toFloats()));
        }
        return new ReplayNoise(draws);
    }

    @Override
    public Tensor normal(String site, int... shape) {
        return take(site, shape);
    }

    @Override
    public Tensor uniform(String site, int... shape) {
        return take(site, shape);
    }

    private Tensor take(String site, int[] shape) {
        if (next >= draws.size()) {
            throw new Bv2jException("noise replay: " + site + " asks for draw " + next + " " + Arrays.toString(shape)
                    + " but only " + draws.size() + " were recorded");
        }
        Draw d = draws.get(next++);
        if (!Arrays.equals(d.shape(), shape)) {
            throw new Bv2jException("noise replay: draw " + (next - 1) + " (" + d.name() + ") has shape "
                    + Arrays.toString(d.shape()) + " but " + site + " needs " + Arrays.toString(shape));
        }
        return Tensor.of(d.values(), shape);
    }

    /** Draws not consumed (a replay that leaves some unused did not reproduce the recording). */
    public int remaining() {
        return draws.size() - next;
    }
}
