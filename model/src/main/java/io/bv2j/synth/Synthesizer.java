package io.bv2j.synth;

import io.bv2j.Bv2jException;
import io.bv2j.io.ModelConfig;
import io.bv2j.model.InferInput;
import io.bv2j.model.InferResult;
import io.bv2j.model.Noise;
import io.bv2j.model.SynthesizerTrn;
import io.bv2j.model.TextEncoder;
import io.bv2j.tensor.Device;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;
import io.bv2j.tensor.Workers;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A loaded voice: config + generator weights, loaded once and shared by any number of threads
 * (the weights are read-only native memory; every call works in its own {@link Scope}, freed when
 * the call returns). Close it to free the weights.
 */
public final class Synthesizer implements AutoCloseable {
    /** Longest utterance accepted, in phones (blanks included). */
    public static final int MAX_PHONES = 4096;

    private final ModelConfig config;
    private final SynthesizerTrn net;
    private final Arena weights;

    public Synthesizer(ModelConfig config, SynthesizerTrn net, Arena weights) {
        this.config = config;
        this.net = net;
        this.weights = weights;
    }

    /** Loads config.json and a G_*.pth (or .safetensors) checkpoint, on the CPU. */
    public static Synthesizer load(Path configPath, Path checkpoint) {
        return load(configPath, checkpoint, Device.CPU);
    }

