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

// The app's built-in taxonomy (src/core/tags.rs): id ⇄ label.
const THEMES = [
  'Prevention', 'Early warning', 'Capacity building', 'Regional and sub-regional organizations',
  'Civil society', 'Human rights institutions', 'Rule of law and accountability',
  'Peacekeeping and protection of civilians', 'Preventive diplomacy and mediation', 'Arms control',
  'Gender and vulnerable groups', 'Hate speech and media', 'Sovereignty and consent',
  'Development and poverty',
];
const slug = (label) => label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
export const TAGS = [
  { id: 'pillar-1', label: 'Pillar I' },
  { id: 'pillar-2', label: 'Pillar II' },
  { id: 'pillar-3', label: 'Pillar III' },
  ...THEMES.map((label) => ({ id: `theme-${slug(label)}`, label })),
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
