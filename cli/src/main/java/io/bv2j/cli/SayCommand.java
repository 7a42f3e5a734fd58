package io.bv2j.cli;

import io.bv2j.Bv2jException;
import io.bv2j.io.Pcm;
import io.bv2j.io.Wav;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.synth.Audio;
import io.bv2j.synth.SayOptions;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** bv2j say: text in, speech out (a WAV file, or a stream on stdout). */
@Command(name = "say", mixinStandardHelpOptions = true,
        description = "Speak text (split into sentences; see README: say). Default voice: the bundled English demo voice.")
final class SayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TEXT", description = "the text, or - to read it from stdin")
    String text;
    @Option(names = "--language", description = "ZH, JP, EN or auto (by script, per sentence; default ${DEFAULT-VALUE})")
    String language = "auto";
    @Option(names = "--speaker", description = "speaker name (config spk2id) or id (default: demo for the bundled voice, else 0)")
    String speaker;
    @Option(names = "--bert", description = "chinese-roberta-wwm-ext-large folder: BERT features for Chinese")
    Path bert;
    @Option(names = "--ja-bert", description = "bert-base-japanese-v3 folder: BERT features and tokens for Japanese")
    Path jaBert;
    @Option(names = "--config", description = "config.json of the voice (with --model)")
    Path config;
    @Option(names = "--model", description = "G_*.pth or voice .safetensors (with --config)")
    Path model;
    @Option(names = "--pause", description = "seconds of silence between sentences (default ${DEFAULT-VALUE})")
    double pause = SayOptions.DEFAULT_PAUSE_SECONDS;
    @Option(names = "--seed", description = "seed of the random draws (default 0)")
    long seed;
    @Option(names = "--length-scale", description = "speaking time scale, >1 slower (default 1)")
    Float lengthScale;
    @Option(names = "--out", description = "the WAV file to write (not with --stream)")
    Path out;
    @Option(names = "--stream", description = "write the audio to stdout as it is made, sentence by sentence and "
            + "chunk by chunk (--format)")
    boolean stream;
    @Option(names = "--format", description = "with --stream: wav (a WAV header whose sizes are 0xFFFFFFFF, then "
            + "samples) or pcm (raw samples); mono, 16-bit little-endian (32-bit float with --float); default ${DEFAULT-VALUE}")
    String format = "wav";
    @Option(names = "--float", description = "32-bit float samples instead of 16-bit PCM")
    boolean floatSamples;
    @Option(names = "--chunk-frames", description = "latent frames per streamed chunk (default ${DEFAULT-VALUE})")
    int chunkFrames = Synthesizer.DEFAULT_STREAM_CHUNK_FRAMES;
    @Option(names = "--threads", description = "native threads (default: all cores)")
    Integer threads;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (stream == (out != null)) throw new Bv2jException("give exactly one of --out and --stream");
        if (!format.equals("wav") && !format.equals("pcm")) throw new Bv2jException("--format must be wav or pcm, got '" + format + "'");
        if (!stream && !format.equals("wav")) throw new Bv2jException("--format is for --stream (--out always writes a WAV file)");
        if ((config == null) != (model == null)) throw new Bv2jException("give --config and --model together (or neither, for the demo voice)");
        if (chunkFrames < 1) throw new Bv2jException("--chunk-frames must be at least 1");
        if (text.equals("-")) text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        if (threads != null) NativeContext.setThreads(threads);
        PrintWriter err = spec.commandLine().getErr();
        SynthesisOptions synthesis = SynthesisOptions.defaults().withSeed(seed);
        if (lengthScale != null) synthesis = synthesis.withLengthScale(lengthScale);
        SayOptions options = SayOptions.defaults().withLanguage(language).withBert(bert).withJaBert(jaBert)
                .withPauseSeconds(pause).withSynthesis(synthesis).withNotes(err::println)
                .withSpeaker(speaker != null ? speaker : model == null ? BundledVoice.SPEAKER : null);
        long t0 = System.nanoTime();
        try (Synthesizer synth = model == null ? BundledVoice.load() : Synthesizer.load(config, model)) {
            if (stream) {
                streamTo(synth, options);
                return 0;
            }
            Audio audio = synth.say(text, options);
            Wav.write(out, audio.samples(), audio.sampleRate(), floatSamples);
            spec.commandLine().getOut().printf("wrote %s: %.2f s of audio at %d Hz in %.2f s%n", out, audio.seconds(),
                    audio.sampleRate(), (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    /** Samples to stdout, flushed chunk by chunk so a player downstream starts early. */
    private void streamTo(Synthesizer synth, SayOptions options) throws IOException {
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        boolean[] started = {false};
        try {
            synth.say(text, options, chunkFrames, samples -> {
                try {
                    // the header goes out with the first audio, so bad text leaves stdout empty
                    if (!started[0] && format.equals("wav")) Wav.writeStreamingHeader(stdout, synth.sampleRate(), floatSamples);
                    started[0] = true;
                    stdout.write(Pcm.encode(samples, floatSamples));
                    stdout.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new Bv2jException("cannot write the audio stream to stdout: " + e.getCause().getMessage(), e);
        }
    }
}
