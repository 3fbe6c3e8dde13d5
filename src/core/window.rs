//! Windowing a long list: which items to render around the scroll position (from measured or
//! estimated item heights), where the view must go to show an item, and where a key moves focus.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Range;

/// Lists of more than this many items are windowed: only the items near the view are rendered.
pub const WINDOW_FROM: usize = 200;

/// The height assumed for an item while none has been measured yet, in CSS pixels (a quote of
/// two or three lines, its tags and its Delete button).
pub const FIRST_ESTIMATE: f64 = 120.0;

/// At least this much is rendered beyond each edge of the view, in CSS pixels: a list that is
/// not laid out yet (no view height) still renders a first screenful.
pub const MIN_OVERSCAN: f64 = 600.0;

/// A measured height within this of the known one is the same (sub-pixel layout noise).
const SAME_HEIGHT: f64 = 0.5;

/// The visible part of a list, in the list's own coordinates (0 is the list's top edge).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// The view's top edge; negative while the list starts below it.
    pub top: f64,
    /// How much of the list's coordinates the view spans (0 when none of it is visible).
    pub height: f64,
}

impl View {
    /// The visible part of a list whose top edge is at `list_top`, shown through a scroller whose
    /// box spans `scroller_top..scroller_bottom`, in a viewport `viewport_height` tall (all in
    /// viewport pixels): the scroller's box clipped to the viewport, in the list's coordinates.
    pub fn of(
        list_top: f64,
        scroller_top: f64,
        scroller_bottom: f64,
        viewport_height: f64,
    ) -> View {
        let top = scroller_top.max(0.0);
        let bottom = scroller_bottom.min(viewport_height);
        View {
            top: top - list_top,
            height: (bottom - top).max(0.0),
        }
    }

    /// Where the view's top must go to show `top..bottom` with as little scrolling as possible:
    /// unchanged when it is in view already; an item taller than the view is shown from its top.
    pub fn nearest(&self, top: f64, bottom: f64) -> f64 {
        if top < self.top || bottom - top > self.height {
            top
        } else if bottom > self.top + self.height {
            bottom - self.height
        } else {
            self.top
        }
    }
}

/// Item heights: those measured, by an item key that sorts like the list (so that a list of
/// thousands with a few dozen measured is laid out with a few hundred comparisons rather than a
/// lookup per item), and their mean as the estimate for the others.
#[derive(Clone, Debug)]
pub struct Heights<K> {
    by_key: BTreeMap<K, f64>,
    sum: f64,
}

impl<K> Default for Heights<K> {
    fn default() -> Self {
        Heights {
            by_key: BTreeMap::new(),
            sum: 0.0,
        }
    }
}

impl<K: Ord> Heights<K> {
    /// Records an item's rendered height; true when it differs from what was known of it.
    pub fn measure(&mut self, key: K, height: f64) -> bool {
        match self.by_key.get_mut(&key) {
            Some(h) if (*h - height).abs() < SAME_HEIGHT => false,
            Some(h) => {
                self.sum += height - *h;
                *h = height;
                true
            }
            None => {
                self.by_key.insert(key, height);
                self.sum += height;
                true
            }
        }
    }

    /// The height assumed for an item not measured yet.
    pub fn estimate(&self) -> f64 {
        if self.by_key.is_empty() {
            FIRST_ESTIMATE
        } else {
            self.sum / self.by_key.len() as f64
        }
    }

    /// The offsets of `items`, which are in the keys' order: `cmp` compares an item with a key.
    pub fn offsets<T>(&self, items: &[T], cmp: impl Fn(&T, &K) -> Ordering) -> Offsets {
        let mut heights = vec![self.estimate(); items.len()];
        // Both sorted: each key is searched for after the place of the one before.
        let mut from = 0;
        for (key, &h) in &self.by_key {
            match items[from..].binary_search_by(|item| cmp(item, key)) {
                Ok(i) => {
                    heights[from + i] = h;
                    from += i + 1;
                }
                Err(i) => from += i,
            }
        }
        Offsets::from_heights(heights)
    }
}

