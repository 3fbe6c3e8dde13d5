#!/usr/bin/env node
// R2P Annotator performance benchmark: the release build (dist/) in headless Chromium, compared in
// the same browser run with Recogito's text-annotator on the same text and annotation sets.
// Run through `bash scripts/bench.sh` (builds dist/, installs this folder's npm packages).
//
//   node bench/bench.mjs [--runs N] [--slow-runs N] [--timeout S] [--profile] [--only a,b]
//     --runs N       runs per case (default 5)
//     --slow-runs N  runs for the slow 10k cases: the app at 10k, Recogito at 10k (default 3)
//     --timeout S    cap per measured step, seconds (default 60); a step over it is a "timeout"
//     --profile      also write CPU profiles and trace summaries for the app's 10k open and
//                    add-one cases (bench/profile-*.txt, *.cpuprofile, *.json)
//     --only LIST    comma-separated subset of: size,cold,open,import,recogito
//     --sizes LIST   annotation set sizes (default 1000,10000; import uses 10000 when listed)
//     --out FILE     where to write the JSON (default bench/results.json)
//     --profile-sizes LIST  which open/add-one cases --profile records (default 10000)
//     (env BENCH_TRACE_CATS: comma-separated trace categories for --profile, to dig deeper;
//      env BENCH_SAVE_TRACE=1: also write the raw traces, bench/profile-*.trace.json)
//
// Every time is taken in the page with performance.now(); "painted" means the change is in the
// DOM (or, for Recogito's CSS highlights, in CSS.highlights) and the first frame that includes
// it has finished on the main thread (see lib/inpage.js). Results: bench/results.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './lib/server.mjs';
import { describeText, generate, envelope, w3c } from './lib/data.mjs';
import { summary, round, fmtMs, fmtSummary, fmtBytes, table } from './lib/stats.mjs';
import { wasmNameMap, summarizeCpuProfile, summarizeTrace } from './lib/profile.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const SOURCE_DIST = path.join(ROOT, 'dist');
// The benchmark serves a snapshot of dist/ taken at its start, so that a rebuild while it runs
// (another terminal running the tests) cannot change or remove files under it.
let DIST = SOURCE_DIST;
const INPAGE = path.join(BENCH, 'lib/inpage.js');
const RECOGITO_DIST = path.join(BENCH, 'node_modules/@recogito/text-annotator/dist');

// ---- options --------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  return v === undefined || v.startsWith('--') ? true : v;
};
const RUNS = Number(opt('runs', 5));
const SLOW_RUNS = Number(opt('slow-runs', 3));
const TIMEOUT_MS = Number(opt('timeout', 60)) * 1000;
const PROFILE = argv.includes('--profile');
const ONLY = opt('only', null);
const want = (what) => !ONLY || String(ONLY).split(',').includes(what);
const OUT = path.resolve(opt('out', path.join(BENCH, 'results.json')));

const SEED = 20140908; // the date of the dialogue
const SIZES = String(opt('sizes', '1000,10000')).split(',').map(Number);
const VIEWPORT = { width: 1280, height: 800 };
const RENDERERS = ['SPANS', 'CSS_HIGHLIGHTS'];
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-precise-memory-info',
];

const started = Date.now();
const log = (...a) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...a);

// ---- transfer size ---------------------------------------------------------------------------------
function transferSize() {
  const files = fs.readdirSync(DIST);
  const pick = (re) => files.filter((f) => re.test(f));
  const core = ['index.html', ...pick(/^r2p-annotator-.*\.js$/), ...pick(/^r2p-annotator-.*_bg\.wasm$/), ...pick(/^style-.*\.css$/)];
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  const all = walk(DIST)
    .map((f) => path.relative(DIST, f))
    .filter((f) => f !== 'r2p-annotator.html' && f !== 'sw.js');
  const measure = (list) => {
    const rows = list.map((f) => {
      const buf = fs.readFileSync(path.join(DIST, f));
      return { file: f, raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
    });
    return { files: rows, raw: rows.reduce((a, r) => a + r.raw, 0), gzip: rows.reduce((a, r) => a + r.gzip, 0) };
  };
  return {
    note:
      'app = index.html + JS glue + wasm (the default document is embedded in the wasm) + CSS, each gzipped at level 9 (zlib) and summed; ' +
      'withAssets adds the icons and the web manifest; the single-file edition and sw.js are excluded',
    app: measure(core),
    withAssets: measure(all),
  };
}

// ---- browser helpers ---------------------------------------------------------------------------------
let browser;
let server;
const pageErrors = [];

async function newPage({ config = {} } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await context.addInitScript((cfg) => {
    window.__benchConfig = cfg;
  }, config);
  await context.addInitScript({ path: INPAGE });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e).slice(0, 300)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text().slice(0, 300));
  });
  return { context, page };
}

/** Races a page step against the cap; on a timeout the context is closed (its renderer may be stuck). */
async function capped(ctx, promise, ms = TIMEOUT_MS) {
  let timer;
  const res = await Promise.race([
    promise.catch((e) => ({ error: String(e.message || e).split('\n')[0] })),
    new Promise((r) => (timer = setTimeout(() => r({ timeout: true }), ms + 5000))),
  ]);
  clearTimeout(timer);
  if (res && res.timeout) {
    await ctx.context.close().catch(() => {});
    ctx.closed = true;
  }
  return res;
}

async function cdpMemory(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  await cdp.detach();
  return {
    jsHeapUsedBytes: heap.usedSize,
    jsHeapTotalBytes: heap.totalSize,
    domNodes: m.Nodes,
    layoutObjects: m.LayoutObjects,
    jsEventListeners: m.JSEventListeners,
    rendererRssBytes: await rendererRss(),
  };
}

/** Resident memory of the busiest renderer process (only the measured page's context is open). */
async function rendererRss() {
  try {
    const b = await browser.newBrowserCDPSession();
    const { processInfo } = await b.send('SystemInfo.getProcessInfo');
    await b.detach();
    const rss = processInfo
      .filter((p) => p.type === 'renderer')
      .map((p) => {
        const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p.id}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : 0;
      });
    return rss.length ? Math.max(...rss) : null;
  } catch {
    return null;
  }
}

// ---- the app -----------------------------------------------------------------------------------------
const APP = () => `${server.url}/index.html`;
let DOC; // describeText(canonical text)
let ADD_SPAN; // [start, end) code points used by the add-one cases
const SETS = new Map(); // n → annotations
const TOUT = () => TIMEOUT_MS;

/** Cold load: navigation start → the article with the whole text painted. */
async function appCold(i, { memory = false } = {}) {
  const ctx = await newPage({ config: { textLength: DOC ? DOC.text.length : null } });
  try {
    await ctx.page.goto(APP(), { waitUntil: 'commit' });
    const r = await capped(
      ctx,
      ctx.page.evaluate(() => window.__bench.boot.doc),
    );
    if (r.timeout || r.error) return { ...r };
    const nav = await ctx.page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return { responseEnd: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, wasmStarted: window.__bench.wasmStarted };
    });
    const out = { docShownMs: r.tPaint, docInsertedMs: r.tChange, ...nav };
    if (memory) {
      await ctx.page.evaluate(() => window.__bench.settle(5, 500));
      out.memory = { ...(await cdpMemory(ctx.page)), wasmMemoryBytes: await ctx.page.evaluate(() => window.__bench.app.wasmMemoryBytes()) };
    }
    return out;
  } finally {
    if (!ctx.closed) await ctx.context.close();
  }
}

