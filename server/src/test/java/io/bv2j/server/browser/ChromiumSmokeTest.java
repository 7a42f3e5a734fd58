package io.bv2j.server.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bv2j.io.Json;
import io.bv2j.io.Wav;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The browser driver itself, without any TTS: a page served from inside the test takes typed text
 * and a real click, and plays a generated WAV. Without chromium it skips, or fails under CI=true
 * ({@link ChromiumRequirement}).
 */
class ChromiumSmokeTest {

    private static final double TONE_SECONDS = 1.0;
    private static final int SAMPLE_RATE = 44_100;

    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>smoke</title></head>
            <body>
              <input id="name" aria-label="name">
              <button id="go" style="margin: 40px; padding: 20px">Play</button>
              <p id="out"></p>
              <audio id="player" controls></audio>
              <script>
                document.getElementById('go').addEventListener('click', (event) => {
                  const name = document.getElementById('name').value;
                  document.getElementById('out').textContent = (event.isTrusted ? 'trusted: ' : 'synthetic: ') + name;
                  const player = document.getElementById('player');
                  player.src = '/tone.wav';
                  player.play();
                });
              </script>
            </body></html>
            """;

    private static HttpServer server;
    private static Chromium browser;
    private static URI base;

    @BeforeAll
    static void start() throws IOException {
        if (!Chromium.available()) {
            return; // requireChromium() skips or fails each test with the reason
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        byte[] tone = tone();
        server.createContext("/", exchange -> reply(exchange, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8)));
        server.createContext("/tone.wav", exchange -> reply(exchange, "audio/wav", tone));
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        browser = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        // Each step runs even if the one before failed, so no browser or port outlives the class.
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @BeforeEach
    void requireChromium() {
        ChromiumRequirement.check();
    }

    @Test
    void typedTextAndRealClickPlayTheTone() {
        try (CdpSession page = browser.newPage(); PageErrors errors = PageErrors.watch(page)) {
            page.navigate(base);
            PageInput.replaceText(page, "#name", "héllo wörld");
            PageInput.click(page, "#go");

            page.waitFor("document.getElementById('out').textContent !== ''", CdpSession.TIMEOUT);
            assertEquals("trusted: héllo wörld", page.evaluate("document.getElementById('out').textContent"));
            String player = "document.getElementById('player')";
            page.waitFor(player + ".currentTime > 0 && (!" + player + ".paused || " + player + ".ended)", CdpSession.TIMEOUT);
            assertEquals(TONE_SECONDS, Json.num(page.evaluate(player + ".duration"), "duration"), 0.01);
            assertEquals(List.of(), errors.seen());
        }
    }

    @Test
    void pageScriptErrorsAreReported() {
        try (CdpSession page = browser.newPage(); PageErrors errors = PageErrors.watch(page)) {
            page.navigate(base);
            page.evaluate("setTimeout(() => { throw new Error('boom'); }); console.error('bad', 42); 0");
            page.waitFor("new Promise((done) => setTimeout(() => done(true), 100))", CdpSession.TIMEOUT);
            String seen = String.join("\n", errors.seen());
            assertTrue(seen.contains("Error: boom"), seen);
            assertTrue(seen.contains("console.error: bad 42"), seen);
        }
    }

    private static byte[] tone() throws IOException {
        float[] samples = new float[(int) (TONE_SECONDS * SAMPLE_RATE)];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 0.25f * (float) Math.sin(2 * Math.PI * 440 * i / SAMPLE_RATE);
        }
        ByteArrayOutputStream wav = new ByteArrayOutputStream();
        Wav.write(wav, samples, SAMPLE_RATE, false);
        return wav.toByteArray();
    }

    private static void reply(HttpExchange exchange, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
