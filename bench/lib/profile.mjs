// --profile support: V8 CPU profiles (top self time) and Chromium traces (main-thread work by
// kind), with the app's wasm functions named.
//
// The release wasm has no name section (wasm-opt -Oz drops it), so a CPU profile shows its
// functions by index only. The names come from running the same wasm-opt on trunk's
// wasm-bindgen output with -g (keep names): the benchmark checks that this gives byte for byte
// the same code as dist/ (every section but the custom ones) before trusting the index → name map.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

function leb(buf, i) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[i++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [result, i];
  }
}

/** The sections of a wasm module: [{ id, name (custom), start, end }]. */
function sections(buf) {
  const out = [];
  let i = 8;
  while (i < buf.length) {
    const id = buf[i++];
    let size;
    [size, i] = leb(buf, i);
    let name = null;
    if (id === 0) {
      const [len, j] = leb(buf, i);
      name = buf.subarray(j, j + len).toString('utf8');
    }
    out.push({ id, name, start: i, end: i + size });
    i += size;
  }
  return out;
}

/** Function index → name from a module's "name" section (subsection 1). */
function functionNames(buf) {
  const names = new Map();
  const sec = sections(buf).find((s) => s.id === 0 && s.name === 'name');
  if (!sec) return names;
  let [len, i] = leb(buf, sec.start);
  i += len;
  while (i < sec.end) {
    const kind = buf[i++];
    let size;
    [size, i] = leb(buf, i);
    const end = i + size;
    if (kind === 1) {
      let count;
      [count, i] = leb(buf, i);
      for (let k = 0; k < count; k++) {
        let idx;
        let n;
        [idx, i] = leb(buf, i);
        [n, i] = leb(buf, i);
        names.set(idx, buf.subarray(i, i + n).toString('utf8'));
        i += n;
      }
    }
    i = end;
  }
  return names;
}

const codeSections = (buf) =>
  Buffer.concat(sections(buf).filter((s) => s.id !== 0).map((s) => Buffer.concat([Buffer.from([s.id]), buf.subarray(s.start, s.end)])));

/**
 * Names for the functions of `distWasm`, or { names: empty, note } when they cannot be trusted.
 */
export function wasmNameMap(root, distWasm) {
  const bindgen = path.join(root, 'target/wasm-bindgen/release/r2p-annotator_bg.wasm');
  if (!fs.existsSync(bindgen)) return { names: new Map(), note: `no ${bindgen}: wasm functions are shown by index` };
  const out = path.join(os.tmpdir(), `r2p-bench-named-${process.pid}.wasm`);
  try {
    // Trunk runs `wasm-opt --output=… -O<level> <params> <file>` as index.html says
    // (data-wasm-opt, data-wasm-opt-params); -g keeps the names.
    const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
    const level = /data-wasm-opt="([^"]+)"/.exec(html)?.[1] ?? 'z';
    const params = (/data-wasm-opt-params="([^"]*)"/.exec(html)?.[1] ?? '').split(/\s+/).filter(Boolean);
    execFileSync('wasm-opt', [`--output=${out}`, `-O${level}`, ...params, '-g', bindgen], { stdio: 'pipe' });
    const named = fs.readFileSync(out);
    const dist = fs.readFileSync(distWasm);
    if (!codeSections(named).equals(codeSections(dist)))
      return { names: new Map(), note: 'the named rebuild differs from dist/: wasm functions are shown by index' };
    return { names: functionNames(named), note: 'wasm function names from a -g rebuild identical in code to dist/' };
  } catch (e) {
    return { names: new Map(), note: `wasm-opt -g failed (${String(e.message).split('\n')[0]}): wasm functions are shown by index` };
  } finally {
    fs.rmSync(out, { force: true });
  }
}

/** Rust names are long: drop hashes and generic noise so the table stays readable. */
function tidy(name) {
  return name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '').replace(/\s+/g, ' ');
}

/** For a frame in the wasm-bindgen glue: the DOM import it implements ("(glue) setAttribute"). */
function glueName(cf, sources) {
  const lines = sources && sources.get(cf.url.replace(/^https?:\/\/[^/]+/, ''));
  if (!lines) return null;
  for (let l = cf.lineNumber; l >= Math.max(0, cf.lineNumber - 2); l--) {
    const m = /__wbg_([A-Za-z0-9_]+?)_[0-9a-f]{16}\s*:/.exec(lines[l] || '');
    if (m) return `(glue) ${m[1]}`;
  }
  return null;
}

/**
 * Top self-time functions of a V8 CPU profile (Profiler.stop's `profile`). Wasm functions are
 * named through `names`; the glue's anonymous functions through `sources` (see glueName).
 */
