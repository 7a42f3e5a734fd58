package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.ConvTranspose1d;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import io.bv2j.tensor.Workers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** models.Generator (HiFi-GAN decoder): latent z[B, C, T] -> waveform [B, 1, T * prod(rates)]. */
public final class Generator extends Module {
    private final Conv1d convPre, convPost, cond;
    private final List<ConvTranspose1d> ups = new ArrayList<>();
    private final List<ResBlock> resblocks = new ArrayList<>();
    private final int numKernels;
    /** Samples a stage's residual blocks read on either side of an output sample. */
    private final int stageReach;
    private final int hop;
    private final int receptiveFieldFrames;

    public Generator(int initialChannel, String resblock, int[] resblockKernels, int[][] resblockDilations,
                     int[] upsampleRates, int upsampleInitialChannel, int[] upsampleKernels, int ginChannels) {
        numKernels = resblockKernels.length;
        int h = 1;
        for (int r : upsampleRates) h *= r;
        hop = h;
        convPre = child("conv_pre", Conv1d.of(initialChannel, upsampleInitialChannel, 7).padding(3).build());
        for (int i = 0; i < upsampleRates.length; i++) {
            int u = upsampleRates[i], k = upsampleKernels[i];
            ups.add(child("ups." + i, new ConvTranspose1d(upsampleInitialChannel >> i,
                    upsampleInitialChannel >> (i + 1), k, u, (k - u) / 2)));
        }
        int ch = upsampleInitialChannel;
        int index = 0;
        for (int i = 0; i < upsampleRates.length; i++) {
            ch = upsampleInitialChannel >> (i + 1);
            for (int j = 0; j < resblockKernels.length; j++) {
                Module block = "1".equals(resblock)
                        ? new ResBlock1(ch, resblockKernels[j], resblockDilations[j])
                        : new ResBlock2(ch, resblockKernels[j], resblockDilations[j]);
                resblocks.add((ResBlock) child("resblocks." + index++, block));
            }
        }
        convPost = child("conv_post", Conv1d.of(ch, 1, 7).padding(3).noBias().build());
        receptiveFieldFrames = receptiveField(resblock, resblockKernels, resblockDilations, upsampleRates,
                upsampleKernels);
        stageReach = resblockReach(resblock, resblockKernels, resblockDilations);
        cond = ginChannels != 0 ? child("cond", Conv1d.of(ginChannels, upsampleInitialChannel, 1).build()) : null;
    }

    /**
     * How many latent frames on either side can influence a sample (rounded up): conv_pre's
     * reach, then per stage the transposed conv's and the widest residual block's reach in that
     * stage's samples, divided by the samples per frame there, plus conv_post's.
     */
    private static int receptiveField(String resblock, int[] kernels, int[][] dilations, int[] rates, int[] upKernels) {
        double frames = 3; // conv_pre, kernel 7
        int perFrame = 1;
        for (int i = 0; i < rates.length; i++) {
            frames += Math.ceil((double) upKernels[i] / rates[i]) / perFrame;
            perFrame *= rates[i];
            frames += (double) resblockReach(resblock, kernels, dilations) / perFrame;
        }
        frames += 3.0 / perFrame; // conv_post, kernel 7
        return (int) Math.ceil(frames) + 1;
    }

    /** Samples on either side that the widest residual block of a stage reads around an output sample. */
    private static int resblockReach(String resblock, int[] kernels, int[][] dilations) {
        int widest = 0;
        for (int j = 0; j < kernels.length; j++) {
            int reach = 0;
            for (int d : dilations[j]) {
                reach += (kernels[j] - 1) * d / 2;
                if ("1".equals(resblock)) reach += (kernels[j] - 1) / 2; // convs2 after each dilated conv
            }
            widest = Math.max(widest, reach);
        }
        return widest;
    }

    /** Latent frames on either side that a sample of the output can depend on. */
    public int receptiveFieldFrames() {
        return receptiveFieldFrames;
    }

    /** Samples per latent frame (the product of the upsampling rates). */
    public int hop() {
        return hop;
    }

    /** z[B, C, T], g [B, gin, 1] or null -> [B, 1, T * hop]. */
    public Tensor forward(Tensor z, Tensor g) {
        Tensor x = convPre.forward(z);
        if (g != null && cond != null) x = Ops.add(x, cond.forward(g));
        for (int i = 0; i < ups.size(); i++) {
            // Inference keeps only each stage's and each residual block's result: a long utterance
            // never holds a whole stage's intermediates (gigabytes at the last stages).
            Tensor in = x;
            int stage = i;
            x = Scope.keepResultOnly(() -> stage(stage, in), in);
        }
        // torch's default slope 0.01 here, not LRELU_SLOPE: a quirk of the reference kept on purpose.
        x = convPost.forwardFused(x, 0.01f, null);
        return Ops.tanh(x);
    }

    /**
     * Upsampling stage i: x[B, C, T] -> [B, C/2, T * rate], the mean of its residual blocks. In
     * inference with several threads the stage's time axis is cut into one slice per thread, and
     * each worker (one kernel thread) runs every residual block over its slice plus the blocks'
     * reach on either side, then keeps its slice: equal shares, no synchronisation inside the
     * stage, and each worker's data stays in its own core's caches. Interior samples see exactly
     * the inputs they see unsliced, so the result is the same up to float rounding.
     */
    private Tensor stage(int i, Tensor x) {
        Tensor up = Scope.keepResultOnly(() -> ups.get(i).forward(Ops.leakyRelu(x, ResBlock.LRELU_SLOPE)));
        List<ResBlock> blocks = resblocks.subList(i * numKernels, (i + 1) * numKernels);
        int t = up.dim(2);
        // Slices at least 4x the halo each, so the recomputed halo costs at most half a slice.
        int slices = Math.min(NativeContext.threads(), Math.max(1, t / (8 * Math.max(1, stageReach))));
        boolean shareable = true;
        for (ResBlock b : blocks) shareable &= ((Module) b).parametersReadableBy(Workers::readableByWorkers);
        if (Workers.lanes(slices, shareable) <= 1) return meanOfBlocks(blocks, up);
        List<Function<Tensor, Tensor>> pieces = new ArrayList<>(slices);
        List<int[]> shapes = new ArrayList<>(slices);
        long[] costs = new long[slices];
        for (int j = 0; j < slices; j++) {
            int a = (int) ((long) t * j / slices), b = (int) ((long) t * (j + 1) / slices);
            int lo = Math.max(0, a - stageReach), hi = Math.min(t, b + stageReach);
            pieces.add(in -> Ops.narrow(meanOfBlocks(blocks, Ops.narrow(in, 2, lo, hi - lo)), 2, a - lo, b - a));
            shapes.add(new int[]{up.dim(0), up.dim(1), b - a});
            costs[j] = hi - lo;
        }
        return Ops.cat(2, Workers.run(up, pieces, shapes, costs, true).toArray(new Tensor[0]));
    }

    /** (sum of the blocks' outputs, in block order) / number of blocks; each block keeps only its result. */
    private Tensor meanOfBlocks(List<ResBlock> blocks, Tensor x) {
        Tensor xs = null;
        for (ResBlock block : blocks) {
            Tensor r = Scope.keepResultOnly(() -> block.forward(x));
            Tensor sum = xs;
            xs = sum == null ? r : Scope.keepResultOnly(() -> Ops.add(sum, r), sum, r);
        }
        Tensor sum = xs;
        return Scope.keepResultOnly(() -> Ops.scale(sum, 1f / blocks.size()), sum);
    }
}
