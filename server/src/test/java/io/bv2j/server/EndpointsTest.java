package io.bv2j.server;

import io.bv2j.io.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every endpoint answers with the demo voice: the reference GET /, OpenAI speech, /synthesize, /voices, /health, /metrics, the page. */
class EndpointsTest {
    private static DemoServer demo;

    @BeforeAll
    static void start() throws IOException {
        demo = new DemoServer(DemoServer.settings());
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @Test
    void referenceQueryGivesAWholeWavWithItsLength() throws Exception {
        HttpResponse<byte[]> r = demo.get("/?text=Hello%20there.%20How%20are%20you%3F&speaker=demo&language=EN");
        assertEquals(200, r.statusCode());
        assertEquals("audio/wav", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(Long.toString(r.body().length), r.headers().firstValue("Content-Length").orElseThrow());
        float[] s = DemoServer.wavSamples(r.body());
        assertTrue(s.length > 16000 / 2, "two sentences are more than half a second: " + s.length);
        assertTrue(rms(s) > 0.01, "not silence");
        // the reference's defaults (length 1.2) are slower than length=1
        float[] faster = DemoServer.wavSamples(demo.get("/?text=Hello%20there.%20How%20are%20you%3F&length=1").body());
        assertTrue(faster.length < s.length, faster.length + " vs " + s.length);
    }

    @Test
    void sameRequestSameAudioAndTheSeedChangesIt() throws Exception {
        byte[] a = demo.get("/?text=Good%20morning.&seed=3").body(), b = demo.get("/?text=Good%20morning.&seed=3").body();
        assertArrayEquals(a, b);
        byte[] c = demo.get("/?text=Good%20morning.&seed=4").body();
        assertTrue(!java.util.Arrays.equals(a, c), "another seed, other audio");
    }

    @Test
    void openAiSpeechStreamsWavOrPcm() throws Exception {
        HttpResponse<byte[]> wav = demo.post("/v1/audio/speech",
                "{\"model\":\"demo\",\"input\":\"The quick brown fox jumps over the lazy dog.\",\"voice\":\"demo\"}");
        assertEquals(200, wav.statusCode());
        assertEquals("chunked", wav.headers().firstValue("Transfer-Encoding").orElse("").toLowerCase());
        float[] w = DemoServer.wavSamples(wav.body());
        HttpResponse<byte[]> pcm = demo.post("/v1/audio/speech",
                "{\"input\":\"The quick brown fox jumps over the lazy dog.\",\"response_format\":\"pcm\"}");
        assertEquals("audio/pcm", pcm.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("16000", pcm.headers().firstValue("X-Sample-Rate").orElseThrow());
        assertArrayEquals(w, DemoServer.pcmSamples(pcm.body()), "the same audio in both formats");
        HttpResponse<byte[]> fast = demo.post("/v1/audio/speech",
                "{\"input\":\"The quick brown fox jumps over the lazy dog.\",\"response_format\":\"pcm\",\"speed\":2}");
        assertTrue(fast.body().length < pcm.body().length * 0.7, "speed 2 is about half as long");
    }

    /** Audio arrives while the rest of a long text is still being synthesized, and adds up to the whole. */
    @Test
    void longTextStreamsSentenceBySentence() throws Exception {
        String text = "This is one of many sentences in a long text. ".repeat(30);
        String body = "{\"input\": \"" + text + "\", \"response_format\": \"pcm\"}";
        HttpResponse<java.io.InputStream> r = demo.client.send(java.net.http.HttpRequest.newBuilder(demo.uri("/v1/audio/speech"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (java.io.InputStream in = r.body()) {
            byte[] first = in.readNBytes(8192);
            assertEquals(8192, first.length);
            assertEquals(1, demo.metric("bv2j_requests_in_flight"), "the first audio came before the last was made");
            long total = first.length + in.transferTo(java.io.OutputStream.nullOutputStream());
            int pause = (int) Math.round(0.3 * 16000);
            assertTrue(total / 2 > 29L * pause + 30 * 8000, "30 sentences of audio with 29 pauses: " + total / 2);
        }
    }

    @Test
    void synthesizeTakesARequestFileWithTextAndPhones() throws Exception {
        HttpResponse<byte[]> r = demo.post("/synthesize?voice=demo",
                "{\"length_scale\":1.1,\"utterances\":[{\"text\":\"One sentence here.\",\"speaker\":\"demo\"},"
                        + "{\"phones\":[\"_\",\"h\",\"_\",\"ay\",\"_\"],\"tones\":[0,7,0,8,0],\"languages\":[0,2,0,2,0]}]}");
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertTrue(DemoServer.wavSamples(r.body()).length > 8000);
    }

    @Test
    void voicesHealthAndMetricsDescribeTheService() throws Exception {
        Map<String, Object> v = Json.obj(Json.obj(Json.parse(new String(demo.get("/voices").body(), StandardCharsets.UTF_8)),
                "voices").get("voices") instanceof List<?> l ? l.getFirst() : null, "voice");
        assertEquals("demo", v.get("name"));
        assertEquals(16000L, v.get("sample_rate"));
        assertTrue(((List<?>) v.get("speakers")).contains("demo"));
        HttpResponse<byte[]> h = demo.get("/health");
        assertEquals(200, h.statusCode());
        demo.get("/?text=Metrics%20please.");
        assertTrue(demo.metric("bv2j_audio_seconds_total") > 0.1);
        assertTrue(demo.metric("bv2j_requests_total") >= 1);
        assertEquals(0, demo.metric("bv2j_requests_in_flight"));
        String m = new String(demo.get("/metrics").body(), StandardCharsets.UTF_8);
        assertTrue(m.contains("bv2j_request_duration_seconds_bucket{endpoint=\"/\""), m);
        assertTrue(m.contains("bv2j_queue_depth"), m);
    }

    @Test
    void thePageIsServedAtTheRootWithoutText() throws Exception {
        HttpResponse<byte[]> r = demo.get("/");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("id=\"speak\""));
    }

    private static double rms(float[] s) {
        double sum = 0;
        for (float x : s) sum += x * x;
        return Math.sqrt(sum / s.length);
    }
}
