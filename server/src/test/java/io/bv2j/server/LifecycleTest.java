package io.bv2j.server;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Back-pressure, clients that leave, graceful shutdown, and batching that changes nobody's audio. */
class LifecycleTest {
    /** About a dozen short sentences: several seconds of work on two cores. */
    private static final String LONG_TEXT = ("The sun rose over the quiet hills. Birds began to sing in the tall trees. "
            + "A farmer walked slowly to the barn. The cows were waiting for their breakfast. ").repeat(3);

    @Test
    void aFullQueueAnswers429WithRetryAfter() throws Exception {
        try (DemoServer demo = new DemoServer(DemoServer.settings().withQueueCapacity(1))) {
            CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture.supplyAsync(() -> call(() -> demo.get(
                    "/?text=" + encode(LONG_TEXT))));
            waitUntil(() -> metric(demo, "bv2j_requests_in_flight") == 1, "the first request is admitted");
            HttpResponse<byte[]> second = demo.get("/?text=Me%20too.");
            assertEquals(429, second.statusCode());
            int retry = Integer.parseInt(second.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retry >= 1, "Retry-After " + retry);
            assertEquals("rate_limit_error", DemoServer.error(second).get("type"));
            assertEquals(200, first.get(120, TimeUnit.SECONDS).statusCode());
            assertEquals(1, metric(demo, "bv2j_rejected_total"));
            assertEquals(200, demo.get("/?text=Me%20too.").statusCode(), "room again once the first is done");
        }
    }

    @Test
    void aClientThatLeavesMidStreamFreesItsWork() throws Exception {
        try (DemoServer demo = new DemoServer(DemoServer.settings())) {
            String body = "{\"input\": \"" + LONG_TEXT + "\", \"response_format\": \"pcm\"}";
            double before = metric(demo, "bv2j_audio_seconds_total");
            assertEquals(200, demo.post("/v1/audio/speech", body).statusCode());
            double whole = metric(demo, "bv2j_audio_seconds_total") - before;

            try (Socket s = new Socket(demo.server.uri().getHost(), demo.server.uri().getPort())) {
                OutputStream out = s.getOutputStream();
                byte[] json = body.getBytes(StandardCharsets.UTF_8);
                out.write(("POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(json);
                out.flush();
                InputStream in = s.getInputStream();
                byte[] some = in.readNBytes(4096); // headers and the first audio
                assertTrue(new String(some, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"));
            } // the client hangs up here
            waitUntil(() -> metric(demo, "bv2j_requests_in_flight") == 0 && metric(demo, "bv2j_queue_depth") == 0,
                    "the abandoned request leaves the queue");
            assertEquals(1, metric(demo, "bv2j_cancelled_total"));
            Thread.sleep(500); // anything still running for it would add audio now
            double abandoned = metric(demo, "bv2j_audio_seconds_total") - before - whole;
            assertTrue(abandoned < whole / 2, "abandoned request made " + abandoned + " s of its " + whole + " s");
            assertEquals(200, demo.get("/?text=Next%20please.").statusCode());
        }
    }

    @Test
    void shutdownFinishesRequestsInFlightThenRefusesConnections() throws Exception {
        DemoServer demo = new DemoServer(DemoServer.settings());
        CompletableFuture<HttpResponse<byte[]>> inFlight = CompletableFuture.supplyAsync(() -> call(() -> demo.get(
                "/?text=" + encode(LONG_TEXT))));
        waitUntil(() -> metric(demo, "bv2j_requests_in_flight") == 1, "the request is admitted");
        demo.close(); // blocks until the request in flight is answered
        HttpResponse<byte[]> r = inFlight.get(5, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertTrue(DemoServer.wavSamples(r.body()).length > 16000 * 5, "the whole text, not a cut-off stream");
        assertThrows(ConnectException.class, () -> new Socket(demo.server.uri().getHost(), demo.server.uri().getPort()).close());
    }

    @Test
    void concurrentRequestsAreBatchedAndEachSoundsAsItWouldAlone() throws Exception {
        String[] texts = {"A short one.", "This sentence is a little bit longer than that.", "Medium length here.",
                "Numbers like 42 are read out too."};
        try (DemoServer demo = new DemoServer(DemoServer.settings().withBatching(8, 300))) {
            List<float[]> alone = new ArrayList<>();
            for (String t : texts) alone.add(DemoServer.wavSamples(demo.get("/?seed=5&text=" + encode(t)).body()));
            double batchesBefore = metric(demo, "bv2j_batch_size_count");
            List<CompletableFuture<HttpResponse<byte[]>>> together = new ArrayList<>();
            for (String t : texts) together.add(CompletableFuture.supplyAsync(() -> call(() -> demo.get("/?seed=5&text=" + encode(t)))));
            for (int i = 0; i < texts.length; i++) {
                float[] got = DemoServer.wavSamples(together.get(i).get(120, TimeUnit.SECONDS).body());
                assertEquals(alone.get(i).length, got.length, texts[i]);
                for (int k = 0; k < got.length; k++) {
                    assertTrue(Math.abs(got[k] - alone.get(i)[k]) <= 2 / 32767f, texts[i] + ": sample " + k);
                }
            }
            double batches = metric(demo, "bv2j_batch_size_count") - batchesBefore;
            assertTrue(batches < texts.length, texts.length + " requests in " + batches + " batches");
        }
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private static double metric(DemoServer demo, String name) {
        return call(() -> demo.metric(name));
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
