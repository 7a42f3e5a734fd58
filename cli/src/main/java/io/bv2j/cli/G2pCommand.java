package io.bv2j.cli;

import io.bv2j.text.Phonemes;
import io.bv2j.text.Sentence;
import io.bv2j.text.TextFrontEnd;
import io.bv2j.text.bert.BertFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** bv2j g2p: what the front-end makes of a text, sentence by sentence; needs no voice. */
@Command(name = "g2p", mixinStandardHelpOptions = true,
        description = "Print the phones, tones and word2ph of each sentence of a text (no model needed).")
final class G2pCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TEXT", description = "the text, or - to read it from stdin")
    String text;
    @Option(names = "--language", description = "ZH, JP, EN or auto (by script, per sentence; default ${DEFAULT-VALUE})")
    String language = "auto";
    @Option(names = "--ja-bert", description = "bert-base-japanese-v3 folder: its tokenizer splits Japanese words (word2ph)")
    Path jaBert;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (text.equals("-")) text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        TextFrontEnd frontEnd = new TextFrontEnd(null, jaBert == null ? null : BertFolder.load(jaBert), err::println);
        List<Sentence> sentences = frontEnd.sentences(text, TextFrontEnd.parseLanguage(language));
        for (int i = 0; i < sentences.size(); i++) {
            Sentence s = sentences.get(i);
            Phonemes p = s.phonemes();
            out.printf("sentence %d (%s): %s%n", i + 1, s.language(), s.text());
            out.println("  normalized: " + p.normText());
            out.println("  phones:     " + String.join(" ", p.phones()));
            out.println("  tones:      " + join(p.tones()));
            out.println("  word2ph:    " + join(p.word2ph()));
        }
        return 0;
    }

    private static String join(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }
}
