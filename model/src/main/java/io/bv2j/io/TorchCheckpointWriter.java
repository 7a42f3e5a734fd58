package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a training checkpoint the way the reference trainer does, {@code torch.save({'model': ...,
 * 'iteration': ..., 'optimizer': ..., 'learning_rate': ...}, path)}, so that PyTorch (and
 * {@link TorchCheckpoint}) loads it like one of its own: the zip layout of torch ≥ 1.6 with a
 * protocol-2 {@code data.pkl} whose bytes equal what torch pickles for the same values.
 *
 * <p>The file is replaced atomically: a crash mid-write leaves the previous checkpoint intact.
 */
public final class TorchCheckpointWriter {

    /**
     * AdamW's per-parameter state.
     *
     * @param step the number of steps taken; torch keeps it as a 0-dim float32 tensor
     */
    public record ParamState(double step, RawTensor expAvg, RawTensor expAvgSq) {
        public ParamState {
            Objects.requireNonNull(expAvg, "expAvg");
            Objects.requireNonNull(expAvgSq, "expAvgSq");
        }
    }

    /**
     * An AdamW {@code state_dict()} with one parameter group (how the reference trainer builds its
     * optimizers).
     *
     * @param states per parameter in {@code model.parameters()} order; a null entry is a parameter
     *     without state yet (never stepped). May be shorter than {@code paramCount}.
     * @param lr the group's current learning rate
     * @param paramCount the number of parameters in the group
     */
    public record OptimizerState(List<ParamState> states, double lr, double beta1, double beta2, double eps,
            double weightDecay, int paramCount) {
        public OptimizerState {
            // Not List.copyOf: null entries are meaningful here.
            states = Collections.unmodifiableList(new ArrayList<>(states));
            if (states.size() > paramCount) {
                throw new IllegalArgumentException(states.size() + " parameter states for " + paramCount
                        + " parameters");
            }
        }
    }

    private static final PickleWriter.Global ORDERED_DICT = new PickleWriter.Global("collections", "OrderedDict");
    private static final PickleWriter.Global REBUILD_TENSOR =
            new PickleWriter.Global("torch._utils", "_rebuild_tensor_v2");
    private static final PickleWriter.Reduce EMPTY_ORDERED_DICT =
            new PickleWriter.Reduce(ORDERED_DICT, PickleTuple.EMPTY);

    private TorchCheckpointWriter() {
    }

    /**
     * Saves {@code model} (a state dict, in order), the training step, the learning rate and, when not
     * null, the optimizer state to {@code path}.
     *
     * @throws Bv2jException when the file cannot be written
     */
    public static void write(Path path, LinkedHashMap<String, RawTensor> model, long iteration, double learningRate,
            OptimizerState optimizer) {
        // Storage keys are numbered in pickling order, as torch numbers them; building the graph in
        // that order keeps the two in step.
        List<RawTensor> storages = new ArrayList<>();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", stateDict(model, storages));
        root.put("iteration", iteration);
        if (optimizer != null) {
            root.put("optimizer", optimizerDict(optimizer, storages));
        }
        root.put("learning_rate", learningRate);
        byte[] pickle = PickleWriter.dumps(root);
        AtomicFile.write(path, out -> TorchZip.write(out, archiveName(path), pickle, storages));
    }

    /** An OrderedDict of tensors carrying {@code _metadata}, as {@code Module.state_dict()} returns it. */
    private static PickleWriter.Reduce stateDict(LinkedHashMap<String, RawTensor> model, List<RawTensor> storages) {
        Map<String, Object> items = new LinkedHashMap<>();
        for (Map.Entry<String, RawTensor> e : model.entrySet()) {
            items.put(Objects.requireNonNull(e.getKey(), "tensor name"),
                    tensor(Objects.requireNonNull(e.getValue(), e.getKey()), storages));
        }
        Map<String, Object> state = Map.of("_metadata",
                new PickleWriter.Reduce(ORDERED_DICT, PickleTuple.EMPTY, moduleVersions(model), null));
        return new PickleWriter.Reduce(ORDERED_DICT, PickleTuple.EMPTY, items, state);
    }

