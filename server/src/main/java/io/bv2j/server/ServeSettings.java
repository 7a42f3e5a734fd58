package io.bv2j.server;

/**
 * How a {@link TtsServer} listens and schedules: where it binds; how many requests may be
 * admitted at once (the rest get 429); the most sentences per batch and how long the oldest
 * waiting sentence may wait for batch-mates (maxBatch 1 or window 0 and one client at a time:
 * one-request-at-a-time service); the longest text a request may carry; the latent frames per
 * streamed chunk; how long shutdown waits for requests in flight.
 */
public record ServeSettings(String host, int port, int queueCapacity, int maxBatch, long batchWindowMillis,
                            int maxTextChars, int chunkFrames, int drainSeconds) {
    public static final int DEFAULT_PORT = 8080;

    public ServeSettings {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        if (queueCapacity < 1) throw new IllegalArgumentException("the queue must hold at least one request");
        if (maxBatch < 1 || maxBatch > 64) throw new IllegalArgumentException("batches must be 1 to 64 sentences");
        if (batchWindowMillis < 0 || batchWindowMillis > 10_000) throw new IllegalArgumentException("the batch window must be 0 to 10000 ms");
        if (maxTextChars < 1) throw new IllegalArgumentException("the text limit must be positive");
        if (chunkFrames < 1) throw new IllegalArgumentException("chunks must be at least one frame");
        if (drainSeconds < 0) throw new IllegalArgumentException("the drain time must not be negative");
    }

    /** Loopback :8080, 64 requests in flight, batches of up to 8 sentences collected for 20 ms, 5000 characters. */
    public static ServeSettings defaults() {
        return new ServeSettings("127.0.0.1", DEFAULT_PORT, 64, 8, 20, 5000, 64, 30);
    }

    public ServeSettings withPort(int v) {
        return new ServeSettings(host, v, queueCapacity, maxBatch, batchWindowMillis, maxTextChars, chunkFrames, drainSeconds);
    }

    public ServeSettings withHost(String v) {
        return new ServeSettings(v, port, queueCapacity, maxBatch, batchWindowMillis, maxTextChars, chunkFrames, drainSeconds);
    }

    public ServeSettings withQueueCapacity(int v) {
        return new ServeSettings(host, port, v, maxBatch, batchWindowMillis, maxTextChars, chunkFrames, drainSeconds);
    }

    public ServeSettings withBatching(int max, long windowMillis) {
        return new ServeSettings(host, port, queueCapacity, max, windowMillis, maxTextChars, chunkFrames, drainSeconds);
    }

    public ServeSettings withMaxTextChars(int v) {
        return new ServeSettings(host, port, queueCapacity, maxBatch, batchWindowMillis, v, chunkFrames, drainSeconds);
    }

    public ServeSettings withDrainSeconds(int v) {
        return new ServeSettings(host, port, queueCapacity, maxBatch, batchWindowMillis, maxTextChars, chunkFrames, v);
    }
}
