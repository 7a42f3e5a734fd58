package io.bv2j.text.zh;

import io.bv2j.Bv2jException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pinyin to phones through the reference's opencpop-strict table ({@code ba → b a},
 * {@code a → AA a}), after the reference's fixes to pypinyin's strict finals: with an initial,
 * uei/iou/uen go back to ui/iu/un; without one, i/in/ing/u become yi/yin/ying/wu and any other
 * leading v, i, u is spelled yu, y, w.
 */
final class PhoneTable {

    private static final String RESOURCE = "opencpop-strict.txt";

    /** A syllable's phones and the tone they all carry (0 for punctuation). */
    record Phones(List<String> phones, int tone) {
    }

    private final Map<String, List<String>> table;

    private PhoneTable(Map<String, List<String>> table) {
        this.table = Map.copyOf(table);
    }

    static PhoneTable load() {
        Map<String, List<String>> table = new HashMap<>();
        try (InputStream in = PhoneTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("classpath resource io/bv2j/text/zh/" + RESOURCE + " is missing");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank()) continue;
                String[] fields = line.strip().split("\t");
                if (fields.length != 2) throw new IllegalStateException(RESOURCE + ": malformed line '" + line + "'");
                table.put(fields[0], List.of(fields[1].split(" ")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read io/bv2j/text/zh/" + RESOURCE, e);
        }
        return new PhoneTable(table);
    }

    Phones phones(Syllable syllable) {
        if (syllable.isPunctuation()) return new Phones(List.of(syllable.finalTone3()), 0);
        String fin = syllable.finalTone3();
        int tone = fin.charAt(fin.length() - 1) - '0';
        if (tone < 1 || tone > 5) throw new IllegalStateException("final without a tone digit: '" + fin + "'");
        String pinyin = spelled(syllable.initial(), fin.substring(0, fin.length() - 1));
        List<String> phones = table.get(pinyin);
        if (phones == null) throw new Bv2jException("pinyin '" + pinyin + tone + "' has no phones in the opencpop table");
        return new Phones(phones, tone);
    }

    private static String spelled(String initial, String fin) {
        if (!initial.isEmpty()) {
            return initial + switch (fin) {
                case "uei" -> "ui";
                case "iou" -> "iu";
                case "uen" -> "un";
                default -> fin;
            };
        }
        return switch (fin) {
            case "ing" -> "ying";
            case "i" -> "yi";
            case "in" -> "yin";
            case "u" -> "wu";
            default -> switch (fin.isEmpty() ? ' ' : fin.charAt(0)) {
                case 'v' -> "yu" + fin.substring(1);
                case 'i' -> "y" + fin.substring(1);
                case 'u' -> "w" + fin.substring(1);
                default -> fin;
            };
        };
    }
}
