package io.bv2j.server.browser;

import io.bv2j.io.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Collects the page's JavaScript errors (uncaught exceptions and console.error/console.assert) while
 * open, so a test can fail on a script that broke even when the page still looks right.
 */
public final class PageErrors implements AutoCloseable {

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<CdpSession.Subscription> subscriptions;

    private PageErrors(CdpSession page) {
        subscriptions = List.of(
                page.on("Runtime.exceptionThrown",
                        params -> errors.add(describe(Json.obj(params.get("exceptionDetails"), "exceptionDetails")))),
                page.on("Runtime.consoleAPICalled", this::console));
    }

    /** Starts collecting; Runtime.enable is what makes Chromium send these events at all. */
    public static PageErrors watch(CdpSession page) {
        PageErrors watcher = new PageErrors(page);
        page.send("Runtime.enable");
        return watcher;
    }

    /** The errors seen so far, oldest first. */
    public List<String> seen() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        subscriptions.forEach(CdpSession.Subscription::close);
    }

    /** An exception's text, preferring its stack-bearing description ("TypeError: x is undefined\n at …"). */
    static String describe(Map<String, Object> exceptionDetails) {
        if (exceptionDetails.get("exception") instanceof Map<?, ?> exception && exception.get("description") != null) {
            return exception.get("description").toString();
        }
        return exceptionDetails.get("text") + " at " + exceptionDetails.get("url") + ":"
                + exceptionDetails.get("lineNumber");
    }

    private void console(Map<String, Object> params) {
        Object type = params.get("type");
        if (!"error".equals(type) && !"assert".equals(type)) {
            return;
        }
        List<Object> args = params.get("args") == null ? List.of() : Json.arr(params.get("args"), "args");
        errors.add("console." + type + ": " + args.stream()
                .map(arg -> Json.obj(arg, "arg"))
                .map(arg -> String.valueOf(arg.containsKey("value") ? arg.get("value") : arg.get("description")))
                .collect(Collectors.joining(" ")));
    }
}
