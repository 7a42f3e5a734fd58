package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * An immutable tensor as stored in a file: dtype, shape and little-endian element bytes in
 * C (row-major) order.
 *
 * <p>The bytes are fetched lazily, on every call to a {@code to...} method, through a loader the
 * reader supplies, so a file can be opened and inspected without reading tensors nobody asks for
 * (the optimizer state in a training checkpoint is several times larger than the model). Nothing is
 * cached: callers convert once and keep the array.
 *
 * <p>A tensor's bytes must fit in one Java array, so tensors over {@link #MAX_BYTES} bytes are
 * refused when they are described, before anything is read.
 */
public final class RawTensor {

    /** The largest byte array the JVM reliably allocates. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final String label;
    private final DType dtype;
    private final long[] shape;
    private final long numel;
    private final Supplier<ByteBuffer> loader;
    /** For a computed F32 tensor, its values as they are computed (lets copies skip the byte form). */
    private final Supplier<float[]> computed;

    private RawTensor(String label, DType dtype, long[] shape, Supplier<ByteBuffer> loader) {
        this(label, dtype, shape, loader, null);
    }

    private RawTensor(String label, DType dtype, long[] shape, Supplier<ByteBuffer> loader, Supplier<float[]> computed) {
        this.label = label;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.numel = numel(label, this.shape);
        if (numel > MAX_BYTES / dtype.size()) {
            throw new Bv2jException(label + ": " + numel + " elements of " + dtype + " exceed the "
                    + MAX_BYTES + "-byte limit for one tensor");
        }
        this.loader = loader;
        this.computed = computed;
    }

    /**
     * A tensor whose bytes come from {@code loader} when first needed.
     *
     * @param label names the tensor in error messages, e.g. "G_0.pth: tensor 'enc_p.emb.weight'"
     * @param loader returns exactly {@code numel * dtype.size()} little-endian bytes each time it is
     *     called (from the buffer's position to its limit); it throws {@link Bv2jException} on I/O errors
     * @throws Bv2jException for a negative dimension or a tensor too large for one Java array
     */
    public static RawTensor lazy(String label, DType dtype, long[] shape, Supplier<ByteBuffer> loader) {
        return new RawTensor(label, dtype, shape, loader);
    }

    /** An in-memory tensor over a copy of {@code littleEndian}, which must hold exactly numel elements. */
    public static RawTensor ofBytes(DType dtype, long[] shape, byte[] littleEndian) {
        ByteBuffer copy = ByteBuffer.wrap(littleEndian.clone()).asReadOnlyBuffer();
        RawTensor t = new RawTensor("in-memory tensor", dtype, shape, copy::duplicate);
        t.checkLength(littleEndian.length);
        return t;
    }

    /** An F32 tensor computed by {@code values} each time it is loaded (nothing is held in between). */
    public static RawTensor ofFloats(long[] shape, Supplier<float[]> values) {
        return new RawTensor("computed tensor", DType.F32, shape, () -> littleEndian(values.get()), values);
    }

    /** An in-memory F32 tensor over a copy of {@code data}. */
    public static RawTensor ofFloats(long[] shape, float[] data) {
        ByteBuffer b = littleEndian(data);
        ByteBuffer ro = b.asReadOnlyBuffer();
        RawTensor t = new RawTensor("in-memory tensor", DType.F32, shape, ro::duplicate);
        t.checkLength(b.capacity());
        return t;
    }

    private static ByteBuffer littleEndian(float[] data) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(data.length, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return b;
    }

    /** An in-memory I64 tensor over a copy of {@code data}. */
    public static RawTensor ofLongs(long[] shape, long[] data) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(data.length, Long.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        ByteBuffer ro = b.asReadOnlyBuffer();
        RawTensor t = new RawTensor("in-memory tensor", DType.I64, shape, ro::duplicate);
        t.checkLength(b.capacity());
        return t;
    }

    /** The same tensor under another label, e.g. once a reader learns the tensor's name. */
    RawTensor relabel(String newLabel) {
        return new RawTensor(newLabel, dtype, shape, loader, computed);
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape; empty for a scalar. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (1 for a scalar, 0 if any dimension is 0). */
    public long numel() {
        return numel;
    }

    /** numel × element size. */
    public long byteSize() {
        return numel * dtype.size();
    }

    /** The element bytes, little-endian, C order (a fresh array). */
    public byte[] toBytes() {
        ByteBuffer b = load();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** The elements as floats; wider types are rounded, integers converted like a Java cast. */
    public float[] toFloats() {
        ByteBuffer b = load();
        int n = (int) numel;
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(b.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bf16ToFloat(b.getShort(i * 2));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = integerAt(b, i);
                }
            }
        }
        return out;
    }

