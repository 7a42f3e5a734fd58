package io.bv2j.training.data;

import io.bv2j.Bv2jException;
import io.bv2j.io.Npy;
import io.bv2j.io.RawTensor;
import io.bv2j.io.TorchCheckpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The per-utterance BERT feature files that the reference's bert_gen.py writes next to each wav and
 * data_utils.py reads back.
 *
 * <p>Reading of the reference (v1.1 data_utils.get_text and bert_gen.py): the file is
 * {@code wav_path.replace(".wav", ".bert.pt")}, a torch-saved float tensor of shape [dim, T] where
 * T is the phone count after add_blank (the reference asserts {@code bert.shape[-1] == len(phone)}).
 * A ZH line's file is the Chinese RoBERTa feature (dim 1024) and becomes {@code bert}, with
 * {@code ja_bert} zeros [768, T]; a JP line's file is the Japanese BERT feature (dim 768) and becomes
 * {@code ja_bert}, with {@code bert} zeros [1024, T]; for any other language (EN) both are zeros.
 * In v1.1 English has only a mock BERT (text/english_bert_mock.py returns zeros(1024, sum(word2ph))),
 * so an EN line needs no file and any file there is ignored.
 *
 * <p>bv2j also accepts {@code .bert.npy} (NumPy) in the same place; {@code .bert.pt} wins when both
 * exist. The reference regenerates a missing or mis-shaped file with the BERT model; bv2j has no
 * BERT model, so that is an error that names the file.
 *
 * <p>The name is formed on the file name only (Python's replace on the whole path differs only when
 * a folder name contains ".wav", where bert_gen.py could not have saved the file either); a name
 * without ".wav" gets the suffix appended instead of reusing the wav's own name.
 */
public final class BertFeatures {

    /** Chinese RoBERTa-wwm-ext-large hidden size: rows of {@code bert}. */
    public static final int ZH_DIM = 1024;
    /** Japanese BERT hidden size: rows of {@code ja_bert}. */
    public static final int JA_DIM = 768;

    private BertFeatures() {
    }

    /** The rows the language's feature file must have: 1024 for ZH, 768 for JP, 0 (no file) otherwise. */
    public static int fileDim(String language) {
        return switch (language) {
            case "ZH" -> ZH_DIM;
            case "JP" -> JA_DIM;
            default -> 0;
        };
    }

    /** {@code <wav>.bert.pt} as the reference names it. */
    public static Path ptPath(Path wav) {
        return sidecar(wav, ".bert.pt");
    }

    /** {@code <wav>.bert.npy}, bv2j's alternative. */
    public static Path npyPath(Path wav) {
        return sidecar(wav, ".bert.npy");
    }

    /** The existing feature file for {@code wav} (.bert.pt first, then .bert.npy), or null. */
    public static Path find(Path wav) {
        Path pt = ptPath(wav);
        if (Files.isRegularFile(pt)) {
            return pt;
        }
        Path npy = npyPath(wav);
        return Files.isRegularFile(npy) ? npy : null;
    }

    /** {@code name.replace(".wav", suffix)} on the file name, or the suffix appended when it has no ".wav". */
    static Path sidecar(Path wav, String suffix) {
        String name = wav.getFileName().toString();
        String replaced = name.contains(".wav") ? name.replace(".wav", suffix) : name + suffix;
        return wav.resolveSibling(replaced);
    }

    /** The file's tensor, data not yet read. */
    static RawTensor open(Path file) {
        if (file.getFileName().toString().endsWith(".npy")) {
            return Npy.read(file);
        }
        try (TorchCheckpoint ck = TorchCheckpoint.read(file)) {
            if (!(ck.root() instanceof RawTensor t)) {
                throw new Bv2jException(file + ": holds " + describe(ck.root()) + ", expected one tensor saved with "
                        + "torch.save(tensor, path)");
            }
            return t; // reading after close reopens the archive for that one read
        }
    }

    /**
     * Checks the file's shape against [dim, length] without reading the data.
     *
     * @return null when it fits, else what is wrong (one line, naming the file)
     */
    static String checkShape(Path file, int dim, int length) {
        long[] shape;
        try {
            shape = open(file).shape();
        } catch (Bv2jException e) {
            return e.getMessage();
        }
        if (shape.length != 2 || shape[0] != dim || shape[1] != length) {
            return file + ": shape " + Arrays.toString(shape) + ", expected [" + dim + ", " + length
                    + "] (feature rows × phones after add_blank)";
        }
        return null;
    }

    /** The features as row-major [dim, length] floats, shape-checked. */
    static float[] load(Path file, int dim, int length) {
        String problem = checkShape(file, dim, length);
        if (problem != null) {
            throw new Bv2jException(problem);
        }
        return open(file).toFloats();
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
