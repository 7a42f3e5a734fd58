package io.bv2j.conformance;

import io.bv2j.nn.Module;
import io.bv2j.nn.StateDict;
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

    /** Loads the file's param/* into the module (strict: every key used, every shape right). */
    public static <M extends Module> M withParams(M module, GoldenFile golden) {
        StateDict sd = golden.params();
        module.load(sd, "", Scope.arena());
        sd.requireAllTaken();
        return module;
    }
}
