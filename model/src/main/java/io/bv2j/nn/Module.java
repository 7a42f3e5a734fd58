package io.bv2j.nn;

import io.bv2j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A node of the network: parameters and children registered under the reference's names, so
 * that loading walks the tree and state-dict keys map 1:1 onto modules
 * (enc_p.encoder.attn_layers.0.conv_q.weight).
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    protected final Parameter parameter(String name, int... shape) {
        Parameter p = new Parameter(shape);
        parameters.put(name, p);
        return p;
    }

    protected final WeightNormParameter weightNormParameter(String name, int... shape) {
        WeightNormParameter p = new WeightNormParameter(shape);
        parameters.put(name, p);
        return p;
    }

    protected final <M extends Module> M child(String name, M module) {
        children.put(name, module);
        return module;
    }

    /** Loads every parameter of this subtree from keys prefixed by `prefix` into `arena`, for inference. */
    public final void load(StateDict sd, String prefix, Arena arena) {
        load(sd, prefix, arena, false);
    }

    /**
     * Loads for training: every parameter becomes a leaf that requires a gradient (weight-norm
     * layers keep g and v as the parameters), gradients accumulating in `arena`.
     */
    public final void loadForTraining(StateDict sd, String prefix, Arena arena) {
        load(sd, prefix, arena, true);
    }

    private void load(StateDict sd, String prefix, Arena arena, boolean training) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            e.getValue().load(sd, prefix + e.getKey(), arena, training);
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().load(sd, prefix + e.getKey() + ".", arena, training);
        }
    }

    /**
     * Visits every stored tensor of this subtree by its state-dict name, in registration order
     * (for a module loaded for training: the leaves an optimizer updates, weight_g/weight_v apart).
     */
    public final void forEachParameter(String prefix, BiConsumer<String, Tensor> visitor) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            e.getValue().visitLeaves(prefix + e.getKey(), visitor);
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().forEachParameter(prefix + e.getKey() + ".", visitor);
        }
    }

    /** What {@link #frozen()} returns: closing it lets the parameters' gradients back in. */
    public interface Frozen extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds every parameter of this subtree constant until closed: ops on them record no
     * gradient, so a backward through the module computes input gradients only (a generator's
     * step through its discriminators, whose own gradients the reference computes and discards).
     */
    public final Frozen frozen() {
        List<Tensor> leaves = new ArrayList<>();
        forEachParameter("", (name, t) -> {
            if (t.requiresGrad()) leaves.add(t);
        });
        leaves.forEach(t -> t.setRequiresGrad(false));
        return () -> leaves.forEach(t -> t.setRequiresGrad(true));
    }

    /** Whether {@code readable} holds for every parameter's memory (e.g. readable by worker threads). */
    public final boolean parametersReadableBy(java.util.function.Predicate<java.lang.foreign.MemorySegment> readable) {
        boolean[] all = {true};
        forEachParameter("", (name, t) -> all[0] &= readable.test(t.segment()));
        return all[0];
    }

    /**
     * Visits every (full state-dict name, declared shape) of this subtree, before loading; a
     * weight-normalised slot reports its stored `_g` [out, 1, ...] and `_v` (full shape) entries.
     */
    public final void forEachParameterShape(String prefix, BiConsumer<String, int[]> visitor) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            int[] shape = e.getValue().shape();
            if (e.getValue() instanceof WeightNormParameter) {
                int[] g = new int[shape.length];
                java.util.Arrays.fill(g, 1);
                g[0] = shape[0];
                visitor.accept(prefix + e.getKey() + "_g", g);
                visitor.accept(prefix + e.getKey() + "_v", shape);
            } else {
                visitor.accept(prefix + e.getKey(), shape);
            }
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().forEachParameterShape(prefix + e.getKey() + ".", visitor);
        }
    }
}