export function summarizeCpuProfile(profile, names, { top = 40, sources = null, window = null } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id → µs
  const { samples = [], timeDeltas = [] } = profile;
  // Sample times are on the trace clock: keep those inside `window` ({ from, to }, µs) if given
  // and if it overlaps the profile at all.
  const useWindow = window && window.from < profile.endTime && window.to > profile.startTime;
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i] || 0;
    if (useWindow && (t < window.from || t > window.to)) continue;
    // The time until the next sample is charged to this one.
    const dt = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    self.set(samples[i], (self.get(samples[i]) || 0) + Math.max(0, dt));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const agg = new Map();
  const kinds = { wasm: 0, js: 0, gc: 0, program: 0, idle: 0, other: 0 };
  for (const [id, us] of self) {
    const { callFrame: cf } = byId.get(id);
    let name = cf.functionName || '(anonymous)';
    let kind;
    const m = /^\$?(?:func|wasm-function\[)(\d+)\]?$/.exec(name);
    const isWasm = m || cf.url.startsWith('wasm://') || /\.wasm$/.test(cf.url);
    if (m && names.has(Number(m[1]))) name = names.get(Number(m[1]));
    if (name === '(garbage collector)') kind = 'gc';
    else if (name === '(program)') kind = 'program';
    else if (name === '(idle)') kind = 'idle';
    else if (name === '(root)') kind = 'other';
    else kind = isWasm ? 'wasm' : 'js';
    kinds[kind] += us;
    const glue = kind === 'js' ? glueName(cf, sources) : null;
    if (glue) name = glue;
    const where = kind === 'js' && cf.url && !glue ? ` ${cf.url.replace(/^https?:\/\/[^/]+/, '')}:${cf.lineNumber + 1}` : '';
    const key = `${kind === 'wasm' ? '[wasm] ' : ''}${tidy(name)}${where}`;
    agg.set(key, (agg.get(key) || 0) + us);
  }
  const rows = [...agg].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    windowed: !!useWindow,
    totalMs: total / 1000,
    byKindMs: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, Math.round(v / 100) / 10])),
    top: rows.map(([fn, us]) => ({ fn, selfMs: Math.round(us / 100) / 10, pct: Math.round((1000 * us) / total) / 10 })),
  };
}

/**
 * Main-thread work by kind from a Chromium trace (devtools.timeline): self time of each event
 * name on the busiest renderer main thread, e.g. FunctionCall, UpdateLayoutTree (style),
 * Layout, PrePaint, Paint, V8.GC_*.
 */
export function summarizeTrace(traceJson, { top = 20, marks = ['bench-start', 'bench-end'] } = {}) {
  const all = traceJson.traceEvents || traceJson;
  // The measured window: performance marks made by the benchmark at the action and at its paint.
  const at = (name) => all.filter((e) => e.name === name && e.cat && e.cat.includes('blink.user_timing')).map((e) => e.ts)[0];
  const from = at(marks[0]);
  const to = at(marks[1]);
  const window = from !== undefined && to !== undefined && to > from ? { from, to } : null;
  const lo = window ? window.from : -Infinity;
  const hi = window ? window.to : Infinity;
  const threadNames = new Map();
  for (const e of all) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  const complete = all.filter((e) => e.ph === 'X' && e.dur !== undefined && e.ts < hi && e.ts + e.dur > lo);
  // The renderer main thread with the most work in the window.
  const work = new Map();
  for (const e of complete) {
    const k = `${e.pid}:${e.tid}`;
    if (threadNames.get(k) === 'CrRendererMain') work.set(k, (work.get(k) || 0) + e.dur);
  }
  const main = [...work].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) return { window, windowMs: null, busyMs: 0, onCpuPct: null, top: [] };
  const mine = complete.filter((e) => `${e.pid}:${e.tid}` === main);
  // Self time, clipped to the window: sweep the start/end boundaries of the (properly nested)
  // events and charge each stretch to the innermost event open during it.
  const bounds = [];
  for (const e of mine) {
    bounds.push({ t: e.ts, open: true, e });
    bounds.push({ t: e.ts + e.dur, open: false, e });
  }
  // At equal times: ends before starts; among starts the longer (outer) event first.
  bounds.sort((a, b) => a.t - b.t || (a.open === b.open ? (a.open ? b.e.dur - a.e.dur : a.e.dur - b.e.dur) : a.open ? 1 : -1));
  const self = new Map();
  const stack = [];
  let prev = null;
  let busy = 0;
  for (const b of bounds) {
    if (prev !== null && stack.length) {
      const us = Math.max(0, Math.min(b.t, hi) - Math.max(prev, lo));
      if (us > 0) {
        const name = stack[stack.length - 1].name;
        self.set(name, (self.get(name) || 0) + us);
        busy += us;
      }
    }
    if (b.open) stack.push(b.e);
    else {
      const i = stack.lastIndexOf(b.e);
      if (i >= 0) stack.splice(i, 1);
    }
    prev = b.t;
  }
  // Share of the time the thread was on the CPU (tdur: thread time), from the top-level events
  // inside the window; the rest it was runnable but descheduled (other processes on 2 cores).
  const tops = mine.filter((e) => e.ts >= lo && e.ts + e.dur <= hi && e.tdur !== undefined && !mine.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur && o.dur > e.dur));
  const wall = tops.reduce((a, e) => a + e.dur, 0);
  const cpu = tops.reduce((a, e) => a + e.tdur, 0);
  return {
    window,
    windowMs: window ? Math.round((window.to - window.from) / 100) / 10 : null,
    busyMs: Math.round(busy / 100) / 10,
    onCpuPct: wall > 0 ? Math.round((1000 * cpu) / wall) / 10 : null,
    top: [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10 })),
  };
}
