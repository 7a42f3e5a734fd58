package io.bv2j.nativelib;

import io.bv2j.Bv2jException;

import java.util.Locale;

/**
 * The instruction set bv2j's own kernels run on. AVX2 + FMA is the baseline every supported CPU
 * has; AVX-512F is used where the CPU has it unless switched off with the environment variable
 * {@code BV2J_ISA=avx2} or the system property {@code -Dbv2j.isa=avx2} (read when the native
 * library loads; {@link NativeContext#setIsa} switches later).
 */
public enum Isa {
    AVX2(2, "avx2"),
    AVX512(512, "avx512");

    /** The code bv2j.h gives the instruction set (BV2J_ISA_AVX2, BV2J_ISA_AVX512). */
    final int code;
    private final String label;

    Isa(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The name BV2J_ISA and {@code -Dbv2j.isa} take. */
    public String label() {
        return label;
    }

    static Isa ofCode(int code) {
        for (Isa isa : values()) {
            if (isa.code == code) return isa;
        }
        throw new IllegalStateException("libbv2j reports unknown instruction set " + code);
    }

    /** avx2 or avx512, any case; anything else is refused with the accepted values. */
    public static Isa parse(String label) {
        String s = label.strip().toLowerCase(Locale.ROOT);
        for (Isa isa : values()) {
            if (isa.label.equals(s)) return isa;
        }
        throw new Bv2jException("unknown instruction set '" + label + "' (BV2J_ISA / bv2j.isa take avx2 or avx512)");
    }

    /** The instruction set asked for by -Dbv2j.isa or BV2J_ISA (the property wins), or null. */
    static Isa requested() {
        String v = System.getProperty("bv2j.isa");
        if (v == null || v.isBlank()) v = System.getenv("BV2J_ISA");
        return v == null || v.isBlank() ? null : parse(v);
    }
}
