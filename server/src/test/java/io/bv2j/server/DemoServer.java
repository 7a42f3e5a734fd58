package io.bv2j.server;

import io.bv2j.io.Json;
import io.bv2j.synth.Synthesizer;
import io.bv2j.text.TextFrontEnd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A TtsServer with the bundled demo voice on a free loopback port, and the HTTP calls the tests make. */
final class DemoServer implements AutoCloseable {
    static final Path DEMO = Path.of("..", "cli", "src", "main", "resources", "io", "bv2j", "cli", "demo");

    final TtsServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    DemoServer(ServeSettings settings) throws IOException {
        Synthesizer synth = Synthesizer.load(DEMO.resolve("config.json"), DEMO.resolve("voice.safetensors"));
        server = TtsServer.start(settings.withPort(0), List.of(new Voice("demo", synth)),
                new TextFrontEnd(null, null, note -> { }));
    }

    static ServeSettings settings() {
        return ServeSettings.defaults().withDrainSeconds(30);
    }

    URI uri(String pathAndQuery) {
        return server.uri().resolve(pathAndQuery);
    }

    HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> post(String pathAndQuery, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The error object of a JSON error body. */
    static Map<String, Object> error(HttpResponse<byte[]> r) {
        Map<String, Object> body = Json.obj(Json.parse(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)), "body");
        return Json.obj(body.get("error"), "error");
    }

    /** A gauge or counter's value in /metrics (the first sample whose line starts with the name). */
    double metric(String name) throws IOException, InterruptedException {
        String text = new String(get("/metrics").body(), java.nio.charset.StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        if (!m.find()) throw new AssertionError(name + " not in /metrics:\n" + text);
        return Double.parseDouble(m.group(2));
    }

    /** The 16-bit samples of a WAV body, as floats; checks the header describes the body. */
    static float[] wavSamples(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 44 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) throw new AssertionError("not a WAV");
        long dataSize = Integer.toUnsignedLong(b.getInt(40));
        if (dataSize != 0xFFFFFFFFL && dataSize != wav.length - 44) {
            throw new AssertionError("data size " + dataSize + " but " + (wav.length - 44) + " bytes follow");
        }
        return pcmSamples(java.util.Arrays.copyOfRange(wav, 44, wav.length));
    }

    static float[] pcmSamples(byte[] pcm) {
        ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        float[] s = new float[pcm.length / 2];
        for (int i = 0; i < s.length; i++) s[i] = b.getShort(2 * i) / 32767f;
        return s;
    }

    @Override
    public void close() {
        server.close();
    }
}
