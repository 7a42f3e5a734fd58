package io.bv2j.server;

import io.bv2j.model.RowSeededNoise;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The one place synthesis runs: a bounded queue of admitted requests, and a loop that takes
 * their sentences in arrival order and runs them as dynamic batches. When the loop is free it
 * looks at the oldest waiting sentence; if fewer than maxBatch compatible sentences (same voice,
 * same knobs, first sentences of requests apart from later ones) are waiting and others may come
 * (another request is in flight, or requests are arriving within a window of each other), it
 * waits until that sentence has waited {@code window}, then runs
 * what it has as one padded batch ({@link Synthesizer#streamEach}). Sentences that wait while a
 * batch runs are therefore batched without any extra delay. Every sentence is seeded on its own
 * ({@link RowSeededNoise}), so its audio does not depend on its batch-mates. One batch at a time:
 * a batch already uses every core.
 */
final class BatchScheduler implements AutoCloseable {
    /** A batch's padded length times its size may be at most this many times its real phones. */
    private static final double MAX_PADDING_RATIO = 2.0;

    private record Piece(SpeechJob job, int sentence, long enqueuedNanos, long nanosSincePreviousRequest) {
        Utterance utterance() {
            return job.request.sentences().get(sentence);
        }

        /**
         * Same voice and knobs; and a request's first sentence only with other first sentences,
         * so that a long text's first audio does not wait for the latent of its later sentences.
         */
        boolean batchesWith(Piece o) {
            SynthesisOptions a = job.request.options(), b = o.job.request.options();
            return job.request.voice() == o.job.request.voice() && (sentence == 0) == (o.sentence == 0)
                    && a.sdpRatio() == b.sdpRatio()
                    && a.noiseScale() == b.noiseScale() && a.noiseScaleW() == b.noiseScaleW()
                    && a.lengthScale() == b.lengthScale() && a.maxSeconds() == b.maxSeconds();
        }
    }

    private final int capacity;
    private final int maxBatch;
    private final long windowNanos;
    private final int chunkFrames;
    private final ServerMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedList<Piece> pending = new LinkedList<>();
    private final Thread loop;
    private int admitted;
    private boolean closing;
    private long lastArrivalNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    /** Mean seconds a request has taken, for Retry-After. */
    private double meanServiceSeconds = 1;

    BatchScheduler(int capacity, int maxBatch, long windowMillis, int chunkFrames, ServerMetrics metrics) {
        if (capacity < 1 || maxBatch < 1 || windowMillis < 0 || chunkFrames < 1) {
            throw new IllegalArgumentException("queue and batch sizes must be positive, the window not negative");
        }
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.chunkFrames = chunkFrames;
        this.metrics = metrics;
        this.loop = Thread.ofPlatform().name("bv2j-batcher").daemon().start(this::run);
    }

    /** Admits a request or refuses it at once: 429 when the queue is full, 503 while shutting down. */
    void submit(SpeechJob job) {
        lock.lock();
        try {
            if (closing) throw ApiError.shuttingDown();
            if (admitted >= capacity) {
                metrics.rejected();
                throw ApiError.busy((int) Math.max(1, Math.ceil(meanServiceSeconds * admitted / maxBatch)));
            }
            admitted++;
            long now = System.nanoTime(), gap = now - lastArrivalNanos;
            lastArrivalNanos = now;
            for (int i = 0; i < job.sentences(); i++) pending.add(new Piece(job, i, now, gap));
            metrics.queue(admitted, pending.size());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The request's response has ended (sent, failed or abandoned): its place in the queue is free. */
    void release(SpeechJob job) {
        job.cancel();
        lock.lock();
        try {
            admitted--;
            double seconds = (System.nanoTime() - job.admittedNanos) / 1e9;
            meanServiceSeconds = 0.9 * meanServiceSeconds + 0.1 * seconds;
            metrics.queue(admitted, pending.size());
            changed.signalAll(); // the loop drops the job's sentences still waiting
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        for (List<Piece> batch; (batch = nextBatch()) != null; ) execute(batch);
    }

    /** The next batch, or null once closing and nothing is left. */
    private List<Piece> nextBatch() {
        lock.lock();
        try {
            while (true) {
                if (pending.removeIf(p -> p.job.cancelled())) metrics.queue(admitted, pending.size());
                if (pending.isEmpty()) {
                    if (closing) return null;
                    changed.awaitUninterruptibly();
                    continue;
                }
                Piece first = pending.getFirst();
                long wait = first.enqueuedNanos + windowNanos - System.nanoTime();
                if (wait > 0 && !closing && expectsCompany(first) && compatible(first) < maxBatch) {
                    awaitNanos(wait);
                    continue;
                }
                List<Piece> batch = take(first);
                metrics.queue(admitted, pending.size());
                return batch;
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitNanos(long nanos) {
        try {
            changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether waiting for batch-mates can pay: another request is in flight, or this one came
     * within a window of the one before it. A lone client on an idle server is served at once,
     * without paying the window on every request.
     */
    private boolean expectsCompany(Piece first) {
        return admitted > 1 || first.nanosSincePreviousRequest < windowNanos;
    }

    private int compatible(Piece first) {
        int n = 0;
        for (Piece p : pending) if (p.batchesWith(first)) n++;
        return n;
    }

    /** Up to maxBatch compatible pieces in arrival order, skipping those that would pad the batch too much. */
    private List<Piece> take(Piece first) {
        List<Piece> batch = new ArrayList<>();
        int longest = 0;
        long phones = 0;
        for (Iterator<Piece> it = pending.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
            Piece p = it.next();
            if (!p.batchesWith(first)) continue;
            int len = p.utterance().length(), padded = Math.max(longest, len);
            if (!batch.isEmpty() && (double) padded * (batch.size() + 1) > MAX_PADDING_RATIO * (phones + len)) continue;
            batch.add(p);
            it.remove();
            longest = padded;
            phones += len;
        }
        return batch;
    }

    private void execute(List<Piece> batch) {
        SpeechRequest shape = batch.getFirst().job.request;
        List<Utterance> us = new ArrayList<>(batch.size());
        List<Consumer<float[]>> sinks = new ArrayList<>(batch.size());
        long[] seeds = new long[batch.size()];
        long[] samples = new long[1];
        for (int i = 0; i < batch.size(); i++) {
            Piece p = batch.get(i);
            us.add(p.utterance());
            seeds[i] = p.job.request.seed() + p.sentence;
            sinks.add(chunk -> {
                p.job.accept(p.sentence, chunk);
                synchronized (samples) {
                    samples[0] += chunk.length;
                }
            });
        }
        long start = System.nanoTime();
        try {
            shape.voice().synth().streamEach(us, shape.options().withNoise(() -> new RowSeededNoise(seeds)), chunkFrames, sinks);
            for (Piece p : batch) p.job.sentenceDone(p.sentence);
        } catch (RuntimeException e) {
            for (Piece p : batch) p.job.fail(e);
        }
        metrics.batch(batch.size(), (System.nanoTime() - start) / 1e9, samples[0] / (double) shape.voice().sampleRate());
    }

    /** Stops admitting, finishes everything admitted, then ends the loop. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
