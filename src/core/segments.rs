//! Overlap segmentation: cuts a range of text into runs, each covered by an exact set of spans.

/// A run of text `[start, end)` and the keys of every span that covers all of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment<K> {
    /// First code point of the run.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// Keys of the covering spans, in ascending order; empty for unhighlighted text.
    pub keys: Vec<K>,
}

/// Cuts `[start, end)` into consecutive segments that cover it exactly once; each segment's keys
/// are exactly the spans `(s, e, key)` with `s <= seg.start` and `seg.end <= e`. Empty spans and
/// the parts of spans outside the range are ignored. Runs O((n + b) log n) for n spans and b cuts.
pub fn segment<K: Copy + Ord>(
    start: usize,
    end: usize,
    spans: impl IntoIterator<Item = (usize, usize, K)>,
) -> Vec<Segment<K>> {
    if start >= end {
        return Vec::new();
    }
    // Events: (position, is_open, key); closes sort before opens at the same position.
    let mut events: Vec<(usize, bool, K)> = Vec::new();
    for (s, e, k) in spans {
        let (s, e) = (s.max(start), e.min(end));
        if s < e {
            events.push((s, true, k));
            events.push((e, false, k));
        }
    }
    events.sort_unstable();
    let mut active: Vec<K> = Vec::new();
    let mut out = Vec::new();
    let mut pos = start;
    let mut i = 0;
    while pos < end {
        while i < events.len() && events[i].0 == pos {
            let (_, open, k) = events[i];
            match active.binary_search(&k) {
                Ok(j) if !open => {
                    active.remove(j);
                }
                Err(j) if open => active.insert(j, k),
                _ => {}
            }
            i += 1;
        }
        let next = events.get(i).map_or(end, |e| e.0.min(end));
        out.push(Segment {
            start: pos,
            end: next,
            keys: active.clone(),
        });
        pos = next;
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nested_and_crossing_spans() {
        let segs = segment(0, 10, [(2, 6, 'a'), (4, 8, 'b'), (4, 5, 'c')]);
        let got: Vec<(usize, usize, String)> = segs
            .iter()
            .map(|s| (s.start, s.end, s.keys.iter().collect()))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, 2, "".into()),
                (2, 4, "a".into()),
                (4, 5, "abc".into()),
                (5, 6, "ab".into()),
                (6, 8, "b".into()),
                (8, 10, "".into()),
            ]
        );
    }

    proptest! {
        #[test]
        fn segments_cover_once_with_exact_key_sets(
            range in (0usize..60, 0usize..60),
            spans in proptest::collection::vec((0usize..70, 0usize..70), 0..25),
        ) {
            let (start, end) = (range.0.min(range.1), range.0.max(range.1));
            let spans: Vec<(usize, usize, usize)> =
                spans.iter().enumerate().map(|(k, &(a, b))| (a.min(b), a.max(b), k)).collect();
            let segs = segment(start, end, spans.iter().copied());
            let mut pos = start;
            for s in &segs {
                prop_assert_eq!(s.start, pos);
                prop_assert!(s.start < s.end);
                pos = s.end;
                for cp in s.start..s.end {
                    let expected: Vec<usize> = spans
                        .iter()
                        .filter(|&&(a, b, _)| a <= cp && cp < b)
                        .map(|&(_, _, k)| k)
                        .collect();
                    prop_assert_eq!(&s.keys, &expected);
                }
            }
            prop_assert_eq!(pos, end.max(start));
            if start == end { prop_assert!(segs.is_empty()); }
            // Adjacent segments differ, so no cut is wasted.
            for w in segs.windows(2) { prop_assert_ne!(&w[0].keys, &w[1].keys); }
        }
    }
}
