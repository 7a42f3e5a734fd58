package io.bv2j.model;

import io.bv2j.Bv2jException;
import io.bv2j.io.ModelConfig;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sizes SynthesizerTrn is built from (config.json "model" plus data-derived values), with
 * n_layers_trans_flow already resolved (from the checkpoint when the config omits it).
 */
public record Hparams(
        int specChannels, int segmentFrames, int interChannels, int hiddenChannels, int filterChannels,
        int nHeads, int nLayers, int kernelSize, double pDropout, String resblock, int[] resblockKernelSizes,
        int[][] resblockDilationSizes, int[] upsampleRates, int upsampleInitialChannel, int[] upsampleKernelSizes,
        int nSpeakers, int ginChannels, boolean useSdp, int nFlowLayer, int nLayersTransFlow,
        boolean useTransformerFlow, boolean useSpkConditionedEncoder) {

    /** Symbol, tone and language table sizes of the v1.1 text front end. */
    public static final int N_SYMBOLS = 112, N_TONES = 11, N_LANGUAGES = 3;
    /** The posterior encoder's input with use_mel_posterior_encoder (train_ms.py fixes it to 80). */
    private static final int MEL_POSTERIOR_CHANNELS = 80;
    private static final Pattern TRANS_FLOW_LAYER = Pattern.compile("^flow\\.flows\\.0\\.enc\\.attn_layers\\.(\\d+)\\.");

    /** The v1.1.1 release's n_layers_trans_flow, used when neither config nor checkpoint says. */
    public static final int RELEASE_TRANS_FLOW_LAYERS = 6;

    /** Sizes from a config alone (random weights): n_layers_trans_flow defaults to the release's 6. */
    public static Hparams of(ModelConfig config) {
        java.util.List<String> none = java.util.List.of(
                "flow.flows.0.enc.attn_layers." + (RELEASE_TRANS_FLOW_LAYERS - 1) + ".conv_q.weight");
        return of(config, none);
    }

    /**
     * Sizes from a config; n_layers_trans_flow comes from the checkpoint's keys (layers under
     * flow.flows.0.enc.attn_layers.) when the config omits it.
     */
    public static Hparams of(ModelConfig config, Collection<String> checkpointKeys) {
        ModelConfig.Model m = config.model();
        int transFlowLayers;
        if (m.nLayersTransFlow() != null) {
            transFlowLayers = m.nLayersTransFlow();
        } else if (!m.useTransformerFlow()) {
            transFlowLayers = 0;
        } else {
            TreeSet<Integer> layers = new TreeSet<>();
            for (String k : checkpointKeys) {
                Matcher mt = TRANS_FLOW_LAYER.matcher(k);
                if (mt.find()) layers.add(Integer.parseInt(mt.group(1)));
            }
            if (layers.isEmpty()) {
                throw new Bv2jException("the config omits model.n_layers_trans_flow and the checkpoint has no "
                        + "flow.flows.0.enc.attn_layers.* keys to count");
            }
            transFlowLayers = layers.last() + 1;
        }
        int spec = m.useMelPosteriorEncoder() ? MEL_POSTERIOR_CHANNELS : config.specChannels();
        return new Hparams(spec, config.segmentFrames(), m.interChannels(), m.hiddenChannels(), m.filterChannels(),
                m.nHeads(), m.nLayers(), m.kernelSize(), m.pDropout(), m.resblock(), ints(m.resblockKernelSizes()),
                m.resblockDilationSizes().stream().map(Hparams::ints).toArray(int[][]::new), ints(m.upsampleRates()),
                m.upsampleInitialChannel(), ints(m.upsampleKernelSizes()), m.nSpeakers(), m.ginChannels(), m.useSdp(),
                m.nFlowLayer(), transFlowLayers, m.useTransformerFlow(), m.useSpkConditionedEncoder());
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
