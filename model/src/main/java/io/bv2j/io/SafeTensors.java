package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping tensor
 * names to {dtype, shape, data_offsets} (plus an optional "__metadata__" object of strings), then
 * the raw little-endian tensor data.
 *
 * <p>Reading validates the whole header against the file size before anything else is touched, and
 * applies the reference implementation's rule that the tensors tile the data section exactly (no
 * gaps, no overlaps). Tensor bytes are read lazily with positional reads; each read opens the file
 * briefly, so a {@code SafeTensors} holds no open resources and needs no closing.
 */
public final class SafeTensors {

    /** The reference implementation's header size limit. */
    static final int MAX_HEADER_BYTES = 100 << 20;
    private static final String METADATA_KEY = "__metadata__";

    private final Path path;
    private final Map<String, RawTensor> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Path path, Map<String, RawTensor> tensors, Map<String, String> metadata) {
        this.path = path;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Tensors in name order. */
    public Map<String, RawTensor> tensors() {
        return tensors;
    }

    /** The "__metadata__" strings; empty when the file has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor called {@code name}. */
    public RawTensor get(String name) {
        RawTensor t = tensors.get(name);
        if (t == null) {
            throw new Bv2jException(path + ": no tensor named '" + name + "' (the file has " + tensors.size()
                    + " tensors)");
        }
        return t;
    }

    // ---------------------------------------------------------------- reading

    /** Reads and validates the header of {@code path}; tensor data stays on disk until asked for. */
    public static SafeTensors read(Path path) {
        long fileSize = InputFiles.size(path);
        if (fileSize < 8) {
            throw new Bv2jException(path + ": only " + fileSize + " bytes, too short for a safetensors file");
        }
        byte[] header;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long headerLength = InputFiles.readFully(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            // Unsigned in the format: a negative long is a length beyond 2^63.
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new Bv2jException(path + ": header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the " + MAX_HEADER_BYTES + "-byte limit (not a safetensors file?)");
            }
            if (headerLength > fileSize - 8) {
                throw new Bv2jException(path + ": header length " + headerLength + " exceeds the file size "
                        + fileSize + " (truncated file?)");
            }
            header = InputFiles.readFully(ch, 8, (int) headerLength).array();
        } catch (EOFException e) {
            throw new Bv2jException(path + ": file is shorter than its size on disk said (being written?)", e);
        } catch (IOException e) {
            throw new Bv2jException(path + ": cannot read (" + AtomicFile.oneLine(e) + ")", e);
        }
        String text = InputFiles.decodeUtf8(header, path + " header");
        if (!text.startsWith("{")) {
            throw new Bv2jException(path + ": header does not start with '{' (not a safetensors file?)");
        }
        Map<String, Object> root = Json.obj(Json.parse(text, path + " header", MAX_HEADER_BYTES), path + " header");
        long dataStart = 8 + header.length;
        return parseHeader(path, root, dataStart, fileSize);
    }

    private static SafeTensors parseHeader(Path path, Map<String, Object> root, long dataStart, long fileSize) {
        long dataLength = fileSize - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, RawTensor> tensors = new TreeMap<>();
        List<long[]> extents = new ArrayList<>();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            String name = e.getKey();
            if (name.equals(METADATA_KEY)) {
                for (Map.Entry<String, Object> m : Json.obj(e.getValue(), path + ": " + METADATA_KEY).entrySet()) {
                    metadata.put(m.getKey(), Json.str(m.getValue(), path + ": " + METADATA_KEY + "." + m.getKey()));
                }
                continue;
            }
            String what = path + ": tensor '" + name + "'";
            Map<String, Object> entry = Json.obj(e.getValue(), what);
            for (String key : entry.keySet()) {
                if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                    throw new Bv2jException(what + " has an unknown field '" + key + "'");
                }
            }
            String dtypeName = Json.str(require(entry, "dtype", what), what + " dtype");
            DType dtype = DType.fromSafetensorsName(dtypeName).orElseThrow(() -> new Bv2jException(
                    what + " has unsupported dtype '" + dtypeName + "' (supported: F64, F32, F16, BF16, I64, I32, "
                            + "I16, I8, U8, BOOL)"));
            List<Object> shapeList = Json.arr(require(entry, "shape", what), what + " shape");
            long[] shape = new long[shapeList.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Json.integer(shapeList.get(i), what + " shape[" + i + "]");
            }
            List<Object> offsets = Json.arr(require(entry, "data_offsets", what), what + " data_offsets");
            if (offsets.size() != 2) {
                throw new Bv2jException(what + " data_offsets must be [begin, end]");
            }
            long begin = Json.integer(offsets.get(0), what + " data_offsets[0]");
            long end = Json.integer(offsets.get(1), what + " data_offsets[1]");
            if (begin < 0 || end < begin || end > dataLength) {
                throw new Bv2jException(what + " data_offsets [" + begin + ", " + end + "] lie outside the "
                        + dataLength + "-byte data section");
            }
            long absolute = dataStart + begin;
            int length = (int) (end - begin); // fits: the tensor's byte size is checked below
            RawTensor tensor = RawTensor.lazy(what, dtype, shape, () -> InputFiles.readRange(path, fileSize, absolute, length));
            if (tensor.byteSize() != end - begin) {
                throw new Bv2jException(what + " has " + (end - begin) + " data bytes but shape "
                        + Arrays.toString(shape) + " of " + dtype + " needs " + tensor.byteSize());
            }
            tensors.put(name, tensor);
            extents.add(new long[] {begin, end});
        }
        checkTiling(path, extents, dataLength);
        return new SafeTensors(path, new LinkedHashMap<>(tensors), metadata);
    }

    private static Object require(Map<String, Object> entry, String key, String what) {
        if (!entry.containsKey(key)) {
            throw new Bv2jException(what + " has no '" + key + "' field");
        }
        return entry.get(key);
    }

    /** Tensors must cover the data section exactly, as the reference implementation requires. */
    private static void checkTiling(Path path, List<long[]> extents, long dataLength) {
        extents.sort(Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1]));
        long expected = 0;
        for (long[] x : extents) {
            if (x[0] != expected) {
                throw new Bv2jException(path + ": tensor data " + (x[0] < expected ? "overlaps" : "has a gap")
                        + " at byte " + Math.min(x[0], expected) + " of the data section");
            }
            expected = x[1];
        }
        if (expected != dataLength) {
            throw new Bv2jException(path + ": " + (dataLength - expected) + " bytes after the last tensor "
                    + "belong to no tensor");
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code tensors} and {@code metadata} (may be empty) to {@code path}, replacing it
     * atomically. Tensors are laid out widest dtype first, then by name, so every tensor starts at a
     * multiple of its element size; the header is padded with spaces to a multiple of 8 bytes.
     */
    public static void write(Path path, Map<String, RawTensor> tensors, Map<String, String> metadata) {
        List<Map.Entry<String, RawTensor>> order = new ArrayList<>(tensors.entrySet());
        order.sort(Comparator.<Map.Entry<String, RawTensor>>comparingInt(e -> -e.getValue().dtype().size())
                .thenComparing(Map.Entry::getKey));
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (m.getKey() == null || m.getValue() == null) {
                    throw new IllegalArgumentException("safetensors metadata keys and values must be non-null");
                }
            }
            header.put(METADATA_KEY, metadata);
        }
        long offset = 0;
        for (Map.Entry<String, RawTensor> e : order) {
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be called " + METADATA_KEY);
            }
            RawTensor t = e.getValue();
            List<Long> shape = new ArrayList<>();
            for (long d : t.shape()) {
                shape.add(d);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", t.dtype().safetensorsName());
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, offset + t.byteSize()));
            header.put(e.getKey(), entry);
            offset += t.byteSize();
        }
        byte[] json = Json.writeCompact(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        AtomicFile.write(path, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            for (Map.Entry<String, RawTensor> e : order) {
                out.write(e.getValue().toBytes());
            }
        });
    }
}
