//! The list "Annotations": every item while it is short; past [`WINDOW_FROM`] items only those
//! near the view, between paddings that stand for the rest, re-windowed as the panel scrolls.
//! The arrow keys, Page Up/Down, Home and End move focus from item to item, and the selected
//! annotation is brought into view.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::ops::Range;
use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

use super::panel::AnnotationItem;
use super::state::AppState;
use super::ByPtr;
use crate::core::document::Document;
use crate::core::listing::position;
use crate::core::store::Annotation;
use crate::core::tags::Tag;
use crate::core::window::{Anchor, Heights, Offsets, Placed, Step, View, WINDOW_FROM};
use crate::web::list::{self, ViewWatch};

/// Properties of [`AnnotationList`].
#[derive(Properties)]
pub(super) struct ListProps {
    /// The annotations to list, in document order.
    pub items: Rc<Vec<Rc<Annotation>>>,
    pub tags: ByPtr<Vec<Tag>>,
    /// The selected annotation, if any (compared by id).
    pub selected: Option<Rc<Annotation>>,
    pub doc: Rc<Document>,
    pub dispatcher: UseReducerDispatcher<AppState>,
    /// The element that scrolls the list (the panel).
    pub scroller: NodeRef,
}

impl PartialEq for ListProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.items, &o.items)
            && self.tags == o.tags
            && selected_id(&self.selected) == selected_id(&o.selected)
            && Rc::ptr_eq(&self.doc, &o.doc)
    }
}

fn selected_id(a: &Option<Rc<Annotation>>) -> Option<&str> {
    a.as_ref().map(|a| a.id.as_str())
}

/// An item's key among measured heights: its annotation's place in document order (start, end,
/// id), the order of the list.
type Place = (usize, usize, String);

fn place(a: &Annotation) -> Place {
    (a.start, a.end, a.id.clone())
}

/// How an annotation sorts against an item key, in document order.
fn against(a: &Rc<Annotation>, (start, end, id): &Place) -> Ordering {
    (a.start, a.end, a.id.as_str()).cmp(&(*start, *end, id.as_str()))
}

/// Where the item with this key stands in `items` (in document order).
fn index_of(items: &[Rc<Annotation>], key: &Place) -> Option<usize> {
    items.binary_search_by(|a| against(a, key)).ok()
}

/// What the list's renders, effects and listeners share.
struct Shared {
    items: Rc<Vec<Rc<Annotation>>>,
    offsets: Rc<Offsets>,
    heights: Heights<Place>,
    /// The view as last seen (in the list's coordinates).
    view: View,
    /// The items rendered last, in flow.
    rendered: Range<usize>,
    /// The item to hold in place through the next render.
    anchor: Option<Anchor<Place>>,
    /// The item holding focus: it stays rendered when the window moves away from it.
    focus: Option<Rc<Annotation>>,
    /// An item moved to by a key, to focus once it is rendered.
    to_focus: Option<usize>,
    /// The selected annotation, to bring into view once it is rendered.
    to_reveal: Option<Rc<Annotation>>,
    /// The selection last brought into view.
    revealed: Option<String>,
    /// The next render comes from a frame's own work (scrolling, or settling): settle it at
    /// once, before the frame is painted.
    in_frame: bool,
    /// A frame asked for to settle the last render in.
    frame: Option<i32>,
    /// Bumped with every change of the heights: the offsets' memo key.
    version: u32,
}

impl Default for Shared {
    fn default() -> Shared {
        Shared {
            items: Rc::default(),
            offsets: Rc::new(Offsets::from_heights([])),
            heights: Heights::default(),
            view: View {
                top: 0.0,
                height: 0.0,
            },
            rendered: 0..0,
            anchor: None,
            focus: None,
            to_focus: None,
            to_reveal: None,
            revealed: None,
            in_frame: false,
            frame: None,
            version: 0,
        }
    }
}

