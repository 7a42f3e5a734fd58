package io.bv2j.cli;

import io.bv2j.text.TextIds;
import io.bv2j.Bv2jException;
import io.bv2j.io.Wav;
import io.bv2j.synth.Audio;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.text.Symbols;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * bv2j demo: the bundled demo voice, trained by bv2j itself on demo-corpus/ (see the README's
 * "Demo voice" section for how far it has been trained), speaks one of the held-out sentences
 * it never saw in training. The sentences are stored already phonemized (by
 * demo-corpus/phonemize.py), so the demo needs no espeak-ng.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Speak a sentence with the bundled demo voice (trained by bv2j).")
final class DemoCommand implements Callable<Integer> {
    private static final String SENTENCES = "sentences.list", ABOUT = "about.txt";

    @Option(names = "--out", description = "output WAV (default: demo.wav)")
    Path out = Path.of("demo.wav");
    @Option(names = "--sentence", description = "which held-out sentence, 1-10 (default 1)")
    int sentence = 1;
    @Option(names = "--seed", description = "seed of the random draws")
    long seed;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter pw = spec.commandLine().getOut();
        List<String> lines = new String(resource(SENTENCES), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
                .toList();
        if (sentence < 1 || sentence > lines.size()) {
            throw new Bv2jException("--sentence must be between 1 and " + lines.size());
        }
        String[] f = lines.get(sentence - 1).split("\\|", -1);
        if (f.length != 7) throw new Bv2jException("bundled demo sentence " + sentence + " is malformed");
        long t0 = System.nanoTime();
        Audio audio;
        try (Synthesizer synth = BundledVoice.load()) {
            audio = synth.synthesize(utterance(f), SynthesisOptions.defaults().withSeed(seed));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Wav.write(out, audio.samples(), audio.sampleRate(), false);
        pw.printf("\"%s\"%nwrote %s: %.2f s of audio at %d Hz in %.2f s%n", f[3], out, audio.seconds(),
                audio.sampleRate(), seconds);
        pw.println(new String(resource(ABOUT), StandardCharsets.UTF_8).strip());
        return 0;
    }

    /** A filelist line (wav|speaker|language|text|phones|tones|word2ph) as model input, with add_blank. */
    private static Utterance utterance(String[] f) {
        List<String> phones = Arrays.asList(f[4].trim().split(" "));
        int[] tones = Arrays.stream(f[5].trim().split(" ")).mapToInt(Integer::parseInt).toArray();
        TextIds.Sequence s = TextIds.of(phones, tones, f[2], true, Symbols.standard());
        return Utterance.of(f[1], s.phones(), s.tones(), s.languages());
    }

    private static byte[] resource(String name) throws IOException {
        return BundledVoice.resource(name);
    }
}
