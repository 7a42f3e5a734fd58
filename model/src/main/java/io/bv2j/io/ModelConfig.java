package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Bert-VITS2 {@code config.json} (sections train, data, model), validated and with the reference
 * implementation's defaults applied to absent keys. Unknown keys are ignored, as the reference
 * does; the parsed document stays available through {@link #raw()} so a trainer can write it back.
 */
public final class ModelConfig {

    /**
     * The {@code train} section. {@code init_lr_ratio} and {@code warmup_epochs} are never read by the
     * reference trainer, so they default to 1 and 0 when absent; {@code skip_optimizer} defaults to
     * true like the reference, {@code keep_ckpts} to 3.
     */
    public record Train(int logInterval, int evalInterval, long seed, int epochs, double learningRate,
            List<Double> betas, double eps, int batchSize, boolean fp16Run, double lrDecay, double initLrRatio,
            int warmupEpochs, double cMel, double cKl, boolean skipOptimizer, int segmentSize, int keepCkpts) {
    }

    /**
     * The {@code data} section. {@code melFmax} is null when the config says null or nothing, meaning
     * half the sampling rate (see {@link #melFmaxOrNyquist()}); the file lists are null when absent.
     */
    public record Data(int samplingRate, int filterLength, int hopLength, int winLength, int nMelChannels,
            double melFmin, Double melFmax, boolean addBlank, int nSpeakers, Map<String, Integer> spk2id,
            double maxWavValue, String trainingFiles, String validationFiles, boolean cleanedText) {

        /** mel_fmax, or the Nyquist frequency when it is null (librosa's convention). */
        public double melFmaxOrNyquist() {
            return melFmax != null ? melFmax : samplingRate / 2.0;
        }
    }

    /**
     * The {@code model} section. {@code resblock} is "1" or "2"; {@code nSpeakers} is
     * model.n_speakers when present, else data.n_speakers; {@code flowShareParameter} is always
     * false (true is refused); {@code nLayersTransFlow} is null when the config does not say, in which
     * case the loader takes it from the checkpoint (the seed's default is 3, the release's 6).
     */
    public record Model(boolean useSpkConditionedEncoder, boolean useNoiseScaledMas, double masNoiseScaleInitial,
            double noiseScaleDelta, boolean useMelPosteriorEncoder, boolean useDurationDiscriminator,
            int interChannels, int hiddenChannels, int filterChannels, int nHeads, int nLayers, int kernelSize,
            double pDropout, String resblock, List<Integer> resblockKernelSizes,
            List<List<Integer>> resblockDilationSizes, List<Integer> upsampleRates, int upsampleInitialChannel,
            List<Integer> upsampleKernelSizes, int nLayersQ, boolean useSpectralNorm, int ginChannels,
            int nSpeakers, boolean useSdp, int nFlowLayer, boolean useTransformerFlow, boolean flowShareParameter,
            Integer nLayersTransFlow) {
    }

    private static final int SPEAKERS_LISTED_IN_ERRORS = 10;

    private final String source;
    private final Train train;
    private final Data data;
    private final Model model;
    private final Map<String, Object> raw;

    private ModelConfig(String source, Train train, Data data, Model model, Map<String, Object> raw) {
        this.source = source;
        this.train = train;
        this.data = data;
        this.model = model;
        this.raw = raw;
    }

    /** Reads and validates {@code path}; errors name the file. */
    public static ModelConfig read(Path path) {
        return parse(InputFiles.readUtf8(path, Json.MAX_LENGTH), path.toString());
    }

    /** Parses and validates a config document; {@code sourceName} prefixes every error message. */
    public static ModelConfig parse(String json, String sourceName) {
        Map<String, Object> root = Json.obj(Json.parse(json, sourceName), sourceName + ": the top level");
        JsonSection doc = new JsonSection(root, sourceName + ": ");
        JsonSection dataSection = doc.section("data");
        Data data = parseData(dataSection);
        Model model = parseModel(doc.section("model"), data.nSpeakers(), dataSection.name("n_speakers"));
        Train train = parseTrain(doc.section("train"), data.hopLength());
        for (Map.Entry<String, Integer> e : data.spk2id().entrySet()) {
            if (e.getValue() >= model.nSpeakers()) {
                throw new Bv2jException(sourceName + ": data.spk2id." + e.getKey() + " = " + e.getValue()
                        + " is not below n_speakers = " + model.nSpeakers());
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> frozen = (Map<String, Object>) deepUnmodifiable(root);
        return new ModelConfig(sourceName, train, data, model, frozen);
    }

    public Train train() {
        return train;
    }

    public Data data() {
        return data;
    }

    public Model model() {
        return model;
    }

    /** The parsed document, unmodifiable, including keys bv2j does not use. */
    public Map<String, Object> raw() {
        return raw;
    }

    /** Linear spectrogram channels: filter_length / 2 + 1. */
    public int specChannels() {
        return data.filterLength() / 2 + 1;
    }

    /** Training segment length in frames: segment_size / hop_length. */
    public int segmentFrames() {
        return train.segmentSize() / data.hopLength();
    }

    /**
     * The speaker id for a name in data.spk2id, or for a decimal id below n_speakers.
     *
     * @throws Bv2jException listing the known names when {@code nameOrId} is neither
     */
    public int speakerId(String nameOrId) {
        Integer byName = data.spk2id().get(nameOrId);
        if (byName != null) {
            return byName;
        }
        int n = model.nSpeakers();
        if (nameOrId.matches("[0-9]{1,9}") && Integer.parseInt(nameOrId) < n) {
            return Integer.parseInt(nameOrId);
        }
        if (n == 0) {
            throw new Bv2jException(source + ": this model has no speaker ids (n_speakers = 0), so speaker '"
                    + nameOrId + "' cannot be chosen");
        }
        List<String> names = new ArrayList<>(data.spk2id().keySet());
        String known = names.isEmpty() ? "no names in spk2id"
                : "known: " + String.join(", ", names.subList(0, Math.min(names.size(), SPEAKERS_LISTED_IN_ERRORS)))
                        + (names.size() > SPEAKERS_LISTED_IN_ERRORS
                                ? " and " + (names.size() - SPEAKERS_LISTED_IN_ERRORS) + " more" : "");
        throw new Bv2jException(source + ": unknown speaker '" + nameOrId + "' (" + known + "; or a number in [0, "
                + n + "))");
    }

    // ---------------------------------------------------------------- sections

    private static Data parseData(JsonSection d) {
        int sr = d.positiveInt("sampling_rate");
        int filterLength = d.positiveInt("filter_length");
        int winLength = d.positiveInt("win_length");
        if (winLength > filterLength) {
            throw new Bv2jException(d.name("win_length") + " = " + winLength + " exceeds filter_length = "
                    + filterLength);
        }
        double fmin = d.nonNegativeNumber("mel_fmin", 0.0);
        Double fmax = d.has("mel_fmax") && d.require("mel_fmax") != null ? d.positiveNumber("mel_fmax") : null;
        if (fmax != null && fmax <= fmin) {
            throw new Bv2jException(d.name("mel_fmax") + " = " + fmax + " must exceed mel_fmin = " + fmin);
        }
        Map<String, Integer> spk2id = new LinkedHashMap<>();
        if (d.has("spk2id")) {
            for (Map.Entry<String, Object> e : Json.obj(d.require("spk2id"), d.name("spk2id")).entrySet()) {
                String what = d.name("spk2id") + "." + e.getKey();
                int id = Json.int32(e.getValue(), what);
                if (id < 0) {
                    throw new Bv2jException(what + " must not be negative, got " + id);
                }
                spk2id.put(e.getKey(), id);
            }
        }
        double maxWav = d.has("max_wav_value") ? d.positiveNumber("max_wav_value") : 32768.0;
        return new Data(sr, filterLength, d.positiveInt("hop_length"), winLength, d.positiveInt("n_mel_channels"),
                fmin, fmax, d.bool("add_blank", true), d.nonNegativeInt("n_speakers"),
                Collections.unmodifiableMap(spk2id), maxWav, d.string("training_files", null),
                d.string("validation_files", null), d.bool("cleaned_text", false));
    }

    private static Model parseModel(JsonSection m, int dataSpeakers, String dataSpeakersName) {
        if (m.bool("flow_share_parameter", false)) {
            throw new Bv2jException(m.name("flow_share_parameter")
                    + "=true needs a module the v1.1.1 release does not have");
        }
        int hidden = m.positiveInt("hidden_channels");
        int heads = m.positiveInt("n_heads");
        if (hidden % heads != 0) {
            throw new Bv2jException(m.name("hidden_channels") + " = " + hidden + " is not divisible by n_heads = "
                    + heads);
        }
        double dropout = m.number("p_dropout");
        if (dropout < 0 || dropout >= 1) {
            throw new Bv2jException(m.name("p_dropout") + " must be in [0, 1), got " + dropout);
        }
        String resblock = resblock(m);
        List<Integer> rbKernels = m.positiveInts("resblock_kernel_sizes");
        List<List<Integer>> rbDilations = m.positiveIntLists("resblock_dilation_sizes");
        if (rbDilations.size() != rbKernels.size()) {
            throw new Bv2jException(m.name("resblock_dilation_sizes") + " has " + rbDilations.size()
                    + " entries but resblock_kernel_sizes has " + rbKernels.size());
        }
        // ResBlock1 has three dilated convolutions, ResBlock2 two.
        int dilations = resblock.equals("1") ? 3 : 2;
        for (int i = 0; i < rbDilations.size(); i++) {
            if (rbDilations.get(i).size() != dilations) {
                throw new Bv2jException(m.name("resblock_dilation_sizes") + "[" + i + "] must have " + dilations
                        + " dilations for resblock " + resblock);
            }
        }
        List<Integer> rates = m.positiveInts("upsample_rates");
        List<Integer> kernels = m.positiveInts("upsample_kernel_sizes");
        if (rates.size() != kernels.size()) {
            throw new Bv2jException(m.name("upsample_kernel_sizes") + " has " + kernels.size()
                    + " entries but upsample_rates has " + rates.size());
        }
        for (int i = 0; i < rates.size(); i++) {
            // The transposed conv pads by (k - u) / 2 on each side, which must be a whole, non-negative number.
            int k = kernels.get(i);
            int u = rates.get(i);
            if (k < u || (k - u) % 2 != 0) {
                throw new Bv2jException(m.name("upsample_kernel_sizes") + "[" + i + "] = " + k
                        + " must be at least upsample_rates[" + i + "] = " + u + " and differ from it by an even number");
            }
        }
        int initialChannels = m.positiveInt("upsample_initial_channel");
        // Each upsampling stage halves the channels.
        if (rates.size() >= 31 || initialChannels % (1 << rates.size()) != 0) {
            throw new Bv2jException(m.name("upsample_initial_channel") + " = " + initialChannels
                    + " must be divisible by 2^" + rates.size() + " (one halving per upsample rate)");
        }
        int speakers = m.has("n_speakers") ? m.nonNegativeInt("n_speakers") : dataSpeakers;
        if (speakers == 1) {
            throw new Bv2jException((m.has("n_speakers") ? m.name("n_speakers") : dataSpeakersName)
                    + " = 1 is not supported: the reference model has no working speaker conditioning for one "
                    + "speaker (use 0 for a reference encoder, or at least 2)");
        }
        Integer transFlowLayers = m.has("n_layers_trans_flow") && m.require("n_layers_trans_flow") != null
                ? m.positiveInt("n_layers_trans_flow") : null;
        return new Model(m.bool("use_spk_conditioned_encoder", true), m.bool("use_noise_scaled_mas", false),
                m.nonNegativeNumber("mas_noise_scale_initial", 0.01), m.nonNegativeNumber("noise_scale_delta", 2e-6),
                m.bool("use_mel_posterior_encoder", false), m.bool("use_duration_discriminator", false),
                m.positiveInt("inter_channels"), hidden, m.positiveInt("filter_channels"), heads,
                m.positiveInt("n_layers"), m.positiveInt("kernel_size"), dropout, resblock, rbKernels, rbDilations,
                rates, initialChannels, kernels, m.positiveInt("n_layers_q"), m.bool("use_spectral_norm", false),
                m.positiveInt("gin_channels", 256), speakers, m.bool("use_sdp", true), m.positiveInt("n_flow_layer", 4),
                m.bool("use_transformer_flow", true), false, transFlowLayers);
    }

    /** The reference compares with the string "1" but configs in the wild also write the number. */
    private static String resblock(JsonSection m) {
        Object v = m.require("resblock");
        if ("1".equals(v) || Long.valueOf(1).equals(v)) {
            return "1";
        }
        if ("2".equals(v) || Long.valueOf(2).equals(v)) {
            return "2";
        }
        throw new Bv2jException(m.name("resblock") + " must be \"1\" or \"2\", not " + Json.describe(v));
    }

    private static Train parseTrain(JsonSection t, int hopLength) {
        List<Object> betaList = Json.arr(t.require("betas"), t.name("betas"));
        if (betaList.size() != 2) {
            throw new Bv2jException(t.name("betas") + " must have two values, got " + betaList.size());
        }
        List<Double> betas = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            double b = Json.num(betaList.get(i), t.name("betas") + "[" + i + "]");
            if (!(b >= 0 && b < 1)) {
                throw new Bv2jException(t.name("betas") + "[" + i + "] must be in [0, 1), got " + b);
            }
            betas.add(b);
        }
        int segmentSize = t.positiveInt("segment_size");
        if (segmentSize < hopLength) {
            throw new Bv2jException(t.name("segment_size") + " = " + segmentSize + " is shorter than one hop ("
                    + hopLength + " samples)");
        }
        return new Train(t.positiveInt("log_interval"), t.positiveInt("eval_interval"), t.integer("seed"),
                t.positiveInt("epochs"), t.positiveNumber("learning_rate"), List.copyOf(betas),
                t.positiveNumber("eps"), t.positiveInt("batch_size"), t.bool("fp16_run"), t.positiveNumber("lr_decay"),
                t.nonNegativeNumber("init_lr_ratio", 1.0), t.nonNegativeInt("warmup_epochs", 0),
                t.nonNegativeNumber("c_mel"), t.nonNegativeNumber("c_kl"),
                t.bool("skip_optimizer", true), segmentSize, t.nonNegativeInt("keep_ckpts", 3));
    }

    /** A deep copy in which maps and lists are unmodifiable (nulls kept: JSON has them). */
    private static Object deepUnmodifiable(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, x) -> copy.put((String) k, deepUnmodifiable(x)));
            return Collections.unmodifiableMap(copy);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(x -> copy.add(deepUnmodifiable(x)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }
}