/// What is left to do after [`Shared::settle`].
#[derive(Default)]
struct Settled {
    /// Rendered items turned out taller or shorter than assumed: offsets anew.
    relearned: bool,
    /// The window no longer fits the view: render again.
    moved: bool,
    /// The item to focus.
    focus: Option<usize>,
}

fn windowed(items: &[Rc<Annotation>]) -> bool {
    items.len() > WINDOW_FROM
}

impl Shared {
    /// The rendered items among `placed`, with their keys.
    fn in_flow<'a>(&'a self, placed: &'a [Placed]) -> impl Iterator<Item = (Place, Placed)> + 'a {
        placed
            .iter()
            .filter(|p| self.rendered.contains(&p.index))
            .filter_map(|p| Some((place(self.items.get(p.index)?), *p)))
    }

    /// The items to render. The view moves with the anchor when the items above it change
    /// (heights learnt, items added or removed): the window is for where it will be.
    fn window(&self) -> Range<usize> {
        let view = self
            .anchor
            .as_ref()
            .and_then(|a| {
                let i = index_of(&self.items, &a.key)?;
                Some(a.carry(self.view, self.offsets.top(i)))
            })
            .unwrap_or(self.view);
        self.offsets.window(view)
    }

    /// Scrolls so that the rendered item `p` is in view, as little as possible.
    fn show(&mut self, p: &Placed, scroller: &Element) {
        let top = self.view.nearest(p.top, p.top + p.height);
        list::scroll_by(scroller, top - self.view.top);
        self.view.top = top;
    }

    /// After a render: holds the anchor in place, learns the rendered items' heights, and
    /// brings the item moved to by a key, or the selection, into view. Returns what is left to
    /// do (the focus moves only once the shared state is let go: focus events come back here).
    fn settle(&mut self, ul: &Element, scroller: &Element) -> Settled {
        let windowed = windowed(&self.items);
        let mut out = Settled::default();
        if !windowed && self.to_focus.is_none() && self.to_reveal.is_none() {
            return out;
        }
        let placed = list::placed(ul);
        if windowed {
            if let Some(anchor) = self.anchor.take() {
                let drift = anchor.drift(self.in_flow(&placed).map(|(id, p)| (id, p.top)));
                list::scroll_by(scroller, drift);
            }
            let measured: Vec<(Place, f64)> = self
                .in_flow(&placed)
                .map(|(key, p)| (key, p.height))
                .collect();
            for (key, height) in measured {
                out.relearned |= self.heights.measure(key, height);
            }
        }
        self.view = list::view(ul, scroller);
        if let Some(i) = self.to_focus.take() {
            if let Some(p) = placed.iter().find(|p| p.index == i) {
                self.show(p, scroller);
                out.focus = Some(i);
            }
        }
        if let Some(a) = self.to_reveal.take() {
            let at = position(&self.items, &a);
            match (at, at.and_then(|i| placed.iter().find(|p| p.index == i))) {
                (Some(_), Some(p)) => self.show(p, scroller),
                (Some(i), None) if windowed => {
                    // Not rendered: go where the heights known so far put it, and look again
                    // once it is rendered there.
                    let top = self
                        .view
                        .nearest(self.offsets.top(i), self.offsets.top(i + 1));
                    list::scroll_by(scroller, top - self.view.top);
                    self.view.top = top;
                    self.to_reveal = Some(a);
                    out.moved = true;
                    // What is rendered now is far from the view: nothing to hold in place.
                    self.anchor = None;
                    return out;
                }
                _ => {}
            }
        }
        if windowed {
            self.anchor = Anchor::choose(self.in_flow(&placed), self.view);
            out.moved |= self.window() != self.rendered;
        }
        out
    }

    /// The view changed (scrolling, resizing): true when the window must move.
    fn follow(&mut self, ul: &Element, scroller: &Element) -> bool {
        self.view = list::view(ul, scroller);
        let placed = list::placed(ul);
        self.anchor = Anchor::choose(self.in_flow(&placed), self.view);
        self.window() != self.rendered
    }

