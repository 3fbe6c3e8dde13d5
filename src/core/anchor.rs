//! Re-anchoring: finds where a quoted passage is in a text, by position, exact search, or bounded fuzzy match.
//!
//! The approach follows Hypothesis' "match quote" idea (score candidates by quote, prefix, suffix
//! and position) but is written from scratch: exact occurrences come from a KMP scan, approximate
//! ones from Myers' bit-parallel edit-distance recurrences (substring mode to find where a match
//! ends, anchored mode on the reversed text to find where it starts and to compare context).
//! Every offset is a Unicode code point; nothing here indexes bytes.

use std::cell::Cell;
use std::collections::{BinaryHeap, HashMap};

/// Weight of the quote's own similarity in a fuzzy candidate's score (Hypothesis' weights).
const QUOTE_WEIGHT: f64 = 50.0;
/// Weight of the prefix similarity.
const PREFIX_WEIGHT: f64 = 20.0;
/// Weight of the suffix similarity.
const SUFFIX_WEIGHT: f64 = 20.0;
/// Weight of closeness to the old position: a tie-breaker, never decisive on its own.
const POSITION_WEIGHT: f64 = 2.0;
const TOTAL_WEIGHT: f64 = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT;

/// The score of a missing piece of evidence (no prefix, no suffix, no position). Hypothesis
/// scores a missing context as a perfect 1, which lets a context-less quote with 25% errors
/// through; "unknown" is neither for nor against a candidate, so it sits halfway.
const NEUTRAL: f64 = 0.5;

/// A fuzzy candidate must have at most this share of errors in the quote itself (the brief's
/// floor; with max errors = len / 4 it is also what the search can return).
const FUZZY_MIN_QUOTE: f64 = 0.75;

/// The normalised score (0..=1, weights above) a fuzzy candidate needs to be accepted.
///
/// Why 0.75: a side of context taken from somewhere unrelated still has some similarity under
/// our anchored edit distance (measured with 32-code-point contexts from elsewhere in the R2P
/// summary: mean 0.25, 99th percentile 0.47), so:
/// - a quote with one error and both sides unrelated (~0.25) totals at most
///   (50 + 10 + 2) / 92 ≈ 0.67: rejected — once the context says "this is somewhere else", a
///   near-copy of the quote is not enough (only a long quote with unusually similar context,
///   ≈0.45 a side, creeps over);
/// - one side intact and the other unrelated (1.0 + 0.25) needs q ≥ ≈0.84;
/// - both sides intact (the passage itself was edited) accepts down to the q floor of 0.75;
/// - no context at all (neutral 0.5 a side) needs q ≥ ≈0.94: a context-less import is only
///   re-found when the quote is nearly unchanged.
const FUZZY_MIN_SCORE: f64 = 0.75;

/// What an exact occurrence's context must reach when the quote alone cannot decide (it occurs
/// several times, or is shorter than `MIN_UNIQUE_EXACT`): the mean of the squared prefix and
/// suffix similarities (or the square of the one given).
///
/// Why squares: with a plain mean, "both sides vaguely alike" (0.6 + 0.6) ties with "one side
/// intact, one rewritten" (1.0 + 0.2), yet only the second is evidence. Measured on the summary
/// with contexts from elsewhere in it, the best of the 100 occurrences of "the" passed a plain
/// mean ≥ 0.5 in 16% of trials (and ≥ 0.6 in 5%, while already refusing a fifth of true
/// occurrences with one side intact); the mean of squares ≥ 0.5 passed 2% of unrelated trials
/// and 98% of one-side-intact ones, and for quotes with ≤ 51 occurrences ("of", "States",
/// "Member States") ≤ 0.5% against ≥ 96%. One intact side alone always reaches (1 + 0) / 2.
const EXACT_MIN_CONTEXT: f64 = 0.5;

/// A quote this long (code points) that occurs exactly once is accepted without context.
const MIN_UNIQUE_EXACT: usize = 8;
/// Quotes shorter than this are never matched approximately: with a quarter of errors allowed,
/// a short quote matches too many unrelated places.
const MIN_FUZZY_LEN: usize = 12;
/// The most edit errors a fuzzy match may have, whatever the quote's length.
const MAX_ERRORS: usize = 100;
/// The fuzzy search's budget in DP cells (text length × quote length).
const CELL_BUDGET: usize = 60_000_000;
/// Half-width of the search window around the old position when the whole text is over budget.
const WINDOW: usize = 20_000;
/// At most this many code points of prefix/suffix are compared (the nearest ones); the W3C
/// exporters, this app's included, give ~32.
const CONTEXT_CAP: usize = 64;
/// An exact quote with more occurrences than this is not told apart by context (each
/// comparison costs ~2 × 64 word steps): it goes on as if ambiguous.
const MAX_EXACT_HITS: usize = 100_000;
/// At most this many approximate match ends (the fewest-error ones) are scored. Natural text has
/// a handful; thousands only arise in repetitive text, where no choice would be founded anyway.
const MAX_FUZZY_CANDIDATES: usize = 1_000;
/// Scores closer than this are a tie.
const EPS: f64 = 1e-9;

/// What is known about a passage's place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selectors {
    /// TextQuoteSelector.exact, if given.
    pub exact: Option<String>,
    /// TextQuoteSelector.prefix (may be empty).
    pub prefix: String,
    /// TextQuoteSelector.suffix (may be empty).
    pub suffix: String,
    /// TextPositionSelector (start, end) in code points, if given.
    pub position: Option<(usize, usize)>,
}

/// How a passage was found.
#[derive(Clone, Debug, PartialEq)]
pub enum Anchoring {
    /// The position selector's text equals `exact` (or there is only a position, and it is in range when `trust_position` was true).
    Position {
        /// First code point.
        start: usize,
        /// One past the last code point.
        end: usize,
    },
    /// Found `exact` elsewhere (unique, or chosen by context/position).
    Moved {
        /// First code point.
        start: usize,
        /// One past the last code point.
        end: usize,
    },
    /// Found approximately; `score` in 0..=1.
    Fuzzy {
        /// First code point of the best-matching substring.
        start: usize,
        /// One past its last code point.
        end: usize,
        /// Normalised quote/prefix/suffix/position score (see `FUZZY_MIN_SCORE`).
        score: f64,
    },
    /// Not found confidently.
    Orphan,
}

