package io.bv2j.cli;

import io.bv2j.io.ModelConfig;
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
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * bv2j demo: runs the whole pipeline on an embedded small model. Until bv2j has trained a demo
 * voice (the trainer issue), its weights are seeded random numbers: the output proves the
 * machinery works end to end, it is not speech.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Synthesize a sentence with the small bundled model.")
final class DemoCommand implements Callable<Integer> {
    private static final String CONFIG = "/io/bv2j/cli/demo-config.json";
    /** "hello world" in the reference's English phone set (ARPAbet, lower case). */
    private static final String[] PHONES = {"hh", "ah", "l", "ow", "w", "er", "l", "d"};
    private static final int EN_LANGUAGE = 2, EN_TONE_OFFSET = 7;

    @Option(names = "--out", description = "output WAV (default: demo.wav)")
    Path out = Path.of("demo.wav");
    @Option(names = "--seed", description = "seed of the random draws")
    long seed;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter pw = spec.commandLine().getOut();
        ModelConfig config;
        try (InputStream in = DemoCommand.class.getResourceAsStream(CONFIG)) {
            config = ModelConfig.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "demo-config.json");
        }
        long t0 = System.nanoTime();
        Audio audio;
        try (Synthesizer synth = Synthesizer.random(config, 0)) {
            audio = synth.synthesize(helloWorld(), SynthesisOptions.defaults().withSeed(seed));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Wav.write(out, audio.samples(), audio.sampleRate(), false);
        pw.printf("wrote %s: %.2f s of audio at %d Hz in %.2f s%n", out, audio.seconds(), audio.sampleRate(), seconds);
        pw.println("note: the bundled demo model has untrained (seeded random) weights, so this is noise, not speech;");
        pw.println("      it exercises the full Bert-VITS2 pipeline. Use `bv2j synth` with a trained G_*.pth for a real voice.");
        return 0;
    }

    /** Blanks around and between phones (add_blank), English tones and language ids. */
    private static Utterance helloWorld() {
        Symbols symbols = Symbols.standard();
        List<Integer> phones = new ArrayList<>();
        phones.add(0);
        for (String p : PHONES) {
            phones.add(symbols.id(p));
            phones.add(0);
        }
        int n = phones.size();
        int[] ids = phones.stream().mapToInt(Integer::intValue).toArray();
        int[] tones = new int[n], languages = new int[n];
        for (int i = 0; i < n; i++) {
            boolean blank = i % 2 == 0;
            tones[i] = blank ? 0 : EN_TONE_OFFSET;
            languages[i] = blank ? 0 : EN_LANGUAGE;
        }
        return Utterance.of("demo", ids, tones, languages);
    }
}
