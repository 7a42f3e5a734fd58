package io.bv2j.server.browser;

import io.bv2j.io.Json;
import java.util.Map;

/**
 * Keyboard and mouse input the way a user gives it: trusted events from Chromium's input pipeline
 * (Input.*), not element.click() or value assignment, so handlers, focus and hit-testing all run.
 */
public final class PageInput {

    private PageInput() {
    }

    /** Focuses the field matched by {@code selector}, deletes what it holds, and types {@code text}. */
    public static void replaceText(CdpSession page, String selector, String text) {
        page.evaluate("{ const el = document.querySelector(" + jsString(selector) + "); el.focus(); el.select(); }");
        key(page, "Backspace", 8);
        if (!text.isEmpty()) {
            // insertText is how an IME commits text: one input event, no per-character key codes to invent.
            page.send("Input.insertText", Map.of("text", text));
        }
    }

    /** Presses and releases the left mouse button at the centre of the element matched by {@code selector}. */
    public static void click(CdpSession page, String selector) {
        Map<String, Object> centre = Json.obj(page.evaluate("(() => { const el = document.querySelector("
                + jsString(selector) + "); el.scrollIntoView({block: 'center'});"
                + " const r = el.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"),
                "centre of " + selector);
        double x = Json.num(centre.get("x"), "x");
        double y = Json.num(centre.get("y"), "y");
        page.send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        page.send("Input.dispatchMouseEvent",
                Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "buttons", 1, "clickCount", 1));
        page.send("Input.dispatchMouseEvent",
                Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "buttons", 0, "clickCount", 1));
    }

    /** A JavaScript string literal for {@code s} (JSON's string syntax is a subset of JavaScript's). */
    public static String jsString(String s) {
        return Json.writeCompact(s);
    }

    private static void key(CdpSession page, String key, int keyCode) {
        for (String type : new String[] {"keyDown", "keyUp"}) {
            page.send("Input.dispatchKeyEvent", Map.of("type", type, "key", key, "code", key,
                    "windowsVirtualKeyCode", keyCode, "nativeVirtualKeyCode", keyCode));
        }
    }
}
