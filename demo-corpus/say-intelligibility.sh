#!/usr/bin/env bash
# Does `bv2j say` speak English text intelligibly? The demo voice reads the 10 sentences of
# say-sentences.txt (written for this test, in neither sentences.txt nor heldout.txt, some with
# numbers, times and money, so the text front-end's normalisation and CMU-dictionary G2P are what
# is tested, not espeak's phonemes), and PocketSphinx transcribes each as intelligibility.sh does:
#   - sentence: constrained to the corpus's 160 sentences plus these 10, which one it heard;
#   - words: a free loop over all their words, scored as the reference words it got right in a
#     minimum-edit alignment (HTK's "Corr").
# espeak-ng (en-us, 150 wpm, 16 kHz: the voice the demo voice learnt from) reads the same text as
# the yardstick, and the demo voice also reads espeak's own phonemes of it (phonemize.py, through
# `bv2j synth`), which separates what the text front-end costs from what the voice does.
#
# usage: demo-corpus/say-intelligibility.sh [VOICE CONFIG]   (after building bv2j; default: the
#        bundled demo voice). Needs espeak-ng, sox, python3 and pocketsphinx with pocketsphinx-en-us
#        (installed with apt-get when missing and running as root). Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v sox >/dev/null || missing+=(sox)
command -v pocketsphinx_continuous >/dev/null || missing+=(pocketsphinx pocketsphinx-en-us)
if ((${#missing[@]})); then
    [ "$(id -u)" -eq 0 ] || { echo "needs ${missing[*]} (apt-get install as root)" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
voice=()
if [ $# -ge 1 ]; then voice=(--model "$1" --config "${2:?give the config.json of the voice too}"); fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" demo-corpus/say-sentences.txt demo-corpus/sentences.txt demo-corpus/heldout.txt <<'PY'
import re, sys
work, tests, *corpus = sys.argv[1:]
def words(s):
    return re.sub(r"[^a-z' ]", " ", s.lower()).split()
rows = [l.rstrip("\n").split("|") for l in open(tests) if l.strip()]
refs = [words(spoken) for _, spoken in rows]
sentences = [words(l) for t in corpus for l in open(t) if l.strip()] + refs
vocab = sorted({w for s in sentences for w in s})
with open(f"{work}/sentences.gram", "w") as g:
    g.write("#JSGF V1.0;\ngrammar sentences;\npublic <s> = " + " | ".join("( " + " ".join(s) + " )" for s in sentences) + " ;\n")
with open(f"{work}/words.gram", "w") as g:
    g.write("#JSGF V1.0;\ngrammar words;\npublic <s> = ( " + " | ".join(vocab) + " )+ ;\n")
with open(f"{work}/text", "w") as f:
    f.writelines(text + "\n" for text, _ in rows)
with open(f"{work}/ref", "w") as f:
    f.writelines(" ".join(r) + "\n" for r in refs)
PY

n=0
while IFS= read -r text; do
    n=$((n + 1))
    id=$(printf '%02d' "$n")
    ./bv2j say "$text" "${voice[@]}" --out "$work/bv2j-$id.wav" >/dev/null
    espeak-ng -v en-us -s 150 -w "$work/raw.wav" -- "$text"
    sox -D "$work/raw.wav" -r 16000 -b 16 -c 1 -e signed-integer "$work/espeak-$id.wav"
done < "$work/text"

# the same text as espeak phonemizes it (what the voice was trained on), through bv2j synth
python3 demo-corpus/phonemize.py "$work/text" x demo > "$work/espeak.list"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
utts = []
for line in open(f"{work}/espeak.list"):
    _, spk, _, _, phones, tones, _ = line.rstrip("\n").split("|")
    p, t, g = ["_"], [0], [0]  # add_blank; English tones start at 7, language id 2
    for ph, tn in zip(phones.split(), tones.split()):
        p += [ph, "_"]; t += [int(tn) + 7, 0]; g += [2, 0]
    utts.append({"speaker": spk, "phones": p, "tones": t, "languages": g})
json.dump({"utterances": utts}, open(f"{work}/espeak-phones.json", "w"))
PY
if [ ${#voice[@]} -eq 0 ]; then
    mkdir -p "$work/voice"
    unzip -q -o -j cli/target/bv2j-cli.jar io/bv2j/cli/demo/config.json io/bv2j/cli/demo/voice.safetensors -d "$work/voice"
    synth=(--config "$work/voice/config.json" --checkpoint "$work/voice/voice.safetensors")
else
    synth=(--config "$2" --checkpoint "$1")
fi
./bv2j synth "${synth[@]}" --input "$work/espeak-phones.json" --out "$work/phones" >/dev/null
for f in "$work"/phones/*.wav; do n=$(basename "$f" .wav); mv "$f" "$work/phones-$(printf '%02d' $((10#$n + 1))).wav"; done

recognise() { # recognise GRAMMAR WAV...: one line per WAV (its segments joined)
    local gram=$1; shift
    for wav in "$@"; do
        echo "$(pocketsphinx_continuous -infile "$wav" -jsgf "$gram" -logfn /dev/null 2>/dev/null | tr '\n' ' ')"
    done
}
for who in bv2j phones espeak; do
    recognise "$work/sentences.gram" "$work/$who"-*.wav > "$work/$who.sent"
    recognise "$work/words.gram" "$work/$who"-*.wav > "$work/$who.words"
done
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
R = [l.split() for l in open(f"{work}/ref")]
def hits(a, b):
    """Words of a matched in a minimum-edit alignment with b (HTK's H; Corr = H / N ignores insertions)."""
    d = [(j, 0) for j in range(len(b) + 1)]  # (edits, -hits): ties prefer more hits
    for i, x in enumerate(a, 1):
        prev, d[0] = d[0], (i, 0)
        for j, y in enumerate(b, 1):
            diag = (prev[0] + (x != y), prev[1] - (x == y))
            prev, d[j] = d[j], min((d[j][0] + 1, d[j][1]), (d[j - 1][0] + 1, d[j - 1][1]), diag)
    return -d[-1][1]
total = sum(len(r) for r in R)
for who, label in (("bv2j", "bv2j say (demo voice), new sentences"),
                   ("phones", "demo voice, espeak phonemes (synth)"),
                   ("espeak", "espeak-ng itself, new sentences")):
    S = [l.split() for l in open(f"{work}/{who}.sent")]
    W = [l.split() for l in open(f"{work}/{who}.words")]
    identified = sum(r == s for r, s in zip(R, S))
    correct = sum(hits(r, w) for r, w in zip(R, W))
    print(f"{label:<40} sentence identified {identified:>2}/{len(R)}   words correct {correct:>2}/{total} ({correct / total:.0%})")
PY