/** Seeds localStorage with the app's own envelope of `n` annotations, then opens the app. */
async function appOpen(ctx, n) {
  await ctx.page.goto(`${server.url}/bench/blank.html`);
  await ctx.page.evaluate(
    async ([key, url]) => localStorage.setItem(key, await (await fetch(url)).text()),
    [DOC.storageKey, `/data/envelope-${n}.json`],
  );
  await ctx.page.goto(APP(), { waitUntil: 'commit' });
  const r = await capped(ctx, ctx.page.evaluate(() => Promise.all([window.__bench.boot.doc, window.__bench.boot.open, window.__bench.boot.list])));
  if (r.timeout || r.error) return r;
  const [doc, open, list] = r;
  if (open.timeout) return { timeout: true, lastVerify: open.lastVerify };
  if (list.timeout) return { timeout: true, step: 'list' };
  const expected = SETS.get(n).map(({ id, start, end }) => ({ id, start, end }));
  const check = await ctx.page.evaluate(
    ([exp, text]) => {
      window.__bench.expected = exp;
      const v = window.__bench.app.verify(exp, { text });
      const ids = [...window.__bench.app.items()].map((li) => li.getAttribute('data-annotation-id'));
      const want = new Set(exp.map((a) => a.id));
      return { ...v, listOk: ids.length === exp.length && ids.every((id) => want.has(id)) };
    },
    [expected, DOC.text],
  );
  return {
    totalMs: open.tPaint, // navigation start → every highlight painted
    annotMs: open.tPaint - doc.tChange, // document in the DOM → every highlight painted
    domMs: open.tChange - doc.tChange, // document in the DOM → every highlight in the DOM
    // document in the DOM → the side list complete and painted; when the list was still filling
    // in after the highlights, the in-page verification (run after the highlights' paint) is
    // subtracted, as it delayed the rest.
    listMs: list.tPaint - doc.tChange - (list.tPaint > open.tPaint ? open.verifyMs : 0),
    verifyMs: open.verifyMs,
    docShownMs: doc.tPaint,
    verified: check.ok && check.listOk && !!open.verified?.ok,
    paintedIncomplete: open.rejected, // paints at which the highlights were not all there yet
    check,
  };
}

/**
 * In the open page with n annotations: select ADD_SPAN (a DOM selection and a mouseup on the
 * article, as a mouse user would), wait for the picker, then press "2" (Pillar II).
 * `beforeKey` runs in Node between the two, `afterAdd` once it is painted and saved, before the
 * check (the profiler starts and stops there).
 */
async function appAddOne(ctx, n, { beforeKey, afterAdd } = {}) {
  const pick = await capped(
    ctx,
    ctx.page.evaluate(
      async ([start, end, tout]) => {
        const B = window.__bench;
        await B.settle(5, 300);
        const t0 = performance.now();
        B.app.selectSpan(start, end);
        const picker = await B.until(() => B.app.picker() && B.app.picker().querySelector('button[aria-label="Pillar II"]'), tout);
        if (picker.timeout) return { timeout: true, step: 'picker' };
        await B.settle(2);
        return { pickerMs: picker.tPaint - t0 };
      },
      [ADD_SPAN[0], ADD_SPAN[1], TOUT()],
    ),
  );
  if (pick.timeout || pick.error) return pick;
  if (beforeKey) await beforeKey();
  const add = await capped(
    ctx,
    ctx.page.evaluate(
      async ([n, start, end, tout]) => {
        const B = window.__bench;
        const writesBefore = B.storageWrites.length;
        const known = new Set(B.expected.map((a) => a.id));
        const w = B.app.watch();
        performance.mark('bench-start'); // for --profile: the window of the trace that counts
        const t1 = performance.now();
        document.dispatchEvent(new KeyboardEvent('keydown', { key: '2', code: 'Digit2', bubbles: true, cancelable: true }));
        // Done when the list has the new item and every run of the span lists its id.
        // (Items Yew moves show up as removed and added again: the new one is the unknown id.)
        const done = await w.until(
          n + 1,
          ({ added }) => {
            const id = added.find((x) => !known.has(x));
            return id !== undefined && B.app.spanShows(start, end, id);
          },
          tout,
          'bench-end',
        );
        if (done.timeout) return { timeout: true, step: 'add' };
        await B.settle(3, 200); // the save is an effect: let it happen before looking
        return {
          addMs: done.tPaint - t1,
          addDomMs: done.tChange - t1,
          writes: B.storageWrites.slice(writesBefore).map(({ chars, ms, t0: w }) => ({ chars, ms, atMs: w - t1 })),
        };
      },
      [n, ADD_SPAN[0], ADD_SPAN[1], TOUT()],
    ),
  );
  if (afterAdd) await afterAdd(add);
  if (add.timeout || add.error) return { ...add, pickerMs: pick.pickerMs };
  const check = await ctx.page.evaluate(
    ([start, end]) => {
      const B = window.__bench;
      const known = new Set(B.expected.map((a) => a.id));
      const added = [...B.app.items()].map((li) => li.getAttribute('data-annotation-id')).find((id) => !known.has(id));
      B.expected = [...B.expected, { id: added, start, end }];
      return B.app.verify(B.expected);
    },
    [ADD_SPAN[0], ADD_SPAN[1]],
  );
  return { ...pick, ...add, verified: check.ok, check };
}

/** Deletes the first annotation in the list (its Delete button), then Undo (the toolbar button). */
async function appDeleteUndo(ctx) {
  return capped(
    ctx,
    ctx.page.evaluate(async (tout) => {
      const B = window.__bench;
      await B.settle(5, 300);
      const count = B.app.itemCount();
      const li = B.app.items()[0];
      const id = li.getAttribute('data-annotation-id');
      const a = B.expected.find((x) => x.id === id);
      let w = B.app.watch();
      const t0 = performance.now();
      li.querySelector('button[aria-label="Delete annotation"]').click();
      // Done when the item is gone and no run of its span lists it any more.
      const del = await w.until(count - 1, () => B.app.spanShows(a.start, a.end, id, false), tout);
      if (del.timeout) return { timeout: true, step: 'delete' };
      const kept = B.expected.filter((x) => x.id !== id);
      const v1 = B.app.verify(kept);
      await B.settle(3, 300);
      const undo = B.app.button('Undo');
      w = B.app.watch();
      const t1 = performance.now();
      undo.click();
      const und = await w.until(count, () => B.app.spanShows(a.start, a.end, id, true), tout);
      if (und.timeout) return { timeout: true, step: 'undo', deleteMs: del.tPaint - t0 };
      const v2 = B.app.verify(B.expected);
      return { deleteMs: del.tPaint - t0, undoMs: und.tPaint - t1, verified: v1.ok && v2.ok, check: { afterDelete: v1, afterUndo: v2 } };
    }, TOUT()),
  );
}