/// Where each item of a list starts, in the list's coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Offsets {
    /// The top of each item, then the list's total height.
    tops: Vec<f64>,
}

/// A step of the keyboard focus through a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// ArrowUp: the item before.
    Previous,
    /// ArrowDown: the item after.
    Next,
    /// PageUp: a view's height up.
    PageUp,
    /// PageDown: a view's height down.
    PageDown,
    /// Home: the first item.
    First,
    /// End: the last item.
    Last,
}

impl Step {
    /// The step a key (`KeyboardEvent.key`) takes, if any.
    pub fn of_key(key: &str) -> Option<Step> {
        Some(match key {
            "ArrowUp" => Step::Previous,
            "ArrowDown" => Step::Next,
            "PageUp" => Step::PageUp,
            "PageDown" => Step::PageDown,
            "Home" => Step::First,
            "End" => Step::Last,
            _ => return None,
        })
    }
}

impl Offsets {
    /// The offsets of items of these heights, in order.
    pub fn from_heights(heights: impl IntoIterator<Item = f64>) -> Offsets {
        let heights = heights.into_iter();
        let mut tops = Vec::with_capacity(heights.size_hint().0 + 1);
        let mut at = 0.0;
        tops.push(at);
        for h in heights {
            at += h;
            tops.push(at);
        }
        Offsets { tops }
    }

    /// How many items.
    pub fn len(&self) -> usize {
        self.tops.len() - 1
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The top of item `i` (the list's total height for `i` = [`Offsets::len`]).
    pub fn top(&self, i: usize) -> f64 {
        self.tops[i.min(self.len())]
    }

    /// The list's height.
    pub fn total(&self) -> f64 {
        self.top(self.len())
    }

    /// The item at `y`: the last one whose top is at or above it, clamped to the list (0 for an
    /// empty list).
    pub fn index_at(&self, y: f64) -> usize {
        let n = self.len();
        self.tops[..n]
            .partition_point(|&t| t <= y)
            .saturating_sub(1)
            .min(n.saturating_sub(1))
    }

    /// The items to render for `view`: those reaching into it or into the overscan of a view's
    /// height (at least [`MIN_OVERSCAN`]) above and below it; at least one item of a non-empty
    /// list.
    pub fn window(&self, view: View) -> Range<usize> {
        let n = self.len();
        if n == 0 {
            return 0..0;
        }
        let overscan = view.height.max(MIN_OVERSCAN);
        let start = self.index_at(view.top - overscan);
        let end = self.tops[..n]
            .partition_point(|&t| t < view.top + view.height + overscan)
            .max(start + 1);
        start..end
    }

    /// The item a step from item `from` lands on, with `page` the view's height; None for an
    /// empty list.
    pub fn step(&self, from: usize, step: Step, page: f64) -> Option<usize> {
        let last = self.len().checked_sub(1)?;
        let from = from.min(last);
        Some(match step {
            Step::Previous => from.saturating_sub(1),
            Step::Next => (from + 1).min(last),
            Step::First => 0,
            Step::Last => last,
            Step::PageDown => self.index_at(self.top(from) + page).max(from + 1).min(last),
            Step::PageUp => self
                .index_at(self.top(from) - page)
                .min(from.saturating_sub(1)),
        })
    }
}

/// A rendered item as laid out: its index in the list, and its top edge and height (to the next
/// item's top) in the list's coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    /// Index in the list.
    pub index: usize,
    /// Top edge.
    pub top: f64,
    /// Height, the gap to the next item included.
    pub height: f64,
}

/// The rendered item to hold in place while the items around it change (measured anew, added,
/// removed), and where it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Anchor<K> {
    /// The item (by a key that survives changes to the list, such as its id).
    pub key: K,
    /// Its top edge when it was chosen, in the list's coordinates.
    pub top: f64,
}

