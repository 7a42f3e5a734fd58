package io.bv2j.training.data;

import io.bv2j.io.ModelConfig;
import io.bv2j.io.SafeTensors;
import io.bv2j.io.Wav;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecCacheTest {

    @Test
    void computesOnceThenReusesTheCache(@TempDir Path dir) {
        Path wav = Fixtures.wav(dir, "utt.wav", 6400, Fixtures.SR);
        SpecCache cache = new SpecCache(Fixtures.config(true, 2));
        assertFalse(cache.isFresh(wav));
        SpecCache.Spec first = cache.get(wav, null);
        assertFalse(first.fromCache());
        assertEquals(dir.resolve("utt.spec.safetensors"), cache.cachePath(wav));
        assertTrue(Files.isRegularFile(cache.cachePath(wav)));
        assertEquals(Fixtures.N_FFT / 2 + 1, first.channels());
        assertEquals(6400 / Fixtures.HOP, first.frames(), "reflect padding by (n_fft - hop) / 2 gives samples // hop");

        SpecCache.Spec second = new SpecCache(Fixtures.config(true, 2)).get(wav, null);
        assertTrue(second.fromCache());
        assertArrayEquals(first.data(), second.data());
        SpecCache.Spec direct = cache.compute(Wav.read(wav).samples());
        assertArrayEquals(direct.data(), second.data());
        assertEquals("256", SafeTensors.read(cache.cachePath(wav)).metadata().get("filter_length"));
    }

    @Test
    void aChangedWavOrChangedSettingsInvalidateTheCache(@TempDir Path dir) throws Exception {
        Path wav = Fixtures.wav(dir, "utt.wav", 6400, Fixtures.SR);
        SpecCache cache = new SpecCache(Fixtures.config(true, 2));
        SpecCache.Spec old = cache.get(wav, null);

        // same size, new content and time: recomputed
        Wav.write(wav, Fixtures.tone(6400, 555), Fixtures.SR, false);
        Files.setLastModifiedTime(wav, FileTime.fromMillis(Files.getLastModifiedTime(wav).toMillis() + 5000));
        assertFalse(cache.isFresh(wav));
        SpecCache.Spec fresh = cache.get(wav, null);
        assertFalse(fresh.fromCache());
        assertFalse(java.util.Arrays.equals(old.data(), fresh.data()));
        assertTrue(cache.get(wav, null).fromCache());

        // another hop length: recomputed with the new frame count
        ModelConfig hop32 = ModelConfig.parse(Fixtures.configJson(true, 2, 32, false), "hop32.json");
        SpecCache other = new SpecCache(hop32);
        assertFalse(other.isFresh(wav));
        SpecCache.Spec s32 = other.get(wav, null);
        assertFalse(s32.fromCache());
        assertEquals(6400 / 32, s32.frames());
        assertFalse(cache.isFresh(wav), "the first settings' cache was replaced");
    }

    @Test
    void aDamagedCacheIsRebuilt(@TempDir Path dir) throws Exception {
        Path wav = Fixtures.wav(dir, "utt.wav", 6400, Fixtures.SR);
        SpecCache cache = new SpecCache(Fixtures.config(true, 2));
        SpecCache.Spec good = cache.get(wav, null);
        Files.write(cache.cachePath(wav), new byte[] {1, 2, 3});
        SpecCache.Spec rebuilt = cache.get(wav, null);
        assertFalse(rebuilt.fromCache());
        assertArrayEquals(good.data(), rebuilt.data());
    }

    @Test
    void melPosteriorEncoderCachesLogMelUnderItsOwnName(@TempDir Path dir) {
        Path wav = Fixtures.wav(dir, "utt.wav", 6400, Fixtures.SR);
        SpecCache cache = new SpecCache(ModelConfig.parse(Fixtures.configJson(true, 2, Fixtures.HOP, true), "mel.json"));
        SpecCache.Spec mel = cache.get(wav, null);
        assertEquals(40, mel.channels());
        assertEquals(dir.resolve("utt.mel.safetensors"), cache.cachePath(wav));
        assertTrue(Files.isRegularFile(cache.cachePath(wav)));
    }
}
