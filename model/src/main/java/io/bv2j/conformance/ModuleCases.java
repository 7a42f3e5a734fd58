package io.bv2j.conformance;

import io.bv2j.Bv2jException;
import io.bv2j.model.ConvFlow;
import io.bv2j.model.CouplingBlock;
import io.bv2j.model.DDSConv;
import io.bv2j.model.DurationPredictor;
import io.bv2j.model.Encoder;
import io.bv2j.model.Flow;
import io.bv2j.model.Generator;
import io.bv2j.model.Hparams;
import io.bv2j.model.MultiHeadAttention;
import io.bv2j.model.PosteriorEncoder;
import io.bv2j.model.ReferenceEncoder;
import io.bv2j.model.ResBlock1;
import io.bv2j.model.ResBlock2;
import io.bv2j.model.ResidualCouplingLayer;
import io.bv2j.model.StochasticDurationPredictor;
import io.bv2j.model.WN;
import io.bv2j.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The network's module files: each built from its metadata (or config.json for SynthesizerTrn submodules). */
public final class ModuleCases {
    private ModuleCases() {
    }

    public static List<ConformanceCase> all() {
        return List.of(
                new ModuleCase("attention", "modules", ModuleCases::attention),
                new ModuleCase("conv_flow_fwd", "modules", (c, g) -> convFlow(g, false)),
                new ModuleCase("conv_flow_rev", "modules", (c, g) -> convFlow(g, true)),
                new ModuleCase("dds_conv", "modules", ModuleCases::ddsConv),
                new ModuleCase("dp", "modules", ModuleCases::dp),
                new ModuleCase("flow_fwd", "modules", (c, g) -> flow(c, g, false)),
                new ModuleCase("flow_rev", "modules", (c, g) -> flow(c, g, true)),
                new ModuleCase("generator", "modules", ModuleCases::generator),
                new ModuleCase("posterior_encoder", "modules", ModuleCases::posteriorEncoder),
                new ModuleCase("reference_encoder", "modules", ModuleCases::referenceEncoder),
                new ModuleCase("resblock1", "modules", ModuleCases::resblock1),
                new ModuleCase("resblock2", "modules", ModuleCases::resblock2),
                new ModuleCase("residual_coupling_fwd", "modules", (c, g) -> residualCoupling(g, false)),
                new ModuleCase("residual_coupling_rev", "modules", (c, g) -> residualCoupling(g, true)),
                new ModuleCase("sdp_fwd", "modules", ModuleCases::sdpForward),
                new ModuleCase("sdp_rev", "modules", ModuleCases::sdpReverse),
                new ModuleCase("text_encoder", "modules", ModuleCases::textEncoder),
                new ModuleCase("wn", "modules", ModuleCases::wn));
    }

    private static Map<String, Tensor> attention(GoldenContext c, GoldenFile g) {
        ModuleMetadata a = ModuleMetadata.of(g);
        if (a.args().containsKey("window_size") && a.i("window_size") != MultiHeadAttention.WINDOW) {
            throw new Bv2jException(g.path().getFileName() + ": window_size is not the reference's " + MultiHeadAttention.WINDOW);
        }
        if (a.args().containsKey("heads_share") && !a.bool("heads_share")) {
            throw new Bv2jException(g.path().getFileName() + ": heads_share=false is not part of the reference network");
        }
        // Dropout is off in parity runs; p_dropout only has to be a valid probability.
        double pDropout = a.args().containsKey("p_dropout") ? a.d("p_dropout") : 0.0;
        var mod = ModuleCase.withParams(new MultiHeadAttention(a.i("channels"), a.i("out_channels"), a.i("n_heads"),
                pDropout), g);
        return Map.of("out", mod.forwardWithMask(g.tensor("in/x"), g.tensor("in/attn_mask")));
    }

