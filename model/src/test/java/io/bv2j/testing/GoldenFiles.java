package io.bv2j.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared golden data (read-only files produced by the reference implementation):
 * env BV2J_GOLDEN, else BV2J_GOLDEN_DEFAULT (set by the build), else the first {@code shared/golden}
 * found walking up from the working directory. When it is absent, tests that need it fail on CI
 * (CI=true) and are skipped elsewhere.
 */
public final class GoldenFiles {

    private GoldenFiles() {
    }

    /** The golden folder (holding dev/). */
    public static Path golden() {
        String explicit = System.getenv("BV2J_GOLDEN");
        if (explicit != null && !explicit.isBlank()) {
            // An explicit setting is never second-guessed: a wrong path is reported, not replaced.
            Path p = Path.of(explicit);
            if (Files.isDirectory(p)) return p.toAbsolutePath().normalize();
            return missing("BV2J_GOLDEN=" + explicit + " is not a folder");
        }
        String byBuild = System.getenv("BV2J_GOLDEN_DEFAULT");
        if (byBuild != null && Files.isDirectory(Path.of(byBuild))) return Path.of(byBuild).toAbsolutePath().normalize();
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/golden");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return missing("golden data not found (set BV2J_GOLDEN to the shared/golden folder)");
    }

    private static Path missing(String message) {
        System.err.println("*** GOLDEN DATA MISSING: " + message + " — parity tests cannot run");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** A file under golden/dev. */
    public static Path dev(String relative) {
        return golden().resolve("dev").resolve(relative);
    }

    /** A file elsewhere in the shared folder (reference/, bench/). */
    public static Path shared(String relative) {
        return golden().getParent().resolve(relative);
    }
}
