package io.bv2j.text.en;

import io.bv2j.text.Phonemes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo voice was trained on espeak-ng's readings (demo-corpus/phonemize.py); it should hear
 * from EnglishG2p what it was trained on. Phone agreement = 1 - edit distance / espeak's phone
 * count, over whole sentences; tones are compared on the aligned matching phones.
 */
class EspeakAgreementTest {
    private static final EnglishG2p G2P = new EnglishG2p();

    /** The held-out sentences bundled with the demo voice: never trained on, the ones `bv2j demo` says. */
    @Test
    void heldOutSentencesAgreeWithEspeak() throws IOException {
        Path bundled = Path.of("..", "cli", "src", "main", "resources", "io", "bv2j", "cli", "demo", "sentences.list");
        Agreement a = agreement(Files.readAllLines(bundled, StandardCharsets.UTF_8), true);
        System.out.println("held-out (cli demo sentences.list): " + a);
        assertTrue(a.phones() >= 0.95, "phone agreement with espeak on the held-out sentences: " + a);
    }

    /** All 160 demo-corpus sentences (training and held-out), phonemized by espeak-ng 1.51. */
    @Test
    void wholeDemoCorpusAgreesWithEspeak() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("espeak-demo-corpus.list")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
        }
        Agreement a = agreement(lines, false);
        System.out.println("demo corpus (160 sentences): " + a);
        assertTrue(a.phones() >= 0.95, "phone agreement with espeak on the demo corpus: " + a);
        assertTrue(a.tones() >= 0.95, "tone agreement on matching phones: " + a);
    }

    record Agreement(int espeakPhones, int edits, int matched, int sameTone) {
        double phones() {
            return 1 - edits / (double) espeakPhones;
        }

        double tones() {
            return sameTone / (double) matched;
        }

        @Override
        public String toString() {
            return String.format("phones %.1f%% (%d edits over %d espeak phones), tones %.1f%% of %d matching phones",
                    100 * phones(), edits, espeakPhones, 100 * tones(), matched);
        }
    }

    private static Agreement agreement(List<String> lines, boolean verbose) {
        int total = 0, edits = 0, matched = 0, same = 0;
        for (String line : lines) {
            if (line.isBlank()) continue;
            String[] f = line.split("\\|");
            List<String> want = Arrays.asList(f[4].split(" "));
            int[] wantTones = Arrays.stream(f[5].split(" ")).mapToInt(Integer::parseInt).toArray();
            Phonemes got = G2P.phonemize(f[3]);
            int[][] d = distance(want, got.phones());
            int e = d[want.size()][got.phones().size()];
            int[] m = tonesOnMatches(d, want, got.phones(), wantTones, got.tones());
            total += want.size();
            edits += e;
            matched += m[0];
            same += m[1];
            if (verbose || Boolean.getBoolean("bv2j.en.verbose")) {
                System.out.println(f[3] + "\n  espeak " + String.join(" ", want) + "\n  bv2j   " + String.join(" ", got.phones())
                        + "  (" + e + " edits)");
            }
        }
        return new Agreement(total, edits, matched, same);
    }

    /** Levenshtein table over phone names. */
    static int[][] distance(List<String> a, List<String> b) {
        int[][] d = new int[a.size() + 1][b.size() + 1];
        for (int i = 0; i <= a.size(); i++) d[i][0] = i;
        for (int j = 0; j <= b.size(); j++) d[0][j] = j;
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                int sub = d[i - 1][j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
                d[i][j] = Math.min(sub, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
            }
        }
        return d;
    }

    /** Walks one optimal alignment back: [phones matched, of those with the same tone]. */
    private static int[] tonesOnMatches(int[][] d, List<String> a, List<String> b, int[] ta, int[] tb) {
        int i = a.size(), j = b.size(), matched = 0, same = 0;
        while (i > 0 && j > 0) {
            boolean eq = a.get(i - 1).equals(b.get(j - 1));
            if (d[i][j] == d[i - 1][j - 1] + (eq ? 0 : 1)) {
                if (eq) {
                    matched++;
                    if (ta[i - 1] == tb[j - 1]) same++;
                }
                i--;
                j--;
            } else if (d[i][j] == d[i - 1][j] + 1) {
                i--;
            } else {
                j--;
            }
        }
        return new int[]{matched, same};
    }
}
