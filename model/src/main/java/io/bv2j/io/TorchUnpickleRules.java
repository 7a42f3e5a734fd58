package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The allow-list that turns a {@code torch.save} pickle into data: the only names a checkpoint may
 * reference are {@code collections.OrderedDict}, the two tensor rebuild functions and the typed
 * storage classes. None of them is ever "called" in the Python sense; each is interpreted here.
 */
final class TorchUnpickleRules implements PickleMachine.Hooks {

    /** Where storages' bytes live (the {@code data/<key>} entries of the checkpoint zip). */
    interface StorageSource {
        /** The stored size in bytes of storage {@code key}, or -1 when there is no such entry. */
        long storageSize(String key);

        /** {@code length} bytes of storage {@code key} from {@code byteOffset}. */
        ByteBuffer readStorage(String key, long byteOffset, int length);
    }

    /** An untyped reference to the bytes of one storage entry, as BINPERSID describes it. */
    record Storage(String key, DType dtype, long numel) {
    }

    private enum Global {
        ORDERED_DICT("collections", "OrderedDict", null),
        REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2", null),
        REBUILD_PARAMETER("torch._utils", "_rebuild_parameter", null),
        DOUBLE_STORAGE("torch", "DoubleStorage", DType.F64),
        FLOAT_STORAGE("torch", "FloatStorage", DType.F32),
        HALF_STORAGE("torch", "HalfStorage", DType.F16),
        BFLOAT16_STORAGE("torch", "BFloat16Storage", DType.BF16),
        LONG_STORAGE("torch", "LongStorage", DType.I64),
        INT_STORAGE("torch", "IntStorage", DType.I32),
        SHORT_STORAGE("torch", "ShortStorage", DType.I16),
        CHAR_STORAGE("torch", "CharStorage", DType.I8),
        BYTE_STORAGE("torch", "ByteStorage", DType.U8),
        BOOL_STORAGE("torch", "BoolStorage", DType.BOOL);

        final String module;
        final String name;
        /** Element type for a storage class, null for the callables. */
        final DType storageDtype;

        Global(String module, String name, DType storageDtype) {
            this.module = module;
            this.name = name;
            this.storageDtype = storageDtype;
        }

        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** torch names storage entries with decimal numbers; anything odd is refused outright. */
    private static final Pattern STORAGE_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final String source;
    private final StorageSource storages;
    /** OrderedDicts created here: the only objects BUILD may target. */
    private final Set<Object> orderedDicts = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param source names the checkpoint in error messages
     */
    TorchUnpickleRules(String source, StorageSource storages) {
        this.source = source;
        this.storages = storages;
    }

    @Override
    public Object global(String module, String name) {
        for (Global g : Global.values()) {
            if (g.module.equals(module) && g.name.equals(name)) {
                return g;
            }
        }
        String shown = (module + "." + name).replaceAll("[^\\x20-\\x7e]", "?");
        throw new Bv2jException(source + ": forbidden pickle global '" + shown + "' (only torch tensor rebuild "
                + "functions, storages and OrderedDict are allowed)");
    }

    @Override
    public Object reduce(Object callable, PickleTuple args) {
        if (callable == Global.ORDERED_DICT && args.isEmpty()) {
            return newOrderedDict();
        }
        if (callable == Global.REBUILD_TENSOR_V2) {
            return rebuildTensor(args);
        }
        if (callable == Global.REBUILD_PARAMETER) {
            // _rebuild_parameter(data, requires_grad, backward_hooks): a Parameter is just its tensor here.
            if (args.size() != 3 || !(args.get(0) instanceof RawTensor tensor)) {
                throw new Bv2jException(source + ": unexpected arguments to torch._utils._rebuild_parameter");
            }
            return tensor;
        }
        throw new Bv2jException(source + ": pickle calls " + PickleMachine.typeName(callable) + " with "
                + args.size() + " arguments, which a checkpoint never does");
    }

    @Override
    public Object newObject(Object cls, PickleTuple args) {
        if (cls == Global.ORDERED_DICT && args.isEmpty()) {
            return newOrderedDict();
        }
        throw new Bv2jException(source + ": pickle creates an instance of " + PickleMachine.typeName(cls)
                + ", which a checkpoint never does");
    }

    /**
     * An OrderedDict's state is its instance attributes; for a state dict that is {@code _metadata}
     * (per-module version numbers), which loading weights does not need, so it is dropped.
     */
    @Override
    public void build(Object target, Object state) {
        if (orderedDicts.contains(target) && (state == null || state instanceof Map<?, ?>)) {
            return;
        }
        throw new Bv2jException(source + ": pickle sets the state of " + PickleMachine.typeName(target)
                + ", which a checkpoint never does");
    }

