package io.bv2j.bench;

import io.bv2j.Bv2jException;

import java.nio.file.Path;

/**
 * One benchmark run: the voice's config, its generator checkpoint (null: random weights of the
 * config's sizes, seed 0; speed does not depend on weight values), what to time, the latent
 * length in frames (part bert: the sentence's tokens; it needs no config), the kernel thread count and the number of timed repetitions (uncounted
 * warm-up repetitions run first, see {@link BenchRunner}).
 */
public record BenchRequest(Path config, Path checkpoint, BenchPart part, int frames, int threads, int reps) {
    public BenchRequest {
        if (part == null) throw new Bv2jException("a benchmark needs a part (decoder or full)");
        if (config == null && part != BenchPart.BERT) throw new Bv2jException("a benchmark needs a config");
        if (frames < 1) throw new Bv2jException("frames must be positive, got " + frames);
        if (threads < 1 || threads > 4096) throw new Bv2jException("threads must be between 1 and 4096, got " + threads);
        if (reps < 1) throw new Bv2jException("reps must be positive, got " + reps);
    }
}
