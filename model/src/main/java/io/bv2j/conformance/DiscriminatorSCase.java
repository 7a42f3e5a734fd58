package io.bv2j.conformance;

import io.bv2j.model.DiscriminatorS;
import io.bv2j.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * modules/discriminator_s: the scale discriminator, weights from the deterministic fill rule
 * under the file's `net_d.discriminators.0.` prefix; compares the score and every feature map.
 */
public final class DiscriminatorSCase implements ConformanceCase {
    private final ModuleCase delegate = new ModuleCase("discriminator_s", "modules", DiscriminatorSCase::forward);

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
        ModuleMetadata meta = ModuleMetadata.of(g).requireClass("models.DiscriminatorS");
        DiscriminatorS d = DiscriminatorPCase.filled(new DiscriminatorS(meta.bool("use_spectral_norm")),
                meta.fillPrefix(g));
        return DiscriminatorPCase.outputs(d.forward(g.tensor("in/y")));
    }
}
