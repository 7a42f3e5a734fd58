package io.bv2j.cli;

import io.bv2j.Bv2jException;
import io.bv2j.bench.BenchPart;
import io.bv2j.bench.BenchRequest;
import io.bv2j.bench.BenchRunner;
import io.bv2j.bench.MasBench;
import io.bv2j.io.ModelConfig;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.tensor.Device;
import io.bv2j.training.TrainStepBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** bv2j bench: times the decoder, full synthesis or a training step; prints one key=value line. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the decoder, full synthesis (durations rescaled to exactly --frames), one training step or the aligner.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--config", description = "config.json (every part but mas)")
    Path config;
    @Option(names = "--checkpoint", description = "G_*.pth (default: random weights; speed does not depend on them)")
    Path checkpoint;
    @Option(names = "--part", required = true, description = "decoder, full, batch (8 mixed-length utterances in one padded batch call), all (the same 8 in one synthesizeAll call), singles (the same 8 one by one), first-audio (streaming: time to the first chunk), latent (everything before the decoder: text encoder, duration predictors, flow), train-step decoder-backward or mas (the monotonic alignment search: --batch x --frames x --text)")
    String part;
    @Option(names = "--frames", description = "latent frames (decoder, full, first-audio, latent: default 160; mas: 2048)")
    Integer frames;
    @Option(names = "--text", description = "mas: text tokens per row (default ${DEFAULT-VALUE})")
    int text = 512;
    @Option(names = "--threads", description = "native threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--reps", description = "timed repetitions after one warm-up (default ${DEFAULT-VALUE})")
    int reps = 5;
    @Option(names = "--batch", description = "train-step batch size (default: the config's); mas: rows (default 16)")
    int batch;
    @Mixin
    DeviceOption device;
    @Option(names = "--segment", description = "train-step segment in samples (default: the config's)")
    int segment;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ("mas".equalsIgnoreCase(part)) {
            spec.commandLine().getOut().println(MasBench.run(device.device(), batch > 0 ? batch : 16,
                    frames != null ? frames : 2048, text, reps, threads));
            return 0;
        }
        device.device().require(Device.Work.INFERENCE);
        if (config == null) throw new Bv2jException("--config is needed for --part " + part);
        int frames = this.frames != null ? this.frames : 160;
        if ("decoder-backward".equalsIgnoreCase(part)) {
            NativeContext.setThreads(threads);
            spec.commandLine().getOut().println(TrainStepBench.decoder(ModelConfig.read(config), frames, reps).line()
                    + " threads=" + threads);
            return 0;
        }
        if ("train-step".equalsIgnoreCase(part)) {
            NativeContext.setThreads(threads);
            TrainStepBench.Result r = TrainStepBench.run(ModelConfig.read(config), batch, segment, reps);
            spec.commandLine().getOut().println(r.line() + " threads=" + threads);
            return 0;
        }
        var result = BenchRunner.run(new BenchRequest(config, checkpoint, BenchPart.parse(part), frames, threads, reps));
        spec.commandLine().getOut().println(result.line());
        return 0;
    }
}