/** Import of the n-annotation W3C file through the file input: report shown, then applied. */
async function appImport(n) {
  const ctx = await newPage({ config: { textLength: DOC.text.length } });
  try {
    await ctx.page.goto(APP(), { waitUntil: 'commit' });
    const boot = await capped(ctx, ctx.page.evaluate(() => window.__bench.boot.doc));
    if (boot.timeout || boot.error) return boot;
    const expected = SETS.get(n).map(({ start, end }) => ({ start, end }));
    const r = await capped(
      ctx,
      ctx.page.evaluate(
        async ([url, n, exp, tout]) => {
          const B = window.__bench;
          const text = await (await fetch(url)).text();
          const file = new File([text], `import-${n}.json`, { type: 'application/json' });
          const input = document.querySelector('input[type="file"][aria-label="Import JSON"]');
          await B.settle(5, 300);
          const dialog = () => document.querySelector('[role="dialog"].import-dialog, [role="dialog"][aria-labelledby="import-title"]');
          const t0 = performance.now();
          const dt = new DataTransfer();
          dt.items.add(file);
          input.files = dt.files;
          input.dispatchEvent(new Event('change', { bubbles: true }));
          const shown = await B.until(() => {
            const d = dialog();
            return d && [...d.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Import');
          }, tout);
          if (shown.timeout) return { timeout: true, step: 'report' };
          const report = [...dialog().querySelectorAll('ul.counts > li')]
            .map((li) => li.textContent.replace(/\s+/g, ' ').trim())
            .filter((t) => !/^0 /.test(t))
            .map((t) => t.replace(/ \(.*$/, ''))
            .join(', ');
          await B.settle(3, 300);
          const writesBefore = B.storageWrites.length;
          const t1 = performance.now();
          shown.value.click();
          const listDone = B.until(() => B.app.countIs(n), tout);
          const applied = await B.until(
            () => !dialog() && B.app.markCount() > 0,
            tout,
            () => B.app.verify(exp, { checkIds: false }),
          );
          if (applied.timeout) return { timeout: true, step: 'apply', reportMs: shown.tPaint - t0 };
          const list = await listDone;
          await B.settle(3, 500);
          const v = applied.verified;
          return {
            reportMs: shown.tPaint - t0,
            applyMs: applied.tPaint - t1,
            applyDomMs: applied.tChange - t1,
            listMs: list.timeout ? null : list.tPaint - t1 - (list.tPaint > applied.tPaint ? applied.verifyMs : 0),
            paintedIncomplete: applied.rejected,
            report,
            verified: v.ok,
            check: v,
            writes: B.storageWrites.slice(writesBefore).map(({ key, chars, ms, t0: w }) => ({ key, chars, ms, atMs: w - t1 })),
          };
        },
        [`/data/import-${n}.json`, n, expected, TOUT()],
      ),
    );
    if (r.timeout || r.error) return r;
    // What the app stored: its size as a string (UTF-16 code units) and as UTF-8 bytes.
    r.stored = await ctx.page.evaluate((key) => {
      const v = localStorage.getItem(key) || '';
      return { key, chars: v.length, utf8Bytes: new TextEncoder().encode(v).length, annotations: (JSON.parse(v).annotations || []).length };
    }, DOC.storageKey);
    return r;
  } finally {
    if (!ctx.closed) await ctx.context.close();
  }
}

// ---- Recogito -----------------------------------------------------------------------------------------
async function recogitoRun(renderer, n, { memory = false } = {}) {
  const ctx = await newPage();
  try {
    await ctx.page.goto(`${server.url}/bench/recogito.html?renderer=${renderer}&n=${n}`);
    await ctx.page.waitForFunction(() => window.__recogito || window.__recogitoError, null, { timeout: 30000 });
    const err = await ctx.page.evaluate(() => window.__recogitoError);
    if (err) return { error: err };
    const expected = JSON.parse(server.data.get(`/data/recogito-${n}.json`).body).map((a) => ({
      id: a.id,
      start: a.target.selector[1].start,
      end: a.target.selector[1].end,
    }));
    // 1. setAnnotations → all highlights in the viewport painted. Recogito renders what is in the
    //    viewport: after the run, its painted set is checked against an independent computation.
    const open = await capped(
      ctx,
      ctx.page.evaluate(
        async ([tout]) => {
          const B = window.__bench;
          const R = window.__recogito;
          const rec = B.recogitoRecorder(R.article, R.renderer);
          await B.settle(5, 300);
          const t0 = performance.now();
          R.anno.setAnnotations(JSON.parse(R.data));
          const tReturned = performance.now();
          const q = await B.quiet(rec, 1000, tout);
          if (q.timeout) return { timeout: true };
          const last = rec.candidates[rec.candidates.length - 1];
          const first = rec.candidates.find((c) => c.count === last.count);
          R.rec = rec;
          return { openMs: first.tPaint - t0, syncMs: tReturned - t0, redraws: rec.candidates.length, count: last.count };
        },
        [TOUT()],
      ),
    );
    if (open.timeout || open.error) return { open };
    const check = await ctx.page.evaluate((exp) => {
      const B = window.__bench;
      const R = window.__recogito;
      const painted = new Set(B.recogitoPainted(R.article, R.renderer));
      const visible = B.visibleIds(R.article, exp);
      const missing = visible.filter((id) => !painted.has(id)).length;
      const vis = new Set(visible);
      const extra = [...painted].filter((id) => !vis.has(id)).length;
      return { painted: painted.size, expectedVisible: visible.length, missing, extra, height: R.height };
    }, expected);
    // Verified when (nearly) every annotation with text in the viewport is painted and
    // (nearly) nothing else: allow 1% for rounding at the viewport's edges.
    open.verified = check.painted > 0 && check.missing <= 0.01 * check.expectedVisible && check.extra <= 0.01 * check.expectedVisible;
    open.check = check;
    // 2. addAnnotation (the same span as the app's add-one case) → its highlight painted.
    const one = oneW3C('utf16');
    const add = await capped(
      ctx,
      ctx.page.evaluate(
        async ([one, tout]) => {
          const B = window.__bench;
          const R = window.__recogito;
          const rec = R.rec;
          await B.settle(5, 300);
          const key = `_${one.id}`;
          const shown =
            R.renderer === 'SPANS'
              ? () => !!R.article.querySelector(`.r6o-span-highlight-layer > [data-annotation="${CSS.escape(one.id)}"]`)
              : () => CSS.highlights.has(key);
          rec.probe = shown;
          const t0 = performance.now();
          R.anno.addAnnotation(one);
          const tReturned = performance.now();
          const q = await B.quiet(rec, 1000, tout, t0);
          if (q.timeout) return { timeout: true };
          // The first redraw after t0 that showed it.
          const after = rec.candidates.filter((c) => c.tChange >= t0);
          const first = after.find((c) => c.shows);
          if (!first) return { verified: false, redraws: after.length };
          return { addMs: first.tPaint - t0, syncMs: tReturned - t0, redraws: after.length, verified: shown() };
        },
        [one, TOUT()],
      ),
    );
    const out = { open, add };
    if (memory && !ctx.closed) out.memory = await cdpMemory(ctx.page);
    return out;
  } finally {
    if (!ctx.closed) await ctx.context.close();
  }
}

function oneW3C(units) {
  const a = { id: '00000000-0000-4000-8000-00000000add1', start: ADD_SPAN[0], end: ADD_SPAN[1], tags: ['pillar-2'], created: Date.UTC(2024, 1, 1), modified: Date.UTC(2024, 1, 1) };
  a.quote = DOC.cps.slice(a.start, a.end).join('');
  return w3c(DOC, [a], units)[0];
}

// ---- profiles ---------------------------------------------------------------------------------------
/** The wasm-bindgen glue's lines, by URL path, to name its anonymous functions in profiles. */
function glueSources() {
  const js = fs.readdirSync(DIST).find((f) => /^r2p-annotator-.*\.js$/.test(f));
  return new Map([[`/${js}`, fs.readFileSync(path.join(DIST, js), 'utf8').split('\n')]]);
}

async function profileApp(n, names) {
  const out = {};
  const ctx = await newPage({ config: { textLength: DOC.text.length, expectN: n, expected: SETS.get(n).map((a) => [a.id, a.start, a.end]), timeoutMs: TIMEOUT_MS } });
  try {
    await ctx.page.goto(`${server.url}/bench/blank.html`);
    await ctx.page.evaluate(
      async ([key, url]) => localStorage.setItem(key, await (await fetch(url)).text()),
      [DOC.storageKey, `/data/envelope-${n}.json`],
    );
    const cdp = await ctx.context.newCDPSession(ctx.page);
    const cats = process.env.BENCH_TRACE_CATS ? process.env.BENCH_TRACE_CATS.split(',') : ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'];
    // Starts the CPU profiler and a trace; resolves to a function that stops both and writes
    // bench/profile-<label>.txt (summary), .cpuprofile (for DevTools) and .json (summary data).
    const recordStart = async (label) => {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await browser.startTracing(ctx.page, { categories: cats });
      await cdp.send('Profiler.start');
      return async (measured) => {
        const { profile } = await cdp.send('Profiler.stop');
        const traceBuf = await browser.stopTracing();
        // BENCH_SAVE_TRACE=1: keep the raw trace too (opens in DevTools' Performance panel).
        if (process.env.BENCH_SAVE_TRACE) fs.writeFileSync(path.join(BENCH, `profile-${label}.trace.json`), traceBuf);
        const trace = JSON.parse(traceBuf.toString('utf8'));
        const tr = summarizeTrace(trace);
        const cpu = summarizeCpuProfile(profile, names, { sources: glueSources(), window: tr.window });
        fs.writeFileSync(path.join(BENCH, `profile-${label}.cpuprofile`), JSON.stringify(profile));
        const lines = [
          `R2P Annotator — ${label}: CPU profile (sampled every 200 µs) and Chromium trace, ${new Date().toISOString()}`,
          `build ${fs.readdirSync(DIST).find((f) => f.endsWith('_bg.wasm'))}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`,
          `measured in this run (profiling slows it): ${JSON.stringify(measured)}`,
          '',
          tr.window
            ? `Window: from the action to its paint (performance marks bench-start … bench-end), ${tr.windowMs} ms; CPU samples ${cpu.windowed ? 'limited to it' : 'NOT limited to it (clock mismatch)'}.`
            : 'Window: the whole recording (no bench-start/bench-end marks found).',
          `Renderer main thread in the window, self time by trace event: busy ${tr.busyMs} ms` +
            (tr.onCpuPct != null ? ` (on the CPU ${tr.onCpuPct}% of it; the rest it waited for a core)` : ''),
          '  Layout = layout, UpdateLayoutTree = style recalculation, PrePaint/Paint = painting,',
          '  FunctionCall/RunMicrotasks = JavaScript and wasm, RunTask = native work in a task not',
          '  covered by a finer event, V8.GC_* = garbage collection.',
          table([['event', 'self ms'], ...tr.top.map((r) => [r.name, r.selfMs])]),
          '',
          `CPU profile by kind, ms: ${JSON.stringify(cpu.byKindMs)} of ${round(cpu.totalMs)} ms sampled`,
          "  (program) = the browser's native work outside JS/wasm (style, layout, paint, DOM bindings' C++ side).",
          `  ${names.size ? 'wasm functions named from a -g rebuild identical in code to dist/' : 'wasm functions by index (no names available)'};`,
          '  "(glue) X" = the wasm-bindgen JS glue calling the DOM method X.',
          '',
          'Top self time (CPU profile):',
          table([['function', 'self ms', '%'], ...cpu.top.map((r) => [r.fn, r.selfMs, r.pct])]),
          '',
        ];
        fs.writeFileSync(path.join(BENCH, `profile-${label}.txt`), lines.join('\n'));
        out[label] = { measured, trace: tr, cpu: { byKindMs: cpu.byKindMs, top: cpu.top.slice(0, 20) } };
        fs.writeFileSync(path.join(BENCH, `profile-${label}.json`), JSON.stringify(out[label], null, 2));
        log(`profile written: bench/profile-${label}.txt`);
      };
    };
    const record = async (label, action) => {
      const stop = await recordStart(label);
      await stop(await action());
    };
    await record(`open-${n}`, async () => {
      await ctx.page.evaluate(() => performance.mark('bench-start'));
      await ctx.page.goto(APP(), { waitUntil: 'commit' });
      // boot.open marks bench-end at the paint.
      const [doc, open] = await ctx.page.evaluate(() => Promise.all([window.__bench.boot.doc, window.__bench.boot.open]));
      await ctx.page.evaluate(() => window.__bench.settle(3, 300));
      return open.timeout ? { timeout: true } : { totalMs: round(open.tPaint), annotMs: round(open.tPaint - doc.tChange) };
    });
    await ctx.page.evaluate((exp) => {
      window.__bench.expected = exp;
    }, SETS.get(n).map(({ id, start, end }) => ({ id, start, end })));
    // The add-one profile covers the key press → painted (and the save after it), not the selection.
    let stop;
    await appAddOne(ctx, n, {
      beforeKey: async () => {
        stop = await recordStart(`add-one-${n}`);
      },
      afterAdd: async (add) => stop(add.timeout ? { timeout: true } : { addMs: round(add.addMs) }),
    });
  } finally {
    if (!ctx.closed) await ctx.context.close();
  }
  return out;
}

// ---- main -------------------------------------------------------------------------------------------
/** Copies dist/ to a temporary folder, checking that index.html's files are all there. */
async function snapshotDist() {
  if (!fs.existsSync(path.join(SOURCE_DIST, 'index.html'))) throw new Error('dist/ is missing: run bash scripts/build.sh first');
  for (let attempt = 0; ; attempt++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'r2p-bench-dist-'));
    fs.cpSync(SOURCE_DIST, dir, { recursive: true });
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*['"]\.\/([^'"]+)['"]/g)].map((m) => m[1]);
    const missing = refs.filter((f) => !fs.existsSync(path.join(dir, f)));
    if (missing.length === 0 && refs.some((f) => f.endsWith('.wasm'))) return dir;
    fs.rmSync(dir, { recursive: true, force: true });
    if (attempt >= 20) throw new Error(`dist/ is inconsistent (being rebuilt?): missing ${missing.join(', ')}`);
    await new Promise((r) => setTimeout(r, 3000));
  }
}

