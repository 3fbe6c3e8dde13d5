//! The side panel's contents kept up to date a change at a time: the placed annotations in
//! document order, how many of them carry each tag, and the unplaced ones.

use std::collections::HashMap;
use std::rc::Rc;

use super::layout::changes;
use super::store::{Annotation, Store};

/// A change to more annotations than this (an import, another tab's work) builds the listing
/// afresh: each annotation changed in place costs a search and a move of the list's tail.
const REBUILD_FROM: usize = 64;

/// The placed annotations of a store in document order, the count of each tag among them, and
/// the unplaced annotations in id order.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    items: Rc<Vec<Rc<Annotation>>>,
    counts: HashMap<String, usize>,
    orphans: Rc<Vec<Rc<Annotation>>>,
}

/// Document order: start, then end, then id.
fn order(a: &Annotation) -> (usize, usize, &str) {
    (a.start, a.end, &a.id)
}

impl Listing {
    /// The listing of a store, built over all its annotations.
    pub fn new(store: &Store) -> Listing {
        let (mut items, orphans): (Vec<Rc<Annotation>>, Vec<Rc<Annotation>>) =
            store.shared().cloned().partition(|a| !a.orphan);
        items.sort_unstable_by(|a, b| order(a).cmp(&order(b)));
        let mut counts = HashMap::new();
        for a in &items {
            for t in &a.tags {
                *counts.entry(t.clone()).or_insert(0) += 1;
            }
        }
        Listing {
            items: Rc::new(items),
            counts,
            orphans: Rc::new(orphans),
        }
    }

    /// The listing of `new`, from this one of `old`: annotations whose shared pointer changed
    /// (added, removed, edited) are taken out and put back in their place, and their tags
    /// counted out and in; a change to many annotations builds the listing afresh.
    pub fn update(&self, old: &Store, new: &Store) -> Listing {
        let changes = changes(old.shared_by_id(), new.shared_by_id());
        if changes.len() > REBUILD_FROM {
            return Listing::new(new);
        }
        let gone = changes.iter().filter_map(|c| c.old.as_ref());
        let came = changes.iter().filter_map(|c| c.new.as_ref());
        let (gone_orphans, gone): (Vec<_>, Vec<_>) = gone.partition(|a| a.orphan);
        let (came_orphans, came): (Vec<_>, Vec<_>) = came.partition(|a| a.orphan);
        let orphans = if gone_orphans.is_empty() && came_orphans.is_empty() {
            Rc::clone(&self.orphans)
        } else {
            let mut orphans = (*self.orphans).clone();
            orphans.retain(|a| !gone_orphans.iter().any(|g| Rc::ptr_eq(a, g)));
            for a in came_orphans {
                let i = orphans.partition_point(|x| x.id < a.id);
                orphans.insert(i, Rc::clone(a));
            }
            Rc::new(orphans)
        };
        let mut items = (*self.items).clone();
        let mut counts = self.counts.clone();
        for a in gone {
            if let Ok(i) = items.binary_search_by(|x| order(x).cmp(&order(a))) {
                items.remove(i);
                for t in &a.tags {
                    if let Some(n) = counts.get_mut(t) {
                        *n -= 1;
                        if *n == 0 {
                            counts.remove(t);
                        }
                    }
                }
            }
        }
        for a in came {
            let i = items
                .binary_search_by(|x| order(x).cmp(&order(a)))
                .unwrap_or_else(|i| i);
            items.insert(i, Rc::clone(a));
            for t in &a.tags {
                *counts.entry(t.clone()).or_insert(0) += 1;
            }
        }
        Listing {
            items: Rc::new(items),
            counts,
            orphans,
        }
    }

    /// The placed annotations in document order (start, end, id), shared: a new listing is a
    /// new pointer.
    pub fn items(&self) -> &Rc<Vec<Rc<Annotation>>> {
        &self.items
    }

    /// How many placed annotations carry the tag `id`.
    pub fn count(&self, id: &str) -> usize {
        self.counts.get(id).copied().unwrap_or(0)
    }

    /// The annotations that could not be placed in the text, in id order.
    pub fn orphans(&self) -> &Rc<Vec<Rc<Annotation>>> {
        &self.orphans
    }
}

