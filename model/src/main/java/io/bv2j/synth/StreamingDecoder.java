package io.bv2j.synth;

import io.bv2j.model.Generator;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import io.bv2j.tensor.Workers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the decoder over a latent in chunks of frames, each with enough neighbouring frames on
 * both sides that the samples it keeps are exactly those of a whole-utterance decode: the
 * generator is convolutional, so a sample depends only on latent frames within its receptive
 * field. Emits the samples of each chunk as soon as they are ready.
 */
public final class StreamingDecoder {
    private final Generator dec;
    private final int chunkFrames;
    private final int firstChunkFrames;
    private final int contextFrames;

    /** Chunks of chunkFrames latent frames each. */
    public StreamingDecoder(Generator dec, int chunkFrames) {
        this(dec, chunkFrames, chunkFrames);
    }

    /**
     * A first chunk of firstChunkFrames, then chunks of chunkFrames: a short first chunk hands
     * over the first audio sooner (its decode covers only it and its right context), the longer
     * ones after it keep the recomputed context small.
     */
    public StreamingDecoder(Generator dec, int chunkFrames, int firstChunkFrames) {
        if (chunkFrames < 1 || firstChunkFrames < 1) throw new IllegalArgumentException("chunks must be at least one frame");
        this.dec = dec;
        this.chunkFrames = chunkFrames;
        this.firstChunkFrames = firstChunkFrames;
        this.contextFrames = dec.receptiveFieldFrames();
    }

    /** Latent frames of context decoded on each side of a chunk. */
    public int contextFrames() {
        return contextFrames;
    }

    /** z [1, C, T] (already masked) and g [1, gin, 1]; each chunk's samples go to `sink` in order. */
    public void decode(Tensor z, Tensor g, int frames, Consumer<float[]> sink) {
        for (int start = 0, size = firstChunkFrames; start < frames; start += size, size = chunkFrames) {
            sink.accept(chunk(z, g, start, Math.min(frames, start + size)));
        }
    }

    /**
     * The same samples as {@link #decode}, with up to {@link Workers#lanes} chunks decoded side by
     * side, each on a single-threaded worker, and handed to `sink` in order: for a whole long
     * utterance, where nobody waits for the first chunk, independent chunks share the cores better
     * than one chunk's stages cut in time (no halos, no hand-overs between slice workers). At most
     * that many chunks are in flight, so memory stays bounded by the lanes, not the length.
     * `shareable`: whether the decoder's weights can be read by worker threads.
     */
    public void decodeSideBySide(Tensor z, Tensor g, int frames, boolean shareable, Consumer<float[]> sink) {
        List<int[]> chunks = new ArrayList<>();
        for (int start = 0, size = firstChunkFrames; start < frames; start += size, size = chunkFrames) {
            chunks.add(new int[]{start, Math.min(frames, start + size)});
        }
        int lanes = Workers.lanes(chunks.size(), shareable);
        if (lanes <= 1) {
            decode(z, g, frames, sink);
            return;
        }
        Tensor zShared = z.unconfinedView(), gShared = g == null ? null : g.unconfinedView(); // both outlive each map
        for (int first = 0; first < chunks.size(); first += lanes) {
            List<int[]> group = chunks.subList(first, Math.min(chunks.size(), first + lanes));
            List<Supplier<float[]>> pieces = new ArrayList<>(group.size());
            long[] costs = new long[group.size()];
            for (int i = 0; i < group.size(); i++) {
                int[] c = group.get(i);
                pieces.add(() -> chunk(zShared, gShared, c[0], c[1]));
                costs[i] = c[1] - c[0];
            }
            for (float[] samples : Workers.map(pieces, costs, shareable)) sink.accept(samples);
        }
    }

    /** The samples of latent frames [start, end), decoded with their context. */
    private float[] chunk(Tensor z, Tensor g, int start, int end) {
        int hop = dec.hop();
        int from = Math.max(0, start - contextFrames), to = Math.min(z.dim(2), end + contextFrames);
        try (Scope ignored = Scope.open()) {
            Tensor o = dec.forward(Ops.narrow(z, 2, from, to - from), g);    // [1, 1, (to - from) * hop]
            int skip = (start - from) * hop, keep = (end - start) * hop;
            return Ops.narrow(o, 2, skip, keep).toArray();
        }
    }
}