    private static Map<String, Tensor> convFlow(GoldenFile g, boolean reverse) {
        ModuleMetadata a = ModuleMetadata.of(g);
        if (a.i("num_bins") != 10 || a.d("tail_bound") != 5.0) throw new Bv2jException("ConvFlow with other bins/tail bound is not part of the reference network");
        var mod = ModuleCase.withParams(new ConvFlow(a.i("in_channels"), a.i("filter_channels"), a.i("kernel_size"),
                a.i("n_layers")), g);
        Tensor x = g.tensor("in/x"), mask = g.tensor("in/x_mask"), cond = g.tensor("in/g");
        if (reverse) return Map.of("out", mod.reverse(x, mask, cond));
        Flow.Result r = mod.forward(x, mask, cond);
        return Map.of("y", r.y(), "logdet", r.logdet());
    }

    private static Map<String, Tensor> ddsConv(GoldenContext c, GoldenFile g) {
        ModuleMetadata a = ModuleMetadata.of(g);
        var mod = ModuleCase.withParams(new DDSConv(a.i("channels"), a.i("kernel_size"), a.i("n_layers"), 0), g);
        return Map.of("out", mod.forward(g.tensor("in/x"), g.tensor("in/x_mask"), null));
    }

    private static Map<String, Tensor> dp(GoldenContext c, GoldenFile g) {
        Hparams hp = c.hparams();
        var mod = ModuleCase.withParams(new DurationPredictor(hp.hiddenChannels(), 256, 3, 0.5, hp.ginChannels()), g);
        return Map.of("out", mod.forward(g.tensor("in/x"), g.tensor("in/x_mask"), g.tensor("in/g")));
    }

    private static Map<String, Tensor> flow(GoldenContext c, GoldenFile g, boolean reverse) {
        Hparams hp = c.hparams();
        CouplingBlock mod = ModuleCase.withParams(hp.useTransformerFlow()
                ? CouplingBlock.transformer(hp.interChannels(), hp.hiddenChannels(), hp.filterChannels(), hp.nHeads(),
                hp.nLayersTransFlow(), 5, hp.pDropout(), hp.nFlowLayer(), hp.ginChannels())
                : CouplingBlock.residual(hp.interChannels(), hp.hiddenChannels(), 5, 1, hp.nFlowLayer(), 4,
                hp.ginChannels()), g);
        Tensor x = g.tensor("in/x"), mask = g.tensor("in/x_mask"), cond = g.tensor("in/g");
        return Map.of("out", reverse ? mod.reverse(x, mask, cond) : mod.forward(x, mask, cond));
    }

    private static Map<String, Tensor> generator(GoldenContext c, GoldenFile g) {
        Hparams hp = c.hparams();
        var mod = ModuleCase.withParams(new Generator(hp.interChannels(), hp.resblock(), hp.resblockKernelSizes(),
                hp.resblockDilationSizes(), hp.upsampleRates(), hp.upsampleInitialChannel(), hp.upsampleKernelSizes(),
                hp.ginChannels()), g);
        return Map.of("out", mod.forward(g.tensor("in/z"), g.tensor("in/g")));
    }

    private static Map<String, Tensor> posteriorEncoder(GoldenContext c, GoldenFile g) {
        Hparams hp = c.hparams();
        var mod = ModuleCase.withParams(new PosteriorEncoder(hp.specChannels(), hp.interChannels(), hp.hiddenChannels(),
                5, 1, 16, hp.ginChannels()), g);
        PosteriorEncoder.Output o = mod.forward(g.tensor("in/y"), g.ints("in/y_lengths"), g.tensor("in/g"), g.noise());
        return Map.of("z", o.z(), "m", o.m(), "logs", o.logs(), "mask", o.mask());
    }

    private static Map<String, Tensor> referenceEncoder(GoldenContext c, GoldenFile g) {
        ModuleMetadata a = ModuleMetadata.of(g);
        var mod = ModuleCase.withParams(new ReferenceEncoder(a.i("spec_channels"), a.i("gin_channels")), g);
        return Map.of("out", mod.forward(g.tensor("in/spec")));
    }

