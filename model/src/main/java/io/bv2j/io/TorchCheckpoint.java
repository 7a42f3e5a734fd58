package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A PyTorch {@code torch.save} checkpoint (the zip format used since torch 1.6): a folder holding
 * {@code data.pkl}, the pickled object graph, and {@code data/<key>} entries with the raw
 * little-endian bytes of each storage.
 *
 * <p>The pickle is interpreted by {@link PickleMachine} under {@link TorchUnpickleRules}, so a
 * hostile file cannot run code. Tensor bytes are read only when a tensor's data is requested,
 * which makes the optimizer state of a training checkpoint free to skip.
 *
 * <p>The archive stays open for those lazy reads until {@link #close()}; a tensor read after
 * closing reopens the archive for that one read, so it still works, only slower.
 */
public final class TorchCheckpoint implements AutoCloseable {

    static final int MAX_PICKLE_BYTES = 64 << 20;
    private static final String NOT_A_CHECKPOINT =
            "not a PyTorch zip checkpoint (legacy torch.save format is not supported)";

    private final Path path;
    private final String prefix;
    private final AtomicLong storageReads = new AtomicLong();
    private ZipFile zip;
    private Object root;

    private TorchCheckpoint(Path path, ZipFile zip, String prefix) {
        this.path = path;
        this.zip = zip;
        this.prefix = prefix;
    }

    /** Opens {@code path} and unpickles its object graph; no tensor data is read yet. */
    public static TorchCheckpoint read(Path path) {
        ZipFile zip = open(path);
        try {
            TorchCheckpoint ck = new TorchCheckpoint(path, zip, archivePrefix(path, zip));
            ck.checkByteOrder();
            byte[] pickle = ck.readEntry(ck.prefix + "data.pkl", MAX_PICKLE_BYTES);
            ck.root = new PickleMachine(pickle, path + ": data.pkl", new TorchUnpickleRules(path.toString(), ck.storages()))
                    .load();
            return ck;
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    /**
     * The unpickled object: dicts (OrderedDict too) as {@code Map<Object,Object>} with keys as
     * pickled (String, Long, ...), lists and tuples as {@code List<Object>}, tensors and parameters as
     * {@link RawTensor}, and Long, Double, String, Boolean or null.
     */
    public Object root() {
        return root;
    }

    /**
     * The model weights: the {@code model} entry of the top-level dict (how VITS-family trainers
     * save), or the top-level dict itself when it is already a state dict. Tensors are labelled with
     * their names for error messages.
     *
     * @throws Bv2jException when neither is a mapping from names to tensors
     */
    public LinkedHashMap<String, RawTensor> modelStateDict() {
        if (!(root instanceof Map<?, ?> top)) {
            throw new Bv2jException(path + ": top-level object is " + PickleMachine.typeName(root)
                    + ", expected a dict holding a state dict");
        }
        boolean nested = top.containsKey("model");
        Object candidate = nested ? top.get("model") : top;
        String what = nested ? "the 'model' entry" : "the top-level dict";
        if (!(candidate instanceof Map<?, ?> dict)) {
            throw new Bv2jException(path + ": " + what + " is " + PickleMachine.typeName(candidate)
                    + ", expected a state dict");
        }
        LinkedHashMap<String, RawTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof RawTensor t)) {
                throw new Bv2jException(path + ": " + what + " is not a state dict (entry " + e.getKey() + " is "
                        + PickleMachine.typeName(e.getValue()) + ", expected a name mapped to a tensor)");
            }
            out.put(name, t.relabel(path + ": tensor '" + name + "'"));
        }
        return out;
    }

    /** The top-level {@code iteration} entry (the training step), when present. */
    public OptionalLong iteration() {
        Object v = topLevel("iteration");
        if (v == null) {
            return OptionalLong.empty();
        }
        if (!(v instanceof Long l)) {
            throw new Bv2jException(path + ": 'iteration' is " + PickleMachine.typeName(v) + ", expected an int");
        }
        return OptionalLong.of(l);
    }

    /** The top-level {@code learning_rate} entry, when present. */
    public OptionalDouble learningRate() {
        Object v = topLevel("learning_rate");
        return switch (v) {
            case null -> OptionalDouble.empty();
            case Double d -> OptionalDouble.of(d);
            case Long l -> OptionalDouble.of(l);
            default -> throw new Bv2jException(path + ": 'learning_rate' is " + PickleMachine.typeName(v)
                    + ", expected a number");
        };
    }

    /** The top-level {@code optimizer} entry as an unpickled graph (an AdamW state dict), or null. */
    public Object optimizer() {
        return topLevel("optimizer");
    }

    @Override
    public synchronized void close() {
        closeQuietly(zip);
        zip = null;
    }

    /** How many storage reads this checkpoint has made; lets tests prove what was skipped. */
    long storageReads() {
        return storageReads.get();
    }

    private Object topLevel(String key) {
        return root instanceof Map<?, ?> m ? m.get(key) : null;
    }

    private TorchUnpickleRules.StorageSource storages() {
        return new TorchUnpickleRules.StorageSource() {
            @Override
            public long storageSize(String key) {
                ZipEntry e = zip.getEntry(prefix + "data/" + key);
                return e == null ? -1 : e.getSize();
            }

            @Override
            public ByteBuffer readStorage(String key, long byteOffset, int length) {
                return ByteBuffer.wrap(readRange(prefix + "data/" + key, byteOffset, length));
            }
        };
    }

    // ---------------------------------------------------------------- archive access

    private static ZipFile open(Path path) {
        long size = InputFiles.size(path);
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(path)) {
            int n = in.readNBytes(magic, 0, 4);
            if (n < 4 || magic[0] != 'P' || magic[1] != 'K') {
                // The legacy format is a bare pickle stream, which starts with PROTO (0x80).
                throw new Bv2jException(path + ": " + (n > 0 && (magic[0] & 0xFF) == 0x80
                        ? "legacy (pre-1.6, non-zip) torch.save format is not supported; re-save it with a current torch"
                        : NOT_A_CHECKPOINT));
            }
            return new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new Bv2jException(path + ": truncated or damaged zip archive of " + size + " bytes ("
                    + AtomicFile.oneLine(e) + ")", e);
        } catch (IOException e) {
            throw new Bv2jException(path + ": cannot read (" + AtomicFile.oneLine(e) + ")", e);
        }
    }

    /** The folder holding data.pkl; torch names it after the file, but any single name is accepted. */
    private static String archivePrefix(Path path, ZipFile zip) {
        List<String> candidates = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                candidates.add(name.substring(0, slash + 1));
            }
        }
        if (candidates.size() != 1) {
            throw new Bv2jException(path + ": " + (candidates.isEmpty()
                    ? "zip archive has no <folder>/data.pkl, so it is " + NOT_A_CHECKPOINT
                    : "zip archive has several data.pkl entries " + candidates + ", expected one checkpoint"));
        }
        return candidates.getFirst();
    }

    /** torch writes "little" or "big" (only on big-endian machines); older versions write nothing. */
    private void checkByteOrder() {
        if (zip.getEntry(prefix + "byteorder") == null) {
            return;
        }
        String order = new String(readEntry(prefix + "byteorder", 16), StandardCharsets.US_ASCII).strip();
        if (!order.equals("little")) {
            throw new Bv2jException(path + ": byteorder is '" + order.replaceAll("[^\\x20-\\x7e]", "?")
                    + "'; only little-endian checkpoints are supported");
        }
    }

    private byte[] readEntry(String name, int maxBytes) {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new Bv2jException(path + ": zip archive has no " + name + ", so it is " + NOT_A_CHECKPOINT);
        }
        if (e.getSize() > maxBytes) {
            throw new Bv2jException(path + ": " + name + " is " + e.getSize() + " bytes, more than the " + maxBytes
                    + " allowed");
        }
        try (InputStream in = zip.getInputStream(e)) {
            // Read one byte past the limit so a lying size field cannot smuggle in a larger entry.
            byte[] b = in.readNBytes(maxBytes + 1);
            if (b.length > maxBytes) {
                throw new Bv2jException(path + ": " + name + " is larger than the " + maxBytes + " bytes allowed");
            }
            return b;
        } catch (IOException ex) {
            throw new Bv2jException(path + ": cannot read " + name + " (" + AtomicFile.oneLine(ex) + ")", ex);
        }
    }

    private synchronized byte[] readRange(String name, long offset, int length) {
        storageReads.incrementAndGet();
        if (zip != null) {
            return readRange(zip, name, offset, length);
        }
        try (ZipFile reopened = open(path)) {
            return readRange(reopened, name, offset, length);
        } catch (IOException e) {
            throw new Bv2jException(path + ": cannot read " + name + " (" + AtomicFile.oneLine(e) + ")", e);
        }
    }

    private byte[] readRange(ZipFile z, String name, long offset, int length) {
        ZipEntry e = z.getEntry(name);
        if (e == null) {
            throw new Bv2jException(path + ": " + name + " disappeared from the archive since it was opened");
        }
        try (InputStream in = z.getInputStream(e)) {
            in.skipNBytes(offset);
            byte[] b = in.readNBytes(length);
            if (b.length != length) {
                throw new Bv2jException(path + ": " + name + " is truncated");
            }
            return b;
        } catch (EOFException ex) {
            throw new Bv2jException(path + ": " + name + " is truncated", ex);
        } catch (IOException ex) {
            throw new Bv2jException(path + ": cannot read " + name + " (" + AtomicFile.oneLine(ex) + ")", ex);
        }
    }

    private static void closeQuietly(ZipFile zip) {
        if (zip == null) {
            return;
        }
        try {
            zip.close();
        } catch (IOException ignored) {
            // Nothing was written; a failed close loses nothing.
        }
    }
}
