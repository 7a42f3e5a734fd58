package io.bv2j.server.browser;

import io.bv2j.io.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One Chrome DevTools Protocol connection to a page target: commands with a timeout, events to
 * listeners, and the few page helpers browser tests need (evaluate, wait, navigate).
 */
public final class CdpSession implements AutoCloseable {

    /** Every command and every wait gives up after this, so a broken page fails a test instead of hanging it. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final Duration POLL = Duration.ofMillis(50);

    private final WebSocket socket;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<Map<String, Object>>>> listeners = new ConcurrentHashMap<>();

    private CdpSession(WebSocket socket) {
        this.socket = socket;
    }

    /** Connects to a target's {@code webSocketDebuggerUrl}. */
    static CdpSession connect(HttpClient http, URI webSocketUrl) {
        Receiver receiver = new Receiver();
        WebSocket socket = await(http.newWebSocketBuilder().buildAsync(webSocketUrl, receiver),
                "connecting to " + webSocketUrl);
        CdpSession session = new CdpSession(socket);
        receiver.session = session;
        return session;
    }

    /** Sends a command and returns its {@code result}; a protocol error or a timeout throws {@link CdpException}. */
    public Map<String, Object> send(String method, Map<String, ?> params) {
        int id = nextId.getAndIncrement();
        CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        pending.put(id, reply);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        try {
            // WebSocket allows one outstanding send at a time; commands may come from several threads.
            synchronized (socket) {
                await(socket.sendText(Json.writeCompact(message), true), method);
            }
            return await(reply, method);
        } finally {
            pending.remove(id);
        }
    }

    public Map<String, Object> send(String method) {
        return send(method, Map.of());
    }

    /**
     * Calls {@code listener} with the params of every {@code method} event (e.g. "Runtime.exceptionThrown")
     * until the returned handle is closed. Listeners run on the socket's thread: keep them short, send nothing.
     */
    public Subscription on(String method, Consumer<Map<String, Object>> listener) {
        List<Consumer<Map<String, Object>>> list = listeners.computeIfAbsent(method, _ -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return () -> list.remove(listener);
    }

    /** Evaluates {@code js} in the page, awaiting a promise result; returns the value as {@link Json#parse} would. */
    public Object evaluate(String js) {
        Map<String, Object> result = send("Runtime.evaluate",
                Map.of("expression", js, "awaitPromise", true, "returnByValue", true));
        if (result.get("exceptionDetails") != null) {
            throw new CdpException("page threw evaluating " + js + ": "
                    + PageErrors.describe(Json.obj(result.get("exceptionDetails"), "exceptionDetails")));
        }
        return Json.obj(result.get("result"), "result").get("value");
    }

    /** Polls {@code jsCondition} until it is truthy; after {@code timeout} throws with the condition and the page's state. */
    public void waitFor(String jsCondition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String truthy = "!!(" + jsCondition + ")";
        while (!Boolean.TRUE.equals(evaluate(truthy))) {
            if (System.nanoTime() > deadline) {
                throw new CdpException("timed out after " + timeout.toSeconds() + " s waiting for " + jsCondition
                        + " (page: " + pageSummary() + ")");
            }
            sleep(POLL);
        }
    }

    /** The address, body state and start of the text, so a timeout says where the page got stuck. */
    private String pageSummary() {
        try {
            return String.valueOf(evaluate("location.href + ' ' + (document.body ? document.body.dataset.state"
                    + " + ' ' + document.body.innerText.slice(0, 300) : '')"));
        } catch (CdpException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** Loads {@code url} and waits for its load event (a document's readyState alone is true of the old page too). */
    public void navigate(URI url) {
        send("Page.enable");
        CompletableFuture<Object> loaded = new CompletableFuture<>();
        try (Subscription _ = on("Page.loadEventFired", loaded::complete)) {
            Map<String, Object> result = send("Page.navigate", Map.of("url", url.toString()));
            if (result.get("errorText") != null) {
                throw new CdpException("navigating to " + url + ": " + result.get("errorText"));
            }
            await(loaded, "load event of " + url);
        }
    }

    @Override
    public void close() {
        socket.abort();
        pending.values().forEach(reply -> reply.completeExceptionally(new CdpException("session closed")));
    }

    /** An event listener's registration; closing it removes the listener. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private void dispatch(String text) {
        Map<String, Object> message = Json.obj(Json.parse(text, "DevTools message"), "DevTools message");
        if (message.get("id") instanceof Long id) {
            CompletableFuture<Map<String, Object>> reply = pending.get(id.intValue());
            if (reply == null) {
                return; // its sender already timed out
            }
            if (message.get("error") != null) {
                Map<String, Object> error = Json.obj(message.get("error"), "error");
                reply.completeExceptionally(new CdpException(error.get("message") + " (" + error.get("code") + ")"));
            } else {
                reply.complete(Json.obj(message.get("result"), "result"));
            }
        } else if (message.get("method") instanceof String method) {
            Map<String, Object> params = message.get("params") == null ? Map.of() : Json.obj(message.get("params"), "params");
            listeners.getOrDefault(method, List.of()).forEach(listener -> listener.accept(params));
        }
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CdpException("no answer within " + TIMEOUT.toSeconds() + " s to " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CdpException cdp) {
                throw new CdpException(what + ": " + cdp.getMessage());
            }
            throw new CdpException(what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdpException("interrupted waiting for " + what);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdpException("interrupted");
        }
    }

    /** Reassembles fragmented text frames (large results arrive in parts) and hands whole messages on. */
    private static final class Receiver implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private volatile CdpSession session;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                // Messages can arrive before connect() has stored the session; none is expected then.
                if (session != null) {
                    session.dispatch(text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (session != null) {
                session.pending.values().forEach(reply -> reply.completeExceptionally(error));
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (session != null) {
                session.pending.values().forEach(reply ->
                        reply.completeExceptionally(new CdpException("DevTools closed the connection: " + reason)));
            }
            return null;
        }
    }
}
