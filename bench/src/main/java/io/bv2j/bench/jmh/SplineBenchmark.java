package io.bv2j.bench.jmh;

import io.bv2j.nativelib.NativeContext;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

/**
 * The stochastic duration predictor's rational-quadratic spline in the inference direction:
 * one channel, 500 phones, 10 bins, tail bound 5 (ConvFlow), inputs spread so that some fall in
 * the linear tails as real ones do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class SplineBenchmark {
    private static final int BINS = 10, FRAMES = 500;
    private static final float TAIL_BOUND = 5f;
    /** ConvFlow's sqrt(filter_channels) for the default hidden size 192. */
    private static final float PARAM_SCALE = (float) Math.sqrt(192);

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private Tensor x, h;

    @Setup(Level.Trial)
    public void setUp() {
        NativeContext.setThreads(threads);
        arena = Arena.ofShared();
        RandomTensors r = new RandomTensors(arena);
        x = r.uniform(-6f, 6f, 1, 1, FRAMES);
        h = r.gaussian(1f, 1, 3 * BINS - 1, FRAMES);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float rqSplineInverseT500() {
        try (Scope ignored = Scope.open()) {
            return Ops.rqSpline(x, h, BINS, TAIL_BOUND, PARAM_SCALE, true)[0].get(0);
        }
    }
}
