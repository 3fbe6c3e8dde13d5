// Deterministic synthetic annotation sets on the canonical document text.
import crypto from 'node:crypto';

/** mulberry32: a small, fast, seedable PRNG (uniform floats in [0, 1)). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The app's built-in taxonomy (src/core/tags.rs): id ⇄ label, and the colour (the plain-JS floor
// paints with it).
const PILLARS = [
  ['Pillar I', '#ffc9c9'],
  ['Pillar II', '#b2f2bb'],
  ['Pillar III', '#bcd7ff'],
];
const THEMES = [
  ['Prevention', '#fff3a3'],
  ['Early warning', '#ffd8a8'],
  ['Capacity building', '#d8f5a2'],
  ['Regional and sub-regional organizations', '#c5f6fa'],
  ['Civil society', '#e5dbff'],
  ['Human rights institutions', '#fcc2d7'],
  ['Rule of law and accountability', '#dee2e6'],
  ['Peacekeeping and protection of civilians', '#99e9f2'],
  ['Preventive diplomacy and mediation', '#eebefa'],
  ['Arms control', '#e9d8a6'],
  ['Gender and vulnerable groups', '#c3fae8'],
  ['Hate speech and media', '#f6bd60'],
  ['Sovereignty and consent', '#d0bfff'],
  ['Development and poverty', '#ffe8cc'],
];
const slug = (label) => label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
export const TAGS = [
  ...PILLARS.map(([label, color], i) => ({ id: `pillar-${i + 1}`, label, color, kind: 'pillar' })),
  ...THEMES.map(([label, color]) => ({ id: `theme-${slug(label)}`, label, color, kind: 'theme' })),
];

const BASE_TIME = Date.UTC(2024, 0, 15, 9, 0, 0); // fixed, so the sets are identical on every run

function uuid(rand) {
  const b = Array.from({ length: 16 }, () => Math.floor(rand() * 256));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Facts about the canonical text that every format needs. */
export function describeText(text) {
  const cps = Array.from(text); // code points
  // UTF-16 offset of each code point boundary (Recogito counts UTF-16 units, the app code points).
  const utf16 = new Array(cps.length + 1);
  utf16[0] = 0;
  for (let i = 0; i < cps.length; i++) utf16[i + 1] = utf16[i] + cps[i].length;
  const digest = crypto.createHash('sha256').update(text, 'utf8').digest();
  return {
    text,
    cps,
    length: cps.length,
    utf16,
    docId: digest.toString('hex'),
    source: `ni:///sha-256;${digest.toString('base64url')}`,
    storageKey: `r2p-annotator:v1:annotations:${digest.toString('hex')}`,
  };
}

/**
 * `n` annotations: spans of 1–400 code points at uniformly random places (so they overlap
 * heavily), 1–3 distinct tags each, UUID ids, fixed timestamps. Sorted by (start, end, id).
 */
export function generate(doc, n, seed) {
  const rand = prng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(rand() * 400);
    const start = Math.floor(rand() * (doc.length - len + 1));
    const ntags = 1 + Math.floor(rand() * 3);
    const tags = [];
    while (tags.length < ntags) {
      const t = TAGS[Math.floor(rand() * TAGS.length)].id;
      if (!tags.includes(t)) tags.push(t);
    }
    const created = BASE_TIME + i * 1000;
    out.push({
      id: uuid(rand),
      start,
      end: start + len,
      quote: doc.cps.slice(start, start + len).join(''),
      tags,
      note: '',
      created,
      modified: created,
    });
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

/** The app's localStorage envelope (what the app itself writes). */
export function envelope(doc, annotations) {
  return JSON.stringify({
    schema: 1,
    app: 'r2p-annotator',
    document: doc.docId,
    annotations,
    deleted: {},
    customTags: [],
  });
}

const LABEL = new Map(TAGS.map((t) => [t.id, t.label]));

/**
 * W3C Web Annotation array. `units`: 'codepoints' (the app's reading of positions, with the
 * document's ni:/// source so positions are trusted) or 'utf16' (Recogito, offsets in the
 * container's DOM text).
 */
export function w3c(doc, annotations, units, source = doc.source) {
  const pos = units === 'utf16' ? (i) => doc.utf16[i] : (i) => i;
  return annotations.map((a) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    type: 'Annotation',
    id: `urn:uuid:${a.id}`,
    body: a.tags.map((t) => ({ type: 'TextualBody', purpose: 'tagging', value: LABEL.get(t) })),
    target: {
      source,
      selector: [
        {
          type: 'TextQuoteSelector',
          exact: a.quote,
          prefix: doc.cps.slice(Math.max(0, a.start - 32), a.start).join(''),
          suffix: doc.cps.slice(a.end, a.end + 32).join(''),
        },
        { type: 'TextPositionSelector', start: pos(a.start), end: pos(a.end) },
      ],
    },
    created: new Date(a.created).toISOString(),
    modified: new Date(a.modified).toISOString(),
  }));
}

/**
 * One student's exported file: a W3C AnnotationCollection signed by `creator` (the collection's
 * and each annotation's), as the app's Export JSON writes it once a name is set.
 */
export function classFile(doc, creator, annotations) {
  const items = w3c(doc, annotations, 'codepoints').map((a) => ({ ...a, creator: { type: 'Person', name: creator } }));
  return JSON.stringify({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    type: 'AnnotationCollection',
    label: `Annotations by ${creator}`,
    creator: { type: 'Person', name: creator },
    total: items.length,
    first: { type: 'AnnotationPage', items },
  });
}
