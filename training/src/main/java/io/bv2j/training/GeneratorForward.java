package io.bv2j.training;

import io.bv2j.align.MonotonicAlignment;
import io.bv2j.model.Commons;
import io.bv2j.model.Noise;
import io.bv2j.model.PosteriorEncoder;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.model.TextEncoder;
import io.bv2j.tensor.Grad;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/**
 * SynthesizerTrn.forward (training): posterior encoder with noise, flow, the negative
 * cross-entropy matrix and monotonic alignment search (noise-scaled when configured), duration
 * losses, prior expansion and a random segment for the decoder. Random draws, in the reference's
 * order: posterior noise, MAS noise, SDP posterior noise, slice starts.
 */
public final class GeneratorForward {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    /** What the reference's forward returns (names as in train_ms.py). */
    public record Output(Tensor yHat, Tensor lLength, int[][] path, Tensor attn, int[] idsSlice, Tensor xMask,
                         Tensor zMask, Tensor z, Tensor zP, Tensor mP, Tensor logsP, Tensor mQ, Tensor logsQ,
                         Tensor hiddenX, Tensor logw, Tensor logwHat, Tensor g) {
    }

    private GeneratorForward() {
    }

    /**
     * @param masNoiseScale the current noise-scaled-MAS factor (0 disables the draw, as when
     *                      use_noise_scaled_mas is false)
     */
    public static Output run(SynthesizerTrn net, TrainBatch batch, Noise noise, double masNoiseScale,
                             boolean noiseScaledMas) {
        Tensor g = net.speaker(batch.sid(), batch.spec());
        int tx = batch.phones()[0].length;
        Tensor xMask = Commons.sequenceMask(batch.xLengths(), tx);
        TextEncoder.Output enc = net.encP().forward(batch.phones(), batch.tones(), batch.languages(), batch.bert(),
                batch.jaBert(), xMask, g);
        PosteriorEncoder.Output post = net.encQ().forward(batch.spec(), batch.specLengths(), g, noise);
        Tensor yMask = post.mask();
        Tensor zP = net.flow().forward(post.z(), yMask, g);

        int[][] path;
        try (Grad ignored = Grad.disable()) {
            Tensor negCent = negativeCrossEntropy(zP, enc.m(), enc.logs());            // [B, Ty, Tx]
            if (noiseScaledMas) {
                Tensor eps = noise.normal("SynthesizerTrn.forward", negCent.shape());
                negCent = Ops.add(negCent, Ops.scale(eps, (float) (std(negCent) * masNoiseScale)));
            }
            int ty = negCent.dim(1);
            float[] flat = MonotonicAlignment.maximumPath(negCent.toArray(), batch.specLengths(), batch.xLengths(),
                    batch.size(), ty, tx);
            path = pathIndex(flat, batch.size(), ty, tx);
        }
        Tensor attn = Commons.pathTensor(path, tx);                                    // [B, 1, Ty, Tx]
        Tensor w = durations(path, batch.size(), tx);                                   // [B, 1, Tx]

        Tensor xMaskSum = Ops.sumAll(xMask);
        Tensor lSdp = Ops.div(net.sdp().nll(enc.x(), xMask, w, g, noise), xMaskSum);
        Tensor logwHat = Ops.mul(Ops.log(Ops.affine(w, 1f, 1e-6f)), xMask);
        Tensor logw = net.dp().forward(enc.x(), xMask, g);
        Tensor diff = Ops.sub(logw, logwHat);
        Tensor lDp = Ops.div(Ops.sumPerBatch(Ops.mul(diff, diff)), xMaskSum);
        Tensor lLength = Ops.add(lDp, lSdp);

        Tensor mP = Ops.gatherTime(enc.m(), path), logsP = Ops.gatherTime(enc.logs(), path);
        int segment = net.hparams().segmentFrames();
        int[] ids = sliceStarts(noise, batch.specLengths(), segment);
        Tensor zSlice = Ops.sliceSegments(post.z(), ids, segment);
        Tensor yHat = net.dec().forward(zSlice, g);
        return new Output(yHat, lLength, path, attn, ids, xMask, yMask, post.z(), zP, mP, logsP, post.m(),
                post.logs(), enc.x(), logw, logwHat, g);
    }

    /**
     * neg_cent[b, t, s] = Σ_d (−½log2π − logs_p) − ½ z_p² e^{−2 logs_p} + z_p m_p e^{−2 logs_p} − ½ m_p² e^{−2 logs_p},
     * as the reference's four terms (two reductions, two matmuls).
     */
    static Tensor negativeCrossEntropy(Tensor zP, Tensor mP, Tensor logsP) {
        Tensor sPSqR = Ops.exp(Ops.scale(logsP, -2f));                                 // [B, D, Tx]
        Tensor c1 = sumChannels(Ops.affine(logsP, -1f, (float) -HALF_LOG_2PI));       // [B, 1, Tx]
        Tensor zT = Ops.transpose(zP, 1, 2);                                           // [B, Ty, D]
        Tensor c2 = Ops.matmul(Ops.scale(Ops.mul(zT, zT), -0.5f), sPSqR);             // [B, Ty, Tx]
        Tensor c3 = Ops.matmul(zT, Ops.mul(mP, sPSqR));                                // [B, Ty, Tx]
        Tensor c4 = sumChannels(Ops.scale(Ops.mul(Ops.mul(mP, mP), sPSqR), -0.5f));   // [B, 1, Tx]
        return Ops.add(Ops.add(Ops.add(c1, c2), c3), c4);
    }

    /** torch.sum(x, [1], keepdim=True) of [B, D, T]. */
    private static Tensor sumChannels(Tensor x) {
        return Ops.sumTo(x, new int[]{x.dim(0), 1, x.dim(2)});
    }

    /** torch.std: the unbiased standard deviation of every element, in double. */
    static double std(Tensor x) {
        long n = x.numel();
        double mean = 0;
        for (long i = 0; i < n; i++) mean += x.get(i);
        mean /= n;
        double sq = 0;
        for (long i = 0; i < n; i++) {
            double d = x.get(i) - mean;
            sq += d * d;
        }
        return Math.sqrt(sq / (n - 1));
    }

    /** path[b][y] = the input index aligned to frame y (-1 when none) from the dense MAS path. */
    private static int[][] pathIndex(float[] flat, int b, int ty, int tx) {
        int[][] index = new int[b][ty];
        for (int i = 0; i < b; i++) {
            for (int y = 0; y < ty; y++) {
                index[i][y] = -1;
                for (int x = 0; x < tx; x++) {
                    if (flat[(i * ty + y) * tx + x] != 0f) index[i][y] = x;
                }
            }
        }
        return index;
    }

    /** w = attn.sum(2): frames aligned to each input position, [B, 1, Tx]. */
    private static Tensor durations(int[][] path, int b, int tx) {
        Tensor w = Tensor.zeros(b, 1, tx);
        for (int i = 0; i < b; i++) {
            for (int x : path[i]) if (x >= 0) w.set((long) i * tx + x, w.get((long) i * tx + x) + 1);
        }
        return w;
    }

    /** rand_slice_segments: start = floor(u · (length − segment + 1)), one uniform draw per row. */
    static int[] sliceStarts(Noise noise, int[] lengths, int segment) {
        Tensor u = noise.uniform("rand_slice_segments", lengths.length);
        int[] ids = new int[lengths.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) (u.get(i) * (float) (lengths[i] - segment + 1));
        }
        return ids;
    }
}
