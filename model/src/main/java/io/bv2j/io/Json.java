package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict RFC 8259 JSON: a parser for untrusted text (config files, safetensors headers) and a
 * writer for metadata and reports.
 *
 * <p>Parsed values are {@code Map<String,Object>} (a {@link LinkedHashMap} in document order;
 * duplicate keys are rejected because which one "wins" differs between parsers), {@code List<Object>},
 * {@code String}, {@code Long} (an integer literal without fraction or exponent that fits in a
 * long), {@code Double} (every other number), {@code Boolean}, or {@code null}.
 *
 * <p>The parser is recursive descent with a nesting limit so hostile input cannot overflow the
 * stack, and a length limit so it cannot be made to build enormous trees.
 */
public final class Json {

    /** Deeper nesting than this never occurs in a real config or header. */
    public static final int MAX_DEPTH = 256;
    /** Largest text {@link #parse(String)} accepts, in chars. */
    public static final int MAX_LENGTH = 64 << 20;

    private Json() {
    }

    /** Parses {@code text}; errors read "invalid JSON at line:column: problem". */
    public static Object parse(String text) {
        return parse(text, null, MAX_LENGTH);
    }

    /** Parses {@code text}; errors are prefixed with {@code sourceName} (usually a file name). */
    public static Object parse(String text, String sourceName) {
        return parse(text, sourceName, MAX_LENGTH);
    }

    /** As {@link #parse(String, String)} with a caller-chosen length limit (safetensors allows 100 MiB headers). */
    static Object parse(String text, String sourceName, int maxLength) {
        String prefix = sourceName == null ? "" : sourceName + ": ";
        if (text.length() > maxLength) {
            throw new Bv2jException(prefix + "JSON text is " + text.length() + " chars long, more than the "
                    + maxLength + " allowed");
        }
        return new Parser(text, prefix).parseDocument();
    }

    // ---------------------------------------------------------------- typed accessors

