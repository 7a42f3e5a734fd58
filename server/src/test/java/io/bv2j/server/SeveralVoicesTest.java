package io.bv2j.server;

import io.bv2j.io.Json;
import io.bv2j.synth.Synthesizer;
import io.bv2j.testing.GoldenFiles;
import io.bv2j.text.TextFrontEnd;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two voices in one server: listed with their speakers, chosen per request, the first the default. */
class SeveralVoicesTest {
    @Test
    void eachRequestSpeaksWithTheVoiceItNames() throws Exception {
        Synthesizer demo = Synthesizer.load(DemoServer.DEMO.resolve("config.json"), DemoServer.DEMO.resolve("voice.safetensors"));
        Synthesizer dev = Synthesizer.load(GoldenFiles.dev("config.json"), GoldenFiles.dev("G_0.pth"));
        try (TtsServer server = TtsServer.start(ServeSettings.defaults().withPort(0),
                List.of(new Voice("demo", demo), new Voice("dev", dev)), new TextFrontEnd(null, null, n -> { }))) {
            HttpClient client = HttpClient.newHttpClient();
            String voices = client.send(HttpRequest.newBuilder(server.uri().resolve("/voices")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<Object> list = Json.arr(Json.obj(Json.parse(voices), "body").get("voices"), "voices");
            Map<String, Object> second = Json.obj(list.get(1), "voice");
            assertEquals("dev", second.get("name"));
            assertEquals(List.of("alice", "bob", "carol", "dave"), second.get("speakers"));
            assertEquals(false, second.get("default"));

            byte[] byDev = get(client, server.uri(), "/?voice=dev&speaker=carol&text=Hello%20there.");
            byte[] byDefault = get(client, server.uri(), "/?text=Hello%20there.");
            byte[] byDemo = get(client, server.uri(), "/?voice=demo&text=Hello%20there.");
            assertTrue(java.util.Arrays.equals(byDefault, byDemo), "the first voice is the default");
            assertTrue(!java.util.Arrays.equals(byDev, byDemo), "another voice, other audio");
            HttpResponse<String> wrongSpeaker = client.send(HttpRequest.newBuilder(
                    server.uri().resolve("/?voice=demo&speaker=carol&text=Hi.")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, wrongSpeaker.statusCode(), "carol belongs to dev, not demo: " + wrongSpeaker.body());
        }
    }

    private static byte[] get(HttpClient client, URI base, String query) throws Exception {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve(query)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }
}
