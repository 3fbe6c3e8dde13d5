//! How far two students' highlights coincide: overlap F1, and precision and recall against a key.
//!
//! Spans are measured in code points, paragraphs by index; a code point or paragraph counts once
//! however many highlights cover it.

use std::collections::BTreeSet;

/// Code points `[start, end)` of the canonical text, as [`super::store::Annotation`] holds them.
pub type Span = (usize, usize);

/// The code points the spans cover, as sorted ranges that neither overlap nor touch; empty spans
/// cover nothing.
pub fn merge(spans: &[Span]) -> Vec<Span> {
    let mut sorted: Vec<Span> = spans.iter().copied().filter(|(s, e)| s < e).collect();
    sorted.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(sorted.len());
    for (start, end) in sorted {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The sizes of two sets, `a` and `b`, and of what they share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overlap {
    /// Code points or paragraphs in the first set (a student's, when one side is the key).
    pub a: usize,
    /// In the second (the key's).
    pub b: usize,
    /// In both.
    pub shared: usize,
}

/// `part / whole`, or None when there is no whole to take a share of.
fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Overlap {
    /// Of the code points two sets of spans cover.
    pub fn of_spans(a: &[Span], b: &[Span]) -> Overlap {
        let (a, b) = (merge(a), merge(b));
        let size = |spans: &[Span]| spans.iter().map(|(s, e)| e - s).sum();
        let (mut i, mut j, mut shared) = (0, 0, 0);
        // Walk both sorted lists; the range that ends first cannot meet anything further on.
        while let (Some(&(a_start, a_end)), Some(&(b_start, b_end))) = (a.get(i), b.get(j)) {
            shared += a_end.min(b_end).saturating_sub(a_start.max(b_start));
            if a_end < b_end {
                i += 1;
            } else {
                j += 1;
            }
        }
        Overlap {
            a: size(&a),
            b: size(&b),
            shared,
        }
    }

    /// Of two sets of paragraph indices.
    pub fn of_units(a: &BTreeSet<usize>, b: &BTreeSet<usize>) -> Overlap {
        Overlap {
            a: a.len(),
            b: b.len(),
            shared: a.intersection(b).count(),
        }
    }

    /// 2|A∩B| / (|A| + |B|): 1 when the two cover the same, 0 when they share nothing. None when
    /// both are empty: two students who marked nothing have shown no agreement, and a perfect 1
    /// would rank them with two who marked the same passages.
    pub fn f1(self) -> Option<f64> {
        share(2 * self.shared, self.a + self.b)
    }

    /// The share of `a` (a student's) that the key `b` has too; None when the student marked nothing.
    pub fn precision(self) -> Option<f64> {
        share(self.shared, self.a)
    }

    /// The share of the key `b` that the student `a` found; None when the key marks nothing.
    pub fn recall(self) -> Option<f64> {
        share(self.shared, self.b)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn merging_joins_overlapping_and_touching_spans() {
        assert_eq!(
            merge(&[
                (5, 10),
                (0, 3),
                (8, 12),
                (12, 14),
                (20, 20),
                (30, 25),
                (3, 3)
            ]),
            vec![(0, 3), (5, 14)]
        );
        assert_eq!(merge(&[]), vec![]);
    }

    #[test]
    fn spans_overlap_by_code_points() {
        // 0..10 against 5..15: 5 shared of 10 and 10.
        let half = Overlap::of_spans(&[(0, 10)], &[(5, 15)]);
        assert_eq!(
            half,
            Overlap {
                a: 10,
                b: 10,
                shared: 5
            }
        );
        assert_eq!(half.f1(), Some(0.5));
        // A passage highlighted twice counts once: still 10 code points.
        let twice = Overlap::of_spans(&[(0, 10), (5, 10)], &[(5, 15)]);
        assert_eq!(twice, half);
        // Student 0..4 and 10..20 (14 code points) against key 0..10: 4 shared.
        let graded = Overlap::of_spans(&[(10, 20), (0, 4)], &[(0, 10)]);
        assert_eq!(graded.precision(), Some(4.0 / 14.0));
        assert_eq!(graded.recall(), Some(0.4));
        assert_eq!(graded.f1(), Some(8.0 / 24.0));
        // One key span across two of the student's: 2..4 and 6..8 shared.
        let across = Overlap::of_spans(&[(0, 4), (6, 9)], &[(2, 8)]);
        assert_eq!(
            across,
            Overlap {
                a: 7,
                b: 6,
                shared: 4
            }
        );
    }

    #[test]
    fn nothing_marked_leaves_shares_undefined() {
        let none = Overlap::of_spans(&[], &[(3, 3)]);
        assert_eq!(
            (none.f1(), none.precision(), none.recall()),
            (None, None, None)
        );
        let student_silent = Overlap::of_spans(&[], &[(0, 5)]);
        assert_eq!(student_silent.f1(), Some(0.0));
        assert_eq!(student_silent.precision(), None);
        assert_eq!(student_silent.recall(), Some(0.0));
        let key_silent = Overlap::of_units(&BTreeSet::from([1]), &BTreeSet::new());
        assert_eq!(
            (key_silent.precision(), key_silent.recall()),
            (Some(0.0), None)
        );
    }

    #[test]
    fn paragraphs_overlap_by_index() {
        let o = Overlap::of_units(&BTreeSet::from([1, 2, 3]), &BTreeSet::from([2, 3, 4, 5]));
        assert_eq!(
            o,
            Overlap {
                a: 3,
                b: 4,
                shared: 2
            }
        );
        assert_eq!(o.precision(), Some(2.0 / 3.0));
        assert_eq!(o.recall(), Some(0.5));
        assert_eq!(o.f1(), Some(4.0 / 7.0));
    }

    fn spans() -> impl Strategy<Value = Vec<Span>> {
        proptest::collection::vec((0usize..60, 0usize..20).prop_map(|(s, l)| (s, s + l)), 0..8)
    }

    /// The code points the spans cover, one by one.
    fn points(spans: &[Span]) -> BTreeSet<usize> {
        spans.iter().flat_map(|&(s, e)| s..e).collect()
    }

    proptest! {
        #[test]
        fn span_overlap_counts_covered_code_points(a in spans(), b in spans()) {
            let o = Overlap::of_spans(&a, &b);
            let (pa, pb) = (points(&a), points(&b));
            prop_assert_eq!(o, Overlap { a: pa.len(), b: pb.len(), shared: pa.intersection(&pb).count() });
            let merged = merge(&a);
            prop_assert_eq!(points(&merged), pa);
            prop_assert!(merged.iter().all(|(s, e)| s < e));
            prop_assert!(merged.windows(2).all(|w| w[0].1 < w[1].0), "{:?}", merged);
            prop_assert_eq!(o.f1(), Overlap::of_spans(&b, &a).f1());
            if let Some(f1) = o.f1() {
                prop_assert!((0.0..=1.0).contains(&f1));
                prop_assert_eq!(f1 == 1.0, points(&a) == points(&b));
            }
        }
    }
}
