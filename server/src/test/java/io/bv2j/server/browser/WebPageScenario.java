package io.bv2j.server.browser;

import io.bv2j.io.Json;
import java.net.URI;
import java.util.List;

/**
 * What a user does with the page at {@code /} of {@code bv2j serve}: open it, type a text, click
 * Speak, hear it. Works against any server that keeps the page's contract, so the real server's
 * test and a fake one share it. Page behaviour that is wrong throws {@link AssertionError}; what
 * only the caller can judge (status text, duration, script errors) is returned.
 */
public final class WebPageScenario {

    /** Audio that arrived and played: its length, the status line, the download link, the page's script errors. */
    public record Result(double audioSeconds, String status, String downloadHref, List<String> jsErrors) {
    }

    /** A request the server refused: the status line (the server's message) and the page's script errors. */
    public record Rejection(String status, List<String> jsErrors) {
    }

    private static final String STATE = "document.body.dataset.state";
    private static final String PLAYER = "document.getElementById('player')";

    private WebPageScenario() {
    }

    /** Types {@code text}, clicks Speak, and waits until its audio arrived and plays. */
    public static Result speak(CdpSession page, URI base, String text) {
        try (PageErrors errors = PageErrors.watch(page)) {
            openAndSpeak(page, base, text);
            page.waitFor(STATE + " === 'error' || (" + PLAYER + ".readyState >= 2 && " + PLAYER + ".duration > 0)",
                    CdpSession.TIMEOUT);
            if ("error".equals(page.evaluate(STATE))) {
                throw new AssertionError("the page shows an error instead of audio: " + status(page));
            }
            // A short clip may already have ended when the first poll runs; ended after a start counts as played.
            page.waitFor(PLAYER + ".currentTime > 0 && (!" + PLAYER + ".paused || " + PLAYER + ".ended)",
                    CdpSession.TIMEOUT);
            String href = String.valueOf(page.evaluate("document.getElementById('download').href"));
            if (!href.startsWith("blob:") || Boolean.TRUE.equals(page.evaluate("document.getElementById('download').hidden"))) {
                throw new AssertionError("the download link is not a visible blob: link but " + href);
            }
            double seconds = Json.num(page.evaluate(PLAYER + ".duration"), "player.duration");
            return new Result(seconds, status(page), href, errors.seen());
        }
    }

    /** Types {@code text} (e.g. an empty one), clicks Speak, and waits for the page to show the server's refusal. */
    public static Rejection speakRejected(CdpSession page, URI base, String text) {
        try (PageErrors errors = PageErrors.watch(page)) {
            openAndSpeak(page, base, text);
            page.waitFor(STATE + " === 'error' || " + PLAYER + ".readyState >= 1", CdpSession.TIMEOUT);
            if (!"error".equals(page.evaluate(STATE))) {
                throw new AssertionError("expected the page to show an error, but it is "
                        + page.evaluate(STATE) + ": " + status(page));
            }
            if (Boolean.TRUE.equals(page.evaluate("document.getElementById('speak').disabled"))) {
                throw new AssertionError("Speak stays disabled after the refused request");
            }
            return new Rejection(status(page), errors.seen());
        }
    }

    private static void openAndSpeak(CdpSession page, URI base, String text) {
        page.navigate(base);
        page.waitFor(STATE + " !== 'busy'", CdpSession.TIMEOUT);
        if (!Boolean.TRUE.equals(page.evaluate(STATE + " === 'idle' && document.getElementById('voice').options.length > 0"))) {
            throw new AssertionError("the voice list did not load: " + status(page));
        }
        PageInput.replaceText(page, "#text", text);
        String typed = String.valueOf(page.evaluate("document.getElementById('text').value"));
        if (!typed.equals(text)) {
            throw new AssertionError("typed " + PageInput.jsString(text) + " but the text box holds " + PageInput.jsString(typed));
        }
        PageInput.click(page, "#speak");
    }

    private static String status(CdpSession page) {
        return String.valueOf(page.evaluate("document.getElementById('status').textContent"));
    }
}