/// Where annotation `a` stands in `items` (in document order, as [`Listing::items`] or a part of
/// them): found by its start, end and id.
pub fn position(items: &[Rc<Annotation>], a: &Annotation) -> Option<usize> {
    items.binary_search_by(|x| order(x).cmp(&order(a))).ok()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::store::{Action, Millis};
    use proptest::prelude::*;

    const TAGS: [&str; 4] = [
        "pillar-1",
        "pillar-2",
        "theme-prevention",
        "theme-arms-control",
    ];

    fn annotation(id: String, start: usize, len: usize, tag: usize, orphan: bool) -> Annotation {
        Annotation {
            id,
            start,
            end: start + len,
            quote: "q".repeat(len),
            tags: vec![TAGS[tag % TAGS.len()].to_string()],
            note: String::new(),
            created: 1,
            modified: 1,
            creator: None,
            history: Vec::new(),
            orphan,
            conflict_of: None,
        }
    }

    /// A list of annotations, comparable: ids in order, with their pointers.
    fn ids(list: &[Rc<Annotation>]) -> Vec<(String, usize)> {
        list.iter()
            .map(|a| (a.id.clone(), Rc::as_ptr(a) as usize))
            .collect()
    }

    /// What a listing holds, comparable: its lists and every count.
    fn content(l: &Listing) -> [Vec<(String, usize)>; 3] {
        let mut counts: Vec<(String, usize)> =
            l.counts.iter().map(|(k, v)| (k.clone(), *v)).collect();
        counts.sort();
        [ids(l.items()), counts, ids(l.orphans())]
    }

    #[test]
    fn a_new_annotation_goes_in_its_place_and_counts_its_tags() {
        let mut s = Store::new();
        for (i, start) in [30, 10, 20].into_iter().enumerate() {
            s.apply(Action::Create {
                id: format!("a{i}"),
                start,
                end: start + 5,
                quote: "q".repeat(5),
                tags: vec!["pillar-1".into()],
                creator: None,
                at: i as Millis + 1,
            })
            .unwrap();
        }
        let before = s.clone();
        let l = Listing::new(&before);
        s.apply(Action::Create {
            id: "new".into(),
            start: 15,
            end: 16,
            quote: "q".into(),
            tags: vec!["pillar-2".into()],
            creator: None,
            at: 9,
        })
        .unwrap();
        let l = l.update(&before, &s);
        let ids: Vec<&str> = l.items().iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a1", "new", "a2", "a0"]);
        assert_eq!((l.count("pillar-1"), l.count("pillar-2")), (3, 1));
        assert_eq!(l.count("pillar-3"), 0);
        let new = s.get("new").expect("stored");
        assert_eq!(position(l.items(), new), Some(1));
        assert_eq!(position(&l.items()[2..], new), None);
    }

    proptest! {
        /// A listing kept up over any run of changes — single edits, undo, imports of many with
        /// unplaced ones — is the listing built afresh, pointer for pointer and count for count.
        #[test]
        fn kept_up_equals_built_afresh(
            steps in prop::collection::vec((0u8..7, 0usize..400, 1usize..40, 0usize..100), 1..40),
        ) {
            let mut store = Store::new();
            let mut listing = Listing::new(&store);
            for (i, &(kind, x, len, k)) in steps.iter().enumerate() {
                let at = i as Millis + 10;
                let ids: Vec<String> = store.shared().map(|a| a.id.clone()).collect();
                let pick = || ids.get(x % ids.len().max(1)).cloned().unwrap_or_default();
                let action = match kind {
                    0 | 1 => Action::Create {
                        id: format!("c{i}"), start: x, end: x + len, quote: "q".repeat(len),
                        tags: vec![TAGS[k % TAGS.len()].into()], creator: None, at,
                    },
                    2 => Action::ToggleTag { id: pick(), tag: TAGS[k % TAGS.len()].into(), at },
                    3 => Action::SetNote { id: pick(), note: format!("n{i}"), at },
                    4 => Action::Delete { id: pick(), at },
                    5 => Action::Undo { at },
                    _ => Action::Import {
                        // Up to 99 at once, about a fifth of them unplaced.
                        put: (0..k)
                            .map(|j| annotation(format!("i{i}-{j}"), (x + 7 * j) % 400, len, j, j % 5 == 0))
                            .collect(),
                        tags: Vec::new(),
                        label: "f.json".into(),
                    },
                };
                let before = store.clone();
                let _ = store.apply(action);
                listing = listing.update(&before, &store);
                prop_assert_eq!(content(&listing), content(&Listing::new(&store)));
            }
        }
    }
}
