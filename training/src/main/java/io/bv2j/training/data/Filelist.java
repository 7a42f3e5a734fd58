package io.bv2j.training.data;

import io.bv2j.Bv2jException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Bert-VITS2 filelist: one utterance per line, {@code wav_path|speaker|language|text|phones|tones|word2ph},
 * where phones, tones and word2ph are space-separated (the "cleaned" form that the reference's
 * preprocess_text.py writes and data_utils.py reads).
 *
 * <p>Like the reference's {@code load_filepaths_and_text}, every line is stripped of surrounding
 * white space and split on '|'. Unlike the reference, which crashes on them, blank lines are
 * skipped; a line without exactly seven fields is reported, not fatal.
 */
public final class Filelist {

    /** The seven fields of one line, as written (no parsing beyond the split). */
    public record Line(int number, String wav, String speaker, String language, String text, String phones,
            String tones, String word2ph) {
    }

    private static final int FIELDS = 7;

    private Filelist() {
    }

    /**
     * Reads {@code filelist} (UTF-8), reporting malformed lines to {@code problems}.
     *
     * @throws Bv2jException when the file itself cannot be read
     */
    public static List<Line> read(Path filelist, Consumer<Problem> problems) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(filelist);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new Bv2jException(filelist + ": no such filelist", e);
        } catch (CharacterCodingException e) {
            throw new Bv2jException(filelist + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new Bv2jException(filelist + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // a BOM written by some editors
        }
        String name = filelist.getFileName().toString();
        List<Line> lines = new ArrayList<>();
        String[] raw = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String stripped = raw[i].strip();
            if (stripped.isEmpty()) {
                continue;
            }
            String[] f = stripped.split("\\|", -1);
            if (f.length != FIELDS) {
                problems.accept(new Problem(Problem.Severity.ERROR, Problem.Kind.MALFORMED_LINE, name, i + 1,
                        f.length > 0 ? f[0] : null, "expected 7 '|'-separated fields "
                        + "(wav_path|speaker|language|text|phones|tones|word2ph), found " + f.length));
                continue;
            }
            lines.add(new Line(i + 1, f[0], f[1], f[2], f[3], f[4], f[5], f[6]));
        }
        return lines;
    }

    /** Python's {@code s.split(" ")}: empty pieces are kept (two spaces give an empty phone). */
    static String[] splitSpaces(String s) {
        return s.split(" ", -1);
    }

    /**
     * Python's {@code [int(x) for x in s.split(" ")]}; null with {@code what}'s complaint sent to
     * {@code error} when a piece is not an integer.
     */
    static int[] parseInts(String s, String what, Consumer<String> error) {
        String[] parts = splitSpaces(s);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip(); // int() ignores surrounding white space
            try {
                out[i] = Integer.parseInt(p.startsWith("+") ? p.substring(1) : p);
            } catch (NumberFormatException e) {
                error.accept(what + " item " + (i + 1) + " is '" + parts[i] + "', not an integer");
                return null;
            }
        }
        return out;
    }
}
