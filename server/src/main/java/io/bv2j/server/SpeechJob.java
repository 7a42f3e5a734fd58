package io.bv2j.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A request between the scheduler, which synthesizes its sentences (possibly in different
 * batches, possibly side by side), and the client's thread, which sends the audio in sentence
 * order. Each sentence has its own queue of sample chunks, so a later sentence finished first
 * waits without holding anyone up. The scheduler never blocks on a slow client.
 */
final class SpeechJob {
    /** Ends a sentence's queue. */
    private static final float[] END = new float[0];

    final SpeechRequest request;
    final long admittedNanos = System.nanoTime();
    private final List<BlockingQueue<float[]>> chunks = new ArrayList<>();
    private volatile boolean cancelled;
    private volatile RuntimeException failure;

    SpeechJob(SpeechRequest request) {
        this.request = request;
        for (int i = 0; i < request.sentences().size(); i++) chunks.add(new LinkedBlockingQueue<>());
    }

    int sentences() {
        return chunks.size();
    }

    /** Samples of sentence i, from the scheduler; once the client has gone, stops that sentence's decoding. */
    void accept(int sentence, float[] samples) {
        if (cancelled) throw new CancellationException("the client left");
        chunks.get(sentence).add(samples);
    }

    void sentenceDone(int sentence) {
        chunks.get(sentence).add(END);
    }

    /** Synthesis failed: the client's thread rethrows it instead of waiting. */
    void fail(RuntimeException e) {
        failure = e;
        for (BlockingQueue<float[]> q : chunks) q.add(END);
    }

    /** The client left or the response ended: what is still queued or running for it is dropped. */
    void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Where the client's thread sends samples. */
    interface Output {
        void write(float[] samples) throws java.io.IOException;
    }

    /**
     * Sends every sentence's samples in order, with the pause between sentences, as they come;
     * waits at most stallSeconds for any one chunk.
     */
    void drainTo(Output out, int stallSeconds) throws java.io.IOException, InterruptedException {
        float[] pause = new float[request.pauseSamples()];
        for (int i = 0; i < chunks.size(); i++) {
            if (i > 0 && pause.length > 0) out.write(pause);
            while (true) {
                float[] c = chunks.get(i).poll(stallSeconds, TimeUnit.SECONDS);
                if (c == null) throw new IllegalStateException("no audio for " + stallSeconds + " s: synthesis stalled");
                if (failure != null) throw failure;
                if (c == END) break;
                out.write(c);
            }
        }
    }
}
