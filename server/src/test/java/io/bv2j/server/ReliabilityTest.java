package io.bv2j.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad requests get a 4xx with a JSON error body, never a 500 and never a dead worker: after each
 * refusal the same server still speaks.
 */
class ReliabilityTest {
    private static final int MAX_TEXT = 300;
    private static DemoServer demo;

    @BeforeAll
    static void start() throws IOException {
        demo = new DemoServer(DemoServer.settings().withMaxTextChars(MAX_TEXT));
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @ParameterizedTest(name = "GET {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/?text=                                   | 400 | text is empty",
            "/?text=hi&voice=nobody                    | 400 | unknown voice 'nobody'",
            "/?text=hi&speaker=nobody                  | 400 | nobody",
            "/?text=hi&sdp_ratio=7                     | 400 | sdp_ratio must be in",
            "/?text=hi&noise=-1                        | 400 | noise_scale must be in",
            "/?text=hi&length=NaN                      | 400 | length must be a finite number",
            "/?text=hi&length=1e39                     | 400 | length must be a finite number",
            "/?text=hi&noisew=abc                      | 400 | noisew must be a finite number",
            "/?text=hi&format=mp3                      | 400 | format 'mp3' is not supported",
            "/?text=hi&language=XX                     | 400 | unknown language 'XX'",
            "/?text=hi&bogus=1                         | 400 | unknown parameter 'bogus'",
            "/?text=hi&text=again                      | 400 | repeated",
            "/?text=%E0%A4                             | 400 | ",
            "/?text=%F0%9F%98%80                       | 400 | nothing pronounceable",
            "/nowhere                                  | 404 | no such endpoint",
            "/web/../../etc/passwd                     | 404 | ",
            "/v1/audio/speech                          | 405 | method not allowed",
    })
    void badQueriesAreRefusedWithAJsonError(String query, int status, String message) throws Exception {
        HttpResponse<byte[]> r = demo.get(query.strip());
        assertRefused(r, status, message);
    }

    @ParameterizedTest(name = "POST {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "/v1/audio/speech | {\"input\": \"hi\"                              | 400 | invalid JSON",
            "/v1/audio/speech | [1, 2]                                          | 400 | must be an object",
            "/v1/audio/speech | {\"input\": \"hi\", \"bogus\": 1}              | 400 | unknown field 'bogus'",
            "/v1/audio/speech | {\"input\": \"hi\", \"input\": \"ho\"}          | 400 | ",
            "/v1/audio/speech | {\"voice\": \"demo\"}                          | 400 | 'input' is missing",
            "/v1/audio/speech | {\"input\": 5}                                  | 400 | input must be a string",
            "/v1/audio/speech | {\"input\": \"hi\", \"model\": \"tts-1\"}       | 400 | unknown voice 'tts-1'",
            "/v1/audio/speech | {\"input\": \"hi\", \"voice\": \"alloy\"}       | 400 | alloy",
            "/v1/audio/speech | {\"input\": \"hi\", \"speed\": 100}             | 400 | speed must be in",
            "/v1/audio/speech | {\"input\": \"hi\", \"response_format\": \"opus\"} | 400 | 'opus' is not supported",
            "/synthesize      | {\"utterances\": []}                            | 400 | 'utterances' is empty",
            "/synthesize      | {\"utterances\": [{\"phones\": [\"zz\"], \"tones\": [0], \"languages\": [0]}]} | 400 | unknown symbol 'zz'",
            "/synthesize      | {\"utterances\": [{\"phones\": [1], \"tones\": [99], \"languages\": [0]}]}     | 400 | tone id 99",
            "/synthesize      | {\"utterances\": [{\"text\": \"hi\", \"bert\": \"/etc/passwd\"}]}             | 400 | not both",
            "/synthesize      | {\"utterances\": [{\"phones\": [1], \"tones\": [0], \"languages\": [0], \"bert\": \"/etc/x.npy\"}]} | 400 | feature files are not read here",
    })
    void badBodiesAreRefusedWithAJsonError(String path, String body, int status, String message) throws Exception {
        assertRefused(demo.post(path.strip(), body.strip()), status, message);
    }

    @Test
    void oversizedTextIs413WithTheLimit() throws Exception {
        String text = "word ".repeat(MAX_TEXT);
        HttpResponse<byte[]> r = demo.post("/v1/audio/speech", "{\"input\": \"" + text + "\"}");
        assertRefused(r, 413, "above this server's limit of " + MAX_TEXT);
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        String body = "{\"input\": \"" + "a".repeat(Exchanges.MAX_BODY_BYTES) + "\"}";
        assertRefused(demo.post("/v1/audio/speech", body), 413, "request body is larger");
    }

    @Test
    void invalidUtf8BodyIs400() throws Exception {
        HttpResponse<byte[]> r = demo.client.send(HttpRequest.newBuilder(demo.uri("/v1/audio/speech"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{'{', '"', 'i', (byte) 0xC3, '"', '}'})).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertRefused(r, 400, "not valid UTF-8");
    }

    private static void assertRefused(HttpResponse<byte[]> r, int status, String message) throws Exception {
        String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), body);
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), body);
        Map<String, Object> e = DemoServer.error(r);
        if (message != null && !message.isBlank()) {
            assertTrue(((String) e.get("message")).contains(message.strip()), "message: " + e.get("message"));
        }
        assertEquals((long) status, e.get("code"));
        // and the worker is alive: the same server still speaks
        HttpResponse<byte[]> ok = demo.get("/?text=Still%20here.");
        assertEquals(200, ok.statusCode());
        assertTrue(DemoServer.wavSamples(ok.body()).length > 1000);
        assertEquals(0, demo.metric("bv2j_requests_in_flight"));
    }

}
