package io.bv2j.cli;

import io.bv2j.bench.BenchPart;
import io.bv2j.bench.BenchRequest;
import io.bv2j.bench.BenchRunner;
import io.bv2j.io.ModelConfig;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.training.TrainStepBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** bv2j bench: times the decoder, full synthesis or a training step; prints one key=value line. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the decoder, full synthesis (durations rescaled to exactly --frames) or one training step.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "config.json")
    Path config;
    @Option(names = "--checkpoint", description = "G_*.pth (default: random weights; speed does not depend on them)")
    Path checkpoint;
    @Option(names = "--part", required = true, description = "decoder, full, batch (8 mixed-length utterances in one padded batch call), all (the same 8 in one synthesizeAll call), singles (the same 8 one by one), first-audio (streaming: time to the first chunk), latent (everything before the decoder: text encoder, duration predictors, flow), train-step or decoder-backward")
    String part;
    @Option(names = "--frames", description = "latent frames (decoder, full, first-audio, latent; default ${DEFAULT-VALUE})")
    int frames = 160;
    @Option(names = "--threads", description = "native threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--reps", description = "timed repetitions after one warm-up (default ${DEFAULT-VALUE})")
    int reps = 5;
    @Option(names = "--batch", description = "train-step batch size (default: the config's)")
    int batch;
    @Option(names = "--segment", description = "train-step segment in samples (default: the config's)")
    int segment;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
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