    /// A key pressed on item `from`: the item it moves focus to, scrolled into view (by the
    /// heights known so far) and focused once rendered. False when the key is not for the list.
    fn step(&mut self, from: usize, step: Step, ul: &Element, scroller: &Element) -> bool {
        let view = list::view(ul, scroller);
        let Some(to) = self.offsets.step(from, step, view.height) else {
            return false;
        };
        self.to_focus = Some(to);
        if windowed(&self.items) {
            let top = view.nearest(self.offsets.top(to), self.offsets.top(to + 1));
            list::scroll_by(scroller, top - view.top);
            self.view = View { top, ..view };
            // The content around the view changes wholesale: nothing to hold in place.
            self.anchor = None;
        }
        true
    }
}

/// What settling a render needs, from the render that asks for it.
#[derive(Clone)]
struct After {
    shared: Rc<RefCell<Shared>>,
    ul: NodeRef,
    scroller: NodeRef,
    measured: UseStateHandle<u32>,
    redraw: UseForceUpdateHandle,
}

impl After {
    /// Settles the rendered list (see [`Shared::settle`]) and renders it again if need be,
    /// within the same frame.
    fn settle(&self) {
        let (Some(ul), Some(scroller)) =
            (self.ul.cast::<Element>(), self.scroller.cast::<Element>())
        else {
            return;
        };
        let done = self.shared.borrow_mut().settle(&ul, &scroller);
        if let Some(i) = done.focus {
            list::focus_item(&ul, i);
        }
        let mut s = self.shared.borrow_mut();
        if done.relearned {
            s.version = s.version.wrapping_add(1);
            s.in_frame = true;
            let version = s.version;
            drop(s);
            self.measured.set(version);
        } else if done.moved {
            s.in_frame = true;
            drop(s);
            self.redraw.force_update();
        }
    }
}

