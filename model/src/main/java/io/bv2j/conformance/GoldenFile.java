package io.bv2j.conformance;

import io.bv2j.Bv2jException;
import io.bv2j.io.Json;
import io.bv2j.io.RawTensor;
import io.bv2j.io.SafeTensors;
import io.bv2j.model.ReplayNoise;
import io.bv2j.nn.StateDict;
import io.bv2j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One golden safetensors file with typed access to its in/, out/, param/, noise/ entries. */
public final class GoldenFile {
    private final Path path;
    private final SafeTensors file;
    /** In gradient mode, inputs that have a grad_in/ entry require gradients and modules load trainable. */
    private boolean gradientMode;
    private final Map<String, Tensor> gradInputs = new LinkedHashMap<>();
    private io.bv2j.nn.Module trainableModule;

    public GoldenFile(Path path) {
        this.path = path;
        this.file = SafeTensors.read(path);
    }

    public Path path() {
        return path;
    }

    public boolean has(String name) {
        return file.tensors().containsKey(name);
    }

    public RawTensor raw(String name) {
        return file.get(name);
    }

    /**
     * A float tensor in the current scope. In gradient mode an input with a recorded gradient
     * (in/x with grad_in/x) comes back as a leaf that requires a gradient.
     */
    public Tensor tensor(String name) {
        RawTensor r = file.get(name);
        Tensor t = Tensor.of(r.toFloats(), toInt(r.shape()));
        if (gradientMode && name.startsWith("in/")) {
            String input = name.substring(3);
            if (has("grad_in/" + input)) {
                t.requireGrad(io.bv2j.tensor.Scope.arena());
                gradInputs.put(input, t);
            }
        }
        return t;
    }

    /** Switches to gradient mode (see {@link #tensor}); modules built after this load trainable. */
    public void enterGradientMode() {
        gradientMode = true;
        gradInputs.clear();
        trainableModule = null;
    }

    public boolean gradientMode() {
        return gradientMode;
    }

    /** The module loaded trainable from this file's parameters in gradient mode (null before). */
    public io.bv2j.nn.Module trainableModule() {
        return trainableModule;
    }

    public void setTrainableModule(io.bv2j.nn.Module module) {
        this.trainableModule = module;
    }

    /** The inputs handed out as gradient leaves in gradient mode, by name. */
    public Map<String, Tensor> gradInputs() {
        return gradInputs;
    }

    public long[] longs(String name) {
        return file.get(name).toLongs();
    }

    public int[] ints(String name) {
        long[] l = longs(name);
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) r[i] = Math.toIntExact(l[i]);
        return r;
    }

    /** A [B, T] integer tensor as rows. */
    public int[][] intRows(String name) {
        RawTensor r = file.get(name);
        long[] s = r.shape();
        if (s.length != 2) throw new Bv2jException(path.getFileName() + ": " + name + " is not 2-d");
        int[] flat = ints(name);
        int[][] rows = new int[(int) s[0]][(int) s[1]];
        for (int i = 0; i < rows.length; i++) System.arraycopy(flat, i * rows[i].length, rows[i], 0, rows[i].length);
        return rows;
    }

    public String meta(String key) {
        return file.metadata().get(key);
    }

    public Object metaJson(String key) {
        String v = meta(key);
        return v == null ? null : Json.parse(v);
    }

    public double metaDouble(String key) {
        String v = meta(key);
        if (v == null) throw new Bv2jException(path.getFileName() + ": metadata '" + key + "' is missing");
        return Double.parseDouble(v);
    }

    /** Names under a prefix ("out/"), without the prefix, in file order. */
    public List<String> names(String prefix) {
        List<String> r = new ArrayList<>();
        for (String k : file.tensors().keySet()) if (k.startsWith(prefix)) r.add(k.substring(prefix.length()));
        return r;
    }

    /** The param/* entries as a state dict with module-local names. */
    public StateDict params() {
        Map<String, RawTensor> m = new LinkedHashMap<>();
        for (String n : names("param/")) m.put(n, file.get("param/" + n));
        return new StateDict(m, path.getFileName() + " param/");
    }

    /** The recorded draws (noise/NN_site) in call order. */
    public ReplayNoise noise() {
        return ReplayNoise.from(file);
    }

    static int[] toInt(long[] s) {
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) r[i] = Math.toIntExact(s[i]);
        return r;
    }
}
