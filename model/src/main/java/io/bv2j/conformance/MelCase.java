package io.bv2j.conformance;

import io.bv2j.Bv2jException;
import io.bv2j.audio.MelFilterbank;
import io.bv2j.audio.Spectrogram;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * modules/mel: from in/wav, the linear spectrogram, librosa's Slaney filterbank, spec_to_mel of
 * the spectrogram and mel_spectrogram, with the sizes in the file's metadata.
 */
public final class MelCase implements ConformanceCase {
    @Override
    public String group() {
        return "mel";
    }

    @Override
    public String file() {
        return "modules/mel.safetensors";
    }

    @Override
    public List<Row> run(GoldenContext ctx, GoldenFile g) {
        int sr = metaInt(g, "sampling_rate"), nFft = metaInt(g, "n_fft");
        String fmax = g.meta("fmax");
        Spectrogram stft = new Spectrogram(nFft, metaInt(g, "hop"), metaInt(g, "win"), Scope.arena());
        MelFilterbank fb = new MelFilterbank(sr, nFft, metaInt(g, "n_mels"), g.metaDouble("fmin"),
                fmax == null || fmax.equals("null") ? null : Double.valueOf(fmax), Scope.arena());
        Tensor wav = g.tensor("in/wav");
        Tensor spec = stft.forward(wav);
        List<Row> rows = new ArrayList<>();
        rows.add(compare(g, "spec", spec));
        rows.add(compare(g, "mel_basis", fb.basis()));
        rows.add(compare(g, "mel_from_spec", fb.specToMel(spec)));
        rows.add(compare(g, "mel", stft.mel(wav, fb)));
        return rows;
    }

    private Row compare(GoldenFile g, String name, Tensor ours) {
        var ref = g.raw("out/" + name);
        return Compare.floats(file(), "out/" + name, ours, ref.toFloats(), ref.shape(), Tolerances.MODULE_FORWARD);
    }

    private static int metaInt(GoldenFile g, String key) {
        double v = g.metaDouble(key);
        if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
            throw new Bv2jException(g.path().getFileName() + ": metadata '" + key + "' = " + v + " is not a positive integer");
        }
        return (int) v;
    }
}
