package io.bv2j.training;

import io.bv2j.Bv2jException;
import io.bv2j.io.TorchCheckpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model folder: config.json, G_/D_/DUR_<step>.pth, metrics, evaluation output. Checkpoints
 * are written to temporary names and renamed, so a killed run leaves only complete files plus,
 * at worst, a hidden `.*.tmp` that the next start removes.
 */
final class ModelDir {
    private static final Pattern CHECKPOINT = Pattern.compile("^(G|D|DUR)_(\\d+)\\.pth$");

    /** The newest step with a complete set of checkpoints, and the epoch its G recorded. */
    record Latest(long step, long epoch, Path g, Path d, Path dur) {
    }

    private ModelDir() {
    }

    static void prepare(Path dir, Path config) {
        try {
            Files.createDirectories(dir);
            Path copy = dir.resolve("config.json");
            if (!Files.exists(copy) || !Files.isSameFile(copy, config)) {
                Files.copy(config, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(".") && n.endsWith(".tmp")) Files.deleteIfExists(p); // left by a killed write
                }
            }
        } catch (IOException e) {
            throw new Bv2jException(dir + ": cannot prepare the model folder: " + e.getMessage(), e);
        }
    }

    /** The newest step whose G, D (and DUR when used) all exist. */
    static Latest latest(Path dir, boolean withDur) {
        TreeSet<Long> steps = new TreeSet<>();
        for (Path p : checkpoints(dir)) {
            Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
            if (m.matches() && m.group(1).equals("G")) steps.add(Long.parseLong(m.group(2)));
        }
        for (Long s : steps.descendingSet()) {
            Path g = dir.resolve("G_" + s + ".pth"), d = dir.resolve("D_" + s + ".pth"), dur = dir.resolve("DUR_" + s + ".pth");
            if (!Files.exists(d) || (withDur && !Files.exists(dur))) continue;
            long epoch;
            try (TorchCheckpoint ck = TorchCheckpoint.read(g)) {
                epoch = ck.iteration().orElse(1);
            }
            return new Latest(s, epoch, g, d, withDur ? dur : null);
        }
        throw new Bv2jException(dir + ": --resume found no complete checkpoint set (G_<step>.pth with D_<step>.pth"
                + (withDur ? " and DUR_<step>.pth" : "") + ")");
    }

    /** Keeps the newest `keep` steps of each kind (and step 0, like the reference's clean_checkpoints). */
    static void prune(Path dir, int keep) {
        if (keep <= 0) return;
        for (String kind : List.of("G", "D", "DUR")) {
            TreeSet<Long> steps = new TreeSet<>();
            for (Path p : checkpoints(dir)) {
                Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
                if (m.matches() && m.group(1).equals(kind) && Long.parseLong(m.group(2)) != 0) steps.add(Long.parseLong(m.group(2)));
            }
            while (steps.size() > keep) {
                try {
                    Files.deleteIfExists(dir.resolve(kind + "_" + steps.pollFirst() + ".pth"));
                } catch (IOException e) {
                    throw new Bv2jException(dir + ": cannot delete an old checkpoint: " + e.getMessage(), e);
                }
            }
        }
    }

    private static List<Path> checkpoints(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches()).toList());
        } catch (IOException e) {
            throw new Bv2jException(dir + ": cannot list checkpoints: " + e.getMessage(), e);
        }
    }
}