    /**
     * Loads config.json and a checkpoint for synthesis on {@code device}; a device that cannot run
     * synthesis (today: any CUDA device, see {@link Device#require}) is refused in one line before
     * anything is read.
     */
    public static Synthesizer load(Path configPath, Path checkpoint, Device device) {
        device.require(Device.Work.INFERENCE);
        ModelConfig config = ModelConfig.read(configPath);
        Arena arena = Arena.ofShared();
        try {
            return new Synthesizer(config, Checkpoints.loadForInference(config, checkpoint, arena), arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** A network of the config's sizes with seeded random weights (benchmarks, the untrained demo). */
    public static Synthesizer random(ModelConfig config, long seed) {
        Arena arena = Arena.ofShared();
        try {
            SynthesizerTrn net = new SynthesizerTrn(io.bv2j.model.Hparams.of(config), false);
            net.load(RandomWeights.of(net, seed), "", arena);
            return new Synthesizer(config, net, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public SynthesizerTrn network() {
        return net;
    }

    public int sampleRate() {
        return config.data().samplingRate();
    }

    /** Samples per latent frame. */
    public int hop() {
        return net.dec().hop();
    }

    /** Above this many latent frames a single utterance is decoded in chunks (bounded memory, same samples). */
    static final int WHOLE_DECODE_MAX_FRAMES = 512;

    /**
     * Latent frames per chunk when a long utterance is decoded in pieces. The default config's
     * context is 16 frames a side, so 128 recomputes 25% (256: 12.5%); 128 keeps the decoder's
     * peak live memory below the flow's (3343 frames: 565 MB peak RSS vs 610 MB at 256, ~1 s slower).
     */
    static final int LONG_DECODE_CHUNK_FRAMES = 128;

    /**
     * Checks utterances as synthesis would (lengths, id ranges, the speaker's name) without
     * running the network: a service refuses bad input before it queues it.
     */
    public void check(List<Utterance> utterances) {
        for (int i = 0; i < utterances.size(); i++) {
            Utterance u = utterances.get(i);
            u.validate(i, MAX_PHONES);
            if (net.hasSpeakerEmbedding()) {
                config.speakerId(u.speaker() == null ? "0" : u.speaker());
            } else if (u.referenceSpec() == null) {
                throw new Bv2jException("utterance " + i + ": this model has no speaker ids (n_speakers = 0) and needs a "
                        + "reference spectrogram");
            }
        }
    }

    public Audio synthesize(Utterance utterance, SynthesisOptions options) {
        utterance.validate(0, MAX_PHONES);
        try (Scope ignored = Scope.open()) {
            InferResult r = net.latent(batch(List.of(utterance), options), options.noise().get());
            return new Audio(decode(r), sampleRate());
        }
    }

    /**
     * The samples of a one-utterance latent ({@link SynthesizerTrn#latent}): decoded whole when
     * short; long utterances, whose decoder activations grow with the length, are decoded in
     * chunks with receptive-field context (the samples equal a whole decode's up to float rounding),
     * one chunk per thread side by side.
     */
    public float[] decode(InferResult latent) {
        int frames = latent.yLengths()[0];
        if (frames <= WHOLE_DECODE_MAX_FRAMES) {
            return Ops.narrow(net.dec().forward(latent.decoderInput(), latent.g()), 2, 0, frames * hop()).toArray();
        }
        float[] samples = new float[frames * hop()];
        int[] at = {0};
        boolean shareable = net.parametersReadableBy(Workers::readableByWorkers);
        new StreamingDecoder(net.dec(), LONG_DECODE_CHUNK_FRAMES).decodeSideBySide(latent.decoderInput(), latent.g(),
                frames, shareable, chunk -> {
                    System.arraycopy(chunk, 0, samples, at[0], chunk.length);
                    at[0] += chunk.length;
                });
        return samples;
    }

    /**
     * One padded batch through the network, like the reference's batched infer: the random draws
     * are shaped for the whole batch. Each result is trimmed to its own length.
     */
    public List<Audio> synthesizeBatch(List<Utterance> utterances, SynthesisOptions options) {
        if (utterances.isEmpty()) throw new Bv2jException("no utterances to synthesize");
        for (int i = 0; i < utterances.size(); i++) utterances.get(i).validate(i, MAX_PHONES);
        try (Scope ignored = Scope.open()) {
            InferResult r = net.latent(batch(utterances, options), options.noise().get());
            Tensor z = r.decoderInput(), g = r.g(); // z [B, C, T], padded to the longest
            // The items decode side by side, one worker thread each (Workers): the decoder is most
            // of the time, and whole items scale across cores better than one item's kernels.
            Tensor gShared = g == null ? null : g.unconfinedView(); // g outlives Workers.run
            int rf = net.dec().receptiveFieldFrames();
            int n = utterances.size();
            List<Function<Tensor, Tensor>> items = new ArrayList<>(n);
            List<int[]> shapes = new ArrayList<>(n);
            long[] costs = new long[n];
            for (int i = 0; i < n; i++) {
                // The padded decode's samples for item i depend only on its frames plus the decoder's
                // receptive field of padding: decode just those (a short item in a long batch does
                // not pay for the longest one), then keep the item's own length.
                int item = i, frames = r.yLengths()[i], upTo = Math.min(z.dim(2), frames + rf);
                items.add(zs -> {
                    Tensor zi = Ops.narrow(Ops.narrow(zs, 0, item, 1), 2, 0, upTo);
                    Tensor gi = gShared == null ? null : Ops.narrow(gShared, 0, item, 1);
                    return Ops.narrow(net.dec().forward(zi, gi), 2, 0, frames * hop());
                });
                shapes.add(new int[]{1, 1, frames * hop()});
                costs[i] = frames;
            }
            boolean shareable = net.dec().parametersReadableBy(Workers::readableByWorkers);
            List<Tensor> decoded = Workers.run(z, items, shapes, costs, shareable);
            List<Audio> out = new ArrayList<>(n);
            for (Tensor o : decoded) out.add(new Audio(o.toArray(), sampleRate()));
            return out;
        }
    }

    /**
     * Each utterance synthesized exactly as {@link #synthesize} would (same samples up to float
     * rounding), several at a time on single-threaded workers: the throughput mode for bulk
     * synthesis, where whole utterances share the cores better than one utterance's kernels do.
     * options' noise must give each call its own source (the default seeded noise does; a shared
     * replay would be consumed out of order). Results in the order given.
     */
    public List<Audio> synthesizeAll(List<Utterance> utterances, SynthesisOptions options) {
        if (utterances.isEmpty()) throw new Bv2jException("no utterances to synthesize");
        for (int i = 0; i < utterances.size(); i++) utterances.get(i).validate(i, MAX_PHONES);
        List<Supplier<Audio>> pieces = new ArrayList<>(utterances.size());
        long[] costs = new long[utterances.size()];
        for (int i = 0; i < utterances.size(); i++) {
            Utterance u = utterances.get(i);
            pieces.add(() -> synthesize(u, options));
            costs[i] = u.length();
        }
        return Workers.map(pieces, costs, net.parametersReadableBy(Workers::readableByWorkers));
    }

    /** Latent frames decoded per streaming chunk (0.5–1 s of audio at common configs). */
    public static final int DEFAULT_STREAM_CHUNK_FRAMES = 64;
    /**
     * Frames of the first streaming chunk (at most the chunk size): about 0.2 s of audio, so the
     * first samples come after decoding it plus its right context, not a whole chunk.
     */
    public static final int FIRST_STREAM_CHUNK_FRAMES = 16;

    /**
     * Streaming synthesis: the text encoder, duration predictors and flow run on the whole
     * utterance (the flow attends over every frame), then the decoder runs chunk by chunk and
     * each chunk's samples go to `sink` as soon as they exist. The concatenation equals
     * {@link #synthesize} of the same call up to float rounding.
     */
    public void stream(Utterance utterance, SynthesisOptions options, int chunkFrames, Consumer<float[]> sink) {
        utterance.validate(0, MAX_PHONES);
        try (Scope ignored = Scope.open()) {
            InferResult r = net.latent(batch(List.of(utterance), options), options.noise().get());
            new StreamingDecoder(net.dec(), chunkFrames, Math.min(chunkFrames, FIRST_STREAM_CHUNK_FRAMES))
                    .decode(r.decoderInput(), r.g(), r.yLengths()[0], sink);
        }
    }

    /**
     * Several utterances through the text encoder, duration predictors and flow as one padded
     * batch, then each decoded on its own, exactly as {@link #stream} decodes it, streamed chunk by
     * chunk to its own sink, the items side by side on the workers. With options' noise a
     * {@link io.bv2j.model.RowSeededNoise} of one seed per item, item i's samples equal a lone
     * stream of it with {@code RowSeededNoise(seed i)} up to float rounding: a service can batch
     * requests without changing anyone's audio. Each sink is called by one thread at a time, in
     * order, possibly from a worker thread; a sink that throws {@link CancellationException} (its
     * listener left) stops only its own item.
     */
    public void streamEach(List<Utterance> utterances, SynthesisOptions options, int chunkFrames,
                           List<Consumer<float[]>> sinks) {
        if (utterances.isEmpty()) throw new Bv2jException("no utterances to synthesize");
        if (sinks.size() != utterances.size()) throw new IllegalArgumentException("one sink per utterance is required");
        for (int i = 0; i < utterances.size(); i++) utterances.get(i).validate(i, MAX_PHONES);
        try (Scope ignored = Scope.open()) {
            InferResult r = net.latent(batch(utterances, options), options.noise().get());
            Tensor z = r.decoderInput().unconfinedView(); // [B, C, T] padded; outlives Workers.map
            Tensor g = r.g() == null ? null : r.g().unconfinedView();
            int n = utterances.size();
            List<Supplier<Boolean>> items = new ArrayList<>(n);
            long[] costs = new long[n];
            for (int i = 0; i < n; i++) {
                int item = i, frames = r.yLengths()[i];
                items.add(() -> {
                    // Only the item's own frames: its samples then match a lone decode, not a padded one.
                    Tensor zi = Ops.narrow(Ops.narrow(z, 0, item, 1), 2, 0, frames); // [1, C, frames]
                    Tensor gi = g == null ? null : Ops.narrow(g, 0, item, 1);
                    try {
                        new StreamingDecoder(net.dec(), chunkFrames, Math.min(chunkFrames, FIRST_STREAM_CHUNK_FRAMES))
                                .decode(zi, gi, frames, sinks.get(item));
                        return true;
                    } catch (CancellationException e) {
                        return false;
                    }
                });
                costs[i] = frames;
            }
            Workers.map(items, costs, net.dec().parametersReadableBy(Workers::readableByWorkers));
        }
    }

    /** The text front-end, found on first use (see {@link TextInput}); shared, as it caches BERT models. */
    private static volatile TextInput textInput;

    private static TextInput textInput() {
        TextInput t = textInput;
        if (t == null) textInput = t = TextInput.provider();
        return t;
    }

    /**
     * Speaks text: split into sentences (language per sentence when asked for "auto"), each
     * synthesized on its own and the sentences joined with {@link SayOptions#pauseSeconds} of
     * silence. Every sentence is checked before any is synthesized, so bad text fails at once.
     */
    public Audio say(String text, SayOptions options) {
        List<Utterance> sentences = textInput().sentences(text, options, config);
        for (int i = 0; i < sentences.size(); i++) sentences.get(i).validate(i, MAX_PHONES);
        List<float[]> parts = new ArrayList<>();
        float[] pause = new float[pauseSamples(options)];
        for (int i = 0; i < sentences.size(); i++) {
            if (i > 0) parts.add(pause);
            parts.add(synthesize(sentences.get(i), options.synthesis()).samples());
        }
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return new Audio(all, sampleRate());
    }

    /**
     * {@link #say} as a stream: each sentence's audio goes to {@code sink} chunk by chunk as the
     * decoder makes it ({@link #stream}), the pauses between sentences as chunks of silence. The
     * concatenation equals {@link #say}'s samples up to float rounding.
     */
    public void say(String text, SayOptions options, int chunkFrames, Consumer<float[]> sink) {
        List<Utterance> sentences = textInput().sentences(text, options, config);
        for (int i = 0; i < sentences.size(); i++) sentences.get(i).validate(i, MAX_PHONES);
        int pause = pauseSamples(options);
        for (int i = 0; i < sentences.size(); i++) {
            if (i > 0 && pause > 0) sink.accept(new float[pause]);
            stream(sentences.get(i), options.synthesis(), chunkFrames, sink);
        }
    }

    private int pauseSamples(SayOptions options) {
        return (int) Math.round(options.pauseSeconds() * sampleRate());
    }

    /** The same as {@link #synthesizeBatch} with every stage kept, for inspection; call inside a Scope. */
    public InferResult inferStages(List<Utterance> utterances, SynthesisOptions options, Noise noise) {
        for (int i = 0; i < utterances.size(); i++) utterances.get(i).validate(i, MAX_PHONES);
        return net.infer(batch(utterances, options), noise);
    }

    private InferInput batch(List<Utterance> us, SynthesisOptions o) {
        int b = us.size(), t = 0;
        for (Utterance u : us) t = Math.max(t, u.length());
        int[][] phones = new int[b][t], tones = new int[b][t], langs = new int[b][t];
        int[] lengths = new int[b], sid = new int[b];
        Tensor bert = Tensor.zeros(b, TextEncoder.BERT_DIM, t), jaBert = Tensor.zeros(b, TextEncoder.JA_BERT_DIM, t);
        for (int i = 0; i < b; i++) {
            Utterance u = us.get(i);
            int n = u.length();
            lengths[i] = n;
            System.arraycopy(u.phones(), 0, phones[i], 0, n);
            System.arraycopy(u.tones(), 0, tones[i], 0, n);
            System.arraycopy(u.languages(), 0, langs[i], 0, n);
            copyFeatures(u.bert(), bert, i, TextEncoder.BERT_DIM, n, t);
            copyFeatures(u.jaBert(), jaBert, i, TextEncoder.JA_BERT_DIM, n, t);
            if (net.hasSpeakerEmbedding()) sid[i] = config.speakerId(u.speaker() == null ? "0" : u.speaker());
        }
        Tensor refSpec = net.hasSpeakerEmbedding() ? null : referenceSpecs(us);
        long maxFrames = (long) Math.ceil(o.maxSeconds() * sampleRate() / hop());
        return new InferInput(phones, tones, langs, lengths, bert, jaBert, sid, refSpec, o.noiseScale(),
                o.noiseScaleW(), o.lengthScale(), o.sdpRatio(), maxFrames);
    }

    /** features [dim, n] row-major into row i of a [B, dim, t] tensor (zero padded). */
    private static void copyFeatures(float[] features, Tensor into, int i, int dim, int n, int t) {
        if (features == null) return;
        for (int c = 0; c < dim; c++) {
            long base = ((long) i * dim + c) * t;
            for (int x = 0; x < n; x++) into.set(base + x, features[c * n + x]);
        }
    }

    private Tensor referenceSpecs(List<Utterance> us) {
        int spec = net.hparams().specChannels(), frames = 0;
        for (int i = 0; i < us.size(); i++) {
            Utterance u = us.get(i);
            if (u.referenceSpec() == null) {
                throw new Bv2jException("utterance " + i + ": this model has no speaker ids (n_speakers = 0) and needs a "
                        + "reference spectrogram");
            }
            if (u.referenceFrames() <= 0 || u.referenceSpec().length != (long) spec * u.referenceFrames()) {
                throw new Bv2jException("utterance " + i + ": the reference spectrogram must be [" + spec + ", frames]");
            }
            frames = Math.max(frames, u.referenceFrames());
        }
        Tensor out = Tensor.zeros(us.size(), spec, frames);
        for (int i = 0; i < us.size(); i++) {
            Utterance u = us.get(i);
            copyFeatures(u.referenceSpec(), out, i, spec, u.referenceFrames(), frames);
        }
        return out;
    }

    @Override
    public void close() {
        weights.close();
    }
}
