#!/usr/bin/env bash
# Does a demo voice speak? An offline listening test by machine: the voice says the 10 held-out
# sentences and the first 10 training sentences, and PocketSphinx (Debian's pocketsphinx with its
# en-us model) transcribes them twice:
#   - sentence: constrained to the 160 sentences of sentences.txt + heldout.txt, which one it
#     heard (a voice that babbles gets an empty or a wrong answer);
#   - words: a free loop over the corpus's 472 words, scored as the reference words it got right
#     in a minimum-edit alignment (HTK's "Corr"; the loop inserts many words, so WER says little).
# espeak-ng's own recordings of the same sentences go through the same test as the yardstick
# (PocketSphinx's acoustic model is trained on people, not on espeak, so even espeak's own words
# are far from all correct).
#
# usage: demo-corpus/intelligibility.sh [--require-heldout N] G.pth|voice.safetensors [CONFIG]
#        (after demo-corpus/make-corpus.sh; CONFIG defaults to demo-corpus/config.json)
#        --require-heldout N: exit 1 unless the voice's held-out sentences are identified N times
#        of 10 (CI holds the bundled demo voice to it).
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIRE=0
if [ "${1:-}" = --require-heldout ]; then REQUIRE=${2:?--require-heldout needs a count}; shift 2; fi
CKPT=${1:?usage: demo-corpus/intelligibility.sh [--require-heldout N] G.pth|voice.safetensors [CONFIG]}
CONFIG=${2:-demo-corpus/config.json}
BUILD=demo-corpus/build
[ -f "$BUILD/filelists/heldout.list" ] || { echo "run demo-corpus/make-corpus.sh first" >&2; exit 1; }
if ! command -v pocketsphinx_continuous >/dev/null; then
    [ "$(id -u)" -eq 0 ] || { echo "needs pocketsphinx and pocketsphinx-en-us (apt-get install as root)" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pocketsphinx pocketsphinx-en-us >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$BUILD/filelists" demo-corpus/sentences.txt demo-corpus/heldout.txt <<'PY'
import json, re, sys
work, lists, *texts = sys.argv[1:]
def words(s):
    return re.sub(r"[^a-z' ]", " ", s.lower()).split()
sentences = [words(l) for t in texts for l in open(t) if l.strip()]
vocab = sorted({w for s in sentences for w in s})
with open(f"{work}/sentences.gram", "w") as g:
    g.write("#JSGF V1.0;\ngrammar sentences;\npublic <s> = " + " | ".join("( " + " ".join(s) + " )" for s in sentences) + " ;\n")
with open(f"{work}/words.gram", "w") as g:
    g.write("#JSGF V1.0;\ngrammar words;\npublic <s> = ( " + " | ".join(vocab) + " )+ ;\n")
for name, path in (("heldout", f"{lists}/heldout.list"), ("train", f"{lists}/train.list")):
    rows = [l.rstrip("\n").split("|") for l in open(path) if l.strip()][:10]
    utts = []
    for wav, spk, lang, text, phones, tones, _ in rows:
        if lang != "EN":
            sys.exit(f"{path}: expected English lines, got {lang}")
        p, t, g = ["_"], [0], [0]  # add_blank; English tones start at 7, language id 2
        for ph, tn in zip(phones.split(), tones.split()):
            p += [ph, "_"]; t += [int(tn) + 7, 0]; g += [2, 0]
        utts.append({"speaker": spk, "phones": p, "tones": t, "languages": g})
    json.dump({"utterances": utts}, open(f"{work}/{name}.json", "w"))
    with open(f"{work}/{name}.ref", "w") as f:
        for r in rows:
            f.write(" ".join(words(r[3])) + "\n")
    with open(f"{work}/{name}.espeak", "w") as f:
        for r in rows:
            f.write(f"{lists}/../{r[0]}\n")
PY

recognise() { # recognise GRAMMAR WAV...: one line per WAV (its segments joined), empty when nothing was heard
    local gram=$1; shift
    for wav in "$@"; do
        echo "$(pocketsphinx_continuous -infile "$wav" -jsgf "$gram" -logfn /dev/null 2>/dev/null | tr '\n' ' ')"
    done
}
score() { # score REF HYP_SENTENCES HYP_WORDS LABEL
    python3 - "$@" <<'PY'
import sys
ref, sent, wrd, label = sys.argv[1:]
R = [l.split() for l in open(ref)]
S = [l.split() for l in open(sent)]
W = [l.split() for l in open(wrd)]
def hits(a, b):
    """Words of a matched in a minimum-edit alignment with b (HTK's H; Corr = H / N ignores insertions)."""
    d = [(j, 0) for j in range(len(b) + 1)]  # (edits, -hits) so ties prefer more hits
    for i, x in enumerate(a, 1):
        prev, d[0] = d[0], (i, 0)
        for j, y in enumerate(b, 1):
            diag = (prev[0] + (x != y), prev[1] - (x == y))
            prev, d[j] = d[j], min((d[j][0] + 1, d[j][1]), (d[j - 1][0] + 1, d[j - 1][1]), diag)
    return -d[-1][1]
identified = sum(r == s for r, s in zip(R, S))
correct = sum(hits(r, w) for r, w in zip(R, W))
total = sum(len(r) for r in R)
print(f"{label:<36} sentence identified {identified:>2}/{len(R)}   words correct {correct:>2}/{total} ({correct / total:.0%})")
PY
}

for set in heldout train; do
    mkdir -p "$work/$set"
    ./bv2j synth --config "$CONFIG" --checkpoint "$CKPT" --input "$work/$set.json" --out "$work/$set" >/dev/null
    mapfile -t ours < <(ls "$work/$set"/*.wav | sort)
    mapfile -t espeak < <(cat "$work/$set.espeak")
    recognise "$work/sentences.gram" "${ours[@]}" > "$work/$set.ours.sent"
    recognise "$work/words.gram" "${ours[@]}" > "$work/$set.ours.words"
    recognise "$work/sentences.gram" "${espeak[@]}" > "$work/$set.espeak.sent"
    recognise "$work/words.gram" "${espeak[@]}" > "$work/$set.espeak.words"
    score "$work/$set.ref" "$work/$set.ours.sent" "$work/$set.ours.words" "$(basename "$CKPT"), $set sentences" \
        | tee "$work/$set.ours.score"
    score "$work/$set.ref" "$work/$set.espeak.sent" "$work/$set.espeak.words" "espeak-ng itself, $set sentences"
done
heard=$(sed -E 's/.*identified +([0-9]+)\/.*/\1/' "$work/heldout.ours.score")
if [ "$heard" -lt "$REQUIRE" ]; then
    echo "intelligibility: $heard of 10 held-out sentences identified, below the required $REQUIRE" >&2
    exit 1
fi
