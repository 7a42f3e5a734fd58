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
 * The decoder's convolutions at the shapes of the 44.1 kHz default (160 latent frames):
 * a kernel-7 resblock conv after the first upsampling (256 channels, 1280 steps), a dilated
 * kernel-11 resblock conv after the fourth (32 channels, 40960 steps, dilation 5) and the first
 * transposed-conv upsampling (512 -> 256, kernel 16, stride 8); and the flow's first FFN
 * convolution (192 -> 768, kernel 5, 160 frames). ownGemm false sends them through im2col and
 * OpenBLAS as before bv2j's own AVX-512 tiles ({@link NativeContext#setOwnGemm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ConvBenchmark {
    @Param({"1", "2"})
    public int threads;

    @Param({"true", "false"})
    public boolean ownGemm;

    private Arena arena;
    private Tensor x256, w256, b256;
    private Tensor x32, w32, b32;
    private Tensor xUp, wUp, bUp;
    private Tensor xFfn, wFfn, bFfn;

    @Setup(Level.Trial)
    public void setUp() {
        NativeContext.setThreads(threads);
        NativeContext.setOwnGemm(ownGemm);
        arena = Arena.ofShared();
        RandomTensors r = new RandomTensors(arena);
        x256 = r.gaussian(1f, 1, 256, 1280);
        w256 = r.gaussian(0.02f, 256, 256, 7);
        b256 = r.gaussian(0.02f, 256);
        x32 = r.gaussian(1f, 1, 32, 40960);
        w32 = r.gaussian(0.05f, 32, 32, 11);
        b32 = r.gaussian(0.05f, 32);
        xUp = r.gaussian(1f, 1, 512, 160);
        wUp = r.gaussian(0.02f, 512, 256, 16);
        bUp = r.gaussian(0.02f, 256);
        xFfn = r.gaussian(1f, 1, 192, 160);
        wFfn = r.gaussian(0.03f, 768, 192, 5);
        bFfn = r.gaussian(0.03f, 768);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** 2 * 256 * 256 * 7 * 1280 = 1.17 GFLOP. */
    @Benchmark
    public float conv1dC256K7T1280() {
        try (Scope ignored = Scope.open()) {
            return Ops.conv1d(x256, w256, b256, 1, 3, 1, 1).get(0);
        }
    }

    /** 2 * 32 * 32 * 11 * 40960 = 0.92 GFLOP. */
    @Benchmark
    public float conv1dC32K11D5T40960() {
        try (Scope ignored = Scope.open()) {
            return Ops.conv1d(x32, w32, b32, 1, 25, 5, 1).get(0);
        }
    }

    /** 2 * 192 * 768 * 5 * 160 = 0.24 GFLOP. */
    @Benchmark
    public float conv1dC192to768K5T160() {
        try (Scope ignored = Scope.open()) {
            return Ops.conv1d(xFfn, wFfn, bFfn, 1, 2, 1, 1).get(0);
        }
    }

    /** 2 * 512 * 256 * 16 * 160 = 0.67 GFLOP. */
    @Benchmark
    public float convTranspose512to256K16S8T160() {
        try (Scope ignored = Scope.open()) {
            return Ops.convTranspose1d(xUp, wUp, bUp, 8, 4).get(0);
        }
    }
}
