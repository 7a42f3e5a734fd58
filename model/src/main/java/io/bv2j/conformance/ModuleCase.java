package io.bv2j.conformance;

import io.bv2j.nn.Module;
import io.bv2j.nn.StateDict;
import io.bv2j.tensor.Grad;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A module file (modules/NAME.safetensors): build the module from the file's description, load
 * its param/* entries, run the call the metadata names and compare every out/* tensor.
 */
public final class ModuleCase implements ConformanceCase {
    /** Computes the module's outputs by their out/* names. */
    public interface Forward {
        Map<String, Tensor> run(GoldenContext ctx, GoldenFile golden);
    }

    private final String name;
    private final String group;
    private final Forward forward;

    public ModuleCase(String name, String group, Forward forward) {
        this.name = name;
        this.group = group;
        this.forward = forward;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public String file() {
        return "modules/" + name + ".safetensors";
    }

    @Override
    public List<Row> run(GoldenContext ctx, GoldenFile golden) {
        List<Row> rows = forwardRows(ctx, golden);
        if (!golden.names("r/").isEmpty() && (!golden.names("grad_in/").isEmpty() || !golden.names("grad/").isEmpty())) {
            rows.addAll(gradientRows(ctx, golden));
        }
        return rows;
    }

    private List<Row> forwardRows(GoldenContext ctx, GoldenFile golden) {
        Map<String, Tensor> ours = forward.run(ctx, golden);
        List<Row> rows = new ArrayList<>();
        for (String out : golden.names("out/")) {
            Tensor t = ours.get(out);
            if (t == null) {
                rows.add(Row.failure(file(), "out/" + out, "not computed"));
                continue;
            }
            var ref = golden.raw("out/" + out);
            rows.add(Compare.floats(file(), "out/" + out, t, ref.toFloats(), ref.shape(), Tolerances.MODULE_FORWARD));
        }
        return rows;
    }

    /**
     * The backward half: loss = sum over outputs of sum(out * r), back-propagated; compares
     * grad_in/* with the inputs' gradients and grad/* (or the [norm, sum] pairs of metadata
     * grad_norm_sum) with the parameters' gradients.
     */
    private List<Row> gradientRows(GoldenContext ctx, GoldenFile golden) {
        golden.enterGradientMode();
        Map<String, Tensor> ours;
        Tensor loss = null;
        try (Grad ignored = Grad.enable()) {
            ours = forward.run(ctx, golden);
            for (String r : golden.names("r/")) {
                Tensor out = ours.get(r);
                if (out == null) return List.of(Row.failure(file(), "r/" + r, "output not computed"));
                Tensor term = Ops.sumAll(Ops.mul(out, golden.tensor("r/" + r)));
                loss = loss == null ? term : Ops.add(loss, term);
            }
        }
        Grad.backward(loss);
        Object normSum = golden.metaJson("grad_norm_sum");
        double scale = largestGradient(golden, normSum);
        List<Row> rows = new ArrayList<>();
        for (String in : golden.names("grad_in/")) {
            Tensor leaf = golden.gradInputs().get(in);
            var ref = golden.raw("grad_in/" + in);
            if (leaf == null) {
                rows.add(Row.failure(file(), "grad_in/" + in, "input not used"));
                continue;
            }
            float[] grad = leaf.grad() == null ? new float[(int) ref.numel()] : leaf.grad().toArray();
            rows.add(Compare.gradient(file(), "grad_in/" + in, grad, ref.toFloats(), scale, Tolerances.GRADIENT));
        }
        Module module = golden.trainableModule();
        if (module != null) {
            module.forEachParameter("", (name, leaf) -> rows.add(parameterRow(golden, name, leaf, normSum, scale)));
        }
        return rows;
    }

    /** The largest reference gradient norm of the file (inputs, full tensors and [norm, sum] pairs). */
    private static double largestGradient(GoldenFile golden, Object normSum) {
        double scale = 0;
        for (String prefix : List.of("grad_in/", "grad/")) {
            for (String n : golden.names(prefix)) scale = Math.max(scale, Compare.norm(golden.raw(prefix + n).toFloats()));
        }
        if (normSum instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                if (v instanceof List<?> pair) scale = Math.max(scale, ((Number) pair.get(0)).doubleValue());
            }
        }
        return scale;
    }

    private Row parameterRow(GoldenFile golden, String name, Tensor leaf, Object normSum, double scale) {
        String key = "grad/" + name;
        float[] ours = leaf.grad() == null ? new float[(int) leaf.numel()] : leaf.grad().toArray();
        if (golden.has(key)) {
            return Compare.gradient(file(), key, ours, golden.raw(key).toFloats(), scale, Tolerances.GRADIENT);
        }
        if (normSum instanceof Map<?, ?> m && m.get(key) instanceof List<?> pair) {
            return Compare.normAndSum(file(), key + " [norm,sum]", ours, ((Number) pair.get(0)).doubleValue(),
                    ((Number) pair.get(1)).doubleValue(), scale, Tolerances.GRADIENT);
        }
        // No entry at all: the reference's gradient is None (the parameter is off the path).
        return Compare.absentGradient(file(), key, leaf.grad() == null ? null : leaf.grad().toArray());
    }

    /**
     * Loads the file's param/* into the module (strict: every key used, every shape right);
     * in gradient mode the parameters become leaves that require gradients.
     */
    public static <M extends Module> M withParams(M module, GoldenFile golden) {
        StateDict sd = golden.params();
        if (golden.gradientMode()) {
            module.loadForTraining(sd, "", Scope.arena());
            golden.setTrainableModule(module);
        } else {
            module.load(sd, "", Scope.arena());
        }
        sd.requireAllTaken();
        return module;
    }
}
