package io.bv2j.training.data;

import io.bv2j.Bv2jException;
import io.bv2j.io.ModelConfig;
import io.bv2j.io.Wav;
import io.bv2j.io.WavData;

import java.nio.file.Path;

/**
 * Training audio as the reference loads it (utils.load_wav_to_torch, then data_utils.get_audio):
 * the wav's integer samples as floats, refused when the sample rate is not data.sampling_rate,
 * then {@code audio_norm = audio / max_wav_value}.
 *
 * <p>Choices: no resampling (the reference raises ValueError too; resample beforehand, e.g.
 * {@code sox in.wav -r 16000 -b 16 -c 1 out.wav}); only mono 16-bit PCM is accepted, because the
 * reference's scipy reader returns a 32-bit float file's samples unscaled, which divided by 32768
 * would be near-silence, and a stereo file's [samples, 2] array breaks its spectrogram.
 * {@link Wav#read} already returns PCM samples divided by 32768, so they are rescaled only when
 * max_wav_value is not 32768 (x · 32768 / max_wav_value), never divided twice.
 */
public final class TrainingAudio {

    private static final double PCM16_SCALE = 32768.0;

    private TrainingAudio() {
    }

    /** What is wrong with {@code wav} as training audio for {@code config}, or null when nothing is. */
    static String formatProblem(WavData wav, ModelConfig config) {
        if (wav.bitsPerSample() != 16) {
            return "not 16-bit PCM (" + wav.bitsPerSample() + "-bit float); convert it, e.g. sox in.wav -b 16 out.wav";
        }
        return null;
    }

    /** The sample-rate complaint, or null. */
    static String rateProblem(WavData wav, ModelConfig config) {
        int want = config.data().samplingRate();
        if (wav.sampleRate() != want) {
            return "sample rate is " + wav.sampleRate() + " Hz but data.sampling_rate is " + want
                    + " Hz (bv2j does not resample; e.g. sox in.wav -r " + want + " out.wav)";
        }
        return null;
    }

    /** audio_norm of a checked wav. */
    static float[] normalize(WavData wav, ModelConfig config) {
        float[] s = wav.samples();
        double maxWav = config.data().maxWavValue();
        if (maxWav == PCM16_SCALE) {
            return s;
        }
        float scale = (float) (PCM16_SCALE / maxWav);
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i] * scale;
        }
        return out;
    }

    /**
     * Reads and checks {@code path}, returning audio_norm.
     *
     * @throws Bv2jException naming the file when it is not usable training audio
     */
    public static float[] load(Path path, ModelConfig config) {
        WavData wav = Wav.read(path);
        String problem = formatProblem(wav, config);
        if (problem == null) {
            problem = rateProblem(wav, config);
        }
        if (problem != null) {
            throw new Bv2jException(path + ": " + problem);
        }
        return normalize(wav, config);
    }
}
