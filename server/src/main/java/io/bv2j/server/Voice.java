package io.bv2j.server;

import io.bv2j.synth.Synthesizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One loaded voice the service speaks with: its name in requests and its synthesizer (shared by every request). */
public record Voice(String name, Synthesizer synth) {
    /** Names go into URLs and JSON: 1-64 of A-Z a-z 0-9 _ . - */
    public static boolean validName(String name) {
        return name.matches("[A-Za-z0-9_.-]{1,64}");
    }

    public Voice {
        if (!validName(name)) {
            throw new IllegalArgumentException("voice name '" + name + "' must be 1-64 of A-Z a-z 0-9 _ . -");
        }
    }

    public int sampleRate() {
        return synth.sampleRate();
    }

    /** Speaker names from the config's spk2id, in id order (ids alone when it names none). */
    public List<String> speakers() {
        Map<String, Integer> byName = synth.config().data().spk2id();
        List<String> names = new ArrayList<>(byName.keySet());
        names.sort((a, b) -> Integer.compare(byName.get(a), byName.get(b)));
        if (names.isEmpty()) {
            for (int i = 0; i < synth.config().model().nSpeakers(); i++) names.add(Integer.toString(i));
        }
        return names;
    }

    /** The speaker a request without one gets. */
    public String defaultSpeaker() {
        List<String> s = speakers();
        return s.isEmpty() ? null : s.getFirst();
    }
}
