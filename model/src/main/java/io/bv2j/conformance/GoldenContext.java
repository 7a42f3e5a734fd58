package io.bv2j.conformance;

import io.bv2j.Bv2jException;
import io.bv2j.io.ModelConfig;
import io.bv2j.model.Hparams;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.synth.Checkpoints;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the cases of one golden folder share: its config.json, the network sizes, and the
 * generator loaded from its G_0 checkpoint (loaded once, on first use, into `arena`).
 */
public final class GoldenContext {
    private final Path dir;
    private final Arena arena;
    private ModelConfig config;
    private SynthesizerTrn generator;

    public GoldenContext(Path dir, Arena arena) {
        this.dir = dir;
        this.arena = arena;
    }

    public Path dir() {
        return dir;
    }

    public ModelConfig config() {
        if (config == null) {
            Path p = dir.resolve("config.json");
            if (!Files.isRegularFile(p)) throw new Bv2jException(dir + " has no config.json");
            config = ModelConfig.read(p);
        }
        return config;
    }

    public Hparams hparams() {
        return generator().hparams();
    }

    /** The reference generator's initial weights: G_0.pth, else G_0.safetensors. */
    public SynthesizerTrn generator() {
        if (generator == null) {
            Path ckpt = firstExisting("G_0.pth", "G_0.safetensors");
            generator = Checkpoints.load(config(), ckpt, arena);
        }
        return generator;
    }

    public Path firstExisting(String... names) {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) return p;
        }
        throw new Bv2jException(dir + " has none of " + List.of(names));
    }
}
