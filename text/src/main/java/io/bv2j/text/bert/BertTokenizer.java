package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.io.Json;
import io.bv2j.text.SubwordSplitter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A BERT folder's tokenizer: words (BERT's basic tokenizer, or a {@link WordSegmenter} for
 * folders that split words with MeCab), each split into WordPiece tokens, wrapped in [CLS] and
 * [SEP]. Settings come from tokenizer_config.json, else tokenizer.json's normalizer, else
 * BertTokenizer's defaults (lower-case, accents stripped with it, CJK ideographs split).
 * Immutable, so safe to share between threads.
 */
public final class BertTokenizer implements SubwordSplitter {
    private final WordPieceVocab vocab;
    private final WordPiece wordPiece;
    private final BasicTokenizer basic;
    private final boolean lowerCase;
    /** Null: the basic tokenizer makes the words. */
    private final WordSegmenter segmenter;
    private final String needsSegmenter;

    private BertTokenizer(WordPieceVocab vocab, BasicTokenizer basic, boolean lowerCase, WordSegmenter segmenter,
                          String needsSegmenter) {
        this.vocab = vocab;
        this.wordPiece = new WordPiece(vocab);
        this.basic = basic;
        this.lowerCase = lowerCase;
        this.segmenter = segmenter;
        this.needsSegmenter = needsSegmenter;
    }

    static BertTokenizer load(Path dir) {
        WordPieceVocab vocab = WordPieceVocab.load(dir);
        Path configFile = dir.resolve("tokenizer_config.json");
        Map<String, Object> config = Files.isRegularFile(configFile) ? FolderFiles.readJsonObject(configFile) : Map.of();
        Map<String, Object> normalizer = tokenizerJsonNormalizer(dir.resolve("tokenizer.json"));
        String where = configFile + ": ";
        boolean lower = flag(config, "do_lower_case", where, flag(normalizer, "lowercase", "tokenizer.json: normalizer.", true));
        Boolean strip = config.containsKey("strip_accents") && config.get("strip_accents") != null
                ? Json.bool(config.get("strip_accents"), where + "strip_accents")
                : normalizer.get("strip_accents") instanceof Boolean b ? b : null;
        boolean cjk = flag(config, "tokenize_chinese_chars", where, flag(normalizer, "handle_chinese_chars", "tokenizer.json: normalizer.", true));
        String wordTokenizer = config.containsKey("word_tokenizer_type")
                ? Json.str(config.get("word_tokenizer_type"), where + "word_tokenizer_type") : "basic";
        String subword = config.containsKey("subword_tokenizer_type")
                ? Json.str(config.get("subword_tokenizer_type"), where + "subword_tokenizer_type") : "wordpiece";
        if (!subword.equals("wordpiece")) {
            throw new Bv2jException(where + "subword_tokenizer_type '" + subword + "' is not supported (only wordpiece)");
        }
        String needs = switch (wordTokenizer) {
            case "basic" -> null;
            case "mecab" -> configFile + " splits words with MeCab: pass the words in with a WordSegmenter";
            default -> throw new Bv2jException(where + "word_tokenizer_type '" + wordTokenizer + "' is not supported (basic or mecab)");
        };
        return new BertTokenizer(vocab, new BasicTokenizer(lower, strip, cjk), lower, null, needs);
    }

    /** This tokenizer with {@code segmenter}'s words in place of the basic tokenizer's (lower-cased if the folder says so). */
    public BertTokenizer withWords(WordSegmenter segmenter) {
        return new BertTokenizer(vocab, basic, lowerCase, segmenter, null);
    }

    /** The WordPiece tokens of {@code text}, without [CLS]/[SEP]. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        if (segmenter != null) {
            for (String word : segmenter.words(text)) split(word, out);
        } else {
            if (needsSegmenter != null) throw new Bv2jException(needsSegmenter);
            for (String word : basic.words(text)) wordPiece.split(word, out);
        }
        return out;
    }

    /** One word's tokens: the basic tokenizer's words of it split into pieces, or, with a segmenter, the word's pieces as it stands. */
    @Override
    public List<String> split(String word) {
        if (segmenter == null && needsSegmenter == null) return tokenize(word);
        List<String> out = new ArrayList<>();
        split(word, out);
        return out;
    }

    /** The model's input ids: [CLS], the tokens of {@code text}, [SEP]. */
    public int[] encode(String text) {
        List<String> tokens = tokenize(text);
        int[] ids = new int[tokens.size() + 2];
        ids[0] = vocab.cls();
        for (int i = 0; i < tokens.size(); i++) ids[i + 1] = vocab.id(tokens.get(i));
        ids[ids.length - 1] = vocab.sep();
        return ids;
    }

    int vocabularySpan() {
        return vocab.span();
    }

    private void split(String word, List<String> out) {
        wordPiece.split(lowerCase ? word.toLowerCase(Locale.ROOT) : word, out);
    }

    private static Map<String, Object> tokenizerJsonNormalizer(Path file) {
        if (!Files.isRegularFile(file)) return Map.of();
        Object n = FolderFiles.readJsonObject(file).get("normalizer");
        return n instanceof Map<?, ?> ? Json.obj(n, file + ": normalizer") : Map.of();
    }

    private static boolean flag(Map<String, Object> m, String key, String where, boolean fallback) {
        return m.containsKey(key) && m.get(key) != null ? Json.bool(m.get(key), where + key) : fallback;
    }
}
