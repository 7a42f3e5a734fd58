#!/usr/bin/env python3
"""Turns English sentences into Bert-VITS2 v1.1 filelist fields with espeak-ng.

For each sentence: phones (the reference's lower-case ARPAbet English symbols plus punctuation),
language-local tones and word2ph, in the cleaned-filelist form
    wav_path|speaker|EN|text|phones|tones|word2ph

Conventions, following the v1.1 reference's English g2p (text/english.py):
  * a vowel's tone is its CMUdict stress digit + 1: unstressed 1, primary 2, secondary 3;
    consonants and punctuation have tone 0 (EN tones 0..3, offset 7 is added by the loader);
  * the consonant v is written "V" (english.py's post_replace_ph: lower-case "v" is a Chinese final);
  * no "_" is added around the sentence (english.py adds none in v1.1; ZH/JP do);
  * punctuation , . ? ! is a phone of its own with tone 0.
word2ph counts the phones of each espeak word (espeak joins some short words, e.g. "in the",
into one group) and 1 per punctuation mark. In v1.1 English BERT features are zeros, so only
sum(word2ph) == len(phones) matters to the reference (english.py itself writes 1 per phone).

espeak-ng is asked for IPA with phonemes separated by spaces (--ipa --sep=" "): words are
separated by two or more spaces and each clause (ended by , . ? ! ; :) comes on its own line.
Any IPA token without a mapping below stops the script, naming the sentence and the token.

Usage: phonemize.py SENTENCES WAV_PREFIX SPEAKER > lines   (wav paths WAV_PREFIX0001.wav, ...)
"""
import re
import subprocess
import sys

VOWELS = {"aa", "ae", "ah", "ao", "aw", "ay", "eh", "er", "ey", "ih", "iy", "ow", "oy", "uh", "uw"}

# IPA token (stress marks removed) -> ARPAbet phones
IPA = {
    # monophthongs and diphthongs
    "ə": ["ah"], "ɐ": ["ah"], "ʌ": ["ah"], "ɚ": ["er"], "ɜː": ["er"], "ɜ": ["er"], "ɝ": ["er"],
    "æ": ["ae"], "a": ["ae"], "ɑː": ["aa"], "ɑ": ["aa"], "ɒ": ["aa"], "ɔː": ["ao"], "ɔ": ["ao"],
    "oː": ["ao"], "ɛ": ["eh"], "e": ["eh"], "ɪ": ["ih"], "ᵻ": ["ih"], "i": ["iy"], "iː": ["iy"],
    "ʊ": ["uh"], "u": ["uw"], "uː": ["uw"], "eɪ": ["ey"], "aɪ": ["ay"], "aʊ": ["aw"],
    "ɔɪ": ["oy"], "oʊ": ["ow"], "əʊ": ["ow"], "o": ["ow"],
    # r-coloured and syllabic forms espeak writes as one token
    "ɑːɹ": ["aa", "r"], "ɑɹ": ["aa", "r"], "ɔːɹ": ["ao", "r"], "ɔɹ": ["ao", "r"], "oːɹ": ["ao", "r"],
    "oɹ": ["ao", "r"], "ɛɹ": ["eh", "r"], "eɹ": ["eh", "r"], "ɪɹ": ["ih", "r"], "iɹ": ["ih", "r"],
    "ʊɹ": ["uh", "r"], "uɹ": ["uh", "r"], "ɜːɹ": ["er"], "aɪɚ": ["ay", "er"], "aɪə": ["ay", "er"],
    "aʊɚ": ["aw", "er"], "aʊə": ["aw", "er"], "iə": ["iy", "ah"], "əl": ["ah", "l"],
    "l̩": ["ah", "l"], "n̩": ["ah", "n"], "m̩": ["ah", "m"],
    # consonants
    "p": ["p"], "b": ["b"], "t": ["t"], "d": ["d"], "k": ["k"], "ɡ": ["g"], "g": ["g"],
    "f": ["f"], "v": ["V"], "θ": ["th"], "ð": ["dh"], "s": ["s"], "z": ["z"], "ʃ": ["sh"],
    "ʒ": ["zh"], "tʃ": ["ch"], "dʒ": ["jh"], "h": ["hh"], "m": ["m"], "n": ["n"], "ŋ": ["ng"],
    "l": ["l"], "ɹ": ["r"], "r": ["r"], "w": ["w"], "ʍ": ["w"], "j": ["y"],
    "ɾ": ["t"], "ʔ": ["t"], "x": ["k"], "ɬ": ["l"],
}
PUNCT = {",": ",", ".": ".", "?": "?", "!": "!", ";": ",", ":": ","}
CLAUSE = re.compile(r"([,.?!;:])")


def espeak_ipa(text):
    out = subprocess.run(["espeak-ng", "-v", "en-us", "-q", "--ipa", "--sep= ", "--", text],
                         check=True, capture_output=True, text=True, encoding="utf-8").stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def clauses(sentence):
    """[(clause text, punctuation or None)], split where espeak ends a clause."""
    parts = CLAUSE.split(sentence)
    out = []
    for i in range(0, len(parts), 2):
        text = parts[i].strip()
        punct = parts[i + 1] if i + 1 < len(parts) else None
        if text:
            out.append((text, punct))
        elif punct and out:
            out[-1] = (out[-1][0], out[-1][1])  # a second mark in a row ("?!") is dropped
    return out


def word_phones(word, sentence):
    phones, tones = [], []
    for tok in word.split(" "):
        if not tok:
            continue
        stress = 2 if "ˈ" in tok else 3 if "ˌ" in tok else 1
        tok = tok.replace("ˈ", "").replace("ˌ", "")
        if not tok:
            continue
        if tok not in IPA:
            sys.exit(f"phonemize.py: no mapping for espeak IPA token '{tok}' in: {sentence}")
        for ph in IPA[tok]:
            phones.append(ph)
            tones.append(stress if ph in VOWELS else 0)
    return phones, tones


def phonemize(sentence):
    parts = clauses(sentence)
    lines = espeak_ipa(sentence)
    if len(lines) != len(parts):
        # espeak split differently: phonemize each clause alone (rare; audio may differ slightly)
        print(f"phonemize.py: note: espeak made {len(lines)} clauses of '{sentence}', expected "
              f"{len(parts)}; phonemizing clause by clause", file=sys.stderr)
        lines = [" ".join(espeak_ipa(text)) for text, _ in parts]
    phones, tones, word2ph = [], [], []
    for (text, punct), line in zip(parts, lines):
        for word in re.split(r" {2,}", line):
            p, t = word_phones(word, sentence)
            if p:
                phones += p
                tones += t
                word2ph.append(len(p))
        if punct:
            phones.append(PUNCT[punct])
            tones.append(0)
            word2ph.append(1)
    assert len(phones) == len(tones) and sum(word2ph) == len(phones)
    return phones, tones, word2ph


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sentences_file, prefix, speaker = sys.argv[1:]
    with open(sentences_file, encoding="utf-8") as f:
        sentences = [s.strip() for s in f if s.strip()]
    for i, sentence in enumerate(sentences, 1):
        if "|" in sentence:
            sys.exit(f"phonemize.py: '|' is not allowed in a sentence: {sentence}")
        phones, tones, word2ph = phonemize(sentence)
        print("|".join([f"{prefix}{i:04d}.wav", speaker, "EN", sentence, " ".join(phones),
                        " ".join(map(str, tones)), " ".join(map(str, word2ph))]))


if __name__ == "__main__":
    main()
