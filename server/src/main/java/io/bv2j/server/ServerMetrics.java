package io.bv2j.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;

/** What /metrics exposes, in Prometheus' text format: requests, latency, queue depth, batches, audio produced. */
final class ServerMetrics {
    /** Latency buckets from a short sentence on a fast machine to a long text on a slow one. */
    private static final double[] SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests = Counter.builder().name("bv2j_requests_total")
            .help("HTTP requests answered, by endpoint and status").labelNames("endpoint", "status").register(registry);
    private final Histogram latency = Histogram.builder().name("bv2j_request_duration_seconds")
            .help("time from request to the last byte of the response").labelNames("endpoint")
            .classicOnly().classicUpperBounds(SECONDS).register(registry);
    private final Histogram firstAudio = Histogram.builder().name("bv2j_first_audio_seconds")
            .help("time from request to the first audio bytes sent").classicOnly().classicUpperBounds(SECONDS)
            .register(registry);
    private final Gauge admitted = Gauge.builder().name("bv2j_requests_in_flight")
            .help("requests admitted and not yet answered (bounded by the queue size)").register(registry);
    private final Gauge queueDepth = Gauge.builder().name("bv2j_queue_depth")
            .help("sentences waiting for synthesis").register(registry);
    private final Counter rejected = Counter.builder().name("bv2j_rejected_total")
            .help("requests refused with 429 because the queue was full").register(registry);
    private final Counter cancelled = Counter.builder().name("bv2j_cancelled_total")
            .help("responses abandoned by their client before the end").register(registry);
    private final Histogram batchSize = Histogram.builder().name("bv2j_batch_size")
            .help("sentences per synthesis batch").classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32).register(registry);
    private final Counter batchSeconds = Counter.builder().name("bv2j_synthesis_seconds_total")
            .help("time spent synthesizing batches").register(registry);
    private final Counter audioSeconds = Counter.builder().name("bv2j_audio_seconds_total")
            .help("seconds of audio synthesized").register(registry);

    void request(String endpoint, int status, double seconds) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
        latency.labelValues(endpoint).observe(seconds);
    }

    void firstAudio(double seconds) {
        firstAudio.observe(seconds);
    }

    void queue(int inFlight, int sentencesWaiting) {
        admitted.set(inFlight);
        queueDepth.set(sentencesWaiting);
    }

    void rejected() {
        rejected.inc();
    }

    void cancelled() {
        cancelled.inc();
    }

    void batch(int size, double seconds, double audio) {
        batchSize.observe(size);
        batchSeconds.inc(seconds);
        audioSeconds.inc(audio);
    }

    String contentType() {
        return writer.getContentType();
    }

    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
