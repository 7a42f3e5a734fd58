package io.bv2j.server;

import io.bv2j.io.Json;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bv2j.Bv2jException;
import io.bv2j.io.Pcm;
import io.bv2j.text.TextFrontEnd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The speech service: the JDK's HTTP server, one virtual thread per exchange (a client waiting
 * for its audio costs no platform thread), and one {@link BatchScheduler} doing all synthesis.
 * Endpoints: GET / (the reference server's query, or the web page without text), POST
 * /v1/audio/speech (OpenAI's shape, streamed), POST /synthesize (a request file's JSON),
 * GET /voices, /health, /metrics, and the page's files under /web/. Refusals are 4xx with a
 * JSON error body; only a bug in bv2j answers 500.
 */
public final class TtsServer implements AutoCloseable {
    /** Longest a response waits for its next chunk of audio before giving up (a stalled synthesis is a bug). */
    private static final int STALL_SECONDS = 600;

    private final ServeSettings settings;
    private final Voices voices;
    private final RequestReader reader;
    private final ServerMetrics metrics = new ServerMetrics();
    private final BatchScheduler scheduler;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer http;
    private volatile boolean draining;

    private TtsServer(ServeSettings settings, List<Voice> voices, TextFrontEnd frontEnd) throws IOException {
        this.settings = settings;
        this.voices = new Voices(voices);
        this.reader = new RequestReader(this.voices, frontEnd, settings.maxTextChars());
        this.scheduler = new BatchScheduler(settings.queueCapacity(), settings.maxBatch(), settings.batchWindowMillis(),
                settings.chunkFrames(), metrics);
        this.http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 256);
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
    }

    /** Binds and starts serving; the voices belong to the server from here on (closed with it). */
    public static TtsServer start(ServeSettings settings, List<Voice> voices, TextFrontEnd frontEnd) throws IOException {
        TtsServer s = new TtsServer(settings, voices, frontEnd);
        s.http.start();
        return s;
    }

    /** http://host:port/ as bound (port 0 asks for a free one). */
    public URI uri() {
        InetSocketAddress a = http.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
    }

    private void handle(HttpExchange ex) {
        long start = System.nanoTime();
        String path = ex.getRequestURI().getPath();
        String endpoint = switch (path) {
            case "/", "/v1/audio/speech", "/synthesize", "/voices", "/health", "/metrics" -> path;
            default -> path.startsWith("/web/") ? "/web" : "other";
        };
        int status;
        try {
            status = route(ex, path);
        } catch (ApiError e) {
            status = refuse(ex, e);
        } catch (Bv2jException e) {
            status = refuse(ex, ApiError.badRequest(null, e.getMessage()));
        } catch (IOException e) {
            status = 499; // the client closed the connection (nginx's code for it)
        } catch (RuntimeException | InterruptedException e) {
            System.err.println("bv2j serve: " + ex.getRequestMethod() + " " + path + " failed: " + e);
            e.printStackTrace();
            status = refuse(ex, ApiError.internal(String.valueOf(e.getMessage())));
        } finally {
            ex.close();
        }
        metrics.request(endpoint, status, (System.nanoTime() - start) / 1e9);
    }

    private int route(HttpExchange ex, String path) throws IOException, InterruptedException {
        String query = ex.getRequestURI().getRawQuery();
        switch (path) {
            case "/" -> {
                Exchanges.requireMethod(ex, "GET");
                Query q = Query.parse(query, RequestReader.REFERENCE_PARAMS);
                if (!q.has("text")) return asset(ex, "index.html");
                return speak(ex, reader.reference(q));
            }
            case "/v1/audio/speech" -> {
                Exchanges.requireMethod(ex, "POST");
                Query.parse(query, Set.of());
                return speak(ex, reader.openAi(Exchanges.body(ex)));
            }
            case "/synthesize" -> {
                Exchanges.requireMethod(ex, "POST");
                Query q = Query.parse(query, RequestReader.SYNTHESIZE_PARAMS);
                return speak(ex, reader.synthesize(Exchanges.body(ex), q));
            }
            case "/voices" -> {
                Exchanges.requireMethod(ex, "GET");
                Exchanges.sendJson(ex, 200, Map.of("voices", describeVoices()));
                return 200;
            }
            case "/health" -> {
                Exchanges.requireMethod(ex, "GET");
                int status = draining ? 503 : 200;
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("status", draining ? "draining" : "ok");
                h.put("voices", voices.all().size());
                Exchanges.sendJson(ex, status, h);
                return status;
            }
            case "/metrics" -> {
                Exchanges.requireMethod(ex, "GET");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                metrics.write(out);
                Exchanges.send(ex, 200, metrics.contentType(), out.toByteArray());
                return 200;
            }
            default -> {
                if (!path.startsWith("/web/")) throw ApiError.notFound("no such endpoint: " + Json.abbreviate(path));
                Exchanges.requireMethod(ex, "GET");
                return asset(ex, path.substring("/web/".length()));
            }
        }
    }

    private int asset(HttpExchange ex, String name) throws IOException {
        WebAssets.Asset a = WebAssets.get(name);
        Exchanges.send(ex, 200, a.contentType(), a.bytes());
        return 200;
    }

    private List<Map<String, Object>> describeVoices() {
        List<Map<String, Object>> out = new ArrayList<>();
        boolean first = true;
        for (Voice v : voices.all()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", v.name());
            d.put("sample_rate", v.sampleRate());
            d.put("speakers", v.speakers());
            d.put("languages", List.of("auto", "ZH", "JP", "EN"));
            d.put("default", first);
            out.add(d);
            first = false;
        }
        return out;
    }

    /** Queues the request and sends its audio: as it is made (chunked) when streamed, else whole with its length. */
    private int speak(HttpExchange ex, SpeechRequest req) throws IOException, InterruptedException {
        if (draining) throw ApiError.shuttingDown();
        SpeechJob job = new SpeechJob(req);
        scheduler.submit(job);
        try {
            int rate = req.voice().sampleRate();
            ex.getResponseHeaders().set("Content-Type", req.format().contentType);
            ex.getResponseHeaders().set("X-Sample-Rate", Integer.toString(rate));
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (req.stream()) {
                ChunkedAudio out = new ChunkedAudio(ex, req.format(), rate,
                        () -> metrics.firstAudio((System.nanoTime() - job.admittedNanos) / 1e9));
                job.drainTo(out, STALL_SECONDS);
                out.finish();
            } else {
                FloatBuffer all = new FloatBuffer();
                job.drainTo(all::add, STALL_SECONDS);
                float[] samples = all.toArray();
                ex.sendResponseHeaders(200, req.format().wholeLength(samples.length));
                try (OutputStream out = ex.getResponseBody()) {
                    metrics.firstAudio((System.nanoTime() - job.admittedNanos) / 1e9);
                    req.format().writeWhole(out, samples, rate);
                }
            }
            return 200;
        } catch (IOException e) {
            metrics.cancelled();
            throw e;
        } finally {
            scheduler.release(job);
        }
    }

    /** Sends a refusal if nothing has been sent yet; a stream already under way can only be cut off. */
    private int refuse(HttpExchange ex, ApiError e) {
        if (ex.getResponseCode() != -1) return ex.getResponseCode();
        try {
            Exchanges.sendError(ex, e);
        } catch (IOException ignored) {
            // the client is gone; nothing left to tell it
        }
        return e.status;
    }

    /**
     * Graceful shutdown: refuses new synthesis (503) and /health says draining, lets the requests
     * in flight finish (up to the drain time), then stops the scheduler and frees the voices.
     */
    @Override
    public void close() {
        draining = true;
        http.stop(settings.drainSeconds());
        scheduler.close();
        handlers.close();
        voices.close();
    }

    /**
     * A streamed response: the status and headers go out with the first audio, so a failure
     * before it is still answered with a proper error; every chunk is flushed as it comes.
     */
    private static final class ChunkedAudio implements SpeechJob.Output {
        private final HttpExchange ex;
        private final AudioFormat format;
        private final int rate;
        private final Runnable onFirstAudio;
        private OutputStream out;

        ChunkedAudio(HttpExchange ex, AudioFormat format, int rate, Runnable onFirstAudio) {
            this.ex = ex;
            this.format = format;
            this.rate = rate;
            this.onFirstAudio = onFirstAudio;
        }

        @Override
        public void write(float[] samples) throws IOException {
            begin();
            out.write(Pcm.encode(samples, false));
            out.flush();
        }

        void finish() throws IOException {
            begin();
            out.close();
        }

        private void begin() throws IOException {
            if (out != null) return;
            ex.sendResponseHeaders(200, 0); // chunked transfer
            out = ex.getResponseBody();
            format.writeStreamStart(out, rate);
            onFirstAudio.run();
        }
    }

    /** A growable float array for a whole response. */
    private static final class FloatBuffer {
        private float[] data = new float[1 << 16];
        private int size;

        void add(float[] samples) {
            if (size + samples.length > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, size + samples.length));
            System.arraycopy(samples, 0, data, size, samples.length);
            size += samples.length;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
