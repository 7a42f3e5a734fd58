package io.bv2j.model;

import io.bv2j.io.RawTensor;
import io.bv2j.nn.Module;
import io.bv2j.nn.StateDict;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The golden data's fill rule for weights that are not shipped (the multi-period discriminator,
 * golden/README.md): every parameter is a pure function of its full state-dict name, so the
 * reference and we hold identical weights without a 190 MB file.
 */
public final class DeterministicFill {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private DeterministicFill() {
    }

    /** Every stored parameter of `module` under `prefix` (e.g. "net_d."), filled by the rule. */
    public static StateDict of(Module module, String prefix) {
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        module.forEachParameterShape(prefix, (name, shape) -> {
            long[] s = new long[shape.length];
            for (int i = 0; i < shape.length; i++) s[i] = shape[i];
            tensors.put(name, RawTensor.ofFloats(s, values(name, shape)));
        });
        return new StateDict(tensors, "deterministic fill (" + prefix + ")");
    }

    /** The parameter `name` of `shape`, row-major: weight_g 0.65 + 0.35u, bias 0.1u, else u / sqrt(fan_in). */
    public static float[] values(String name, int[] shape) {
        long fanIn = 1;                                         // product of the dims after 0
        for (int k = 1; k < shape.length; k++) fanIn = Math.multiplyExact(fanIn, shape[k]);
        long n = shape.length == 0 ? 1 : Math.multiplyExact(fanIn, shape[0]);
        String last = name.substring(name.lastIndexOf('.') + 1);
        double a, b;
        if (last.equals("weight_g")) {
            a = 0.35;
            b = 0.65;
        } else if (last.equals("bias")) {
            a = 0.1;
            b = 0;
        } else {
            a = 1 / Math.sqrt(fanIn);
            b = 0;
        }
        long seed = seed(name);
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (b + a * uniform(seed, i + 1L));
        return v;
    }

    /** First 8 bytes of SHA-256(name), little-endian. */
    static long seed(String name) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        long s = 0;
        for (int k = 7; k >= 0; k--) s = (s << 8) | (h[k] & 0xFF);
        return s;
    }

    /** u_i in [-1, 1): splitmix64 of seed + i·gamma, top 24 bits (exact in float). */
    static double uniform(long seed, long i) {
        long z = seed + i * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 40) / (double) (1 << 24) * 2 - 1;
    }
}
