package io.bv2j.cli;

import io.bv2j.Bv2jException;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.server.ServeSettings;
import io.bv2j.server.TtsServer;
import io.bv2j.server.Voice;
import io.bv2j.synth.Synthesizer;
import io.bv2j.tensor.Device;
import io.bv2j.text.TextFrontEnd;
import io.bv2j.text.bert.BertFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** bv2j serve: the HTTP speech service (README: serve), until SIGINT/SIGTERM, which drains it gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve speech over HTTP: GET / (the reference's query, or the web page), POST /v1/audio/speech, "
                + "POST /synthesize, GET /voices, /health, /metrics. Default voice: the bundled demo voice.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--voice", paramLabel = "NAME=CONFIG,CHECKPOINT",
            description = "a voice to serve (repeatable; the first is the default); none: the bundled demo voice")
    List<String> voiceSpecs = new ArrayList<>();
    @Option(names = "--bert", description = "chinese-roberta-wwm-ext-large folder: BERT features for Chinese")
    Path bert;
    @Option(names = "--ja-bert", description = "bert-base-japanese-v3 folder: BERT features and tokens for Japanese")
    Path jaBert;
    @Option(names = "--host", description = "address to bind (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String host = "127.0.0.1";
    @Option(names = "--port", description = "port (default ${DEFAULT-VALUE}; 0: any free port)")
    int port = ServeSettings.DEFAULT_PORT;
    @Option(names = "--threads", description = "native threads (default: all cores)")
    Integer threads;
    @Mixin
    DeviceOption device;
    @Option(names = "--queue", description = "requests admitted at once; beyond it 429 + Retry-After (default ${DEFAULT-VALUE})")
    int queue = ServeSettings.defaults().queueCapacity();
    @Option(names = "--batch-max", description = "most sentences per synthesis batch; 1 turns batching off (default ${DEFAULT-VALUE})")
    int batchMax = ServeSettings.defaults().maxBatch();
    @Option(names = "--batch-window-ms", description = "how long the oldest waiting sentence waits for batch-mates (default ${DEFAULT-VALUE})")
    long batchWindowMs = ServeSettings.defaults().batchWindowMillis();
    @Option(names = "--max-text", description = "longest text per request, in characters; longer: 413 (default ${DEFAULT-VALUE})")
    int maxText = ServeSettings.defaults().maxTextChars();
    @Option(names = "--drain-seconds", description = "on shutdown, how long requests in flight may take to finish (default ${DEFAULT-VALUE})")
    int drainSeconds = ServeSettings.defaults().drainSeconds();
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        device.device().require(Device.Work.INFERENCE);
        if (threads != null) NativeContext.setThreads(threads);
        PrintWriter err = spec.commandLine().getErr();
        ServeSettings settings = ServeSettings.defaults().withHost(host).withPort(port).withQueueCapacity(queue)
                .withBatching(batchMax, batchWindowMs).withMaxTextChars(maxText).withDrainSeconds(drainSeconds);
        TextFrontEnd frontEnd = new TextFrontEnd(bert == null ? null : BertFolder.load(bert),
                jaBert == null ? null : BertFolder.load(jaBert), note -> {
                    err.println("bv2j serve: " + note);
                    err.flush();
                });
        List<Voice> voices = loadVoices();
        TtsServer server;
        try {
            server = TtsServer.start(settings, voices, frontEnd);
        } catch (IOException e) {
            for (Voice v : voices) v.synth().close();
            throw new Bv2jException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("bv2j serve: shutting down (finishing requests in flight)");
            err.flush();
            server.close();
            stopped.countDown();
        }, "bv2j-shutdown"));
        err.println("bv2j serve: listening on " + server.uri() + " (batches of up to " + batchMax + ", "
                + batchWindowMs + " ms window, queue " + queue + ")");
        err.flush();
        stopped.await();
        return 0;
    }

    private List<Voice> loadVoices() throws IOException {
        List<Voice> voices = new ArrayList<>();
        try {
            if (voiceSpecs.isEmpty()) voices.add(new Voice("demo", BundledVoice.load()));
            for (String spec : voiceSpecs) voices.add(load(spec));
        } catch (RuntimeException | IOException e) {
            for (Voice v : voices) v.synth().close();
            throw e;
        }
        return voices;
    }

    /** NAME=CONFIG,CHECKPOINT */
    private static Voice load(String spec) {
        int eq = spec.indexOf('='), comma = spec.indexOf(',', eq + 1);
        if (eq <= 0 || comma < 0 || spec.indexOf(',', comma + 1) >= 0) {
            throw new Bv2jException("--voice " + spec + ": expected NAME=CONFIG,CHECKPOINT");
        }
        String name = spec.substring(0, eq);
        if (!Voice.validName(name)) {
            throw new Bv2jException("--voice " + spec + ": the name must be 1-64 of A-Z a-z 0-9 _ . -");
        }
        Synthesizer synth = Synthesizer.load(Path.of(spec.substring(eq + 1, comma)), Path.of(spec.substring(comma + 1)));
        return new Voice(name, synth);
    }
}
