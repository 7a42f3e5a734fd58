package io.bv2j.nn;

import io.bv2j.Bv2jException;
import io.bv2j.io.RawTensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named tensors read from a checkpoint, handed out to modules by their reference names. Tracks
 * which keys were taken so that a checkpoint with keys no module asked for is refused, like
 * torch's load_state_dict(strict=True).
 */
public final class StateDict {
    private final Map<String, RawTensor> tensors;
    private final String source;
    private final Set<String> taken = new LinkedHashSet<>();

    public StateDict(Map<String, RawTensor> tensors, String source) {
        this.tensors = new LinkedHashMap<>(tensors);
        this.source = source;
    }

    public String source() {
        return source;
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    public Set<String> keys() {
        return tensors.keySet();
    }

    /** The stored tensor named key as it is (any dtype, read lazily), for copying a checkpoint. */
    public RawTensor raw(String key) {
        RawTensor t = tensors.get(key);
        if (t == null) throw new Bv2jException(source + ": missing key '" + key + "'");
        taken.add(key);
        return t;
    }

    /** The tensor named key, which must have the given shape. */
    public float[] take(String key, int[] shape) {
        return checked(key, shape).toFloats();
    }

    /** The tensor named key, which must have the given shape, written as floats into {@code dst}. */
    public void takeInto(String key, int[] shape, MemorySegment dst) {
        checked(key, shape).copyFloatsInto(dst);
    }

    private RawTensor checked(String key, int[] shape) {
        RawTensor t = tensors.get(key);
        if (t == null) throw new Bv2jException(source + ": missing key '" + key + "' (expected shape " + Arrays.toString(shape) + ")");
        long[] actual = t.shape();
        if (!sameShape(actual, shape)) {
            throw new Bv2jException(source + ": key '" + key + "' has shape " + Arrays.toString(actual)
                    + " but the model expects " + Arrays.toString(shape));
        }
        taken.add(key);
        return t;
    }

    /** Accepts every key under prefix without reading it (weights a network does not use, such as enc_q in inference). */
    public void skip(String prefix) {
        for (String k : tensors.keySet()) if (k.startsWith(prefix)) taken.add(k);
    }

    /** Refuses keys that no module took. */
    public void requireAllTaken() {
        Set<String> left = new TreeSet<>(tensors.keySet());
        left.removeAll(taken);
        if (!left.isEmpty()) {
            String first = left.iterator().next();
            throw new Bv2jException(source + ": unexpected key '" + first + "' with shape "
                    + Arrays.toString(tensors.get(first).shape()) + (left.size() > 1 ? " (and " + (left.size() - 1)
                    + " more)" : "") + " — the checkpoint does not match the config");
        }
    }

    private static boolean sameShape(long[] a, int[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
        return true;
    }
}
