// Small statistics and formatting helpers.

/** Median, min, max of the finite numbers in `xs` (null when there are none). */
export function summary(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median: round(median), min: round(v[0]), max: round(v[v.length - 1]), n: v.length };
}

export const round = (x, digits = 1) => (x === null || x === undefined ? x : Math.round(x * 10 ** digits) / 10 ** digits);

/** "1,234.5 ms" style: ms below 10 s, seconds above. */
export function fmtMs(x) {
  if (x === null || x === undefined) return '—';
  if (x >= 10000) return `${(x / 1000).toFixed(1)} s`;
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 100) return `${x.toFixed(0)} ms`;
  return `${x.toFixed(1)} ms`;
}

/** "median [min–max] (n)" for a summary, plus a note for timeouts/failures. */
export function fmtSummary(s, { timeouts = 0, failures = 0, unit = fmtMs } = {}) {
  const extra = [timeouts ? `${timeouts} timeout${timeouts > 1 ? 's' : ''}` : '', failures ? `${failures} failed` : '']
    .filter(Boolean)
    .join(', ');
  if (!s) return extra ? `— (${extra})` : '—';
  const spread = s.n > 1 ? ` [${unit(s.min)}–${unit(s.max)}]` : '';
  return `${unit(s.median)}${spread} n=${s.n}${extra ? ` (${extra})` : ''}`;
}

export const fmtBytes = (b) =>
  b >= 1048576 ? `${(b / 1048576).toFixed(2)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`;

/** A plain text table: rows of cells; the first row is the header. */
export function table(rows) {
  const widths = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] || 0, String(c).length)));
  const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}
