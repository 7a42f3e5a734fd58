#!/usr/bin/env bash
# Makes the newest generator checkpoint in a bv2j training folder the voice of `./bv2j demo`:
# an inference-only float16 export (bv2j export --half), the training config, the phonemized
# held-out sentences, and about.txt with how far it was trained (from metrics.jsonl) and, where
# PocketSphinx can be had, the machine listening test of demo-corpus/intelligibility.sh.
#
# usage: demo-corpus/bundle-voice.sh MODEL_DIR     (after demo-corpus/make-corpus.sh and bv2j train)
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL_DIR=${1:?usage: demo-corpus/bundle-voice.sh MODEL_DIR}
OUT=cli/src/main/resources/io/bv2j/cli/demo
G=$(ls "$MODEL_DIR"/G_*.pth 2>/dev/null | sort -V | tail -1)
[ -n "$G" ] || { echo "no G_*.pth in $MODEL_DIR" >&2; exit 1; }
mkdir -p "$OUT"
./bv2j export "$G" -o "$OUT/voice.safetensors" --half
cp demo-corpus/config.json "$OUT/config.json"
cp demo-corpus/build/filelists/heldout.list "$OUT/sentences.list"
python3 - "$MODEL_DIR/metrics.jsonl" "$(basename "$G")" > "$OUT/about.txt" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
train = [r for r in rows if "steps_per_s" in r]
evals = [r for r in rows if "val/mel_l1" in r]
step = int(sys.argv[2].removeprefix("G_").removesuffix(".pth"))
# Wall time up to the bundled checkpoint: each progress line covers the steps since the previous
# one at its steps/s (a resumed run repeats steps after its checkpoint; those count once).
hours, prev = 0.0, 0
for r in train:
    if r["step"] > step:
        break
    hours += max(0, r["step"] - prev) / r["steps_per_s"] / 3600
    prev = max(prev, r["step"])
evals = [r for r in evals if r["step"] <= step]
last = evals[-1] if evals else {}
print(f"voice: {sys.argv[2]}, trained by bv2j on demo-corpus/ (espeak-ng, 140 utterances, 5.3 min) "
      f"for {step} steps (~{hours:.1f} h on 2 CPU cores)")
if last:
    print(f"held-out mel L1 (x45, the training loss's scale) at step {last['step']}: {last['val/mel_l1'] * 45:.1f}")
print("an early-training voice: see the README's \"Demo voice\" section for what it sounds like")
PY
# The machine listening test (demo-corpus/intelligibility.sh), when PocketSphinx can be had.
if listening=$(demo-corpus/intelligibility.sh "$OUT/voice.safetensors" "$OUT/config.json" 2>/dev/null); then
    echo "machine listening test (PocketSphinx, demo-corpus/intelligibility.sh):" >> "$OUT/about.txt"
    grep -E "sentences +sentence identified" <<< "$listening" | sed 's/^/  /' >> "$OUT/about.txt"
fi
cat "$OUT/about.txt"
