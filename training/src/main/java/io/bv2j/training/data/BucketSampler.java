package io.bv2j.training.data;

import io.bv2j.Bv2jException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The reference's DistributedBucketSampler for one process (num_replicas 1, rank 0): batches of
 * items of similar length.
 *
 * <p>The algorithm, as in data_utils.py:
 * <ol>
 * <li>Each item goes to bucket i when {@code boundaries[i] < length <= boundaries[i+1]}; items
 *     outside (boundaries[0], boundaries[last]] are in no bucket and are never drawn.</li>
 * <li>Empty buckets are dropped.</li>
 * <li>Each bucket is padded to a multiple of batch_size with its own items:
 *     {@code ids + ids · (rem // len) + ids[: rem % len]}.</li>
 * <li>Per epoch: one random permutation per bucket (all drawn first, in bucket order), the padded
 *     list is cut into consecutive batches bucket by bucket, then the order of all batches is
 *     permuted.</li>
 * </ol>
 * The reference draws with {@code torch.randperm} from a generator seeded with the epoch alone;
 * those numbers cannot be reproduced outside torch, so bv2j permutes (Fisher–Yates) with a
 * {@link SplittableRandom} seeded from (seed, epoch): the same batches for the same pair, on any
 * machine. With {@code shuffle} off, buckets and batches keep their order, as in the reference.
 */
public final class BucketSampler {

    /** train_ms.py's boundaries, in spectrogram frames. */
    static final int[] DEFAULT_BOUNDARIES = {32, 300, 400, 500, 600, 700, 800, 900, 1000};

    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final int[][] buckets;
    private final int[] bucketUpper;
    private final int[] samplesPerBucket;
    private final int numSamples;

    /**
     * @param lengths each item's bucketing length (TrainingData's file size // (2 · hop))
     * @param boundaries increasing bucket edges
     * @throws Bv2jException when no item falls inside the boundaries (no batch could ever be made)
     */
    public BucketSampler(int[] lengths, int batchSize, int[] boundaries, long seed, boolean shuffle) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("boundaries must increase: " + Arrays.toString(boundaries));
            }
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        List<List<Integer>> lists = new ArrayList<>();
        for (int i = 0; i + 1 < boundaries.length; i++) {
            lists.add(new ArrayList<>());
        }
        for (int i = 0; i < lengths.length; i++) {
            int b = bucketOf(lengths[i], boundaries);
            if (b >= 0) {
                lists.get(b).add(i);
            }
        }
        List<int[]> kept = new ArrayList<>();
        List<Integer> upper = new ArrayList<>();
        for (int b = 0; b < lists.size(); b++) {
            if (!lists.get(b).isEmpty()) {
                kept.add(lists.get(b).stream().mapToInt(Integer::intValue).toArray());
                upper.add(boundaries[b + 1]);
            }
        }
        if (kept.isEmpty()) {
            throw new Bv2jException("no item has a bucketing length in (" + boundaries[0] + ", "
                    + boundaries[boundaries.length - 1] + "] frames, so the bucket sampler has nothing to draw ("
                    + lengths.length + " items)");
        }
        this.buckets = kept.toArray(int[][]::new);
        this.bucketUpper = upper.stream().mapToInt(Integer::intValue).toArray();
        this.samplesPerBucket = new int[buckets.length];
        int total = 0;
        for (int b = 0; b < buckets.length; b++) {
            int len = buckets[b].length;
            samplesPerBucket[b] = len + (batchSize - len % batchSize) % batchSize;
            total += samplesPerBucket[b];
        }
        this.numSamples = total;
    }

    /** With train_ms.py's boundaries and shuffling on. */
    public BucketSampler(int[] lengths, int batchSize, long seed) {
        this(lengths, batchSize, DEFAULT_BOUNDARIES, seed, true);
    }

    /** True when {@code length} lies in (boundaries[0], boundaries[last]]. */
    public static boolean inBoundaries(int length, int[] boundaries) {
        return bucketOf(length, boundaries) >= 0;
    }

    /** The bucket index i with boundaries[i] < x <= boundaries[i+1], or -1 (the reference's _bisect). */
    static int bucketOf(int x, int[] boundaries) {
        int lo = 0;
        int hi = boundaries.length - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            if (boundaries[mid] < x && x <= boundaries[mid + 1]) {
                return mid;
            } else if (x <= boundaries[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return -1;
    }

    /** The non-empty buckets' item indices, in bucket order. */
    public int[][] buckets() {
        int[][] copy = new int[buckets.length][];
        for (int i = 0; i < buckets.length; i++) {
            copy[i] = buckets[i].clone();
        }
        return copy;
    }

    /** Each kept bucket's upper boundary. */
    public int[] bucketUpperBounds() {
        return bucketUpper.clone();
    }

    /** Items drawn per epoch (buckets padded to batch multiples). */
    public int numSamples() {
        return numSamples;
    }

    /** Batches per epoch (the reference's __len__). */
    public int numBatches() {
        return numSamples / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The batches of {@code epoch} (item indices), in the order training visits them. */
    public List<int[]> batches(int epoch) {
        SplittableRandom rng = new SplittableRandom(mix(seed, epoch));
        int[][] perms = new int[buckets.length][];
        for (int b = 0; b < buckets.length; b++) {
            perms[b] = shuffle ? randperm(buckets[b].length, rng) : identity(buckets[b].length);
        }
        List<int[]> batches = new ArrayList<>(numBatches());
        for (int b = 0; b < buckets.length; b++) {
            int len = buckets[b].length;
            int rem = samplesPerBucket[b] - len;
            int[] ids = new int[samplesPerBucket[b]];
            int k = 0;
            for (int r = 0; r <= rem / len; r++) { // ids + ids * (rem // len)
                for (int i = 0; i < len; i++) {
                    ids[k++] = perms[b][i];
                }
            }
            for (int i = 0; i < rem % len; i++) { // + ids[: rem % len]
                ids[k++] = perms[b][i];
            }
            for (int j = 0; j < ids.length / batchSize; j++) {
                int[] batch = new int[batchSize];
                for (int i = 0; i < batchSize; i++) {
                    batch[i] = buckets[b][ids[j * batchSize + i]];
                }
                batches.add(batch);
            }
        }
        if (shuffle) {
            int[] order = randperm(batches.size(), rng);
            List<int[]> shuffled = new ArrayList<>(batches.size());
            for (int i : order) {
                shuffled.add(batches.get(i));
            }
            batches = shuffled;
        }
        if (batches.size() * batchSize != numSamples) {
            throw new IllegalStateException("bucket sampler made " + batches.size() + " batches for " + numSamples
                    + " samples");
        }
        return batches;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    static int[] randperm(int n, SplittableRandom rng) {
        int[] p = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A well-spread seed for (seed, epoch) (SplitMix64 finaliser over both). */
    static long mix(long seed, long epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
