package io.bv2j.cli;

import io.bv2j.Bv2jException;
import io.bv2j.synth.Synthesizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo voice shipped inside the bv2j jar (trained by bv2j on demo-corpus/, English, speaker
 * "demo"): the voice `bv2j demo` and `bv2j say` use when no model is given. The loader reads
 * files, so the config and weights are copied to a temporary folder that is removed once loaded.
 */
final class BundledVoice {
    static final String SPEAKER = "demo";
    private static final String DIR = "/io/bv2j/cli/demo/";
    private static final String VOICE = "voice.safetensors", CONFIG = "config.json";

    private BundledVoice() {
    }

    static Synthesizer load() throws IOException {
        Path dir = Files.createTempDirectory("bv2j-voice");
        Path config = dir.resolve(CONFIG), voice = dir.resolve(VOICE);
        try {
            Files.write(config, resource(CONFIG));
            Files.write(voice, resource(VOICE));
            return Synthesizer.load(config, voice);
        } finally {
            Files.deleteIfExists(config);
            Files.deleteIfExists(voice);
            Files.deleteIfExists(dir);
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = BundledVoice.class.getResourceAsStream(DIR + name)) {
            if (in == null) throw new Bv2jException("the bundled demo voice is missing " + name + " (rebuild bv2j)");
            return in.readAllBytes();
        }
    }
}
