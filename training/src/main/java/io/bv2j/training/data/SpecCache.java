package io.bv2j.training.data;

import io.bv2j.Bv2jException;
import io.bv2j.audio.MelFilterbank;
import io.bv2j.audio.Spectrogram;
import io.bv2j.io.DType;
import io.bv2j.io.ModelConfig;
import io.bv2j.io.RawTensor;
import io.bv2j.io.SafeTensors;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The linear spectrogram of each training wav, computed once and cached next to it.
 *
 * <p>The reference (data_utils.get_audio) computes {@code spectrogram_torch(audio_norm,
 * filter_length, sampling_rate, hop_length, win_length, center=False)}, squeezes it to
 * [spec_channels, frames] and, when spec caching is on, saves it as
 * {@code wav_path.replace(".wav", ".spec.pt")}; a cached file is trusted whatever settings made it.
 * With model.use_mel_posterior_encoder it is the log-mel {@code mel_spectrogram_torch} instead,
 * cached as {@code .mel.pt}.
 *
 * <p>bv2j caches the same [channels, frames] float32 array as {@code <wav>.spec.safetensors}
 * ({@code .mel.safetensors} for the mel case), tensor "spec", with a metadata fingerprint of
 * everything that determines it: the STFT settings, the sampling rate, max_wav_value, the mel
 * settings where used, and the wav's size and modification time. A cache whose fingerprint differs
 * (or which cannot be read) is recomputed and rewritten (atomically, so concurrent readers see the
 * old or the new file, never half of one).
 *
 * <p>Thread-safe: the DFT basis lives in an automatic arena and each computation opens its own
 * {@link Scope}.
 */
public final class SpecCache {

    /** A spectrogram and whether it came from the cache. */
    public record Spec(float[] data, int channels, int frames, boolean fromCache) {
    }

    static final String TENSOR = "spec";
    static final String FORMAT_KEY = "bv2j_spec_cache";
    static final String FORMAT_VERSION = "1";

    private final ModelConfig config;
    private final boolean mel;
    private final Spectrogram spectrogram;
    private final MelFilterbank filterbank;
    private final Map<String, String> settings;

    public SpecCache(ModelConfig config) {
        this.config = config;
        ModelConfig.Data d = config.data();
        this.mel = config.model().useMelPosteriorEncoder();
        Arena arena = Arena.ofAuto();
        this.spectrogram = new Spectrogram(d.filterLength(), d.hopLength(), d.winLength(), arena);
        this.filterbank = mel ? new MelFilterbank(d.samplingRate(), d.filterLength(), d.nMelChannels(), d.melFmin(),
                d.melFmax(), arena) : null;
        Map<String, String> s = new LinkedHashMap<>();
        s.put(FORMAT_KEY, FORMAT_VERSION);
        s.put("kind", mel ? "log-mel" : "linear");
        s.put("filter_length", Integer.toString(d.filterLength()));
        s.put("hop_length", Integer.toString(d.hopLength()));
        s.put("win_length", Integer.toString(d.winLength()));
        s.put("sampling_rate", Integer.toString(d.samplingRate()));
        s.put("max_wav_value", Double.toString(d.maxWavValue()));
        if (mel) {
            s.put("n_mel_channels", Integer.toString(d.nMelChannels()));
            s.put("mel_fmin", Double.toString(d.melFmin()));
            s.put("mel_fmax", String.valueOf(d.melFmax()));
        }
        this.settings = Map.copyOf(s);
    }

    /** Rows of every spectrogram: filter_length / 2 + 1, or n_mel_channels with the mel posterior encoder. */
    public int channels() {
        return mel ? config.data().nMelChannels() : config.specChannels();
    }

    /** Where {@code wav}'s spectrogram is cached. */
    public Path cachePath(Path wav) {
        return BertFeatures.sidecar(wav, mel ? ".mel.safetensors" : ".spec.safetensors");
    }

    /** True when a cache file exists and its fingerprint matches the current wav and settings. */
    public boolean isFresh(Path wav) {
        return readCache(wav, fingerprint(wav)) != null;
    }

    /**
     * The spectrogram of {@code wav}: from the cache when fresh, else computed from
     * {@code audioNorm} (or from the file when that is null) and written to the cache.
     */
    public Spec get(Path wav, float[] audioNorm) {
        Map<String, String> fp = fingerprint(wav);
        Spec cached = readCache(wav, fp);
        if (cached != null) {
            return cached;
        }
        float[] audio = audioNorm != null ? audioNorm : TrainingAudio.load(wav, config);
        Spec spec = compute(audio);
        SafeTensors.write(cachePath(wav), Map.of(TENSOR, RawTensor.ofFloats(new long[] {spec.channels(), spec.frames()},
                spec.data())), fp);
        return spec;
    }

    /** The spectrogram of audio_norm samples, uncached: [channels, frames]. */
    public Spec compute(float[] audioNorm) {
        int pad = (config.data().filterLength() - config.data().hopLength()) / 2;
        if (audioNorm.length <= pad || audioNorm.length + 2 * pad < config.data().filterLength()) {
            throw new Bv2jException(audioNorm.length + " samples are too few for one spectrogram frame (filter_length "
                    + config.data().filterLength() + ", hop_length " + config.data().hopLength() + ")");
        }
        try (Scope s = Scope.open()) {
            Tensor w = Tensor.of(audioNorm, 1, audioNorm.length);
            Tensor spec = spectrogram.forward(w);
            if (mel) {
                spec = filterbank.specToMel(spec);
            }
            return new Spec(spec.toArray(), spec.dim(1), spec.dim(2), false);
        }
    }

    /** The fewest samples that make one frame. */
    int minSamples() {
        int pad = (config.data().filterLength() - config.data().hopLength()) / 2;
        return Math.max(pad + 1, config.data().filterLength() - 2 * pad);
    }

    private Map<String, String> fingerprint(Path wav) {
        Map<String, String> fp = new LinkedHashMap<>(settings);
        try {
            fp.put("wav_size", Long.toString(Files.size(wav)));
            fp.put("wav_mtime_ns", Long.toString(Files.getLastModifiedTime(wav).to(java.util.concurrent.TimeUnit.NANOSECONDS)));
        } catch (IOException e) {
            throw new Bv2jException(wav + ": cannot read its size and time (" + e.getMessage() + ")", e);
        }
        return fp;
    }

    private Spec readCache(Path wav, Map<String, String> fp) {
        Path cache = cachePath(wav);
        if (!Files.isRegularFile(cache)) {
            return null;
        }
        try {
            SafeTensors st = SafeTensors.read(cache);
            if (!st.metadata().equals(fp)) {
                return null;
            }
            RawTensor t = st.get(TENSOR);
            long[] shape = t.shape();
            if (t.dtype() != DType.F32 || shape.length != 2 || shape[0] != channels()) {
                return null;
            }
            return new Spec(t.toFloats(), (int) shape[0], (int) shape[1], true);
        } catch (Bv2jException e) {
            return null; // a damaged cache is rebuilt, never fatal
        }
    }
}
