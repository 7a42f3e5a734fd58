package io.bv2j.training.data;

import io.bv2j.training.TrainBatch;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The batches of one epoch. Each {@link #next()} loads its items and collates them into a
 * {@link TrainBatch} whose tensors live in the Scope open on the calling thread, so a training loop
 * opens one Scope per step around {@code next()} and the step.
 */
public final class BatchIterator implements Iterator<TrainBatch> {

    private final TrainingData data;
    private final List<int[]> batches;
    private int next;

    BatchIterator(TrainingData data, List<int[]> batches) {
        this.data = data;
        this.batches = List.copyOf(batches);
    }

    /** Batches in this epoch. */
    public int size() {
        return batches.size();
    }

    /** Index of the batch {@link #next()} returns next (0-based). */
    public int position() {
        return next;
    }

    /** The entry indices of batch {@code i}. */
    public int[] indices(int i) {
        return batches.get(i).clone();
    }

    /** Moves past up to n batches without loading them (resuming inside an epoch). */
    public void skip(long n) {
        next = (int) Math.min(batches.size(), next + Math.max(0, n));
    }

    @Override
    public boolean hasNext() {
        return next < batches.size();
    }

    @Override
    public TrainBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch has " + batches.size() + " batches");
        }
        return data.collate(batches.get(next++));
    }
}
