package io.bv2j.server;

import io.bv2j.server.browser.CdpSession;
import io.bv2j.server.browser.Chromium;
import io.bv2j.server.browser.ChromiumRequirement;
import io.bv2j.server.browser.WebPageScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web page in a real browser (Debian's Chromium, headless, over the DevTools protocol)
 * against the real server and the demo voice: typed text, a real click, audio that arrives and
 * plays, a download link; and the server's refusal shown on the page. Skips without Chromium,
 * fails without it under CI=true.
 */
class WebPageBrowserTest {
    private static DemoServer demo;

    @BeforeAll
    static void start() throws IOException {
        demo = new DemoServer(DemoServer.settings());
    }

    @AfterAll
    static void stop() {
        if (demo != null) demo.close();
    }

    @BeforeEach
    void chromium() {
        ChromiumRequirement.check();
    }

    @Test
    void typedTextIsSpokenPlayedAndDownloadable() throws Exception {
        double before = demo.metric("bv2j_audio_seconds_total");
        try (Chromium browser = Chromium.launch(); CdpSession page = browser.newPage()) {
            WebPageScenario.Result r = WebPageScenario.speak(page, demo.server.uri(), "Hello from the browser. It works.");
            assertTrue(r.audioSeconds() > 1, "two sentences: " + r.audioSeconds() + " s");
            assertTrue(r.status().contains("s of audio"), r.status());
            assertTrue(r.downloadHref().startsWith("blob:"), r.downloadHref());
            assertEquals(java.util.List.of(), r.jsErrors());
        }
        double made = demo.metric("bv2j_audio_seconds_total") - before;
        assertTrue(made > 1, "the server made the audio the page played: " + made + " s");
    }

    @Test
    void theServersRefusalIsShownOnThePage() throws Exception {
        try (Chromium browser = Chromium.launch(); CdpSession page = browser.newPage()) {
            WebPageScenario.Rejection e = WebPageScenario.speakRejected(page, demo.server.uri(), "");
            assertEquals("text is empty", e.status());
            assertEquals(java.util.List.of(), e.jsErrors());
        }
    }
}
