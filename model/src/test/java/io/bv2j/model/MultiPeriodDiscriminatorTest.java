package io.bv2j.model;

import io.bv2j.testing.GoldenFiles;
import io.bv2j.conformance.GoldenFile;
import io.bv2j.nn.StateDict;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole MPD filled under `net_d.`: its sub-discriminators sit at the reference's indices, so
 * discriminators.0 reproduces the golden scale discriminator and discriminators.2 the period-3 one.
 */
class MultiPeriodDiscriminatorTest {
    @Test
    void subDiscriminatorsMatchTheirGoldenFilesInsideTheMpd() {
        Path s = GoldenFiles.dev("modules/discriminator_s.safetensors"), p3 = GoldenFiles.dev("modules/discriminator_p3.safetensors");
        assertTrue(Files.isRegularFile(s) && Files.isRegularFile(p3), "golden discriminator files missing");
        try (Scope scope = Scope.open()) {
            MultiPeriodDiscriminator mpd = new MultiPeriodDiscriminator(false);
            StateDict sd = DeterministicFill.of(mpd, "net_d.");
            mpd.load(sd, "net_d.", scope.ownArena());
            sd.requireAllTaken();

            GoldenFile gs = new GoldenFile(s), gp = new GoldenFile(p3);
            // real = the scale file's input, fake = the period-3 file's input
            MultiPeriodDiscriminator.Result r = mpd.forward(gs.tensor("in/y"), gp.tensor("in/y"));
            assertEquals(6, r.realScores().size());
            assertEquals(6, r.fakeFmaps().size());
            assertEquals(7, r.realFmaps().get(0).size());
            for (int i = 1; i < 6; i++) assertEquals(6, r.fakeFmaps().get(i).size());
            assertEquals(3, ((DiscriminatorP) mpd.discriminators().get(2)).period());
            assertClose(gs, "out/score", r.realScores().get(0));
            assertClose(gp, "out/score", r.fakeScores().get(2));
            assertClose(gp, "out/fmap3", r.fakeFmaps().get(2).get(3));
        }
    }

    private static void assertClose(GoldenFile g, String name, Tensor ours) {
        var ref = g.raw(name);
        long[] shape = ref.shape();
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = (int) shape[i];
        assertArrayEquals(s, ours.shape(), name);
        float[] a = ours.toArray(), b = ref.toFloats();
        double diff = 0, norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - (double) b[i]) * (a[i] - (double) b[i]);
            norm += (double) b[i] * b[i];
        }
        assertTrue(Math.sqrt(diff / norm) < 1e-5, name + ": relative L2 " + Math.sqrt(diff / norm));
    }
}
