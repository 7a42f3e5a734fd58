package io.bv2j.synth;

import io.bv2j.Bv2jException;
import io.bv2j.io.SafeTensors;
import io.bv2j.io.TorchCheckpoint;
import io.bv2j.model.Hparams;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.io.ModelConfig;
import io.bv2j.nn.StateDict;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Reads generator weights (.pth from the reference trainer, or .safetensors) and builds the network. */
public final class Checkpoints {
    /** State-dict prefix of the posterior encoder, which only training uses. */
    public static final String POSTERIOR_ENCODER_PREFIX = "enc_q.";

    private Checkpoints() {
    }

    /**
     * Runs `use` on the model state dict of a checkpoint (format recognised by its first bytes).
     * Tensors are read lazily while `use` runs, so the optimizer part of a .pth is never read.
     */
    public static <T> T withStateDict(Path path, Function<StateDict, T> use) {
        String name = path.getFileName().toString();
        if (!Files.isRegularFile(path)) throw new Bv2jException(name + ": no such checkpoint file");
        if (isZip(path)) {
            try (TorchCheckpoint ckpt = TorchCheckpoint.read(path)) {
                return use.apply(new StateDict(ckpt.modelStateDict(), name));
            }
        }
        if (name.endsWith(".safetensors")) return use.apply(new StateDict(SafeTensors.read(path).tensors(), name));
        throw new Bv2jException(name + ": neither a PyTorch zip checkpoint nor a .safetensors file");
    }

    /**
     * Builds SynthesizerTrn for the config and fills it from the checkpoint (strict) into `arena`.
     * A checkpoint without enc_q.* weights (an exported inference-only voice) gets the network
     * without the posterior encoder, which synthesis never uses.
     */
    public static SynthesizerTrn load(ModelConfig config, Path checkpoint, Arena arena) {
        return load(config, checkpoint, arena, false);
    }

    /**
     * The inference network: like {@link #load} but without the posterior encoder even when the
     * checkpoint has one (its enc_q.* weights are skipped unread: 34 MB of the default 44.1 kHz
     * model that synthesis never touches).
     */
    public static SynthesizerTrn loadForInference(ModelConfig config, Path checkpoint, Arena arena) {
        return load(config, checkpoint, arena, true);
    }

    private static SynthesizerTrn load(ModelConfig config, Path checkpoint, Arena arena, boolean inferenceOnly) {
        return withStateDict(checkpoint, weights -> {
            boolean posterior = !inferenceOnly
                    && weights.keys().stream().anyMatch(k -> k.startsWith(POSTERIOR_ENCODER_PREFIX));
            SynthesizerTrn net = new SynthesizerTrn(Hparams.of(config, weights.keys()), posterior);
            net.load(weights, "", arena);
            if (!posterior) weights.skip(POSTERIOR_ENCODER_PREFIX); // none there, or unread on purpose
            weights.requireAllTaken();
            return net;
        });
    }

    private static boolean isZip(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        } catch (IOException e) {
            throw new Bv2jException(path.getFileName() + ": cannot read: " + e.getMessage(), e);
        }
    }
}