async function main() {
  DIST = await snapshotDist();
  process.on('exit', () => fs.rmSync(DIST, { recursive: true, force: true }));
  const names = PROFILE ? wasmNameMap(ROOT, path.join(DIST, fs.readdirSync(DIST).find((f) => f.endsWith('_bg.wasm')))) : null;
  const results = { machine: {}, settings: {}, sizes: null, app: {}, recogito: {}, budgets: [], ratios: [], notes: [] };
  const data = new Map();
  server = await startServer(
    [
      { prefix: '/bench/', dir: path.join(BENCH, 'pages') },
      { prefix: '/vendor/', dir: RECOGITO_DIST },
      { prefix: '/', dir: DIST },
    ],
    data,
  );
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const cpus = os.cpus();
  let commit = null;
  try {
    commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src', 'www', 'index.html', 'Cargo.toml', 'Cargo.lock'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (dirty) commit += ' (with uncommitted changes)';
  } catch {}
  const recogitoVersion = JSON.parse(fs.readFileSync(path.join(RECOGITO_DIST, '../package.json'), 'utf8')).version;
  let cpuDetail = null;
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const get = (k) => new RegExp(`^${k}\\s*:\\s*(.*)$`, 'm').exec(info)?.[1];
    cpuDetail = `family ${get('cpu family')} model ${get('model')}${/ hypervisor/.test(get('flags') || '') ? ', virtualised' : ''}`;
  } catch {}
  results.machine = {
    cpu: cpus[0]?.model,
    cpuDetail,
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    chromium: browser.version(),
    node: process.version,
    date: new Date().toISOString(),
    commit,
    build: fs.readdirSync(DIST).find((f) => f.endsWith('_bg.wasm')),
    recogito: `@recogito/text-annotator ${recogitoVersion}`,
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
  };
  results.settings = { runs: RUNS, slowRuns: SLOW_RUNS, timeoutMs: TIMEOUT_MS, viewport: VIEWPORT, seed: SEED, sizes: SIZES, chromiumArgs: CHROMIUM_ARGS };
  log(`machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB; Chromium ${results.machine.chromium}; ${results.machine.recogito}`);

  // -- the canonical text, the article's markup and place (one warm-up load, not counted) --
  {
    const ctx = await newPage();
    await ctx.page.goto(APP(), { waitUntil: 'commit' });
    const probe = await ctx.page.evaluate(async () => {
      const B = window.__bench;
      await B.until(() => B.app.article() && B.app.article().querySelector('[data-s]'));
      await B.settle(3, 300);
      const a = B.app.article();
      const r = a.getBoundingClientRect();
      return {
        text: a.textContent,
        html: a.innerHTML,
        rect: { top: r.top + scrollY, left: r.left + scrollX, width: r.width, height: r.height },
        styleHref: document.querySelector('link[rel="stylesheet"]').href,
      };
    });
    await ctx.context.close();
    DOC = describeText(probe.text);
    data.set('/data/article.json', { type: 'application/json', body: JSON.stringify({ ...probe, source: DOC.source }) });
    // Add-one span: the first numbered paragraph's first words, up to 60 code points (on screen
    // in both pages).
    const p = DOC.text.search(/\n1\. \S/) + 4;
    const start = Array.from(DOC.text.slice(0, p)).length;
    let end = start + 60;
    while (end > start + 1 && !(/\S/.test(DOC.cps[end - 1]) && /\s/.test(DOC.cps[end]))) end--; // end on a word's end
    ADD_SPAN = [start, end];
    results.document = { codePoints: DOC.length, utf16: DOC.text.length, id: DOC.docId, articleHeightPx: round(probe.rect.height), addSpan: { start, end, quote: DOC.cps.slice(start, end).join('') } };
    log(`document: ${DOC.length} code points; article ${Math.round(probe.rect.width)}×${Math.round(probe.rect.height)} px`);
    for (const n of SIZES) {
      const anns = generate(DOC, n, SEED + n);
      SETS.set(n, anns);
      data.set(`/data/envelope-${n}.json`, { type: 'application/json', body: envelope(DOC, anns) });
      data.set(`/data/import-${n}.json`, { type: 'application/json', body: JSON.stringify(w3c(DOC, anns, 'codepoints')) });
      data.set(`/data/recogito-${n}.json`, { type: 'application/json', body: JSON.stringify(w3c(DOC, anns, 'utf16')) });
      const depth = anns.reduce((s, a) => s + (a.end - a.start), 0) / DOC.length;
      results.document[`set${n}`] = {
        seed: SEED + n,
        meanLength: round(anns.reduce((s, a) => s + a.end - a.start, 0) / n),
        meanOverlapDepth: round(depth),
        envelopeChars: data.get(`/data/envelope-${n}.json`).body.length,
        w3cFileBytes: Buffer.byteLength(data.get(`/data/import-${n}.json`).body),
      };
    }
  }

  // -- 1. transfer size --
  if (want('size')) results.sizes = transferSize();

  // -- 1. cold load --
  if (want('cold')) {
    log(`cold load × ${RUNS}`);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push({ load1: round(os.loadavg()[0], 2), ...(await appCold(i, { memory: i === 0 })) });
    results.app.cold = {
      what: 'navigation start → the article with the whole document text painted (fresh browser context: empty HTTP cache and storage)',
      docShownMs: summary(runs.map((r) => r.docShownMs)),
      wasmStartedMs: summary(runs.map((r) => r.wasmStarted)),
      responseEndMs: summary(runs.map((r) => r.responseEnd)),
      timeouts: runs.filter((r) => r.timeout).length,
      runs,
    };
    results.app.memoryEmpty = runs[0].memory;
  }

  // -- 2, 3, 4, 7. open with n stored; add one; (10k) delete, undo, memory --
  if (want('open')) {
    for (const n of SIZES) {
      const runsN = n >= 10000 ? SLOW_RUNS : RUNS;
      log(`app: open with ${n} stored + add one${n >= 10000 ? ' + delete + undo' : ''} × ${runsN}`);
      const runs = [];
      for (let i = 0; i < runsN; i++) {
        const ctx = await newPage({ config: { textLength: DOC.text.length, expectN: n, expected: SETS.get(n).map((a) => [a.id, a.start, a.end]), timeoutMs: TIMEOUT_MS } });
        const run = { load1: round(os.loadavg()[0], 2) };
        try {
          run.open = await appOpen(ctx, n);
          if (!run.open.timeout && !run.open.error) {
            if (n >= 10000 && i === 0) {
              await ctx.page.evaluate(() => window.__bench.settle(5, 500));
              run.memory = { ...(await cdpMemory(ctx.page)), wasmMemoryBytes: await ctx.page.evaluate(() => window.__bench.app.wasmMemoryBytes()) };
            }
            run.add = await appAddOne(ctx, n);
            if (n >= 10000 && !run.add.timeout && !run.add.error && !ctx.closed) run.deleteUndo = await appDeleteUndo(ctx);
          }
        } finally {
          if (!ctx.closed) await ctx.context.close();
        }
        const o = run.open;
        log(
          `  run ${i + 1}: open ${o.timeout ? 'timeout' : o.error ? o.error : `${fmtMs(o.annotMs)} (total ${fmtMs(o.totalMs)}, verified ${o.verified})`}` +
            (run.add ? `; add ${run.add.timeout ? 'timeout' : `${fmtMs(run.add.addMs)} (verified ${run.add.verified})`}` : '') +
            (run.deleteUndo
              ? `; delete ${run.deleteUndo.timeout ? 'timeout' : fmtMs(run.deleteUndo.deleteMs)}, undo ${fmtMs(run.deleteUndo.undoMs)} (verified ${run.deleteUndo.verified})`
              : ''),
        );
        runs.push(run);
      }
      const ok = (x) => x && !x.timeout && !x.error && x.verified;
      results.app[`open${n}`] = {
        what:
          'stored annotations, then navigate: drawMs = navigation → every highlight painted, less the median cold load with nothing stored (the budget figure; the painted article is verified); ' +
          'annotMs = the document in the DOM → every highlight painted (near 0: the app paints the stored highlights with the document); ' +
          'totalMs = navigation start → every highlight painted; listMs = the document in the DOM → the side list complete (the app fills it in over frames)',
        annotMs: summary(runs.map((r) => (ok(r.open) ? r.open.annotMs : null))),
        totalMs: summary(runs.map((r) => (ok(r.open) ? r.open.totalMs : null))),
        // The app reads stored annotations before its first paint, so "document in the DOM →
        // painted" leaves their cost out: the fair figure is what they add to an empty start.
        drawMs: summary(
          runs.map((r) => (ok(r.open) && results.app.cold?.docShownMs ? r.open.totalMs - results.app.cold.docShownMs.median : null)),
        ),
        domMs: summary(runs.map((r) => (ok(r.open) ? r.open.domMs : null))),
        listMs: summary(runs.map((r) => (ok(r.open) ? r.open.listMs : null))),
        timeouts: runs.filter((r) => r.open.timeout).length,
        failures: runs.filter((r) => !r.open.timeout && !ok(r.open)).length,
      };
      results.app[`add${n}`] = {
        what: 'text selected and picker open; key "2" (Pillar II) → the new highlight painted (addMs); selection → picker painted (pickerMs)',
        addMs: summary(runs.map((r) => (ok(r.add) ? r.add.addMs : null))),
        pickerMs: summary(runs.map((r) => (ok(r.add) ? r.add.pickerMs : null))),
        timeouts: runs.filter((r) => r.add && r.add.timeout).length,
        failures: runs.filter((r) => r.add && !r.add.timeout && !ok(r.add)).length,
        saveAfterAdd: runs.map((r) => r.add && r.add.writes).find(Boolean) || null,
      };
      if (n >= 10000) {
        results.app[`delete${n}`] = {
          what: 'Delete button of the first listed annotation → highlight removal painted; then the Undo button → restored and painted',
          deleteMs: summary(runs.map((r) => (ok(r.deleteUndo) ? r.deleteUndo.deleteMs : null))),
          undoMs: summary(runs.map((r) => (ok(r.deleteUndo) ? r.deleteUndo.undoMs : null))),
          timeouts: runs.filter((r) => r.deleteUndo && r.deleteUndo.timeout).length,
          failures: runs.filter((r) => r.deleteUndo && !r.deleteUndo.timeout && !ok(r.deleteUndo)).length,
        };
        results.app[`memory${n}`] = runs[0].memory || null;
      }
      results.app[`runs${n}`] = runs;
    }
  }

  // -- 5, 6. import, and the localStorage write --
  if (want('import') && SIZES.includes(10000)) {
    const n = 10000;
    log(`app: import of ${n} × ${SLOW_RUNS}`);
    const runs = [];
    for (let i = 0; i < SLOW_RUNS; i++) {
      const r = { load1: round(os.loadavg()[0], 2), ...(await appImport(n)) };
      log(`  run ${i + 1}: ${r.timeout ? `timeout${r.step ? ` (${r.step})` : ''}` : r.error ? r.error : `report ${fmtMs(r.reportMs)}, applied ${fmtMs(r.applyMs)} (verified ${r.verified}; ${r.report})`}`);
      runs.push(r);
    }
    const ok = (x) => x && !x.timeout && !x.error && x.verified;
    const write = (r) => (r.writes || []).filter((w) => w.key === DOC.storageKey).sort((a, b) => b.chars - a.chars)[0];
    results.app[`import${n}`] = {
      what: 'file chosen in the Import JSON input → report dialog painted (reportMs); Import clicked → every highlight painted (applyMs; verified); Import clicked → side list complete (listMs)',
      reportMs: summary(runs.map((r) => (ok(r) ? r.reportMs : null))),
      applyMs: summary(runs.map((r) => (ok(r) ? r.applyMs : null))),
      listMs: summary(runs.map((r) => (ok(r) ? r.listMs : null))),
      totalMs: summary(runs.map((r) => (ok(r) ? r.reportMs + r.applyMs : null))),
      timeouts: runs.filter((r) => r.timeout).length,
      failures: runs.filter((r) => !r.timeout && !ok(r)).length,
      runs,
    };
    results.app[`storage${n}`] = {
      what: "the app's localStorage.setItem of the whole envelope after the import (the browser's write; serialising happens before it, in wasm)",
      setItemMs: summary(runs.map((r) => write(r)?.ms)),
      valueChars: runs.map((r) => r.stored?.chars).find(Boolean) || null,
      valueUtf8Bytes: runs.map((r) => r.stored?.utf8Bytes).find(Boolean) || null,
      storedAnnotations: runs.map((r) => r.stored?.annotations).find(Boolean) || null,
    };
  }

  // -- Recogito --
  if (want('recogito')) {
    for (const n of SIZES) {
      for (const renderer of RENDERERS) {
        const runsN = n >= 10000 ? SLOW_RUNS : RUNS;
        log(`Recogito ${renderer}: setAnnotations(${n}) + addAnnotation × ${runsN}`);
        const runs = [];
        for (let i = 0; i < runsN; i++) {
          const r = { load1: round(os.loadavg()[0], 2), ...(await recogitoRun(renderer, n, { memory: n >= 10000 && i === 0 })) };
          const o = r.open || {};
          log(
            `  run ${i + 1}: open ${o.timeout ? 'timeout' : o.error ? o.error : `${fmtMs(o.openMs)} (verified ${o.verified}: ${o.check?.painted} painted, ${o.check?.expectedVisible} in view)`}` +
              (r.add ? `; add ${r.add.timeout ? 'timeout' : r.add.error ? r.add.error : `${fmtMs(r.add.addMs)} (verified ${r.add.verified})`}` : ''),
          );
          runs.push(r);
          // A 10k case that hit the cap will hit it again: do not spend the run budget on it.
          if (o.timeout && n >= 10000) break;
        }
        const ok = (x) => x && !x.timeout && !x.error && x.verified;
        results.recogito[`${renderer}.${n}`] = {
          what:
            'openMs: setAnnotations(JSON.parse(W3C file)) → every highlight in the viewport painted (Recogito renders the viewport only); ' +
            'syncMs: how long setAnnotations itself blocked; addMs: addAnnotation(one W3C annotation, the same span as the app case) → its highlight painted',
          openMs: summary(runs.map((r) => (ok(r.open) ? r.open.openMs : null))),
          syncMs: summary(runs.map((r) => (ok(r.open) ? r.open.syncMs : null))),
          addMs: summary(runs.map((r) => (ok(r.add) ? r.add.addMs : null))),
          openTimeouts: runs.filter((r) => r.open && r.open.timeout).length,
          openFailures: runs.filter((r) => r.open && !r.open.timeout && !ok(r.open)).length,
          addTimeouts: runs.filter((r) => r.add && r.add.timeout).length,
          addFailures: runs.filter((r) => r.add && !r.add.timeout && !ok(r.add)).length,
          memory: runs[0]?.memory || null,
          runs,
        };
      }
    }
  }

  // -- profiles --
  if (PROFILE) {
    const sizes = String(opt('profile-sizes', '10000')).split(',').map(Number);
    log(`profiles (--profile): app open with ${sizes.join(', ')} stored, and add one`);
    results.notes.push(`profiles: ${names.note}`);
    results.profiles = {};
    for (const n of sizes) Object.assign(results.profiles, await profileApp(n, names.names));
  }

  await browser.close();
  await server.close();
  results.machine.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));
  results.notes.push(
    'Service worker registration is made to fail in every page (the app carries on without one), so no precaching competes with the measurements; every run uses a fresh browser context (empty HTTP cache and storage).',
    'Times are performance.now() in the page; "painted" = the change is in the DOM (Recogito CSS_HIGHLIGHTS: in CSS.highlights) and the first frame including it has finished on the main thread (a requestAnimationFrame callback, then a posted message; or just the message when the change was made inside a requestAnimationFrame callback).',
    'Memory: jsHeapUsedBytes = V8 heap in use after a forced GC (Runtime.getHeapUsage); wasmMemoryBytes = the app\'s WebAssembly.Memory buffer (from TrunkApplicationStarted); domNodes from Performance.getMetrics; rendererRssBytes = resident memory of the renderer process (includes DOM and layout).',
  );
  results.pageErrors = [...new Set(pageErrors)].slice(0, 20);
  results.elapsedSeconds = Math.round((Date.now() - started) / 1000);
  report(results);
  fs.writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${OUT}`);
}

// ---- report ------------------------------------------------------------------------------------------
function report(R) {
  const A = R.app;
  const G = R.recogito;
  const med = (s) => (s ? s.median : null);
  const rows = [['case', 'R2P Annotator', 'Recogito SPANS', 'Recogito CSS_HIGHLIGHTS']];
  const rg = (key, field) => {
    const x = G[key];
    if (!x) return '—';
    const to = field === 'addMs' ? x.addTimeouts : x.openTimeouts;
    const fail = field === 'addMs' ? x.addFailures : x.openFailures;
    return fmtSummary(x[field], { timeouts: to, failures: fail });
  };
  if (R.sizes) {
    rows.push(['1. transfer, app (raw / gzip -9)', `${fmtBytes(R.sizes.app.raw)} / ${fmtBytes(R.sizes.app.gzip)}`, '', '']);
    rows.push(['   with icons + manifest', `${fmtBytes(R.sizes.withAssets.raw)} / ${fmtBytes(R.sizes.withAssets.gzip)}`, '', '']);
  }
  if (A.cold) rows.push(['1. cold load → document painted', fmtSummary(A.cold.docShownMs, { timeouts: A.cold.timeouts }), '', '']);
  for (const n of SIZES) {
    const o = A[`open${n}`];
    if (o || G[`SPANS.${n}`])
      rows.push([`2. open ${n / 1000}k → all painted`, o ? fmtSummary(o.drawMs, o) : '—', rg(`SPANS.${n}`, 'openMs'), rg(`CSS_HIGHLIGHTS.${n}`, 'openMs')]);
      if (o) rows.push([`   document in the DOM → painted`, fmtSummary(o.annotMs, o), '', '']);
    if (o) rows.push([`   incl. page load (nav → painted)`, fmtSummary(o.totalMs, o), '', '']);
    if (o) rows.push([`   side list complete`, fmtSummary(o.listMs, o), '', '']);
  }
  for (const n of SIZES) {
    const a = A[`add${n}`];
    if (a || G[`SPANS.${n}`]) rows.push([`3. add one at ${n / 1000}k → painted`, a ? fmtSummary(a.addMs, a) : '—', rg(`SPANS.${n}`, 'addMs'), rg(`CSS_HIGHLIGHTS.${n}`, 'addMs')]);
    if (a) rows.push([`   select → picker painted`, fmtSummary(a.pickerMs, a), '', '']);
  }
  const d = A.delete10000;
  if (d) {
    rows.push(['4. delete one at 10k → painted', fmtSummary(d.deleteMs, d), '', '']);
    rows.push(['4. undo at 10k → painted', fmtSummary(d.undoMs, d), '', '']);
  }
  const im = A.import10000;
  if (im) {
    rows.push(['5. import 10k: file → report shown', fmtSummary(im.reportMs, im), '', '']);
    rows.push(['5. import 10k: Import → painted', fmtSummary(im.applyMs, im), '', '']);
    rows.push(['   Import → side list complete', fmtSummary(im.listMs, im), '', '']);
  }
  const st = A.storage10000;
  if (st) rows.push(['6. localStorage write of 10k', `${fmtSummary(st.setItemMs)}; ${st.valueChars?.toLocaleString('en')} chars (${fmtBytes(st.valueUtf8Bytes || 0)} UTF-8)`, '', '']);
  const mem = (m) =>
    m
      ? `JS heap ${fmtBytes(m.jsHeapUsedBytes)}${m.wasmMemoryBytes != null ? ` + wasm ${fmtBytes(m.wasmMemoryBytes)}` : ''}; ` +
        `${m.domNodes.toLocaleString('en')} DOM nodes${m.rendererRssBytes ? `; renderer RSS ${fmtBytes(m.rendererRssBytes)}` : ''}`
      : '—';
  if (A.memory10000 || G['SPANS.10000']) rows.push(['7. memory at 10k (after GC)', mem(A.memory10000), mem(G['SPANS.10000']?.memory), mem(G['CSS_HIGHLIGHTS.10000']?.memory)]);
  if (A.memoryEmpty) rows.push(['   memory, no annotations', mem(A.memoryEmpty), '', '']);

  console.log('');
  console.log(`R2P Annotator benchmark — ${R.machine.date}`);
  console.log(`${R.machine.cpu}${R.machine.cpuDetail ? ` (${R.machine.cpuDetail})` : ""}, ${R.machine.cores} cores, ${R.machine.memoryGiB} GiB; Chromium ${R.machine.chromium} headless; ${R.machine.recogito}; build ${R.machine.build}${R.machine.commit ? ` (commit ${R.machine.commit})` : ''}`);
  console.log(`median [min–max] n=runs; runs: ${RUNS} (10k cases: ${SLOW_RUNS}); cap ${TIMEOUT_MS / 1000} s per step; viewport ${VIEWPORT.width}×${VIEWPORT.height}; load average at start ${R.machine.loadAverageAtStart.join(' ')}, at end ${R.machine.loadAverageAtEnd.join(' ')}`);
  console.log('');
  console.log(table(rows));

  // Ratios: ours / theirs on items 2 and 3.
  const ratioRows = [['ours / theirs', 'vs SPANS', 'vs CSS_HIGHLIGHTS', 'vs the faster']];
  const ratio = (ours, theirs) => (ours != null && theirs != null && theirs > 0 ? ours / theirs : null);
  const fmtR = (r) => (r == null ? '—' : r >= 1 ? `${r.toFixed(2)} (${r.toFixed(1)}× slower)` : `${r.toFixed(3)} (${(1 / r).toFixed(1)}× faster)`);
  for (const [label, ourKey, ourField, theirField] of [
    ['2. open 1k', 'open1000', 'drawMs', 'openMs'],
    ['2. open 10k', 'open10000', 'drawMs', 'openMs'],
    ['3. add one at 1k', 'add1000', 'addMs', 'addMs'],
    ['3. add one at 10k', 'add10000', 'addMs', 'addMs'],
  ]) {
    const ours = med(A[ourKey]?.[ourField]);
    const n = ourKey.endsWith('10000') ? 10000 : 1000;
    const sp = med(G[`SPANS.${n}`]?.[theirField]);
    const css = med(G[`CSS_HIGHLIGHTS.${n}`]?.[theirField]);
    const faster = [sp, css].filter((x) => x != null);
    const best = faster.length ? Math.min(...faster) : null;
    const r = { case: label, ours, spans: sp, css, vsSpans: ratio(ours, sp), vsCss: ratio(ours, css), vsFaster: ratio(ours, best) };
    R.ratios.push(r);
    ratioRows.push([label, fmtR(r.vsSpans), fmtR(r.vsCss), fmtR(r.vsFaster)]);
  }
  console.log('');
  console.log(table(ratioRows));

  // Budgets.
  const budgets = [];
  const budget = (name, value, limit, unit = 'ms', better = 'lower', why = null) => {
    if (value == null) {
      const timedOut = why === 'timeout';
      budgets.push({ name, value: null, limit, met: timedOut ? false : null, text: timedOut ? `missed: timed out (over the ${TIMEOUT_MS / 1000} s cap)` : why || 'not measured' });
      return;
    }
    const met = better === 'lower' ? value < limit || (unit === 'B' && value <= limit) : value >= limit;
    let text;
    if (unit === 'B') text = met ? `met (${fmtBytes(value)} ≤ ${fmtBytes(limit)})` : `missed by ${fmtBytes(value - limit)} (${fmtBytes(value)}, ${(value / limit).toFixed(1)}× the budget)`;
    else if (unit === 'x') text = met ? `met (${value.toFixed(1)}× faster)` : `missed: ${value >= 1 ? `${value.toFixed(2)}× faster` : `${(1 / value).toFixed(1)}× slower`}, needs ${limit}× (off by ${(limit / value).toFixed(1)}×)`;
    else text = met ? `met (${fmtMs(value)} < ${fmtMs(limit)})` : `missed by ${fmtMs(value - limit)} (${fmtMs(value)}, ${(value / limit).toFixed(1)}× the budget)`;
    budgets.push({ name, value: round(value, 3), limit, met, text });
  };
  if (R.sizes) budget('transfer ≤ 150 KB gzip (150,000 B)', R.sizes.app.gzip, 150000, 'B');
  const to = (x) => (x && x.timeouts ? 'timeout' : null);
  budget('cold load < 150 ms', med(A.cold?.docShownMs), 150, 'ms', 'lower', to(A.cold));
  budget('1k painted < 100 ms', med(A.open1000?.drawMs), 100, 'ms', 'lower', to(A.open1000));
  budget('10k painted < 600 ms', med(A.open10000?.drawMs), 600, 'ms', 'lower', to(A.open10000));
  budget('add one with 10k < 16 ms', med(A.add10000?.addMs), 16, 'ms', 'lower', to(A.add10000) || to(A.open10000));
  budget('import 10k < 1 s (report + apply)', med(A.import10000?.totalMs), 1000, 'ms', 'lower', to(A.import10000));
  for (const r of R.ratios) {
    const why = r.ours == null ? null : r.spans == null && r.css == null ? 'not comparable: no Recogito figure (timed out or not run)' : null;
    budget(`≥3× faster than the faster Recogito: ${r.case}`, r.vsFaster == null ? null : 1 / r.vsFaster, 3, 'x', 'higher', why);
  }
  R.budgets = budgets;
  console.log('');
  console.log(table([['budget', 'result'], ...budgets.map((b) => [b.name, b.text])]));
  console.log('');
  console.log('Notes: "painted" = in the DOM and the first frame showing it finished; the painted article is checked against the set.');
  console.log('Open: R2P = navigation → every highlight painted, less the cold load with nothing stored (the app paints stored highlights');
  console.log('with the document; its side list fills in over later frames: "side list complete"); Recogito from setAnnotations(JSON.parse(file)).');
  console.log('Recogito paints only the viewport\'s highlights, the app all.');
  console.log('Add one: R2P = key "2" with the text selected and the picker open; Recogito = addAnnotation(W3C) of the same span.');
  if (R.profiles) console.log(`Profiles: ${Object.keys(R.profiles).map((k) => `bench/profile-${k}.txt`).join(', ')} (+ .cpuprofile for DevTools, .json).`);
  if (R.pageErrors?.length) console.log(`Page errors seen: ${R.pageErrors.length} (see results.json)`);
  console.log(`Elapsed: ${R.elapsedSeconds} s`);
}

main().catch(async (e) => {
  console.error(e);
  try {
    await browser?.close();
    await server?.close();
  } catch {}
  process.exit(1);
});
