package io.bv2j.io;

import io.bv2j.testing.GoldenFiles;
import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {

    @TempDir
    Path tmp;

    @Test
    void readsGoldenCheckpoint() {
        SafeTensors st = SafeTensors.read(GoldenFiles.dev("G_0.safetensors"));
        assertEquals(1156, st.tensors().size());
        assertEquals(Map.of("format", "pt", "source", "state_dict of SynthesizerTrn"), st.metadata());
        RawTensor emb = st.get("enc_p.emb.weight");
        assertEquals(DType.F32, emb.dtype());
        assertArrayEquals(new long[] {112, 32}, emb.shape());
        float[] v = emb.toFloats();
        assertEquals(112 * 32, v.length);
        List<String> names = new ArrayList<>(st.tensors().keySet());
        assertEquals(names.stream().sorted().toList(), names);
        Bv2jException e = assertThrows(Bv2jException.class, () -> st.get("nope"));
        assertTrue(e.getMessage().contains("no tensor named 'nope'") && e.getMessage().contains("G_0.safetensors"),
                e.getMessage());
    }

    @Test
    void readsGoldenMetadataAndIntegerTensors() {
        SafeTensors st = SafeTensors.read(GoldenFiles.dev("infer_single.safetensors"));
        Object order = Json.parse(st.metadata().get("noise_order"));
        assertEquals(2, Json.arr(order, "noise_order").size());
        RawTensor language = st.get("in/language");
        assertEquals(DType.I64, language.dtype());
        assertEquals(language.numel(), language.toLongs().length);
    }

    @Test
    void readsEveryGoldenModuleFile() throws IOException {
        try (var files = Files.list(GoldenFiles.dev("modules"))) {
            for (Path p : files.toList()) {
                SafeTensors st = SafeTensors.read(p);
                for (RawTensor t : st.tensors().values()) {
                    assertEquals(t.byteSize(), t.toBytes().length, p + " " + t);
                }
            }
        }
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        tensors.put("b/floats", RawTensor.ofFloats(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("a/longs", RawTensor.ofLongs(new long[] {3}, new long[] {-1, 0, 1L << 40}));
        tensors.put("c/half", RawTensor.ofBytes(DType.F16, new long[] {1}, new byte[] {0, 0x3C}));
        tensors.put("d/scalar", RawTensor.ofFloats(new long[0], new float[] {7}));
        tensors.put("e/empty", RawTensor.ofFloats(new long[] {0}, new float[0]));
        Path file = tmp.resolve("out.safetensors");
        SafeTensors.write(file, tensors, Map.of("k", "v \"quoted\""));

        byte[] raw = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(raw, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "data section is 8-byte aligned");

        SafeTensors back = SafeTensors.read(file);
        assertEquals(Map.of("k", "v \"quoted\""), back.metadata());
        assertEquals(List.of("a/longs", "b/floats", "c/half", "d/scalar", "e/empty"),
                new ArrayList<>(back.tensors().keySet()));
        for (Map.Entry<String, RawTensor> e : tensors.entrySet()) {
            RawTensor t = back.get(e.getKey());
            assertEquals(e.getValue().dtype(), t.dtype());
            assertArrayEquals(e.getValue().shape(), t.shape());
            assertArrayEquals(e.getValue().toBytes(), t.toBytes());
        }
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(file), left.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void rewritesGoldenFileIdentically() {
        SafeTensors original = SafeTensors.read(GoldenFiles.dev("modules/attention.safetensors"));
        Path copy = tmp.resolve("copy.safetensors");
        SafeTensors.write(copy, original.tensors(), original.metadata());
        SafeTensors back = SafeTensors.read(copy);
        assertEquals(original.metadata(), back.metadata());
        for (String name : original.tensors().keySet()) {
            assertArrayEquals(original.get(name).toBytes(), back.get(name).toBytes(), name);
        }
    }

    /** A file with {@code header} as its JSON header (unpadded) and {@code dataBytes} zero bytes of data. */
    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = tmp.resolve("bad.safetensors");
        Files.write(p, b.array());
        return p;
    }

    private static String errorOf(Path p) {
        Bv2jException e = assertThrows(Bv2jException.class, () -> SafeTensors.read(p));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void validHandBuiltFileReads() throws IOException {
        Path p = file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertArrayEquals(new float[] {0, 0}, SafeTensors.read(p).get("t").toFloats());
    }

    @Test
    void refusesMalformedHeaders() throws IOException {
        String ok = "\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]";
        assertTrue(errorOf(file("{\"t\":{\"dtype\":\"U32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8))
                .contains("unsupported dtype 'U32'"));
        assertTrue(errorOf(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8))
                .contains("needs 12"));
        assertTrue(errorOf(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", 8))
                .contains("outside"));
        assertTrue(errorOf(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8))
                .contains("negative"));
        assertTrue(errorOf(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 8))
                .contains("shape[0] must be an integer"));
        assertTrue(errorOf(file("{\"t\":{" + ok + ",\"extra\":1}}", 8)).contains("unknown field 'extra'"));
        assertTrue(errorOf(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8)).contains("no 'data_offsets'"));
        assertTrue(errorOf(file("{\"t\":{" + ok + "}}", 12)).contains("4 bytes after the last tensor"));
        assertTrue(errorOf(file("{\"t\":{" + ok + "},\"u\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                8)).contains("overlaps"));
        assertTrue(errorOf(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8))
                .contains("gap"));
        assertTrue(errorOf(file("{\"__metadata__\":{\"a\":1}}", 0)).contains("__metadata__.a must be a string"));
        assertTrue(errorOf(file("{\"t\":1}", 0)).contains("must be an object"));
        assertTrue(errorOf(file("[1]", 0)).contains("does not start with '{'"));
        assertTrue(errorOf(file("{\"t\":", 0)).contains("invalid JSON at 1:6"));
    }

    @Test
    void refusesLyingHeaderLengthWithoutAllocating() throws IOException {
        Path p = tmp.resolve("huge.safetensors");
        Files.write(p, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array());
        assertTrue(errorOf(p).contains("exceeds the 104857600-byte limit"));
        Files.write(p, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        assertTrue(errorOf(p).contains("18446744073709551615"));
        Files.write(p, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(50 << 20).array());
        assertTrue(errorOf(p).contains("exceeds the file size"));
        Files.write(p, new byte[3]);
        assertTrue(errorOf(p).contains("too short"));
        assertTrue(errorOf(tmp.resolve("missing.safetensors")).contains("no such file"));
    }

    @Test
    void detectsTruncationAndChangesAfterOpening() throws IOException {
        Path golden = GoldenFiles.dev("modules/attention.safetensors");
        byte[] all = Files.readAllBytes(golden);
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length - 1));
        assertTrue(errorOf(cut).contains("outside"));

        Path p = tmp.resolve("changing.safetensors");
        Files.write(p, all);
        SafeTensors st = SafeTensors.read(p);
        Files.write(p, Arrays.copyOf(all, 100));
        RawTensor t = st.tensors().values().iterator().next();
        Bv2jException e = assertThrows(Bv2jException.class, t::toFloats);
        assertTrue(e.getMessage().contains("changed size"), e.getMessage());
    }
}
