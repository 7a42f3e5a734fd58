#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md on one machine, in one go: bv2j (decoder, full
# synthesis and everything before the decoder), the PyTorch decoder baseline and ONNX Runtime on
# the same decoder, for each thread count. Engines alternate within a round so that drift in
# machine load hits them alike.
#
# usage: bench/run-benchmarks.sh [CONFIG] [FRAMES] [REPS] [ROUNDS]
# needs: JDK 25 (JAVA_HOME), /usr/bin/python3 with torch, the onnxruntime jar in ~/.m2, and
#        `mvn -o install -DskipTests -pl native,java-bindings,runtime,model && mvn -o package -DskipTests -pl bench`
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${BV2J_SHARED:-../shared}
CONFIG=${1:-$SHARED/bench/default-44k-config.json}
FRAMES=${2:-160}
REPS=${3:-5}
ROUNDS=${4:-1}
JAVA=${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java
ORT_JAR=$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar
ONNX=${TMPDIR:-/tmp}/bv2j-decoder-$(basename "$CONFIG" .json).onnx # one export per config
# Run from a private copy of the classes and jars: a rebuild of the tree (or a newer snapshot
# installed in ~/.m2) during a long run must not change the code under test.
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -r bench/target/classes "$STAGE/classes"
mkdir "$STAGE/lib"
tr ':' '\n' < bench/target/classpath.txt | xargs -I{} cp {} "$STAGE/lib/"
CP="$STAGE/classes:$STAGE/lib/*"
RATE=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['data']['sampling_rate'])" "$CONFIG")

if [ ! -f "$ONNX" ]; then
  /usr/bin/python3 "$SHARED/bench/torch_decoder_baseline.py" "$CONFIG" --frames "$FRAMES" --threads 2 --reps 1 \
    --export-onnx "$ONNX" > /dev/null
fi

load() { cut -d' ' -f1 /proc/loadavg; }
# On a shared machine, start each engine only after 5 s in which at most one other thread was
# runnable (gives up after 2 minutes and runs anyway; the load printed beside each line tells).
quiet() {
  for _ in $(seq 24); do
    local busy=0
    for _ in 1 2 3 4 5; do
      [ "$(awk '{split($4, a, "/"); print a[1]}' /proc/loadavg)" -gt 2 ] && busy=1
      sleep 1
    done
    [ $busy = 0 ] && return
  done
  return 0 # gave up waiting: run anyway (a non-zero status here would end the script under set -e)
}
# One result line: an optional engine label, the command's own line, and the 1-minute load
# average just before it started.
measure() {
  local label=$1 before
  shift
  quiet
  before=$(load)
  echo "$label$("$@") load_before=$before"
}
for round in $(seq "$ROUNDS"); do
  for threads in 2 1; do
    echo "# round $round threads $threads"
    for part in decoder full latent; do
      # the JVM flags ./bv2j runs with (a small serial heap; see the launcher)
      measure "bv2j " "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms32m -cp "$CP" io.bv2j.bench.BenchRunner --config "$CONFIG" \
        --part $part --frames "$FRAMES" --threads $threads --reps "$REPS"
    done
    measure "" /usr/bin/python3 "$SHARED/bench/torch_decoder_baseline.py" "$CONFIG" --frames "$FRAMES" \
      --threads $threads --reps "$REPS"
    measure "" "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$ORT_JAR" "$SHARED/bench/OrtDecoderBench.java" "$ONNX" \
      "$FRAMES" $threads "$REPS" "$RATE"
  done
done
