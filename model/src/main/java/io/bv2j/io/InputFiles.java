package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Size-checked reading of whole small files (configs, headers) with one-line error messages. */
final class InputFiles {

    private InputFiles() {
    }

    /** The size of a regular file, or a Bv2jException saying why it cannot be read. */
    static long size(Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new Bv2jException(path + ": is a folder, expected a file");
            }
            return Files.size(path);
        } catch (NoSuchFileException e) {
            throw new Bv2jException(path + ": no such file", e);
        } catch (IOException e) {
            throw new Bv2jException(path + ": cannot read (" + AtomicFile.oneLine(e) + ")", e);
        }
    }

    /** The whole file, refusing files over {@code maxBytes} before reading anything. */
    static byte[] readAll(Path path, long maxBytes) {
        long size = size(path);
        if (size > maxBytes) {
            throw new Bv2jException(path + ": file is " + size + " bytes, more than the " + maxBytes + " allowed");
        }
        try (InputStream in = Files.newInputStream(path)) {
            // Read at most the limit even if the file grew after the size check.
            return in.readNBytes((int) Math.min(maxBytes, RawTensor.MAX_BYTES));
        } catch (IOException e) {
            throw new Bv2jException(path + ": cannot read (" + AtomicFile.oneLine(e) + ")", e);
        }
    }

    /** The whole file as strict UTF-8 text (malformed bytes are an error, not U+FFFD). */
    static String readUtf8(Path path, long maxBytes) {
        return decodeUtf8(readAll(path, maxBytes), path.toString());
    }

    static String decodeUtf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Bv2jException(what + ": text is not valid UTF-8", e);
        }
    }

    /**
     * {@code length} bytes at {@code position}, opening the file just for this read so lazily read
     * tensors hold no file handles. {@code expectedFileSize} is the size seen when the header was
     * validated; a different size means the file was replaced and the header no longer applies.
     */
    static ByteBuffer readRange(Path path, long expectedFileSize, long position, int length) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() != expectedFileSize) {
                throw new Bv2jException(path + ": file changed size since its header was read");
            }
            return readFully(ch, position, length);
        } catch (NoSuchFileException e) {
            throw new Bv2jException(path + ": file disappeared since its header was read", e);
        } catch (EOFException e) {
            throw new Bv2jException(path + ": file shrank since its header was read", e);
        } catch (IOException e) {
            throw new Bv2jException(path + ": cannot read tensor data (" + AtomicFile.oneLine(e) + ")", e);
        }
    }

    /** Exactly {@code length} bytes at {@code position}, flipped for reading. */
    static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new EOFException();
            }
        }
        return b.flip();
    }
}