/// The annotation list, windowed past [`WINDOW_FROM`] items.
#[function_component(AnnotationList)]
pub(super) fn annotation_list(p: &ListProps) -> Html {
    let shared = use_mut_ref(Shared::default);
    let ul = use_node_ref();
    // The heights' version: bumped when rendered items turned out taller or shorter than assumed.
    let measured = use_state_eq(|| 0u32);
    let redraw = use_force_update();
    let offsets = {
        let shared = shared.clone();
        use_memo((ByPtr(p.items.clone()), *measured), move |(items, _)| {
            shared.borrow().heights.offsets(&items.0, against)
        })
    };
    let n = p.items.len();
    let windowed = windowed(&p.items);
    let (range, kept) = {
        let mut s = shared.borrow_mut();
        s.items = p.items.clone();
        s.offsets = offsets.clone();
        if selected_id(&p.selected) != s.revealed.as_deref() {
            s.revealed = p.selected.as_ref().map(|a| a.id.clone());
            s.to_reveal = p.selected.clone();
        }
        let range = if windowed { s.window() } else { 0..n };
        s.rendered = range.clone();
        let kept = s
            .focus
            .as_ref()
            .and_then(|a| position(&p.items, a))
            .filter(|i| !range.contains(i));
        (range, kept)
    };

    let after = After {
        shared: shared.clone(),
        ul: ul.clone(),
        scroller: p.scroller.clone(),
        measured: measured.clone(),
        redraw: redraw.clone(),
    };
    {
        let after = after.clone();
        use_effect(move || {
            let now = std::mem::take(&mut after.shared.borrow_mut().in_frame);
            if now {
                after.settle();
            } else if after.shared.borrow().frame.is_none() {
                let shared = after.shared.clone();
                let frame = list::next_frame(move || {
                    after.shared.borrow_mut().frame = None;
                    after.settle();
                });
                shared.borrow_mut().frame = frame;
            }
        });
    }
    {
        let shared = shared.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(id) = shared.borrow_mut().frame.take() {
                    list::cancel_frame(id);
                }
            }
        });
    }
    {
        let shared = shared.clone();
        let (ul, scroller) = (ul.clone(), p.scroller.clone());
        let redraw = redraw.clone();
        use_effect_with(windowed, move |&windowed| {
            let watch = scroller.cast::<Element>().filter(|_| windowed).map(|s| {
                let sc = s.clone();
                ViewWatch::new(&s, move || {
                    let Some(u) = ul.cast::<Element>() else {
                        return;
                    };
                    let mut s = shared.borrow_mut();
                    if s.follow(&u, &sc) {
                        s.in_frame = true;
                        drop(s);
                        redraw.force_update();
                    }
                })
            });
            move || drop(watch)
        });
    }

    let onkeydown = {
        let shared = shared.clone();
        let (ul, scroller) = (ul.clone(), p.scroller.clone());
        let redraw = redraw.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.alt_key() || e.ctrl_key() || e.meta_key() || e.shift_key() {
                return;
            }
            if super::is_text_field(e.target()) {
                return;
            }
            let (Some(step), Some(from)) = (Step::of_key(&e.key()), list::item_index(e.target()))
            else {
                return;
            };
            let (Some(u), Some(s)) = (ul.cast::<Element>(), scroller.cast::<Element>()) else {
                return;
            };
            if shared.borrow_mut().step(from, step, &u, &s) {
                e.prevent_default();
                redraw.force_update();
            }
        })
    };
    let onfocusin = {
        let shared = shared.clone();
        Callback::from(move |e: FocusEvent| {
            let mut s = shared.borrow_mut();
            let item = list::item_index(e.target()).and_then(|i| s.items.get(i).cloned());
            s.focus = item;
        })
    };
    let onfocusout = {
        let shared = shared.clone();
        let ul = ul.clone();
        Callback::from(move |e: FocusEvent| {
            // Focus going nowhere (the window left) may come back: keep the item.
            let left = e.related_target().is_some()
                && !ul
                    .cast::<Element>()
                    .is_some_and(|u| list::holds(&u, e.related_target()));
            if left {
                shared.borrow_mut().focus = None;
            }
        })
    };

    let item = |i: usize, kept_top: Option<f64>| {
        let a = &p.items[i];
        html! {
            <AnnotationItem key={a.id.as_str()} annotation={Rc::clone(a)} tags={p.tags.clone()}
                selected={selected_id(&p.selected) == Some(a.id.as_str())}
                paragraph={p.doc.paragraph_number_at(a.start)}
                position={Some((i + 1, n))} {kept_top}
                dispatcher={p.dispatcher.clone()} />
        }
    };
    let mut children: Vec<Html> = Vec::with_capacity(range.len() + 1);
    // The focused item out of the window keeps its place in the reading order, laid out at
    // its estimated place (out of view) so that the window's layout does not move.
    let kept_item = |k: usize| item(k, Some(offsets.top(k)));
    children.extend(kept.filter(|&k| k < range.start).map(kept_item));
    children.extend(range.clone().map(|i| item(i, None)));
    children.extend(kept.filter(|&k| k >= range.end).map(kept_item));
    let style = windowed.then(|| {
        // Whole pixels, as the caret and picker: printing an f64 would keep float formatting in
        // the wasm (~9 KB).
        format!(
            "padding-top:{}px;padding-bottom:{}px",
            offsets.top(range.start).round() as i64,
            (offsets.total() - offsets.top(range.end)).round() as i64
        )
    });
    html! {
        <>
            <p id="list-keys" class="sr-only">
                { "Up and Down arrows, Page Up, Page Down, Home and End move between annotations." }
            </p>
            <ul ref={ul} role="list" aria-label="Annotations" aria-describedby="list-keys"
                class={classes!("list", windowed.then_some("windowed"))} {style}
                {onkeydown} {onfocusin} {onfocusout}>
                { for children }
            </ul>
        </>
    }
}
