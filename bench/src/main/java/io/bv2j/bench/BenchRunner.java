package io.bv2j.bench;

import io.bv2j.Bv2jException;
import io.bv2j.io.ModelConfig;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.synth.Synthesizer;
import io.bv2j.tensor.Scope;

import java.nio.file.Path;

/**
 * Runs a {@link BenchRequest}: loads (or randomly initialises) the voice, runs uncounted warm-up
 * reps and then the timed reps, each in its own Scope so that every rep allocates and frees its
 * activations like a real synthesis call. The warm-up lasts at least {@value #MIN_WARMUP_REPS}
 * reps and {@value #WARMUP_SECONDS} s, but no more than {@value #MAX_WARMUP_SECONDS} s or
 * {@value #MAX_WARMUP_REPS} reps (at least one): a service's JVM has compiled its hot paths long
 * before anyone measures it, and the text side's hundreds of small Java-side steps per call take
 * the JIT 20 to 40 calls (`latent` at 160 frames: ~150 ms after one warm-up rep, ~80 ms after 40). This is the engine behind `bv2j bench`;
 * {@link #main} runs it without the CLI module.
 */
public final class BenchRunner {
    static final int MIN_WARMUP_REPS = 20;
    static final double WARMUP_SECONDS = 5.0;
    static final double MAX_WARMUP_SECONDS = 30.0;
    static final int MAX_WARMUP_REPS = 50;

    static final String USAGE = "usage: BenchRunner --config C [--checkpoint G] [--part decoder|full|batch|all|singles|first-audio|latent|bert] [--frames 160 (bert: tokens)] "
            + "[--threads 2] [--reps 5]";

    private BenchRunner() {
    }

    /** Runs the request on the calling thread; the process-wide kernel thread count is restored afterwards. */
    public static BenchResult run(BenchRequest req) {
        int previousThreads = NativeContext.threads();
        NativeContext.setThreads(req.threads());
        if (req.part() == BenchPart.BERT) {
            try (BertBench w = new BertBench(req.frames())) {
                int warmup = warmUp(w);
                double[] seconds = new double[req.reps()];
                for (int i = 0; i < seconds.length; i++) seconds[i] = oneRep(w).seconds();
                return BenchResult.ofBert(req, seconds, warmup, w.flops(), PeakRss.bytes());
            } finally {
                NativeContext.setThreads(previousThreads);
            }
        }
        try (Synthesizer synth = open(req)) {
            SynthesizerTrn net = synth.network();
            Workload w = switch (req.part()) {
                case DECODER -> new DecoderBench(net.dec(), net.hparams(), req.frames());
                case FULL -> new FullSynthesisBench(synth, req.frames());
                case BATCH -> new BatchBench(synth, BatchBench.Mode.BATCH);
                case ALL -> new BatchBench(synth, BatchBench.Mode.ALL);
                case SINGLES -> new BatchBench(synth, BatchBench.Mode.SINGLES);
                case FIRST_AUDIO -> new FullSynthesisBench(synth, req.frames()).firstAudio();
                case LATENT -> new FullSynthesisBench(synth, req.frames()).latent();
                case BERT -> throw new IllegalStateException("part bert needs no voice and ran above");
            };
            int warmup = warmUp(w);
            double[] seconds = new double[req.reps()];
            long samples = 0;
            for (int i = 0; i < seconds.length; i++) {
                Workload.Rep rep = oneRep(w);
                seconds[i] = rep.seconds();
                samples = rep.samples();
            }
            long flops = DecoderFlops.perFrame(net.hparams()) * (samples / net.dec().hop());
            return BenchResult.of(req, samples, synth.sampleRate(), seconds, warmup, flops, PeakRss.bytes());
        } finally {
            NativeContext.setThreads(previousThreads);
        }
    }

    /** Uncounted reps for the JIT, first touch of scratch memory and the OpenMP team; returns how many ran. */
    private static int warmUp(Workload w) {
        int reps = 0;
        long start = System.nanoTime();
        double elapsed;
        do {
            oneRep(w);
            reps++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while ((reps < MIN_WARMUP_REPS || elapsed < WARMUP_SECONDS) && elapsed < MAX_WARMUP_SECONDS
                && reps < MAX_WARMUP_REPS);
        return reps;
    }

    private static Synthesizer open(BenchRequest req) {
        return req.checkpoint() == null
                ? Synthesizer.random(ModelConfig.read(req.config()), 0)
                : Synthesizer.load(req.config(), req.checkpoint());
    }

    private static Workload.Rep oneRep(Workload w) {
        try (Scope ignored = Scope.open()) {
            return w.run();
        }
    }

    /** Prints the result line; exit status 2 on a usage error. */
    public static void main(String[] args) {
        BenchRequest req;
        try {
            req = parse(args);
        } catch (Bv2jException | NumberFormatException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.out.println(run(req).line());
    }

    static BenchRequest parse(String[] args) {
        Path config = null, checkpoint = null;
        BenchPart part = BenchPart.DECODER;
        int frames = 160, threads = 2, reps = 5;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) throw new Bv2jException(flag + " needs a value");
            String v = args[++i];
            switch (flag) {
                case "--config" -> config = Path.of(v);
                case "--checkpoint" -> checkpoint = Path.of(v);
                case "--part" -> part = BenchPart.parse(v);
                case "--frames" -> frames = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--reps" -> reps = Integer.parseInt(v);
                default -> throw new Bv2jException("unknown option " + flag);
            }
        }
        return new BenchRequest(config, checkpoint, part, frames, threads, reps);
    }
}