impl<K: PartialEq> Anchor<K> {
    /// Of the rendered items (in list order, with their keys), the first in view: the first
    /// that reaches below the view's top, if it starts above the view's bottom. None while the
    /// view's top is at or above the list's top: there nothing above the view can move what it
    /// shows.
    pub fn choose(items: impl IntoIterator<Item = (K, Placed)>, view: View) -> Option<Anchor<K>> {
        if view.top <= 0.0 {
            return None;
        }
        items
            .into_iter()
            .find(|(_, p)| p.top + p.height > view.top)
            .filter(|(_, p)| p.top < view.top + view.height)
            .map(|(key, p)| Anchor { key, top: p.top })
    }

    /// Where the view will be once the anchor is held in place, with the anchor's top now at
    /// `top` (after a change of the heights or of the items above it): the view moves with it.
    pub fn carry(&self, view: View, top: f64) -> View {
        View {
            top: view.top + top - self.top,
            ..view
        }
    }

    /// How far to scroll so that the anchor shows where it did: how far it has moved since it
    /// was chosen, when it is among the rendered items (`(key, top)`); else 0.
    pub fn drift(&self, items: impl IntoIterator<Item = (K, f64)>) -> f64 {
        items
            .into_iter()
            .find(|(k, _)| *k == self.key)
            .map_or(0.0, |(_, top)| top - self.top)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn view(top: f64, height: f64) -> View {
        View { top, height }
    }

    #[test]
    fn the_view_is_the_scroller_clipped_to_the_viewport_in_list_coordinates() {
        // A panel from 80 to 780 px in an 800 px viewport, its list 300 px below the panel's
        // top (scrolled 220 px into it: the list's top is at -140).
        assert_eq!(View::of(-140.0, 80.0, 780.0, 800.0), view(220.0, 700.0));
        // A panel taller than the viewport and partly above it: only 0..800 is visible.
        assert_eq!(View::of(100.0, -50.0, 2000.0, 800.0), view(-100.0, 800.0));
        // Scrolled out of the viewport: nothing visible.
        assert_eq!(View::of(0.0, -900.0, -100.0, 800.0).height, 0.0);
    }

    #[test]
    fn nearest_scrolls_as_little_as_possible() {
        let v = view(1000.0, 500.0);
        assert_eq!(v.nearest(1100.0, 1200.0), 1000.0, "in view: stays");
        assert_eq!(
            v.nearest(900.0, 1000.0),
            900.0,
            "above: its top at the view's top"
        );
        assert_eq!(
            v.nearest(1450.0, 1600.0),
            1100.0,
            "below: its bottom at the view's bottom"
        );
        assert_eq!(
            v.nearest(2000.0, 2800.0),
            2000.0,
            "taller than the view: from its top"
        );
    }

    #[test]
    fn heights_estimate_the_unmeasured_by_the_mean_of_the_measured() {
        let mut h = Heights::default();
        assert_eq!(h.estimate(), FIRST_ESTIMATE);
        assert!(h.measure("b", 100.0));
        assert!(h.measure("c", 200.0));
        assert!(!h.measure("c", 200.2), "sub-pixel noise is no change");
        assert_eq!(h.estimate(), 150.0);
        assert!(
            h.measure("b", 300.0),
            "a re-measured item replaces its old height"
        );
        assert_eq!(h.estimate(), 250.0);
        let o = h.offsets(&["a", "b", "c", "d"], |item, key| item.cmp(key));
        assert_eq!(
            (0..=4).map(|i| o.top(i)).collect::<Vec<_>>(),
            vec![0.0, 250.0, 550.0, 750.0, 1000.0]
        );
    }

    #[test]
    fn the_window_covers_the_view_and_a_screenful_each_side() {
        // 1,000 items of 100 px; a 700 px view at 50,000 (items 500..507).
        let o = Offsets::from_heights(vec![100.0; 1000]);
        assert_eq!(o.window(view(50_000.0, 700.0)), 493..514);
        // At the top, nothing before the first item.
        assert_eq!(o.window(view(0.0, 700.0)), 0..14);
        // The list below the view's top: only what the view and its overscan reach.
        assert_eq!(o.window(view(-2_000.0, 700.0)), 0..1);
        assert_eq!(o.window(view(-1_000.0, 700.0)), 0..4);
        // No view height yet: the minimum overscan still renders a screenful.
        assert_eq!(o.window(view(0.0, 0.0)), 0..6);
        // Past the end: the last item stays rendered.
        assert_eq!(o.window(view(200_000.0, 700.0)), 999..1000);
        assert_eq!(
            Offsets::from_heights(Vec::new()).window(view(0.0, 700.0)),
            0..0
        );
    }

    #[test]
    fn keys_step_through_the_list() {
        let o = Offsets::from_heights(vec![100.0; 50]);
        assert_eq!(o.step(0, Step::Next, 700.0), Some(1));
        assert_eq!(o.step(49, Step::Next, 700.0), Some(49));
        assert_eq!(o.step(0, Step::Previous, 700.0), Some(0));
        assert_eq!(o.step(10, Step::Previous, 700.0), Some(9));
        assert_eq!(o.step(10, Step::First, 700.0), Some(0));
        assert_eq!(o.step(10, Step::Last, 700.0), Some(49));
        assert_eq!(o.step(10, Step::PageDown, 700.0), Some(17));
        assert_eq!(o.step(45, Step::PageDown, 700.0), Some(49));
        assert_eq!(o.step(10, Step::PageUp, 700.0), Some(3));
        assert_eq!(o.step(3, Step::PageUp, 700.0), Some(0));
        // A page shorter than an item still moves one.
        assert_eq!(o.step(10, Step::PageDown, 0.0), Some(11));
        assert_eq!(o.step(10, Step::PageUp, 0.0), Some(9));
        assert_eq!(
            Offsets::from_heights(Vec::new()).step(0, Step::Next, 700.0),
            None
        );
        assert_eq!(Step::of_key("End"), Some(Step::Last));
        assert_eq!(Step::of_key("Tab"), None);
    }

    #[test]
    fn the_anchor_is_the_first_item_reaching_below_the_view_top_and_drifts_with_it() {
        let placed = |i: usize, top: f64| Placed {
            index: i,
            top,
            height: 100.0,
        };
        let items = [
            ("a", placed(5, 500.0)),
            ("b", placed(6, 600.0)),
            ("c", placed(7, 700.0)),
        ];
        let a = Anchor::choose(items, view(650.0, 300.0)).expect("an anchor");
        assert_eq!(
            a,
            Anchor {
                key: "b",
                top: 600.0
            }
        );
        assert_eq!(
            Anchor::choose(items, view(0.0, 300.0)),
            None,
            "at the list's top"
        );
        assert_eq!(
            Anchor::choose(items, view(100.0, 300.0)),
            None,
            "no rendered item in view"
        );
        // Items above b were found 120 px shorter than assumed: the view moves up with b.
        assert_eq!(a.carry(view(650.0, 300.0), 480.0), view(530.0, 300.0));
        // An item above grew by 40 px: b moved down by as much.
        assert_eq!(a.drift([("a", 500.0), ("b", 640.0)]), 40.0);
        assert_eq!(a.drift([("a", 500.0)]), 0.0, "not rendered any more");
    }

    fn heights() -> impl Strategy<Value = Vec<f64>> {
        prop::collection::vec(20u32..400, 0..300)
            .prop_map(|v| v.into_iter().map(f64::from).collect())
    }

    proptest! {
        /// Offsets from the measured heights (found by search) equal a lookup item by item.
        #[test]
        fn offsets_use_each_measured_height(
            mut keys in prop::collection::btree_set(0u32..2000, 0..200),
            measured in prop::collection::vec((0u32..2000, 20u32..400), 0..100),
        ) {
            let mut h = Heights::default();
            let mut by_key = std::collections::HashMap::new();
            for &(k, v) in &measured {
                h.measure(k, f64::from(v));
                by_key.insert(k, f64::from(v));
            }
            let items: Vec<u32> = std::mem::take(&mut keys).into_iter().collect();
            let o = h.offsets(&items, |i, k| i.cmp(k));
            let want = Offsets::from_heights(
                items.iter().map(|i| by_key.get(i).copied().unwrap_or(h.estimate())),
            );
            prop_assert_eq!(o, want);
        }

        /// Every item that meets the view or the overscan is rendered, and no other.
        #[test]
        fn the_window_is_exactly_the_items_meeting_the_overscanned_view(
            hs in heights(), top in -3000.0f64..60_000.0, height in 0.0f64..2000.0,
        ) {
            let o = Offsets::from_heights(hs.iter().copied());
            let w = o.window(view(top, height));
            let overscan = height.max(MIN_OVERSCAN);
            let (lo, hi) = (top - overscan, top + height + overscan);
            let meets: Vec<usize> = (0..hs.len())
                .filter(|&i| o.top(i + 1) > lo && o.top(i) < hi)
                .collect();
            if hs.is_empty() {
                prop_assert_eq!(w, 0..0);
            } else if meets.is_empty() {
                // Nothing meets it: one item, the nearest (the first or the last).
                prop_assert_eq!(w.len(), 1);
                prop_assert!(w.start == 0 || w.start == hs.len() - 1);
            } else {
                prop_assert_eq!(w, meets[0]..meets[meets.len() - 1] + 1);
            }
        }

        /// Every step lands in the list, moves the way its key says, and Next/Previous by one.
        #[test]
        fn steps_stay_in_the_list(hs in heights(), from in 0usize..400, page in 0.0f64..3000.0) {
            let o = Offsets::from_heights(hs.iter().copied());
            for step in [Step::Previous, Step::Next, Step::PageUp, Step::PageDown, Step::First, Step::Last] {
                let Some(to) = o.step(from, step, page) else {
                    prop_assert!(hs.is_empty());
                    continue;
                };
                let last = hs.len() - 1;
                let from = from.min(last);
                prop_assert!(to <= last);
                match step {
                    Step::Next => prop_assert_eq!(to, (from + 1).min(last)),
                    Step::Previous => prop_assert_eq!(to, from.saturating_sub(1)),
                    Step::PageDown => {
                        prop_assert!(to > from || from == last);
                        // No further than the item a page below the current one's top.
                        prop_assert!(to == from + 1 || o.top(to) <= o.top(from) + page);
                    }
                    Step::PageUp => {
                        prop_assert!(to < from || from == 0);
                        prop_assert!(to + 1 == from || from == 0 || o.top(to + 1) > o.top(from) - page);
                    }
                    Step::First => prop_assert_eq!(to, 0),
                    Step::Last => prop_assert_eq!(to, last),
                }
            }
        }

        /// After `nearest`, the item is inside the view (or starts at its top when taller).
        #[test]
        fn nearest_shows_the_item(
            vt in -500.0f64..5000.0, vh in 1.0f64..2000.0, t in 0.0f64..6000.0, h in 1.0f64..3000.0,
        ) {
            let v = view(vt, vh);
            let top = v.nearest(t, t + h);
            if h > vh {
                prop_assert_eq!(top, t);
            } else {
                prop_assert!(t >= top - 1e-9 && t + h <= top + vh + 1e-9);
                // And it does not move when it need not.
                if t >= vt && t + h <= vt + vh {
                    prop_assert_eq!(top, vt);
                }
            }
        }
    }
}
