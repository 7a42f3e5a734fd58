package io.bv2j.text.bert;

import io.bv2j.io.Npy;
import io.bv2j.io.RawTensor;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The tiny random BERT that text/scripts/make_bert_fixture.py wrote, and PyTorch's hidden_states[-3] for it. */
final class BertFixture {
    static final int SEQUENCES = 4;

    private BertFixture() {
    }

    static Path dir(String name) {
        try {
            return Path.of(BertFixture.class.getResource("/bert/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path safetensorsFolder() {
        return dir("tiny-safetensors");
    }

    static Path pickleFolder() {
        return dir("tiny-bin");
    }

    static int[] ids(int n) {
        long[] ids = Npy.read(dir("expected").resolve("ids_" + n + ".npy")).toLongs();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    /** PyTorch's hidden_states[-3] of sequence n, transposed to our [hidden, tokens]. */
    static float[] expectedHidden(int n) {
        RawTensor t = Npy.read(dir("expected").resolve("hidden_" + n + ".npy"));
        int tokens = (int) t.shape()[0], hidden = (int) t.shape()[1];
        float[] rows = t.toFloats(), out = new float[rows.length];
        for (int i = 0; i < tokens; i++) {
            for (int c = 0; c < hidden; c++) out[c * tokens + i] = rows[i * hidden + c];
        }
        return out;
    }

    /** ||a - b|| / ||b|| in double. */
    static double relativeL2(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            num += d * d;
            den += (double) b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }
}
