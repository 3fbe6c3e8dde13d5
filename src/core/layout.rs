//! Highlight layout: each block cut into runs with the exact set of covering annotations, built in
//! full once and then updated only around the spans that changed.
//!
//! With thousands of overlapping annotations almost every code point is a run boundary, so the
//! work of a change must stay proportional to the changed spans, not to the document: unchanged
//! blocks keep their run lists and unchanged runs keep their [`Cover`] (shared), which lets the
//! UI skip them by pointer.

use std::rc::Rc;

use super::document::Document;
use super::segments::segment;
use super::store::Annotation;

/// Up to this many changes an index is updated in place; more (an import, a merge) rebuild it.
const INCREMENTAL_INDEX_UP_TO: usize = 64;

/// Placed annotations sorted by (start, end, id), with a running maximum of ends so that
/// "which annotations overlap [s, e)" costs O(log n + answers) for the usual spans.
#[derive(Clone, Debug, Default)]
pub struct Index {
    items: Vec<Rc<Annotation>>,
    max_end: Vec<usize>,
}

impl Index {
    /// Indexes the placed (not orphan) annotations.
    pub fn new<'a>(annotations: impl IntoIterator<Item = &'a Rc<Annotation>>) -> Index {
        let mut items: Vec<Rc<Annotation>> = annotations
            .into_iter()
            .filter(|a| !a.orphan && a.start < a.end)
            .cloned()
            .collect();
        items.sort_unstable_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
        Index::sorted(items)
    }

    /// The index of `items`, already in (start, end, id) order: adds the running maximum of ends.
    fn sorted(items: Vec<Rc<Annotation>>) -> Index {
        let mut max = 0;
        let max_end = items
            .iter()
            .map(|a| {
                max = max.max(a.end);
                max
            })
            .collect();
        Index { items, max_end }
    }

    /// The index after `changes`, sharing nothing but the annotations: a few changes are
    /// applied in place (binary search, no sort); many rebuild from `all`, the annotations after.
    pub fn update<'a>(
        &self,
        changes: &[Change],
        all: impl IntoIterator<Item = &'a Rc<Annotation>>,
    ) -> Index {
        if changes.len() > INCREMENTAL_INDEX_UP_TO {
            return Index::new(all);
        }
        fn key(a: &Annotation) -> (usize, usize, &str) {
            (a.start, a.end, a.id.as_str())
        }
        let placed = |a: &&Rc<Annotation>| !a.orphan && a.start < a.end;
        let mut items = self.items.clone();
        for old in changes.iter().filter_map(|c| c.old.as_ref()).filter(placed) {
            if let Ok(i) = items.binary_search_by(|x| key(x).cmp(&key(old))) {
                items.remove(i);
            }
        }
        for new in changes.iter().filter_map(|c| c.new.as_ref()).filter(placed) {
            let i = items.partition_point(|x| key(x) < key(new));
            items.insert(i, Rc::clone(new));
        }
        Index::sorted(items)
    }

    /// All indexed annotations in document order.
    pub fn items(&self) -> &[Rc<Annotation>] {
        &self.items
    }

    /// Positions (in document order) of the annotations overlapping `[s, e)`.
    pub fn overlapping(&self, s: usize, e: usize) -> Vec<usize> {
        let upto = self.items.partition_point(|a| a.start < e);
        let mut out = Vec::new();
        let mut i = upto;
        while i > 0 {
            i -= 1;
            if self.max_end[i] <= s {
                break;
            }
            if self.items[i].end > s {
                out.push(i);
            }
        }
        out.reverse();
        out
    }

    /// The shortest annotation covering code point `offset` (ties: the one starting last).
    pub fn shortest_at(&self, offset: usize) -> Option<&Rc<Annotation>> {
        self.overlapping(offset, offset + 1)
            .into_iter()
            .map(|i| &self.items[i])
            .min_by(|a, b| {
                (a.len(), std::cmp::Reverse(a.start), &a.id).cmp(&(
                    b.len(),
                    std::cmp::Reverse(b.start),
                    &b.id,
                ))
            })
    }
}