    /** {@code value} as a JSON object; {@code what} names it in the error ("config.json: model"). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> obj(Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new Bv2jException(what + " must be an object, not " + describe(value));
    }

    /** {@code value} as a JSON array. */
    @SuppressWarnings("unchecked")
    public static List<Object> arr(Object value, String what) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new Bv2jException(what + " must be an array, not " + describe(value));
    }

    /** {@code value} as a string. */
    public static String str(Object value, String what) {
        if (value instanceof String s) {
            return s;
        }
        throw new Bv2jException(what + " must be a string, not " + describe(value));
    }

    /** {@code value} as a number (an integer literal is accepted where a real is expected). */
    public static double num(Object value, String what) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Long l) {
            return l;
        }
        throw new Bv2jException(what + " must be a number, not " + describe(value));
    }

    /** {@code value} as an integer; a literal with a fraction or exponent is refused. */
    public static long integer(Object value, String what) {
        if (value instanceof Long l) {
            return l;
        }
        throw new Bv2jException(what + " must be an integer, not " + describe(value));
    }

    /** {@code value} as an integer that fits in an int. */
    public static int int32(Object value, String what) {
        long v = integer(value, what);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new Bv2jException(what + " = " + v + " is out of range");
        }
        return (int) v;
    }

    /** {@code value} as a boolean. */
    public static boolean bool(Object value, String what) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new Bv2jException(what + " must be true or false, not " + describe(value));
    }

    /** A short description of a parsed value's JSON type, for error messages. */
    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> _ -> "an object";
            case List<?> _ -> "an array";
            case String s -> "the string \"" + abbreviate(s) + "\"";
            case Boolean b -> b.toString();
            case Long l -> "the integer " + l;
            case Double d -> "the number " + d;
            default -> value.getClass().getSimpleName();
        };
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...";
    }

    // ---------------------------------------------------------------- writer

    /**
     * Writes {@code value} as indented JSON (two spaces, like Python's {@code json.dumps(indent=2)}).
     * Accepts what {@link #parse} produces plus any {@link Number} of a boxed primitive type and any
     * {@link Collection}.
     *
     * @throws IllegalArgumentException for a value JSON cannot represent (a programming error):
     *     NaN or infinity, a non-string map key, an unsupported type
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        writeValue(sb, value, 0, true);
        return sb.toString();
    }

    /** As {@link #write} without any whitespace (for safetensors headers). */
    public static String writeCompact(Object value) {
        StringBuilder sb = new StringBuilder();
        writeValue(sb, value, 0, false);
        return sb.toString();
    }

    private static void writeValue(StringBuilder sb, Object value, int indent, boolean pretty) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> writeString(sb, s);
            case Boolean b -> sb.append(b);
            case Long l -> sb.append(l);
            case Integer i -> sb.append(i);
            case Short s -> sb.append(s);
            case Byte b -> sb.append(b);
            case Double d -> writeReal(sb, d);
            case Float f -> writeReal(sb, f);
            case Map<?, ?> m -> writeObject(sb, m, indent, pretty);
            case Collection<?> c -> writeArray(sb, c, indent, pretty);
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeReal(StringBuilder sb, double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no representation for " + d);
        }
        sb.append(d);
    }

    private static void writeReal(StringBuilder sb, float f) {
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("JSON has no representation for " + f);
        }
        // Float.toString gives the shortest decimal that round-trips the float, not the double.
        sb.append(f);
    }

    private static void writeObject(StringBuilder sb, Map<?, ?> m, int indent, boolean pretty) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys must be strings, not " + e.getKey());
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline(sb, indent + 1, pretty);
            writeString(sb, key);
            sb.append(pretty ? ": " : ":");
            writeValue(sb, e.getValue(), indent + 1, pretty);
        }
        newline(sb, indent, pretty);
        sb.append('}');
    }

    private static void writeArray(StringBuilder sb, Collection<?> c, int indent, boolean pretty) {
        if (c.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        for (Object item : c) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline(sb, indent + 1, pretty);
            writeValue(sb, item, indent + 1, pretty);
        }
        newline(sb, indent, pretty);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, int indent, boolean pretty) {
        if (pretty) {
            sb.append('\n').repeat("  ", indent);
        }
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    // Control chars must be escaped; U+2028/2029 too, so the output is also valid JavaScript.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ---------------------------------------------------------------- parser

    private static final class Parser {
        private final String text;
        private final String prefix;
        private int pos;
        private int depth;

        Parser(String text, String prefix) {
            this.text = text;
            this.prefix = prefix;
        }

        Object parseDocument() {
            // A UTF-8 byte order mark is tolerated (RFC 8259 section 8.1 allows ignoring it).
            if (text.startsWith("\uFEFF")) {
                pos = 1;
            }
            skipWhitespace();
            Object value = parseValue();
            skipWhitespace();
            if (pos < text.length()) {
                throw error("unexpected " + quoteChar(text.charAt(pos)) + " after the end of the document");
            }
            return value;
        }

        private Object parseValue() {
            if (pos >= text.length()) {
                throw error("unexpected end of text, expected a value");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> parseObject();
                case '[' -> parseArray();
                case '"' -> parseString();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield parseNumber();
                    }
                    throw error("unexpected " + quoteChar(c) + ", expected a value");
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("invalid literal, expected " + word);
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> parseObject() {
            enter();
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                depth--;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a string key");
                }
                int keyStart = pos;
                String key = parseString();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object value = parseValue();
                if (map.containsKey(key)) {
                    pos = keyStart;
                    throw error("duplicate key \"" + abbreviate(key) + "\"");
                }
                map.put(key, value);
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    depth--;
                    return map;
                } else {
                    throw error("expected ',' or '}' in an object");
                }
            }
        }

        private List<Object> parseArray() {
            enter();
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                depth--;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(parseValue());
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ']') {
                    pos++;
                    depth--;
                    return list;
                } else {
                    throw error("expected ',' or ']' in an array");
                }
            }
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels");
            }
        }

        private String parseString() {
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("unescaped control character " + quoteChar(c) + " in a string");
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                if (pos + 1 >= text.length()) {
                    throw error("unterminated string");
                }
                char e = text.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> sb.append(parseHex4());
                    default -> {
                        pos -= 2;
                        throw error("invalid escape \\" + e);
                    }
                }
            }
        }

        private char parseHex4() {
            if (pos + 4 > text.length()) {
                throw error("truncated \\u escape");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(text.charAt(pos + i), 16);
                if (d < 0) {
                    throw error("invalid \\u escape");
                }
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        private Object parseNumber() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (isDigit(peek())) {
                skipDigits();
            } else {
                throw error("invalid number");
            }
            boolean integral = true;
            if (peek() == '.') {
                integral = false;
                pos++;
                if (!isDigit(peek())) {
                    throw error("invalid number: expected a digit after '.'");
                }
                skipDigits();
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw error("invalid number: expected a digit in the exponent");
                }
                skipDigits();
            }
            String literal = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException tooBig) {
                    // Falls through: an integer beyond the long range is kept as a double.
                }
            }
            double d = Double.parseDouble(literal);
            if (Double.isInfinite(d)) {
                pos = start;
                throw error("number " + abbreviate(literal) + " is out of range");
            }
            return d;
        }

        private void skipDigits() {
            while (isDigit(peek())) {
                pos++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        /** The current char, or NUL at the end (NUL can never be valid there anyway). */
        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private static String quoteChar(char c) {
            return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
        }

        private Bv2jException error(String problem) {
            int line = 1;
            int lineStart = 0;
            int end = Math.min(pos, text.length());
            for (int i = 0; i < end; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return new Bv2jException(prefix + "invalid JSON at " + line + ":" + (end - lineStart + 1) + ": " + problem);
        }
    }
}
