package io.bv2j.io;

import java.util.Optional;

/** The element types bv2j reads and writes, with their names in the safetensors and NumPy formats. */
public enum DType {
    F64(8, "F64", "<f8", true),
    F32(4, "F32", "<f4", true),
    F16(2, "F16", "<f2", true),
    /** bfloat16: NumPy has no such type, so it has no .npy descr. */
    BF16(2, "BF16", null, true),
    I64(8, "I64", "<i8", false),
    I32(4, "I32", "<i4", false),
    I16(2, "I16", "<i2", false),
    I8(1, "I8", "|i1", false),
    U8(1, "U8", "|u1", false),
    BOOL(1, "BOOL", "|b1", false);

    private final int size;
    private final String safetensorsName;
    private final String numpyDescr;
    private final boolean floatingPoint;

    DType(int size, String safetensorsName, String numpyDescr, boolean floatingPoint) {
        this.size = size;
        this.safetensorsName = safetensorsName;
        this.numpyDescr = numpyDescr;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** The dtype string in a safetensors header, e.g. "F32". */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** The little-endian NumPy descr, e.g. "&lt;f4"; empty for BF16. */
    public Optional<String> numpyDescr() {
        return Optional.ofNullable(numpyDescr);
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The dtype with this safetensors name, or empty when bv2j does not support it. */
    public static Optional<DType> fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The dtype with this NumPy descr, or empty when bv2j does not support it (e.g. big-endian). */
    public static Optional<DType> fromNumpyDescr(String descr) {
        for (DType t : values()) {
            if (descr.equals(t.numpyDescr)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
