#!/usr/bin/env bash
# Performance benchmark: builds the release app (dist/), installs the benchmark's npm packages
# (bench/package-lock.json: playwright-core, @recogito/text-annotator), then measures the app in
# headless Chromium and compares it, in the same browser run, with Recogito's text-annotator and
# a hand-written plain-JS floor (bench/pages/floor.js), against issue 9's targets.
# Prints the tables and writes bench/results.json. Options go to bench/bench.mjs, e.g.
#   bash scripts/bench.sh --profile      # also CPU profiles + traces: bench/profile-*.txt
#   bash scripts/bench.sh --runs 3 --slow-runs 1 --only size,cold,open,floor
#   bash scripts/bench.sh --markdown     # also the targets table as Markdown, for README.md
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/build.sh"
# Tools on PATH (wasm-opt for --profile); quick: everything is installed by now.
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"

# npm ci only when the lock file changed since the last install.
STAMP=bench/node_modules/.bench-lock
if [ ! -f "$STAMP" ] || ! cmp -s bench/package-lock.json "$STAMP"; then
  echo "[bench] installing bench/ npm packages (npm ci)" >&2
  npm ci --prefix bench --no-audit --no-fund --loglevel=error
  cp bench/package-lock.json "$STAMP"
fi

exec node bench/bench.mjs "$@"
