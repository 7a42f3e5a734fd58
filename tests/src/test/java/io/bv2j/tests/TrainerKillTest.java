package io.bv2j.tests;

import io.bv2j.io.TorchCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of `bv2j train` while it writes a checkpoint: no corrupt checkpoint is left under a
 * final name, and --resume continues from the last complete set.
 */
class TrainerKillTest {
    @TempDir
    Path tmp;

    @Test
    void killedMidCheckpointResumesFromTheLastCompleteOne() throws Exception {
        Path config = TinyCorpus.write(tmp.resolve("corpus"), 10, 1); // a checkpoint after every step
        Path model = tmp.resolve("model");
        Process train = new ProcessBuilder(javaBin(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.bv2j.cli.Main", "train", "-c", config.toString(), "-m",
                model.toString(), "--max-steps", "100", "--threads", "1")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("train.log").toFile()).start();
        boolean killedMidWrite = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        // Wait for a second checkpoint write to begin (a complete set exists by then), then SIGKILL.
        while (System.nanoTime() < deadline && train.isAlive()) {
            if (Files.exists(model.resolve("G_1.pth")) && !tempFiles(model).isEmpty()) {
                train.destroyForcibly(); // SIGKILL
                killedMidWrite = true;
                break;
            }
            Thread.sleep(5);
        }
        train.waitFor(60, TimeUnit.SECONDS);
        assertTrue(killedMidWrite, "the trainer was killed during a checkpoint write; log: "
                + Files.readString(tmp.resolve("train.log")));
        for (Path ckpt : checkpoints(model)) {
            try (TorchCheckpoint ck = TorchCheckpoint.read(ckpt)) {
                assertFalse(ck.modelStateDict().isEmpty(), ckpt + " is complete");
                ck.modelStateDict().values().forEach(t -> t.toFloats());
            }
        }
        Cli resumed = Cli.run("train", "-c", config.toString(), "-m", model.toString(), "--resume", "--max-steps",
                String.valueOf(lastCompleteStep(model) + 1));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(tempFiles(model).isEmpty(), "stale temporary files removed on resume");
    }

    private static long lastCompleteStep(Path model) throws Exception {
        long best = -1;
        for (Path p : checkpoints(model)) {
            String n = p.getFileName().toString();
            if (n.startsWith("G_") && Files.exists(model.resolve("D_" + n.substring(2))) && Files.exists(model.resolve("DUR_" + n.substring(2)))) {
                best = Math.max(best, Long.parseLong(n.substring(2, n.length() - 4)));
            }
        }
        assertTrue(best >= 1, "a complete checkpoint set survived");
        return best;
    }

    private static List<Path> checkpoints(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("(G|D|DUR)_\\d+\\.pth")).toList());
        }
    }

    private static List<Path> tempFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
