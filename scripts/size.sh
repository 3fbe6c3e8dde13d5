#!/usr/bin/env bash
# What the app weighs: the served files of dist/ (raw and gzip -9) and where the wasm's bytes go.
# For the breakdown it rebuilds the wasm of the last release build with its names kept (the
# shipped one has none): wasm-bindgen --keep-debug, then wasm-opt with index.html's flags plus -g
# (which can change the code by a few hundred bytes; the difference is printed). twiggy
# (installed on first use) reads that copy; its top / dominators / garbage listings are left in
# target/size/.
#   bash scripts/size.sh            # after bash scripts/build.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
TWIGGY_VERSION=0.8.0
if [ "$(twiggy --version 2>/dev/null | awk '{print $2}')" != "$TWIGGY_VERSION" ]; then
  log "installing twiggy $TWIGGY_VERSION (about 3 minutes, once)"
  cargo install twiggy --version "$TWIGGY_VERSION" --locked
fi

WASM="$(ls dist/r2p-annotator-*_bg.wasm 2>/dev/null | head -n1)"
[ -n "$WASM" ] || { echo "size: no dist/ build; run bash scripts/build.sh first" >&2; exit 1; }
RAW_WASM=target/wasm32-unknown-unknown/release/r2p-annotator.wasm
[ "$RAW_WASM" -nt "$WASM" ] && { echo "size: $RAW_WASM is newer than dist/; build again" >&2; exit 1; }

echo "Served files (gzip -9):"
{
  for f in dist/index.html dist/r2p-annotator-*.js dist/snippets/*/*.js "$WASM" dist/style-*.css; do
    printf '%s\t%s\t%s\n' "${f#dist/}" "$(wc -c < "$f")" "$(gzip -9 < "$f" | wc -c)"
  done
} | awk -F'\t' '{ printf "  %-52s %9d B raw %9d B gzip\n", $1, $2, $3; r += $2; g += $3 }
  END { printf "  %-52s %9d B raw %9d B gzip (%.1f KiB)\n", "total", r, g, g / 1024 }'
printf '  %-52s %9d B raw\n' "r2p-annotator.html (single file)" "$(wc -c < dist/r2p-annotator.html)"

OUT=target/size
rm -rf "$OUT" && mkdir -p "$OUT"
LEVEL="$(sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p' index.html)"
PARAMS="$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)"
wasm-bindgen --target web --keep-debug --no-typescript --out-dir "$OUT/bindgen" --out-name r2p-annotator "$RAW_WASM"
# shellcheck disable=SC2086 # the flags are words
wasm-opt "-O$LEVEL" $PARAMS -g "$OUT/bindgen/r2p-annotator_bg.wasm" -o "$OUT/named.wasm"
wasm-opt --strip-debug "$OUT/named.wasm" -o "$OUT/stripped.wasm"
# -g can change wasm-opt's output slightly; say by how much.
DIFF=$(( $(wc -c < "$OUT/stripped.wasm") - $(wc -c < "$WASM") ))
[ "$DIFF" = 0 ] || echo "  (the named copy, stripped of its names, is $DIFF B off the served wasm)"
twiggy top "$OUT/named.wasm" > "$OUT/top.txt"
twiggy dominators "$OUT/named.wasm" > "$OUT/dominators.txt"
twiggy garbage "$OUT/named.wasm" > "$OUT/garbage.txt"
twiggy top -n 1000000 --format csv "$OUT/named.wasm" > "$OUT/top.csv"

# Each item (function or data segment) goes to the first group whose pattern its name matches;
# generic code goes where it was instantiated for, when its name says so (serde's derived
# impls, drop glue and Yew's wrappers of our components by type name).
node - "$OUT/top.csv" <<'JS'
const fs = require('fs');
const groups = [
  ['names (not served: the -g copy only)', /subsection/],
  ['data: strings, tables, panic locations, the default document', /^data segment/],
  ['serde, serde_json (with derived (de)serialisers)', / as serde(_core)?(\[\w+\])?::|serde|itoa|zmij|ryu/],
  ['our UI and browser glue (html! trees, callbacks)', /CompStateInner<COMP>.*::view|r2p_annotator::(ui|web|main)/],
  ['our core (store, anchoring, import, layout, …)', /r2p_annotator::core/],
  ['Yew runtime (virtual DOM, scheduler, hooks), gloo', /yew|gloo|implicit_clone|wasm_bindgen_futures|js_sys::futures|futures|slab|prokio/],
  ['formatting (core::fmt, number printing)', /fmt|flt2dec|dragon|grisu|bignum|escape_debug|Display|Debug/],
  ['slice sorting (one copy per element type)', /sort/],
  ['collections, strings, allocator', /hashbrown|indexmap|alloc|dlmalloc|std(\[\w+\])?::|btree|RawVec|vec::|to_lowercase|to_uppercase/],
  ['wasm-bindgen, js-sys, web-sys bindings', /wasm_bindgen|js_sys|web_sys|__wbindgen|__wbg|__externref|^export |^import |[Cc]losure/],
  ['sha2', /sha2|digest|block_buffer/],
  ['chrono', /chrono/],
];
const other = 'other (core: str, iter, unicode, math, …; unnamed)';
const sizes = new Map([...groups.map(([g]) => [g, 0]), [other, 0]]);
const rows = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').slice(1);
for (const row of rows) {
  // Name,ShallowSize,…: the name is quoted when it holds a comma, with quotes doubled.
  const m = row.match(/^("(?:[^"]|"")*"|[^,]*),(\d+),/);
  const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1];
  const group = groups.find(([, re]) => re.test(name));
  const g = group ? group[0] : other;
  sizes.set(g, sizes.get(g) + Number(m[2]));
}
const served = [...sizes].filter(([g]) => g !== groups[0][0]).reduce((a, [, b]) => a + b, 0);
console.log(`\nWasm by part (shallow bytes of the named copy, ${served} B without names):`);
console.log('| Part | KiB raw | share |\n| --- | ---: | ---: |');
for (const [g, b] of [...sizes].filter(([g]) => g !== groups[0][0]).sort((a, b) => b[1] - a[1])) {
  if (b > 0) console.log(`| ${g} | ${(b / 1024).toFixed(1)} | ${((100 * b) / served).toFixed(1)} % |`);
}
JS
echo "twiggy listings: $OUT/top.txt, dominators.txt, garbage.txt"
