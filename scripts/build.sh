#!/usr/bin/env bash
# Builds the release app into dist/ (installing missing tools first).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
trunk build --release