/// A text prepared for repeated anchoring (code points collected once).
///
/// Anchoring tries, in order:
/// 1. the position selector, if in range and its text equals `exact` → [`Anchoring::Position`];
/// 2. every exact occurrence of `exact`: a unique one of ≥ 8 code points is taken; otherwise the
///    occurrence whose surroundings best match prefix/suffix is taken if the mean of the
///    squared side similarities is ≥ 0.5 and no other occurrence ties with it (closeness to
///    the old position breaks exact ties) → [`Anchoring::Moved`]. Several occurrences and no
///    context → Orphan, never a guess;
/// 3. an approximate match (quotes of ≥ 12 code points, at most len/4 and at most 100 edit
///    errors, never overlapping an exact occurrence already judged), scored 50 quote / 20
///    prefix / 20 suffix / 2 position → [`Anchoring::Fuzzy`] if the quote similarity is ≥ 0.75
///    and the score ≥ 0.75.
///
/// Work bound: the approximate search costs text length × quote length cells. Above 60 million
/// it only searches ±20,000 code points around the old position (plus the quote's length); with
/// no old position, or if even that window is over budget, the passage is an Orphan. Only the
/// 1,000 fewest-error approximate candidates are scored, and a quote with over 100,000 exact
/// occurrences is not told apart by context (both only happen in repetitive text).
pub struct Anchorer {
    chars: Vec<char>,
    /// Searching work left for this anchorer (one import): see [`WORK_BUDGET`].
    work: Cell<u64>,
    /// Passages not searched for because the budget was spent.
    skipped: Cell<usize>,
}

/// How much searching one anchorer (one import) may do, in code points scanned (an exact search
/// scans the text once; an approximate one once per 64 code points of quote). A file of 100,000
/// quotes that are not in the text would otherwise cost 100,000 scans of the whole text: past
/// this budget the rest are kept unplaced, and the import report says so.
pub const WORK_BUDGET: u64 = 100_000_000;

/// Prefix and suffix, prepared once per `anchor` call for the many places they are compared at.
struct Context {
    /// The last `CONTEXT_CAP` code points of the prefix, reversed (compared backwards from a
    /// candidate's start, so the part next to the passage counts most).
    prefix: Option<BitPattern>,
    /// The first `CONTEXT_CAP` code points of the suffix.
    suffix: Option<BitPattern>,
}

impl Context {
    fn new(prefix: &str, suffix: &str) -> Context {
        let p: Vec<char> = prefix.chars().collect();
        let p: Vec<char> = p[p.len().saturating_sub(CONTEXT_CAP)..]
            .iter()
            .rev()
            .copied()
            .collect();
        let s: Vec<char> = suffix.chars().take(CONTEXT_CAP).collect();
        Context {
            prefix: (!p.is_empty()).then(|| BitPattern::new(&p)),
            suffix: (!s.is_empty()).then(|| BitPattern::new(&s)),
        }
    }

    fn given(&self) -> bool {
        self.prefix.is_some() || self.suffix.is_some()
    }

    /// Similarity of the text before `start` to the prefix, if one was given.
    fn prefix_score(&self, text: &[char], start: usize) -> Option<f64> {
        let pat = self.prefix.as_ref()?;
        // Matching more than 2·len text code points costs more than len errors, which deleting
        // the whole prefix already costs; so a window of 2·len is exhaustive.
        let from = start.saturating_sub(2 * pat.len);
        Some(anchored_similarity(
            pat,
            text[from..start].iter().rev().copied(),
        ))
    }

    /// Similarity of the text from `end` on to the suffix, if one was given.
    fn suffix_score(&self, text: &[char], end: usize) -> Option<f64> {
        let pat = self.suffix.as_ref()?;
        let to = end.saturating_add(2 * pat.len).min(text.len());
        Some(anchored_similarity(pat, text[end..to].iter().copied()))
    }
}

/// 1 − (edit distance between `pat` and the best-matching start of `text`) / len(pat): the text
/// must be matched from its first code point on, its far end is free.
fn anchored_similarity(pat: &BitPattern, text: impl Iterator<Item = char>) -> f64 {
    // Matching no text at all costs len(pat) (every pattern code point deleted).
    let mut best = pat.len;
    pat.scan(text, true, |score| best = best.min(score));
    1.0 - best as f64 / pat.len.max(1) as f64
}

/// A pattern compiled for Myers' bit-parallel edit distance, 64 pattern code points per word.
struct BitPattern {
    len: usize,
    blocks: usize,
    /// The bit of the last pattern code point in the last block.
    last_bit: u64,
    /// Match masks: `blocks` words per distinct pattern code point (its "class").
    masks: Vec<u64>,
    /// Class + 1 of ASCII code points (0: not in the pattern), so ASCII text needs no hashing.
    ascii: [u32; 128],
    /// Class + 1 of other code points.
    other: HashMap<char, u32>,
}

impl BitPattern {
    fn new(pattern: &[char]) -> BitPattern {
        let len = pattern.len();
        let blocks = len.div_ceil(64);
        let mut ascii = [0u32; 128];
        let mut other: HashMap<char, u32> = HashMap::new();
        let mut masks: Vec<u64> = Vec::new();
        for (i, &c) in pattern.iter().enumerate() {
            let slot = if c.is_ascii() {
                &mut ascii[c as usize]
            } else {
                other.entry(c).or_insert(0)
            };
            if *slot == 0 {
                masks.resize(masks.len() + blocks, 0);
                *slot = (masks.len() / blocks) as u32;
            }
            let class = *slot as usize - 1;
            masks[class * blocks + i / 64] |= 1u64 << (i % 64);
        }
        let last_bit = if len == 0 {
            0
        } else {
            1u64 << ((len - 1) % 64)
        };
        BitPattern {
            len,
            blocks,
            last_bit,
            masks,
            ascii,
            other,
        }
    }

    fn masks_for(&self, c: char) -> Option<&[u64]> {
        let slot = if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.other.get(&c).copied().unwrap_or(0)
        };
        if slot == 0 {
            return None;
        }
        let at = (slot as usize - 1) * self.blocks;
        Some(&self.masks[at..at + self.blocks])
    }

    /// Runs the edit-distance columns over `text`, calling `column(d)` after each code point with
    /// d = distance between the whole pattern and the text read so far: the best substring
    /// ending here when `anchored` is false (the match may start anywhere: Sellers' problem),
    /// or the whole text read so far when `anchored` is true.
    ///
    /// This is Myers' 1999 algorithm with his block decomposition: each word holds the vertical
    /// deltas (+1 in `pv`, −1 in `mv`) of 64 pattern rows, and a horizontal delta carries from
    /// block to block. Bits above the pattern's end in the last block are junk, but additions
    /// carry upwards only, so they never reach the bits that are read.
    fn scan(
        &self,
        text: impl Iterator<Item = char>,
        anchored: bool,
        mut column: impl FnMut(usize),
    ) {
        if self.blocks == 0 {
            // An empty pattern: nothing to match, so only the text read when anchored counts.
            for (j, _) in text.enumerate() {
                column(if anchored { j + 1 } else { 0 });
            }
            return;
        }
        let mut pv = vec![!0u64; self.blocks];
        let mut mv = vec![0u64; self.blocks];
        let mut score = self.len;
        // Row 0 of the DP: 0 everywhere when searching (free start), j at column j when anchored.
        let top: i8 = if anchored { 1 } else { 0 };
        for c in text {
            let eqs = self.masks_for(c);
            let mut h = top;
            for b in 0..self.blocks {
                let mut eq = eqs.map_or(0, |e| e[b]);
                let (p, m) = (pv[b], mv[b]);
                let xv = eq | m;
                if h < 0 {
                    eq |= 1;
                }
                let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
                let mut ph = m | !(xh | p);
                let mut mh = p & xh;
                let high = if b + 1 == self.blocks {
                    self.last_bit
                } else {
                    1u64 << 63
                };
                let out: i8 = if ph & high != 0 {
                    1
                } else if mh & high != 0 {
                    -1
                } else {
                    0
                };
                ph <<= 1;
                mh <<= 1;
                if h < 0 {
                    mh |= 1;
                } else if h > 0 {
                    ph |= 1;
                }
                pv[b] = mh | !(xv | ph);
                mv[b] = ph & xv;
                h = out;
            }
            // The score never goes below 0; `saturating` only guards against a logic slip.
            score = if h < 0 {
                score.saturating_sub(1)
            } else {
                score + h as usize
            };
            column(score);
        }
    }
}

