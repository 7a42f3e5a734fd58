package io.bv2j.model;

import io.bv2j.nn.StateDict;
import io.bv2j.tensor.Scope;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fill rule against an independent, literal reading of golden/README.md (unsigned 64-bit via BigInteger). */
class DeterministicFillTest {
    private static final BigInteger MASK = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** The README's formula, step by step, in arbitrary precision reduced mod 2^64. */
    private static double readmeU(String name, long i) throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        byte[] be = new byte[9]; // leading 0: positive
        for (int k = 0; k < 8; k++) be[8 - k] = h[k];
        BigInteger z = new BigInteger(be).add(BigInteger.valueOf(i).multiply(new BigInteger("9E3779B97F4A7C15", 16))).and(MASK);
        z = z.xor(z.shiftRight(30)).multiply(new BigInteger("BF58476D1CE4E5B9", 16)).and(MASK);
        z = z.xor(z.shiftRight(27)).multiply(new BigInteger("94D049BB133111EB", 16)).and(MASK);
        z = z.xor(z.shiftRight(31));
        return z.shiftRight(40).doubleValue() / 16777216.0 * 2 - 1;
    }

    @Test
    void firstValuesFollowTheReadmeFormula() throws Exception {
        String v = "net_d.discriminators.0.convs.0.weight_v"; // [16, 1, 15]: fan_in 15
        float[] got = DeterministicFill.values(v, new int[]{16, 1, 15});
        for (int i = 0; i < 3; i++) assertEquals((float) (readmeU(v, i + 1) / Math.sqrt(15)), got[i], 0f, v + "[" + i + "]");
        assertEquals((float) (readmeU(v, 240) / Math.sqrt(15)), got[239], 0f);

        String g = "net_d.discriminators.2.convs.1.weight_g"; // [128, 1, 1, 1]
        float[] gv = DeterministicFill.values(g, new int[]{128, 1, 1, 1});
        assertEquals((float) (0.65 + 0.35 * readmeU(g, 1)), gv[0], 0f);
        assertEquals((float) (0.65 + 0.35 * readmeU(g, 2)), gv[1], 0f);

        String b = "net_d.discriminators.5.conv_post.bias"; // [1]
        assertEquals((float) (0.1 * readmeU(b, 1)), DeterministicFill.values(b, new int[]{1})[0], 0f);
    }

    @Test
    void uniformStaysInRange() {
        long seed = DeterministicFill.seed("x");
        for (long i = 1; i <= 10_000; i++) {
            double u = DeterministicFill.uniform(seed, i);
            assertTrue(u >= -1 && u < 1, "u = " + u);
        }
    }

    @Test
    void fillsEveryStoredNameOfAPeriodDiscriminator() {
        DiscriminatorP d = new DiscriminatorP(3, false);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        d.forEachParameterShape("net_d.discriminators.2.", shapes::put);
        assertEquals(18, shapes.size(), shapes.keySet().toString()); // 6 convs × (bias, weight_g, weight_v)
        assertArrayEquals(new int[]{32, 1, 1, 1}, shapes.get("net_d.discriminators.2.convs.0.weight_g"));
        assertArrayEquals(new int[]{32, 1, 5, 1}, shapes.get("net_d.discriminators.2.convs.0.weight_v"));
        assertArrayEquals(new int[]{1, 1024, 3, 1}, shapes.get("net_d.discriminators.2.conv_post.weight_v"));

        StateDict sd = DeterministicFill.of(d, "net_d.discriminators.2.");
        assertEquals(shapes.keySet(), sd.keys());
        try (Scope s = Scope.open()) {
            d.load(sd, "net_d.discriminators.2.", s.ownArena());
            sd.requireAllTaken();
        }
    }

    @Test
    void multiPeriodDiscriminatorHasTheReferenceLayout() {
        MultiPeriodDiscriminator mpd = new MultiPeriodDiscriminator(false);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        mpd.forEachParameterShape("net_d.", shapes::put);
        long total = 0;
        for (int[] s : shapes.values()) {
            long n = 1;
            for (int x : s) n *= x;
            total += n;
        }
        assertEquals(21 + 5 * 18, shapes.size());
        assertArrayEquals(new int[]{64, 4, 41}, shapes.get("net_d.discriminators.0.convs.1.weight_v"));
        assertArrayEquals(new int[]{1024, 1, 1, 1}, shapes.get("net_d.discriminators.5.convs.4.weight_g"));
        assertArrayEquals(new int[]{1024, 1024, 5, 1}, shapes.get("net_d.discriminators.5.convs.4.weight_v"));
        assertTrue(total > 46_600_000 && total < 46_800_000, "MPD has " + total + " parameters, README says 46.7 M");
    }
}
