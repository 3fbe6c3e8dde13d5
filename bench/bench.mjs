#!/usr/bin/env node
// R2P Annotator performance benchmark: the release build (dist/) in headless Chromium, compared in
// the same browser run with Recogito's text-annotator and with a hand-written plain-JS floor
// (pages/floor.js) on the same text and annotation sets, against issue 9's targets (TARGETS).
// Run through `bash scripts/bench.sh` (builds dist/, installs this folder's npm packages).
//
//   node bench/bench.mjs [--runs N] [--slow-runs N] [--timeout S] [--profile] [--only a,b]
//     --runs N       runs per case (default 5)
//     --slow-runs N  runs for the slow 10k cases: the app, Recogito and the floor at 10k (default 3)
//     --timeout S    cap per measured step, seconds (default 60); a step over it is a "timeout"
//     --profile      also write CPU profiles and trace summaries for the app's 10k open and
//                    add-one cases (bench/profile-*.txt, *.cpuprofile, *.json)
//     --only LIST    comma-separated subset of: size,cold,open,import,class,recogito,floor
//     --markdown     also print the targets table as Markdown (for README.md)
//     --sizes LIST   annotation set sizes (default 1000,10000; import uses 10000 when listed)
//     --out FILE     where to write the JSON (default bench/results.json)
//     --dist DIR     the build to serve instead of dist/ (e.g. a copy kept from another commit)
//     --profile-sizes LIST  which open/add-one cases --profile records (default 10000)
//     (env BENCH_TRACE_CATS: comma-separated trace categories for --profile, to dig deeper;
//      env BENCH_SAVE_TRACE=1: also write the raw traces, bench/profile-*.trace.json)
//
// Every time is taken in the page with performance.now(); "painted" means the change is in the
// DOM (or, for Recogito's CSS highlights, in CSS.highlights), checked, and the first frame that
// includes it has finished on the main thread (see lib/inpage.js). Results: bench/results.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './lib/server.mjs';
import { describeText, generate, envelope, w3c, classFile, TAGS } from './lib/data.mjs';
import { summary, round, fmtMs, fmtSummary, fmtBytes, table } from './lib/stats.mjs';
import { wasmNameMap, summarizeCpuProfile, summarizeTrace } from './lib/profile.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
let SOURCE_DIST = path.join(ROOT, 'dist'); // --dist DIR replaces it
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
if (opt('dist', null)) SOURCE_DIST = path.resolve(opt('dist', null));

const MARKDOWN = argv.includes('--markdown');

// ---- issue 9's targets ----------------------------------------------------------------------------
// Each named once: the check and the printed text are built from this table. max: the limit in
// bytes (gzip -9, KB = 1,000 bytes) or ms; faster: how many times faster than the other contender
// the app must be (the ratio app ÷ other at most 1 / faster). A target holds when the median run
// is within it.
const TARGETS = {
  transfer: { max: 150_000, unit: 'B' }, // whole app as served: wasm + JS + CSS + HTML
  singleFile: { max: 400_000, unit: 'B' }, // dist/r2p-annotator.html
  cold: { max: 100, unit: 'ms' }, // navigation start → document shown
  open1000: { max: 25, unit: 'ms' }, // document shown → every highlight painted
  open10000: { max: 150, unit: 'ms' },
  longTask10000: { max: 50, unit: 'task' }, // no long task while opening 10k: the longest ≤ 50 ms
  add10000: { max: 16, unit: 'ms' }, // with the side list and the per-tag counts
  importReport: { max: 150, unit: 'ms' }, // file chosen → report shown
  importApply: { max: 300, unit: 'ms' }, // Import clicked → applied and painted
  classOpen: { max: 1000, unit: 'ms' }, // issue 11: 30 students' files × 200 chosen → class view drawn
  classFilter: { max: 50, unit: 'ms' }, // issue 11: heat layer's tag filter changed → painted
  vsRecogito: { faster: 3 }, // every open/add-one scenario, against Recogito's faster renderer
  vsFloor: { faster: 1 }, // and no slower than the plain-JS floor
};
const limitOf = (t) => (t.faster ? 1 / t.faster : t.max);
const targetText = (t) =>
  t.faster
    ? t.faster === 1
      ? 'no slower: ≤ 1'
      : `≥ ${t.faster}× faster: ≤ ${(1 / t.faster).toFixed(2)}`
    : t.unit === 'B'
      ? `≤ ${t.max / 1000} KB gzip`
      : t.unit === 'task'
        ? `no task over ${t.max} ms`
        : `≤ ${t.max} ms`;

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

const med = (s) => (s ? s.median : null);
const started = Date.now();
const log = (...a) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...a);

