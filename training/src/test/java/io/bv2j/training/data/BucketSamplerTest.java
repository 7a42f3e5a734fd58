package io.bv2j.training.data;

import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketSamplerTest {

    private static final int[] B = BucketSampler.DEFAULT_BOUNDARIES;

    private static int[] randomLengths(int n, long seed) {
        Random r = new Random(seed);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = 1 + r.nextInt(1100); // some below 33 and above 1000 on purpose
        }
        return l;
    }

    @Test
    void bisectMatchesTheReferenceHalfOpenIntervals() {
        assertEquals(-1, BucketSampler.bucketOf(32, B));
        assertEquals(0, BucketSampler.bucketOf(33, B));
        assertEquals(0, BucketSampler.bucketOf(300, B));
        assertEquals(1, BucketSampler.bucketOf(301, B));
        assertEquals(7, BucketSampler.bucketOf(1000, B));
        assertEquals(-1, BucketSampler.bucketOf(1001, B));
        assertEquals(-1, BucketSampler.bucketOf(0, B));
    }

    @Test
    void everySampleableItemAtLeastOncePerEpochInFullBatchesOfOneBucket() {
        int[] lengths = randomLengths(257, 1);
        int bs = 6;
        BucketSampler s = new BucketSampler(lengths, bs, 99);
        for (int epoch = 0; epoch < 4; epoch++) {
            List<int[]> batches = s.batches(epoch);
            assertEquals(s.numBatches(), batches.size());
            Map<Integer, Integer> seen = new HashMap<>();
            for (int[] batch : batches) {
                assertEquals(bs, batch.length);
                int bucket = BucketSampler.bucketOf(lengths[batch[0]], B);
                for (int i : batch) {
                    assertEquals(bucket, BucketSampler.bucketOf(lengths[i], B), "a batch mixes buckets");
                    seen.merge(i, 1, Integer::sum);
                }
            }
            for (int i = 0; i < lengths.length; i++) {
                boolean sampleable = lengths[i] > 32 && lengths[i] <= 1000;
                assertEquals(sampleable, seen.containsKey(i), "item " + i + " length " + lengths[i]);
            }
            // Padding repeats at most (batch size - 1) items per bucket, each at most once more here
            int padding = s.numSamples() - seen.keySet().size();
            assertTrue(padding < bs * s.buckets().length);
            assertTrue(seen.values().stream().allMatch(c -> c <= 2));
        }
    }

    @Test
    void bucketsArePaddedToBatchMultiplesAndEmptyBucketsDropped() {
        // three items in (32, 300], none in (300, 400], five in (400, 500]
        int[] lengths = {40, 50, 60, 450, 460, 470, 480, 490, 10, 2000};
        BucketSampler s = new BucketSampler(lengths, 4, 0);
        int[][] buckets = s.buckets();
        assertEquals(2, buckets.length);
        assertArrayEquals(new int[] {0, 1, 2}, buckets[0]);
        assertArrayEquals(new int[] {3, 4, 5, 6, 7}, buckets[1]);
        assertArrayEquals(new int[] {300, 500}, s.bucketUpperBounds());
        assertEquals(4 + 8, s.numSamples());
        assertEquals(3, s.numBatches());
    }

    @Test
    void paddingRepeatsTheWholePermutationWhenTheBucketIsSmall() {
        // one item, batch size 5: ids + ids * (4 // 1) + ids[:0] -> the item five times
        BucketSampler s = new BucketSampler(new int[] {100}, 5, 3);
        List<int[]> batches = s.batches(0);
        assertEquals(1, batches.size());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0}, batches.getFirst());
    }

    @Test
    void deterministicPerSeedAndEpochAndDifferentAcrossEpochs() {
        int[] lengths = randomLengths(120, 5);
        BucketSampler a = new BucketSampler(lengths, 4, 1234);
        BucketSampler b = new BucketSampler(lengths, 4, 1234);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<int[]> x = a.batches(epoch);
            List<int[]> y = b.batches(epoch);
            assertEquals(x.size(), y.size());
            for (int i = 0; i < x.size(); i++) {
                assertArrayEquals(x.get(i), y.get(i));
            }
        }
        assertFalse(same(a.batches(1), a.batches(2)), "epochs shuffle differently");
        assertFalse(same(a.batches(1), new BucketSampler(lengths, 4, 4321).batches(1)), "seeds shuffle differently");
    }

    @Test
    void withoutShuffleBatchesFollowBucketOrder() {
        int[] lengths = {350, 40, 45, 360, 50, 370};
        BucketSampler s = new BucketSampler(lengths, 3, B, 0, false);
        List<int[]> batches = s.batches(0);
        assertArrayEquals(new int[] {1, 2, 4}, batches.get(0));
        assertArrayEquals(new int[] {0, 3, 5}, batches.get(1));
    }

    @Test
    void refusesWhenNothingCanBeDrawn() {
        assertThrows(Bv2jException.class, () -> new BucketSampler(new int[] {5, 20, 32, 5000}, 2, 0));
    }

    private static boolean same(List<int[]> x, List<int[]> y) {
        if (x.size() != y.size()) {
            return false;
        }
        Set<Integer> unused = new HashSet<>();
        for (int i = 0; i < x.size(); i++) {
            if (!java.util.Arrays.equals(x.get(i), y.get(i))) {
                unused.add(i);
            }
        }
        return unused.isEmpty();
    }
}
