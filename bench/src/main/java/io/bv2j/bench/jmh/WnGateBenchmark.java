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
 * The WaveNet gate tanh(a + ga) * sigmoid(b + gb) of the posterior encoder and flows: hidden 192,
 * 1000 frames, with a per-utterance speaker condition broadcast over time (as the flows use it).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class WnGateBenchmark {
    private static final int HIDDEN = 192, FRAMES = 1000;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private Tensor x, cond;

    @Setup(Level.Trial)
    public void setUp() {
        NativeContext.setThreads(threads);
        arena = Arena.ofShared();
        RandomTensors r = new RandomTensors(arena);
        x = r.gaussian(1f, 1, 2 * HIDDEN, FRAMES);
        cond = r.gaussian(1f, 1, 2 * HIDDEN, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float wnGateH192T1000() {
        try (Scope ignored = Scope.open()) {
            return Ops.wnGate(x, cond, 0).get(0);
        }
    }
}
