#!/usr/bin/env bash
# The GPU check in one command, for a lent GPU machine that has no Java and no network.
#
#   scripts/gpu-check.sh prepare        here: builds, then packs gpu-check/ (git-ignored): a jlink'd
#                                       java.base runtime, the jars, the reference peer (~50 MB)
#   scripts/gpu-check.sh run [--dry-run] there (the device tool: carry gpu-check): the GPU tests,
#                                       the aligner beside the reference, the reference's own CUDA
#                                       figures; results in $OUT (default gpu-check/out)
#
# On the GPU machine a skipped GPU test is a failure (BV2J_REQUIRE_GPU=1); --dry-run runs the same
# steps on a machine without a GPU, where they skip, to prove the script before GPU minutes are spent.
# Budget: well under 6 minutes on an H100.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pack="$root/gpu-check"
shared="${BV2J_SHARED:-$root/../shared}"
junit_version=1.14.1

prepare() {
  . "$root/scripts/java-home.sh"
  (cd "$root" && mvn -B -q -o install -DskipTests -pl native,java-bindings,runtime,align,model,bench -am)
  (cd "$root" && mvn -B -q -o test-compile -pl java-bindings,align)
  rm -rf "$pack" && mkdir -p "$pack/lib" "$pack/peer"
  local m2="${MAVEN_REPO:-$HOME/.m2/repository}"
  local console="$m2/org/junit/platform/junit-platform-console-standalone/$junit_version/junit-platform-console-standalone-$junit_version.jar"
  [ -f "$console" ] || mvn -B -q dependency:get -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_version"
  cp "$console" "$pack/lib/"
  for m in native java-bindings runtime align model bench; do cp "$root/$m"/target/bv2j-"$m"-*[0-9T].jar "$pack/lib/"; done
  cp "$m2"/org/bytedeco/openblas/*/openblas-*-linux-x86_64.jar "$pack/lib/"
  (cd "$root/java-bindings/target/test-classes" && "$JAVA_HOME/bin/jar" cf "$pack/lib/bindings-tests.jar" .)
  (cd "$root/align/target/test-classes" && "$JAVA_HOME/bin/jar" cf "$pack/lib/align-tests.jar" .)
  "$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.xml --strip-debug --no-man-pages --no-header-files \
    --compress zip-9 --output "$pack/jre"
  (cd "$pack" && tar czf jre.tgz jre && rm -rf jre)
  cp "$shared/bench/torch_reference_bench.py" "$pack/peer/"
  cp -r "$shared/bench/reference-1.1.1" "$pack/peer/"
  du -sh "$pack"
}

run() {
  local dry=0
  [ "${1:-}" = "--dry-run" ] && dry=1
  local out="${OUT:-$pack/out}"
  mkdir -p "$out"
  exec > >(tee "$out/gpu-check.log") 2>&1
  cd "$pack"
  [ -d jre ] || tar xzf jre.tgz
  local java="$pack/jre/bin/java" cp="$pack/lib/*"
  export BV2J_NATIVE_CACHE="$pack/native-cache"
  [ $dry -eq 1 ] || export BV2J_REQUIRE_GPU=1
  echo "== machine"; date -u; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 || true
  nproc; "$java" -version 2>&1 | head -1
  local rc=0
  echo "== GPU tests (every CUDA kernel against the CPU kernel)"
  "$java" --enable-native-access=ALL-UNNAMED -jar lib/junit-platform-console-standalone-*.jar execute \
    -cp "$pack/lib/bv2j-native-0.1.0-SNAPSHOT.jar:$pack/lib/bv2j-java-bindings-0.1.0-SNAPSHOT.jar:$pack/lib/bv2j-align-0.1.0-SNAPSHOT.jar:$pack/lib/bindings-tests.jar:$pack/lib/align-tests.jar:$(ls "$pack"/lib/openblas-*.jar)" \
    --select-class io.bv2j.nativelib.CudaLibraryTest --select-class io.bv2j.nativelib.CudaKernelsTest \
    --select-class io.bv2j.align.CudaMaximumPathTest --select-class io.bv2j.align.MonotonicAlignmentTest \
    --details=tree --disable-banner --disable-ansi-colors --reports-dir="$out/junit" || rc=1
  echo "== MAS, 16 x 2048 x 512: bv2j on CUDA, on the CPU, and the reference (numba, CPU)"
  local bench=(--enable-native-access=ALL-UNNAMED -cp "$cp" io.bv2j.bench.MasBench)
  if [ $dry -eq 1 ]; then "$java" "${bench[@]}" cuda 16 2048 512 20 || true; else "$java" "${bench[@]}" cuda 16 2048 512 20 || rc=1; fi
  "$java" "${bench[@]}" cpu 16 2048 512 3 "$(nproc)" || rc=1
  local py=/usr/bin/python3
  [ -x "$py" ] || py=python3
  if "$py" -c "import torch" 2>/dev/null; then
    (cd peer && timeout 120 "$py" torch_reference_bench.py --part mas --batch 16 --frames 2048 --phones 512 --reps 3) || echo "reference mas: not run (numba missing?)"
    if "$py" -c "import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
      echo "== the reference on CUDA, fp32 (bv2j's inference on CUDA is not built yet: these are the targets' peers)"
      for part in "full" "decoder --frames 160" "batch --batch 8"; do
        (cd peer && timeout 120 "$py" torch_reference_bench.py --device cuda --part $part --reps 10) || rc=1
      done
    fi
  else
    echo "reference: no PyTorch here"
  fi
  echo "== done rc=$rc"
  return $rc
}

case "${1:-}" in
  prepare) prepare ;;
  run) shift; run "$@" ;;
  *) echo "usage: scripts/gpu-check.sh prepare | run [--dry-run]" >&2; exit 2 ;;
esac
