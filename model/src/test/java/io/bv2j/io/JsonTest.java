package io.bv2j.io;

import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void parsesEveryValueType() {
        Object v = Json.parse(" {\"a\": [1, -2.5, 1e3, true, false, null, \"x\"], \"b\": {}} ");
        Map<String, Object> m = Json.obj(v, "doc");
        List<Object> a = Json.arr(m.get("a"), "a");
        assertEquals(1L, a.get(0));
        assertEquals(-2.5, a.get(1));
        assertEquals(1000.0, a.get(2));
        assertEquals(Boolean.TRUE, a.get(3));
        assertEquals(Boolean.FALSE, a.get(4));
        assertNull(a.get(5));
        assertEquals("x", a.get(6));
        assertEquals(Map.of(), m.get("b"));
        assertEquals(LinkedHashMap.class, m.getClass());
    }

    @Test
    void integersStayLongUnlessTheyDoNotFit() {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9223372036854775808.0, Json.parse("9223372036854775808"));
        assertEquals(1.0, Json.parse("1.0"));
        assertEquals(-0.0, Json.parse("-0.0"));
    }

    @Test
    void keepsDocumentOrder() {
        Map<String, Object> m = Json.obj(Json.parse("{\"z\":1,\"a\":2,\"m\":3}"), "doc");
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(m.keySet()));
    }

    @Test
    void decodesEscapes() {
        assertEquals("a\"b\\c/d\b\f\n\r\t\u00e9\uD83D\uDE00",
                Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
    }

    @Test
    void rejectsDuplicateKeysWithPosition() {
        Bv2jException e = assertThrows(Bv2jException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"a\": 2}", "x.json"));
        assertEquals("x.json: invalid JSON at 3:3: duplicate key \"a\"", e.getMessage());
    }

    @Test
    void rejectsInvalidSyntax() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "-", "1e", "NaN",
                "Infinity", "'a'", "\"a", "\"\\x\"", "\"\\u12\"", "tru", "nul", "[1 2]", "{\"a\" 1}", "{1:2}",
                "\"a\tb\"", "1 2", "[] x", "1e999"}) {
            Bv2jException e = assertThrows(Bv2jException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid JSON at "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void reportsLineAndColumn() {
        Bv2jException e = assertThrows(Bv2jException.class, () -> Json.parse("{\n\"a\": [1,\n  2 x]}"));
        assertEquals("invalid JSON at 3:5: unexpected character ('x' (code 120)): was expecting comma to separate Array entries",
                e.getMessage());
    }

    @Test
    void limitsNesting() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        Bv2jException e = assertThrows(Bv2jException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than 256"), e.getMessage());
        // Far deeper input must still fail cleanly, not with a StackOverflowError.
        assertThrows(Bv2jException.class, () -> Json.parse("[".repeat(1_000_000)));
    }

    @Test
    void limitsLength() {
        String big = " ".repeat(Json.MAX_LENGTH) + "1";
        Bv2jException e = assertThrows(Bv2jException.class, () -> Json.parse(big, "big.json"));
        assertTrue(e.getMessage().startsWith("big.json: JSON text is "), e.getMessage());
    }

    @Test
    void toleratesByteOrderMark() {
        assertEquals(1L, Json.parse("\uFEFF1"));
    }

    @Test
    void typedAccessorsNameTheValue() {
        Bv2jException e = assertThrows(Bv2jException.class, () -> Json.integer("32", "config.json: model.n"));
        assertEquals("config.json: model.n must be an integer, not the string \"32\"", e.getMessage());
        assertThrows(Bv2jException.class, () -> Json.integer(1.5, "x"));
        assertEquals(3.0, Json.num(3L, "x"));
        assertThrows(Bv2jException.class, () -> Json.int32(1L << 40, "x"));
        assertThrows(Bv2jException.class, () -> Json.obj(List.of(), "x"));
        assertThrows(Bv2jException.class, () -> Json.arr(Map.of(), "x"));
        assertThrows(Bv2jException.class, () -> Json.str(null, "x"));
        assertThrows(Bv2jException.class, () -> Json.bool("true", "x"));
    }

    @Test
    void writesAndReparses() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("s", "quote\" backslash\\ newline\n tab\t ctrl\u0001 sep\u2028 é");
        doc.put("i", 42);
        doc.put("l", -7L);
        doc.put("d", 1e-9);
        doc.put("f", 0.1f);
        doc.put("b", true);
        doc.put("n", null);
        doc.put("list", List.of(1L, List.of(), Map.of()));
        doc.put("empty", new LinkedHashMap<>());
        String pretty = Json.write(doc);
        assertTrue(pretty.contains("\n  \"i\": 42"), pretty);
        Map<String, Object> back = Json.obj(Json.parse(pretty), "back");
        assertEquals(doc.get("s"), back.get("s"));
        assertEquals(42L, back.get("i"));
        assertEquals(1e-9, back.get("d"));
        assertEquals(0.1, back.get("f")); // a float is written as its shortest decimal
        assertTrue(back.containsKey("n"));
        assertEquals(List.of(1L, List.of(), Map.of()), back.get("list"));
        String compact = Json.writeCompact(doc);
        assertFalse(compact.contains("\n"));
        assertEquals(back, Json.parse(compact));
    }

    @Test
    void writerRejectsWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void messagesCarryNoJacksonInternals() {
        for (String bad : new String[] {"{", "[1}", "// c\n1", "NaN", "+1", "-", "[" + "1".repeat(1001) + "]"}) {
            String m = assertThrows(Bv2jException.class, () -> Json.parse(bad, "f.json"), bad).getMessage();
            assertTrue(m.startsWith("f.json: invalid JSON at "), m);
            for (String internal : new String[] {"Source", "REDACTED", "`", "enable", "Feature", "\n"}) {
                assertFalse(m.contains(internal), m);
            }
        }
        assertEquals("invalid JSON at 1:5: unexpected close marker '}': expected ']' (for Array starting at 1:1)",
                assertThrows(Bv2jException.class, () -> Json.parse("[1,2}")).getMessage());
    }

    @Test
    void limitsNestingOfObjects() {
        String deep = "{\"a\":".repeat(Json.MAX_DEPTH + 1) + "1" + "}".repeat(Json.MAX_DEPTH + 1);
        Bv2jException e = assertThrows(Bv2jException.class, () -> Json.parse(deep));
        // Jackson points at the key whose value opens level 257 (the old parser pointed at its brace).
        assertEquals("invalid JSON at 1:" + (5 * Json.MAX_DEPTH - 3) + ": nesting deeper than 256 levels", e.getMessage());
    }

    @Test
    void limitsLengthBeforeParsing() {
        // Not valid JSON at all: the length alone is refused, so no parse error can come first.
        String big = "x".repeat(Json.MAX_LENGTH + 1);
        Bv2jException e = assertThrows(Bv2jException.class, () -> Json.parse(big, "big.json"));
        assertEquals("big.json: JSON text is 67108865 chars long, more than the 67108864 allowed", e.getMessage());
        assertThrows(Bv2jException.class, () -> Json.parse("[1]", "h", 2));
        assertEquals(List.of(1L), Json.parse("[1]", "h", 3));
    }

    @Test
    void hugeNumbers() {
        assertEquals(1e300, Json.parse("1" + "0".repeat(300)));
        Bv2jException e = assertThrows(Bv2jException.class, () -> Json.parse("[1" + "0".repeat(400) + "]"));
        assertTrue(e.getMessage().startsWith("invalid JSON at 1:2: number 1000"), e.getMessage());
        assertTrue(e.getMessage().endsWith("... is out of range"), e.getMessage());
        // Longer literals than any real number are refused before conversion (BigInteger's is quadratic).
        assertEquals(0.0, Json.parse("0." + "0".repeat(Json.MAX_NUMBER_LENGTH - 3) + "1"));
        e = assertThrows(Bv2jException.class, () -> Json.parse("0." + "0".repeat(Json.MAX_NUMBER_LENGTH) + "1"));
        // Jackson counts up to the first char beyond the limit, not the whole literal.
        assertEquals("invalid JSON at 1:1: number value length (1001) exceeds the maximum allowed (1000)", e.getMessage());
    }

    @Test
    void duplicateKeysOnlyWithinOneObject() {
        assertEquals(Map.of("a", Map.of("a", 1L)), Json.parse("{\"a\": {\"a\": 1}}"));
        Bv2jException e = assertThrows(Bv2jException.class, () -> Json.parse("[{\"b\": {\"a\": 1, \"a\": 1}}]"));
        assertEquals("invalid JSON at 1:17: duplicate key \"a\"", e.getMessage());
    }

    @Test
    void keepsLoneSurrogatesAsTheyAre() {
        assertEquals("\uD800", Json.parse("\"\\ud800\""));
        assertEquals("x\uDC00", Json.parse("\"x\uDC00\""));
    }

    @Test
    void writesLikePythonJsonDumpsIndent2() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("a", List.of(1, 2.5, List.of(), Map.of()));
        doc.put("b", Map.of("c", "\u0001\u001f\u2028\n\"\\/é"));
        doc.put("d", new LinkedHashMap<>());
        doc.put("e", 1e-9);
        doc.put("f", 0.1f);
        assertEquals("""
                {
                  "a": [
                    1,
                    2.5,
                    [],
                    {}
                  ],
                  "b": {
                    "c": "\\u0001\\u001f\\u2028\\n\\"\\\\/é"
                  },
                  "d": {},
                  "e": 1.0E-9,
                  "f": 0.1
                }""", Json.write(doc));
        assertEquals("{\"a\":[1,2.5,[],{}],\"b\":{\"c\":\"\\u0001\\u001f\\u2028\\n\\\"\\\\/é\"},\"d\":{},\"e\":1.0E-9,\"f\":0.1}",
                Json.writeCompact(doc));
        assertEquals("[]", Json.write(List.of()));
        assertEquals("\"x\"", Json.write("x"));
    }
}
