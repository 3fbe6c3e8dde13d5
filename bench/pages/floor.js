// The plain-JS floor: the app's blocks, highlights painted as flat <mark> runs in one pass, no framework.
//
// What a competent hand-written page does, so that the app is measured against a real floor and
// not a straw man: annotations kept per block; a block is painted by one sweep over its boundaries
// (starts in order, ends in a sorted typed array, the innermost annotation from a stack), runs
// built into a DocumentFragment and swapped in with one replaceChildren; colours and underlines
// are precomputed classes (no style attribute to parse per run); nothing reads layout. Adding one
// annotation repaints only the blocks it touches and the counts.
//
// window.__floor: ready (true once the document is shown and the set is in localStorage),
// open() (read localStorage, parse, paint every block, counts), add(annotation) (one more).
(() => {
  const F = (window.__floor = { ready: false });
  const KEY = 'floor:annotations';
  const UNTAGGED = '#ffec99'; // as the app: a highlight with no tag yet
  let blocks = []; // { el, start, end, text, u16: null | Int32Array, anns }, in document order
  let all = []; // every annotation, sorted by (start, end descending)
  let tagIndex = new Map(); // tag id → index into tags
  let tags = [];
  let summary;
  let countEls = []; // per tag: { button, b }
  let counts = [];

  /** Code points of a string. */
  const cpLen = (s) => {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00) n--;
    }
    return n;
  };

  /** The app's overlap shade: 92% of the colour at depth 2, 84% deeper. */
  const shade = (hex, depth) => {
    if (depth < 2) return hex;
    const f = depth === 2 ? 0.92 : 0.84;
    const v = parseInt(hex.slice(1), 16);
    const d = (x) => Math.floor(x * f).toString(16).padStart(2, '0');
    return `#${d(v >> 16)}${d((v >> 8) & 255)}${d(v & 255)}`;
  };

  /** The class list of a run whose innermost annotation is `a`, at overlap depth `depth`. */
  const classOf = (a, depth) => {
    const d = depth > 3 ? 3 : depth;
    let c = a.cls;
    if (!c) {
      // Colour of the first tag, underline of the first pillar (as the app's mark_look).
      const first = a.tags.length ? tagIndex.get(a.tags[0]) : undefined;
      const ci = first === undefined ? tags.length : first;
      const pillar = a.tags.find((t) => tags[tagIndex.get(t)]?.kind === 'pillar');
      const u = pillar ? `u-p${pillar.slice(-1)}` : a.tags.length ? 'u-theme' : 'u-none';
      c = a.cls = [null, `hl ${u} f${ci}d1`, `hl ${u} overlap f${ci}d2`, `hl ${u} overlap overlap3 f${ci}d3`];
    }
    return c[d];
  };

  /** Paints one block: its text cut at every annotation boundary, covered runs as <mark>s. */
  const paint = (b) => {
    const anns = b.anns;
    const k = anns.length;
    if (k === 0) {
      b.el.textContent = b.text;
      return;
    }
    const bs = b.start;
    const be = b.end;
    const text = b.text;
    const u16 = b.u16;
    const ends = new Int32Array(k);
    for (let i = 0; i < k; i++) ends[i] = anns[i].end < be ? anns[i].end : be;
    ends.sort();
    const frag = document.createDocumentFragment();
    const stack = []; // pushed in start order; ended ones are dropped when they reach the top
    let si = 0;
    let ei = 0;
    let depth = 0;
    let p = bs;
    while (p < be) {
      while (si < k && anns[si].start <= p) {
        stack.push(anns[si++]);
        depth++;
      }
      while (ei < k && ends[ei] <= p) {
        depth--;
        ei++;
      }
      let next = be;
      if (si < k && anns[si].start < next) next = anns[si].start;
      if (ei < k && ends[ei] < next) next = ends[ei];
      const s = u16 ? text.slice(u16[p - bs], u16[next - bs]) : text.slice(p - bs, next - bs);
      if (depth === 0) {
        frag.appendChild(document.createTextNode(s));
      } else {
        let top = stack[stack.length - 1];
        while (top.end <= p) {
          stack.pop();
          top = stack[stack.length - 1];
        }
        const m = document.createElement('mark');
        m.className = classOf(top, depth);
        m.setAttribute('data-s', p);
        m.setAttribute('data-e', next);
        m.appendChild(document.createTextNode(s));
        frag.appendChild(m);
      }
      p = next;
    }
    b.el.replaceChildren(frag);
  };

  const byStart = (a, b) => a.start - b.start || b.end - a.end;
  /** Index at which `a` goes into `arr` (sorted by byStart). */
  const place = (arr, a) => {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byStart(arr[mid], a) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const showCount = (i) => {
    const { button, b } = countEls[i];
    button.setAttribute('aria-label', `${tags[i].label}: ${counts[i]}`);
    b.textContent = counts[i];
  };
  const showTotal = () => {
    const n = all.length;
    summary.textContent = n === 0 ? 'No annotations yet.' : `${n} annotation${n === 1 ? '' : 's'}`;
  };

  /** Opens the stored set: every block painted, the counts shown. */
  F.open = () => {
    const env = JSON.parse(localStorage.getItem(KEY));
    all = env.annotations.filter((a) => a.end > a.start && !a.orphan);
    all.sort(byStart);
    for (const b of blocks) b.anns = [];
    // Annotations go to every block they overlap; both lists are in document order.
    let bi = 0;
    for (const a of all) {
      while (bi < blocks.length && blocks[bi].end <= a.start) bi++;
      for (let j = bi; j < blocks.length && blocks[j].start < a.end; j++) blocks[j].anns.push(a);
    }
    for (const b of blocks) if (b.anns.length) paint(b);
    counts = tags.map(() => 0);
    for (const a of all) for (const t of a.tags) counts[tagIndex.get(t)]++;
    for (let i = 0; i < tags.length; i++) showCount(i);
    showTotal();
  };

  /** Adds one annotation: repaints the blocks it touches, the total and its tags' counts. */
  F.add = (a) => {
    all.splice(place(all, a), 0, a);
    for (const b of blocks) {
      if (b.start >= a.end) break;
      if (b.end <= a.start) continue;
      b.anns.splice(place(b.anns, a), 0, a);
      paint(b);
    }
    for (const t of a.tags) {
      const i = tagIndex.get(t);
      counts[i]++;
      showCount(i);
    }
    showTotal();
  };

  (async () => {
    const n = new URLSearchParams(location.search).get('n');
    const [doc, tagList, stored] = await Promise.all([
      fetch('/data/article.json').then((r) => r.json()),
      fetch('/data/tags.json').then((r) => r.json()),
      n ? fetch(`/data/envelope-${n}.json`).then((r) => r.text()) : null,
    ]);
    tags = tagList;
    tagIndex = new Map(tags.map((t, i) => [t.id, i]));
    await new Promise((resolve, reject) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = doc.styleHref;
      link.onload = resolve;
      link.onerror = reject;
      document.head.append(link);
    });
    // One class per colour and depth (tags, then "no tag"), instead of a style per run.
    const css = [...tags.map((t) => t.color), UNTAGGED]
      .flatMap((c, i) => [1, 2, 3].map((d) => `mark.f${i}d${d}{--hl:${shade(c, d)}}`))
      .join('\n');
    const style = document.createElement('style');
    style.textContent = css;
    document.head.append(style);

    // The app's article markup, each block's runs collapsed into its plain text.
    const tpl = document.createElement('template');
    tpl.innerHTML = doc.html;
    for (const el of tpl.content.querySelectorAll('[data-block]')) el.textContent = el.textContent;
    const wrap = document.createElement('div');
    wrap.style.cssText = `position:absolute;top:${doc.rect.top}px;left:${doc.rect.left}px;width:${doc.rect.width}px`;
    const article = document.createElement('article');
    article.id = 'document';
    article.setAttribute('aria-label', 'Document');
    article.style.cssText = 'width:100%;max-width:none;margin:0';
    article.append(tpl.content);
    wrap.append(article);

    // The panel: the total and a count per tag, as the app's (same labels and text).
    const aside = document.createElement('aside');
    aside.setAttribute('aria-label', 'Annotations panel');
    aside.style.cssText = `position:absolute;top:${doc.rect.top}px;left:${doc.rect.left + doc.rect.width + 24}px;width:240px`;
    summary = document.createElement('p');
    summary.className = 'summary';
    const filters = document.createElement('div');
    filters.setAttribute('role', 'group');
    filters.setAttribute('aria-label', 'Filter by tag');
    countEls = tags.map((t) => {
      const button = document.createElement('button');
      button.type = 'button';
      const b = document.createElement('b');
      button.append(`${t.label} `, b);
      filters.append(button);
      return { button, b };
    });
    aside.append(summary, filters);
    document.body.append(wrap, aside);
    counts = tags.map(() => 0);
    tags.forEach((_, i) => showCount(i));
    showTotal();
    if (article.textContent !== doc.text) throw new Error('floor: article text differs from the canonical text');

    blocks = [...article.querySelectorAll('[data-block]')].map((el) => {
      const text = el.textContent;
      const start = Number(el.getAttribute('data-block'));
      const len = cpLen(text);
      let u16 = null;
      if (len !== text.length) {
        // UTF-16 offset of each code point: only for blocks with characters beyond the BMP.
        u16 = new Int32Array(len + 1);
        let i = 0;
        for (const ch of text) {
          u16[i + 1] = u16[i] + ch.length;
          i++;
        }
      }
      return { el, start, end: start + len, text, u16, anns: [] };
    });
    if (stored) localStorage.setItem(KEY, stored);
    // Shown: two frames, so that the page's own first layout and paint are behind.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    F.ready = true;
  })().catch((e) => {
    window.__floorError = String((e && e.stack) || e);
  });
})();
