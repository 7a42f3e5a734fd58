package io.bv2j.text;

import io.bv2j.io.ModelConfig;
import io.bv2j.synth.SayOptions;
import io.bv2j.synth.TextInput;
import io.bv2j.synth.Utterance;
import io.bv2j.text.bert.BertFolder;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TextFrontEnd} behind the model's {@link TextInput} (registered in
 * META-INF/services): what {@code Synthesizer.say} uses. BERT folders are loaded once per path and kept for the process, since loading a BERT model takes seconds.
 */
public final class TextFrontEndInput implements TextInput {
    private static final Map<Path, BertFolder> LOADED = new ConcurrentHashMap<>();

    @Override
    public List<Utterance> sentences(String text, SayOptions options, ModelConfig config) {
        Language language = TextFrontEnd.parseLanguage(options.language());
        TextFrontEnd frontEnd = new TextFrontEnd(load(options.bert()), load(options.jaBert()), options.notes());
        return frontEnd.utterances(text, language, options.speaker(), config.data().addBlank());
    }

    private static BertFolder load(Path dir) {
        if (dir == null) return null;
        return LOADED.computeIfAbsent(dir.toAbsolutePath().normalize(), BertFolder::load);
    }
}
