package io.bv2j.audio;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.lang.foreign.Arena;

/**
 * librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax) with htk=False, norm='slaney' (Slaney's
 * mel scale, triangles scaled to unit area), and mel_processing.spec_to_mel on top of it.
 */
public final class MelFilterbank {
    private static final double F_SP = 200.0 / 3;        // Hz per mel below 1 kHz
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOGSTEP = Math.log(6.4) / 27.0;

    private final int nMels, bins;
    private final Tensor basis; // [n_mels, n_fft/2 + 1, 1]: a 1×1 conv over the frequency channels

    /** fmax null means sr / 2, as librosa. */
    public MelFilterbank(int samplingRate, int nFft, int nMels, double fmin, Double fmax, Arena arena) {
        this.nMels = nMels;
        this.bins = nFft / 2 + 1;
        this.basis = Tensor.of(arena, slaney(samplingRate, nFft, nMels, fmin, fmax), nMels, bins, 1);
    }

    /** The filterbank as [n_mels, n_fft/2 + 1] (librosa's mel_basis). */
    public Tensor basis() {
        return basis.reshape(nMels, bins);
    }

    /** spec_to_mel: log(clamp_min(mel_basis @ spec, 1e-5)), spec[B, F, frames] -> [B, n_mels, frames]. */
    public Tensor specToMel(Tensor spec) {
        if (spec.rank() != 3 || spec.dim(1) != bins) {
            throw new IllegalArgumentException("spec_to_mel: spectrogram must be [B, " + bins + ", frames], got " + spec);
        }
        return Ops.log(Ops.clampMin(Ops.conv1d(spec, basis, null, 1, 0, 1, 1), 1e-5f));
    }

    /** Row-major [n_mels, n_fft/2 + 1], computed in double and rounded once to float. */
    public static float[] slaney(int samplingRate, int nFft, int nMels, double fmin, Double fmax) {
        double top = fmax == null ? samplingRate / 2.0 : fmax;
        if (samplingRate <= 0 || nFft < 2 || nMels < 1 || fmin < 0 || !(top > fmin)) {
            throw new IllegalArgumentException("mel filterbank: bad sr " + samplingRate + ", n_fft " + nFft + ", n_mels "
                    + nMels + ", fmin " + fmin + ", fmax " + top);
        }
        int bins = nFft / 2 + 1;
        double[] fftFreqs = new double[bins]; // np.fft.rfftfreq(n_fft, 1 / sr)
        double step = 1.0 / (nFft * (1.0 / samplingRate));
        for (int k = 0; k < bins; k++) fftFreqs[k] = k * step;
        double[] melF = melFrequencies(nMels + 2, fmin, top);
        float[] w = new float[nMels * bins];
        for (int i = 0; i < nMels; i++) {
            double lowerWidth = melF[i + 1] - melF[i], upperWidth = melF[i + 2] - melF[i + 1];
            double enorm = 2.0 / (melF[i + 2] - melF[i]);
            for (int k = 0; k < bins; k++) {
                double lower = -(melF[i] - fftFreqs[k]) / lowerWidth;
                double upper = (melF[i + 2] - fftFreqs[k]) / upperWidth;
                w[i * bins + k] = (float) (Math.max(0, Math.min(lower, upper)) * enorm);
            }
        }
        return w;
    }

    /** n frequencies evenly spaced in mels between fmin and fmax (np.linspace, end pinned). */
    private static double[] melFrequencies(int n, double fmin, double fmax) {
        double lo = hzToMel(fmin), hi = hzToMel(fmax), step = (hi - lo) / (n - 1);
        double[] hz = new double[n];
        for (int i = 0; i < n; i++) hz[i] = melToHz(i == n - 1 ? hi : lo + i * step);
        return hz;
    }

    static double hzToMel(double hz) {
        return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
    }

    static double melToHz(double mel) {
        return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
    }
}
