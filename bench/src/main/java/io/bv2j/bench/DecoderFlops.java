package io.bv2j.bench;

import io.bv2j.model.Hparams;

/**
 * The decoder's convolution FLOPs counted exactly as /work/shared/bench/torch_decoder_baseline.py
 * counts them (2 x multiply-adds of conv_pre, every transposed conv, every resblock conv and
 * conv_post; the 1x1 speaker `cond` conv, biases and activations are left out), so that our
 * GFLOP/s and the PyTorch baseline's are the same quantity.
 */
public final class DecoderFlops {
    private static final int PRE_POST_KERNEL = 7;

    private DecoderFlops() {
    }

    /** FLOPs per latent frame. */
    public static long perFrame(Hparams hp) {
        long uc = hp.upsampleInitialChannel(), hop = 1;
        long f = 2L * hp.interChannels() * uc * PRE_POST_KERNEL;
        int[] rates = hp.upsampleRates(), kernels = hp.upsampleKernelSizes();
        long taps = 0;
        int convsPerDilation = "1".equals(hp.resblock()) ? 2 : 1;
        for (int j = 0; j < hp.resblockKernelSizes().length; j++) {
            taps += (long) hp.resblockKernelSizes()[j] * hp.resblockDilationSizes()[j].length * convsPerDilation;
        }
        for (int i = 0; i < rates.length; i++) {
            long cin = uc >> i, cout = uc >> (i + 1);
            f += 2 * cin * cout * kernels[i] * hop; // transposed conv: per input sample
            hop *= rates[i];
            f += 2 * cout * cout * taps * hop;
        }
        f += 2 * (uc >> rates.length) * PRE_POST_KERNEL * hop;
        return f;
    }
}
