package io.bv2j.audio;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.ReflectPad;
import io.bv2j.tensor.Tensor;

import java.lang.foreign.Arena;

/**
 * mel_processing.spectrogram_torch: reflect-pad by (n_fft - hop) / 2 on both sides, STFT with
 * center=False and a periodic Hann window, onesided magnitude sqrt(re² + im² + 1e-6).
 *
 * <p>The DFT is one strided convolution with a windowed cos/sin basis: frames × basis is a GEMM
 * (BLAS-fast), it reuses conv1d's framing, and it stays differentiable like any conv.
 */
public final class Spectrogram {
    private final int nFft, hop;
    private final Tensor basis; // [2·F, 1, n_fft]: rows k < F are w·cos, rows F + k are -w·sin

    public Spectrogram(int nFft, int hop, int win, Arena arena) {
        if (nFft < 2 || hop < 1 || win < 1 || win > nFft || hop > nFft) {
            throw new IllegalArgumentException("spectrogram: need 1 <= hop, win <= n_fft, got n_fft " + nFft + ", hop "
                    + hop + ", win " + win);
        }
        this.nFft = nFft;
        this.hop = hop;
        this.basis = Tensor.of(arena, dftBasis(nFft, win), 2 * bins(), 1, nFft);
    }

    /** Frequency bins n_fft / 2 + 1. */
    public int bins() {
        return nFft / 2 + 1;
    }

    /** wav[B, samples] -> magnitude [B, n_fft/2 + 1, frames]. */
    public Tensor forward(Tensor wav) {
        if (wav.rank() != 2) throw new IllegalArgumentException("spectrogram input must be [B, samples], got " + wav);
        int samples = wav.dim(1);
        if (samples <= pad() || samples + 2 * pad() < nFft) {
            throw new IllegalArgumentException("spectrogram: " + samples + " samples are too few for n_fft " + nFft
                    + " and hop " + hop);
        }
        Tensor padded = ReflectPad.lastDim(wav.reshape(wav.dim(0), 1, samples), pad(), pad()); // [B, 1, S + 2·pad]
        Tensor reIm = Ops.conv1d(padded, basis, null, hop, 0, 1, 1);                           // [B, 2F, frames]
        return magnitude(reIm);
    }

    /** Mel spectrogram (mel_spectrogram_torch): the filterbank's spec_to_mel of this spectrogram. */
    public Tensor mel(Tensor wav, MelFilterbank filterbank) {
        return filterbank.specToMel(forward(wav));
    }

    private int pad() {
        return (nFft - hop) / 2;
    }

    /** [B, 2F, frames] (re rows, then im rows) -> sqrt(re² + im² + 1e-6) [B, F, frames], differentiable. */
    private Tensor magnitude(Tensor reIm) {
        int f = bins();
        Tensor re = Ops.narrow(reIm, 1, 0, f), im = Ops.narrow(reIm, 1, f, f);
        return Ops.sqrt(Ops.affine(Ops.add(Ops.mul(re, re), Ops.mul(im, im)), 1f, 1e-6f));
    }

    /** Windowed DFT basis in double, stored as float: torch.stft's window of win samples centred in n_fft. */
    static float[] dftBasis(int nFft, int win) {
        int f = nFft / 2 + 1, left = (nFft - win) / 2;
        double[] window = new double[nFft];
        for (int n = 0; n < win; n++) window[left + n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / win); // periodic Hann
        float[] basis = new float[2 * f * nFft];
        for (int k = 0; k < f; k++) {
            for (int n = 0; n < nFft; n++) {
                double angle = 2 * Math.PI * (((long) k * n) % nFft) / nFft; // reduced first: exact phase
                basis[k * nFft + n] = (float) (window[n] * Math.cos(angle));
                basis[(f + k) * nFft + n] = (float) (-window[n] * Math.sin(angle));
            }
        }
        return basis;
    }
}
