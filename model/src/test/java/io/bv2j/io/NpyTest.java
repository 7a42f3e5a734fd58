package io.bv2j.io;

import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {

    @TempDir
    Path tmp;

    /** A .npy file as NumPy writes it: {@code version} 1, 2 or 3, the dict text, then {@code data}. */
    private Path npy(int version, String dict, byte[] data) throws IOException {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        ByteBuffer len = ByteBuffer.allocate(version == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (version == 1) {
            len.putShort((short) header.length);
        } else {
            len.putInt(header.length);
        }
        out.write(len.array());
        out.write(header);
        out.write(data);
        return Files.write(tmp.resolve("a.npy"), out.toByteArray());
    }

    @Test
    void writeThenReadRoundTrips() {
        Path f = tmp.resolve("f.npy");
        Npy.write(f, RawTensor.ofFloats(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        RawTensor t = Npy.read(f);
        assertEquals(DType.F32, t.dtype());
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloats());

        Path l = tmp.resolve("l.npy");
        Npy.write(l, RawTensor.ofLongs(new long[] {3}, new long[] {1, -2, Long.MAX_VALUE}));
        assertArrayEquals(new long[] {1, -2, Long.MAX_VALUE}, Npy.read(l).toLongs());

        Path s = tmp.resolve("s.npy");
        Npy.write(s, RawTensor.ofFloats(new long[0], new float[] {7}));
        assertEquals(0, Npy.read(s).shape().length);
    }

    @Test
    void writesExactlyWhatNumpyWrites() throws IOException {
        Path f = tmp.resolve("f.npy");
        Npy.write(f, RawTensor.ofFloats(new long[] {3}, new float[] {1, 2, 3}));
        byte[] b = Files.readAllBytes(f);
        String header = new String(b, 10, 118, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }" + " ".repeat(60) + "\n", header);
        assertEquals(128 + 12, b.length);
        assertThrows(Bv2jException.class, () -> Npy.write(f, RawTensor.ofBytes(DType.BF16, new long[] {1}, new byte[2])));
    }

    @Test
    void readsVersionsTwoAndThreeAndOldSpellings() throws IOException {
        byte[] ints = {1, 0, 0, 0, 2, 0, 0, 0};
        assertArrayEquals(new long[] {1, 2},
                Npy.read(npy(2, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", ints)).toLongs());
        assertArrayEquals(new long[] {1, 2},
                Npy.read(npy(3, "{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (2L,)}", ints)).toLongs());
        assertArrayEquals(new long[] {1, 2},
                Npy.read(npy(1, "{'shape': (1, 2), 'fortran_order': False, 'descr': '<i4'}", ints)).toLongs());
        assertArrayEquals(new long[] {1, 0, 2, 0, 0, 0, 0, 0},
                Npy.read(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (8,), }", new byte[] {1, 0, 2, 0,
                    0, 0, 0, 0})).toLongs());
        assertArrayEquals(new double[] {0, 0},
                Npy.read(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", new byte[16])).toDoubles());
    }

    private String errorOf(int version, String dict, byte[] data) throws IOException {
        Path p = npy(version, dict, data);
        Bv2jException e = assertThrows(Bv2jException.class, () -> Npy.read(p));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void refusesWhatItCannotRead() throws IOException {
        byte[] eight = new byte[8];
        assertTrue(errorOf(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", eight)
                .contains("Fortran-ordered arrays are not supported"));
        assertTrue(errorOf(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", eight)
                .contains("dtype '>f4' is not supported"));
        assertTrue(errorOf(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", eight)
                .contains("dtype '<c8' is not supported"));
        assertTrue(errorOf(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", eight)
                .contains("malformed"));
        assertTrue(errorOf(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", eight)
                .contains("needs 12 data bytes but the file has 8"));
        assertTrue(errorOf(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", eight)
                .contains("malformed"));
        assertTrue(errorOf(1, "{'descr': '<f4', 'shape': (2,), }", eight).contains("exactly the keys"));
        assertTrue(errorOf(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': True}", eight)
                .contains("exactly the keys"));
        assertTrue(errorOf(1, "{'descr': '<f4', 'fortran_order': False, 'shape': __import__('os'), }", eight)
                .contains("malformed"));
        assertTrue(errorOf(4, "{}", eight).contains("version 4 is not supported"));
        assertTrue(errorOf(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }",
                eight).contains("too many elements"));
    }

    @Test
    void refusesLyingHeaderLengthAndBadMagic() throws IOException {
        byte[] lying = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, -1, -1, -1, 0x7F, '{', '}'};
        Path p = Files.write(tmp.resolve("lying.npy"), lying);
        assertTrue(assertThrows(Bv2jException.class, () -> Npy.read(p)).getMessage().contains("does not fit"));
        Path q = Files.write(tmp.resolve("text.npy"), "hello world, not numpy".getBytes());
        assertTrue(assertThrows(Bv2jException.class, () -> Npy.read(q)).getMessage().contains("not a .npy file"));
    }
}
