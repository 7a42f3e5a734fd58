package io.bv2j.training.data;

import io.bv2j.Bv2jException;
import io.bv2j.io.ModelConfig;
import io.bv2j.training.TrainBatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A filelist loaded for training: TextAudioSpeakerLoader plus its sampler and collate.
 *
 * <p>{@link #load} validates the whole filelist once ({@link Preprocess#validate}) and refuses it
 * with the full report when anything is wrong; afterwards items load lazily: the wav is read,
 * normalised, its spectrogram taken from (or put into) the {@link SpecCache}, and its BERT features
 * read, per {@link #item}. Entries keep filelist order (the reference first shuffles its list with
 * Python's {@code random.seed(1234)}; that order matters only together with torch.randperm's numbers,
 * which cannot be reproduced anyway).
 *
 * <p>Thread-safe for concurrent {@link #item} calls (a loader thread may prefetch).
 */
public final class TrainingData {

    private final ModelConfig config;
    private final PreprocessReport report;
    private final List<DataEntry> entries;
    private final SpecCache specs;

    private TrainingData(ModelConfig config, PreprocessReport report) {
        this.config = config;
        this.report = report;
        this.entries = report.entries();
        this.specs = new SpecCache(config);
    }

    /**
     * Loads and validates {@code filelist}, resolving relative wav paths against {@code baseDir}.
     *
     * @throws Bv2jException with the report (every problem, up to a limit) when it has errors
     */
    public static TrainingData load(ModelConfig config, Path filelist, Path baseDir) {
        PreprocessReport report = Preprocess.validate(config, filelist, baseDir);
        if (report.hasErrors()) {
            int errors = report.errors().size();
            throw new Bv2jException(filelist + ": " + errors + (errors == 1 ? " problem" : " problems")
                    + " must be fixed before training (bv2j preprocess lists them all):\n" + report.format(20));
        }
        return new TrainingData(config, report);
    }

    public ModelConfig config() {
        return config;
    }

    /** The validation report (its warnings are worth showing once). */
    public PreprocessReport report() {
        return report;
    }

    public List<DataEntry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /** Each entry's bucketing length (file size // (2 · hop_length)). */
    public int[] lengths() {
        int[] out = new int[entries.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = entries.get(i).length();
        }
        return out;
    }

    /** The spectrogram cache this dataset uses. */
    public SpecCache specCache() {
        return specs;
    }

    /** Loads entry {@code index}: the reference's __getitem__. */
    public DataItem item(int index) {
        DataEntry e = entries.get(index);
        float[] wav = TrainingAudio.load(e.wav(), config);
        SpecCache.Spec spec = specs.get(e.wav(), wav);
        int t = e.sequence().length();
        float[] bert = null;
        float[] jaBert = null;
        if (e.bertFile() != null) {
            float[] f = BertFeatures.load(e.bertFile(), BertFeatures.fileDim(e.language()), t);
            if (e.language().equals("ZH")) {
                bert = f;
            } else {
                jaBert = f;
            }
        }
        return new DataItem(e, e.sequence(), bert, jaBert, spec.data(), spec.channels(), spec.frames(), wav, e.sid());
    }

    /** Loads and collates the given entries into a batch in the current Scope. */
    public TrainBatch collate(int... indices) {
        List<DataItem> items = new ArrayList<>(indices.length);
        for (int i : indices) {
            items.add(item(i));
        }
        return Collate.collate(items);
    }

    /** The training sampler: train.batch_size, train_ms.py's boundaries, seeded with train.seed. */
    public BucketSampler sampler() {
        return sampler(config.train().seed());
    }

    /** As {@link #sampler()} with another seed. */
    public BucketSampler sampler(long seed) {
        return new BucketSampler(lengths(), config.train().batchSize(), BucketSampler.DEFAULT_BOUNDARIES, seed, true);
    }

    /** One training epoch's batches from {@code sampler} (the reference's set_epoch then iteration). */
    public BatchIterator epoch(BucketSampler sampler, int epoch) {
        return new BatchIterator(this, sampler.batches(epoch));
    }

    /**
     * Every entry once, in filelist order, {@code batchSize} at a time (the last batch may be
     * smaller): the reference's evaluation loader uses batch size 1, no shuffling, no bucketing.
     */
    public BatchIterator sequential(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < entries.size(); start += batchSize) {
            int n = Math.min(batchSize, entries.size() - start);
            int[] b = new int[n];
            for (int i = 0; i < n; i++) {
                b[i] = start + i;
            }
            batches.add(b);
        }
        return new BatchIterator(this, batches);
    }
}
