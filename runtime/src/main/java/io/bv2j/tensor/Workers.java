package io.bv2j.tensor;

import io.bv2j.nativelib.NativeContext;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Independent inference work side by side: each piece runs on a worker thread whose kernels use
 * one thread, instead of one piece after another with every kernel split over the cores.
 * Splitting a kernel costs (shared caches, synchronisation, small per-thread slices), so when
 * the work has independent parts of similar size - time slices of a decoder stage, the items of
 * a batch, whole utterances - giving each core its own part scales better (BENCHMARKS.md).
 *
 * <p>{@link #run}: results land in tensors allocated in the caller's current {@link Scope};
 * everything else a piece allocates lives in the worker's own scope and is freed when the piece
 * ends. The pieces read their input through an {@link Tensor#unconfinedView()}; the caller blocks
 * until every piece has finished, so the view never outlives its memory. {@link #map}: pieces
 * that return Java objects. Results do not depend on which worker ran what. Pool threads never
 * wait for other pool tasks (a worker runs nested work in turn), so concurrent callers queue but
 * cannot deadlock.
 */
public final class Workers {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "bv2j-worker");
                t.setDaemon(true);
                return t;
            });

    /** Never started: only asked whether a segment is accessible from a thread other than its owner. */
    private static final Thread PROBE = new Thread(() -> { });

    private Workers() {
    }

    /**
     * Runs {@code pieces} on {@code input} (piece i must return a tensor of {@code shapes.get(i)}),
     * at most {@link NativeContext#threads()} at a time, starting with the largest {@code costs};
     * returns their results in the order given. Runs them one after another on the calling
     * thread, on {@code input} itself, when there is one thread or one piece, when called from a
     * worker, while recording gradients (the graph must see the real input), or when
     * {@code shareable} is false (weights in a confined arena that workers cannot read).
     */
    public static List<Tensor> run(Tensor input, List<Function<Tensor, Tensor>> pieces, List<int[]> shapes,
                                   long[] costs, boolean shareable) {
        int n = pieces.size();
        if (shapes.size() != n || costs.length != n) {
            throw new IllegalArgumentException("pieces, shapes and costs differ in length");
        }
        int lanes = lanes(n, shareable);
        if (lanes <= 1) {
            List<Tensor> out = new ArrayList<>(n);
            for (Function<Tensor, Tensor> piece : pieces) out.add(Scope.keepResultOnly(() -> piece.apply(input)));
            return out;
        }
        Tensor sharedInput = input.unconfinedView(); // `input` outlives this call, which waits for every lane
        List<Tensor> results = new ArrayList<>(n);
        Tensor[] views = new Tensor[n];
        for (int i = 0; i < n; i++) {
            Tensor r = Tensor.empty(shapes.get(i));
            results.add(r);
            views[i] = r.unconfinedView();
        }
        inLanes(lanes, costs, i -> {
            try (Scope ignored = Scope.open()) {
                Tensor r = pieces.get(i).apply(sharedInput);
                if (!Arrays.equals(r.shape(), views[i].shape())) {
                    throw new IllegalStateException("piece " + i + " returned " + Arrays.toString(r.shape())
                            + ", expected " + Arrays.toString(views[i].shape()));
                }
                MemorySegment.copy(r.segment(), 0, views[i].segment(), 0, r.numel() * (long) Float.BYTES);
            }
        });
        return results;
    }

    /**
     * Runs independent {@code pieces} that return Java objects (not tensors: a worker's scope
     * closes when its piece ends), at most {@link NativeContext#threads()} at a time, largest
     * {@code costs} first; results in the order given. In turn on the calling thread when
     * {@link #lanes} says 1. Each piece must be safe to run beside the others.
     */
    public static <T> List<T> map(List<Supplier<T>> pieces, long[] costs, boolean shareable) {
        int n = pieces.size();
        if (costs.length != n) throw new IllegalArgumentException("pieces and costs differ in length");
        int lanes = lanes(n, shareable);
        List<T> out = new ArrayList<>(Collections.nCopies(n, null));
        if (lanes <= 1) {
            for (int i = 0; i < n; i++) out.set(i, pieces.get(i).get());
            return out;
        }
        Object[] results = new Object[n];
        inLanes(lanes, costs, i -> {
            try (Scope ignored = Scope.open()) {
                results[i] = pieces.get(i).get();
            }
        });
        for (int i = 0; i < n; i++) {
            @SuppressWarnings("unchecked") T r = (T) results[i];
            out.set(i, r);
        }
        return out;
    }

    /** Runs body(i) for every piece on `lanes` pinned workers, pieces taken largest cost first; waits for all. */
    private static void inLanes(int lanes, long[] costs, IntConsumer body) {
        int n = costs.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Long.compare(costs[b], costs[a]));
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            running.add(POOL.submit(() -> {
                NativeContext.pinToOneThread();
                for (int k; (k = next.getAndIncrement()) < n; ) body.accept(order[k]);
            }));
        }
        awaitAll(running);
    }

    /**
     * How many workers {@link #run} and {@link #map} would use for {@code pieces} pieces: 1 (run in turn on the
     * calling thread) with one thread, from a worker, while recording gradients, or when the
     * pieces' weights are not {@code shareable}; else up to {@link NativeContext#threads()}.
     */
    public static int lanes(int pieces, boolean shareable) {
        if (!shareable || NativeContext.pinnedToOneThread() || Grad.isRecording()) return 1;
        return Math.max(1, Math.min(pieces, NativeContext.threads()));
    }

    /** Whether memory in {@code segment} can be read by the worker threads (not confined to another thread). */
    public static boolean readableByWorkers(MemorySegment segment) {
        return segment.isAccessibleBy(PROBE);
    }

    /** Waits for every lane even if one fails or this thread is interrupted: they write into the caller's memory. */
    private static void awaitAll(List<Future<?>> running) {
        Throwable failure = null;
        boolean interrupted = false;
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) failure = e.getCause();
                    break;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException(failure);
    }
}
