package io.bv2j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's peak resident set size (VmHWM in /proc/self/status): JVM heap, native weights
 * and scratch together, since the start of the process. Empty where /proc is not available.
 */
final class PeakRss {
    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakRss() {
    }

    static OptionalLong bytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    String[] f = line.substring("VmHWM:".length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(f[0]) * 1024); // the kernel reports kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc (not Linux) or an unexpected format: the figure is optional.
        }
        return OptionalLong.empty();
    }
}
