package io.bv2j.cli;

import io.bv2j.io.ModelConfig;
import io.bv2j.training.data.Preprocess;
import io.bv2j.training.data.PreprocessReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** bv2j preprocess: validates a filelist completely (every problem at once) and caches spectrograms. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = "Check every line, file and length of a training filelist, report all problems, cache spectrograms.")
final class PreprocessCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "config.json")
    Path config;
    @Option(names = "--filelist", description = "filelist (default: data.training_files and data.validation_files of the config)")
    Path filelist;
    @Option(names = "--check-only", description = "validate without computing spectrograms")
    boolean checkOnly;
    @Option(names = "--max-problems", description = "problems listed per kind (default ${DEFAULT-VALUE})")
    int maxProblems = 20;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelConfig cfg = ModelConfig.read(config);
        Path base = config.toAbsolutePath().getParent();
        boolean ok = true;
        for (String listed : filelists(cfg)) {
            Path list = base.resolve(listed);
            PreprocessReport r = checkOnly ? Preprocess.validate(cfg, list, base)
                    : Preprocess.run(cfg, list, base, (done, total, wav) -> {
                        if (done % 50 == 0 || done == total) out.printf("  %d/%d %s%n", done, total, wav);
                    });
            out.println(r.format(maxProblems));
            ok &= !r.hasErrors();
        }
        return ok ? 0 : Main.EXIT_BAD_INPUT;
    }

    private String[] filelists(ModelConfig cfg) {
        if (filelist != null) return new String[]{filelist.toString()};
        var d = cfg.data();
        return d.validationFiles() == null ? new String[]{d.trainingFiles()} : new String[]{d.trainingFiles(), d.validationFiles()};
    }
}
