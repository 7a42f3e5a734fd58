package io.bv2j.cli;

import io.bv2j.Bv2jException;
import io.bv2j.training.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** bv2j train: the reference's training loop, checkpoints in MODEL_DIR. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train or fine-tune a voice (train_ms.py): G_/D_/DUR_<step>.pth, metrics.jsonl, images and report.html in MODEL_DIR.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "config.json (filelists relative to it)")
    Path config;
    @Option(names = {"-m", "--model"}, required = true, description = "model folder")
    Path modelDir;
    @Option(names = "--resume", description = "continue from the newest complete checkpoint set in the model folder")
    boolean resume;
    @Option(names = "--init-g", description = "fine-tune from this G_*.pth")
    Path initG;
    @Option(names = "--init-d", description = "and this D_*.pth")
    Path initD;
    @Option(names = "--init-dur", description = "and this DUR_*.pth")
    Path initDur;
    @Option(names = "--max-steps", description = "stop after this global step, with a checkpoint written")
    long maxSteps;
    @Option(names = "--threads", description = "native threads (default: all cores)")
    int threads;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(config)) throw new Bv2jException(config + ": no such config file");
        if (resume && (initG != null || initD != null || initDur != null)) {
            throw new Bv2jException("--resume continues a run; --init-* start a new one: give one or the other");
        }
        for (Path p : new Path[]{initG, initD, initDur}) {
            if (p != null && !Files.isRegularFile(p)) throw new Bv2jException(p + ": no such checkpoint");
        }
        Trainer.Summary s = Trainer.run(new Trainer.Options(config, modelDir, resume, initG, initD, initDur, maxSteps,
                threads, System.out, System.console() != null));
        spec.commandLine().getOut().printf("trained steps %d..%d (epoch %d) in %.1f s; last checkpoint %s%n",
                s.firstStep(), s.lastStep(), s.epoch(), s.seconds(), s.lastCheckpoint());
        return 0;
    }
}
