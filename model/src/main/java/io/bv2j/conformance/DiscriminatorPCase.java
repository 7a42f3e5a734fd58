package io.bv2j.conformance;

import io.bv2j.model.DeterministicFill;
import io.bv2j.model.Discriminator;
import io.bv2j.model.DiscriminatorP;
import io.bv2j.nn.Module;
import io.bv2j.nn.StateDict;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * modules/discriminator_pN: one period discriminator, weights from the deterministic fill rule
 * under the file's `net_d.discriminators.K.` prefix; compares the score and every feature map.
 */
public final class DiscriminatorPCase implements ConformanceCase {
    private final ModuleCase delegate;

    public DiscriminatorPCase() {
        this("discriminator_p3");
    }

    /** name: the file under modules/ without .safetensors. */
    public DiscriminatorPCase(String name) {
        this.delegate = new ModuleCase(name, "modules", DiscriminatorPCase::forward);
    }

    @Override
    public String group() {
        return delegate.group();
    }

    @Override
    public String file() {
        return delegate.file();
    }

    @Override
    public List<Row> run(GoldenContext ctx, GoldenFile golden) {
        return delegate.run(ctx, golden);
    }

    private static Map<String, Tensor> forward(GoldenContext ctx, GoldenFile g) {
        ModuleMetadata meta = ModuleMetadata.of(g).requireClass("models.DiscriminatorP");
        DiscriminatorP d = filled(new DiscriminatorP(meta.i("period"), meta.i("kernel_size"), meta.i("stride"),
                meta.bool("use_spectral_norm")), meta.fillPrefix(g));
        return outputs(d.forward(g.tensor("in/y")));
    }

    /** Loads the fill rule's weights under prefix (strict) into the current scope. */
    static <M extends Module> M filled(M module, String prefix) {
        StateDict sd = DeterministicFill.of(module, prefix);
        module.load(sd, prefix, Scope.arena());
        sd.requireAllTaken();
        return module;
    }

    /** out/score and out/fmap0..N of a discriminator's call. */
    static Map<String, Tensor> outputs(Discriminator.Output o) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("score", o.score());
        for (int i = 0; i < o.fmaps().size(); i++) out.put("fmap" + i, o.fmaps().get(i));
        return out;
    }
}
