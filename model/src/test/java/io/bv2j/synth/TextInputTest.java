package io.bv2j.synth;

import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model module alone has no text front-end: speaking text says what is missing, in one line. */
class TextInputTest {
    @Test
    void withoutTheTextModuleSpeakingTextIsAOneLineError() {
        Bv2jException e = assertThrows(Bv2jException.class, TextInput::provider);
        assertTrue(e.getMessage().contains("bv2j-text") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void sayOptionsRefuseAnAbsurdPause() {
        assertThrows(Bv2jException.class, () -> SayOptions.defaults().withPauseSeconds(-1));
        assertThrows(Bv2jException.class, () -> SayOptions.defaults().withPauseSeconds(SayOptions.MAX_PAUSE_SECONDS + 1));
    }
}
