package io.bv2j.io;

import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFileTest {

    @TempDir
    Path tmp;

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
        Path target = Files.writeString(tmp.resolve("a.bin"), "old");
        assertThrows(Bv2jException.class, () -> AtomicFile.write(target, out -> {
            out.write(1);
            throw new Bv2jException("tensor data unreadable");
        }));
        assertEquals("old", Files.readString(target));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void newFileGetsOrdinaryPermissions() throws IOException {
        Path plain = Files.writeString(tmp.resolve("plain"), "x");
        Path atomic = tmp.resolve("sub/atomic");
        AtomicFile.write(atomic, out -> out.write('x'));
        assertEquals("x", Files.readString(atomic));
        if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        }
    }
}
