package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A WordPiece vocabulary: token string -> id, from vocab.txt (line n is id n) or tokenizer.json's model.vocab. */
final class WordPieceVocab {
    static final String UNK = "[UNK]", CLS = "[CLS]", SEP = "[SEP]";
    private final Map<String, Integer> ids;
    private final int unk, cls, sep;

    private WordPieceVocab(Map<String, Integer> ids, String source) {
        this.ids = Map.copyOf(ids);
        this.unk = special(UNK, source);
        this.cls = special(CLS, source);
        this.sep = special(SEP, source);
    }

    /** vocab.txt, or tokenizer.json when the folder has only that. */
    static WordPieceVocab load(Path dir) {
        Path txt = dir.resolve("vocab.txt"), json = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(txt)) return fromVocabTxt(txt);
        if (Files.isRegularFile(json)) return fromTokenizerJson(json);
        throw new Bv2jException(dir + ": no BERT vocabulary (neither vocab.txt nor tokenizer.json)");
    }

    static WordPieceVocab fromVocabTxt(Path file) {
        Map<String, Integer> ids = new HashMap<>();
        String[] lines = FolderFiles.readUtf8(file).split("\r?\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) n--; // the newline after the last token ends a line, it does not start one
        // A repeated token keeps its last line, as Hugging Face's loader does.
        for (int i = 0; i < n; i++) ids.put(lines[i], i);
        return new WordPieceVocab(ids, file.toString());
    }

    static WordPieceVocab fromTokenizerJson(Path file) {
        String where = file + ": model";
        Map<String, Object> model = Json.obj(FolderFiles.readJsonObject(file).get("model"), where);
        String type = Json.str(model.get("type"), where + ".type");
        if (!type.equals("WordPiece")) throw new Bv2jException(where + ".type '" + type + "' is not WordPiece");
        Map<String, Object> vocab = Json.obj(model.get("vocab"), where + ".vocab");
        Map<String, Integer> ids = new HashMap<>();
        for (Map.Entry<String, Object> e : vocab.entrySet()) {
            int id = Json.int32(e.getValue(), where + ".vocab." + e.getKey());
            if (id < 0) throw new Bv2jException(where + ".vocab." + e.getKey() + " has negative id " + id);
            ids.put(e.getKey(), id);
        }
        return new WordPieceVocab(ids, file.toString());
    }

    boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The id of a token; unknown strings are [UNK]. */
    int id(String token) {
        return ids.getOrDefault(token, unk);
    }

    int cls() {
        return cls;
    }

    int sep() {
        return sep;
    }

    /** One more than the largest id: what the embedding table must hold. */
    int span() {
        int max = -1;
        for (int id : ids.values()) max = Math.max(max, id);
        return max + 1;
    }

    private int special(String token, String source) {
        Integer id = ids.get(token);
        if (id == null) throw new Bv2jException(source + ": the vocabulary has no " + token + " token");
        return id;
    }
}
