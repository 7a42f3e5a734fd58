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
        List<Row> rows = new ArrayList<>();
        for (String in : golden.names("grad_in/")) {
            Tensor leaf = golden.gradInputs().get(in);
            var ref = golden.raw("grad_in/" + in);
            if (leaf == null || leaf.grad() == null) {
                rows.add(leaf == null ? Row.failure(file(), "grad_in/" + in, "input not used")
                        : Compare.floats(file(), "grad_in/" + in, new float[(int) ref.numel()], ref.toFloats(),
                        Tolerances.GRADIENT, false));
                continue;
            }
            rows.add(Compare.floats(file(), "grad_in/" + in, leaf.grad(), ref.toFloats(), ref.shape(), Tolerances.GRADIENT));
        }
        Object normSum = golden.metaJson("grad_norm_sum");
        Module module = golden.trainableModule();
        if (module != null) {
            module.forEachParameter("", (name, leaf) -> rows.add(parameterRow(golden, name, leaf, normSum)));
        }
        return rows;
    }

    private Row parameterRow(GoldenFile golden, String name, Tensor leaf, Object normSum) {
        String key = "grad/" + name;
        float[] ours = leaf.grad() == null ? new float[(int) leaf.numel()] : leaf.grad().toArray();
        if (golden.has(key)) {
            var ref = golden.raw(key);
            return Compare.floats(file(), key, ours, ref.toFloats(), Tolerances.GRADIENT, false);
        }
        if (normSum instanceof Map<?, ?> m && m.get(key) instanceof List<?> pair) {
            return Compare.normAndSum(file(), key + " [norm,sum]", ours, ((Number) pair.get(0)).doubleValue(),
                    ((Number) pair.get(1)).doubleValue(), Tolerances.GRADIENT);
        }
        return Row.failure(file(), key, "the golden file has no gradient for this parameter");
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
