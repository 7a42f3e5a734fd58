#!/usr/bin/env bash
# Runs every test of every module (native build included). Golden parity data: $BV2J_GOLDEN,
# default ../shared/golden; without it parity tests skip loudly (and fail under CI=true).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$root/scripts/java-home.sh"
cd "$root"
exec mvn -B -q install "$@"
