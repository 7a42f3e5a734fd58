package io.bv2j.conformance;

import io.bv2j.model.DeterministicFill;
import io.bv2j.model.Discriminator;
import io.bv2j.model.DiscriminatorP;
import io.bv2j.model.DiscriminatorS;
import io.bv2j.model.DurationDiscriminator;
import io.bv2j.nn.Module;
import io.bv2j.nn.StateDict;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discriminator module files: a period and the scale discriminator with weights from the
 * README's deterministic fill rule (under the file's net_d.discriminators.K. prefix), and the
 * duration discriminator with the file's param/*. Score and every feature map are compared, and
 * in the gradient half the input and every parameter gradient.
 */
public final class DiscriminatorCases {
    private DiscriminatorCases() {
    }

    public static List<ConformanceCase> all() {
        return List.of(new ModuleCase("discriminator_p3", "modules", DiscriminatorCases::period),
                new ModuleCase("discriminator_s", "modules", DiscriminatorCases::scale),
                new ModuleCase("duration_discriminator", "modules", DiscriminatorCases::duration));
    }

    private static Map<String, Tensor> period(GoldenContext ctx, GoldenFile g) {
        ModuleMetadata meta = ModuleMetadata.of(g).requireClass("models.DiscriminatorP");
        DiscriminatorP d = filled(new DiscriminatorP(meta.i("period"), meta.i("kernel_size"), meta.i("stride"),
                meta.bool("use_spectral_norm")), meta.fillPrefix(g), g);
        return outputs(d.forward(g.tensor("in/y")));
    }

    private static Map<String, Tensor> scale(GoldenContext ctx, GoldenFile g) {
        ModuleMetadata meta = ModuleMetadata.of(g).requireClass("models.DiscriminatorS");
        DiscriminatorS d = filled(new DiscriminatorS(meta.bool("use_spectral_norm")), meta.fillPrefix(g), g);
        return outputs(d.forward(g.tensor("in/y")));
    }

    private static Map<String, Tensor> duration(GoldenContext ctx, GoldenFile g) {
        ModuleMetadata meta = ModuleMetadata.of(g).requireClass("models.DurationDiscriminator");
        int gin = meta.args().containsKey("gin_channels") ? meta.i("gin_channels") : 0;
        DurationDiscriminator d = ModuleCase.withParams(new DurationDiscriminator(meta.i("in_channels"),
                meta.i("filter_channels"), meta.i("kernel_size"), meta.d("p_dropout"), gin), g);
        List<Tensor> probs = d.forward(g.tensor("in/x"), g.tensor("in/x_mask"), g.tensor("in/dur_r"),
                g.tensor("in/dur_hat"), g.has("in/g") ? g.tensor("in/g") : null);
        return Map.of("prob_r", probs.get(0), "prob_hat", probs.get(1));
    }

    /** Loads the fill rule's weights under prefix (strict); trainable in the gradient half. */
    private static <M extends Module> M filled(M module, String prefix, GoldenFile g) {
        StateDict sd = DeterministicFill.of(module, prefix);
        if (g.gradientMode()) {
            module.loadForTraining(sd, prefix, Scope.arena());
            g.setTrainableModule(module);
        } else {
            module.load(sd, prefix, Scope.arena());
        }
        sd.requireAllTaken();
        return module;
    }

    /** out/score and out/fmap0..N of a discriminator's call. */
    private static Map<String, Tensor> outputs(Discriminator.Output o) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("score", o.score());
        for (int i = 0; i < o.fmaps().size(); i++) out.put("fmap" + i, o.fmaps().get(i));
        return out;
    }
}
