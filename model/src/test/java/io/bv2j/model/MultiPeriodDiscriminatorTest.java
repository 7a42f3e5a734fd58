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

    @Test
    void jointScoresEqualSeparateOnesWithTheSameGradients() {
        try (Scope scope = Scope.open()) {
            java.util.Random r = new java.util.Random(5);
            float[] a = new float[2 * 1100], b = new float[2 * 1100];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (0.3 * r.nextGaussian());
                b[i] = (float) (0.3 * r.nextGaussian());
            }
            Tensor y = Tensor.of(a, 2, 1, 1100), yHat = Tensor.of(b, 2, 1, 1100);
            java.util.List<float[]> separate = new java.util.ArrayList<>(), joint = new java.util.ArrayList<>();
            for (boolean together : new boolean[]{false, true}) {
                MultiPeriodDiscriminator mpd = new MultiPeriodDiscriminator(false);
                mpd.loadForTraining(io.bv2j.synth.RandomWeights.of(mpd, 11), "", scope.ownArena());
                try (io.bv2j.tensor.Grad ignored = io.bv2j.tensor.Grad.enable()) {
                    java.util.List<Tensor> real, fake;
                    if (together) {
                        MultiPeriodDiscriminator.Scores s = mpd.scores(y, yHat);
                        real = s.real();
                        fake = s.fake();
                    } else {
                        MultiPeriodDiscriminator.Result s = mpd.forward(y, yHat);
                        real = s.realScores();
                        fake = s.fakeScores();
                    }
                    Tensor loss = null;
                    for (int i = 0; i < real.size(); i++) {
                        // A loss that weighs real and fake differently, so a swapped half would show.
                        Tensor term = io.bv2j.tensor.Ops.add(io.bv2j.tensor.Ops.sumAll(real.get(i)),
                                io.bv2j.tensor.Ops.scale(io.bv2j.tensor.Ops.sumAll(io.bv2j.tensor.Ops.mul(fake.get(i), fake.get(i))), 3f));
                        loss = loss == null ? term : io.bv2j.tensor.Ops.add(loss, term);
                    }
                    io.bv2j.tensor.Grad.backward(loss);
                    java.util.List<float[]> out = together ? joint : separate;
                    for (Tensor t : real) out.add(t.toArray());
                    for (Tensor t : fake) out.add(t.toArray());
                    mpd.forEachParameter("", (name, p) -> out.add(p.grad().toArray()));
                }
            }
            assertEquals(separate.size(), joint.size());
            for (int i = 0; i < separate.size(); i++) assertRelL2(separate.get(i), joint.get(i), 1e-5, "tensor " + i);
        }
    }

    private static void assertRelL2(float[] want, float[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        double diff = 0, norm = 0;
        for (int i = 0; i < want.length; i++) {
            diff += (got[i] - (double) want[i]) * (got[i] - (double) want[i]);
            norm += (double) want[i] * want[i];
        }
        assertTrue(Math.sqrt(diff / Math.max(norm, 1e-30)) <= tol, what + ": relative L2 " + Math.sqrt(diff / norm));
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
