package io.bv2j.conformance;

import io.bv2j.model.DurationDiscriminator;
import io.bv2j.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** modules/duration_discriminator: parameters from the file's param/*, compares prob_r and prob_hat. */
public final class DurationDiscriminatorCase implements ConformanceCase {
    private final ModuleCase delegate = new ModuleCase("duration_discriminator", "modules",
            DurationDiscriminatorCase::forward);

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
        ModuleMetadata meta = ModuleMetadata.of(g).requireClass("models.DurationDiscriminator");
        int gin = meta.args().containsKey("gin_channels") ? meta.i("gin_channels") : 0;
        DurationDiscriminator d = ModuleCase.withParams(new DurationDiscriminator(meta.i("in_channels"),
                meta.i("filter_channels"), meta.i("kernel_size"), meta.d("p_dropout"), gin), g);
        List<Tensor> probs = d.forward(g.tensor("in/x"), g.tensor("in/x_mask"), g.tensor("in/dur_r"),
                g.tensor("in/dur_hat"), g.has("in/g") ? g.tensor("in/g") : null);
        return Map.of("prob_r", probs.get(0), "prob_hat", probs.get(1));
    }
}
