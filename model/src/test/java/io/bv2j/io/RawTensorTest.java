package io.bv2j.io;

import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawTensorTest {

    private static byte[] le(int bytesPerValue, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesPerValue) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void floatsRoundTrip() {
        RawTensor t = RawTensor.ofFloats(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f});
        assertEquals(DType.F32, t.dtype());
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertEquals(6, t.numel());
        assertEquals(24, t.byteSize());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, t.toFloats());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, -6.5}, t.toDoubles());
        assertThrows(Bv2jException.class, t::toLongs);
    }

    @Test
    void inputArrayIsCopied() {
        float[] data = {1, 2};
        long[] shape = {2};
        RawTensor t = RawTensor.ofFloats(shape, data);
        data[0] = 99;
        shape[0] = 5;
        assertArrayEquals(new float[] {1, 2}, t.toFloats());
        assertArrayEquals(new long[] {2}, t.shape());
        t.shape()[0] = 7;
        assertArrayEquals(new long[] {2}, t.shape());
    }

    @Test
    void longsRoundTrip() {
        RawTensor t = RawTensor.ofLongs(new long[] {3}, new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE});
        assertArrayEquals(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, t.toLongs());
        assertArrayEquals(new float[] {-0x1p63f, 0, 0x1p63f}, t.toFloats());
    }

    @Test
    void integralFloatsConvertToLongs() {
        RawTensor t = RawTensor.ofFloats(new long[] {3}, new float[] {-3, 0, 1e9f});
        assertArrayEquals(new long[] {-3, 0, 1_000_000_000}, t.toLongs());
        Bv2jException e = assertThrows(Bv2jException.class,
                () -> RawTensor.ofFloats(new long[] {2}, new float[] {1, 0.5f}).toLongs());
        assertTrue(e.getMessage().contains("element 1 is 0.5"), e.getMessage());
        assertThrows(Bv2jException.class, () -> RawTensor.ofFloats(new long[] {1}, new float[] {Float.NaN}).toLongs());
        assertThrows(Bv2jException.class, () -> RawTensor.ofFloats(new long[] {1}, new float[] {1e30f}).toLongs());
    }

    @Test
    void convertsEveryDtype() {
        assertArrayEquals(new float[] {1.5f, -2f},
                RawTensor.ofBytes(DType.F64, new long[] {2}, le(8, Double.doubleToLongBits(1.5),
                        Double.doubleToLongBits(-2))).toFloats());
        assertArrayEquals(new float[] {1f, -2f, 65504f},
                RawTensor.ofBytes(DType.F16, new long[] {3}, le(2, 0x3C00, 0xC000, 0x7BFF)).toFloats());
        assertArrayEquals(new float[] {1f, -2f},
                RawTensor.ofBytes(DType.BF16, new long[] {2}, le(2, 0x3F80, 0xC000)).toFloats());
        assertArrayEquals(new long[] {-5, 7},
                RawTensor.ofBytes(DType.I32, new long[] {2}, le(4, -5, 7)).toLongs());
        assertArrayEquals(new long[] {-5, 7},
                RawTensor.ofBytes(DType.I16, new long[] {2}, le(2, -5, 7)).toLongs());
        assertArrayEquals(new long[] {-5, 7},
                RawTensor.ofBytes(DType.I8, new long[] {2}, le(1, -5, 7)).toLongs());
        assertArrayEquals(new long[] {251, 7},
                RawTensor.ofBytes(DType.U8, new long[] {2}, le(1, -5, 7)).toLongs());
        assertArrayEquals(new double[] {1, 0},
                RawTensor.ofBytes(DType.BOOL, new long[] {2}, le(1, 1, 0)).toDoubles());
        assertArrayEquals(new long[] {2},
                RawTensor.ofBytes(DType.F16, new long[] {1}, le(2, 0x4000)).toLongs());
    }

    @Test
    void scalarsAndEmptyTensors() {
        RawTensor scalar = RawTensor.ofFloats(new long[0], new float[] {3});
        assertEquals(1, scalar.numel());
        assertArrayEquals(new float[] {3}, scalar.toFloats());
        RawTensor empty = RawTensor.ofFloats(new long[] {0, 5}, new float[0]);
        assertEquals(0, empty.numel());
        assertEquals(0, empty.toFloats().length);
        // A zero dimension wins over huge ones: numel is 0, not an overflow.
        assertEquals(0, RawTensor.lazy("t", DType.F32, new long[] {1L << 40, 1L << 40, 0},
                () -> ByteBuffer.allocate(0)).numel());
    }

    @Test
    void refusesBadShapesBeforeReadingAnything() {
        AtomicInteger loads = new AtomicInteger();
        Bv2jException big = assertThrows(Bv2jException.class, () -> RawTensor.lazy("x.bin: t", DType.F32,
                new long[] {1L << 30, 2}, () -> {
                    loads.incrementAndGet();
                    return ByteBuffer.allocate(0);
                }));
        assertTrue(big.getMessage().startsWith("x.bin: t: "), big.getMessage());
        assertThrows(Bv2jException.class, () -> RawTensor.lazy("t", DType.F32, new long[] {1L << 40, 1L << 40},
                () -> ByteBuffer.allocate(0)));
        assertThrows(Bv2jException.class, () -> RawTensor.lazy("t", DType.F32, new long[] {-1}, () -> ByteBuffer.allocate(0)));
        assertEquals(0, loads.get());
        assertThrows(Bv2jException.class, () -> RawTensor.ofFloats(new long[] {3}, new float[] {1, 2}));
    }

    @Test
    void loaderIsCalledOnlyOnDemandAndChecked() {
        AtomicInteger loads = new AtomicInteger();
        RawTensor t = RawTensor.lazy("f: t", DType.F32, new long[] {2}, () -> {
            loads.incrementAndGet();
            return ByteBuffer.wrap(le(4, Float.floatToIntBits(1f), Float.floatToIntBits(2f)));
        });
        assertEquals(0, loads.get());
        assertArrayEquals(new float[] {1, 2}, t.toFloats());
        assertArrayEquals(le(4, Float.floatToIntBits(1f), Float.floatToIntBits(2f)), t.toBytes());
        assertEquals(2, loads.get());
        RawTensor lying = RawTensor.lazy("f: t", DType.F32, new long[] {2}, () -> ByteBuffer.allocate(4));
        Bv2jException e = assertThrows(Bv2jException.class, lying::toFloats);
        assertEquals("f: t: shape [2] of F32 needs 8 bytes but 4 were supplied", e.getMessage());
    }

    @Test
    void dtypeNames() {
        assertEquals(DType.BF16, DType.fromSafetensorsName("BF16").orElseThrow());
        assertTrue(DType.fromSafetensorsName("U32").isEmpty());
        assertEquals(DType.I64, DType.fromNumpyDescr("<i8").orElseThrow());
        assertTrue(DType.fromNumpyDescr(">f4").isEmpty());
        assertTrue(DType.BF16.numpyDescr().isEmpty());
        assertEquals("<f4", DType.F32.numpyDescr().orElseThrow());
        assertEquals(2, DType.F16.size());
    }

    @Test
    void copyFloatsIntoNativeMemoryMatchesToFloatsForEveryKind() {
        float[] values = {1.5f, -2.25f, 3e-3f, 0, 65504f, -7f};
        long[] shape = {2, 3};
        ByteBuffer f16 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) f16.putShort(Float.floatToFloat16(v));
        RawTensor[] kinds = {
                RawTensor.ofFloats(shape, values), // stored F32 bytes
                RawTensor.ofFloats(shape, values::clone), // computed on demand
                RawTensor.ofBytes(DType.F16, shape, f16.array()),
                RawTensor.ofLongs(shape, new long[] {1, -2, 3, 0, 5, -6})};
        try (Arena arena = Arena.ofConfined()) {
            for (RawTensor t : kinds) {
                MemorySegment dst = arena.allocate(6 * Float.BYTES + 8).fill((byte) 0x7f);
                t.copyFloatsInto(dst);
                float[] copied = dst.asSlice(0, 6 * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
                assertArrayEquals(t.toFloats(), copied, t.toString());
                assertEquals((byte) 0x7f, dst.get(ValueLayout.JAVA_BYTE, 6 * Float.BYTES), "wrote past the tensor: " + t);
            }
            MemorySegment small = arena.allocate(5 * Float.BYTES);
            assertThrows(IllegalArgumentException.class, () -> kinds[0].copyFloatsInto(small));
        }
    }

    @Test
    void copyFloatsIntoRefusesAComputedTensorOfTheWrongLength() {
        RawTensor t = RawTensor.ofFloats(new long[] {4}, () -> new float[3]);
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(Bv2jException.class, () -> t.copyFloatsInto(arena.allocate(16)));
        }
    }
}
