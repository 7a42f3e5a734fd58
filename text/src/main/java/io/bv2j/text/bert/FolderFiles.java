package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.io.Json;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.Map;

/** Reading the small text files of a BERT folder, every failure one line naming the file. */
final class FolderFiles {
    /** Config and vocabulary files are kilobytes to a few megabytes; anything far larger is not one. */
    private static final long MAX_TEXT_BYTES = 64L << 20;

    private FolderFiles() {
    }

    static String readUtf8(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_TEXT_BYTES) throw new Bv2jException(file + ": " + size + " bytes, too large for a BERT text file");
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Bv2jException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new Bv2jException(file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    /** The file's top-level JSON object. */
    static Map<String, Object> readJsonObject(Path file) {
        return Json.obj(Json.parse(readUtf8(file), file.toString()), file.toString());
    }
}
