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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * NumPy's .npy format (versions 1.0, 2.0 and 3.0): a magic string, a header that is a Python dict
 * literal {'descr': ..., 'fortran_order': ..., 'shape': (...)}, then the raw array data.
 *
 * <p>The header is parsed by a tiny dedicated parser that knows only strings, booleans, integers
 * and tuples (NumPy itself uses {@code ast.literal_eval}; nothing is ever evaluated here).
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Real headers are about 100 bytes; NumPy caps version-1 headers at 64 KiB. */
    private static final int MAX_HEADER_BYTES = 1 << 20;
    /** NumPy aligns the data start to this many bytes. */
    private static final int ALIGNMENT = 64;

    private Npy() {
    }

    /** Reads the header of {@code path}; the array data is read when the tensor's data is asked for. */
    public static RawTensor read(Path path) {
        long fileSize = InputFiles.size(path);
        int version;
        String header;
        long dataStart;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (fileSize < 10) {
                throw notNpy(path);
            }
            ByteBuffer pre = InputFiles.readFully(ch, 0, 8);
            byte[] magic = new byte[6];
            pre.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw notNpy(path);
            }
            version = pre.get() & 0xFF;
            if (version < 1 || version > 3) {
                throw new Bv2jException(path + ": .npy format version " + version + " is not supported (1, 2 or 3)");
            }
            int lengthBytes = version == 1 ? 2 : 4;
            ByteBuffer lengthField = InputFiles.readFully(ch, 8, lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = version == 1 ? lengthField.getShort() & 0xFFFF : lengthField.getInt() & 0xFFFFFFFFL;
            dataStart = 8 + lengthBytes + headerLength;
            if (headerLength > MAX_HEADER_BYTES || dataStart > fileSize) {
                throw new Bv2jException(path + ": .npy header length " + headerLength + " does not fit the "
                        + fileSize + "-byte file");
            }
            byte[] raw = InputFiles.readFully(ch, 8 + lengthBytes, (int) headerLength).array();
            // Versions 1 and 2 store the header in latin-1, version 3 in UTF-8.
            header = version == 3 ? InputFiles.decodeUtf8(raw, path + " header")
                    : new String(raw, StandardCharsets.ISO_8859_1);
        } catch (EOFException e) {
            throw new Bv2jException(path + ": file is shorter than its size on disk said", e);
        } catch (IOException e) {
            throw new Bv2jException(path + ": cannot read (" + AtomicFile.oneLine(e) + ")", e);
        }
        Map<String, Object> dict = new HeaderParser(header, path + ": .npy header").parseDict();
        if (!dict.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
            throw new Bv2jException(path + ": .npy header must have exactly the keys descr, fortran_order and "
                    + "shape, found " + dict.keySet());
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new Bv2jException(path + ": .npy descr must be a string (structured arrays are not supported)");
        }
        DType dtype = DType.fromNumpyDescr(descr).orElseThrow(() -> new Bv2jException(path + ": .npy dtype '"
                + descr + "' is not supported (use little-endian f8, f4, f2, i8, i4, i2, i1, u1 or b1)"));
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new Bv2jException(path + ": .npy fortran_order must be True or False");
        }
        if (fortran) {
            throw new Bv2jException(path + ": Fortran-ordered arrays are not supported; save a C-ordered copy "
                    + "(numpy.ascontiguousarray)");
        }
        if (!(dict.get("shape") instanceof List<?> dims)) {
            throw new Bv2jException(path + ": .npy shape must be a tuple");
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (Long) dims.get(i); // the parser yields only non-negative Longs inside tuples
        }
        long dataLength = fileSize - dataStart;
        String label = path.toString();
        long start = dataStart;
        RawTensor tensor = RawTensor.lazy(label, dtype, shape,
                () -> InputFiles.readRange(path, fileSize, start, (int) dataLength));
        if (tensor.byteSize() != dataLength) {
            throw new Bv2jException(path + ": shape " + Arrays.toString(shape) + " of " + descr + " needs "
                    + tensor.byteSize() + " data bytes but the file has " + dataLength);
        }
        return tensor;
    }

    /** Writes {@code tensor} as a version 1.0 .npy file, atomically. */
    public static void write(Path path, RawTensor tensor) {
        String descr = tensor.dtype().numpyDescr().orElseThrow(() -> new Bv2jException(
                path + ": cannot save a " + tensor.dtype() + " tensor as .npy (NumPy has no such dtype)"));
        long[] shape = tensor.shape();
        // NumPy's own spelling: a 1-tuple keeps its trailing comma, other tuples do not.
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ")) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        byte[] header = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        if (header.length > 0xFFFF) {
            throw new Bv2jException(path + ": a " + shape.length + "-dimensional shape does not fit a .npy header");
        }
        AtomicFile.write(path, out -> {
            out.write(MAGIC);
            out.write(new byte[] {1, 0, (byte) header.length, (byte) (header.length >>> 8)});
            out.write(header);
            out.write(tensor.toBytes());
        });
    }

    private static Bv2jException notNpy(Path path) {
        return new Bv2jException(path + ": not a .npy file (no \\x93NUMPY magic)");
    }

    /** Parses the header's dict literal: string keys, values that are strings, booleans or int tuples. */
    private static final class HeaderParser {
        private final String text;
        private final String what;
        private int pos;

        HeaderParser(String text, String what) {
            this.text = text;
            this.what = what;
        }

        Map<String, Object> parseDict() {
            Map<String, Object> dict = new LinkedHashMap<>();
            skipSpace();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = parseString();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = parseValue();
                if (dict.put(key, value) != null) {
                    throw error("duplicate key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected text after the dict");
            }
            return dict;
        }

        private Object parseValue() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return parseString();
            }
            if (c == '(') {
                return parseTuple();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("expected a string, True, False or a tuple");
        }

        private List<Object> parseTuple() {
            expect('(');
            List<Object> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    return items;
                }
                items.add(parseDimension());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in the shape");
                }
            }
        }

        private Long parseDimension() {
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 0x80) {
                pos++;
            }
            if (pos == start || pos - start > 18) {
                throw error("expected a dimension (a non-negative integer)");
            }
            long v = Long.parseLong(text, start, pos, 10);
            if (peek() == 'L') {
                pos++; // Python 2 long suffix, still found in old files
            }
            return v;
        }

        private String parseString() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String s = text.substring(pos + 1, end);
            if (s.indexOf('\\') >= 0) {
                throw error("escapes are not expected in a .npy header");
            }
            pos = end + 1;
            return s;
        }

        private void skipSpace() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\n'
                    || text.charAt(pos) == '\t' || text.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private Bv2jException error(String problem) {
            return new Bv2jException(what + " is malformed at char " + pos + ": " + problem);
        }
    }
}
