package io.bv2j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Emits protocol-2 pickle opcodes by hand, and zips them like torch.save, for hostile-input tests. */
final class PickleBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder op(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleBuilder proto() {
        return op(0x80, 2);
    }

    PickleBuilder mark() {
        return op('(');
    }

    PickleBuilder stop() {
        return op('.');
    }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le32(b.length);
        out.writeBytes(b);
        return this;
    }

    PickleBuilder integer(long v) {
        op('J');
        le32((int) v);
        return this;
    }

    PickleBuilder global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleBuilder ints(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    /**
     * Pushes {@code _rebuild_tensor_v2(storage(key), offset, size, stride, False, OrderedDict())}
     * exactly as torch.save does.
     */
    PickleBuilder tensor(String storageClass, String key, long storageNumel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage").global("torch", storageClass).str(key).str("cpu").integer(storageNumel).op('t');
        op('Q'); // BINPERSID
        integer(offset);
        ints(size);
        ints(stride);
        op(0x89); // NEWFALSE
        global("collections", "OrderedDict").op(')').op('R');
        op('t').op('R');
        return this;
    }

    private void le32(int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Writes a torch-style zip: {@code archive/data.pkl}, {@code archive/data/<key>}, plus {@code extra} entries. */
    static Path zip(Path file, byte[] pickle, Map<String, byte[]> storages, Map<String, byte[]> extra)
            throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, "archive/data.pkl", pickle);
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                put(zip, "archive/data/" + e.getKey(), e.getValue());
            }
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                put(zip, "archive/" + e.getKey(), e.getValue());
            }
            put(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
