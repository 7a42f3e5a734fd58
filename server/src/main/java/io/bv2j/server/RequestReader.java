package io.bv2j.server;

import io.bv2j.io.Json;
import io.bv2j.synth.SayOptions;
import io.bv2j.synth.SynthRequest;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Utterance;
import io.bv2j.text.Sentence;
import io.bv2j.text.TextFrontEnd;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The three request shapes the service speaks, each read strictly (unknown names refused) into
 * a {@link SpeechRequest}: the reference server's {@code GET /?text&speaker&sdp_ratio&noise&noisew&length&language&format},
 * OpenAI's {@code POST /v1/audio/speech} body, and bv2j's own request file (REQ.json) at
 * {@code POST /synthesize}. Text goes through the front-end here, in the client's thread, so
 * bad text is refused before anything is queued.
 */
final class RequestReader {
    static final Set<String> REFERENCE_PARAMS = Set.of("text", "speaker", "sdp_ratio", "noise", "noisew", "length",
            "language", "format", "voice", "seed", "stream");
    static final Set<String> SYNTHESIZE_PARAMS = Set.of("voice", "format", "stream", "seed");
    private static final Set<String> SPEECH_KEYS = Set.of("model", "input", "voice", "response_format", "speed",
            "language", "sdp_ratio", "noise_scale", "noise_scale_w", "seed");
    /** The reference server's defaults for GET / (its own, not the model's: slower and calmer). */
    private static final float REF_SDP = 0.2f, REF_NOISE = 0.5f, REF_NOISEW = 0.6f, REF_LENGTH = 1.2f;
    /** OpenAI's range for speed. */
    private static final double MIN_SPEED = 0.25, MAX_SPEED = 4.0;

    private final Voices voices;
    private final TextFrontEnd frontEnd;
    private final int maxTextChars;

    RequestReader(Voices voices, TextFrontEnd frontEnd, int maxTextChars) {
        this.voices = voices;
        this.frontEnd = frontEnd;
        this.maxTextChars = maxTextChars;
    }

    /** GET / with a text parameter. */
    SpeechRequest reference(Query q) {
        Voice voice = voices.get(q.get("voice", null), "voice");
        SynthesisOptions o = SynthesisOptions.defaults().withSdpRatio(q.number("sdp_ratio", REF_SDP))
                .withNoiseScale(q.number("noise", REF_NOISE)).withNoiseScaleW(q.number("noisew", REF_NOISEW))
                .withLengthScale(q.number("length", REF_LENGTH));
        List<Utterance> sentences = sentences(voice, q.get("text", ""), q.get("language", "auto"),
                q.get("speaker", null), "text");
        return new SpeechRequest(voice, sentences, o, q.integer("seed", 0), SayOptions.DEFAULT_PAUSE_SECONDS,
                AudioFormat.parse(q.get("format", "wav"), "format"), q.bool("stream", false));
    }

    /** POST /v1/audio/speech: model = voice, voice = speaker, speed = 1 / length_scale; always streamed. */
    SpeechRequest openAi(String body) {
        Map<String, Object> r = Json.obj(Json.parse(body, "request"), "request");
        refuseUnknown(r, SPEECH_KEYS);
        Voice voice = voices.get(optionalString(r, "model"), "model");
        if (!r.containsKey("input")) throw ApiError.badRequest("input", "'input' is missing");
        SynthesisOptions o = SynthesisOptions.defaults();
        if (r.containsKey("speed")) {
            double speed = Json.num(r.get("speed"), "speed");
            if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
                throw ApiError.badRequest("speed", "speed must be in [" + MIN_SPEED + ", " + MAX_SPEED + "], got " + speed);
            }
            o = o.withLengthScale((float) (1 / speed));
        }
        if (r.containsKey("sdp_ratio")) o = o.withSdpRatio((float) Json.num(r.get("sdp_ratio"), "sdp_ratio"));
        if (r.containsKey("noise_scale")) o = o.withNoiseScale((float) Json.num(r.get("noise_scale"), "noise_scale"));
        if (r.containsKey("noise_scale_w")) o = o.withNoiseScaleW((float) Json.num(r.get("noise_scale_w"), "noise_scale_w"));
        String format = r.containsKey("response_format") ? Json.str(r.get("response_format"), "response_format") : "wav";
        long seed = r.containsKey("seed") ? Json.integer(r.get("seed"), "seed") : 0;
        String language = r.containsKey("language") ? Json.str(r.get("language"), "language") : "auto";
        List<Utterance> sentences = sentences(voice, Json.str(r.get("input"), "input"), language,
                optionalString(r, "voice"), "input");
        return new SpeechRequest(voice, sentences, o, seed, SayOptions.DEFAULT_PAUSE_SECONDS,
                AudioFormat.parse(format, "response_format"), true);
    }

    /**
     * POST /synthesize: a request file's JSON (knobs and utterances, text or phones) for the
     * voice named in the query; the utterances are spoken in order, as one response.
     */
    SpeechRequest synthesize(String body, Query q) {
        Voice voice = voices.get(q.get("voice", null), "voice");
        String fallbackSpeaker = voice.defaultSpeaker();
        SynthRequest req = SynthRequest.parse(body, "request", SynthesisOptions.defaults(), null,
                (text, language, speaker, where) -> {
                    checkText(text, where);
                    Sentence s = frontEnd.single(text, TextFrontEnd.parseLanguage(language));
                    return frontEnd.utterance(s, speaker == null ? fallbackSpeaker : speaker,
                            voice.synth().config().data().addBlank(), where);
                });
        List<Utterance> us = req.utterances().stream()
                .map(u -> u.speaker() == null ? u.withSpeaker(fallbackSpeaker) : u).toList();
        voice.synth().check(us);
        return new SpeechRequest(voice, us, req.options(), q.integer("seed", 0), SayOptions.DEFAULT_PAUSE_SECONDS,
                AudioFormat.parse(q.get("format", "wav"), "format"), q.bool("stream", false));
    }

    /** Text → one utterance per sentence for this voice, checked as synthesis will check it. */
    private List<Utterance> sentences(Voice voice, String text, String language, String speaker, String param) {
        checkText(text, param);
        String who = speaker == null || speaker.isEmpty() ? voice.defaultSpeaker() : speaker;
        List<Utterance> us = frontEnd.utterances(text, TextFrontEnd.parseLanguage(language), who,
                voice.synth().config().data().addBlank());
        voice.synth().check(us);
        return us;
    }

    private void checkText(String text, String param) {
        if (text.isBlank()) throw ApiError.badRequest(param, param + " is empty");
        if (text.length() > maxTextChars) {
            throw ApiError.tooLarge(param, param + " is " + text.length() + " characters, above this server's limit of "
                    + maxTextChars + " (split it over several requests)");
        }
    }

    private static String optionalString(Map<String, Object> r, String key) {
        return r.containsKey(key) ? Json.str(r.get(key), key) : null;
    }

    private static void refuseUnknown(Map<String, Object> m, Set<String> known) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw ApiError.badRequest(k, "unknown field '" + Json.abbreviate(k) + "' (known: " + new TreeSet<>(known) + ")");
            }
        }
    }
}
