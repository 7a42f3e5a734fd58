package io.bv2j.bench.jmh;

import io.bv2j.nativelib.Kernels;
import io.bv2j.nativelib.NativeContext;
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
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The flow's FFN convolutions (192 -> 768 and 768 -> 192, kernel 5) at a 1.9 s (160 frames) and a
 * 5 s (431 frames) utterance, on the implicit-GEMM kernel bv2j runs them on and forced onto
 * Winograd F(4, 4) in two filter chunks (14 products per 4 outputs instead of 20). Kept to show why
 * the flow stays off Winograd at these lengths (BENCHMARKS.md, session 7): the per-call filter
 * transform and the narrow per-point products cost more than the 1.43x fewer multiplications save.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class FlowConvAlgorithmBenchmark {
    private static final int HIDDEN = 192, FILTER = 768, KERNEL = 5;

    @Param({"1", "2"})
    public int threads;

    @Param({"160", "431"})
    public int frames;

    @Param({"direct", "winograd"})
    public String algorithm;

    private Arena arena;
    private Tensor xIn, wIn, bIn, yIn; // conv_1: [1, 192, T] -> [1, 768, T]
    private Tensor xOut, wOut, bOut, yOut; // conv_2: [1, 768, T] -> [1, 192, T]

    @Setup(Level.Trial)
    public void setUp() {
        NativeContext.setThreads(threads);
        arena = Arena.ofShared();
        RandomTensors r = new RandomTensors(arena);
        xIn = r.gaussian(1f, 1, HIDDEN, frames);
        wIn = r.gaussian(0.03f, FILTER, HIDDEN, KERNEL);
        bIn = r.gaussian(0.03f, FILTER);
        yIn = r.gaussian(0f, 1, FILTER, frames);
        xOut = r.gaussian(1f, 1, FILTER, frames);
        wOut = r.gaussian(0.02f, HIDDEN, FILTER, KERNEL);
        bOut = r.gaussian(0.02f, HIDDEN);
        yOut = r.gaussian(0f, 1, HIDDEN, frames);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** 2 * 192 * 768 * 5 * T FLOP: 0.24 GFLOP at 160 frames, 0.64 at 431. */
    @Benchmark
    public void ffnConv1() {
        run(xIn, wIn, bIn, yIn, HIDDEN, FILTER);
    }

    /** The same FLOP count, 768 input channels. */
    @Benchmark
    public void ffnConv2() {
        run(xOut, wOut, bOut, yOut, FILTER, HIDDEN);
    }

    private void run(Tensor x, Tensor w, Tensor b, Tensor y, int cIn, int cOut) {
        MemorySegment none = MemorySegment.NULL;
        if ("winograd".equals(algorithm)) {
            Kernels.conv1dWinograd(x.segment(), w.segment(), b.segment(), none, y.segment(), 1, cIn, frames, cOut,
                    frames, KERNEL, KERNEL / 2, 1, Float.NaN);
        } else {
            Kernels.conv1dDirect(x.segment(), w.segment(), b.segment(), none, y.segment(), 1, cIn, frames, cOut,
                    frames, KERNEL, KERNEL / 2, 1, Float.NaN);
        }
    }
}