    /**
     * {@code _metadata}: torch lists every module, parents first, each with its {@code _version}. The
     * module tree is not known here, so it lists the modules that own tensors and their ancestors;
     * modules without tensors (dropouts) are missing, which loading tolerates. Every Bert-VITS2
     * module has version 1.
     */
    private static Map<String, Object> moduleVersions(LinkedHashMap<String, RawTensor> model) {
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("", Map.of("version", 1));
        for (String name : model.keySet()) {
            for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
                versions.putIfAbsent(name.substring(0, dot), Map.of("version", 1));
            }
        }
        return versions;
    }

    /** AdamW's {@code state_dict()}: state keyed by parameter index, then the one parameter group. */
    private static Map<String, Object> optimizerDict(OptimizerState optimizer, List<RawTensor> storages) {
        Map<Integer, Object> state = new LinkedHashMap<>();
        for (int i = 0; i < optimizer.states().size(); i++) {
            ParamState p = optimizer.states().get(i);
            if (p == null) {
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("step", tensor(RawTensor.ofFloats(new long[0], new float[] {(float) p.step()}), storages));
            s.put("exp_avg", tensor(p.expAvg(), storages));
            s.put("exp_avg_sq", tensor(p.expAvgSq(), storages));
            state.put(i, s);
        }
        List<Integer> params = new ArrayList<>(optimizer.paramCount());
        for (int i = 0; i < optimizer.paramCount(); i++) {
            params.add(i);
        }
        // The keys and their order are those of torch 1.13's AdamW, which wrote the reference
        // checkpoints; newer torch fills in the keys it added when loading.
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", optimizer.lr());
        // A list, not a tuple: the reference passes betas straight from its JSON config.
        group.put("betas", List.of(optimizer.beta1(), optimizer.beta2()));
        group.put("eps", optimizer.eps());
        group.put("weight_decay", optimizer.weightDecay());
        group.put("amsgrad", false);
        group.put("foreach", null);
        group.put("maximize", false);
        group.put("capturable", false);
        group.put("params", params);
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("state", state);
        dict.put("param_groups", List.of(group));
        return dict;
    }

    /** {@code _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())} over a new storage. */
    private static PickleWriter.Reduce tensor(RawTensor t, List<RawTensor> storages) {
        String key = Integer.toString(storages.size());
        storages.add(t);
        long[] shape = t.shape();
        PickleTuple storage = tuple("storage", storageClass(t.dtype()), key, "cpu", t.numel());
        return new PickleWriter.Reduce(REBUILD_TENSOR, tuple(new PickleWriter.PersistentId(storage), 0,
                tuple(boxed(shape)), tuple(boxed(contiguousStrides(shape))), false, EMPTY_ORDERED_DICT));
    }

    private static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= Math.max(shape[d], 1); // torch's rule: a zero-size dimension does not zero the strides
        }
        return stride;
    }

    private static PickleWriter.Global storageClass(DType dtype) {
        String name = switch (dtype) {
            case F64 -> "DoubleStorage";
            case F32 -> "FloatStorage";
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
            case I64 -> "LongStorage";
            case I32 -> "IntStorage";
            case I16 -> "ShortStorage";
            case I8 -> "CharStorage";
            case U8 -> "ByteStorage";
            case BOOL -> "BoolStorage";
        };
        return new PickleWriter.Global("torch", name);
    }

    private static PickleTuple tuple(Object... items) {
        return new PickleTuple(items);
    }

    private static Object[] boxed(long[] values) {
        Object[] out = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** torch names the archive's folder after the file, without its extension ("G_100.pth" → "G_100"). */
    private static String archiveName(Path path) {
        String file = path.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /**
     * The zip container: stored (uncompressed) entries whose data starts on a 64-byte boundary, which
     * torch's writer guarantees so that storages can be memory-mapped in place ({@code mmap=True}).
     */
    private static final class TorchZip {

        private static final int ALIGNMENT = 64;
        private static final int LOCAL_HEADER_BYTES = 30;
        /** Header id and size of the padding extra field, the one torch uses ("FB"). */
        private static final int PADDING_FIELD_HEADER_BYTES = 4;
        /**
         * A fixed time keeps equal checkpoints byte-identical. Not 1980-01-01 00:00:00 itself: Java
         * stores that one with an extra timestamp field, which would shift the data off alignment.
         */
        private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

        private final CountingStream counter;
        private final ZipOutputStream zip;
        private final String folder;

        private TorchZip(OutputStream out, String folder) {
            this.counter = new CountingStream(out);
            this.zip = new ZipOutputStream(counter);
            this.folder = folder;
        }

        /** torch's order: data.pkl, byteorder, the storages by key as strings, version. */
        static void write(OutputStream out, String folder, byte[] pickle, List<RawTensor> storages)
                throws IOException {
            TorchZip z = new TorchZip(out, folder);
            z.entry("data.pkl", pickle);
            z.entry("byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < storages.size(); i++) {
                keys.add(Integer.toString(i));
            }
            Collections.sort(keys);
            for (String key : keys) {
                z.entry("data/" + key, storages.get(Integer.parseInt(key)).toBytes());
            }
            z.entry("version", "3\n".getBytes(StandardCharsets.US_ASCII));
            z.zip.finish(); // not close(): AtomicFile owns the stream
        }

        private void entry(String name, byte[] data) throws IOException {
            String fullName = folder + "/" + name;
            CRC32 crc = new CRC32();
            crc.update(data);
            ZipEntry e = new ZipEntry(fullName);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            e.setCrc(crc.getValue());
            e.setTimeLocal(ENTRY_TIME);
            e.setExtra(padding(fullName.getBytes(StandardCharsets.UTF_8).length));
            zip.putNextEntry(e);
            if (counter.count % ALIGNMENT != 0) {
                throw new IllegalStateException(fullName + ": data at offset " + counter.count + " is not aligned");
            }
            zip.write(data);
            zip.closeEntry();
        }

        /** An extra field that pads the local header so the entry's data starts aligned. */
        private byte[] padding(int nameBytes) {
            long unpadded = counter.count + LOCAL_HEADER_BYTES + nameBytes + PADDING_FIELD_HEADER_BYTES;
            int pad = (int) ((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT);
            byte[] field = new byte[PADDING_FIELD_HEADER_BYTES + pad];
            field[0] = 'F';
            field[1] = 'B';
            field[2] = (byte) pad;
            field[3] = 0;
            Arrays.fill(field, PADDING_FIELD_HEADER_BYTES, field.length, (byte) 'Z');
            return field;
        }
    }

    /** Counts the bytes written, which ZipOutputStream does not expose, to place each entry. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