/// Starts of every occurrence of `pat` in `text` (overlapping ones included), by KMP: linear
/// whatever the input, so a repetitive text cannot make the exact path slow.
fn find_all(text: &[char], pat: &[char]) -> Vec<usize> {
    let m = pat.len();
    if m == 0 || m > text.len() {
        return Vec::new();
    }
    let mut fail = vec![0usize; m];
    let mut k = 0;
    for i in 1..m {
        while k > 0 && pat[i] != pat[k] {
            k = fail[k - 1];
        }
        if pat[i] == pat[k] {
            k += 1;
        }
        fail[i] = k;
    }
    let mut hits = Vec::new();
    k = 0;
    for (i, &c) in text.iter().enumerate() {
        while k > 0 && c != pat[k] {
            k = fail[k - 1];
        }
        if c == pat[k] {
            k += 1;
        }
        if k == m {
            hits.push(i + 1 - m);
            k = fail[k - 1];
        }
    }
    hits
}

impl Anchorer {
    /// Prepares `text` (collects its code points once).
    pub fn new(text: &str) -> Anchorer {
        Anchorer::with_budget(text, WORK_BUDGET)
    }

    /// An anchorer with its own searching budget (code points scanned).
    pub fn with_budget(text: &str, budget: u64) -> Anchorer {
        Anchorer {
            chars: text.chars().collect(),
            work: Cell::new(budget),
            skipped: Cell::new(0),
        }
    }

    /// How many passages were left unsearched (kept as orphans) because the budget was spent.
    pub fn skipped(&self) -> usize {
        self.skipped.get()
    }

    /// Takes `cost` from the budget; false (and one more skipped) when it is not there.
    fn spend(&self, cost: u64) -> bool {
        let left = self.work.get();
        if cost > left {
            self.skipped.set(self.skipped.get() + 1);
            return false;
        }
        self.work.set(left - cost);
        true
    }

    /// Finds the passage described by `sel` (see the type's documentation for the order and
    /// thresholds).
    ///
    /// `trust_position`: when true (the file is for this very document), a position-only
    /// annotation (no exact) anchors by position if in range; when false, position-only is
    /// Orphan.
    pub fn anchor(&self, sel: &Selectors, trust_position: bool) -> Anchoring {
        let n = self.chars.len();
        let exact: Vec<char> = sel.exact.as_deref().unwrap_or("").chars().collect();
        let in_range = sel.position.filter(|&(s, e)| s < e && e <= n);
        if exact.is_empty() {
            return match in_range {
                Some((start, end)) if trust_position => Anchoring::Position { start, end },
                _ => Anchoring::Orphan,
            };
        }
        if let Some((start, end)) = in_range {
            if self.chars[start..end] == exact[..] {
                return Anchoring::Position { start, end };
            }
        }
        let hint = sel.position.map(|(s, _)| s);
        let ctx = Context::new(&sel.prefix, &sel.suffix);
        if !self.spend(n as u64) {
            return Anchoring::Orphan;
        }
        let hits = find_all(&self.chars, &exact);
        if !hits.is_empty() {
            if let Some(start) = self.choose_exact(&hits, exact.len(), &ctx, hint) {
                return Anchoring::Moved {
                    start,
                    end: start + exact.len(),
                };
            }
            // The quote is here but several times over: without context, an approximate
            // match elsewhere would be no better founded than a pick among these.
            if !ctx.given() {
                return Anchoring::Orphan;
            }
        }
        self.fuzzy(&exact, &ctx, hint, &hits)
    }

    /// The text's code points `[start, end)` (clamped), without walking the text from its start
    /// as `Document::slice` does: an import takes one quote per item.
    pub fn text(&self, start: usize, end: usize) -> String {
        let end = end.min(self.chars.len());
        self.chars[start.min(end)..end].iter().collect()
    }

    /// The quote context for exporting: (prefix, suffix), each up to `n` code points before/after [start, end).
    pub fn context(&self, start: usize, end: usize, n: usize) -> (String, String) {
        let len = self.chars.len();
        let end = end.min(len);
        let start = start.min(end);
        let before = &self.chars[start.saturating_sub(n)..start];
        let after = &self.chars[end..end.saturating_add(n).min(len)];
        (before.iter().collect(), after.iter().collect())
    }

    /// Mean of the squared similarities of the given sides of the context around [start, end)
    /// (see `EXACT_MIN_CONTEXT`); None if neither side was given.
    fn context_score(&self, ctx: &Context, start: usize, end: usize) -> Option<f64> {
        match (
            ctx.prefix_score(&self.chars, start),
            ctx.suffix_score(&self.chars, end),
        ) {
            (Some(p), Some(s)) => Some((p * p + s * s) / 2.0),
            (one, other) => one.or(other).map(|x| x * x),
        }
    }

    /// Picks among exact occurrences (rule 2), or None when none is well enough founded.
    fn choose_exact(
        &self,
        hits: &[usize],
        m: usize,
        ctx: &Context,
        hint: Option<usize>,
    ) -> Option<usize> {
        if hits.len() == 1 && m >= MIN_UNIQUE_EXACT {
            return Some(hits[0]);
        }
        if !ctx.given() || hits.len() > MAX_EXACT_HITS {
            return None;
        }
        // (context similarity, distance to the old position, start); without an old position
        // every distance is 0, so position cannot break a tie.
        let scored: Vec<(f64, usize, usize)> = hits
            .iter()
            .map(|&s| {
                let c = self.context_score(ctx, s, s + m).unwrap_or(0.0);
                (c, hint.map_or(0, |h| h.abs_diff(s)), s)
            })
            .collect();
        let best = scored.iter().copied().reduce(|a, b| {
            if b.0 > a.0 + EPS || ((b.0 - a.0).abs() <= EPS && b.1 < a.1) {
                b
            } else {
                a
            }
        })?;
        if best.0 < EXACT_MIN_CONTEXT {
            return None;
        }
        let tied = scored
            .iter()
            .any(|o| o.2 != best.2 && (o.0 - best.0).abs() <= EPS && o.1 == best.1);
        (!tied).then_some(best.2)
    }