// ---- transfer size ---------------------------------------------------------------------------------
/** Bytes of dist/ files, raw and gzipped at level 9 (zlib), summed. */
function measureFiles(list) {
  const rows = list.map((f) => {
    const buf = fs.readFileSync(path.join(DIST, f));
    return { file: f, raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
  });
  return { files: rows, raw: rows.reduce((a, r) => a + r.raw, 0), gzip: rows.reduce((a, r) => a + r.gzip, 0) };
}

function transferSize() {
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  const all = walk(DIST).map((f) => path.relative(DIST, f));
  // What the page loads: index.html, the JS glue and its snippets (imported by the glue), the
  // wasm, the CSS.
  const core = all.filter(
    (f) =>
      f === 'index.html' ||
      /^r2p-annotator-.*\.js$/.test(f) ||
      /^snippets\/.*\.js$/.test(f) ||
      /^r2p-annotator-.*_bg\.wasm$/.test(f) ||
      /^style-.*\.css$/.test(f),
  );
  const single = 'r2p-annotator.html';
  return {
    note:
      'app = index.html + JS glue and its snippets + wasm (the default document is embedded in the wasm) + CSS, each gzipped at level 9 (zlib) and summed; ' +
      'withAssets adds the icons and the web manifest (sw.js excluded); singleFile = dist/r2p-annotator.html alone',
    app: measureFiles(core),
    withAssets: measureFiles(all.filter((f) => f !== single && f !== 'sw.js')),
    singleFile: all.includes(single) ? measureFiles([single]) : null,
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

/** Long tasks of the open runs (B.longTasksIn per run; null: not measured): medians over runs. */
function longTaskSummary(perRun) {
  const v = perRun.filter(Boolean);
  return {
    longestTaskMs: summary(v.map((x) => x.longestMs)),
    longTasksOver50: summary(v.map((x) => x.count)),
  };
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
    ([exp, text, tPaint]) => {
      const B = window.__bench;
      B.expected = exp;
      const v = B.app.verify(exp, { text });
      // The list: its total, and the items present (all, or the window of a windowed list) are
      // annotations of the set, at their spans when the items state them.
      const want = new Map(exp.map((a) => [a.id, a]));
      const items = [...B.app.items()];
      const itemsOk = items.every((li) => {
        const a = want.get(li.getAttribute('data-annotation-id'));
        return !!a && (!li.hasAttribute('data-start') || (Number(li.getAttribute('data-start')) === a.start && Number(li.getAttribute('data-end')) === a.end));
      });
      return {
        ...v,
        listOk: B.app.listShows(exp.length) && itemsOk,
        listItems: items.length,
        listTotal: B.app.listTotal(),
        longTasks: B.longTasksIn(0, tPaint), // navigation start → every highlight painted
      };
    },
    [expected, DOC.text, open.tPaint],
  );
  return {
    totalMs: open.tPaint, // navigation start → every highlight painted
    annotMs: open.tPaint - doc.tChange, // document in the DOM → every highlight painted
    shownMs: open.tPaint - doc.tPaint, // document painted (shown) → every highlight painted
    domMs: open.tChange - doc.tChange, // document in the DOM → every highlight in the DOM
    // document in the DOM → the side list complete and painted; when the list was still filling
    // in after the highlights, the in-page verification (run after the highlights' paint) is
    // subtracted, as it delayed the rest.
    listMs: list.tPaint - doc.tChange - (list.tPaint > open.tPaint ? open.verifyMs : 0),
    verifyMs: open.verifyMs,
    docShownMs: doc.tPaint,
    verified: check.ok && check.listOk && !!open.verified?.ok,
    paintedIncomplete: open.rejected, // paints at which the highlights were not all there yet
    longTasks: check.longTasks,
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
        // Done when the span's highlights are painted, the panel says n + 1 and Pillar II's count
        // went up by one (B.app.watch).
        const pillar = B.app.tagCount('Pillar II');
        const w = B.app.watch({
          count: n + 1,
          span: [start, end],
          after: [...B.expected, { id: null, start, end }],
          tag: pillar === null ? null : { label: 'Pillar II', count: pillar + 1 },
        });
        performance.mark('bench-start'); // for --profile: the window of the trace that counts
        const t1 = performance.now();
        document.dispatchEvent(new KeyboardEvent('keydown', { key: '2', code: 'Digit2', bubbles: true, cancelable: true }));
        const done = await w.until(tout, 'bench-end');
        if (done.timeout) return { timeout: true, step: 'add', state: done };
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
      // The new item's id, when it is in the DOM (a windowed list may not hold it; the check by
      // code points needs no id, the older check by ids does).
      const added = [...B.app.items()].map((li) => li.getAttribute('data-annotation-id')).find((id) => !known.has(id));
      B.expected = [...B.expected, { id: added ?? null, start, end }];
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
      const count = B.app.listTotal();
      const li = B.app.items()[0];
      const id = li.getAttribute('data-annotation-id');
      const at = (k) => Number(li.getAttribute(k));
      const a =
        B.expected.find((x) => x.id === id) ||
        (li.hasAttribute('data-start') && B.expected.find((x) => x.id === null && x.start === at('data-start') && x.end === at('data-end')));
      if (!a) return { error: `the first list item (${id}) is not in the set` };
      const kept = B.expected.filter((x) => x !== a);
      // Done when the panel says one fewer and the span's highlights are painted without it.
      let w = B.app.watch({ count: count - 1, span: [a.start, a.end], after: kept });
      const t0 = performance.now();
      li.querySelector('button[aria-label="Delete annotation"]').click();
      const del = await w.until(tout);
      if (del.timeout) return { timeout: true, step: 'delete', state: del };
      const v1 = B.app.verify(kept);
      await B.settle(3, 300);
      const undo = B.app.button('Undo');
      w = B.app.watch({ count, span: [a.start, a.end], after: B.expected });
      const t1 = performance.now();
      undo.click();
      const und = await w.until(tout);
      if (und.timeout) return { timeout: true, step: 'undo', deleteMs: del.tPaint - t0, state: und };
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
          const listDone = B.until(() => B.app.listShows(n), tout);
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

// ---- class view (issue 11) ------------------------------------------------------------------------
/** The class the class view opens: students' files of annotations each (classFile in lib/data.mjs). */
const CLASS = { students: 30, each: 200 };

/**
 * In the app with no annotations: Class view, then the class's files chosen in "Open students'
 * files" (File objects made before the clock starts, as a picked batch is) → the roster, the heat
 * layer and the figures painted (openMs); then the heat layer's filter set to Pillar II → its
 * runs painted (filterMs).
 */
async function appClass() {
  const ctx = await newPage({ config: { textLength: DOC.text.length } });
  try {
    await ctx.page.goto(APP(), { waitUntil: 'commit' });
    const boot = await capped(ctx, ctx.page.evaluate(() => window.__bench.boot.doc));
    if (boot.timeout || boot.error) return boot;
    return await capped(
      ctx,
      ctx.page.evaluate(
        async ([n, tout]) => {
          const B = window.__bench;
          const files = [];
          for (let i = 0; i < n; i++) {
            const text = await (await fetch(`/data/class-${i}.json`)).text();
            files.push(new File([text], `student-${i}.json`, { type: 'application/json' }));
          }
          [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Class view').click();
          const view = await B.until(() => document.querySelector('input[type="file"][aria-label="Open students\' files"]'), tout);
          if (view.timeout) return { timeout: true, step: 'class view' };
          await B.settle(5, 300);
          const t0 = performance.now();
          const dt = new DataTransfer();
          files.forEach((f) => dt.items.add(f));
          view.value.files = dt.files;
          view.value.dispatchEvent(new Event('change', { bubbles: true }));
          const drawn = await B.until(
            () =>
              document.querySelectorAll('.class-view table.roster tbody tr').length === n &&
              document.querySelector('.class-view mark.heat') &&
              document.querySelector('.class-agreement table'),
            tout,
          );
          if (drawn.timeout) return { timeout: true, step: 'open' };
          const runs = document.querySelectorAll('.class-view mark.heat').length;
          await B.settle(5, 300);
          const select = document.querySelector('.heat-tools select');
          const t1 = performance.now();
          select.value = 'pillar-2';
          select.dispatchEvent(new Event('change', { bubbles: true }));
          const filtered = await B.until(() => document.querySelector('.heat-text')?.dataset.filter === 'pillar-2', tout);
          if (filtered.timeout) return { timeout: true, step: 'filter', openMs: drawn.tPaint - t0 };
          const runsFiltered = document.querySelectorAll('.class-view mark.heat').length;
          return {
            openMs: drawn.tPaint - t0,
            filterMs: filtered.tPaint - t1,
            runs,
            runsFiltered,
            verified: runs > 0 && runsFiltered > 0 && runsFiltered < runs,
          };
        },
        [CLASS.students, TOUT()],
      ),
    );
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
          return {
            openMs: first.tPaint - t0,
            syncMs: tReturned - t0,
            redraws: rec.candidates.length,
            count: last.count,
            longTasks: B.longTasksIn(t0, first.tPaint),
          };
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

// ---- the plain-JS floor ---------------------------------------------------------------------------
/**
 * The floor page (pages/floor.js) with the n-annotation set in its localStorage: open() → every
 * highlight painted (checked as the app's: B.app.verify), then add() of the app's add-one span
 * with Pillar II → its highlights, the total and the tag's count painted (B.app.watch).
 */
async function floorRun(n, { memory = false } = {}) {
  const ctx = await newPage();
  try {
    await ctx.page.goto(`${server.url}/bench/floor.html?n=${n}`);
    await ctx.page.waitForFunction(() => (window.__floor && window.__floor.ready) || window.__floorError, null, { timeout: 30000 });
    const err = await ctx.page.evaluate(() => window.__floorError);
    if (err) return { error: err };
    const expected = SETS.get(n).map(({ id, start, end }) => ({ id, start, end }));
    const open = await capped(
      ctx,
      ctx.page.evaluate(
        async ([exp, text, tout]) => {
          const B = window.__bench;
          const F = window.__floor;
          await B.settle(5, 300);
          const t0 = performance.now();
          const painted = B.until(() => B.app.markCount() > 0, tout, () => B.app.verify(exp, { text }));
          F.open();
          const tReturned = performance.now();
          const r = await painted;
          if (r.timeout) return { timeout: true, lastVerify: r.lastVerify };
          B.expected = exp;
          return {
            openMs: r.tPaint - t0,
            syncMs: tReturned - t0,
            verified: r.verified.ok,
            check: r.verified,
            paintedIncomplete: r.rejected,
            longTasks: B.longTasksIn(t0, r.tPaint),
          };
        },
        [expected, DOC.text, TOUT()],
      ),
    );
    if (open.timeout || open.error) return { open };
    const a = oneApp();
    const add = await capped(
      ctx,
      ctx.page.evaluate(
        async ([one, n, tout]) => {
          const B = window.__bench;
          const F = window.__floor;
          await B.settle(5, 300);
          const after = [...B.expected, { id: one.id, start: one.start, end: one.end }];
          const pillar = B.app.tagCount('Pillar II');
          const w = B.app.watch({ count: n + 1, span: [one.start, one.end], after, tag: { label: 'Pillar II', count: pillar + 1 } });
          const t0 = performance.now();
          F.add(one);
          const tReturned = performance.now();
          const done = await w.until(tout);
          if (done.timeout) return { timeout: true, state: done };
          B.expected = after;
          const v = B.app.verify(after);
          return { addMs: done.tPaint - t0, syncMs: tReturned - t0, verified: v.ok, check: v };
        },
        [a, n, TOUT()],
      ),
    );
    const out = { open, add };
    if (memory && !ctx.closed) out.memory = await cdpMemory(ctx.page);
    return out;
  } finally {
    if (!ctx.closed) await ctx.context.close();
  }
}

/** The add-one annotation in the app's own format: ADD_SPAN, tagged Pillar II. */
function oneApp() {
  const a = { id: '00000000-0000-4000-8000-00000000add1', start: ADD_SPAN[0], end: ADD_SPAN[1], tags: ['pillar-2'], note: '', created: Date.UTC(2024, 1, 1), modified: Date.UTC(2024, 1, 1) };
  a.quote = DOC.cps.slice(a.start, a.end).join('');
  return a;
}

function oneW3C(units) {
  return w3c(DOC, [oneApp()], units)[0];
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
  const results = { machine: {}, settings: {}, sizes: null, app: {}, recogito: {}, floor: {}, targets: [], ratios: [], notes: [] };
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
      // Shown: every block holds its text (the app paints the blocks' contents after they exist).
      await B.until(() => {
        const blocks = B.app.article()?.querySelectorAll('[data-block]');
        return blocks && blocks.length > 0 && [...blocks].every((b) => b.firstChild);
      });
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
    data.set('/data/tags.json', { type: 'application/json', body: JSON.stringify(TAGS) });
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

  if (want('class')) {
    const names = ['Amina', 'Ben', 'Chloé', 'Dmitri', 'Elif', 'Farah'];
    for (let i = 0; i < CLASS.students; i++) {
      const anns = generate(DOC, CLASS.each, SEED + 100 + i);
      data.set(`/data/class-${i}.json`, { type: 'application/json', body: classFile(DOC, `${names[i % names.length]} ${i + 1}`, anns) });
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
          'stored annotations, then navigate: shownMs = the document painted → every highlight painted (the target figure: the app paints the document first and reads the stored annotations in the task after that frame; the painted article is verified); ' +
          'drawMs = navigation → every highlight painted, less the median cold load with nothing stored (what the stored annotations add to a start); ' +
          'annotMs = the document in the DOM → every highlight painted; ' +
          'totalMs = navigation start → every highlight painted; listMs = the document in the DOM → the side list complete (the app fills it in over frames)',
        annotMs: summary(runs.map((r) => (ok(r.open) ? r.open.annotMs : null))),
        shownMs: summary(runs.map((r) => (ok(r.open) ? r.open.shownMs : null))),
        totalMs: summary(runs.map((r) => (ok(r.open) ? r.open.totalMs : null))),
        // What the stored annotations add to a start with nothing stored.
        drawMs: summary(
          runs.map((r) => (ok(r.open) && results.app.cold?.docShownMs ? r.open.totalMs - results.app.cold.docShownMs.median : null)),
        ),
        domMs: summary(runs.map((r) => (ok(r.open) ? r.open.domMs : null))),
        listMs: summary(runs.map((r) => (ok(r.open) ? r.open.listMs : null))),
        ...longTaskSummary(runs.map((r) => (ok(r.open) ? r.open.longTasks : null))),
        // Blocks with highlights left unpainted out of view (a page may paint near the viewport only).
        deferredBlocks: summary(runs.map((r) => (ok(r.open) ? r.open.check?.deferred : null))),
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

  if (want('class')) {
    log(`app: class view, ${CLASS.students} files × ${CLASS.each} × ${SLOW_RUNS}`);
    const runs = [];
    for (let i = 0; i < SLOW_RUNS; i++) {
      const r = { load1: round(os.loadavg()[0], 2), ...(await appClass()) };
      log(`  run ${i + 1}: ${r.timeout ? `timeout (${r.step})` : r.error ? r.error : `opened ${fmtMs(r.openMs)}, filter ${fmtMs(r.filterMs)} (${r.runs} runs, ${r.runsFiltered} with Pillar II; verified ${r.verified})`}`);
      runs.push(r);
    }
    const ok = (x) => x && !x.timeout && !x.error && x.verified;
    results.app.class = {
      what: `${CLASS.students} students' files × ${CLASS.each} annotations chosen → roster, heat layer and figures painted (openMs); heat filter set to Pillar II → painted (filterMs)`,
      openMs: summary(runs.map((r) => (ok(r) ? r.openMs : null))),
      filterMs: summary(runs.map((r) => (ok(r) ? r.filterMs : null))),
      timeouts: runs.filter((r) => r.timeout).length,
      failures: runs.filter((r) => !r.timeout && !ok(r)).length,
      runs,
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
          ...longTaskSummary(runs.map((r) => (ok(r.open) ? r.open.longTasks : null))),
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

  // -- the plain-JS floor --
  if (want('floor')) {
    for (const n of SIZES) {
      const runsN = n >= 10000 ? SLOW_RUNS : RUNS;
      log(`plain-JS floor: open(${n}) + add one × ${runsN}`);
      const runs = [];
      for (let i = 0; i < runsN; i++) {
        const r = { load1: round(os.loadavg()[0], 2), ...(await floorRun(n, { memory: n >= 10000 && i === 0 })) };
        const o = r.open || {};
        const bad = (x) => (x.timeout ? 'timeout' : x.error ? x.error : null);
        log(
          `  run ${i + 1}: ${r.error ? r.error : `open ${bad(o) || `${fmtMs(o.openMs)} (verified ${o.verified}; ${o.check?.marks} marks)`}`}` +
            (r.add ? `; add ${bad(r.add) || `${fmtMs(r.add.addMs)} (verified ${r.add.verified})`}` : ''),
        );
        runs.push(r);
      }
      const ok = (x) => x && !x.timeout && !x.error && x.verified;
      results.floor[`${n}`] = {
        what:
          'openMs: open() = localStorage.getItem + JSON.parse of the envelope + every block painted + the counts → every highlight painted (checked as the app\'s); ' +
          'syncMs: how long open() itself blocked; addMs: add(the app\'s add-one annotation) → its highlights, the total and the tag count painted',
        openMs: summary(runs.map((r) => (ok(r.open) ? r.open.openMs : null))),
        syncMs: summary(runs.map((r) => (ok(r.open) ? r.open.syncMs : null))),
        addMs: summary(runs.map((r) => (ok(r.add) ? r.add.addMs : null))),
        ...longTaskSummary(runs.map((r) => (ok(r.open) ? r.open.longTasks : null))),
        openTimeouts: runs.filter((r) => r.open && r.open.timeout).length,
        openFailures: runs.filter((r) => !r.open || (!r.open.timeout && !ok(r.open))).length,
        addTimeouts: runs.filter((r) => r.add && r.add.timeout).length,
        addFailures: runs.filter((r) => r.add && !r.add.timeout && !ok(r.add)).length,
        memory: runs[0]?.memory || null,
        runs,
      };
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
    'The app and the floor are checked the same way (lib/inpage.js, B.marks.verify): in every block, the code points inside <mark>s (walking text nodes; each mark\'s data-s/data-e checked against its text) equal the union of the expected spans; a block out of the viewport with no mark at all counts as deferred (a page may paint near the viewport only; see deferredBlocks), every other block must be exact. Builds whose marks carry data-annotation-ids are checked by ids instead (every run lists exactly its covering annotations). Add one / delete / undo are done when the touched blocks are exact, the panel total (summary, aria-setsize or items) and, for add one, the Pillar II count show the change.',
    'Long tasks: PerformanceObserver longtask entries (tasks over 50 ms) overlapping the open: app from navigation start to every highlight painted; Recogito from setAnnotations to painted; floor from open() to painted.',
    'Memory: jsHeapUsedBytes = V8 heap in use after a forced GC (Runtime.getHeapUsage); wasmMemoryBytes = the app\'s WebAssembly.Memory buffer (from TrunkApplicationStarted); domNodes from Performance.getMetrics; rendererRssBytes = resident memory of the renderer process (includes DOM and layout).',
  );
  results.pageErrors = [...new Set(pageErrors)].slice(0, 20);
  results.elapsedSeconds = Math.round((Date.now() - started) / 1000);
  report(results);
  fs.writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${OUT}`);
}

// ---- report ------------------------------------------------------------------------------------------
const KB = (b) => `${(b / 1000).toFixed(1)} KB`;
/** "median (min–max)" for the targets table; notes timeouts and failed checks. */
function cell(s, { timeouts = 0, failures = 0 } = {}) {
  const extra = [timeouts ? `${timeouts} timed out` : '', failures ? `${failures} failed` : ''].filter(Boolean).join(', ');
  if (!s) return extra ? `— (${extra})` : '—';
  return `${fmtMs(s.median)}${s.n > 1 ? ` (${fmtMs(s.min)}–${fmtMs(s.max)})` : ''}${extra ? ` (${extra})` : ''}`;
}

function report(R) {
  const A = R.app;
  const G = R.recogito;
  const FL = R.floor;
  const mem = (m) =>
    m
      ? `JS heap ${fmtBytes(m.jsHeapUsedBytes)}${m.wasmMemoryBytes != null ? ` + wasm ${fmtBytes(m.wasmMemoryBytes)}` : ''}; ` +
        `${m.domNodes.toLocaleString('en')} DOM nodes${m.rendererRssBytes ? `; renderer RSS ${fmtBytes(m.rendererRssBytes)}` : ''}`
      : '—';
  const rg = (key, field) => {
    const x = G[key];
    if (!x) return '—';
    const add = field === 'addMs';
    return fmtSummary(x[field], { timeouts: add ? x.addTimeouts : x.openTimeouts, failures: add ? x.addFailures : x.openFailures });
  };
  const fl = (n, field) => {
    const x = FL[`${n}`];
    if (!x) return '—';
    const add = field === 'addMs';
    return fmtSummary(x[field], { timeouts: add ? x.addTimeouts : x.openTimeouts, failures: add ? x.addFailures : x.openFailures });
  };
  const lt = (x) =>
    x && x.longestTaskMs ? `longest ${fmtMs(x.longestTaskMs.median)}, ${x.longTasksOver50.median} over 50 ms` : '—';

  // -- details: every figure --
  const rows = [['case', 'R2P Annotator', 'Recogito SPANS', 'Recogito CSS_HIGHLIGHTS', 'plain-JS floor']];
  if (R.sizes) {
    rows.push(['1. transfer, app (raw / gzip -9)', `${fmtBytes(R.sizes.app.raw)} / ${fmtBytes(R.sizes.app.gzip)}`, '', '', '']);
    rows.push(['   with icons + manifest', `${fmtBytes(R.sizes.withAssets.raw)} / ${fmtBytes(R.sizes.withAssets.gzip)}`, '', '', '']);
    if (R.sizes.singleFile) rows.push(['   single-file edition', `${fmtBytes(R.sizes.singleFile.raw)} / ${fmtBytes(R.sizes.singleFile.gzip)}`, '', '', '']);
  }
  if (A.cold) rows.push(['1. cold load → document painted', fmtSummary(A.cold.docShownMs, { timeouts: A.cold.timeouts }), '', '', '']);
  for (const n of SIZES) {
    const o = A[`open${n}`];
    if (o || G[`SPANS.${n}`] || FL[`${n}`])
      rows.push([`2. open ${n / 1000}k: document shown → all painted`, o ? fmtSummary(o.shownMs, o) : '—', rg(`SPANS.${n}`, 'openMs'), rg(`CSS_HIGHLIGHTS.${n}`, 'openMs'), fl(n, 'openMs')]);
    if (o) rows.push([`   added to an empty start (nav → painted − cold)`, fmtSummary(o.drawMs, o), '', '', '']);
    if (o) rows.push([`   document in the DOM → painted`, fmtSummary(o.annotMs, o), '', '', '']);
    if (o) rows.push([`   incl. page load (nav → painted)`, fmtSummary(o.totalMs, o), '', '', '']);
    if (o) rows.push([`   side list complete`, fmtSummary(o.listMs, o), '', '', '']);
    if (o?.deferredBlocks?.median) rows.push([`   blocks left unpainted out of view`, `${o.deferredBlocks.median}`, '', '', '']);
    if (o || G[`SPANS.${n}`] || FL[`${n}`]) rows.push([`   long tasks while opening`, lt(o), lt(G[`SPANS.${n}`]), lt(G[`CSS_HIGHLIGHTS.${n}`]), lt(FL[`${n}`])]);
  }
  for (const n of SIZES) {
    const a = A[`add${n}`];
    if (a || G[`SPANS.${n}`] || FL[`${n}`])
      rows.push([`3. add one at ${n / 1000}k → painted`, a ? fmtSummary(a.addMs, a) : '—', rg(`SPANS.${n}`, 'addMs'), rg(`CSS_HIGHLIGHTS.${n}`, 'addMs'), fl(n, 'addMs')]);
    if (a) rows.push([`   select → picker painted`, fmtSummary(a.pickerMs, a), '', '', '']);
  }
  const d = A.delete10000;
  if (d) {
    rows.push(['4. delete one at 10k → painted', fmtSummary(d.deleteMs, d), '', '', '']);
    rows.push(['4. undo at 10k → painted', fmtSummary(d.undoMs, d), '', '', '']);
  }
  const cv = A.class;
  if (cv) {
    rows.push([`8. class view: ${CLASS.students} files × ${CLASS.each} → drawn`, fmtSummary(cv.openMs, cv), '', '', '']);
    rows.push(['8. class view: heat filter → painted', fmtSummary(cv.filterMs, cv), '', '', '']);
  }
  const im = A.import10000;
  if (im) {
    rows.push(['5. import 10k: file → report shown', fmtSummary(im.reportMs, im), '', '', '']);
    rows.push(['5. import 10k: Import → painted', fmtSummary(im.applyMs, im), '', '', '']);
    rows.push(['   Import → side list complete', fmtSummary(im.listMs, im), '', '', '']);
  }
  const st = A.storage10000;
  if (st) rows.push(['6. localStorage write of 10k', `${fmtSummary(st.setItemMs)}; ${st.valueChars?.toLocaleString('en')} chars (${fmtBytes(st.valueUtf8Bytes || 0)} UTF-8)`, '', '', '']);
  if (A.memory10000 || G['SPANS.10000'] || FL['10000'])
    rows.push(['7. memory at 10k (after GC)', mem(A.memory10000), mem(G['SPANS.10000']?.memory), mem(G['CSS_HIGHLIGHTS.10000']?.memory), mem(FL['10000']?.memory)]);
  if (A.memoryEmpty) rows.push(['   memory, no annotations', mem(A.memoryEmpty), '', '', '']);

  // -- issue 9's targets --
  const targets = [];
  const row = (what, cells, target = null, value = null, extra = {}) => {
    const limit = target ? limitOf(target) : null;
    const holds = target && value != null ? value <= limit : null;
    const text =
      !target ? '' : value == null ? 'not measured' : holds ? 'yes' : limit > 0 ? `no (${(value / limit).toFixed(1)}× the limit)` : 'no';
    targets.push({ what, app: cells[0] ?? '', spans: cells[1] ?? '', css: cells[2] ?? '', floor: cells[3] ?? '', target: target ? targetText(target) : '', holds: text, value: value == null ? null : round(value, 3), limit, met: holds, ...extra });
  };
  /** Ratio rows for one scenario: app ÷ Recogito's faster renderer, app ÷ floor. */
  const ratioRows = (label, ours, spans, css, floor) => {
    const both = [spans, css].filter((x) => x != null);
    const best = both.length ? Math.min(...both) : null;
    const bestName = best == null ? '' : best === spans ? 'spans' : 'CSS highlights';
    const vsR = ours != null && best ? ours / best : null;
    const vsF = ours != null && floor ? ours / floor : null;
    const fmtR = (r) => (r == null ? '—' : r.toFixed(2));
    row(`${label}: app ÷ faster Recogito${bestName ? ` (${bestName})` : ''}`, [fmtR(vsR)], TARGETS.vsRecogito, vsR, { ratio: true });
    row(`${label}: app ÷ plain-JS floor`, [fmtR(vsF)], TARGETS.vsFloor, vsF, { ratio: true });
    R.ratios.push({ case: label, ours, spans, css, floor, vsFasterRecogito: vsR == null ? null : round(vsR, 3), vsFloor: vsF == null ? null : round(vsF, 3) });
  };
  if (R.sizes) {
    row('Whole app as served (index.html + JS + wasm + CSS), gzip -9 (raw)', [`${KB(R.sizes.app.gzip)} (${KB(R.sizes.app.raw)} raw)`], TARGETS.transfer, R.sizes.app.gzip);
    const sf = R.sizes.singleFile;
    if (sf) row('Single-file edition dist/r2p-annotator.html, gzip -9 (raw)', [`${KB(sf.gzip)} (${KB(sf.raw)} raw)`], TARGETS.singleFile, sf.gzip);
  }
  if (A.cold) row('Cold load: navigation start → document shown', [cell(A.cold.docShownMs, A.cold)], TARGETS.cold, med(A.cold.docShownMs));
  const gcell = (key, field) => {
    const x = G[key];
    return x ? cell(x[field], field === 'addMs' ? { timeouts: x.addTimeouts, failures: x.addFailures } : { timeouts: x.openTimeouts, failures: x.openFailures }) : '—';
  };
  const fcell = (n, field) => {
    const x = FL[`${n}`];
    return x ? cell(x[field], field === 'addMs' ? { timeouts: x.addTimeouts, failures: x.addFailures } : { timeouts: x.openTimeouts, failures: x.openFailures }) : '—';
  };
  const k = (n) => `${n / 1000}k`;
  for (const n of SIZES) {
    const o = A[`open${n}`];
    row(
      `Open with ${k(n)} stored: document shown → every highlight painted`,
      [o ? cell(o.shownMs, o) : '—', gcell(`SPANS.${n}`, 'openMs'), gcell(`CSS_HIGHLIGHTS.${n}`, 'openMs'), fcell(n, 'openMs')],
      TARGETS[`open${n}`] || null,
      med(o?.shownMs),
    );
    ratioRows(`Open ${k(n)}`, med(o?.shownMs), med(G[`SPANS.${n}`]?.openMs), med(G[`CSS_HIGHLIGHTS.${n}`]?.openMs), med(FL[`${n}`]?.openMs));
    if (TARGETS[`longTask${n}`]) {
      const t = (x) => (x && x.longestTaskMs ? `${fmtMs(x.longestTaskMs.median)}; ${x.longTasksOver50.median} > 50 ms` : '—');
      row(`Open with ${k(n)}: longest task; tasks over 50 ms`, [t(o), t(G[`SPANS.${n}`]), t(G[`CSS_HIGHLIGHTS.${n}`]), t(FL[`${n}`])], TARGETS[`longTask${n}`], med(o?.longestTaskMs));
    }
  }
  for (const n of SIZES) {
    const a = A[`add${n}`];
    row(
      `Add one at ${k(n)} → painted, with the side list and per-tag counts`,
      [a ? cell(a.addMs, a) : '—', gcell(`SPANS.${n}`, 'addMs'), gcell(`CSS_HIGHLIGHTS.${n}`, 'addMs'), fcell(n, 'addMs')],
      TARGETS[`add${n}`] || null,
      med(a?.addMs),
    );
    ratioRows(`Add one at ${k(n)}`, med(a?.addMs), med(G[`SPANS.${n}`]?.addMs), med(G[`CSS_HIGHLIGHTS.${n}`]?.addMs), med(FL[`${n}`]?.addMs));
  }
  if (im) {
    row('Import a 10k file: file chosen → report shown', [cell(im.reportMs, im)], TARGETS.importReport, med(im.reportMs));
    row('Import a 10k file: Import clicked → applied and painted', [cell(im.applyMs, im)], TARGETS.importApply, med(im.applyMs));
  }
  if (cv) {
    row(`Class view: ${CLASS.students} students' files × ${CLASS.each} chosen → drawn`, [cell(cv.openMs, cv)], TARGETS.classOpen, med(cv.openMs));
    row("Class view: heat layer's tag filter → painted", [cell(cv.filterMs, cv)], TARGETS.classFilter, med(cv.filterMs));
  }
  R.targets = targets;
  const header = ['What', 'App', 'Recogito spans', 'Recogito CSS highlights', 'plain-JS floor', 'Target', 'holds?'];
  const cells = (t) => [t.what, t.app, t.spans, t.css, t.floor, t.target, t.holds];

  console.log('');
  console.log(`R2P Annotator benchmark — ${R.machine.date}`);
  console.log(`${R.machine.cpu}${R.machine.cpuDetail ? ` (${R.machine.cpuDetail})` : ''}, ${R.machine.cores} cores, ${R.machine.memoryGiB} GiB; Chromium ${R.machine.chromium} headless; ${R.machine.recogito}; build ${R.machine.build}${R.machine.commit ? ` (commit ${R.machine.commit})` : ''}`);
  console.log(`median [min–max] n=runs; runs: ${RUNS} (10k cases: ${SLOW_RUNS}); cap ${TIMEOUT_MS / 1000} s per step; viewport ${VIEWPORT.width}×${VIEWPORT.height}; load average at start ${R.machine.loadAverageAtStart.join(' ')}, at end ${R.machine.loadAverageAtEnd.join(' ')}`);
  console.log('');
  console.log('Details:');
  console.log(table(rows));
  console.log('');
  console.log("Issue 9's targets (median (min–max); a target holds when the median is within it; ratios: app ÷ other, medians; KB = 1,000 bytes):");
  console.log(table([header, ...targets.map(cells)]));
  if (MARKDOWN) {
    const esc = (c) => String(c).replace(/\|/g, '\\|');
    console.log('');
    console.log(`| ${header.join(' | ')} |`);
    console.log(`| ${header.map(() => '---').join(' | ')} |`);
    for (const t of targets) console.log(`| ${cells(t).map(esc).join(' | ')} |`);
  }
  console.log('');
  console.log('Notes: "painted" = in the DOM, checked (the code points inside <mark>s equal the union of the spans, block by block),');
  console.log('and the first frame showing it finished. Open: app = the document painted → every highlight painted (the app reads');
  console.log('its stored annotations in the task after the frame that shows the document); Recogito from setAnnotations(JSON.parse(file));');
  console.log('floor from open() (localStorage read, JSON.parse, paint). Recogito paints only the viewport\'s highlights; the floor all.');
  console.log('Add one: app = key "2" with the text selected and the picker open, done when the marks, the list total and the');
  console.log('Pillar II count show it; Recogito = addAnnotation(W3C) of the same span; floor = add() of it, with its total and counts.');
  if (R.profiles) console.log(`Profiles: ${Object.keys(R.profiles).map((p) => `bench/profile-${p}.txt`).join(', ')} (+ .cpuprofile for DevTools, .json).`);
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
