// Injected into every bench page before any of the page's own scripts (playwright addInitScript).
// Defines window.__bench: in-page timing helpers, so that every figure is taken with
// performance.now() in the page itself, around the action and up to the frame that shows its result.
(() => {
  if (window.__bench) return;
  const B = (window.__bench = {});
  const now = () => performance.now();

  // ---- "painted": the end of the first rendering update that includes a change -------------------
  // A change made outside a frame callback is shown by the next frame: requestAnimationFrame, and
  // then a message posted from that callback, which is handled only after the frame's style,
  // layout and paint are done on the main thread. A change made inside a requestAnimationFrame
  // callback (Recogito redraws there) is shown by the frame being produced: post the message
  // at once. To tell the two apart every rAF callback is wrapped; the flag is cleared by a
  // microtask queued after the callback, so that observers of the callback's own changes
  // (MutationObserver records, microtasks it queued) still see it set.
  let inRaf = false;
  const rawRaf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) =>
    rawRaf((ts) => {
      inRaf = true;
      try {
        cb(ts);
      } finally {
        queueMicrotask(() => {
          inRaf = false;
        });
      }
    });
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => {
    const t = now();
    const f = waiting.shift();
    if (f) f(t);
  };
  const post = (resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  };
  /** Resolves with the time (performance.now()) at which a frame showing the current DOM is done. */
  B.nextPaint = () => new Promise((resolve) => (inRaf ? post(resolve) : rawRaf(() => post(resolve))));
  /** A few quiet frames, so that a measurement does not start in the middle of leftover work. */
  B.settle = async (frames = 3, ms = 0) => {
    if (ms) await new Promise((r) => setTimeout(r, ms));
    for (let i = 0; i < frames; i++) await B.nextPaint();
  };

  // ---- wait for a DOM condition -------------------------------------------------------------------
  // `check` runs now and in every MutationObserver callback (childList in the whole document,
  // plus data-annotation-ids changes). When it holds, the time of that callback (the DOM change's
  // microtask) is kept and the next paint awaited; a later DOM change before that paint replaces
  // it (the latest state is what gets painted). With `verify`, the painted DOM is checked right
  // after the paint (outside the measured time): if it is not complete yet (say, highlights
  // still being filled in by a later task), the wait goes on for further changes.
  // Resolves { tChange, tPaint, value, verified, rejected } or { timeout: true, lastVerify }.
  // `markName`: a performance mark placed at the paint time (the --profile window's end).
  B.until = (check, timeoutMs = 60000, verify = null, markName = null) =>
    new Promise((resolve) => {
      let done = false;
      let timer;
      let seq = 0;
      let rejected = 0;
      let lastVerify = null;
      let verifyMs = 0; // time spent verifying (after paints, outside the measured time)
      const observer = new MutationObserver(() => {
        if (done) return;
        const t = now();
        seq++;
        const v = check();
        if (v) attempt(v, t);
      });
      const finish = (result) => {
        done = true;
        observer.disconnect();
        clearTimeout(timer);
        resolve(result);
      };
      const attempt = (value, tChange) => {
        const mine = seq;
        B.nextPaint().then((tPaint) => {
          if (done || mine !== seq) return; // the DOM changed again before this paint
          if (verify) {
            const v0 = now();
            lastVerify = verify();
            verifyMs += now() - v0;
            if (!lastVerify || lastVerify.ok === false) {
              rejected++;
              return;
            }
          }
          if (markName) performance.mark(markName, { startTime: tPaint });
          finish({ tChange, tPaint, value, verified: verify ? lastVerify : undefined, rejected, verifyMs });
        });
      };
      observer.observe(document, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['data-annotation-ids', 'disabled'],
      });
      timer = setTimeout(() => {
        if (!done) finish({ timeout: true, lastVerify, rejected, verifyMs });
      }, timeoutMs);
      const v0 = check();
      if (v0) attempt(v0, now());
    });

  // ---- no service worker ----------------------------------------------------------------------------
  // Registration fails, as where service workers are unavailable: the app then carries on without
  // one (it handles the rejection), and no precaching competes with the measured work.
  if (window.ServiceWorkerContainer) {
    ServiceWorkerContainer.prototype.register = () =>
      Promise.reject(new DOMException('service workers are disabled by the benchmark', 'SecurityError'));
  }

  // ---- localStorage writes --------------------------------------------------------------------------
  // Every setItem is timed (the browser's own write: the value is already serialised).
  B.storageWrites = [];
  const rawSetItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function setItem(key, value) {
    const t0 = now();
    try {
      return rawSetItem.call(this, key, value);
    } finally {
      const t1 = now();
      B.storageWrites.push({ key: String(key), chars: String(value).length, t0, ms: t1 - t0 });
    }
  };

  // ---- the app (R2P Annotator) ---------------------------------------------------------------------
  // Trunk's loader announces the wasm exports (memory included) in TrunkApplicationStarted.
  addEventListener('TrunkApplicationStarted', (e) => {
    B.wasmStarted = now();
    B.wasm = e.detail && e.detail.wasm;
  });
  const article = () => document.querySelector('article[aria-label="Document"]');
  const list = () => document.querySelector('ul[role="list"][aria-label="Annotations"]');
  let extraChildren = 0;
  B.app = {
    article,
    list,
    items: () => {
      const l = list();
      return l ? l.querySelectorAll(':scope > li[data-annotation-id]') : [];
    },
    itemCount: () => B.app.items().length,
    // countIs(n): itemCount() === n, cheap enough to run in every MutationObserver callback while
    // thousands of items are inserted: the list's childElementCount (minus the non-item children
    // seen at the last full count) must match before the items are counted.
    countIs: (n) => {
      const l = list();
      if (!l) return false;
      const c = l.childElementCount;
      if (c - extraChildren !== n) return false;
      const k = B.app.items().length;
      extraChildren = c - k;
      return k === n;
    },
    markCount: () => {
      const a = article();
      return a ? a.getElementsByTagName('mark').length : 0;
    },
    wasmMemoryBytes: () => (B.wasm && B.wasm.memory ? B.wasm.memory.buffer.byteLength : null),
  };

  /** Code points of a string. */
  const cpLen = (s) => {
    let n = 0;
    for (const _ of s) n++;
    return n;
  };

  /**
   * Checks the article against the expected annotations [{id?, start, end}] (code points): every
   * text run (`[data-s]`) must be a <mark> exactly when annotations cover it, listing exactly
   * those annotations' ids (or, with checkIds false, as many ids as cover it), and no annotation
   * may start or end inside a run. Also checks that the article text is unchanged.
   */
  B.app.verify = (expected, { checkIds = true, text } = {}) => {
    const a = article();
    if (!a) return { ok: false, why: 'no article' };
    if (text !== undefined && a.textContent !== text) return { ok: false, why: 'article text differs' };
    const ann = expected.slice().sort((x, y) => x.start - y.start || x.end - y.end);
    const byEnd = ann.slice().sort((x, y) => x.end - y.end);
    const runs = a.querySelectorAll('[data-s]');
    const active = new Map(); // id or index → annotation
    let si = 0;
    let ei = 0;
    let marks = 0;
    let covered = 0;
    let bad = 0;
    let firstBad = null;
    const key = (x, i) => (checkIds ? x.id : i);
    const idx = new Map(ann.map((x, i) => [x, i]));
    for (const run of runs) {
      const s = Number(run.getAttribute('data-s'));
      const e = s + cpLen(run.textContent);
      while (si < ann.length && ann[si].start <= s) {
        active.set(key(ann[si], idx.get(ann[si])), ann[si]);
        si++;
      }
      while (ei < byEnd.length && byEnd[ei].end <= s) {
        active.delete(key(byEnd[ei], idx.get(byEnd[ei])));
        ei++;
      }
      let problem = null;
      // An annotation starting inside this run, or one covering its start but ending inside it.
      if (si < ann.length && ann[si].start < e) problem = `annotation starts inside run ${s}-${e}`;
      const isMark = run.tagName === 'MARK';
      const ids = isMark ? (run.getAttribute('data-annotation-ids') || '').split(' ').filter(Boolean) : [];
      if (!problem) {
        for (const x of active.values())
          if (x.end < e) {
            problem = `annotation ends inside run ${s}-${e}`;
            break;
          }
      }
      if (!problem && isMark !== active.size > 0) problem = `run ${s}-${e}: mark=${isMark}, covering=${active.size}`;
      if (!problem && ids.length !== active.size) problem = `run ${s}-${e}: ${ids.length} ids, ${active.size} covering`;
      if (!problem && checkIds) for (const id of ids) if (!active.has(id)) { problem = `run ${s}-${e}: unexpected id ${id}`; break; }
      if (isMark) {
        marks++;
        covered += e - s;
      }
      if (problem) {
        bad++;
        if (!firstBad) firstBad = problem;
      }
    }
    return { ok: bad === 0 && runs.length > 0, runs: runs.length, marks, coveredCodePoints: covered, badRuns: bad, firstBad };
  };

  /** The text runs (`[data-s]`) of the article that overlap [start, end), found block by block. */
  B.app.runsInSpan = (start, end) => {
    const blocks = [...article().querySelectorAll(':scope > [data-block]')];
    const out = [];
    for (let i = 0; i < blocks.length; i++) {
      const bs = Number(blocks[i].getAttribute('data-block'));
      const next = i + 1 < blocks.length ? Number(blocks[i + 1].getAttribute('data-block')) : Infinity;
      if (bs >= end || next <= start) continue;
      for (const r of blocks[i].querySelectorAll('[data-s]')) {
        const rs = Number(r.getAttribute('data-s'));
        if (rs < end && rs + cpLen(r.textContent) > start) out.push(r);
      }
    }
    return out;
  };
  const idsOf = (run) => (run.tagName === 'MARK' ? (run.getAttribute('data-annotation-ids') || '').split(' ') : []);
  /** Every run of [start, end) is highlighted with `id` (want true) or none of them lists it. */
  B.app.spanShows = (start, end, id, want = true) => {
    const runs = B.app.runsInSpan(start, end);
    return runs.length > 0 && runs.every((r) => idsOf(r).includes(id) === want);
  };

  /**
   * Watches a change to the annotation list and the article, cheaply enough to run inside the
   * measured window at 10,000 annotations: a MutationObserver on the list alone (its direct
   * children) keeps a running count of items from the records, and a second one on the article
   * re-checks the highlight once the count is right. Set up before the action:
   *   const w = B.app.watch(); <action>; await w.until(count, check)
   * `check({ added, removed })` (ids of items added/removed since watch()) must also hold, e.g.
   * "the new annotation's span shows it". Resolves { tChange, tPaint, added, removed } or
   * { timeout: true }. `markName`: a performance mark placed at the paint time.
   */
  B.app.watch = () => {
    const l = list();
    const a = article();
    let count = B.app.itemCount();
    const added = [];
    const removed = [];
    let pending = null;
    const isItem = (n) => n.nodeType === 1 && n.tagName === 'LI' && n.hasAttribute('data-annotation-id');
    const evaluate = (t) => {
      if (!pending || count !== pending.target) return;
      if (pending.check && !pending.check({ added, removed })) return;
      const p = pending;
      pending = null;
      moList.disconnect();
      moArticle.disconnect();
      clearTimeout(p.timer);
      B.nextPaint().then((tPaint) => {
        if (p.markName) performance.mark(p.markName, { startTime: tPaint });
        p.resolve({ tChange: t, tPaint, added: added.slice(), removed: removed.slice() });
      });
    };
    const moList = new MutationObserver((records) => {
      const t = now();
      for (const r of records) {
        for (const n of r.addedNodes)
          if (isItem(n)) {
            count++;
            added.push(n.getAttribute('data-annotation-id'));
          }
        for (const n of r.removedNodes)
          if (isItem(n)) {
            count--;
            removed.push(n.getAttribute('data-annotation-id'));
          }
      }
      evaluate(t);
    });
    const moArticle = new MutationObserver(() => {
      if (pending && count === pending.target) evaluate(now());
    });
    moList.observe(l, { childList: true });
    moArticle.observe(a, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['data-annotation-ids'] });
    return {
      until: (target, check, timeoutMs = 60000, markName = null) =>
        new Promise((resolve) => {
          pending = { target, check, resolve, markName };
          pending.timer = setTimeout(() => {
            if (!pending) return;
            pending = null;
            moList.disconnect();
            moArticle.disconnect();
            resolve({ timeout: true });
          }, timeoutMs);
        }),
    };
  };

  /** The (text node, UTF-16 offset) of code point `cp` in the article, through the runs' data-s. */
  B.app.boundary = (cp) => {
    const runs = article().querySelectorAll('[data-s]');
    let best = null;
    for (const r of runs) {
      if (Number(r.getAttribute('data-s')) <= cp) best = r;
      else break;
    }
    const node = best.firstChild;
    const s = Number(best.getAttribute('data-s'));
    let units = 0;
    let i = 0;
    for (const ch of node.textContent) {
      if (i === cp - s) break;
      units += ch.length;
      i++;
    }
    return [node, units];
  };

  /** Selects the code-point span [start, end) as a user would, and releases the mouse on it. */
  B.app.selectSpan = (start, end) => {
    const [sn, so] = B.app.boundary(start);
    const [en, eo] = B.app.boundary(end);
    const sel = getSelection();
    sel.setBaseAndExtent(sn, so, en, eo);
    const r = sel.getRangeAt(0).getBoundingClientRect();
    article().dispatchEvent(
      new MouseEvent('mouseup', { bubbles: true, cancelable: true, button: 0, clientX: r.right, clientY: r.bottom, view: window }),
    );
  };
  B.app.picker = () => document.querySelector('[role="dialog"][aria-label="Tag selection"]');
  B.app.button = (text) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === text);

  // ---- Recogito ---------------------------------------------------------------------------------------
  /**
   * Records every redraw of a Recogito renderer: for 'SPANS', changes to the span highlight
   * layer; for 'CSS_HIGHLIGHTS', calls on the CSS highlight registry. Each redraw is a candidate
   * { tChange, count, tPaint, shows } (count: spans in the layer, or registered highlights).
   */
  B.recogitoRecorder = (container, renderer) => {
    // rec.probe (optional): evaluated at each redraw, e.g. "is this annotation shown?".
    const rec = { candidates: [], last: now(), probe: null };
    const add = (count) => {
      const c = { tChange: now(), count, tPaint: null, shows: rec.probe ? rec.probe() : null };
      rec.candidates.push(c);
      rec.last = c.tChange;
      B.nextPaint().then((t) => {
        c.tPaint = t;
        rec.last = t;
      });
    };
    if (renderer === 'SPANS') {
      const layer = container.querySelector('.r6o-span-highlight-layer');
      new MutationObserver(() => add(layer.childElementCount)).observe(layer, { childList: true });
    } else {
      const reg = CSS.highlights;
      let pending = false;
      for (const m of ['set', 'delete', 'clear']) {
        const raw = reg[m];
        reg[m] = function (...args) {
          const r = raw.apply(this, args);
          if (!pending) {
            pending = true;
            queueMicrotask(() => {
              pending = false;
              add(reg.size);
            });
          }
          return r;
        };
      }
    }
    return rec;
  };

  /** Waits until `rec` has had no redraw for `quietMs` (after at least one), or `timeoutMs`. */
  B.quiet = (rec, quietMs, timeoutMs, since = 0) =>
    new Promise((resolve) => {
      const t0 = now();
      const tick = () => {
        const mine = rec.candidates.filter((c) => c.tChange >= since);
        const settled = mine.length > 0 && mine.every((c) => c.tPaint !== null) && now() - rec.last >= quietMs;
        if (settled) return resolve({ ok: true });
        if (now() - t0 > timeoutMs) return resolve({ timeout: true });
        setTimeout(tick, 50);
      };
      tick();
    });

  /** Ids of the annotations Recogito shows now: spans in the layer, or CSS highlights. */
  B.recogitoPainted = (container, renderer) => {
    if (renderer === 'SPANS')
      return [...new Set([...container.querySelectorAll('.r6o-span-highlight-layer > .r6o-annotation')].map((s) => s.dataset.annotation))];
    return [...CSS.highlights.keys()].map((k) => k.replace(/^_/, ''));
  };

  /**
   * Independently of Recogito: which annotations [{id, start, end}] (UTF-16 offsets in the
   * container's text) have some of their text inside the viewport.
   */
  B.visibleIds = (container, anns) => {
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let off = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement && n.parentElement.closest('.r6o-span-highlight-layer')) continue;
      nodes.push({ n, s: off });
      off += n.data.length;
    }
    const locate = (pos, isEnd) => {
      let lo = 0;
      let hi = nodes.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (nodes[mid].s < pos || (!isEnd && nodes[mid].s <= pos)) lo = mid;
        else hi = mid - 1;
      }
      return [nodes[lo].n, pos - nodes[lo].s];
    };
    const W = innerWidth;
    const H = innerHeight;
    const range = document.createRange();
    const out = [];
    for (const a of anns) {
      const [sn, so] = locate(a.start, false);
      const [en, eo] = locate(a.end, true);
      range.setStart(sn, Math.min(so, sn.data.length));
      range.setEnd(en, Math.min(eo, en.data.length));
      for (const r of range.getClientRects()) {
        if (r.width > 0 && r.height > 0 && r.right >= 0 && r.left <= W && r.bottom >= 0 && r.top <= H) {
          out.push(a.id);
          break;
        }
      }
    }
    return out;
  };

  // ---- boot: waiters started before the app's own scripts run ------------------------------------
  // window.__benchConfig (set by an earlier init script): textLength (UTF-16 length of the
  // canonical text), expectN (annotations expected after load), timeoutMs.
  const cfg = window.__benchConfig || {};
  if (cfg.textLength && (location.pathname === '/' || location.pathname.endsWith('/index.html'))) {
    const tout = cfg.timeoutMs || 60000;
    B.boot = {
      // The document's whole text is in the article (first render).
      doc: B.until(() => {
        const a = article();
        return !!a && a.textContent.length === cfg.textLength;
      }, tout),
      // Every highlight painted: highlights in the article, and the painted article verified
      // against cfg.expected ([[id, start, end], …]) — else the wait goes on.
      open: cfg.expectN
        ? B.until(
            () => B.app.markCount() > 0,
            tout,
            cfg.expected ? () => B.app.verify(cfg.expected.map(([id, start, end]) => ({ id, start, end }))) : null,
            'bench-end',
          )
        : null,
      // The side panel's list complete (the app fills a long list in over several frames).
      list: cfg.expectN ? B.until(() => B.app.countIs(cfg.expectN), tout) : null,
    };
  }
})();
