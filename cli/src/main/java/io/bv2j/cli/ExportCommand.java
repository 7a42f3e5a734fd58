package io.bv2j.cli;

import io.bv2j.Bv2jException;
import io.bv2j.io.DType;
import io.bv2j.io.RawTensor;
import io.bv2j.io.SafeTensors;
import io.bv2j.synth.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * bv2j export: a generator checkpoint as a voice file for synthesis: safetensors with the
 * reference's key names, without the training-only posterior encoder (enc_q) unless asked, and
 * optionally in float16 (half the size; synthesis computes in float32 from the rounded weights).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a G_*.pth as an inference-only .safetensors voice (smaller; loads in bv2j synth).")
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "G_*.pth or .safetensors generator checkpoint")
    Path checkpoint;
    @Option(names = {"-o", "--out"}, required = true, description = "output .safetensors")
    Path out;
    @Option(names = "--half", description = "store weights as float16")
    boolean half;
    @Option(names = "--keep-posterior-encoder", description = "keep enc_q.* (needed only to train further)")
    boolean keepPosteriorEncoder;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!out.getFileName().toString().endsWith(".safetensors")) {
            throw new Bv2jException("--out must name a .safetensors file");
        }
        long[] counts = Checkpoints.withStateDict(checkpoint, weights -> {
            Map<String, RawTensor> kept = new LinkedHashMap<>();
            long params = 0;
            for (String key : weights.keys()) {
                if (!keepPosteriorEncoder && key.startsWith(Checkpoints.POSTERIOR_ENCODER_PREFIX)) continue;
                RawTensor t = weights.raw(key);
                kept.put(key, half ? toHalf(t) : t);
                params += t.numel();
            }
            if (kept.isEmpty()) throw new Bv2jException(checkpoint.getFileName() + ": no generator weights to export");
            SafeTensors.write(out, kept, Map.of("format", "pt", "bv2j.source", checkpoint.getFileName().toString()));
            return new long[]{kept.size(), params};
        });
        long bytes;
        try {
            bytes = Files.size(out);
        } catch (java.io.IOException e) {
            throw new Bv2jException("cannot read back " + out + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().printf("wrote %s: %d tensors, %,d parameters, %.1f MB%s%n", out, counts[0], counts[1],
                bytes / 1e6, half ? " (float16)" : "");
        return 0;
    }

    private static RawTensor toHalf(RawTensor t) {
        float[] v = t.toFloats();
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putShort(Float.floatToFloat16(f));
        return RawTensor.ofBytes(DType.F16, t.shape(), b.array());
    }
}
