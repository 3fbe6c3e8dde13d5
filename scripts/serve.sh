#!/usr/bin/env bash
# Builds the release app and serves it on 127.0.0.1 (PORT, default 8080); prints the URL.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
PORT="${PORT:-8080}"
trunk build --release
echo
echo "R2P Annotator is being served at: http://127.0.0.1:$PORT/"
echo "(Ctrl+C stops it.)"
exec trunk serve --release --address 127.0.0.1 --port "$PORT" --no-autoreload
