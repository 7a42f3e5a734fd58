#!/usr/bin/env bash
# Builds the demo corpus: a small single-speaker English dataset synthesized offline with espeak-ng,
# in the Bert-VITS2 v1.1 filelist format, ready for `bv2j preprocess` and training.
#
#   demo-corpus/make-corpus.sh [OUT]        (OUT defaults to demo-corpus/build)
#
# Writes OUT/wavs/utt-NNNN.wav (16 kHz mono 16-bit PCM), OUT/filelists/{train,val,heldout}.list
# (wav paths relative to OUT) and OUT/config.json (a copy of demo-corpus/config.json, whose
# training_files/validation_files are relative to OUT). Every 15th sentence of sentences.txt goes to
# val.list; heldout.txt's sentences are synthesized into heldout.list and never used for training.
# Needs espeak-ng, sox and python3 (installed with apt-get when missing and running as root).
# The output is deterministic: the same inputs and espeak-ng version give the same files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/build}"
rate=16000
speaker=demo
voice=en-us
speed=150

missing=()
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v sox >/dev/null || missing+=(sox)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
        echo "installing ${missing[*]}" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "make-corpus.sh: please install ${missing[*]} (e.g. sudo apt-get install -y ${missing[*]})" >&2
        exit 1
    fi
fi
export LC_ALL=C.UTF-8 PYTHONIOENCODING=utf-8

mkdir -p "$out/wavs" "$out/filelists"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# synth SENTENCES_FILE PREFIX: one wav per non-empty line, PREFIX0001.wav, PREFIX0002.wav, ...
synth() {
    local n=0 line
    while IFS= read -r line || [[ -n $line ]]; do
        line="${line#"${line%%[![:space:]]*}"}"; line="${line%"${line##*[![:space:]]}"}"
        [[ -z $line ]] && continue
        n=$((n + 1))
        local wav
        wav="$out/$(printf '%s%04d.wav' "$2" "$n")"
        espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw.wav" -- "$line"
        # -D: no dither, so the conversion is repeatable
        sox -D "$tmp/raw.wav" -r "$rate" -b 16 -c 1 -e signed-integer "$wav"
    done < "$1"
    echo "$n"
}

n_train=$(synth "$here/sentences.txt" wavs/utt-)
n_held=$(synth "$here/heldout.txt" wavs/heldout-)

python3 "$here/phonemize.py" "$here/sentences.txt" wavs/utt- "$speaker" > "$tmp/all.list"
python3 "$here/phonemize.py" "$here/heldout.txt" wavs/heldout- "$speaker" > "$out/filelists/heldout.list"
awk 'NR % 15 != 0' "$tmp/all.list" > "$out/filelists/train.list"
awk 'NR % 15 == 0' "$tmp/all.list" > "$out/filelists/val.list"
cp "$here/config.json" "$out/config.json"

seconds=$(for f in "$out"/wavs/utt-*.wav; do soxi -D "$f"; done | awk '{s += $1} END {printf "%.1f", s}')
echo "demo corpus in $out: $n_train sentences ($(wc -l < "$out/filelists/train.list") train," \
     "$(wc -l < "$out/filelists/val.list") val, ${seconds} s of audio), $n_held held out"
