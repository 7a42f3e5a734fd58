package io.bv2j.training.data;

import io.bv2j.text.TextIds;
import io.bv2j.Bv2jException;
import io.bv2j.io.ModelConfig;
import io.bv2j.io.Wav;
import io.bv2j.io.WavData;
import io.bv2j.text.Symbols;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks a filelist against a config the way the reference's data pipeline would use it, and
 * optionally computes every spectrogram ahead of training (what the reference does lazily on the
 * first epoch). Every line is checked and every problem reported; nothing stops at the first.
 *
 * <p>Per line, in the reference's order (data_utils.TextAudioSpeakerLoader):
 * <ol>
 * <li>The length filter ({@code _filter}): the line is kept when
 *     {@code min_text_len <= len(phones) <= max_text_len}, where {@code phones} is still the raw
 *     field, so the reference counts <em>characters</em> of the space-joined phone string, not
 *     phones, before add_blank. data.min_text_len / data.max_text_len are read from the config when
 *     present, else 1 and 300 (the v1.1 defaults). A skipped line is a warning and is not checked
 *     further, since the reference never touches it again.</li>
 * <li>Text: speaker in data.spk2id (the reference indexes {@code spk_map[sid]}; bv2j does not fall
 *     back to numeric ids here), language ZH/JP/EN, every phone in the symbol table, as many tones as
 *     phones and each within its language (ZH 0..5, JP 0, EN 0..3), word2ph non-negative and summing
 *     to the phone count (bert_gen.py builds the features from it, so otherwise their length cannot
 *     match).</li>
 * <li>Audio: the wav exists, is mono 16-bit PCM at data.sampling_rate (see {@link TrainingAudio}) and
 *     is long enough for one spectrogram frame. The bucketing length is
 *     {@code file_size // (2 · hop_length)} (header bytes included, as the reference computes it);
 *     an item whose length is outside the sampler's boundaries is reported as a warning, because the
 *     reference's bucket sampler silently never draws it.</li>
 * <li>BERT features for ZH and JP lines (see {@link BertFeatures}): present, [1024 or 768, T] with T
 *     the phone count after add_blank.</li>
 * </ol>
 * Relative wav paths are resolved against {@code baseDir} (the reference resolves them against its
 * working folder).
 */
public final class Preprocess {

    /** Progress of {@link #run}: called after each line with the count done, the total and the line's wav. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total, String wav);

        Progress NONE = (done, total, wav) -> { };
    }

    /** The reference's default min_text_len. */
    public static final int DEFAULT_MIN_TEXT_LEN = 1;
    /** The v1.1 reference's default max_text_len. */
    public static final int DEFAULT_MAX_TEXT_LEN = 300;
    private static final int LISTED = 5;

    private Preprocess() {
    }

    /** Checks every line of {@code filelist}; reads wav headers and BERT shapes, computes nothing. */
    public static PreprocessReport validate(ModelConfig config, Path filelist, Path baseDir) {
        return check(config, filelist, baseDir, null, Progress.NONE);
    }

    /** As {@link #validate}, reporting progress. */
    public static PreprocessReport validate(ModelConfig config, Path filelist, Path baseDir, Progress progress) {
        return check(config, filelist, baseDir, null, progress);
    }

    /**
     * Validates like {@link #validate} and also computes and caches the spectrogram of every usable
     * item ({@link SpecCache}); fresh caches are reused. Problems computing one are reported, not thrown.
     */
    public static PreprocessReport run(ModelConfig config, Path filelist, Path baseDir, Progress progress) {
        return check(config, filelist, baseDir, new SpecCache(config), progress);
    }

    /** data.min_text_len, or 1. */
    public static int minTextLen(ModelConfig config) {
        return dataInt(config, "min_text_len", DEFAULT_MIN_TEXT_LEN);
    }

    /** data.max_text_len, or 300. */
    public static int maxTextLen(ModelConfig config) {
        return dataInt(config, "max_text_len", DEFAULT_MAX_TEXT_LEN);
    }

    /** A filelist's wav path: as written when absolute, else under {@code baseDir}. */
    public static Path resolve(Path baseDir, String wavField) {
        Path p = Path.of(wavField);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
    }

    private static int dataInt(ModelConfig config, String key, int fallback) {
        if (config.raw().get("data") instanceof Map<?, ?> data && data.get(key) instanceof Number n) {
            return n.intValue();
        }
        return fallback;
    }

    // ---------------------------------------------------------------- the checks

    private static PreprocessReport check(ModelConfig config, Path filelist, Path baseDir, SpecCache specs,
            Progress progress) {
        List<Problem> problems = new ArrayList<>();
        List<Filelist.Line> lines = Filelist.read(filelist, problems::add);
        String name = filelist.getFileName().toString();
        LineChecker checker = new LineChecker(config, name, baseDir, problems, specs);
        int done = 0;
        for (Filelist.Line line : lines) {
            checker.check(line);
            progress.update(++done, lines.size(), line.wav());
        }
        if (checker.entries.isEmpty()) {
            problems.add(new Problem(Problem.Severity.ERROR, Problem.Kind.EMPTY, name, 0, null,
                    "no usable line (" + lines.size() + " read)"));
        }
        problems.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return new PreprocessReport(filelist, lines.size(), checker.entries, checker.skipped, checker.notSampled,
                checker.seconds, checker.computed, checker.reused, problems);
    }

    /** The per-line checks, accumulating into the report's lists. */
    private static final class LineChecker {
        private final ModelConfig config;
        private final String filelist;
        private final Path baseDir;
        private final List<Problem> problems;
        private final SpecCache specs;
        private final Symbols symbols = Symbols.standard();
        private final int minLen;
        private final int maxLen;
        private final int minSamples;
        final List<DataEntry> entries = new ArrayList<>();
        private int errors;
        int skipped;
        int notSampled;
        int computed;
        int reused;
        double seconds;

        LineChecker(ModelConfig config, String filelist, Path baseDir, List<Problem> problems, SpecCache specs) {
            this.config = config;
            this.filelist = filelist;
            this.baseDir = baseDir;
            this.problems = problems;
            this.specs = specs;
            this.minLen = minTextLen(config);
            this.maxLen = maxTextLen(config);
            int pad = (config.data().filterLength() - config.data().hopLength()) / 2;
            this.minSamples = Math.max(pad + 1, config.data().filterLength() - 2 * pad);
        }

        void check(Filelist.Line l) {
            int before = errorCount();
            int textLen = l.phones().codePointCount(0, l.phones().length());
            if (textLen < minLen || textLen > maxLen) {
                skipped++;
                warn(l, Problem.Kind.TEXT_LENGTH, "phones field is " + textLen + " characters long, outside ["
                        + minLen + ", " + maxLen + "] (min_text_len, max_text_len; the reference counts characters "
                        + "of the space-joined phones): the line is skipped");
                return;
            }

            Integer sid = config.data().spk2id().get(l.speaker());
            if (sid == null) {
                List<String> known = new ArrayList<>(config.data().spk2id().keySet());
                error(l, Problem.Kind.UNKNOWN_SPEAKER, "unknown speaker '" + l.speaker() + "' (data.spk2id has "
                        + (known.isEmpty() ? "no speakers" : listed(known)) + ")");
            }
            String lang = l.language();
            boolean langOk = lang.equals("ZH") || lang.equals("JP") || lang.equals("EN");
            if (!langOk) {
                error(l, Problem.Kind.UNKNOWN_LANGUAGE, "unknown language '" + lang + "' (ZH, JP or EN)");
            }

            String[] phones = Filelist.splitSpaces(l.phones());
            List<String> unknown = new ArrayList<>();
            for (int i = 0; i < phones.length; i++) {
                if (!symbols.contains(phones[i])) {
                    unknown.add("'" + phones[i] + "' (phone " + (i + 1) + ")");
                }
            }
            if (!unknown.isEmpty()) {
                error(l, Problem.Kind.UNKNOWN_SYMBOL, (unknown.size() == 1 ? "unknown phone symbol " : unknown.size()
                        + " unknown phone symbols: ") + listed(unknown) + " (not in the Bert-VITS2 v1.1 symbol table)");
            }

            int[] tones = Filelist.parseInts(l.tones(), "tones",
                    msg -> error(l, Problem.Kind.MALFORMED_LINE, msg));
            if (tones != null) {
                if (tones.length != phones.length) {
                    error(l, Problem.Kind.TONE_COUNT, tones.length + " tones for " + phones.length + " phones");
                } else if (langOk) {
                    int count = TextIds.localToneCount(lang, symbols);
                    List<String> bad = new ArrayList<>();
                    for (int i = 0; i < tones.length; i++) {
                        if (tones[i] < 0 || tones[i] >= count) {
                            bad.add(tones[i] + " (phone " + (i + 1) + ")");
                        }
                    }
                    if (!bad.isEmpty()) {
                        error(l, Problem.Kind.TONE_RANGE, "tone " + listed(bad) + " outside " + lang + "'s range 0.."
                                + (count - 1));
                    }
                }
            }

            int[] word2ph = Filelist.parseInts(l.word2ph(), "word2ph",
                    msg -> error(l, Problem.Kind.MALFORMED_LINE, msg));
            if (word2ph != null) {
                long sum = 0;
                boolean negative = false;
                for (int w : word2ph) {
                    sum += w;
                    negative |= w < 0;
                }
                if (negative) {
                    error(l, Problem.Kind.WORD2PH, "word2ph has a negative count: " + l.word2ph());
                } else if (sum != phones.length) {
                    error(l, Problem.Kind.WORD2PH, "word2ph sums to " + sum + " but there are " + phones.length
                            + " phones");
                }
            }

            Path wav = resolve(baseDir, l.wav());
            int length = -1;
            WavData audio = null;
            if (!Files.exists(wav)) {
                error(l, Problem.Kind.MISSING_WAV, "missing wav file (looked for " + wav + ")");
            } else {
                try {
                    length = (int) Math.min(Integer.MAX_VALUE, Files.size(wav) / (2L * config.data().hopLength()));
                    audio = Wav.read(wav);
                } catch (Bv2jException e) {
                    error(l, Problem.Kind.UNREADABLE_WAV, e.getMessage());
                } catch (IOException e) {
                    error(l, Problem.Kind.UNREADABLE_WAV, wav + ": cannot read (" + e.getMessage() + ")");
                }
            }
            if (audio != null) {
                String fmt = TrainingAudio.formatProblem(audio, config);
                if (fmt != null) {
                    error(l, Problem.Kind.NOT_PCM16, fmt);
                }
                String rate = TrainingAudio.rateProblem(audio, config);
                if (rate != null) {
                    error(l, Problem.Kind.WRONG_SAMPLE_RATE, rate);
                }
                if (audio.samples().length < minSamples) {
                    error(l, Problem.Kind.AUDIO_TOO_SHORT, audio.samples().length + " samples, fewer than the "
                            + minSamples + " one spectrogram frame needs");
                }
            }

            Path bertFile = null;
            int dim = langOk ? BertFeatures.fileDim(lang) : 0;
            if (dim > 0) {
                int expected = config.data().addBlank() ? 2 * phones.length + 1 : phones.length;
                bertFile = BertFeatures.find(wav);
                if (bertFile == null) {
                    error(l, Problem.Kind.BERT_MISSING, "no BERT features " + BertFeatures.ptPath(wav).getFileName()
                            + " (or .bert.npy) next to the wav; a " + lang + " line needs [" + dim + ", " + expected
                            + "] features (the reference's bert_gen.py makes them)");
                } else {
                    String shape = BertFeatures.checkShape(bertFile, dim, expected);
                    if (shape != null) {
                        error(l, Problem.Kind.BERT_SHAPE, shape);
                    }
                }
            }

            if (errorCount() != before) {
                return;
            }
            DataEntry entry = new DataEntry(l.number(), l.wav(), wav, l.speaker(), sid, lang, l.text(),
                    List.of(phones), tones, word2ph,
                    TextIds.of(Arrays.asList(phones), tones, lang, config.data().addBlank(), symbols), length, bertFile);
            if (specs != null) {
                try {
                    if (specs.get(wav, TrainingAudio.normalize(audio, config)).fromCache()) {
                        reused++;
                    } else {
                        computed++;
                    }
                } catch (Bv2jException e) {
                    error(l, Problem.Kind.SPECTROGRAM, e.getMessage());
                    return;
                }
            }
            if (!BucketSampler.inBoundaries(length, BucketSampler.DEFAULT_BOUNDARIES)) {
                notSampled++;
                warn(l, Problem.Kind.NOT_SAMPLED, "bucketing length " + length + " frames (file size // (2 · "
                        + config.data().hopLength() + ")) is outside the bucket sampler's range ("
                        + BucketSampler.DEFAULT_BOUNDARIES[0] + ", "
                        + BucketSampler.DEFAULT_BOUNDARIES[BucketSampler.DEFAULT_BOUNDARIES.length - 1]
                        + "]: training never draws it (validation lists are not bucketed)");
            }
            seconds += (double) audio.samples().length / audio.sampleRate();
            entries.add(entry);
        }

        private int errorCount() {
            return errors;
        }

        private void error(Filelist.Line l, Problem.Kind kind, String message) {
            errors++;
            problems.add(new Problem(Problem.Severity.ERROR, kind, filelist, l.number(), l.wav(), message));
        }

        private void warn(Filelist.Line l, Problem.Kind kind, String message) {
            problems.add(new Problem(Problem.Severity.WARNING, kind, filelist, l.number(), l.wav(), message));
        }

        private static String listed(List<String> items) {
            String shown = String.join(", ", items.subList(0, Math.min(LISTED, items.size())));
            return items.size() > LISTED ? shown + " and " + (items.size() - LISTED) + " more" : shown;
        }
    }
}