    private static Map<String, Tensor> resblock1(GoldenContext c, GoldenFile g) {
        ModuleMetadata a = ModuleMetadata.of(g);
        var mod = ModuleCase.withParams(new ResBlock1(a.i("channels"), a.i("kernel_size"), a.ints("dilation")), g);
        return Map.of("out", mod.forward(g.tensor("in/x")));
    }

    private static Map<String, Tensor> resblock2(GoldenContext c, GoldenFile g) {
        ModuleMetadata a = ModuleMetadata.of(g);
        var mod = ModuleCase.withParams(new ResBlock2(a.i("channels"), a.i("kernel_size"), a.ints("dilation")), g);
        return Map.of("out", mod.forward(g.tensor("in/x")));
    }

    private static Map<String, Tensor> residualCoupling(GoldenFile g, boolean reverse) {
        ModuleMetadata a = ModuleMetadata.of(g);
        if (!a.bool("mean_only")) throw new Bv2jException("only mean_only coupling layers are part of the reference network");
        var mod = ModuleCase.withParams(new ResidualCouplingLayer(a.i("channels"), a.i("hidden_channels"),
                a.i("kernel_size"), a.i("dilation_rate"), a.i("n_layers"), a.i("gin_channels")), g);
        Tensor x = g.tensor("in/x"), mask = g.tensor("in/x_mask"), cond = g.tensor("in/g");
        if (reverse) return Map.of("out", mod.reverse(x, mask, cond));
        Flow.Result r = mod.forward(x, mask, cond);
        return Map.of("y", r.y(), "logdet", r.logdet());
    }

    private static StochasticDurationPredictor sdp(GoldenContext c, GoldenFile g) {
        Hparams hp = c.hparams();
        return ModuleCase.withParams(new StochasticDurationPredictor(hp.hiddenChannels(), 3, 0.5, 4, hp.ginChannels()), g);
    }

    private static Map<String, Tensor> sdpForward(GoldenContext c, GoldenFile g) {
        Tensor nll = sdp(c, g).nll(g.tensor("in/x"), g.tensor("in/x_mask"), g.tensor("in/w"), g.tensor("in/g"),
                g.noise());
        return Map.of("out", nll);
    }

    private static final Pattern NOISE_SCALE = Pattern.compile("noise_scale=([0-9.eE+-]+)");

    private static Map<String, Tensor> sdpReverse(GoldenContext c, GoldenFile g) {
        Matcher m = NOISE_SCALE.matcher(String.valueOf(g.meta("call")));
        float noiseScale = m.find() ? Float.parseFloat(m.group(1)) : 1f;
        Tensor logw = sdp(c, g).reverse(g.tensor("in/x"), g.tensor("in/x_mask"), g.tensor("in/g"), g.noise(),
                noiseScale);
        return Map.of("out", logw);
    }

    private static Map<String, Tensor> textEncoder(GoldenContext c, GoldenFile g) {
        Hparams hp = c.hparams();
        int gin = hp.useSpkConditionedEncoder() ? hp.ginChannels() : 0;
        var mod = ModuleCase.withParams(new Encoder(hp.hiddenChannels(), hp.filterChannels(), hp.nHeads(),
                hp.nLayers(), hp.kernelSize(), hp.pDropout(), gin), g);
        Tensor mask = g.tensor("in/x_mask");
        return Map.of("out", mod.forward(io.bv2j.tensor.Ops.mul(g.tensor("in/x"), mask), mask, g.tensor("in/g")));
    }

    private static Map<String, Tensor> wn(GoldenContext c, GoldenFile g) {
        ModuleMetadata a = ModuleMetadata.of(g);
        var mod = ModuleCase.withParams(new WN(a.i("hidden_channels"), a.i("kernel_size"), a.i("dilation_rate"),
                a.i("n_layers"), a.i("gin_channels")), g);
        return Map.of("out", mod.forward(g.tensor("in/x"), g.tensor("in/x_mask"), g.tensor("in/g")));
    }
}
