package io.bv2j.text;

import io.bv2j.Bv2jException;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.text.bert.BertFolder;
import io.bv2j.text.en.EnglishG2p;
import io.bv2j.text.ja.JapaneseG2p;
import io.bv2j.text.zh.ChineseG2p;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Text → what the model reads, without a model: sentences (split on . ! ? … 。！？ and line
 * breaks), each in its language (given, or chosen by script when {@code null} = auto), normalised
 * and phonemized by that language's {@link G2p}, then ids (add_blank as the voice's config says)
 * and BERT features: Chinese fills {@code bert} [1024, T] and Japanese {@code jaBert} [768, T]
 * from their BERT folders, English has none (zeros, as in v1.1).
 *
 * <p>Limits: {@link #MAX_CHARS} characters of text; a sentence at most {@link Synthesizer#MAX_PHONES}
 * phones once blanks are added (2047 phones: roughly 2000 characters of English or 900 Chinese
 * characters); a longer sentence is refused, to be broken up with punctuation. Characters no front-end can
 * read (other scripts, emoji) are dropped, with a note. Thread-safe.
 */
public final class TextFrontEnd {
    /** Longest text accepted, in characters (UTF-16 units): about 20 minutes of speech. */
    public static final int MAX_CHARS = 20_000;

    /** "Without a BERT folder ... zero features" is said once per process, not once per sentence. */
    private static final AtomicBoolean ZERO_BERT_NOTED = new AtomicBoolean();

    private final BertFolder zhBert, jaBert;
    private final Consumer<String> notes;
    /**
     * The language front-ends, made on first use and shared by every TextFrontEnd of the process
     * (dictionaries and segmenters are large): keyed by language, and for Japanese by the BERT
     * folder whose tokenizer splits its words.
     */
    private static final Map<List<Object>, G2p> G2PS = new ConcurrentHashMap<>();
    private final SentenceSplitter splitter = new SentenceSplitter(EnglishG2p::isAbbreviation);

    /**
     * @param zhBert chinese-roberta-wwm-ext-large for Chinese features, or null (zeros)
     * @param jaBert bert-base-japanese-v3 for Japanese features and sub-word tokens, or null
     * @param notes where notes go (dropped characters; running without BERT)
     */
    public TextFrontEnd(BertFolder zhBert, BertFolder jaBert, Consumer<String> notes) {
        this.zhBert = zhBert;
        this.jaBert = jaBert;
        this.notes = notes;
    }

    /** No BERT folders, notes to stderr: enough for English and for g2p. */
    public static TextFrontEnd withoutBert() {
        return new TextFrontEnd(null, null, System.err::println);
    }

    /** "ZH", "JP", "EN" (any case), or "auto" → null. */
    public static Language parseLanguage(String code) {
        if (code == null || code.equalsIgnoreCase("auto")) return null;
        try {
            return Language.valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Bv2jException("unknown language '" + code + "' (use ZH, JP, EN or auto)");
        }
    }

    /** The sentences of {@code text} with their phonemes; language null = auto. */
    public List<Sentence> sentences(String text, Language language) {
        String readable = readable(text);
        List<Sentence> out = new ArrayList<>();
        boolean kana = Scripts.hasKana(readable);
        for (String s : splitter.split(readable)) {
            if (s.codePoints().noneMatch(Character::isLetterOrDigit)) continue; // a stray mark says nothing
            Language lang = language != null ? language : Scripts.languageOf(s, kana);
            out.add(new Sentence(s, g2p(lang).phonemize(s)));
        }
        if (out.isEmpty()) throw new Bv2jException("nothing pronounceable in the text");
        return out;
    }

    /**
     * The whole text as one sentence (no splitting): what a synth request's "text" is, one
     * utterance per entry.
     */
    public Sentence single(String text, Language language) {
        String readable = readable(text);
        if (readable.codePoints().noneMatch(Character::isLetterOrDigit)) throw new Bv2jException("nothing pronounceable in the text");
        Language lang = language != null ? language : Scripts.languageOf(readable, Scripts.hasKana(readable));
        return new Sentence(readable, g2p(lang).phonemize(readable));
    }

    /** One sentence as model input for a voice; {@code where} names it in errors ("sentence 3"). */
    public Utterance utterance(Sentence sentence, String speaker, boolean addBlank, String where) {
        Phonemes p = sentence.phonemes();
        TextIds.Sequence ids = p.ids(addBlank);
        if (ids.length() > Synthesizer.MAX_PHONES) {
            throw new Bv2jException(where + " has " + ids.length() + " phones (blanks included), above the limit of "
                    + Synthesizer.MAX_PHONES + ": break it up with . ! or ?");
        }
        Utterance u = Utterance.of(speaker, ids.phones(), ids.tones(), ids.languages());
        return switch (p.language()) {
            case ZH -> u.withBert(features(zhBert, p, addBlank), null);
            case JP -> u.withBert(null, features(jaBert, p, addBlank));
            case EN -> u;
        };
    }

    /** sentences, then utterance for each. */
    public List<Utterance> utterances(String text, Language language, String speaker, boolean addBlank) {
        List<Sentence> sentences = sentences(text, language);
        List<Utterance> out = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            out.add(utterance(sentences.get(i), speaker, addBlank, "sentence " + (i + 1)));
        }
        return out;
    }

    private float[] features(BertFolder bert, Phonemes p, boolean addBlank) {
        if (bert == null) {
            if (ZERO_BERT_NOTED.compareAndSet(false, true)) {
                notes.accept("note: no BERT folder given (--bert for Chinese, --ja-bert for Japanese): "
                        + "Chinese/Japanese run with zero BERT features, which sounds flatter");
            }
            return null;
        }
        // Japanese BERT tokenizes the analyser's words (as the G2P cut them), Chinese its characters
        BertFeatures features = p.language() == Language.JP ? bert.features(JapaneseG2p::bertWords) : bert.features();
        return features.features(p.normText(), p.word2ph(addBlank));
    }

    private G2p g2p(Language language) {
        Object tokenizer = language == Language.JP && jaBert != null ? jaBert : "whole words";
        return G2PS.computeIfAbsent(List.of(language, tokenizer), k -> switch (language) {
            case ZH -> new ChineseG2p();
            case JP -> new JapaneseG2p(jaBert == null ? SubwordSplitter.wholeWords() : jaBert.splitter());
            case EN -> EnglishG2p.shared();
        });
    }

    /** The text with characters no front-end reads removed (noted), after the length check. */
    private String readable(String text) {
        if (text == null || text.isBlank()) throw new Bv2jException("the text is empty");
        if (text.length() > MAX_CHARS) {
            throw new Bv2jException("the text has " + text.length() + " characters, above the limit of " + MAX_CHARS
                    + ": split it into several calls");
        }
        StringBuilder kept = new StringBuilder(text.length());
        TreeSet<String> dropped = new TreeSet<>();
        text.codePoints().forEach(c -> {
            if (Scripts.readable(c)) {
                kept.appendCodePoint(c);
            } else {
                kept.append(' ');
                dropped.add(Character.isISOControl(c) ? String.format("U+%04X", c) : Character.toString(c));
            }
        });
        if (!dropped.isEmpty()) notes.accept("note: dropped characters no front-end reads: " + String.join(" ", dropped));
        return kept.toString();
    }
}
