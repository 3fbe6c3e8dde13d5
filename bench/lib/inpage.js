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

  // Attribute changes that can complete a change on the page: a run's span and look (data-s,
  // data-e, class), the list's size (aria-setsize), the counts (aria-label), a button coming on
  // (disabled). data-annotation-ids: the page contract before runs carried data-e (ids on every
  // <mark>, written after the element exists); drop it once no build writes it.
  const WATCHED_ATTRIBUTES = ['data-s', 'data-e', 'class', 'aria-setsize', 'aria-label', 'disabled', 'data-annotation-ids'];

  // ---- wait for a DOM condition -------------------------------------------------------------------
  // `check` runs now and in every MutationObserver callback (childList and text in the whole
  // document, plus the attributes that say what a run or the list shows: WATCHED_ATTRIBUTES). When it holds, the time of that callback (the DOM change's
  // microtask) is kept and the next paint awaited; a later DOM change before that paint replaces
  // it (the latest state is what gets painted). With `verify`, the painted DOM is checked right
  // after the paint (outside the measured time): if it is not complete yet (say, highlights
  // still being filled in by a later task), the wait goes on for further changes.
  // Resolves { tChange, tPaint, value, verified, rejected } or { timeout: true, lastVerify }.
  // `markName`: a performance mark placed at the paint time (the --profile window's end).
  // `first`: resolve with the first paint after the check first held, even if the DOM changed
  // again before it (for "the document shown": later changes, such as highlights added in the
  // next task, do not unshow the text that frame painted).
  B.until = (check, timeoutMs = 60000, verify = null, markName = null, first = false) =>
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
          if (done || (mine !== seq && !first)) return; // the DOM changed again before this paint
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
        characterData: true,
        attributes: true,
        attributeFilter: WATCHED_ATTRIBUTES,
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

  // ---- long tasks ----------------------------------------------------------------------------------
  // Every task over 50 ms on the main thread (Long Tasks API), from the page's start.
  B.longTasks = [];
  let longTaskObserver = null;
  try {
    longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longTasks.push({ start: e.startTime, ms: e.duration });
    });
    longTaskObserver.observe({ type: 'longtask', buffered: true });
  } catch {
    B.longTasks = null; // not supported: reported as not measured
  }
  /** The long tasks overlapping [t0, t1]: { count, longestMs, totalMs, tasks } (null if unsupported). */
  B.longTasksIn = (t0, t1) => {
    if (!B.longTasks) return null;
    for (const e of longTaskObserver.takeRecords()) B.longTasks.push({ start: e.startTime, ms: e.duration });
    const tasks = B.longTasks.filter((t) => t.start < t1 && t.start + t.ms > t0);
    return {
      count: tasks.length,
      longestMs: tasks.reduce((m, t) => Math.max(m, t.ms), 0),
      totalMs: tasks.reduce((s, t) => s + t.ms, 0),
      tasks: tasks.map((t) => ({ atMs: Math.round(t.start), ms: Math.round(t.ms) })),
    };
  };

  // ---- the app (R2P Annotator), and any page on its contract (the plain-JS floor) -----------------
  // The page contract the checks below rely on:
  //  - the article (article[aria-label="Document"]) holds the canonical text as its textContent;
  //    each block is an element with data-block = its first code point;
  //  - every highlighted run is a <mark> with data-s and data-e, its first and one-past-last code
  //    point (Unicode code points of the article's textContent);
  //  - the panel (aside[aria-label="Annotations panel"]) shows the total in p.summary ("N
  //    annotations") and one count per tag (buttons in [role=group][aria-label="Filter by tag"],
  //    aria-label "Label: N"); its list ul[aria-label="Annotations"] has li[data-annotation-id]
  //    (with data-start, data-end) and, when windowed, aria-setsize on its items.
  // Builds that predate data-e list the covering ids on every <mark> (data-annotation-ids): the
  // full check then also checks the ids (verifyWithIds), as it did.
  // Trunk's loader announces the wasm exports (memory included) in TrunkApplicationStarted.
  addEventListener('TrunkApplicationStarted', (e) => {
    B.wasmStarted = now();
    B.wasm = e.detail && e.detail.wasm;
  });
  const article = () => document.querySelector('article[aria-label="Document"]');
  const list = () => document.querySelector('ul[role="list"][aria-label="Annotations"]');
  const panel = () => document.querySelector('aside[aria-label="Annotations panel"]');
  let extraChildren = 0;
  B.app = {
    article,
    list,
    panel,
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
    /** The total the panel states ("10000 annotations", "3 of 10000 shown"; none: 0), or null. */
    summaryCount: () => {
      const p = panel();
      const el = p && p.querySelector('p.summary');
      if (!el) return null;
      const t = el.textContent.replace(/[,\u202f\u00a0]/g, '');
      const m = /(\d+) shown/.exec(t) ? /of (\d+)/.exec(t) : /(\d+) annotation/.exec(t);
      return m ? Number(m[1]) : /^No annotations/.test(t.trim()) ? 0 : null;
    },
    /** aria-setsize of the list's items (a windowed list), or null. */
    setSize: () => {
      const l = list();
      const li = l && l.querySelector(':scope > li[aria-setsize]');
      return li ? Number(li.getAttribute('aria-setsize')) : null;
    },
    /** How many annotations the panel says there are: its summary, else aria-setsize, else items. */
    listTotal: () => B.app.summaryCount() ?? B.app.setSize() ?? B.app.itemCount(),
    /**
     * The panel reflects n annotations: its summary says n (when it has one) and its list holds n
     * (aria-setsize when windowed, else n items). A page with no list (the floor) has the summary.
     */
    listShows: (n) => {
      const s = B.app.summaryCount();
      if (s !== null && s !== n) return false;
      if (!list()) return s !== null;
      const z = B.app.setSize();
      return z !== null ? z === n : B.app.countIs(n);
    },
    /** The count shown for a tag (its filter button's aria-label "Label: N"), or null. */
    tagCount: (label) => {
      const g = document.querySelector('[role="group"][aria-label="Filter by tag"]');
      if (!g) return null;
      for (const b of g.querySelectorAll('button[aria-label]')) {
        const l = b.getAttribute('aria-label');
        if (l.startsWith(`${label}: `) && /^\d+$/.test(l.slice(label.length + 2))) return Number(l.slice(label.length + 2));
      }
      return null;
    },
    markCount: () => {
      const a = article();
      return a ? a.getElementsByTagName('mark').length : 0;
    },
    /** Marks carry the covering ids (the contract before data-s/data-e runs). */
    oldContract: () => {
      const a = article();
      return !!a && !!a.querySelector('mark[data-annotation-ids]');
    },
    wasmMemoryBytes: () => (B.wasm && B.wasm.memory ? B.wasm.memory.buffer.byteLength : null),
  };

  /** Code points of a string (a surrogate pair counts once). */
  const cpLen = (s) => {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00) n--;
    }
    return n;
  };

  // ---- highlights by code point: what is inside <mark>s ------------------------------------------
  const M = (B.marks = {});
  /** The article's blocks: [{ el, start, end }] in code points, in document order. */
  M.blocks = (root) =>
    [...root.querySelectorAll('[data-block]')].map((el) => {
      const start = Number(el.getAttribute('data-block'));
      return { el, start, end: start + cpLen(el.textContent) };
    });
  /** Sorted, disjoint [start, end) intervals covering the union of the spans. */
  M.union = (spans) => {
    const v = spans.filter((x) => x.end > x.start).sort((x, y) => x.start - y.start);
    const out = [];
    for (const { start, end } of v) {
      const last = out[out.length - 1];
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else out.push([start, end]);
    }
    return out;
  };
  /** The part of `union` inside [s, e). */
  M.clip = (union, s, e) => {
    let lo = 0;
    let hi = union.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (union[mid][1] <= s) lo = mid + 1;
      else hi = mid;
    }
    const out = [];
    for (let i = lo; i < union.length && union[i][0] < e; i++) out.push([Math.max(s, union[i][0]), Math.min(e, union[i][1])]);
    return out;
  };
  /**
   * Walks a block's text nodes, counting code points from `start`: the intervals inside <mark>s
   * (adjacent ones merged), the marks, and the first mark whose data-s / data-e (when present)
   * disagree with where its text actually is.
   */
  M.scan = (el, start) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const covered = [];
    let off = start;
    let cur = null;
    let marks = 0;
    let bad = null;
    const close = () => {
      if (cur && cur.hasAttribute('data-e') && Number(cur.getAttribute('data-e')) !== off && !bad)
        bad = `mark at ${cur.getAttribute('data-s')}: data-e=${cur.getAttribute('data-e')}, its text ends at ${off}`;
      cur = null;
    };
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const m = n.parentElement.closest('mark');
      const len = cpLen(n.data);
      if (m !== cur) {
        close();
        if (m) {
          cur = m;
          marks++;
          if (Number(m.getAttribute('data-s')) !== off && !bad) bad = `mark data-s=${m.getAttribute('data-s')}, its text starts at ${off}`;
        }
      }
      if (m && len) {
        const last = covered[covered.length - 1];
        if (last && last[1] === off) last[1] = off + len;
        else covered.push([off, off + len]);
      }
      off += len;
    }
    close();
    return { covered, marks, bad };
  };
  const sameIntervals = (a, b) => a.length === b.length && a.every((x, i) => x[0] === b[i][0] && x[1] === b[i][1]);
  const firstDiff = (got, want) => {
    for (let i = 0; i < Math.max(got.length, want.length); i++)
      if (!got[i] || !want[i] || got[i][0] !== want[i][0] || got[i][1] !== want[i][1])
        return `marks cover ${got[i] ? got[i].join('-') : 'nothing'} where the spans cover ${want[i] ? want[i].join('-') : 'nothing'}`;
    return null;
  };
  const inViewport = (el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  };

  /**
   * The painted check: in every block, the code points inside <mark>s (walked text nodes, with
   * each mark's data-s/data-e checked against where its text is) equal the union of the expected
   * spans [{start, end}] within the block. A page may paint only the blocks near the viewport:
   * every block in the viewport and every block holding a mark must be exact; a block out of view
   * with no mark at all is counted as deferred, not checked. Also checks the article text.
   * Returns { ok, blocks, checked, deferred, inView, marks, coveredCodePoints, firstBad }.
   */
  M.verify = (root, expected, { text } = {}) => {
    if (!root) return { ok: false, firstBad: 'no article' };
    if (text !== undefined && root.textContent !== text) return { ok: false, firstBad: 'article text differs' };
    const union = M.union(expected);
    const blocks = M.blocks(root);
    let checked = 0;
    let deferred = 0;
    let inView = 0;
    let marks = 0;
    let coveredCodePoints = 0;
    let bad = 0;
    let firstBad = null;
    for (const b of blocks) {
      const want = M.clip(union, b.start, b.end);
      const got = M.scan(b.el, b.start);
      const visible = inViewport(b.el);
      if (visible) inView++;
      if (got.marks === 0 && want.length > 0 && !visible) {
        deferred++;
        continue;
      }
      checked++;
      marks += got.marks;
      for (const [s, e] of got.covered) coveredCodePoints += e - s;
      const problem = got.bad || (sameIntervals(got.covered, want) ? null : `block ${b.start}: ${firstDiff(got.covered, want)}`);
      if (problem) {
        bad++;
        if (!firstBad) firstBad = problem;
      }
    }
    const anyExpected = union.length > 0;
    return {
      ok: bad === 0 && blocks.length > 0 && (!anyExpected || marks > 0),
      contract: 'data-s/data-e',
      blocks: blocks.length,
      checked,
      deferred,
      inView,
      marks,
      coveredCodePoints,
      badBlocks: bad,
      firstBad,
    };
  };

  /**
   * A cheap check for one changed span, prepared before the change: the blocks [start, end)
   * touches, and what their marks must cover once `after` (the annotations after the change)
   * is painted. check() scans only those blocks.
   */
  M.local = (root, [start, end], after) => {
    const union = M.union(after);
    const touched = M.blocks(root)
      .filter((b) => b.start < end && b.end > start)
      .map((b) => ({ start: b.start, end: b.end, want: M.clip(union, b.start, b.end) }));
    const el = (b) => root.querySelector(`[data-block="${b.start}"]`);
    return {
      touched,
      /** Whether `node` is in (or holds) a touched block. */
      concerns: (node) => {
        const e = node.nodeType === 1 ? node : node.parentElement;
        if (!e) return false;
        const blk = e.closest('[data-block]');
        if (blk) return touched.some((b) => String(b.start) === blk.getAttribute('data-block'));
        return touched.some((b) => e.contains(el(b)));
      },
      check: () =>
        touched.every((b) => {
          const got = M.scan(el(b), b.start);
          return !got.bad && sameIntervals(got.covered, b.want);
        }),
    };
  };

  /**
   * Checks the article against the expected annotations [{id?, start, end}] (code points): the
   * painted check above (B.marks.verify) on a page with data-s/data-e runs; on an older build
   * (marks with data-annotation-ids) the stricter check by ids (verifyWithIds).
   */
  B.app.verify = (expected, { checkIds = true, text } = {}) =>
    B.app.oldContract() ? verifyWithIds(expected, { checkIds, text }) : M.verify(article(), expected, { text });

  /**
   * The check of builds whose marks list their ids: every text run (`[data-s]`) must be a <mark>
   * exactly when annotations cover it, listing exactly those annotations' ids (or, with checkIds
   * false, as many ids as cover it), and no annotation may start or end inside a run.
   */
  const verifyWithIds = (expected, { checkIds = true, text } = {}) => {
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
    return { ok: bad === 0 && runs.length > 0, contract: 'data-annotation-ids', runs: runs.length, marks, coveredCodePoints: covered, badRuns: bad, firstBad };
  };

  /**
   * Watches one change (an annotation added, deleted or restored), cheaply enough to run inside
   * the measured window at 10,000 annotations. Set up before the action:
   *   const w = B.app.watch({ count, span, after, tag }); <action>; await w.until(timeoutMs)
   * Done when, all at once: the panel reflects `count` annotations (listShows: its summary, and
   * aria-setsize or the items of its list), the tag count (when given: { label, count }) shows
   * `tag.count`, the article has changed in a block the span touches since the action, and there
   * the marks cover exactly the union of `after` (B.marks.local). The side list may be windowed,
   * so the changed item need not be in the DOM: the counts are what is checked.
   * Resolves { tChange, tPaint } at the paint that shows it, or { timeout: true }.
   * `markName`: a performance mark placed at the paint time (the --profile window's end).
   */
  B.app.watch = ({ count, span, after, tag = null }) => {
    const a = article();
    const local = M.local(a, span, after);
    let articleChanged = false;
    let pending = null;
    const observers = [];
    const stop = () => observers.forEach((o) => o.disconnect());
    const evaluate = (t) => {
      if (!pending || !articleChanged) return;
      if (!B.app.listShows(count)) return;
      if (tag && B.app.tagCount(tag.label) !== tag.count) return;
      if (!local.check()) return;
      const p = pending;
      pending = null;
      stop();
      clearTimeout(p.timer);
      B.nextPaint().then((tPaint) => {
        if (p.markName) performance.mark(p.markName, { startTime: tPaint });
        p.resolve({ tChange: t, tPaint });
      });
    };
    const onArticle = new MutationObserver((records) => {
      const t = now();
      if (!articleChanged) articleChanged = records.some((r) => local.concerns(r.target));
      evaluate(t);
    });
    onArticle.observe(a, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
    observers.push(onArticle);
    const p = panel() || (list() && list().parentElement);
    if (p) {
      const onPanel = new MutationObserver(() => evaluate(now()));
      onPanel.observe(p, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['aria-setsize', 'aria-label'] });
      observers.push(onPanel);
    }
    return {
      until: (timeoutMs = 60000, markName = null) =>
        new Promise((resolve) => {
          pending = { resolve, markName };
          pending.timer = setTimeout(() => {
            if (!pending) return;
            pending = null;
            stop();
            resolve({ timeout: true, articleChanged, listShows: B.app.listShows(count), tagCount: tag && B.app.tagCount(tag.label), local: local.check() });
          }, timeoutMs);
        }),
    };
  };

  /** The (text node, UTF-16 offset) of code point `cp` in the article, walking its text nodes. */
  B.app.boundary = (cp) => {
    const walker = document.createTreeWalker(article(), NodeFilter.SHOW_TEXT);
    let off = 0;
    let last = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const len = cpLen(n.data);
      if (cp < off + len) {
        let units = 0;
        let i = 0;
        for (const ch of n.data) {
          if (i === cp - off) break;
          units += ch.length;
          i++;
        }
        return [n, units];
      }
      off += len;
      last = n;
    }
    return [last, last.data.length];
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
      doc: B.until(
        () => {
          const a = article();
          return !!a && a.textContent.length === cfg.textLength;
        },
        tout,
        null,
        null,
        true,
      ),
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
      list: cfg.expectN ? B.until(() => B.app.listShows(cfg.expectN), tout) : null,
    };
  }
})();
