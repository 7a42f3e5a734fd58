/**
 * The training data pipeline of Bert-VITS2 v1.1 (data_utils.py and the parts of train_ms.py that
 * feed it): filelists, text ids with add_blank, BERT feature files, audio and cached spectrograms,
 * the length filter, the bucket sampler and the collate function, plus a validator that reports
 * every problem of a dataset at once.
 *
 * <p>Entry points: {@link io.bv2j.training.data.Preprocess} (validate a filelist, or validate and
 * cache every spectrogram, with progress) and {@link io.bv2j.training.data.TrainingData} (a validated
 * filelist whose epochs yield {@link io.bv2j.training.TrainBatch}es). Each class's documentation
 * states how it reads the reference and where bv2j deliberately differs:
 * <ul>
 * <li>no resampling and 16-bit PCM only ({@link io.bv2j.training.data.TrainingAudio});</li>
 * <li>spectrogram caches are safetensors with a fingerprint, not trusted {@code .spec.pt}
 *     ({@link io.bv2j.training.data.SpecCache});</li>
 * <li>{@code .bert.npy} is accepted beside {@code .bert.pt}, and a missing one is an error rather than
 *     regenerated ({@link io.bv2j.training.data.BertFeatures});</li>
 * <li>the sampler's permutations come from a seeded {@link java.util.SplittableRandom}, not
 *     torch.randperm ({@link io.bv2j.training.data.BucketSampler});</li>
 * <li>blank filelist lines are skipped and the list keeps file order instead of Python's
 *     {@code random.shuffle} with seed 1234 ({@link io.bv2j.training.data.TrainingData}).</li>
 * </ul>
 */
package io.bv2j.training.data;
