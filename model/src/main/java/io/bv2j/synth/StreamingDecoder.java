package io.bv2j.synth;

import io.bv2j.model.Generator;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.util.function.Consumer;

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
        int hop = dec.hop();
        for (int start = 0, size = firstChunkFrames; start < frames; start += size, size = chunkFrames) {
            int end = Math.min(frames, start + size);
            int from = Math.max(0, start - contextFrames), to = Math.min(z.dim(2), end + contextFrames);
            try (Scope ignored = Scope.open()) {
                Tensor o = dec.forward(Ops.narrow(z, 2, from, to - from), g);    // [1, 1, (to - from) * hop]
                int skip = (start - from) * hop, keep = (end - start) * hop;
                sink.accept(Ops.narrow(o, 2, skip, keep).toArray());
            }
        }
    }
}
