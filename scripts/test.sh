#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (native and wasm32), native unit and property
# tests, the release build, browser tests (wasm-bindgen-test in headless Chromium), and the
# end-to-end tests that drive the release build in headless Chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
# Runs a test command, showing its output and keeping it for the final tally.
tests() { "$@" 2>&1 | tee -a "$LOG"; }

step "format"
cargo fmt --check
step "clippy (native)"
cargo clippy --all-targets --locked -- -D warnings
step "clippy (wasm32)"
cargo clippy --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
step "release build (dist/)"
trunk build --release
step "browser tests (wasm-bindgen-test, headless Chromium)"
# No --quiet: wasm-bindgen-test-runner rejects it.
tests cargo test --locked --target wasm32-unknown-unknown
step "native unit, property and end-to-end tests"
tests cargo test --locked

# One closing line over every suite (wasm-bindgen-test and cargo test print one per binary).
passed=$(grep -oE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$LOG" | awk '{s+=$4} END {print s+0}')
failed=$(grep -oE '; [0-9]+ failed' "$LOG" | awk '{s+=$2} END {print s+0}')
echo
echo "tests: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
