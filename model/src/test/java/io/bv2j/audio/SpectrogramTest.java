package io.bv2j.audio;

import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Properties checkable by hand; the golden mel case checks the numbers. */
class SpectrogramTest {
    @Test
    void aBinCenteredSinusoidPeaksInItsBin() {
        int nFft = 64, hop = 16, samples = 256, bin = 5;
        float[] wav = new float[samples];
        for (int n = 0; n < samples; n++) wav[n] = (float) Math.cos(2 * Math.PI * bin * n / nFft);
        try (Scope s = Scope.open()) {
            Tensor spec = new Spectrogram(nFft, hop, nFft, s.ownArena()).forward(Tensor.of(wav, 1, samples));
            int frames = (samples + 2 * ((nFft - hop) / 2) - nFft) / hop + 1;
            assertArrayEquals(new int[]{1, nFft / 2 + 1, frames}, spec.shape());
            int t = frames / 2; // a frame away from the reflected edges
            // periodic Hann: sum(w) = N/2, so a unit cosine on bin k gives |X[k]| = N/4 and N/8 on k±1
            assertEquals(nFft / 4.0, spec.get((long) bin * frames + t), 1e-4);
            assertEquals(nFft / 8.0, spec.get((long) (bin + 1) * frames + t), 1e-4);
            assertEquals(1e-3, spec.get((long) (bin + 3) * frames + t), 1e-4); // only the sqrt(1e-6) floor
        }
    }

    @Test
    void refusesTooShortInput() {
        try (Scope s = Scope.open()) {
            Spectrogram stft = new Spectrogram(64, 16, 64, s.ownArena());
            assertThrows(IllegalArgumentException.class, () -> stft.forward(Tensor.zeros(1, 24)));
            assertThrows(IllegalArgumentException.class, () -> stft.forward(Tensor.zeros(1, 1, 256)));
        }
    }

    @Test
    void slaneyFilterbankTrianglesHaveUnitArea() {
        int sr = 16000, nFft = 1024, nMels = 20;
        float[] fb = MelFilterbank.slaney(sr, nFft, nMels, 0, null);
        int bins = nFft / 2 + 1;
        double hzPerBin = (double) sr / nFft;
        for (int m = 2; m < nMels; m++) { // wide enough triangles for a Riemann sum
            double area = 0;
            for (int k = 0; k < bins; k++) area += fb[m * bins + k] * hzPerBin;
            assertEquals(1.0, area, 0.02, "filter " + m); // slaney norm: 2 / (f[m+2] - f[m]) × triangle
        }
        assertEquals(1000.0, MelFilterbank.melToHz(MelFilterbank.hzToMel(1000.0)), 1e-9);
        assertEquals(15.0, MelFilterbank.hzToMel(1000.0), 1e-12);
    }
}
