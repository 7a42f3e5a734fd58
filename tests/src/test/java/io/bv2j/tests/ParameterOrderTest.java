package io.bv2j.tests;

import io.bv2j.io.ModelConfig;
import io.bv2j.io.TorchCheckpoint;
import io.bv2j.model.DurationDiscriminator;
import io.bv2j.model.Hparams;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.nn.Module;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our parameters come in torch's parameters() order (the reference's state_dict order): optimizer
 * state in a checkpoint is indexed by that order, so checkpoints only round-trip with it.
 */
class ParameterOrderTest {
    @Test
    void generatorParametersInReferenceOrder() {
        Path dev = GoldenFiles.golden().resolve("dev");
        List<String> ref = keys(dev.resolve("G_0.pth"));
        SynthesizerTrn net = new SynthesizerTrn(Hparams.of(ModelConfig.read(dev.resolve("config.json")), ref));
        assertEquals(ref, names(net));
    }

    @Test
    void durationDiscriminatorParametersInReferenceOrder() {
        Path dev = GoldenFiles.golden().resolve("dev");
        ModelConfig config = ModelConfig.read(dev.resolve("config.json"));
        int hidden = config.model().hiddenChannels();
        DurationDiscriminator d = new DurationDiscriminator(hidden, hidden, 3, 0.1, config.model().ginChannels());
        assertEquals(keys(dev.resolve("DUR_0.pth")), names(d));
    }

    private static List<String> keys(Path ckpt) {
        try (TorchCheckpoint ck = TorchCheckpoint.read(ckpt)) {
            return new ArrayList<>(ck.modelStateDict().keySet());
        }
    }

    private static List<String> names(Module m) {
        List<String> names = new ArrayList<>();
        m.forEachParameterShape("", (n, s) -> names.add(n));
        return names;
    }
}
