package io.bv2j.text;

import io.bv2j.testing.GoldenFiles;
import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SymbolsTest {

    private final Symbols s = Symbols.standard();

    @Test
    void matchesTheReferenceTable() {
        assertSame(s, Symbols.standard());
        assertEquals(112, s.size());
        assertEquals("_", s.pad());
        assertEquals(0, s.id("_"));
        assertEquals("SP", s.symbol(110));
        assertEquals("UNK", s.symbol(111));
        assertEquals(104, s.id("?"));
        assertEquals(105, s.id("…"));
        assertEquals(List.of("!", "?", "…", ",", ".", "'", "-"), s.punctuation());
        for (int i = 0; i < s.size(); i++) {
            assertEquals(i, s.id(s.symbol(i)));
        }
    }

    @Test
    void tonesAndLanguages() {
        assertEquals(11, s.numTones());
        assertEquals(3, s.numLanguages());
        assertEquals(0, s.languageId("ZH"));
        assertEquals(1, s.languageId("JP"));
        assertEquals(2, s.languageId("EN"));
        assertEquals(0, s.toneStart("ZH"));
        assertEquals(6, s.toneStart("JP"));
        assertEquals(7, s.toneStart("EN"));
        Bv2jException e = assertThrows(Bv2jException.class, () -> s.languageId("KO"));
        assertEquals("unknown language 'KO' (known: ZH, JP, EN)", e.getMessage());
    }

    @Test
    void unknownSymbolsAreNamed() {
        assertFalse(s.contains("xx"));
        assertTrue(s.contains("zh"));
        Bv2jException e = assertThrows(Bv2jException.class, () -> s.id("xx"));
        assertTrue(e.getMessage().contains("'xx'"), e.getMessage());
        assertThrows(Bv2jException.class, () -> s.symbol(112));
        assertThrows(Bv2jException.class, () -> s.symbol(-1));
    }

    @Test
    void resourceIsTheReferenceFileVerbatim() throws IOException {
        try (InputStream in = Symbols.class.getResourceAsStream("symbols.json")) {
            assertArrayEquals(Files.readAllBytes(GoldenFiles.shared("reference/symbols.json")), in.readAllBytes());
        }
    }
}