    /** A storage reference: ('storage', storage class, key, location, numel). */
    @Override
    public Object persistentLoad(Object pid) {
        if (!(pid instanceof PickleTuple t) || t.size() != 5 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof Global type) || type.storageDtype == null
                || !(t.get(2) instanceof String key) || !(t.get(3) instanceof String)
                || !(t.get(4) instanceof Long numel)) {
            throw new Bv2jException(source + ": unexpected persistent id in data.pkl (not a torch storage reference)");
        }
        if (!STORAGE_KEY.matcher(key).matches()) {
            throw new Bv2jException(source + ": invalid storage key '" + key.replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
        long entrySize = storages.storageSize(key);
        if (entrySize < 0) {
            throw new Bv2jException(source + ": storage 'data/" + key + "' is referenced but missing from the archive");
        }
        int size = type.storageDtype.size();
        if (numel < 0 || numel > entrySize / size) {
            throw new Bv2jException(source + ": storage 'data/" + key + "' claims " + numel + " elements of "
                    + type.storageDtype + " but its entry holds only " + entrySize + " bytes");
        }
        return new Storage(key, type.storageDtype, numel);
    }

    private Map<Object, Object> newOrderedDict() {
        Map<Object, Object> map = new LinkedHashMap<>();
        orderedDicts.add(map);
        return map;
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private RawTensor rebuildTensor(PickleTuple args) {
        if ((args.size() != 6 && args.size() != 7) || !(args.get(0) instanceof Storage storage)
                || !(args.get(1) instanceof Long offset) || !(args.get(2) instanceof PickleTuple sizeTuple)
                || !(args.get(3) instanceof PickleTuple strideTuple) || !(args.get(4) instanceof Boolean)) {
            throw new Bv2jException(source + ": unexpected arguments to torch._utils._rebuild_tensor_v2");
        }
        String label = source + ": tensor in storage 'data/" + storage.key() + "'";
        long[] shape = longs(sizeTuple, label + " size");
        long[] stride = longs(strideTuple, label + " stride");
        if (shape.length != stride.length || offset < 0) {
            throw new Bv2jException(label + " has size " + sizeTuple + ", stride " + strideTuple + " and offset "
                    + offset + ", which do not describe a tensor");
        }
        StridedView view = new StridedView(label, storage, offset, shape, stride);
        return RawTensor.lazy(label, storage.dtype(), shape, view::read);
    }

    private long[] longs(PickleTuple tuple, String what) {
        long[] out = new long[tuple.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(tuple.get(i) instanceof Long v) || v < 0) {
                throw new Bv2jException(what + " must be non-negative integers, got " + tuple);
            }
            out[i] = v;
        }
        return out;
    }

    /**
     * The elements of a tensor within its storage. The whole extent is checked against the storage
     * when the tensor is described, so a lying offset or stride fails before any byte is read.
     */
    private final class StridedView {
        private final String label;
        private final Storage storage;
        private final long offset;
        private final long[] shape;
        private final long[] stride;
        private final long numel;
        /** Elements from the first to the last one the view touches. */
        private final long span;

        StridedView(String label, Storage storage, long offset, long[] shape, long[] stride) {
            this.label = label;
            this.storage = storage;
            this.offset = offset;
            this.shape = shape;
            this.stride = stride;
            long n = 1;
            long last = offset;
            try {
                for (int i = 0; i < shape.length; i++) {
                    n = Math.multiplyExact(n, shape[i]);
                    if (shape[i] > 0) {
                        last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
                    }
                }
            } catch (ArithmeticException overflow) {
                throw new Bv2jException(label + ": size " + Arrays.toString(shape) + " with stride "
                        + Arrays.toString(stride) + " overflows");
            }
            this.numel = n;
            if (n > 0 && last >= storage.numel()) {
                throw new Bv2jException(label + ": offset " + offset + ", size " + Arrays.toString(shape)
                        + " and stride " + Arrays.toString(stride) + " reach element " + last
                        + " but the storage has only " + storage.numel());
            }
            this.span = n == 0 ? 0 : last - offset + 1;
            if (span > RawTensor.MAX_BYTES / storage.dtype().size()) {
                throw new Bv2jException(label + ": view spans " + span + " elements of its storage, more than one "
                        + "read can hold");
            }
        }

        ByteBuffer read() {
            int es = storage.dtype().size();
            if (numel == 0) {
                return ByteBuffer.allocate(0);
            }
            ByteBuffer region = storages.readStorage(storage.key(), offset * es, (int) (span * es));
            if (isContiguous()) {
                return region;
            }
            // A view (transpose, slice, expand): gather its elements into C order.
            byte[] out = new byte[(int) (numel * es)];
            long[] index = new long[shape.length];
            long src = 0;
            for (int k = 0; k < numel; k++) {
                region.get((int) (src * es), out, k * es, es);
                for (int d = shape.length - 1; d >= 0; d--) {
                    index[d]++;
                    src += stride[d];
                    if (index[d] < shape[d]) {
                        break;
                    }
                    src -= stride[d] * shape[d];
                    index[d] = 0;
                }
            }
            return ByteBuffer.wrap(out);
        }

        private boolean isContiguous() {
            long expected = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (shape[d] != 1 && stride[d] != expected) {
                    return false;
                }
                expected *= shape[d];
            }
            return true;
        }
    }
}
