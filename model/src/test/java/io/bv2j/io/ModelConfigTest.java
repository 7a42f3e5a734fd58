package io.bv2j.io;

import io.bv2j.testing.GoldenFiles;
import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {

    /** A small complete config; tests replace one fragment at a time. */
    private static final String BASE = """
            {
              "train": {"log_interval": 200, "eval_interval": 1000, "seed": 52, "epochs": 10,
                        "learning_rate": 0.0003, "betas": [0.8, 0.99], "eps": 1e-09, "batch_size": 8,
                        "fp16_run": false, "lr_decay": 0.999875, "c_mel": 45, "c_kl": 1.0,
                        "segment_size": 1024},
              "data": {"sampling_rate": 16000, "filter_length": 256, "hop_length": 64, "win_length": 256,
                       "n_mel_channels": 40, "n_speakers": 4, "spk2id": {"alice": 0, "bob": 3}},
              "model": {"inter_channels": 32, "hidden_channels": 32, "filter_channels": 64, "n_heads": 2,
                        "n_layers": 3, "kernel_size": 3, "p_dropout": 0.1, "resblock": "1",
                        "resblock_kernel_sizes": [3, 7, 11],
                        "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
                        "upsample_rates": [4, 4, 2, 2], "upsample_initial_channel": 64,
                        "upsample_kernel_sizes": [8, 8, 4, 4], "n_layers_q": 3}
            }""";

    /** BASE with each (from, to) pair replaced in turn. */
    private static ModelConfig with(String... fromTo) {
        String json = BASE;
        for (int i = 0; i < fromTo.length; i += 2) {
            assertTrue(json.contains(fromTo[i]), fromTo[i]);
            json = json.replace(fromTo[i], fromTo[i + 1]);
        }
        return ModelConfig.parse(json, "config.json");
    }

    private static String errorWith(String from, String to) {
        Bv2jException e = assertThrows(Bv2jException.class, () -> with(from, to));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("config.json: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsGoldenConfig() {
        ModelConfig c = ModelConfig.read(GoldenFiles.dev("config.json"));
        assertEquals(16000, c.data().samplingRate());
        assertEquals(129, c.specChannels());
        assertEquals(16, c.segmentFrames());
        assertEquals(4, c.model().nSpeakers());
        assertEquals(16, c.model().ginChannels());
        assertTrue(c.model().useNoiseScaledMas());
        assertTrue(c.model().useDurationDiscriminator());
        assertNull(c.model().nLayersTransFlow());
        assertNull(c.data().melFmax());
        assertEquals(8000.0, c.data().melFmaxOrNyquist());
        assertEquals(List.of(0.8, 0.99), c.train().betas());
        assertEquals(2, c.speakerId("carol"));
        assertEquals(Map.of("alice", 0, "bob", 1, "carol", 2, "dave", 3), c.data().spk2id());
        assertEquals(32768.0, c.data().maxWavValue());
        assertEquals("filelists/train.list", c.data().trainingFiles());
        assertTrue(c.data().cleanedText());
    }

    @Test
    void readsBenchConfig() {
        ModelConfig c = ModelConfig.read(GoldenFiles.shared("bench/default-44k-config.json"));
        assertEquals(44100, c.data().samplingRate());
        assertEquals(1025, c.specChannels());
        assertEquals(32, c.segmentFrames());
        assertEquals(256, c.model().nSpeakers());
        assertEquals(List.of(16, 16, 8, 2, 2), c.model().upsampleKernelSizes());
        assertEquals(192, c.model().hiddenChannels());
    }

    @Test
    void appliesReferenceDefaults() {
        ModelConfig c = ModelConfig.parse(BASE, "config.json");
        ModelConfig.Model m = c.model();
        assertTrue(m.useSpkConditionedEncoder());
        assertFalse(m.useNoiseScaledMas());
        assertEquals(0.01, m.masNoiseScaleInitial());
        assertEquals(2e-6, m.noiseScaleDelta());
        assertFalse(m.useMelPosteriorEncoder());
        assertFalse(m.useDurationDiscriminator());
        assertFalse(m.useSpectralNorm());
        assertEquals(256, m.ginChannels());
        assertTrue(m.useSdp());
        assertEquals(4, m.nFlowLayer());
        assertTrue(m.useTransformerFlow());
        assertFalse(m.flowShareParameter());
        assertNull(m.nLayersTransFlow());
        ModelConfig.Data d = c.data();
        assertEquals(0.0, d.melFmin());
        assertNull(d.melFmax());
        assertTrue(d.addBlank());
        assertEquals(32768.0, d.maxWavValue());
        assertNull(d.trainingFiles());
        assertFalse(d.cleanedText());
        assertEquals(3, c.train().keepCkpts());
        assertTrue(c.train().skipOptimizer());
        assertEquals(1.0, c.train().initLrRatio());
        assertEquals(0, c.train().warmupEpochs());
        assertEquals(45.0, c.train().cMel());
    }

    @Test
    void explicitValuesOverrideDefaults() {
        ModelConfig c = with("\"n_layers_q\": 3}", "\"n_layers_q\": 3, \"n_layers_trans_flow\": 6, \"n_speakers\": 8}",
                "\"resblock\": \"1\"", "\"resblock\": 2",
                "[[1, 3, 5], [1, 3, 5], [1, 3, 5]]", "[[1, 3], [1, 3], [1, 3]]");
        assertEquals(6, c.model().nLayersTransFlow());
        assertEquals(8, c.model().nSpeakers());
        assertEquals(4, c.data().nSpeakers());
        assertEquals("2", c.model().resblock());
        assertEquals(11025.0, with("\"n_speakers\": 4,", "\"n_speakers\": 4, \"mel_fmax\": 11025,").data().melFmax());
    }

    @Test
    void namesTheOffendingKey() {
        assertEquals("config.json: model.hidden_channels must be an integer, not the string \"32\"",
                errorWith("\"hidden_channels\": 32", "\"hidden_channels\": \"32\""));
        assertEquals("config.json: model.hidden_channels is missing", errorWith("\"hidden_channels\": 32,", ""));
        assertEquals("config.json: train is missing", errorWith("\"train\"", "\"training\""));
        assertEquals("config.json: data.sampling_rate must be positive, got 0",
                errorWith("\"sampling_rate\": 16000", "\"sampling_rate\": 0"));
        assertTrue(errorWith("\"segment_size\": 1024", "\"segment_size\": 1024.0")
                .contains("train.segment_size must be an integer, not the number 1024.0"));
        assertTrue(errorWith("\"betas\": [0.8, 0.99]", "\"betas\": [0.8]").contains("train.betas must have two"));
        assertTrue(errorWith("\"fp16_run\": false", "\"fp16_run\": 0").contains("train.fp16_run must be true or false"));
        assertTrue(errorWith("\"c_mel\": 45,", "").contains("train.c_mel is missing"));
        assertTrue(errorWith("{\n  \"train\"", "{\n  \"train\": 1, \"train\"").contains("duplicate key \"train\""));
    }

    @Test
    void validatesArchitecture() {
        assertTrue(errorWith("\"n_heads\": 2", "\"n_heads\": 5").contains("hidden_channels = 32 is not divisible by "
                + "n_heads = 5"));
        assertTrue(errorWith("\"resblock_kernel_sizes\": [3, 7, 11]", "\"resblock_kernel_sizes\": [3, 7]")
                .contains("resblock_dilation_sizes has 3 entries but resblock_kernel_sizes has 2"));
        assertTrue(errorWith("[[1, 3, 5], [1, 3, 5], [1, 3, 5]]", "[[1, 3, 5], [1, 3], [1, 3, 5]]")
                .contains("resblock_dilation_sizes[1] must have 3 dilations"));
        assertTrue(errorWith("\"upsample_kernel_sizes\": [8, 8, 4, 4]", "\"upsample_kernel_sizes\": [8, 8, 4]")
                .contains("upsample_kernel_sizes has 3 entries but upsample_rates has 4"));
        assertTrue(errorWith("\"upsample_kernel_sizes\": [8, 8, 4, 4]", "\"upsample_kernel_sizes\": [8, 7, 4, 4]")
                .contains("upsample_kernel_sizes[1] = 7"));
        assertTrue(errorWith("\"upsample_initial_channel\": 64", "\"upsample_initial_channel\": 40")
                .contains("must be divisible by 2^4"));
        assertTrue(errorWith("\"resblock\": \"1\"", "\"resblock\": \"3\"").contains("resblock must be \"1\" or \"2\""));
        assertTrue(errorWith("\"p_dropout\": 0.1", "\"p_dropout\": 1.5").contains("p_dropout must be in [0, 1)"));
        assertEquals("config.json: model.flow_share_parameter=true needs a module the v1.1.1 release does not have",
                errorWith("\"n_layers_q\": 3}", "\"n_layers_q\": 3, \"flow_share_parameter\": true}"));
        assertTrue(errorWith("\"n_speakers\": 4, \"spk2id\": {\"alice\": 0, \"bob\": 3}", "\"n_speakers\": 1")
                .contains("data.n_speakers = 1 is not supported"));
        assertTrue(errorWith("\"bob\": 3", "\"bob\": 4").contains("data.spk2id.bob = 4 is not below n_speakers = 4"));
        assertTrue(errorWith("\"win_length\": 256", "\"win_length\": 512").contains("exceeds filter_length"));
    }

    @Test
    void resolvesSpeakers() {
        ModelConfig c = ModelConfig.parse(BASE, "config.json");
        assertEquals(3, c.speakerId("bob"));
        assertEquals(2, c.speakerId("2"));
        Bv2jException e = assertThrows(Bv2jException.class, () -> c.speakerId("zed"));
        assertEquals("config.json: unknown speaker 'zed' (known: alice, bob; or a number in [0, 4))", e.getMessage());
        assertThrows(Bv2jException.class, () -> c.speakerId("4"));
        assertThrows(Bv2jException.class, () -> c.speakerId("-1"));

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            many.append(i == 0 ? "" : ", ").append("\"s").append(i).append("\": ").append(i);
        }
        ModelConfig big = with("\"n_speakers\": 4, \"spk2id\": {\"alice\": 0, \"bob\": 3}",
                "\"n_speakers\": 20, \"spk2id\": {" + many + "}");
        String m = assertThrows(Bv2jException.class, () -> big.speakerId("x")).getMessage();
        assertTrue(m.contains("s9 and 5 more"), m);
        assertFalse(m.contains("s10"), m);

        ModelConfig none = with("\"n_speakers\": 4, \"spk2id\": {\"alice\": 0, \"bob\": 3}", "\"n_speakers\": 0");
        assertTrue(assertThrows(Bv2jException.class, () -> none.speakerId("0")).getMessage()
                .contains("n_speakers = 0"));
    }

    @Test
    void rawKeepsEverythingAndIsImmutable() {
        ModelConfig c = with("\"n_layers_q\": 3}", "\"n_layers_q\": 3, \"custom\": [1, {\"x\": null}]}");
        Map<?, ?> model = (Map<?, ?>) c.raw().get("model");
        assertEquals(List.of(1L, Collections.singletonMap("x", null)), model.get("custom"));
        assertThrows(UnsupportedOperationException.class, () -> c.raw().put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) model.get("custom")).clear());
        assertEquals(Json.parse(Json.write(c.raw())), c.raw());
    }
}