    /**
     * Writes the elements as native-order floats into {@code dst} (at least numel × 4 bytes), like
     * {@link #toFloats} but without a float array in between: loading a model this way leaves no
     * heap garbage the size of the model (the JVM would keep the grown heap resident).
     */
    public void copyFloatsInto(MemorySegment dst) {
        if (dst.byteSize() < numel * Float.BYTES) {
            throw new IllegalArgumentException(label + ": destination of " + dst.byteSize() + " bytes is smaller than "
                    + numel + " floats");
        }
        if (computed != null) {
            float[] v = computed.get();
            checkLength((long) v.length * Float.BYTES);
            MemorySegment.copy(v, 0, dst, ValueLayout.JAVA_FLOAT, 0, v.length);
        } else if (dtype == DType.F32) {
            MemorySegment src = MemorySegment.ofBuffer(load());
            MemorySegment.copy(src, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                    dst, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, numel);
        } else {
            float[] v = toFloats();
            MemorySegment.copy(v, 0, dst, ValueLayout.JAVA_FLOAT, 0, v.length);
        }
    }

    /** The elements as doubles (exact for every dtype except I64 beyond 2^53). */
    public double[] toDoubles() {
        ByteBuffer b = load();
        int n = (int) numel;
        double[] out = new double[n];
        switch (dtype) {
            case F64 -> b.asDoubleBuffer().get(out);
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getFloat(i * 4);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(b.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bf16ToFloat(b.getShort(i * 2));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = integerAt(b, i);
                }
            }
        }
        return out;
    }

    /**
     * The elements as longs. Floating-point tensors are accepted only when every value is an integer
     * in the long range (ids and lengths are sometimes saved as floats).
     *
     * @throws Bv2jException naming the first non-integral element
     */
    public long[] toLongs() {
        if (!dtype.isFloatingPoint()) {
            ByteBuffer b = load();
            int n = (int) numel;
            long[] out = new long[n];
            if (dtype == DType.I64) {
                b.asLongBuffer().get(out);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = integerAt(b, i);
                }
            }
            return out;
        }
        double[] d = toDoubles();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            double v = d[i];
            // 2^63 is exactly representable; anything >= it (or NaN, which fails rint) does not fit.
            if (v != Math.rint(v) || v < -0x1p63 || v >= 0x1p63) {
                throw new Bv2jException(label + ": element " + i + " is " + v + ", expected integers in this "
                        + dtype + " tensor");
            }
            out[i] = (long) v;
        }
        return out;
    }

    @Override
    public String toString() {
        return "RawTensor[" + dtype + " " + Arrays.toString(shape) + " " + label + "]";
    }

    private long integerAt(ByteBuffer b, int i) {
        return switch (dtype) {
            case I64 -> b.getLong(i * 8);
            case I32 -> b.getInt(i * 4);
            case I16 -> b.getShort(i * 2);
            case I8 -> b.get(i);
            case U8 -> b.get(i) & 0xFF;
            case BOOL -> b.get(i) != 0 ? 1 : 0;
            default -> throw new IllegalStateException(dtype + " is not an integer type");
        };
    }

    private static float bf16ToFloat(short bits) {
        // bfloat16 is the top half of an IEEE float32.
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The loader's bytes as a little-endian buffer positioned at 0, length-checked. */
    private ByteBuffer load() {
        ByteBuffer b = loader.get().slice().order(ByteOrder.LITTLE_ENDIAN);
        checkLength(b.remaining());
        return b;
    }

    private void checkLength(long bytes) {
        if (bytes != byteSize()) {
            throw new Bv2jException(label + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + byteSize() + " bytes but " + bytes + " were supplied");
        }
    }

    private static long numel(String label, long[] shape) {
        for (long d : shape) {
            if (d < 0) {
                throw new Bv2jException(label + ": negative dimension in shape " + Arrays.toString(shape));
            }
            if (d == 0) {
                return 0; // checked first so that [huge, huge, 0] is not mistaken for an overflow
            }
        }
        long n = 1;
        for (long d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException overflow) {
                throw new Bv2jException(label + ": shape " + Arrays.toString(shape) + " has too many elements");
            }
        }
        return n;
    }
}
