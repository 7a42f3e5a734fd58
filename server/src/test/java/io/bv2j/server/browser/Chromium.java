package io.bv2j.server.browser;

import io.bv2j.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A headless Chromium started for one test: its own throwaway profile, DevTools on a free port.
 * Closing it kills the whole process tree and deletes the profile.
 */
public final class Chromium implements AutoCloseable {

    private static final Path DEFAULT_EXECUTABLE = Path.of("/usr/bin/chromium");

    private final Process process;
    private final Path profile;
    private final URI devTools;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CdpSession.TIMEOUT).build();
    private final List<CdpSession> sessions = new ArrayList<>();

    private Chromium(Process process, Path profile, URI devTools) {
        this.process = process;
        this.profile = profile;
        this.devTools = devTools;
    }

    /** $CHROMIUM if set, else Debian's /usr/bin/chromium; empty when that file is not executable. */
    public static Optional<Path> executable() {
        String override = System.getenv("CHROMIUM");
        Path path = override == null || override.isBlank() ? DEFAULT_EXECUTABLE : Path.of(override);
        return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }

    public static boolean available() {
        return executable().isPresent();
    }

    /** Where {@link #executable()} looks, for skip and failure messages. */
    public static String lookedFor() {
        String override = System.getenv("CHROMIUM");
        return override == null || override.isBlank() ? DEFAULT_EXECUTABLE + " (or $CHROMIUM)" : "$CHROMIUM=" + override;
    }

    /** Starts the browser and waits (at most {@link CdpSession#TIMEOUT}) until its DevTools port is known. */
    public static Chromium launch() throws IOException {
        Path executable = executable().orElseThrow(() -> new IllegalStateException("no chromium at " + lookedFor()));
        Path profile = Files.createTempDirectory("bv2j-chromium-");
        Process process = null;
        boolean handedOver = false;
        try {
            process = new ProcessBuilder(executable.toString(),
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    // Machines without network: these keep Chromium from waiting on refused
                    // connections (component updates, sync, background requests).
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    // play() must not depend on Chromium's autoplay heuristics (media engagement, activation).
                    "--autoplay-policy=no-user-gesture-required",
                    "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                    .redirectErrorStream(true)
                    .redirectOutput(profile.resolve("chromium.log").toFile())
                    .start();
            Chromium browser = new Chromium(process, profile, devToolsAddress(process, profile));
            handedOver = true;
            return browser;
        } finally {
            if (!handedOver) {
                try {
                    if (process != null) {
                        kill(process);
                    }
                } finally {
                    deleteTree(profile);
                }
            }
        }
    }

    /** Opens a new tab at about:blank and connects to it. */
    public CdpSession newPage() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(devTools.resolve("/json/new?about:blank"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).timeout(CdpSession.TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new CdpException("/json/new answered " + response.statusCode() + ": " + response.body());
            }
            Object target = Json.obj(Json.parse(response.body(), "/json/new"), "target").get("webSocketDebuggerUrl");
            CdpSession session = CdpSession.connect(http, URI.create(Json.str(target, "webSocketDebuggerUrl")));
            sessions.add(session);
            return session;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdpException("interrupted opening a page");
        }
    }

    @Override
    public void close() {
        try {
            sessions.forEach(CdpSession::close);
            http.close();
            kill(process);
        } finally {
            deleteTree(profile);
        }
    }

    /**
     * Chromium writes "PORT\n/devtools/browser/ID" to DevToolsActivePort once it listens; reading the
     * port from there (not from stderr) is what lets every test ask for port 0.
     */
    private static URI devToolsAddress(Process process, Path profile) throws IOException {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + CdpSession.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                // The file may be seen half-written; both lines present means it is complete.
                if (lines.size() >= 2) {
                    return URI.create("http://127.0.0.1:" + Integer.parseInt(lines.getFirst().strip()));
                }
            }
            if (!process.isAlive()) {
                throw new IOException("chromium exited with " + process.exitValue() + " before DevTools was up:\n"
                        + logTail(profile));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for chromium");
            }
        }
        throw new IOException("chromium wrote no DevToolsActivePort within " + CdpSession.TIMEOUT.toSeconds()
                + " s:\n" + logTail(profile));
    }

    private static String logTail(Path profile) throws IOException {
        // Decoded leniently: a log line with a stray byte must not hide why the start failed.
        List<String> lines = new String(Files.readAllBytes(profile.resolve("chromium.log")), StandardCharsets.UTF_8)
                .lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /**
     * Stops the browser and its helpers (zygote, renderers, GPU, utility). SIGTERM first, so the
     * browser shuts down in order; SIGKILL if it has not within 5 s. Helpers still running then get
     * SIGKILL too; their list is taken up front because orphans no longer count as the browser's
     * descendants. They are not awaited: SIGKILL cannot be refused, and what remains are zombies
     * of PID 1, whose reaping (1 to 2 s in containers here) is no business of the test's.
     */
    private static void kill(Process process) {
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        helpers.forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete chromium profile " + root, e);
        }
    }

    @Override
    public String toString() {
        return "Chromium with DevTools at " + devTools + " (profile " + profile + ")";
    }
}