    /// The part of the text the fuzzy search may afford (see the type's documentation).
    fn window(&self, m: usize, hint: Option<usize>) -> Option<(usize, usize)> {
        let n = self.chars.len();
        if n.saturating_mul(m) <= CELL_BUDGET {
            return Some((0, n));
        }
        let h = hint?.min(n);
        let lo = h.saturating_sub(WINDOW);
        let hi = h.saturating_add(WINDOW).saturating_add(m).min(n);
        ((hi - lo).saturating_mul(m) <= CELL_BUDGET).then_some((lo, hi))
    }

    /// Rule 3: the best approximate match, if it is good enough.
    fn fuzzy(
        &self,
        exact: &[char],
        ctx: &Context,
        hint: Option<usize>,
        exact_hits: &[usize],
    ) -> Anchoring {
        let m = exact.len();
        let n = self.chars.len();
        if m < MIN_FUZZY_LEN || n == 0 {
            return Anchoring::Orphan;
        }
        let Some((lo, hi)) = self.window(m, hint) else {
            return Anchoring::Orphan;
        };
        // Two scans (ends, then starts of the candidates), each one word step per 64 code points.
        if !self.spend(2 * (hi - lo) as u64 * m.div_ceil(64) as u64) {
            return Anchoring::Orphan;
        }
        let k = (m / 4).min(MAX_ERRORS);

        // Pass 1: where can a match end, and with how many errors? Neighbouring ends of one
        // match differ by ±1 error, so only local minima are kept as candidates.
        let pat = BitPattern::new(exact);
        // A max-heap of (errors, distance from the old position, end) trimmed to the best
        // candidates, so memory stays bounded even when every end qualifies (repetitive text)
        // and the ones kept are those nearest the old position.
        let mut heap: BinaryHeap<(usize, usize, usize)> = BinaryHeap::new();
        let mut keep = |errors: usize, end: usize| {
            let away = hint.map_or(0, |h| h.abs_diff(end.saturating_sub(m)));
            heap.push((errors, away, end));
            if heap.len() > MAX_FUZZY_CANDIDATES {
                heap.pop();
            }
        };
        let (mut before, mut here) = (usize::MAX, usize::MAX);
        let mut col = lo;
        pat.scan(self.chars[lo..hi].iter().copied(), false, |score| {
            if here <= k && here <= before && here <= score {
                keep(here, col);
            }
            col += 1;
            (before, here) = (here, score);
        });
        if here <= k && here <= before {
            keep(here, col);
        }
        // Fewest errors first, so the upper bound below can stop the loop early.
        let ends = heap.into_sorted_vec();

        // Pass 2: score the candidates. Where a match starts comes from the anchored distance
        // of the reversed quote over the text before its end: the start with fewest errors,
        // and the nearest among those (the tightest span).
        let rev: Vec<char> = exact.iter().rev().copied().collect();
        let rev = BitPattern::new(&rev);
        let position_score = |start: usize| {
            hint.map_or(NEUTRAL, |h| {
                1.0 - h.abs_diff(start).min(n) as f64 / n as f64
            })
        };
        let mut scored: Vec<(f64, usize, usize)> = Vec::new(); // (score, start, end)
        let mut best = f64::NEG_INFINITY;
        for (errors, _, end) in ends {
            let q = 1.0 - errors as f64 / m as f64;
            let ceiling =
                (QUOTE_WEIGHT * q + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT) / TOTAL_WEIGHT;
            if q < FUZZY_MIN_QUOTE || ceiling < best - EPS {
                break;
            }
            let from = end.saturating_sub(m + k).max(lo);
            let (mut least, mut length, mut read) = (m, 0usize, 0usize);
            rev.scan(self.chars[from..end].iter().rev().copied(), true, |d| {
                read += 1;
                if d < least {
                    (least, length) = (d, read);
                }
            });
            let start = end - length;
            // No errors means an exact occurrence, and those were judged (and refused) by
            // rule 2; nor may a candidate straddle one, or ambiguity would sneak back in.
            let after = exact_hits.partition_point(|&h| h < end);
            if least == 0 || (after > 0 && exact_hits[after - 1] + m > start) {
                continue;
            }
            let q = 1.0 - least as f64 / m as f64;
            let p = ctx
                .prefix_score(&self.chars, start)
                .unwrap_or(if start == 0 { 1.0 } else { NEUTRAL });
            let s =
                ctx.suffix_score(&self.chars, end)
                    .unwrap_or(if end == n { 1.0 } else { NEUTRAL });
            let score = (QUOTE_WEIGHT * q
                + PREFIX_WEIGHT * p
                + SUFFIX_WEIGHT * s
                + POSITION_WEIGHT * position_score(start))
                / TOTAL_WEIGHT;
            if q >= FUZZY_MIN_QUOTE {
                best = best.max(score);
                scored.push((score, start, end));
            }
        }
        let Some(&(score, start, end)) = scored
            .iter()
            .filter(|c| c.0 >= best - EPS)
            .min_by_key(|c| c.1)
        else {
            return Anchoring::Orphan;
        };
        // Two separate places equally good: a guess either way.
        let tied = scored
            .iter()
            .any(|o| o.0 >= best - EPS && (o.2 <= start || o.1 >= end));
        if score < FUZZY_MIN_SCORE || tied {
            return Anchoring::Orphan;
        }
        Anchoring::Fuzzy { start, end, score }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::document::{BlockKind, Document};
    use proptest::prelude::*;

    fn summary() -> String {
        Document::default_summary().text
    }

    fn cp_len(s: &str) -> usize {
        s.chars().count()
    }

    #[test]
    fn text_is_the_code_points_between_clamped() {
        let a = Anchorer::new("a 🌍 “b” c");
        assert_eq!(a.text(2, 6), "🌍 “b");
        assert_eq!(a.text(7, 99), " c");
        assert_eq!(a.text(50, 60), "");
    }

    /// Code-point offset of the only occurrence of `needle` (found with `str`, independently of
    /// the code under test).
    fn unique_cp(text: &str, needle: &str) -> usize {
        let hits: Vec<usize> = text.match_indices(needle).map(|(b, _)| b).collect();
        assert_eq!(hits.len(), 1, "fixture {needle:?} is not unique");
        cp_len(&text[..hits[0]])
    }

    /// The span [start, end) of the only occurrence of `needle`.
    fn span_of(text: &str, needle: &str) -> (usize, usize) {
        let start = unique_cp(text, needle);
        (start, start + cp_len(needle))
    }

    /// `text` with its only occurrence of `from` replaced by `to`.
    fn replace_once(text: &str, from: &str, to: &str) -> String {
        assert_eq!(
            text.matches(from).count(),
            1,
            "fixture {from:?} is not unique"
        );
        text.replacen(from, to, 1)
    }

    /// Selectors as this app exports them: exact, 32 code points of context, optionally the
    /// position.
    fn exported(a: &Anchorer, span: (usize, usize), position: bool) -> Selectors {
        let (prefix, suffix) = a.context(span.0, span.1, 32);
        Selectors {
            exact: Some(a.chars[span.0..span.1].iter().collect()),
            prefix,
            suffix,
            position: position.then_some(span),
        }
    }

    /// The share of the larger span that the two have in common.
    fn overlap(got: (usize, usize), want: (usize, usize)) -> f64 {
        let common = got.1.min(want.1).saturating_sub(got.0.max(want.0));
        common as f64 / (got.1 - got.0).max(want.1 - want.0) as f64
    }

    fn assert_fuzzy_near(result: &Anchoring, want: (usize, usize)) {
        match *result {
            Anchoring::Fuzzy { start, end, score } => {
                assert!(
                    overlap((start, end), want) >= 0.8,
                    "span {start}..{end} vs expected {want:?}"
                );
                assert!((FUZZY_MIN_SCORE..=1.0).contains(&score), "score {score}");
            }
            ref other => panic!("expected Fuzzy near {want:?}, got {other:?}"),
        }
    }

    /// The text with numbered paragraphs `x` and `y` (x before y) swapped.
    fn swap_paragraphs(doc: &Document, x: u32, y: u32) -> String {
        let block = |n: u32| {
            doc.blocks
                .iter()
                .find(|b| b.kind == BlockKind::Numbered { number: n })
                .expect("paragraph")
        };
        let (bx, by) = (block(x), block(y));
        let chars: Vec<char> = doc.text.chars().collect();
        let piece = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        [
            piece(0, bx.start),
            by.text.clone(),
            piece(bx.end, by.start),
            bx.text.clone(),
            piece(by.end, chars.len()),
        ]
        .concat()
    }

    #[test]
    fn unchanged_text_anchors_by_position() {
        let text = summary();
        let a = Anchorer::new(&text);
        let len = cp_len(&text);
        let first: String = text.chars().take(40).collect();
        let last: String = text.chars().skip(len - 40).collect();
        let passages = [
            "H.E. Mr. Ban Ki-moon drew attention to the range of serious crises",
            "“Fulfilling Our Collective Responsibility: International Assistance and the Responsibility to Protect”",
            "“specific inhibitors”",
            "In looking to the future, Member States reaffirmed the central role",
            first.as_str(),
            last.as_str(),
        ];
        for p in passages {
            let span = span_of(&text, p);
            let sel = exported(&a, span, true);
            assert_eq!(sel.exact.as_deref(), Some(p));
            assert_eq!(
                a.anchor(&sel, false),
                Anchoring::Position {
                    start: span.0,
                    end: span.1
                },
                "{p}"
            );
            // Without a position, or with a stale one, the unique quote is found where it is.
            let moved = Anchoring::Moved {
                start: span.0,
                end: span.1,
            };
            let no_pos = Selectors {
                position: None,
                ..sel.clone()
            };
            assert_eq!(a.anchor(&no_pos, false), moved, "{p}");
            let stale = Selectors {
                position: Some((span.0 + 7, span.1 + 7)),
                ..sel
            };
            assert_eq!(a.anchor(&stale, false), moved, "{p}");
        }
        // The context is the code points around the span, clipped at the text's ends.
        let (s, e) = span_of(&text, "“specific inhibitors”");
        let before: String = text.chars().skip(s - 32).take(32).collect();
        let after: String = text.chars().skip(e).take(32).collect();
        assert_eq!(a.context(s, e, 32), (before, after));
        assert_eq!(a.context(0, 40, 32).0, "");
        assert_eq!(a.context(len - 40, len, 32).1, "");
    }

    #[test]
    fn words_inserted_before_the_passage_move_it() {
        let text = summary();
        let old = Anchorer::new(&text);
        let inserted = " Several delegations then asked for the floor.";
        let new_text = replace_once(
            &text,
            "on international assistance.",
            &format!("on international assistance.{inserted}"),
        );
        let new = Anchorer::new(&new_text);
        let passages = [
            // Right after the insertion: its prefix changed.
            "H.E. Mr. Ban Ki-moon drew attention to the range",
            "Association for Southeast Asian Nations (ASEAN)",
            "three types of assistance under Pillar II of the responsibility to protect",
            "“specific inhibitors”",
        ];
        for p in passages {
            let old_span = span_of(&text, p);
            let want = span_of(&new_text, p);
            assert_eq!(want.0, old_span.0 + cp_len(inserted));
            assert_eq!(
                new.anchor(&exported(&old, old_span, true), false),
                Anchoring::Moved {
                    start: want.0,
                    end: want.1
                },
                "{p}"
            );
        }
        // A short, frequent quote with intact context moves too.
        let at = unique_cp(&text, "attention to the range") + cp_len("attention to ");
        let want = unique_cp(&new_text, "attention to the range") + cp_len("attention to ");
        assert_eq!(
            new.anchor(&exported(&old, (at, at + 3), true), false),
            Anchoring::Moved {
                start: want,
                end: want + 3
            }
        );
    }

    #[test]
    fn edited_passages_are_found_approximately() {
        let text = summary();
        let old = Anchorer::new(&text);
        // (passage, its edited form): a word deleted inside, words respelled, an edge changed.
        let edits = [
            (
                "report, focusing particularly on three types of assistance under Pillar II of the responsibility to protect",
                "report, focusing on three types of assistance under Pillar II of the responsibility to protect",
            ),
            (
                "undertaking preventative diplomacy, and engaging in peer-to-peer review",
                "undertaking preventive diplomacy, and engaging in peer to peer review",
            ),
            (
                "Mr. Adama Dieng, Special Adviser of the Secretary-General on the Prevention of Genocide",
                "Adama Dieng, Special Adviser to the Secretary-General on the Prevention of Genocide",
            ),
            (
                "“Fulfilling Our Collective Responsibility: International Assistance and the Responsibility to Protect”",
                "\"Fulfilling Our Collective Responsibility: International Assistance and the Responsibility to Protect\"",
            ),
        ];
        for (passage, edited) in edits {
            let new_text = replace_once(&text, passage, edited);
            let new = Anchorer::new(&new_text);
            let want = span_of(&new_text, edited);
            let sel = exported(&old, span_of(&text, passage), true);
            assert_fuzzy_near(&new.anchor(&sel, false), want);
            let no_pos = Selectors {
                position: None,
                ..sel
            };
            assert_fuzzy_near(&new.anchor(&no_pos, false), want);
        }
    }

    #[test]
    fn swapped_paragraphs_move_their_passages() {
        let doc = Document::default_summary();
        let text = doc.text.clone();
        let old = Anchorer::new(&text);
        let new_text = swap_paragraphs(&doc, 7, 8);
        assert_ne!(new_text, text);
        let new = Anchorer::new(&new_text);
        let para = |n: u32| {
            doc.blocks
                .iter()
                .find(|b| b.kind == BlockKind::Numbered { number: n })
                .expect("paragraph")
                .clone()
        };
        let (p7, p8) = (para(7), para(8));
        // The start of each paragraph (context on both sides changed), the middle, the end.
        let spans = [
            (p7.start, p7.start + 40),
            (p7.start + 60, p7.start + 140),
            (p7.end - 30, p7.end),
            (p8.start, p8.start + 40),
            (p8.start + 100, p8.start + 170),
            (p8.end - 50, p8.end),
        ];
        for span in spans {
            let passage: String = old.chars[span.0..span.1].iter().collect();
            // Where the passage's paragraph went (a paragraph's text is unique; a passage such
            // as "the responsibility to protect." need not be, and context must pick it).
            let para = if span.0 < p8.start { &p7 } else { &p8 };
            let shift = unique_cp(&new_text, &para.text);
            let start = shift + span.0 - para.start;
            let want = (start, start + span.1 - span.0);
            assert_eq!(new.chars[want.0..want.1], old.chars[span.0..span.1]);
            assert_eq!(
                new.anchor(&exported(&old, span, true), false),
                Anchoring::Moved {
                    start: want.0,
                    end: want.1
                },
                "{passage}"
            );
        }
    }

    #[test]
    fn short_ambiguous_quotes_need_their_context() {
        let text = summary();
        let a = Anchorer::new(&text);
        let unrelated = |exact: &str, position| Selectors {
            exact: Some(exact.into()),
            prefix: "quietly crossed the moonlit river at ".into(),
            suffix: " hour when owls and foxes were about".into(),
            position,
        };
        for (quote, around) in [
            ("the", "drew attention to the range"),
            ("Member States", "and urged Member States to craft"),
            ("States", "and urged Member States to craft"),
        ] {
            assert!(
                text.matches(quote).count() > 5,
                "{quote} should be frequent"
            );
            let at = unique_cp(&text, around) + cp_len(&around[..around.find(quote).unwrap()]);
            let span = (at, at + cp_len(quote));
            let (start, end) = span;
            // Intact context: the right occurrence, with or without the position.
            assert_eq!(
                a.anchor(&exported(&a, span, false), false),
                Anchoring::Moved { start, end }
            );
            assert_eq!(
                a.anchor(&exported(&a, span, true), false),
                Anchoring::Position { start, end }
            );
            // No context, or context from nowhere: an Orphan, never a pick among equals.
            let bare = Selectors {
                exact: Some(quote.into()),
                ..Selectors::default()
            };
            assert_eq!(a.anchor(&bare, false), Anchoring::Orphan, "{quote}");
            assert_eq!(a.anchor(&unrelated(quote, None), false), Anchoring::Orphan);
            assert_eq!(
                a.anchor(&unrelated(quote, Some((start + 3, end + 3))), false),
                Anchoring::Orphan,
                "{quote}"
            );
        }

        // The document was rewritten around the occurrence: the old context matches nothing.
        for (quote, clause, rewrite) in [
            (
                "the",
                "drew attention to the range of serious crises currently facing",
                "spoke about several pressing emergencies now confronting",
            ),
            (
                "Member States",
                "and urged Member States to craft an ambitious agenda for the next decade",
                "and asked governments to draft a bold programme for coming years",
            ),
        ] {
            let at = unique_cp(&text, clause) + cp_len(&clause[..clause.find(quote).unwrap()]);
            let sel = exported(&a, (at, at + cp_len(quote)), true);
            let new_text = replace_once(&text, clause, rewrite);
            let new = Anchorer::new(&new_text);
            let there: String = new.chars[at..at + cp_len(quote)].iter().collect();
            assert_ne!(
                there, quote,
                "fixture: the old position must not hold the quote"
            );
            assert_eq!(new.anchor(&sel, false), Anchoring::Orphan, "{quote}");
        }
    }

    #[test]
    fn removed_passages_are_orphans() {
        let text = summary();
        let old = Anchorer::new(&text);
        for removed in [
            " The dialogue commenced with opening remarks by the Vice President of the General Assembly, H.E. Ms. Isabelle F. Picco, and the Secretary-General, H.E. Mr. Ban Ki-moon.",
            "Guyana, Colombia, ",
            "Association for Southeast Asian Nations (ASEAN)",
        ] {
            let passage = removed.trim().trim_end_matches(", ");
            let sel = exported(&old, span_of(&text, passage), true);
            let new = Anchorer::new(&replace_once(&text, removed, ""));
            assert_eq!(new.anchor(&sel, false), Anchoring::Orphan, "{passage}");
            let no_pos = Selectors {
                position: None,
                ..sel
            };
            assert_eq!(new.anchor(&no_pos, false), Anchoring::Orphan, "{passage}");
        }
    }

    #[test]
    fn offsets_are_code_points_with_emoji_and_combining_marks() {
        let text =
            "🌍 Résumé: “R2P” 👩‍👩‍👧 — the cafe\u{301} protects people 🙂 everywhere, every day.";
        let a = Anchorer::new(text);
        let passage = "protects people 🙂 everywhere";
        let span = span_of(text, passage);
        // Sanity: bytes, UTF-16 units and code points all differ here.
        assert_ne!(text.find(passage), Some(span.0));
        assert_ne!(
            text[..text.find(passage).unwrap()].encode_utf16().count(),
            span.0
        );
        assert_eq!(span.1 - span.0, 28);
        let sel = exported(&a, span, true);
        // 32 code points back reaches into the first emoji's neighbour, not a byte further.
        assert_eq!(sel.prefix, "Résumé: “R2P” 👩‍👩‍👧 — the cafe\u{301} ");
        assert_eq!(cp_len(&sel.prefix), 32);
        assert_eq!(
            a.context(span.0, span.1, 4),
            ("fe\u{301} ".into(), ", ev".into())
        );
        assert_eq!(
            a.anchor(&sel, false),
            Anchoring::Position {
                start: span.0,
                end: span.1
            }
        );
        // Two emoji and a space inserted before: three code points later.
        let moved = format!("🙂🙂 {text}");
        assert_eq!(
            Anchorer::new(&moved).anchor(&sel, false),
            Anchoring::Moved {
                start: span.0 + 3,
                end: span.1 + 3
            }
        );
        // An emoji changed inside the quote: found approximately, in code points.
        let quote = "people 🙂 everywhere, every day";
        let edited = text.replace(quote, "people 🌍 everywhere, each day");
        let want = span_of(&edited, "people 🌍 everywhere, each day");
        let sel = exported(&a, span_of(text, quote), true);
        assert_fuzzy_near(&Anchorer::new(&edited).anchor(&sel, false), want);
    }

    #[test]
    fn position_only_needs_trust() {
        let a = Anchorer::new("The responsibility to protect.");
        let only = |position| Selectors {
            position,
            ..Selectors::default()
        };
        let empty_exact = Selectors {
            exact: Some(String::new()),
            position: Some((4, 18)),
            ..Selectors::default()
        };
        let pos = Anchoring::Position { start: 4, end: 18 };
        assert_eq!(a.anchor(&only(Some((4, 18))), true), pos);
        assert_eq!(a.anchor(&empty_exact, true), pos);
        assert_eq!(a.anchor(&only(Some((4, 18))), false), Anchoring::Orphan);
        assert_eq!(
            a.anchor(&only(Some((0, 30))), true),
            Anchoring::Position { start: 0, end: 30 }
        );
        for bad in [
            (0, 31),
            (18, 4),
            (5, 5),
            (usize::MAX - 1, usize::MAX),
            (3, usize::MAX),
        ] {
            assert_eq!(
                a.anchor(&only(Some(bad)), true),
                Anchoring::Orphan,
                "{bad:?}"
            );
        }
        assert_eq!(a.anchor(&only(None), true), Anchoring::Orphan);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let texts = [
            "",
            "a",
            "e\u{301}\u{301}\u{301}",
            "🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍",
            "aaaaaaaaaaaaaaaaaaaaaaaa",
        ];
        let quotes = [
            "",
            "a",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍",
            "\u{301}",
        ];
        let positions = [
            None,
            Some((0, 0)),
            Some((0, 1)),
            Some((5, 2)),
            Some((usize::MAX, usize::MAX)),
            Some((0, usize::MAX)),
            Some((usize::MAX, 0)),
        ];
        for text in texts {
            let a = Anchorer::new(text);
            for quote in quotes {
                for position in positions {
                    for trust in [false, true] {
                        let sel = Selectors {
                            exact: Some(quote.into()),
                            prefix: quote.into(),
                            suffix: text.into(),
                            position,
                        };
                        check_invariants(&a, &sel, a.anchor(&sel, trust));
                    }
                }
            }
            for (s, e, n) in [
                (0, 0, 0),
                (usize::MAX, 0, usize::MAX),
                (3, usize::MAX, 2),
                (9, 2, 1),
            ] {
                let (p, q) = a.context(s, e, n);
                assert!(cp_len(&p) + cp_len(&q) <= cp_len(text));
            }
        }
        // A fully repetitive text and quote: every position is an exact hit (and a tie).
        let a = Anchorer::new(&"ab".repeat(5000));
        let sel = Selectors {
            exact: Some("ab".repeat(20)),
            prefix: "ab".repeat(16),
            suffix: "ab".repeat(16),
            position: None,
        };
        assert_eq!(a.anchor(&sel, false), Anchoring::Orphan);
        // Work stays bounded when every place is a candidate: 200,000 exact hits (over the cap),
        // and an approximate match ending everywhere (the candidate heap).
        // Every candidate ties but for closeness to the old position, which then decides.
        let a = Anchorer::new(&"a".repeat(200_000));
        for m in [8, 12, 72] {
            let exact = format!("{}b", "a".repeat(m - 1));
            let sel = Selectors {
                exact: Some(exact),
                prefix: "a".repeat(32),
                suffix: "a".repeat(32),
                position: Some((150_000, 150_000 + m + 1)),
            };
            let got = a.anchor(&sel, false);
            if m < MIN_FUZZY_LEN {
                assert_eq!(got, Anchoring::Orphan);
            } else {
                assert_fuzzy_near(&got, (150_000, 150_000 + m));
            }
            let no_pos = Selectors {
                position: None,
                ..sel
            };
            assert_eq!(a.anchor(&no_pos, false), Anchoring::Orphan, "{m}");
        }
        let sel = Selectors {
            exact: Some("a".repeat(8)),
            prefix: "a".repeat(32),
            suffix: "a".repeat(32),
            position: None,
        };
        assert_eq!(a.anchor(&sel, false), Anchoring::Orphan);
    }

    /// A result's span is in range and, when found exactly, holds the quote.
    fn check_invariants(a: &Anchorer, sel: &Selectors, got: Anchoring) {
        let len = a.chars.len();
        let exact: Vec<char> = sel.exact.as_deref().unwrap_or("").chars().collect();
        match got {
            Anchoring::Position { start, end } | Anchoring::Moved { start, end } => {
                assert!(start < end && end <= len, "{got:?}");
                if !exact.is_empty() {
                    assert_eq!(a.chars[start..end], exact[..]);
                }
            }
            Anchoring::Fuzzy { start, end, score } => {
                assert!(start < end && end <= len, "{got:?}");
                assert!((FUZZY_MIN_SCORE..=1.0).contains(&score));
            }
            Anchoring::Orphan => {}
        }
    }

    /// Deterministic pseudo-random words, for a text too long for the whole-text fuzzy search.
    fn filler(min_len: usize) -> String {
        let words = [
            "assembly", "dialogue", "members", "support", "regional", "capacity", "early",
            "warning", "mandate", "council", "states", "review", "with", "for", "and", "the",
        ];
        let mut seed = 0x2014_u64;
        let mut out = String::new();
        while out.len() < min_len {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            out.push_str(words[(seed >> 60) as usize]);
            out.push(' ');
        }
        out
    }

    #[test]
    fn long_texts_search_only_near_the_old_position() {
        let passage = "international actors should encourage States to fulfil their national responsibility to protect by d";
        let edited = "international actors should encourage states to fulfill their national responsibility to protect by d";
        assert_eq!(cp_len(passage), 100);
        let head = filler(700_000);
        let text = format!("{head}{edited} {}", filler(500_000));
        let at = cp_len(&head);
        // Over budget for a whole-text search (1.2 million × 100 cells).
        assert!(cp_len(&text) * cp_len(passage) > CELL_BUDGET);
        let a = Anchorer::new(&text);
        let end = at + cp_len(edited);
        let (prefix, suffix) = a.context(at, end, 32);
        let sel = |position| Selectors {
            exact: Some(passage.into()),
            prefix: prefix.clone(),
            suffix: suffix.clone(),
            position,
        };
        assert_fuzzy_near(
            &a.anchor(&sel(Some((at + 3000, at + 3100))), false),
            (at, end),
        );
        assert_fuzzy_near(
            &a.anchor(&sel(Some((at - 15_000, at - 14_900))), false),
            (at, end),
        );
        assert_eq!(a.anchor(&sel(None), false), Anchoring::Orphan);
        assert_eq!(
            a.anchor(&sel(Some((at - 50_000, at))), false),
            Anchoring::Orphan
        );
    }

    /// Textbook O(m·n) edit distance of `pat` against each prefix of `text` (anchored) or the
    /// best substring ending at each position (search).
    fn naive_columns(pat: &[char], text: &[char], anchored: bool) -> Vec<usize> {
        let m = pat.len();
        let mut col: Vec<usize> = (0..=m).collect();
        let mut out = Vec::new();
        for (j, &c) in text.iter().enumerate() {
            let mut next = vec![if anchored { j + 1 } else { 0 }; m + 1];
            for i in 1..=m {
                let sub = col[i - 1] + usize::from(pat[i - 1] != c);
                next[i] = sub.min(col[i] + 1).min(next[i - 1] + 1);
            }
            out.push(next[m]);
            col = next;
        }
        out
    }

    fn small_chars(max: usize) -> impl Strategy<Value = Vec<char>> {
        proptest::collection::vec(
            prop::sample::select(vec!['a', 'b', 'c', ' ', '🌍', '\u{301}', 'é']),
            0..max,
        )
    }

    /// Arbitrary-ish strings: mostly a small alphabet (so quotes do occur), some emoji,
    /// combining marks and curly quotes.
    fn texty(max: usize) -> impl Strategy<Value = String> {
        small_chars(max).prop_map(|v| v.into_iter().collect())
    }

    #[test]
    fn bit_parallel_edge_cases() {
        let columns = |pat: &str, text: &str, anchored| {
            let pat: Vec<char> = pat.chars().collect();
            let mut got = Vec::new();
            BitPattern::new(&pat).scan(text.chars(), anchored, |d| got.push(d));
            got
        };
        // An empty pattern: free when searching, the text's length when anchored.
        assert_eq!(columns("", "ab", false), [0, 0]);
        assert_eq!(columns("", "ab", true), [1, 2]);
        // Exactly 64 and 65 code points: one full block, and a carry into a second.
        let p64 = "ab".repeat(32);
        let p65 = format!("{p64}c");
        assert_eq!(columns(&p64, &p64, true).last(), Some(&0));
        assert_eq!(columns(&p65, &p64, true).last(), Some(&1));
        assert_eq!(columns(&p65, &format!("xx{p65}"), false).last(), Some(&0));
    }

    proptest! {
        #[test]
        fn bit_parallel_matches_the_textbook_recurrence(
            pat in small_chars(150),
            text in small_chars(120),
            anchored in any::<bool>(),
        ) {
            let mut got = Vec::new();
            BitPattern::new(&pat).scan(text.iter().copied(), anchored, |d| got.push(d));
            prop_assert_eq!(got, naive_columns(&pat, &text, anchored));
        }

        #[test]
        fn kmp_finds_every_occurrence(pat in small_chars(4), text in small_chars(60)) {
            let naive: Vec<usize> = if pat.is_empty() {
                Vec::new()
            } else {
                (0..text.len())
                    .filter(|&i| text[i..].starts_with(&pat))
                    .collect()
            };
            prop_assert_eq!(find_all(&text, &pat), naive);
        }

        #[test]
        fn true_passages_of_the_summary_anchor_exactly(
            start_frac in 0.0f64..1.0,
            len in 1usize..160,
            with_position in any::<bool>(),
        ) {
            thread_local! {
                static SUMMARY: Anchorer = Anchorer::new(&summary());
            }
            SUMMARY.with(|a| {
                let n = a.chars.len();
                let start = ((n as f64 * start_frac) as usize).min(n - 1);
                let span = (start, (start + len).min(n));
                let got = a.anchor(&exported(a, span, with_position), false);
                let (start, end) = span;
                if with_position {
                    prop_assert_eq!(got, Anchoring::Position { start, end });
                } else {
                    prop_assert_eq!(got, Anchoring::Moved { start, end });
                }
                Ok(())
            })?;
        }

        #[test]
        fn anchoring_never_panics(
            text in texty(40),
            exact in proptest::option::of(texty(20)),
            prefix in texty(12),
            suffix in texty(12),
            position in proptest::option::of(prop_oneof![
                (0usize..50, 0usize..50),
                (any::<usize>(), any::<usize>()),
            ]),
            trust in any::<bool>(),
            n in 0usize..50,
        ) {
            let a = Anchorer::new(&text);
            let sel = Selectors { exact, prefix, suffix, position };
            check_invariants(&a, &sel, a.anchor(&sel, trust));
            if let Some((s, e)) = position {
                let (p, q) = a.context(s, e, n);
                prop_assert!(cp_len(&p) <= n && cp_len(&q) <= n);
            }
        }
    }

    /// Not a benchmark gate (nothing is asserted about time): prints how long 1,000 anchors take
    /// against the summary after an edit. Run with `--release --nocapture` to see it.
    #[test]
    fn thousand_anchors_timing() {
        let text = summary();
        let old = Anchorer::new(&text);
        let new_text = replace_once(
            &text,
            "on international assistance.",
            "on international assistance. Several delegations then asked for the floor.",
        );
        let new = Anchorer::new(&new_text);
        let n = old.chars.len();
        let mut seed = 7u64;
        let mut next = |m: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % m
        };
        let sels: Vec<Selectors> = (0..1000)
            .map(|i| {
                let start = next(n - 200);
                let mut sel = exported(&old, (start, start + 10 + next(140)), true);
                if i % 10 == 0 {
                    // One in ten was edited: a code point in the middle replaced.
                    let mut q: Vec<char> = sel.exact.unwrap().chars().collect();
                    let mid = q.len() / 2;
                    q[mid] = '#';
                    sel.exact = Some(q.into_iter().collect());
                }
                sel
            })
            .collect();
        let t = std::time::Instant::now();
        let results: Vec<Anchoring> = sels.iter().map(|s| new.anchor(s, false)).collect();
        let elapsed = t.elapsed();
        // The same again, split: the nine in ten found exactly, and the edited tenth.
        let t = std::time::Instant::now();
        sels.iter().skip(1).step_by(10).for_each(|s| {
            std::hint::black_box(new.anchor(s, false));
        });
        let exact_tenth = t.elapsed();
        let t = std::time::Instant::now();
        sels.iter().step_by(10).for_each(|s| {
            std::hint::black_box(new.anchor(s, false));
        });
        let edited_tenth = t.elapsed();
        println!(
            "100 unedited anchors in {exact_tenth:?}, 100 edited (fuzzy) ones in {edited_tenth:?}"
        );
        let count = |f: fn(&Anchoring) -> bool| results.iter().filter(|r| f(r)).count();
        println!(
            "1000 anchors in {elapsed:?}: {} position, {} moved, {} fuzzy, {} orphan",
            count(|r| matches!(r, Anchoring::Position { .. })),
            count(|r| matches!(r, Anchoring::Moved { .. })),
            count(|r| matches!(r, Anchoring::Fuzzy { .. })),
            count(|r| matches!(r, Anchoring::Orphan)),
        );
        // Every result is where the passage went: after the insertion, shifted by its length.
        let at = unique_cp(&text, "on international assistance.")
            + cp_len("on international assistance.");
        let shift = cp_len(" Several delegations then asked for the floor.");
        for (sel, got) in sels.iter().zip(results) {
            let (s, e) = sel.position.unwrap();
            check_invariants(&new, sel, got.clone());
            if s < at && at < e {
                eprintln!("straddling {sel:?}: {got:?}");
                continue;
            }
            let want = if e <= at {
                (s, e)
            } else {
                (s + shift, e + shift)
            };
            match got {
                Anchoring::Position { start, end } | Anchoring::Moved { start, end } => {
                    assert_eq!((start, end), want, "{sel:?}")
                }
                Anchoring::Fuzzy { .. } => assert_fuzzy_near(&got, want),
                Anchoring::Orphan => eprintln!("orphan: {sel:?} want {want:?}"),
            }
        }
    }
}
