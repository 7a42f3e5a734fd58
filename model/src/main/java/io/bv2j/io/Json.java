package io.bv2j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.bv2j.Bv2jException;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict RFC 8259 JSON: a parser for untrusted text (config files, safetensors headers) and a
 * writer for metadata and reports, both on Jackson's streaming API.
 *
 * <p>Parsed values are {@code Map<String,Object>} (a {@link LinkedHashMap} in document order;
 * duplicate keys are rejected because which one "wins" differs between parsers), {@code List<Object>},
 * {@code String}, {@code Long} (an integer literal without fraction or exponent that fits in a
 * long), {@code Double} (every other number), {@code Boolean}, or {@code null}.
 *
 * <p>Hostile input is bounded: the text's length is checked before parsing, and Jackson refuses
 * nesting deeper than {@link #MAX_DEPTH} (so building the tree cannot overflow the stack) and
 * number literals longer than {@link #MAX_NUMBER_LENGTH} chars.
 */
public final class Json {

    /** Deeper nesting than this never occurs in a real config or header. */
    public static final int MAX_DEPTH = 256;
    /** Largest text {@link #parse(String)} accepts, in chars. */
    public static final int MAX_LENGTH = 64 << 20;
    /** Jackson's default: no real number needs more digits, and converting longer ones can be slow. */
    static final int MAX_NUMBER_LENGTH = 1000;

    /**
     * Jackson's defaults already refuse everything RFC 8259 does not allow: comments, single
     * quotes, NaN and Infinity, leading zeros or plus signs, trailing commas, unescaped control
     * characters.
     */
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    // Strings and keys are bounded by the text length checked in parse();
                    // Jackson's defaults (20M chars, 50k for keys) would refuse texts we accept.
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            // Keys of untrusted text (a tokenizer's whole vocabulary) have no business in the JVM's string table.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .characterEscapes(new Escapes())
            .build();

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
        // A byte order mark is tolerated (RFC 8259 section 8.1 allows ignoring it); Jackson only skips it in bytes.
        boolean bom = text.startsWith("\uFEFF");
        StringReader reader = new StringReader(text);
        try (JsonParser p = FACTORY.createParser(reader)) {
            if (bom) {
                reader.skip(1);
            }
            try {
                if (p.nextToken() == null) {
                    throw error(prefix, p.currentLocation(), bom, "unexpected end of text, expected a value");
                }
                Object value = readValue(p, prefix, bom);
                if (p.nextToken() != null) {
                    throw error(prefix, p.currentTokenLocation(), bom, "unexpected content after the end of the document");
                }
                return value;
            } catch (StreamConstraintsException e) {
                // Jackson reports a limit without a location; the parser still knows which token broke it.
                throw error(prefix, p.currentTokenLocation(), bom, p.getParsingContext().getNestingDepth() > MAX_DEPTH
                        ? "nesting deeper than " + MAX_DEPTH + " levels" : problem(e));
            } catch (JsonProcessingException e) {
                throw error(prefix, e.getLocation(), bom, problem(e));
            }
        } catch (IOException e) {
            throw new AssertionError("a StringReader does not fail", e);
        }
    }

    /** The value whose first token {@code p} is on. */
    private static Object readValue(JsonParser p, String prefix, boolean bom) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    // Checked here rather than with STRICT_DUPLICATE_DETECTION, which reports the position after the key.
                    if (map.containsKey(key)) {
                        throw error(prefix, p.currentTokenLocation(), bom, "duplicate key \"" + abbreviate(key) + "\"");
                    }
                    p.nextToken();
                    map.put(key, readValue(p, prefix, bom));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p, prefix, bom));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT, LONG -> p.getLongValue();
                // An integer beyond the long range is kept as a double.
                default -> finiteDouble(p, prefix, bom);
            };
            case VALUE_NUMBER_FLOAT -> finiteDouble(p, prefix, bom);
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            // The parser reports every other token (END_ARRAY where a value belongs, ...) itself.
            default -> throw new IllegalStateException("unexpected " + p.currentToken());
        };
    }

    private static double finiteDouble(JsonParser p, String prefix, boolean bom) throws IOException {
        double d = p.getDoubleValue();
        if (Double.isInfinite(d)) {
            throw error(prefix, p.currentTokenLocation(), bom, "number " + abbreviate(p.getText()) + " is out of range");
        }
        return d;
    }

    /**
     * Jackson's message made to read like ours: lower case, one location style, and without its
     * advice to Java programmers (which feature would allow the input).
     */
    private static String problem(JsonProcessingException e) {
        String m = e.getOriginalMessage()
                .replaceAll("\\[Source: .*?; line: (\\d+), column: (\\d+)]", "$1:$2")
                .replaceAll(": enable `[^`]*` to allow| \\(not recognized as one since Feature '\\w+' not enabled for parser\\)"
                        + "|, from `[^`]*`", "")
                .replaceAll("end-of-input(?=\\p{Alpha})", "end-of-input: ");
        return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static Bv2jException error(String prefix, JsonLocation at, boolean bom, String problem) {
        // Columns count the byte order mark the reader skipped, as an editor shows it.
        int column = at.getColumnNr() + (bom && at.getLineNr() == 1 ? 1 : 0);
        return new Bv2jException(prefix + "invalid JSON at " + at.getLineNr() + ":" + column + ": " + problem);
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

    /** s on one line (control characters as ?), cut to 40 characters: for quoting untrusted text in messages. */
    public static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...";
    }

    // ---------------------------------------------------------------- writer

    /** Python's {@code json.dumps(indent=2)} layout: {@code "key": value}, one entry a line, {@code {}} and {@code []} when empty. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    /**
     * Writes {@code value} as indented JSON (two spaces, like Python's {@code json.dumps(indent=2)}).
     * Accepts what {@link #parse} produces plus any {@link Number} of a boxed primitive type and any
     * {@link Collection}.
     *
     * @throws IllegalArgumentException for a value JSON cannot represent (a programming error):
     *     NaN or infinity, a non-string map key, an unsupported type
     */
    public static String write(Object value) {
        return write(value, true);
    }

    /** As {@link #write} without any whitespace (for safetensors headers). */
    public static String writeCompact(Object value) {
        return write(value, false);
    }

    private static String write(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(PRETTY.createInstance());
            }
            writeValue(g, value);
        } catch (IOException e) {
            // A StringWriter never fails: only Jackson's own limits (nesting depth) get here.
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case Short s -> g.writeNumber(s);
            case Byte b -> g.writeNumber(b);
            case Double d -> g.writeNumber(finite(d));
            // As Float.toString: the shortest decimal that round-trips the float, not the double.
            case Float f -> g.writeNumber((float) finite(f));
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException("JSON object keys must be strings, not " + e.getKey());
                    }
                    g.writeFieldName(key);
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> c -> {
                g.writeStartArray();
                for (Object item : c) {
                    writeValue(g, item);
                }
                g.writeEndArray();
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    /** Refuses NaN and infinities, which Jackson would write as strings. */
    private static double finite(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no representation for " + d);
        }
        return d;
    }

    /**
     * Control characters as Python writes them (lower-case hex), and U+2028/2029 escaped too, so
     * the output is also valid JavaScript.
     */
    private static final class Escapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        Escapes() {
            // Those without a short form (\n, \t, ...), which Jackson would write with upper-case hex.
            for (int c = 0; c < 0x20; c++) {
                if (ascii[c] == ESCAPE_STANDARD) {
                    ascii[c] = ESCAPE_CUSTOM;
                }
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch < 0x20 || ch == 0x2028 || ch == 0x2029 ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
