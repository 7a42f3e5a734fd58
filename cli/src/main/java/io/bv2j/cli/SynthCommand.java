package io.bv2j.cli;

import io.bv2j.Bv2jException;
import io.bv2j.io.ModelConfig;
import io.bv2j.io.Pcm;
import io.bv2j.io.SafeTensors;
import io.bv2j.io.Wav;
import io.bv2j.model.ReplayNoise;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.synth.Audio;
import io.bv2j.synth.SynthRequest;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.tensor.Device;
import io.bv2j.text.Sentence;
import io.bv2j.text.TextFrontEnd;
import io.bv2j.text.bert.BertFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** bv2j synth: a request file in, WAV files out. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Synthesize the utterances of a request file (see README: input format).")
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "config.json of the voice")
    Path config;
    @Option(names = "--checkpoint", required = true, description = "G_*.pth or .safetensors")
    Path checkpoint;
    @Option(names = "--input", required = true, description = "request JSON")
    Path input;
    @Option(names = "--out", description = "a .wav for one utterance, a folder for several (not with --stream)")
    Path out;
    @Option(names = "--stream", description = "write raw mono PCM (16-bit little-endian, or 32-bit float with --float) "
            + "to stdout as the decoder produces it, utterance after utterance")
    boolean stream;
    @Option(names = "--chunk-frames", description = "latent frames per streamed chunk (default ${DEFAULT-VALUE})")
    int chunkFrames = Synthesizer.DEFAULT_STREAM_CHUNK_FRAMES;
    @Option(names = "--float", description = "write 32-bit float WAV instead of 16-bit PCM")
    boolean floatWav;
    @Option(names = "--seed", description = "seed of the random draws (default 0)")
    Long seed;
    @Option(names = "--noise-replay", description = "take the random draws, in order, from noise/NN_* tensors of this safetensors file")
    Path noiseReplay;
    @Mixin
    DeviceOption device;
    @Option(names = "--threads", description = "native threads (default: all cores)")
    Integer threads;
    @Option(names = "--bert", description = "for utterances given as text: chinese-roberta-wwm-ext-large folder")
    Path bert;
    @Option(names = "--ja-bert", description = "for utterances given as text: bert-base-japanese-v3 folder")
    Path jaBert;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Device where = device.device().require(Device.Work.INFERENCE);
        if (threads != null) NativeContext.setThreads(threads);
        SynthesisOptions base = SynthesisOptions.defaults();
        if (seed != null) base = base.withSeed(seed);
        ReplayNoise replay = noiseReplay == null ? null : readReplay(noiseReplay);
        if (replay != null) base = base.withNoise(() -> replay);
        if (stream == (out != null)) throw new Bv2jException("give exactly one of --out and --stream");
        SynthRequest req = SynthRequest.read(input, base, textReader(ModelConfig.read(config).data().addBlank()));
        List<Audio> audio;
        try (Synthesizer synth = Synthesizer.load(config, checkpoint, where)) {
            if (stream) {
                streamAll(synth, req);
                return 0;
            }
            if (req.batch()) {
                audio = synth.synthesizeBatch(req.utterances(), req.options());
            } else if (replay == null) {
                audio = synth.synthesizeAll(req.utterances(), req.options());
            } else {
                // replayed draws are consumed in order: one utterance after the other
                audio = new ArrayList<>();
                for (var u : req.utterances()) audio.add(synth.synthesize(u, req.options()));
            }
        }
        if (replay != null && replay.remaining() != 0) {
            throw new Bv2jException(noiseReplay.getFileName() + ": " + replay.remaining()
                    + " recorded draws were left unused: the request does not match the recording");
        }
        write(audio);
        return 0;
    }

    /** Raw PCM to stdout, flushed chunk by chunk so a player downstream starts early. */
    private void streamAll(Synthesizer synth, SynthRequest req) throws IOException {
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        IOException[] failure = new IOException[1];
        for (var u : req.utterances()) {
            synth.stream(u, req.options(), chunkFrames, samples -> {
                try {
                    stdout.write(Pcm.encode(samples, floatWav));
                    stdout.flush();
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) throw failure[0];
        }
    }

    private void write(List<Audio> audio) throws IOException {
        if (audio.size() == 1 && !Files.isDirectory(out)) {
            Wav.write(out, audio.getFirst().samples(), audio.getFirst().sampleRate(), floatWav);
            return;
        }
        if (out.getFileName().toString().endsWith(".wav")) {
            throw new Bv2jException("--out " + out + ": " + audio.size() + " utterances need a folder, not a .wav file");
        }
        Files.createDirectories(out);
        for (int i = 0; i < audio.size(); i++) {
            Wav.write(out.resolve(String.format("%03d.wav", i)), audio.get(i).samples(), audio.get(i).sampleRate(), floatWav);
        }
    }

    /** Text utterances through the front-end, BERT folders loaded only when some text needs them. */
    private SynthRequest.TextReader textReader(boolean addBlank) {
        TextFrontEnd[] frontEnd = {null};
        return (text, language, speaker, where) -> {
            if (frontEnd[0] == null) {
                frontEnd[0] = new TextFrontEnd(bert == null ? null : BertFolder.load(bert),
                        jaBert == null ? null : BertFolder.load(jaBert), spec.commandLine().getErr()::println);
            }
            Sentence s;
            try {
                s = frontEnd[0].single(text, TextFrontEnd.parseLanguage(language));
            } catch (Bv2jException e) {
                throw new Bv2jException(where + ": " + e.getMessage(), e);
            }
            return frontEnd[0].utterance(s, speaker, addBlank, where);
        };
    }

    static ReplayNoise readReplay(Path file) {
        ReplayNoise r = ReplayNoise.from(SafeTensors.read(file));
        if (r.remaining() == 0) throw new Bv2jException(file.getFileName() + ": no noise/NN_* tensors to replay");
        return r;
    }
}
