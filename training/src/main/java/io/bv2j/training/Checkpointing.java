package io.bv2j.training;

import io.bv2j.Bv2jException;
import io.bv2j.io.RawTensor;
import io.bv2j.io.TorchCheckpoint;
import io.bv2j.io.TorchCheckpointWriter;
import io.bv2j.nn.Module;
import io.bv2j.nn.StateDict;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * G/D/DUR checkpoints in the reference's format ({model, iteration, optimizer, learning_rate}),
 * written atomically; AdamW state indexed by torch's parameters() order, which is our
 * registration order (see ParameterOrderTest), so either side can resume the other's run.
 */
public final class Checkpointing {
    private Checkpointing() {
    }

    /** Writes module weights (weight_g/weight_v kept apart) and the optimizer's state. */
    public static void save(Path file, Module module, AdamW optimizer, double learningRate, long iteration) {
        LinkedHashMap<String, RawTensor> model = new LinkedHashMap<>();
        module.forEachParameter("", (name, t) -> model.put(name, RawTensor.ofFloats(longs(t.shape()), t.toArray())));
        TorchCheckpointWriter.OptimizerState opt = null;
        if (optimizer != null) {
            List<TorchCheckpointWriter.ParamState> states = new ArrayList<>();
            for (Map.Entry<String, io.bv2j.tensor.Tensor> e : optimizer.params().entrySet()) {
                AdamW.State s = optimizer.state().get(e.getKey());
                long[] shape = longs(e.getValue().shape());
                states.add(s == null ? null : new TorchCheckpointWriter.ParamState(s.step(),
                        RawTensor.ofFloats(shape, s.expAvg().toArray()), RawTensor.ofFloats(shape, s.expAvgSq().toArray())));
            }
            opt = new TorchCheckpointWriter.OptimizerState(states, optimizer.learningRate(), optimizer.beta1(),
                    optimizer.beta2(), optimizer.eps(), optimizer.weightDecay(), states.size());
        }
        TorchCheckpointWriter.write(file, model, iteration, learningRate, opt);
    }

    /** Loads a checkpoint's weights into `module` for training (strict) and returns its iteration. */
    public static long loadWeights(Path file, Module module, Arena arena) {
        try (TorchCheckpoint ck = TorchCheckpoint.read(file)) {
            StateDict sd = new StateDict(ck.modelStateDict(), file.getFileName().toString());
            module.loadForTraining(sd, "", arena);
            sd.requireAllTaken();
            return ck.iteration().orElse(0);
        }
    }

    /** One parameter's AdamW state as a checkpoint holds it. */
    public record SavedState(float[] expAvg, float[] expAvgSq, long step) {
    }

    /**
     * A checkpoint's AdamW state by parameter name: torch indexes it by parameters() order, which
     * is the order of `shapes` (the optimizer's parameters and their shapes). Parameters the
     * optimizer never stepped have no entry; null when the checkpoint has no optimizer state.
     */
    public static Map<String, SavedState> readOptimizer(Path file, Map<String, int[]> shapes) {
        try (TorchCheckpoint ck = TorchCheckpoint.read(file)) {
            if (!(ck.optimizer() instanceof Map<?, ?> opt) || !(opt.get("state") instanceof Map<?, ?> state)) return null;
            List<String> names = new ArrayList<>(shapes.keySet());
            Map<String, SavedState> saved = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : state.entrySet()) {
                int index = ((Number) e.getKey()).intValue();
                if (index < 0 || index >= names.size() || !(e.getValue() instanceof Map<?, ?> s)) {
                    throw new Bv2jException(file.getFileName() + ": optimizer state for parameter " + index
                            + " does not match the model's " + names.size() + " parameters");
                }
                String name = names.get(index);
                RawTensor m = (RawTensor) s.get("exp_avg"), v = (RawTensor) s.get("exp_avg_sq");
                long[] expected = longs(shapes.get(name));
                if (m == null || v == null || !Arrays.equals(m.shape(), expected) || !Arrays.equals(v.shape(), expected)) {
                    throw new Bv2jException(file.getFileName() + ": optimizer state of " + name + " has the wrong shape");
                }
                Object step = s.get("step");
                long steps = step instanceof RawTensor t ? (long) t.toFloats()[0] : ((Number) step).longValue();
                saved.put(name, new SavedState(m.toFloats(), v.toFloats(), steps));
            }
            return saved;
        }
    }

    /**
     * Restores AdamW moments and step counts from a checkpoint's optimizer (by parameter index);
     * returns false when the checkpoint has none (e.g. the reference's skip_optimizer saves).
     */
    public static boolean restoreOptimizer(Path file, AdamW optimizer) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        optimizer.params().forEach((name, p) -> shapes.put(name, p.shape()));
        Map<String, SavedState> saved = readOptimizer(file, shapes);
        if (saved == null) return false;
        saved.forEach((name, s) -> optimizer.restore(name, s.expAvg(), s.expAvgSq(), s.step()));
        return true;
    }

    private static long[] longs(int[] shape) {
        long[] r = new long[shape.length];
        for (int i = 0; i < r.length; i++) r[i] = shape[i];
        return r;
    }
}