/// What covers a run: the annotations (in document order), the innermost one (shortest; it
/// gives the run its colour) and how many there are.
#[derive(Debug)]
pub struct Cover {
    /// The covering annotations, in document order (pointers: compared, never joined into
    /// strings, which at 10,000 overlapping annotations would add up to tens of megabytes).
    pub members: Vec<Rc<Annotation>>,
    /// The shortest covering annotation.
    pub inner: Rc<Annotation>,
    /// How many annotations cover the run.
    pub depth: usize,
}

/// A run of text: `[start, end)` and what covers it (None: plain text).
#[derive(Clone, Debug)]
pub struct Run {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The covering annotations, shared between layouts while unchanged.
    pub cover: Option<Rc<Cover>>,
}

impl Cover {
    /// Same annotations (by pointer), in the same order.
    pub fn same_members(&self, other: &Cover) -> bool {
        self.members.len() == other.members.len()
            && self
                .members
                .iter()
                .zip(&other.members)
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

impl PartialEq for Cover {
    fn eq(&self, other: &Self) -> bool {
        self.same_members(other)
    }
}

impl PartialEq for Run {
    fn eq(&self, other: &Self) -> bool {
        self.start == other.start
            && self.end == other.end
            && match (&self.cover, &other.cover) {
                (None, None) => true,
                (Some(a), Some(b)) => Rc::ptr_eq(a, b) || a.same_members(b),
                _ => false,
            }
    }
}

/// The runs of the blocks laid out so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// One shared run list per block (same order as the document's blocks); None for a block not
    /// laid out yet (with many annotations only the blocks being shown are, see [`Layout::fill`]).
    pub blocks: Vec<Option<Rc<[Run]>>>,
}

fn runs_between(index: &Index, s: usize, e: usize) -> Vec<Run> {
    let over = index.overlapping(s, e);
    let spans = over.iter().map(|&i| {
        let a = &index.items[i];
        (a.start, a.end, i)
    });
    segment(s, e, spans)
        .into_iter()
        .map(|seg| {
            let cover = (!seg.keys.is_empty()).then(|| {
                let inner = seg
                    .keys
                    .iter()
                    .map(|&k| &index.items[k])
                    .min_by_key(|a| (a.len(), std::cmp::Reverse(a.start)))
                    .expect("non-empty")
                    .clone();
                Rc::new(Cover {
                    members: seg.keys.iter().map(|&k| index.items[k].clone()).collect(),
                    inner,
                    depth: seg.keys.len(),
                })
            });
            Run {
                start: seg.start,
                end: seg.end,
                cover,
            }
        })
        .collect()
}

/// Joins adjacent runs that ended up with the same cover (a removed boundary), as a full
/// layout would have made them.
fn coalesce(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    for r in runs {
        if let Some(last) = out.last_mut() {
            let same = match (&last.cover, &r.cover) {
                (None, None) => true,
                (Some(a), Some(b)) => a.same_members(b),
                _ => false,
            };
            if same && last.end == r.start {
                last.end = r.end;
                continue;
            }
        }
        out.push(r);
    }
    out
}

/// Merges overlapping or touching spans into sorted disjoint ones.
fn merge_spans(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.retain(|(s, e)| s < e);
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

impl Layout {
    /// Lays out every block from scratch.
    pub fn full(doc: &Document, index: &Index) -> Layout {
        Layout::default()
            .fill(doc, index, |_| true)
            .expect("every block laid out")
    }

    /// Lays out the blocks that `wanted` (by block number) and that are not laid out yet; the
    /// rest is shared with `self`. None when there is nothing to lay out (a layout for another
    /// number of blocks is always replaced by one for `doc`).
    pub fn fill(
        &self,
        doc: &Document,
        index: &Index,
        wanted: impl Fn(usize) -> bool,
    ) -> Option<Layout> {
        let fresh = self.blocks.len() != doc.blocks.len();
        let missing = |i: usize| fresh || self.blocks[i].is_none();
        if !fresh && !(0..doc.blocks.len()).any(|i| missing(i) && wanted(i)) {
            return None;
        }
        let blocks = doc
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| match (missing(i), wanted(i)) {
                (true, true) => Some(runs_between(index, b.start, b.end).into()),
                (true, false) => None,
                (false, _) => self.blocks[i].clone(),
            })
            .collect();
        Some(Layout { blocks })
    }

    /// Lays out again only where `changed` spans (old and new places of every annotation that
    /// was added, removed or changed) touch; everything else is shared with `self`, and blocks
    /// not laid out stay so.
    pub fn update(&self, doc: &Document, index: &Index, changed: Vec<(usize, usize)>) -> Layout {
        if self.blocks.len() != doc.blocks.len() {
            return Layout::full(doc, index);
        }
        let changed = merge_spans(changed);
        if changed.is_empty() {
            return self.clone();
        }
        let blocks = doc
            .blocks
            .iter()
            .zip(&self.blocks)
            .map(|(b, old)| {
                let old = old.as_ref()?;
                let first = changed.partition_point(|&(_, e)| e <= b.start);
                let touching: Vec<(usize, usize)> = changed[first..]
                    .iter()
                    .take_while(|&&(s, _)| s < b.end)
                    .map(|&(s, e)| (s.max(b.start), e.min(b.end)))
                    .collect();
                if touching.is_empty() {
                    return Some(Rc::clone(old));
                }
                let mut runs: Vec<Run> = Vec::with_capacity(old.len() + 8);
                let mut i = 0;
                for (s, e) in touching {
                    // Widen to whole old runs, so kept runs are never cut.
                    while i < old.len() && old[i].end <= s {
                        runs.push(old[i].clone());
                        i += 1;
                    }
                    let from = old.get(i).map_or(s, |r| r.start.min(s));
                    let mut to = e;
                    while i < old.len() && old[i].start < e {
                        to = to.max(old[i].end);
                        i += 1;
                    }
                    // A widened range may reach into the next changed span: runs_between
                    // recomputes it all, and the loop goes on after it.
                    let from = runs.last().map_or(from, |r: &Run| from.max(r.end));
                    if from < to {
                        runs.extend(runs_between(index, from, to));
                    }
                }
                runs.extend(old[i..].iter().cloned());
                Some(coalesce(runs).into())
            })
            .collect();
        Layout { blocks }
    }
}

/// One annotation that differs between two versions of the annotations: added (no `old`),
/// removed (no `new`) or changed (a new shared pointer).
#[derive(Clone, Debug)]
pub struct Change {
    /// The version before, if it existed.
    pub old: Option<Rc<Annotation>>,
    /// The version after, if it exists.
    pub new: Option<Rc<Annotation>>,
}

/// The annotations whose shared pointer differs between two versions (both by id, in id order).
pub fn changes<'a, K: Ord + 'a>(
    old: impl IntoIterator<Item = (&'a K, &'a Rc<Annotation>)>,
    new: impl IntoIterator<Item = (&'a K, &'a Rc<Annotation>)>,
) -> Vec<Change> {
    let mut old = old.into_iter().peekable();
    let mut new = new.into_iter().peekable();
    let mut out = Vec::new();
    let change = |o: Option<&Rc<Annotation>>, n: Option<&Rc<Annotation>>| Change {
        old: o.cloned(),
        new: n.cloned(),
    };
    loop {
        match (old.peek(), new.peek()) {
            (None, None) => break,
            // The same pointer is the same annotation (and id): no string comparison needed,
            // which is nearly every entry when one annotation in thousands changed.
            (Some((_, vo)), Some((_, vn))) if Rc::ptr_eq(vo, vn) => {
                old.next();
                new.next();
            }
            (Some((ko, vo)), Some((kn, vn))) if ko == kn => {
                out.push(change(Some(vo), Some(vn)));
                old.next();
                new.next();
            }
            (Some((ko, vo)), Some((kn, _))) if ko < kn => {
                out.push(change(Some(vo), None));
                old.next();
            }
            (Some(_), Some((_, vn))) | (None, Some((_, vn))) => {
                out.push(change(None, Some(vn)));
                new.next();
            }
            (Some((_, vo)), None) => {
                out.push(change(Some(vo), None));
                old.next();
            }
        }
    }
    out
}

/// The spans whose layout must change: the old and new span of every placed annotation among
/// `changes`.
pub fn changed_spans(changes: &[Change]) -> Vec<(usize, usize)> {
    changes
        .iter()
        .flat_map(|c| [&c.old, &c.new])
        .flatten()
        .filter(|a| !a.orphan)
        .map(|a| (a.start, a.end))
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn ann(id: usize, start: usize, end: usize) -> Rc<Annotation> {
        Rc::new(Annotation::bare(&format!("id{id:03}"), start, end, &[]))
    }

    fn flat(l: &Layout) -> Vec<(usize, usize, Option<String>)> {
        l.blocks
            .iter()
            .flat_map(|b| {
                b.as_deref().unwrap_or_default().iter().map(|r| {
                    let ids = r.cover.as_ref().map(|c| {
                        c.members
                            .iter()
                            .map(|a| a.id.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    });
                    (r.start, r.end, ids)
                })
            })
            .collect()
    }

    fn doc() -> Document {
        Document::parse_plain(&"Alpha beta gamma delta “epsilon” zeta 🌍 eta theta.\n\n".repeat(4))
    }

    #[test]
    fn overlapping_finds_exactly_the_overlaps() {
        let items: Vec<Rc<Annotation>> =
            vec![ann(1, 0, 100), ann(2, 5, 6), ann(3, 10, 20), ann(4, 30, 40)];
        let idx = Index::new(&items);
        let ids = |s, e| -> Vec<String> {
            idx.overlapping(s, e)
                .iter()
                .map(|&i| idx.items()[i].id.clone())
                .collect()
        };
        assert_eq!(ids(12, 13), ["id001", "id003"]);
        assert_eq!(ids(6, 10), ["id001"]);
        assert_eq!(ids(100, 200), Vec::<String>::new());
        assert_eq!(idx.shortest_at(15).unwrap().id, "id003");
    }

    proptest! {
        #[test]
        fn incremental_layout_equals_full_layout(
            before in proptest::collection::vec((0usize..200, 1usize..60), 0..30),
            edits in proptest::collection::vec((0u8..3, 0usize..40, 0usize..200, 1usize..60), 1..8),
        ) {
            let d = doc();
            let mut map: BTreeMap<String, Rc<Annotation>> = BTreeMap::new();
            for (i, &(s, l)) in before.iter().enumerate() {
                let a = ann(i, s, (s + l).min(d.len));
                if a.start < a.end { map.insert(a.id.clone(), a); }
            }
            let mut layout = Layout::full(&d, &Index::new(map.values()));
            let mut prev_index = Index::new(map.values());
            for (n, &(kind, pick, s, l)) in edits.iter().enumerate() {
                let old = map.clone();
                let keys: Vec<String> = map.keys().cloned().collect();
                match kind {
                    0 => { let a = ann(1000 + n, s, (s + l).min(d.len)); if a.start < a.end { map.insert(a.id.clone(), a); } }
                    1 if !keys.is_empty() => { map.remove(&keys[pick % keys.len()]); }
                    _ if !keys.is_empty() => {
                        let k = &keys[pick % keys.len()];
                        let mut a = (*map[k]).clone();
                        a.start = s.min(d.len - 1);
                        a.end = (a.start + l).min(d.len);
                        map.insert(k.clone(), Rc::new(a));
                    }
                    _ => {}
                }
                let changes = changes(old.iter(), map.iter());
                let index = Index::new(map.values());
                let updated = prev_index.update(&changes, map.values());
                prop_assert_eq!(
                    updated.items().iter().map(|a| (a.start, a.end, a.id.clone())).collect::<Vec<_>>(),
                    index.items().iter().map(|a| (a.start, a.end, a.id.clone())).collect::<Vec<_>>()
                );
                prop_assert_eq!(&updated.max_end, &index.max_end);
                prev_index = updated;
                let next = layout.update(&d, &index, changed_spans(&changes));
                let full = Layout::full(&d, &index);
                prop_assert_eq!(flat(&next), flat(&full));
                // Blocks the edit did not touch are shared, not rebuilt.
                layout = next;
            }
        }

        #[test]
        fn lazy_layout_filled_after_edits_equals_full_layout(
            before in proptest::collection::vec((0usize..200, 1usize..60), 0..30),
            edits in proptest::collection::vec((0usize..200, 1usize..60), 1..6),
            shown in proptest::collection::vec(proptest::bool::ANY, 4),
        ) {
            let d = doc();
            let mut map: BTreeMap<String, Rc<Annotation>> = BTreeMap::new();
            for (i, &(s, l)) in before.iter().enumerate() {
                let a = ann(i, s, (s + l).min(d.len));
                if a.start < a.end { map.insert(a.id.clone(), a); }
            }
            // Only the shown blocks are laid out; edits leave the others alone.
            let wanted = |i: usize| shown[i % shown.len()];
            let mut layout = Layout::default().fill(&d, &Index::new(map.values()), wanted).expect("sized for the document");
            for (n, &(s, l)) in edits.iter().enumerate() {
                let old = map.clone();
                let a = ann(1000 + n, s, (s + l).min(d.len));
                if a.start < a.end { map.insert(a.id.clone(), a); }
                let changed = changed_spans(&changes(old.iter(), map.iter()));
                layout = layout.update(&d, &Index::new(map.values()), changed);
                for (i, b) in layout.blocks.iter().enumerate() {
                    prop_assert_eq!(b.is_some(), wanted(i), "block {} laid out only if shown", i);
                }
            }
            // Showing every block lays out the rest; the result is the full layout.
            let index = Index::new(map.values());
            let all = layout.fill(&d, &index, |_| true).unwrap_or(layout);
            prop_assert_eq!(flat(&all), flat(&Layout::full(&d, &index)));
            prop_assert!(all.fill(&d, &index, |_| true).is_none(), "nothing left to lay out");
        }
    }

    #[test]
    fn untouched_blocks_and_runs_are_shared() {
        let d = doc();
        let mut map: BTreeMap<String, Rc<Annotation>> = BTreeMap::new();
        for (i, (s, e)) in [(2, 30), (10, 12), (60, 90)].into_iter().enumerate() {
            let a = ann(i, s, e);
            map.insert(a.id.clone(), a);
        }
        let l1 = Layout::full(&d, &Index::new(map.values()));
        let old = map.clone();
        let a = ann(9, 20, 25);
        map.insert(a.id.clone(), a);
        let l2 = l1.update(
            &d,
            &Index::new(map.values()),
            changed_spans(&changes(old.iter(), map.iter())),
        );
        let block = |l: &Layout, i: usize| Rc::clone(l.blocks[i].as_ref().unwrap());
        assert!(
            Rc::ptr_eq(&block(&l1, 1), &block(&l2, 1)),
            "block 2 untouched"
        );
        let (b1, b2) = (block(&l1, 0), block(&l2, 0));
        let kept = b2.iter().find(|r| r.start == 10).unwrap();
        let before = b1.iter().find(|r| r.start == 10).unwrap();
        assert!(Rc::ptr_eq(
            kept.cover.as_ref().unwrap(),
            before.cover.as_ref().unwrap()
        ));
    }
}
