#!/usr/bin/env bash
# Load test of `bv2j serve` on loopback: starts the server with the demo voice (plus any serve
# options after --), checks every endpoint once with curl, drives POST /v1/audio/speech with wrk
# (scripts/wrk-speech.lua) for a bounded time, samples the server's resident memory, then stops
# it with SIGTERM (graceful drain). Fails on any error response, socket error or timeout, on a
# failed endpoint, on resident memory that grows after the first quarter of the run (minute one
# of a long run), or on a shutdown that does not exit cleanly.
#
#   scripts/serve-load.sh [--duration S] [--connections C] [--port P] [--label NAME] [-- serve options]
#
# Prints one summary line (requests, errors, p50/p99 latency, audio seconds per second, RSS).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration=60 connections=16 port=18080 label=serve
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "serve-load: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "serve-load: needs wrk (apt-get install wrk)" >&2; exit 2; }
base="http://127.0.0.1:$port"
if curl -s -o /dev/null "$base/health"; then echo "serve-load: something already answers on port $port" >&2; exit 2; fi
work="$(mktemp -d)"
"$root/bv2j" serve --port "$port" "$@" 2>"$work/server.log" &
pid=$!
cleanup() { kill "${sampler:-}" "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 600); do
  curl -sf "$base/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "serve-load: the server died" >&2; exit 1; }
  sleep 0.2
done
curl -sf "$base/health" >/dev/null || { echo "serve-load: no /health after 120 s" >&2; exit 1; }
# ./bv2j execs java, so $pid is the server JVM itself (its RSS is what is sampled)

check() { # name expected-type curl-args...
  local name="$1" type="$2"; shift 2
  local got
  got="$(curl -s -o "$work/body" -w '%{http_code} %{content_type}' "$@")"
  case "$got" in
    "200 $type"*) ;;
    *) echo "serve-load: $name answered '$got': $(head -c 300 "$work/body")" >&2; exit 1 ;;
  esac
}
check "GET / (page)" text/html "$base/"
check "GET / (reference query)" audio/wav "$base/?text=Hello%20there.&speaker=demo&sdp_ratio=0.2&noise=0.5&noisew=0.6&length=1.2&language=EN&format=wav"
check "POST /v1/audio/speech" audio/wav -X POST -H 'Content-Type: application/json' -d '{"model":"demo","input":"Good morning.","voice":"demo"}' "$base/v1/audio/speech"
check "POST /synthesize" audio/wav -X POST -H 'Content-Type: application/json' -d '{"utterances":[{"text":"One more time."}]}' "$base/synthesize?voice=demo"
check "GET /voices" application/json "$base/voices"
check "GET /health" application/json "$base/health"
check "GET /metrics" text/plain "$base/metrics"

# streaming: how soon the first audio of a 12-sentence text arrives, against the whole response
long="$(for i in $(seq 12); do printf 'Sentence number %d of a long text that streams sentence by sentence. ' "$i"; done)"
read -r first_byte whole < <(curl -s -o /dev/null -w '%{time_starttransfer} %{time_total}\n' -X POST \
  -H 'Content-Type: application/json' -d "{\"input\":\"$long\",\"response_format\":\"pcm\"}" "$base/v1/audio/speech")

metric() { curl -s "$base/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
audio0="$(metric bv2j_audio_seconds_total)"
: >"$work/rss"
( while kill -0 "$pid" 2>/dev/null; do rss >>"$work/rss" 2>/dev/null || true; sleep 1; done ) &
sampler=$!
threads=$(( connections < 2 ? connections : 2 ))
wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 60s --latency -s "$root/scripts/wrk-speech.lua" "$base" >"$work/wrk.txt"
kill "$sampler" 2>/dev/null || true
audio1="$(metric bv2j_audio_seconds_total)"
rejected="$(metric bv2j_rejected_total)"
batches="$(metric bv2j_batch_size_count)" sentences="$(metric bv2j_batch_size_sum)"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
trap 'rm -rf "$work"' EXIT
# 143: the JVM's exit after SIGTERM once its shutdown hook (the drain) has returned
if [ "$status" -ne 0 ] && [ "$status" -ne 143 ]; then
  cat "$work/server.log" >&2; echo "serve-load: the server exited with $status on SIGTERM" >&2; exit 1
fi
grep -q "shutting down" "$work/server.log" || { echo "serve-load: no graceful shutdown in the log" >&2; exit 1; }

requests="$(awk '/requests in/ { print $1 }' "$work/wrk.txt")"
non2xx="$(awk '/Non-2xx/ { print $NF }' "$work/wrk.txt")"
sockerr="$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$work/wrk.txt")"
p50="$(awk '$1 == "50%" { print $2 }' "$work/wrk.txt")" p99="$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")"
samples="$(wc -l <"$work/rss")"
quarter=$(( samples / 4 > 0 ? samples / 4 : 1 ))
rss_q="$(sed -n "${quarter}p" "$work/rss")" rss_end="$(tail -1 "$work/rss")" rss_max="$(sort -n "$work/rss" | tail -1)"
audio_per_s="$(awk -v a="$audio0" -v b="$audio1" -v d="$duration" 'BEGIN { printf "%.2f", (b - a) / d }')"
per_batch="$(awk -v b="$batches" -v s="$sentences" 'BEGIN { printf "%.2f", (b > 0 ? s / b : 0) }')"
echo "serve-load[$label]: ${duration}s x ${connections} connections: ${requests:-0} requests, $((${non2xx:-0} + ${sockerr:-0})) errors" \
  "(${rejected:-0} rejected 429), p50 ${p50:-?} p99 ${p99:-?}, ${audio_per_s} audio s/s, ${per_batch} sentences/batch," \
  "RSS ${rss_q} kB at 1/4 -> ${rss_end} kB at end (max ${rss_max} kB); streamed 12 sentences alone: first audio" \
  "after ${first_byte} s, all after ${whole} s"
fail=0
[ "${requests:-0}" -gt 0 ] || { echo "serve-load: no requests completed" >&2; fail=1; }
[ "${non2xx:-0}" -eq 0 ] || { echo "serve-load: $non2xx error responses" >&2; fail=1; }
[ "${sockerr:-0}" -eq 0 ] || { echo "serve-load: $sockerr socket errors or timeouts" >&2; cat "$work/wrk.txt" >&2; fail=1; }
# flat: at the end at most 10% + 32 MB above the first quarter's level (allocator noise, not growth)
if [ "$rss_end" -gt $(( rss_q + rss_q / 10 + 32768 )) ]; then
  echo "serve-load: resident memory grew from $rss_q kB to $rss_end kB" >&2; fail=1
fi
exit $fail
