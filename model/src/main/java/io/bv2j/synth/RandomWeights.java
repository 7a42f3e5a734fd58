package io.bv2j.synth;

import io.bv2j.io.RawTensor;
import io.bv2j.nn.Module;
import io.bv2j.nn.StateDict;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Seeded weights with the reference's initialisation, for training from scratch and for
 * benchmarks without a checkpoint: torch's default uniform ±1/sqrt(fan_in) for convolutions and
 * linear layers (weight-norm layers keep g = ||v||, since the reference's init_weights runs after
 * weight_norm and is overwritten), symbol/tone/language embeddings N(0, hidden^-1/2), the speaker
 * embedding N(0, 1), relative position embeddings N(0, d^-1/2), Xavier-uniform attention
 * projections, LayerNorm 1/0, and zeros where the reference zeroes (coupling `post`, ConvFlow
 * `proj`, ElementwiseAffine), so an untrained flow starts as the identity.
 */
public final class RandomWeights {
    private static final Pattern ZEROED = Pattern.compile(
            "(^|\\.)post\\.(weight|bias)$|flows\\.\\d+\\.proj\\.(weight|bias)$|flows\\.0\\.(m|logs)$");
    private static final Pattern TEXT_EMBEDDING = Pattern.compile("(^|\\.)(emb|tone_emb|language_emb)\\.weight$");
    private static final Pattern ATTENTION_PROJECTION = Pattern.compile("\\.conv_[qkv]\\.weight$");

    private RandomWeights() {
    }

    /**
     * Each parameter draws from its own stream, seeded in the module's parameter order, and
     * is generated only when a module takes it: a benchmark's heap never holds the whole model.
     */
    public static StateDict of(Module module, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        module.forEachParameterShape("", shapes::put);
        Map<String, Long> streams = new LinkedHashMap<>();
        for (String name : shapes.keySet()) if (!name.endsWith("_g")) streams.put(name, random.nextLong());
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            String name = e.getKey();
            int[] shape = e.getValue();
            Supplier<float[]> values;
            if (name.endsWith("_g")) {
                // weight_norm's g starts as ||v|| per output row (regenerates v from its stream).
                String v = name.substring(0, name.length() - 2) + "_v";
                values = () -> rowNorms(init(v, shapes.get(v), shapes, new SplittableRandom(streams.get(v))), shape[0]);
            } else {
                values = () -> init(name, shape, shapes, new SplittableRandom(streams.get(name)));
            }
            tensors.put(name, RawTensor.ofFloats(Arrays.stream(shape).asLongStream().toArray(), values));
        }
        return new StateDict(tensors, "random weights (seed " + seed + ")");
    }

    private static float[] init(String name, int[] shape, Map<String, int[]> shapes, SplittableRandom random) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        if (name.endsWith("gamma")) {
            Arrays.fill(v, 1f);
        } else if (name.endsWith("beta") || ZEROED.matcher(name).find()) {
            return v;
        } else if (TEXT_EMBEDDING.matcher(name).find()) {
            gaussian(v, 1 / Math.sqrt(shape[1]), random);
        } else if (name.endsWith("emb_g.weight")) {
            gaussian(v, 1, random);
        } else if (name.endsWith("emb_rel_k") || name.endsWith("emb_rel_v")) {
            gaussian(v, 1 / Math.sqrt(shape[shape.length - 1]), random);
        } else if (ATTENTION_PROJECTION.matcher(name).find()) {
            int fanIn = n / shape[0], fanOut = shape[0] * (n / (shape[0] * Math.max(1, shape[1])));
            uniform(v, Math.sqrt(6.0 / (fanIn + fanOut)), random);
        } else if (name.endsWith("bias")) {
            int[] weight = shapes.getOrDefault(name.replace("bias", "weight"), shapes.get(name.replace("bias", "weight_v")));
            uniform(v, 1 / Math.sqrt(fanIn(name, weight)), random);
        } else {
            uniform(v, 1 / Math.sqrt(fanIn(name, shape)), random);
        }
        return v;
    }

    /** torch's fan_in: dim 1 times the receptive field (for ConvTranspose1d's [in, out, k], out·k). */
    private static int fanIn(String name, int[] shape) {
        if (shape == null || shape.length < 2) return 1;
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) receptive *= shape[i];
        return Math.max(1, shape[1] * receptive);
    }

    private static float[] rowNorms(float[] v, int rows) {
        int per = v.length / rows;
        float[] g = new float[rows];
        for (int r = 0; r < rows; r++) {
            double sq = 0;
            for (int j = 0; j < per; j++) sq += (double) v[r * per + j] * v[r * per + j];
            g[r] = (float) Math.sqrt(sq);
        }
        return g;
    }

    private static void uniform(float[] v, double bound, SplittableRandom r) {
        for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * r.nextDouble() - 1) * bound);
    }

    private static void gaussian(float[] v, double std, SplittableRandom r) {
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * std);
    }
}
