package io.bv2j.bench;

import io.bv2j.Bv2jException;
import io.bv2j.align.MonotonicAlignment;
import io.bv2j.nativelib.CudaBuffer;
import io.bv2j.nativelib.CudaContext;
import io.bv2j.nativelib.CudaKernels;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.tensor.Device;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times the monotonic alignment search on random neg_cent [batch, frames, text] with every row at
 * full length (Super-MAS's 16 x 2048 x 512 by default). On the CPU it times the Java API a trainer
 * calls (copies into and out of native memory included); on CUDA the kernel alone with the data
 * resident on the device, as a GPU training step would have it, waited for with a synchronise.
 */
public final class MasBench {
    private MasBench() {
    }

    /** {@code MasBench DEVICE BATCH FRAMES TEXT REPS [THREADS]}, for scripts/gpu-check.sh (no CLI there). */
    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: MasBench cpu|cuda[:N] BATCH FRAMES TEXT REPS [THREADS]");
            System.exit(2);
        }
        try {
            int threads = args.length > 5 ? Integer.parseInt(args[5]) : Runtime.getRuntime().availableProcessors();
            System.out.println(run(Device.parse(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4]), threads));
        } catch (Bv2jException | NumberFormatException e) {
            System.err.println("MasBench: " + e.getMessage());
            System.exit(2);
        }
    }

    /** One key=value line: median and min milliseconds over the timed reps, after one warm-up. */
    public static String run(Device device, int batch, int frames, int text, int reps, int threads) {
        if (batch < 1 || frames < 1 || text < 1 || text > frames) {
            throw new Bv2jException("mas needs batch >= 1 and 1 <= text <= frames (got " + batch + " x " + frames
                    + " x " + text + ")");
        }
        if ((long) batch * frames * text > Integer.MAX_VALUE) throw new Bv2jException("mas: batch x frames x text too large");
        if (reps < 1) throw new Bv2jException("reps must be positive, got " + reps);
        device.require(Device.Work.ALIGNMENT);
        float[] negCent = new float[batch * frames * text];
        SplittableRandom rnd = new SplittableRandom(0);
        for (int i = 0; i < negCent.length; i++) negCent[i] = (float) (rnd.nextDouble() * -10);
        int[] ys = new int[batch], xs = new int[batch];
        Arrays.fill(ys, frames);
        Arrays.fill(xs, text);
        double[] ms = device.kind() == Device.Kind.CPU ? cpu(negCent, ys, xs, batch, frames, text, reps, threads)
                : cuda(device.index(), negCent, ys, xs, batch, frames, text, reps);
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "median_ms=%.3f min_ms=%.3f part=mas device=%s batch=%d frames=%d text=%d reps=%d%s",
                sorted[sorted.length / 2], sorted[0], device, batch, frames, text, reps,
                device.kind() == Device.Kind.CPU ? " threads=" + threads : "");
    }

    private static double[] cpu(float[] negCent, int[] ys, int[] xs, int batch, int frames, int text, int reps,
            int threads) {
        int previous = NativeContext.threads();
        NativeContext.setThreads(threads);
        try {
            MonotonicAlignment.maximumPath(negCent, ys, xs, batch, frames, text);
            double[] ms = new double[reps];
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                MonotonicAlignment.maximumPath(negCent, ys, xs, batch, frames, text);
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            return ms;
        } finally {
            NativeContext.setThreads(previous);
        }
    }

    private static double[] cuda(int index, float[] negCent, int[] ys, int[] xs, int batch, int frames, int text,
            int reps) {
        CudaKernels k = new CudaKernels();
        try (CudaContext ctx = CudaContext.open(index); CudaBuffer nc = ctx.upload(negCent); CudaBuffer yd = ctx.upload(ys);
             CudaBuffer xd = ctx.upload(xs); CudaBuffer path = ctx.allocate(negCent.length, Float.BYTES)) {
            k.maximumPath(ctx, nc, yd, xd, path, batch, frames, text);
            double[] ms = new double[reps];
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                k.maximumPath(ctx, nc, yd, xd, path, batch, frames, text);
                ctx.synchronize();
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            return ms;
        }
    }
}
