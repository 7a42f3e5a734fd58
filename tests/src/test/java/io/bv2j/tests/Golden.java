package io.bv2j.tests;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the golden data: $BV2J_GOLDEN, else ../shared/golden beside the repository. Without it a
 * test skips loudly, and under CI (CI=true) it fails: parity must never pass silently.
 */
public final class Golden {
    private Golden() {
    }

    public static Path root() {
        String env = System.getenv("BV2J_GOLDEN");
        Path p = env != null && !env.isBlank() ? Path.of(env) : defaultRoot();
        if (p == null || !Files.isDirectory(p)) {
            String msg = "GOLDEN DATA NOT FOUND (" + (env != null ? "BV2J_GOLDEN=" + env : "../shared/golden")
                    + "): parity tests cannot run";
            System.err.println("*** " + msg);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(msg);
            Assumptions.abort(msg);
        }
        return p;
    }

    public static Path dev() {
        return root().resolve("dev");
    }

    private static Path defaultRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared/golden");
            if (Files.isDirectory(candidate)) return candidate;
            if (Files.isDirectory(d.resolve("../shared/golden"))) return d.resolve("../shared/golden").normalize();
        }
        return null;
    }
}
